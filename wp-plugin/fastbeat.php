<?php
/**
 * Plugin Name:       Fastbeat
 * Description:       Serves WordPress heartbeats with the native Fastbeat PHP extension when it is loaded. Without it, core serves them as before.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * Author:            Fastbeat contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       fastbeat
 * Domain Path:       /languages
 *
 * @package fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

// A second copy of the plugin (another folder name) must not redeclare anything.
if ( defined( 'FASTBEAT_PLUGIN_VERSION' ) ) {
	return;
}

/**
 * Version of this plugin.
 */
define( 'FASTBEAT_PLUGIN_VERSION', '0.1.0' );

/**
 * Absolute path of this file, for plugin_basename() and friends.
 */
define( 'FASTBEAT_PLUGIN_FILE', __FILE__ );

/**
 * Oldest extension version this plugin wires in. The newest is anything below
 * the next major version: the extension's API is stable within a major version.
 */
define( 'FASTBEAT_PLUGIN_MIN_EXTENSION_VERSION', '0.1.0' );

require_once __DIR__ . '/includes/wiring.php';
require_once __DIR__ . '/includes/lane.php';

// Decide once per admin-ajax request, after plugins and the theme had their say.
add_action( 'admin_init', 'fastbeat_plugin_wire', PHP_INT_MAX );

// Status UI and Site Health: wp-admin screens and the Site Health cron check only,
// so heartbeats and the front end never load them.
if ( ( is_admin() && ! wp_doing_ajax() ) || wp_doing_cron() ) {
	require_once __DIR__ . '/includes/site-health.php';
}
if ( is_admin() && ! wp_doing_ajax() ) {
	require_once __DIR__ . '/includes/admin.php';
	require_once __DIR__ . '/includes/owner-view.php';
}
