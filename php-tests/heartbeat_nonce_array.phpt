--TEST--
heartbeat: `_nonce[]=x` is stringified to "Array" by wp_verify_nonce (warning) → expired
--DESCRIPTION--
An array nonce is not empty, so it reaches wp_verify_nonce, whose (string) cast
emits "Array to string conversion" from pluggable.php and yields "Array", which
fails: wp_verify_nonce_failed gets "Array" and the body is nonces_expired. With
display_errors=1 the warning text is part of the body, before the JSON.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce[]=x&_nonce[k]=y
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
add_action( 'wp_verify_nonce_failed', function ( $nonce ) { fb_log( 'wp_verify_nonce_failed ' . fb_export( $nonce ) ); } );
fb_compare();
fb_run();
--EXPECTF--
[log] wp_verify_nonce_failed "Array"
[log] (wp_die)
[body 168] 
Warning: Array to string conversion in <ABSPATH>wp-includes/pluggable.php on line 2279
{"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
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
[log] wp_verify_nonce_failed "Array"
[body 168] 
Warning: Array to string conversion in <ABSPATH>wp-includes/pluggable.php on line 2279
{"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
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
