<?php
/**
 * Wiring: decides whether Fastbeat serves heartbeats and, if so, hands core's
 * heartbeat handlers over to the extension's native functions.
 *
 * Everything here is cheap and side-effect free: no database reads or writes,
 * no output. On requests other than admin-ajax.php heartbeats it runs nothing
 * but the first check in fastbeat_plugin_wire() (hooked to `admin_init`).
 *
 * @package fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Native functions the extension must provide, by the core handler each replaces.
 *
 * @return array<string, string> Core function name => native function name.
 */
function fastbeat_plugin_native_handlers(): array {
	return array(
		'wp_ajax_heartbeat'        => 'fastbeat_heartbeat',
		'wp_ajax_nopriv_heartbeat' => 'fastbeat_nopriv_heartbeat',
	);
}

/**
 * The loaded extension's version.
 *
 * @return string Version such as "0.1.0", or '' when the extension is not loaded.
 */
function fastbeat_plugin_extension_version(): string {
	if ( ! extension_loaded( 'fastbeat' ) ) {
		return '';
	}
	$version = phpversion( 'fastbeat' );
	if ( function_exists( 'fastbeat_version' ) ) {
		try {
			$version = fastbeat_version();
		} catch ( Throwable $e ) {
			// Keep the module version: the status screens must never fail.
			unset( $e );
		}
	}
	return is_string( $version ) ? trim( $version ) : '';
}

/**
 * Whether this plugin supports an extension version.
 *
 * Supported: the same major version as FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION,
 * and not older than it. Build metadata ("+…") is ignored; a pre-release of the
 * minimum ("0.1.0-rc.1") is older than the minimum.
 *
 * @param string $version Semantic version, e.g. "0.1.0".
 * @return bool
 */
function fastbeat_plugin_version_supported( string $version ): bool {
	if ( ! preg_match( '/^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/', $version, $parts ) ) {
		return false;
	}
	$min_major = (int) strtok( FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION, '.' );
	if ( (int) $parts[1] !== $min_major ) {
		return false;
	}
	$comparable = $parts[1] . '.' . $parts[2] . '.' . $parts[3] . ( isset( $parts[4] ) ? $parts[4] : '' );
	return version_compare( $comparable, FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION, '>=' );
}

/**
 * The supported extension versions, for people.
 *
 * @return string E.g. ">= 0.1.0, < 1.0.0".
 */
function fastbeat_plugin_supported_range(): string {
	$min_major = (int) strtok( FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION, '.' );
	return '>= ' . FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION . ', < ' . ( $min_major + 1 ) . '.0.0';
}

/**
 * Whether Fastbeat serves heartbeats on this request, and why not if it does not.
 *
 * `state` is the first reason that applies, in this order:
 * - `disabled-constant`: FASTBEAT_DISABLE is defined and true (wp-config.php);
 * - `disabled-filter`:   the `fastbeat_enabled` filter returned a falsy value;
 * - `missing`:           the `fastbeat` extension is not loaded in this PHP;
 * - `incomplete`:        it is loaded but lacks a function this plugin calls;
 * - `unsupported`:       its version is outside fastbeat_plugin_supported_range();
 * - `enabled`:           Fastbeat serves heartbeats.
 *
 * @return array{state: string, serving: bool, loaded: bool, version: string, supported: bool, missing_functions: string[]}
 */
function fastbeat_plugin_status(): array {
	$loaded   = extension_loaded( 'fastbeat' );
	$version  = fastbeat_plugin_extension_version();
	$required = array_merge( array_values( fastbeat_plugin_native_handlers() ), array( 'fastbeat_version' ) );
	$missing  = array();
	foreach ( $required as $function ) {
		if ( ! $loaded || ! function_exists( $function ) ) {
			$missing[] = $function;
		}
	}
	$supported = $loaded && fastbeat_plugin_version_supported( $version );

	if ( defined( 'FASTBEAT_DISABLE' ) && FASTBEAT_DISABLE ) {
		$state = 'disabled-constant';
	} elseif ( ! fastbeat_plugin_enabled_by_filter() ) {
		$state = 'disabled-filter';
	} elseif ( ! $loaded ) {
		$state = 'missing';
	} elseif ( $missing ) {
		$state = 'incomplete';
	} elseif ( ! $supported ) {
		$state = 'unsupported';
	} else {
		$state = 'enabled';
	}

	return array(
		'state'             => $state,
		'serving'           => 'enabled' === $state,
		'loaded'            => $loaded,
		'version'           => $version,
		'supported'         => $supported,
		'missing_functions' => $missing,
	);
}

/**
 * Applies the `fastbeat_enabled` filter.
 *
 * @return bool
 */
function fastbeat_plugin_enabled_by_filter(): bool {
	/**
	 * Filters whether Fastbeat may serve heartbeats.
	 *
	 * Return false to leave heartbeats to WordPress core even though the
	 * extension is loaded. Add the filter before `admin_init` runs (from a
	 * plugin, a must-use plugin or the theme's functions.php); it is read
	 * once per admin-ajax.php request, and by the status screens.
	 *
	 * @param bool $enabled Whether Fastbeat may serve heartbeats. Default true.
	 */
	return (bool) apply_filters( 'fastbeat_enabled', true );
}

/**
 * On admin-ajax.php requests, registers the handler swap when Fastbeat is enabled.
 *
 * Hooked to `admin_init` at PHP_INT_MAX. admin-ajax.php fires `admin_init`
 * before it registers core's heartbeat handlers (priority 1), so the swap
 * itself has to happen later, from an earlier priority of the heartbeat
 * actions themselves.
 *
 * Each swap is registered only when core registers the handler it swaps, so
 * that has_action() answers as it does without the plugin: admin-ajax.php
 * always registers wp_ajax_nopriv_heartbeat, but wp_ajax_heartbeat only when
 * the POST field `action` is "heartbeat". A logged-in GET ?action=heartbeat
 * finds no handler and gets core's 400 either way.
 */
function fastbeat_plugin_wire(): void {
	// admin-ajax.php dispatches $_REQUEST['action']: other Ajax actions are none of Fastbeat's business.
	if ( ! wp_doing_ajax() || ! isset( $_REQUEST['action'] ) || 'heartbeat' !== $_REQUEST['action'] ) { // phpcs:ignore FastbeatWP.Security.NoRequestInput.Found
		return;
	}
	$status = fastbeat_plugin_status();
	if ( ! $status['serving'] ) {
		return;
	}
	// The same test as admin-ajax.php's, on the same (slashed) value; nothing is read beyond it.
	if ( isset( $_POST['action'] ) && 'heartbeat' === $_POST['action'] ) { // phpcs:ignore FastbeatWP.Security.NoRequestInput.Found
		add_action( 'wp_ajax_heartbeat', 'fastbeat_plugin_swap_heartbeat', PHP_INT_MIN, 0 );
	}
	add_action( 'wp_ajax_nopriv_heartbeat', 'fastbeat_plugin_swap_nopriv_heartbeat', PHP_INT_MIN, 0 );
}

/**
 * Runs first on `wp_ajax_heartbeat`: points core's handler entry at the extension.
 */
function fastbeat_plugin_swap_heartbeat(): void {
	fastbeat_plugin_swap_handler( 'wp_ajax_heartbeat', 'wp_ajax_heartbeat' );
	// The hook table as the handler runs it: after the swap.
	fastbeat_plugin_lane_note();
}

/**
 * Runs first on `wp_ajax_nopriv_heartbeat`: points core's handler entry at the extension.
 */
function fastbeat_plugin_swap_nopriv_heartbeat(): void {
	fastbeat_plugin_swap_handler( 'wp_ajax_nopriv_heartbeat', 'wp_ajax_nopriv_heartbeat' );
	fastbeat_plugin_lane_note();
}

/**
 * Replaces, in place, the function of core's priority-1 entry on a hook.
 *
 * The entry keeps its position, its accepted arguments and its unique id (the
 * array key, which is the core function's name), so has_action() and
 * remove_action() behave as with core, and core's handler cannot also run.
 * The native handlers accept and ignore arguments, like core's (do_action()
 * passes one: '').
 *
 * Does nothing when the entry is gone or no longer core's function (another
 * plugin removed or replaced it), or when the native function is not defined.
 *
 * @param string $hook Action name, e.g. "wp_ajax_heartbeat".
 * @param string $core Core handler, which is also the entry's unique id.
 * @return bool Whether the entry now calls the native function.
 */
function fastbeat_plugin_swap_handler( string $hook, string $core ): bool {
	global $wp_filter;

	$handlers = fastbeat_plugin_native_handlers();
	if ( ! isset( $handlers[ $core ] ) || ! function_exists( $handlers[ $core ] ) ) {
		return false;
	}
	if ( ! isset( $wp_filter[ $hook ] ) || ! ( $wp_filter[ $hook ] instanceof WP_Hook ) ) {
		return false;
	}
	$hook_object = $wp_filter[ $hook ];
	if ( ! isset( $hook_object->callbacks[1][ $core ]['function'] ) || $core !== $hook_object->callbacks[1][ $core ]['function'] ) {
		return false;
	}
	$hook_object->callbacks[1][ $core ]['function'] = $handlers[ $core ];
	return true;
}
