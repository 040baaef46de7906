--TEST--
fault: E_USER_ERROR in a callback is a fatal error (status 500, no JSON)
--DESCRIPTION--
trigger_error(E_USER_ERROR) bails out of the engine: the handler stops, shutdown
functions run, and with display_errors=0 (as WordPress forces for Ajax) PHP sets
status 500 because headers were not sent yet. Nothing after the fatal runs.
--EXTENSIONS--
fastbeat
--INI--
display_errors=0
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) { echo 'partial'; trigger_error( 'fatal in heartbeat_send', E_USER_ERROR ); } );
add_action( 'heartbeat_tick', function () { fb_log( 'AFTER: heartbeat_tick' ); } );
fb_run();
--EXPECTF--
[body 7] partial
[status] 500
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[error] type 256: fatal in heartbeat_send @ fault_fatal_user_error.php
