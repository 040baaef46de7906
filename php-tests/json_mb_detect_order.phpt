--TEST--
json: the invalid-UTF-8 fallback honours mb_detect_order (EUC-JP)
--DESCRIPTION--
_wp_json_convert_string detects the encoding with mb_detect_order(): with EUC-JP
added, EUC-JP bytes are converted to UTF-8 instead of becoming "?" (core's own
wpJsonEncode test).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
mb_detect_order( array( 'ASCII', 'UTF-8', 'EUC-JP' ) );
add_filter( 'heartbeat_send', function ( $r ) { $r['euc'] = "a\xa4\xa2b"; $r[ "k\xa4\xa2" ] = array( "\xa4\xa2" ); return $r; } );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 85] {"wp-auth-check":true,"euc":"a\u3042b","k\u3042":["\u3042"],"server_time":%d}
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
[body 85] {"wp-auth-check":true,"euc":"a\u3042b","k\u3042":["\u3042"],"server_time":%d}
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
