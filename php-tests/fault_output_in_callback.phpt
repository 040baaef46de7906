--TEST--
fault: callbacks printing output and warnings (display_errors=1)
--DESCRIPTION--
Output printed by callbacks (echo, a PHP warning shown with display_errors=1)
ends up in the body before the JSON, in order; headers are unaffected because
they are still buffered.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a]=1
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r ) { echo "[noise]"; return $r; } );
add_filter( 'heartbeat_send', function ( $r ) { $x = array(); $r['u'] = @$x['missing']; $r['w'] = $x['warn'] ?? 'n'; echo $undefined_var ?? ''; trigger_error( 'a notice', E_USER_NOTICE ); return $r; } );
fb_compare();
fb_run();
--EXPECTF--
[log] (wp_die)
[body %d] [noise]
Notice: a notice in %s/fault_output_in_callback.php on line 6
{"wp-auth-check":true,"u":null,"w":"n","server_time":%d}
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
[body %d] [noise]
Notice: a notice in %s/fault_output_in_callback.php on line 6
{"wp-auth-check":true,"u":null,"w":"n","server_time":%d}
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
