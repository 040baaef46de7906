--TEST--
hooks: current_filter(), doing_filter(), doing_action(), did_action(), did_filter() inside callbacks
--DESCRIPTION--
Callbacks must see the hook stack as in core: the handler runs inside
do_action('wp_ajax_heartbeat'), so inside heartbeat_send current_filter() is
heartbeat_send, doing_action('wp_ajax_heartbeat') is true, and the run counters
are those of a single pass.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( -1 );
$probe = function ( $r ) {
	global $wp_current_filter;
	fb_log( sprintf(
		'%s stack=%s doing_filter()=%s doing(ajax)=%s doing(heartbeat_send)=%s did_action(wp_ajax_heartbeat)=%d did_filter(wp_refresh_nonces)=%d did_filter(heartbeat_received)=%d did_filter(heartbeat_send)=%d did_action(heartbeat_tick)=%d',
		current_filter(),
		implode( '>', $wp_current_filter ),
		var_export( doing_filter(), true ),
		var_export( doing_action( 'wp_ajax_heartbeat' ), true ),
		var_export( doing_filter( 'heartbeat_send' ), true ),
		did_action( 'wp_ajax_heartbeat' ),
		did_filter( 'wp_refresh_nonces' ),
		did_filter( 'heartbeat_received' ),
		did_filter( 'heartbeat_send' ),
		did_action( 'heartbeat_tick' )
	) );
	return $r;
};
foreach ( array( 'wp_refresh_nonces', 'heartbeat_received', 'heartbeat_send', 'heartbeat_tick', 'wp_die_ajax_handler' ) as $h ) {
	add_filter( $h, $probe );
}
fb_compare();
fb_run();
--EXPECTF--
[log] wp_refresh_nonces stack=wp_ajax_heartbeat>wp_refresh_nonces doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=0 did_filter(heartbeat_send)=0 did_action(heartbeat_tick)=0
[log] heartbeat_received stack=wp_ajax_heartbeat>heartbeat_received doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=0 did_action(heartbeat_tick)=0
[log] heartbeat_send stack=wp_ajax_heartbeat>heartbeat_send doing_filter()=true doing(ajax)=true doing(heartbeat_send)=true did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=1 did_action(heartbeat_tick)=0
[log] heartbeat_tick stack=wp_ajax_heartbeat>heartbeat_tick doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=1 did_action(heartbeat_tick)=1
[log] wp_die_ajax_handler stack=wp_ajax_heartbeat>wp_die_ajax_handler doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=1 did_action(heartbeat_tick)=1
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] wp_refresh_nonces stack=wp_ajax_heartbeat>wp_refresh_nonces doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=0 did_filter(heartbeat_send)=0 did_action(heartbeat_tick)=0
[log] heartbeat_received stack=wp_ajax_heartbeat>heartbeat_received doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=0 did_action(heartbeat_tick)=0
[log] heartbeat_send stack=wp_ajax_heartbeat>heartbeat_send doing_filter()=true doing(ajax)=true doing(heartbeat_send)=true did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=1 did_action(heartbeat_tick)=0
[log] heartbeat_tick stack=wp_ajax_heartbeat>heartbeat_tick doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=1 did_action(heartbeat_tick)=1
[log] wp_die_ajax_handler stack=wp_ajax_heartbeat>wp_die_ajax_handler doing_filter()=true doing(ajax)=true doing(heartbeat_send)=false did_action(wp_ajax_heartbeat)=1 did_filter(wp_refresh_nonces)=1 did_filter(heartbeat_received)=1 did_filter(heartbeat_send)=1 did_action(heartbeat_tick)=1
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
