<?php
/**
 * Fastbeat fast lane, logged in: the extension compiles this file in place of
 * wp-admin/admin-ajax.php for a dashboard beat (no data) or a block-editor post-lock beat
 * on a site whose manifest holds evidence that such beats depend on nothing but core's own
 * code, once this worker has learned the site's database and salts from a full-path beat.
 *
 * Three reads (options, the user, its session tokens and capabilities; three more for a
 * post lock) over one short connection, then the extension checks the auth cookie, the
 * session, the nonce and the lock as core does and sends core's answer. Any other beat (an
 * invalid or refreshed nonce, an unknown user, a changed option, a lock held by someone
 * else, the database away) runs admin-ajax.php itself: the full path.
 *
 * @package Fastbeat
 */

// Only ever entered in place of admin-ajax.php by the extension; a direct request does nothing.
if ( ! function_exists( 'fastbeat_lane_active' ) || ! fastbeat_lane_active() ) {
	exit;
}

// In a closure, so nothing is left in the global scope admin-ajax.php may then run in.
( static function () {
	$plan = fastbeat_lane_native_plan();
	if ( ! is_array( $plan ) ) {
		return;
	}
	$db = null;
	try {
		$db = mysqli_init();
		// Failures fall through to the full path, which reports them as core does. The
		// connection persists in the worker ('p:'; a host sets mysqli.allow_persistent=0
		// for one per beat): connecting cost a third of a native answer's server CPU.
		if ( ! $db || ! @$db->real_connect( 'p:' . $plan['host'], $plan['user'], $plan['password'], $plan['name'], $plan['port'], $plan['socket'], $plan['flags'] ) ) { // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged
			return;
		}
		if ( ! $db->set_charset( $plan['charset'] ) ) {
			return;
		}
		// The reads in one round trip; every result is taken before anything else is sent.
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
				$db->query( $answer['write'] );
			}
			$db->close();
		} catch ( Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- as core, whatever the write's outcome.
		}
		$db = null;
		error_clear_last();
		fastbeat_lane_native_commit();
	} catch ( Throwable $e ) {
		// mysqli's exceptions (PHP 8.1+ default) included: the full path takes over.
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
