<?php
/**
 * Checks fastbeat.stub.php against the built extension (`php --re fastbeat`).
 *
 * Usage:
 *   php stub-check.php <path/to/libfastbeat.so> <path/to/fastbeat.stub.php>
 *   php stub-check.php --generate <path/to/libfastbeat.so>   (prints a stub skeleton)
 *
 * Both sides are rendered by PHP's Reflection in the same text format: the
 * extension with `php -n -d extension=… --re fastbeat`, the stub with
 * ReflectionFunction::__toString() in a separate `php -n` process that has no
 * extension loaded (loading both would redeclare the functions). Compared:
 * the set of functions, each one's parameters (names, types, by-reference,
 * variadic, optional, defaults) and return type, and the sets of constants
 * and classes. The extension must load: `php --ri fastbeat` must succeed.
 *
 * @package fastbeat
 */

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}

/**
 * Runs a command, returns [exit code, stdout].
 *
 * @param string[] $argv Command and arguments.
 * @return array{0: int, 1: string}
 */
function stub_check_run( array $argv ): array {
	$cmd  = implode( ' ', array_map( 'escapeshellarg', $argv ) ) . ' 2>&1';
	$out  = array();
	$code = 0;
	exec( $cmd, $out, $code );
	return array( $code, implode( "\n", $out ) );
}

/**
 * Parses Reflection text (`--re` output or ReflectionFunction::__toString()).
 *
 * @param string $text Reflection output.
 * @return array{functions: array<string, string>, constants: string[], classes: string[]}
 */
function stub_check_parse( string $text ): array {
	$result    = array(
		'functions' => array(),
		'constants' => array(),
		'classes'   => array(),
	);
	$lines     = preg_split( '/\R/', $text );
	$current   = null;
	$in_params = false;
	$params    = array();
	$return    = 'none';
	foreach ( $lines as $line ) {
		$line = trim( $line );
		if ( preg_match( '/^Function \[ <[^>]+> function (\w+) \] \{$/', $line, $m ) ) {
			$current = $m[1];
			$params  = array();
			$return  = '(no return type)';
			continue;
		}
		if ( null !== $current && preg_match( '/^- Parameters \[\d+\] \{$/', $line ) ) {
			$in_params = true;
			continue;
		}
		if ( null !== $current && preg_match( '/^Parameter #\d+ \[ (<(?:required|optional)> .*) \]$/', $line, $m ) ) {
			$params[] = $m[1];
			continue;
		}
		if ( null !== $current && preg_match( '/^- (Tentative return|Return) \[ (.*) \]$/', $line, $m ) ) {
			$return = ( 'Tentative return' === $m[1] ? 'tentative ' : '' ) . $m[2];
			continue;
		}
		if ( null !== $current && '}' === $line ) {
			if ( $in_params ) {
				$in_params = false;
				continue;
			}
			$result['functions'][ $current ] = $current . '(' . implode( ', ', $params ) . '): ' . $return;
			$current                         = null;
			continue;
		}
		if ( preg_match( '/^Constant \[ (?:[\w ]+?) (\w+) \]/', $line, $m ) ) {
			$result['constants'][] = $m[1];
		}
		if ( preg_match( '/^Class \[ <[^>]+> (?:[\w ]+ )?(?:class|interface|trait|enum) ([\w\\\\]+)/', $line, $m ) ) {
			$result['classes'][] = $m[1];
		}
	}
	sort( $result['constants'] );
	sort( $result['classes'] );
	ksort( $result['functions'] );
	return $result;
}

$php = PHP_BINARY;

if ( isset( $argv[1] ) && '--generate' === $argv[1] && isset( $argv[2] ) ) {
	$code             = 'foreach ( get_extension_funcs( "fastbeat" ) ?: array() as $f ) {'
		. ' $r = new ReflectionFunction( $f ); $p = array();'
		. ' foreach ( $r->getParameters() as $a ) {'
		. '  $p[] = ( $a->hasType() ? $a->getType() . " " : "" ) . ( $a->isPassedByReference() ? "&" : "" ) . ( $a->isVariadic() ? "..." : "" ) . "$" . $a->getName()'
		. '   . ( $a->isDefaultValueAvailable() ? " = " . var_export( $a->getDefaultValue(), true ) : "" ); }'
		. ' $t = $r->hasReturnType() ? ": " . $r->getReturnType() : "";'
		. ' echo "/**\n * TODO: describe.\n */\nfunction $f(" . implode( ", ", $p ) . ")$t {}\n\n"; }';
	list( $rc, $out ) = stub_check_run( array( $php, '-n', '-d', 'extension=' . $argv[2], '-r', $code ) );
	echo "<?php\n", $out, "\n";
	exit( $rc );
}

if ( count( $argv ) !== 3 ) {
	fwrite( STDERR, "usage: php stub-check.php <libfastbeat.so> <fastbeat.stub.php>\n" );
	exit( 2 );
}
list( , $so, $stub ) = $argv;

$passed = 0;
$failed = 0;
$check  = static function ( bool $ok, string $name, string $detail = '' ) use ( &$passed, &$failed ) {
	if ( $ok ) {
		++$passed;
		echo "ok - $name\n";
	} else {
		++$failed;
		echo "not ok - $name\n";
		if ( '' !== $detail ) {
			echo '  ', str_replace( "\n", "\n  ", rtrim( $detail ) ), "\n";
		}
	}
};
$finish = static function () use ( &$passed, &$failed ) {
	echo "$passed passed, $failed failed\n";
	exit( $failed > 0 ? 1 : 0 );
};

$check( is_file( $so ), "extension file exists ($so)" );
$check( is_file( $stub ), "stub file exists ($stub)" );
if ( $failed ) {
	$finish();
}

list( $rc, $info ) = stub_check_run( array( $php, '-n', '-d', 'extension=' . $so, '--ri', 'fastbeat' ) );
$check( 0 === $rc && false !== strpos( $info, 'fastbeat' ), 'extension loads (php --ri fastbeat)', $info );
if ( $failed ) {
	$finish();
}

list( $rc, $re ) = stub_check_run( array( $php, '-n', '-d', 'extension=' . $so, '--re', 'fastbeat' ) );
$check( 0 === $rc, 'php --re fastbeat succeeds', $re );

list( $rc, $lint ) = stub_check_run( array( $php, '-n', '-l', $stub ) );
$check( 0 === $rc, 'stub passes php -l', $lint );

$dump                   = '$before = get_defined_functions()["user"]; $c0 = get_defined_constants(); $k0 = array_merge( get_declared_classes(), get_declared_interfaces(), get_declared_traits() );'
	. ' require $argv[1];'
	. ' foreach ( array_diff( get_defined_functions()["user"], $before ) as $f ) { echo new ReflectionFunction( $f ), "\n"; }'
	. ' foreach ( array_diff_key( get_defined_constants(), $c0 ) as $n => $v ) { echo "Constant [ stub $n ]\n"; }'
	. ' foreach ( array_diff( array_merge( get_declared_classes(), get_declared_interfaces(), get_declared_traits() ), $k0 ) as $k ) { echo "Class [ <stub> class $k ]\n"; }';
list( $rc, $stub_text ) = stub_check_run( array( $php, '-n', '-r', $dump, $stub ) );
$check( 0 === $rc, 'stub loads without the extension', $stub_text );

$ext   = stub_check_parse( $re );
$mine  = stub_check_parse( $stub_text );
$names = array_unique( array_merge( array_keys( $ext['functions'] ), array_keys( $mine['functions'] ) ) );
sort( $names );

$check( count( $ext['functions'] ) > 0, 'extension declares functions', $re );
foreach ( $names as $name ) {
	if ( ! isset( $mine['functions'][ $name ] ) ) {
		$check( false, "stub declares $name()", 'extension: ' . $ext['functions'][ $name ] );
		continue;
	}
	if ( ! isset( $ext['functions'][ $name ] ) ) {
		$check( false, "extension declares $name() (the stub does)", 'stub: ' . $mine['functions'][ $name ] );
		continue;
	}
	$check(
		$ext['functions'][ $name ] === $mine['functions'][ $name ],
		"signature of $name()",
		'extension: ' . $ext['functions'][ $name ] . "\nstub:      " . $mine['functions'][ $name ]
	);
}
$check( $ext['constants'] === $mine['constants'], 'same constants', 'extension: ' . implode( ', ', $ext['constants'] ) . "\nstub: " . implode( ', ', $mine['constants'] ) );
$check( $ext['classes'] === $mine['classes'], 'same classes', 'extension: ' . implode( ', ', $ext['classes'] ) . "\nstub: " . implode( ', ', $mine['classes'] ) );
$finish();
