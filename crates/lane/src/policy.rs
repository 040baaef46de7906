//! The lane's rules, in one place: for each beat shape, the hooks its native answer's path
//! reaches and the callback tables the answer reproduces there, the pluggable functions it
//! models, and the judgement of a full-path beat's evidence against them.
//!
//! The hooks of a shape are those core's code fires, in a full-path beat of that shape on
//! a site without plugins, inside the steps whose results the native answer stands in for:
//! admin-ajax.php's header calls, `send_origin_headers()`, the `admin_init` header
//! callbacks, the current user's authentication, the handler and `wp_die()`, and the
//! `shutdown` action (its output ends up in the response). Two subtrees are left out,
//! because nothing in a heartbeat response depends on them: the capability checks
//! `kses_init()` makes on `set_current_user` (they only choose which kses filters are
//! registered) and the `gettext` lookups `wp_salt()` makes (its result is learned as it
//! is). The set was read from core's code (6.1.9, 6.8, 7.1); nothing re-derives it
//! automatically for a new release (the release models in `known.rs` keep a core with
//! changed code off the lane meanwhile).
//!
//! What happens before the handler (plugins loading, `init`, `admin_init`, ...) is judged
//! by its effects, which the evidence records as they stood when core's handler ran: the
//! tables of these hooks, headers, output, status and output buffers so far, PHP shutdown
//! functions, request variables rewritten, the current user switched.

use crate::answer::{self, HeaderModel};
use crate::evidence::{Dirs, Entry, Evidence, HookTable};
use crate::fingerprint;
use crate::reason::{Owner, Reason};
use crate::shape::Shape;

/// Who a reproduced callback belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Core,
    Fastbeat,
    /// A PHP built-in function (core registers a few, e.g. `strtolower` on a network's
    /// `sanitize_user`): what it does does not depend on who added it.
    Builtin,
}

/// A callback the native answer reproduces, as `WP_Hook` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cb {
    pub priority: i64,
    /// The array key; for a function, its name.
    pub id: &'static str,
    pub callback: &'static str,
    pub accepted_args: i64,
    pub who: Who,
}

const fn core(priority: i64, callback: &'static str, accepted_args: i64) -> Cb {
    Cb {
        priority,
        id: callback,
        callback,
        accepted_args,
        who: Who::Core,
    }
}

const fn builtin(priority: i64, callback: &'static str, accepted_args: i64) -> Cb {
    Cb {
        priority,
        id: callback,
        callback,
        accepted_args,
        who: Who::Builtin,
    }
}

/// A hook on a shape's path and the tables reproduced there (alternatives: any one will
/// do; `&[]` is "no callbacks").
#[derive(Debug, Clone, Copy)]
pub struct PathHook {
    pub hook: &'static str,
    pub tables: &'static [&'static [Cb]],
}

const NONE: &[&[Cb]] = &[&[]];

const fn idle(hook: &'static str) -> PathHook {
    PathHook { hook, tables: NONE }
}

/// The option name a site keeps its roles under (`{prefix}user_roles`) stands for
/// this in hook names.
pub const ROLES: &str = "{roles}";

/// Every shape: admin-ajax.php's headers, `send_origin_headers()`, the `admin_init`
/// header callbacks, `wp_die()`, and what runs after the response.
const COMMON: &[PathHook] = &[
    idle("all"),
    PathHook {
        hook: "shutdown",
        // 7.1 runs the cron check there (before: on wp_loaded); neither changes a response.
        tables: &[
            &[core(1, "wp_ob_end_flush_all", 1)],
            &[core(1, "wp_ob_end_flush_all", 1), core(10, "_wp_cron", 1)],
        ],
    },
    idle("http_origin"),
    idle("allowed_http_origin"),
    idle("allowed_http_origins"),
    idle("admin_url"),
    idle("home_url"),
    idle("site_url"),
    idle("set_url_scheme"),
    idle("pre_option"),
    idle("pre_wp_load_alloptions"),
    idle("wp_autoload_values_to_autoload"),
    idle("alloptions"),
    idle("pre_option_home"),
    PathHook {
        hook: "option_home",
        tables: &[&[core(10, "_config_wp_home", 1)]],
    },
    idle("default_option_home"),
    idle("pre_option_siteurl"),
    PathHook {
        hook: "option_siteurl",
        tables: &[&[core(10, "_config_wp_siteurl", 1)]],
    },
    idle("default_option_siteurl"),
    idle("pre_option_blog_charset"),
    PathHook {
        hook: "option_blog_charset",
        tables: &[&[
            core(10, "_wp_specialchars", 1),
            core(10, "_canonical_charset", 1),
        ]],
    },
    idle("default_option_blog_charset"),
    idle("nocache_headers"),
    idle("admin_referrer_policy"),
    idle("sanitize_key"),
    idle("gettext"),
    idle("gettext_default"),
    idle("wp_doing_ajax"),
    idle("wp_die_ajax_handler"),
];

/// `set_current_user`: kses set-up only (6.8 adds footnotes', 7.1 custom CSS's).
const SET_CURRENT_USER: &[&[Cb]] = &[
    &[core(10, "kses_init", 1)],
    &[
        core(10, "kses_init", 1),
        core(10, "_wp_footnotes_kses_init", 1),
    ],
    &[
        core(10, "kses_init", 1),
        core(10, "_wp_footnotes_kses_init", 1),
        core(10, "wp_custom_css_kses_init", 1),
    ],
];

/// Logged out: the anonymous authentication and the logged-out handler.
const NOPRIV: &[PathHook] = &[
    PathHook {
        hook: "wp_ajax_nopriv_heartbeat",
        tables: &[&[
            Cb {
                priority: i64::MIN,
                id: "fastbeat_plugin_swap_nopriv_heartbeat",
                callback: "fastbeat_plugin_swap_nopriv_heartbeat",
                accepted_args: 0,
                who: Who::Fastbeat,
            },
            Cb {
                priority: 1,
                id: "wp_ajax_nopriv_heartbeat",
                callback: "fastbeat_nopriv_heartbeat",
                accepted_args: 1,
                who: Who::Fastbeat,
            },
        ]],
    },
    PathHook {
        hook: "determine_current_user",
        tables: &[&[
            core(10, "wp_validate_auth_cookie", 1),
            core(20, "wp_validate_logged_in_cookie", 1),
            core(20, "wp_validate_application_password", 1),
        ]],
    },
    PathHook {
        hook: "auth_cookie_malformed",
        tables: &[&[core(10, "rest_cookie_collect_status", 1)]],
    },
    idle("wp_is_application_passwords_available"),
    PathHook {
        hook: "set_current_user",
        tables: SET_CURRENT_USER,
    },
    PathHook {
        hook: "heartbeat_nopriv_send",
        tables: &[&[core(10, "wp_auth_check", 1)]],
    },
    idle("heartbeat_nopriv_tick"),
];

/// Logged out with data: also `heartbeat_nopriv_received`.
const NOPRIV_DATA: &[PathHook] = &[idle("heartbeat_nopriv_received")];

/// Logged in: the auth cookie, the session, the user, the nonce and the handler.
const LOGGED_IN: &[PathHook] = &[
    PathHook {
        hook: "wp_ajax_heartbeat",
        tables: &[&[
            Cb {
                priority: i64::MIN,
                id: "fastbeat_plugin_swap_heartbeat",
                callback: "fastbeat_plugin_swap_heartbeat",
                accepted_args: 0,
                who: Who::Fastbeat,
            },
            Cb {
                priority: 1,
                id: "wp_ajax_heartbeat",
                callback: "fastbeat_heartbeat",
                accepted_args: 1,
                who: Who::Fastbeat,
            },
        ]],
    },
    PathHook {
        hook: "determine_current_user",
        tables: &[&[
            core(10, "wp_validate_auth_cookie", 1),
            core(20, "wp_validate_logged_in_cookie", 1),
            core(20, "wp_validate_application_password", 1),
        ]],
    },
    PathHook {
        hook: "auth_cookie_valid",
        tables: &[&[core(10, "rest_cookie_collect_status", 1)]],
    },
    idle("salt"),
    idle("sanitize_user"),
    idle("session_token_manager"),
    idle("get_user_metadata"),
    idle("default_user_metadata"),
    idle("update_user_metadata_cache"),
    PathHook {
        hook: "query",
        // wpdb adds this while a query it prepared carries placeholder escapes.
        tables: &[&[], &[core(0, "wpdb->remove_placeholder_escape", 1)]],
    },
    PathHook {
        hook: "set_current_user",
        tables: SET_CURRENT_USER,
    },
    idle("nonce_life"),
    PathHook {
        hook: "heartbeat_send",
        tables: &[&[core(10, "wp_auth_check", 1)]],
    },
    idle("heartbeat_tick"),
];

/// The block editor's post lock: `heartbeat_received`, capabilities and post meta.
const POST_LOCK: &[PathHook] = &[
    PathHook {
        hook: "heartbeat_received",
        tables: &[&[
            core(10, "wp_check_locked_posts", 3),
            core(10, "wp_refresh_post_lock", 3),
            core(500, "heartbeat_autosave", 2),
        ]],
    },
    idle("map_meta_cap"),
    PathHook {
        hook: "user_has_cap",
        // They only grant install_languages, resume_* and view_site_health_checks.
        tables: &[&[
            core(1, "wp_maybe_grant_install_languages_cap", 1),
            core(1, "wp_maybe_grant_resume_extensions_caps", 1),
            core(1, "wp_maybe_grant_site_health_caps", 4),
        ]],
    },
    idle("wp_roles_init"),
    idle("role_has_cap"),
    idle("pre_option_{roles}"),
    idle("option_{roles}"),
    idle("default_option_{roles}"),
    idle("pre_option_wp_page_for_privacy_policy"),
    idle("option_wp_page_for_privacy_policy"),
    idle("default_option_wp_page_for_privacy_policy"),
    idle("get_object_subtype_post"),
    idle("get_post_metadata"),
    idle("default_post_metadata"),
    idle("update_post_metadata_cache"),
    idle("wp_check_post_lock_window"),
    idle("sanitize_post_meta__edit_lock"),
    idle("sanitize_post_meta__edit_lock_for_post"),
    idle("update_post_metadata"),
    idle("update_post_meta"),
    idle("update_postmeta"),
    PathHook {
        hook: "updated_post_meta",
        tables: &[&[core(10, "wp_cache_set_posts_last_changed", 1)]],
    },
    idle("updated_postmeta"),
    idle("add_post_metadata"),
    idle("add_post_meta"),
    PathHook {
        hook: "added_post_meta",
        tables: &[&[core(10, "wp_cache_set_posts_last_changed", 1)]],
    },
    // 6.8+: wp_cache_set_posts_last_changed() goes through wp_cache_set_last_changed().
    idle("wp_cache_set_last_changed"),
    idle("pre_get_col_charset"),
    idle("pre_get_table_charset"),
];

/// On a multisite network, every shape: `ms-default-filters.php` removes core's
/// `_config_wp_home` and `_config_wp_siteurl` (a network's sites have their own URLs,
/// whatever `WP_HOME` and `WP_SITEURL` say).
const NETWORK_COMMON: &[PathHook] = &[idle("option_home"), idle("option_siteurl")];

/// On a multisite network, logged-in answers: `get_site()` (whose status fields the
/// answer reads as `ms_site_check()` does), and the login `WP_User::get_data_by()` looks
/// up lower-cased (`ms-default-filters.php` adds `strtolower` on `sanitize_user`; the
/// native answer's user read does the same, `native::queries`).
const NETWORK_LOGGED_IN: &[PathHook] = &[
    idle("get_site"),
    PathHook {
        hook: "sanitize_user",
        tables: &[&[builtin(10, "strtolower", 1)]],
    },
];

/// On a multisite network, post locks: `is_super_admin()`'s network option.
const NETWORK_POST_LOCK: &[PathHook] = &[
    idle("pre_site_option_site_admins"),
    idle("site_option_site_admins"),
    idle("default_site_option_site_admins"),
];

/// The hooks on a shape's path, `{roles}` replaced by the site's roles option name.
pub fn path(
    shape: Shape,
    roles_option: &str,
    multisite: bool,
) -> Vec<(String, &'static [&'static [Cb]])> {
    let parts: &[&[PathHook]] = match shape {
        Shape::NoPriv => &[COMMON, NOPRIV],
        Shape::NoPrivData => &[COMMON, NOPRIV, NOPRIV_DATA],
        Shape::NoData => &[COMMON, LOGGED_IN],
        Shape::PostLock => &[COMMON, LOGGED_IN, POST_LOCK],
    };
    let network: &[&[PathHook]] = match (multisite, shape) {
        (true, Shape::NoData) => &[NETWORK_COMMON, NETWORK_LOGGED_IN],
        (true, Shape::PostLock) => &[NETWORK_COMMON, NETWORK_LOGGED_IN, NETWORK_POST_LOCK],
        (true, _) => &[NETWORK_COMMON],
        (false, _) => &[],
    };
    let mut out: Vec<(String, &'static [&'static [Cb]])> = Vec::new();
    for p in parts.iter().chain(network).flat_map(|p| p.iter()) {
        let name = p.hook.replace(ROLES, roles_option);
        // A later list refines an earlier one (same hook, the shape's own tables).
        out.retain(|(h, _)| *h != name);
        out.push((name, p.tables));
    }
    out
}

/// Server variables the answers read (as `$_SERVER` holds them after `wp_magic_quotes()`):
/// `is_ssl()`, `get_http_origin()`, the grace period's method test, and the credentials
/// application passwords would use. Evidence records any of them rewritten before the
/// handler (by `wp-config.php` or a plugin); only [`SCHEME_VARS`] may be.
pub const SERVER_READ: [&str; 7] = [
    "HTTPS",
    "SERVER_PORT",
    "HTTP_ORIGIN",
    "REQUEST_METHOD",
    "PHP_AUTH_USER",
    "HTTP_AUTHORIZATION",
    "REDIRECT_HTTP_AUTHORIZATION",
];

/// What `is_ssl()` reads. `wp-config.php` sets them behind TLS-terminating proxies; a native
/// answer uses the `is_ssl()` a full-path beat with the same request key
/// ([`crate::request`]) saw, so evidence records their values rather than refusing.
pub const SCHEME_VARS: [&str; 2] = ["HTTPS", "SERVER_PORT"];

/// Server variables a site is chosen by (`wp-config.php` may pick its database and salts
/// by them; Debian's picks its config by `WORDPRESS_CONFIG`, else by host): what a
/// worker's sites and learned facts are keyed on.
pub const SITE_VARS: [&str; 5] = [
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTPS",
    "WORDPRESS_CONFIG",
];

/// Headers by which a proxy tells the site about the original request: `wp-config.php`
/// often sets `$_SERVER['HTTPS']` from them, which the raw request cannot show.
pub const FORWARDED: [&str; 13] = [
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_SCHEME",
    "HTTP_X_URL_SCHEME",
    "HTTP_FORWARDED",
    "HTTP_FRONT_END_HTTPS",
    "HTTP_CF_VISITOR",
    "HTTP_CLOUDFRONT_FORWARDED_PROTO",
    "HTTP_X_ARR_SSL",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SERVER",
];

/// HTTP credentials (application passwords log a request in through them).
pub const CREDENTIALS: [&str; 3] = [
    "PHP_AUTH_USER",
    "HTTP_AUTHORIZATION",
    "REDIRECT_HTTP_AUTHORIZATION",
];

/// PHP shutdown functions core (and Fastbeat) register; a native answer runs none of
/// them, and none of them changes a response.
pub const SHUTDOWN_FUNCTIONS: [&str; 4] = [
    "shutdown_action_hook",
    "WP_Fatal_Error_Handler->handle",
    "wpdb->__destruct",
    "fastbeat_plugin_lane_after_beat",
];

/// Output buffer handlers a site's PHP settings start (the native answer runs under the
/// same settings).
pub const INI_BUFFERS: [&str; 2] = ["default output handler", "zlib output compression"];

/// A function a model stands in for: a plain function, a method, or (a name with a `/`)
/// a core script's top-level code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    pub class: Option<&'static str>,
    pub name: &'static str,
    /// Pluggable: a plugin may declare it first (pluggable.php).
    pub pluggable: bool,
}

const fn f(name: &'static str) -> Function {
    Function {
        class: None,
        name,
        pluggable: false,
    }
}
const fn p(name: &'static str) -> Function {
    Function {
        class: None,
        name,
        pluggable: true,
    }
}
const fn m(class: &'static str, name: &'static str) -> Function {
    Function {
        class: Some(class),
        name,
        pluggable: false,
    }
}

impl Function {
    /// `name` or `Class::name`: how evidence names it.
    pub fn label(&self) -> String {
        match self.class {
            Some(c) => format!("{c}::{}", self.name),
            None => self.name.to_owned(),
        }
    }
}

/// The script whose top-level code the headers model reproduces.
pub const ADMIN_AJAX: &str = "wp-admin/admin-ajax.php";

/// A model: the core functions a native answer stands in for.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    pub name: &'static str,
    pub functions: &'static [Function],
}

/// admin-ajax.php's response headers, `wp_send_json()` and `wp_die()` in Ajax context.
pub const HEADERS: Model = Model {
    name: "headers",
    functions: &[
        f(ADMIN_AJAX),
        f("send_origin_headers"),
        f("get_http_origin"),
        f("is_allowed_http_origin"),
        f("get_allowed_http_origins"),
        f("send_nosniff_header"),
        f("nocache_headers"),
        f("wp_get_nocache_headers"),
        f("wp_admin_headers"),
        f("send_frame_options_header"),
        f("wp_send_json"),
        f("wp_json_encode"),
        f("wp_die"),
        f("_ajax_wp_die_handler"),
    ],
};

/// The two handlers and `wp_auth_check()`.
pub const HANDLERS: Model = Model {
    name: "handlers",
    functions: &[
        f("wp_ajax_heartbeat"),
        f("wp_ajax_nopriv_heartbeat"),
        f("wp_auth_check"),
        f("sanitize_key"),
        f("wp_unslash"),
    ],
};

/// Cookie authentication, the session and the nonce.
pub const AUTH: Model = Model {
    name: "auth",
    functions: &[
        p("wp_validate_auth_cookie"),
        p("wp_parse_auth_cookie"),
        p("wp_hash"),
        p("wp_salt"),
        p("wp_verify_nonce"),
        p("wp_nonce_tick"),
        p("get_user_by"),
        p("wp_get_current_user"),
        f("_wp_get_current_user"),
        f("wp_get_session_token"),
        m("WP_User", "get_data_by"),
        m("WP_Session_Tokens", "get_instance"),
        m("WP_Session_Tokens", "hash_token"),
        m("WP_Session_Tokens", "verify"),
        m("WP_Session_Tokens", "is_still_valid"),
        m("WP_User_Meta_Session_Tokens", "get_sessions"),
        m("WP_User_Meta_Session_Tokens", "prepare_session"),
        m("WP_User_Meta_Session_Tokens", "get_session"),
    ],
};

/// The block editor's post lock.
pub const POST_LOCK_MODEL: Model = Model {
    name: "post lock",
    functions: &[
        f("wp_refresh_post_lock"),
        f("wp_check_locked_posts"),
        f("heartbeat_autosave"),
        f("wp_check_post_lock"),
        f("wp_set_post_lock"),
        f("current_user_can"),
        f("user_can"),
        f("map_meta_cap"),
        f("update_post_meta"),
        f("update_metadata"),
        f("get_post_meta"),
        f("wp_cache_set_posts_last_changed"),
        m("WP_User", "has_cap"),
        m("WP_User", "get_role_caps"),
    ],
};

/// The models a shape's answer depends on.
pub fn models(shape: Shape) -> &'static [Model] {
    match shape {
        Shape::NoPriv | Shape::NoPrivData => &[HEADERS, HANDLERS],
        Shape::NoData => &[HEADERS, HANDLERS, AUTH],
        Shape::PostLock => &[HEADERS, HANDLERS, AUTH, POST_LOCK_MODEL],
    }
}

/// Every function any model of any shape depends on: what the extension fingerprints on
/// every recorded beat (their files are watched, and the watch list must not depend on
/// which shape recorded it).
pub fn all_modelled_functions() -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    for s in Shape::ALL {
        for f in modelled_functions(s) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// Every function the shape's models depend on.
pub fn modelled_functions(shape: Shape) -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    for model in models(shape) {
        for f in model.functions {
            if !out.contains(f) {
                out.push(*f);
            }
        }
    }
    out
}

/// Hooks whose plugin callbacks a declaration may vouch for: a callback declared (through
/// the `fastbeat_heartbeat_keys` filter) to react only to `data` keys a shape's beats do
/// not carry, and seen by that shape's full-path beats to return the response untouched
/// with no query, output or header, does not keep the shape off the lane. Callbacks on
/// `heartbeat_send` and `heartbeat_tick` run for every beat: no declaration can vouch for
/// them.
pub const DECLARABLE_HOOKS: [&str; 1] = ["heartbeat_received"];

/// The hook whose plugin callbacks may be vouched for on `shape`'s path, and the `data`
/// keys its beats carry.
pub fn declarable(shape: Shape) -> Option<&'static str> {
    match shape {
        Shape::PostLock => Some(DECLARABLE_HOOKS[0]),
        _ => None,
    }
}

/// A plugin's declaration: the callback (as evidence names it) on `hook` reacts only to
/// these `data` keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Declared {
    pub hook: String,
    pub callback: String,
    pub keys: Vec<String>,
}

/// Site facts the judgement needs besides the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Site {
    pub dirs: Dirs,
    pub multisite: bool,
    /// `wp_using_ext_object_cache()`.
    pub ext_object_cache: bool,
    /// `get_class( $wpdb )`.
    pub wpdb_class: String,
    /// Core's `post` type maps `edit_post` as core registers it, and the roles come from
    /// the database (no `$wp_user_roles`).
    pub post_caps_core: bool,
    /// `{prefix}user_roles`.
    pub roles_option: String,
    /// `get_option( 'blog_charset' )`.
    pub charset: String,
    /// `get_allowed_http_origins()`.
    pub origins: Vec<String>,
    /// The request's `Origin`, as sent, of the beat the evidence is from.
    pub origin: Option<String>,
    /// Plugins' declarations of the `data` keys their heartbeat callbacks react to.
    pub declared: Vec<Declared>,
}

/// What the judgement chose: how the installed core sends its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub headers: HeaderModel,
}

/// Whether a full-path beat's evidence lets the lane answer beats of its shape.
pub fn judge(ev: &Evidence, site: &Site) -> Result<Verdict, Reason> {
    let shape = ev.shape().ok_or(Reason::DataNotModelled)?;
    if shape.logged_in() {
        // With a persistent object cache, logged-in beats are answered part-way through
        // the boot (crate::midboot), on single sites only.
        if site.ext_object_cache && site.multisite {
            return Err(Reason::ObjectCache);
        }
        if site.wpdb_class != "wpdb" {
            return Err(Reason::DatabaseDropIn);
        }
    }
    if shape == Shape::PostLock && !site.post_caps_core {
        return Err(Reason::PostTypeChanged);
    }
    let verdict = Verdict {
        headers: crate::known::headers_model(ev, &site.dirs, shape)?,
    };
    judge_state(ev, site, &verdict)?;
    for (hook, tables) in path(shape, &site.roles_option, site.multisite) {
        let Some(t) = ev.hooks.iter().find(|t| t.hook == hook) else {
            // The extension captures every hook on the path; one missing is not judged.
            return Err(Reason::NotAHook(hook));
        };
        if declarable(shape) == Some(hook.as_str()) {
            judge_hook(&vouched_for(t, ev, site, shape)?, tables, &site.dirs)?;
        } else {
            judge_hook(t, tables, &site.dirs)?;
        }
    }
    Ok(verdict)
}

/// Headers, output, buffers, shutdown functions, the request and the user.
fn judge_state(ev: &Evidence, site: &Site, v: &Verdict) -> Result<(), Reason> {
    if ev.headers_sent || ev.output != 0 {
        return Err(Reason::OutputBeforeHandler);
    }
    if ev.status != 0 && ev.status != 200 {
        return Err(Reason::StatusBeforeHandler(ev.status));
    }
    let mut ini = ev.ini_buffers.iter();
    for b in &ev.buffers {
        if ini.next() != Some(b) || !INI_BUFFERS.contains(&b.as_str()) {
            return Err(Reason::OutputHandler(b.clone()));
        }
    }
    if ini.next().is_some() {
        return Err(Reason::OutputHandler("(an ini buffer was closed)".into()));
    }
    if let Some(f) = ev
        .shutdown
        .iter()
        .find(|f| !SHUTDOWN_FUNCTIONS.contains(&f.as_str()))
    {
        return Err(Reason::ShutdownFunction(f.clone()));
    }
    let scheme = |v: &str| {
        SCHEME_VARS
            .iter()
            .any(|s| v.starts_with(&format!("$_SERVER[{s}]=")))
    };
    if let Some(v) = ev.rewritten.iter().find(|v| !scheme(v)) {
        return Err(Reason::RequestRewritten(v.clone()));
    }
    // The headers so far must be exactly those core's own steps send for this request.
    let s = answer::Site {
        charset: &site.charset,
        origins: &site.origins,
        headers: v.headers,
    };
    let powered: Vec<String> = ev
        .headers
        .iter()
        .filter(|h| h.to_ascii_lowercase().starts_with("x-powered-by:"))
        .cloned()
        .collect();
    let want = answer::headers_list(
        &powered,
        &answer::before_handler(&s, site.origin.as_deref()),
    );
    if ev.headers != want {
        let extra = ev
            .headers
            .iter()
            .find(|h| !want.contains(h))
            .or_else(|| want.iter().find(|h| !ev.headers.contains(h)))
            .map_or("(order)", |h| h.split(':').next().unwrap_or(h));
        return Err(Reason::HeaderBeforeHandler(extra.to_owned()));
    }
    match (ev.shape().map(Shape::logged_in), &ev.user) {
        (Some(true), Some(u)) => {
            if u.class != "WP_User" || u.set_count != 1 || u.id <= 0 || u.login != u.cookie_login {
                return Err(Reason::UserSwitched);
            }
        }
        (Some(false), Some(u)) => {
            if u.id != 0 || u.set_count != 1 {
                return Err(Reason::UserSwitched);
            }
        }
        _ => return Err(Reason::UserSwitched),
    }
    Ok(())
}

/// The table without the plugin callbacks a declaration vouches for on this shape (see
/// [`DECLARABLE_HOOKS`]); a declared callback the evidence does not confirm is the
/// reason the shape stays off the lane.
fn vouched_for(
    t: &HookTable,
    ev: &Evidence,
    site: &Site,
    shape: Shape,
) -> Result<HookTable, Reason> {
    let carried = shape.data_keys();
    let mut kept = Vec::with_capacity(t.entries.len());
    for e in &t.entries {
        let owner = site.dirs.owner(e.file.as_deref());
        let declaration = site
            .declared
            .iter()
            .find(|d| d.hook == t.hook && d.callback == e.callback);
        let Some(d) = declaration.filter(|_| !matches!(owner, Owner::Core | Owner::Fastbeat))
        else {
            kept.push(e.clone());
            continue;
        };
        let unconfirmed = |check: &str| Reason::Unconfirmed {
            hook: t.hook.clone(),
            callback: e.callback.clone(),
            owner: owner.clone(),
            check: check.to_owned(),
        };
        if d.keys.is_empty() || d.keys.iter().any(|k| carried.contains(&k.as_str())) {
            return Err(unconfirmed("declared for data keys these beats carry"));
        }
        // Every run of it in this beat (a callback added twice runs twice).
        let runs: Vec<_> = ev
            .observed
            .iter()
            .filter(|o| o.hook == t.hook && o.callback == e.callback)
            .collect();
        let check = match runs.iter().find(|o| !o.inert()) {
            _ if runs.is_empty() => Some("not run (it was not watched)"),
            Some(o) if !o.unchanged => Some("change the response"),
            Some(o) if o.queries != 0 => Some("run a database query"),
            Some(o) if o.output != 0 => Some("print output"),
            Some(_) => Some("send a header"),
            None => None,
        };
        if let Some(check) = check {
            return Err(unconfirmed(check));
        }
    }
    Ok(HookTable {
        hook: t.hook.clone(),
        plain: t.plain,
        entries: kept,
    })
}

/// One hook's table against the tables the answer reproduces.
fn judge_hook(t: &HookTable, tables: &[&[Cb]], dirs: &Dirs) -> Result<(), Reason> {
    if !t.plain {
        return Err(Reason::NotAHook(t.hook.clone()));
    }
    let same = |e: &Entry, c: &Cb| {
        e.priority == c.priority
            && e.accepted_args == c.accepted_args
            && e.callback.eq_ignore_ascii_case(c.callback)
            && (!is_plain_name(&e.callback) || e.id.eq_ignore_ascii_case(c.id))
            && match c.who {
                Who::Core => dirs.owner(e.file.as_deref()) == Owner::Core,
                Who::Fastbeat => dirs.owner(e.file.as_deref()) == Owner::Fastbeat,
                Who::Builtin => dirs.owner(e.file.as_deref()) == Owner::Internal,
            }
    };
    let matches = |table: &[Cb]| {
        table.len() == t.entries.len() && t.entries.iter().zip(table).all(|(e, c)| same(e, c))
    };
    if tables.iter().any(|table| matches(table)) {
        return Ok(());
    }
    // Name what is in the way: a callback core does not register there, or one of core's
    // that is missing, moved or replaced.
    for e in &t.entries {
        let known = tables.iter().any(|table| table.iter().any(|c| same(e, c)));
        if !known {
            let owner = dirs.owner(e.file.as_deref());
            if owner != Owner::Core {
                return Err(Reason::Callback {
                    hook: t.hook.clone(),
                    callback: e.callback.clone(),
                    owner,
                });
            }
        }
    }
    let callback = tables
        .iter()
        .flat_map(|table| table.iter())
        .find(|c| !t.entries.iter().any(|e| same(e, c)))
        .map(|c| c.callback.to_owned())
        .or_else(|| t.entries.first().map(|e| e.callback.clone()))
        .unwrap_or_default();
    Err(Reason::CoreCallbackChanged {
        hook: t.hook.clone(),
        callback,
    })
}

/// A callback given by function name (its id is that name).
fn is_plain_name(callback: &str) -> bool {
    !callback.contains("::") && !callback.contains("->") && !callback.starts_with("closure@")
}

/// The fingerprint of a function's source, as the evidence records it.
pub fn fingerprint_of(file_bytes: &[u8], func: &Function) -> Option<String> {
    if func.class.is_none() && func.name.contains('/') {
        return Some(fingerprint::fingerprint(file_bytes));
    }
    fingerprint::function_source(file_bytes, func.class, func.name).map(fingerprint::fingerprint)
}

#[cfg(test)]
mod tests;
