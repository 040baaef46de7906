--TEST--
nonce: the tick is a float concatenated with `precision` (precision=3)
--DESCRIPTION--
wp_nonce_tick returns ceil(...), a float, and wp_verify_nonce builds
"$i|action|uid|token" by string concatenation, which prints floats with the
`precision` ini setting. With precision=3 the tick 41560 is "4.16E+4": nonces
are made and checked with that text. A replacement that formats the tick as an
integer gets every nonce wrong here. How many digits the text shows depends on the
date ("4.2E+4" for ticks 41950-42049), so the test checks the property (exponent
form, the tick rounded to 3 significant digits), not a digit count.
--EXTENSIONS--
fastbeat
--INI--
precision=3
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
// What core concatenates into "$i|action|uid|token": the float tick printed with
// precision=3, i.e. exponent form with at most 3 significant digits (trailing zeros
// dropped), standing for the tick rounded to 3 significant digits, never the integer.
$tick = wp_nonce_tick();
$text = (string) $tick;
$ok   = 1 === preg_match( '/^[1-9](\.\d{0,1}[1-9])?E\+[1-9]\d*$/', $text )
	&& (float) $text === round( $tick, 3 - 1 - (int) floor( log10( $tick ) ) )
	&& $text !== sprintf( '%d', $tick );
fb_print( 'tick as text: ' . ( $ok ? 'exponent form, 3 significant digits' : "UNEXPECTED $text (tick $tick)" ) . "\n" );
$_POST['_nonce'] = fb_nonce( 0 );
fb_compare();
$_POST['_nonce'] = substr( hash_hmac( 'md5', ( (int) wp_nonce_tick() ) . '|heartbeat-nonce|1|', NONCE_KEY . NONCE_SALT ), -12, 10 );
fb_compare();
--EXPECTF--
tick as text: exponent form, 3 significant digits
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
[log] (wp_die)
[body 80] {"rest_nonce":"%x","heartbeat_nonce":"%x","nonces_expired":true}
[status] 200
[headers]
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
Content-Type: application/json; charset=UTF-8
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
[did_filter] pre_option+1 alloptions+1 gettext+1 gettext_default+1 salt+4 pre_option_blog_charset+1 option_blog_charset+1 nocache_headers+1 nonce_life+3 wp_refresh_nonces+1 wp_doing_ajax+2 wp_die_ajax_handler+1
[did_action] wp_ajax_heartbeat+1 wp_verify_nonce_failed+1
[cache] hits+2 misses+0
[compare] fastbeat identical
