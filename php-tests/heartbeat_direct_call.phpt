--TEST--
heartbeat: handlers work called directly, with no argument and with do_action's ""
--DESCRIPTION--
admin-ajax dispatches with do_action('wp_ajax_heartbeat'), which passes one ""
argument to core's entry (accepted_args 1). Core's handlers ignore it. The
companion plugin sets accepted_args to 0 when it swaps in the native function,
but DESIGN.md promises the entry keeps its accepted args, and any other code
calling the handlers like core's (another plugin re-registering them, a direct
call with do_action's argument) must work: the native functions must accept that
argument as well as a plain call, with the same response.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'wp_die_ajax_handler', function () { return 'fb_throwing_die_handler'; } );
$calls = array(
	'fastbeat_heartbeat()'          => function () { fastbeat_heartbeat(); },
	"fastbeat_heartbeat('')"        => function () { fastbeat_heartbeat( '' ); },
	'fastbeat_nopriv_heartbeat()'   => function () { fastbeat_nopriv_heartbeat(); },
	"fastbeat_nopriv_heartbeat('')" => function () { fastbeat_nopriv_heartbeat( '' ); },
);
foreach ( $calls as $label => $call ) {
	ob_start();
	try {
		$call();
		echo '(returned)';
	} catch ( FB_Die_Exception $e ) {
		echo '(wp_die)';
	} catch ( Throwable $e ) {
		echo '(' . get_class( $e ) . ': ' . $e->getMessage() . ')';
	}
	$body = ob_get_clean();
	fb_print( $label . ' => ' . preg_replace( '/"server_time":\d+/', '"server_time":T', $body ) . "\n" );
}
--EXPECTF--
fastbeat_heartbeat() => {"wp-auth-check":true,"server_time":T}(wp_die)
fastbeat_heartbeat('') => {"wp-auth-check":true,"server_time":T}(wp_die)
fastbeat_nopriv_heartbeat() => {"wp-auth-check":true,"server_time":T}(wp_die)
fastbeat_nopriv_heartbeat('') => {"wp-auth-check":true,"server_time":T}(wp_die)
