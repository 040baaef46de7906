--TEST--
option: pre_wp_load_alloptions hands get_option( 'blog_charset' ) other options (6.2+)
--DESCRIPTION--
From WordPress 6.2 on, get_option() goes through wp_load_alloptions(), which first asks
the pre_wp_load_alloptions filter: a callback returning an array short-circuits it, so
core's Content-Type charset is the array's, not the cached one (and 6.8+ counts one
cache hit, not two). 6.1's get_option() never fires the filter. The native
get_option( 'blog_charset' ) reproduces 6.1's function only, so on any other version
core's PHP answers. notoptions is primed first, as on a real site (a missing option was
asked for earlier in the request), since the native path needs it. The expectation here
is 6.1's; versions/6.8.diff and versions/7.1.diff hold theirs (ISO-8859-1).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
get_option( 'fb_no_such_option' );
add_filter( 'pre_wp_load_alloptions', function ( $pre ) {
	fb_log( 'pre_wp_load_alloptions ' . fb_export( $pre ) );
	$all                 = wp_cache_get( 'alloptions', 'options' );
	$all['blog_charset'] = 'ISO-8859-1';
	return $all;
} );
fb_compare();
--EXPECTF--
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
