<?php
/**
 * Static checks of the plugin's WordPress packaging: main file header,
 * readme.txt format and its agreement with the header, direct-access guards,
 * guarded calls into the extension, .distignore.
 *
 *   php meta-check.php      Ends with "N passed, N failed".
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

require_once __DIR__ . '/lib/class-fb.php';

$dir  = dirname( __DIR__ );
$main = file_get_contents( "$dir/fastbeat.php" );

/**
 * A header field as WordPress's get_file_data() reads it.
 *
 * @param string $text  File contents.
 * @param string $field Field name.
 * @return string|null
 */
function fb_header( $text, $field ) {
	if ( preg_match( '/^(?:[ \t]*<\?php)?[ \t\/*#@]*' . preg_quote( $field, '/' ) . ':(.*)$/mi', substr( $text, 0, 8192 ), $m ) ) {
		return trim( preg_replace( '/\s*(?:\*\/|\?>).*/', '', $m[1] ) );
	}
	return null;
}

FB::section( 'main file header' );
$header = array();
foreach ( array( 'Plugin Name', 'Description', 'Version', 'Requires at least', 'Requires PHP', 'Author', 'License', 'License URI', 'Text Domain' ) as $field ) {
	$header[ $field ] = fb_header( $main, $field );
	FB::check( null !== $header[ $field ] && '' !== $header[ $field ], "fastbeat.php has '$field'" );
}
FB::same( 'Fastbeat', $header['Plugin Name'], 'Plugin Name' );
FB::same( 'fastbeat', $header['Text Domain'], 'Text Domain is the slug' );
FB::check( strlen( (string) $header['Description'] ) <= 140, 'Description is at most 140 characters (' . strlen( (string) $header['Description'] ) . ')' );
FB::same( null, fb_header( $main, 'Network' ), 'no "Network: true": the plugin can be activated per site or network-wide' );
FB::same( null, fb_header( $main, 'Textdomain' ), 'no misspelt "Textdomain" header' );
FB::check( (bool) preg_match( "/define\\( 'FASTBEAT_PLUGIN_VERSION', '" . preg_quote( (string) $header['Version'], '/' ) . "' \\);/", $main ), 'FASTBEAT_PLUGIN_VERSION matches the Version header' );
FB::check( (bool) preg_match( '/^\d+\.\d+\.\d+$/', (string) $header['Version'] ), 'Version is semantic' );

FB::section( 'readme.txt' );
$readme = file_get_contents( "$dir/readme.txt" );
FB::check( 0 === strpos( $readme, "=== Fastbeat ===\n" ), 'starts with "=== Fastbeat ==="' );
$fields = array();
foreach ( array( 'Contributors', 'Tags', 'Tested up to', 'Stable tag', 'License', 'License URI' ) as $field ) {
	$fields[ $field ] = preg_match( '/^' . preg_quote( $field, '/' ) . ':[ \t]*(.+)$/mi', $readme, $m ) ? trim( $m[1] ) : null;
	FB::check( null !== $fields[ $field ], "readme.txt has '$field'" );
}
FB::same( $header['Version'], $fields['Stable tag'], 'Stable tag equals the plugin Version' );
FB::check( (bool) preg_match( '/^\d+\.\d+$/', (string) $fields['Tested up to'] ), 'Tested up to is a major.minor WordPress version' );
// One place per value: WordPress (5.8+) and WordPress.org read the requirements from the main
// file's header; the release zip's readme.txt gets them from there (tools/plugin-zip.sh).
foreach ( array( 'Requires at least', 'Requires PHP' ) as $field ) {
	FB::check( ! preg_match( '/^' . preg_quote( $field, '/' ) . ':/mi', $readme ), "readme.txt leaves '$field' to fastbeat.php's header" );
}
FB::check( count( array_filter( array_map( 'trim', explode( ',', (string) $fields['Tags'] ) ) ) ) <= 5, 'at most 5 tags' );
$parts = preg_split( '/^== /m', $readme, 2 );
$intro = preg_split( "/\n\s*\n/", trim( $parts[0] ) );
$short = isset( $intro[1] ) ? trim( $intro[1] ) : '';
FB::check( '' !== $short && strlen( $short ) <= 150 && false === strpos( $short, "\n" ), 'short description: one line, at most 150 characters (' . strlen( $short ) . ')', $short );
foreach ( array( 'Description', 'Installation', 'Frequently Asked Questions', 'Changelog', 'Upgrade Notice' ) as $section ) {
	FB::check( false !== strpos( $readme, "\n== $section ==\n" ), "section '== $section =='" );
}
FB::check( false !== strpos( $readme, "\n= {$header['Version']} =\n" ), "the changelog has an entry for {$header['Version']}" );

FB::section( 'shipped PHP files' );
$ignore = array();
foreach ( file( "$dir/.distignore", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
	if ( '#' !== $line[0] ) {
		$ignore[] = trim( $line, '/' );
	}
}
FB::check( in_array( 'tests', $ignore, true ) && in_array( 'tools', $ignore, true ), '.distignore leaves tests/ and tools/ out of releases' );
$shipped = array();
$iter    = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $dir, FilesystemIterator::SKIP_DOTS ) );
foreach ( $iter as $file ) {
	$rel = substr( $file->getPathname(), strlen( $dir ) + 1 );
	$top = explode( '/', $rel )[0];
	if ( 'php' === $file->getExtension() && ! in_array( $top, $ignore, true ) ) {
		$shipped[] = $rel;
	}
}
sort( $shipped );
$required = array( 'fastbeat.php', 'includes/admin.php', 'includes/messages.php', 'includes/site-health.php', 'includes/wiring.php', 'uninstall.php' );
FB::same( array(), array_values( array_diff( $required, $shipped ) ), 'the release ships ' . implode( ', ', $required ) );
foreach ( $shipped as $rel ) {
	// Files WordPress includes must refuse a direct request first. Other entry
	// points are requested directly by scenarios.php and must not fail there.
	if ( 'fastbeat.php' !== $rel && 'uninstall.php' !== $rel && 0 !== strpos( $rel, 'includes/' ) ) {
		continue;
	}
	$code  = file_get_contents( "$dir/$rel" );
	$guard = 'uninstall.php' === $rel ? "if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {\n\texit;\n}" : "if ( ! defined( 'ABSPATH' ) ) {\n\texit;\n}";
	// The guard must be the first statement after the file's doc comment.
	$body = preg_replace( '#^<\?php\s*/\*\*.*?\*/\s*#s', '', $code );
	FB::check( 0 === strpos( $body, $guard ), "$rel: direct access guard is the first statement" );
	FB::check( false === strpos( $code, 'fastbeat.stub.php' ), "$rel: never loads the IDE stubs" );
}

FB::section( 'calls into the extension are guarded' );
$all = '';
foreach ( $shipped as $rel ) {
	// What WordPress loads as the plugin (other entry points are run by the extension itself).
	if ( 'fastbeat.php' === $rel || 'uninstall.php' === $rel || 0 === strpos( $rel, 'includes/' ) ) {
		$all .= file_get_contents( "$dir/$rel" );
	}
}
foreach ( array( 'fastbeat_heartbeat', 'fastbeat_nopriv_heartbeat' ) as $native ) {
	FB::same( 0, preg_match_all( '/(?<![\w\'$>])' . $native . '\s*\(/', $all ), "$native() is never called by the plugin (core's hook calls it)" );
}
preg_match_all( '/(?<![\w\'$>])fastbeat_version\s*\(/', $all, $calls, PREG_OFFSET_CAPTURE );
FB::same( 1, count( $calls[0] ), 'fastbeat_version() is called in one place' );
if ( $calls[0] ) {
	$before = substr( $all, max( 0, $calls[0][0][1] - 200 ), 200 );
	FB::check( false !== strpos( $before, "function_exists( 'fastbeat_version' )" ), '... right after function_exists( \'fastbeat_version\' )' );
}

FB::finish();
