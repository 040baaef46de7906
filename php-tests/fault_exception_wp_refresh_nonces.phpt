--TEST--
fault: exception thrown in wp_refresh_nonces propagates unchanged
--DESCRIPTION--
A callback on wp_refresh_nonces throws. The very same exception object (class,
message, file, line, no previous) must come out of the handler, nothing must be
written (no body, no JSON Content-Type), and no later hook may run. Checked
in-process against core, then for real: the exception escapes the dispatch
(admin-ajax would turn it into a fatal error).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 1 ) );
$_POST['_nonce'] = fb_nonce( -1 );
add_filter( 'wp_refresh_nonces', function ( $r ) {
	fb_log( 'throwing' );
	throw $GLOBALS['fb_thrown'] = new RuntimeException( 'boom from wp_refresh_nonces', 42 );
} );
foreach ( array( 'heartbeat_send', 'heartbeat_tick', 'heartbeat_nopriv_tick', 'wp_die_ajax_handler' ) as $h ) {
	add_filter( $h, function ( $r ) use ( $h ) { fb_log( "AFTER: $h" ); return $r; }, 99 );
}
fb_compare();
fb_run();
--EXPECTF--
[log] throwing
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+4 nonce_life+3 wp_refresh_nonces+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] RuntimeException: boom from wp_refresh_nonces @ fault_exception_wp_refresh_nonces.php:7 code=42 previous=none
[exception] the thrown object itself: yes
[compare] fastbeat identical
[log] throwing
[body 0] 
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+4 nonce_life+3 wp_refresh_nonces+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] RuntimeException: boom from wp_refresh_nonces @ fault_exception_wp_refresh_nonces.php:7 code=42 previous=none
[exception] the thrown object itself: yes
