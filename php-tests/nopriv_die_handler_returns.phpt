--TEST--
nopriv: a wp_die handler that returns → admin-ajax wp_die("0") follows
--DESCRIPTION--
When the wp_die_ajax_handler returns, the nopriv handler returns after
wp_send_json and admin-ajax.php's final wp_die('0') runs.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
function returning_die_handler( $message, $title, $args ) { fb_log( 'die ' . fb_export( func_get_args() ) ); echo $message; }
add_filter( 'wp_die_ajax_handler', function () { return 'returning_die_handler'; } );
fb_compare( null, false );
fb_run();
--EXPECTF--
[log] die ["","",["response"=>NULL]]
[log] (handler returned)
[log] die ["0","",[]]
[body 49] {"wp-auth-check":false,"server_time":%d}0
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 pre_option_blog_charset+1 option_blog_charset+1 heartbeat_nopriv_send+1 wp_doing_ajax+3 wp_die_ajax_handler+2
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] die ["","",["response"=>NULL]]
[log] (handler returned)
[log] die ["0","",[]]
[body 49] {"wp-auth-check":false,"server_time":%d}0
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 pre_option_blog_charset+1 option_blog_charset+1 heartbeat_nopriv_send+1 wp_doing_ajax+3 wp_die_ajax_handler+2
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
