--TEST--
heartbeat: output already sent → no JSON Content-Type, no nocache re-send
--DESCRIPTION--
Without output buffering, a callback that prints something sends the headers;
wp_send_json then skips its header() and _ajax_wp_die_handler skips status and
nocache_headers, so the response keeps the text/html Content-Type. No warnings.
--EXTENSIONS--
fastbeat
--INI--
output_buffering=0
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'buffer' => false ) );
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r ) { echo "early output\n"; return $r; } );
add_filter( 'wp_die_ajax_handler', function ( $h ) { fb_log( 'headers_sent=' . var_export( headers_sent(), true ) ); return $h; } );
fb_run();
--EXPECTF--
early output
{"wp-auth-check":true,"server_time":%d}[log] headers_sent=true
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
[did_filter] gettext+1 gettext_default+1 salt+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+0 misses+0
