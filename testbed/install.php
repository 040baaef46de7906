<?php
/**
 * Fastbeat test bed: installs WordPress (only if it is not installed yet) and
 * provisions users, posts and the Fastbeat plugin. Run by testbed/up.sh:
 *
 *   php testbed/install.php install     # wp_install() once
 *   php testbed/install.php provision   # users, posts, plugin; prints testbed.json
 *
 * A multisite test bed (FASTBEAT_VARIANT=multisite) also has, in this order:
 *
 *   FASTBEAT_TESTBED_MS_SETUP=1 php testbed/install.php network   # the network over the
 *                                        # single site (populate_network()), once
 *   php testbed/install.php sites       # the sites FASTBEAT_MS_SITES names, once
 *
 * and `provision` takes the site from FASTBEAT_SITE_PATH (default /): its options, posts,
 * and every user's role on it; the plugin is activated network-wide.
 *
 * Idempotent: existing users and posts are reused (passwords are only reset if
 * they do not match, so existing login cookies stay valid).
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}

$fb_phase = isset( $argv[1] ) ? $argv[1] : '';
$fb_host  = (string) getenv( 'FASTBEAT_SITE_HOST' );
$fb_wpdir = (string) getenv( 'FASTBEAT_WP_DIR' );
if ( '' === $fb_host || '' === $fb_wpdir ) {
	fwrite( STDERR, "testbed: install.php: FASTBEAT_SITE_HOST and FASTBEAT_WP_DIR must be set (source testbed/env.sh)\n" );
	exit( 1 );
}

// Debian's wp-config.php picks /etc/wordpress/config-<host>.php from HTTP_HOST.
$_SERVER['HTTP_HOST']      = $fb_host;
$_SERVER['SERVER_NAME']    = '127.0.0.1';
$_SERVER['SERVER_PORT']    = substr( strrchr( $fb_host, ':' ), 1 );
// A multisite network picks the site by the path.
$fb_path                   = getenv( 'FASTBEAT_SITE_PATH' ) ? (string) getenv( 'FASTBEAT_SITE_PATH' ) : '/';
$_SERVER['REQUEST_URI']    = $fb_path;
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR']    = '127.0.0.1';

function fb_fail( $msg ) {
	fwrite( STDERR, "testbed: install.php: $msg\n" );
	exit( 1 );
}

if ( 'install' === $fb_phase ) {
	define( 'WP_INSTALLING', true );
	require $fb_wpdir . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	if ( is_blog_installed() ) {
		exit( 0 );
	}
	$result = wp_install(
		'Fastbeat Test Bed',
		getenv( 'FASTBEAT_ADMIN_USER' ),
		'admin@example.test',
		false,
		'',
		wp_slash( getenv( 'FASTBEAT_ADMIN_PASSWORD' ) )
	);
	if ( empty( $result['user_id'] ) ) {
		fb_fail( 'wp_install() failed' );
	}
	fwrite( STDERR, "testbed: installed WordPress {$GLOBALS['wp_version']} at " . get_option( 'siteurl' ) . "\n" );
	exit( 0 );
}

if ( 'network' === $fb_phase ) {
	// As wp-admin/network.php does, in its set-up mode (no MULTISITE yet).
	define( 'WP_INSTALLING_NETWORK', true );
	require $fb_wpdir . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	require_once ABSPATH . 'wp-admin/includes/network.php';
	global $wpdb;
	foreach ( $wpdb->tables( 'ms_global' ) as $fb_table => $fb_prefixed ) {
		$wpdb->$fb_table = $fb_prefixed;
	}
	if ( network_domain_check() ) {
		exit( 0 );
	}
	install_network();
	$result = populate_network( 1, $fb_host, 'admin@example.test', 'Fastbeat Test Bed', '/', false );
	if ( is_wp_error( $result ) ) {
		fb_fail( 'populate_network(): ' . $result->get_error_message() );
	}
	fwrite( STDERR, "testbed: made a subdirectory network at $fb_host\n" );
	exit( 0 );
}

if ( 'sites' === $fb_phase ) {
	require $fb_wpdir . '/wp-load.php';
	if ( ! is_multisite() ) {
		fb_fail( 'sites: not a multisite network' );
	}
	$fb_owner = get_user_by( 'login', getenv( 'FASTBEAT_ADMIN_USER' ) );
	foreach ( preg_split( '/\s+/', (string) getenv( 'FASTBEAT_MS_SITES' ), -1, PREG_SPLIT_NO_EMPTY ) as $fb_site ) {
		if ( domain_exists( $fb_host, $fb_site ) ) {
			continue;
		}
		$fb_id = wpmu_create_blog( $fb_host, $fb_site, 'Fastbeat Test Bed ' . trim( $fb_site, '/' ), $fb_owner->ID );
		if ( is_wp_error( $fb_id ) ) {
			fb_fail( "wpmu_create_blog($fb_site): " . $fb_id->get_error_message() );
		}
		// Before 6.2 (wp_normalize_site_data()'s sanitize_user()) a site's domain loses its
		// port; the network's own has it (populate_network()), as a network on a port needs.
		if ( get_site( $fb_id )->domain !== $fb_host ) {
			$GLOBALS['wpdb']->update( $GLOBALS['wpdb']->blogs, array( 'domain' => $fb_host ), array( 'blog_id' => $fb_id ) );
			clean_blog_cache( $fb_id );
		}
		fwrite( STDERR, "testbed: made site $fb_id at $fb_host$fb_site\n" );
	}
	exit( 0 );
}

if ( 'provision' !== $fb_phase ) {
	fb_fail( 'usage: install.php install|network|sites|provision' );
}

require $fb_wpdir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

if ( ! is_blog_installed() ) {
	fb_fail( 'WordPress is not installed' );
}

// Fixed site options (idempotent). A network's site has its path in its URL.
$fb_url     = getenv( 'FASTBEAT_SITE_URL' ) . rtrim( $fb_path, '/' );
$fb_options = array(
	'siteurl'                => $fb_url,
	'home'                   => $fb_url,
	'blogname'               => 'Fastbeat Test Bed',
	'timezone_string'        => '',
	'gmt_offset'             => 0,
	'show_avatars'           => 1,
	'permalink_structure'    => '',
	'blog_charset'           => 'UTF-8',
	'users_can_register'     => 0,
	'blog_public'            => 0,
	'default_comment_status' => 'closed',
);
foreach ( $fb_options as $name => $value ) {
	if ( (string) get_option( $name ) !== (string) $value ) {
		update_option( $name, $value );
	}
}

/**
 * Creates or updates a user; returns its ID.
 */
function fb_user( $login, $pass, $email, $role, $display ) {
	$user = get_user_by( 'login', $login );
	if ( ! $user ) {
		$id = wp_insert_user(
			array(
				'user_login'   => $login,
				'user_pass'    => $pass,
				'user_email'   => $email,
				'role'         => $role,
				'display_name' => $display,
				'nickname'     => $display,
			)
		);
		if ( is_wp_error( $id ) ) {
			fb_fail( "wp_insert_user($login): " . $id->get_error_message() );
		}
		return (int) $id;
	}
	if ( ! wp_check_password( $pass, $user->user_pass, $user->ID ) ) {
		wp_set_password( $pass, $user->ID );
	}
	if ( $user->display_name !== $display || $user->user_email !== $email || ! in_array( $role, (array) $user->roles, true ) ) {
		wp_update_user(
			array(
				'ID'           => $user->ID,
				'display_name' => $display,
				'user_email'   => $email,
				'role'         => $role,
			)
		);
	}
	return (int) $user->ID;
}

$fb_users = array(
	'admin'      => fb_user( getenv( 'FASTBEAT_ADMIN_USER' ), getenv( 'FASTBEAT_ADMIN_PASSWORD' ), 'admin@example.test', 'administrator', 'admin' ),
	// A display name that exercises JSON escaping in lock responses (unicode, quote, slash).
	'editor'     => fb_user( getenv( 'FASTBEAT_EDITOR_USER' ), getenv( 'FASTBEAT_EDITOR_PASSWORD' ), 'editor@example.test', 'editor', "\u{00c9}d\u{00ef}tor \u{2713} \"q\" /s" ),
	'author'     => fb_user( getenv( 'FASTBEAT_AUTHOR_USER' ), getenv( 'FASTBEAT_AUTHOR_PASSWORD' ), 'author@example.test', 'author', 'Author <b>&amp;</b> \'co\'' ),
	'subscriber' => fb_user( getenv( 'FASTBEAT_SUBSCRIBER_USER' ), getenv( 'FASTBEAT_SUBSCRIBER_PASSWORD' ), 'subscriber@example.test', 'subscriber', 'subscriber' ),
);

/**
 * Creates a post with a fixed slug if missing; returns its ID.
 */
function fb_post( $slug, $type, $status, $author, $title, $content = 'Fastbeat test content.' ) {
	global $wpdb;
	$id = $wpdb->get_var( $wpdb->prepare( "SELECT ID FROM {$wpdb->posts} WHERE post_name = %s AND post_type = %s ORDER BY ID LIMIT 1", $slug, $type ) );
	if ( $id ) {
		return (int) $id;
	}
	$id = wp_insert_post(
		array(
			'post_name'    => $slug,
			'post_type'    => $type,
			'post_status'  => $status,
			'post_author'  => $author,
			'post_title'   => $title,
			'post_content' => $content,
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		fb_fail( "wp_insert_post($slug): " . $id->get_error_message() );
	}
	// Drafts do not keep post_name through wp_insert_post(); pin it.
	$wpdb->update( $wpdb->posts, array( 'post_name' => $slug ), array( 'ID' => $id ) );
	clean_post_cache( $id );
	return (int) $id;
}

$fb_admin      = $fb_users['admin'];
$fb_changeset  = 'a5f1b0c2-3d4e-4f60-8a9b-0c1d2e3f4a5b';
$fb_posts      = array(
	'lock-free'         => fb_post( 'fb-lock-free', 'post', 'publish', $fb_admin, 'Lock free' ),
	'lock-own'          => fb_post( 'fb-lock-own', 'post', 'publish', $fb_admin, 'Lock own' ),
	'lock-conflict'     => fb_post( 'fb-lock-conflict', 'post', 'publish', $fb_admin, 'Lock conflict' ),
	'locked-a'          => fb_post( 'fb-locked-a', 'post', 'publish', $fb_admin, 'Locked A' ),
	'locked-b'          => fb_post( 'fb-locked-b', 'post', 'publish', $fb_admin, 'Locked B' ),
	'autosave-draft'    => fb_post( 'fb-autosave-draft', 'post', 'draft', $fb_admin, 'Autosave draft', 'Original draft content.' ),
	'autosave-publish'  => fb_post( 'fb-autosave-publish', 'post', 'publish', $fb_admin, 'Autosave published', 'Original published content.' ),
	'editor-draft'      => fb_post( 'fb-editor-draft', 'post', 'draft', $fb_users['editor'], 'Editor draft', 'Editor draft content.' ),
	'private'           => fb_post( 'fb-private', 'post', 'private', $fb_admin, 'Private post' ),
	'page'              => fb_post( 'fb-page', 'page', 'publish', $fb_admin, 'A page' ),
	'changeset'         => fb_post( $fb_changeset, 'customize_changeset', 'draft', $fb_admin, '', '{}' ),
);

// The Fastbeat plugin: wp-content/plugins/fastbeat -> <repo>/wp-plugin (symlink made by up.sh).
$fb_plugin = 'fastbeat/fastbeat.php';
$fb_note   = '';
$fb_active = (array) get_option( 'active_plugins', array() );
if ( file_exists( WP_PLUGIN_DIR . '/' . $fb_plugin ) ) {
	if ( get_option( 'fastbeat_testbed_pending_activation' ) ) {
		// It was listed before its file existed: activate it properly now.
		update_option( 'active_plugins', array_values( array_diff( $fb_active, array( $fb_plugin ) ) ) );
		delete_option( 'fastbeat_testbed_pending_activation' );
	}
	if ( ! is_plugin_active( $fb_plugin ) ) {
		// Network-wide on a network, as its owner would.
		$result = activate_plugin( $fb_plugin, '', is_multisite() );
		if ( is_wp_error( $result ) ) {
			fb_fail( "activate_plugin($fb_plugin): " . $result->get_error_message() );
		}
		$fb_note = 'activated';
	} else {
		$fb_note = 'active';
	}
} else {
	if ( ! in_array( $fb_plugin, $fb_active, true ) ) {
		$fb_active[] = $fb_plugin;
		update_option( 'active_plugins', $fb_active );
		update_option( 'fastbeat_testbed_pending_activation', 1 );
	}
	$fb_note = 'listed in active_plugins, but ' . WP_PLUGIN_DIR . "/$fb_plugin does not exist yet";
}

echo wp_json_encode(
	array(
		'wp_version'     => $GLOBALS['wp_version'],
		'siteurl'        => get_option( 'siteurl' ),
		'cookiehash'     => COOKIEHASH,
		'users'          => $fb_users,
		'posts'          => $fb_posts,
		'changeset_uuid' => $fb_changeset,
		'plugin'         => $fb_note,
		'stylesheet'     => get_stylesheet(),
		'path'           => $fb_path,
		'blog_id'        => get_current_blog_id(),
		'prefix'         => $GLOBALS['wpdb']->prefix,
		'uploads'        => wp_upload_dir( null, false )['basedir'],
	),
	JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES
), "\n";
