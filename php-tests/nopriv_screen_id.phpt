--TEST--
nopriv: screen_id sanitize_key and `front` only when empty
--DESCRIPTION--
Same screen_id rules as the logged-in handler.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&screen_id=%C3%A9dit
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'user' => 0 ) );
add_filter( 'heartbeat_nopriv_send', function ( $r, $s ) { fb_log( 'send ' . fb_export( $s ) ); return $r; }, 10, 2 );
foreach ( array( 'Front!', '0', '', '!!!', array( 'x' ), 'a_B-c' ) as $id ) {
	$_POST['screen_id'] = $id;
	fb_print( '== ' . fb_export( $id ) . "\n" );
	fb_compare();
}
fb_run();
--EXPECTF--
== "Front!"
[log] send "front"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 sanitize_key+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "0"
[log] send "front"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== ""
[log] send "front"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "!!!"
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 sanitize_key+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== ["x"]
[log] send ""
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 sanitize_key+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
== "a_B-c"
[log] send "a_b-c"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 sanitize_key+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] send "a_b-c"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 sanitize_key+1 heartbeat_nopriv_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_nopriv_heartbeat+1 heartbeat_nopriv_tick+1
[cache] hits+2 misses+0
[server_time] ok
