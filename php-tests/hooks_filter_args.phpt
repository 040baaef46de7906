--TEST--
hooks: exact arguments of wp_refresh_nonces, heartbeat_received, heartbeat_send, heartbeat_tick
--DESCRIPTION--
Each filter gets ($response, $data, $screen_id) or ($response, $screen_id) with
the response as built so far; $data is the same unslashed array for
wp_refresh_nonces and heartbeat_received.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=Post-New&data[wp-refresh-post-nonces][post_id]=12&data[s]=a%5C%5Cb%27c
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( -1 );
foreach ( array( 'wp_refresh_nonces' => 3, 'heartbeat_received' => 3, 'heartbeat_send' => 2, 'heartbeat_tick' => 2 ) as $h => $n ) {
	add_filter( $h, function ( ...$a ) use ( $h ) {
		fb_log( $h . fb_export( $a ) );
		if ( is_array( $a[0] ) ) {
			$a[0][ $h ] = count( $a );
		}
		return $a[0];
	}, 11, $n );
}
fb_compare();
--EXPECTF--
[log] wp_refresh_nonces[["rest_nonce"=>"%x","heartbeat_nonce"=>"%x"],["wp-refresh-post-nonces"=>["post_id"=>"12"],"s"=>"a\\\\b'c"],"post-new"]
[log] heartbeat_received[["rest_nonce"=>"%x","heartbeat_nonce"=>"%x","wp_refresh_nonces"=>3],["wp-refresh-post-nonces"=>["post_id"=>"12"],"s"=>"a\\\\b'c"],"post-new"]
[log] heartbeat_send[["rest_nonce"=>"%x","heartbeat_nonce"=>"%x","wp_refresh_nonces"=>3,"heartbeat_received"=>3,"wp-auth-check"=>true],"post-new"]
[log] heartbeat_tick[["rest_nonce"=>"%x","heartbeat_nonce"=>"%x","wp_refresh_nonces"=>3,"heartbeat_received"=>3,"wp-auth-check"=>true,"heartbeat_send"=>2],"post-new"]
[log] (wp_die)
[body 168] {"rest_nonce":"%x","heartbeat_nonce":"%x","wp_refresh_nonces":3,"heartbeat_received":3,"wp-auth-check":true,"heartbeat_send":2,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 sanitize_key+1 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
