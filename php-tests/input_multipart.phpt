--TEST--
input: a multipart/form-data body is handled like urlencoded
--DESCRIPTION--
heartbeat.js posts urlencoded, but multipart works the same for PHP and core:
the same $_POST arrays, the same response.
--EXTENSIONS--
fastbeat
--POST_RAW--
Content-Type: multipart/form-data; boundary=XyZ
--XyZ
Content-Disposition: form-data; name="action"

heartbeat
--XyZ
Content-Disposition: form-data; name="screen_id"

Edit-Post
--XyZ
Content-Disposition: form-data; name="data[wp-x][post_id]"

it's 1
--XyZ--
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r, $d, $s ) { $r['d'] = $d; $r['s'] = $s; return $r; }, 10, 3 );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 97] {"d":{"wp-x":{"post_id":"it's 1"}},"s":"edit-post","wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[body 97] {"d":{"wp-x":{"post_id":"it's 1"}},"s":"edit-post","wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
