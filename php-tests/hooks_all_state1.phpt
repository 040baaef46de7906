--TEST--
hooks: every hook fired for a state-1 beat, in order, with arguments (`all` hook)
--DESCRIPTION--
The `all` hook sees every apply_filters/do_action with all its arguments. The
sequence for a valid-nonce beat with data must be core's exactly: nonce_life,
salt, sanitize_key, heartbeat_received, heartbeat_send, heartbeat_tick,
get_option's filters for blog_charset, wp_doing_ajax, wp_die_ajax_handler,
nocache_headers, ... Any extra, missing or reordered hook call or argument is a
difference plugins can observe.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=Dash&data[k]=v
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'token' => 'TOKEN123' ) );
$_POST['_nonce'] = fb_nonce( 0 );
fb_trace_all();
fb_compare();
--EXPECTF--
[log] all: wp_ajax_heartbeat()
[log] all: nonce_life(86400, "heartbeat-nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: sanitize_key("dash", "Dash")
[log] all: heartbeat_received([], ["k"=>"v"], "dash")
[log] all: heartbeat_send([], "dash")
[log] all: heartbeat_tick(["wp-auth-check"=>true], "dash")
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
