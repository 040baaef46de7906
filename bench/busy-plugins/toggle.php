<?php
/**
 * Activate / deactivate the benchmark's synthetic busy plugins on the test bed site.
 *
 *   php toggle.php on <basename>...   saves the original active_plugins (once) to
 *                                      <FASTBEAT_TESTBED_DIR>/bench-busy-state.json,
 *                                      then activates the plugins (activation hooks run)
 *   php toggle.php off                 deactivates every fastbeat-busy-* plugin (their
 *                                      deactivation hooks clean up), restores the saved
 *                                      active_plugins exactly, deletes anything left with
 *                                      the fbb prefix (options, transients, cron events)
 *                                      and the state file. Safe to run any number of times.
 *   php toggle.php status              prints {"active_busy":N,"active":[...]} as JSON
 *
 * Boots WordPress like testbed/install.php (Host from FASTBEAT_SITE_HOST).
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$fbb_cmd  = isset( $argv[1] ) ? $argv[1] : '';
$fbb_host = (string) getenv( 'FASTBEAT_SITE_HOST' );
if ( '' === $fbb_host || ! getenv( 'FASTBEAT_WP_DIR' ) ) {
	fwrite( STDERR, basename( __FILE__ ) . ": FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	exit( 1 );
}

$_SERVER['HTTP_HOST']      = $fbb_host;
$_SERVER['SERVER_NAME']    = '127.0.0.1';
$_SERVER['SERVER_PORT']    = substr( strrchr( $fbb_host, ':' ), 1 );
$_SERVER['REQUEST_URI']    = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';

require getenv( 'FASTBEAT_WP_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

function fbb_fail( $msg ) {
	fwrite( STDERR, "busy-plugins/toggle.php: $msg\n" );
	exit( 1 );
}

function fbb_is_busy( $basename ) {
	return 0 === strpos( $basename, 'fastbeat-busy-' );
}

$fbb_state = FASTBEAT_TESTBED_DIR . '/bench-busy-state.json';

if ( 'on' === $fbb_cmd ) {
	$plugins = array_slice( $argv, 2 );
	if ( ! $plugins ) {
		fbb_fail( 'on: no plugins given' );
	}
	if ( ! is_file( $fbb_state ) ) {
		$active = array_values( array_filter( (array) get_option( 'active_plugins', array() ), static function ( $p ) {
			return ! fbb_is_busy( $p );
		} ) );
		file_put_contents( $fbb_state, wp_json_encode( array( 'active_plugins' => $active ) ) );
	}
	$result = activate_plugins( $plugins, '', false, false );
	if ( is_wp_error( $result ) ) {
		fbb_fail( 'activate_plugins: ' . implode( '; ', $result->get_error_messages() ) );
	}
	$n = count( array_filter( (array) get_option( 'active_plugins' ), 'fbb_is_busy' ) );
	echo wp_json_encode( array( 'active_busy' => $n ) ), "\n";
	exit( 0 );
}

if ( 'off' === $fbb_cmd ) {
	global $wpdb;
	$busy = array_values( array_filter( (array) get_option( 'active_plugins', array() ), 'fbb_is_busy' ) );
	$busy = array_values( array_filter( $busy, static function ( $p ) {
		return is_file( WP_PLUGIN_DIR . '/' . $p );
	} ) );
	if ( $busy ) {
		deactivate_plugins( $busy, false, false );
	}
	if ( is_file( $fbb_state ) ) {
		$saved = json_decode( (string) file_get_contents( $fbb_state ), true );
		if ( is_array( $saved ) && isset( $saved['active_plugins'] ) && is_array( $saved['active_plugins'] ) ) {
			update_option( 'active_plugins', $saved['active_plugins'] );
		}
	}
	// Whatever is still listed with the busy prefix (e.g. files already removed) goes too.
	$left = (array) get_option( 'active_plugins', array() );
	if ( array_filter( $left, 'fbb_is_busy' ) ) {
		update_option( 'active_plugins', array_values( array_filter( $left, static function ( $p ) {
			return ! fbb_is_busy( $p );
		} ) ) );
	}
	// Safety net: options, transients, cron events and user meta with the fbb prefix.
	$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name REGEXP '^(_transient_|_transient_timeout_)?fbb[0-9]+_'" );
	$wpdb->query( "DELETE FROM {$wpdb->usermeta} WHERE meta_key REGEXP '^fbb[0-9]+_'" );
	$cron = _get_cron_array();
	if ( is_array( $cron ) ) {
		$changed = false;
		foreach ( $cron as $ts => $hooks ) {
			foreach ( array_keys( (array) $hooks ) as $hook ) {
				if ( preg_match( '/^fbb[0-9]+_/', $hook ) ) {
					unset( $cron[ $ts ][ $hook ] );
					$changed = true;
				}
			}
			if ( empty( $cron[ $ts ] ) ) {
				unset( $cron[ $ts ] );
			}
		}
		if ( $changed ) {
			_set_cron_array( $cron );
		}
	}
	wp_cache_flush();
	@unlink( $fbb_state );
	$n = count( array_filter( (array) get_option( 'active_plugins' ), 'fbb_is_busy' ) );
	echo wp_json_encode( array( 'active_busy' => $n ) ), "\n";
	exit( 0 );
}

if ( 'status' === $fbb_cmd ) {
	$active = array_values( (array) get_option( 'active_plugins', array() ) );
	echo wp_json_encode(
		array(
			'active_busy' => count( array_filter( $active, 'fbb_is_busy' ) ),
			'active'      => $active,
		)
	), "\n";
	exit( 0 );
}

fbb_fail( 'usage: toggle.php on <basename>... | off | status' );
