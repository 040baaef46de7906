--TEST--
heartbeat: with no callbacks at all the response is only server_time
--DESCRIPTION--
Nothing hooked (core's wp_auth_check removed): state 1 gives {"server_time":T};
state 2 gives the same (wp_refresh_nonces has no callbacks); an invalid nonce
gives {"nonces_expired":true}.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'core_hooks' => false ) );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare();
$_POST['_nonce'] = fb_nonce( -1 );
fb_compare();
$_POST['_nonce'] = 'ffffffffff';
fb_compare();
fb_run();
--EXPECTF--
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 wp_refresh_nonces+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] (wp_die)
[body 23] {"nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
[body 23] {"nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
