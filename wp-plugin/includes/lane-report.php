<?php
/**
 * The fast lane, for the site owner: what the extension reports about this site's lane
 * (fastbeat_lane_report(): the manifest's verdicts and suspensions, and the beats all
 * PHP workers counted, with the CPU time each path cost here), and the reasons a beat may
 * take the full path, in plain, translatable words.
 *
 * @package Fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The lane's report for this site, or null when the extension cannot give one.
 *
 * @return array<string, mixed>|null
 */
function fastbeat_plugin_lane_report(): ?array {
	if ( ! function_exists( 'fastbeat_lane_report' ) || ! function_exists( 'fastbeat_plugin_lane_manifest_path' ) ) {
		return null;
	}
	$report = json_decode( (string) fastbeat_lane_report( fastbeat_plugin_lane_manifest_path() ), true );
	return is_array( $report ) ? $report : null;
}

/**
 * A reason the extension gives (code, details, English text) in the site's language.
 *
 * @param array<string, mixed>|null $reason Reason from the report.
 * @return string Plain text (escape it for output).
 */
function fastbeat_plugin_lane_reason_text( ?array $reason ): string {
	if ( ! $reason ) {
		return '';
	}
	$d        = (array) ( $reason['details'] ?? array() );
	$v        = static function ( string $key ) use ( $d ): string {
		return isset( $d[ $key ] ) ? (string) $d[ $key ] : '';
	};
	$messages = fastbeat_plugin_lane_reason_messages();
	$code     = (string) ( $reason['code'] ?? '' );
	if ( ! isset( $messages[ $code ] ) ) {
		return (string) ( $reason['text'] ?? $code );
	}
	return sprintf( $messages[ $code ], $v( 'hook' ), $v( 'callback' ), $v( 'owner' ), $v( 'name' ), $v( 'file' ), $v( 'function' ), $v( 'model' ), $v( 'status' ), $v( 'check' ), $v( 'shape' ) );
}

/**
 * Who a callback belongs to, from the extension's owner tag (`plugin:akismet`).
 *
 * @param string $tag Owner tag.
 * @return string
 */
function fastbeat_plugin_lane_owner_text( string $tag ): string {
	list( $kind, $name ) = array_pad( explode( ':', $tag, 2 ), 2, '' );
	switch ( $kind ) {
		case 'core':
			return __( 'WordPress core', 'fastbeat' );
		case 'plugin':
			/* translators: %s: plugin folder or file name. */
			return sprintf( __( 'the plugin %s', 'fastbeat' ), $name );
		case 'mu-plugin':
			/* translators: %s: must-use plugin file name. */
			return sprintf( __( 'the must-use plugin %s', 'fastbeat' ), $name );
		case 'theme':
			/* translators: %s: theme folder name. */
			return sprintf( __( 'the theme %s', 'fastbeat' ), $name );
		case 'site':
			/* translators: %s: file name, e.g. wp-config.php. */
			return sprintf( __( 'the site file %s', 'fastbeat' ), $name );
		case 'internal':
			return __( 'a PHP built-in function', 'fastbeat' );
		default:
			/* translators: %s: file path. */
			return sprintf( __( 'code in %s', 'fastbeat' ), $name );
	}
}

/**
 * Messages by reason code. Placeholders, in this order: %1$s hook, %2$s callback,
 * %3$s owner, %4$s name, %5$s file, %6$s function, %7$s model, %8$s status, %9$s the check
 * that differed, %10$s the beat shape. A test checks the codes against the extension's.
 *
 * @return array<string, string>
 */
function fastbeat_plugin_lane_reason_messages(): array {
	return array(
		/* translators: Not a heartbeat request. */
		'not-heartbeat'         => __( 'Not a heartbeat request.', 'fastbeat' ),
		'customizer'            => __( 'A customizer request.', 'fastbeat' ),
		/* translators: %4$s: header or server variable. */
		'vetoed'                => __( 'Sent down the full path by %4$s.', 'fastbeat' ),
		'credentials'           => __( 'The request carries HTTP credentials (application passwords).', 'fastbeat' ),
		'recovery-mode'         => __( 'The request is in recovery mode.', 'fastbeat' ),
		'data-shape'            => __( 'The beat carries data only plugins or the full path answer.', 'fastbeat' ),
		/* translators: %4$s: request field. */
		'extra-field'           => __( 'The request has a field heartbeats do not send (%4$s).', 'fastbeat' ),
		/* translators: %4$s: header name. */
		'disabled'              => __( 'The fast lane is turned off (FASTBEAT_LANE_DISABLE or the fastbeat_lane_enabled filter).', 'fastbeat' ),
		'not-registered'        => __( 'This PHP worker has not seen a heartbeat of this site yet.', 'fastbeat' ),
		'no-manifest'           => __( 'No full-path heartbeat has recorded what the lane may answer yet.', 'fastbeat' ),
		'expired'               => __( 'The lane\'s record of the site is older than ten minutes; the next full-path heartbeat renews it.', 'fastbeat' ),
		/* translators: %5$s: file path. */
		'file-changed'          => __( '%5$s changed; the next full-path heartbeat records the site again.', 'fastbeat' ),
		/* translators: %10$s: kind of heartbeat. */
		'not-recorded'          => __( 'No full-path heartbeat of this kind (%10$s) has been recorded yet.', 'fastbeat' ),
		/* translators: %10$s: kind of heartbeat. */
		'suspended'             => __( 'The self-check found code that behaves differently from one heartbeat to the next (%10$s); such heartbeats take the full path for a day or until a plugin, theme or configuration file changes.', 'fastbeat' ),
		'self-check'            => __( 'Sent down the full path to check the lane\'s record.', 'fastbeat' ),
		'database-not-vouched'  => __( 'No recent request reached the database (logged-out answers need one).', 'fastbeat' ),
		/* translators: 1: hook name, 2: callback, 3: plugin or theme. */
		'callback'              => __( 'The callback %2$s of %3$s on %1$s, a hook the lane\'s answer depends on.', 'fastbeat' ),
		/* translators: 1: hook name, 2: callback, 3: plugin or theme, 9: what the callback did. */
		'unconfirmed'           => __( '%3$s declares that %2$s on %1$s reacts only to its own heartbeat data, but a heartbeat WordPress answered saw it %9$s; until one confirms it, these heartbeats take the full path.', 'fastbeat' ),
		/* translators: 1: hook name, 2: callback. */
		'core-callback-changed' => __( 'WordPress\'s own %2$s on %1$s was removed, moved or replaced.', 'fastbeat' ),
		/* translators: 1: hook name. */
		'not-a-hook'            => __( 'The hook %1$s is not a plain WordPress hook object.', 'fastbeat' ),
		/* translators: 3: plugin or theme, 6: function name. */
		'pluggable'             => __( '%6$s() is replaced by %3$s.', 'fastbeat' ),
		/* translators: %4$s: header name. */
		'header'                => __( 'Code sends the %4$s header before the heartbeat is answered.', 'fastbeat' ),
		'output'                => __( 'Code prints output before the heartbeat is answered.', 'fastbeat' ),
		/* translators: %8$s: HTTP status code. */
		'status'                => __( 'Code sets the HTTP status %8$s before the heartbeat is answered.', 'fastbeat' ),
		/* translators: %4$s: output buffer handler. */
		'output-handler'        => __( 'An output buffer (%4$s) may rewrite every response.', 'fastbeat' ),
		/* translators: %4$s: function. */
		'shutdown-function'     => __( 'A PHP shutdown function (%4$s) runs after every response.', 'fastbeat' ),
		/* translators: %4$s: request variable. */
		'request-rewritten'     => __( 'Code rewrites %4$s before the heartbeat is answered.', 'fastbeat' ),
		'user-switched'         => __( 'Code switches the current user before the heartbeat is answered.', 'fastbeat' ),
		/* translators: 6: function name, 7: model name. */
		'model-mismatch'        => __( 'This WordPress\'s %6$s is code the lane\'s %7$s answer was not written for; those heartbeats take the full path.', 'fastbeat' ),
		'object-cache'          => __( 'A persistent object cache on a multisite network (logged-in answers model it on single sites only).', 'fastbeat' ),
		'db-dropin'             => __( 'A db.php drop-in replaces WordPress\'s database class.', 'fastbeat' ),
		'post-type'             => __( 'The post type or user roles differ from what WordPress registers.', 'fastbeat' ),
		'not-learned'           => __( 'This PHP worker has not learned the site since its files last changed.', 'fastbeat' ),
		'midboot-point'         => __( 'With a persistent object cache, logged-in heartbeats are answered once WordPress has started the cache; this WordPress\'s wp-settings.php shows no such point.', 'fastbeat' ),
		/* translators: %9$s: what was not in the cache. */
		'cache-miss'            => __( 'Not in the object cache (%9$s): WordPress reads the database and fills it.', 'fastbeat' ),
		'options-changed'       => __( 'A site option changed since it was learned.', 'fastbeat' ),
		'database'              => __( 'The database could not be read.', 'fastbeat' ),
		/* translators: %4$s: user roles. */
		'role-not-recorded'     => __( 'No full-path heartbeat of a user with these roles (%4$s) has been recorded yet.', 'fastbeat' ),
		/* translators: %9$s: which check, e.g. "nonce". */
		'declined'              => __( 'WordPress answers this heartbeat differently (%9$s).', 'fastbeat' ),
	);
}

/**
 * Whether the lane serves this site's heartbeats, and why not, in one line.
 *
 * @param array<string, mixed>|null $report From fastbeat_plugin_lane_report().
 * @return array{serving: bool, text: string}
 */
function fastbeat_plugin_lane_summary( ?array $report ): array {
	if ( null === $report ) {
		return array(
			'serving' => false,
			'text'    => __( 'Fast lane: not available (the extension does not report one).', 'fastbeat' ),
		);
	}
	if ( ! empty( $report['serving'] ) ) {
		$share = (float) ( $report['share']['native'] ?? 0 ) + (float) ( $report['share']['nopriv'] ?? 0 );
		return array(
			'serving' => true,
			/* translators: %s: percentage of heartbeats. */
			'text'    => sprintf( __( 'Fast lane: serving (%s of counted heartbeats).', 'fastbeat' ), number_format_i18n( 100 * $share, 0 ) . '%' ),
		);
	}
	return array(
		'serving' => false,
		/* translators: %s: the main reason, a sentence. */
		'text'    => sprintf( __( 'Fast lane: not serving. %s', 'fastbeat' ), fastbeat_plugin_lane_reason_text( $report['main_reason'] ?? null ) ),
	);
}
