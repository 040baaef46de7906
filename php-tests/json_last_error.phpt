--TEST--
json: json_last_error() after the response is core's (the encode resets it)
--DESCRIPTION--
wp_json_encode() runs json_encode(), which resets json_last_error(); after a
successful encode a later reader (a wp_die_ajax_handler, a shutdown hook) sees
JSON_ERROR_NONE even if a callback left an error behind. After the invalid-UTF-8
fallback it is also JSON_ERROR_NONE (the second json_encode succeeded).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_action( 'heartbeat_tick', function () { json_decode( '{' ); fb_log( 'tick: json_last_error=' . json_last_error() ); } );
add_filter( 'wp_die_ajax_handler', function ( $h ) { fb_log( 'after send: json_last_error=' . json_last_error() . ' ' . json_last_error_msg() ); return $h; } );
fb_compare();
add_filter( 'heartbeat_send', function ( $r ) { $r['bad'] = "\xff"; return $r; } );
fb_compare();
--EXPECTF--
[log] tick: json_last_error=4
[log] after send: json_last_error=0 No error
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] tick: json_last_error=4
[log] after send: json_last_error=0 No error
[log] (wp_die)
[body 57] {"wp-auth-check":true,"bad":"?","server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
