--TEST--
hooks: a constant defined by a callback during the beat is seen by later steps
--DESCRIPTION--
Constants can be defined at any time. Here the wp_die handler returns (so core's
handler goes on after each wp_send_json) and a wp_refresh_nonces callback defines
REST_REQUEST: the first wp_send_json ({"success":false}) ran without it, the
following ones see it and call _doing_it_wrong (doing_it_wrong_run fires).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=0
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
function returning_die_handler( $message ) { echo $message; }
add_filter( 'wp_die_ajax_handler', function () { return 'returning_die_handler'; } );
add_filter( 'wp_refresh_nonces', function ( $r ) {
	if ( ! defined( 'REST_REQUEST' ) ) {
		define( 'REST_REQUEST', true );
	}
	fb_log( 'REST_REQUEST defined' );
	return $r;
} );
add_action( 'doing_it_wrong_run', function ( $f ) { fb_log( "doing_it_wrong_run $f" ); } );
fb_run();
--EXPECTF--
[log] REST_REQUEST defined
[log] doing_it_wrong_run wp_send_json
[log] doing_it_wrong_run wp_send_json
[log] (handler returned)
[body 224] {"success":false}{"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}{"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true,"wp-auth-check":true,"server_time":%d}0
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+3 alloptions+3 gettext+2 gettext_default+2 salt+2 pre_option_blog_charset+3 option_blog_charset+3 wp_doing_ajax+7 wp_die_ajax_handler+4 wp_refresh_nonces+1 nonce_life+2 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 doing_it_wrong_run+2 heartbeat_tick+1
[cache] hits+6 misses+0
[server_time] ok
