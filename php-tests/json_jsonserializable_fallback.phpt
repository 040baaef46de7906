--TEST--
json: JsonSerializable returning invalid UTF-8 — how many times is it called
--DESCRIPTION--
When json_encode() fails inside wp_json_encode(), core re-encodes a sanitised copy
built by _wp_json_sanity_check(), which walks objects by their public properties
(jsonSerialize is not called again). So jsonSerialize() runs exactly once and the
object's public properties are what gets encoded. A replacement that tries its own
encoder first and then calls wp_json_encode() runs jsonSerialize() twice.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
class FB_Bad_Json implements JsonSerializable {
	public $visible = "pub\xff";
	public function jsonSerialize(): mixed { fb_log( 'jsonSerialize' ); return array( 'bad' => "x\xffy" ); }
}
add_filter( 'heartbeat_send', function ( $r ) { $r['o'] = new FB_Bad_Json(); return $r; } );
fb_compare();
fb_run();
--EXPECTF--
[log] jsonSerialize
[log] (wp_die)
[body 70] {"wp-auth-check":true,"o":{"visible":"pub?"},"server_time":%d}
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
[log] jsonSerialize
[body 70] {"wp-auth-check":true,"o":{"visible":"pub?"},"server_time":%d}
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
