--TEST--
hooks: every hook fired for an invalid nonce (`all` hook), incl. wp_verify_nonce_failed
--DESCRIPTION--
Invalid nonce: nonce_life, salt (twice: both ticks), wp_verify_nonce_failed with
($nonce, $action, $user, $token), sanitize_key, wp_refresh_nonces, then the send.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=abcdefabcd&screen_id=x
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 3, 'token' => 'tok' ) );
fb_trace_all();
fb_compare();
--EXPECTF--
[log] all: wp_ajax_heartbeat()
[log] all: nonce_life(86400, "heartbeat-nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: wp_verify_nonce_failed("abcdefabcd", "heartbeat-nonce", WP_User["data"=>stdClass["ID"=>3,"user_login"=>"user3","display_name"=>"User 3"],"ID"=>3,"caps"=>[],"cap_key"=>NULL,"roles"=>[],"allcaps"=>[],"filter"=>NULL], "tok")
[log] all: sanitize_key("x", "x")
[log] all: wp_refresh_nonces([], [], "x")
[log] all: nonce_life(86400, "wp_rest")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
[log] all: nonce_life(86400, "heartbeat-nonce")
[log] all: salt("test-nonce-key-0004test-nonce-salt-0008", "nonce")
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
[body 80] {"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 sanitize_key+1 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
