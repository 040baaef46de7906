--TEST--
input: deeply nested data (up to max_input_nesting_level) and beyond
--DESCRIPTION--
PHP's parser keeps data nested up to max_input_nesting_level (64); a variable
nested deeper is dropped whole by PHP (here `other`) before WordPress runs. The
handler passes the 62-level array through wp_unslash unchanged and it is encoded
back. Data nested 600 levels deep (set by PHP code) still reaches
heartbeat_received, but the response then exceeds json depth 512: empty body.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a][a]=deep%27&other[b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b][b]=too-deep
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
fb_print( 'top-level keys: ' . implode( ',', array_keys( $_POST ) ) . "\n" );
add_filter( 'heartbeat_received', function ( $r, $d ) {
	$depth = 0;
	for ( $x = $d; is_array( $x ); $x = reset( $x ) ) { $depth++; }
	fb_log( 'depth ' . $depth . ' leaf ' . fb_export( $x ) );
	$r['d'] = $d;
	return $r;
}, 10, 2 );
fb_compare();
$deep = 'leaf\\\'';
for ( $i = 0; $i < 600; $i++ ) { $deep = array( $deep ); }
$_POST['data'] = $deep;
fb_compare();
--EXPECTF--
top-level keys: action,data,_nonce
[log] depth 62 leaf "deep'"
[log] (wp_die)
[body 431] {"d":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":"deep'"}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}},"wp-auth-check":true,"server_time":%d}
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
[log] depth 600 leaf "leaf'"
[log] (wp_die)
[body 0] 
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
[compare] fastbeat identical
