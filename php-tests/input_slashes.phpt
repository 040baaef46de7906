--TEST--
input: magic quotes then wp_unslash — values round-trip, keys stay raw
--DESCRIPTION--
The request data is addslashes()ed by wp_magic_quotes() (values only, not keys)
and wp_unslash()ed by the handler, so values arrive exactly as sent: `it's \ "x"`.
Keys keep their quotes and backslashes. A replacement reading the raw SAPI
arrays instead of the $_POST WordPress prepared would differ here.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[k%27ey][a%5Cb]=it%27s+%5C%5C+%22x%22&data[plain]=%5C%27&data[q%22]=%00nul
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
fb_print( 'raw $_POST[data]: ' . fb_export( $_POST['data'] ) . "\n" );
add_filter( 'heartbeat_received', function ( $r, $d ) { fb_log( fb_export( $d ) ); $r['d'] = $d; return $r; }, 10, 2 );
fb_compare();
fb_run();
--EXPECTF--
raw $_POST[data]: ["k'ey"=>["a\\b"=>"it\\'s \\\\\\\\ \\\"x\\\""],"plain"=>"\\\\\\'","q\""=>"\\0nul"]
[log] ["k'ey"=>["a\\b"=>"it's \\\\ \"x\""],"plain"=>"\\'","q\""=>"\000nul"]
[log] (wp_die)
[body 119] {"d":{"k'ey":{"a\\b":"it's \\\\ \"x\""},"plain":"\\'","q\"":"\u0000nul"},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] ["k'ey"=>["a\\b"=>"it's \\\\ \"x\""],"plain"=>"\\'","q\""=>"\000nul"]
[body 119] {"d":{"k'ey":{"a\\b":"it's \\\\ \"x\""},"plain":"\\'","q\"":"\u0000nul"},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
