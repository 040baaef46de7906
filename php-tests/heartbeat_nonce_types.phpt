--TEST--
heartbeat: _nonce values of other types (int, float, bool, Stringable, object)
--DESCRIPTION--
Plugins may put non-strings into $_POST['_nonce']. wp_verify_nonce() starts with
(string) $nonce: 12345 → "12345", 1.5 → "1.5", true → "1", an object with
__toString() is converted (here to the valid nonce: state 1), so is a reference
to a valid nonce; an empty SimpleXMLElement is falsy, so empty() takes the
{"success":false} branch, a non-empty one is cast to its text; a plain object
throws an Error (from wp_verify_nonce's cast) before anything else happens.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
class FB_Nonce_String { public function __toString(): string { fb_log( '__toString' ); return fb_nonce( 0 ); } }
add_action( 'wp_verify_nonce_failed', function ( $n ) { fb_log( 'failed ' . fb_export( $n ) ); } );
$valid = fb_nonce( 0 );
foreach ( array( 12345, 1.5, true, new FB_Nonce_String(), 'ref', new SimpleXMLElement( '<a/>' ), new SimpleXMLElement( '<a>x</a>' ), new stdClass() ) as $n ) {
	if ( 'ref' === $n ) {
		$_POST['_nonce'] = &$valid;
	} else {
		$_POST['_nonce'] = $n;
	}
	fb_print( '== ' . ( 'ref' === $n ? 'reference to a valid nonce' : fb_export( $n ) ) . "\n" );
	fb_compare();
	unset( $_POST['_nonce'] );
}
--EXPECTF--
== 12345
[log] failed "12345"
[log] (wp_die)
[body 80] {"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
== 1.5
[log] failed "1.5"
[log] (wp_die)
[body 80] {"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
== true
[log] failed "1"
[log] (wp_die)
[body 80] {"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
== FB_Nonce_String[]
[log] __toString
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+2 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== reference to a valid nonce
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== SimpleXMLElement[]
[log] (wp_die)
[body 17] {"success":false}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+2 misses+0
[compare] fastbeat identical
== SimpleXMLElement["x"]
[log] failed "x"
[log] (wp_die)
[body 80] {"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
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
[did_filter] 
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] Error: Object of class stdClass could not be converted to string @ pluggable.php:2279 code=0 previous=none
[compare] fastbeat identical
