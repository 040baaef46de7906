<?php
/**
 * Fastbeat fast lane, logged in: the extension compiles this file in place of
 * wp-admin/admin-ajax.php for a dashboard beat (no data) or a block-editor post-lock beat
 * on a site whose manifest holds evidence that such beats depend on nothing but core's own
 * code, once this worker has learned the site's database and salts from a full-path beat.
 *
 * Three reads (options, the user, its session tokens and capabilities; three more for a
 * post lock) in one round trip, then the extension checks the auth cookie, the session,
 * the nonce and the lock as core does and sends core's answer. Any other beat (an invalid
 * or refreshed nonce, an unknown user, a changed option, a lock held by someone else, the
 * database away) runs admin-ajax.php itself: the full path.
 *
 * @package Fastbeat
 */

// Only ever entered in place of admin-ajax.php by the extension; a direct request does nothing.
if ( ! function_exists( 'fastbeat_lane_active' ) || ! fastbeat_lane_active() ) {
	exit;
}

// In a closure, so nothing is left in the global scope admin-ajax.php may then run in.
( static function () {
	// The plan's reads over PDO's persistent connection for the lane, in one round trip.
	$read_pdo = static function ( array $plan, string $dsn, &$db ): ?array {
		// A key of its own: no other code shares (or leaves state on) this connection.
		$db   = new PDO(
			$dsn,
			(string) $plan['user'],
			(string) $plan['password'],
			array(
				PDO::ATTR_PERSISTENT         => 'fastbeat-lane',
				PDO::ATTR_ERRMODE            => PDO::ERRMODE_EXCEPTION,
				PDO::ATTR_STRINGIFY_FETCHES  => true,
				PDO::ATTR_EMULATE_PREPARES   => true,
				PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
			)
		);
		$rows = array();
		$st   = $db->query( implode( ';', $plan['queries'] ) );
		do {
			$rows[] = $st->fetchAll( PDO::FETCH_ASSOC );
		} while ( $st->nextRowset() );
		$st = null;
		return count( $rows ) === count( $plan['queries'] ) ? $rows : null;
	};

	// The plan's reads over mysqli, as wpdb connects, in one round trip.
	$read_mysqli = static function ( array $plan, &$db ): ?array {
		$db = mysqli_init();
		// Failures fall through to the full path, which reports them as core does. The
		// link persists in the worker ('p:') unless the host set mysqli.allow_persistent=0
		// (where 'p:' would only raise "Persistent connections are disabled").
		$host = ( $plan['persistent'] ? 'p:' : '' ) . $plan['host'];
		if ( ! $db || ! @$db->real_connect( $host, $plan['user'], $plan['password'], $plan['name'], $plan['port'], $plan['socket'], $plan['flags'] ) ) { // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged
			return null;
		}
		if ( ! $db->set_charset( $plan['charset'] ) ) {
			return null;
		}
		// Every result is taken before anything else is sent.
		$rows = array();
		$more = $db->multi_query( implode( ';', $plan['queries'] ) );
		while ( $more ) {
			$result = $db->store_result();
			if ( $result instanceof mysqli_result ) {
				$rows[] = $result->fetch_all( MYSQLI_ASSOC );
				$result->free();
			} else {
				$rows[] = null;
			}
			$more = $db->more_results() && $db->next_result();
		}
		if ( count( $rows ) !== count( $plan['queries'] ) || in_array( null, $rows, true ) || $db->errno ) {
			return null;
		}
		return $rows;
	};

	$plan = fastbeat_lane_native_plan();
	if ( ! is_array( $plan ) ) {
		return;
	}
	$db = null;
	try {
		// Nothing the client library reports may reach the output (core shows none, e.g. a
		// reused connection's "MySQL server has gone away" before PDO reconnects): any
		// warning or notice while reading sends the beat down the full path.
		$noticed = false;
		set_error_handler( // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler -- restored below.
			static function () use ( &$noticed ) {
				$noticed = true;
				return true;
			}
		);
		try {
			// PDO where the extension found a data source name that reaches the server wpdb
			// reaches (fastbeat_lane::pdo): its persistent connection is reused with a ping,
			// where mysqli's is reset with three more round trips. Else mysqli, as wpdb.
			$pdo  = is_string( $plan['dsn'] ) && class_exists( 'PDO', false ) && in_array( 'mysql', PDO::getAvailableDrivers(), true );
			$rows = $pdo ? $read_pdo( $plan, $plan['dsn'], $db ) : $read_mysqli( $plan, $db );
		} finally {
			restore_error_handler();
		}
		if ( $noticed || ! is_array( $rows ) ) {
			return;
		}
		// Ends the request when a beat without data is answered; null when it is not.
		$answer = fastbeat_lane_native_answer( $rows );
		if ( ! is_array( $answer ) ) {
			return;
		}
		// A post-lock beat: the lock is written as update_post_meta() writes it (core does
		// not look at the outcome either), then the answer goes out and the request ends.
		try {
			if ( is_string( $answer['write'] ) ) {
				if ( $db instanceof PDO ) {
					$db->exec( $answer['write'] );
				} else {
					$db->query( $answer['write'] );
				}
			}
		} catch ( Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- as core, whatever the write's outcome.
		}
		if ( $db instanceof mysqli ) {
			$db->close();
		}
		$db = null;
		error_clear_last();
		fastbeat_lane_native_commit();
	} catch ( Throwable $e ) {
		// mysqli's and PDO's exceptions: the full path takes over.
		return;
	} finally {
		if ( $db instanceof mysqli ) {
			$db->close();
		}
		error_clear_last();
	}
} )();

// Not answered here: the site's admin-ajax.php itself (the full path), required from the
// top level so that it runs in the global scope as it would as the primary script.
require fastbeat_lane_fallback();
