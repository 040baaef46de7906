<?php
/**
 * What the extension keeps, in the PHP worker's memory only, to answer a logged-in beat
 * without data natively (lane/native.php): how to reach the database, the two salts such a
 * beat's cookie and nonce are checked with, and the raw values of the options that answer
 * depends on, so that a later change to any of them is noticed.
 *
 * Loaded after a full-path beat (includes/lane.php) and after a lane-script beat
 * (lane/lane.php), once the response is complete; it declares one function and runs nothing.
 *
 * @package Fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Raw values (as the database holds them; autoloaded options are kept unserialized) of the
 * options a native answer depends on; null for one not autoloaded. The extension reads the
 * same options on every native answer and compares.
 *
 * @return array<string, string|null>
 */
function fastbeat_plugin_lane_native_options(): array {
	$all     = wp_load_alloptions();
	$options = array();
	foreach ( array( 'siteurl', 'home', 'blog_charset', 'active_plugins', 'template', 'stylesheet', 'auth_key', 'auth_salt', 'secure_auth_key', 'secure_auth_salt', 'nonce_key', 'nonce_salt' ) as $name ) {
		$options[ $name ] = isset( $all[ $name ] ) && is_string( $all[ $name ] ) ? $all[ $name ] : null;
	}
	return $options;
}

/**
 * A digest of those values, for the manifest: the extension answers natively only while
 * the manifest, what it learned and the database all agree on them (the manifest's
 * charset and origins were derived from them).
 *
 * @param array<string, string|null> $options From fastbeat_plugin_lane_native_options().
 * @return string
 */
function fastbeat_plugin_lane_options_digest( array $options ): string {
	$text = '';
	foreach ( $options as $name => $value ) {
		$text .= $name . ':' . ( null === $value ? '-' : strlen( $value ) . ':' . $value ) . ';';
	}
	return hash( 'sha256', $text );
}

/**
 * Hands this request's facts to the extension, or tells it to forget them when this site
 * is one the native answer does not model (multisite, a database or object-cache drop-in).
 *
 * @return bool Whether the extension kept them.
 */
function fastbeat_plugin_lane_learn(): bool {
	global $wpdb;
	if ( ! function_exists( 'fastbeat_lane_learn' ) ) {
		return false;
	}
	$script = ABSPATH . 'wp-admin/admin-ajax.php';
	$server = array();
	foreach ( array( 'HTTP_HOST', 'SERVER_NAME', 'SERVER_PORT', 'HTTPS', 'WORDPRESS_CONFIG' ) as $var ) {
		// Compared with the raw request by the extension; never output.
		$server[ $var ] = isset( $_SERVER[ $var ] ) && is_string( $_SERVER[ $var ] ) ? $_SERVER[ $var ] : null; // phpcs:ignore FastbeatWP.Security.NoRequestInput.Found
	}
	$modelled = ! is_multisite() && $wpdb instanceof wpdb && 'wpdb' === get_class( $wpdb ) && ! wp_using_ext_object_cache()
		&& defined( 'DB_HOST' ) && defined( 'DB_USER' ) && defined( 'DB_PASSWORD' ) && defined( 'DB_NAME' );
	if ( ! $modelled ) {
		// An incomplete set of facts makes the extension forget this site's.
		return fastbeat_lane_learn(
			array(
				'script' => $script,
				'server' => $server,
			)
		);
	}
	// As wpdb::db_connect() reaches the server.
	$host_data = $wpdb->parse_db_host( DB_HOST );
	if ( ! is_array( $host_data ) ) {
		return false;
	}
	list( $host, $port, $socket, $is_ipv6 ) = $host_data;
	if ( $is_ipv6 && extension_loaded( 'mysqlnd' ) ) {
		$host = "[$host]";
	}
	$ssl = is_ssl();
	return fastbeat_lane_learn(
		array(
			'script'     => $script,
			'server'     => $server,
			'ssl'        => $ssl,
			'db'         => array(
				'host'     => (string) $host,
				'port'     => null === $port ? null : (int) $port,
				'socket'   => null === $socket ? null : (string) $socket,
				'user'     => (string) DB_USER,
				'password' => (string) DB_PASSWORD,
				'name'     => (string) DB_NAME,
				'charset'  => (string) $wpdb->charset,
				'flags'    => defined( 'MYSQL_CLIENT_FLAGS' ) ? (int) MYSQL_CLIENT_FLAGS : 0,
			),
			'tables'     => array(
				'users'    => $wpdb->users,
				'usermeta' => $wpdb->usermeta,
				'options'  => $wpdb->options,
			),
			// The cookie scheme wp_validate_auth_cookie() uses for this site's requests.
			'auth_salt'  => wp_salt( $ssl ? 'secure_auth' : 'auth' ),
			'nonce_salt' => wp_salt( 'nonce' ),
			'options'    => fastbeat_plugin_lane_native_options(),
			// Post-lock beats read roles from the database: not when wp-config.php sets them.
			'post'       => empty( $GLOBALS['wp_user_roles'] ) ? array(
				'posts'        => $wpdb->posts,
				'postmeta'     => $wpdb->postmeta,
				'roles_option' => $wpdb->get_blog_prefix() . 'user_roles',
				'caps_key'     => $wpdb->get_blog_prefix() . 'capabilities',
			) : null,
		)
	);
}
