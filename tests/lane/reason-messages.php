<?php
/**
 * Every reason the extension can give a beat for taking the full path has a message in
 * the plugin (includes/lane-report.php), and every message is for such a reason.
 *
 *   php -d extension=target/release/libfastbeat.so tests/lane/reason-messages.php
 */

define( 'ABSPATH', '/' );
function __( $text, $domain = 'default' ) {
	return $text;
}
require dirname( __DIR__, 2 ) . '/wp-plugin/includes/lane-report.php';

$fb_codes    = fastbeat_lane_reason_codes();
$fb_messages = array_keys( fastbeat_plugin_lane_reason_messages() );
$fb_fail     = 0;
foreach ( array_diff( $fb_codes, $fb_messages ) as $fb_code ) {
	echo "not ok - no message for the extension's reason $fb_code\n";
	++$fb_fail;
}
foreach ( array_diff( $fb_messages, $fb_codes ) as $fb_code ) {
	echo "not ok - a message for $fb_code, which the extension never gives\n";
	++$fb_fail;
}
// Each message takes the details its reason has (placeholders by number).
foreach ( fastbeat_plugin_lane_reason_messages() as $fb_code => $fb_text ) {
	if ( false === @sprintf( $fb_text, 'h', 'c', 'o', 'n', 'f', 'fn', 'm', 's', 'k', 'sh' ) ) { // phpcs:ignore
		echo "not ok - the message for $fb_code is not a valid format\n";
		++$fb_fail;
	}
}
$fb_pass = count( $fb_codes ) - $fb_fail;
echo 'ok - ' . count( $fb_codes ) . " reasons, one message each\n";
echo max( 0, $fb_pass ) . " passed, $fb_fail failed\n";
exit( $fb_fail ? 1 : 0 );
