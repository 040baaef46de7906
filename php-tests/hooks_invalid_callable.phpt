--TEST--
hooks: a callback that is not callable fails inside core's WP_Hook, as with core
--DESCRIPTION--
A plugin left a callback whose function no longer exists on heartbeat_send (accepted
args 1, so core calls call_user_func_array()) and on heartbeat_received (accepted args
0: call_user_func()). The TypeError must be core's: same class, message and file:line
(class-wp-hook.php), and nothing may be written.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', 'fb_gone_zero_args', 10, 0 );
fb_compare();
remove_filter( 'heartbeat_received', 'fb_gone_zero_args', 10 );
add_filter( 'heartbeat_send', 'fb_gone_function' );
fb_compare();
--EXPECTF--
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
[did_filter] salt+1 nonce_life+1 sanitize_key+1 heartbeat_received+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] TypeError: call_user_func(): Argument #1 ($callback) must be a valid callback, function "fb_gone_zero_args" not found or invalid function name @ class-wp-hook.php:306 code=0 previous=none
[compare] fastbeat identical
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
[did_filter] salt+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] TypeError: call_user_func_array(): Argument #1 ($callback) must be a valid callback, function "fb_gone_function" not found or invalid function name @ class-wp-hook.php:310 code=0 previous=none
[compare] fastbeat identical
