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
require_once __DIR__ . '/lane-report.php';

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
	$tests['direct']['fastbeat']      = array(
		'label' => __( 'Fastbeat heartbeat extension', 'fastbeat' ),
		'test'  => 'fastbeat_plugin_site_health_test',
	);
	$tests['direct']['fastbeat_lane'] = array(
		'label' => __( 'Fastbeat fast lane', 'fastbeat' ),
		'test'  => 'fastbeat_plugin_site_health_lane_test',
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
 * The Site Health test of the fast lane: is it serving, and if not, the main reason in
 * plain words; a suspension by the self-check names the hook and the plugin behind it.
 * `good` when it serves (or Fastbeat is off altogether: the other test says so),
 * `recommended` otherwise: heartbeats still work, they just cost what core's cost.
 *
 * @return array{label: string, status: string, badge: array{label: string, color: string}, description: string, actions: string, test: string}
 */
function fastbeat_plugin_site_health_lane_test(): array {
	$status  = fastbeat_plugin_status();
	$report  = $status['serving'] ? fastbeat_plugin_lane_report() : null;
	$summary = fastbeat_plugin_lane_summary( $report );
	$desc    = '<p>' . esc_html__( 'The fast lane answers heartbeats that need nothing beyond WordPress\'s own code without loading all of WordPress, with the same response, whenever a heartbeat of the same kind answered by WordPress showed that nothing else takes part.', 'fastbeat' ) . '</p>';
	$desc   .= '<p>' . esc_html( $summary['text'] ) . '</p>';
	foreach ( (array) ( $report['suspended'] ?? array() ) as $key => $s ) {
		$desc .= '<p>' . esc_html(
			sprintf(
				/* translators: 1: kind of heartbeat, 2: what changed (hook and plugin). */
				__( 'Suspended by the self-check: %1$s heartbeats. %2$s', 'fastbeat' ),
				(string) $key,
				(string) ( $s['why'] ?? '' )
			)
		) . '</p>';
	}
	$good = ! $status['serving'] || ( $summary['serving'] && empty( $report['suspended'] ) );
	return array(
		'label'       => $summary['serving'] ? __( 'The Fastbeat fast lane is serving heartbeats', 'fastbeat' ) : __( 'The Fastbeat fast lane is not serving heartbeats', 'fastbeat' ),
		'status'      => $good ? 'good' : 'recommended',
		'badge'       => array(
			'label' => __( 'Performance', 'fastbeat' ),
			'color' => 'blue',
		),
		'description' => $desc,
		'actions'     => current_user_can( 'manage_options' ) ? '<p><a href="' . esc_url( admin_url( 'tools.php?page=fastbeat' ) ) . '">' . esc_html__( 'See which heartbeats the lane answered, and why others took the full path', 'fastbeat' ) . '</a></p>' : '',
		'test'        => 'fastbeat_lane',
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
