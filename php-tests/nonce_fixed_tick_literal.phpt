--TEST--
nonce: literal nonces in the request with a fixed tick (nonce_life filter)
--DESCRIPTION--
With nonce_life = PHP_INT_MAX the tick is ceil(time()/(life/2)) = 1, so the
nonces are constants and can be sent literally: tick 1 verifies as 1, tick 0 as
2. The values are the documented formula
substr(hash_hmac('md5', "$tick|heartbeat-nonce|$uid|$token", NONCE_KEY.NONCE_SALT), -12, 10)
with uid 1 and the session token from the logged_in cookie.
--EXTENSIONS--
fastbeat
--COOKIE--
wordpress_logged_in_dab521de65f9250b4cca7383feef67dc=admin%7C1999999999%7CTok3n%7Cabc
--POST--
action=heartbeat&_nonce=b71110c217
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
add_filter( 'nonce_life', function () { return PHP_INT_MAX; } );
$formula = function ( $tick ) {
	return substr( hash_hmac( 'md5', "$tick|heartbeat-nonce|1|Tok3n", 'test-nonce-key-0004test-nonce-salt-0008' ), -12, 10 );
};
fb_print( 'tick1=' . $formula( 1 ) . ' tick0=' . $formula( 0 ) . ' wp_create_nonce=' . wp_create_nonce( 'heartbeat-nonce' ) . "\n" );
fb_compare();
$_POST['_nonce'] = $formula( 0 );
fb_compare();
$_POST['_nonce'] = $formula( 2 );
fb_compare();
--EXPECTF--
tick1=b71110c217 tick0=7950ee0463 wp_create_nonce=b71110c217
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
[log] (wp_die)
[body 104] {"rest_nonce":"629466dd67","heartbeat_nonce":"b71110c217","wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] (wp_die)
[body 80] {"rest_nonce":"629466dd67","heartbeat_nonce":"b71110c217","nonces_expired":true}
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
