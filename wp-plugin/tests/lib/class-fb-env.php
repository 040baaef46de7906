<?php
/**
 * Settings of the plugin tests, from the environment.
 *
 * @package fastbeat
 */

/**
 * Settings from the environment (run.sh sources testbed/env.sh).
 */
final class FB_Env {
	/**
	 * Plugin source directory (wp-plugin/).
	 *
	 * @var string
	 */
	public static $plugin_src;

	/**
	 * State directory of the plugin tests.
	 *
	 * @var string
	 */
	public static $state;

	/**
	 * Extension .so.
	 *
	 * @var string
	 */
	public static $so;

	/**
	 * php-cgi binary.
	 *
	 * @var string
	 */
	public static $php_cgi;

	/**
	 * The WordPress tree under test (FASTBEAT_WP_DIR from testbed/env.sh).
	 *
	 * @var string
	 */
	public static $wp;

	/**
	 * Database settings: name, user, password, socket.
	 *
	 * @var array<string, string>
	 */
	public static $db;

	/**
	 * Reads the environment.
	 */
	public static function init() {
		self::$plugin_src = dirname( __DIR__, 2 );
		$testbed          = getenv( 'FASTBEAT_TESTBED_DIR' ) ? getenv( 'FASTBEAT_TESTBED_DIR' ) : '/tmp/fastbeat-testbed';
		self::$state      = getenv( 'FASTBEAT_PLUGIN_TEST_DIR' ) ? getenv( 'FASTBEAT_PLUGIN_TEST_DIR' ) : $testbed . '/plugin-tests';
		self::$so         = getenv( 'FASTBEAT_EXT_SO' ) ? getenv( 'FASTBEAT_EXT_SO' ) : dirname( self::$plugin_src ) . '/target/release/libfastbeat.so';
		self::$php_cgi    = getenv( 'FASTBEAT_PHP_CGI' ) ? getenv( 'FASTBEAT_PHP_CGI' ) : '/usr/bin/php-cgi8.2';
		self::$wp         = rtrim( getenv( 'FASTBEAT_WP_DIR' ) ? getenv( 'FASTBEAT_WP_DIR' ) : '/usr/share/wordpress', '/' );
		self::$db         = array(
			'name'     => getenv( 'FASTBEAT_DB_NAME' ) ? getenv( 'FASTBEAT_DB_NAME' ) : 'fastbeat_wp',
			'user'     => getenv( 'FASTBEAT_DB_USER' ) ? getenv( 'FASTBEAT_DB_USER' ) : 'fastbeat',
			'password' => getenv( 'FASTBEAT_DB_PASSWORD' ) ? getenv( 'FASTBEAT_DB_PASSWORD' ) : 'fastbeat',
			'socket'   => getenv( 'FASTBEAT_DB_SOCKET' ) ? getenv( 'FASTBEAT_DB_SOCKET' ) : $testbed . '/mysql/mysqld.sock',
		);
		if ( ! is_dir( self::$state ) ) {
			mkdir( self::$state, 0755, true );
		}
	}
}
