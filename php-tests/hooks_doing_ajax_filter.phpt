--TEST--
hooks: wp_doing_ajax filtered to false → wp_send_json uses plain die
--DESCRIPTION--
wp_send_json asks wp_doing_ajax() (filterable) whether to wp_die or to die. When a
plugin filters it to false, the response ends with a plain `die` (no nocache
re-send, no wp_die_ajax_handler).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) { add_filter( 'wp_doing_ajax', '__return_false' ); return $r; } );
add_filter( 'wp_die_ajax_handler', function ( $h ) { fb_log( 'wp_die_ajax_handler' ); return $h; } );
add_filter( 'nocache_headers', function ( $h ) { fb_log( 'nocache_headers' ); return $h; } );
fb_run();
--EXPECTF--
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
