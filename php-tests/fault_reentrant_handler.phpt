--TEST--
fault: a callback that calls the handler again (nested beat)
--DESCRIPTION--
A heartbeat_tick callback dispatches wp_ajax_heartbeat again while the first beat
is running. In core the inner beat sends its response and dies; the outer never
finishes. The inner beat must see the same $_POST and hook state.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_action( 'heartbeat_tick', function ( $r ) {
	static $depth = 0;
	fb_log( 'tick depth ' . ++$depth . ' ' . fb_export( $r ) );
	if ( 1 === $depth ) {
		$_POST['data'] = array( 'inner' => 1 );
		do_action( 'wp_ajax_heartbeat' );
	}
}, 10, 1 );
add_filter( 'heartbeat_received', function ( $r, $d ) { $r['inner'] = $d; return $r; }, 10, 2 );
fb_run();
--EXPECTF--
[log] tick depth 1 ["wp-auth-check"=>true]
[log] tick depth 2 ["inner"=>["inner"=>1],"wp-auth-check"=>true]
[body 67] {"inner":{"inner":1},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+2 heartbeat_send+2 heartbeat_received+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+2 heartbeat_tick+2
[cache] hits+2 misses+0
[server_time] ok
