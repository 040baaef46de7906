<?php
/**
 * Removes everything Fastbeat stored when the plugin is deleted.
 *
 * Fastbeat stores two things: the `fastbeat_dismissed_notice` user meta of
 * administrators who dismissed its admin notice (user meta is shared by every
 * site of a multisite network, so one query covers the whole network), and the
 * fast lane's files in uploads/fastbeat/ (the manifest, the workers' tally, a lock
 * file and an index.php). It keeps no options, transients or tables; what the
 * extension learns stays in PHP workers' memory.
 *
 * @package fastbeat
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_metadata( 'user', 0, 'fastbeat_dismissed_notice', '', true );

/**
 * Removes the fast lane's files (includes/lane.php) from the current site's uploads.
 */
function fastbeat_plugin_uninstall_lane_files() {
	$uploads = wp_upload_dir( null, false );
	$dir     = rtrim( (string) $uploads['basedir'], '/' ) . '/fastbeat';
	foreach ( array_merge( (array) glob( $dir . '/*' ), (array) glob( $dir . '/.lock' ) ) as $file ) {
		wp_delete_file( $file );
	}
	if ( is_dir( $dir ) ) {
		rmdir( $dir ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_rmdir
	}
}

// Every site of a network keeps its own uploads.
if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $fastbeat_site ) {
		switch_to_blog( $fastbeat_site );
		fastbeat_plugin_uninstall_lane_files();
		restore_current_blog();
	}
	unset( $fastbeat_site );
} else {
	fastbeat_plugin_uninstall_lane_files();
}
