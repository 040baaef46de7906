--TEST--
json: flags 0 — escaped slashes, \uXXXX, floats, lists vs maps, insertion order
--DESCRIPTION--
The body is json_encode($response, 0): "/" → "\/", every non-ASCII char as
\uXXXX (surrogate pairs above the BMP, U+2028/2029 escaped), <>&' as is, floats
with serialize_precision -1, list arrays as [], other arrays as {}, empty array
[], empty stdClass {}, key order = insertion order, numeric string keys as ints.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) {
	$r['url']    = 'http://example.org/a/b?x=1&y=<2>';
	$r['utf8']   = "é 日本 😀 \u{2028}\u{2029} \"q\" 'a' \\ \t\n\x01\x7f";
	$r['nums']   = array( 0.1 + 0.2, 1.0, -0.0, 1e22, 1.5e-7, PHP_INT_MAX, PHP_INT_MIN, 7 );
	$r['bools']  = array( true, false, null );
	$r['list']   = array( 'a', 'b' );
	$r['holey']  = array( 0 => 'a', 2 => 'c' );
	$r['map']    = array( 'z' => 1, 'a' => 2, '10' => 3, 5 => 4 );
	$r['empty']  = array();
	$r['obj']    = new stdClass();
	$r['nested'] = array( array( array( 'deep' => array() ) ) );
	$r['ключ/é'] = 'key';
	return $r;
} );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 452] {"wp-auth-check":true,"url":"http:\/\/example.org\/a\/b?x=1&y=<2>","utf8":"\u00e9 \u65e5\u672c \ud83d\ude00 \u2028\u2029 \"q\" 'a' \\ \t\n\u0001","nums":[0.30000000000000004,1,-0,1.0e+22,1.5e-7,9223372036854775807,-9223372036854775808,7],"bools":[true,false,null],"list":["a","b"],"holey":{"0":"a","2":"c"},"map":{"z":1,"a":2,"10":3,"5":4},"empty":[],"obj":{},"nested":[[{"deep":[]}]],"\u043a\u043b\u044e\u0447\/\u00e9":"key","server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[body 452] {"wp-auth-check":true,"url":"http:\/\/example.org\/a\/b?x=1&y=<2>","utf8":"\u00e9 \u65e5\u672c \ud83d\ude00 \u2028\u2029 \"q\" 'a' \\ \t\n\u0001","nums":[0.30000000000000004,1,-0,1.0e+22,1.5e-7,9223372036854775807,-9223372036854775808,7],"bools":[true,false,null],"list":["a","b"],"holey":{"0":"a","2":"c"},"map":{"z":1,"a":2,"10":3,"5":4},"empty":[],"obj":{},"nested":[[{"deep":[]}]],"\u043a\u043b\u044e\u0447\/\u00e9":"key","server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
