--TEST--
heartbeat: a wp_die handler that returns lets core go on, exactly like core
--DESCRIPTION--
If the wp_die_ajax_handler returns instead of exiting, core's handler simply
continues after wp_send_json: with `_nonce=0` it sends {"success":false}, then
verifies "0" (false), sends the nonces_expired body, then runs the normal path and
sends a third body; then the handler returns and admin-ajax's wp_die('0') adds
"0". A replacement must behave the same, byte for byte.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=0
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
function returning_die_handler( $message ) { fb_log( 'die ' . fb_export( $message ) ); echo $message; }
add_filter( 'wp_die_ajax_handler', function () { return 'returning_die_handler'; } );
add_action( 'heartbeat_tick', function () { fb_log( 'heartbeat_tick' ); } );
fb_compare( null, false );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare( null, false );
fb_run();
--EXPECTF--
[log] die ""
[log] die ""
[log] heartbeat_tick
[log] die ""
[log] (handler returned)
[log] die "0"
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
[did_filter] pre_option+3 alloptions+3 salt+2 pre_option_blog_charset+3 option_blog_charset+3 wp_doing_ajax+7 wp_die_ajax_handler+4 wp_refresh_nonces+1 nonce_life+2 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+6 misses+0
[server_time] ok
[compare] fastbeat identical
[log] heartbeat_tick
[log] die ""
[log] (handler returned)
[log] die "0"
[body 48] {"wp-auth-check":true,"server_time":%d}0
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+3 wp_die_ajax_handler+2
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] heartbeat_tick
[log] die ""
[log] (handler returned)
[log] die "0"
[body 48] {"wp-auth-check":true,"server_time":%d}0
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+3 wp_die_ajax_handler+2
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
