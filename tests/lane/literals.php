<?php
/**
 * One rule, one place: the lane's rules live in the Rust crate (crates/lane), and the
 * plugin's PHP only gathers facts. This reads every string literal of the plugin's
 * runtime PHP with token_get_all() and fails on any that is one of the crate's strings
 * (`cargo run -p fastbeat-lane --example constants`) unless it is on the short, reviewed
 * list of names both sides must share (tests/lane/shared-names.txt, each with its reason).
 *
 *   php tests/lane/literals.php <constants.json>
 *
 * Last line: "N passed, N failed".
 */

$fb_repo      = dirname( __DIR__, 2 );
$fb_constants = json_decode( (string) file_get_contents( $argv[1] ?? '' ), true );
if ( ! is_array( $fb_constants ) || count( $fb_constants ) < 50 ) {
	fwrite( STDERR, "literals.php: no constants list (run the crate's constants example)\n" );
	echo "0 passed, 1 failed\n";
	exit( 1 );
}
$fb_constants = array_flip( $fb_constants );
$fb_shared    = array();
foreach ( file( __DIR__ . '/shared-names.txt' ) as $fb_line ) {
	$fb_line = trim( $fb_line );
	if ( '' === $fb_line || '#' === $fb_line[0] ) {
		continue;
	}
	$fb_shared[ strtok( $fb_line, " \t" ) ] = true;
}

$fb_files = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $fb_repo . '/wp-plugin', FilesystemIterator::SKIP_DOTS ) );
$fb_pass  = 0;
$fb_fail  = 0;
$fb_used  = array();
foreach ( $fb_files as $fb_file ) {
	$fb_path = (string) $fb_file;
	// The plugin as shipped: not its tests and development tools.
	if ( '.php' !== substr( $fb_path, -4 ) || preg_match( '#/wp-plugin/(tests|tools)/#', $fb_path ) ) {
		continue;
	}
	$fb_found = array();
	foreach ( token_get_all( (string) file_get_contents( $fb_path ) ) as $fb_token ) {
		if ( is_array( $fb_token ) && T_CONSTANT_ENCAPSED_STRING === $fb_token[0] ) {
			$fb_value = stripcslashes( substr( $fb_token[1], 1, -1 ) );
			if ( isset( $fb_constants[ $fb_value ] ) ) {
				if ( isset( $fb_shared[ $fb_value ] ) ) {
					$fb_used[ $fb_value ] = true;
				} else {
					$fb_found[] = $fb_value . ' (line ' . $fb_token[2] . ')';
				}
			}
		}
	}
	$fb_rel = substr( $fb_path, strlen( $fb_repo ) + 1 );
	if ( $fb_found ) {
		++$fb_fail;
		echo "not ok - $fb_rel holds the lane's rules: " . implode( ', ', $fb_found ) . "\n";
	} else {
		++$fb_pass;
		echo "ok - $fb_rel\n";
	}
}
// The list stays short and true: every shared name is still shared.
foreach ( array_keys( $fb_shared ) as $fb_name ) {
	if ( ! isset( $fb_constants[ $fb_name ] ) || ! isset( $fb_used[ $fb_name ] ) ) {
		++$fb_fail;
		echo "not ok - shared-names.txt lists $fb_name, which is no longer shared\n";
	} else {
		++$fb_pass;
	}
}
echo "$fb_pass passed, $fb_fail failed\n";
exit( $fb_fail ? 1 : 0 );
