//! Where a beat enters the lane: the compile hook's decision, made from the raw request
//! and the site's manifest before any PHP runs. Everything it decides comes from
//! `fastbeat_lane` (the beat's shape, what the manifest allows); this file only reads the
//! request and the worker's state and records the outcome in the session.

use super::session::{self, NoPrivPlan, Plan, State};
use super::{getenv, request_key, worker};
use crate::zend::array::{entries, Key};
use crate::zend::hash;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::{ProcessGlobals, SapiGlobals};
use fastbeat_lane::evidence;
use fastbeat_lane::manifest::{Cookies, Manifest};
use fastbeat_lane::policy;
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::{self, Data, RequestFacts, Shape, HEARTBEAT_FIELDS};
use std::ffi::CString;

/// How recently (ms) a request of the site must have reached the database for a
/// logged-out beat to be answered without it. Core answers any beat with an error page
/// while the database is down; an answer that never touches it can only rely on a recent
/// request that did.
const NOPRIV_DB_FRESH_MS: u128 = 2000;

/// The compile hook's chooser: the lane script to compile instead of a registered
/// site's admin-ajax.php, when the beat may take the lane.
pub fn choose(primary: &[u8]) -> Option<CString> {
    if !primary.ends_with(b"/wp-admin/admin-ajax.php") {
        return None;
    }
    let primary = std::str::from_utf8(primary).ok()?;
    let rk = request_key();
    let key = rk.text.clone();
    session::with(|s| s.admin_ajax = true);
    let Some(script) = worker::registered(primary, &key) else {
        session::with(|s| s.full(None, Reason::NotRegistered));
        return None;
    };
    session::with(|s| s.site = Some((script.clone(), key.clone())));
    let (manifest_path, lane_dir, db_seen_ms) = worker::with_site(&script, &key, |s| {
        (s.manifest.clone(), s.lane_dir.clone(), s.db_seen_ms)
    })?;
    let m = match worker::manifest(&manifest_path) {
        Ok(m) => m,
        Err(why) => {
            session::with(|s| s.full(None, why));
            return None;
        }
    };
    let facts = request(&m.site.cookies, &m.site.veto_server);
    let shape = match shape::classify(&facts) {
        Ok(shape) => shape,
        Err(why) => {
            session::with(|s| s.full(None, why));
            return None;
        }
    };
    match decide(&script, &key, &rk.digest, &m, shape, db_seen_ms) {
        Ok(Plan::MidBoot(ctx, target)) => {
            // admin-ajax.php itself runs; the include after the object cache starts is
            // lane/midboot.php's (see fastbeat_lane::midboot).
            let replacement = CString::new(format!("{lane_dir}/midboot.php")).ok()?;
            crate::zend::compile::arm(&target, replacement);
            session::with(|s| {
                s.state = State::Lane {
                    shape,
                    plan: Plan::MidBoot(ctx, target),
                }
            });
            None
        }
        Ok(plan) => {
            let file = match &plan {
                Plan::NoPriv(_) => "nopriv.php",
                Plan::Native(_) | Plan::MidBoot(..) => "native.php",
            };
            session::with(|s| s.state = State::Lane { shape, plan });
            CString::new(format!("{lane_dir}/{file}")).ok()
        }
        Err((why, sampled)) => {
            session::with(|s| {
                s.state = State::Full {
                    shape: Some(shape),
                    why,
                    sampled,
                }
            });
            None
        }
    }
}

/// The compile hook could not compile the lane script: the beat takes the full path.
pub fn failed() {
    session::with(|s| {
        let shape = s.shape();
        s.full(shape, Reason::Declined("lane script did not compile"));
    });
}

/// How the lane answers this beat, or why it takes the full path (and whether it was
/// sampled for the self-check).
fn decide(
    script: &str,
    key: &str,
    request: &str,
    m: &std::sync::Arc<Manifest>,
    shape: Shape,
    db_seen_ms: u128,
) -> Result<Plan, (Reason, bool)> {
    let now = crate::zend::php_time();
    m.site_valid(now, worker::mtime).map_err(|r| (r, false))?;
    if shape.logged_in() {
        m.any_allowed(shape, request, now).map_err(|r| (r, false))?;
    } else {
        m.allows(&evidence::key(shape.key(), None, request), now)
            .map_err(|r| (r, false))?;
    }
    // One lane-eligible beat in N goes down the full path to check the evidence.
    let sampled = worker::with_site(script, key, |s| {
        s.since_check += 1;
        if s.since_check >= m.site.self_check {
            s.since_check = 0;
            true
        } else {
            false
        }
    })
    .unwrap_or(false);
    if sampled {
        return Err((Reason::SelfCheck, true));
    }
    if !shape.logged_in() {
        if worker::now_ms().saturating_sub(db_seen_ms) > NOPRIV_DB_FRESH_MS {
            return Err((Reason::DatabaseNotVouched, false));
        }
        let headers = m.site.headers().ok_or((
            Reason::ModelMismatch {
                model: "headers".into(),
                function: String::new(),
            },
            false,
        ))?;
        return Ok(Plan::NoPriv(NoPrivPlan {
            charset: m.site.charset.clone(),
            origins: m.site.origins.clone(),
            headers,
        }));
    }
    let post_id = match request_data() {
        Data::PostLock(id) => Some(id),
        _ => None,
    };
    let ctx = super::native::context(script, key, m, post_id).map_err(|r| (r, false))?;
    if !ctx.learned.object_cache {
        return Ok(Plan::Native(Box::new(ctx)));
    }
    let target = super::midboot::target(script).ok_or((Reason::MidBootPoint, false))?;
    Ok(Plan::MidBoot(Box::new(ctx), target))
}

/// The request's facts, from the SAPI (the raw request, before any PHP runs).
pub fn request(cookies: &Cookies, veto_server: &[String]) -> RequestFacts {
    let method_post = SapiGlobals::get().request_info().request_method() == Some("POST");
    let vetoed = if getenv("HTTP_X_FASTBEAT_LANE").is_some_and(|v| v.eq_ignore_ascii_case("off")) {
        Some("HTTP_X_FASTBEAT_LANE".to_owned())
    } else {
        veto_server.iter().find(|v| getenv(v).is_some()).cloned()
    };
    let pg = ProcessGlobals::get();
    let post = pg.http_post_vars();
    let get = pg.http_get_vars();
    let action_heartbeat = post
        .and_then(|p| hash::find(p, "action"))
        .and_then(|z| z.zend_str())
        .is_some_and(|s| s.as_bytes() == b"heartbeat");
    let customizer = [post, get].iter().flatten().any(|ht| {
        hash::find(ht, "wp_customize").is_some()
            || hash::find(ht, "customize_changeset_uuid").is_some()
    });
    let extra_field = get
        .and_then(|g| entries(g).next().map(|(k, _)| key_name(&k)))
        .or_else(|| {
            post.and_then(|p| {
                entries(p)
                    .map(|(k, _)| key_name(&k))
                    .find(|k| !HEARTBEAT_FIELDS.contains(&k.as_str()))
            })
        })
        // A query string with no `$_GET` entry is still in `REQUEST_URI`, which core reads.
        .or_else(|| {
            crate::zend::compile::query_string_present().then(|| "QUERY_STRING".to_owned())
        });
    let cookie_present = |name: &str| {
        !name.is_empty()
            && pg
                .http_cookie_vars()
                .is_some_and(|c| hash::find(c, name).is_some())
    };
    let auth_cookie = cookie_present(&cookies.auth)
        || cookie_present(&cookies.secure_auth)
        || cookie_present(&cookies.logged_in);
    let recovery_cookie = cookie_present(&cookies.recovery);
    drop(pg);
    // Basic auth (application passwords) can log a request in too.
    let credentials = policy::CREDENTIALS.iter().any(|v| getenv(v).is_some());
    RequestFacts {
        method_post,
        action_heartbeat,
        customizer,
        data: request_data(),
        vetoed,
        auth_cookie,
        credentials,
        recovery_cookie,
        extra_field,
    }
}

fn key_name(k: &Key<'_>) -> String {
    match k {
        Key::Int(n) => n.to_string(),
        Key::Str(s) => String::from_utf8_lossy(s).into_owned(),
    }
}

/// The shape of `$_POST['data']` as the SAPI parsed it.
fn request_data() -> Data {
    let pg = ProcessGlobals::get();
    let data = pg
        .http_post_vars()
        .and_then(|p| hash::find(p, "data"))
        .map(data_of);
    drop(pg);
    data.unwrap_or(Data::Empty)
}

fn data_of(d: &Zval) -> Data {
    if let Some(arr) = d.array() {
        if arr.is_empty() {
            return Data::Empty;
        }
        return post_lock_id(arr).map_or(Data::Other, Data::PostLock);
    }
    match d.zend_str() {
        Some(s) if crate::text::php_string_is_empty(s.as_bytes()) => Data::Empty,
        _ if d.get_type() == DataType::Null => Data::Empty,
        _ => Data::Other,
    }
}

/// `data` holding only `wp-refresh-post-lock`, whose `post_id` is a plain positive
/// decimal (what `absint()` leaves as it is): that id.
fn post_lock_id(data: &ZendHashTable) -> Option<u64> {
    if data.len() != 1 {
        return None;
    }
    let id = hash::find(data, shape::POST_LOCK_KEY)?
        .array()
        .and_then(|l| hash::find(l, "post_id"))
        .and_then(|z| z.zend_str())?
        .as_bytes();
    let plain =
        !id.is_empty() && id.len() <= 18 && id[0] != b'0' && id.iter().all(u8::is_ascii_digit);
    if !plain {
        return None;
    }
    std::str::from_utf8(id).ok()?.parse().ok()
}
