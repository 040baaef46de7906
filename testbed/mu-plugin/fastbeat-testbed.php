<?php
/**
 * Fastbeat test bed mu-plugin (loaded from <wp-content>/mu-plugins/fastbeat-testbed.php).
 *
 * 1. Per php-fpm variant (pool env FASTBEAT_TESTBED_VARIANT = core|fastbeat|plugin-only|ext-only)
 *    the `core` and `ext-only` variants filter fastbeat/fastbeat.php out of active_plugins
 *    (and, on a multisite network, out of active_sitewide_plugins).
 * 2. Loads fixture plugins named in the request header `X-Fastbeat-Fixture: name1,name2`
 *    from <repo>/tests/fixtures/plugins/<name>.php (names: [a-z0-9-]+), right here
 *    (mu-plugin time: before regular plugins and before pluggable.php). Names listed in
 *    `X-Fastbeat-Fixture-Late` are loaded on `plugins_loaded` (after every plugin) instead.
 *    Fixtures may read a free-form mode from `X-Fastbeat-Mode` via fastbeat_fixture_mode().
 *
 * It adds no other hook, so a request without those headers runs exactly as stock WordPress
 * (plus, on the fastbeat/plugin-only variants, the Fastbeat plugin).
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'FASTBEAT_TESTBED_VARIANT', (string) getenv( 'FASTBEAT_TESTBED_VARIANT' ) );

if ( 'core' === FASTBEAT_TESTBED_VARIANT || 'ext-only' === FASTBEAT_TESTBED_VARIANT ) {
	add_filter(
		'option_active_plugins',
		static function ( $plugins ) {
			return is_array( $plugins ) ? array_values( array_diff( $plugins, array( 'fastbeat/fastbeat.php' ) ) ) : $plugins;
		},
		PHP_INT_MAX
	);
	// A multisite test bed activates the plugin network-wide.
	add_filter(
		'site_option_active_sitewide_plugins',
		static function ( $plugins ) {
			if ( is_array( $plugins ) ) {
				unset( $plugins['fastbeat/fastbeat.php'] );
			}
			return $plugins;
		},
		PHP_INT_MAX
	);
}

// Fixtures are loaded per request by header, which Fastbeat's fast lane cannot see
// before it decides: tell it that such requests must take the full path.
add_filter(
	'fastbeat_lane_veto_server_vars',
	static function ( $vars ) {
		return array_merge( (array) $vars, array( 'HTTP_X_FASTBEAT_FIXTURE', 'HTTP_X_FASTBEAT_FIXTURE_LATE', 'HTTP_X_FASTBEAT_MODE' ) );
	}
);

if ( 'cli' === PHP_SAPI ) {
	// Provisioning from the CLI must never try to send mail.
	add_filter( 'pre_wp_mail', '__return_false' );
}

/**
 * The test mode requested for fixtures (header X-Fastbeat-Mode), or $default.
 *
 * @param string $default Returned when no mode header was sent.
 * @return string
 */
function fastbeat_fixture_mode( $default = '' ) {
	return isset( $_SERVER['HTTP_X_FASTBEAT_MODE'] ) && '' !== $_SERVER['HTTP_X_FASTBEAT_MODE']
		? (string) $_SERVER['HTTP_X_FASTBEAT_MODE']
		: $default;
}

/**
 * Fixture names from a header, validated.
 *
 * @param string $server_key Key in $_SERVER.
 * @return string[] Paths of fixture files to load.
 */
function fastbeat_testbed_fixture_files( $server_key ) {
	if ( empty( $_SERVER[ $server_key ] ) || ! is_string( $_SERVER[ $server_key ] ) ) {
		return array();
	}
	$dir   = FASTBEAT_TESTBED_REPO . '/tests/fixtures/plugins';
	$files = array();
	foreach ( explode( ',', $_SERVER[ $server_key ] ) as $name ) {
		$name = trim( $name );
		if ( '' === $name ) {
			continue;
		}
		if ( ! preg_match( '/^[a-z0-9-]+$/', $name ) || ! is_file( "$dir/$name.php" ) ) {
			// Never silently ignore a typo: fail loudly (and identically on every variant).
			header( 'X-Fastbeat-Testbed-Error: unknown fixture ' . rawurlencode( $name ) );
			status_header( 500 );
			exit( 'unknown fixture' );
		}
		$files[] = "$dir/$name.php";
	}
	return $files;
}

foreach ( fastbeat_testbed_fixture_files( 'HTTP_X_FASTBEAT_FIXTURE' ) as $fastbeat_testbed_file ) {
	require_once $fastbeat_testbed_file;
}
unset( $fastbeat_testbed_file );

if ( ! empty( $_SERVER['HTTP_X_FASTBEAT_FIXTURE_LATE'] ) ) {
	add_action(
		'plugins_loaded',
		static function () {
			foreach ( fastbeat_testbed_fixture_files( 'HTTP_X_FASTBEAT_FIXTURE_LATE' ) as $file ) {
				require_once $file;
			}
		},
		PHP_INT_MIN
	);
}
