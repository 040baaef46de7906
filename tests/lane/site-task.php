<?php
/**
 * Changes the test bed site the way a site owner does, through WordPress's own functions
 * (so its hooks fire as they would from wp-admin or WP-CLI):
 *
 *   php tests/lane/site-task.php activate <plugin file>      # e.g. fx-x/fx-x.php
 *   php tests/lane/site-task.php deactivate <plugin file>
 *   php tests/lane/site-task.php switch-theme <stylesheet>
 *
 * Prints "ok" or exits non-zero. Used by tests/lane/deployed.py.
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}
$fb_host  = (string) getenv( 'FASTBEAT_SITE_HOST' );
$fb_wpdir = (string) getenv( 'FASTBEAT_WP_DIR' );
if ( '' === $fb_host || '' === $fb_wpdir ) {
	fwrite( STDERR, "site-task.php: FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	exit( 1 );
}
$_SERVER['HTTP_HOST']      = $fb_host;
$_SERVER['SERVER_NAME']    = '127.0.0.1';
$_SERVER['SERVER_PORT']    = substr( strrchr( $fb_host, ':' ), 1 );
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require $fb_wpdir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$fb_task = isset( $argv[1] ) ? $argv[1] : '';
$fb_arg  = isset( $argv[2] ) ? $argv[2] : '';
switch ( $fb_task ) {
	case 'activate':
		$fb_result = activate_plugin( $fb_arg );
		if ( is_wp_error( $fb_result ) ) {
			fwrite( STDERR, $fb_result->get_error_message() . "\n" );
			exit( 1 );
		}
		break;
	case 'deactivate':
		deactivate_plugins( $fb_arg );
		break;
	case 'switch-theme':
		switch_theme( $fb_arg );
		break;
	default:
		fwrite( STDERR, "usage: site-task.php activate|deactivate <plugin> | switch-theme <stylesheet>\n" );
		exit( 2 );
}
echo "ok\n";
