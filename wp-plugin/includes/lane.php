<?php
/**
 * The fast lane, plugin side: registers the lane with the extension and keeps its manifest.
 *
 * The manifest tells the extension, before any PHP runs on a later beat, whether a beat may
 * be answered by lane/lane.php (WordPress loaded with SHORTINIT, no plugins, no theme, no
 * init or admin_init) with the same bytes as the full path. It is written from a full-path
 * heartbeat, when every hook is registered as it will be for beats, and it says yes only if:
 *
 * - every callback that a plugin, mu-plugin or theme added sits on a hook the lane never
 *   reaches and that cannot shape a heartbeat response (an allow-list; anything unknown
 *   counts against the lane);
 * - no pluggable function has been replaced;
 * - nothing before the handler sent an extra header, output or a status other than 200;
 * - (for post-screen beats) every registered post type is core's, since the lane does not
 *   register plugins' post types and capability checks depend on them;
 * - the site is not a multisite network.
 *
 * It expires after FASTBEAT_LANE_TTL seconds and lists the files whose change must send
 * beats back to the full path (plugins, mu-plugins, theme, drop-ins, configuration, core).
 * Activating, deactivating or switching anything deletes it.
 *
 * @package Fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Seconds a manifest stays valid; a full-path beat then writes a new one. */
const FASTBEAT_LANE_TTL = 600;

/** WordPress versions whose wp-settings.php sequence lane/lane.php reproduces. */
const FASTBEAT_LANE_WP_VERSIONS = '/^6\.1(\.\d+)?$/';

/** Manifest format the extension reads. */
const FASTBEAT_LANE_FORMAT = 1;

/**
 * Whether the lane may be used on this site at all.
 *
 * @return bool
 */
function fastbeat_plugin_lane_enabled(): bool {
	if ( ! function_exists( 'fastbeat_lane_register' ) || is_multisite() ) {
		return false;
	}
	if ( defined( 'FASTBEAT_LANE_DISABLE' ) && FASTBEAT_LANE_DISABLE ) {
		return false;
	}
	/**
	 * Filters whether Fastbeat's fast lane may answer eligible heartbeats.
	 *
	 * @param bool $enabled Default true.
	 */
	return (bool) apply_filters( 'fastbeat_lane_enabled', true );
}

/**
 * Where the manifest lives: the uploads base directory, the one place WordPress expects
 * to be writable (wp-content itself often is not). Web servers usually serve uploads and
 * the manifest names server paths and active plugins, so its name is keyed with the site's
 * salt (not guessable from outside) and the directory gets an index.php against listing.
 *
 * @return string
 */
function fastbeat_plugin_lane_manifest_path(): string {
	static $path = null;
	if ( null === $path ) {
		$uploads = wp_upload_dir( null, false );
		$key     = substr( hash_hmac( 'sha256', ABSPATH, wp_salt( 'auth' ) ), 0, 24 );
		$path    = rtrim( (string) $uploads['basedir'], '/' ) . '/fastbeat/lane-' . $key . '.json';
	}
	return $path;
}

/**
 * Registers this install's lane with the extension, in this worker (cheap; every request).
 *
 * @return void
 */
function fastbeat_plugin_lane_register(): void {
	if ( ! fastbeat_plugin_lane_enabled() ) {
		return;
	}
	fastbeat_lane_register(
		ABSPATH . 'wp-admin/admin-ajax.php',
		dirname( __DIR__ ) . '/lane/lane.php',
		fastbeat_plugin_lane_manifest_path()
	);
}

/**
 * Deletes the manifest: beats take the full path until a full-path beat writes a new one.
 *
 * @return void
 */
function fastbeat_plugin_lane_forget(): void {
	$path = fastbeat_plugin_lane_manifest_path();
	if ( file_exists( $path ) ) {
		wp_delete_file( $path );
	}
}

/**
 * On a full-path heartbeat, just before the handler: note what only this moment shows
 * (headers, output and status so far) and leave the rest to after the response.
 *
 * Nothing here fires a hook or touches $wp_filter, so plugins watching hooks (even
 * `all`) see the same beat as with core; registering the lane and writing the manifest
 * happen in a PHP shutdown function, once the response is complete.
 *
 * @return void
 */
function fastbeat_plugin_lane_note(): void {
	if ( isset( $GLOBALS['fastbeat_plugin_lane_facts'] ) || ! function_exists( 'fastbeat_lane_register' ) ) {
		return;
	}
	$GLOBALS['fastbeat_plugin_lane_facts'] = array(
		'headers' => headers_list(),
		'output'  => (int) ob_get_length(),
		'status'  => function_exists( 'http_response_code' ) ? http_response_code() : false,
	);
	register_shutdown_function( 'fastbeat_plugin_lane_after_beat' );
}

/**
 * After a full-path beat: register the lane in this worker and refresh the manifest.
 *
 * @return void
 */
function fastbeat_plugin_lane_after_beat(): void {
	fastbeat_plugin_lane_register();
	// The manifest check stats every watched file: once every 2 s per worker is enough,
	// unless there is no manifest at all.
	if ( function_exists( 'fastbeat_lane_due' ) && ! fastbeat_lane_due( ABSPATH . 'wp-admin/admin-ajax.php', 2 )
		&& file_exists( fastbeat_plugin_lane_manifest_path() ) ) {
		return;
	}
	fastbeat_plugin_lane_maybe_write();
	if ( fastbeat_plugin_lane_enabled() ) {
		require_once __DIR__ . '/learn.php';
		fastbeat_plugin_lane_learn();
	}
}

/**
 * Writes a fresh manifest when there is none or it is about to expire.
 *
 * @return void
 */
function fastbeat_plugin_lane_maybe_write(): void {
	if ( ! fastbeat_plugin_lane_enabled() || ! isset( $GLOBALS['fastbeat_plugin_lane_facts'] ) ) {
		return;
	}
	$path  = fastbeat_plugin_lane_manifest_path();
	$now   = time();
	$watch = fastbeat_plugin_lane_watch_list();
	if ( is_readable( $path ) ) {
		$current = json_decode( (string) file_get_contents( $path ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		// Still fresh and still describing these files: nothing to do.
		if ( is_array( $current ) && isset( $current['expires'], $current['watch'] ) && (int) $current['expires'] - $now > FASTBEAT_LANE_TTL / 2
			&& $watch === $current['watch'] ) {
			return;
		}
	}
	$manifest = fastbeat_plugin_lane_manifest( $now, $watch );
	// A request that vetoes the lane may behave unlike other beats (that is why it vetoes):
	// it says nothing about them.
	foreach ( $manifest['veto_server'] as $var ) {
		// Presence only; the value is never read.
		if ( isset( $_SERVER[ $var ] ) ) { // phpcs:ignore FastbeatWP.Security.NoRequestInput.Found
			return;
		}
	}
	// A watched file changed since this request started, or so recently that opcache may
	// still have served its old code, may not be reflected in what this request loaded;
	// and a second change within the same second would keep the mtime recorded here.
	// Either way the manifest could vouch for code that is not running: leave it to a
	// later beat.
	$settled = ( isset( $GLOBALS['timestart'] ) ? (int) floor( (float) $GLOBALS['timestart'] ) : $now ) - fastbeat_plugin_lane_settle_seconds();
	foreach ( $watch as $entry ) {
		if ( $entry[1] >= $settled ) {
			return;
		}
	}
	$dir = dirname( $path );
	if ( ! is_dir( $dir ) && ! wp_mkdir_p( $dir ) ) {
		return;
	}
	if ( ! file_exists( $dir . '/index.php' ) ) {
		// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- a plugin-owned file in uploads.
		file_put_contents( $dir . '/index.php', "<?php\n// Silence is golden.\n" );
	}
	$tmp = $path . '.' . getmypid() . '.tmp';
	// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found -- an atomic write (temp file, then rename) of a plugin-owned file in uploads.
	if ( false !== file_put_contents( $tmp, wp_json_encode( $manifest ) ) ) {
		rename( $tmp, $path ); // phpcs:ignore WordPress.WP.AlternativeFunctions.rename_rename
	}
}

/**
 * Seconds a watched file must have been unchanged before a manifest may vouch for it:
 * one for mtime's whole-second resolution, plus opcache's revalidation delay when it
 * checks timestamps (until then a worker may still run a changed file's old code).
 *
 * @return int
 */
function fastbeat_plugin_lane_settle_seconds(): int {
	$seconds = 1;
	if ( function_exists( 'opcache_get_status' ) && filter_var( ini_get( 'opcache.enable' ), FILTER_VALIDATE_BOOLEAN )
		&& filter_var( ini_get( 'opcache.validate_timestamps' ), FILTER_VALIDATE_BOOLEAN ) ) {
		$seconds += max( 0, (int) ini_get( 'opcache.revalidate_freq' ) );
	}
	return $seconds;
}

/**
 * Builds the manifest from the hooks, functions and state of this full-path heartbeat.
 *
 * @param int                               $now   Current time.
 * @param array<int, array{0: string, 1: int}> $watch Watched files and their mtimes.
 * @return array<string, mixed>
 */
function fastbeat_plugin_lane_manifest( int $now, array $watch ): array {
	$reasons = fastbeat_plugin_lane_blockers( false );
	$strict  = fastbeat_plugin_lane_blockers( true );
	$nodata  = empty( $reasons );
	$post    = $nodata && empty( $strict ) && fastbeat_plugin_lane_core_post_types_only();
	$nopriv  = $nodata ? fastbeat_plugin_lane_nopriv_facts() : null;
	$native  = null !== $nopriv && fastbeat_plugin_lane_native_hooks_are_core();
	// Not tied to $post: what a native post-lock answer declines then takes the full path.
	$n_post = $native && fastbeat_plugin_lane_native_post_is_core();
	require_once __DIR__ . '/learn.php';
	/**
	 * Filters request variables (as in $_SERVER, e.g. 'HTTP_X_MY_HEADER') whose presence must
	 * send a beat down the full path: for code that changes heartbeat behaviour per request.
	 *
	 * @param string[] $vars Default empty.
	 */
	$veto = array_values( array_filter( (array) apply_filters( 'fastbeat_lane_veto_server_vars', array() ), 'is_string' ) );
	return array(
		'format'      => FASTBEAT_LANE_FORMAT,
		'generated'   => $now,
		'expires'     => $now + FASTBEAT_LANE_TTL,
		'lanes'       => array(
			'nodata'      => $nodata,
			'postdata'    => $post,
			'native'      => $native,
			'native_post' => $n_post,
		),
		'nopriv'      => $nopriv,
		'options'     => fastbeat_plugin_lane_options_digest( fastbeat_plugin_lane_native_options() ),
		'veto_server' => $veto,
		'watch'       => $watch,
		'blockers'    => $reasons,
		'post_blockers' => array_values( array_diff( $strict, $reasons ) ),
	);
}

/**
 * Reasons the lane cannot answer beats on this site (empty: it can).
 *
 * A plugin callback counts against the lane when its hook is one the lane can reach. For
 * beats without data ($strict false) those are the hooks this full-path beat fired (the
 * lane runs a subset of the same core code, so it fires no hook the full path did not)
 * plus the hooks a beat of another shape could reach (nonce refresh, authentication,
 * translations); a plugin's own hooks, cron events and the like never fire in the lane.
 * For post-screen beats ($strict true), whose code paths are wider, every hook counts but
 * the allow-listed ones.
 *
 * @param bool $strict Count every hook outside the allow-list.
 * @return string[]
 */
function fastbeat_plugin_lane_blockers( bool $strict ): array {
	global $wp_filter;
	$reached = $strict ? null : fastbeat_plugin_lane_reached_hooks();
	$reasons = array();
	if ( is_multisite() ) {
		$reasons[] = 'multisite';
	}
	if ( ! preg_match( FASTBEAT_LANE_WP_VERSIONS, (string) $GLOBALS['wp_version'] ) ) {
		$reasons[] = 'WordPress ' . $GLOBALS['wp_version'] . ' is not a version the lane reproduces';
	}
	if ( isset( $GLOBALS['wp_customize'] ) ) {
		$reasons[] = 'customizer loaded';
	}
	$facts = (array) ( $GLOBALS['fastbeat_plugin_lane_facts'] ?? array() );
	if ( ! isset( $facts['headers'] ) ) {
		$reasons[] = 'no facts from a heartbeat';
	}
	$status = $facts['status'] ?? false;
	if ( false !== $status && 200 !== $status ) {
		$reasons[] = 'status ' . $status;
	}
	if ( ! empty( $facts['output'] ) ) {
		$reasons[] = 'output before the handler';
	}
	$expected = array( 'x-powered-by', 'access-control-allow-origin', 'access-control-allow-credentials', 'content-type', 'x-robots-tag', 'x-content-type-options', 'expires', 'cache-control', 'referrer-policy', 'x-frame-options' );
	foreach ( (array) ( $facts['headers'] ?? array() ) as $header ) {
		$name = strtolower( trim( (string) strstr( $header, ':', true ) ) );
		if ( ! in_array( $name, $expected, true ) ) {
			$reasons[] = 'header ' . $name;
		}
	}
	foreach ( fastbeat_plugin_lane_pluggables() as $function ) {
		if ( function_exists( $function ) && ! fastbeat_plugin_lane_is_core_file( ( new ReflectionFunction( $function ) )->getFileName() ) ) {
			$reasons[] = 'pluggable ' . $function . ' replaced';
		}
	}
	foreach ( (array) $wp_filter as $hook => $wp_hook ) {
		if ( ! $wp_hook instanceof WP_Hook ) {
			$reasons[] = 'hook ' . $hook . ' is not a WP_Hook';
			continue;
		}
		foreach ( $wp_hook->callbacks as $callbacks ) {
			foreach ( (array) $callbacks as $callback ) {
				$owner = fastbeat_plugin_lane_owner( $callback['function'] ?? null );
				if ( 'unknown' === $owner && fastbeat_plugin_lane_core_registers( (string) $hook, $callback['function'] ) ) {
					$owner = 'core';
				}
				if ( 'core' !== $owner && 'fastbeat' !== $owner && ! fastbeat_plugin_lane_hook_is_unreached( (string) $hook )
					&& ( null === $reached || isset( $reached[ $hook ] ) ) ) {
					$reasons[] = 'hook ' . $hook . ' has a ' . $owner . ' callback';
				}
			}
		}
	}
	return array_values( array_unique( $reasons ) );
}

/**
 * What a logged-out beat's response is made of, when it cannot depend on anything else:
 * every hook on the logged-out path has no callback or exactly core's own. Null otherwise
 * (logged-out beats then use the lane script).
 *
 * @return array<string, mixed>|null
 */
function fastbeat_plugin_lane_nopriv_facts(): ?array {
	$idle  = array(
		'all', 'http_origin', 'allowed_http_origins', 'allowed_http_origin', 'admin_url', 'home_url', 'sanitize_key',
		'heartbeat_nopriv_received', 'heartbeat_nopriv_tick', 'wp_doing_ajax', 'wp_die_ajax_handler', 'gettext',
		'gettext_default', 'nocache_headers', 'admin_referrer_policy', 'pre_option_blog_charset', 'pre_option',
		'alloptions', 'default_option_blog_charset', 'pre_option_home', 'pre_option_siteurl',
	);
	$exact = array(
		'heartbeat_nopriv_send'  => array( 10 => array( 'wp_auth_check' ) ),
		'option_blog_charset'    => array( 10 => array( '_wp_specialchars', '_canonical_charset' ) ),
		'determine_current_user' => array(
			10 => array( 'wp_validate_auth_cookie' ),
			20 => array( 'wp_validate_logged_in_cookie', 'wp_validate_application_password' ),
		),
	);
	if ( ! fastbeat_plugin_lane_hooks_are( $idle, $exact ) ) {
		return null;
	}
	return array(
		'charset'         => (string) get_option( 'blog_charset' ),
		'origins'         => array_values( array_map( 'strval', get_allowed_http_origins() ) ),
		'referrer_policy' => 'strict-origin-when-cross-origin',
		'cookies'         => array( AUTH_COOKIE, SECURE_AUTH_COOKIE, LOGGED_IN_COOKIE ),
	);
}

/**
 * Whether a logged-in beat without data may be answered natively (lane/native.php): every
 * hook whose work that answer stands in for (authentication, session tokens, the nonce, the
 * heartbeat filters) has no callback or exactly core's. The logged-out facts cover the
 * hooks both share (origins, charset, headers, determine_current_user).
 *
 * @return bool
 */
function fastbeat_plugin_lane_native_hooks_are_core(): bool {
	// Only what a beat answered natively reaches: a valid cookie and session, nonce state 1
	// (the failure hooks, wp_refresh_nonces and the capability checks are not).
	$idle = array( 'heartbeat_tick', 'nonce_life', 'nonce_user_logged_out', 'salt', 'sanitize_user', 'session_token_manager', 'get_user_metadata', 'update_user_metadata_cache', 'default_user_metadata' );
	foreach ( array( 'auth', 'secure_auth', 'nonce' ) as $scheme ) {
		foreach ( array( 'key', 'salt' ) as $part ) {
			foreach ( array( 'pre_site_option_', 'site_option_', 'default_site_option_', 'pre_option_', 'option_', 'default_option_' ) as $prefix ) {
				$idle[] = $prefix . $scheme . '_' . $part;
			}
		}
	}
	$exact = array(
		'heartbeat_send'    => array( 10 => array( 'wp_auth_check' ) ),
		'auth_cookie_valid' => array( 10 => array( 'rest_cookie_collect_status' ) ),
		'set_current_user'  => array( 10 => array( 'kses_init' ) ),
	);
	return fastbeat_plugin_lane_hooks_are( $idle, $exact );
}

/**
 * Whether a post-lock beat (data: only wp-refresh-post-lock) may be answered natively too:
 * heartbeat_received holds exactly core's three callbacks, nothing filters capabilities,
 * the lock window or post meta, and core's `post` type maps its capabilities as core does.
 *
 * @return bool
 */
function fastbeat_plugin_lane_native_post_is_core(): bool {
	$idle = array(
		'map_meta_cap', 'wp_check_post_lock_window', 'get_post_metadata', 'update_post_metadata', 'add_post_metadata',
		'sanitize_post_meta__edit_lock', 'sanitize_post_meta__edit_lock_for_post', 'update_post_meta', 'update_postmeta',
		'add_post_meta', 'updated_postmeta', 'wp_roles_init', 'role_has_cap', 'get_post_status', 'get_object_subtype_post',
		'update_post_metadata_cache', 'default_post_metadata',
	);
	foreach ( array( 'pre_option_', 'option_', 'default_option_' ) as $prefix ) {
		$idle[] = $prefix . $GLOBALS['wpdb']->get_blog_prefix() . 'user_roles';
		$idle[] = $prefix . 'wp_page_for_privacy_policy';
	}
	$exact = array(
		'heartbeat_received' => array(
			10  => array( 'wp_check_locked_posts', 'wp_refresh_post_lock' ),
			500 => array( 'heartbeat_autosave' ),
		),
		// Only ever add install_languages, resume_* and view_site_health_checks.
		'user_has_cap'       => array( 1 => array( 'wp_maybe_grant_install_languages_cap', 'wp_maybe_grant_resume_extensions_caps', 'wp_maybe_grant_site_health_caps' ) ),
		// Only touch the in-memory cache's last_changed (no object-cache drop-in here).
		'updated_post_meta'  => array( 10 => array( 'wp_cache_set_posts_last_changed' ) ),
		'added_post_meta'    => array( 10 => array( 'wp_cache_set_posts_last_changed' ) ),
	);
	$type = get_post_type_object( 'post' );
	$caps = array( 'edit_posts', 'edit_others_posts', 'edit_published_posts', 'edit_private_posts' );
	if ( ! $type || ! $type->map_meta_cap || ! empty( $GLOBALS['wp_user_roles'] ) ) {
		return false;
	}
	foreach ( $caps as $cap ) {
		if ( ! isset( $type->cap->$cap ) || $cap !== $type->cap->$cap ) {
			return false;
		}
	}
	return fastbeat_plugin_lane_hooks_are( $idle, $exact );
}

/**
 * Whether the `$idle` hooks have no callback and each `$exact` hook has exactly the listed
 * function callbacks (priority => names, in order) and nothing else.
 *
 * @param string[]                            $idle  Hook names.
 * @param array<string, array<int, string[]>> $exact Hook name => priority => function names.
 * @return bool
 */
function fastbeat_plugin_lane_hooks_are( array $idle, array $exact ): bool {
	global $wp_filter;
	foreach ( $idle as $hook ) {
		if ( isset( $wp_filter[ $hook ] ) && $wp_filter[ $hook ]->callbacks ) {
			return false;
		}
	}
	foreach ( $exact as $hook => $want ) {
		$have = array();
		foreach ( isset( $wp_filter[ $hook ] ) ? $wp_filter[ $hook ]->callbacks : array() as $priority => $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$have[ $priority ][] = is_string( $callback['function'] ) ? $callback['function'] : '';
			}
		}
		if ( $have !== $want ) {
			return false;
		}
	}
	return true;
}

/**
 * Hooks a beat without data can reach in the lane: every hook this full-path beat fired
 * (did_filter() / did_action() counters), plus those a beat with another nonce state,
 * cookie or origin would fire.
 *
 * @return array<string, true>
 */
function fastbeat_plugin_lane_reached_hooks(): array {
	$fired  = array_merge( array_keys( (array) ( $GLOBALS['wp_filters'] ?? array() ) ), array_keys( (array) ( $GLOBALS['wp_actions'] ?? array() ) ) );
	$always = array(
		'all', 'shutdown', 'heartbeat_received', 'heartbeat_send', 'heartbeat_tick', 'heartbeat_nopriv_received',
		'heartbeat_nopriv_send', 'heartbeat_nopriv_tick', 'wp_refresh_nonces', 'nonce_life', 'nonce_user_logged_out', 'salt',
		'wp_verify_nonce_failed', 'sanitize_key', 'determine_current_user', 'set_current_user', 'auth_cookie_malformed',
		'auth_cookie_expired', 'auth_cookie_bad_username', 'auth_cookie_bad_hash', 'auth_cookie_bad_session_token',
		'auth_cookie_valid', 'secure_auth_cookie', 'session_token_manager', 'application_password_is_api_request',
		'wp_is_application_passwords_available', 'wp_is_application_passwords_supported', 'application_password_did_authenticate',
		'application_password_failed_authentication', 'wp_authenticate_application_password_errors', 'authenticate',
		'get_user_metadata', 'get_user_option_locale', 'locale', 'determine_locale', 'pre_determine_locale',
		'load_textdomain', 'override_load_textdomain', 'load_textdomain_mofile', 'gettext', 'gettext_default',
		'ngettext', 'ngettext_default', 'wp_doing_ajax', 'wp_die_ajax_handler', 'nocache_headers', 'admin_referrer_policy',
		'http_origin', 'allowed_http_origins', 'allowed_http_origin', 'admin_url', 'home_url', 'site_url',
		'rest_url', 'rest_url_prefix', 'option_blog_charset', 'pre_option_blog_charset', 'pre_option', 'alloptions',
	);
	return array_fill_keys( array_merge( $fired, $always ), true );
}

/**
 * Hooks the lane never fires and that cannot shape a heartbeat's response: plugins may
 * hook these freely. (Output, headers and status they cause before the handler are
 * checked separately; post types they register are checked for post-screen beats.)
 *
 * @param string $hook Hook name.
 * @return bool
 */
function fastbeat_plugin_lane_hook_is_unreached( string $hook ): bool {
	static $exact    = array(
		'plugins_loaded', 'muplugins_loaded', 'plugin_loaded', 'mu_plugin_loaded', 'setup_theme', 'after_setup_theme', 'init', 'wp_loaded', 'admin_init',
		'admin_menu', 'network_admin_menu', 'user_admin_menu', 'admin_bar_menu', 'admin_bar_init', 'wp_before_admin_bar_render', 'admin_enqueue_scripts', 'wp_enqueue_scripts',
		'admin_head', 'admin_footer', 'admin_notices', 'all_admin_notices', 'network_admin_notices', 'admin_print_scripts', 'admin_print_styles',
		'admin_print_footer_scripts', 'wp_head', 'wp_footer', 'widgets_init', 'rest_api_init', 'save_post', 'publish_post', 'transition_post_status',
		'wp_insert_post', 'delete_post', 'before_delete_post', 'the_content', 'the_title', 'the_excerpt', 'template_redirect', 'template_include',
		'wp_dashboard_setup', 'add_meta_boxes', 'current_screen', 'customize_register', 'login_init', 'login_form', 'wp_login', 'wp_logout',
		'user_register', 'profile_update', 'cron_schedules', 'heartbeat_settings', 'wp_enqueue_editor', 'enqueue_block_editor_assets',
		'enqueue_block_assets', 'register_activation_hook', 'activated_plugin', 'deactivated_plugin', 'switch_theme', 'after_switch_theme',
		'upgrader_process_complete', 'site_status_tests', 'debug_information', 'plugin_row_meta', 'admin_action_', 'body_class', 'admin_body_class',
		'manage_posts_columns', 'manage_pages_columns', 'post_row_actions', 'page_row_actions', 'wp_insert_post_data', 'pre_get_posts',
		'query_vars', 'rewrite_rules_array', 'generate_rewrite_rules', 'sanitize_comment_cookies', 'wp_mail', 'phpmailer_init',
		// Only decide which plugins load, which the lane does not do.
		'option_active_plugins', 'pre_option_active_plugins', 'site_option_active_sitewide_plugins',
	);
	static $prefixes = array( 'fastbeat_', 'load-', 'admin_post_', 'manage_', 'plugin_action_links', 'network_admin_plugin_action_links', 'customize_', 'rest_', 'save_post_', 'wp_ajax_', 'activate_', 'deactivate_', 'update_option_', 'add_option_', 'delete_option_', 'admin_print_styles-', 'admin_print_scripts-', 'admin_head-', 'admin_footer-', 'in_plugin_update_message-' );
	// wp_ajax_heartbeat and wp_ajax_nopriv_heartbeat are the lane's own hooks.
	if ( 'wp_ajax_heartbeat' === $hook || 'wp_ajax_nopriv_heartbeat' === $hook ) {
		return false;
	}
	// update_option_* fire on writes, which a heartbeat's core callbacks never make to options.
	if ( in_array( $hook, $exact, true ) ) {
		return true;
	}
	foreach ( $prefixes as $prefix ) {
		if ( 0 === strpos( $hook, $prefix ) ) {
			return true;
		}
	}
	return false;
}

/**
 * Who registered a callback: 'core', 'fastbeat', 'dropin' (loaded before the lane's cut
 * too, so fine anywhere) or 'plugin' (plugins, mu-plugins, themes, anything else).
 *
 * @param mixed $callback A hook callback.
 * @return string
 */
function fastbeat_plugin_lane_owner( $callback ): string {
	try {
		if ( is_string( $callback ) && false !== strpos( $callback, '::' ) ) {
			$callback = explode( '::', $callback, 2 );
		}
		if ( is_array( $callback ) && 2 === count( $callback ) ) {
			$ref = new ReflectionMethod( is_object( $callback[0] ) ? get_class( $callback[0] ) : (string) $callback[0], (string) $callback[1] );
		} elseif ( $callback instanceof Closure || is_string( $callback ) ) {
			$ref = new ReflectionFunction( $callback );
		} elseif ( is_object( $callback ) && method_exists( $callback, '__invoke' ) ) {
			$ref = new ReflectionMethod( $callback, '__invoke' );
		} else {
			return 'plugin';
		}
	} catch ( ReflectionException $e ) {
		// Not loaded in this request (e.g. dashboard functions during Ajax).
		return 'unknown';
	}
	$file = $ref->getFileName();
	if ( false === $file && 'fastbeat' === $ref->getExtensionName() ) {
		return 'fastbeat';
	}
	if ( false === $file ) {
		// An internal PHP function (e.g. 'trim') says nothing of who hooked it: core's own
		// filter files may (fastbeat_plugin_lane_core_registers() decides), or a plugin,
		// whose registration the lane would not make.
		return 'unknown';
	}
	if ( fastbeat_plugin_lane_is_core_file( $file ) ) {
		return 'core';
	}
	if ( 0 === strpos( $file, dirname( __DIR__ ) . '/' ) ) {
		return 'fastbeat';
	}
	if ( dirname( $file ) === WP_CONTENT_DIR && in_array( basename( $file ), array( 'db.php', 'object-cache.php', 'advanced-cache.php' ), true ) ) {
		return 'dropin';
	}
	return 'plugin';
}

/**
 * Whether core's own filter files register this callback (a function name) on this hook:
 * for callbacks whose functions are not loaded in an Ajax request, so reflection cannot
 * say where they come from.
 *
 * @param string $hook     Hook name.
 * @param mixed  $callback Callback.
 * @return bool
 */
function fastbeat_plugin_lane_core_registers( string $hook, $callback ): bool {
	static $core = null;
	if ( ! is_string( $callback ) ) {
		return false;
	}
	if ( null === $core ) {
		$core = array();
		foreach ( array( WPINC . '/default-filters.php', WPINC . '/ms-default-filters.php', 'wp-admin/includes/admin-filters.php' ) as $file ) {
			$path   = ABSPATH . $file;
			$source = is_readable( $path ) ? (string) file_get_contents( $path ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			$core   = array_merge( $core, fastbeat_plugin_lane_registrations( $source ) );
		}
	}
	return isset( $core[ $hook . '|' . $callback ] );
}

/**
 * The hook|function pairs a filter file registers with literal names: add_action( 'hook',
 * 'function' ), and add_filter( $filter, 'function' ) inside a foreach over a literal list.
 *
 * @param string $source PHP source.
 * @return array<string, true>
 */
function fastbeat_plugin_lane_registrations( string $source ): array {
	$pairs = array();
	preg_match_all( "/add_(?:action|filter)\\(\\s*'([^']+)'\\s*,\\s*'([^']+)'/", $source, $m, PREG_SET_ORDER );
	foreach ( $m as $match ) {
		$pairs[ $match[1] . '|' . $match[2] ] = true;
	}
	preg_match_all( '/foreach\s*\(\s*array\(([^)]*)\)\s*as\s*\$(\w+)\s*\)\s*\{(.*?)\n\s*\}/s', $source, $loops, PREG_SET_ORDER );
	foreach ( $loops as $loop ) {
		preg_match_all( "/'([^']+)'/", $loop[1], $hooks );
		preg_match_all( '/add_(?:action|filter)\(\s*\$' . $loop[2] . "\\s*,\\s*'([^']+)'/", $loop[3], $functions );
		foreach ( $hooks[1] as $loop_hook ) {
			foreach ( $functions[1] as $function ) {
				$pairs[ $loop_hook . '|' . $function ] = true;
			}
		}
	}
	return $pairs;
}

/**
 * Whether a file is part of WordPress core (wp-includes or wp-admin).
 *
 * @param string|false $file Path.
 * @return bool
 */
function fastbeat_plugin_lane_is_core_file( $file ): bool {
	if ( ! is_string( $file ) ) {
		return false;
	}
	return 0 === strpos( $file, ABSPATH . WPINC . '/' ) || 0 === strpos( $file, ABSPATH . 'wp-admin/' );
}

/**
 * Names of core's pluggable functions (declared in pluggable.php behind function_exists()).
 *
 * @return string[]
 */
function fastbeat_plugin_lane_pluggables(): array {
	$source = (string) file_get_contents( ABSPATH . WPINC . '/pluggable.php' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
	preg_match_all( "/if\\s*\\(\\s*!\\s*function_exists\\(\\s*'([a-z0-9_]+)'\\s*\\)\\s*\\)\\s*:/", $source, $m );
	return array_unique( $m[1] );
}

/**
 * Whether every registered post type is one core registers itself.
 *
 * @return bool
 */
function fastbeat_plugin_lane_core_post_types_only(): bool {
	$core = array( 'post', 'page', 'attachment', 'revision', 'nav_menu_item', 'custom_css', 'customize_changeset', 'oembed_cache', 'user_request', 'wp_block', 'wp_template', 'wp_template_part', 'wp_global_styles', 'wp_navigation' );
	return array() === array_diff( get_post_types(), $core );
}

/**
 * Files whose change (mtime; -1 when absent) must send beats back to the full path.
 *
 * @return array<int, array{0: string, 1: int}>
 */
function fastbeat_plugin_lane_watch_list(): array {
	$files = array(
		ABSPATH . WPINC . '/version.php',
		ABSPATH . 'wp-config.php',
		dirname( ABSPATH ) . '/wp-config.php',
		WPMU_PLUGIN_DIR,
		WP_PLUGIN_DIR,
		WP_CONTENT_DIR . '/db.php',
		WP_CONTENT_DIR . '/object-cache.php',
		WP_CONTENT_DIR . '/advanced-cache.php',
		WP_CONTENT_DIR . '/sunrise.php',
		dirname( __DIR__ ) . '/fastbeat.php',
		dirname( __DIR__ ) . '/lane/lane.php',
		__DIR__ . '/lane.php',
		dirname( __DIR__ ) . '/lane/nopriv.php',
		dirname( __DIR__ ) . '/lane/native.php',
		__DIR__ . '/learn.php',
		__DIR__ . '/wiring.php',
		get_stylesheet_directory() . '/functions.php',
		get_template_directory() . '/functions.php',
	);
	if ( defined( 'DEBIAN_FILE' ) ) {
		$files[] = DEBIAN_FILE;
	}
	foreach ( wp_get_mu_plugins() as $file ) {
		$files[] = $file;
	}
	foreach ( wp_get_active_and_valid_plugins() as $file ) {
		$files[] = $file;
	}
	$watch = array();
	foreach ( array_unique( $files ) as $file ) {
		clearstatcache( true, $file );
		$mtime   = file_exists( $file ) ? filemtime( $file ) : false;
		$watch[] = array( $file, false === $mtime ? -1 : $mtime );
	}
	return $watch;
}

foreach ( array( 'activated_plugin', 'deactivated_plugin', 'switch_theme', 'upgrader_process_complete', 'update_option_active_plugins', 'update_option_stylesheet', 'update_option_template', 'update_option_home', 'update_option_siteurl', 'update_option_blog_charset' ) as $fastbeat_lane_hook ) {
	add_action( $fastbeat_lane_hook, 'fastbeat_plugin_lane_forget' );
}
unset( $fastbeat_lane_hook );
