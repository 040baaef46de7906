//! Fuzz targets for the fast lane's FFI-free crate (`fastbeat_lane`): the manifest (site
//! facts, one entry per shape, role and request key, suspensions), the evidence kept in
//! it, the facts the plugin hands over, fingerprints of core's PHP functions, header plans
//! and beat shapes: one module each.
//!
//! The manifest (format [`fastbeat_lane::manifest::FORMAT`], keys `shape[/roles]@request`)
//! and the hand-over are written by PHP and read by the extension before any PHP runs: a
//! hostile or corrupt file must never panic the worker, and what is read must mean what
//! the format says (a round trip through the crate's own writer gives the same value;
//! `allows()` and friends agree with their documented definitions). Fingerprints decide
//! which native model fits the installed core, so comments and layout must not change
//! them, and a function must be found where PHP finds it (oracle: PHP's reflection line
//! range over `token_get_all()`).
//!
//! Each target decodes its input with [`Reader`]: the first byte picks raw bytes (hostile
//! input as it is) or a value built from the rest (near-valid input), so corpus files stay
//! plain bytes and the framework's byte mutations reach both.

mod answer;
mod evidence;
mod facts;
mod fingerprint;
mod manifest;
mod shape;

use crate::gen::Reader;
use crate::targets::{Impl, Target};
use fastbeat_lane::answer::Op;
use fastbeat_lane::evidence::{Dirs, Entry as Callback, Evidence, HookTable, User};
use fastbeat_lane::facts::{Handover, Note};
use fastbeat_lane::manifest::{Entry, Manifest, Recorded, SiteFacts};
use fastbeat_lane::reason::{Owner, Reason};
use fastbeat_lane::shape::{RequestFacts, Shape};
use serde_json::Value;

/// The lane functions under test, swappable for the self-test's mutants.
#[derive(Clone, Copy)]
pub struct Lane {
    pub parse: fn(&[u8]) -> Result<Manifest, Reason>,
    pub site_valid: SiteValidFn,
    pub allows: for<'a, 'b> fn(&'a Manifest, &'b str, i64) -> Result<&'a Entry, Reason>,
    pub any_allowed: for<'a, 'b> fn(&'a Manifest, Shape, &'b str, i64) -> Result<(), Reason>,
    pub record: RecordFn,
    pub record_due: for<'a, 'b> fn(Option<&'a Manifest>, &'b str, i64, bool) -> bool,
    pub from_json: fn(&Value) -> Option<Evidence>,
    pub to_json: fn(&Evidence) -> Value,
    pub differs: fn(&Evidence, &Evidence, &Dirs) -> Option<String>,
    pub owner: fn(&Dirs, Option<&str>) -> Owner,
    pub note: fn(&[u8]) -> Option<Note>,
    pub handover: fn(&[u8]) -> Option<Handover>,
    pub unhex: fn(&str) -> Option<Vec<u8>>,
    pub normalize: fn(&[u8]) -> Vec<u8>,
    pub fingerprint: fn(&[u8]) -> String,
    pub function_source: SourceFn,
    pub headers_list: fn(&[String], &[Op]) -> Vec<String>,
    pub allowed_origin: for<'o, 'b> fn(Option<&'o str>, &'b [String]) -> Option<&'o str>,
    pub classify: fn(&RequestFacts) -> Result<Shape, Reason>,
}

/// A file's mtime by path (`None`: absent).
pub type Mtime<'a> = &'a dyn Fn(&str) -> Option<i64>;

/// `Manifest::site_valid` with the file system as a trait object.
pub type SiteValidFn = for<'a> fn(&Manifest, i64, Mtime<'a>) -> Result<(), Reason>;

/// `manifest::record`'s signature.
pub type RecordFn = for<'a, 'b, 'c> fn(
    Option<Manifest>,
    SiteFacts,
    &'a str,
    Evidence,
    Result<(), &'b Reason>,
    &'c Dirs,
    i64,
) -> Recorded;

/// `fingerprint::function_source`'s signature.
pub type SourceFn = for<'a, 'b, 'c> fn(&'a [u8], Option<&'b str>, &'c str) -> Option<&'a [u8]>;

impl Lane {
    pub fn fastbeat() -> Self {
        use fastbeat_lane::{answer, facts, fingerprint, manifest, shape};
        Lane {
            parse: Manifest::parse,
            site_valid: |m, now, mtime| m.site_valid(now, mtime),
            allows: Manifest::allows,
            any_allowed: Manifest::any_allowed,
            record: manifest::record,
            record_due: manifest::record_due,
            from_json: Evidence::from_json,
            to_json: Evidence::to_json,
            differs: Evidence::differs,
            owner: Dirs::owner,
            note: Note::parse,
            handover: Handover::parse,
            unhex: facts::unhex,
            normalize: fingerprint::normalize,
            fingerprint: fingerprint::fingerprint,
            function_source: fingerprint::function_source,
            headers_list: answer::headers_list,
            allowed_origin: answer::allowed_origin,
            classify: shape::classify,
        }
    }
}

/// The real implementation with one lane function replaced.
pub fn with_lane(f: impl FnOnce(&mut Lane)) -> Impl {
    let mut i = Impl::fastbeat();
    f(&mut i.lane);
    i
}

pub fn all() -> Vec<Target> {
    vec![
        manifest::target(),
        evidence::target(),
        facts::target(),
        fingerprint::target(),
        answer::target(),
        shape::target(),
    ]
}

// ----------------------------------------------------------------------------- generation

/// One of `opts`, chosen by the next byte (an exhausted input picks the first).
pub fn pick<T: Clone>(r: &mut Reader, opts: &[T]) -> T {
    opts[usize::from(r.byte()) % opts.len()].clone()
}

/// Text that is valid in JSON but awkward: escapes, non-ASCII, controls, separators.
pub const ODD: &[&str] = &[
    "",
    "0",
    "a\"b",
    "back\\slash",
    "/s/l/a/s/h",
    "\u{e9}t\u{e9}",
    "\u{1f600}",
    "nul\u{0}byte",
    "\r\n",
    "tab\there",
    "\u{7f}\u{80}",
    "\u{2028}\u{2029}",
    " padded ",
    "{\"json\":[1]}",
    "\\u0041",
    "nodata/administrator",
];

/// A string: mostly from `pool` (an exhausted input gives `pool[0]`), sometimes odd, or
/// the input's own bytes.
pub fn text(r: &mut Reader, pool: &[&str]) -> String {
    match r.byte() {
        0..=203 => pick(r, pool).to_string(),
        204..=239 => pick(r, ODD).to_string(),
        _ => String::from_utf8_lossy(r.field()).into_owned(),
    }
}

/// Up to `max` strings from `pool`.
pub fn list(r: &mut Reader, pool: &[&str], max: u8) -> Vec<String> {
    let n = r.byte() % (max + 1);
    (0..n).map(|_| text(r, pool)).collect()
}

/// A number: small and ordinary, at an edge, or anything.
pub fn int(r: &mut Reader, usual: &[i64]) -> i64 {
    match r.byte() {
        0..=219 => pick(r, usual),
        220..=239 => pick(r, &[i64::MIN, i64::MAX, -1, 0, 1 << 53, (1 << 53) + 1]),
        _ => i64::from_le_bytes(r.u64().to_le_bytes()),
    }
}

/// A Unix time: around a fixed realistic moment (so entries and probes meet), at an edge,
/// or anything.
pub fn time(r: &mut Reader) -> i64 {
    const BASE: i64 = 1_795_380_000;
    match r.byte() {
        0..=199 => BASE + i64::from(r.byte() % 16) * 300,
        200..=229 => pick(
            r,
            &[0, 1, -1, i64::MIN, i64::MAX, i64::MAX - 1, 600, 86_400],
        ),
        _ => i64::from_le_bytes(r.u64().to_le_bytes()),
    }
}

pub const HOOKS: &[&str] = &[
    "heartbeat_send",
    "heartbeat_received",
    "heartbeat_nopriv_send",
    "heartbeat_nopriv_received",
    "wp_refresh_nonces",
    "determine_current_user",
    "option_blog_charset",
    "wp_user_roles_option",
];

pub const CALLBACKS: &[&str] = &[
    "wp_auth_check",
    "wp_refresh_post_lock",
    "wp_check_locked_posts",
    "My_Plugin->beat",
    "My_Plugin::beat",
    "closure@/srv/wp-content/plugins/foo/foo.php:12",
    "wp_validate_auth_cookie",
    "_wp_specialchars",
];

pub const FILES: &[&str] = &[
    "/usr/share/wordpress/wp-includes/functions.php",
    "/srv/wp-content/plugins/foo/foo.php",
    "/srv/wp-content/plugins/hello.php",
    "/srv/wp-content/mu-plugins/x.php",
    "/srv/wp-content/themes/t/functions.php",
    "/srv/wp-content/plugins/fastbeat/includes/lane.php",
    "ext:fastbeat",
    "ext:standard",
    "/srv/wp-content/object-cache.php",
    "/elsewhere/x.php",
];

pub const SHAPE_KEYS: &[&str] = &["nopriv", "nopriv-data", "nodata", "postlock", "bogus"];

/// A callback as evidence records it.
pub fn gen_callback(r: &mut Reader) -> Callback {
    let callback = text(r, CALLBACKS);
    Callback {
        priority: int(r, &[10, 1, 0, -5, 99, 9999]),
        id: if r.byte() % 4 == 3 {
            text(r, CALLBACKS)
        } else {
            callback.clone()
        },
        callback,
        accepted_args: int(r, &[1, 0, 2, -1]),
        file: if r.byte() % 5 == 4 {
            None
        } else {
            Some(text(r, FILES))
        },
    }
}

/// A hook table.
pub fn gen_hook(r: &mut Reader) -> HookTable {
    HookTable {
        hook: text(r, HOOKS),
        plain: r.byte() % 8 != 7,
        entries: (0..r.byte() % 4).map(|_| gen_callback(r)).collect(),
    }
}

/// Evidence of some full-path beat (an exhausted input gives a logged-in one with one
/// hook table).
pub fn gen_evidence(r: &mut Reader) -> Evidence {
    Evidence {
        shape: text(r, SHAPE_KEYS),
        hooks: (0..1 + r.byte() % 4).map(|_| gen_hook(r)).collect(),
        headers: list(
            r,
            &[
                "X-Robots-Tag: noindex",
                "Content-Type: text/html; charset=UTF-8",
                "X-Powered-By: PHP/8.2",
                "Set-Cookie: a=b",
            ],
            3,
        ),
        output: int(r, &[0, 0, 1, 4096]),
        status: int(r, &[0, 200, 404, 500]),
        headers_sent: r.byte() % 6 == 5,
        buffers: list(
            r,
            &[
                "default output handler",
                "zlib output compression",
                "ob_gzhandler",
            ],
            2,
        ),
        ini_buffers: list(r, &["default output handler", "zlib output compression"], 2),
        shutdown: list(
            r,
            &[
                "shutdown_action_hook",
                "wpdb->__destruct",
                "my_shutdown",
                "fastbeat_plugin_lane_after_beat",
            ],
            3,
        ),
        rewritten: list(r, &["HTTP_ORIGIN", "HTTPS", "_nonce"], 2),
        user: if r.byte() % 4 == 3 {
            None
        } else {
            Some(User {
                class: text(r, &["WP_User", "My_User"]),
                id: int(r, &[1, 0, 2, -1]),
                login: text(r, &["admin", "editor", ""]),
                cookie_login: text(r, &["admin", "editor", "Admin"]),
                set_count: int(r, &[1, 0, 2]),
                roles: list(r, &["administrator", "editor", "author", "subscriber"], 2),
            })
        },
        functions: (0..r.byte() % 3)
            .map(|_| {
                (
                    text(
                        r,
                        &["wp_verify_nonce", "WP_Session_Tokens::verify", "wp_hash"],
                    ),
                    if r.byte() % 4 == 3 {
                        None
                    } else {
                        Some(text(r, FILES))
                    },
                    text(r, &["0123456789abcdef", "fedcba9876543210", ""]),
                )
            })
            .collect(),
        request: text(r, REQUESTS),
        request_label: text(r, &["http://127.0.0.1:18082/wp-admin/admin-ajax.php", ""]),
        observed: (0..r.byte() % 3)
            .map(|_| fastbeat_lane::evidence::Observed {
                hook: text(r, &["heartbeat_received"]),
                callback: text(r, &["my_cb", "closure@/p.php:3"]),
                unchanged: r.byte() % 4 != 3,
                queries: int(r, &[0, 0, 1, -1]),
                output: int(r, &[0, 0, 5]),
                headers: int(r, &[0, 0, 1]),
            })
            .collect(),
    }
}

/// Request key digests evidence is kept by.
pub const REQUESTS: &[&str] = &["0a1b2c3d4e5f", "ffffffffffff", "", "@"];

/// `e` with one to three changes (some to fields the self-check compares, some to fields
/// it does not). Op 0 (an exhausted input) adds a callback to the first hook table.
pub fn tweak_evidence(r: &mut Reader, e: &Evidence) -> Evidence {
    let mut b = e.clone();
    for _ in 0..=(r.byte() % 3) {
        let op = r.byte() % 18;
        let n = b.hooks.len();
        let i = usize::from(r.byte()) % n.max(1);
        match op {
            0 => match b.hooks.get_mut(i) {
                Some(h) => h.entries.push(gen_callback(r)),
                None => b.hooks.push(gen_hook(r)),
            },
            1 if n > 0 => b.hooks[i].plain = !b.hooks[i].plain,
            2 if n > 0 => {
                b.hooks[i].entries.pop();
            }
            3 if n > 0 => {
                if let Some(c) = b.hooks[i].entries.first_mut() {
                    c.priority = c.priority.wrapping_add(1);
                } else {
                    b.hooks[i].entries.push(gen_callback(r));
                }
            }
            4 => b.hooks.push(gen_hook(r)),
            5 => b.hooks.rotate_left(1.min(n)),
            6 => b.headers.push(text(r, &["X-Extra: 1"])),
            7 => b.output = b.output.wrapping_add(1),
            8 => b.status = if b.status == 200 { 500 } else { 200 },
            9 => b.headers_sent = !b.headers_sent,
            10 => b.buffers.push(text(r, &["ob_gzhandler"])),
            11 => b.shutdown.push(text(r, &["my_shutdown"])),
            12 => b.rewritten.push(text(r, &["HTTPS"])),
            13 => match &mut b.user {
                Some(u) => u.cookie_login.push('x'),
                None => {
                    b.user = Some(User {
                        class: "WP_User".into(),
                        ..User::default()
                    });
                }
            },
            14 => match b.functions.first_mut() {
                Some(f) => f.2.push('0'),
                None => b.functions.push(("wp_hash".into(), None, "00".into())),
            },
            15 => match &mut b.user {
                Some(u) => u.set_count = u.set_count.wrapping_add(1),
                None => b.user = Some(User::default()),
            },
            16 => {
                // Neither is compared by the self-check (the key holds the request).
                b.ini_buffers.push("zlib output compression".into());
                b.request_label.push('x');
            }
            _ => {
                if let Some(u) = &mut b.user {
                    u.id = u.id.wrapping_add(1);
                    u.roles.push("editor".into());
                    u.login.push('y');
                    u.cookie_login.push('y');
                }
            }
        }
    }
    b
}

/// The reasons the policy may give for refusing evidence (what manifests keep), one
/// maker per kind.
pub const REASONS: &[fn(&mut Reader) -> Reason] = &[
    |r| Reason::Callback {
        hook: reason_text(r),
        callback: reason_text(r),
        owner: gen_owner(r),
    },
    |r| Reason::CoreCallbackChanged {
        hook: reason_text(r),
        callback: reason_text(r),
    },
    |r| Reason::NotAHook(reason_text(r)),
    |r| Reason::Pluggable {
        function: reason_text(r),
        owner: gen_owner(r),
    },
    |r| Reason::HeaderBeforeHandler(reason_text(r)),
    |_| Reason::OutputBeforeHandler,
    |r| Reason::StatusBeforeHandler(int(r, &[404, 500, 0, -1])),
    |r| Reason::OutputHandler(reason_text(r)),
    |r| Reason::ShutdownFunction(reason_text(r)),
    |r| Reason::RequestRewritten(reason_text(r)),
    |_| Reason::UserSwitched,
    |r| Reason::ModelMismatch {
        model: reason_text(r),
        function: reason_text(r),
    },
    |_| Reason::ObjectCache,
    |_| Reason::DatabaseDropIn,
    |_| Reason::PostTypeChanged,
];

fn reason_text(r: &mut Reader) -> String {
    text(r, &["heartbeat_send", "my_cb", "X-Foo", "wp_hash"])
}

fn gen_owner(r: &mut Reader) -> Owner {
    match r.byte() % 8 {
        0 => Owner::Plugin(text(r, &["akismet", "a:b", ""])),
        1 => Owner::Core,
        2 => Owner::Fastbeat,
        3 => Owner::MuPlugin(text(r, &["x.php"])),
        4 => Owner::Theme(text(r, &["twentytwentythree"])),
        5 => Owner::Site(text(r, &["db.php"])),
        6 => Owner::Internal,
        _ => Owner::Other(text(r, &["/srv/x.php", "(unresolved)"])),
    }
}

/// A reason the policy may give for refusing evidence.
pub fn gen_reason(r: &mut Reader) -> Reason {
    let make = pick(r, REASONS);
    make(r)
}

/// A directory layout (a realistic one for an exhausted input).
pub fn gen_dirs(r: &mut Reader) -> Dirs {
    if r.byte() % 4 != 3 {
        return Dirs {
            abspath: "/usr/share/wordpress/".into(),
            plugins: "/srv/wp-content/plugins".into(),
            mu_plugins: "/srv/wp-content/mu-plugins".into(),
            content: "/srv/wp-content".into(),
            themes: vec!["/srv/wp-content/themes/t".into()],
            fastbeat: "/srv/wp-content/plugins/fastbeat".into(),
        };
    }
    Dirs {
        abspath: text(r, &["/w/", "", "/"]),
        plugins: text(r, &["/w/wp-content/plugins", "", "/"]),
        mu_plugins: text(r, &["/w/wp-content/mu-plugins/", ""]),
        content: text(r, &["/w/wp-content", ""]),
        themes: list(r, &["/w/wp-content/themes/t", "/", ""], 2),
        fastbeat: text(r, &["/w/wp-content/plugins/fastbeat", ""]),
    }
}

// ----------------------------------------------------------------------------- JSON text

/// A JSON string literal written by the harness (not by serde_json): `\uXXXX` for
/// controls, and, when `fancy`, also for non-ASCII characters (as PHP's `json_encode()`
/// writes them) and `\/` for slashes.
pub fn json_str(s: &str, fancy: bool) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '/' if fancy => o.push_str("\\/"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c if fancy && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    o.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A few edits to JSON text (delete, insert a token, swap a literal, truncate), so the
/// document is near-valid: most edits keep it parseable but change a type or a value.
pub fn edit_json(r: &mut Reader, text: &[u8]) -> Vec<u8> {
    const TOKENS: &[&str] = &[
        "1",
        "-1",
        "1.0",
        "\"1\"",
        "null",
        "true",
        "[]",
        "{}",
        ",",
        "\"x\"",
        "1e3",
        "9223372036854775808",
        "\"\\ud800\"",
        "[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]",
    ];
    let mut v = text.to_vec();
    for _ in 0..=(r.byte() % 3) {
        if v.is_empty() {
            break;
        }
        let at = usize::from(u16::from_le_bytes([r.byte(), r.byte()])) % v.len();
        match r.byte() % 6 {
            0 => {
                v.remove(at);
            }
            1 => {
                let t = pick(r, TOKENS);
                v.splice(at..at, t.bytes());
            }
            2 => {
                // Replace the value after the next ':' (up to , } or ]).
                if let Some(c) = v[at..].iter().position(|&b| b == b':') {
                    let start = at + c + 1;
                    let end = v[start..]
                        .iter()
                        .position(|&b| matches!(b, b',' | b'}' | b']'))
                        .map_or(v.len(), |p| start + p);
                    let t = pick(r, TOKENS);
                    v.splice(start..end, t.bytes());
                }
            }
            3 => v.truncate(at),
            4 => {
                // Drop one "key":value pair: from a '"' after a '{' or ',' to the next ','.
                if let Some(c) = v[at..].iter().position(|&b| b == b',') {
                    let start = at + c;
                    let end = v[start + 1..]
                        .iter()
                        .position(|&b| b == b',')
                        .map_or(start + 1, |p| start + 1 + p);
                    v.drain(start..end);
                }
            }
            _ => {
                let b = v[at];
                v[at] = match b {
                    b't' => b'f',
                    b'0'..=b'8' => b + 1,
                    b'9' => b'0',
                    b'"' => b'\'',
                    _ => b ^ 0x20,
                };
            }
        }
    }
    v
}

/// Debug text, cut for messages.
pub fn brief(x: &impl std::fmt::Debug) -> String {
    let s = format!("{x:?}");
    if s.len() > 600 {
        let mut cut = 600;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...(+{})", &s[..cut], s.len() - cut)
    } else {
        s
    }
}
