--TEST--
heartbeat: previous-tick nonce (state 2) refreshes nonces, then the normal path
--DESCRIPTION--
A nonce from the previous tick verifies as 2: `1 !== $nonce_state` runs
wp_refresh_nonces (core's wp_refresh_heartbeat_nonces adds rest_nonce and
heartbeat_nonce, in that order), but not nonces_expired; then heartbeat_received
(data present), heartbeat_send and heartbeat_tick run and server_time is added.
Key order: refreshed nonces, received keys, wp-auth-check, server_time.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=post&data[foo]=bar
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( -1 );
add_filter( 'heartbeat_received', function ( $r, $data ) { $r['echo'] = $data; return $r; }, 10, 2 );
add_filter( 'wp_refresh_nonces', function ( $r ) { fb_log( 'wp_refresh_nonces' ); return $r; }, 5 );
add_action( 'heartbeat_tick', function () { fb_log( 'heartbeat_tick' ); } );
fb_compare();
fb_run();
--EXPECTF--
[log] wp_refresh_nonces
[log] heartbeat_tick
[log] (wp_die)
[body 125] {"rest_nonce":"%x","heartbeat_nonce":"%x","echo":{"foo":"bar"},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 sanitize_key+1 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] wp_refresh_nonces
[log] heartbeat_tick
[body 125] {"rest_nonce":"%x","heartbeat_nonce":"%x","echo":{"foo":"bar"},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 sanitize_key+1 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
