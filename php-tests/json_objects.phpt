--TEST--
json: JsonSerializable, objects with private props, nested objects in the response
--DESCRIPTION--
Objects in the response are encoded by json_encode: JsonSerializable::jsonSerialize
is called (exactly once per encode), otherwise public properties only; an object
whose jsonSerialize throws propagates the exception out of the handler.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
class FB_J implements JsonSerializable {
	public function jsonSerialize(): mixed { fb_log( 'jsonSerialize' ); return array( 'j' => '/' ); }
}
class FB_P { public $pub = 1; protected $prot = 2; private $priv = 3; public $n = null; }
class FB_T implements JsonSerializable {
	public function jsonSerialize(): mixed { throw $GLOBALS['fb_thrown'] = new LogicException( 'no json' ); }
}
$GLOBALS['extra'] = array( new FB_J(), new FB_P(), (object) array( 'a' => (object) array() ) );
add_filter( 'heartbeat_send', function ( $r ) { $r['o'] = $GLOBALS['extra']; return $r; } );
fb_compare();
$GLOBALS['extra'] = new FB_T();
fb_compare();
--EXPECTF--
[log] jsonSerialize
[log] (wp_die)
[body 92] {"wp-auth-check":true,"o":[{"j":"\/"},{"pub":1,"n":null},{"a":{}}],"server_time":%d}
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
[body 0] 
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
[did_filter] pre_option+1 alloptions+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[exception] LogicException: no json @ json_objects.php:10 code=0 previous=none
[exception] the thrown object itself: yes
[compare] fastbeat identical
