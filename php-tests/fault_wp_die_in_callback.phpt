--TEST--
fault: wp_die() in a callback (Ajax handler, status and body)
--DESCRIPTION--
A callback calling wp_die('nope', 403) gets the Ajax die handler: status 403,
nocache headers, body "nope", and the heartbeat never finishes.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r ) { wp_die( 'nope', 403 ); } );
add_filter( 'heartbeat_send', function ( $r ) { fb_log( 'AFTER: heartbeat_send' ); return $r; } );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 4] nope
[status] 403
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] gettext+1 gettext_default+1 salt+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 wp_doing_ajax+1 wp_die_ajax_handler+1 status_header+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[compare] fastbeat identical
[body 4] nope
[status] 403
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] gettext+1 gettext_default+1 salt+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 wp_doing_ajax+1 wp_die_ajax_handler+1 status_header+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
