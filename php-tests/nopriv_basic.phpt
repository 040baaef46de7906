--TEST--
nopriv: logged out, no data
--DESCRIPTION--
The logged-out handler: screen_id `front`, no heartbeat_nopriv_received without
data, heartbeat_nopriv_send adds wp-auth-check false (core's wp_auth_check),
heartbeat_nopriv_tick, server_time. No nonce involvement at all.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&interval=60&has_focus=false
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
add_filter( 'heartbeat_nopriv_received', function ( $r ) { fb_log( 'nopriv_received' ); return $r; } );
add_filter( 'heartbeat_nopriv_send', function ( $r, $s ) { fb_log( 'nopriv_send ' . fb_export( $r ) . ' ' . fb_export( $s ) ); return $r; }, 5, 2 );
add_action( 'heartbeat_nopriv_tick', function ( $r, $s ) { fb_log( 'nopriv_tick ' . fb_export( $r ) . ' ' . fb_export( $s ) ); }, 10, 2 );
fb_compare();
fb_run();
--EXPECTF--
[log] nopriv_send [] "front"
[log] nopriv_tick ["wp-auth-check"=>false] "front"
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
[log] nopriv_send [] "front"
[log] nopriv_tick ["wp-auth-check"=>false] "front"
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
