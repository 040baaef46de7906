<?php
/**
 * Plugin scenario tests on throwaway WordPress installs that share the test
 * bed's MariaDB and WordPress (FASTBEAT_WP_DIR, testbed/env.sh): a single site
 * (tables fbpt_*) and a subdirectory multisite network (tables fbms_*), each
 * with its own wp-content holding a release copy of the plugin. Heartbeats and
 * admin pages go through WordPress's real entry points under php-cgi, with and
 * without the extension (-d extension=…); state changes go through core's own
 * functions (activate_plugin(), delete_plugins() …) in bin/wp-task.php.
 *
 *   php scenarios.php [single|multisite]      (run.sh sources testbed/env.sh first)
 *
 * Prints one line per check and ends with "N passed, N failed".
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

require_once __DIR__ . '/lib/harness.php';

FB_Env::init();
$only = isset( $argv[1] ) ? $argv[1] : 'all';

// ---------------------------------------------------------------------------
// Preconditions.
// ---------------------------------------------------------------------------
FB::section( 'preconditions' );
$ri = fb_exec( array( PHP_BINARY, '-d', 'extension=' . FB_Env::$so, '--ri', 'fastbeat' ), array( 'PATH' => getenv( 'PATH' ) ), '' );
FB::check( 0 === $ri['code'], 'the extension loads in this PHP (php -d extension=' . FB_Env::$so . ' --ri fastbeat)', $ri );
$cgi = fb_exec( array( FB_Env::$php_cgi, '-d', 'extension=' . FB_Env::$so, '-m' ), array( 'PATH' => getenv( 'PATH' ) ), '' );
FB::check( 0 === $cgi['code'] && false !== strpos( $cgi['stdout'], 'fastbeat' ) && false === stripos( $cgi['stdout'] . $cgi['stderr'], 'unable to load' ), 'the extension loads in php-cgi', $cgi );
try {
	fb_db()->query( 'SELECT 1' );
	FB::check( true, 'the test bed database answers (' . FB_Env::$db['socket'] . ')' );
} catch ( Throwable $e ) {
	FB::check( false, 'the test bed database answers (' . FB_Env::$db['socket'] . '); run testbed/up.sh', $e->getMessage() );
}
FB::check( is_writable( '/etc/wordpress' ) || ( ! is_dir( '/etc/wordpress' ) && mkdir( '/etc/wordpress', 0755, true ) ), '/etc/wordpress is writable (Debian host configs)' );
if ( FB::$failed ) {
	FB::finish();
}

$sites = array();
register_shutdown_function(
	static function () use ( &$sites ) {
		foreach ( $sites as $site ) {
			$site->destroy();
		}
	}
);

/**
 * Heartbeat requests, by name. "{nonce}" in a body or query stands for the session's
 * heartbeat nonce of the tick the request is sent in (fb_beats() puts it in).
 *
 * @param array $login Result of the login task (cookie, nonces).
 * @return array<string, array> name => request.
 */
function fb_beat_requests( array $login ) {
	$data = array(
		'wp-auth-check' => 'true',
		'fbtest'        => array( 'a' => '1' ),
	);
	return array(
		'nopriv'        => array(
			'body' => array(
				'action'    => 'heartbeat',
				'screen_id' => 'front',
				'interval'  => '60',
				'data'      => $data,
			),
		),
		'priv'          => array(
			'cookie' => $login['cookie'],
			'login'  => $login,
			'body'   => array(
				'action'    => 'heartbeat',
				'_nonce'    => '{nonce}',
				'screen_id' => 'dashboard',
				'has_focus' => 'false',
				'interval'  => '60',
				'data'      => $data,
			),
		),
		'priv-expired'  => array(
			'cookie' => $login['cookie'],
			'login'  => $login,
			'body'   => array(
				'action'    => 'heartbeat',
				'_nonce'    => '0123456789',
				'screen_id' => 'dashboard',
				'data'      => $data,
			),
		),
		'priv-no-nonce' => array(
			'cookie' => $login['cookie'],
			'body'   => array(
				'action'    => 'heartbeat',
				'screen_id' => 'dashboard',
			),
		),
		// admin-ajax.php registers the logged-in handler for POST only: 400.
		'priv-get'      => array(
			'method' => 'GET',
			'query'  => 'action=heartbeat&_nonce={nonce}',
			'cookie' => $login['cookie'],
			'login'  => $login,
		),
		// The logged-out handler is always registered: GET is served.
		'nopriv-get'    => array(
			'method' => 'GET',
			'query'  => 'action=heartbeat&screen_id=front',
		),
	);
}

/**
 * Sends every heartbeat request in one state, with the session's nonce of the tick they
 * are sent in; all of them again when a nonce tick boundary passed meanwhile (the
 * logged-in beats' answers depend on the tick: a nonce's state, the refreshed nonces).
 * Each logged-in response keeps that tick's nonces (`nonces`) for fb_normalize().
 *
 * @param FB_Site $site     Install.
 * @param array   $requests From fb_beat_requests().
 * @param array   $state    ext (bool), env (array), path (URL prefix such as /site2).
 * @return array<string, array> name => response.
 */
function fb_beats( FB_Site $site, array $requests, array $state ) {
	for ( $attempt = 1;; $attempt++ ) {
		$out  = array();
		$life = 86400;
		foreach ( $requests as $request ) {
			if ( isset( $request['login'] ) ) {
				$life = $request['login']['nonce_life'];
			}
		}
		$tick = fb_nonce_tick( $life );
		foreach ( $requests as $name => $request ) {
			$nonces = null;
			if ( isset( $request['login'] ) ) {
				$nonces = fb_login_nonces( $request['login'], $tick );
				unset( $request['login'] );
				if ( isset( $request['body']['_nonce'] ) && '{nonce}' === $request['body']['_nonce'] ) {
					$request['body']['_nonce'] = $nonces['heartbeat'];
				}
				if ( isset( $request['query'] ) ) {
					$request['query'] = str_replace( '{nonce}', $nonces['heartbeat'], $request['query'] );
				}
			}
			$request['ext']  = ! empty( $state['ext'] );
			$request['env']  = isset( $state['env'] ) ? $state['env'] : array();
			$request['path'] = ( isset( $state['path'] ) ? $state['path'] : '' ) . '/wp-admin/admin-ajax.php';
			$out[ $name ]    = $site->request( $request );
			if ( null !== $nonces ) {
				$out[ $name ]['nonces'] = $nonces;
			}
		}
		if ( fb_nonce_tick( $life ) === $tick || $attempt >= 3 ) {
			return $out;
		}
		echo "# a nonce tick boundary passed while these beats were sent (tick $tick): sending them again\n";
	}
}

/**
 * Checks a state's heartbeats against core's, and who served them.
 *
 * @param string $label     State name.
 * @param array  $responses From fb_beats().
 * @param array  $baseline  Core's responses.
 * @param string $server    'core', 'fastbeat' or 'none' (another plugin's handler).
 */
function fb_check_beats( $label, array $responses, array $baseline, $server ) {
	$expect = array(
		'core'     => array(
			'nopriv-get'   => 'wp_ajax_nopriv_heartbeat',
			'nopriv'       => 'wp_ajax_nopriv_heartbeat',
			'priv'         => 'wp_ajax_heartbeat',
			'priv-expired' => 'wp_ajax_heartbeat',
		),
		'fastbeat' => array(
			'nopriv-get'   => 'fastbeat_nopriv_heartbeat',
			'nopriv'       => 'fastbeat_nopriv_heartbeat',
			'priv'         => 'fastbeat_heartbeat',
			'priv-expired' => 'fastbeat_heartbeat',
		),
		'none'     => array(),
	);
	foreach ( $responses as $name => $response ) {
		FB::same( fb_normalize( $baseline[ $name ] ), fb_normalize( $response ), "$label: '$name' heartbeat: status, headers and body identical to core's" );
		FB::same( array(), fb_bad_errors( $response['errors'] ), "$label: '$name' heartbeat: no PHP errors" );
		$served = isset( $response['probe'][0]['served_by'] ) ? $response['probe'][0]['served_by'] : null;
		$want   = isset( $expect[ $server ][ $name ] ) ? $expect[ $server ][ $name ] : null;
		if ( null !== $want || 'none' === $server ) {
			FB::same( $want, $served, "$label: '$name' heartbeat served by " . ( $want ? $want . '()' : 'neither core nor Fastbeat' ) );
		}
		if ( 'fastbeat' === $server && isset( $response['probe'][0]['entry'] ) ) {
			$probe = $response['probe'][0];
			FB::check(
				$probe['entry']['function'] === $want && 1 === $probe['entry']['accepted_args'] && 1 === $probe['has_action'] && in_array( PHP_INT_MIN, $probe['priorities'], true ),
				"$label: '$name': core's priority-1 entry now calls $want() in place (same id and accepted args, has_action() = 1)",
				$probe
			);
		}
		if ( isset( $response['probe'][0]['queries'], $baseline[ $name ]['probe'][0]['queries'] ) ) {
			FB::check(
				$response['probe'][0]['queries'] <= $baseline[ $name ]['probe'][0]['queries'],
				"$label: '$name': no more database queries than core (" . $response['probe'][0]['queries'] . ' vs ' . $baseline[ $name ]['probe'][0]['queries'] . ')'
			);
		}
	}
}

/**
 * Checks a Site Health task result.
 *
 * @param string $label  State name.
 * @param mixed  $health Result of the site-health task.
 * @param array  $expect status, state, serving (bool), contains (strings in label+description+actions), loaded (bool).
 */
function fb_check_health( $label, $health, array $expect ) {
	$result = is_array( $health ) ? $health['result'] : null;
	FB::check( is_array( $health ) && isset( $health['registered']['test'] ), "$label: Site Health lists the 'fastbeat' direct test", $health );
	FB::check(
		is_array( $result ) && array( 'actions', 'badge', 'description', 'label', 'status', 'test' ) === fb_sorted_keys( $result )
			&& is_array( $result['badge'] ) && isset( $result['badge']['label'], $result['badge']['color'] ) && 'fastbeat' === $result['test'],
		"$label: the test returns WordPress's result shape",
		$result
	);
	if ( ! is_array( $result ) ) {
		return;
	}
	FB::same( $expect['status'], $result['status'], "$label: Site Health status" );
	$text = $result['label'] . ' ' . wp_strip_tags_for_tests( $result['description'] . ' ' . $result['actions'] );
	foreach ( $expect['contains'] as $needle ) {
		FB::check( false !== strpos( $text, $needle ), "$label: Site Health text mentions " . json_encode( $needle ), $result );
	}
	if ( 'good' !== $expect['status'] || false !== strpos( $expect['state'], 'disabled' ) ) {
		FB::check( '' !== trim( wp_strip_tags_for_tests( $result['actions'] ) ), "$label: Site Health offers an action", $result );
	}
	FB::check( false === strpos( $result['label'], '<' ), "$label: the label is plain text" );
	$info = $health['info'];
	FB::check( is_array( $info ) && isset( $info['label'], $info['fields'] ), "$label: Site Health Info has a Fastbeat section", $health );
	if ( is_array( $info ) ) {
		$fields = $info['fields'];
		FB::same( $expect['serving'] ? 'yes' : 'no', $fields['serving']['debug'], "$label: Info 'Serving heartbeats'" );
		FB::same( $expect['state'], $fields['state']['debug'], "$label: Info 'State'" );
		FB::same( $expect['loaded'] ? 'yes' : 'no', $fields['extension_loaded']['debug'], "$label: Info 'Extension loaded'" );
		FB::same( $expect['loaded'] ? $expect['version'] : 'not loaded', $fields['extension_version']['debug'], "$label: Info 'Extension version'" );
		FB::same( true, $fields['php_ini']['private'], "$label: Info marks the php.ini path private" );
		FB::check( is_string( $health['copy'] ) && false !== strpos( $health['copy'], 'serving: ' . ( $expect['serving'] ? 'yes' : 'no' ) ), "$label: Info copies to the clipboard in English ('debug' values)", $health['copy'] );
	}
}

/**
 * The plugin's hooks minus the fast lane's (fastbeat_plugin_lane_* callbacks),
 * which includes/lane.php owns and checks separately.
 *
 * @param array $hooks hook => priority => callbacks, from the wp-task state/wire tasks.
 * @return array
 */
function fb_core_hooks( array $hooks ) {
	$out = array();
	foreach ( $hooks as $hook => $priorities ) {
		foreach ( $priorities as $priority => $callbacks ) {
			$callbacks = array_values(
				array_filter(
					$callbacks,
					static function ( $callback ) {
						return 0 !== strpos( $callback, 'fastbeat_plugin_lane_' );
					}
				)
			);
			if ( $callbacks ) {
				$out[ $hook ][ $priority ] = $callbacks;
			}
		}
	}
	return $out;
}

/**
 * Sorted keys of an array.
 *
 * @param array $array Array.
 * @return string[]
 */
function fb_sorted_keys( array $array ) {
	$keys = array_keys( $array );
	sort( $keys );
	return $keys;
}

/**
 * Text of some HTML.
 *
 * @param string $html HTML.
 * @return string
 */
function wp_strip_tags_for_tests( $html ) {
	return html_entity_decode( preg_replace( '/<[^>]*>/', '', $html ), ENT_QUOTES );
}

/**
 * Replaces the oldest supported extension version in the installed copy of the plugin.
 *
 * @param FB_Site $site    Install.
 * @param string  $version New minimum, e.g. "0.2.0".
 */
function fb_set_min_version( FB_Site $site, $version ) {
	$file = $site->content() . '/plugins/fastbeat/fastbeat.php';
	$code = file_get_contents( $file );
	$code = preg_replace( "/define\\( 'FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION', '[^']*' \\);/", "define( 'FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION', '$version' );", $code, 1, $count );
	file_put_contents( $file, $code );
	FB::same( 1, $count, "[{$site->name}] the installed copy now requires extension $version" );
}

/**
 * A page through php-cgi, checked for status and PHP errors.
 *
 * @param FB_Site $site  Install.
 * @param string  $label State name.
 * @param string  $path  URL path.
 * @param array   $extra Request options (cookie, ext, env, query).
 * @return array Response.
 */
function fb_page( FB_Site $site, $label, $path, array $extra ) {
	$response = $site->request( array_merge( array( 'method' => 'GET', 'path' => $path ), $extra ) );
	FB::check( 200 === $response['status'] && array() === fb_bad_errors( $response['errors'] ) && false === stripos( $response['body'], 'critical error' ), "$label: GET $path: 200, no PHP errors", array( 'status' => $response['status'], 'errors' => $response['errors'], 'body' => substr( $response['body'], 0, 600 ) ) );
	return $response;
}

// ===========================================================================
// Single site.
// ===========================================================================
if ( 'all' === $only || 'single' === $only ) {
	$site    = new FB_Site( 'single', 'plugintest.example.test', 'fbpt_', false );
	$sites[] = $site;
	$ext     = array( 'ext' => true );
	$admin   = array(
		'context' => 'admin',
		'user'    => 'fbadmin',
	);

	FB::section( 'single site: install' );
	$site->create();
	$users = $site->task( 'install' );
	FB::check( is_array( $users ) && $users['fbadmin'] > 0, '[single] WordPress installed (tables fbpt_*)', $users );
	if ( ! is_array( $users ) ) {
		FB::finish();
	}

	$data = $site->task( 'plugin-data' );
	FB::same( 'Fastbeat', $data['Name'], 'plugin header: Plugin Name' );
	FB::same( '0.1.0', $data['Version'], 'plugin header: Version' );
	FB::same( '6.1', $data['RequiresWP'], 'plugin header: Requires at least' );
	FB::same( '8.2', $data['RequiresPHP'], 'plugin header: Requires PHP' );
	FB::same( 'fastbeat', $data['TextDomain'], 'plugin header: Text Domain' );
	FB::same( false, $data['Network'], 'plugin header: not network-only (Network: true absent), so it can be activated per site or network-wide' );


	$files0 = fb_files( $site->content() );
	$snap0  = $site->task( 'snapshot' );
	FB::same( array(), fb_snapshot_mentions( $snap0 ), '[single] a fresh install mentions nothing of Fastbeat' );

	$login    = $site->task( 'login', array( 'user' => 'fbadmin' ) );
	$requests = fb_beat_requests( $login );
	fb_beats( $site, $requests, array() ); // Warm-up: first requests schedule cron events, fill transients.
	$core = fb_beats( $site, $requests, array() );
	FB::section( 'single site: core baseline (plugin inactive, no extension)' );
	FB::same( 200, $core['nopriv']['status'], 'core: logged-out heartbeat answers 200' );
	FB::check( false !== strpos( $core['nopriv']['body'], '"wp-auth-check":false' ), 'core: logged-out heartbeat body', $core['nopriv']['body'] );
	FB::check( false !== strpos( $core['priv']['body'], '"wp-auth-check":true' ), 'core: logged-in heartbeat body (valid nonce)', $core['priv']['body'] );
	FB::check( false !== strpos( $core['priv-expired']['body'], '"nonces_expired":true' ), 'core: logged-in heartbeat with an expired nonce', $core['priv-expired']['body'] );
	FB::same( '{"success":false}', $core['priv-no-nonce']['body'], 'core: logged-in heartbeat without a nonce' );
	FB::check( 400 === $core['priv-get']['status'] && '0' === $core['priv-get']['body'], 'core: logged-in GET heartbeat: 400 "0"', $core['priv-get'] );
	FB::check( false !== strpos( $core['nopriv-get']['body'], '"server_time"' ), 'core: logged-out GET heartbeat is served', $core['nopriv-get'] );
	fb_check_beats( 'core', $core, $core, 'core' );

	FB::section( 'single site: extension loaded, plugin inactive' );
	fb_check_beats( 'inactive+ext', fb_beats( $site, $requests, $ext ), $core, 'core' );
	$state = $site->task( 'state', $ext );
	FB::check( false === $state['plugin_loaded'] && true === $state['extension'], 'inactive+ext: the plugin is not loaded, the extension is' );
	fb_page( $site, 'inactive+ext', '/', $ext );
	fb_page( $site, 'inactive+ext', '/wp-admin/', array_merge( $ext, array( 'cookie' => $login['cookie'] ) ) );

	FB::section( 'single site: activation' );
	$before = $site->task( 'snapshot' );
	$act    = $site->task( 'activate' );
	FB::check( is_array( $act ) && null === $act['error'] && '' === $act['output'], '[single] activate_plugin(): no error, no output', $act );
	FB::same( array( 'options:active_plugins' ), fb_snapshot_diff( $before, $site->task( 'snapshot' ) ), '[single] activation stores nothing (only core\'s active_plugins changes)' );

	$versions = $site->task(
		'versions',
		array( 'list' => '0.1.0,0.1.7,0.9.0,0.1.0+build.5,1.0.0,0.0.9,0.1.0-rc.1,0.2.0-dev,garbage,0.1,' )
	);
	FB::same(
		array(
			'0.1.0'         => true,
			'0.1.7'         => true,
			'0.9.0'         => true,
			'0.1.0+build.5' => true,
			'1.0.0'         => false,
			'0.0.9'         => false,
			'0.1.0-rc.1'    => false,
			'0.2.0-dev'     => true,
			'garbage'       => false,
			'0.1'           => false,
			''              => false,
		),
		$versions['supported'],
		'supported extension versions: same major, >= 0.1.0 (semver; pre-releases of 0.1.0 are older)'
	);
	FB::same( '>= 0.1.0, < 1.0.0', $versions['range'], 'supported range text' );

	FB::section( 'single site: plugin active, no extension (plugin-only)' );
	fb_check_beats( 'plugin-only', fb_beats( $site, $requests, array() ), $core, 'core' );
	$wire = $site->task( 'wire', array( 'context' => 'ajax' ) );
	FB::same( array( 'admin_init' => array( (string) PHP_INT_MAX => array( 'fastbeat_plugin_wire' ) ) ), fb_core_hooks( $wire['hooks'] ), 'plugin-only: admin-ajax.php gets no heartbeat hooks from the plugin' );
	FB::same( 'wp_ajax_heartbeat', $wire['wp_ajax_heartbeat']['function'], 'plugin-only: core\'s handler stays' );

	FB::section( 'single site: plugin active, extension loaded (fastbeat)' );
	$fast = fb_beats( $site, $requests, $ext );
	fb_check_beats( 'fastbeat', $fast, $core, 'fastbeat' );
	$wire = $site->task( 'wire', array( 'context' => 'ajax' ) + $ext );
	FB::same(
		array(
			'admin_init'               => array( (string) PHP_INT_MAX => array( 'fastbeat_plugin_wire' ) ),
			'wp_ajax_heartbeat'        => array( (string) PHP_INT_MIN => array( 'fastbeat_plugin_swap_heartbeat' ) ),
			'wp_ajax_nopriv_heartbeat' => array( (string) PHP_INT_MIN => array( 'fastbeat_plugin_swap_nopriv_heartbeat' ) ),
		),
		fb_core_hooks( $wire['hooks'] ),
		'fastbeat: swap callbacks at PHP_INT_MIN on both heartbeat actions'
	);
	foreach ( array(
		'wp_ajax_heartbeat'        => 'fastbeat_heartbeat',
		'wp_ajax_nopriv_heartbeat' => 'fastbeat_nopriv_heartbeat',
	) as $hook => $native ) {
		FB::same(
			array(
				'function'      => $native,
				'accepted_args' => 1,
				'has_action'    => 1,
				'removed'       => true,
				'after_remove'  => false,
			),
			$wire[ $hook ],
			"fastbeat: $hook entry calls $native(); has_action() and remove_action( '$hook', '$hook', 1 ) work as with core"
		);
	}
	$wire = $site->task( 'wire', array( 'context' => 'ajax', 'method' => 'GET' ) + $ext );
	FB::same(
		array(
			'admin_init'               => array( (string) PHP_INT_MAX => array( 'fastbeat_plugin_wire' ) ),
			'wp_ajax_nopriv_heartbeat' => array( (string) PHP_INT_MIN => array( 'fastbeat_plugin_swap_nopriv_heartbeat' ) ),
		),
		fb_core_hooks( $wire['hooks'] ),
		'fastbeat, GET ?action=heartbeat: no swap on wp_ajax_heartbeat, which core does not register for GET either'
	);
	FB::same( false, $wire['has_priv_heartbeat'], 'fastbeat, GET ?action=heartbeat: has_action( \'wp_ajax_heartbeat\' ) stays false, as with core' );
	$wire = $site->task( 'wire', array( 'context' => 'ajax', 'action' => 'query-attachments' ) + $ext );
	FB::same(
		array( 'admin_init' => array( (string) PHP_INT_MAX => array( 'fastbeat_plugin_wire' ) ) ),
		fb_core_hooks( $wire['hooks'] ),
		'fastbeat, another Ajax action: the plugin registers nothing'
	);
	FB::same( 'wp_ajax_nopriv_heartbeat', $wire['wp_ajax_nopriv_heartbeat']['function'], 'fastbeat, another Ajax action: core\'s entries stay untouched' );
	$call = $site->task( 'call-through-hook', array( 'context' => 'ajax' ) + $ext );
	FB::check(
		null === $call['error'] && 'fastbeat_nopriv_heartbeat' === $call['function'] && false !== strpos( $call['body'], '"wp-auth-check":false' ),
		'fastbeat: do_action( \'wp_ajax_nopriv_heartbeat\' ) calls the native handler without an ArgumentCountError, and it returns when wp_die_ajax_handler returns',
		$call
	);

	FB::section( 'single site: turned off (constant, filter), replaced by another plugin' );
	$off_constant = array(
		'ext' => true,
		'env' => array( 'FASTBEAT_TEST_DISABLE' => '1' ),
	);
	$off_filter   = array(
		'ext' => true,
		'env' => array( 'FASTBEAT_TEST_FILTER_OFF' => '1' ),
	);
	fb_check_beats( 'FASTBEAT_DISABLE', fb_beats( $site, $requests, $off_constant ), $core, 'core' );
	fb_check_beats( 'fastbeat_enabled=false', fb_beats( $site, $requests, $off_filter ), $core, 'core' );
	foreach ( array(
		'FASTBEAT_DISABLE'       => $off_constant,
		'fastbeat_enabled=false' => $off_filter,
	) as $label => $state ) {
		$wire = $site->task( 'wire', array( 'context' => 'ajax' ) + $state );
		FB::same( array( 'admin_init' => array( (string) PHP_INT_MAX => array( 'fastbeat_plugin_wire' ) ) ), fb_core_hooks( $wire['hooks'] ), "$label: the plugin registers nothing on the heartbeat actions" );
	}
	$replace      = array( 'env' => array( 'FASTBEAT_TEST_REPLACE_CORE' => '1' ) );
	$replaced     = fb_beats( $site, array_intersect_key( $requests, array_flip( array( 'nopriv', 'priv' ) ) ), $replace );
	$replaced_ext = fb_beats( $site, array_intersect_key( $requests, array_flip( array( 'nopriv', 'priv' ) ) ), $replace + $ext );
	FB::same( '{"replaced":true}', $replaced['nopriv']['body'], 'another plugin replaced core\'s handler (no extension): its handler answers' );
	fb_check_beats( 'replaced by another plugin', $replaced_ext, $replaced, 'none' );

	FB::section( 'single site: unsupported extension version' );
	fb_set_min_version( $site, '0.2.0' );
	fb_check_beats( 'unsupported', fb_beats( $site, $requests, $ext ), $core, 'core' );
	fb_check_health(
		'unsupported',
		$site->task( 'site-health', $admin + $ext ),
		array(
			'status'   => 'recommended',
			'state'    => 'unsupported',
			'serving'  => false,
			'loaded'   => true,
			'version'  => '0.1.0',
			'contains' => array( 'not supported', '0.1.0', '>= 0.2.0, < 1.0.0' ),
		)
	);
	$ui = $site->task( 'admin-ui', $admin + $ext );
	FB::check( false !== strpos( $ui['notices'], 'data-fastbeat-state="unsupported"' ), 'unsupported: administrators get a notice', $ui );
	fb_set_min_version( $site, '0.1.0' );

	FB::section( 'single site: where the plugin\'s code loads' );
	foreach ( array(
		'front' => array( false, false ),
		'ajax'  => array( false, false ),
		'cron'  => array( false, true ),
		'admin' => array( true, true ),
	) as $context => $loaded ) {
		$state = $site->task( 'state', array( 'context' => $context ) + $ext );
		$hooks = array( 'admin_init' => array( (string) PHP_INT_MAX => array( 'fastbeat_plugin_wire' ) ) );
		if ( $loaded[1] ) {
			$hooks['debug_information'] = array( '10' => array( 'fastbeat_plugin_debug_information' ) );
			$hooks['site_status_tests'] = array( '10' => array( 'fastbeat_plugin_site_status_tests' ) );
		}
		if ( $loaded[0] ) {
			$hooks['admin_menu']                         = array( '10' => array( 'fastbeat_plugin_owner_menu' ) );
			$hooks['admin_notices']                      = array( '10' => array( 'fastbeat_plugin_admin_notice' ) );
			$hooks['admin_post_fastbeat_dismiss_notice'] = array( '10' => array( 'fastbeat_plugin_dismiss_notice' ) );
			$hooks['network_admin_notices']              = array( '10' => array( 'fastbeat_plugin_admin_notice' ) );
			$hooks['plugin_row_meta']                    = array( '10' => array( 'fastbeat_plugin_row_meta' ) );
		}
		ksort( $hooks );
		FB::same( $hooks, fb_core_hooks( $state['hooks'] ), "$context request: the plugin's hooks are " . implode( ', ', array_keys( $hooks ) ) );
		$lane = array_diff_key( $state['hooks'], fb_core_hooks( $state['hooks'] ) );
		FB::check(
			array() === array_filter(
				array_keys( $lane ),
				static function ( $hook ) {
					return ! in_array( $hook, array( 'activated_plugin', 'deactivated_plugin', 'switch_theme', 'upgrader_process_complete', 'wp_update_site' ), true ) && 0 !== strpos( $hook, 'update_option_' ) && 0 !== strpos( $hook, 'update_site_option_' );
				}
			),
			"$context request: the fast lane's hooks (if any) fire only when plugins, themes or options change",
			$lane
		);
		FB::same( $loaded[0], $state['admin_loaded'], "$context request: admin UI code " . ( $loaded[0] ? 'loaded' : 'not loaded' ) );
		FB::same( $loaded[1], $state['health_loaded'], "$context request: Site Health code " . ( $loaded[1] ? 'loaded' : 'not loaded' ) );
	}

	FB::section( 'single site: direct requests to the plugin\'s files' );
	$shipped = array();
	$root    = $site->content() . '/plugins/fastbeat';
	foreach ( new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $root, FilesystemIterator::SKIP_DOTS ) ) as $file ) {
		if ( 'php' === $file->getExtension() ) {
			$shipped[] = substr( $file->getPathname(), strlen( $root ) );
		}
	}
	sort( $shipped );
	foreach ( $shipped as $rel ) {
		foreach ( array( false, true ) as $with_ext ) {
			$resp = $site->request(
				array(
					'method'   => 'GET',
					'path'     => '/wp-content/plugins/fastbeat' . $rel,
					'filename' => $root . $rel,
					'ext'      => $with_ext,
				)
			);
			FB::check(
				array() === fb_bad_errors( $resp['errors'] ) && $resp['status'] < 500 && '' === trim( $resp['body'] ),
				'GET /wp-content/plugins/fastbeat' . $rel . ( $with_ext ? ' (extension loaded)' : '' ) . ': no error, no output',
				$resp
			);
		}
	}

	FB::section( 'single site: Site Health in each state' );
	fb_check_health(
		'plugin-only',
		$site->task( 'site-health', $admin ),
		array(
			'status'   => 'recommended',
			'state'    => 'missing',
			'serving'  => false,
			'loaded'   => false,
			'contains' => array( 'not loaded', 'extension=fastbeat', PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION ),
		)
	);
	fb_check_health(
		'fastbeat',
		$site->task( 'site-health', $admin + $ext ),
		array(
			'status'   => 'good',
			'state'    => 'enabled',
			'serving'  => true,
			'loaded'   => true,
			'version'  => '0.1.0',
			'contains' => array( 'Fastbeat 0.1.0 is serving heartbeats' ),
		)
	);
	fb_check_health(
		'FASTBEAT_DISABLE',
		$site->task( 'site-health', $admin + $off_constant ),
		array(
			'status'   => 'good',
			'state'    => 'disabled-constant',
			'serving'  => false,
			'loaded'   => true,
			'version'  => '0.1.0',
			'contains' => array( 'wp-config.php', 'FASTBEAT_DISABLE', 'loaded and ready' ),
		)
	);
	fb_check_health(
		'fastbeat_enabled=false',
		$site->task( 'site-health', $admin + $off_filter ),
		array(
			'status'   => 'good',
			'state'    => 'disabled-filter',
			'serving'  => false,
			'loaded'   => true,
			'version'  => '0.1.0',
			'contains' => array( 'fastbeat_enabled', '__return_false' ),
		)
	);
	fb_check_health(
		'FASTBEAT_DISABLE without extension',
		$site->task( 'site-health', $admin + array( 'env' => array( 'FASTBEAT_TEST_DISABLE' => '1' ) ) ),
		array(
			'status'   => 'good',
			'state'    => 'disabled-constant',
			'serving'  => false,
			'loaded'   => false,
			'contains' => array( 'not loaded either' ),
		)
	);

	$messages = $site->task( 'messages', $admin );
	foreach ( (array) $messages as $state => $texts ) {
		FB::check(
			is_string( $texts['label'] ) && '' !== $texts['label'] && is_string( $texts['short'] ) && '' !== $texts['description']
				&& false === strpos( $texts['description'] . $texts['actions'], '<script' ),
			"messages for '$state': complete, and the extension's version string comes out escaped in HTML",
			$texts
		);
		FB::same( in_array( $state, array( 'missing', 'incomplete', 'unsupported' ), true ), $texts['needs_action'], "messages for '$state': needs_action" );
	}
	FB::check( isset( $messages['incomplete'] ) && false !== strpos( $messages['incomplete']['description'], 'fastbeat_nopriv_heartbeat' ), 'messages for \'incomplete\' name the missing function' );

	FB::section( 'single site: status on the Plugins screen and the admin notice' );
	$cases = array(
		'plugin-only, administrator'  => array( array( 'user' => 'fbadmin' ), 'missing', true ),
		'plugin-only, editor'         => array( array( 'user' => 'fbeditor' ), 'missing', false ),
		'fastbeat, administrator'     => array( array( 'user' => 'fbadmin' ) + $ext, 'enabled', false ),
		'FASTBEAT_DISABLE, administrator' => array( array( 'user' => 'fbadmin' ) + $off_constant, 'disabled-constant', false ),
		'filter off, administrator'   => array( array( 'user' => 'fbadmin' ) + $off_filter, 'disabled-filter', false ),
	);
	foreach ( $cases as $label => $case ) {
		list( $opts, $state_name, $notice ) = $case;
		$ui                                 = $site->task( 'admin-ui', array( 'context' => 'admin' ) + $opts );
		FB::same( $notice, false !== strpos( $ui['notices'], 'fastbeat-notice' ), "$label: admin notice " . ( $notice ? 'shown' : 'not shown' ) );
		FB::check( false !== strpos( implode( ' ', $ui['row_meta'] ), 'data-fastbeat-state="' . $state_name . '"' ), "$label: plugin row shows the state '$state_name'", $ui['row_meta'] );
	}
	$ui = $site->task( 'admin-ui', $admin );
	FB::check( false !== strpos( $ui['notices'], 'name="_wpnonce"' ) && false !== strpos( $ui['notices'], 'value="fastbeat_dismiss_notice"' ) && false !== strpos( $ui['notices'], 'extension=fastbeat' ), 'the notice says what to do and its Dismiss form carries a nonce', $ui['notices'] );
	$ui = $site->task( 'admin-ui', $admin + array( 'screen' => 'edit-post' ) );
	FB::same( '', trim( $ui['notices'] ), 'the notice stays off screens such as Posts' );

	FB::section( 'single site: real admin pages through php-cgi' );
	$editor_login = $site->task( 'login', array( 'user' => 'fbeditor' ) );
	$admin_cookie = array( 'cookie' => $login['cookie'] );
	$page         = fb_page( $site, 'plugin-only', '/wp-admin/', $admin_cookie );
	FB::check( false !== strpos( $page['body'], 'fastbeat-notice' ), 'plugin-only: the Dashboard shows the notice to the administrator' );
	$page = fb_page( $site, 'plugin-only', '/wp-admin/', array( 'cookie' => $editor_login['cookie'] ) );
	FB::check( false === strpos( $page['body'], 'fastbeat-notice' ), 'plugin-only: the Dashboard shows no notice to an editor' );
	$page = fb_page( $site, 'plugin-only', '/wp-admin/plugins.php', $admin_cookie );
	FB::check( false !== strpos( $page['body'], 'data-fastbeat-state="missing"' ), 'plugin-only: the Plugins screen shows the status' );
	$page = fb_page( $site, 'plugin-only', '/wp-admin/site-health.php', $admin_cookie );
	FB::check( false !== strpos( $page['body'], '"test":"fastbeat"' ), 'plugin-only: the Site Health screen runs the Fastbeat test' );
	fb_page( $site, 'plugin-only', '/wp-admin/site-health.php', $admin_cookie + array( 'query' => 'tab=debug' ) );
	fb_page( $site, 'plugin-only', '/', array() );
	$page = fb_page( $site, 'fastbeat', '/wp-admin/', $admin_cookie + $ext );
	FB::check( false === strpos( $page['body'], 'fastbeat-notice' ), 'fastbeat: the Dashboard shows no notice' );
	$page = fb_page( $site, 'fastbeat', '/wp-admin/plugins.php', $admin_cookie + $ext );
	FB::check( false !== strpos( $page['body'], 'data-fastbeat-state="enabled"' ), 'fastbeat: the Plugins screen shows the status' );
	fb_page( $site, 'fastbeat', '/wp-admin/site-health.php', $admin_cookie + $ext );
	fb_page( $site, 'fastbeat', '/', $ext );

	FB::section( 'single site: dismissing the notice' );
	$post = array(
		'method' => 'POST',
		'path'   => '/wp-admin/admin-post.php',
	);
	$resp = $site->request( $post + array( 'cookie' => $login['cookie'], 'body' => array( 'action' => 'fastbeat_dismiss_notice' ) ) );
	FB::same( 403, $resp['status'], 'dismiss without a nonce is refused (403)' );
	$resp = $site->request(
		$post + array(
			'cookie' => $editor_login['cookie'],
			'body'   => array(
				'action'   => 'fastbeat_dismiss_notice',
				'_wpnonce' => $editor_login['dismiss_nonce'],
			),
		)
	);
	FB::same( 403, $resp['status'], 'dismiss by an editor (valid nonce, no manage_options) is refused (403)' );
	$meta = static function () use ( $site ) {
		$rs  = fb_db()->query( "SELECT user_id, meta_value FROM {$site->prefix}usermeta WHERE meta_key = 'fastbeat_dismissed_notice'" );
		$out = array();
		while ( $row = $rs->fetch_row() ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition
			$out[ (int) $row[0] ] = $row[1];
		}
		return $out;
	};
	FB::same( array(), $meta(), 'refused dismissals stored nothing' );
	$resp = $site->request(
		$post + array(
			'cookie' => $login['cookie'],
			'body'   => array(
				'action'           => 'fastbeat_dismiss_notice',
				'_wpnonce'         => $login['dismiss_nonce'],
				'_wp_http_referer' => '/wp-admin/plugins.php',
			),
		)
	);
	FB::check( 302 === $resp['status'] && '/wp-admin/plugins.php' === $resp['location'], 'the administrator\'s dismissal redirects back', $resp );
	FB::same( array( $users['fbadmin'] => 'missing||0.1.0' ), $meta(), 'the dismissal is stored for that administrator only (user meta)' );
	$ui = $site->task( 'admin-ui', $admin );
	FB::same( '', trim( $ui['notices'] ), 'a dismissed notice stays away' );
	fb_set_min_version( $site, '0.2.0' );
	$ui = $site->task( 'admin-ui', $admin + $ext );
	FB::check( false !== strpos( $ui['notices'], 'data-fastbeat-state="unsupported"' ), 'a different problem brings the notice back' );
	fb_set_min_version( $site, '0.1.0' );

	FB::section( 'single site: plugin deleted while active' );
	fb_rmtree( $site->content() . '/plugins/fastbeat' );
	fb_check_beats( 'deleted while active, no extension', fb_beats( $site, $requests, array() ), $core, 'core' );
	fb_check_beats( 'deleted while active, extension', fb_beats( $site, $requests, $ext ), $core, 'core' );
	fb_page( $site, 'deleted while active', '/wp-admin/', $admin_cookie + $ext );
	fb_page( $site, 'deleted while active', '/', $ext );
	$site->install_plugin_copy();
	$state = $site->task( 'state', $ext );
	FB::check( true === $state['active'] && true === $state['plugin_loaded'], 'the plugin is back once its files are', $state );

	FB::section( 'single site: deactivation and uninstall leave no trace' );
	$before = $site->task( 'snapshot' );
	$deact  = $site->task( 'deactivate' );
	FB::same( '', $deact['output'], '[single] deactivate_plugins(): no output' );
	FB::same( array( 'options:active_plugins' ), fb_snapshot_diff( $before, $site->task( 'snapshot' ) ), '[single] deactivation changes only core\'s active_plugins' );
	fb_check_beats( 'deactivated+ext', fb_beats( $site, $requests, $ext ), $core, 'core' );
	$before = $site->task( 'snapshot' );
	$un     = $site->task( 'uninstall', $admin );
	FB::check( is_array( $un ) && true === $un['result'] && '' === $un['output'] && false === $un['exists'], '[single] delete_plugins() ran uninstall.php and removed the files', $un );
	$after = $site->task( 'snapshot' );
	FB::same( array( 'usermeta:' . $users['fbadmin'] . ':fastbeat_dismissed_notice' ),
		array_values( array_filter( fb_snapshot_diff( $before, $after ),
		static function ( $key ) {
			return false === strpos( $key, 'transient' );
		} ) ),
		'[single] uninstall removed the dismissed-notice user meta, nothing else' );
	FB::same( array(), fb_snapshot_mentions( $after ), '[single] after uninstall no option, meta or row mentions Fastbeat' );
	$files1 = fb_files( $site->content() );
	FB::same( array(), fb_files_changed( $files0, $files1 ), '[single] wp-content is as before activation (no mu-plugin, drop-in or file left)' );
	FB::same( array(), array_values( preg_grep( '#^plugins/fastbeat#', array_keys( $files1 ) ) ), '[single] the plugin folder is gone' );
	fb_check_beats( 'uninstalled+ext', fb_beats( $site, $requests, $ext ), $core, 'core' );
}

// ===========================================================================
// Multisite.
// ===========================================================================
if ( 'all' === $only || 'multisite' === $only ) {
	$ms      = new FB_Site( 'ms', 'ms.example.test', 'fbms_', true );
	$sites[] = $ms;
	$ext     = array( 'ext' => true );

	FB::section( 'multisite: install a subdirectory network with three sites' );
	$ms->create();
	$ms->env = array( 'FASTBEAT_TEST_MS_SETUP' => '1' );
	$users   = $ms->task( 'install' );
	$net     = $ms->task( 'install-network' );
	$ms->env = array();
	$blogs   = $ms->task( 'create-sites' );
	FB::check( is_array( $users ) && true === $net && is_array( $blogs ) && 2 === $blogs['site2'] && 3 === $blogs['site3'], '[ms] network installed (tables fbms_*): sites /, /site2/, /site3/', array( $users, $net, $blogs ) );
	if ( ! is_array( $blogs ) ) {
		FB::finish();
	}
	$paths = array(
		1 => '',
		2 => '/site2',
		3 => '/site3',
	);
	$snap0 = $ms->task( 'snapshot' );
	FB::same( array(), fb_snapshot_mentions( $snap0 ), '[ms] a fresh network mentions nothing of Fastbeat' );
	$files0   = fb_files( $ms->content() );
	$login    = $ms->task( 'login', array( 'user' => 'fbadmin' ) );
	$requests = fb_beat_requests( $login );
	$core     = array();
	foreach ( $paths as $blog => $path ) {
		fb_beats( $ms, $requests, array( 'path' => $path ) );
		$core[ $blog ] = fb_beats( $ms, $requests, array( 'path' => $path ) );
		FB::same( $blog, isset( $core[ $blog ]['nopriv']['probe'][0]['blog_id'] ) ? $core[ $blog ]['nopriv']['probe'][0]['blog_id'] : null, "[ms] core baseline on $path/ runs as blog $blog" );
	}

	FB::section( 'multisite: network activation' );
	$before = $ms->task( 'snapshot' );
	$act    = $ms->task( 'activate', array( 'network' => '1' ) );
	FB::check( is_array( $act ) && null === $act['error'] && '' === $act['output'], '[ms] network activation: no error, no output', $act );
	FB::same( array( 'sitemeta:1:active_sitewide_plugins' ), fb_snapshot_diff( $before, $ms->task( 'snapshot' ) ), '[ms] network activation stores nothing (only core\'s active_sitewide_plugins changes)' );
	foreach ( $paths as $blog => $path ) {
		$state = $ms->task( 'state', array( 'path' => "$path/" ) + $ext );
		FB::check( true === $state['network_active'] && true === $state['plugin_loaded'] && $blog === $state['blog_id'], "[ms] blog $blog: network-active and loaded", $state );
		fb_check_beats( "[ms] blog $blog network-active+ext", fb_beats( $ms, $requests, array( 'path' => $path ) + $ext ), $core[ $blog ], 'fastbeat' );
		fb_check_beats( "[ms] blog $blog network-active, no extension", fb_beats( $ms, $requests, array( 'path' => $path ) ), $core[ $blog ], 'core' );
	}

	FB::section( 'multisite: per-site state' );
	$off3 = array(
		'ext' => true,
		'env' => array(
			'FASTBEAT_TEST_FILTER_OFF'       => '1',
			'FASTBEAT_TEST_FILTER_OFF_BLOGS' => '3',
		),
	);
	fb_check_beats( '[ms] blog 2 (filter off on blog 3 only)', fb_beats( $ms, $requests, array( 'path' => '/site2' ) + $off3 ), $core[2], 'fastbeat' );
	fb_check_beats( '[ms] blog 3 (filter off on blog 3 only)', fb_beats( $ms, $requests, array( 'path' => '/site3' ) + $off3 ), $core[3], 'core' );
	$health = $ms->task( 'site-health', array( 'context' => 'admin', 'user' => 'fbadmin', 'path' => '/site3/' ) + $off3 );
	FB::same( 'disabled-filter', $health['info']['fields']['state']['debug'], '[ms] blog 3 Site Health: turned off by the filter' );
	$health = $ms->task( 'site-health', array( 'context' => 'admin', 'user' => 'fbadmin', 'path' => '/site2/' ) + $off3 );
	FB::same( 'good', $health['result']['status'], '[ms] blog 2 Site Health: good' );
	FB::same( 'enabled', $health['info']['fields']['state']['debug'], '[ms] blog 2 Site Health: serving' );
	fb_check_health(
		'[ms] blog 2, no extension',
		$ms->task( 'site-health', array( 'context' => 'admin', 'user' => 'fbadmin', 'path' => '/site2/' ) ),
		array(
			'status'   => 'recommended',
			'state'    => 'missing',
			'serving'  => false,
			'loaded'   => false,
			'contains' => array( 'not loaded' ),
		)
	);

	FB::section( 'multisite: notices' );
	$ui = $ms->task( 'admin-ui', array( 'context' => 'network', 'user' => 'fbadmin', 'screen' => 'dashboard-network' ) );
	FB::check( false !== strpos( $ui['notices'], 'fastbeat-notice' ), '[ms] network admin Dashboard: the super admin gets the notice', $ui );
	$ui = $ms->task( 'admin-ui', array( 'context' => 'admin', 'user' => 'fbsiteadmin', 'path' => '/site2/' ) );
	FB::same( '', trim( $ui['notices'] ), '[ms] a site administrator (not super admin) gets no notice: they cannot fix the server' );
	$page = fb_page( $ms, '[ms] network admin', '/wp-admin/network/', array( 'cookie' => $login['cookie'] ) );
	FB::check( false !== strpos( $page['body'], 'fastbeat-notice' ), '[ms] the real network Dashboard shows the notice' );
	fb_page( $ms, '[ms] network admin', '/wp-admin/network/plugins.php', array( 'cookie' => $login['cookie'] ) + $ext );
	fb_page( $ms, '[ms] blog 2 admin', '/site2/wp-admin/', array( 'cookie' => $login['cookie'] ) + $ext );
	$resp = $ms->request(
		array(
			'method' => 'POST',
			'path'   => '/wp-admin/admin-post.php',
			'cookie' => $login['cookie'],
			'body'   => array(
				'action'           => 'fastbeat_dismiss_notice',
				'_wpnonce'         => $login['dismiss_nonce'],
				'_wp_http_referer' => '/wp-admin/network/',
			),
		)
	);
	FB::same( 302, $resp['status'], '[ms] the super admin dismisses the notice' );

	FB::section( 'multisite: network deactivation, then activation on one site' );
	$before = $ms->task( 'snapshot' );
	$deact  = $ms->task( 'deactivate', array( 'network' => '1' ) );
	FB::same( '', $deact['output'], '[ms] network deactivation: no output' );
	FB::same( array( 'sitemeta:1:active_sitewide_plugins' ), fb_snapshot_diff( $before, $ms->task( 'snapshot' ) ), '[ms] network deactivation changes only core\'s active_sitewide_plugins' );
	$act = $ms->task( 'activate', array( 'path' => '/site2/' ) );
	FB::check( is_array( $act ) && null === $act['error'], '[ms] activation on blog 2 only', $act );
	fb_check_beats( '[ms] blog 2 (active there)', fb_beats( $ms, $requests, array( 'path' => '/site2' ) + $ext ), $core[2], 'fastbeat' );
	fb_check_beats( '[ms] blog 3 (inactive there)', fb_beats( $ms, $requests, array( 'path' => '/site3' ) + $ext ), $core[3], 'core' );
	fb_check_beats( '[ms] blog 1 (inactive there)', fb_beats( $ms, $requests, $ext ), $core[1], 'core' );
	$ms->task( 'deactivate', array( 'path' => '/site2/' ) );

	FB::section( 'multisite: uninstall' );
	$un = $ms->task( 'uninstall', array( 'context' => 'network', 'user' => 'fbadmin' ) );
	FB::check( is_array( $un ) && true === $un['result'] && false === $un['exists'], '[ms] delete_plugins() from the network admin ran uninstall.php and removed the files', $un );
	$after = $ms->task( 'snapshot' );
	FB::same( array(), fb_snapshot_mentions( $after ), '[ms] after uninstall nothing in any site\'s tables or the network\'s mentions Fastbeat' );
	FB::same( array(), fb_files_changed( $files0, fb_files( $ms->content() ) ), '[ms] wp-content is as before activation, minus the plugin folder (no mu-plugin, drop-in or file left)' );
}

FB::finish();
