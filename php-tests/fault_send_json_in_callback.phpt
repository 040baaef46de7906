--TEST--
fault: a callback sends its own JSON (wp_send_json_success)
--DESCRIPTION--
A heartbeat_received callback answers with wp_send_json_success(['mine' => 1]):
that body is the whole response and nothing else is written.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r ) { wp_send_json_success( array( 'mine' => 1, 'r' => $r ) ); } );
add_filter( 'heartbeat_send', function ( $r ) { fb_log( 'AFTER: heartbeat_send' ); return $r; } );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 41] {"success":true,"data":{"mine":1,"r":[]}}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+2 misses+0
[compare] fastbeat identical
[body 41] {"success":true,"data":{"mine":1,"r":[]}}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+2 misses+0
