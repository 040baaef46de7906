--TEST--
input: GET parameters and unknown POST fields are ignored
--DESCRIPTION--
The handler reads only $_POST['_nonce'], ['screen_id'] and ['data']: query
string values (even named data/screen_id/_nonce) and extra POST fields
(interval, has_focus, action) have no effect.
--EXTENSIONS--
fastbeat
--GET--
action=foo&data[a]=1&screen_id=from-get&_nonce=bad
--POST--
action=heartbeat&interval=15&has_focus=true&extra[x]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r ) { fb_log( 'received' ); return $r; } );
add_filter( 'heartbeat_send', function ( $r, $s ) { fb_log( 'send ' . $s ); return $r; }, 10, 2 );
fb_print( '$_REQUEST keys: ' . implode( ',', array_keys( $_REQUEST ) ) . "\n" );
fb_compare();
fb_run();
--EXPECTF--
$_REQUEST keys: action,data,screen_id,_nonce,interval,has_focus,extra
[log] send front
[log] (wp_die)
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] send front
[body 47] {"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
