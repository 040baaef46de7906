--TEST--
heartbeat: heartbeat_send returning a non-array (null, false, ArrayObject, string, int, object)
--DESCRIPTION--
Core does `$response['server_time'] = time()` on whatever the filters returned:
null becomes an array silently; false becomes an array with an E_DEPRECATED
("Automatic conversion of false to array"); an ArrayAccess object gets offsetSet
and is encoded by its public properties; a string, an int and a plain object
throw an Error that propagates. (display_errors=0 as in production Ajax; the last
error is logged from the wp_die_ajax_handler filter. The location of errors the
engine raises inside the handler itself cannot match for a native function, so
only class and message are compared.)
--EXTENSIONS--
fastbeat
--INI--
display_errors=0
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$GLOBALS['fb_exception_no_location'] = true;
$_POST['_nonce'] = fb_nonce( 0 );
class FB_Bag extends ArrayObject {
	public $pub = 'p';
	public function offsetSet( $k, $v ): void { fb_log( 'offsetSet ' . fb_export( $k ) ); parent::offsetSet( $k, $v ); }
}
$GLOBALS['ret'] = null;
add_filter( 'heartbeat_send', function () { return $GLOBALS['ret']; }, 99 );
add_filter( 'wp_die_ajax_handler', function ( $h ) {
	$e = error_get_last();
	fb_log( 'last error: ' . ( $e ? $e['type'] . ' ' . $e['message'] : 'none' ) );
	return $h;
}, 1 );
foreach ( array( null, false, new FB_Bag( array( 'k' => 'v' ) ), 'abc', '', 5, 1.5, true, new stdClass() ) as $ret ) {
	$GLOBALS['ret'] = $ret;
	error_clear_last();
	fb_print( '== ' . fb_export( $ret ) . "\n" );
	fb_compare();
}
--EXPECTF--
== NULL
[log] last error: none
[log] (wp_die)
[body 26] {"server_time":%d}
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
== false
[log] last error: 8192 Automatic conversion of false to array is deprecated
[log] (wp_die)
[body 26] {"server_time":%d}
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
== FB_Bag["pub"=>"p"]
[log] offsetSet "server_time"
[log] last error: none
[log] (wp_die)
[body 34] {"k":"v","server_time":%d}
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
== "abc"
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
[exception] TypeError: Cannot access offset of type string on string code=0 previous=none
[compare] fastbeat identical
== ""
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
[exception] TypeError: Cannot access offset of type string on string code=0 previous=none
[compare] fastbeat identical
== 5
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
[exception] Error: Cannot use a scalar value as an array code=0 previous=none
[compare] fastbeat identical
== 1.5
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
[exception] Error: Cannot use a scalar value as an array code=0 previous=none
[compare] fastbeat identical
== true
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
[exception] Error: Cannot use a scalar value as an array code=0 previous=none
[compare] fastbeat identical
== stdClass[]
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
[exception] Error: Cannot use object of type stdClass as array code=0 previous=none
[compare] fastbeat identical
