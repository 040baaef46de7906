//! Evidence, captured when core's handler runs on a full-path beat (the plugin calls
//! `fastbeat_lane_note()` first thing on `wp_ajax_heartbeat`): the tables of every hook on
//! the shape's path, the PHP shutdown functions, the request variables the handler reads
//! as they stand against the raw request, the current user, and the fingerprints of the
//! core functions the shape's answer models. Which hooks, variables and functions is
//! `fastbeat_lane::policy`'s to say; this file reads them.

use super::session::{self, State};
use super::{getenv, request_key, worker};
use crate::zend::array::{entries, Key};
use crate::zend::inspect::{self, Defined};
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ProcessGlobals;
use fastbeat_lane::evidence::{self, Entry, Evidence, HookTable, User};
use fastbeat_lane::facts::Note;
use fastbeat_lane::manifest;
use fastbeat_lane::policy::{self, Function};
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::{self, Shape};
use std::sync::Mutex;

/// What the plugin gathers after the response, when the evidence is recorded.
#[derive(Debug, Default)]
pub struct Gather {
    pub record: bool,
    /// Option names whose raw values the native answer depends on.
    pub options: Vec<&'static str>,
    /// Server variables a site is chosen by (compared with the raw request).
    pub server: Vec<&'static str>,
    /// Network options whose raw values a multisite answer depends on.
    pub network_options: Vec<&'static str>,
    /// Hooks whose callbacks' data-key declarations to hand over.
    pub declarable: Vec<&'static str>,
}

/// `fastbeat_lane_note()`: register the site in this worker, and capture this beat's
/// evidence when it is to be recorded.
pub fn note(json: &[u8]) -> Gather {
    let Some(note) = Note::parse(json) else {
        return Gather::default();
    };
    let Some(script) = std::fs::canonicalize(&note.admin_ajax)
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
    else {
        return Gather::default();
    };
    let rk = request_key();
    let key = rk.text.clone();
    if !note.enabled {
        session::with(|s| {
            let shape = s.shape();
            s.full(shape, Reason::Disabled);
        });
        return Gather::default();
    }
    // A full-path beat reached its handler: the database answered just now.
    let manifest_path = worker::with_site(&script, &key, |s| {
        s.db_seen_ms = worker::now_ms();
        s.manifest.clone()
    });
    // The compile hook classified the beat, unless this worker had not registered the site
    // yet: then classify now (the request is the same raw request).
    let (shape, sampled) = session::with(|s| {
        s.site = Some((script.clone(), key.clone()));
        // A mid-boot answer was planned, but the boot never reached its point.
        if let State::Lane {
            shape,
            plan: super::session::Plan::MidBoot(..),
        } = &s.state
        {
            let shape = *shape;
            s.full(Some(shape), Reason::MidBootPoint);
        }
        match &s.state {
            State::Full { shape, sampled, .. } => (*shape, *sampled),
            _ => (None, false),
        }
    });
    let shape = match shape {
        Some(s) => s,
        None => match shape::classify(&super::entry::request(&note.cookies, &[])) {
            Ok(s) => s,
            Err(why) => {
                session::with(|s| s.full(None, why));
                return Gather::default();
            }
        },
    };
    let user = shape.logged_in().then(|| user(&note, shape)).flatten();
    let roles = user.as_ref().map(|u| u.roles.as_slice());
    let evidence_key = evidence::key(shape.key(), roles, &rk.digest);
    let now = crate::zend::php_time();
    let now_ms = worker::now_ms();
    let m = manifest_path.and_then(|p| worker::manifest(&p).ok());
    let site_ok = m
        .as_ref()
        .is_some_and(|m| m.site_valid(now, worker::mtime).is_ok());
    let (learned_ok, recently) = worker::with_site(&script, &key, |s| {
        let learned_ok = s
            .learned
            .as_ref()
            .zip(m.as_ref())
            .is_some_and(|(l, m)| l.watch == m.site.watch_digest());
        let recently = s
            .recorded_ms
            .iter()
            .any(|(k, t)| *k == evidence_key && now_ms.saturating_sub(*t) < worker::UPKEEP_MS);
        (learned_ok, recently)
    })
    .unwrap_or((false, false));
    let due = manifest::record_due(m.as_deref(), &evidence_key, now, site_ok)
        || (shape.logged_in() && !learned_ok);
    if !sampled && (!due || recently) {
        return Gather::default();
    }
    worker::with_site(&script, &key, |s| {
        s.recorded_ms.retain(|(k, _)| *k != evidence_key);
        s.recorded_ms.push((evidence_key.clone(), now_ms));
    });
    // (A site this worker has not registered yet is registered by the hand-over.)
    let ev = Evidence {
        shape: shape.key().to_owned(),
        hooks: hooks(shape, &note.roles_option, note.multisite),
        headers: note.headers.clone(),
        output: note.output,
        status: note.status,
        headers_sent: note.headers_sent,
        buffers: note.buffers.clone(),
        ini_buffers: note.ini_buffers(),
        shutdown: inspect::shutdown_functions(),
        rewritten: rewritten(),
        user: if shape.logged_in() {
            user
        } else {
            Some(anonymous())
        },
        functions: functions(&note.abspath),
        request: rk.digest,
        request_label: rk.label,
        // Filled after the response with what the watched callbacks did.
        observed: Vec::new(),
    };
    // Plugin callbacks a declaration may vouch for are watched while the handler runs.
    if let Some(hook) = policy::declarable(shape) {
        crate::wp::observe::start(hook);
    }
    session::with(|s| {
        let why = match std::mem::take(&mut s.state) {
            State::Full { why, .. } => why,
            _ => Reason::NotRegistered,
        };
        s.state = State::Recording {
            shape,
            why,
            sampled,
            key: evidence_key,
            evidence: Box::new(ev),
            note: Box::new(note),
        };
    });
    Gather {
        record: true,
        options: fastbeat_lane::native::OPTIONS.to_vec(),
        server: policy::SITE_VARS.to_vec(),
        network_options: fastbeat_lane::native::NETWORK_OPTIONS.to_vec(),
        declarable: policy::DECLARABLE_HOOKS.to_vec(),
    }
}

/// The tables of the hooks on the shape's path, as `$wp_filter` holds them now.
fn hooks(shape: Shape, roles_option: &str, multisite: bool) -> Vec<HookTable> {
    let wp_filter = inspect::global("wp_filter").and_then(Zval::array);
    policy::path(shape, roles_option, multisite)
        .into_iter()
        .map(|(hook, _)| {
            let Some(z) = wp_filter.and_then(|f| f.get(hook.as_str())) else {
                return HookTable {
                    hook,
                    plain: true,
                    entries: Vec::new(),
                };
            };
            let callbacks =
                inspect::declared_property(z, "WP_Hook", "callbacks").and_then(Zval::array);
            match callbacks {
                Some(cb) => HookTable {
                    entries: hook_entries(cb).unwrap_or_default(),
                    plain: hook_entries(cb).is_some(),
                    hook,
                },
                None => HookTable {
                    hook,
                    plain: false,
                    entries: Vec::new(),
                },
            }
        })
        .collect()
}

/// `WP_Hook::$callbacks`: priority => id => ['function' => ..., 'accepted_args' => ...],
/// in run order. `None` when it is not of that shape.
fn hook_entries(callbacks: &ZendHashTable) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    for (prio, list) in entries(callbacks) {
        let Key::Int(priority) = prio else {
            return None;
        };
        for (id, cb) in entries(list.array()?) {
            let cb = cb.array()?;
            let f = cb.get("function")?;
            let accepted_args = cb.get("accepted_args")?.long()?;
            let (callback, defined) = inspect::callable(f);
            out.push(Entry {
                priority,
                id: key_text(&id),
                callback,
                accepted_args,
                file: defined.file(),
            });
        }
    }
    Some(out)
}

/// `$_POST`, `$_GET`, `$_COOKIE`, `$_REQUEST` and the server variables the answer reads,
/// as the handler sees them, against the raw request with core's `wp_magic_quotes()`
/// applied: the names of those that differ.
fn rewritten() -> Vec<String> {
    // Reading engine state only: no PHP runs while the guard is held.
    let pg = ProcessGlobals::get();
    let raw_post = pg.http_post_vars();
    let raw_get = pg.http_get_vars();
    let raw_cookie = pg.http_cookie_vars();
    let mut out = Vec::new();
    let mut check = |name: &str, raw: Option<&ZendHashTable>| {
        let cur = inspect::global(name).and_then(Zval::array);
        let same = match (cur, raw) {
            (Some(c), Some(r)) => same_slashed_table(c, r),
            (None, None) => true,
            (Some(c), None) => c.is_empty(),
            (None, Some(r)) => r.is_empty(),
        };
        if !same {
            out.push(format!("${name}"));
        }
    };
    check("_POST", raw_post);
    check("_GET", raw_get);
    check("_COOKIE", raw_cookie);
    // $_REQUEST = array_merge( $_GET, $_POST ): a heartbeat has no query string.
    if raw_get.is_none_or(ZendHashTable::is_empty) {
        check("_REQUEST", raw_post);
    }
    drop(pg);
    if let Some(server) = inspect::global("_SERVER").and_then(Zval::array) {
        for var in policy::SERVER_READ {
            let cur = server.get(var).and_then(Zval::str).map(str::to_owned);
            let raw = getenv(var).map(|v| addslashes(v.as_bytes()));
            if cur.as_deref().map(str::as_bytes) != raw.as_deref() {
                // The scheme's variables with their value (see policy::SCHEME_VARS).
                if policy::SCHEME_VARS.contains(&var) {
                    out.push(format!(
                        "$_SERVER[{var}]={}",
                        cur.as_deref().unwrap_or("(unset)")
                    ));
                } else {
                    out.push(format!("$_SERVER[{var}]"));
                }
            }
        }
    }
    out
}

fn addslashes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        match b {
            b'\'' | b'"' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            0 => out.extend_from_slice(b"\\0"),
            _ => out.push(b),
        }
    }
    out
}

/// `add_magic_quotes( $raw ) == $cur`, keys and order included.
fn same_slashed_table(cur: &ZendHashTable, raw: &ZendHashTable) -> bool {
    cur.len() == raw.len()
        && entries(cur)
            .zip(entries(raw))
            .all(|((ck, cv), (rk, rv))| ck == rk && same_slashed(cv, rv))
}

/// An array key as text (integers in decimal, strings as they are, lossily).
fn key_text(k: &Key<'_>) -> String {
    match k {
        Key::Int(n) => n.to_string(),
        Key::Str(s) => String::from_utf8_lossy(s).into_owned(),
    }
}

fn same_slashed(cur: &Zval, raw: &Zval) -> bool {
    match (cur.array(), raw.array()) {
        (Some(c), Some(r)) => same_slashed_table(c, r),
        (None, None) => match (cur.zend_str(), raw.zend_str()) {
            (Some(c), Some(r)) => c.as_bytes() == addslashes(r.as_bytes()).as_slice(),
            _ => false,
        },
        _ => false,
    }
}

/// The logged-out user: `wp_get_current_user()`'s anonymous `WP_User`.
fn anonymous() -> User {
    let (class, id) = current_user()
        .map(|u| {
            let id = inspect::declared_property(u, "WP_User", "ID")
                .and_then(Zval::long)
                .unwrap_or(-1);
            (class_name(u), id)
        })
        .unwrap_or_default();
    User {
        class,
        id,
        set_count: set_count(),
        ..User::default()
    }
}

fn current_user() -> Option<&'static Zval> {
    inspect::global("current_user").filter(|z| z.object().is_some())
}

fn class_name(z: &Zval) -> String {
    z.object().map(inspect::class_of).unwrap_or_default()
}

/// `did_action( 'set_current_user' )`.
fn set_count() -> i64 {
    inspect::global("wp_actions")
        .and_then(Zval::array)
        .and_then(|a| a.get("set_current_user"))
        .and_then(Zval::long)
        .unwrap_or(0)
}

/// The logged-in user as the handler found it, with the user name its auth cookie
/// carries and the keys of its capabilities.
fn user(note: &Note, _shape: Shape) -> Option<User> {
    let u = current_user()?;
    let id = inspect::declared_property(u, "WP_User", "ID")
        .and_then(Zval::long)
        .unwrap_or(0);
    let login = inspect::declared_property(u, "WP_User", "data")
        .and_then(|d| d.object())
        .and_then(|d| d.get_property::<&Zval>("user_login").ok())
        .and_then(Zval::str)
        .unwrap_or_default()
        .to_owned();
    let mut roles: Vec<String> = inspect::declared_property(u, "WP_User", "caps")
        .and_then(Zval::array)
        .map(|caps| entries(caps).map(|(k, _)| key_text(&k)).collect())
        .unwrap_or_default();
    roles.sort();
    roles.dedup();
    let auth = if note.ssl {
        &note.cookies.secure_auth
    } else {
        &note.cookies.auth
    };
    let pg = ProcessGlobals::get();
    let cookie = |name: &str| {
        pg.http_cookie_vars()
            .and_then(|c| c.get(name))
            .and_then(Zval::str)
            .map(str::to_owned)
    };
    let raw = cookie(auth).or_else(|| cookie(&note.cookies.logged_in));
    drop(pg);
    let cookie_login = raw
        .and_then(|c| c.split('|').next().map(str::to_owned))
        .unwrap_or_default();
    Some(User {
        class: class_name(u),
        id,
        login,
        cookie_login,
        set_count: set_count(),
        roles,
    })
}

/// Fingerprints of the files' functions, kept per file version.
type FileId = (String, i64, u64);
static PRINTS: Mutex<Vec<(FileId, String, String)>> = Mutex::new(Vec::new());

fn fingerprint(path: &str, f: &Function) -> String {
    let label = f.label();
    let id = std::fs::metadata(path).ok().map(|m| {
        use std::os::unix::fs::MetadataExt;
        (path.to_owned(), m.mtime(), m.size())
    });
    let Some(id) = id else {
        return String::new();
    };
    if let Ok(cache) = PRINTS.lock() {
        if let Some((_, _, fp)) = cache.iter().find(|(i, l, _)| *i == id && *l == label) {
            return fp.clone();
        }
    }
    let fp = std::fs::read(path)
        .ok()
        .and_then(|bytes| policy::fingerprint_of(&bytes, f))
        .unwrap_or_default();
    if let Ok(mut cache) = PRINTS.lock() {
        cache.retain(|(i, l, _)| !(i.0 == id.0 && *l == label));
        if cache.len() > 512 {
            cache.remove(0);
        }
        cache.push((id, label, fp.clone()));
    }
    fp
}

/// Where each function the answers model is defined, with its fingerprint.
fn functions(abspath: &str) -> Vec<(String, Option<String>, String)> {
    policy::all_modelled_functions()
        .into_iter()
        .map(|f| {
            let defined = if f.name.contains('/') {
                Defined::File(format!("{abspath}{}", f.name), 0)
            } else {
                match f.class {
                    Some(c) => inspect::method(c, f.name),
                    None => inspect::function(f.name),
                }
            };
            let file = defined.file();
            let fp = match &defined {
                Defined::File(path, _) => fingerprint(path, &f),
                _ => String::new(),
            };
            (f.label(), file, fp)
        })
        .collect()
}
