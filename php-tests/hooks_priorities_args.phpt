--TEST--
hooks: priorities and accepted_args are honoured for every heartbeat hook
--DESCRIPTION--
Callbacks at PHP_INT_MIN, -1, 10 and PHP_INT_MAX run in priority order, and each
gets as many arguments as it accepts (0, 1, 2 or 3; more than passed gets all).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=s&data[d]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( -1 );
foreach ( array( 'wp_refresh_nonces', 'heartbeat_received', 'heartbeat_send', 'heartbeat_tick' ) as $h ) {
	foreach ( array( PHP_INT_MAX => 0, 10 => 1, -1 => 2, PHP_INT_MIN => 5 ) as $prio => $n ) {
		add_filter( $h, function ( ...$a ) use ( $h, $prio, $n ) {
			fb_log( "$h prio=$prio accepted=$n got=" . count( $a ) . ' ' . fb_export( array_slice( $a, 1 ) ) );
			return $a ? $a[0] : null;
		}, $prio, $n );
	}
}
add_filter( 'heartbeat_send', function () { fb_log( 'zero-arg filter' ); return array( 'zero-args' => true ); }, 10, 0 );
fb_compare();
--EXPECTF--
[log] wp_refresh_nonces prio=-9223372036854775808 accepted=5 got=3 [["d"=>"1"],"s"]
[log] wp_refresh_nonces prio=-1 accepted=2 got=2 [["d"=>"1"]]
[log] wp_refresh_nonces prio=10 accepted=1 got=1 []
[log] wp_refresh_nonces prio=9223372036854775807 accepted=0 got=0 []
[log] heartbeat_received prio=-9223372036854775808 accepted=5 got=3 [["d"=>"1"],"s"]
[log] heartbeat_received prio=-1 accepted=2 got=2 [["d"=>"1"]]
[log] heartbeat_received prio=10 accepted=1 got=1 []
[log] heartbeat_received prio=9223372036854775807 accepted=0 got=0 []
[log] heartbeat_send prio=-9223372036854775808 accepted=5 got=2 ["s"]
[log] heartbeat_send prio=-1 accepted=2 got=2 ["s"]
[log] heartbeat_send prio=10 accepted=1 got=1 []
[log] zero-arg filter
[log] heartbeat_send prio=9223372036854775807 accepted=0 got=0 []
[log] heartbeat_tick prio=-9223372036854775808 accepted=5 got=2 ["s"]
[log] heartbeat_tick prio=-1 accepted=2 got=2 ["s"]
[log] heartbeat_tick prio=10 accepted=1 got=1 []
[log] heartbeat_tick prio=9223372036854775807 accepted=0 got=0 []
[log] (wp_die)
[body 26] {"server_time":%d}
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
