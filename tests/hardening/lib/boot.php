<?php
/**
 * Boots the test bed's real WordPress in a CLI process, as admin-ajax.php would
 * (DOING_AJAX, WP_ADMIN), for the in-process hardening scripts. Needs the test bed
 * (testbed/up.sh): FASTBEAT_SITE_HOST selects its config, FASTBEAT_WP_DIR its WordPress
 * (testbed/env.sh sets both).
 *
 * Helpers:
 *   fbh_login( $user_id )        log a user in for this process with a real session
 *                                token in the logged_in cookie; returns the token.
 *   fbh_run( $callable )         run a heartbeat handler and return its output; the
 *                                request ends at the first wp_send_json() (the
 *                                wp_die_ajax_handler throws Fbh_Died), as over HTTP.
 *   fbh_errors()                 PHP errors raised since the last call (and clears them).
 *   fbh_result( $passed, $failed ) prints "N passed, N failed" and exits.
 */

if ( ! extension_loaded( 'fastbeat' ) ) {
	fwrite( STDERR, basename( $_SERVER['argv'][0] ?? 'hardening' ) . ": the fastbeat extension is not loaded (php -d extension=target/release/libfastbeat.so)\n" );
	echo "0 passed, 1 failed\n";
	exit( 1 );
}

// The handlers are called directly, so the plugin's wiring is not needed; keeping it out
// (the test bed mu-plugin filters it on the "ext-only" variant) makes these runs independent
// of plugin work in progress. FBH_WITH_PLUGIN=1 keeps it.
if ( ! getenv( 'FBH_WITH_PLUGIN' ) ) {
	putenv( 'FASTBEAT_TESTBED_VARIANT=ext-only' );
}
if ( ! getenv( 'FASTBEAT_SITE_HOST' ) || ! getenv( 'FASTBEAT_WP_DIR' ) ) {
	fwrite( STDERR, "hardening: FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	echo "0 passed, 1 failed\n";
	exit( 1 );
}
$_SERVER['HTTP_HOST']      = getenv( 'FASTBEAT_SITE_HOST' );
$_SERVER['REQUEST_METHOD'] = 'POST';
$_SERVER['REQUEST_URI']    = '/wp-admin/admin-ajax.php';
define( 'DOING_AJAX', true );
define( 'WP_ADMIN', true );
require getenv( 'FASTBEAT_WP_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/ajax-actions.php';

/** Thrown by the wp_die_ajax_handler: the request is over. */
class Fbh_Died extends Exception {}

add_filter(
	'wp_die_ajax_handler',
	static function () {
		return static function () {
			throw new Fbh_Died();
		};
	}
);

$GLOBALS['fbh_errors'] = array();
set_error_handler(
	static function ( $no, $str ) {
		$GLOBALS['fbh_errors'][] = "$no: $str";
		return true;
	}
);

function fbh_errors() {
	$e                     = $GLOBALS['fbh_errors'];
	$GLOBALS['fbh_errors'] = array();
	return $e;
}

function fbh_login( $user_id ) {
	wp_set_current_user( $user_id );
	if ( ! $user_id ) {
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		return '';
	}
	$expiration                  = time() + DAY_IN_SECONDS;
	$token                       = WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
	$_COOKIE[ LOGGED_IN_COOKIE ] = wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token );
	return $token;
}

function fbh_logout_all( array $tokens ) {
	foreach ( $tokens as $uid => $list ) {
		foreach ( (array) $list as $t ) {
			WP_Session_Tokens::get_instance( $uid )->destroy( $t );
		}
	}
}

function fbh_run( $fn ) {
	ob_start();
	try {
		$fn();
	} catch ( Fbh_Died $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement
	}
	return ob_get_clean();
}

function fbh_result( $passed, $failed ) {
	echo "$passed passed, $failed failed\n";
	exit( $failed ? 1 : 0 );
}
