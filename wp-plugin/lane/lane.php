<?php
/**
 * Fastbeat fast lane: serves an eligible heartbeat with only the parts of WordPress it needs.
 *
 * The fastbeat extension compiles this file in place of wp-admin/admin-ajax.php, and only
 * for a beat it judged eligible before any PHP ran (see docs/DESIGN.md, "Fast lane"): a POST
 * heartbeat whose data keys core's own callbacks implement, on a site whose manifest (written
 * by this plugin on a full-path beat) says every callback the lane reaches is core's.
 *
 * What follows is wp-settings.php and admin-ajax.php step for step, minus plugins, themes and
 * the init / admin_init actions. The two headers core's admin_init callbacks send are sent
 * by calling those same core functions.
 *
 * @package Fastbeat
 */

// Only ever entered in place of admin-ajax.php by the extension; a direct request does nothing.
if ( ! function_exists( 'fastbeat_lane_script' ) || null === fastbeat_lane_script() ) {
	exit;
}

// Same constants admin-ajax.php defines, plus SHORTINIT: wp-settings.php stops after the
// database, options, hooks API and default filters.
define( 'DOING_AJAX', true );
define( 'WP_ADMIN', true );
define( 'SHORTINIT', true );
define( 'FASTBEAT_LANE', true );

require_once dirname( fastbeat_lane_script(), 2 ) . '/wp-load.php';

// The rest of wp-settings.php, in its order, up to (not including) mu-plugins. The list
// is WordPress 6.1's; the manifest allows the lane only on the versions listed in
// FASTBEAT_LANE_WP_VERSIONS (includes/lane.php).
require_once ABSPATH . WPINC . '/l10n.php';
require_once ABSPATH . WPINC . '/class-wp-textdomain-registry.php';
require_once ABSPATH . WPINC . '/class-wp-locale.php';
require_once ABSPATH . WPINC . '/class-wp-locale-switcher.php';
wp_not_installed();
foreach ( array(
	'class-wp-walker',
	'class-wp-ajax-response',
	'capabilities',
	'class-wp-roles',
	'class-wp-role',
	'class-wp-user',
	'class-wp-query',
	'query',
	'class-wp-date-query',
	'theme',
	'class-wp-theme',
	'class-wp-theme-json-schema',
	'class-wp-theme-json-data',
	'class-wp-theme-json',
	'class-wp-theme-json-resolver',
	'global-styles-and-settings',
	'class-wp-block-template',
	'block-template-utils',
	'block-template',
	'theme-templates',
	'template',
	'https-detection',
	'https-migration',
	'class-wp-user-request',
	'user',
	'class-wp-user-query',
	'class-wp-session-tokens',
	'class-wp-user-meta-session-tokens',
	'class-wp-metadata-lazyloader',
	'general-template',
	'link-template',
	'author-template',
	'robots-template',
	'post',
	'class-walker-page',
	'class-walker-page-dropdown',
	'class-wp-post-type',
	'class-wp-post',
	'post-template',
	'revision',
	'post-formats',
	'post-thumbnail-template',
	'category',
	'class-walker-category',
	'class-walker-category-dropdown',
	'category-template',
	'comment',
	'class-wp-comment',
	'class-wp-comment-query',
	'class-walker-comment',
	'comment-template',
	'rewrite',
	'class-wp-rewrite',
	'feed',
	'bookmark',
	'bookmark-template',
	'kses',
	'cron',
	'deprecated',
	'script-loader',
	'taxonomy',
	'class-wp-taxonomy',
	'class-wp-term',
	'class-wp-term-query',
	'class-wp-tax-query',
	'update',
	'canonical',
	'shortcodes',
	'embed',
	'class-wp-embed',
	'class-wp-oembed',
	'class-wp-oembed-controller',
	'media',
	'http',
	'class-wp-http',
	'class-wp-http-streams',
	'class-wp-http-curl',
	'class-wp-http-proxy',
	'class-wp-http-cookie',
	'class-wp-http-encoding',
	'class-wp-http-response',
	'class-wp-http-requests-response',
	'class-wp-http-requests-hooks',
	'widgets',
	'class-wp-widget',
	'class-wp-widget-factory',
	'nav-menu-template',
	'nav-menu',
	'admin-bar',
	'class-wp-application-passwords',
	'rest-api',
	'rest-api/class-wp-rest-server',
	'rest-api/class-wp-rest-response',
	'rest-api/class-wp-rest-request',
	'rest-api/endpoints/class-wp-rest-controller',
	'rest-api/endpoints/class-wp-rest-posts-controller',
	'rest-api/endpoints/class-wp-rest-attachments-controller',
	'rest-api/endpoints/class-wp-rest-global-styles-controller',
	'rest-api/endpoints/class-wp-rest-post-types-controller',
	'rest-api/endpoints/class-wp-rest-post-statuses-controller',
	'rest-api/endpoints/class-wp-rest-revisions-controller',
	'rest-api/endpoints/class-wp-rest-autosaves-controller',
	'rest-api/endpoints/class-wp-rest-taxonomies-controller',
	'rest-api/endpoints/class-wp-rest-terms-controller',
	'rest-api/endpoints/class-wp-rest-menu-items-controller',
	'rest-api/endpoints/class-wp-rest-menus-controller',
	'rest-api/endpoints/class-wp-rest-menu-locations-controller',
	'rest-api/endpoints/class-wp-rest-users-controller',
	'rest-api/endpoints/class-wp-rest-comments-controller',
	'rest-api/endpoints/class-wp-rest-search-controller',
	'rest-api/endpoints/class-wp-rest-blocks-controller',
	'rest-api/endpoints/class-wp-rest-block-types-controller',
	'rest-api/endpoints/class-wp-rest-block-renderer-controller',
	'rest-api/endpoints/class-wp-rest-settings-controller',
	'rest-api/endpoints/class-wp-rest-themes-controller',
	'rest-api/endpoints/class-wp-rest-plugins-controller',
	'rest-api/endpoints/class-wp-rest-block-directory-controller',
	'rest-api/endpoints/class-wp-rest-edit-site-export-controller',
	'rest-api/endpoints/class-wp-rest-pattern-directory-controller',
	'rest-api/endpoints/class-wp-rest-block-patterns-controller',
	'rest-api/endpoints/class-wp-rest-block-pattern-categories-controller',
	'rest-api/endpoints/class-wp-rest-application-passwords-controller',
	'rest-api/endpoints/class-wp-rest-site-health-controller',
	'rest-api/endpoints/class-wp-rest-sidebars-controller',
	'rest-api/endpoints/class-wp-rest-widget-types-controller',
	'rest-api/endpoints/class-wp-rest-widgets-controller',
	'rest-api/endpoints/class-wp-rest-templates-controller',
	'rest-api/endpoints/class-wp-rest-url-details-controller',
	'rest-api/fields/class-wp-rest-meta-fields',
	'rest-api/fields/class-wp-rest-comment-meta-fields',
	'rest-api/fields/class-wp-rest-post-meta-fields',
	'rest-api/fields/class-wp-rest-term-meta-fields',
	'rest-api/fields/class-wp-rest-user-meta-fields',
	'rest-api/search/class-wp-rest-search-handler',
	'rest-api/search/class-wp-rest-post-search-handler',
	'rest-api/search/class-wp-rest-term-search-handler',
	'rest-api/search/class-wp-rest-post-format-search-handler',
	'sitemaps',
	'sitemaps/class-wp-sitemaps',
	'sitemaps/class-wp-sitemaps-index',
	'sitemaps/class-wp-sitemaps-provider',
	'sitemaps/class-wp-sitemaps-registry',
	'sitemaps/class-wp-sitemaps-renderer',
	'sitemaps/class-wp-sitemaps-stylesheet',
	'sitemaps/providers/class-wp-sitemaps-posts',
	'sitemaps/providers/class-wp-sitemaps-taxonomies',
	'sitemaps/providers/class-wp-sitemaps-users',
	'class-wp-block-editor-context',
	'class-wp-block-type',
	'class-wp-block-pattern-categories-registry',
	'class-wp-block-patterns-registry',
	'class-wp-block-styles-registry',
	'class-wp-block-type-registry',
	'class-wp-block',
	'class-wp-block-list',
	'class-wp-block-parser',
	'blocks',
	'blocks/index',
	'block-editor',
	'block-patterns',
	'class-wp-block-supports',
	'block-supports/utils',
	'block-supports/align',
	'block-supports/border',
	'block-supports/colors',
	'block-supports/custom-classname',
	'block-supports/dimensions',
	'block-supports/duotone',
	'block-supports/elements',
	'block-supports/generated-classname',
	'block-supports/layout',
	'block-supports/spacing',
	'block-supports/typography',
	'style-engine',
	'style-engine/class-wp-style-engine',
	'style-engine/class-wp-style-engine-css-declarations',
	'style-engine/class-wp-style-engine-css-rule',
	'style-engine/class-wp-style-engine-css-rules-store',
	'style-engine/class-wp-style-engine-processor',
) as $fastbeat_lane_file ) {
	require_once ABSPATH . WPINC . '/' . $fastbeat_lane_file . '.php';
}
unset( $fastbeat_lane_file );
$GLOBALS['wp_embed']               = new WP_Embed();
$GLOBALS['wp_textdomain_registry'] = new WP_Textdomain_Registry();
wp_plugin_directory_constants();
$GLOBALS['wp_plugin_paths'] = array();
// mu-plugins, network plugins and plugins: not loaded; the manifest vouched for them.
wp_cookie_constants();
wp_ssl_constants();
require ABSPATH . WPINC . '/vars.php';
// Post types and taxonomies matter only to post-screen beats (capability checks); a
// beat without data reaches no code that reads them.
if ( 'nodata' !== fastbeat_lane_kind() ) {
	create_initial_taxonomies();
	create_initial_post_types();
}
// As wp-settings.php: recovery mode decides, among other things, the text of the fatal
// error page a protected endpoint (admin-ajax.php) shows.
if ( ! is_multisite() ) {
	wp_recovery_mode()->initialize();
}
require ABSPATH . WPINC . '/pluggable.php';
require ABSPATH . WPINC . '/pluggable-deprecated.php';
wp_set_internal_encoding();
wp_functionality_constants();
wp_magic_quotes();
$GLOBALS['wp_roles'] = new WP_Roles();
load_default_textdomain();
$GLOBALS['wp_locale']          = new WP_Locale();
$GLOBALS['wp_locale_switcher'] = new WP_Locale_Switcher();
$GLOBALS['wp_locale_switcher']->init();
// WP::init(): determine the current user.
wp_get_current_user();

// admin-ajax.php.
send_origin_headers();
header( 'Content-Type: text/html; charset=' . get_option( 'blog_charset' ) );
header( 'X-Robots-Tag: noindex' );
require_once ABSPATH . 'wp-admin/includes/admin.php';
send_nosniff_header();
nocache_headers();
// Core's admin_init callbacks that shape the response (admin-filters.php order).
wp_admin_headers();
send_frame_options_header();

// Once the response is complete: keep what a native answer to the next such beat needs
// in this worker.
if ( in_array( fastbeat_lane_kind(), array( 'nodata', 'postdata' ), true ) ) {
	register_shutdown_function(
		static function () {
			require_once dirname( __DIR__ ) . '/includes/learn.php';
			fastbeat_plugin_lane_learn();
		}
	);
}

if ( is_user_logged_in() ) {
	fastbeat_heartbeat();
} else {
	fastbeat_nopriv_heartbeat();
}
// Default status, as admin-ajax.php ends (reached only if a wp_die handler returned).
wp_die( '0' );
