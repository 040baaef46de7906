<?php
/**
 * What a site owner does in wp-admin, done through WordPress's own code in the site's
 * context (tests/pack/install-test.sh runs it with the PHP that serves the site):
 *
 *   php site.php WP_DIR install ZIP   Plugin_Upgrader::install() (what Plugins → Add New →
 *                                     Upload Plugin runs), then activate_plugin()
 *   php site.php WP_DIR uninstall     deactivate_plugins() and delete_plugins() (what
 *                                     Plugins → Deactivate, then Delete run; it runs the
 *                                     plugin's uninstall.php)
 *   php site.php WP_DIR state         plugins, active plugins, the plugin's folder
 *
 * Prints one JSON object; exit status 1 when WordPress reports an error.
 *
 * @package fastbeat
 */

if ( 'cli' !== PHP_SAPI || $argc < 3 ) {
	fwrite( STDERR, "usage: php site.php WP_DIR install ZIP | uninstall | state\n" );
	exit( 2 );
}
$fb_wp     = $argv[1];
$fb_task   = $argv[2];
$fb_plugin = 'fastbeat/fastbeat.php';

// The site's configuration reads nothing from the request, but WordPress wants a host.
$_SERVER['HTTP_HOST']   = getenv( 'FASTBEAT_SITE_HOST' ) ? getenv( 'FASTBEAT_SITE_HOST' ) : '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/wp-admin/plugins.php';
define( 'WP_ADMIN', true );
require $fb_wp . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';

// An administrator does this in wp-admin.
$fb_admins = get_users(
	array(
		'role'   => 'administrator',
		'number' => 1,
	)
);
if ( $fb_admins ) {
	wp_set_current_user( $fb_admins[0]->ID );
}

/**
 * A skin that prints nothing and keeps WordPress's messages for the report.
 */
class Fastbeat_Pack_Quiet_Skin extends WP_Upgrader_Skin {
	/**
	 * Messages WordPress gave.
	 *
	 * @var string[]
	 */
	public $messages = array();

	/**
	 * Keeps a message.
	 *
	 * @param string|WP_Error $feedback Message.
	 * @param mixed           ...$args  sprintf() arguments.
	 */
	public function feedback( $feedback, ...$args ) {
		if ( is_wp_error( $feedback ) ) {
			$feedback = $feedback->get_error_message();
		} elseif ( isset( $this->upgrader->strings[ $feedback ] ) ) {
			$feedback = $this->upgrader->strings[ $feedback ];
		}
		$this->messages[] = wp_strip_all_tags( $args ? vsprintf( (string) $feedback, $args ) : (string) $feedback );
	}

	/**
	 * Nothing before.
	 */
	public function header() {}

	/**
	 * Nothing after.
	 */
	public function footer() {}

	/**
	 * Keeps an error.
	 *
	 * @param string|WP_Error $errors Error.
	 */
	public function error( $errors ) {
		$this->feedback( $errors );
	}
}

/**
 * The plugin's state as WordPress sees it.
 *
 * @return array
 */
function fastbeat_pack_state() {
	wp_clean_plugins_cache( false );
	$plugins = get_plugins();
	return array(
		'installed' => isset( $plugins['fastbeat/fastbeat.php'] ),
		'version'   => isset( $plugins['fastbeat/fastbeat.php'] ) ? $plugins['fastbeat/fastbeat.php']['Version'] : null,
		'active'    => is_plugin_active( 'fastbeat/fastbeat.php' ),
		'folder'    => is_dir( WP_PLUGIN_DIR . '/fastbeat' ),
		'plugins'   => array_keys( $plugins ),
		'wp'        => $GLOBALS['wp_version'],
		'php'       => PHP_VERSION,
		'extension' => extension_loaded( 'fastbeat' ) ? phpversion( 'fastbeat' ) : null,
	);
}

$fb_out = array( 'task' => $fb_task );
$fb_ok  = true;
switch ( $fb_task ) {
	case 'install':
		$fb_skin     = new Fastbeat_Pack_Quiet_Skin();
		$fb_upgrader = new Plugin_Upgrader( $fb_skin );
		$fb_result   = $fb_upgrader->install( $argv[3] ?? '' );
		$fb_ok       = true === $fb_result;
		$fb_out     += array(
			'install'  => is_wp_error( $fb_result ) ? $fb_result->get_error_message() : $fb_result,
			'messages' => $fb_skin->messages,
			'file'     => $fb_upgrader->plugin_info(),
		);
		if ( $fb_ok ) {
			$fb_result             = activate_plugin( $fb_plugin );
			$fb_ok                 = null === $fb_result;
			$fb_out['activate']    = is_wp_error( $fb_result ) ? $fb_result->get_error_message() : 'ok';
			$fb_out['activated']   = is_plugin_active( $fb_plugin );
			$fb_out['has_actions'] = array(
				'wp_ajax_heartbeat'        => has_action( 'wp_ajax_heartbeat' ),
				'wp_ajax_nopriv_heartbeat' => has_action( 'wp_ajax_nopriv_heartbeat' ),
			);
		}
		break;
	case 'uninstall':
		deactivate_plugins( array( $fb_plugin ) );
		$fb_out['deactivated'] = ! is_plugin_active( $fb_plugin );
		$fb_result             = delete_plugins( array( $fb_plugin ) );
		$fb_ok                 = true === $fb_result && $fb_out['deactivated'];
		$fb_out['delete']      = is_wp_error( $fb_result ) ? $fb_result->get_error_message() : $fb_result;
		break;
	case 'state':
		break;
	default:
		fwrite( STDERR, "unknown task $fb_task\n" );
		exit( 2 );
}
$fb_out['state'] = fastbeat_pack_state();
echo wp_json_encode( $fb_out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ), "\n";
exit( $fb_ok ? 0 : 1 );
