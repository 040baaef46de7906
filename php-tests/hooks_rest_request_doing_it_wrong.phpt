--TEST--
hooks: REST_REQUEST defined → wp_send_json calls _doing_it_wrong
--DESCRIPTION--
wp_send_json starts with `if ( defined( 'REST_REQUEST' ) && REST_REQUEST )
_doing_it_wrong(...)`, which fires doing_it_wrong_run with a translated message
(WP_DEBUG off here, so nothing is printed).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'constants' => array( 'REST_REQUEST' => true ) ) );
$_POST['_nonce'] = fb_nonce( 0 );
add_action( 'doing_it_wrong_run', function ( ...$a ) { fb_log( 'doing_it_wrong_run ' . fb_export( $a ) ); }, 10, 3 );
fb_compare();
fb_run();
--EXPECTF--
[log] doing_it_wrong_run ["wp_send_json","Return a WP_REST_Response or WP_Error object from your callback when using the REST API.","5.5.0"]
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
[did_filter] pre_option+1 alloptions+1 gettext+2 gettext_default+2 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1 doing_it_wrong_run+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] doing_it_wrong_run ["wp_send_json","Return a WP_REST_Response or WP_Error object from your callback when using the REST API.","5.5.0"]
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
[did_filter] pre_option+1 alloptions+1 gettext+2 gettext_default+2 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1 doing_it_wrong_run+1
[cache] hits+2 misses+0
[server_time] ok
