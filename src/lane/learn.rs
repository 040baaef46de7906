//! The engine side of native logged-in answers: what a worker learns from full
//! WordPress requests (in its own memory, never on disk), and the two calls the plugin's
//! `lane/native.php` makes: the reads to run, then the answer.

use super::manifest::{Manifest, NoPriv};
use super::native::{self, Beat, Db, Learned, PostTables, Rows, OPTIONS};
use super::post_lock;
use super::request::Kind;
use crate::zend::hash;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ProcessGlobals;
use std::cell::{Cell, RefCell};
use std::sync::Mutex;

/// Sites one worker keeps learned facts for.
const MAX_SITES: usize = 64;

/// Learned facts by admin-ajax.php and site key.
static LEARNED: Mutex<Vec<(String, String, Learned)>> = Mutex::new(Vec::new());

/// Headers by which a proxy tells the site about the original request: `wp-config.php`
/// often sets `$_SERVER['HTTPS']` from them, which the raw request cannot show.
const FORWARDED: [&str; 13] = [
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

/// Server variables a site key is made of (what `wp-config.php` may choose a site by;
/// Debian's picks its config by `WORDPRESS_CONFIG`, else by host).
const SITE_VARS: [&str; 5] = [
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTPS",
    "WORDPRESS_CONFIG",
];

/// This request's native context, set when the compile hook chose `native.php`.
pub struct Context {
    pub script: String,
    pub learned: Learned,
    pub nopriv: NoPriv,
    /// A post-lock beat's post id (`None`: a beat without data).
    pub post_id: Option<u64>,
}

/// A post-lock answer decided, waiting for its write to be made.
struct Pending {
    ctx: Context,
    lock: String,
    auth_check: bool,
    now: i64,
}

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
    /// What native.php runs when it does not answer: the lane script, or admin-ajax.php.
    static FALLBACK: RefCell<Option<String>> = const { RefCell::new(None) };
    /// When (s) this request started.
    static STARTED: Cell<i64> = const { Cell::new(0) };
}

/// Request start.
pub fn request_start(now_s: i64) {
    CONTEXT.with(|c| c.borrow_mut().take());
    PENDING.with(|p| p.borrow_mut().take());
    FALLBACK.with(|f| f.borrow_mut().take());
    STARTED.with(|s| s.set(now_s));
}

/// The site key of this request: the server variables `wp-config.php` may choose a
/// site (database, salts) by.
pub fn site_key() -> String {
    SITE_VARS
        .iter()
        .map(|v| super::intercept::getenv(v).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn ssl_now() -> Option<bool> {
    use super::intercept::getenv;
    native::is_ssl(getenv("HTTPS").as_deref(), getenv("SERVER_PORT").as_deref())
}

/// `fastbeat_lane_learn()`: keep what a full WordPress request of this site knows, when
/// the request saw the server variables as sent. False when not kept.
pub fn learn(facts: &ZendHashTable) -> bool {
    let Some(script) = text(facts, "script").and_then(|s| {
        let real = std::fs::canonicalize(s).ok()?;
        real.to_str().map(str::to_owned)
    }) else {
        return false;
    };
    let site = site_key();
    let learned = parse(facts);
    let Ok(mut all) = LEARNED.lock() else {
        return false;
    };
    all.retain(|(s, k, _)| !(s == &script && k == &site));
    let Some(learned) = learned else {
        return false;
    };
    if all.len() >= MAX_SITES {
        all.remove(0);
    }
    all.push((script, site, learned));
    true
}

fn parse(facts: &ZendHashTable) -> Option<Learned> {
    use super::intercept::getenv;
    // wp-config.php (or anything before) must not have changed what the key is made of.
    let server = array(facts, "server")?;
    for var in SITE_VARS {
        if text(server, var) != getenv(var) {
            return None;
        }
    }
    let ssl = hash::find(facts, "ssl")?.bool()?;
    if ssl_now() != Some(ssl) {
        return None;
    }
    let db = array(facts, "db")?;
    let port = match hash::find(db, "port") {
        None => None,
        Some(z) if z.is_null() => None,
        Some(z) => Some(z.long()?),
    };
    let socket = match hash::find(db, "socket") {
        None => None,
        Some(z) if z.is_null() => None,
        Some(z) => Some(z.string()?),
    };
    let tables = array(facts, "tables")?;
    let table = |k: &str| text(tables, k).filter(|t| native::table_name_ok(t));
    let options = array(facts, "options")?;
    let mut options_seen = Vec::with_capacity(OPTIONS.len());
    for name in OPTIONS {
        let v = hash::find(options, name)?;
        let value = match v.get_type() {
            DataType::Null => None,
            DataType::String => Some(v.zend_str()?.as_bytes().to_vec()),
            _ => return None,
        };
        options_seen.push((name.to_string(), value));
    }
    // Post-lock beats: only when the roles come from the database (no $wp_user_roles).
    let post = array(facts, "post").and_then(|p| {
        let key = |k: &str| {
            text(p, k).filter(|v| {
                !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            })
        };
        Some(PostTables {
            posts: text(p, "posts").filter(|t| native::table_name_ok(t))?,
            postmeta: text(p, "postmeta").filter(|t| native::table_name_ok(t))?,
            roles_option: key("roles_option")?,
            caps_key: key("caps_key")?,
        })
    });
    Some(Learned {
        since: STARTED.with(Cell::get),
        db: Db {
            host: text(db, "host")?,
            port,
            socket,
            user: text(db, "user")?,
            password: text(db, "password")?,
            name: text(db, "name")?,
            charset: text(db, "charset")?,
            flags: hash::find(db, "flags")?.long()?,
        },
        users: table("users")?,
        usermeta: table("usermeta")?,
        options: table("options")?,
        ssl,
        auth_salt: bytes(facts, "auth_salt")?,
        nonce_salt: bytes(facts, "nonce_salt")?,
        options_seen,
        post,
    })
}

fn array<'a>(ht: &'a ZendHashTable, key: &str) -> Option<&'a ZendHashTable> {
    hash::find(ht, key)?.array()
}

fn bytes(ht: &ZendHashTable, key: &str) -> Option<Vec<u8>> {
    Some(hash::find(ht, key)?.zend_str()?.as_bytes().to_vec())
}

fn text(ht: &ZendHashTable, key: &str) -> Option<String> {
    String::from_utf8(bytes(ht, key)?).ok()
}

/// The compile hook's question: may this beat (logged in, the manifest allows the lane
/// for its kind) try the native answer? Sets the request's context when it may.
pub fn choose(script: &str, site: &str, m: &Manifest, kind: Kind) -> bool {
    let (Some(nopriv), Some(generated)) = (&m.nopriv, m.generated) else {
        return false;
    };
    let post_id = match kind {
        Kind::NoData => None,
        Kind::PostData if m.native_post => match post_lock_id() {
            Some(id) => Some(id),
            None => return false,
        },
        _ => return false,
    };
    if !m.native
        || FORWARDED
            .iter()
            .any(|v| super::intercept::getenv(v).is_some())
    {
        return false;
    }
    let learned = LEARNED.lock().ok().and_then(|all| {
        all.iter()
            .find(|(s, k, _)| s == script && k == site)
            .map(|(_, _, l)| l.clone())
    });
    // Learned no earlier than the manifest was written: a watched file (wp-config.php's
    // salts, say) cannot have changed since.
    let Some(learned) = learned.filter(|l| l.since >= generated) else {
        return false;
    };
    // The manifest's charset and origins come from the same option values.
    if m.options.as_deref() != Some(native::options_digest(&learned.options_seen).as_str()) {
        return false;
    }
    if ssl_now() != Some(learned.ssl)
        || auth_cookie(nopriv, learned.ssl).is_none()
        || (post_id.is_some() && learned.post.is_none())
    {
        return false;
    }
    CONTEXT.with(|c| {
        *c.borrow_mut() = Some(Context {
            script: script.to_owned(),
            learned,
            nopriv: nopriv.clone(),
            post_id,
        });
    });
    true
}

/// Set by the compile hook: the script native.php hands a beat it does not answer to.
pub fn set_fallback(path: String) {
    FALLBACK.with(|f| *f.borrow_mut() = Some(path));
}

/// `fastbeat_lane_fallback()`: that script, once (a hand-over to admin-ajax.php counts
/// as a full-path request).
pub fn fallback() -> Option<String> {
    let path = FALLBACK.with(|f| f.borrow_mut().take())?;
    if path.ends_with("/wp-admin/admin-ajax.php") {
        super::intercept::counted_as_full();
    }
    Some(path)
}

/// `data` holding only `wp-refresh-post-lock`, whose `post_id` is a plain positive
/// decimal (what `absint()` leaves as it is): that id.
fn post_lock_id() -> Option<u64> {
    let pg = ProcessGlobals::get();
    let id = pg
        .http_post_vars()
        .and_then(|p| hash::find(p, "data"))
        .and_then(Zval::array)
        .filter(|d| d.len() == 1)
        .and_then(|d| hash::find(d, "wp-refresh-post-lock"))
        .and_then(Zval::array)
        .and_then(|l| hash::find(l, "post_id"))
        .and_then(|z| z.zend_str())
        .map(|s| s.as_bytes().to_vec());
    drop(pg);
    let id = id?;
    let plain =
        !id.is_empty() && id.len() <= 18 && id[0] != b'0' && id.iter().all(u8::is_ascii_digit);
    if !plain {
        return None;
    }
    std::str::from_utf8(&id).ok()?.parse().ok()
}

/// The auth cookie `wp_parse_auth_cookie()` reads for this scheme, when it is a string.
fn auth_cookie(n: &NoPriv, ssl: bool) -> Option<Vec<u8>> {
    let name = n.cookies.get(usize::from(ssl))?;
    cookie(name)
}

fn cookie(name: &str) -> Option<Vec<u8>> {
    cookie_slot(name).flatten()
}

/// `None`: no such cookie; `Some(None)`: one that is not a string (an array, from
/// `name[]=`), on which core's `explode()` throws.
fn cookie_slot(name: &str) -> Option<Option<Vec<u8>>> {
    let pg = ProcessGlobals::get();
    let v = pg
        .http_cookie_vars()
        .and_then(|c| hash::find(c, name))
        .map(|z| {
            (z.get_type() == DataType::String)
                .then(|| z.zend_str().map(|s| s.as_bytes().to_vec()))
                .flatten()
        });
    drop(pg);
    v
}

/// What this beat's native answer needs from the request, when it has the one shape
/// answered natively.
struct Inputs {
    auth: Vec<u8>,
    logged_in: Vec<u8>,
    nonce: Vec<u8>,
}

fn inputs(ctx: &Context) -> Option<Inputs> {
    let auth = auth_cookie(&ctx.nopriv, ctx.learned.ssl)?;
    // wp_get_session_token() reads the logged-in cookie; a missing one gives "".
    let logged_in = match cookie_slot(ctx.nopriv.cookies.get(2)?) {
        None => Vec::new(),
        Some(v) => v?,
    };
    let pg = ProcessGlobals::get();
    let nonce = pg
        .http_post_vars()
        .and_then(|p| hash::find(p, "_nonce"))
        .filter(|z| z.get_type() == DataType::String)
        .and_then(|z| z.zend_str())
        .map(|s| s.as_bytes().to_vec());
    drop(pg);
    let nonce = nonce?;
    (native::unslashed(&logged_in) && !crate::text::php_string_is_empty(&nonce)).then_some(Inputs {
        auth,
        logged_in,
        nonce,
    })
}

/// `fastbeat_lane_native_plan()`: how to connect and what to read, or `None` when this
/// beat is not one answered natively (the caller then runs the lane script).
pub fn plan() -> Option<ZBox<ZendHashTable>> {
    CONTEXT.with(|c| {
        let c = c.borrow();
        let ctx = c.as_ref()?;
        let inputs = inputs(ctx)?;
        let cookie = native::parse_auth_cookie(&inputs.auth)?;
        let queries = native::queries(&ctx.learned, &cookie, ctx.post_id)?;
        let db = &ctx.learned.db;
        let mut ht = ZendHashTable::new();
        ht.insert("host", db.host.as_str()).ok()?;
        ht.insert("port", db.port).ok()?;
        ht.insert("socket", db.socket.clone()).ok()?;
        ht.insert("user", db.user.as_str()).ok()?;
        ht.insert("password", db.password.as_str()).ok()?;
        ht.insert("name", db.name.as_str()).ok()?;
        ht.insert("charset", db.charset.as_str()).ok()?;
        ht.insert("flags", db.flags).ok()?;
        ht.insert("queries", queries).ok()?;
        Some(ht)
    })
}

/// `fastbeat_lane_native_answer()`: given the reads' rows, answer and end the request
/// when core would answer this beat as logged in with nonce state 1 (a beat without
/// data); for a post-lock beat, return the write `update_post_meta()` would make (`None`
/// inside: none) and keep the answer for [`commit`]. `None` (PHP `null`) otherwise.
pub fn answer(rows: &ZendHashTable) -> Option<Option<String>> {
    let ctx = CONTEXT.with(|c| c.borrow_mut().take())?;
    let sets: Vec<&ZendHashTable> = rows.values().map(Zval::array).collect::<Option<_>>()?;
    let parsed = to_rows(&sets)?;
    let inputs = inputs(&ctx)?;
    let cookie = native::parse_auth_cookie(&inputs.auth)?;
    let now = crate::wp::nonce::time();
    let tick = tick(now)?;
    let token = crate::cookie::session_token(&inputs.logged_in);
    let beat = Beat {
        cookie,
        nonce_token: token,
        nonce: &inputs.nonce,
        tick: tick.as_bytes(),
        now,
    };
    let (uid, auth_check) = native::decide(&ctx.learned, &beat, &parsed)?;
    let Some(post_id) = ctx.post_id else {
        send(&ctx, "", auth_check, now);
        return Some(None);
    };
    let facts = post_facts(&sets, &parsed, &ctx)?;
    let lock = post_lock::decide(uid, post_id, now, &facts)?;
    let postmeta = &ctx.learned.post.as_ref()?.postmeta;
    let write = post_lock::write_sql(postmeta, post_id, &lock);
    PENDING.with(|p| {
        *p.borrow_mut() = Some(Pending {
            ctx,
            lock: lock.new_lock,
            auth_check,
            now,
        });
    });
    Some(write)
}

/// `fastbeat_lane_native_commit()`: after the post-lock write, send the answer kept by
/// [`answer`] and end the request. False when there is none.
pub fn commit() -> bool {
    let Some(p) = PENDING.with(|p| p.borrow_mut().take()) else {
        return false;
    };
    // wp_refresh_post_lock() runs on heartbeat_received, before heartbeat_send.
    let extra = format!("\"wp-refresh-post-lock\":{{\"new_lock\":\"{}\"}},", p.lock);
    send(&p.ctx, &extra, p.auth_check, p.now);
    true
}

fn send(ctx: &Context, extra: &str, auth_check: bool, now: i64) {
    super::intercept::answered_natively(&ctx.script);
    let origin = super::intercept::request_origin();
    let _ = super::answer::answer(&ctx.nopriv, origin.as_deref(), extra, auth_check, now);
}

/// The post-lock reads (sets 3 to 5) and the capabilities row of set 2.
fn post_facts(sets: &[&ZendHashTable], rows: &Rows, ctx: &Context) -> Option<post_lock::Facts> {
    let caps_key = ctx.learned.post.as_ref()?.caps_key.as_bytes();
    let [_, _, _, roles, post, locks] = sets else {
        return None;
    };
    let caps = rows
        .meta
        .iter()
        .find(|(_, k, _)| k.as_slice() == caps_key)
        .and_then(|(_, _, v)| v.clone());
    let (mut roles_value, mut privacy_page) = (None, None);
    let roles_option = ctx.learned.post.as_ref()?.roles_option.as_bytes();
    for r in roles.values() {
        let r = r.array()?;
        let name = field(r, "option_name")??;
        if name.as_slice() == roles_option {
            roles_value = field(r, "option_value")?;
        } else if name.as_slice() == b"wp_page_for_privacy_policy" {
            privacy_page = field(r, "option_value")?;
        } else {
            // Matched by the collation only: not what core's lookups read.
            return None;
        }
    }
    let post = match post.values().next() {
        Some(r) => {
            let r = r.array()?;
            Some(post_lock::Post {
                author: field(r, "post_author")??,
                post_type: field(r, "post_type")??,
                status: field(r, "post_status")??,
            })
        }
        None => None,
    };
    let mut lock_rows = Vec::new();
    for r in locks.values() {
        let r = r.array()?;
        lock_rows.push((field(r, "meta_key")??, field(r, "meta_value")?));
    }
    Some(post_lock::Facts {
        post,
        locks: lock_rows,
        roles: roles_value,
        caps,
        privacy_page,
    })
}

/// `wp_nonce_tick()` with core's day-long nonce life, as the string core concatenates.
fn tick(now: i64) -> Option<String> {
    let t = crate::nonce::tick(now, 86_400)?;
    crate::text::php_integral_float(t, crate::zend::call::ini_long("precision"))
}

/// A column of a fetched row: `Some(None)` for SQL NULL or a missing column, `None`
/// when it is not a string.
fn field(row: &ZendHashTable, k: &str) -> Option<Option<Vec<u8>>> {
    match hash::find(row, k) {
        None => Some(None),
        Some(z) if z.is_null() => Some(None),
        Some(z) => Some(Some(z.zend_str()?.as_bytes().to_vec())),
    }
}

fn to_rows(sets: &[&ZendHashTable]) -> Option<Rows> {
    let (Some(options), Some(users), Some(meta)) = (sets.first(), sets.get(1), sets.get(2)) else {
        return None;
    };
    let mut out = Rows::default();
    for row in options.values() {
        let row = row.array()?;
        out.options
            .push((field(row, "option_name")??, field(row, "option_value")?));
    }
    if let Some(row) = users.values().next() {
        let row = row.array()?;
        out.user = Some((field(row, "ID")??, field(row, "user_pass")?));
    }
    for row in meta.values() {
        let row = row.array()?;
        out.meta.push((
            field(row, "user_id")??,
            field(row, "meta_key")??,
            field(row, "meta_value")?,
        ));
    }
    Some(out)
}
