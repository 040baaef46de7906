--TEST--
json: a response of plain values only (encoded natively) resets json_last_error()
--DESCRIPTION--
The shapes fastbeat encodes itself: the bytes, and json_last_error() = 0 after an
earlier failure, exactly as json_encode() leaves it.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) {
	json_encode( NAN );
	$r['list'] = array( 1, 2, array( 'x' => 'y-z_0' ), array(), null, true );
	$r[7]      = -7;
	return $r;
} );
add_action( 'heartbeat_tick', function () { fb_log( 'json_last_error before send: ' . json_last_error() ); } );
add_filter( 'wp_die_ajax_handler', function ( $h ) { fb_log( 'json_last_error at wp_die: ' . json_last_error() ); return $h; }, 1 );
fb_compare();
--EXPECTF--
[log] json_last_error before send: 7
[log] json_last_error at wp_die: 0
[log] (wp_die)
[body %d] {"wp-auth-check":true,"list":[1,2,{"x":"y-z_0"},[],null,true],"7":-7,"server_time":%d}
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
