--TEST--
hooks: every hook fired by the nopriv handler (`all` hook)
--DESCRIPTION--
Logged out with data: sanitize_key, heartbeat_nopriv_received,
heartbeat_nopriv_send, heartbeat_nopriv_tick, then the send.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=front&data[k]=v
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
fb_trace_all();
fb_compare();
--EXPECTF--
[log] all: wp_ajax_nopriv_heartbeat()
[log] all: sanitize_key("front", "front")
[log] all: heartbeat_nopriv_received([], ["k"=>"v"], "front")
[log] all: heartbeat_nopriv_send([], "front")
[log] all: heartbeat_nopriv_tick(["wp-auth-check"=>false], "front")
[log] all: pre_option_blog_charset(false, "blog_charset", false)
[log] all: pre_option(false, "blog_charset", false)
[log] all: alloptions(["siteurl"=>"http://example.org","home"=>"http://example.org","blog_charset"=>"UTF-8","blogname"=>"Fastbeat"])
[log] all: option_blog_charset("UTF-8", "blog_charset")
[log] all: wp_doing_ajax(true)
[log] all: wp_doing_ajax(true)
[log] all: wp_die_ajax_handler("_ajax_wp_die_handler")
[log] all: gettext("WordPress &rsaquo; Error", "WordPress &rsaquo; Error", "default")
[log] all: gettext_default("WordPress &rsaquo; Error", "WordPress &rsaquo; Error", "default")
[log] all: nocache_headers(["Expires"=>"Wed, 11 Jan 1984 05:00:00 GMT","Cache-Control"=>"no-cache, must-revalidate, max-age=0"])
[log] (wp_die)
[body 48] {"wp-auth-check":false,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 sanitize_key+1 heartbeat_nopriv_received+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
