--TEST--
heartbeat: a blog_charset with a line break is refused by header()
--DESCRIPTION--
header() refuses a header line containing a line break (a warning, and the
header is not sent), so with such a blog_charset the response keeps admin-ajax's
text/html Content-Type. The warning is core's, raised from wp_send_json().
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
$all                 = wp_cache_get( 'alloptions', 'options' );
$all['blog_charset'] = "UTF-8\r\nX-Injected: 1";
wp_cache_set( 'alloptions', $all, 'options' );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 176] 
Warning: Header may not contain more than a single header, new line detected in <ABSPATH>wp-includes/functions.php on line 4404
{"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[body 176] 
Warning: Header may not contain more than a single header, new line detected in <ABSPATH>wp-includes/functions.php on line 4404
{"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
