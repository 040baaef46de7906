<?php
/**
 * Forged heartbeat nonces against the extension's native verification, on the test bed's
 * real WordPress (its salts, users and session tokens).
 *
 * Every forgery is put in $_POST['_nonce'] and fastbeat_heartbeat() is run: its response
 * must be core's rejection ({"...","nonces_expired":true}, or {"success":false} for values
 * that are empty()), and core's own wp_verify_nonce() must return false for the same value.
 * Controls first prove the check can say yes: the current and previous tick's nonces are
 * accepted (1 / 2) by both, for two users and two sessions.
 *
 * Categories: random hex, random bytes, off by N ticks, another action, another user,
 * another session (real and made-up tokens), another site's salt, one character changed,
 * truncated, upper/mixed case, padded, non-strings (arrays).
 *
 * The forgeries are made from this tick's valid nonces (a "next tick" nonce becomes valid
 * once a boundary passes): the tick is read again after the controls and after each
 * category, and what a boundary passed through is run again with the new tick's nonces.
 * "upper / mixed case" has nothing to forge when neither valid nonce has a letter (about
 * one tick in 12,000): it is then reported as not applicable, neither passed nor failed.
 *
 * Usage: php -d extension=target/release/libfastbeat.so tests/hardening/nonce-forgery.php [total] [seed]
 *   total  forgeries to try (default 100000; the categories scale with it)
 *   seed   mt_rand seed (default: time); printed, so a run can be replayed
 * Last line: "N passed, N failed" (one check per category and control).
 */

require __DIR__ . '/lib/boot.php';

$total = (int) ( $argv[1] ?? 100000 );
$seed  = (int) ( $argv[2] ?? time() );
mt_srand( $seed );
printf( "nonce-forgery: %d forgeries, seed %d, WordPress %s, fastbeat %s\n", $total, $seed, $GLOBALS['wp_version'], fastbeat_version() );

$admin  = get_user_by( 'login', getenv( 'FASTBEAT_ADMIN_USER' ) ?: 'admin' );
$editor = get_user_by( 'login', getenv( 'FASTBEAT_EDITOR_USER' ) ?: 'editor' );
if ( ! $admin || ! $editor ) {
	fwrite( STDERR, "nonce-forgery: test bed users not found\n" );
	fbh_result( 0, 1 );
}

// Sessions: the attacked one (admin A), a second session of the same user (admin B) and
// another user's (editor). Destroyed again at the end.
$tokens       = array();
$token_b      = fbh_login( $admin->ID );
$tokens[ $admin->ID ][] = $token_b;
$token_e      = fbh_login( $editor->ID );
$tokens[ $editor->ID ][] = $token_e;
$token_a      = fbh_login( $admin->ID );
$tokens[ $admin->ID ][] = $token_a;
register_shutdown_function( 'fbh_logout_all', $tokens );

$key = wp_salt( 'nonce' );

/** substr( hmac_md5( "$tick|$action|$uid|$token" ), -12, 10 ) with any parts. */
function fbh_mint( $tick, $action, $uid, $token, $key ) {
	return substr( hash_hmac( 'md5', $tick . '|' . $action . '|' . $uid . '|' . $token, $key ), -12, 10 );
}

/**
 * What depends on the clock: the tick now and the attacked session's valid nonces
 * (this tick's and the previous one's).
 */
function fbh_state( $uid, $token, $key ) {
	$tick = wp_nonce_tick( 'heartbeat-nonce' );
	$now  = fbh_mint( $tick, 'heartbeat-nonce', $uid, $token, $key );
	$prev = fbh_mint( $tick - 1, 'heartbeat-nonce', $uid, $token, $key );
	return array(
		'tick'  => $tick,
		'now'   => $now,
		'prev'  => $prev,
		'valid' => array(
			$now  => true,
			$prev => true,
		),
	);
}

/** Run the native handler for $nonce as the current user; classify its response. */
function fbh_native( $nonce ) {
	$_POST = array(
		'action'    => 'heartbeat',
		'interval'  => '60',
		'_nonce'    => $nonce,
		'screen_id' => 'dashboard',
		'has_focus' => 'false',
	);
	$out = fbh_run( 'fastbeat_heartbeat' );
	fbh_errors();
	if ( '{"success":false}' === $out ) {
		return 'empty';
	}
	$j = json_decode( $out, true );
	if ( ! is_array( $j ) ) {
		return 'garbage: ' . substr( $out, 0, 200 );
	}
	if ( ! empty( $j['nonces_expired'] ) ) {
		return 'rejected';
	}
	if ( isset( $j['heartbeat_nonce'] ) ) {
		return 'accepted-prev';
	}
	if ( isset( $j['server_time'] ) ) {
		return 'accepted';
	}
	return 'unknown: ' . substr( $out, 0, 200 );
}

$passed = 0;
$failed = 0;

// ---------------------------------------------------------------- controls: the check can say yes
for ( $attempt = 1;; $attempt++ ) {
	$s        = fbh_state( $admin->ID, $token_a, $key );
	$tick     = $s['tick'];
	$controls = array(
		array( 'admin session A, current tick', $admin->ID, $token_a, $s['now'], 'accepted', 1 ),
		array( 'admin session A, previous tick', $admin->ID, $token_a, $s['prev'], 'accepted-prev', 2 ),
		array( 'admin session B, current tick', $admin->ID, $token_b, fbh_mint( $tick, 'heartbeat-nonce', $admin->ID, $token_b, $key ), 'accepted', 1 ),
		array( 'editor, current tick', $editor->ID, $token_e, fbh_mint( $tick, 'heartbeat-nonce', $editor->ID, $token_e, $key ), 'accepted', 1 ),
		array( 'editor, previous tick', $editor->ID, $token_e, fbh_mint( $tick - 1, 'heartbeat-nonce', $editor->ID, $token_e, $key ), 'accepted-prev', 2 ),
		array( 'admin A, wp_create_nonce()', $admin->ID, $token_a, null, 'accepted', 1 ),
	);
	$lines = array();
	$c_ok  = 0;
	foreach ( $controls as list( $label, $uid, $token, $nonce, $want, $want_core ) ) {
		wp_set_current_user( $uid );
		$_COOKIE[ LOGGED_IN_COOKIE ] = wp_generate_auth_cookie( $uid, time() + DAY_IN_SECONDS, 'logged_in', $token );
		if ( null === $nonce ) {
			$nonce = wp_create_nonce( 'heartbeat-nonce' );
		}
		$got  = fbh_native( $nonce );
		$core = wp_verify_nonce( $nonce, 'heartbeat-nonce' );
		$ok   = $got === $want && $core === $want_core;
		$c_ok += $ok ? 1 : 0;
		$lines[] = sprintf( "  %-4s control %-34s fastbeat: %-14s core wp_verify_nonce: %s\n", $ok ? 'ok' : 'FAIL', $label, $got, var_export( $core, true ) );
	}
	if ( wp_nonce_tick( 'heartbeat-nonce' ) === $tick || $attempt >= 3 ) {
		break;
	}
	echo "  (a nonce tick boundary passed during the controls: running them again)\n";
}
echo implode( '', $lines );
$passed += $c_ok;
$failed += count( $controls ) - $c_ok;

// Back to the attacked session.
wp_set_current_user( $admin->ID );
$_COOKIE[ LOGGED_IN_COOKIE ] = wp_generate_auth_cookie( $admin->ID, time() + DAY_IN_SECONDS, 'logged_in', $token_a );

// ---------------------------------------------------------------- forgeries
function fbh_hex( $n ) {
	$s = '';
	for ( $i = 0; $i < $n; $i++ ) {
		$s .= '0123456789abcdef'[ mt_rand( 0, 15 ) ];
	}
	return $s;
}
function fbh_bytes( $n ) {
	$s = '';
	for ( $i = 0; $i < $n; $i++ ) {
		$s .= chr( mt_rand( 0, 255 ) );
	}
	return $s;
}
function fbh_token() {
	$chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	$s     = '';
	for ( $i = 0; $i < 43; $i++ ) {
		$s .= $chars[ mt_rand( 0, 61 ) ];
	}
	return $s;
}

$scale = max( 1, $total ) / 100000;
$n     = static function ( $base ) use ( $scale ) {
	return max( 1, (int) round( $base * $scale ) );
};

$categories = array();

$categories['random hex (10 chars)'] = static function ( $s ) use ( $n ) {
	for ( $i = $n( 55000 ); $i > 0; $i-- ) {
		yield fbh_hex( 10 );
	}
};
$categories['random bytes (1-40)'] = static function ( $s ) use ( $n ) {
	for ( $i = $n( 5000 ); $i > 0; $i-- ) {
		yield fbh_bytes( mt_rand( 1, 40 ) );
	}
};
$categories['off by N ticks (+1..+1000, -2..-1000)'] = static function ( $s ) use ( $n, $admin, $token_a, $key ) {
	$k = $n( 2000 );
	for ( $d = 1; $d <= $k / 2; $d++ ) {
		yield fbh_mint( $s['tick'] + $d, 'heartbeat-nonce', $admin->ID, $token_a, $key );
		yield fbh_mint( $s['tick'] - 1 - $d, 'heartbeat-nonce', $admin->ID, $token_a, $key );
	}
};
$categories['tick as another text (int cast, float text, padded)'] = static function ( $s ) use ( $admin, $token_a, $key ) {
	foreach ( array( $s['tick'], $s['tick'] - 1 ) as $t ) {
		foreach ( array( sprintf( '%.1f', $t ), sprintf( '%.14E', $t ), " $t", "$t ", "0$t", '+' . $t, sprintf( '%d.0', $t ) ) as $text ) {
			yield fbh_mint( $text, 'heartbeat-nonce', $admin->ID, $token_a, $key );
		}
	}
};
$categories['another action'] = static function ( $s ) use ( $n, $admin, $token_a, $key ) {
	$fixed = array( 'wp_rest', 'log-out', '-1', '', 'heartbeat', 'heartbeat_nonce', 'Heartbeat-nonce', 'heartbeat-nonce ', ' heartbeat-nonce', 'heartbeat-nonce|', 'heartbeat-nonce' . "\0", 'update-post_1', 'wp-refresh-post-lock', 'heartbeat-noncE' );
	$k     = $n( 12000 );
	for ( $i = 0; $i < $k; $i++ ) {
		$action = $i < count( $fixed ) ? $fixed[ $i ] : ( mt_rand( 0, 1 ) ? 'heartbeat-nonce' . fbh_hex( mt_rand( 1, 4 ) ) : fbh_bytes( mt_rand( 0, 20 ) ) );
		if ( 'heartbeat-nonce' === $action ) {
			continue;
		}
		yield fbh_mint( $s['tick'] - ( $i % 2 ), $action, $admin->ID, $token_a, $key );
	}
};
$categories['another user (uid 0, 2.., real editor)'] = static function ( $s ) use ( $n, $admin, $editor, $token_a, $token_e, $key ) {
	yield fbh_mint( $s['tick'], 'heartbeat-nonce', $editor->ID, $token_e, $key );
	yield fbh_mint( $s['tick'] - 1, 'heartbeat-nonce', $editor->ID, $token_e, $key );
	yield fbh_mint( $s['tick'], 'heartbeat-nonce', 0, '', $key );
	yield fbh_mint( $s['tick'], 'heartbeat-nonce', 0, $token_a, $key );
	$k = $n( 12000 );
	for ( $i = 0; $i < $k; $i++ ) {
		$uid = mt_rand( 0, 3 ) ? mt_rand( 0, 5000 ) : ( mt_rand( 0, 1 ) ? -mt_rand( 1, 100 ) : $admin->ID . fbh_hex( 1 ) );
		if ( (string) $uid === (string) $admin->ID ) {
			continue;
		}
		yield fbh_mint( $s['tick'] - ( $i % 2 ), 'heartbeat-nonce', $uid, mt_rand( 0, 1 ) ? $token_a : $token_e, $key );
	}
};
$categories['another session (real, random, empty tokens)'] = static function ( $s ) use ( $n, $admin, $token_a, $token_b, $key ) {
	foreach ( array( $token_b, '', '0', substr( $token_a, 0, 42 ), $token_a . 'x', strtoupper( $token_a ), $token_a . '|' ) as $t ) {
		yield fbh_mint( $s['tick'], 'heartbeat-nonce', $admin->ID, $t, $key );
		yield fbh_mint( $s['tick'] - 1, 'heartbeat-nonce', $admin->ID, $t, $key );
	}
	for ( $i = $n( 12000 ); $i > 0; $i-- ) {
		yield fbh_mint( $s['tick'] - ( $i % 2 ), 'heartbeat-nonce', $admin->ID, fbh_token(), $key );
	}
};
$categories['another site (other salts)'] = static function ( $s ) use ( $n, $admin, $token_a, $key ) {
	foreach ( array( '', 'put your unique phrase here', substr( $key, 0, -1 ), $key . ' ', strtoupper( $key ) ) as $k ) {
		yield fbh_mint( $s['tick'], 'heartbeat-nonce', $admin->ID, $token_a, $k );
	}
	for ( $i = $n( 3000 ); $i > 0; $i-- ) {
		yield fbh_mint( $s['tick'] - ( $i % 2 ), 'heartbeat-nonce', $admin->ID, $token_a, fbh_bytes( mt_rand( 0, 80 ) ) );
	}
};
$categories['one character changed'] = static function ( $s ) {
	foreach ( array( $s['now'], $s['prev'] ) as $v ) {
		for ( $p = 0; $p < 10; $p++ ) {
			for ( $c = 0; $c < 256; $c++ ) {
				if ( chr( $c ) !== $v[ $p ] ) {
					$f       = $v;
					$f[ $p ] = chr( $c );
					yield $f;
				}
			}
		}
	}
};
$categories['truncated'] = static function ( $s ) {
	foreach ( array( $s['now'], $s['prev'] ) as $v ) {
		for ( $l = 1; $l < 10; $l++ ) {
			yield substr( $v, 0, $l );
			yield substr( $v, -$l );
		}
	}
};
$categories['upper / mixed case'] = static function ( $s ) {
	foreach ( array( $s['now'], $s['prev'] ) as $v ) {
		$letters = array();
		for ( $p = 0; $p < 10; $p++ ) {
			if ( ctype_alpha( $v[ $p ] ) ) {
				$letters[] = $p;
			}
		}
		// Every non-empty subset of the letters upper-cased.
		for ( $mask = 1; $mask < ( 1 << count( $letters ) ); $mask++ ) {
			$f = $v;
			foreach ( $letters as $bit => $p ) {
				if ( $mask & ( 1 << $bit ) ) {
					$f[ $p ] = strtoupper( $f[ $p ] );
				}
			}
			yield $f;
		}
	}
};
$categories['padded (prefix / suffix)'] = static function ( $s ) {
	$pads = array( ' ', "\t", "\n", "\r\n", "\0", '0', 'a', '%20', '+', '\\', "'", '"', ' ' . "\0", str_repeat( ' ', 100 ), "\xc2\xa0", "\xef\xbb\xbf" );
	foreach ( array( $s['now'], $s['prev'] ) as $v ) {
		foreach ( $pads as $p ) {
			yield $v . $p;
			yield $p . $v;
			yield $p . $v . $p;
		}
		for ( $i = 0; $i < 256; $i++ ) {
			yield $v . chr( $i );
			yield chr( $i ) . $v;
		}
		yield $v . $v;
		yield addslashes( $v ) . '\\';
	}
};
$categories['non-strings (arrays)'] = static function ( $s ) {
	foreach ( array( $s['now'], $s['prev'] ) as $v ) {
		yield array( $v );
		yield array( 'x' => $v );
		yield array( $v, $v );
		yield array( array( $v ) );
	}
	yield array();
	yield array( '' );
	yield 'Array';
	yield '';
	yield '0';
};

// Categories that may have nothing to forge in some ticks: label => why, given the state.
$not_applicable = array(
	'upper / mixed case' => static function ( $s ) {
		return preg_match( '/[a-f]/', $s['now'] . $s['prev'] ) ? null : "neither valid nonce of tick {$s['tick']} ({$s['now']}, {$s['prev']}) has a letter to change the case of";
	},
);

$grand = 0;
$t0    = microtime( true );
foreach ( $categories as $label => $gen ) {
	for ( $attempt = 1;; $attempt++ ) {
		$s      = fbh_state( $admin->ID, $token_a, $key );
		$count  = 0;
		$broken = array();
		$start  = microtime( true );
		foreach ( $gen( $s ) as $forged ) {
			if ( is_string( $forged ) && isset( $s['valid'][ $forged ] ) ) {
				continue; // A random draw hit a valid nonce (p ~ 1e-12): not a forgery.
			}
			++$count;
			$got  = fbh_native( $forged );
			$core = wp_verify_nonce( $forged, 'heartbeat-nonce' );
			fbh_errors(); // (string) array() warns, as in core.
			$want = ( is_array( $forged ) ? empty( $forged ) : empty( $forged ) ) ? 'empty' : 'rejected';
			if ( $got !== $want || false !== $core ) {
				if ( count( $broken ) < 5 ) {
					$broken[] = sprintf( '%s -> fastbeat %s, core %s', var_export( $forged, true ), $got, var_export( $core, true ) );
				}
			}
		}
		// Forged from one tick's nonces, checked in another: a "next tick" nonce is valid now.
		if ( wp_nonce_tick( 'heartbeat-nonce' ) === $s['tick'] || $attempt >= 3 ) {
			break;
		}
		printf( "  (a nonce tick boundary passed during '%s': running it again)\n", $label );
	}
	$grand += $count;
	$why_na = 0 === $count && isset( $not_applicable[ $label ] ) ? $not_applicable[ $label ]( $s ) : null;
	if ( null !== $why_na ) {
		printf( "  %-4s %-52s %7d forged, not applicable: %s\n", 'n/a', $label, $count, $why_na );
		continue;
	}
	$ok = empty( $broken ) && $count > 0;
	$ok ? $passed++ : $failed++;
	printf( "  %-4s %-52s %7d forged, %s (%.1f s)\n", $ok ? 'ok' : 'FAIL', $label, $count, $ok ? 'all rejected by fastbeat and core' : ( $count ? 'SOME ACCEPTED' : 'NOTHING FORGED' ), microtime( true ) - $start );
	foreach ( $broken as $b ) {
		echo "       $b\n";
	}
}

$enough = $grand >= $total;
printf( "nonce-forgery: %d forged nonces in %.1f s, %s\n", $grand, microtime( true ) - $t0, $enough ? "at least the $total asked for" : "FEWER than the $total asked for" );
$enough ? $passed++ : $failed++;
fbh_result( $passed, $failed );
