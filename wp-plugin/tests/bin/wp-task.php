<?php
/**
 * Runs one task inside a throwaway WordPress install of the plugin tests, and
 * prints its result as the last line: "@@RESULT@@ <json>".
 *
 *   WORDPRESS_CONFIG=<name> FASTBEAT_TEST_HOST=<host> php wp-task.php <task> [key=value …]
 *
 * Common options: context=front|admin|ajax|cron (default front), path=/site2/
 * (multisite site path), user=<login> (current user).
 * Called by wp-plugin/tests/scenarios.php; not part of the plugin.
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$task = isset( $argv[1] ) ? $argv[1] : '';
$opt  = array();
foreach ( array_slice( $argv, 2 ) as $arg ) {
	$pair            = explode( '=', $arg, 2 );
	$opt[ $pair[0] ] = isset( $pair[1] ) ? $pair[1] : '1';
}
$context = isset( $opt['context'] ) ? $opt['context'] : 'front';
$path    = isset( $opt['path'] ) ? $opt['path'] : '/';

$_SERVER['WORDPRESS_CONFIG'] = (string) getenv( 'WORDPRESS_CONFIG' );
$_SERVER['HTTP_HOST']        = (string) getenv( 'FASTBEAT_TEST_HOST' );
$_SERVER['SERVER_NAME']      = $_SERVER['HTTP_HOST'];
$_SERVER['SERVER_PORT']      = '80';
$_SERVER['REMOTE_ADDR']      = '127.0.0.1';
$_SERVER['REQUEST_METHOD']   = 'GET';
$_SERVER['REQUEST_URI']      = $path . ( 'front' === $context || 'cron' === $context ? '' : 'wp-admin/' . ( 'ajax' === $context ? 'admin-ajax.php' : ( 'network' === $context ? 'network/index.php' : 'index.php' ) ) );
$_SERVER['PHP_SELF']         = $_SERVER['REQUEST_URI'];

switch ( $context ) {
	case 'ajax':
		define( 'DOING_AJAX', true );
		define( 'WP_ADMIN', true );
		break;
	case 'admin':
		define( 'WP_ADMIN', true );
		break;
	case 'network':
		define( 'WP_ADMIN', true );
		define( 'WP_NETWORK_ADMIN', true );
		break;
	case 'cron':
		define( 'DOING_CRON', true );
		break;
}
if ( 'install' === $task || 'install-network' === $task ) {
	define( 'WP_INSTALLING', true );
}

/**
 * Prints the result line and exits.
 *
 * @param mixed $result Anything JSON-encodable.
 */
function fastbeat_task_result( $result ) {
	echo "\n@@RESULT@@ ", json_encode( $result, JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR ), "\n";
	exit( 0 );
}

/**
 * Fails the task.
 *
 * @param string $message Why.
 */
function fastbeat_task_fail( $message ) {
	fwrite( STDERR, "wp-task: $message\n" );
	exit( 1 );
}

require rtrim( getenv( 'FASTBEAT_WP_DIR' ) ? getenv( 'FASTBEAT_WP_DIR' ) : '/usr/share/wordpress', '/' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if ( ! empty( $opt['user'] ) ) {
	$user = get_user_by( 'login', $opt['user'] );
	if ( ! $user ) {
		fastbeat_task_fail( "no user {$opt['user']}" );
	}
	wp_set_current_user( $user->ID );
}

$plugin = 'fastbeat/fastbeat.php';

/**
 * Names of the plugin's callbacks registered on each hook.
 *
 * @return array<string, array<int, string[]>> hook => priority => callbacks.
 */
function fastbeat_task_plugin_hooks() {
	$found = array();
	foreach ( $GLOBALS['wp_filter'] as $hook => $object ) {
		foreach ( $object->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_string( $callback['function'] ) && 0 === strpos( $callback['function'], 'fastbeat_plugin_' ) ) {
					$found[ $hook ][ (string) $priority ][] = $callback['function'];
				}
			}
		}
	}
	ksort( $found );
	return $found;
}

/**
 * Every table of this install: rows keyed by primary key, values hashed.
 *
 * @return array<string, array<string, string>>
 */
function fastbeat_task_snapshot() {
	global $wpdb;
	$tables = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->base_prefix ) . '%' ) );
	$snap   = array();
	foreach ( $tables as $table ) {
		$rows  = $wpdb->get_results( "SELECT * FROM `$table`", ARRAY_A ); // phpcs:ignore
		$items = array();
		foreach ( $rows as $row ) {
			$key = null;
			if ( isset( $row['option_name'] ) ) {
				$key = $row['option_name'];
			} elseif ( isset( $row['meta_key'] ) ) {
				$owner = isset( $row['user_id'] ) ? $row['user_id'] : ( isset( $row['site_id'] ) ? $row['site_id'] : ( isset( $row['post_id'] ) ? $row['post_id'] : ( isset( $row['blog_id'] ) ? $row['blog_id'] : '' ) ) );
				$key   = $owner . ':' . $row['meta_key'];
				$n     = 0;
				while ( isset( $items[ $key . ( $n ? "#$n" : '' ) ] ) ) {
					++$n;
				}
				$key .= $n ? "#$n" : '';
			} else {
				$key = implode( '|', array_slice( $row, 0, 1 ) );
			}
			$items[ $key ] = implode( "\x1f", $row );
		}
		ksort( $items );
		$snap[ substr( $table, strlen( $wpdb->base_prefix ) ) ] = $items;
	}
	ksort( $snap );
	return $snap;
}

switch ( $task ) {
	case 'install':
		if ( is_blog_installed() ) {
			fastbeat_task_fail( 'already installed' );
		}
		$result = wp_install( 'Plugin test site', 'fbadmin', 'fbadmin@example.test', false, '', wp_slash( 'fbadmin-pass' ) );
		$users  = array( 'fbadmin' => (int) $result['user_id'] );
		foreach ( array(
			'fbeditor'    => 'editor',
			'fbsiteadmin' => 'subscriber',
		) as $login => $role ) {
			$users[ $login ] = (int) wp_insert_user(
				array(
					'user_login' => $login,
					'user_pass'  => $login . '-pass',
					'user_email' => $login . '@example.test',
					'role'       => $role,
				)
			);
		}
		fastbeat_task_result( $users );
		break;

	case 'install-network':
		global $wpdb;
		// Runs with the multisite config in setup mode (no MULTISITE yet).
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		require_once ABSPATH . 'wp-admin/includes/network.php';
		// As wp-admin/network.php does: point $wpdb at the global multisite tables first.
		foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed_table ) {
			$wpdb->$table = $prefixed_table;
		}
		install_network();
		$error = populate_network( 1, $_SERVER['HTTP_HOST'], 'fbadmin@example.test', 'Plugin test network', '/', false );
		if ( is_wp_error( $error ) ) {
			fastbeat_task_fail( 'populate_network: ' . $error->get_error_message() );
		}
		fastbeat_task_result( true );
		break;

	case 'create-sites':
		$admin = get_user_by( 'login', 'fbadmin' );
		$ids   = array();
		foreach ( array( 'site2', 'site3' ) as $slug ) {
			$id = wpmu_create_blog( $_SERVER['HTTP_HOST'], "/$slug/", "Site $slug", $admin->ID );
			if ( is_wp_error( $id ) ) {
				fastbeat_task_fail( 'wpmu_create_blog: ' . $id->get_error_message() );
			}
			$ids[ $slug ] = $id;
		}
		// fbsiteadmin administers site 2 only; fbeditor is an editor on site 2.
		$site_admin = get_user_by( 'login', 'fbsiteadmin' );
		$editor     = get_user_by( 'login', 'fbeditor' );
		add_user_to_blog( $ids['site2'], $site_admin->ID, 'administrator' );
		add_user_to_blog( $ids['site2'], $editor->ID, 'editor' );
		fastbeat_task_result( $ids );
		break;

	case 'activate':
		ob_start();
		$result = activate_plugin( $plugin, '', ! empty( $opt['network'] ) );
		$output = ob_get_clean();
		fastbeat_task_result(
			array(
				'error'  => is_wp_error( $result ) ? $result->get_error_message() : null,
				'output' => $output,
			)
		);
		break;

	case 'deactivate':
		ob_start();
		deactivate_plugins( $plugin, false, ! empty( $opt['network'] ) );
		fastbeat_task_result( array( 'output' => ob_get_clean() ) );
		break;

	case 'uninstall':
		ob_start();
		$result = delete_plugins( array( $plugin ) );
		$output = ob_get_clean();
		fastbeat_task_result(
			array(
				'result' => is_wp_error( $result ) ? $result->get_error_message() : $result,
				'output' => $output,
				'exists' => file_exists( WP_PLUGIN_DIR . '/fastbeat' ),
			)
		);
		break;

	case 'state':
		fastbeat_task_result(
			array(
				'active'          => is_plugin_active( $plugin ),
				'network_active'  => is_multisite() ? is_plugin_active_for_network( $plugin ) : false,
				'plugin_loaded'   => function_exists( 'fastbeat_plugin_status' ),
				'status'          => function_exists( 'fastbeat_plugin_status' ) ? fastbeat_plugin_status() : null,
				'hooks'           => fastbeat_task_plugin_hooks(),
				'admin_loaded'    => function_exists( 'fastbeat_plugin_admin_notice' ),
				'health_loaded'   => function_exists( 'fastbeat_plugin_site_health_test' ),
				'blog_id'         => get_current_blog_id(),
				'extension'       => extension_loaded( 'fastbeat' ),
				'active_plugins'  => get_option( 'active_plugins' ),
				'sitewide'        => is_multisite() ? get_site_option( 'active_sitewide_plugins' ) : null,
			)
		);
		break;

	case 'wire':
		// What admin-ajax.php does before dispatching a heartbeat (POSTed unless
		// method=GET), minus the dispatch.
		$post   = empty( $opt['method'] ) || 'POST' === $opt['method'];
		$action = isset( $opt['action'] ) ? $opt['action'] : 'heartbeat';
		if ( $post ) {
			$_POST['action'] = $action;
		}
		$_REQUEST['action'] = $action;
		do_action( 'admin_init' );
		if ( $post && 'heartbeat' === $action ) {
			add_action( 'wp_ajax_heartbeat', 'wp_ajax_heartbeat', 1 );
		}
		add_action( 'wp_ajax_nopriv_heartbeat', 'wp_ajax_nopriv_heartbeat', 1 );
		$out = array(
			'hooks'              => fastbeat_task_plugin_hooks(),
			'has_priv_heartbeat' => has_action( 'wp_ajax_heartbeat' ),
		);
		foreach ( $post && 'heartbeat' === $action ? array( 'wp_ajax_heartbeat', 'wp_ajax_nopriv_heartbeat' ) : array( 'wp_ajax_nopriv_heartbeat' ) as $hook ) {
			// Run only the callbacks before core's priority 1 (what do_action() would run first).
			foreach ( $GLOBALS['wp_filter'][ $hook ]->callbacks as $priority => $callbacks ) {
				if ( $priority >= 1 ) {
					continue;
				}
				foreach ( $callbacks as $callback ) {
					call_user_func( $callback['function'] );
				}
			}
			$entry        = $GLOBALS['wp_filter'][ $hook ]->callbacks[1][ $hook ];
			$out[ $hook ] = array(
				'function'      => $entry['function'],
				'accepted_args' => $entry['accepted_args'],
				'has_action'    => has_action( $hook, $hook ),
				'removed'       => remove_action( $hook, $hook, 1 ),
				'after_remove'  => has_action( $hook, $hook ),
			);
		}
		fastbeat_task_result( $out );
		break;

	case 'call-through-hook':
		// Calls the swapped entry exactly as WP_Hook does, with the wp_die handler
		// returning instead of exiting: proves the native function accepts the call.
		$_REQUEST['action'] = 'heartbeat';
		do_action( 'admin_init' );
		add_action( 'wp_ajax_nopriv_heartbeat', 'wp_ajax_nopriv_heartbeat', 1 );
		add_filter(
			'wp_die_ajax_handler',
			static function () {
				return static function () {};
			}
		);
		ob_start();
		$error = null;
		try {
			do_action( 'wp_ajax_nopriv_heartbeat' );
		} catch ( Throwable $e ) {
			$error = get_class( $e ) . ': ' . $e->getMessage();
		}
		$body = ob_get_clean();
		fastbeat_task_result(
			array(
				'error'    => $error,
				'body'     => $body,
				'function' => $GLOBALS['wp_filter']['wp_ajax_nopriv_heartbeat']->callbacks[1]['wp_ajax_nopriv_heartbeat']['function'],
			)
		);
		break;

	case 'site-health':
		require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-debug-data.php';
		$tests  = WP_Site_Health::get_tests();
		$test   = isset( $tests['direct']['fastbeat'] ) ? $tests['direct']['fastbeat'] : null;
		$result = ( $test && is_callable( $test['test'] ) ) ? call_user_func( $test['test'] ) : null;
		$info   = WP_Debug_Data::debug_data();
		fastbeat_task_result(
			array(
				'registered' => $test,
				'result'     => $result,
				'info'       => isset( $info['fastbeat'] ) ? $info['fastbeat'] : null,
				'copy'       => isset( $info['fastbeat'] ) ? WP_Debug_Data::format( array( 'fastbeat' => $info['fastbeat'] ), 'debug' ) : null,
			)
		);
		break;

	case 'admin-ui':
		set_current_screen( isset( $opt['screen'] ) ? $opt['screen'] : 'dashboard' );
		ob_start();
		do_action( is_network_admin() ? 'network_admin_notices' : 'admin_notices' );
		$notices = ob_get_clean();
		fastbeat_task_result(
			array(
				'screen'   => get_current_screen()->id,
				'notices'  => $notices,
				'row_meta' => apply_filters( 'plugin_row_meta', array(), $plugin, array(), 'active' ),
			)
		);
		break;

	case 'login':
		// Cookies and nonces for php-cgi requests as this user (same salts).
		$user       = wp_get_current_user();
		$expiration = time() + DAY_IN_SECONDS;
		$manager    = WP_Session_Tokens::get_instance( $user->ID );
		$token      = $manager->create( $expiration );
		$auth       = wp_generate_auth_cookie( $user->ID, $expiration, 'auth', $token );
		$logged_in  = wp_generate_auth_cookie( $user->ID, $expiration, 'logged_in', $token );

		$_COOKIE[ LOGGED_IN_COOKIE ] = $logged_in;
		// The heartbeat and wp_rest nonces of this session for the previous tick, this one
		// and the next two, made as wp_create_nonce() makes them (core's wp_hash(), this
		// site's salts): a caller that sends beats later picks the nonce of the tick it
		// sends in (and knows what a refreshed nonce must be), however long it runs.
		$life   = apply_filters( 'nonce_life', DAY_IN_SECONDS, 'heartbeat-nonce' );
		$tick   = wp_nonce_tick( 'heartbeat-nonce' );
		$nonces = array();
		for ( $offset = -1; $offset <= 2; $offset++ ) {
			$i              = $tick + $offset;
			$key            = (string) (int) $i;
			$nonces[ $key ] = array(
				'heartbeat' => substr( wp_hash( $i . '|heartbeat-nonce|' . $user->ID . '|' . $token, 'nonce' ), -12, 10 ),
				'rest'      => substr( wp_hash( $i . '|wp_rest|' . $user->ID . '|' . $token, 'nonce' ), -12, 10 ),
			);
		}
		$heartbeat_nonce = wp_create_nonce( 'heartbeat-nonce' );
		if ( $heartbeat_nonce !== $nonces[ (string) (int) $tick ]['heartbeat'] && wp_nonce_tick( 'heartbeat-nonce' ) === $tick ) {
			fastbeat_task_fail( 'login: the nonces made here differ from wp_create_nonce()\'s' );
		}
		fastbeat_task_result(
			array(
				'cookie'          => AUTH_COOKIE . '=' . rawurlencode( $auth ) . '; ' . LOGGED_IN_COOKIE . '=' . rawurlencode( $logged_in ),
				'heartbeat_nonce' => $heartbeat_nonce,
				'dismiss_nonce'   => wp_create_nonce( 'fastbeat_dismiss_notice' ),
				'nonce_life'      => $life,
				'nonce_tick'      => (int) $tick,
				'nonces'          => $nonces,
			)
		);
		break;

	case 'snapshot':
		fastbeat_task_result( fastbeat_task_snapshot() );
		break;

	case 'versions':
		$out = array();
		foreach ( explode( ',', $opt['list'] ) as $version ) {
			$out[ $version ] = fastbeat_plugin_version_supported( $version );
		}
		fastbeat_task_result( array( 'supported' => $out, 'range' => fastbeat_plugin_supported_range() ) );
		break;

	case 'messages':
		// Every state's texts, from fabricated statuses (some states, such as an
		// incomplete extension, cannot be produced with the real one). The version
		// string comes from the extension: it must come out escaped.
		require_once WP_PLUGIN_DIR . '/fastbeat/includes/messages.php';
		$evil = '0.1.0<script>alert(1)</script>';
		$out  = array();
		foreach ( array( 'enabled', 'disabled-constant', 'disabled-filter', 'missing', 'incomplete', 'unsupported' ) as $state ) {
			$out[ $state ] = fastbeat_plugin_messages(
				array(
					'state'             => $state,
					'serving'           => 'enabled' === $state,
					'loaded'            => 'missing' !== $state,
					'version'           => $evil,
					'supported'         => 'unsupported' !== $state && 'incomplete' !== $state,
					'missing_functions' => 'incomplete' === $state ? array( 'fastbeat_nopriv_heartbeat' ) : array(),
				)
			);
		}
		fastbeat_task_result( $out );
		break;

	case 'plugin-data':
		fastbeat_task_result( get_plugin_data( WP_PLUGIN_DIR . '/' . $plugin, false, false ) );
		break;

	case 'noop':
		fastbeat_task_result( true );
		break;

	default:
		fastbeat_task_fail( "unknown task $task" );
}
