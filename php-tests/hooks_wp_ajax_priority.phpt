--TEST--
hooks: wp_ajax_heartbeat callbacks before priority 1 run, after it never do
--DESCRIPTION--
The handler sits at priority 1 of wp_ajax_heartbeat and ends the request:
callbacks at PHP_INT_MIN and 0 run first (they may change $_POST), callbacks at
1 (added later) and 2 never run. Same for wp_ajax_nopriv_heartbeat.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
foreach ( array( 'wp_ajax_heartbeat', 'wp_ajax_nopriv_heartbeat' ) as $h ) {
	foreach ( array( PHP_INT_MIN, 0, 2, 10 ) as $p ) {
		add_action( $h, function () use ( $h, $p ) { fb_log( "$h@$p" ); if ( 0 === $p ) { $_POST['data'] = array( 'from' => 'prio0' ); } }, $p );
	}
}
add_filter( 'heartbeat_received', function ( $r, $d ) { $r['d'] = $d; return $r; }, 10, 2 );
add_filter( 'heartbeat_nopriv_received', function ( $r, $d ) { $r['d'] = $d; return $r; }, 10, 2 );
fb_compare( true );
fb_compare( false );
fb_run( 'fastbeat', true );
--EXPECTF--
[log] wp_ajax_heartbeat@-9223372036854775808
[log] wp_ajax_heartbeat@0
[log] (wp_die)
[body 68] {"d":{"from":"prio0"},"wp-auth-check":true,"server_time":%d}
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
[log] wp_ajax_nopriv_heartbeat@-9223372036854775808
[log] wp_ajax_nopriv_heartbeat@0
[log] (wp_die)
[body 68] {"d":{"from":"prio0"},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_received+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] wp_ajax_heartbeat@-9223372036854775808
[log] wp_ajax_heartbeat@0
[body 68] {"d":{"from":"prio0"},"wp-auth-check":true,"server_time":%d}
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
