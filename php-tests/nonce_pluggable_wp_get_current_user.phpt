--TEST--
nonce: replaced pluggable wp_get_current_user() is honoured
--DESCRIPTION--
Core's wp_verify_nonce() calls the pluggable wp_get_current_user() as the site defines it:
a wp_get_current_user() whose user ID is the string "12": (int) gives 12 for the nonce, and wp_auth_check sees a logged-in user. A replacement must take every pluggable into account, not only
wp_verify_nonce itself.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
function wp_get_current_user() {
	fb_log( 'wp_get_current_user' );
	$u     = new WP_User();
	$u->ID = '12';
	return $u;
}
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'token' => 'sess' ) );
$GLOBALS['fb_log'] = array();
$_POST['_nonce']   = wp_create_nonce( 'heartbeat-nonce' );
fb_compare();
$_POST['_nonce'] = substr( hash_hmac( 'md5', ceil( time() / 43200 ) . '|heartbeat-nonce|1|sess', NONCE_KEY . NONCE_SALT ), -12, 10 );
fb_compare();
--EXPECTF--
[log] wp_get_current_user
[log] wp_get_current_user
[log] wp_get_current_user
[log] wp_get_current_user
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
[log] wp_get_current_user
[log] wp_get_current_user
[log] wp_get_current_user
[log] wp_get_current_user
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
