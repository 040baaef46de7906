--TEST--
nonce: nonce_life filter (with its action argument) changes the tick
--DESCRIPTION--
wp_nonce_tick applies nonce_life with ($life, $action) (6.1+). A shorter life
changes the tick, so a default-life nonce becomes invalid and a nonce made under
the same filter is valid. nonce_life returning a non-int (string "3600") works
the same (float arithmetic).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$default = fb_nonce( 0 );
$GLOBALS['life'] = 3600;
add_filter( 'nonce_life', function ( $l, $action ) { fb_log( "nonce_life $l " . fb_export( $action ) ); return $GLOBALS['life']; }, 10, 2 );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare();
$_POST['_nonce'] = $default;
fb_compare();
$GLOBALS['life'] = '3600';
$_POST['_nonce'] = fb_nonce( -1 );
fb_compare();
--EXPECTF--
[log] nonce_life 86400 "heartbeat-nonce"
[log] nonce_life 86400 "heartbeat-nonce"
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
[log] nonce_life 86400 "heartbeat-nonce"
[log] nonce_life 86400 "wp_rest"
[log] nonce_life 86400 "heartbeat-nonce"
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
[log] nonce_life 86400 "heartbeat-nonce"
[log] nonce_life 86400 "heartbeat-nonce"
[log] nonce_life 86400 "wp_rest"
[log] nonce_life 86400 "heartbeat-nonce"
[log] (wp_die)
[body 104] {"rest_nonce":"%x","heartbeat_nonce":"%x","wp-auth-check":true,"server_time":%d}
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
