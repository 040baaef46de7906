--TEST--
fault: malformed data makes a core callback throw TypeError
--DESCRIPTION--
data[wp-refresh-post-lock]=x reaches core's wp_refresh_post_lock, which indexes
the string "x" with ['post_id']: PHP 8 throws TypeError (a 500 in production).
The error must propagate unchanged, nothing written.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[wp-refresh-post-lock]=x
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', 'wp_refresh_post_lock', 10, 3 );
fb_compare();
fb_run();
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
[did_filter] salt+1 nonce_life+1 heartbeat_received+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] TypeError: Cannot access offset of type string on string @ misc.php:1178 code=0 previous=none
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
[did_filter] salt+1 nonce_life+1 heartbeat_received+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[exception] TypeError: Cannot access offset of type string on string @ misc.php:1178 code=0 previous=none
