<?php
/**
 * The fast lane, plugin side: gathers evidence on full-path beats and writes the
 * manifest the extension renders from it.
 *
 * Every rule is the extension's (crates/lane): which hooks a beat's answer depends on,
 * what counts against the lane, what the manifest says. This file only hands over what
 * only WordPress knows, in two calls on a full-path beat: just before core's handler
 * (fastbeat_lane_note(): the headers, output and buffers so far; the extension captures
 * the hook tables and the rest itself) and after the response (fastbeat_lane_evidence():
 * directories, site facts, what a native answer needs), and writes the manifest text it
 * gets back with WordPress's own filesystem class.
 *
 * @package Fastbeat
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Whether the lane may be used on this site at all: the extension is there and the site
 * owner has not switched the lane off.
 *
 * @return bool
 */
function fastbeat_plugin_lane_enabled(): bool {
	if ( ! function_exists( 'fastbeat_lane_note' ) ) {
		return false;
	}
	if ( defined( 'FASTBEAT_LANE_DISABLE' ) && FASTBEAT_LANE_DISABLE ) {
		return false;
	}
	/**
	 * Filters whether Fastbeat's fast lane may answer heartbeats.
	 *
	 * @param bool $enabled Default true.
	 */
	return (bool) apply_filters( 'fastbeat_lane_enabled', true );
}

/**
 * The directory the lane's files live in: the uploads base directory, the one place
 * WordPress expects to be writable.
 *
 * @return string
 */
function fastbeat_plugin_lane_dir(): string {
	$uploads = wp_upload_dir( null, false );
	return rtrim( (string) $uploads['basedir'], '/' ) . '/fastbeat';
}

/**
 * Where the manifest lives. Web servers usually serve uploads and the manifest names
 * server paths and plugins, so its name is keyed with the site's salt (not guessable
 * from outside); the directory gets an index.php against listing.
 *
 * @return string
 */
function fastbeat_plugin_lane_manifest_path(): string {
	// Per site of a network (each has its own uploads directory).
	static $paths = array();
	$site         = get_current_blog_id();
	if ( ! isset( $paths[ $site ] ) ) {
		$key            = substr( hash_hmac( 'sha256', ABSPATH, wp_salt( 'auth' ) ), 0, 24 );
		$paths[ $site ] = fastbeat_plugin_lane_dir() . '/lane-' . $key . '.json';
	}
	return $paths[ $site ];
}

/**
 * Deletes the manifest: beats take the full path until a full-path beat records again.
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
 * A network's stamp file, in the main site's lane directory: every site's manifest
 * watches it, so a change that reaches every site (a plugin network-activated, the
 * network's URL, an update) sends them all back to the full path at once.
 *
 * @return string
 */
function fastbeat_plugin_lane_network_stamp(): string {
	$main     = get_main_site_id();
	$switched = get_current_blog_id() !== $main && switch_to_blog( $main );
	$dir      = fastbeat_plugin_lane_dir();
	if ( $switched ) {
		restore_current_blog();
	}
	return $dir . '/network.stamp';
}

/**
 * Touches the network's stamp (a single site forgets its own manifest).
 *
 * @return void
 */
function fastbeat_plugin_lane_forget_network(): void {
	if ( ! is_multisite() ) {
		fastbeat_plugin_lane_forget();
		return;
	}
	$stamp = fastbeat_plugin_lane_network_stamp();
	if ( wp_mkdir_p( dirname( $stamp ) ) ) {
		fastbeat_plugin_lane_filesystem()->put_contents( $stamp, (string) microtime( true ), fastbeat_plugin_lane_file_mode() );
	}
}

/**
 * A plugin activated or deactivated: on one site, or network-wide.
 *
 * @param string $plugin       Plugin file.
 * @param bool   $network_wide Whether for the whole network.
 * @return void
 */
function fastbeat_plugin_lane_plugin_changed( $plugin, $network_wide ): void {
	unset( $plugin );
	if ( $network_wide ) {
		fastbeat_plugin_lane_forget_network();
	} else {
		fastbeat_plugin_lane_forget();
	}
}

/**
 * A network's site changed (status, domain, path): that site's manifest goes, so that
 * a site archived, spammed or deleted is answered by core (ms_site_check()) at once.
 *
 * @param WP_Site $site The site as it is now.
 * @return void
 */
function fastbeat_plugin_lane_site_changed( $site ): void {
	if ( ! $site instanceof WP_Site ) {
		return;
	}
	$switched = switch_to_blog( (int) $site->blog_id );
	fastbeat_plugin_lane_forget();
	if ( $switched ) {
		restore_current_blog();
	}
}

/**
 * Just before core's handler on a full-path beat (the swap callbacks on wp_ajax_heartbeat
 * call it): hands over what only this moment shows. Nothing here fires a hook or changes
 * WordPress's state (the manifest's path, which asks for the upload directory, waits
 * for the response to be sent), so plugins (even on `all`) see the same beat as with core.
 *
 * @return void
 */
function fastbeat_plugin_lane_note(): void {
	global $wpdb;
	if ( isset( $GLOBALS['fastbeat_plugin_lane_gather'] ) || ! function_exists( 'fastbeat_lane_note' ) ) {
		return;
	}
	$note   = array(
		'admin_ajax'   => ABSPATH . 'wp-admin/admin-ajax.php',
		'lane_dir'     => dirname( __DIR__ ) . '/lane',
		// The filter is read after the response, so that this moment fires no hook.
		'enabled'      => ! ( defined( 'FASTBEAT_LANE_DISABLE' ) && FASTBEAT_LANE_DISABLE ),
		'abspath'      => ABSPATH,
		'headers'      => headers_list(),
		'output'       => (int) ob_get_length(),
		'status'       => (int) http_response_code(),
		'headers_sent' => headers_sent(),
		'buffers'      => array_values( wp_list_pluck( ob_get_status( true ), 'name' ) ),
		'output_handler'          => (string) ini_get( 'output_handler' ),
		'output_buffering'        => (string) ini_get( 'output_buffering' ),
		'zlib_output_compression' => (string) ini_get( 'zlib.output_compression' ),
		'cookies'      => array(
			'auth'        => AUTH_COOKIE,
			'secure_auth' => SECURE_AUTH_COOKIE,
			'logged_in'   => LOGGED_IN_COOKIE,
			'recovery'    => defined( 'RECOVERY_MODE_COOKIE' ) ? RECOVERY_MODE_COOKIE : '',
		),
		'ssl'          => is_ssl(),
		'roles_option' => $wpdb->get_blog_prefix() . 'user_roles',
		'caps_key'     => $wpdb->get_blog_prefix() . 'capabilities',
		'multisite'    => is_multisite(),
	);
	$gather = fastbeat_lane_note( (string) wp_json_encode( $note ) );
	if ( is_array( $gather ) && ! empty( $gather['record'] ) ) {
		$GLOBALS['fastbeat_plugin_lane_gather'] = $gather;
		register_shutdown_function( 'fastbeat_plugin_lane_after_beat' );
	}
}

/**
 * After a recorded full-path beat's response: hands over the site's facts, and writes
 * the manifest text the extension returns.
 *
 * @return void
 */
function fastbeat_plugin_lane_after_beat(): void {
	$gather = $GLOBALS['fastbeat_plugin_lane_gather'] ?? null;
	if ( ! is_array( $gather ) || ! function_exists( 'fastbeat_lane_evidence' ) ) {
		return;
	}
	if ( ! fastbeat_plugin_lane_enabled() ) {
		fastbeat_plugin_lane_forget();
		return;
	}
	$dir = fastbeat_plugin_lane_dir();
	if ( ! is_dir( $dir ) && ! wp_mkdir_p( $dir ) ) {
		return;
	}
	$fs   = fastbeat_plugin_lane_filesystem();
	$mode = fastbeat_plugin_lane_file_mode();
	if ( ! $fs->exists( $dir . '/index.php' ) ) {
		$fs->put_contents( $dir . '/index.php', "<?php\n// Silence is golden.\n", $mode );
	}
	// One writer at a time: the extension reads the manifest, adds this beat's evidence
	// and returns the new text, which is written before the next writer reads.
	// phpcs:ignore Generic.PHP.ForbiddenFunctions.Found, WordPress.WP.AlternativeFunctions.file_system_operations_fopen -- a lock file (flock), not content.
	$lock = fopen( $dir . '/.lock', 'c' );
	if ( false === $lock || ! flock( $lock, LOCK_EX ) ) {
		return;
	}
	$writes = fastbeat_lane_evidence( (string) wp_json_encode( fastbeat_plugin_lane_facts( $gather ) ), fastbeat_plugin_lane_settle_seconds() );
	if ( is_array( $writes ) && isset( $writes['manifest'], $writes['text'] ) ) {
		$tmp = $writes['manifest'] . '.' . getmypid() . '.tmp';
		if ( $fs->put_contents( $tmp, $writes['text'], $mode ) ) {
			// Atomic: the extension never sees half a file.
			rename( $tmp, $writes['manifest'] ); // phpcs:ignore WordPress.WP.AlternativeFunctions.rename_rename
		}
	}
	flock( $lock, LOCK_UN );
	fclose( $lock ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
}

/**
 * WordPress's direct filesystem class (the lane's files are the plugin's own, in uploads).
 *
 * @return WP_Filesystem_Direct
 */
function fastbeat_plugin_lane_filesystem(): WP_Filesystem_Direct {
	require_once ABSPATH . 'wp-admin/includes/class-wp-filesystem-base.php';
	require_once ABSPATH . 'wp-admin/includes/class-wp-filesystem-direct.php';
	return new WP_Filesystem_Direct( null );
}

/**
 * The permissions WordPress gives files it writes (FS_CHMOD_FILE, as WP_Filesystem()
 * defines it when nothing did).
 *
 * @return int
 */
function fastbeat_plugin_lane_file_mode(): int {
	return defined( 'FS_CHMOD_FILE' ) ? (int) FS_CHMOD_FILE : ( ( fileperms( ABSPATH . 'index.php' ) & 0777 ) | 0644 );
}

/**
 * What only WordPress knows about the site, for the extension to judge the beat's
 * evidence by and to answer natively from: raw facts, no decisions.
 *
 * @param array<string, mixed> $gather What the extension asked for (option and server variable names).
 * @return array<string, mixed>
 */
function fastbeat_plugin_lane_facts( array $gather ): array {
	global $wpdb;
	$all     = wp_load_alloptions();
	$options = array();
	foreach ( (array) ( $gather['options'] ?? array() ) as $name ) {
		// Raw, as autoloaded; hex because values need not be UTF-8.
		$options[ $name ] = isset( $all[ $name ] ) && is_string( $all[ $name ] ) ? bin2hex( $all[ $name ] ) : null;
	}
	$server = array();
	foreach ( (array) ( $gather['server'] ?? array() ) as $var ) {
		// Compared with the raw request by the extension; never output.
		$server[ $var ] = isset( $_SERVER[ $var ] ) && is_string( $_SERVER[ $var ] ) ? $_SERVER[ $var ] : null; // phpcs:ignore FastbeatWP.Security.NoRequestInput.Found
	}
	$type = get_post_type_object( 'post' );
	/**
	 * Filters request variables (as in $_SERVER, e.g. 'HTTP_X_MY_HEADER') whose presence must
	 * send a beat down the full path: for code that changes heartbeat behaviour per request.
	 *
	 * @param string[] $vars Default empty.
	 */
	$veto = array_values( array_filter( (array) apply_filters( 'fastbeat_lane_veto_server_vars', array() ), 'is_string' ) );
	/**
	 * Filters how often the self-check sends a beat the lane could answer down the full path
	 * to compare its evidence: one in this many (1 to 100; more than 100 is 100).
	 *
	 * @param int $interval Default 100.
	 */
	$self_check = max( 1, (int) apply_filters( 'fastbeat_lane_self_check_interval', 100 ) );
	return array(
		'manifest'          => fastbeat_plugin_lane_manifest_path(),
		// As PHP names compiled files: symbolic links resolved.
		'dirs'              => array(
			'abspath'    => fastbeat_plugin_lane_real( ABSPATH ) . '/',
			'plugins'    => fastbeat_plugin_lane_real( WP_PLUGIN_DIR ),
			'mu_plugins' => fastbeat_plugin_lane_real( WPMU_PLUGIN_DIR ),
			'content'    => fastbeat_plugin_lane_real( WP_CONTENT_DIR ),
			'themes'     => array_values( array_unique( array_map( 'fastbeat_plugin_lane_real', array( get_stylesheet_directory(), get_template_directory() ) ) ) ),
			'fastbeat'   => dirname( __DIR__ ),
		),
		'multisite'         => is_multisite(),
		'ext_object_cache'  => (bool) wp_using_ext_object_cache(),
		'wpdb_class'        => get_class( $wpdb ),
		'post_map_meta_cap' => $type && $type->map_meta_cap,
		'post_caps'         => $type ? array_map( 'strval', (array) $type->cap ) : array(),
		'roles_global'      => ! empty( $GLOBALS['wp_user_roles'] ),
		'charset'           => (string) get_option( 'blog_charset' ),
		'origins'           => array_values( array_map( 'strval', get_allowed_http_origins() ) ),
		'watch'             => fastbeat_plugin_lane_watch_list(),
		'veto_server'       => $veto,
		'self_check'        => $self_check,
		'options'           => $options,
		'server'            => $server,
		'learn'             => fastbeat_plugin_lane_learn_facts( $gather ),
		'declared'          => fastbeat_plugin_lane_declared( (array) ( $gather['declarable'] ?? array() ) ),
	);
}

/**
 * Plugins' declarations of the heartbeat `data` keys their callbacks react to, read through
 * the `fastbeat_heartbeat_keys` filter for every callback on the hooks the extension names.
 * A declaration is a claim: the extension honours it only while heartbeats WordPress
 * answers show the callback returning the response untouched, with no query, output or
 * header, for beats without those keys.
 *
 * @param string[] $hooks Hooks whose callbacks may be declared.
 * @return array<int, array<string, mixed>>
 */
function fastbeat_plugin_lane_declared( array $hooks ): array {
	global $wp_filter;
	$out = array();
	foreach ( $hooks as $hook ) {
		if ( ! isset( $wp_filter[ $hook ] ) || ! $wp_filter[ $hook ] instanceof WP_Hook ) {
			continue;
		}
		foreach ( $wp_filter[ $hook ]->callbacks as $callbacks ) {
			foreach ( $callbacks as $entry ) {
				/**
				 * Filters which heartbeat `data` keys a callback on `heartbeat_received` reacts
				 * to. Return them when `$callback` is yours (or, as a site owner, a plugin's you
				 * know) and returns the response untouched, writing nothing, for any other data:
				 * Fastbeat's fast lane then answers heartbeats without those keys natively, as
				 * long as heartbeats WordPress answers confirm it.
				 *
				 * @param string[]|null $keys     Default null: not declared.
				 * @param callable      $callback The callback as registered.
				 * @param string        $hook     The hook it is registered on.
				 */
				$keys = apply_filters( 'fastbeat_heartbeat_keys', null, $entry['function'], (string) $hook );
				if ( is_array( $keys ) ) {
					$out[] = array(
						'hook'     => (string) $hook,
						'callback' => fastbeat_lane_callable_label( $entry['function'] ),
						'keys'     => array_values( array_filter( $keys, 'is_string' ) ),
					);
				}
			}
		}
	}
	return $out;
}

/**
 * A directory's real path (itself when it does not exist), without a trailing slash.
 *
 * @param string $dir Directory.
 * @return string
 */
function fastbeat_plugin_lane_real( string $dir ): string {
	$real = realpath( $dir );
	return rtrim( false === $real ? $dir : $real, '/' );
}

/**
 * How the site reaches its database and the salts a logged-in beat's cookie and nonce are
 * checked with: the extension keeps them in the worker's memory only, never on disk.
 *
 * @param array<string, mixed> $gather What the extension asked for (network option names).
 * @return array<string, mixed>|null
 */
function fastbeat_plugin_lane_learn_facts( array $gather ): ?array {
	global $wpdb;
	if ( ! defined( 'DB_HOST' ) || ! defined( 'DB_USER' ) || ! defined( 'DB_PASSWORD' ) || ! defined( 'DB_NAME' ) || ! $wpdb instanceof wpdb ) {
		return null;
	}
	// As wpdb::db_connect() reaches the server.
	$host_data = $wpdb->parse_db_host( DB_HOST );
	if ( ! is_array( $host_data ) ) {
		return null;
	}
	list( $host, $port, $socket, $is_ipv6 ) = $host_data;
	if ( $is_ipv6 && extension_loaded( 'mysqlnd' ) ) {
		$host = "[$host]";
	}
	return array(
		'db'         => array(
			'host'     => (string) $host,
			'port'     => null === $port ? null : (int) $port,
			'socket'   => null === $socket ? null : (string) $socket,
			'user'     => (string) DB_USER,
			'password' => (string) DB_PASSWORD,
			'name'     => (string) DB_NAME,
			'charset'  => (string) $wpdb->charset,
			'flags'    => defined( 'MYSQL_CLIENT_FLAGS' ) ? (int) MYSQL_CLIENT_FLAGS : 0,
		),
		'users'      => $wpdb->users,
		'usermeta'   => $wpdb->usermeta,
		'options'    => $wpdb->options,
		// The cookie scheme wp_validate_auth_cookie() uses for this site's requests.
		'salt_auth'  => bin2hex( wp_salt( is_ssl() ? 'secure_auth' : 'auth' ) ),
		'salt_nonce' => bin2hex( wp_salt( 'nonce' ) ),
		'post'       => array(
			'posts'        => $wpdb->posts,
			'postmeta'     => $wpdb->postmeta,
			'roles_option' => $wpdb->get_blog_prefix() . 'user_roles',
			'caps_key'     => $wpdb->get_blog_prefix() . 'capabilities',
		),
		'network'    => is_multisite() ? fastbeat_plugin_lane_network_facts( (array) ( $gather['network_options'] ?? array() ) ) : null,
	);
}

/**
 * A network site's facts: its tables and ids, `$super_admins` when wp-config.php sets it,
 * and the raw values of the network options the extension names.
 *
 * @param string[] $names Network option names.
 * @return array<string, mixed>
 */
function fastbeat_plugin_lane_network_facts( array $names ): array {
	global $wpdb;
	$options = array_fill_keys( array_map( 'strval', $names ), null );
	if ( $options ) {
		$in   = implode( ',', array_fill( 0, count( $options ), '%s' ) );
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$wpdb->sitemeta} WHERE site_id = %d AND meta_key IN ($in) ORDER BY meta_id ASC", array_merge( array( get_current_network_id() ), array_keys( $options ) ) ), ARRAY_A ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- raw values as stored, once per recorded beat.
		foreach ( (array) $rows as $row ) {
			// Raw, hex because values need not be UTF-8; the first row of a key, as core reads.
			if ( null === $options[ $row['meta_key'] ] ) {
				$options[ $row['meta_key'] ] = bin2hex( (string) $row['meta_value'] );
			}
		}
	}
	$super = null;
	if ( isset( $GLOBALS['super_admins'] ) ) {
		// get_super_admins() returns it as set; is_super_admin() matches strings strictly.
		$super = is_array( $GLOBALS['super_admins'] ) ? array_values( array_filter( $GLOBALS['super_admins'], 'is_string' ) ) : array();
	}
	return array(
		'blogs'        => $wpdb->blogs,
		'sitemeta'     => $wpdb->sitemeta,
		'blog_id'      => get_current_blog_id(),
		'network_id'   => get_current_network_id(),
		'super_admins' => $super,
		'options'      => (object) $options,
	);
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
 * Files whose change must send beats back to the full path: what WordPress loads before
 * a beat's handler (configuration, drop-ins, must-use and active plugins, the theme, core's
 * version, maintenance mode's file) and this plugin. The extension adds the files of the
 * core functions its answers model.
 *
 * @return string[]
 */
function fastbeat_plugin_lane_watch_list(): array {
	$files = array(
		ABSPATH . WPINC . '/version.php',
		ABSPATH . 'wp-config.php',
		dirname( ABSPATH ) . '/wp-config.php',
		ABSPATH . '.maintenance',
		WPMU_PLUGIN_DIR,
		WP_PLUGIN_DIR,
		WP_CONTENT_DIR . '/db.php',
		WP_CONTENT_DIR . '/object-cache.php',
		WP_CONTENT_DIR . '/advanced-cache.php',
		WP_CONTENT_DIR . '/sunrise.php',
		dirname( __DIR__ ) . '/fastbeat.php',
		__DIR__ . '/lane.php',
		__DIR__ . '/wiring.php',
		dirname( __DIR__ ) . '/lane/nopriv.php',
		dirname( __DIR__ ) . '/lane/native.php',
		dirname( __DIR__ ) . '/lane/midboot.php',
		ABSPATH . 'wp-settings.php',
		get_stylesheet_directory() . '/functions.php',
		get_template_directory() . '/functions.php',
	);
	if ( defined( 'DEBIAN_FILE' ) ) {
		$files[] = DEBIAN_FILE;
	}
	if ( is_multisite() ) {
		$files[] = fastbeat_plugin_lane_network_stamp();
		foreach ( wp_get_active_network_plugins() as $file ) {
			$files[] = $file;
		}
	}
	foreach ( wp_get_mu_plugins() as $file ) {
		$files[] = $file;
	}
	foreach ( wp_get_active_and_valid_plugins() as $file ) {
		$files[] = $file;
	}
	clearstatcache();
	return array_values( array_unique( $files ) );
}

foreach ( array( 'switch_theme', 'update_option_active_plugins', 'update_option_stylesheet', 'update_option_template', 'update_option_home', 'update_option_siteurl', 'update_option_blog_charset' ) as $fastbeat_lane_hook ) {
	add_action( $fastbeat_lane_hook, 'fastbeat_plugin_lane_forget' );
}
// What reaches every site of a network.
foreach ( array( 'upgrader_process_complete', 'update_site_option_active_sitewide_plugins', 'update_site_option_siteurl' ) as $fastbeat_lane_hook ) {
	add_action( $fastbeat_lane_hook, 'fastbeat_plugin_lane_forget_network' );
}
unset( $fastbeat_lane_hook );
add_action( 'activated_plugin', 'fastbeat_plugin_lane_plugin_changed', 10, 2 );
add_action( 'deactivated_plugin', 'fastbeat_plugin_lane_plugin_changed', 10, 2 );
add_action( 'wp_update_site', 'fastbeat_plugin_lane_site_changed' );
