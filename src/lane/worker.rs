//! What a worker keeps across requests: the sites it serves (each registered by a
//! full-path beat of that site), their manifests as last read, what it learned from full
//! WordPress requests (in memory only, never on disk), and its tally.

use fastbeat_lane::manifest::Manifest;
use fastbeat_lane::native::Learned;
use fastbeat_lane::reason::Reason;
use fastbeat_lane::tally::Tally;
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

/// Most sites one worker keeps (shared hosting pools may serve several).
const MAX_SITES: usize = 64;

/// How often (ms) a worker adds its tally to the site's file.
const FLUSH_MS: u128 = 10_000;

/// How often (ms) a worker records evidence of one key that does not need it urgently.
pub const UPKEEP_MS: u128 = 2_000;

/// One WordPress site served by this worker.
#[derive(Debug)]
pub struct Site {
    /// Real path of its `wp-admin/admin-ajax.php`.
    pub script: String,
    /// The request key's text ([`super::request_key`]): the raw request facts
    /// `wp-config.php` may choose a site and its scheme by.
    pub key: String,
    /// Where its plugin keeps the manifest.
    pub manifest: String,
    /// The plugin's `lane/` directory (native.php, nopriv.php).
    pub lane_dir: String,
    /// When (ms) a request of this site last reached the database (a full-path beat got
    /// to its handler, or a native answer read its rows).
    pub db_seen_ms: u128,
    /// When (ms) each evidence key was last recorded by this worker.
    pub recorded_ms: Vec<(String, u128)>,
    /// What a native answer needs, learned from a full-path beat.
    pub learned: Option<Learned>,
    /// Lane-eligible beats since the last self-check.
    pub since_check: u32,
    /// User ids by users table and login, from native answers' reads (most recent last).
    pub user_ids: Vec<(String, String, u64)>,
    pub tally: Tally,
    pub flushed_ms: u128,
}

/// How many logins' user ids a site keeps.
const MAX_USER_IDS: usize = 64;

impl Site {
    /// The user id last found for `login` in `users`.
    pub fn user_id(&self, users: &str, login: &str) -> Option<u64> {
        self.user_ids
            .iter()
            .find(|(t, l, _)| t == users && l == login)
            .map(|(.., id)| *id)
    }

    /// Remember (or, `None`, forget) the user id found for `login` in `users`.
    pub fn remember_user_id(&mut self, users: &str, login: &str, id: Option<u64>) {
        self.user_ids
            .retain(|(t, l, _)| !(t == users && l == login));
        if let Some(id) = id {
            if self.user_ids.len() >= MAX_USER_IDS {
                self.user_ids.remove(0);
            }
            self.user_ids.push((users.to_owned(), login.to_owned(), id));
        }
    }
}

static SITES: Mutex<Vec<Site>> = Mutex::new(Vec::new());

/// Parsed manifests by path, with the file identity they were read from.
type FileId = (u64, i64, i64, u64);
static MANIFESTS: Mutex<Vec<(String, FileId, Arc<Manifest>)>> = Mutex::new(Vec::new());

/// `wp-settings.php` files' mid-boot points, by path and the mtime they were read at.
static TRIGGERS: Mutex<Vec<(String, i64, Option<String>)>> = Mutex::new(Vec::new());

/// The file the installed `wp-settings.php` at `path` requires right after starting the
/// object cache (`fastbeat_lane::midboot::trigger`), read once per version of the file.
pub fn midboot_trigger(path: &str) -> Option<String> {
    let m = mtime(path)?;
    if let Ok(t) = TRIGGERS.lock() {
        if let Some((_, _, found)) = t.iter().find(|(p, at, _)| p == path && *at == m) {
            return found.clone();
        }
    }
    let found = std::fs::read(path)
        .ok()
        .and_then(|src| fastbeat_lane::midboot::trigger(&src));
    if let Ok(mut t) = TRIGGERS.lock() {
        t.retain(|(p, ..)| p != path);
        if t.len() >= MAX_SITES {
            t.remove(0);
        }
        t.push((path.to_owned(), m, found.clone()));
    }
    found
}

/// Milliseconds since the epoch (intervals only: never compared with PHP's clock).
pub fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Run `f` on the site `script`/`key`, if this worker has it.
pub fn with_site<R>(script: &str, key: &str, f: impl FnOnce(&mut Site) -> R) -> Option<R> {
    let mut sites = SITES.lock().ok()?;
    let site = sites
        .iter_mut()
        .find(|s| s.script == script && s.key == key)?;
    Some(f(site))
}

/// Whether this worker has a site whose admin-ajax.php is `script` (as compiled, or its
/// real path) for the request's `key`: the real path of the script, when it has.
pub fn registered(script: &str, key: &str) -> Option<String> {
    let sites = SITES.lock().ok()?;
    if sites.iter().any(|s| s.script == script && s.key == key) {
        return Some(script.to_owned());
    }
    drop(sites);
    let real = std::fs::canonicalize(script).ok()?;
    let real = real.to_str()?;
    let sites = SITES.lock().ok()?;
    sites
        .iter()
        .any(|s| s.script == real && s.key == key)
        .then(|| real.to_owned())
}

/// Register (or refresh) a site: a full-path beat of it reached its handler, so the
/// database answered just now.
pub fn register(script: &str, key: &str, manifest: &str, lane_dir: &str) {
    let Ok(mut sites) = SITES.lock() else {
        return;
    };
    let now = now_ms();
    if let Some(s) = sites
        .iter_mut()
        .find(|s| s.script == script && s.key == key)
    {
        s.manifest = manifest.to_owned();
        s.lane_dir = lane_dir.to_owned();
        s.db_seen_ms = now;
        return;
    }
    if sites.len() >= MAX_SITES {
        sites.remove(0);
    }
    sites.push(Site {
        script: script.to_owned(),
        key: key.to_owned(),
        manifest: manifest.to_owned(),
        lane_dir: lane_dir.to_owned(),
        db_seen_ms: now,
        recorded_ms: Vec::new(),
        learned: None,
        since_check: 0,
        user_ids: Vec::new(),
        tally: Tally::default(),
        flushed_ms: now,
    });
}

/// The manifest at `path`, parsed once per version of the file (same inode, nanosecond
/// mtime and size: the plugin replaces it by rename).
pub fn manifest(path: &str) -> Result<Arc<Manifest>, Reason> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|_| Reason::NoManifest)?;
    let id = (meta.ino(), meta.mtime(), meta.mtime_nsec(), meta.size());
    let mut cache = MANIFESTS.lock().map_err(|_| Reason::NoManifest)?;
    if let Some((_, _, m)) = cache.iter().find(|(p, k, _)| p == path && *k == id) {
        return Ok(Arc::clone(m));
    }
    let bytes = std::fs::read(path).map_err(|_| Reason::NoManifest)?;
    let m = Arc::new(Manifest::parse(&bytes)?);
    cache.retain(|(p, ..)| p != path);
    if cache.len() >= MAX_SITES {
        cache.remove(0);
    }
    cache.push((path.to_owned(), id, Arc::clone(&m)));
    Ok(m)
}

/// A file's mtime in seconds (`None`: absent).
pub fn mtime(path: &str) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?;
    let t = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    i64::try_from(t.as_secs()).ok()
}

/// Where a site's tally file lives: next to its manifest (`lane-K.json` →
/// `tally-K.json`).
pub fn tally_path(manifest: &str) -> String {
    let p = std::path::Path::new(manifest);
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("lane.json")
        .replacen("lane-", "tally-", 1);
    p.with_file_name(name).to_string_lossy().into_owned()
}

/// Add a site's tally to its file when it is due (or `force`), under the file's lock.
pub fn flush(script: &str, key: &str, force: bool) {
    let now = now_ms();
    let taken = with_site(script, key, |s| {
        if (!force && now.saturating_sub(s.flushed_ms) < FLUSH_MS) || s.tally.is_empty() {
            return None;
        }
        s.flushed_ms = now;
        Some((std::mem::take(&mut s.tally), tally_path(&s.manifest)))
    })
    .flatten();
    let Some((mut mine, path)) = taken else {
        return;
    };
    mine.updated = crate::zend::php_time();
    if mine.since == 0 {
        mine.since = mine.updated;
    }
    if write_tally(&path, &mine).is_err() {
        // Keep the counts for the next flush rather than lose them.
        with_site(script, key, |s| s.tally.add(&mine));
    }
}

fn write_tally(path: &str, mine: &Tally) -> std::io::Result<()> {
    use std::io::{Read, Seek, Write};
    let dir = std::path::Path::new(path)
        .parent()
        .ok_or_else(|| std::io::Error::other("no directory"))?;
    if !dir.is_dir() {
        // The plugin creates the directory with the manifest; until then, keep counting.
        return Err(std::io::Error::other("no directory yet"));
    }
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    f.lock()?;
    let mut text = String::new();
    f.read_to_string(&mut text)?;
    let mut all = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| Tally::from_json(&v))
        .unwrap_or_default();
    all.add(mine);
    let out = all.to_json().to_string();
    f.set_len(0)?;
    f.seek(std::io::SeekFrom::Start(0))?;
    f.write_all(out.as_bytes())?;
    f.unlock()
}

/// Add every site's pending counts to its file now.
pub fn flush_all() {
    let sites: Vec<(String, String)> = SITES
        .lock()
        .map(|s| {
            s.iter()
                .map(|x| (x.script.clone(), x.key.clone()))
                .collect()
        })
        .unwrap_or_default();
    for (script, key) in sites {
        flush(&script, &key, true);
    }
}

/// Everything this worker counted since it started (never flushed: status and tests).
static TOTAL: Mutex<Option<Tally>> = Mutex::new(None);

/// Count a beat for its site (when known) and in the worker's total.
pub fn count(
    site: Option<(&str, &str)>,
    shape: Option<fastbeat_lane::shape::Shape>,
    path: fastbeat_lane::tally::Path,
    why: Option<&Reason>,
    cpu_us: Option<u64>,
) {
    let add = |t: &mut Tally| {
        t.count(shape, path, why);
        if let Some(us) = cpu_us {
            t.cpu(path, us);
        }
    };
    if let Some((script, key)) = site {
        with_site(script, key, |s| add(&mut s.tally));
    }
    if let Ok(mut total) = TOTAL.lock() {
        add(total.get_or_insert_with(Tally::default));
    }
}

/// This worker's counts since it started.
pub fn total() -> Tally {
    TOTAL
        .lock()
        .ok()
        .and_then(|t| t.clone())
        .unwrap_or_default()
}

/// How many sites this worker has.
pub fn sites() -> usize {
    SITES.lock().map_or(0, |s| s.len())
}
