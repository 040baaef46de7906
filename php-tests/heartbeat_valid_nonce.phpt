--TEST--
heartbeat: valid nonce (state 1), no data
--DESCRIPTION--
The common case: a current-tick nonce verifies as 1, so wp_refresh_nonces and
heartbeat_received do not run; heartbeat_send adds wp-auth-check; server_time is
appended last. Compared with core in-process, then run for real (exit path),
asserting body, status 200 and the exact header order.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard&interval=60&has_focus=false
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
foreach ( array( 'wp_refresh_nonces', 'heartbeat_received', 'heartbeat_send' ) as $h ) {
	add_filter( $h, function ( $r ) use ( $h ) { fb_log( $h ); return $r; }, 5 );
}
add_action( 'heartbeat_tick', function () { fb_log( 'heartbeat_tick' ); } );
fb_compare();
fb_run();
--EXPECTF--
[log] heartbeat_send
[log] heartbeat_tick
[log] (wp_die)
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] heartbeat_send
[log] heartbeat_tick
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
