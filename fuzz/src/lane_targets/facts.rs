//! `facts`: what the plugin hands over (`fastbeat_lane_note()`, `fastbeat_lane_evidence()`),
//! as JSON.
//!
//! Properties: `Note::parse` / `Handover::parse` never panic on hostile bytes; a note or
//! hand-over built field by field and written as JSON (by this harness, with PHP's escapes
//! or without, keys in any order, extra keys) parses to exactly those fields, after the
//! documented filters (table names, hex values, `self_check` saturating at `u32::MAX`); a field of the
//! wrong type or missing makes it unreadable; `unhex` is PHP's `hex2bin()` (odd length or
//! a non-hex byte: refused). Oracle: the same values as a PHP array through
//! `json_encode()` (what `wp_json_encode()` does for UTF-8 text) read by the crate, and
//! `hex2bin()`.

use super::{brief, int, list, pick, text, with_lane};
use crate::gen::Reader;
use crate::model::hex;
use crate::targets::{ensure, show, Check, Impl, Target};
use fastbeat_lane::evidence::Dirs;
use fastbeat_lane::facts::{Handover, Learn, Note};
use fastbeat_lane::manifest::Cookies;
use fastbeat_lane::native::{Db, Network, PostTables, NETWORK_OPTIONS};

/// A JSON value as the plugin builds it (a PHP array), written either as JSON by this
/// harness or in PHP's `serialize()` format for the oracle.
#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// Lower-case hex, as PHP's `bin2hex()`.
fn hexs(b: &[u8]) -> String {
    String::from_utf8_lossy(&hex(b)).into_owned()
}

fn s(v: &str) -> J {
    J::Str(v.to_owned())
}

fn strs(v: &[String]) -> J {
    J::List(v.iter().map(|x| s(x)).collect())
}

/// JSON text: PHP's escapes when `fancy`, optional blanks between tokens.
fn json(v: &J, fancy: bool, blank: &str, out: &mut String) {
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Int(i) => out.push_str(&i.to_string()),
        J::Float(x) => out.push_str(&format!("{x:?}")),
        J::Str(t) => out.push_str(&super::json_str(t, fancy)),
        J::List(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(blank);
                }
                json(x, fancy, blank, out);
            }
            out.push(']');
        }
        J::Obj(items) => {
            out.push('{');
            out.push_str(blank);
            for (i, (k, x)) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    out.push_str(blank);
                }
                out.push_str(&super::json_str(k, fancy));
                out.push(':');
                out.push_str(blank);
                json(x, fancy, blank, out);
            }
            out.push_str(blank);
            out.push('}');
        }
    }
}

/// PHP's `serialize()` format (arrays only; objects become string-keyed arrays).
fn php_serialize(v: &J, out: &mut Vec<u8>) {
    let string = |t: &[u8], out: &mut Vec<u8>| {
        out.extend_from_slice(format!("s:{}:\"", t.len()).as_bytes());
        out.extend_from_slice(t);
        out.extend_from_slice(b"\";");
    };
    match v {
        J::Null => out.extend_from_slice(b"N;"),
        J::Bool(b) => out.extend_from_slice(if *b { b"b:1;" } else { b"b:0;" }),
        J::Int(i) => out.extend_from_slice(format!("i:{i};").as_bytes()),
        J::Float(x) => out.extend_from_slice(format!("d:{x:?};").as_bytes()),
        J::Str(t) => string(t.as_bytes(), out),
        J::List(items) => {
            out.extend_from_slice(format!("a:{}:{{", items.len()).as_bytes());
            for (i, x) in items.iter().enumerate() {
                out.extend_from_slice(format!("i:{i};").as_bytes());
                php_serialize(x, out);
            }
            out.push(b'}');
        }
        J::Obj(items) => {
            out.extend_from_slice(format!("a:{}:{{", items.len()).as_bytes());
            for (k, x) in items {
                string(k.as_bytes(), out);
                php_serialize(x, out);
            }
            out.push(b'}');
        }
    }
}

/// A value of another type than `v` (what a field must not be).
fn wrong(r: &mut Reader, v: &J) -> J {
    match v {
        J::Str(_) => pick(r, &[J::Int(1), J::Null, J::List(Vec::new()), J::Bool(true)]),
        J::Bool(_) => pick(r, &[J::Int(1), s("true"), J::Null]),
        // Floats PHP also writes as floats (`100.0` would be `100` without
        // JSON_PRESERVE_ZERO_FRACTION).
        J::Int(_) => pick(r, &[s("1"), J::Null, J::Float(1.5), J::Float(1e300)]),
        J::List(_) => pick(
            r,
            &[
                J::List(vec![J::Int(1)]),
                J::Obj(vec![("a".into(), s("b"))]),
                s("x"),
                J::List(vec![J::Null]),
            ],
        ),
        // Not null: `learn` may be null.
        J::Obj(_) => pick(
            r,
            &[s("x"), J::List(vec![J::Int(1)]), J::Bool(true), J::Int(0)],
        ),
        J::Null | J::Float(_) => pick(r, &[s("x"), J::Int(0), J::Bool(false), J::List(Vec::new())]),
    }
}

/// A document: its fields, whether the crate must read it, and what it must read.
struct Doc<T> {
    fields: Vec<(String, J)>,
    want: Option<T>,
}

fn gen_cookies(r: &mut Reader) -> (Cookies, J) {
    let c = Cookies {
        auth: text(r, &["wordpress_h"]),
        secure_auth: text(r, &["wordpress_sec_h"]),
        logged_in: text(r, &["wordpress_logged_in_h"]),
        recovery: text(r, &["wordpress_rec_h", ""]),
    };
    let j = J::Obj(vec![
        ("auth".into(), s(&c.auth)),
        ("secure_auth".into(), s(&c.secure_auth)),
        ("logged_in".into(), s(&c.logged_in)),
        ("recovery".into(), s(&c.recovery)),
    ]);
    (c, j)
}

fn gen_note(r: &mut Reader) -> Doc<Note> {
    let (cookies, cj) = gen_cookies(r);
    let n = Note {
        admin_ajax: text(r, &["/w/wp-admin/admin-ajax.php"]),
        lane_dir: text(r, &["/w/wp-content/plugins/fastbeat/lane"]),
        enabled: r.byte() % 4 != 3,
        abspath: text(r, &["/w/"]),
        headers: list(r, &["X-Robots-Tag: noindex", "X-Powered-By: PHP/8.2"], 3),
        output: int(r, &[0, 12]),
        status: int(r, &[200, 0, 404]),
        headers_sent: r.byte() % 4 == 3,
        buffers: list(r, &["default output handler", "ob_gzhandler"], 2),
        ini_output_handler: text(r, &["", "ob_gzhandler"]),
        ini_output_buffering: text(r, &["4096", "0", "", "On"]),
        ini_zlib: text(r, &["", "1", "On"]),
        cookies,
        ssl: r.byte() % 4 != 3,
        roles_option: text(r, &["wp_user_roles"]),
        caps_key: text(r, &["wp_capabilities"]),
        multisite: r.byte() % 4 == 3,
    };
    let fields = vec![
        ("admin_ajax".into(), s(&n.admin_ajax)),
        ("lane_dir".into(), s(&n.lane_dir)),
        ("enabled".into(), J::Bool(n.enabled)),
        ("abspath".into(), s(&n.abspath)),
        ("headers".into(), strs(&n.headers)),
        ("output".into(), J::Int(n.output)),
        ("status".into(), J::Int(n.status)),
        ("headers_sent".into(), J::Bool(n.headers_sent)),
        ("buffers".into(), strs(&n.buffers)),
        ("output_handler".into(), s(&n.ini_output_handler)),
        ("output_buffering".into(), s(&n.ini_output_buffering)),
        ("zlib_output_compression".into(), s(&n.ini_zlib)),
        ("cookies".into(), cj),
        ("ssl".into(), J::Bool(n.ssl)),
        ("roles_option".into(), s(&n.roles_option)),
        ("caps_key".into(), s(&n.caps_key)),
        ("multisite".into(), J::Bool(n.multisite)),
    ];
    Doc {
        fields,
        want: Some(n),
    }
}

/// `native::table_name_ok`, from its definition: 1 to 128 of `[A-Za-z0-9_.]`.
fn table_ok(t: &str) -> bool {
    (1..=128).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

fn key_ok(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

const TABLES: &[&str] = &[
    "wp_users",
    "wp_usermeta",
    "wp_options",
    "wp_posts",
    "db.wp_postmeta",
    "",
    "wp users",
    "wp_`x`",
    "wp_1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567",
    "\u{e9}",
];

fn gen_learn(r: &mut Reader, with_network: bool) -> (Option<Learn>, J, bool) {
    let mut ok = true;
    let mut table = |r: &mut Reader, pool: &[&str]| {
        let t = if r.byte() % 6 == 5 {
            text(r, TABLES)
        } else {
            text(r, pool)
        };
        ok &= table_ok(&t);
        t
    };
    let users = table(r, &["wp_users"]);
    let usermeta = table(r, &["wp_usermeta"]);
    let options = table(r, &["wp_options"]);
    let host = text(r, &["localhost", "[::1]", "127.0.0.1"]);
    let mut db_fields = vec![("host".to_string(), s(&host))];
    let port = match r.byte() % 4 {
        0 => {
            db_fields.push(("port".into(), J::Null));
            None
        }
        1 => None,
        _ => {
            let p = int(r, &[3306, 0, -1]);
            db_fields.push(("port".into(), J::Int(p)));
            Some(p)
        }
    };
    let socket = match r.byte() % 4 {
        0 => {
            db_fields.push(("socket".into(), J::Null));
            None
        }
        1 => None,
        _ => {
            let t = text(r, &["/run/mysqld/mysqld.sock", ""]);
            db_fields.push(("socket".into(), s(&t)));
            Some(t)
        }
    };
    let db = Db {
        host,
        port,
        socket,
        user: text(r, &["wp"]),
        password: text(r, &["p\"a\\ss", ""]),
        name: text(r, &["wordpress"]),
        charset: text(r, &["utf8mb4"]),
        flags: int(r, &[0, 2048]),
    };
    db_fields.extend([
        ("user".to_string(), s(&db.user)),
        ("password".into(), s(&db.password)),
        ("name".into(), s(&db.name)),
        ("charset".into(), s(&db.charset)),
        ("flags".into(), J::Int(db.flags)),
    ]);
    let salt = |r: &mut Reader| {
        let b = text(r, &["key-and-salt", ""]).into_bytes();
        (hexs(&b), b)
    };
    let (auth_hex, auth_salt) = salt(r);
    let (nonce_hex, nonce_salt) = salt(r);
    let (post, post_j) = if r.byte() % 4 == 3 {
        (None, J::Null)
    } else {
        let posts = table(r, &["wp_posts"]);
        let postmeta = table(r, &["wp_postmeta"]);
        let roles_option = text(r, &["wp_user_roles", "", "wp-roles"]);
        let caps_key = text(r, &["wp_capabilities", "wp caps"]);
        ok &= key_ok(&roles_option) && key_ok(&caps_key);
        let j = J::Obj(vec![
            ("posts".into(), s(&posts)),
            ("postmeta".into(), s(&postmeta)),
            ("roles_option".into(), s(&roles_option)),
            ("caps_key".into(), s(&caps_key)),
        ]);
        (
            Some(PostTables {
                posts,
                postmeta,
                roles_option,
                caps_key,
            }),
            j,
        )
    };
    let (network, network_j) = if with_network {
        let (n, j, fine) = gen_network(r);
        ok &= fine;
        (n, j)
    } else {
        (None, J::Null)
    };
    let j = J::Obj(vec![
        ("db".into(), J::Obj(db_fields)),
        ("users".into(), s(&users)),
        ("usermeta".into(), s(&usermeta)),
        ("options".into(), s(&options)),
        ("salt_auth".into(), J::Str(auth_hex)),
        ("salt_nonce".into(), J::Str(nonce_hex)),
        ("post".into(), post_j),
        ("network".into(), network_j),
    ]);
    let learn = Learn {
        db,
        users,
        usermeta,
        options,
        auth_salt,
        nonce_salt,
        post,
        network,
    };
    (Some(learn), j, ok)
}

/// A multisite network's facts: tables (filtered like the others), ids (positive), the
/// `$super_admins` list or null, and the raw network options, every one of
/// [`NETWORK_OPTIONS`] present (null when absent from the site), in that order.
fn gen_network(r: &mut Reader) -> (Option<Network>, J, bool) {
    let mut ok = true;
    let mut table = |r: &mut Reader, pool: &[&str]| {
        let t = if r.byte() % 6 == 5 {
            text(r, TABLES)
        } else {
            text(r, pool)
        };
        ok &= table_ok(&t);
        t
    };
    let blogs = table(r, &["wp_blogs"]);
    let sitemeta = table(r, &["wp_sitemeta"]);
    let blog_id = int(r, &[2, 1, 0, -1, 77]);
    let network_id = int(r, &[1, 0, 3]);
    ok &= blog_id > 0 && network_id > 0;
    let (super_admins, admins_j) = match r.byte() % 4 {
        0 | 1 => (None, J::Null),
        2 => {
            let v = list(r, &["admin", "root", ""], 3);
            let j = strs(&v);
            (Some(v), j)
        }
        _ => {
            ok = false;
            (
                None,
                pick(r, &[J::List(vec![J::Int(1)]), s("admin"), J::Bool(false)]),
            )
        }
    };
    let mut options_seen = Vec::new();
    let mut options_j = Vec::new();
    for name in NETWORK_OPTIONS {
        match r.byte() % 8 {
            7 => {
                ok = false; // missing
                options_seen.push((name.to_string(), None));
            }
            6 => {
                options_j.push((name.to_string(), J::Null));
                options_seen.push((name.to_string(), None));
            }
            5 => {
                ok = false;
                options_j.push((name.to_string(), pick(r, &[s("xyz"), J::Int(1)])));
                options_seen.push((name.to_string(), None));
            }
            _ => {
                let b = text(r, &["http://ms.test", "a:0:{}", ""]).into_bytes();
                options_j.push((name.to_string(), J::Str(hexs(&b))));
                options_seen.push((name.to_string(), Some(b)));
            }
        }
    }
    if r.byte() % 4 == 3 {
        options_j.push(("site_admins".into(), J::Str(hexs(b"a:0:{}"))));
    }
    if r.byte() % 2 == 1 {
        options_j.reverse();
    }
    let j = J::Obj(vec![
        ("blogs".into(), s(&blogs)),
        ("sitemeta".into(), s(&sitemeta)),
        ("blog_id".into(), J::Int(blog_id)),
        ("network_id".into(), J::Int(network_id)),
        ("super_admins".into(), admins_j),
        ("options".into(), J::Obj(options_j)),
    ]);
    let n = Network {
        blogs,
        sitemeta,
        blog_id: u64::try_from(blog_id).unwrap_or(0),
        network_id: u64::try_from(network_id).unwrap_or(0),
        super_admins,
        options_seen,
    };
    (Some(n), j, ok)
}

/// Names, unique, in the order PHP would send them; the crate reads JSON objects back
/// sorted by name.
fn names(r: &mut Reader, pool: &[&str], min: u8, max: u8) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for i in 0..min + r.byte() % (max - min + 1) {
        // An exhausted input names the first `min` of the pool.
        let n = pool[(usize::from(r.byte()) + usize::from(i)) % pool.len()].to_string();
        if !v.contains(&n) {
            v.push(n);
        }
    }
    v
}

fn gen_handover(r: &mut Reader) -> Doc<Handover> {
    let mut ok = true;
    // Read first: later bytes of short inputs are mostly exhausted.
    let with_learn = r.byte() % 4 != 3;
    let with_network = r.byte() % 4 == 3;
    let dirs = Dirs {
        abspath: text(r, &["/w/"]),
        plugins: text(r, &["/w/wp-content/plugins"]),
        mu_plugins: text(r, &["/w/wp-content/mu-plugins"]),
        content: text(r, &["/w/wp-content"]),
        themes: list(r, &["/w/wp-content/themes/t", "/w/wp-content/themes/p"], 2),
        fastbeat: text(r, &["/w/wp-content/plugins/fastbeat"]),
    };
    let dirs_j = J::Obj(vec![
        ("abspath".into(), s(&dirs.abspath)),
        ("plugins".into(), s(&dirs.plugins)),
        ("mu_plugins".into(), s(&dirs.mu_plugins)),
        ("content".into(), s(&dirs.content)),
        ("themes".into(), strs(&dirs.themes)),
        ("fastbeat".into(), s(&dirs.fastbeat)),
    ]);
    let mut post_caps: Vec<(String, String)> = names(
        r,
        &[
            "edit_posts",
            "edit_others_posts",
            "read_post",
            "create_posts",
        ],
        0,
        3,
    )
    .into_iter()
    .map(|k| {
        let v = if r.byte() % 4 == 3 {
            text(r, &["edit_pages"])
        } else {
            k.clone()
        };
        (k, v)
    })
    .collect();
    let post_caps_j = J::Obj(post_caps.iter().map(|(k, v)| (k.clone(), s(v))).collect());
    post_caps.sort();
    // The filter says 1 to 100, the plugin only keeps it at least 1: anything up to
    // PHP_INT_MAX arrives. Past u32::MAX the crate takes u32::MAX (the manifest clamps
    // it to the maximum anyway).
    let self_check = int(r, &[100, 1, 50, 101, 5000, 4_294_967_295, 4_294_967_296]);
    let mut options: Vec<(String, Option<Vec<u8>>)> = Vec::new();
    let mut options_j = Vec::new();
    for name in names(
        r,
        &[
            "blog_charset",
            "siteurl",
            "home",
            "auth_key",
            "nonce_salt",
            "template",
        ],
        2,
        5,
    ) {
        match r.byte() % 8 {
            7 => {
                options_j.push((name.clone(), J::Null));
                options.push((name, None));
            }
            6 => {
                // Not hex: the hand-over is refused.
                let bad = pick(r, &["abc", "zz", "0g", "\u{e9}\u{e9}"]);
                ok = false;
                options_j.push((name.clone(), s(bad)));
                options.push((name, None));
            }
            _ => {
                let b = text(
                    r,
                    &["UTF-8", "http://127.0.0.1", "", "a:1:{i:0;s:1:\"x\";}"],
                )
                .into_bytes();
                options_j.push((name.clone(), J::Str(hexs(&b))));
                options.push((name, Some(b)));
            }
        }
    }
    options.sort();
    let mut server: Vec<(String, Option<String>)> = Vec::new();
    let mut server_j = Vec::new();
    for name in names(
        r,
        &[
            "HTTP_HOST",
            "SERVER_NAME",
            "SERVER_PORT",
            "HTTPS",
            "WORDPRESS_CONFIG",
        ],
        1,
        3,
    ) {
        if r.byte() % 4 == 3 {
            server_j.push((name.clone(), J::Null));
            server.push((name, None));
        } else {
            let v = text(r, &["127.0.0.1", "on", "18082"]);
            server_j.push((name.clone(), s(&v)));
            server.push((name, Some(v)));
        }
    }
    server.sort();
    let (learn, learn_j) = if !with_learn {
        (None, J::Null)
    } else {
        let (l, j, fine) = gen_learn(r, with_network);
        ok &= fine;
        (l, j)
    };
    let h = Handover {
        manifest: text(r, &["/w/wp-content/uploads/fastbeat/lane-abc.json"]),
        dirs,
        multisite: r.byte() % 8 == 7,
        ext_object_cache: r.byte() % 8 == 7,
        wpdb_class: text(r, &["wpdb", "hyperdb"]),
        post_map_meta_cap: r.byte() % 8 != 7,
        post_caps,
        roles_global: r.byte() % 8 == 7,
        charset: text(r, &["UTF-8"]),
        origins: list(r, &["http://127.0.0.1", "https://127.0.0.1"], 3),
        watch: list(r, &["/w/wp-config.php", "/w/wp-includes/version.php"], 3),
        veto_server: list(r, &["HTTP_X_FOO"], 1),
        self_check: u32::try_from(self_check).unwrap_or(if self_check < 0 { 1 } else { u32::MAX }),
        options,
        server,
        learn,
        declared: Vec::new(),
    };
    let fields = vec![
        ("manifest".into(), s(&h.manifest)),
        ("dirs".into(), dirs_j),
        ("multisite".into(), J::Bool(h.multisite)),
        ("ext_object_cache".into(), J::Bool(h.ext_object_cache)),
        ("wpdb_class".into(), s(&h.wpdb_class)),
        ("post_map_meta_cap".into(), J::Bool(h.post_map_meta_cap)),
        ("post_caps".into(), post_caps_j),
        ("roles_global".into(), J::Bool(h.roles_global)),
        ("charset".into(), s(&h.charset)),
        ("origins".into(), strs(&h.origins)),
        ("watch".into(), strs(&h.watch)),
        ("veto_server".into(), strs(&h.veto_server)),
        ("self_check".into(), J::Int(self_check)),
        ("options".into(), J::Obj(options_j)),
        ("server".into(), J::Obj(server_j)),
        ("learn".into(), learn_j),
    ];
    Doc {
        fields,
        want: ok.then_some(h),
    }
}

/// Reorders, breaks or pads a document's fields as `r` says. A broken field (wrong type
/// or missing) makes the document unreadable.
fn shake<T>(r: &mut Reader, d: &mut Doc<T>) {
    let n = d.fields.len();
    if r.byte() % 4 == 3 {
        let k = usize::from(r.byte()) % n;
        d.fields.rotate_left(k);
    }
    match r.byte() % 8 {
        6 => {
            let i = usize::from(r.byte()) % n;
            d.fields.remove(i);
            d.want = None;
        }
        7 => {
            let i = usize::from(r.byte()) % n;
            let v = d.fields[i].1.clone();
            d.fields[i].1 = wrong(r, &v);
            d.want = None;
        }
        5 => d.fields.push(("extra".into(), J::List(vec![J::Null]))),
        _ => {}
    }
}

fn write(r: &mut Reader, fields: &[(String, J)]) -> String {
    let fancy = r.byte() % 2 == 1;
    let blank = pick(r, &["", " ", "\n\t"]);
    let mut out = String::new();
    json(&J::Obj(fields.to_vec()), fancy, blank, &mut out);
    out
}

fn unhex_model(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 == 1 {
        return None;
    }
    b.chunks(2)
        .map(|p| {
            let hi = char::from(p[0]).to_digit(16)?;
            let lo = char::from(p[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

fn gen_hexish(r: &mut Reader) -> String {
    let mut out = String::new();
    let n = r.byte() % 24;
    for _ in 0..n {
        let b = r.byte();
        match b % 16 {
            0..=9 => out.push(char::from(b"0123456789abcdef"[usize::from(b / 16)])),
            10..=12 => out.push(char::from(b"0123456789ABCDEF"[usize::from(b / 16)])),
            13 => out.push(pick(
                r,
                &['g', 'G', 'x', ' ', '\0', '-', '@', '`', '/', ':'],
            )),
            14 => out.push(pick(r, &['\u{e9}', '\u{1f600}', '\u{660}'])),
            _ => {}
        }
    }
    out
}

/// What one input is: hostile bytes, a hex string, a note or a hand-over.
enum Case {
    Raw(Vec<u8>),
    Hex(String),
    Note(Box<Doc<Note>>, String),
    Handover(Box<Doc<Handover>>, String),
}

fn case(x: &[u8]) -> Case {
    let mut r = Reader::new(x);
    let mode = r.byte();
    match mode {
        0..=47 => Case::Raw(r.rest().to_vec()),
        48..=95 => Case::Hex(gen_hexish(&mut r)),
        96..=175 => {
            let mut c = Reader::new(r.field());
            let mut d = gen_note(&mut r);
            shake(&mut c, &mut d);
            let text = write(&mut c, &d.fields);
            Case::Note(Box::new(d), text)
        }
        _ => {
            let mut c = Reader::new(r.field());
            let mut d = gen_handover(&mut r);
            shake(&mut c, &mut d);
            let text = write(&mut c, &d.fields);
            Case::Handover(Box::new(d), text)
        }
    }
}

fn check_unhex(f: &Impl, s: &str) -> Check {
    let got = (f.lane.unhex)(s);
    let want = unhex_model(s);
    ensure(got == want, || {
        format!(
            "unhex({}) = {got:?}, hex2bin() gives {want:?}",
            show(s.as_bytes())
        )
    })
}

fn check(f: &Impl, x: &[u8]) -> Check {
    match case(x) {
        Case::Raw(b) => {
            let _ = (f.lane.note)(&b);
            let _ = (f.lane.handover)(&b);
            check_unhex(f, &String::from_utf8_lossy(&b))
        }
        Case::Hex(s) => check_unhex(f, &s),
        Case::Note(d, text) => {
            let got = (f.lane.note)(text.as_bytes());
            ensure(got == d.want, || {
                format!(
                    "Note::parse({text:?}) = {}, want {}",
                    brief(&got),
                    brief(&d.want)
                )
            })
        }
        Case::Handover(d, text) => {
            let got = (f.lane.handover)(text.as_bytes());
            ensure(got == d.want, || {
                format!(
                    "Handover::parse({text:?}) = {}, want {}",
                    brief(&got),
                    brief(&d.want)
                )
            })
        }
    }
}

fn php_args(x: &[u8]) -> Option<Vec<Vec<u8>>> {
    let doc = |fields: &[(String, J)]| {
        let mut out = Vec::new();
        php_serialize(&J::Obj(fields.to_vec()), &mut out);
        Some(vec![b"json".to_vec(), out])
    };
    match case(x) {
        Case::Raw(_) => None,
        Case::Hex(s) => Some(vec![b"unhex".to_vec(), s.into_bytes()]),
        Case::Note(d, _) => doc(&d.fields),
        Case::Handover(d, _) => doc(&d.fields),
    }
}

fn php_expect(f: &Impl, x: &[u8]) -> Vec<u8> {
    match case(x) {
        Case::Raw(_) => Vec::new(),
        Case::Hex(s) => match (f.lane.unhex)(&s) {
            Some(b) => [b"OK".to_vec(), hex(&b)].concat(),
            None => b"NONE".to_vec(),
        },
        Case::Note(d, _) => format!("note\0{:?}", d.want).into_bytes(),
        Case::Handover(d, _) => format!("handover\0{:?}", d.want).into_bytes(),
    }
}

/// PHP's JSON read by the crate must give what the fields say.
fn php_compare(ours: &[u8], php: &[u8]) -> bool {
    if let Some(want) = ours.strip_prefix(b"note\0") {
        return format!("{:?}", Note::parse(php)).as_bytes() == want;
    }
    if let Some(want) = ours.strip_prefix(b"handover\0") {
        return format!("{:?}", Handover::parse(php)).as_bytes() == want;
    }
    ours == php
}

const PHP_BODY: &str = r#"
if ( 'unhex' === $a[0] ) { $r = @hex2bin( $a[1] ); return false === $r ? 'NONE' : 'OK' . bin2hex( $r ); }
$v = unserialize( $a[1], array( 'allowed_classes' => false ) );
if ( ! is_array( $v ) ) { return 'UNSERIALIZE FAILED'; }
$j = json_encode( $v );
return false === $j ? 'JSON ' . json_last_error_msg() : $j;
"#;

fn label(x: &[u8]) -> &'static str {
    match case(x) {
        Case::Raw(_) => "",
        Case::Hex(s) => {
            if fastbeat_lane::facts::unhex(&s).is_some() {
                "hex read"
            } else {
                "hex refused"
            }
        }
        Case::Note(d, _) if d.want.is_some() => "note read",
        Case::Note(..) => "note refused",
        Case::Handover(d, _)
            if d.want
                .as_ref()
                .is_some_and(|h| h.learn.as_ref().is_some_and(|l| l.network.is_some())) =>
        {
            "hand-over read (multisite)"
        }
        Case::Handover(d, _) if d.want.as_ref().is_some_and(|h| h.learn.is_some()) => {
            "hand-over read (with learn)"
        }
        Case::Handover(d, _) if d.want.is_some() => "hand-over read",
        Case::Handover(..) => "hand-over refused",
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = Vec::new();
    for h in [
        "", "00ff7A", "abc", "AB", "zz", "0", "a\u{e9}", "0G", "ffFF00",
    ] {
        // Raw mode: the whole rest is the hex string.
        let mut s = vec![0u8];
        s.extend_from_slice(h.as_bytes());
        v.push(s);
    }
    v.push(b"\x30{\"cookies\":{}}".to_vec());
    v.push(b"\x30{\"dirs\":[],\"options\":{\"a\":\"zz\"}}".to_vec());
    for i in 0u8..8 {
        // A note and a hand-over with each kind of shake.
        v.push(vec![96, 3, i % 4 * 2, 6 + i % 2, i, i, 0, i]);
        v.push(vec![176, 3, i % 4 * 2, 6 + i % 2, i, i, 0, i]);
        v.push(vec![96 + i, 0]);
        v.push(vec![176 + i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 + i]);
        v.push(vec![48 + i, 7, i, i.wrapping_mul(16), 13, 0x5a, 10, 0xa1]);
    }
    v
}

fn mut_unhex_odd(s: &str) -> Option<Vec<u8>> {
    // Drops a trailing nibble instead of refusing.
    let b = s.as_bytes();
    std::str::from_utf8(&b[..b.len() & !1])
        .ok()
        .and_then(fastbeat_lane::facts::unhex)
}

fn mut_unhex_lower_only(s: &str) -> Option<Vec<u8>> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    fastbeat_lane::facts::unhex(s)
}

fn mut_note_no_ssl(json: &[u8]) -> Option<Note> {
    Note::parse(json).map(|mut n| {
        n.ssl = false;
        n
    })
}

fn mut_handover_first_option(json: &[u8]) -> Option<Handover> {
    Handover::parse(json).map(|mut h| {
        h.options.truncate(1);
        h
    })
}

pub fn target() -> Target {
    Target {
        name: "facts",
        about: "lane::facts: Note/Handover::parse on hostile JSON and on notes and hand-overs written field by field, unhex vs hex2bin; oracle: PHP json_encode() of the same values, hex2bin()",
        dict: &[
            b"{", b"}", b"[", b"]", b",", b":", b"\"", b"true", b"null", b"0", b"ff", b"A",
            b"\"cookies\":", b"\"learn\":", b"\"options\":", b"\"db\":", b"\\u00e9",
        ],
        seeds,
        check,
        php_args,
        php_expect,
        php_body: PHP_BODY,
        php_compare,
        label,
        mutants: || {
            vec![
                ("unhex drops an odd trailing digit", with_lane(|l| l.unhex = mut_unhex_odd)),
                ("unhex refuses upper case", with_lane(|l| l.unhex = mut_unhex_lower_only)),
                ("Note::parse loses ssl", with_lane(|l| l.note = mut_note_no_ssl)),
                ("Handover::parse keeps one option", with_lane(|l| l.handover = mut_handover_first_option)),
            ]
        },
    }
}
