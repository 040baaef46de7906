--TEST--
input: odd keys — numeric strings, negative, leading zeros, spaces, dots, empty, unicode
--DESCRIPTION--
Key handling is PHP's: "1" becomes int 1 (so the array may become a list), "01"
and "-0" stay strings, "-1" becomes int -1, [] and [ ] append, a too-large integer stays a
string; top-level names have "." and " " mangled to "_" (only there).
WordPress never touches keys.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat&data[0]=a&data[1]=b&data[01]=c&data[-1]=d&data[-0]=e&data[]=f&data[a.b c]=g&data[]=h&data[%C3%A9]=i&data[%20]=j&data[9223372036854775808]=k&sc.reen+id=x
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
add_filter( 'heartbeat_received', function ( $r, $d ) { fb_log( fb_export( $d ) ); $r['d'] = $d; return $r; }, 10, 2 );
fb_print( 'top-level keys: ' . implode( ',', array_keys( $_POST ) ) . "\n" );
fb_compare();
fb_run();
--EXPECTF--
top-level keys: action,data,sc_reen_id,_nonce
[log] [0=>"a",1=>"b","01"=>"c",-1=>"d","-0"=>"e",2=>"f","a.b c"=>"g",3=>"h","\303\251"=>"i",4=>"j","9223372036854775808"=>"k"]
[log] (wp_die)
[body 171] {"d":{"0":"a","1":"b","01":"c","-1":"d","-0":"e","2":"f","a.b c":"g","3":"h","\u00e9":"i","4":"j","9223372036854775808":"k"},"wp-auth-check":true,"server_time":%d}
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
[log] [0=>"a",1=>"b","01"=>"c",-1=>"d","-0"=>"e",2=>"f","a.b c"=>"g",3=>"h","\303\251"=>"i",4=>"j","9223372036854775808"=>"k"]
[body 171] {"d":{"0":"a","1":"b","01":"c","-1":"d","-0":"e","2":"f","a.b c":"g","3":"h","\u00e9":"i","4":"j","9223372036854775808":"k"},"wp-auth-check":true,"server_time":%d}
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
