<?php
/**
 * In-process handler micro-benchmark: core's wp_ajax_heartbeat() / wp_ajax_nopriv_heartbeat()
 * against fastbeat_heartbeat() / fastbeat_nopriv_heartbeat(), side by side in one process,
 * on a real WordPress (the test bed's site and database).
 *
 * Both handlers run with the same `wp_die_ajax_handler` replaced by one that returns (core's
 * handler then returns too), so each call comes back to the loop without exiting. Rounds alternate which handler goes first; each round times a
 * block of calls per handler; the report gives the median (min, max) µs per call over rounds
 * and the ratio of medians.
 *
 * Usage: php -d extension=target/release/libfastbeat.so bench/handler-micro.php [rounds] [calls] [json-out]
 * Needs the test bed (testbed/up.sh): FASTBEAT_SITE_HOST selects its config.
 */

if ( ! extension_loaded( 'fastbeat' ) ) {
	fwrite( STDERR, "handler-micro: the fastbeat extension is not loaded\n" );
	exit( 2 );
}

$rounds = (int) ( $argv[1] ?? 15 );
$calls  = (int) ( $argv[2] ?? 2000 );
$out    = $argv[3] ?? '';

if ( ! getenv( 'FASTBEAT_SITE_HOST' ) || ! getenv( 'FASTBEAT_WP_DIR' ) ) {
	fwrite( STDERR, "handler-micro: FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	exit( 2 );
}
$_SERVER['HTTP_HOST']      = getenv( 'FASTBEAT_SITE_HOST' );
$_SERVER['REQUEST_METHOD'] = 'POST';
$_SERVER['REQUEST_URI']    = '/wp-admin/admin-ajax.php';
define( 'DOING_AJAX', true );
define( 'WP_ADMIN', true );
require getenv( 'FASTBEAT_WP_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/ajax-actions.php';

/** Never thrown: kept so a handler that does throw would be caught per call. */
class Fastbeat_Bench_Done extends Exception {}

add_filter(
	'wp_die_ajax_handler',
	static function () {
		return '__return_null';
	}
);

$admin = get_user_by( 'login', getenv( 'FASTBEAT_BENCH_USER' ) ?: 'admin' );
if ( ! $admin ) {
	fwrite( STDERR, "handler-micro: no admin user on the test bed\n" );
	exit( 2 );
}

/** Log a user in for this process, with a real session token in the logged_in cookie. */
function fastbeat_bench_login( $user_id ) {
	wp_set_current_user( $user_id );
	if ( ! $user_id ) {
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		return;
	}
	$expiration                 = time() + DAY_IN_SECONDS;
	$token                      = WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
	$_COOKIE[ LOGGED_IN_COOKIE ] = wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token );
}

$cases = array(
	'logged-in, no data'   => array( 'user' => $admin->ID, 'nonce' => 'valid', 'data' => null ),
	'logged-in, with data' => array(
		'user'  => $admin->ID,
		'nonce' => 'valid',
		'data'  => array(
			'foo'  => 'bar',
			'misc' => array( 'x' => "it\\'s", 'n' => '1' ),
		),
	),
	'invalid nonce'        => array( 'user' => $admin->ID, 'nonce' => 'invalid', 'data' => null ),
	'logged-out'           => array( 'user' => 0, 'nonce' => null, 'data' => null ),
);

/** Time $calls calls of $fn, in µs per call. */
function fastbeat_bench_block( $fn, $calls ) {
	$start = hrtime( true );
	for ( $i = 0; $i < $calls; $i++ ) {
		ob_start();
		try {
			$fn();
		} catch ( Fastbeat_Bench_Done $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement
		}
		ob_end_clean();
	}
	return ( hrtime( true ) - $start ) / 1000 / $calls;
}

/** Median of a list of numbers. */
function fastbeat_bench_median( array $v ) {
	sort( $v );
	$n = count( $v );
	return 0 === $n % 2 ? ( $v[ $n / 2 - 1 ] + $v[ $n / 2 ] ) / 2 : $v[ intdiv( $n, 2 ) ];
}

// Nothing is printed until every case is timed: in the CLI, output sends the headers, and
// a handler then skips what it does before a real response (header() calls, and
// get_option( 'blog_charset' ) for the Content-Type), which is not the cost being measured.
$report = array();
$lines  = array( sprintf( "%-22s %12s %12s %8s\n", 'case', 'core µs', 'fastbeat µs', 'ratio' ) );
foreach ( $cases as $name => $case ) {
	if ( headers_sent() ) {
		fwrite( STDERR, "handler-micro: headers already sent before timing '$name'\n" );
		exit( 1 );
	}
	fastbeat_bench_login( $case['user'] );
	$core = $case['user'] ? 'wp_ajax_heartbeat' : 'wp_ajax_nopriv_heartbeat';
	$fast = $case['user'] ? 'fastbeat_heartbeat' : 'fastbeat_nopriv_heartbeat';

	// Same output from both before timing anything. The nonce is this tick's, and both
	// handlers answer in that tick: if a boundary passed between the mint and the second
	// answer (a nonce's state, the refreshed nonces change with it), mint and compare again.
	for ( $attempt = 1;; $attempt++ ) {
		$tick  = wp_nonce_tick( 'heartbeat-nonce' );
		$_POST = array(
			'action'    => 'heartbeat',
			'screen_id' => 'dashboard',
			'interval'  => '60',
			'has_focus' => 'false',
		);
		if ( 'valid' === $case['nonce'] ) {
			$_POST['_nonce'] = wp_create_nonce( 'heartbeat-nonce' );
		} elseif ( 'invalid' === $case['nonce'] ) {
			$_POST['_nonce'] = '0123456789';
		}
		if ( null !== $case['data'] ) {
			$_POST['data'] = $case['data'];
		}
		$_POST = add_magic_quotes( $_POST );

		ob_start();
		try {
			$core();
		} catch ( Fastbeat_Bench_Done $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement
		}
		$a = preg_replace( '/"server_time":\d+/', '"server_time":T', ob_get_clean() );
		ob_start();
		try {
			$fast();
		} catch ( Fastbeat_Bench_Done $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement
		}
		$b = preg_replace( '/"server_time":\d+/', '"server_time":T', ob_get_clean() );
		if ( wp_nonce_tick( 'heartbeat-nonce' ) === $tick || $attempt >= 3 ) {
			break;
		}
	}
	if ( $a !== $b ) {
		fwrite( STDERR, "handler-micro: outputs differ for '$name':\n core: $a\n fast: $b\n" );
		exit( 1 );
	}

	fastbeat_bench_block( $core, (int) ( $calls / 4 ) ); // Warm up both.
	fastbeat_bench_block( $fast, (int) ( $calls / 4 ) );
	$t = array(
		'core'     => array(),
		'fastbeat' => array(),
	);
	for ( $r = 0; $r < $rounds; $r++ ) {
		$order = 0 === $r % 2 ? array( 'core', 'fastbeat' ) : array( 'fastbeat', 'core' );
		foreach ( $order as $which ) {
			$t[ $which ][] = fastbeat_bench_block( 'core' === $which ? $core : $fast, $calls );
		}
	}
	$mc    = fastbeat_bench_median( $t['core'] );
	$mf    = fastbeat_bench_median( $t['fastbeat'] );
	$ratio = $mf / $mc;
	$lines[] = sprintf( "%-22s %12.2f %12.2f %7.2fx\n", $name, $mc, $mf, $ratio );
	$report[ $name ] = array(
		'core_us'     => array( 'median' => $mc, 'min' => min( $t['core'] ), 'max' => max( $t['core'] ) ),
		'fastbeat_us' => array( 'median' => $mf, 'min' => min( $t['fastbeat'] ), 'max' => max( $t['fastbeat'] ) ),
		'ratio'       => $ratio,
		'body'        => $a,
	);
}
echo implode( '', $lines ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- CLI report.
printf( "rounds=%d calls/round=%d php=%s opcache.enable_cli=%s\n", $rounds, $calls, PHP_VERSION, ini_get( 'opcache.enable_cli' ) ?: '0' );
if ( '' !== $out ) {
	file_put_contents( $out, json_encode( array( 'rounds' => $rounds, 'calls' => $calls, 'cases' => $report ), JSON_PRETTY_PRINT ) . "\n" );
}
