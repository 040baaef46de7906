--TEST--
nonce: pluggable wp_verify_nonce returning true
--DESCRIPTION--
A site may replace the pluggable wp_verify_nonce(). The handler must call the
function (as replaced), with ($_POST['_nonce'] as is — slashed by magic quotes —,
'heartbeat-nonce'), exactly once, and apply core's strict `1 !==` and
`false ===` checks to what it returns: true is not 1 (strict), so wp_refresh_nonces runs, but it is not false either, so the normal path follows: refreshed nonces AND wp-auth-check/server_time.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=it%27s&data[x]=1
--FILE--
<?php
function wp_verify_nonce( ...$args ) {
	fb_log( 'wp_verify_nonce' . fb_export( $args ) );
	return true;
}
require __DIR__ . '/wp-stub.inc';
fb_boot();
fb_compare();
fb_run();
--EXPECTF--
[log] wp_verify_nonce["it\\'s","heartbeat-nonce"]
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 wp_refresh_nonces+1 nonce_life+2 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] wp_verify_nonce["it\\'s","heartbeat-nonce"]
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+2 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 wp_refresh_nonces+1 nonce_life+2 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
