--TEST--
nonce: the salt filter changes the HMAC key (and is applied on every call)
--DESCRIPTION--
wp_hash uses wp_salt('nonce') = NONCE_KEY.NONCE_SALT, filtered by `salt` with
($salt, $scheme) — also when the value comes from wp_salt's static cache. A
nonce made under the filtered salt verifies; one made with the constants does not.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$plain = fb_nonce( 0 );
add_filter( 'salt', function ( $salt, $scheme ) { fb_log( "salt $scheme " . md5( $salt ) ); return 'other' . $salt; }, 10, 2 );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare();
$_POST['_nonce'] = $plain;
fb_compare();
--EXPECTF--
[log] salt nonce 22d3563c8a6530b43b850bd262a812d0
[log] salt nonce 22d3563c8a6530b43b850bd262a812d0
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
[log] salt nonce 22d3563c8a6530b43b850bd262a812d0
[log] salt nonce 22d3563c8a6530b43b850bd262a812d0
[log] salt nonce 22d3563c8a6530b43b850bd262a812d0
[log] salt nonce 22d3563c8a6530b43b850bd262a812d0
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
