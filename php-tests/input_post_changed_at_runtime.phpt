--TEST--
input: the handler reads $_POST as changed by plugins at runtime
--DESCRIPTION--
A plugin (priority 0 on wp_ajax_heartbeat) rewrites $_POST: removes the
screen_id, replaces data with a PHP array holding non-string values, and sets the
nonce. The handler must see the userland $_POST, not the request as parsed by
the SAPI.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&_nonce=bad&screen_id=from-request&data[from]=request
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
add_action( 'wp_ajax_heartbeat', function () {
	unset( $_POST['screen_id'] );
	$_POST['_nonce'] = fb_nonce( -1 );
	$_POST['data']   = array( 'int' => 5, 'float' => 1.5, 'bool' => true, 'null' => null, 's' => 'a\\\'b', 'nested' => array( 'x' => 'y\\"z' ) );
}, 0 );
add_filter( 'heartbeat_received', function ( $r, $d, $s ) { fb_log( fb_export( $d ) . ' ' . fb_export( $s ) ); $r['d'] = $d; return $r; }, 10, 3 );
fb_compare();
fb_run();
--EXPECTF--
[log] ["int"=>5,"float"=>1.5,"bool"=>true,"null"=>NULL,"s"=>"a'b","nested"=>["x"=>"y\"z"]] "front"
[log] (wp_die)
[body 186] {"rest_nonce":"%x","heartbeat_nonce":"%x","d":{"int":5,"float":1.5,"bool":true,"null":null,"s":"a'b","nested":{"x":"y\"z"}},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+5 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+4 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
[log] ["int"=>5,"float"=>1.5,"bool"=>true,"null"=>NULL,"s"=>"a'b","nested"=>["x"=>"y\"z"]] "front"
[body 186] {"rest_nonce":"%x","heartbeat_nonce":"%x","d":{"int":5,"float":1.5,"bool":true,"null":null,"s":"a'b","nested":{"x":"y\"z"}},"wp-auth-check":true,"server_time":%d}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+5 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+4 wp_refresh_nonces+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
