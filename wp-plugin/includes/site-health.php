<?php
/**
 * Site Health: a direct test ("Is Fastbeat serving heartbeats?") and a
 * "Fastbeat" section in the Info tab.
 *
 * @package fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/messages.php';

add_filter( 'site_status_tests', 'fastbeat_plugin_site_status_tests' );
add_filter( 'debug_information', 'fastbeat_plugin_debug_information' );

/**
 * Registers the Site Health test.
 *
 * @param mixed $tests Site Health tests, by type.
 * @return mixed The tests, with `direct` → `fastbeat` added.
 */
function fastbeat_plugin_site_status_tests( $tests ) {
	if ( ! is_array( $tests ) ) {
		return $tests;
	}
	if ( ! isset( $tests['direct'] ) || ! is_array( $tests['direct'] ) ) {
		$tests['direct'] = array();
	}
	$tests['direct']['fastbeat'] = array(
		'label' => __( 'Fastbeat heartbeat extension', 'fastbeat' ),
		'test'  => 'fastbeat_plugin_site_health_test',
	);
	return $tests;
}

/**
 * The Site Health test: is the extension loaded, which version, and does it serve heartbeats?
 *
 * `good` when Fastbeat serves heartbeats or is turned off on purpose
 * (FASTBEAT_DISABLE, the `fastbeat_enabled` filter); `recommended`, with the
 * fix, when the extension is missing, incomplete or unsupported. WordPress
 * core serves heartbeats in every state but `enabled`, so nothing is ever
 * `critical`.
 *
 * @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string}
 */
function fastbeat_plugin_site_health_test(): array {
	$status   = fastbeat_plugin_status();
	$messages = fastbeat_plugin_messages( $status );

	return array(
		'label'       => $messages['label'],
		'status'      => $messages['needs_action'] ? 'recommended' : 'good',
		'badge'       => array(
			'label' => __( 'Performance', 'fastbeat' ),
			'color' => 'blue',
		),
		'description' => $messages['description'],
		'actions'     => $messages['actions'],
		'test'        => 'fastbeat',
	);
}

/**
 * Adds the "Fastbeat" section to Site Health → Info.
 *
 * @param mixed $info Debug information sections.
 * @return mixed The sections, with `fastbeat` added.
 */
function fastbeat_plugin_debug_information( $info ) {
	if ( ! is_array( $info ) ) {
		return $info;
	}
	$status = fastbeat_plugin_status();
	$yes    = __( 'Yes', 'fastbeat' );
	$no     = __( 'No', 'fastbeat' );

	if ( ! defined( 'FASTBEAT_DISABLE' ) ) {
		$constant = __( 'Undefined', 'fastbeat' );
		$debug    = 'undefined';
	} else {
		$debug    = (string) wp_json_encode( FASTBEAT_DISABLE );
		$constant = $debug;
	}

	$ini = php_ini_loaded_file();

	$info['fastbeat'] = array(
		'label'       => __( 'Fastbeat', 'fastbeat' ),
		'description' => __( 'Whether the Fastbeat PHP extension serves this site\'s heartbeats instead of WordPress core.', 'fastbeat' ),
		'fields'      => array(
			'serving'            => array(
				'label' => __( 'Serving heartbeats', 'fastbeat' ),
				'value' => $status['serving'] ? $yes : $no,
				'debug' => $status['serving'] ? 'yes' : 'no',
			),
			'state'              => array(
				'label' => __( 'State', 'fastbeat' ),
				'value' => fastbeat_plugin_messages( $status )['short'],
				'debug' => $status['state'],
			),
			'extension_loaded'   => array(
				'label' => __( 'Extension loaded', 'fastbeat' ),
				'value' => $status['loaded'] ? $yes : $no,
				'debug' => $status['loaded'] ? 'yes' : 'no',
			),
			'extension_version'  => array(
				'label' => __( 'Extension version', 'fastbeat' ),
				'value' => $status['loaded'] ? $status['version'] : __( 'Not loaded', 'fastbeat' ),
				'debug' => $status['loaded'] ? $status['version'] : 'not loaded',
			),
			'supported_versions' => array(
				'label' => __( 'Supported extension versions', 'fastbeat' ),
				'value' => fastbeat_plugin_supported_range(),
			),
			'plugin_version'     => array(
				'label' => __( 'Plugin version', 'fastbeat' ),
				'value' => FASTBEAT_PLUGIN_VERSION,
			),
			'disable_constant'   => array(
				'label' => 'FASTBEAT_DISABLE',
				'value' => $constant,
				'debug' => $debug,
			),
			'enabled_filter'     => array(
				'label' => __( 'Filter fastbeat_enabled', 'fastbeat' ),
				'value' => fastbeat_plugin_enabled_by_filter() ? __( 'Allows Fastbeat', 'fastbeat' ) : __( 'Turns Fastbeat off', 'fastbeat' ),
				'debug' => fastbeat_plugin_enabled_by_filter() ? 'true' : 'false',
			),
			'php'                => array(
				'label' => __( 'PHP running this site', 'fastbeat' ),
				'value' => PHP_VERSION . ' (' . PHP_SAPI . ')',
			),
			'php_ini'            => array(
				'label'   => __( 'Loaded php.ini', 'fastbeat' ),
				'value'   => is_string( $ini ) ? $ini : __( 'None', 'fastbeat' ),
				'debug'   => is_string( $ini ) ? $ini : 'none',
				'private' => true,
			),
		),
	);
	return $info;
}
