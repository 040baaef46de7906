--TEST--
fault: memory exhaustion in a callback
--DESCRIPTION--
A heartbeat_send callback exhausts memory_limit: fatal error, status 500 (display
off), shutdown functions still run, no JSON. (memory_limit is not enforced when
Zend MM is off, as under valgrind: skipped there only.)
--EXTENSIONS--
fastbeat
--SKIPIF--
<?php if ( getenv( 'USE_ZEND_ALLOC' ) === '0' ) { die( 'skip memory_limit is not enforced without Zend MM (valgrind)' ); }
--INI--
display_errors=0
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
ini_set( 'memory_limit', '32M' );
add_filter( 'heartbeat_send', function ( $r ) { $a = array(); while ( true ) { $a[] = str_repeat( 'x', 1 << 20 ); } } );
add_action( 'heartbeat_tick', function () { fb_log( 'AFTER: heartbeat_tick' ); } );
fb_run();
--EXPECTF--
[body 0] 
[status] 500
[headers]
Content-Type: text/html; charset=UTF-8
X-Robots-Tag: noindex
X-Content-Type-Options: nosniff
Expires: Wed, 11 Jan 1984 05:00:00 GMT
Cache-Control: no-cache, must-revalidate, max-age=0
Referrer-Policy: strict-origin-when-cross-origin
X-Frame-Options: SAMEORIGIN
[did_filter] salt+1 nonce_life+1 heartbeat_send+1
[did_action] wp_ajax_heartbeat+1
[cache] hits+0 misses+0
[error] type 1: Allowed memory size of 33554432 bytes exhausted (tried to allocate %d bytes) @ fault_memory_exhausted.php
