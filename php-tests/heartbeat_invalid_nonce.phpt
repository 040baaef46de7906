--TEST--
heartbeat: invalid nonce → refreshed nonces + nonces_expired, nothing else
--DESCRIPTION--
A nonce that matches neither tick verifies as false: wp_refresh_nonces runs with
the unslashed data, nonces_expired is appended and wp_send_json ends the request,
so heartbeat_received, heartbeat_send (no wp-auth-check) and heartbeat_tick never
run and there is no server_time.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=0123456789&screen_id=Edit-Post&data[wp-refresh-post-nonces][post_id]=1&data[q]=it%27s
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
add_filter( 'wp_refresh_nonces', function ( $r, $data, $screen ) { fb_log( 'wp_refresh_nonces ' . fb_export( $data ) . ' ' . fb_export( $screen ) ); return $r; }, 5, 3 );
foreach ( array( 'heartbeat_received', 'heartbeat_send' ) as $h ) {
	add_filter( $h, function ( $r ) use ( $h ) { fb_log( $h ); return $r; } );
}
add_action( 'heartbeat_tick', function () { fb_log( 'heartbeat_tick' ); } );
fb_compare();
fb_run();
--EXPECTF--
[log] wp_refresh_nonces ["wp-refresh-post-nonces"=>["post_id"=>"1"],"q"=>"it's"] "edit-post"
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
[log] wp_refresh_nonces ["wp-refresh-post-nonces"=>["post_id"=>"1"],"q"=>"it's"] "edit-post"
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
