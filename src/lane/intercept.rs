//! The engine side of the lane: a compile hook that, for an eligible heartbeat to a
//! registered `admin-ajax.php`, compiles the plugin's lane script instead.
//!
//! Registration comes from PHP (the plugin, on full WordPress requests) and lives in
//! this worker process only: nothing outside the worker's own PHP code can point the
//! hook at a file. The hook is installed on first registration, i.e. after opcache has
//! installed its own, so it sees every primary script whether cached or not.

use super::manifest::{self, Manifest};
use super::request::{self, Data, Facts, Kind, POST_KEYS};
use crate::zend::sys;
use ext_php_rs::ffi::{zend_file_handle, zend_op_array};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::ZendHashTable;
use ext_php_rs::zend::{ProcessGlobals, SapiGlobals};
use std::cell::RefCell;
use std::ffi::CString;
use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// One WordPress install served by this worker.
struct Registration {
    /// Real path of its `wp-admin/admin-ajax.php`.
    script: String,
    /// The request's site key ([`super::learn::site_key`]): one admin-ajax.php may serve
    /// several sites when `wp-config.php` picks one by host (Debian's does).
    site: String,
    /// The lane script to compile instead.
    lane: CString,
    /// Where its plugin writes the manifest.
    manifest: String,
    /// When (ms since the epoch) a full-path request last registered it: that request
    /// got through WordPress, so the database answered then.
    db_seen_ms: u128,
    /// When [`due`] last said yes for it.
    upkeep_ms: u128,
}

/// How recently a full-path request must have reached the database for a logged-out
/// beat to be answered without it. Core's answer to any beat is an error page while
/// the database is down; a lane that never touches the database can only rely on a
/// recent request that did. A longer window saves more full-path beats and answers
/// longer as if the database were up after it went down.
const NOPRIV_DB_FRESH_MS: u128 = 2000;

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Most installs one worker keeps (shared hosting pools may serve several).
const MAX_REGISTRATIONS: usize = 64;

static REGISTRY: Mutex<Vec<Registration>> = Mutex::new(Vec::new());
/// Parsed manifests by path, with the file identity they were read from.
type FileId = (u64, i64, i64, u64);
static MANIFESTS: Mutex<Vec<(String, FileId, Manifest)>> = Mutex::new(Vec::new());
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// Beats this worker answered through the lane, and admin-ajax.php requests it did not.
static LANE_COUNT: AtomicU64 = AtomicU64::new(0);
static FULL_COUNT: AtomicU64 = AtomicU64::new(0);
/// Of the lane's beats, those answered natively while logged in.
static NATIVE_COUNT: AtomicU64 = AtomicU64::new(0);
static ORIGINAL: Mutex<Option<sys::CompileFile>> = Mutex::new(None);

thread_local! {
    /// This request: the admin-ajax.php the lane stands in for, if it does.
    static CURRENT: RefCell<Option<String>> = const { RefCell::new(None) };
    /// This request's lane kind, and what a native logged-out answer is made of.
    static KIND: std::cell::Cell<Option<Kind>> = const { std::cell::Cell::new(None) };
    static NOPRIV: RefCell<Option<manifest::NoPriv>> = const { RefCell::new(None) };
    /// Why the last primary admin-ajax.php compile did or did not take the lane.
    static LAST: RefCell<String> = const { RefCell::new(String::new()) };
}

/// `fastbeat_lane_register()`: remember an install and make sure the hook is in place.
pub fn register(script: &str, lane: &str, manifest_path: &str) -> bool {
    let (Ok(script), Ok(lane_c)) = (std::fs::canonicalize(script), CString::new(lane)) else {
        return false;
    };
    let Some(script) = script.to_str().map(str::to_owned) else {
        return false;
    };
    if !std::path::Path::new(lane).is_file() {
        return false;
    }
    let site = super::learn::site_key();
    let Ok(mut reg) = REGISTRY.lock() else {
        return false;
    };
    let upkeep_ms = reg
        .iter()
        .find(|r| r.script == script && r.site == site)
        .map_or(0, |r| r.upkeep_ms);
    reg.retain(|r| !(r.script == script && r.site == site));
    if reg.len() >= MAX_REGISTRATIONS {
        reg.remove(0);
    }
    reg.push(Registration {
        script,
        site,
        lane: lane_c,
        manifest: manifest_path.to_owned(),
        db_seen_ms: now_ms(),
        upkeep_ms,
    });
    drop(reg);
    install();
    true
}

fn install() {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(mut orig) = ORIGINAL.lock() else {
        return;
    };
    // SAFETY: NTS: the engine reads this pointer only from this thread; we keep the
    // previous value and call it for everything we do not take.
    unsafe {
        *orig = sys::zend_compile_file;
        sys::zend_compile_file = Some(lane_compile_file);
    }
}

/// Put the engine's hook back (module shutdown), if it is still ours.
pub fn uninstall() {
    if !INSTALLED.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Ok(orig) = ORIGINAL.lock() {
        // SAFETY: as in `install`; only restored when we are still the outermost hook.
        unsafe {
            let ours: sys::CompileFile = lane_compile_file;
            if sys::zend_compile_file.is_some_and(|f| f as usize == ours as usize) {
                sys::zend_compile_file = *orig;
            }
        }
    }
}

/// Request start: this request has not taken the lane (yet).
pub fn request_start() {
    super::learn::request_start(crate::zend::php_time());
    CURRENT.with(|c| c.borrow_mut().take());
    KIND.with(|k| k.set(None));
    NOPRIV.with(|n| n.borrow_mut().take());
}

/// This request's lane kind ("nodata", "postdata", "nopriv"), if it took the lane.
pub fn current_kind() -> Option<&'static str> {
    CURRENT.with(|c| c.borrow().is_some()).then_some(())?;
    KIND.with(std::cell::Cell::get).map(|k| match k {
        Kind::NoData => "nodata",
        Kind::PostData => "postdata",
        Kind::NoPriv => "nopriv",
    })
}

/// The request's `Origin` header, as the SAPI has it.
pub fn request_origin() -> Option<String> {
    getenv("HTTP_ORIGIN")
}

/// What a native logged-out answer is made of, in a request that took that lane.
pub fn current_nopriv() -> Option<manifest::NoPriv> {
    CURRENT.with(|c| c.borrow().is_some()).then_some(())?;
    NOPRIV.with(|n| n.borrow().clone())
}

/// The admin-ajax.php the lane stands in for in this request.
pub fn current_script() -> Option<String> {
    CURRENT.with(|c| c.borrow().clone())
}

/// This worker's lane state, for status displays.
pub struct Status {
    pub registered: usize,
    pub installed: bool,
    pub last: String,
    pub lane: u64,
    pub full: u64,
    pub native: u64,
}

/// Registrations in this worker, counts and the last decision.
pub fn status() -> Status {
    Status {
        registered: REGISTRY.lock().map_or(0, |r| r.len()),
        installed: INSTALLED.load(Ordering::SeqCst),
        last: LAST.with(|l| l.borrow().clone()),
        lane: LANE_COUNT.load(Ordering::Relaxed),
        full: FULL_COUNT.load(Ordering::Relaxed),
        native: NATIVE_COUNT.load(Ordering::Relaxed),
    }
}

unsafe extern "C" fn lane_compile_file(fh: *mut zend_file_handle, ty: c_int) -> *mut zend_op_array {
    let original = ORIGINAL.lock().ok().and_then(|o| *o);
    let Some(original) = original else {
        return std::ptr::null_mut();
    };
    // SAFETY: `fh` comes from the engine and is valid for this call.
    let primary = unsafe { !fh.is_null() && (*fh).primary_script };
    if primary {
        // Never unwind into the engine: any surprise means the full path.
        let choice = std::panic::catch_unwind(|| choose(fh)).ok().flatten();
        if let Some((script, lane)) = choice {
            // SAFETY: a fresh handle for the lane script, compiled by the next hook in
            // the chain (opcache caches it like any file) and released as the engine's
            // own compile_filename() does.
            let op = unsafe {
                let mut h: zend_file_handle = std::mem::zeroed();
                sys::zend_stream_init_filename(&mut h, lane.as_ptr());
                // Not flagged primary: opcache answers a primary-script compile with the
                // script it already resolved for the request (admin-ajax.php itself).
                let op = original(&mut h, ty);
                sys::zend_destroy_file_handle(&mut h);
                op
            };
            if !op.is_null() {
                CURRENT.with(|c| *c.borrow_mut() = Some(script));
                LANE_COUNT.fetch_add(1, Ordering::Relaxed);
                return op;
            }
            note("lane script failed to compile: full path");
        }
    }
    // SAFETY: the previous hook with the engine's own arguments.
    unsafe { original(fh, ty) }
}

fn note(why: &str) {
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        l.clear();
        l.push_str(why);
    });
}

/// The lane script to compile for this primary script, if the beat is eligible.
fn choose(fh: *mut zend_file_handle) -> Option<(String, CString)> {
    // SAFETY: `fh` is valid; its filename is a zend_string owned by the handle.
    let filename = unsafe {
        let f = (*fh).filename;
        if f.is_null() {
            return None;
        }
        (*f.cast::<ext_php_rs::types::ZendStr>())
            .as_bytes()
            .to_vec()
    };
    if !filename.ends_with(b"/wp-admin/admin-ajax.php") {
        return None;
    }
    FULL_COUNT.fetch_add(1, Ordering::Relaxed);
    let filename = String::from_utf8(filename).ok()?;
    let site = super::learn::site_key();
    let (script, lane, manifest_path, db_seen_ms) = {
        let reg = REGISTRY.lock().ok()?;
        let found = reg
            .iter()
            .find(|r| r.script == filename && r.site == site)
            .or_else(|| {
                let real = std::fs::canonicalize(&filename).ok()?;
                let real = real.to_str()?;
                reg.iter().find(|r| r.script == real && r.site == site)
            });
        let Some(r) = found else {
            note("admin-ajax.php not registered in this worker: full path");
            return None;
        };
        (
            r.script.clone(),
            r.lane.clone(),
            r.manifest.clone(),
            r.db_seen_ms,
        )
    };
    let Some(m) = load_manifest(&manifest_path) else {
        note("no readable manifest: full path");
        return None;
    };
    let auth_cookies = m.nopriv.as_ref().map_or(&[][..], |n| n.cookies.as_slice());
    let facts = facts(&m.veto_server, auth_cookies);
    let Some(kind) = request::classify(&facts) else {
        note(&format!("request not eligible ({facts:?}): full path"));
        return None;
    };
    let now_ms = now_ms();
    let now = crate::zend::php_time();
    if let Err(why) = m.allows(kind, now, mtime) {
        note(&format!("manifest refuses ({why:?}): full path"));
        return None;
    }
    if kind == Kind::NoPriv && now_ms.saturating_sub(db_seen_ms) > NOPRIV_DB_FRESH_MS {
        note("logged out, no recent full-path request vouches for the database: full path");
        return None;
    }
    let native = kind != Kind::NoPriv && super::learn::choose(&script, &site, &m, kind);
    // Post-lock beats allowed only natively: what native.php declines goes to the full
    // path (admin-ajax.php itself), not the lane script.
    let script_fallback = kind != Kind::PostData || m.postdata;
    if !native && !script_fallback {
        note("post-lock beat not answerable natively, lane script not allowed: full path");
        return None;
    }
    super::learn::set_fallback(if script_fallback {
        lane.to_str().ok()?.to_owned()
    } else {
        script.clone()
    });
    note(match kind {
        Kind::NoData if native => "lane (no data, native first)",
        Kind::NoData => "lane (no data)",
        Kind::PostData if native => "lane (post lock, native first)",
        Kind::PostData => "lane (post data)",
        Kind::NoPriv => "lane (logged out, native)",
    });
    KIND.with(|k| k.set(Some(kind)));
    // lane/nopriv.php and lane/native.php sit next to lane/lane.php.
    let sibling = |name: &str| -> Option<CString> {
        let dir = std::path::Path::new(lane.to_str().ok()?).parent()?;
        CString::new(dir.join(name).to_str()?).ok()
    };
    let lane = match (kind, &m.nopriv) {
        (Kind::NoPriv, Some(n)) => {
            NOPRIV.with(|slot| *slot.borrow_mut() = Some(n.clone()));
            sibling("nopriv.php")?
        }
        (Kind::NoData | Kind::PostData, _) if native => sibling("native.php")?,
        _ => lane,
    };
    FULL_COUNT.fetch_sub(1, Ordering::Relaxed);
    Some((script, lane))
}

fn mtime(path: &str) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?;
    let t = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    i64::try_from(t.as_secs()).ok()
}

/// Parse the manifest, reusing the last parse while the file is the same one: same inode
/// (the plugin replaces it by rename), nanosecond mtime and size.
fn load_manifest(path: &str) -> Option<Manifest> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let id = (meta.ino(), meta.mtime(), meta.mtime_nsec(), meta.size());
    let mut cache = MANIFESTS.lock().ok()?;
    if let Some((_, _, m)) = cache.iter().find(|(p, k, _)| p == path && *k == id) {
        return Some(m.clone());
    }
    let bytes = std::fs::read(path).ok()?;
    let m = manifest::parse(&bytes).ok()?;
    cache.retain(|(p, ..)| p != path);
    if cache.len() >= MAX_REGISTRATIONS {
        cache.remove(0);
    }
    cache.push((path.to_owned(), id, m.clone()));
    Some(m)
}

/// Read the request facts from the SAPI (the raw request, before any PHP runs).
fn facts(veto_server: &[String], auth_cookies: &[String]) -> Facts {
    let method_post = SapiGlobals::get().request_info().request_method() == Some("POST");
    let vetoed = getenv("HTTP_X_FASTBEAT_LANE").is_some_and(|v| v.eq_ignore_ascii_case("off"))
        || veto_server.iter().any(|v| getenv(v).is_some());
    let pg = ProcessGlobals::get();
    let post = pg.http_post_vars();
    let get = pg.http_get_vars();
    let action_heartbeat =
        post.and_then(|p| find_str(p, "action")) == Some(b"heartbeat".as_slice());
    let customizer = [post, get].iter().flatten().any(|ht| {
        find(ht, "wp_customize").is_some() || find(ht, "customize_changeset_uuid").is_some()
    });
    let data = post.and_then(|p| find(p, "data")).map_or(Data::Empty, |d| {
        if let Some(arr) = d.array() {
            Data::Array {
                len: arr.len(),
                post_keys_as_arrays: POST_KEYS
                    .iter()
                    .filter(|k| find(arr, k).is_some_and(|v| v.get_type() == DataType::Array))
                    .count(),
            }
        } else if d
            .zend_str()
            .is_some_and(|s| crate::text::php_string_is_empty(s.as_bytes()))
        {
            Data::Empty
        } else {
            Data::Other
        }
    });
    let no_cookie = post.is_some()
        && pg
            .http_cookie_vars()
            .is_none_or(|c| !auth_cookies.iter().any(|n| find(c, n).is_some()));
    drop(pg);
    // Basic auth (application passwords) can log a request in too.
    let no_credentials = [
        "PHP_AUTH_USER",
        "HTTP_AUTHORIZATION",
        "REDIRECT_HTTP_AUTHORIZATION",
    ]
    .iter()
    .all(|v| getenv(v).is_none());
    Facts {
        method_post,
        action_heartbeat,
        customizer,
        data,
        vetoed,
        anonymous: !auth_cookies.is_empty() && no_cookie && no_credentials,
    }
}

fn find<'a>(ht: &'a ZendHashTable, key: &str) -> Option<&'a ext_php_rs::types::Zval> {
    crate::zend::hash::find(ht, key)
}

fn find_str<'a>(ht: &'a ZendHashTable, key: &str) -> Option<&'a [u8]> {
    find(ht, key)
        .and_then(|z| z.zend_str())
        .map(|s| s.as_bytes())
}

/// `fastbeat_lane_due()`: whether this worker's upkeep for this install and site (the
/// manifest check, learning) is due: true at most once per `seconds`, and always when
/// the install is not registered here.
pub fn due(script: &str, seconds: u64) -> bool {
    let Some(script) = std::fs::canonicalize(script)
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
    else {
        return true;
    };
    let site = super::learn::site_key();
    let now = now_ms();
    let Ok(mut reg) = REGISTRY.lock() else {
        return true;
    };
    let Some(r) = reg
        .iter_mut()
        .find(|r| r.script == script && r.site == site)
    else {
        return true;
    };
    if now.saturating_sub(r.upkeep_ms) < u128::from(seconds) * 1000 {
        return false;
    }
    r.upkeep_ms = now;
    true
}

/// native.php handed its beat to the full path: count it there.
pub fn counted_as_full() {
    LANE_COUNT.fetch_sub(1, Ordering::Relaxed);
    FULL_COUNT.fetch_add(1, Ordering::Relaxed);
}

/// A beat of `script` was answered natively after reading the database: count it, and
/// let it vouch for the database as a full-path request does.
pub fn answered_natively(script: &str) {
    NATIVE_COUNT.fetch_add(1, Ordering::Relaxed);
    let site = super::learn::site_key();
    if let Ok(mut reg) = REGISTRY.lock() {
        if let Some(r) = reg
            .iter_mut()
            .find(|r| r.script == script && r.site == site)
        {
            r.db_seen_ms = now_ms();
        }
    }
}

/// A server variable as the SAPI has it (before any PHP ran).
pub fn getenv(name: &str) -> Option<String> {
    // SAFETY: sapi_getenv copies the name and returns an emalloc'd copy (or NULL),
    // which we free after copying it out.
    unsafe {
        let v = sys::sapi_getenv(name.as_ptr().cast(), name.len());
        if v.is_null() {
            return None;
        }
        let s = std::ffi::CStr::from_ptr(v).to_string_lossy().into_owned();
        sys::_efree(v.cast());
        Some(s)
    }
}
