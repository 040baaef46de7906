--TEST--
heartbeat: `_nonce=` (empty string) → {"success":false}
--DESCRIPTION--
empty("") is true: same as a missing nonce. The pluggable wp_verify_nonce is never
reached (the verify-failed action does not fire either).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=&screen_id=dashboard
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
add_action( 'wp_verify_nonce_failed', function () { fb_log( 'wp_verify_nonce_failed' ); } );
add_filter( 'nonce_life', function ( $l ) { fb_log( 'nonce_life' ); return $l; } );
fb_compare();
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
