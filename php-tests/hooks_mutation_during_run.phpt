--TEST--
hooks: callbacks that add/remove callbacks while the beat runs
--DESCRIPTION--
A heartbeat_received callback removes core's wp_auth_check from heartbeat_send
and adds a heartbeat_tick callback; a heartbeat_send callback at priority 5 adds
another heartbeat_send callback at priority 20 of the running hook. Core's hooks
see those changes; so must the replacement (no cached callback lists).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[x]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r ) {
	remove_filter( 'heartbeat_send', 'wp_auth_check' );
	add_action( 'heartbeat_tick', function ( $r ) { fb_log( 'late tick ' . fb_export( $r ) ); } );
	return $r;
} );
add_filter( 'heartbeat_send', function ( $r ) {
	add_filter( 'heartbeat_send', function ( $r ) { $r['added-while-running'] = true; return $r; }, 20 );
	return $r;
}, 5 );
fb_compare();
--EXPECTF--
[log] late tick ["added-while-running"=>true]
[log] (wp_die)
[body 53] {"added-while-running":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
