//! The fast lane: answering a heartbeat without booting all of WordPress, byte for byte
//! as core would, whenever a full-path beat of the same shape showed that nothing beyond
//! core's own code shapes the answer.
//!
//! By lifetime:
//! - [`worker`]: what a PHP worker keeps across requests (sites, manifests, learned
//!   facts, tallies);
//! - [`session`]: one request's state machine, from the compile hook's choice to the
//!   answer or the hand-over to the full path;
//! - [`entry`] (the compile hook's decision), [`capture`] (evidence at the handler),
//!   [`handover`] (after the response), [`native`], [`midboot`] and [`respond`] (the
//!   answers).
//!
//! Every rule they apply is `fastbeat_lane`'s (crates/lane); the engine calls are
//! `crate::zend`'s.

pub mod capture;
pub mod entry;
pub mod handover;
pub mod midboot;
pub mod native;
pub mod respond;
pub mod session;
pub mod worker;

use fastbeat_lane::manifest::Manifest;
use fastbeat_lane::reason::Reason;
use fastbeat_lane::tally::{Path, Tally};
use serde_json::{json, Value};

/// A server variable as the SAPI has it.
pub fn getenv(name: &str) -> Option<String> {
    crate::zend::compile::getenv(name)
}

/// The request key of this request ([`fastbeat_lane::request`]): a worker keeps its sites
/// and what it learned by its text, evidence is kept by its digest.
pub fn request_key() -> fastbeat_lane::request::RequestKey {
    fastbeat_lane::request::key(getenv)
}

/// One request in this many has its CPU time measured.
const CPU_SAMPLE: u32 = 4;

static REQUESTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Request start.
pub fn request_start() {
    let n = REQUESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let cpu = n
        .is_multiple_of(CPU_SAMPLE)
        .then(crate::zend::os::cpu_micros);
    session::start(cpu, crate::zend::php_time());
}

/// Request end: count the beat once, by the path that answered it.
pub fn request_end() {
    crate::zend::compile::disarm();
    let s = session::finish();
    if s.admin_ajax {
        note_last(&s);
    }
    if !s.admin_ajax {
        return;
    }
    let (shape, path, why) = match s.state {
        session::State::Idle => return,
        session::State::Answered { shape, path } => (Some(shape), path, None),
        session::State::Lane { shape, .. } | session::State::Pending { shape, .. } => {
            // The lane script ended without answering (a fatal error, say).
            (
                Some(shape),
                Path::Full,
                Some(Reason::Declined("lane script ended early")),
            )
        }
        session::State::Full { shape, why, .. } => (shape, Path::Full, Some(why)),
        session::State::Recording { shape, why, .. } => (Some(shape), Path::Full, Some(why)),
    };
    // Only heartbeats count (an admin-ajax request of another action is no beat).
    if matches!(why, Some(Reason::NotAHeartbeat)) {
        return;
    }
    let cpu = s
        .cpu_start
        .map(|start| crate::zend::os::cpu_micros().saturating_sub(start));
    let site = s.site.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
    worker::count(site, shape, path, why.as_ref(), cpu);
    if let Some((script, key)) = site {
        worker::flush(script, key, false);
    }
}

/// `fastbeat_lane_status()`: this worker's view. Reading it also writes the worker's
/// pending counts to its sites' tally files, so that status displays (and tests) can
/// compare the two.
pub fn status() -> Value {
    worker::flush_all();
    let t = worker::total();
    json!({
        "sites": worker::sites(),
        "installed": crate::zend::compile::installed(),
        "last": LAST.with(|l| l.borrow().clone()),
        "tally": t.to_json(),
    })
}

thread_local! {
    /// The last request's decision, in words (status displays, tests).
    static LAST: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Remember a request's decision in words.
pub fn note_last(s: &session::Session) {
    LAST.with(|l| *l.borrow_mut() = s.describe());
}

/// `fastbeat_lane_report()`: the site's manifest and combined tally, for the site owner.
pub fn report(manifest_path: &str) -> Value {
    let now = crate::zend::php_time();
    let m = std::fs::read(manifest_path)
        .ok()
        .map(|b| Manifest::parse(&b));
    let tally = std::fs::read_to_string(worker::tally_path(manifest_path))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| Tally::from_json(&v))
        .unwrap_or_default();
    let reason_json = |r: &Reason| json!({"code": r.code(), "text": r.to_string(), "details": r.details().into_iter().collect::<std::collections::BTreeMap<_, _>>()});
    let (site, shapes, suspended, site_reason) = match &m {
        None => (Value::Null, json!({}), json!({}), Some(Reason::NoManifest)),
        Some(Err(r)) => (Value::Null, json!({}), json!({}), Some(r.clone())),
        Some(Ok(m)) => {
            let valid = m.site_valid(now, worker::mtime).err();
            let shapes: serde_json::Map<String, Value> = m
                .shapes
                .keys()
                .map(|k| {
                    let verdict = m.allows(k, now);
                    (
                        k.clone(),
                        json!({
                            "allowed": verdict.is_ok(),
                            "reason": verdict.err().as_ref().map(reason_json),
                            "generated": m.shapes.get(k).map(|e| e.generated),
                            "request": m.shapes.get(k).map(|e| e.evidence.request_label.clone()),
                        }),
                    )
                })
                .collect();
            let suspended: serde_json::Map<String, Value> = m
                .suspended
                .iter()
                .map(|(k, s)| {
                    (
                        k.clone(),
                        json!({"why": s.why, "since": s.since, "until": s.until}),
                    )
                })
                .collect();
            (
                json!({"generated": m.site.generated, "expires": m.site.expires, "self_check": m.site.self_check, "headers": m.site.headers_release}),
                Value::Object(shapes),
                Value::Object(suspended),
                valid,
            )
        }
    };
    let serving = site_reason.is_none()
        && shapes
            .as_object()
            .is_some_and(|o| o.values().any(|v| v["allowed"] == json!(true)));
    // Why not: the site's state first, then what kept the most beats off the lane.
    let main = site_reason.as_ref().map(reason_json).or_else(|| {
        if serving {
            return None;
        }
        shapes.as_object().and_then(|o| {
            o.values()
                .find_map(|v| v.get("reason").filter(|r| !r.is_null()).cloned())
        })
    });
    let total: u64 = tally.paths.iter().sum();
    #[allow(clippy::cast_precision_loss)]
    let share = |p: Path| {
        if total == 0 {
            0.0
        } else {
            tally.paths[p as usize] as f64 / total as f64
        }
    };
    json!({
        "now": now,
        "serving": serving,
        "main_reason": main,
        "site": site,
        "shapes": shapes,
        "suspended": suspended,
        "tally": tally.to_json(),
        "share": {"native": share(Path::Native), "nopriv": share(Path::NoPriv), "full": share(Path::Full)},
        "cpu_ms": {"native": tally.cpu_ms(Path::Native), "nopriv": tally.cpu_ms(Path::NoPriv), "full": tally.cpu_ms(Path::Full)},
        "saved_seconds": tally.saved_seconds(),
    })
}
