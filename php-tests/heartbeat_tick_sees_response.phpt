--TEST--
heartbeat: heartbeat_tick gets the response before server_time, by value
--DESCRIPTION--
do_action('heartbeat_tick', $response, $screen_id) runs after heartbeat_send and
before `server_time` is added, so the action sees no server_time; it gets a copy,
so changing it in the callback does not change the response.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=edit-post
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_action( 'heartbeat_tick', function ( $r, $s ) {
	fb_log( 'tick ' . fb_export( $r ) . ' ' . fb_export( $s ) );
	$r['changed'] = true;
}, 10, 2 );
add_action( 'heartbeat_tick', function ( $r ) { fb_log( 'tick2 ' . fb_export( $r ) ); }, 11 );
fb_compare();
fb_run();
--EXPECTF--
[log] tick ["wp-auth-check"=>true] "edit-post"
[log] tick2 ["wp-auth-check"=>true]
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
[log] tick ["wp-auth-check"=>true] "edit-post"
[log] tick2 ["wp-auth-check"=>true]
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
