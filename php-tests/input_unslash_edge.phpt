--TEST--
input: wp_unslash edge cases (lone backslashes, \0, references, very deep arrays)
--DESCRIPTION--
wp_unslash is stripslashes on every string, recursively: a trailing lone
backslash disappears, "\0" becomes a NUL byte, "\\" one backslash; ints,
floats, bools and null are untouched. Arrays holding references and arrays nested
deeper than 256 levels are unslashed the same way.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r, $d ) { fb_log( fb_export( $d ) ); $r['d'] = $d; return $r; }, 10, 2 );
$_POST['data'] = array( 'end\\', '\\\\\\', '\\0x', '\\x\\', 'a\\\\b', '\\', 'no slash', 7, 1.5, false, null, array( 'in\\\'ner' ) );
fb_compare();
$ref           = 'by\\\'ref';
$_POST['data'] = array( 'r' => &$ref, 'k' => 'v\\"' );
fb_compare();
unset( $ref );
$top           = array( 'top' => 'level\\\'ref' );
$_POST['data'] = &$top;
fb_compare();
unset( $_POST['data'], $top );
$deep = 'leaf\\\'s';
for ( $i = 0; $i < 300; $i++ ) { $deep = array( 'k\\' => $deep ); }
$_POST['data'] = $deep;
remove_all_filters( 'heartbeat_received' );
add_filter( 'heartbeat_received', function ( $r, $d ) {
	for ( $x = $d, $n = 0; is_array( $x ); $x = reset( $x ), $n++ );
	fb_log( "depth $n leaf " . fb_export( $x ) . ' key ' . fb_export( key( $d ) ) );
	return $r;
}, 10, 2 );
fb_compare();
--EXPECTF--
[log] ["end","\\","\000x","x","a\\b","","no slash",7,1.5,false,NULL,["in'ner"]]
[log] (wp_die)
[body 127] {"d":["end","\\","\u0000x","x","a\\b","","no slash",7,1.5,false,null,["in'ner"]],"wp-auth-check":true,"server_time":%d}
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
[log] ["r"=>"by'ref","k"=>"v\""]
[log] (wp_die)
[body 76] {"d":{"r":"by'ref","k":"v\""},"wp-auth-check":true,"server_time":%d}
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
[log] ["top"=>"level'ref"]
[log] (wp_die)
[body 71] {"d":{"top":"level'ref"},"wp-auth-check":true,"server_time":%d}
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
[log] depth 300 leaf "leaf's" key "k\\"
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
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+1 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+1 heartbeat_received+1 heartbeat_send+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 heartbeat_tick+1
[cache] hits+2 misses+0
[server_time] ok
[compare] fastbeat identical
