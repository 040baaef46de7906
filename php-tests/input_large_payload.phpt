--TEST--
input: a large payload (900 keys, a 1 MiB value) round-trips
--DESCRIPTION--
Large beats: 900 data keys (under max_input_vars 1000) and a 1 MiB value with
quotes, echoed back by heartbeat_received. Same bytes as core.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot();
$_POST['_nonce'] = fb_nonce( 0 );
$data = array();
for ( $i = 0; $i < 900; $i++ ) {
	$data[ "k$i" ] = addslashes( "v'$i" );
}
$data['big'] = addslashes( str_repeat( "0123456789'\"\\/é", 70000 ) );
$_POST['data'] = $data;
add_filter( 'heartbeat_received', function ( $r, $d ) { $r['d'] = $d; return $r; }, 10, 2 );
list( $core, $fast ) = fb_compare();
$GLOBALS['fb_print'] = ''; // the full bodies are too long to print
fb_print( 'core body: ' . strlen( $core['body'] ) . ' bytes, md5 ' . md5( preg_replace( '/"server_time":\d+/', '', $core['body'] ) ) . "\n" );
fb_print( 'identical: ' . var_export( $core === $fast || preg_replace( '/"server_time":\d+/', '', serialize( $core ) ) === preg_replace( '/"server_time":\d+/', '', serialize( $fast ) ), true ) . "\n" );
--EXPECTF--
core body: 1623342 bytes, md5 70866dd9ecf4309355787cc69289b220
identical: true
