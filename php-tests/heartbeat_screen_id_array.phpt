--TEST--
heartbeat: screen_id[]=x sanitizes to "" (sanitize_key of a non-scalar)
--DESCRIPTION--
sanitize_key() returns "" for non-scalars (since 5.9) and still applies its
filter with the raw array. No warning, no `front`.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id[]=x&screen_id[k]=Y
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'sanitize_key', function ( $k, $raw ) { fb_log( 'sanitize_key ' . fb_export( $k ) . ' ' . fb_export( $raw ) ); return $k; }, 10, 2 );
add_filter( 'heartbeat_send', function ( $r, $s ) { fb_log( 'send ' . fb_export( $s ) ); return $r; }, 10, 2 );
fb_compare();
fb_run();
--EXPECTF--
[log] sanitize_key "" [0=>"x","k"=>"Y"]
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] sanitize_key "" [0=>"x","k"=>"Y"]
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
