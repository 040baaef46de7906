--TEST--
heartbeat: `front` only when screen_id is empty; sanitized-to-empty stays ""
--DESCRIPTION--
The default `front` is used only when empty($_POST['screen_id']): missing, "" and
"0". A value that sanitizes to "" ("!!!", "é") passes "" to the filters, not
`front`.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=0
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_send', function ( $r, $s ) { fb_log( 'send ' . fb_export( $s ) ); return $r; }, 10, 2 );
foreach ( array( null, '', '0', '!!!', 'é', '0.0', ' ' ) as $id ) {
	if ( null === $id ) {
		unset( $_POST['screen_id'] );
	} else {
		$_POST['screen_id'] = $id;
	}
	fb_print( '== ' . fb_export( $id ) . "\n" );
	fb_compare();
}
fb_run();
--EXPECTF--
== NULL
[log] send "front"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== ""
[log] send "front"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "0"
[log] send "front"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "!!!"
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "\303\251"
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "0.0"
[log] send "00"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== " "
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 sanitize_key+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
