--TEST--
heartbeat: the wp_die_ajax_handler filter is honoured (custom handler exits)
--DESCRIPTION--
wp_send_json ends with wp_die('', '', ['response' => null]) in Ajax context,
which asks the wp_die_ajax_handler filter for the handler. A plugin handler must
receive exactly those arguments, and its own output/exit is final.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
function my_die_handler( ...$args ) {
	fb_log( 'my_die_handler ' . fb_export( $args ) . ' doing_ajax=' . var_export( wp_doing_ajax(), true ) );
	echo '<custom>';
	exit( 3 );
}
add_filter( 'wp_die_ajax_handler', function ( $h ) { fb_log( 'wp_die_ajax_handler ' . fb_export( $h ) ); return 'my_die_handler'; } );
fb_run();
--EXPECTF--
[log] wp_die_ajax_handler "_ajax_wp_die_handler"
[log] my_die_handler ["","",["response"=>NULL]] doing_ajax=true
[body 55] {"wp-auth-check":true,"server_time":%d}<custom>
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+3 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
