<?php
/**
 * Tools → Fastbeat: which path answered this site's heartbeats and in what share, the
 * main reasons beats took the full path (with the plugin or theme behind each), what each
 * kind of heartbeat may do, and the server CPU the lane saved, measured here.
 *
 * @package Fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/lane-report.php';

add_action( 'admin_menu', 'fastbeat_plugin_owner_menu' );

/**
 * Registers the page (administrators only).
 *
 * @return void
 */
function fastbeat_plugin_owner_menu(): void {
	add_management_page(
		__( 'Fastbeat', 'fastbeat' ),
		__( 'Fastbeat', 'fastbeat' ),
		'manage_options',
		'fastbeat',
		'fastbeat_plugin_owner_page'
	);
}

/**
 * The page's address.
 *
 * @return string
 */
function fastbeat_plugin_owner_url(): string {
	return admin_url( 'tools.php?page=fastbeat' );
}

/**
 * A number of milliseconds, or a dash.
 *
 * @param mixed $ms Milliseconds or null.
 * @return string
 */
function fastbeat_plugin_owner_ms( $ms ): string {
	return is_numeric( $ms ) ? number_format_i18n( (float) $ms, 2 ) . ' ms' : '–';
}

/**
 * Renders the page.
 *
 * @return void
 */
function fastbeat_plugin_owner_page(): void {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'fastbeat' ) );
	}
	$report  = fastbeat_plugin_lane_report();
	$summary = fastbeat_plugin_lane_summary( $report );
	echo '<div class="wrap fastbeat-owner">';
	echo '<h1>' . esc_html__( 'Fastbeat', 'fastbeat' ) . '</h1>';
	echo '<p class="fastbeat-owner-status" data-serving="' . esc_attr( $summary['serving'] ? 'yes' : 'no' ) . '"><strong>' . esc_html( $summary['text'] ) . '</strong></p>';
	if ( null === $report ) {
		echo '</div>';
		return;
	}
	$tally = (array) ( $report['tally'] ?? array() );
	$paths = array_map( 'intval', (array) ( $tally['paths'] ?? array( 0, 0, 0 ) ) );
	$total = array_sum( $paths );
	$names = array(
		__( 'Lane, logged in', 'fastbeat' ),
		__( 'Lane, logged out', 'fastbeat' ),
		__( 'Full path (WordPress)', 'fastbeat' ),
	);
	$keys  = array( 'native', 'nopriv', 'full' );
	$since = (int) ( $tally['since'] ?? 0 );

	echo '<h2>' . esc_html__( 'Who answered heartbeats', 'fastbeat' ) . '</h2>';
	if ( $since ) {
		echo '<p>' . esc_html(
			sprintf(
				/* translators: 1: number of heartbeats, 2: date and time. */
				__( '%1$s heartbeats counted by all PHP workers since %2$s.', 'fastbeat' ),
				number_format_i18n( $total ),
				wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $since )
			)
		) . '</p>';
	}
	echo '<table class="widefat striped fastbeat-owner-paths"><thead><tr><th>' . esc_html__( 'Path', 'fastbeat' ) . '</th><th>' . esc_html__( 'Heartbeats', 'fastbeat' ) . '</th><th>' . esc_html__( 'Share', 'fastbeat' ) . '</th><th>' . esc_html__( 'CPU per heartbeat (measured here)', 'fastbeat' ) . '</th></tr></thead><tbody>';
	foreach ( $keys as $i => $key ) {
		$share = $total ? 100 * $paths[ $i ] / $total : 0;
		echo '<tr data-path="' . esc_attr( $key ) . '"><td>' . esc_html( $names[ $i ] ) . '</td><td class="count">' . esc_html( number_format_i18n( $paths[ $i ] ) ) . '</td><td>' . esc_html( number_format_i18n( $share, 1 ) ) . '%</td><td>' . esc_html( fastbeat_plugin_owner_ms( $report['cpu_ms'][ $key ] ?? null ) ) . '</td></tr>';
	}
	echo '</tbody></table>';
	fastbeat_plugin_owner_chart( $paths, $names );
	if ( isset( $report['saved_seconds'] ) && is_numeric( $report['saved_seconds'] ) ) {
		echo '<p class="fastbeat-owner-saved">' . esc_html(
			sprintf(
				/* translators: %s: seconds of CPU time. */
				__( 'Server CPU the lane saved: %s seconds (its heartbeats at the full path\'s measured cost, less their own).', 'fastbeat' ),
				number_format_i18n( (float) $report['saved_seconds'], 1 )
			)
		) . '</p>';
	}

	$details = (array) ( $tally['details'] ?? array() );
	arsort( $details );
	echo '<h2>' . esc_html__( 'Why heartbeats took the full path', 'fastbeat' ) . '</h2>';
	if ( ! $details ) {
		echo '<p>' . esc_html__( 'Nothing about this site kept heartbeats off the lane.', 'fastbeat' ) . '</p>';
	} else {
		echo '<table class="widefat striped fastbeat-owner-reasons"><thead><tr><th>' . esc_html__( 'Reason', 'fastbeat' ) . '</th><th>' . esc_html__( 'Heartbeats', 'fastbeat' ) . '</th></tr></thead><tbody>';
		foreach ( array_slice( $details, 0, 10, true ) as $key => $count ) {
			$reason = json_decode( (string) $key, true );
			$text   = is_array( $reason ) ? fastbeat_plugin_lane_reason_text( $reason ) : (string) $key;
			echo '<tr><td>' . esc_html( $text ) . '</td><td>' . esc_html( number_format_i18n( (int) $count ) ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	echo '<h2>' . esc_html__( 'What the lane may answer', 'fastbeat' ) . '</h2>';
	$shapes = (array) ( $report['shapes'] ?? array() );
	if ( ! $shapes ) {
		echo '<p>' . esc_html__( 'Nothing recorded yet: each kind of heartbeat is recorded by the first one WordPress answers.', 'fastbeat' ) . '</p>';
	} else {
		echo '<table class="widefat striped fastbeat-owner-shapes"><thead><tr><th>' . esc_html__( 'Heartbeats', 'fastbeat' ) . '</th><th>' . esc_html__( 'Requests', 'fastbeat' ) . '</th><th>' . esc_html__( 'Lane', 'fastbeat' ) . '</th></tr></thead><tbody>';
		foreach ( $shapes as $key => $shape ) {
			$verdict = empty( $shape['allowed'] ) ? fastbeat_plugin_lane_reason_text( $shape['reason'] ?? null ) : __( 'answers', 'fastbeat' );
			// The key ends with the request key's digest; its label says which requests.
			$kind = strtok( (string) $key, '@' );
			echo '<tr><td><code>' . esc_html( (string) $kind ) . '</code></td><td>' . esc_html( (string) ( $shape['request'] ?? '' ) ) . '</td><td>' . esc_html( $verdict ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}
	$suspended = (array) ( $report['suspended'] ?? array() );
	if ( $suspended ) {
		echo '<h2>' . esc_html__( 'Suspended by the self-check', 'fastbeat' ) . '</h2><ul class="fastbeat-owner-suspended">';
		foreach ( $suspended as $key => $s ) {
			echo '<li><code>' . esc_html( (string) $key ) . '</code>: ' . esc_html( (string) ( $s['why'] ?? '' ) ) . '</li>';
		}
		echo '</ul>';
	}
	echo '</div>';
}

/**
 * A small bar chart of the paths' shares (inline SVG, no script).
 *
 * @param int[]    $paths Heartbeats per path.
 * @param string[] $names Path names.
 * @return void
 */
function fastbeat_plugin_owner_chart( array $paths, array $names ): void {
	$total  = max( 1, array_sum( $paths ) );
	$colors = array( '#2271b1', '#72aee6', '#a7aaad' );
	$width  = 480;
	$x      = 0;
	echo '<svg class="fastbeat-owner-chart" role="img" width="' . esc_attr( (string) $width ) . '" height="28" viewBox="0 0 ' . esc_attr( (string) $width ) . ' 28"><title>' . esc_html__( 'Share of heartbeats by path', 'fastbeat' ) . '</title>';
	foreach ( $paths as $i => $n ) {
		$w = (int) round( $width * $n / $total );
		if ( $w > 0 ) {
			echo '<rect x="' . esc_attr( (string) $x ) . '" y="0" width="' . esc_attr( (string) $w ) . '" height="28" fill="' . esc_attr( $colors[ $i ] ) . '"><title>' . esc_html( $names[ $i ] . ': ' . number_format_i18n( $n ) ) . '</title></rect>';
		}
		$x += $w;
	}
	echo '</svg>';
	echo '<p class="fastbeat-owner-legend">';
	foreach ( $names as $i => $name ) {
		echo '<span style="display:inline-block;width:10px;height:10px;background:' . esc_attr( $colors[ $i ] ) . ';margin:0 4px 0 12px"></span>' . esc_html( $name );
	}
	echo '</p>';
}
