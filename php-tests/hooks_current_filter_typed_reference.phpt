--TEST--
hooks: $wp_current_filter shared by reference with a typed property (?array)
--DESCRIPTION--
A callback makes a typed ?array property share $wp_current_filter's reference. The
native runner pushes and pops through it as core does (an array stays an array, which the
type allows), in the rest of that run and in the hooks after it.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=edit-post
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );

class FB_Typed {
	public ?array $list = null;
}
add_filter( 'heartbeat_send', function ( $r ) {
	$t       = new FB_Typed();
	$t->list = &$GLOBALS['wp_current_filter'];
	$GLOBALS['fb_keep'][] = $t;
	$r['first'] = implode( ',', $GLOBALS['wp_current_filter'] );
	return $r;
} );
add_filter( 'heartbeat_send', function ( $r ) {
	$r['second'] = implode( ',', $GLOBALS['wp_current_filter'] ) . ' ' . current_filter();
	return $r;
}, 20 );
add_action( 'heartbeat_tick', function () {
	fb_log( 'tick: ' . implode( ',', $GLOBALS['wp_current_filter'] ) );
} );
add_filter( 'wp_die_ajax_handler', function ( $h ) {
	fb_log( 'die handler: ' . implode( ',', $GLOBALS['wp_current_filter'] ) );
	return $h;
}, 5 );
fb_compare();
fb_log( 'after: ' . implode( ',', $GLOBALS['wp_current_filter'] ) );
--EXPECTF--
[log] tick: wp_ajax_heartbeat,heartbeat_tick
[log] die handler: wp_ajax_heartbeat,wp_die_ajax_handler
[log] (wp_die)
[body %d] {"wp-auth-check":true,"first":"wp_ajax_heartbeat,heartbeat_send","second":"wp_ajax_heartbeat,heartbeat_send heartbeat_send","server_time":%d}
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
[log] after: 
