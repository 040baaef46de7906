<?php
/**
 * Test harness for the plugin scenario tests: checks and counters, throwaway
 * WordPress installs on the test bed's MariaDB, CLI tasks (bin/wp-task.php)
 * and php-cgi requests through WordPress's real entry points.
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

require_once __DIR__ . '/class-fb.php';
require_once __DIR__ . '/class-fb-env.php';
require_once __DIR__ . '/class-fb-site.php';

/**
 * The database connection.
 *
 * @return mysqli
 */
function fb_db() {
	static $db = null;
	if ( null === $db ) {
		mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
		$db = new mysqli( 'localhost', FB_Env::$db['user'], FB_Env::$db['password'], FB_Env::$db['name'], 0, FB_Env::$db['socket'] );
	}
	return $db;
}

/**
 * Runs a command without a shell.
 *
 * @param string[] $cmd   Command.
 * @param array    $env   Environment (replaces the current one).
 * @param string   $stdin Input.
 * @return array{code: int, stdout: string, stderr: string}
 */
function fb_exec( array $cmd, array $env, $stdin ) {
	$spec = array(
		0 => array( 'pipe', 'r' ),
		1 => array( 'pipe', 'w' ),
		2 => array( 'pipe', 'w' ),
	);
	$proc = proc_open( $cmd, $spec, $pipes, null, $env );
	if ( ! is_resource( $proc ) ) {
		return array(
			'code'   => 127,
			'stdout' => '',
			'stderr' => 'proc_open failed',
		);
	}
	fwrite( $pipes[0], $stdin );
	fclose( $pipes[0] );
	$stdout = stream_get_contents( $pipes[1] );
	$stderr = stream_get_contents( $pipes[2] );
	fclose( $pipes[1] );
	fclose( $pipes[2] );
	return array(
		'code'   => proc_close( $proc ),
		'stdout' => $stdout,
		'stderr' => $stderr,
	);
}

/**
 * Reads and deletes a PHP error log.
 *
 * @param string $log File.
 * @return string[] Lines.
 */
function fb_read_log( $log ) {
	$lines = is_file( $log ) ? file( $log, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) : array();
	@unlink( $log ); // phpcs:ignore
	return $lines;
}

/**
 * Log lines that fail a test: anything fatal, and any message about Fastbeat's code.
 * (WordPress 6.1's own PHP 8.2 deprecations are not this plugin's business.)
 *
 * @param string[] $lines Log lines.
 * @return string[]
 */
function fb_bad_errors( array $lines ) {
	return array_values(
		array_filter(
			$lines,
			static function ( $line ) {
				return (bool) preg_match( '~fatal|uncaught|parse error|plugins/fastbeat/|fastbeat_|fastbeat-test-probe|wp-plugin/|Unable to load dynamic library|Stack trace|^#\d+ ~i', $line );
			}
		)
	);
}

/**
 * Removes a directory tree (does not follow symlinks).
 *
 * @param string $dir Directory.
 */
function fb_rmtree( $dir ) {
	if ( is_link( $dir ) || is_file( $dir ) ) {
		unlink( $dir );
		return;
	}
	if ( ! is_dir( $dir ) ) {
		return;
	}
	foreach ( scandir( $dir ) as $entry ) {
		if ( '.' !== $entry && '..' !== $entry ) {
			fb_rmtree( "$dir/$entry" );
		}
	}
	rmdir( $dir );
}

/**
 * Copies the plugin, leaving out what .distignore lists (tests, tools …).
 *
 * @param string $src  wp-plugin/.
 * @param string $dest Destination.
 */
function fb_copy_plugin( $src, $dest ) {
	$ignore = array();
	foreach ( file( "$src/.distignore", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
		$line = trim( $line );
		if ( '' !== $line && '#' !== $line[0] ) {
			$ignore[] = trim( $line, '/' );
		}
	}
	$walk = static function ( $rel ) use ( &$walk, $src, $dest, $ignore ) {
		$from = $src . ( '' === $rel ? '' : "/$rel" );
		mkdir( $dest . ( '' === $rel ? '' : "/$rel" ), 0755, true );
		foreach ( scandir( $from ) as $entry ) {
			$path = '' === $rel ? $entry : "$rel/$entry";
			if ( '.' === $entry || '..' === $entry || in_array( $path, $ignore, true ) ) {
				continue;
			}
			if ( is_dir( "$src/$path" ) ) {
				$walk( $path );
			} else {
				copy( "$src/$path", "$dest/$path" );
			}
		}
	};
	$walk( '' );
}

/**
 * Files under a directory with their md5 (symlinks listed, not followed).
 *
 * @param string $dir Directory.
 * @return array<string, string> Relative path => md5 ("link:<target>" for symlinks).
 */
function fb_files( $dir ) {
	$out  = array();
	$walk = static function ( $rel ) use ( &$walk, &$out, $dir ) {
		foreach ( scandir( $dir . $rel ) as $entry ) {
			if ( '.' === $entry || '..' === $entry ) {
				continue;
			}
			$path = "$rel/$entry";
			if ( is_link( $dir . $path ) ) {
				$out[ ltrim( $path, '/' ) ] = 'link:' . readlink( $dir . $path );
			} elseif ( is_dir( $dir . $path ) ) {
				$out[ ltrim( $path, '/' ) . '/' ] = 'dir';
				$walk( $path );
			} else {
				$out[ ltrim( $path, '/' ) ] = md5_file( $dir . $path );
			}
		}
	};
	$walk( '' );
	ksort( $out );
	return $out;
}

/**
 * Differences between two snapshots (bin/wp-task.php snapshot).
 *
 * @param array $before Snapshot.
 * @param array $after  Snapshot.
 * @return string[] "table:key" entries added, removed or changed.
 */
function fb_snapshot_diff( array $before, array $after ) {
	$diff = array();
	foreach ( array_unique( array_merge( array_keys( $before ), array_keys( $after ) ) ) as $table ) {
		if ( ! isset( $before[ $table ] ) || ! isset( $after[ $table ] ) ) {
			$diff[] = ( isset( $after[ $table ] ) ? 'new table ' : 'dropped table ' ) . $table;
			continue;
		}
		foreach ( array_unique( array_merge( array_keys( $before[ $table ] ), array_keys( $after[ $table ] ) ) ) as $key ) {
			$old = isset( $before[ $table ][ $key ] ) ? $before[ $table ][ $key ] : null;
			$new = isset( $after[ $table ][ $key ] ) ? $after[ $table ][ $key ] : null;
			if ( $old !== $new ) {
				$diff[] = "$table:$key";
			}
		}
	}
	sort( $diff );
	return $diff;
}

/**
 * Rows of a snapshot that mention Fastbeat, except core's own bookkeeping.
 *
 * @param array    $snapshot Snapshot.
 * @param string[] $allowed  Extra "table:key" patterns (fnmatch) to ignore.
 * @return string[] "table:key" entries.
 */
function fb_snapshot_mentions( array $snapshot, array $allowed = array() ) {
	// Core's plugin bookkeeping: the update-check cache keeps a list of every
	// plugin it saw; WordPress expires it itself.
	$allowed = array_merge( $allowed, array( '*options:_site_transient_update_plugins', 'sitemeta:*:_site_transient_update_plugins' ) );
	$found   = array();
	foreach ( $snapshot as $table => $rows ) {
		foreach ( $rows as $key => $value ) {
			if ( false === stripos( $key . "\x1f" . $value, 'fastbeat' ) ) {
				continue;
			}
			$skip = false;
			foreach ( $allowed as $pattern ) {
				if ( fnmatch( $pattern, "$table:$key" ) ) {
					$skip = true;
				}
			}
			if ( ! $skip ) {
				$found[] = "$table:$key";
			}
		}
	}
	return $found;
}

/**
 * A heartbeat response made comparable: the status, the headers and the body,
 * with `server_time` (seconds, it moves) replaced, and the session's heartbeat and
 * wp_rest nonces of the tick the request was sent in (`nonces`, set by fb_beats())
 * replaced by their names. Only those exact values are: a refreshed nonce that is not
 * what core makes for that tick stays as it is and differs from the baseline, while
 * a baseline taken in another tick (a boundary passed since) still compares.
 *
 * @param array $response From FB_Site::request().
 * @return string
 */
function fb_normalize( array $response ) {
	$body = preg_replace( '/"server_time":\d+/', '"server_time":0', $response['body'] );
	if ( isset( $response['nonces'] ) ) {
		$body = fb_name_nonces( $body, $response['nonces'] );
	}
	return $response['status'] . "\n" . implode( "\n", $response['headers'] ) . "\n\n" . $body;
}

/**
 * The nonce tick now (wp_nonce_tick(), for a nonce life).
 *
 * @param int|float $life Nonce life in seconds.
 * @return int
 */
function fb_nonce_tick( $life = 86400 ) {
	return (int) ceil( time() / ( $life / 2 ) );
}

/**
 * The login task's nonces (bin/wp-task.php login) for a tick.
 *
 * @param array $login Result of the login task.
 * @param int   $tick  Nonce tick.
 * @return array{heartbeat: string, rest: string}
 * @throws RuntimeException When the task made none for that tick.
 */
function fb_login_nonces( array $login, $tick ) {
	if ( ! isset( $login['nonces'][ $tick ] ) ) {
		throw new RuntimeException( "the login task made no nonces for tick $tick (it made " . implode( ', ', array_keys( $login['nonces'] ) ) . ')' );
	}
	return $login['nonces'][ $tick ];
}

/**
 * $body with the given nonce values replaced by their names ("<heartbeat nonce>" …).
 *
 * @param string $body   Response body.
 * @param array  $nonces name => nonce, from fb_login_nonces().
 * @return string
 */
function fb_name_nonces( $body, array $nonces ) {
	foreach ( $nonces as $name => $nonce ) {
		$body = str_replace( '"' . $nonce . '"', "\"<$name nonce>\"", $body );
	}
	return $body;
}

/**
 * Paths that differ between two fb_files() listings, ignoring the plugin's own
 * folder and directories core may create (uploads/…, upgrade/). Files appearing
 * anywhere, uploads included, count.
 *
 * @param array $before Listing.
 * @param array $after  Listing.
 * @return string[]
 */
function fb_files_changed( array $before, array $after ) {
	$changed = array();
	foreach ( array_unique( array_merge( array_keys( $before ), array_keys( $after ) ) ) as $path ) {
		$old = isset( $before[ $path ] ) ? $before[ $path ] : null;
		$new = isset( $after[ $path ] ) ? $after[ $path ] : null;
		if ( $old === $new || 0 === strpos( $path, 'plugins/fastbeat/' ) ) {
			continue;
		}
		if ( null === $old && 'dir' === $new && preg_match( '#^(uploads|upgrade)/#', $path ) ) {
			continue;
		}
		$changed[] = $path;
	}
	sort( $changed );
	return $changed;
}
