--TEST--
heartbeat: no _nonce at all → {"success":false}
--DESCRIPTION--
Without `_nonce` core calls wp_send_json_error() before anything else: body
exactly {"success":false} (17 bytes), status 200, JSON content type, no hooks of
the heartbeat flow; the `all` hook shows exactly which hooks fire on the way out.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
fb_trace_all( false );
fb_compare();
fb_run();
--EXPECTF--
[log] all: wp_ajax_heartbeat
[log] all: pre_option_blog_charset
[log] all: pre_option
[log] all: alloptions
[log] all: option_blog_charset
[log] all: wp_doing_ajax
[log] all: wp_doing_ajax
[log] all: wp_die_ajax_handler
[log] all: gettext
[log] all: gettext_default
[log] all: nocache_headers
[log] (wp_die)
[body 17] {"success":false}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+2 misses+0
[compare] fastbeat identical
[log] all: wp_ajax_heartbeat
[log] all: pre_option_blog_charset
[log] all: pre_option
[log] all: alloptions
[log] all: option_blog_charset
[log] all: wp_doing_ajax
[log] all: wp_doing_ajax
[log] all: wp_die_ajax_handler
[log] all: gettext
[log] all: gettext_default
[log] all: nocache_headers
[body 17] {"success":false}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+2 misses+0
