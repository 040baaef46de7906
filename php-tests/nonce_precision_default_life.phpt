--TEST--
nonce: precision ini with the default nonce_life (no filter at all)
--DESCRIPTION--
Same as nonce_precision_ini but with nothing hooked on nonce_life, i.e. the path
every real site takes: with precision=4 the tick prints in exponent form rounded
to 4 significant digits ("4.156E+4", or "4.16E+4" for ticks 41595-41604: the
number of digits shown depends on the date, so the test checks the property, not
a digit count) and a nonce minted by core under that setting must verify as 1; a
nonce minted from the integer tick text must not.
--EXTENSIONS--
fastbeat
--INI--
precision=4
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
// What core concatenates into "$i|action|uid|token": the float tick printed with
// precision=4, i.e. exponent form with at most 4 significant digits (trailing zeros
// dropped), standing for the tick rounded to 4 significant digits, never the integer.
$tick = wp_nonce_tick();
$text = (string) $tick;
$ok   = 1 === preg_match( '/^[1-9](\.\d{0,2}[1-9])?E\+[1-9]\d*$/', $text )
	&& (float) $text === round( $tick, 4 - 1 - (int) floor( log10( $tick ) ) )
	&& $text !== sprintf( '%d', $tick );
fb_print( 'tick as text: ' . ( $ok ? 'exponent form, 4 significant digits' : "UNEXPECTED $text (tick $tick)" ) . "\n" );
$_POST['_nonce'] = wp_create_nonce( 'heartbeat-nonce' );
fb_compare();
$_POST['_nonce'] = substr( hash_hmac( 'md5', sprintf( '%d', wp_nonce_tick() ) . '|heartbeat-nonce|1|', NONCE_KEY . NONCE_SALT ), -12, 10 );
fb_compare();
--EXPECTF--
tick as text: exponent form, 4 significant digits
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
