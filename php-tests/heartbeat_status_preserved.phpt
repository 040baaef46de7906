--TEST--
heartbeat: a status set by a callback survives (wp_send_json passes no status)
--DESCRIPTION--
wp_send_json is called without a status code and wp_die gets response => null,
so status_header is never called: a status set earlier (here 418 by a
heartbeat_send callback) is what the client gets.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) { status_header( 418 ); return $r; } );
add_filter( 'status_header', function ( $h, $code ) { fb_log( "status_header $code" ); return $h; }, 10, 2 );
fb_compare();
fb_run();
--EXPECTF--
[log] status_header 418
[log] (wp_die)
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 418
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 status_header+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] status_header 418
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 418
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 status_header+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
