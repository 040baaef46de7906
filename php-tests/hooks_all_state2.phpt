--TEST--
hooks: every hook fired for a state-2 beat (`all` hook)
--DESCRIPTION--
Previous-tick nonce: wp_refresh_nonces (and core's callback creating two nonces:
nonce_life/salt/nonce hooks again) then the normal flow.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[k]=v
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( -1 );
fb_trace_all();
fb_compare();
--EXPECTF--
[log] all: wp_ajax_heartbeat()
[log] all: nonce_life(86400, "heartbeat-nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: wp_refresh_nonces([], ["k"=>"v"], "front")
[log] all: nonce_life(86400, "wp_rest")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: nonce_life(86400, "heartbeat-nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: heartbeat_received(["rest_nonce"=>"%x","heartbeat_nonce"=>"%x"], ["k"=>"v"], "front")
[log] all: heartbeat_send(["rest_nonce"=>"%x","heartbeat_nonce"=>"%x"], "front")
[log] all: heartbeat_tick(["rest_nonce"=>"%x","heartbeat_nonce"=>"%x","wp-auth-check"=>true], "front")
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
[body 104] {"rest_nonce":"%x","heartbeat_nonce":"%x","wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
