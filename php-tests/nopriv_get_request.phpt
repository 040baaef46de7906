--TEST--
nopriv: a GET request (empty $_POST) still answers
--DESCRIPTION--
A logged-out GET ?action=heartbeat reaches the nopriv handler, which reads only
$_POST: query-string data and screen_id are ignored.
--EXTENSIONS--
fastbeat
--GET--
action=heartbeat&screen_id=dashboard&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
add_filter( 'heartbeat_nopriv_received', function ( $r ) { fb_log( 'nopriv_received' ); return $r; } );
add_filter( 'heartbeat_nopriv_send', function ( $r, $s ) { fb_log( 'send ' . fb_export( $s ) ); return $r; }, 10, 2 );
fb_compare();
fb_run();
--EXPECTF--
[log] send "front"
[log] (wp_die)
[body 48] {"wp-auth-check":false,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] send "front"
[body 48] {"wp-auth-check":false,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
