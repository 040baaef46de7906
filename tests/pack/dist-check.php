<?php
/**
 * What PIE and WordPress will make of dist/ (tools/dist.sh runs this last):
 *
 *   php -n -d extension=phar -d extension=tokenizer tests/pack/dist-check.php REPO DIST_DIR PLUGIN_SRC_DIR
 *
 * - composer.json, field by field, against PIE's documentation and source (php/pie
 *   docs/extension-maintainers.md of 1.4.x, "download-url-method"; the classes named at
 *   each check): what PIE reads, how, and what it silently ignores;
 * - each binary archive against the names PIE looks for (PrePackagedBinaryAssetName) and
 *   the layout it expects (UnixBuild::prePackagedBinary: <extension-name>.so at the root);
 * - SHA256SUMS;
 * - the plugin zip: one fastbeat/ folder, the runtime files only, readme.txt in the
 *   WordPress.org format with the header's requirements, every file parses, and the POT
 *   holds every translatable string of the code.
 *
 * Ends with "N passed, N failed".
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI || $argc < 4 ) {
	fwrite( STDERR, "usage: php -n -d extension=phar -d extension=tokenizer dist-check.php REPO DIST_DIR PLUGIN_SRC_DIR\n" );
	exit( 2 );
}
list( , $repo, $dist, $plugin_src ) = array_map( 'realpath', $argv );
require_once $repo . '/wp-plugin/tests/lib/class-fb.php';
if ( ! class_exists( 'PharData' ) || ! function_exists( 'token_get_all' ) ) {
	FB::check( false, 'the phar and tokenizer extensions are loaded (php -d extension=phar -d extension=tokenizer)' );
	FB::finish();
}

preg_match( '/^version\s*=\s*"([^"]+)"/m', (string) file_get_contents( "$repo/Cargo.toml" ), $m );
$version = $m[1] ?? '';

/*
 * composer.json
 */
FB::section( 'composer.json (PIE)' );
$composer = json_decode( (string) file_get_contents( "$repo/composer.json" ), true );
FB::check( is_array( $composer ), 'composer.json parses', json_last_error_msg() );
$composer = is_array( $composer ) ? $composer : array();
$ext      = isset( $composer['php-ext'] ) && is_array( $composer['php-ext'] ) ? $composer['php-ext'] : array();
// Composer's package name rule (a PIE package name MUST be <vendor>/<package>).
FB::check( 1 === preg_match( '{^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$}', $composer['name'] ?? '' ), 'name is <vendor>/<package>', $composer['name'] ?? null );
FB::same( 'php-ext', $composer['type'] ?? null, 'type is php-ext (a PHP module, not php-ext-zend)' );
FB::check( ! isset( $composer['version'] ), 'no version field: Packagist takes versions from tags' );
FB::check( is_string( $composer['require']['php'] ?? null ) && '' !== $composer['require']['php'], 'require.php states the PHP versions', $composer['require'] ?? null );
FB::check( array() !== $ext, 'a php-ext section' );
// PIE reads only these keys of php-ext (DependencyResolver\Package::fromComposerCompletePackage,
// ExtensionName); anything else, e.g. a typo, is silently ignored.
$known = array( 'extension-name', 'priority', 'support-zts', 'support-nts', 'build-path', 'download-url-method', 'os-families', 'os-families-exclude', 'configure-options' );
FB::same( array(), array_values( array_diff( array_keys( $ext ), $known ) ), 'php-ext has only keys PIE reads' );
// ExtensionName::VALID_PACKAGE_NAME_REGEX; the docs: "SHOULD NOT be prefixed with ext-".
FB::same( 'fastbeat', $ext['extension-name'] ?? null, 'extension-name is the module name, fastbeat' );
FB::check( 1 === preg_match( '#^[A-Za-z][a-zA-Z0-9_]+$#', $ext['extension-name'] ?? '' ) && 0 !== strpos( $ext['extension-name'] ?? '', 'ext-' ), 'extension-name matches PIE\'s extension name rule, without ext-' );
// Package: $phpExtOptions['support-zts'] ?? true — a string "false" would count as true.
FB::same( false, $ext['support-zts'] ?? null, 'support-zts is the boolean false (NTS only)' );
FB::same( true, $ext['support-nts'] ?? true, 'support-nts is true' );
// resources/composer-json-php-ext-schema.json: an integer 10-99 (the ini file's prefix).
FB::check( is_int( $ext['priority'] ?? 80 ) && ( $ext['priority'] ?? 80 ) >= 10 && ( $ext['priority'] ?? 80 ) <= 99, 'priority is an integer from 10 to 99', $ext['priority'] ?? null );
// UnixBuild: phpize, ./configure, make in build-path; the module is then modules/<name>.so.
$build_path = $ext['build-path'] ?? null;
FB::check( is_string( $build_path ) && is_file( "$repo/$build_path/config.m4" ), "build-path ($build_path) holds config.m4 (phpize runs there)" );
FB::check( is_string( $build_path ) && false === strpos( $build_path, '{version}' ), 'build-path needs no {version} (the GitHub archive is unpacked to its root)' );
// DownloadUrlMethod cases; Package accepts a string or a list and tries them in order.
$methods = $ext['download-url-method'] ?? null;
FB::check( is_array( $methods ) && array_is_list( $methods ), 'download-url-method is a list (PIE >= 1.4 tries them in order)', $methods );
$methods = is_array( $methods ) ? $methods : array();
FB::same( array(), array_values( array_diff( $methods, array( 'composer-default', 'pre-packaged-source', 'pre-packaged-binary', 'windows-binary' ) ) ), 'download-url-method holds only methods PIE knows' );
FB::same( 'pre-packaged-binary', $methods[0] ?? null, 'pre-packaged-binary comes first: a matching release archive is installed as is' );
FB::check( in_array( 'composer-default', $methods, true ), 'composer-default follows: without a matching archive PIE builds from source' );
$families = array( 'windows', 'bsd', 'darwin', 'solaris', 'linux', 'unknown' );
FB::check( ! ( isset( $ext['os-families'] ) && isset( $ext['os-families-exclude'] ) ), 'not both os-families and os-families-exclude' );
FB::same( array(), array_values( array_diff( (array) ( $ext['os-families'] ?? array() ), $families ) ), 'os-families are PIE\'s OS family names' );

/*
 * The binary archives.
 */
FB::section( 'binary archives (PIE pre-packaged-binary)' );
$archives = glob( "$dist/php_*" );
FB::check( count( $archives ) > 0, 'dist/ has binary archives' );
$name = $ext['extension-name'] ?? 'fastbeat';
$php  = array();
foreach ( $archives as $archive ) {
	$base = basename( $archive );
	if ( ! preg_match( '/_php(\d+\.\d+)-/', $base, $m ) ) {
		FB::check( false, "$base names a PHP version" );
		continue;
	}
	$php[] = $m[1];
	// PrePackagedBinaryAssetName::packageNames() for this target: PHP X.Y, x86_64 (also
	// x64), linux, glibc, not debug, NTS (with or without -nts), zip or tgz; lower case.
	$candidates = array();
	foreach ( array( 'x86_64', 'x64' ) as $arch ) {
		foreach ( array( '', '-nts' ) as $ts ) {
			foreach ( array( 'zip', 'tgz' ) as $format ) {
				$candidates[] = strtolower( sprintf( 'php_%s-%s_php%s-%s-%s-%s%s%s.%s', $name, $version, $m[1], $arch, 'linux', 'glibc', '', $ts, $format ) );
			}
		}
	}
	FB::check( in_array( $base, $candidates, true ), "$base is a name PIE looks for (PHP {$m[1]}, x86_64, linux, glibc, NTS, version $version)", $candidates );
	FB::same( "php_{$name}-{$version}_php{$m[1]}-x86_64-linux-glibc-nts.tgz", $base, "$base: the explicit -nts, .tgz form" );
	$entries = array();
	try {
		foreach ( new RecursiveIteratorIterator( new PharData( $archive ), RecursiveIteratorIterator::SELF_FIRST ) as $entry ) {
			$entries[] = substr( $entry->getPathname(), strlen( "phar://$archive/" ) );
		}
	} catch ( Exception $e ) {
		$entries[] = 'unreadable: ' . $e->getMessage();
	}
	FB::same( array( "$name.so" ), $entries, "$base holds $name.so at its root, nothing else" );
}
sort( $php );
// require.php as alternatives of ~X.Y.0: each supported PHP has an archive, and no more.
$declared = array();
foreach ( explode( '||', (string) ( $composer['require']['php'] ?? '' ) ) as $alt ) {
	if ( preg_match( '/^~(\d+\.\d+)\.0$/', trim( $alt ), $m ) ) {
		$declared[] = $m[1];
	} else {
		FB::check( false, "require.php alternative '" . trim( $alt ) . "' has the form ~X.Y.0" );
	}
}
sort( $declared );
FB::same( $declared, $php, 'a binary for each PHP version composer.json declares (' . implode( ', ', $declared ) . ')' );

/*
 * SHA256SUMS
 */
FB::section( 'SHA256SUMS' );
$sums = array();
foreach ( file( "$dist/SHA256SUMS", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) ?: array() as $line ) {
	if ( preg_match( '/^([0-9a-f]{64}) [ *](.+)$/', $line, $m ) ) {
		$sums[ $m[2] ] = $m[1];
	}
}
$files = array_values( array_diff( array_map( 'basename', glob( "$dist/*" ) ), array( 'SHA256SUMS' ) ) );
sort( $files );
$listed = array_keys( $sums );
sort( $listed );
FB::same( $files, $listed, 'SHA256SUMS lists every other file of dist/' );
foreach ( $sums as $file => $sum ) {
	FB::same( $sum, is_file( "$dist/$file" ) ? hash_file( 'sha256', "$dist/$file" ) : null, "sha256 of $file" );
}

/*
 * The plugin zip.
 */
FB::section( 'plugin zip (wp-admin → Plugins → Add New → Upload Plugin)' );
$main        = (string) file_get_contents( "$plugin_src/fastbeat.php" );
$header      = function ( $text, $field ) {
	// As WordPress's get_file_data() reads a header field.
	if ( preg_match( '/^(?:[ \t]*<\?php)?[ \t\/*#@]*' . preg_quote( $field, '/' ) . ':(.*)$/mi', substr( $text, 0, 8192 ), $m ) ) {
		return trim( preg_replace( '/\s*(?:\*\/|\?>).*/', '', $m[1] ) );
	}
	return null;
};
$plugin_ver  = $header( $main, 'Version' );
$zip         = "$dist/fastbeat-$plugin_ver.zip";
$zip_entries = array();
FB::check( is_file( $zip ), "fastbeat-$plugin_ver.zip is named after the plugin's Version header" );
if ( ! is_file( $zip ) ) {
	FB::finish();
}
foreach ( new RecursiveIteratorIterator( new PharData( $zip ), RecursiveIteratorIterator::SELF_FIRST ) as $entry ) {
	$zip_entries[ substr( $entry->getPathname(), strlen( "phar://$zip/" ) ) ] = $entry->isDir();
}
$tops = array_unique( array_map( fn( $p ) => explode( '/', $p )[0], array_keys( $zip_entries ) ) );
FB::same( array( 'fastbeat' ), array_values( $tops ), 'one top-level folder, fastbeat/ (the plugin\'s slug)' );
// Expected: the source minus .distignore, plus languages/fastbeat.pot.
$ignored = array();
foreach ( file( "$plugin_src/.distignore", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
	if ( '#' !== $line[0] ) {
		$ignored[] = trim( $line, '/ ' );
	}
}
$expected = array( 'fastbeat/languages/fastbeat.pot' );
$iter     = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $plugin_src, FilesystemIterator::SKIP_DOTS ) );
foreach ( $iter as $file ) {
	$rel = substr( $file->getPathname(), strlen( $plugin_src ) + 1 );
	if ( ! in_array( explode( '/', $rel )[0], $ignored, true ) ) {
		$expected[] = "fastbeat/$rel";
	}
}
$shipped = array_keys( array_filter( $zip_entries, fn( $is_dir ) => ! $is_dir ) );
sort( $expected );
sort( $shipped );
FB::same( $expected, $shipped, 'the runtime plugin only: the source minus .distignore (' . implode( ', ', $ignored ) . '), plus languages/fastbeat.pot' );
foreach ( array( 'fastbeat/fastbeat.php', 'fastbeat/uninstall.php', 'fastbeat/readme.txt', 'fastbeat/includes/wiring.php', 'fastbeat/lane/native.php', 'fastbeat/languages/fastbeat.pot' ) as $must ) {
	FB::check( isset( $zip_entries[ $must ] ), "ships $must" );
}
foreach ( array( 'tests', 'tools', 'phpcs.xml.dist', '.distignore' ) as $never ) {
	FB::check( ! isset( $zip_entries[ "fastbeat/$never" ] ), "does not ship $never" );
}
$read = fn( $rel ) => (string) file_get_contents( "phar://$zip/fastbeat/$rel" );
foreach ( $shipped as $rel ) {
	$rel = substr( $rel, strlen( 'fastbeat/' ) );
	if ( 'readme.txt' !== $rel && 'languages/fastbeat.pot' !== $rel ) {
		FB::check( $read( $rel ) === file_get_contents( "$plugin_src/$rel" ), "$rel is the source file, unchanged" );
	}
}
$parse_errors = array();
foreach ( $shipped as $rel ) {
	if ( '.php' === substr( $rel, -4 ) ) {
		try {
			token_get_all( $read( substr( $rel, strlen( 'fastbeat/' ) ) ), TOKEN_PARSE );
		} catch ( ParseError $e ) {
			$parse_errors[ $rel ] = $e->getMessage();
		}
	}
}
FB::same( array(), $parse_errors, 'every PHP file parses' );

$readme = $read( 'readme.txt' );
FB::check( 0 === strpos( $readme, "=== Fastbeat ===\n" ), 'readme.txt starts with === Fastbeat ===' );
$field = function ( $f ) use ( $readme ) {
	return preg_match( '/^' . preg_quote( $f, '/' ) . ':[ \t]*(.+)$/mi', $readme, $m ) ? trim( $m[1] ) : null;
};
foreach ( array( 'Contributors', 'Tags', 'Tested up to', 'License', 'License URI' ) as $f ) {
	FB::check( null !== $field( $f ), "readme.txt has $f" );
}
FB::same( $header( $main, 'Requires at least' ), $field( 'Requires at least' ), 'readme.txt: Requires at least, from fastbeat.php\'s header' );
FB::same( $header( $main, 'Requires PHP' ), $field( 'Requires PHP' ), 'readme.txt: Requires PHP, from fastbeat.php\'s header' );
FB::same( $plugin_ver, $field( 'Stable tag' ), 'readme.txt: Stable tag is the Version' );
foreach ( array( 'Description', 'Installation', 'Frequently Asked Questions', 'Changelog' ) as $section ) {
	FB::check( false !== strpos( $readme, "\n== $section ==\n" ), "readme.txt section $section" );
}
$readme_src = (string) file_get_contents( "$plugin_src/readme.txt" );
FB::same( $readme_src, preg_replace( '/^(Requires at least|Requires PHP):.*\n/m', '', $readme ), 'readme.txt is the source one plus those two lines' );

/**
 * The value of a PHP string literal (a T_CONSTANT_ENCAPSED_STRING token).
 *
 * @param string $literal 'single' or "double" quoted, without variables.
 * @return string
 */
function fb_literal( $literal ) {
	$body = substr( $literal, 1, -1 );
	if ( "'" === $literal[0] ) {
		return preg_replace( '/\\\\([\\\\\'])/', '$1', $body );
	}
	return stripcslashes( $body );
}

// The POT against the code: every literal gettext call with the fastbeat domain is in it.
$pot     = $read( 'languages/fastbeat.pot' );
$in_pot  = function ( $msgid, $ctx ) use ( $pot ) {
	$esc = fn( $s ) => str_replace( array( '\\', '"', "\n", "\t" ), array( '\\\\', '\\"', '\\n', '\\t' ), $s );
	$key = ( null !== $ctx ? 'msgctxt "' . $esc( $ctx ) . "\"\n" : '' ) . 'msgid "' . $esc( $msgid ) . '"';
	return false !== strpos( $pot, "\n" . $key . "\n" );
};
$specs   = array(
	'__'         => array( 1, null ),
	'_e'         => array( 1, null ),
	'esc_html__' => array( 1, null ),
	'esc_html_e' => array( 1, null ),
	'esc_attr__' => array( 1, null ),
	'esc_attr_e' => array( 1, null ),
	'_x'         => array( 1, 2 ),
	'_ex'        => array( 1, 2 ),
	'esc_html_x' => array( 1, 2 ),
	'esc_attr_x' => array( 1, 2 ),
	'_n'         => array( 1, null ),
	'_nx'        => array( 1, 4 ),
);
$calls   = 0;
$missing = array();
foreach ( $shipped as $rel ) {
	if ( '.php' !== substr( $rel, -4 ) ) {
		continue;
	}
	$tokens = token_get_all( $read( substr( $rel, strlen( 'fastbeat/' ) ) ) );
	$count  = count( $tokens );
	for ( $i = 0; $i < $count; $i++ ) {
		if ( ! is_array( $tokens[ $i ] ) || T_STRING !== $tokens[ $i ][0] || ! isset( $specs[ $tokens[ $i ][1] ] ) ) {
			continue;
		}
		// Arguments at depth 1: literals only (a variable cannot be extracted).
		$args  = array();
		$arg   = '';
		$depth = 0;
		$lit   = true;
		for ( $j = $i + 1; $j < $count; $j++ ) {
			$t = $tokens[ $j ];
			if ( is_array( $t ) && T_WHITESPACE === $t[0] ) {
				continue;
			}
			$text = is_array( $t ) ? $t[1] : $t;
			if ( '(' === $text ) {
				if ( 0 === $depth++ ) {
					continue;
				}
			} elseif ( ')' === $text ) {
				if ( 0 === --$depth ) {
					$args[] = $lit ? $arg : null;
					break;
				}
			} elseif ( ',' === $text && 1 === $depth ) {
				$args[] = $lit ? $arg : null;
				$arg    = '';
				$lit    = true;
				continue;
			}
			if ( 1 === $depth && is_array( $t ) && T_CONSTANT_ENCAPSED_STRING === $t[0] && '' === $arg ) {
				$arg = fb_literal( $t[1] );
			} else {
				$lit = false;
			}
		}
		if ( 0 === $depth && $args && 'fastbeat' === end( $args ) ) {
			list( $id_arg, $ctx_arg ) = $specs[ $tokens[ $i ][1] ];
			$msgid                    = $args[ $id_arg - 1 ] ?? null;
			$ctx                      = null !== $ctx_arg ? ( $args[ $ctx_arg - 1 ] ?? null ) : null;
			if ( null === $msgid || ( null !== $ctx_arg && null === $ctx ) ) {
				continue;
			}
			++$calls;
			if ( ! $in_pot( $msgid, $ctx ) ) {
				$missing[] = "$rel: {$tokens[$i][1]}( '$msgid' )";
			}
		}
	}
}
FB::check( $calls > 50, "the code has translatable strings ($calls literal calls with the fastbeat domain)" );
FB::same( array(), $missing, "languages/fastbeat.pot holds the msgid of each of the $calls calls" );
FB::check( $in_pot( $header( $main, 'Plugin Name' ), null ) && $in_pot( $header( $main, 'Description' ), null ), 'the POT holds the plugin\'s Name and Description' );
FB::check( false !== strpos( $pot, '"X-Domain: fastbeat\n"' ) && false !== strpos( $pot, 'charset=UTF-8' ), 'the POT names its text domain and charset' );

FB::finish();
