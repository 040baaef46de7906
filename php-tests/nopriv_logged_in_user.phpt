--TEST--
nopriv: the nopriv handler called for a logged-in user reports wp-auth-check true
--DESCRIPTION--
The handler itself does not check who is logged in: wp_auth_check decides.
Dispatching the nopriv handler while a user is set must not change anything else.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 5 ) );
fb_compare( false );
fb_run( 'fastbeat', false );
--EXPECTF--
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
