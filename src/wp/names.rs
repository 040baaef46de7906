//! Names the handlers look up on every beat, hashed once per process.

use crate::zend::key::Key;

macro_rules! keys {
    ($($id:ident = $name:literal;)*) => {
        $(
            #[doc = concat!("`", $name, "`")]
            pub static $id: Key = Key::new($name);
        )*
    };
}

keys! {
    // Globals.
    WP_FILTER = "wp_filter";
    WP_FILTERS = "wp_filters";
    WP_ACTIONS = "wp_actions";
    WP_CURRENT_FILTER = "wp_current_filter";
    // Hooks.
    ALL = "all";
    WP_REFRESH_NONCES = "wp_refresh_nonces";
    HEARTBEAT_RECEIVED = "heartbeat_received";
    HEARTBEAT_SEND = "heartbeat_send";
    HEARTBEAT_TICK = "heartbeat_tick";
    HEARTBEAT_NOPRIV_RECEIVED = "heartbeat_nopriv_received";
    HEARTBEAT_NOPRIV_SEND = "heartbeat_nopriv_send";
    HEARTBEAT_NOPRIV_TICK = "heartbeat_nopriv_tick";
    NONCE_USER_LOGGED_OUT = "nonce_user_logged_out";
    NONCE_LIFE = "nonce_life";
    SALT = "salt";
    WP_VERIFY_NONCE_FAILED = "wp_verify_nonce_failed";
    SANITIZE_KEY = "sanitize_key";
    WP_DOING_AJAX = "wp_doing_ajax";
    WP_DIE_AJAX_HANDLER = "wp_die_ajax_handler";
    GETTEXT = "gettext";
    GETTEXT_DEFAULT = "gettext_default";
    NOCACHE_HEADERS = "nocache_headers";
    PRE_OPTION_BLOG_CHARSET = "pre_option_blog_charset";
    PRE_OPTION = "pre_option";
    ALLOPTIONS = "alloptions";
    OPTION_BLOG_CHARSET = "option_blog_charset";
    // Response keys.
    WP_AUTH_CHECK = "wp-auth-check";
    SERVER_TIME = "server_time";
    NONCES_EXPIRED = "nonces_expired";
    REST_NONCE = "rest_nonce";
    HEARTBEAT_NONCE = "heartbeat_nonce";
    SUCCESS = "success";
    RESPONSE = "response";
    EMPTY = "";
    // Globals read on every beat.
    CURRENT_USER = "current_user";
    LOGIN_GRACE_PERIOD = "login_grace_period";
    WP_QUERY = "wp_query";
    WP_VERSION = "wp_version";
    // WP_Hook entries.
    FUNCTION = "function";
    ACCEPTED_ARGS = "accepted_args";
}
