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
	// The PDO data source name that reaches the server wpdb reaches, or null when only mysqli
	// can say it exactly (no pdo_mysql, client flags, an IPv6 or default host, no socket). PDO
	// is preferred because its persistent connection is reused as it stands (a ping), where
	// mysqli's is reset with COM_CHANGE_USER, SET NAMES and a multi-statement switch: three
	// round trips and about 40 microseconds of server and worker CPU per beat. A host that
	// turned persistent connections off (mysqli.allow_persistent) gets mysqli, one per beat.
	$dsn_for = static function ( array $plan ): ?string {
		$persistent = in_array( strtolower( (string) ini_get( 'mysqli.allow_persistent' ) ), array( '1', 'on', 'yes', 'true' ), true );
		if ( ! $persistent || ! class_exists( 'PDO', false ) || ! in_array( 'mysql', PDO::getAvailableDrivers(), true )
			|| 0 !== $plan['flags'] || '' === $plan['charset'] || ! preg_match( '/^[A-Za-z0-9_]+$/D', (string) $plan['charset'] ) ) {
			return null;
		}
		$host = (string) $plan['host'];
		$name = (string) $plan['name'];
		// DSN values cannot carry ';'; mysqli would have used its own defaults for the empty ones.
		if ( '' === $host || '[' === $host[0] || false !== strpbrk( $host . $name . (string) $plan['socket'], ';=' ) ) {
			return null;
		}
		if ( 'localhost' === $host ) {
			// mysqli over a Unix socket: the given one, else its own default (not PDO's).
			$socket = null !== $plan['socket'] && '' !== $plan['socket'] ? (string) $plan['socket'] : (string) ini_get( 'mysqli.default_socket' );
			if ( '' === $socket ) {
				return null;
			}
			return "mysql:host=localhost;unix_socket=$socket;dbname=$name;charset={$plan['charset']}";
		}
		$port = null !== $plan['port'] ? (int) $plan['port'] : (int) ini_get( 'mysqli.default_port' );
		if ( $port <= 0 ) {
			return null;
		}
		return "mysql:host=$host;port=$port;dbname=$name;charset={$plan['charset']}";
	};

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
		// connection persists in the worker ('p:'; a host sets mysqli.allow_persistent=0
		// for one per beat): connecting cost a third of a native answer's server CPU.
		if ( ! $db || ! @$db->real_connect( 'p:' . $plan['host'], $plan['user'], $plan['password'], $plan['name'], $plan['port'], $plan['socket'], $plan['flags'] ) ) { // phpcs:ignore Generic.PHP.NoSilencedErrors.Discouraged
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
		$dsn  = $dsn_for( $plan );
		$rows = null === $dsn ? $read_mysqli( $plan, $db ) : $read_pdo( $plan, $dsn, $db );
		if ( ! is_array( $rows ) ) {
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
