<?php
/**
 * Removes everything Fastbeat stored when the plugin is deleted.
 *
 * Fastbeat stores two things: the `fastbeat_dismissed_notice` user meta of
 * administrators who dismissed its admin notice (user meta is shared by every
 * site of a multisite network, so one query covers the whole network), and the
 * fast lane's manifest in the uploads folder. It keeps no options, transients or
 * tables; what the extension learns stays in PHP workers' memory.
 *
 * @package fastbeat
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_metadata( 'user', 0, 'fastbeat_dismissed_notice', '', true );

// The fast lane's manifest (includes/lane.php), in the uploads base directory.
$fastbeat_uploads = wp_upload_dir( null, false );
$fastbeat_dir     = rtrim( (string) $fastbeat_uploads['basedir'], '/' ) . '/fastbeat';
foreach ( (array) glob( $fastbeat_dir . '/*' ) as $fastbeat_file ) {
	wp_delete_file( $fastbeat_file );
}
if ( is_dir( $fastbeat_dir ) ) {
	rmdir( $fastbeat_dir ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_rmdir
}
unset( $fastbeat_uploads, $fastbeat_dir, $fastbeat_file );
