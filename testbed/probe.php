<?php
/**
 * Test bed probe, served by nginx at /__fastbeat-testbed/probe.php on every variant port
 * (outside WordPress' docroot). Reports which variant answered and whether the extension
 * and the plugin are loaded. With ?wp=1 it boots WordPress (front end) to check the plugin.
 */
header( 'Content-Type: application/json' );
$out = array(
	'variant'          => (string) getenv( 'FASTBEAT_TESTBED_VARIANT' ),
	'pid'              => getmypid(),
	'php'              => PHP_VERSION,
	'sapi'             => PHP_SAPI,
	'extension_loaded' => extension_loaded( 'fastbeat' ),
	'fastbeat_version' => function_exists( 'fastbeat_version' ) ? fastbeat_version() : null,
	// A JSON string; builds from before the evidence-based manifest returned an array.
	'lane'             => function_exists( 'fastbeat_lane_status' ) ? ( is_string( $fastbeat_lane = fastbeat_lane_status() ) ? json_decode( $fastbeat_lane, true ) : $fastbeat_lane ) : null,
	'opcache'          => function_exists( 'opcache_get_status' ) && is_array( @opcache_get_status( false ) ),
	'plugin_active'    => null,
	'plugin_loaded'    => null,
	'wp_version'       => null,
);
if ( ! empty( $_GET['wp'] ) ) {
	// The test bed's WordPress is nginx's document root (FASTBEAT_WP_DIR).
	require rtrim( $_SERVER['DOCUMENT_ROOT'], '/' ) . '/wp-load.php';
	$out['wp_version']    = $GLOBALS['wp_version'];
	// What the test bed variants change (testbed/env.sh FASTBEAT_VARIANT).
	$out['is_ssl']    = is_ssl();
	$out['multisite'] = is_multisite();
	// The drop-in in place and its Redis reachable from this PHP (phpredis, the socket).
	$out['object_cache'] = wp_using_ext_object_cache() && defined( 'WP_REDIS_SOCKET' ) && class_exists( 'Redis' )
		&& ( new Redis() )->connect( WP_REDIS_SOCKET );
	$out['plugin_active'] = in_array( 'fastbeat/fastbeat.php', (array) get_option( 'active_plugins' ), true );
	$dir                  = realpath( WP_PLUGIN_DIR . '/fastbeat' );
	$out['plugin_loaded'] = false;
	if ( $dir ) {
		foreach ( get_included_files() as $file ) {
			if ( 0 === strpos( $file, $dir . '/' ) ) {
				$out['plugin_loaded'] = true;
				break;
			}
		}
	}
}
echo json_encode( $out );
