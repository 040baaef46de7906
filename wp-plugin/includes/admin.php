<?php
/**
 * wp-admin only: the status line on the Plugins screen, and an admin notice
 * when an administrator has something to fix.
 *
 * @package fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/messages.php';

/**
 * User meta key holding the notice a user dismissed (see fastbeat_plugin_notice_key()).
 * uninstall.php deletes it for every user.
 */
define( 'FASTBEAT_PLUGIN_NOTICE_META', 'fastbeat_dismissed_notice' );

add_filter( 'plugin_row_meta', 'fastbeat_plugin_row_meta', 10, 2 );
add_action( 'admin_notices', 'fastbeat_plugin_admin_notice' );
add_action( 'network_admin_notices', 'fastbeat_plugin_admin_notice' );
add_action( 'admin_post_fastbeat_dismiss_notice', 'fastbeat_plugin_dismiss_notice' );

/**
 * Adds the heartbeat status (and a Site Health link) to Fastbeat's row on the Plugins screen.
 *
 * @param mixed  $plugin_meta Row meta links, HTML.
 * @param string $plugin_file Plugin file relative to the plugins directory.
 * @return mixed The row meta.
 */
function fastbeat_plugin_row_meta( $plugin_meta, $plugin_file ) {
	if ( ! is_array( $plugin_meta ) || plugin_basename( FASTBEAT_PLUGIN_FILE ) !== $plugin_file ) {
		return $plugin_meta;
	}
	$status   = fastbeat_plugin_status();
	$messages = fastbeat_plugin_messages( $status );

	$plugin_meta[] = '<span class="fastbeat-status" data-fastbeat-state="' . esc_attr( $status['state'] ) . '">' . esc_html( $messages['short'] ) . '</span>';
	if ( $status['serving'] ) {
		require_once __DIR__ . '/lane-report.php';
		$lane          = fastbeat_plugin_lane_summary( fastbeat_plugin_lane_report() );
		$plugin_meta[] = '<span class="fastbeat-lane" data-fastbeat-lane="' . esc_attr( $lane['serving'] ? 'serving' : 'off' ) . '">' . esc_html( $lane['text'] ) . '</span>';
	}
	if ( ! is_network_admin() && current_user_can( 'manage_options' ) ) {
		$plugin_meta[] = '<a href="' . esc_url( admin_url( 'tools.php?page=fastbeat' ) ) . '">' . esc_html__( 'Fast lane report', 'fastbeat' ) . '</a>';
	}
	if ( ! is_network_admin() && current_user_can( 'view_site_health_checks' ) ) {
		$plugin_meta[] = '<a href="' . esc_url( admin_url( 'site-health.php' ) ) . '">' . esc_html__( 'Site Health', 'fastbeat' ) . '</a>';
	}
	return $plugin_meta;
}

/**
 * Whether the current user may act on Fastbeat's notice.
 *
 * Only people who can change the server or wp-config.php can fix what the
 * notice reports: administrators of a single site, super admins on multisite.
 *
 * @return bool
 */
function fastbeat_plugin_user_can_act(): bool {
	if ( ! current_user_can( 'manage_options' ) ) {
		return false;
	}
	return ! is_multisite() || current_user_can( 'manage_network_options' );
}

/**
 * Identifies the problem a notice reports, so a dismissed notice comes back
 * when the problem changes (another state, extension or plugin version).
 *
 * @param array $status Result of fastbeat_plugin_status().
 * @return string
 */
function fastbeat_plugin_notice_key( array $status ): string {
	return $status['state'] . '|' . $status['version'] . '|' . FASTBEAT_PLUGIN_VERSION;
}

/**
 * Screens that show the notice: where administrators look after installing a plugin.
 *
 * @return string[] Screen ids.
 */
function fastbeat_plugin_notice_screens(): array {
	return array( 'dashboard', 'plugins', 'site-health', 'dashboard-network', 'plugins-network' );
}

/**
 * Prints the admin notice when the extension is missing, incomplete or unsupported.
 */
function fastbeat_plugin_admin_notice(): void {
	if ( ! fastbeat_plugin_user_can_act() ) {
		return;
	}
	$screen = get_current_screen();
	if ( ! $screen || ! in_array( $screen->id, fastbeat_plugin_notice_screens(), true ) ) {
		return;
	}
	$status   = fastbeat_plugin_status();
	$messages = fastbeat_plugin_messages( $status );
	if ( ! $messages['needs_action'] ) {
		return;
	}
	if ( get_user_meta( get_current_user_id(), FASTBEAT_PLUGIN_NOTICE_META, true ) === fastbeat_plugin_notice_key( $status ) ) {
		return;
	}
	?>
	<div class="notice notice-warning fastbeat-notice" data-fastbeat-state="<?php echo esc_attr( $status['state'] ); ?>">
		<p><strong><?php echo esc_html( $messages['label'] ); ?></strong></p>
		<?php echo wp_kses_post( $messages['description'] . $messages['actions'] ); ?>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
			<input type="hidden" name="action" value="fastbeat_dismiss_notice" />
			<?php wp_nonce_field( 'fastbeat_dismiss_notice' ); ?>
			<p>
				<?php if ( ! is_network_admin() && current_user_can( 'view_site_health_checks' ) ) : ?>
					<a href="<?php echo esc_url( admin_url( 'site-health.php' ) ); ?>"><?php esc_html_e( 'Details in Site Health', 'fastbeat' ); ?></a>
					|
				<?php endif; ?>
				<button type="submit" class="button-link"><?php esc_html_e( 'Dismiss', 'fastbeat' ); ?></button>
			</p>
		</form>
	</div>
	<?php
}

/**
 * Handles the notice's Dismiss button (admin-post.php?action=fastbeat_dismiss_notice).
 */
function fastbeat_plugin_dismiss_notice(): void {
	check_admin_referer( 'fastbeat_dismiss_notice' );
	if ( ! fastbeat_plugin_user_can_act() ) {
		wp_die( esc_html__( 'Sorry, you are not allowed to dismiss this notice.', 'fastbeat' ), '', array( 'response' => 403 ) );
	}
	update_user_meta( get_current_user_id(), FASTBEAT_PLUGIN_NOTICE_META, fastbeat_plugin_notice_key( fastbeat_plugin_status() ) );

	$referer = wp_get_referer();
	wp_safe_redirect( $referer ? $referer : admin_url() );
	exit;
}
