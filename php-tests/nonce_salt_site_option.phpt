--TEST--
nonce: without NONCE_SALT the salt comes from the nonce_salt site option
--DESCRIPTION--
wp_salt('nonce') falls back to get_site_option('nonce_salt') when the constant
is missing (single site: the option). A nonce computed with that salt verifies.
--EXTENSIONS--
fastbeat
--POST--
action=heartbeat
--FILE--
<?php
require __DIR__ . '/wp-stub.inc';
fb_boot( array( 'constants' => array( 'NONCE_SALT' => null ), 'options' => array( 'nonce_salt' => 'salt-from-the-options-table' ) ) );
$tick = wp_nonce_tick();
$_POST['_nonce'] = substr( hash_hmac( 'md5', "$tick|heartbeat-nonce|1|", 'test-nonce-key-0004salt-from-the-options-table' ), -12, 10 );
fb_print( 'matches wp_create_nonce: ' . var_export( $_POST['_nonce'] === wp_create_nonce( 'heartbeat-nonce' ), true ) . "\n" );
fb_compare();
--EXPECTF--
matches wp_create_nonce: true
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
