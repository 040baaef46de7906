<?php
/**
 * Small WordPress operations for the hardening scripts, run in a CLI process against the
 * test bed (FASTBEAT_SITE_HOST selects its config, FASTBEAT_WP_DIR its WordPress). Prints one JSON value.
 *
 *   wp-ops.php ensure-user LOGIN PASSWORD      -> {"id":N,"pass_frag":"...","user_pass":"..."}
 *   wp-ops.php session UID EXPIRATION          -> "token" (a new session, as wp_signon makes)
 *   wp-ops.php destroy-session UID TOKEN       -> true
 *   wp-ops.php set-user-pass UID HASH          -> true (raw user_pass column; sessions kept)
 *   wp-ops.php hash-password PASSWORD          -> "$P$..."
 *   wp-ops.php delete-user UID                 -> true
 */

if ( ! getenv( 'FASTBEAT_SITE_HOST' ) || ! getenv( 'FASTBEAT_WP_DIR' ) ) {
	fwrite( STDERR, "wp-ops.php: FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	exit( 1 );
}
$_SERVER['HTTP_HOST'] = getenv( 'FASTBEAT_SITE_HOST' );
putenv( 'FASTBEAT_TESTBED_VARIANT=core' ); // the Fastbeat plugin stays out of this process
require getenv( 'FASTBEAT_WP_DIR' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

$cmd = $argv[1] ?? '';
switch ( $cmd ) {
	case 'ensure-user':
		$user = get_user_by( 'login', $argv[2] );
		$id   = $user ? $user->ID : wp_insert_user(
			array(
				'user_login' => $argv[2],
				'user_pass'  => $argv[3],
				'user_email' => $argv[2] . '@example.invalid',
				'role'       => 'editor',
			)
		);
		if ( is_wp_error( $id ) ) {
			fwrite( STDERR, $id->get_error_message() . "\n" );
			exit( 1 );
		}
		wp_set_password( $argv[3], $id ); // a known password, all sessions gone
		clean_user_cache( $id );
		$user = get_user_by( 'id', $id );
		// wp_generate_auth_cookie()'s fragment: 6.8+ (which has wp_password_needs_rehash())
		// takes the last 4 characters of hashes other than phpass and plain bcrypt.
		$frag = function_exists( 'wp_password_needs_rehash' ) && 0 !== strpos( $user->user_pass, '$P$' ) && 0 !== strpos( $user->user_pass, '$2y$' )
			? substr( $user->user_pass, -4 ) : substr( $user->user_pass, 8, 4 );
		echo json_encode( array( 'id' => (int) $id, 'pass_frag' => $frag, 'user_pass' => $user->user_pass ) );
		break;
	case 'session':
		echo json_encode( WP_Session_Tokens::get_instance( (int) $argv[2] )->create( (int) $argv[3] ) );
		break;
	case 'destroy-session':
		WP_Session_Tokens::get_instance( (int) $argv[2] )->destroy( $argv[3] );
		echo 'true';
		break;
	case 'set-user-pass':
		global $wpdb;
		$wpdb->update( $wpdb->users, array( 'user_pass' => $argv[3] ), array( 'ID' => (int) $argv[2] ) );
		clean_user_cache( (int) $argv[2] );
		echo 'true';
		break;
	case 'hash-password':
		echo json_encode( wp_hash_password( $argv[2] ) );
		break;
	case 'delete-user':
		echo json_encode( wp_delete_user( (int) $argv[2] ) );
		break;
	default:
		fwrite( STDERR, "unknown command $cmd\n" );
		exit( 2 );
}
