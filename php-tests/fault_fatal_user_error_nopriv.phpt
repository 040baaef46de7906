--TEST--
fault: E_USER_ERROR in a nopriv callback
--DESCRIPTION--
Same as fault_fatal_user_error for the logged-out handler, fatal raised in
heartbeat_nopriv_received.
--EXTENSIONS--
fastbeat
--INI--
display_errors=0
--POST--
action=heartbeat&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
add_filter( 'heartbeat_nopriv_received', function ( $r ) { trigger_error( 'fatal in nopriv_received', E_USER_ERROR ); } );
add_filter( 'heartbeat_nopriv_send', function ( $r ) { fb_log( 'AFTER' ); return $r; } );
fb_run();
--EXPECTF--
[body 0] 
[status] 500
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] heartbeat_nopriv_received+1
[did_action] wp_ajax_nopriv_heartbeat+1
[cache] hits+0 misses+0
[error] type 256: fatal in nopriv_received @ fault_fatal_user_error_nopriv.php
