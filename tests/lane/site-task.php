<?php
/**
 * Changes the test bed site the way a site owner does, through WordPress's own functions
 * (so its hooks fire as they would from wp-admin or WP-CLI):
 *
 *   php tests/lane/site-task.php activate <plugin file>      # e.g. fx-x/fx-x.php
 *   php tests/lane/site-task.php deactivate <plugin file>
 *   php tests/lane/site-task.php switch-theme <stylesheet>
 *
 * On a multisite network (testbed/env.sh FASTBEAT_VARIANT=multisite) the site is the one
 * FASTBEAT_SITE_PATH names (default /), and also:
 *
 *   php tests/lane/site-task.php activate-network <plugin file>     # network-wide
 *   php tests/lane/site-task.php deactivate-network <plugin file>
 *   php tests/lane/site-task.php site-status <path> archived|public|deleted|spam|mature 0|1
 *                                                  # update_blog_status() (wp_update_site())
 *
 * With a persistent object cache (FASTBEAT_VARIANT=redis), what a full WordPress request
 * reads through it:
 *
 *   php tests/lane/site-task.php post-meta <post id> <meta key>
 *                       # prints {"value": get_post_meta(), "last_changed": the posts group's}
 *
 * Prints "ok" or exits non-zero. Used by tests/lane/deployed.py and variants.py.
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
$_SERVER['REQUEST_URI']    = getenv( 'FASTBEAT_SITE_PATH' ) ? (string) getenv( 'FASTBEAT_SITE_PATH' ) : '/';
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
	case 'activate-network':
		$fb_result = activate_plugin( $fb_arg, '', true );
		if ( is_wp_error( $fb_result ) ) {
			fwrite( STDERR, $fb_result->get_error_message() . "\n" );
			exit( 1 );
		}
		break;
	case 'deactivate-network':
		deactivate_plugins( $fb_arg, false, true );
		break;
	case 'post-meta':
		echo wp_json_encode(
			array(
				'value'        => get_post_meta( (int) $fb_arg, isset( $argv[3] ) ? $argv[3] : '', true ),
				'last_changed' => wp_cache_get( 'last_changed', 'posts' ),
				'ext_cache'    => wp_using_ext_object_cache(),
			)
		), "\n";
		break;
	case 'site-status':
		$fb_site = get_sites(
			array(
				'domain' => $_SERVER['HTTP_HOST'],
				'path'   => $fb_arg,
				'number' => 1,
			)
		);
		$fb_site = $fb_site ? $fb_site[0] : null;
		$fb_pref = isset( $argv[3] ) ? $argv[3] : '';
		if ( ! $fb_site || ! in_array( $fb_pref, array( 'archived', 'public', 'deleted', 'spam', 'mature' ), true ) ) {
			fwrite( STDERR, "site-status: no site at $fb_arg, or not a status: $fb_pref\n" );
			exit( 1 );
		}
		update_blog_status( $fb_site->blog_id, $fb_pref, isset( $argv[4] ) ? $argv[4] : '1' );
		break;
	default:
		fwrite( STDERR, "usage: site-task.php activate|deactivate|activate-network|deactivate-network <plugin> | switch-theme <stylesheet> | site-status <path> <status> 0|1\n" );
		exit( 2 );
}
echo "ok\n";
