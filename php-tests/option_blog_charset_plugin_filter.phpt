--TEST--
option: a plugin's option_blog_charset callback next to core's two
--DESCRIPTION--
get_option( 'blog_charset' ) is answered natively only with core's own callbacks
(_wp_specialchars, _canonical_charset) or none on option_blog_charset. A plugin's
callback (here lower-casing, logging what it sees and the filter stack) makes core's
PHP answer; the Content-Type must be core's, the callback must run once per beat.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=dashboard
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'options' => array( 'blog_charset' => 'utf8' ) ) );
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'option_blog_charset', function ( $v, $name ) {
	fb_log( "option filter got $v for $name in " . current_filter() );
	return strtolower( $v );
}, 20, 2 );
fb_compare();
--EXPECTF--
[log] option filter got UTF-8 for blog_charset in option_blog_charset
[log] (wp_die)
[body %d] {"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=utf-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
