<?php
/**
 * Applies a php-tests/versions/<x.y>.diff (made by make.py) to a staged copy of the suite:
 *
 *   php apply.php <diff> <directory>
 *
 * Exact only: every context and removed line must be there as written, at the hunk's
 * line (no fuzz, no offsets), or it fails, naming the test: the .phpt changed since the
 * diff was made, so make.py must be run again for that release line.
 */

if ( $argc !== 3 ) {
	fwrite( STDERR, "usage: php apply.php <diff> <directory>\n" );
	exit( 2 );
}
$fb_diff = file_get_contents( $argv[1] );
$fb_dir  = rtrim( $argv[2], '/' );
if ( false === $fb_diff ) {
	fwrite( STDERR, "apply.php: cannot read {$argv[1]}\n" );
	exit( 1 );
}

function fb_apply_fail( $msg ) {
	fwrite( STDERR, "apply.php: $msg\n" );
	exit( 1 );
}

$fb_lines = explode( "\n", $fb_diff );
$fb_n     = count( $fb_lines );
$fb_count = 0;
for ( $i = 0; $i < $fb_n; ) {
	if ( 0 !== strpos( $fb_lines[ $i ], '--- a/' ) ) {
		++$i; // Comments before the first file, and the trailing empty line.
		continue;
	}
	$name = substr( $fb_lines[ $i ], 6 );
	if ( ! isset( $fb_lines[ $i + 1 ] ) || '+++ b/' . $name !== $fb_lines[ $i + 1 ] || basename( $name ) !== $name ) {
		fb_apply_fail( "malformed file header at line " . ( $i + 1 ) );
	}
	$path = "$fb_dir/$name";
	$text = is_file( $path ) ? file_get_contents( $path ) : false;
	if ( false === $text ) {
		fb_apply_fail( "$name: no such test (run php-tests/versions/make.py again)" );
	}
	$old = explode( "\n", $text );
	$new = array();
	$pos = 0; // Lines of $old consumed.
	$i  += 2;
	while ( $i < $fb_n && preg_match( '/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@/', $fb_lines[ $i ], $m ) ) {
		$start    = (int) $m[1];
		$old_left = isset( $m[2] ) && '' !== $m[2] ? (int) $m[2] : 1;
		$new_left = isset( $m[3] ) ? (int) $m[3] : 1;
		// An empty old range is numbered from the line before it.
		$from = 0 === $old_left ? $start : $start - 1;
		if ( $from < $pos || $from > count( $old ) ) {
			fb_apply_fail( "$name: hunk at line " . ( $i + 1 ) . ' out of order' );
		}
		$new = array_merge( $new, array_slice( $old, $pos, $from - $pos ) );
		$pos = $from;
		for ( ++$i; $old_left > 0 || $new_left > 0; ++$i ) {
			$l  = $i < $fb_n ? $fb_lines[ $i ] : '';
			$op = '' === $l ? '' : $l[0];
			if ( '+' === $op && $new_left > 0 ) {
				$new[] = (string) substr( $l, 1 );
				--$new_left;
			} elseif ( ( ' ' === $op || '-' === $op ) && $old_left > 0 ) {
				if ( ! array_key_exists( $pos, $old ) || $old[ $pos ] !== (string) substr( $l, 1 ) ) {
					fb_apply_fail( "$name: line " . ( $pos + 1 ) . ' is not as the diff expects (the test changed: run php-tests/versions/make.py again)' );
				}
				if ( ' ' === $op ) {
					$new[] = $old[ $pos ];
					--$new_left;
				}
				--$old_left;
				++$pos;
			} else {
				fb_apply_fail( "$name: hunk ending at line " . ( $i + 1 ) . ' is short' );
			}
		}
	}
	$new = array_merge( $new, array_slice( $old, $pos ) );
	file_put_contents( $path, implode( "\n", $new ) );
	++$fb_count;
}
echo "$fb_count\n";
