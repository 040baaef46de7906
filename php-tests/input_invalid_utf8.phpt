--TEST--
input: invalid UTF-8 in screen_id, data keys and values
--DESCRIPTION--
Bytes that are not UTF-8 pass through the request unchanged: sanitize_key drops
them from screen_id; data keeps them until the JSON fallback turns them into "?".
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=ab%FF%C3cd%E9&data[%FEk]=%C0%AF&data[v]=ok%F8%88%80%80%80
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r, $d, $s ) { fb_log( fb_export( $d ) . ' ' . fb_export( $s ) ); $r['d'] = $d; $r['s'] = $s; return $r; }, 10, 3 );
fb_compare();
fb_run();
--EXPECTF--
[log] ["\376k"=>"\300\257","v"=>"ok\370\210\200\200\200"] "abcd"
[log] (wp_die)
[body 88] {"d":{"?k":"??","v":"ok?????"},"s":"abcd","wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] ["\376k"=>"\300\257","v"=>"ok\370\210\200\200\200"] "abcd"
[body 88] {"d":{"?k":"??","v":"ok?????"},"s":"abcd","wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
