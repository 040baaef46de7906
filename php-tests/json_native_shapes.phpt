--TEST--
json: response shapes encoded natively or by PHP, byte for byte as core
--DESCRIPTION--
fastbeat writes the common response shapes itself (ints, booleans, null, printable
ASCII strings, lists and maps of them) and hands everything else to PHP's encoder.
Each shape here sits on one side of that line or the other: int keys, lists with
holes, empty arrays, nested lists, PHP_INT_MIN, floats, slashes, quotes, control
characters, UTF-8, an object, a JsonSerializable. json_last_error() must read 0
afterwards even when an earlier json_encode() failed.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
class FB_Js implements JsonSerializable { public function jsonSerialize(): mixed { return array( 'js' => 1 ); } }
add_filter( 'heartbeat_send', function ( $r ) {
	json_encode( NAN ); // json_last_error() is now 7
	$holes = array( 0 => 'a', 1 => 'b', 2 => 'c' );
	unset( $holes[1] );
	$r['ints']    = array( 0, -1, PHP_INT_MAX, PHP_INT_MIN, 42 );
	$r['map']     = array( 3 => 'three', 'k' => true, 'n' => null, 'f' => false );
	$r['holes']   = $holes;
	$r['empty']   = array();
	$r['nested']  = array( array( array( 'deep' ) ), array() );
	$r['ascii']   = "plain text <&>' ~";
	$r['float']   = 1.5;
	$r['slash']   = 'a/b';
	$r['quote']   = 'say "hi"';
	$r['ctrl']    = "tab\there";
	$r['utf8']    = "caf\u{e9}";
	$r['obj']     = (object) array( 'o' => 1 );
	$r['js']      = new FB_Js();
	$r['key/sl']  = 1;
	$r[-5]        = 'negative key';
	return $r;
} );
add_action( 'heartbeat_tick', function () { fb_log( 'json_last_error before send: ' . json_last_error() ); } );
add_filter( 'wp_die_ajax_handler', function ( $h ) { fb_log( 'json_last_error at wp_die: ' . json_last_error() ); return $h; }, 1 );
fb_compare();
--EXPECTF--
[log] json_last_error before send: 7
[log] json_last_error at wp_die: 0
[log] (wp_die)
[body %d] {"wp-auth-check":true,"ints":[0,-1,9223372036854775807,-9223372036854775808,42],"map":{"3":"three","k":true,"n":null,"f":false},"holes":{"0":"a","2":"c"},"empty":[],"nested":[[["deep"]],[]],"ascii":"plain text <&>' ~","float":1.5,"slash":"a\/b","quote":"say \"hi\"","ctrl":"tab\there","utf8":"caf\u00e9","obj":{"o":1},"js":{"js":1},"key\/sl":1,"-5":"negative key","server_time":%d}
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
