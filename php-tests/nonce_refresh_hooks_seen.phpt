--TEST--
nonce: refreshed nonces with callbacks on the hooks they run
--DESCRIPTION--
An expired nonce makes core's wp_refresh_heartbeat_nonces() create two nonces, each
through nonce_user_logged_out / nonce_life / salt. fastbeat creates them natively
only while those hooks have no callbacks; here nonce_life and salt have callbacks
that look at the filter stack and change the values, so every nonce must come out as
core makes it and every callback must see what it sees under core.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = 'expired000';
add_filter( 'nonce_life', function ( $life, $action = null ) {
	global $wp_current_filter;
	fb_log( 'nonce_life ' . $action . ' in ' . implode( '>', $wp_current_filter ) . ' refreshing=' . (int) doing_filter( 'wp_refresh_nonces' ) );
	return 'wp_rest' === $action ? 3600 : $life;
}, 10, 2 );
add_filter( 'salt', function ( $salt, $scheme ) {
	fb_log( "salt $scheme" );
	return $salt . 'x';
}, 10, 2 );
fb_compare();
--EXPECTF--
[log] nonce_life heartbeat-nonce in wp_ajax_heartbeat>nonce_life refreshing=0
[log] salt nonce
[log] salt nonce
[log] nonce_life wp_rest in wp_ajax_heartbeat>wp_refresh_nonces>nonce_life refreshing=1
[log] salt nonce
[log] nonce_life heartbeat-nonce in wp_ajax_heartbeat>wp_refresh_nonces>nonce_life refreshing=1
[log] salt nonce
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 sanitize_key+1 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
