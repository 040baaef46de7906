//! The native answer to a logged-in beat without data: what `wp_validate_auth_cookie()`,
//! the user-meta session tokens, `wp_verify_nonce()` and `wp_auth_check()` decide, from
//! three database reads and what this worker learned from a full WordPress request of
//! the same site. FFI-free.
//!
//! It only ever says yes: a beat is answered here when every check passes exactly as
//! core's would (a valid cookie and session, nonce state 1). Anything else, including
//! anything it does not model (a cookie byte that `wp_magic_quotes()` would escape, a
//! session stored in an unexpected shape, a changed option), goes on to the lane script,
//! which runs core's own code.

use hmac::{Hmac, Mac};
use md5::Md5;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::reason::Reason;
use crate::unserialize::{self, Key, Value};

/// Options the answer depends on, directly or through what was learned: salts kept in
/// the database, the charset, the URLs cookie names derive from, and what decides which
/// code a site runs. Their raw values must be the ones seen when the worker learned.
pub const OPTIONS: [&str; 12] = [
    "siteurl",
    "home",
    "blog_charset",
    "active_plugins",
    "template",
    "stylesheet",
    "auth_key",
    "auth_salt",
    "secure_auth_key",
    "secure_auth_salt",
    "nonce_key",
    "nonce_salt",
];

/// Network options (`{sitemeta}`) a multisite answer depends on: the URL the cookie names
/// derive from and the network-activated plugins. Their raw values must be the ones seen
/// when the worker learned.
pub const NETWORK_OPTIONS: [&str; 2] = ["siteurl", "active_sitewide_plugins"];

/// The network option `is_super_admin()` reads (unless `wp-config.php` sets
/// `$super_admins`); read for post locks only.
pub const SUPER_ADMINS_OPTION: &str = "site_admins";

/// `HOUR_IN_SECONDS`: the grace `wp_validate_auth_cookie()` gives Ajax and POST requests.
const GRACE: i64 = 3600;

/// How to reach the database, as `wpdb::db_connect()` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Db {
    pub host: String,
    pub port: Option<i64>,
    pub socket: Option<String>,
    pub user: String,
    pub password: String,
    pub name: String,
    pub charset: String,
    pub flags: i64,
}

/// What a worker learned from a full WordPress request of one site. Kept in the worker's
/// memory only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learned {
    /// The state of the watched files when it was learned ([`crate::manifest::watch_digest`]):
    /// facts count only for a manifest of the same state, so a change to a watched file
    /// (say, salts in wp-config.php) is never answered with what was learned before it.
    pub watch: String,
    pub db: Db,
    pub users: String,
    pub usermeta: String,
    pub options: String,
    /// `is_ssl()`: which auth cookie and scheme `wp_validate_auth_cookie()` reads.
    pub ssl: bool,
    /// `wp_salt( 'auth' )`, or `wp_salt( 'secure_auth' )` under SSL.
    pub auth_salt: Vec<u8>,
    /// `wp_salt( 'nonce' )`.
    pub nonce_salt: Vec<u8>,
    /// Raw values of [`OPTIONS`] as autoloaded (`None`: not among them).
    pub options_seen: Vec<(String, Option<Vec<u8>>)>,
    /// What post-lock beats read, when the site's roles come from the database.
    pub post: Option<PostTables>,
    /// `WP_User::$cap_key` (`{prefix}capabilities`): logged-in evidence is kept per set
    /// of its keys.
    pub caps_key: String,
    /// How the installed core takes the auth cookie's password fragment.
    pub pass_frag: crate::known::PassFrag,
    /// A multisite network's site: what `ms_site_check()` and super admins depend on.
    pub network: Option<Network>,
    /// A persistent object cache: logged-in beats are answered part-way through the boot,
    /// through the drop-in ([`crate::midboot`]).
    pub object_cache: bool,
    /// How the installed core marks posts changed after a post lock is written.
    pub last_changed: crate::known::LastChanged,
}

/// A site of a multisite network, as a full-path beat of it saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// `$wpdb->blogs`, `$wpdb->sitemeta`.
    pub blogs: String,
    pub sitemeta: String,
    /// `get_current_blog_id()`, `get_current_network_id()`.
    pub blog_id: u64,
    pub network_id: u64,
    /// `$super_admins` when `wp-config.php` sets it (it wins over the network option).
    pub super_admins: Option<Vec<String>>,
    /// Raw values of [`NETWORK_OPTIONS`] (`None`: absent).
    pub options_seen: Vec<(String, Option<Vec<u8>>)>,
}

/// Where post-lock beats read and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostTables {
    pub posts: String,
    pub postmeta: String,
    /// `$wp_roles->role_key` (e.g. `wp_user_roles`).
    pub roles_option: String,
    /// `WP_User::$cap_key` (e.g. `wp_capabilities`).
    pub caps_key: String,
}

/// A digest of option values (the manifest's site facts were derived from them): sha256
/// of `name:len:value;` or `name:-;`.
pub fn options_digest(seen: &[(String, Option<Vec<u8>>)]) -> String {
    let mut h = Sha256::new();
    for (name, value) in seen {
        h.update(name.as_bytes());
        match value {
            None => h.update(b":-;"),
            Some(v) => {
                h.update(format!(":{}:", v.len()).as_bytes());
                h.update(v);
                h.update(b";");
            }
        }
    }
    hex(&h.finalize())
}

/// A table name as `$wpdb` holds it (prefix letters, digits and `_`; a custom user table
/// may name its database).
pub fn table_name_ok(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// No byte that `addslashes()` (`wp_magic_quotes()`) would change: WordPress then sees
/// this cookie or field exactly as sent.
pub fn unslashed(v: &[u8]) -> bool {
    !v.iter().any(|b| matches!(b, b'\'' | b'"' | b'\\' | 0))
}

/// An auth cookie in the one shape answered here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCookie<'a> {
    pub username: &'a [u8],
    pub expiration_raw: &'a [u8],
    pub expiration: i64,
    pub token: &'a [u8],
    pub hmac: &'a [u8],
}

/// `wp_parse_auth_cookie()` for a cookie whose username `sanitize_user()` and `trim()`
/// leave as it is (letters, digits, `_ . @ -`, single inner spaces), with a plain
/// decimal expiration and no byte `wp_magic_quotes()` would escape.
pub fn parse_auth_cookie(v: &[u8]) -> Option<AuthCookie<'_>> {
    if !unslashed(v) {
        return None;
    }
    let [username, expiration_raw, token, hmac] = crate::cookie::parts(v)?;
    let name_ok = !username.is_empty()
        && username != b"0"
        && username.first() != Some(&b' ')
        && username.last() != Some(&b' ')
        && !username.windows(2).any(|w| w == b"  ")
        && username
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'@' | b'-' | b' '));
    if !name_ok
        || expiration_raw.is_empty()
        || expiration_raw.len() > 18
        || !expiration_raw.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let expiration = std::str::from_utf8(expiration_raw).ok()?.parse().ok()?;
    Some(AuthCookie {
        username,
        expiration_raw,
        expiration,
        token,
        hmac,
    })
}

/// What a read is for (its rows are handed back in the order of [`queries`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Options,
    User,
    UserMeta,
    Roles,
    Post,
    Locks,
    /// The site's row in `{blogs}` (multisite).
    Site,
    /// [`NETWORK_OPTIONS`] and, for post locks, [`SUPER_ADMINS_OPTION`] (multisite).
    Network,
}

/// The login as the reads name it: parse_auth_cookie() admitted only characters that need
/// no escaping in a literal; on a multisite network sanitize_user() lower-cases it
/// (strtolower, ASCII here).
pub fn sql_login(l: &Learned, c: &AuthCookie<'_>) -> Option<String> {
    let login = std::str::from_utf8(c.username).ok()?;
    Some(if l.network.is_some() {
        login.to_ascii_lowercase()
    } else {
        login.to_owned()
    })
}

/// The reads, in the order the rows are expected: the options, the user row
/// (`WP_User::get_data_by( 'login' )`'s query) and its session-tokens and capabilities
/// meta rows; for a post-lock beat also the roles option, the post row
/// (`WP_Post::get_instance()`'s query) and its `_edit_lock` rows; on a multisite network
/// also the site's row and the network options.
///
/// `user_id`: the id this worker last found for [`sql_login`]; the meta rows are then read
/// by it (a cheaper plan than the subquery), and [`decide`] declines unless the user row
/// still has it.
pub fn queries(
    l: &Learned,
    c: &AuthCookie<'_>,
    post_id: Option<u64>,
    user_id: Option<u64>,
) -> Option<Vec<(Read, String)>> {
    let login = sql_login(l, c)?;
    let names = OPTIONS
        .iter()
        .map(|o| format!("'{o}'"))
        .collect::<Vec<_>>()
        .join(",");
    let post = match post_id {
        Some(id) => Some((id, l.post.as_ref()?)),
        None => None,
    };
    let meta_keys = format!("'session_tokens','{}'", l.caps_key);
    let mut q = vec![
        (
            Read::Options,
            format!(
                "SELECT option_name, option_value FROM {} WHERE option_name IN ({names})",
                l.options
            ),
        ),
        (
            Read::User,
            format!(
                "SELECT * FROM {} WHERE user_login = '{login}' LIMIT 1",
                l.users
            ),
        ),
        (
            Read::UserMeta,
            format!(
                "SELECT user_id, meta_key, meta_value FROM {} WHERE user_id = {} AND meta_key IN ({meta_keys}) ORDER BY umeta_id ASC",
                l.usermeta,
                user_id.map_or_else(
                    || format!("(SELECT ID FROM {} WHERE user_login = '{login}' LIMIT 1)", l.users),
                    |id| id.to_string()
                )
            ),
        ),
    ];
    if let Some((id, p)) = post {
        q.push((
            Read::Roles,
            format!(
                "SELECT option_name, option_value FROM {} WHERE option_name IN ('{}','{}')",
                l.options,
                p.roles_option,
                crate::post_lock::PRIVACY_PAGE
            ),
        ));
        q.push((
            Read::Post,
            format!("SELECT * FROM {} WHERE ID = {id} LIMIT 1", p.posts),
        ));
        q.push((
            Read::Locks,
            format!(
                "SELECT meta_key, meta_value FROM {} WHERE post_id = {id} AND meta_key = '_edit_lock' ORDER BY meta_id ASC",
                p.postmeta
            ),
        ));
    }
    if let Some(n) = &l.network {
        // get_site()'s query (ms_site_check() reads its status fields).
        q.push((
            Read::Site,
            format!(
                "SELECT * FROM {} WHERE blog_id = {} LIMIT 1",
                n.blogs, n.blog_id
            ),
        ));
        let mut keys: Vec<&str> = NETWORK_OPTIONS.to_vec();
        if post.is_some() && n.super_admins.is_none() {
            keys.push(SUPER_ADMINS_OPTION);
        }
        let keys = keys
            .iter()
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(",");
        q.push((
            Read::Network,
            format!(
                "SELECT meta_key, meta_value FROM {} WHERE site_id = {} AND meta_key IN ({keys}) ORDER BY meta_id ASC",
                n.sitemeta, n.network_id
            ),
        ));
    }
    Some(q)
}

/// A column's bytes (`None` for SQL NULL).
pub type Column = Option<Vec<u8>>;

/// What the reads returned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    /// `(option_name, option_value)`.
    pub options: Vec<(Vec<u8>, Column)>,
    /// The user row, if one came back.
    pub user: Option<UserRow>,
    /// `(user_id, meta_key, meta_value)`.
    pub meta: Vec<(Vec<u8>, Vec<u8>, Column)>,
    /// The site's `deleted`, `archived` and `spam` (multisite; `None`: no row).
    pub site: Option<[Column; 3]>,
    /// `(meta_key, meta_value)` of the network options read (multisite).
    pub network: Vec<(Vec<u8>, Column)>,
}

/// The user row's fields the answer reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserRow {
    pub id: Vec<u8>,
    pub login: Column,
    pub pass: Column,
}

/// The beat's own inputs, as WordPress would see them.
pub struct Beat<'a> {
    pub cookie: AuthCookie<'a>,
    /// The session token `wp_get_session_token()` reads from the logged-in cookie.
    pub nonce_token: &'a [u8],
    /// `$_POST['_nonce']`.
    pub nonce: &'a [u8],
    /// `wp_nonce_tick()` as the string core concatenates.
    pub tick: &'a [u8],
    pub now: i64,
}

/// What core decides for a beat the native answer takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub uid: u64,
    /// `wp_auth_check()`'s value: logged in, and not inside the grace hour.
    pub auth_check: bool,
    /// The keys of the user's capabilities meta, sorted (usually one role): logged-in
    /// evidence is kept per such set.
    pub caps: Vec<String>,
    /// The user row's `user_login` (what `is_super_admin()` compares).
    pub login: Vec<u8>,
}

/// The password fragment `wp_validate_auth_cookie()` puts into the cookie's key.
pub fn pass_frag(pass: &[u8], rule: crate::known::PassFrag) -> &[u8] {
    let offset8 = pass.get(8..pass.len().min(12)).unwrap_or_default();
    match rule {
        crate::known::PassFrag::Offset8 => offset8,
        crate::known::PassFrag::Modern if pass.starts_with(b"$P$") || pass.starts_with(b"$2y$") => {
            offset8
        }
        // substr( $user_pass, -4 ): the whole string when it is shorter.
        crate::known::PassFrag::Modern => &pass[pass.len().saturating_sub(4)..],
    }
}

/// The keys of a capabilities meta value, sorted, when it is an array whose keys are
/// plain names.
pub fn caps_keys(raw: &[u8]) -> Option<Vec<String>> {
    let Some(Value::Arr(entries)) = unserialize::maybe_unserialize(raw) else {
        return None;
    };
    let mut keys = Vec::with_capacity(entries.len());
    for (k, _) in &entries {
        let Key::Str(k) = k else { return None };
        let plain = !k.is_empty()
            && k.len() <= 64
            && k.iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-'));
        if !plain {
            return None;
        }
        keys.push(String::from_utf8(k.to_vec()).ok()?);
    }
    keys.sort();
    keys.dedup();
    (keys.len() == entries.len()).then_some(keys)
}

/// The user core would log this beat in as, with nonce state 1, and `wp-auth-check`:
/// or which check comes out otherwise (the beat then takes the full path).
pub fn decide(l: &Learned, b: &Beat<'_>, rows: &Rows) -> Result<Decided, Reason> {
    let no = |check: &'static str| Reason::Declined(check);
    if !options_unchanged(&l.options_seen, &rows.options) {
        return Err(Reason::OptionsChanged);
    }
    let c = &b.cookie;
    // wp_validate_auth_cookie(): the Ajax/POST grace hour, then the quick expiry check.
    if c.expiration.checked_add(GRACE).is_none_or(|e| e < b.now) {
        return Err(no("cookie expired"));
    }
    if let Some(n) = &l.network {
        network_checks(n, rows)?;
    }
    let user = rows.user.as_ref().ok_or(no("unknown user"))?;
    let (id_raw, pass) = (&user.id, &user.pass);
    let id = std::str::from_utf8(id_raw)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|id| *id != 0 && id.to_string().as_bytes() == id_raw.as_slice())
        .ok_or(no("user id"))?;
    let pass = pass.as_deref().unwrap_or_default();
    let frag = pass_frag(pass, l.pass_frag);
    let key = hex(&hmac_md5(
        &l.auth_salt,
        &[
            c.username,
            b"|",
            frag,
            b"|",
            c.expiration_raw,
            b"|",
            c.token,
        ],
    ));
    let hash = hex(&hmac_sha256(
        key.as_bytes(),
        &[c.username, b"|", c.expiration_raw, b"|", c.token],
    ));
    if !bool::from(hash.as_bytes().ct_eq(c.hmac)) {
        return Err(no("cookie hash"));
    }
    if rows.meta.iter().any(|(u, ..)| u != id_raw) {
        return Err(no("user meta"));
    }
    // WP_User_Meta_Session_Tokens::verify(): the first exact 'session_tokens' row.
    let session = rows
        .meta
        .iter()
        .find(|(_, k, _)| k == b"session_tokens")
        .and_then(|(_, _, v)| v.as_deref())
        .ok_or(no("session"))?;
    let verifier = hex(&Sha256::digest(c.token));
    if !session_valid(session, verifier.as_bytes(), b.now) {
        return Err(no("session"));
    }
    // The capabilities row core's WP_User reads (the first of its key); none is no
    // capabilities (a network's user who is not a member of this site).
    let caps = match rows
        .meta
        .iter()
        .find(|(_, k, _)| k.as_slice() == l.caps_key.as_bytes())
    {
        None => Vec::new(),
        Some((_, _, v)) => v.as_deref().and_then(caps_keys).ok_or(no("capabilities"))?,
    };
    // wp_verify_nonce( $_POST['_nonce'], 'heartbeat-nonce' ) === 1.
    let expected = crate::nonce::expected(
        &l.nonce_salt,
        b.tick,
        crate::HEARTBEAT_ACTION.as_bytes(),
        id.to_string().as_bytes(),
        b.nonce_token,
    );
    if !crate::nonce::matches(&expected, b.nonce) {
        return Err(no("nonce"));
    }
    Ok(Decided {
        uid: id,
        auth_check: c.expiration >= b.now,
        caps,
        login: user.login.clone().unwrap_or_default(),
    })
}

/// `is_super_admin()` for a post-lock beat's user on a multisite network (always false
/// on a single site, where `WP_User::has_cap()` does not ask): `$super_admins` from
/// `wp-config.php`, else the `site_admins` network option, else `array( 'admin' )`.
pub fn is_super_admin(l: &Learned, rows: &Rows, login: &[u8]) -> bool {
    let Some(n) = &l.network else {
        return false;
    };
    if let Some(list) = &n.super_admins {
        return list.iter().any(|a| a.as_bytes() == login);
    }
    let row = rows
        .network
        .iter()
        .find(|(k, _)| k.as_slice() == SUPER_ADMINS_OPTION.as_bytes());
    match row {
        None => login == b"admin",
        Some((_, v)) => match unserialize::maybe_unserialize(v.as_deref().unwrap_or_default()) {
            // in_array( $user->user_login, $super_admins, true ).
            Some(Value::Arr(entries)) => entries
                .iter()
                .any(|(_, v)| matches!(v, Value::Str(s) if *s == login)),
            // Not an array: nobody.
            _ => false,
        },
    }
}

/// A multisite site's checks: the network options as learned, and a site
/// `ms_site_check()` lets anyone in (so that whether the user is a super admin does not
/// matter for it).
fn network_checks(n: &Network, rows: &Rows) -> Result<(), Reason> {
    let no = |check: &'static str| Reason::Declined(check);
    let status = rows.site.as_ref().ok_or(no("site row"))?;
    if !status.iter().all(|v| v.as_deref() == Some(b"0".as_slice())) {
        return Err(no("site status"));
    }
    // Each key at most once: core's get_row() takes whichever row comes first.
    let mut keys: Vec<&[u8]> = rows.network.iter().map(|(k, _)| k.as_slice()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(no("network options"));
    }
    let value = |name: &str| {
        rows.network
            .iter()
            .find(|(k, _)| k.as_slice() == name.as_bytes())
            .map(|(_, v)| v.clone().unwrap_or_default())
    };
    for (name, seen) in &n.options_seen {
        if value(name) != *seen {
            return Err(Reason::OptionsChanged);
        }
    }
    Ok(())
}

fn options_unchanged(
    seen: &[(String, Option<Vec<u8>>)],
    rows: &[(Vec<u8>, Option<Vec<u8>>)],
) -> bool {
    if seen.len() != OPTIONS.len() {
        return false;
    }
    // Every row must be one asked for by its exact name, at most once.
    let mut matched = 0;
    for (name, value) in rows {
        let Some((_, want)) = seen.iter().find(|(n, _)| n.as_bytes() == name.as_slice()) else {
            return false;
        };
        if want.is_none() || want.as_deref() != value.as_deref() {
            return false;
        }
        matched += 1;
    }
    matched == seen.iter().filter(|(_, v)| v.is_some()).count() && rows.len() == matched && {
        let mut names: Vec<&[u8]> = rows.iter().map(|(n, _)| n.as_slice()).collect();
        names.sort_unstable();
        names.windows(2).all(|w| w[0] != w[1])
    }
}

fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    mac::<Hmac<Md5>>(key, parts)
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    mac::<Hmac<Sha256>>(key, parts)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `WP_User_Meta_Session_Tokens::verify()` over a raw `session_tokens` meta value:
/// `maybe_unserialize()`, `prepare_session()` and `is_still_valid()` for every session,
/// then whether the verifier's session is among those left. False whenever the value is
/// not an array of sessions that are integers or arrays with an integer `expiration`
/// (core would warn or throw on some of those; the lane script answers them).
pub fn session_valid(raw: &[u8], verifier: &[u8], now: i64) -> bool {
    let Some(Value::Arr(sessions)) = unserialize::maybe_unserialize(raw) else {
        return false;
    };
    let mut found = None;
    for (key, session) in &sessions {
        let expiration = match session {
            Value::Int(n) => *n,
            Value::Arr(fields) => match unserialize::get(fields, b"expiration") {
                Some(Value::Int(n)) => *n,
                _ => return false,
            },
            _ => return false,
        };
        if matches!(key, Key::Str(k) if *k == verifier) {
            // Duplicate keys: the last one wins, as in PHP.
            found = Some(expiration);
        }
    }
    found.is_some_and(|e| e >= now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learned() -> Learned {
        Learned {
            watch: String::new(),
            db: Db {
                host: "localhost".into(),
                port: None,
                socket: Some("/tmp/s.sock".into()),
                user: "u".into(),
                password: "p".into(),
                name: "wp".into(),
                charset: "utf8mb4".into(),
                flags: 0,
            },
            users: "wp_users".into(),
            usermeta: "wp_usermeta".into(),
            options: "wp_options".into(),
            ssl: false,
            auth_salt: b"fastbeat-test-auth_keyfastbeat-test-auth_salt".to_vec(),
            nonce_salt: b"fastbeat-test-nonce_keyfastbeat-test-nonce_salt".to_vec(),
            options_seen: OPTIONS
                .iter()
                .map(|o| {
                    let v = (*o == "blog_charset").then(|| b"UTF-8".to_vec());
                    ((*o).to_string(), v)
                })
                .collect(),
            post: None,
            caps_key: "wp_capabilities".into(),
            pass_frag: crate::known::PassFrag::Offset8,
            network: None,
            object_cache: false,
            last_changed: crate::known::LastChanged::Direct,
        }
    }

    // The test bed's admin (user 1) and its password hash, and what WordPress 6.1.9 made of
    // them with the salts above: wp_generate_auth_cookie( 1, 1795551073, 'auth', TOKEN ).
    const PASS: &[u8] = b"$P$B4lszxZ52t55.CyHqQbCVG4vWPDydb/";
    const TOKEN: &[u8] = b"A3krUflXPkZyRtLHEYMNT0Ngxs8mIEfDZG4vnNOZdCi";

    fn cookie_for(l: &Learned, user: &[u8], exp: &[u8], token: &[u8]) -> Vec<u8> {
        let key = hex(&hmac_md5(
            &l.auth_salt,
            &[user, b"|", &PASS[8..12], b"|", exp, b"|", token],
        ));
        let hash = hex(&hmac_sha256(
            key.as_bytes(),
            &[user, b"|", exp, b"|", token],
        ));
        [user, b"|", exp, b"|", token, b"|", hash.as_bytes()].concat()
    }

    fn sessions(verifier: &str, exp: i64) -> Vec<u8> {
        format!(
            "a:2:{{s:64:\"{}\";a:4:{{s:10:\"expiration\";i:1;s:2:\"ip\";s:9:\"127.0.0.1\";s:2:\"ua\";s:3:\"x;y\";s:5:\"login\";i:5;}}s:64:\"{verifier}\";a:4:{{s:10:\"expiration\";i:{exp};s:2:\"ip\";s:9:\"127.0.0.1\";s:2:\"ua\";s:11:\"Mozilla/5.0\";s:5:\"login\";i:1795378273;}}}}",
            "0".repeat(64)
        )
        .into_bytes()
    }

    fn rows(l: &Learned, token: &[u8], exp: i64) -> Rows {
        Rows {
            options: l
                .options_seen
                .iter()
                .filter_map(|(n, v)| v.clone().map(|v| (n.clone().into_bytes(), Some(v))))
                .collect(),
            user: Some(UserRow {
                id: b"1".to_vec(),
                login: Some(b"admin".to_vec()),
                pass: Some(PASS.to_vec()),
            }),
            meta: vec![
                (
                    b"1".to_vec(),
                    b"session_tokens".to_vec(),
                    Some(sessions(&hex(&Sha256::digest(token)), exp)),
                ),
                (
                    b"1".to_vec(),
                    b"wp_capabilities".to_vec(),
                    Some(b"a:1:{s:13:\"administrator\";b:1;}".to_vec()),
                ),
            ],
            ..Rows::default()
        }
    }

    const WP_COOKIE: &str = "admin|1795551073|A3krUflXPkZyRtLHEYMNT0Ngxs8mIEfDZG4vnNOZdCi|5cf4301d57b127f5e62bfb24358b04baca02b9f472a2b2c8c2a7efadeb9fad6e";

    #[test]
    fn reads_and_table_names() {
        let l = learned();
        let c = parse_auth_cookie(b"admin|1|tok|abc");
        assert!(c.is_some(), "cookie not parsed");
        let Some(c) = c else { return };
        let q = queries(&l, &c, None, None);
        assert_eq!(
            q.as_ref().map(|q| q[1].1.as_str()),
            Some("SELECT * FROM wp_users WHERE user_login = 'admin' LIMIT 1")
        );
        assert!(q.is_some_and(
            |q| q[0].1.contains("'nonce_salt'") && q[2].1.contains("ORDER BY umeta_id ASC")
        ));
        // The meta rows by the login's subquery, or by the id this worker last found.
        let sub = queries(&l, &c, None, None).map(|q| q[2].1.clone());
        assert!(sub.is_some_and(|m| m.contains(
            "WHERE user_id = (SELECT ID FROM wp_users WHERE user_login = 'admin' LIMIT 1) AND"
        )));
        let by_id = queries(&l, &c, None, Some(7)).map(|q| q[2].1.clone());
        assert!(by_id.is_some_and(|m| m.contains("WHERE user_id = 7 AND meta_key IN")));
        assert!(table_name_ok("wp_users") && table_name_ok("other.wp_users"));
        assert!(!table_name_ok("wp_users; DROP") && !table_name_ok(""));
        assert!(unslashed(b"abc") && !unslashed(b"a'b") && !unslashed(b"a\0"));
    }

    #[test]
    fn the_cookie_hmac_is_wordpress_own() {
        let l = learned();
        assert_eq!(
            String::from_utf8(cookie_for(&l, b"admin", b"1795551073", TOKEN))
                .ok()
                .as_deref(),
            Some(WP_COOKIE)
        );
    }

    fn nonce(l: &Learned, tick: &[u8], token: &[u8]) -> [u8; 10] {
        crate::nonce::expected(&l.nonce_salt, tick, b"heartbeat-nonce", b"1", token)
    }

    #[test]
    fn a_valid_beat_is_answered_and_any_change_is_not() {
        let l = learned();
        let now = 1_795_378_300;
        let c = cookie_for(&l, b"admin", b"1795551073", TOKEN);
        let parsed = parse_auth_cookie(&c);
        assert!(parsed.is_some());
        let Some(cookie) = parsed else { return };
        let n = nonce(&l, b"41560", TOKEN);
        let beat = |cookie: AuthCookie<'static>, nonce: &'static [u8]| Beat {
            cookie,
            nonce_token: TOKEN,
            nonce,
            tick: b"41560",
            now,
        };
        let leaked: &'static [u8] = Box::leak(c.clone().into_boxed_slice());
        let nl: &'static [u8] = Box::leak(n.to_vec().into_boxed_slice());
        let ck = parse_auth_cookie(leaked);
        assert!(ck.is_some(), "cookie not parsed");
        let Some(ck) = ck else { return };
        let r = rows(&l, TOKEN, now + 100);
        assert_eq!(
            decide(&l, &beat(ck.clone(), nl), &r),
            Ok(Decided {
                uid: 1,
                auth_check: true,
                caps: vec!["administrator".into()],
                login: b"admin".to_vec(),
            })
        );
        assert_eq!(cookie.username, b"admin");

        // Wrong nonce, previous tick's nonce (state 2), another user's id.
        assert!(decide(&l, &beat(ck.clone(), b"0123456789"), &r).is_err());
        let prev: &'static [u8] = Box::leak(nonce(&l, b"41559", TOKEN).to_vec().into_boxed_slice());
        assert!(decide(&l, &beat(ck.clone(), prev), &r).is_err());
        let mut other = r.clone();
        if let Some(u) = other.user.as_mut() {
            u.id = b"2".to_vec();
        }
        assert!(decide(&l, &beat(ck.clone(), nl), &other).is_err());
        // Password changed (pass fragment), no such user.
        let mut changed = r.clone();
        if let Some(u) = changed.user.as_mut() {
            u.pass = Some(b"$P$BxEWvqCpXXXXYN2cVaRNp2mS1Ps4eW0".to_vec());
        }
        assert!(decide(&l, &beat(ck.clone(), nl), &changed).is_err());
        let mut gone = r.clone();
        gone.user = None;
        assert!(decide(&l, &beat(ck.clone(), nl), &gone).is_err());
        // Session expired or destroyed.
        assert!(decide(&l, &beat(ck.clone(), nl), &rows(&l, TOKEN, now - 1)).is_err());
        assert!(decide(
            &l,
            &beat(ck.clone(), nl),
            &rows(&l, b"other-token", now + 100)
        )
        .is_err());
        // An option changed, appeared or went.
        let mut opt = r.clone();
        opt.options[0].1 = Some(b"ISO-8859-1".to_vec());
        assert!(decide(&l, &beat(ck.clone(), nl), &opt).is_err());
        let mut extra = r.clone();
        extra
            .options
            .push((b"nonce_salt".to_vec(), Some(b"x".to_vec())));
        assert!(decide(&l, &beat(ck.clone(), nl), &extra).is_err());
        let mut missing = r.clone();
        missing.options.clear();
        assert!(decide(&l, &beat(ck.clone(), nl), &missing).is_err());
        // Another salt.
        let mut salted = l.clone();
        salted.auth_salt = b"other".to_vec();
        assert!(decide(&salted, &beat(ck.clone(), nl), &r).is_err());
        // Tampered hmac.
        let mut bad = c.clone();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'0' { b'1' } else { b'0' };
        let bad: &'static [u8] = Box::leak(bad.into_boxed_slice());
        let bc = parse_auth_cookie(bad);
        assert!(bc.is_some(), "cookie not parsed");
        let Some(bc) = bc else { return };
        assert!(decide(&l, &beat(bc, nl), &r).is_err());
        // Meta from another user's row.
        let mut foreign = r.clone();
        foreign.meta[0].0 = b"2".to_vec();
        assert!(decide(&l, &beat(ck, nl), &foreign).is_err());
    }

    #[test]
    fn a_network_looks_the_login_up_lower_cased() {
        // ms-default-filters.php: add_filter( 'sanitize_user', 'strtolower' ), which
        // WP_User::get_data_by( 'login' ) applies before its query; a single site does not.
        let mut l = learned();
        let user_sql = |l: &Learned| {
            parse_auth_cookie(b"Ad.Min-1|1|tok|abc")
                .and_then(|c| queries(l, &c, None, None))
                .map(|q| (q[1].1.clone(), q[2].1.clone()))
                .unwrap_or_default()
        };
        let (user, meta) = user_sql(&l);
        assert_eq!(
            user,
            "SELECT * FROM wp_users WHERE user_login = 'Ad.Min-1' LIMIT 1"
        );
        assert!(meta.contains("user_login = 'Ad.Min-1'"), "{meta}");
        l.network = Some(network());
        let (user, meta) = user_sql(&l);
        assert_eq!(
            user,
            "SELECT * FROM wp_users WHERE user_login = 'ad.min-1' LIMIT 1"
        );
        assert!(meta.contains("user_login = 'ad.min-1'"), "{meta}");
    }

    fn network() -> Network {
        Network {
            blogs: "wp_blogs".into(),
            sitemeta: "wp_sitemeta".into(),
            blog_id: 2,
            network_id: 1,
            super_admins: None,
            options_seen: vec![
                ("siteurl".into(), Some(b"http://ms.test".to_vec())),
                ("active_sitewide_plugins".into(), Some(b"a:0:{}".to_vec())),
            ],
        }
    }

    #[test]
    fn a_network_site_is_answered_while_its_status_and_network_options_hold() {
        let mut l = learned();
        l.network = Some(network());
        l.post = Some(PostTables {
            posts: "wp_2_posts".into(),
            postmeta: "wp_2_postmeta".into(),
            roles_option: "wp_2_user_roles".into(),
            caps_key: "wp_2_capabilities".into(),
        });
        let now = 1_795_378_300;
        let c = parse_auth_cookie(b"admin|1|tok|abc");
        let q = c.and_then(|c| queries(&l, &c, Some(7), None));
        let kinds: Vec<Read> = q.iter().flatten().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                Read::Options,
                Read::User,
                Read::UserMeta,
                Read::Roles,
                Read::Post,
                Read::Locks,
                Read::Site,
                Read::Network
            ]
        );
        let sql = q.unwrap_or_default();
        assert_eq!(sql[6].1, "SELECT * FROM wp_blogs WHERE blog_id = 2 LIMIT 1");
        assert!(sql[7].1.contains("'site_admins'") && sql[7].1.contains("site_id = 1"));
        // A beat without data does not ask for the super admins.
        let c = parse_auth_cookie(b"admin|1|tok|abc");
        let q = c
            .and_then(|c| queries(&l, &c, None, None))
            .unwrap_or_default();
        assert!(q
            .last()
            .is_some_and(|(k, s)| *k == Read::Network && !s.contains("site_admins")));
        let c = cookie_for(&l, b"admin", b"1795551073", TOKEN);
        let parsed = parse_auth_cookie(&c);
        assert!(parsed.is_some(), "cookie not parsed");
        let Some(cookie) = parsed else { return };
        let n = nonce(&l, b"41560", TOKEN);
        let beat = Beat {
            cookie,
            nonce_token: TOKEN,
            nonce: &n,
            tick: b"41560",
            now,
        };
        let mut r = rows(&l, TOKEN, now + 100);
        r.site = Some([
            Some(b"0".to_vec()),
            Some(b"0".to_vec()),
            Some(b"0".to_vec()),
        ]);
        r.network = vec![
            (b"siteurl".to_vec(), Some(b"http://ms.test".to_vec())),
            (
                b"active_sitewide_plugins".to_vec(),
                Some(b"a:0:{}".to_vec()),
            ),
            (
                b"site_admins".to_vec(),
                Some(b"a:1:{i:0;s:5:\"admin\";}".to_vec()),
            ),
        ];
        assert!(decide(&l, &beat, &r).is_ok());
        assert!(is_super_admin(&l, &r, b"admin"));
        assert!(!is_super_admin(&l, &r, b"editor"));
        // The site archived, spammed or deleted; a network plugin activated.
        for i in 0..3 {
            let mut bad = r.clone();
            if let Some(s) = bad.site.as_mut() {
                s[i] = Some(b"1".to_vec());
            }
            assert_eq!(
                decide(&l, &beat, &bad).err(),
                Some(Reason::Declined("site status"))
            );
        }
        let mut gone = r.clone();
        gone.site = None;
        assert!(decide(&l, &beat, &gone).is_err());
        let mut plugins = r.clone();
        plugins.network[1].1 = Some(b"a:1:{s:5:\"x.php\";i:1;}".to_vec());
        assert_eq!(
            decide(&l, &beat, &plugins).err(),
            Some(Reason::OptionsChanged)
        );
        let mut twice = r.clone();
        twice
            .network
            .push((b"siteurl".to_vec(), Some(b"http://ms.test".to_vec())));
        assert!(decide(&l, &beat, &twice).is_err());
        // Super admins: the default list, a value that is not an array, wp-config's list.
        let mut none = r.clone();
        none.network.truncate(2);
        assert!(is_super_admin(&l, &none, b"admin"));
        let mut odd = r.clone();
        odd.network[2].1 = Some(b"admin".to_vec());
        assert!(!is_super_admin(&l, &odd, b"admin"));
        if let Some(n) = l.network.as_mut() {
            n.super_admins = Some(vec!["editor".into()]);
        }
        assert!(is_super_admin(&l, &r, b"editor") && !is_super_admin(&l, &r, b"admin"));
        // A single site never asks.
        l.network = None;
        assert!(!is_super_admin(&l, &r, b"admin"));
    }

    #[test]
    fn the_grace_hour_logs_in_without_auth_check() {
        let l = learned();
        let now = 1_795_551_073 + 10;
        let c: &'static [u8] =
            Box::leak(cookie_for(&l, b"admin", b"1795551073", TOKEN).into_boxed_slice());
        let ck = parse_auth_cookie(c);
        assert!(ck.is_some(), "cookie not parsed");
        let Some(ck) = ck else { return };
        let n: &'static [u8] = Box::leak(nonce(&l, b"41560", TOKEN).to_vec().into_boxed_slice());
        let beat = Beat {
            cookie: ck.clone(),
            nonce_token: TOKEN,
            nonce: n,
            tick: b"41560",
            now,
        };
        assert_eq!(
            decide(&l, &beat, &rows(&l, TOKEN, now + 100)).map(|d| (d.uid, d.auth_check)),
            Ok((1, false))
        );
        let late = Beat {
            now: 1_795_551_073 + 3601,
            ..beat
        };
        assert!(decide(&l, &late, &rows(&l, TOKEN, late.now + 100)).is_err());
    }

    #[test]
    fn password_fragments_as_each_core_takes_them() {
        use crate::known::PassFrag::{Modern, Offset8};
        let phpass = b"$P$B4lszxZ52t55.CyHqQbCVG4vWPDydb/";
        let wp = b"$wp$2y$10$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRSWXYZ";
        assert_eq!(pass_frag(phpass, Offset8), b"xZ52");
        assert_eq!(pass_frag(phpass, Modern), b"xZ52");
        assert_eq!(pass_frag(b"$2y$10$abcdefghijkl", Modern), b"bcde");
        assert_eq!(pass_frag(wp, Offset8), b"0$ab");
        assert_eq!(pass_frag(wp, Modern), b"WXYZ");
        assert_eq!(pass_frag(b"abc", Modern), b"abc");
        assert_eq!(pass_frag(b"abc", Offset8), b"");
    }

    #[test]
    fn capability_sets() {
        assert_eq!(
            caps_keys(b"a:2:{s:6:\"editor\";b:1;s:11:\"custom_flag\";b:0;}"),
            Some(vec!["custom_flag".into(), "editor".into()])
        );
        assert_eq!(caps_keys(b"a:0:{}"), Some(vec![]));
        assert_eq!(caps_keys(b"a:1:{i:0;b:1;}"), None);
        assert_eq!(caps_keys(b"a:1:{s:3:\"A B\";b:1;}"), None);
        assert_eq!(caps_keys(b"s:5:\"admin\";"), None);
    }

    #[test]
    fn cookies_outside_the_modelled_shape_are_not_parsed() {
        assert!(parse_auth_cookie(b"admin|1795551073|tok|abc").is_some());
        assert!(parse_auth_cookie(b"John Doe|1|tok|abc").is_some());
        for bad in [
            &b""[..],
            b"admin|1|tok",
            b"admin|1|tok|abc|x",
            b"0|1|tok|abc",
            b"|1|tok|abc",
            b" admin|1|tok|abc",
            b"a  b|1|tok|abc",
            b"o'neil|1|tok|abc",
            b"admin|1x|tok|abc",
            b"admin||tok|abc",
            b"admin|1|to\\k|abc",
            b"adm%41in|1|tok|abc",
            b"admin|1234567890123456789|tok|abc",
        ] {
            assert_eq!(
                parse_auth_cookie(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn session_values_are_read_as_unserialize_would() {
        let v = "a".repeat(64);
        let ok = sessions(&v, 200);
        assert!(session_valid(&ok, v.as_bytes(), 100));
        assert!(session_valid(
            &[b" \n", ok.as_slice(), b"\t"].concat(),
            v.as_bytes(),
            100
        ));
        assert!(!session_valid(&ok, v.as_bytes(), 201));
        assert!(!session_valid(&ok, "b".repeat(64).as_bytes(), 100));
        // An integer session is its expiration (prepare_session()).
        let int = format!("a:1:{{s:64:\"{v}\";i:500;}}");
        assert!(session_valid(int.as_bytes(), v.as_bytes(), 100));
        // Duplicate keys: the last wins.
        let dup = format!("a:2:{{s:64:\"{v}\";i:500;s:64:\"{v}\";i:50;}}");
        assert!(!session_valid(dup.as_bytes(), v.as_bytes(), 100));
        for bad in [
            format!("a:1:{{s:64:\"{v}\";a:1:{{s:2:\"ip\";s:1:\"x\";}}}}"),
            format!("a:1:{{s:64:\"{v}\";a:1:{{s:10:\"expiration\";s:3:\"500\";}}}}"),
            format!("a:1:{{s:64:\"{v}\";O:8:\"stdClass\":0:{{}}}}"),
            format!("a:2:{{s:64:\"{v}\";i:500;s:1:\"x\";s:1:\"y\";}}"),
            format!("a:1:{{s:64:\"{v}\";i:500;}}x"),
            format!("a:2:{{s:64:\"{v}\";i:500;}}"),
            format!("a:1:{{s:65:\"{v}\";i:500;}}"),
            "s:3:\"abc\";".to_string(),
            String::new(),
            "i:5;".to_string(),
        ] {
            assert!(!session_valid(bad.as_bytes(), v.as_bytes(), 100), "{bad}");
        }
    }

    #[test]
    fn the_options_digest_is_the_plugins() {
        // php -r 'echo hash("sha256", "siteurl:3:a;b;home:-;");'
        let seen = vec![
            ("siteurl".to_string(), Some(b"a;b".to_vec())),
            ("home".to_string(), None),
        ];
        assert_eq!(
            options_digest(&seen),
            "713a664ac97dfe5697b986cce7b1c8c2c998540ee4a3b0bf7becb7fc8935006a"
        );
    }
}
