--TEST--
heartbeat: Content-Type charset comes from get_option(blog_charset) at send time
--DESCRIPTION--
wp_send_json sends `Content-Type: application/json; charset=<blog_charset>` with
whatever get_option returns at that moment, through the option_blog_charset
filter. The JSON itself is unaffected by the charset.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'options' => array( 'blog_charset' => 'ISO-8859-1' ) ) );
$_POST['_nonce'] = fb_nonce( 0 );
// Filter the option only from heartbeat_send on (the text/html header was sent before).
add_action( 'wp_ajax_heartbeat', function () { $GLOBALS['sending'] = false; }, 0 );
add_filter( 'heartbeat_send', function ( $r ) { $GLOBALS['sending'] = true; $r['é'] = 'é'; return $r; } );
add_filter( 'option_blog_charset', function ( $v ) {
	if ( ! empty( $GLOBALS['sending'] ) ) {
		fb_log( 'option_blog_charset ' . $v );
		$v .= '-filtered';
	}
	return $v;
} );
fb_compare();
fb_run();
--EXPECTF--
[log] option_blog_charset ISO-8859-1
[log] (wp_die)
[body 65] {"wp-auth-check":true,"\u00e9":"\u00e9","server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=ISO-8859-1-filtered
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] option_blog_charset ISO-8859-1
[body 65] {"wp-auth-check":true,"\u00e9":"\u00e9","server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=ISO-8859-1-filtered
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
