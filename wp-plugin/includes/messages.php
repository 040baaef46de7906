<?php
/**
 * What the status screens say about each state: Site Health, the admin notice
 * and the plugin row share these texts.
 *
 * @package fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Texts describing a status from fastbeat_plugin_status().
 *
 * `label` and `short` are plain text (escape them on output); `description`
 * and `actions` are HTML, already escaped. `needs_action` is true when an
 * administrator has something to fix: the extension is missing, incomplete or
 * of an unsupported version. Turning Fastbeat off on purpose needs no action.
 *
 * @param array $status Result of fastbeat_plugin_status().
 * @return array{label: string, short: string, description: string, actions: string, needs_action: bool}
 */
function fastbeat_plugin_messages( array $status ): array {
	$version = '' === $status['version'] ? __( 'unknown', 'fastbeat' ) : $status['version'];
	$core    = '<p>' . esc_html__( 'WordPress core serves heartbeats, exactly as without the plugin.', 'fastbeat' ) . '</p>';

	switch ( $status['state'] ) {
		case 'enabled':
			return array(
				/* translators: %s: extension version, e.g. 0.1.0. */
				'label'        => sprintf( __( 'Fastbeat %s is serving heartbeats', 'fastbeat' ), $version ),
				/* translators: %s: extension version, e.g. 0.1.0. */
				'short'        => sprintf( __( 'Heartbeats: served by the Fastbeat extension %s.', 'fastbeat' ), $version ),
				'description'  => '<p>' . esc_html(
					sprintf(
						/* translators: %s: extension version, e.g. 0.1.0. */
						__( 'The Fastbeat PHP extension %s is loaded, and its native handlers answer heartbeat requests in place of WordPress core\'s, with the same responses.', 'fastbeat' ),
						$version
					)
				) . '</p>',
				'actions'      => '',
				'needs_action' => false,
			);

		case 'disabled-constant':
			return array(
				'label'        => __( 'Fastbeat is turned off in wp-config.php', 'fastbeat' ),
				'short'        => __( 'Heartbeats: served by WordPress core (Fastbeat is turned off by FASTBEAT_DISABLE).', 'fastbeat' ),
				'description'  => '<p>' . sprintf(
					/* translators: %s: the FASTBEAT_DISABLE constant. */
					esc_html__( '%s is defined as true, so the plugin does nothing.', 'fastbeat' ),
					'<code>FASTBEAT_DISABLE</code>'
				) . '</p>' . $core . fastbeat_plugin_extension_note( $status ),
				'actions'      => '<p>' . sprintf(
					/* translators: %s: a line of PHP code. */
					esc_html__( 'To turn Fastbeat on, remove %s from wp-config.php.', 'fastbeat' ),
					'<code>' . esc_html( "define( 'FASTBEAT_DISABLE', true );" ) . '</code>'
				) . '</p>',
				'needs_action' => false,
			);

		case 'disabled-filter':
			$callbacks = fastbeat_plugin_filter_callbacks( 'fastbeat_enabled' );
			return array(
				'label'        => __( 'Fastbeat is turned off by a filter', 'fastbeat' ),
				'short'        => __( 'Heartbeats: served by WordPress core (Fastbeat is turned off by the fastbeat_enabled filter).', 'fastbeat' ),
				'description'  => '<p>' . sprintf(
					/* translators: %s: the fastbeat_enabled filter name. */
					esc_html__( 'Code on this site returns false from the %s filter, so the plugin does nothing.', 'fastbeat' ),
					'<code>fastbeat_enabled</code>'
				) . '</p>' . $core . fastbeat_plugin_extension_note( $status ),
				'actions'      => '<p>' . sprintf(
					/* translators: 1: the fastbeat_enabled filter name, 2: list of callback names. */
					esc_html__( 'To turn Fastbeat on, remove the %1$s filter added by: %2$s.', 'fastbeat' ),
					'<code>fastbeat_enabled</code>',
					$callbacks ? implode( ', ', array_map( 'fastbeat_plugin_code', $callbacks ) ) : esc_html__( 'unknown code', 'fastbeat' )
				) . '</p>',
				'needs_action' => false,
			);

		case 'incomplete':
			return array(
				'label'        => __( 'WordPress core serves heartbeats: the Fastbeat extension is incomplete', 'fastbeat' ),
				'short'        => __( 'Heartbeats: served by WordPress core (the loaded Fastbeat extension is incomplete).', 'fastbeat' ),
				'description'  => '<p>' . sprintf(
					/* translators: 1: extension version, 2: list of PHP function names. */
					esc_html__( 'The loaded fastbeat extension (version %1$s) does not define %2$s, which this plugin needs.', 'fastbeat' ),
					esc_html( $version ),
					implode( ', ', array_map( 'fastbeat_plugin_code', $status['missing_functions'] ) )
				) . '</p>' . $core,
				'actions'      => '<p>' . sprintf(
					/* translators: %s: supported version range, e.g. ">= 0.1.0, < 1.0.0". */
					esc_html__( 'Install a complete build of the Fastbeat extension (versions %s), then restart PHP.', 'fastbeat' ),
					esc_html( fastbeat_plugin_supported_range() )
				) . '</p>',
				'needs_action' => true,
			);

		case 'unsupported':
			return array(
				/* translators: %s: extension version. */
				'label'        => sprintf( __( 'WordPress core serves heartbeats: Fastbeat extension %s is not supported', 'fastbeat' ), $version ),
				/* translators: %s: extension version. */
				'short'        => sprintf( __( 'Heartbeats: served by WordPress core (Fastbeat extension %s is not supported by this plugin version).', 'fastbeat' ), $version ),
				'description'  => '<p>' . esc_html(
					sprintf(
						/* translators: 1: plugin version, 2: supported version range, 3: loaded extension version. */
						__( 'This plugin (version %1$s) works with Fastbeat extension versions %2$s, but the loaded extension is version %3$s.', 'fastbeat' ),
						FASTBEAT_PLUGIN_VERSION,
						fastbeat_plugin_supported_range(),
						$version
					)
				) . '</p>' . $core,
				'actions'      => '<p>' . esc_html(
					sprintf(
						/* translators: 1: supported version range, 2: loaded extension version. */
						__( 'Install a Fastbeat extension version %1$s and restart PHP, or update the Fastbeat plugin to a version that supports extension %2$s.', 'fastbeat' ),
						fastbeat_plugin_supported_range(),
						$version
					)
				) . '</p>',
				'needs_action' => true,
			);

		default: // Missing.
			return array(
				'label'        => __( 'WordPress core serves heartbeats: the Fastbeat extension is not loaded', 'fastbeat' ),
				'short'        => __( 'Heartbeats: served by WordPress core (the Fastbeat extension is not loaded).', 'fastbeat' ),
				'description'  => '<p>' . esc_html(
					sprintf(
						/* translators: 1: PHP version, 2: PHP SAPI name such as fpm-fcgi. */
						__( 'The Fastbeat plugin is active, but the fastbeat PHP extension is not loaded in the PHP that runs this site (PHP %1$s, %2$s).', 'fastbeat' ),
						PHP_VERSION,
						PHP_SAPI
					)
				) . '</p>' . $core,
				'actions'      => '<p>' . sprintf(
					/* translators: 1: PHP version, 2: a php.ini line, 3: where PHP reads its settings. */
					esc_html__( 'Install the Fastbeat extension built for PHP %1$s, load it with %2$s in %3$s, then restart PHP (php-fpm or the web server). Or ask your host to do so. If you do not plan to, deactivate the plugin.', 'fastbeat' ),
					esc_html( PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION ),
					'<code>extension=fastbeat</code>',
					fastbeat_plugin_ini_location()
				) . '</p>',
				'needs_action' => true,
			);
	}
}

/**
 * A note on the extension's own state, for the "turned off" states.
 *
 * @param array $status Result of fastbeat_plugin_status().
 * @return string HTML.
 */
function fastbeat_plugin_extension_note( array $status ): string {
	if ( ! $status['loaded'] ) {
		$note = __( 'Note: the Fastbeat extension is not loaded either, so turning Fastbeat on would change nothing until it is installed.', 'fastbeat' );
	} elseif ( ! $status['supported'] || $status['missing_functions'] ) {
		/* translators: %s: extension version. */
		$note = sprintf( __( 'Note: the loaded Fastbeat extension (version %s) is not one this plugin can use.', 'fastbeat' ), $status['version'] );
	} else {
		/* translators: %s: extension version. */
		$note = sprintf( __( 'The Fastbeat extension %s is loaded and ready.', 'fastbeat' ), $status['version'] );
	}
	return '<p>' . esc_html( $note ) . '</p>';
}

/**
 * Where PHP reads extension settings, as escaped HTML.
 *
 * @return string HTML.
 */
function fastbeat_plugin_ini_location(): string {
	$scanned = php_ini_scanned_files();
	if ( is_string( $scanned ) && '' !== trim( $scanned ) ) {
		$first = trim( strtok( $scanned, ",\n" ) );
		/* translators: %s: a directory. */
		return sprintf( esc_html__( 'a new .ini file in %s', 'fastbeat' ), fastbeat_plugin_code( dirname( $first ) ) );
	}
	$ini = php_ini_loaded_file();
	if ( is_string( $ini ) && '' !== $ini ) {
		return fastbeat_plugin_code( $ini );
	}
	return esc_html__( 'php.ini', 'fastbeat' );
}

/**
 * Wraps text in <code>, escaped.
 *
 * @param string $text Text.
 * @return string HTML.
 */
function fastbeat_plugin_code( string $text ): string {
	return '<code>' . esc_html( $text ) . '</code>';
}

/**
 * Names the callbacks hooked to a filter, for people.
 *
 * @param string $hook Filter name.
 * @return string[] E.g. "my_function", "My_Class::method", "closure in /path/file.php:12".
 */
function fastbeat_plugin_filter_callbacks( string $hook ): array {
	global $wp_filter;

	$names = array();
	if ( ! isset( $wp_filter[ $hook ] ) || ! ( $wp_filter[ $hook ] instanceof WP_Hook ) ) {
		return $names;
	}
	foreach ( $wp_filter[ $hook ]->callbacks as $callbacks ) {
		foreach ( $callbacks as $callback ) {
			$function = $callback['function'];
			if ( is_string( $function ) ) {
				$names[] = $function;
			} elseif ( is_array( $function ) && isset( $function[0], $function[1] ) && is_string( $function[1] ) && ( is_object( $function[0] ) || is_string( $function[0] ) ) ) {
				$class   = is_object( $function[0] ) ? get_class( $function[0] ) . '->' : $function[0] . '::';
				$names[] = $class . $function[1];
			} elseif ( $function instanceof Closure ) {
				try {
					$reflection = new ReflectionFunction( $function );
					/* translators: 1: file path, 2: line number. */
					$names[] = sprintf( __( 'closure in %1$s:%2$d', 'fastbeat' ), $reflection->getFileName(), $reflection->getStartLine() );
				} catch ( ReflectionException $e ) {
					$names[] = __( 'a closure', 'fastbeat' );
				}
			} elseif ( is_object( $function ) ) {
				$names[] = get_class( $function ) . '->__invoke';
			}
		}
	}
	return array_values( array_unique( $names ) );
}
