<?php
/**
 * In-process fuzzing of the extension's PHP boundary: wp_unslash of `data`, sanitize_key
 * of `screen_id`, and JSON writing of whatever callbacks put in the response, on the test
 * bed's real WordPress. (The JSON encoder is PHP's own, called from Rust, so it can only be
 * fuzzed in a PHP process; the pure-Rust parts are fuzzed by fuzz/.)
 *
 * Each iteration builds a random request (magic-quoted like admin-ajax.php's $_POST: nested
 * arrays, odd keys, backslashes, NULs, invalid UTF-8, deep nesting) and a random set of
 * values a heartbeat_received / heartbeat_nopriv_received callback adds to the response
 * (floats incl. INF/NAN/-0.0, huge ints, objects, JsonSerializable that returns or throws,
 * references, strings json_encode() rejects, nesting past json_encode's depth), then runs
 * core's handler and fastbeat's on the same state and compares: response body (server_time
 * masked), the `data` and `screen_id` the callbacks received, PHP errors raised, and any
 * exception that escaped.
 *
 * Usage: php -d extension=target/release/libfastbeat.so tests/hardening/fuzz-handler.php [iterations] [seed]
 * Last line: "N passed, N failed" (one check per iteration).
 */

require __DIR__ . '/lib/boot.php';

$iterations = (int) ( $argv[1] ?? 2000 );
$seed       = (int) ( $argv[2] ?? time() );
mt_srand( $seed );
printf( "fuzz-handler: %d iterations, seed %d (replay: same arguments)\n", $iterations, $seed );

$admin = get_user_by( 'login', getenv( 'FASTBEAT_ADMIN_USER' ) ?: 'admin' );
$token = fbh_login( $admin->ID );
register_shutdown_function( 'fbh_logout_all', array( $admin->ID => array( $token ) ) );

/** A JsonSerializable whose behaviour is chosen by the generator. */
class Fbh_Json implements JsonSerializable {
	public $v;
	public $throw;
	public function __construct( $v, $throw = false ) {
		$this->v     = $v;
		$this->throw = $throw;
	}
	#[\ReturnTypeWillChange]
	public function jsonSerialize() {
		if ( $this->throw ) {
			throw new RuntimeException( 'fuzz jsonSerialize' );
		}
		return $this->v;
	}
}

function fbh_pick( array $a ) {
	return $a[ mt_rand( 0, count( $a ) - 1 ) ];
}

/** Random bytes biased to what breaks escaping and encoding. */
function fbh_str( $max = 24 ) {
	$pieces = array( '\\', '\\\\', '\\0', "'", '"', "\0", '/', "\xc3\xa9", "\xe2\x80\xa8", "\xf0\x9f\x92\x93", "\xff", "\xc3", "\xed\xa0\x80", '<', '&', '%', '+', ' ', "\n", 'a', 'Z', '0', '1', '-', '_', '|', '[]' );
	$s      = '';
	$n      = mt_rand( 0, $max );
	for ( $i = 0; $i < $n; $i++ ) {
		$s .= mt_rand( 0, 3 ) ? fbh_pick( $pieces ) : chr( mt_rand( 0, 255 ) );
	}
	return $s;
}

function fbh_key() {
	return fbh_pick( array( fbh_str( 8 ), (string) mt_rand( -5, 20 ), mt_rand( 0, 99 ), '', '0', '01', ' 1', '-0', 'wp-auth-check', 'server_time', '9223372036854775808' ) );
}

/** A request-shaped value: strings and arrays only, as PHP parses a POST body. */
function fbh_request_value( $depth ) {
	if ( $depth > 0 && mt_rand( 0, 2 ) === 0 ) {
		$a = array();
		for ( $i = mt_rand( 0, 5 ); $i > 0; $i-- ) {
			$a[ fbh_key() ] = fbh_request_value( $depth - 1 );
		}
		return $a;
	}
	return fbh_str();
}

/** Nested arrays $n deep around $leaf. */
function fbh_deep( $n, $leaf ) {
	for ( $i = 0; $i < $n; $i++ ) {
		$leaf = array( $leaf );
	}
	return $leaf;
}

/** A value a callback might put in the response. */
function fbh_response_value( $depth ) {
	switch ( mt_rand( 0, 17 ) ) {
		case 0:
			return fbh_pick( array( 0.1, -0.0, 1e100, -1.5e-7, 1.0, 1e15, 0.30000000000000004, PHP_FLOAT_EPSILON, 100.0 ) );
		case 1:
			return fbh_pick( array( INF, -INF, NAN ) );
		case 2:
			return fbh_pick( array( PHP_INT_MAX, PHP_INT_MIN, 0, -1 ) );
		case 3:
			return fbh_pick( array( true, false, null ) );
		case 4:
			return (object) array( 'a' => fbh_str(), 'b' => mt_rand() );
		case 5:
			return new Fbh_Json( $depth > 0 ? fbh_response_value( $depth - 1 ) : fbh_str() );
		case 6:
			return 0 === mt_rand( 0, 4 ) ? new Fbh_Json( null, true ) : new stdClass();
		case 7:
			return fbh_deep( fbh_pick( array( 100, 510, 511, 512, 513, 600 ) ), 'x' );
		case 8:
			return "\xff\xfe invalid utf-8";
		case 9:
			return array( 3 => 'sparse', 1 => 'keys' );
		case 10:
			return range( 0, mt_rand( 0, 5 ) );
		default:
			if ( $depth > 0 && mt_rand( 0, 1 ) ) {
				$a = array();
				for ( $i = mt_rand( 0, 4 ); $i > 0; $i-- ) {
					$a[ fbh_key() ] = fbh_response_value( $depth - 1 );
				}
				if ( mt_rand( 0, 5 ) === 0 && $a ) {
					$x                 = fbh_str();
					$a[ array_key_first( $a ) ] = &$x; // a reference inside the response
				}
				return $a;
			}
			return fbh_str();
	}
}

/** Run one handler; return everything observable. */
function fbh_observe( $fn, array $post, $extra, $user ) {
	global $fbh_seen;
	wp_set_current_user( $user );
	$_POST    = add_magic_quotes( $post );
	$_REQUEST = $_POST;
	$fbh_seen = array();
	fbh_errors();
	$exception = null;
	ob_start();
	try {
		$fn();
	} catch ( Fbh_Died $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement
	} catch ( Throwable $e ) {
		$exception = get_class( $e ) . ': ' . $e->getMessage();
	}
	$body = ob_get_clean();
	return array(
		'body'      => preg_replace( '/"server_time":\d+/', '"server_time":T', $body ),
		'seen'      => $fbh_seen,
		'errors'    => fbh_errors(),
		'exception' => $exception,
		'status'    => http_response_code(),
	);
}

$fbh_extra   = null;
$fbh_literal = false;
foreach ( array( 'heartbeat_received', 'heartbeat_nopriv_received' ) as $fbh_hook ) {
	add_filter(
		$fbh_hook,
		static function ( $response, $data, $screen_id ) {
			global $fbh_seen, $fbh_extra, $fbh_literal;
			$fbh_seen = array( 'data' => serialize( $data ), 'screen_id' => serialize( $screen_id ) );
			if ( $fbh_literal ) {
				// A literal array: immutable under opcache, so any native write must separate it.
				return array( 'fx_literal' => 'x', 'wp-auth-check' => 'early', 'server_time' => 'early' );
			}
			$response['fx_data'] = $data;
			if ( null !== $fbh_extra ) {
				$response['fx_extra'] = $fbh_extra;
			}
			return $response;
		},
		10,
		3
	);
}

$passed  = 0;
$failed  = 0;
$retried = 0;
$shown   = 0;
$it     = -1;
$done   = false;
// A handler that never returns (e.g. a corrupted hash chain looping in zend_hash_find)
// must end the run as a failure, not hang it: a CPU-time limit and a closing line.
set_time_limit( (int) ( getenv( 'FBH_TIME_LIMIT' ) ?: 120 ) );
register_shutdown_function(
	static function () use ( &$it, &$done, &$passed, &$failed, $seed ) {
		if ( ! $done ) {
			$e = error_get_last();
			printf( "  FAIL the run stopped in iteration %d (seed %d): %s\n", $it, $seed, $e ? $e['message'] : 'no error recorded' );
			printf( "%d passed, %d failed\n", $passed, $failed + 1 );
		}
	}
);
$t0     = microtime( true );
for ( $it = 0; $it < $iterations; $it++ ) {
	$shape = mt_rand( 0, 9 );
	$post  = array( 'action' => 'heartbeat', 'interval' => '60' );
	$data  = array();
	for ( $i = mt_rand( 0, 6 ); $i > 0; $i-- ) {
		$data[ fbh_key() ] = fbh_request_value( 4 );
	}
	if ( 0 === mt_rand( 0, 30 ) ) {
		$data['deep'] = fbh_deep( fbh_pick( array( 60, 255, 256, 257, 300 ) ), fbh_str() );
	}
	$post['data'] = 0 === mt_rand( 0, 15 ) ? fbh_str() : $data;
	$user         = $admin->ID;
	$core         = 'wp_ajax_heartbeat';
	$fast         = 'fastbeat_heartbeat';
	if ( $shape <= 7 ) {
		$post['_nonce'] = ''; // Minted just before the two runs (below).
	} elseif ( 8 === $shape ) {
		$post['_nonce'] = fbh_str( 12 );
	} else {
		$user = 0;
		$core = 'wp_ajax_nopriv_heartbeat';
		$fast = 'fastbeat_nopriv_heartbeat';
	}
	$post['screen_id'] = mt_rand( 0, 5 ) ? fbh_str( 16 ) : fbh_pick( array( array( 'x' ), '', '0', 'dashboard', 'POST' ) );
	$post['has_focus'] = 'false';
	$fbh_extra         = mt_rand( 0, 2 ) ? fbh_response_value( 3 ) : null;
	$fbh_literal       = 0 === mt_rand( 0, 9 );

	$order = mt_rand( 0, 1 ) ? array( 'core', 'fast' ) : array( 'fast', 'core' );
	// The nonce is minted for this tick (as the current user, whoever the previous
	// iteration left) and both handlers run in it: when a tick boundary passes between
	// the mint and the second run (a nonce's state and the refreshed nonces change with
	// it), the pair runs again on the same request, with a nonce minted again.
	$mint_user = get_current_user_id();
	for ( $attempt = 1;; $attempt++ ) {
		$tick = wp_nonce_tick( 'heartbeat-nonce' );
		if ( $shape <= 7 ) {
			wp_set_current_user( $mint_user );
			$post['_nonce'] = wp_create_nonce( 'heartbeat-nonce' );
		}
		$res = array();
		foreach ( $order as $which ) {
			$t = microtime( true );
			$res[ $which ] = fbh_observe( 'core' === $which ? $core : $fast, $post, $fbh_extra, $user );
			if ( getenv( 'FBH_TRACE' ) ) {
				fprintf( STDERR, "it %d %s %.4f s\n", $it, $which, microtime( true ) - $t );
			}
		}
		if ( wp_nonce_tick( 'heartbeat-nonce' ) === $tick || $attempt >= 3 ) {
			break;
		}
		++$retried;
	}
	if ( $res['core'] === $res['fast'] ) {
		$passed++;
		continue;
	}
	$failed++;
	if ( $shown++ < 5 ) {
		echo "  FAIL iteration $it:\n";
		foreach ( $res['core'] as $k => $v ) {
			if ( $v !== $res['fast'][ $k ] ) {
				printf( "    %s core: %s\n    %s fast: %s\n", $k, substr( var_export( $v, true ), 0, 600 ), $k, substr( var_export( $res['fast'][ $k ], true ), 0, 600 ) );
			}
		}
		echo '    request: ' . substr( var_export( $post, true ), 0, 800 ) . "\n";
	}
}
$done = true;
printf( "fuzz-handler: %d iterations in %.1f s%s\n", $iterations, microtime( true ) - $t0, $retried ? " ($retried run again: a nonce tick boundary passed)" : '' );
fbh_result( $passed, $failed );
