--TEST--
fault: exit() in a callback ends the request right there
--DESCRIPTION--
exit() inside heartbeat_send (after printing) ends the script: shutdown
functions run, nothing of the handler runs after it (no server_time, no JSON,
no JSON Content-Type).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) { echo 'bye'; exit( 4 ); } );
add_action( 'heartbeat_tick', function () { fb_log( 'AFTER: heartbeat_tick' ); } );
fb_run();
--EXPECTF--
[body 3] bye
[status] 200
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
