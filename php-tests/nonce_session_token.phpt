--TEST--
nonce: the session token comes from the logged_in cookie only
--DESCRIPTION--
wp_get_session_token() parses $_COOKIE[LOGGED_IN_COOKIE] (user|expiration|token|hmac,
"|" URL-encoded by browsers) without validating it. A nonce made with the token
verifies; a nonce made with an empty token does not. The auth cookie is never read.
--EXTENSIONS--
fastbeat
--COOKIE--
wordpress_dab521de65f9250b4cca7383feef67dc=admin%7C1999999999%7CAuthTok%7Cx;wordpress_logged_in_dab521de65f9250b4cca7383feef67dc=admin%7C1999999999%7CSessTok%7Cy
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
fb_print( 'token=' . fb_export( wp_get_session_token() ) . "\n" );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare();
$_POST['_nonce'] = substr( hash_hmac( 'md5', wp_nonce_tick() . '|heartbeat-nonce|1|', NONCE_KEY . NONCE_SALT ), -12, 10 );
fb_compare();
--EXPECTF--
token="SessTok"
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
