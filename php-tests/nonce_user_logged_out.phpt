--TEST--
nonce: uid 0 goes through nonce_user_logged_out (logged-in handler, no user)
--DESCRIPTION--
wp_verify_nonce uses (int) wp_get_current_user()->ID and, when it is 0, the
nonce_user_logged_out filter with ($uid, $action). The handler is the logged-in
one, dispatched for a user 0 (as a plugin could do).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
add_filter( 'nonce_user_logged_out', function ( $uid, $action ) { fb_log( "nonce_user_logged_out $uid $action" ); return 77; }, 10, 2 );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare( true );
$_POST['_nonce'] = substr( hash_hmac( 'md5', wp_nonce_tick() . '|heartbeat-nonce|0|', NONCE_KEY . NONCE_SALT ), -12, 10 );
fb_compare( true );
--EXPECTF--
[log] nonce_user_logged_out 0 heartbeat-nonce
[log] nonce_user_logged_out 0 heartbeat-nonce
[log] (wp_die)
[body 48] {"wp-auth-check":false,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_user_logged_out+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] nonce_user_logged_out 0 heartbeat-nonce
[log] nonce_user_logged_out 0 wp_rest
[log] nonce_user_logged_out 0 heartbeat-nonce
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_user_logged_out+3 nonce_life+3 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
