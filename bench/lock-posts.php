<?php
/**
 * Posts for the benchmark's post-editor beat: `php lock-posts.php N` makes sure N draft posts
 * by the test bed admin exist (slugs fb-bench-lock-001 ...; created once, kept in the
 * benchmark's own test bed) and prints their IDs as a JSON array.
 *
 * Why several: WordPress writes the post lock ("<time>:<user>") only when it changes, i.e.
 * at most once a second per post. A real editor beats every 10 s and writes every time; the
 * benchmark beats dozens of times a second, so it rotates over enough posts that each beat
 * finds its post's lock older than a second and writes it, as in real life.
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$fbl_n    = max( 1, (int) ( $argv[1] ?? 300 ) );
$fbl_host = (string) getenv( 'FASTBEAT_SITE_HOST' );
if ( '' === $fbl_host || ! getenv( 'FASTBEAT_WP_DIR' ) ) {
	fwrite( STDERR, basename( __FILE__ ) . ": FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	exit( 1 );
}

$_SERVER['HTTP_HOST']      = $fbl_host;
$_SERVER['SERVER_NAME']    = '127.0.0.1';
$_SERVER['SERVER_PORT']    = substr( strrchr( $fbl_host, ':' ), 1 );
// A multisite network's site: FASTBEAT_SITE_PATH (default /).
$_SERVER['REQUEST_URI']    = getenv( 'FASTBEAT_SITE_PATH' ) ? (string) getenv( 'FASTBEAT_SITE_PATH' ) : '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

require getenv( 'FASTBEAT_WP_DIR' ) . '/wp-load.php';

global $wpdb;
$fbl_admin = get_user_by( 'login', getenv( 'FASTBEAT_ADMIN_USER' ) ? getenv( 'FASTBEAT_ADMIN_USER' ) : 'admin' );
if ( ! $fbl_admin ) {
	fwrite( STDERR, "lock-posts.php: no admin user\n" );
	exit( 1 );
}
$fbl_existing = $wpdb->get_results( "SELECT post_name, ID FROM {$wpdb->posts} WHERE post_type = 'post' AND post_name LIKE 'fb-bench-lock-%'", OBJECT_K );
$fbl_ids      = array();
for ( $i = 1; $i <= $fbl_n; $i++ ) {
	$slug = sprintf( 'fb-bench-lock-%03d', $i );
	if ( isset( $fbl_existing[ $slug ] ) ) {
		$fbl_ids[] = (int) $fbl_existing[ $slug ]->ID;
		continue;
	}
	$id = wp_insert_post(
		array(
			'post_type'    => 'post',
			'post_status'  => 'draft',
			'post_author'  => $fbl_admin->ID,
			'post_title'   => "Benchmark lock post $i",
			'post_content' => 'Benchmark post for the post-editor beat.',
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, 'lock-posts.php: ' . $id->get_error_message() . "\n" );
		exit( 1 );
	}
	$wpdb->update( $wpdb->posts, array( 'post_name' => $slug ), array( 'ID' => $id ) );
	$fbl_ids[] = (int) $id;
}
echo wp_json_encode( $fbl_ids ), "\n";
