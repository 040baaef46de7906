--TEST--
heartbeat: `_nonce=0` → {"success":false}; `_nonce=00` → nonces_expired
--DESCRIPTION--
empty("0") is true, so "0" is the missing-nonce branch; "00" is not empty, goes
through wp_verify_nonce, fails (wp_verify_nonce_failed fires with "00") and gives
the nonces_expired body.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=0
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
add_action( 'wp_verify_nonce_failed', function ( $nonce, $action ) { fb_log( 'wp_verify_nonce_failed ' . fb_export( $nonce ) . ' ' . $action ); }, 10, 2 );
fb_compare();
$_POST['_nonce'] = '00';
fb_compare();
$_POST['_nonce'] = '0';
fb_run();
--EXPECTF--
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
[log] wp_verify_nonce_failed "00" heartbeat-nonce
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
