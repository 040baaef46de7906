--TEST--
json: invalid UTF-8 goes through wp_json_encode's fallback (one "?" per bad sequence)
--DESCRIPTION--
json_encode fails on invalid UTF-8; wp_json_encode then runs
_wp_json_sanity_check, which converts every string key and value with
mb_convert_encoding (each maximal invalid sequence → "?") and encodes again.
Valid parts keep their \u escapes. The data arrives from the request
(heartbeat_received echoes it back).
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a]=a%FFb&data[b]=%E2%82&data[c]=%C3%28&data[d]=x%F0%9F%98y&data[e%FF]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r, $d ) { $r['echo'] = $d; $r["k\xffey"] = "caf\xe9"; $r['ok'] = 'é'; return $r; }, 10, 2 );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body 130] {"echo":{"a":"a?b","b":"?","c":"?(","d":"x?y","e?":"1"},"k?ey":"caf?","ok":"\u00e9","wp-auth-check":true,"server_time":%d}
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
[body 130] {"echo":{"a":"a?b","b":"?","c":"?(","d":"x?y","e?":"1"},"k?ey":"caf?","ok":"\u00e9","wp-auth-check":true,"server_time":%d}
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
