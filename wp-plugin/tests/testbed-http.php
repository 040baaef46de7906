<?php
/**
 * Plugin checks over HTTP against the running test bed (testbed/up.sh): nginx,
 * php-fpm and the one WordPress site, with the plugin symlinked from this
 * repository. Read-only apart from a login session: it sends heartbeats and
 * loads admin screens on every variant.
 *
 *   core (:18081)        no extension, plugin filtered out
 *   fastbeat (:18082)    extension + plugin
 *   plugin-only (:18083) plugin, no extension
 *   ext-only (:18084)    extension, plugin filtered out
 *
 * Checks that each variant runs what it claims, that heartbeats (logged in and
 * out, POST and GET) are identical to core's on every variant, and that the
 * plugin's status shows on the Plugins and Site Health screens.
 * Ends with "N passed, N failed".
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

require_once __DIR__ . '/lib/harness.php';

FB_Env::init();

$host     = getenv( 'FASTBEAT_SITE_HOST' ) ? getenv( 'FASTBEAT_SITE_HOST' ) : '127.0.0.1:18081';
$bind     = getenv( 'FASTBEAT_BIND' ) ? getenv( 'FASTBEAT_BIND' ) : '127.0.0.1';
$variants = array(
	'core'        => (int) ( getenv( 'FASTBEAT_PORT_CORE' ) ? getenv( 'FASTBEAT_PORT_CORE' ) : 18081 ),
	'fastbeat'    => (int) ( getenv( 'FASTBEAT_PORT_FASTBEAT' ) ? getenv( 'FASTBEAT_PORT_FASTBEAT' ) : 18082 ),
	'plugin-only' => (int) ( getenv( 'FASTBEAT_PORT_PLUGIN_ONLY' ) ? getenv( 'FASTBEAT_PORT_PLUGIN_ONLY' ) : 18083 ),
	'ext-only'    => (int) ( getenv( 'FASTBEAT_PORT_EXT_ONLY' ) ? getenv( 'FASTBEAT_PORT_EXT_ONLY' ) : 18084 ),
);

/**
 * One HTTP request to a variant.
 *
 * @param int    $port   Port.
 * @param string $method GET or POST.
 * @param string $path   Path and query.
 * @param array  $opt    body (array), cookie.
 * @return array{status: string, headers: string[], body: string}
 */
function fb_http( $port, $method, $path, array $opt = array() ) {
	global $host, $bind;
	$ch      = curl_init( "http://$bind:$port$path" );
	$headers = array( "Host: $host" );
	if ( ! empty( $opt['cookie'] ) ) {
		$headers[] = 'Cookie: ' . $opt['cookie'];
	}
	curl_setopt_array(
		$ch,
		array(
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_HEADER         => true,
			CURLOPT_HTTPHEADER     => $headers,
			CURLOPT_TIMEOUT        => 60,
			CURLOPT_CUSTOMREQUEST  => $method,
		)
	);
	if ( isset( $opt['body'] ) ) {
		curl_setopt( $ch, CURLOPT_POSTFIELDS, http_build_query( $opt['body'] ) );
	}
	$raw  = curl_exec( $ch );
	$size = curl_getinfo( $ch, CURLINFO_HEADER_SIZE );
	curl_close( $ch );
	if ( false === $raw ) {
		return array(
			'status'  => 'no response',
			'headers' => array(),
			'body'    => '',
		);
	}
	$lines = preg_split( "/\r\n/", trim( substr( $raw, 0, $size ) ) );
	return array(
		'status'  => array_shift( $lines ),
		'headers' => $lines,
		'body'    => (string) substr( $raw, $size ),
	);
}

/**
 * A response made comparable: Date removed, server_time replaced.
 *
 * @param array $r Response.
 * @return string
 */
function fb_http_normalize( array $r ) {
	$headers = array_filter(
		$r['headers'],
		static function ( $h ) {
			return 0 !== stripos( $h, 'Date:' );
		}
	);
	return $r['status'] . "\n" . implode( "\n", $headers ) . "\n\n" . preg_replace( '/"server_time":\d+/', '"server_time":0', $r['body'] );
}

$ext_built = is_file( FB_Env::$so );

FB::section( 'each variant runs what it claims' );
foreach ( $variants as $variant => $port ) {
	$probe = json_decode( fb_http( $port, 'GET', '/__fastbeat-testbed/probe.php?wp=1' )['body'], true );
	if ( ! FB::check( is_array( $probe ) && $variant === $probe['variant'], "$variant (:$port) answers as '$variant'", $probe ) ) {
		continue;
	}
	$want_ext    = $ext_built && in_array( $variant, array( 'fastbeat', 'ext-only' ), true );
	$want_plugin = in_array( $variant, array( 'fastbeat', 'plugin-only' ), true );
	FB::same( $want_ext, $probe['extension_loaded'], "$variant: extension " . ( $want_ext ? 'loaded' : 'not loaded' ) );
	FB::same( $want_plugin, $probe['plugin_loaded'], "$variant: plugin " . ( $want_plugin ? 'loaded' : 'not loaded' ) );
}
FB::check( $ext_built, 'the extension is built (' . FB_Env::$so . ')' );

// A session for the test bed's administrator, minted with the site's own salts.
$task  = fb_exec(
	array( PHP_BINARY, FB_Env::$plugin_src . '/tests/bin/wp-task.php', 'login', 'user=' . ( getenv( 'FASTBEAT_ADMIN_USER' ) ? getenv( 'FASTBEAT_ADMIN_USER' ) : 'admin' ) ),
	array(
		'PATH'               => getenv( 'PATH' ),
		'WORDPRESS_CONFIG'   => '',
		'FASTBEAT_TEST_HOST' => $host,
		'FASTBEAT_WP_DIR'    => FB_Env::$wp,
	),
	''
);
$login = preg_match( '/^@@RESULT@@ (.*)$/m', $task['stdout'], $m ) ? json_decode( $m[1], true ) : null;
FB::check( is_array( $login ), 'logged in as the test bed administrator', $task );
if ( ! is_array( $login ) ) {
	FB::finish();
}

FB::section( 'heartbeats: every variant answers exactly as core' );
$data     = array(
	'wp-auth-check' => 'true',
	'fbtest'        => array( 'a' => '1' ),
);
$requests = array(
	'logged out, POST'          => array( 'POST', '/wp-admin/admin-ajax.php', array( 'body' => array( 'action' => 'heartbeat', 'screen_id' => 'front', 'data' => $data ) ) ),
	'logged out, GET'           => array( 'GET', '/wp-admin/admin-ajax.php?action=heartbeat', array() ),
	'logged in, POST'           => array(
		'POST',
		'/wp-admin/admin-ajax.php',
		array(
			'cookie' => $login['cookie'],
			'body'   => array(
				'action'    => 'heartbeat',
				'_nonce'    => '{nonce}', // This tick's, put in when sent.
				'screen_id' => 'dashboard',
				'data'      => $data,
			),
		),
	),
	'logged in, expired nonce'  => array(
		'POST',
		'/wp-admin/admin-ajax.php',
		array(
			'cookie' => $login['cookie'],
			'body'   => array(
				'action'    => 'heartbeat',
				'_nonce'    => 'abcdef0123',
				'screen_id' => 'dashboard',
			),
		),
	),
	'logged in, GET (400)'      => array( 'GET', '/wp-admin/admin-ajax.php?action=heartbeat', array( 'cookie' => $login['cookie'] ) ),
);
// Core and the three variants get each request in one nonce tick, with the session's
// nonce of that tick: when a boundary passes meanwhile (a nonce's state and the refreshed
// nonces change with it), the four are sent again.
foreach ( $requests as $name => $request ) {
	for ( $attempt = 1;; $attempt++ ) {
		$tick                        = fb_nonce_tick( $login['nonce_life'] );
		list( $method, $path, $opt ) = $request;
		if ( isset( $opt['body']['_nonce'] ) && '{nonce}' === $opt['body']['_nonce'] ) {
			$opt['body']['_nonce'] = fb_login_nonces( $login, $tick )['heartbeat'];
		}
		$reference = fb_http_normalize( fb_http( $variants['core'], $method, $path, $opt ) );
		$answers   = array();
		foreach ( array( 'fastbeat', 'plugin-only', 'ext-only' ) as $variant ) {
			$answers[ $variant ] = fb_http_normalize( fb_http( $variants[ $variant ], $method, $path, $opt ) );
		}
		if ( fb_nonce_tick( $login['nonce_life'] ) === $tick || $attempt >= 3 ) {
			break;
		}
		echo "# $name: a nonce tick boundary passed (tick $tick): sending it again\n";
	}
	foreach ( $answers as $variant => $answer ) {
		FB::same( $reference, $answer, "$name: $variant identical to core" );
	}
}

FB::section( 'status screens' );
$expect = array(
	'fastbeat'    => array( 'enabled', 'Fastbeat 0.1.0 is serving heartbeats' ),
	'plugin-only' => array( 'missing', 'the Fastbeat extension is not loaded' ),
);
foreach ( $variants as $variant => $port ) {
	$plugins = fb_http( $port, 'GET', '/wp-admin/plugins.php', array( 'cookie' => $login['cookie'] ) );
	FB::check( false !== strpos( $plugins['status'], '200' ), "$variant: Plugins screen loads", $plugins['status'] );
	if ( isset( $expect[ $variant ] ) ) {
		FB::check( false !== strpos( $plugins['body'], 'data-fastbeat-state="' . $expect[ $variant ][0] . '"' ), "$variant: the Plugins screen shows the state '{$expect[ $variant ][0]}'" );
		$health = fb_http( $port, 'GET', '/wp-admin/site-health.php', array( 'cookie' => $login['cookie'] ) );
		FB::check( false !== strpos( $health['body'], $expect[ $variant ][1] ), "$variant: Site Health says \"{$expect[ $variant ][1]}\"" );
	} else {
		FB::check( false === strpos( $plugins['body'], 'data-fastbeat-state' ), "$variant: no Fastbeat status (the plugin is not loaded)" );
	}
}

FB::finish();
