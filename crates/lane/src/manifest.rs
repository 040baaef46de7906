//! The lane manifest: one file per site (`uploads/fastbeat/lane-<key>.json`, no secrets),
//! rendered here from full-path beats' evidence and written by the plugin with
//! WordPress's own functions. The extension reads it before any PHP runs.
//!
//! It has three parts: the site's facts (when they were taken, the files they depend on,
//! what a logged-out answer is made of), one entry per beat shape (and, for logged-in
//! shapes, per role) with the evidence of the last full-path beat of that shape and the
//! policy's verdict on it, and the shapes the self-check suspended. Anything unexpected
//! means "full path".

use crate::answer::HeaderModel;
use crate::evidence::Evidence;
use crate::known;
use crate::reason::Reason;
use crate::shape::Shape;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Manifest format this crate reads and writes.
pub const FORMAT: i64 = 3;

/// Seconds site facts and evidence stay valid; a full-path beat then records afresh.
pub const TTL: i64 = 600;

/// How long a shape stays suspended after the self-check saw its evidence change, unless
/// a watched file changes first (a plugin updated, say).
pub const SUSPEND: i64 = 86_400;

/// At most one beat in this many goes down the full path to be checked (the site may
/// ask for more often; never less).
pub const SELF_CHECK_MAX: u32 = 100;

/// The cookies whose presence makes a beat not anonymous, and the recovery-mode cookie.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cookies {
    pub auth: String,
    pub secure_auth: String,
    pub logged_in: String,
    pub recovery: String,
}

/// The site's facts, from the last full-path beat that recorded evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFacts {
    pub generated: i64,
    pub expires: i64,
    /// Files (absolute) and their mtime (-1: absent) when the facts were taken.
    pub watch: Vec<(String, i64)>,
    /// Server variables (e.g. `HTTP_X_FOO`) whose presence vetoes the lane.
    pub veto_server: Vec<String>,
    /// One beat in this many is checked on the full path.
    pub self_check: u32,
    pub cookies: Cookies,
    /// `get_option( 'blog_charset' )`.
    pub charset: String,
    /// `get_allowed_http_origins()`.
    pub origins: Vec<String>,
    /// The release whose header code the installed core has ([`known::RELEASES`]).
    pub headers_release: String,
    /// Digest of the raw option values the facts were derived from.
    pub options: String,
}

impl SiteFacts {
    /// How the installed core sends its headers.
    pub fn headers(&self) -> Option<HeaderModel> {
        known::RELEASES
            .iter()
            .find(|r| r.name == self.headers_release)
            .map(|r| r.headers)
    }

    /// A digest of the watched files' state.
    pub fn watch_digest(&self) -> String {
        watch_digest(&self.watch)
    }
}

/// A digest of a watch list (what a suspension is tied to).
pub fn watch_digest(watch: &[(String, i64)]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (p, m) in watch {
        h.update(p.as_bytes());
        h.update(format!("\0{m}\n").as_bytes());
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A reason as kept in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonRecord {
    pub code: String,
    pub text: String,
    pub details: Vec<(String, String)>,
}

impl From<&Reason> for ReasonRecord {
    fn from(r: &Reason) -> Self {
        let mut details: Vec<(String, String)> = r
            .details()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        // JSON objects come back sorted by key.
        details.sort();
        ReasonRecord {
            code: r.code().into(),
            text: r.to_string(),
            details,
        }
    }
}

impl ReasonRecord {
    fn to_json(&self) -> Value {
        let details: Map<String, Value> = self
            .details
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        json!({"code": self.code, "text": self.text, "details": details})
    }

    fn from_json(v: &Value) -> Option<ReasonRecord> {
        Some(ReasonRecord {
            code: v.get("code")?.as_str()?.to_owned(),
            text: v.get("text")?.as_str()?.to_owned(),
            details: v
                .get("details")?
                .as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect::<Option<_>>()?,
        })
    }
}

/// One shape's (and role's) recorded evidence and verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub generated: i64,
    pub expires: i64,
    /// `None`: the lane may answer; otherwise why not.
    pub refused: Option<ReasonRecord>,
    pub evidence: Evidence,
}

/// A shape the self-check took off the lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub since: i64,
    pub until: i64,
    /// The watched files' state it is tied to ([`watch_digest`]).
    pub watch: String,
    /// What changed, in words (hook and owner when it was a callback).
    pub why: String,
}

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub site: SiteFacts,
    /// By evidence key (`nopriv`, `nodata/administrator`).
    pub shapes: BTreeMap<String, Entry>,
    pub suspended: BTreeMap<String, Suspension>,
}

/// The key's shape (`postlock/editor@…` → post lock).
pub fn key_shape(key: &str) -> Option<Shape> {
    Shape::from_key(crate::evidence::key_parts(key).0)
}

impl Manifest {
    /// Parse manifest JSON.
    pub fn parse(json: &[u8]) -> Result<Manifest, Reason> {
        let v: Value = serde_json::from_slice(json).map_err(|_| Reason::NoManifest)?;
        parse_value(&v).ok_or(Reason::NoManifest)
    }

    /// The manifest as JSON text.
    pub fn render(&self) -> String {
        let s = &self.site;
        let shapes: Map<String, Value> = self
            .shapes
            .iter()
            .map(|(k, e)| {
                (
                    k.clone(),
                    json!({
                        "generated": e.generated,
                        "expires": e.expires,
                        "refused": e.refused.as_ref().map(ReasonRecord::to_json),
                        "evidence": e.evidence.to_json(),
                    }),
                )
            })
            .collect();
        let suspended: Map<String, Value> = self
            .suspended
            .iter()
            .map(|(k, x)| {
                (
                    k.clone(),
                    json!({"since": x.since, "until": x.until, "watch": x.watch, "why": x.why}),
                )
            })
            .collect();
        json!({
            "format": FORMAT,
            "site": {
                "generated": s.generated,
                "expires": s.expires,
                "watch": s.watch.iter().map(|(p, m)| json!([p, m])).collect::<Vec<_>>(),
                "veto_server": s.veto_server,
                "self_check": s.self_check,
                "cookies": {
                    "auth": s.cookies.auth,
                    "secure_auth": s.cookies.secure_auth,
                    "logged_in": s.cookies.logged_in,
                    "recovery": s.cookies.recovery,
                },
                "charset": s.charset,
                "origins": s.origins,
                "headers": s.headers_release,
                "options": s.options,
            },
            "shapes": shapes,
            "suspended": suspended,
        })
        .to_string()
    }

    /// Whether the site facts still hold at `now`, given a way to read a file's mtime
    /// (`None`: absent).
    pub fn site_valid(&self, now: i64, mtime: impl Fn(&str) -> Option<i64>) -> Result<(), Reason> {
        if now >= self.site.expires {
            return Err(Reason::Expired);
        }
        for (path, want) in &self.site.watch {
            if mtime(path).unwrap_or(-1) != *want {
                return Err(Reason::FileChanged(path.clone()));
            }
        }
        Ok(())
    }

    /// Whether beats under `key` may take the lane at `now` (the site checked already).
    pub fn allows(&self, key: &str, now: i64) -> Result<&Entry, Reason> {
        let shape = key_shape(key).ok_or(Reason::DataNotModelled)?;
        if let Some(s) = self.suspended.get(key) {
            if now < s.until && s.watch == self.site.watch_digest() {
                return Err(Reason::Suspended(shape));
            }
        }
        let Some(e) = self.shapes.get(key) else {
            return Err(match crate::evidence::key_parts(key).1 {
                Some(roles) => Reason::RoleNotRecorded(roles.to_owned()),
                None => Reason::NotRecorded(shape),
            });
        };
        if now >= e.expires {
            return Err(Reason::NotRecorded(shape));
        }
        match &e.refused {
            None => Ok(e),
            Some(r) => Err(refusal(r, shape)),
        }
    }

    /// Whether any role's evidence lets `shape` take the lane for beats with the request
    /// key `request` (a logged-in beat's role is known only once its user row is read).
    pub fn any_allowed(&self, shape: Shape, request: &str, now: i64) -> Result<(), Reason> {
        let mut why = Reason::NotRecorded(shape);
        let keys = self.shapes.keys().filter(|k| {
            let (s, roles, r) = crate::evidence::key_parts(k);
            s == shape.key() && roles.is_some() && r == request
        });
        for key in keys {
            match self.allows(key, now) {
                Ok(_) => return Ok(()),
                Err(r) => why = r,
            }
        }
        Err(why)
    }
}

/// What recording a full-path beat's evidence did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub manifest: Manifest,
    /// The key the beat's evidence suspended, and why: the lane had been answering beats
    /// of this key on evidence this beat contradicts.
    pub suspended: Option<(String, String)>,
}

/// Whether a full-path beat under `key` should record its evidence: the manifest's site
/// facts no longer hold, or the key has no entry, or one past half its life.
pub fn record_due(m: Option<&Manifest>, key: &str, now: i64, site_ok: bool) -> bool {
    let Some(m) = m else { return true };
    !site_ok
        || m.shapes
            .get(key)
            .is_none_or(|e| e.expires.saturating_sub(now) < TTL / 2)
}

/// The manifest after a full-path beat of `key` recorded `ev` (judged `verdict`) with the
/// site facts `site`. Entries recorded under another state of the watched files are
/// dropped; an entry the lane was answering with, contradicted by this beat, is
/// suspended rather than replaced.
pub fn record(
    old: Option<Manifest>,
    site: SiteFacts,
    key: &str,
    ev: Evidence,
    verdict: Result<(), &Reason>,
    dirs: &crate::evidence::Dirs,
    now: i64,
) -> Recorded {
    let digest = site.watch_digest();
    let (mut shapes, mut suspended) = match old {
        Some(m) if m.site.watch_digest() == digest => (m.shapes, m.suspended),
        Some(m) => (
            BTreeMap::new(),
            m.suspended
                .into_iter()
                .filter(|(_, s)| s.watch == digest)
                .collect(),
        ),
        None => (BTreeMap::new(), BTreeMap::new()),
    };
    shapes.retain(|_, e| e.expires > now);
    suspended.retain(|_, s| s.until > now);
    let mut newly = None;
    if let Some(e) = shapes.get(key) {
        if e.refused.is_none() {
            if let Some(why) = e.evidence.differs(&ev, dirs) {
                shapes.remove(key);
                suspended.insert(
                    key.to_owned(),
                    Suspension {
                        since: now,
                        until: now + SUSPEND,
                        watch: digest.clone(),
                        why: why.clone(),
                    },
                );
                newly = Some((key.to_owned(), why));
            }
        }
    }
    if newly.is_none() {
        shapes.insert(
            key.to_owned(),
            Entry {
                generated: now,
                expires: now + TTL,
                refused: verdict.err().map(ReasonRecord::from),
                evidence: ev,
            },
        );
    }
    Recorded {
        manifest: Manifest {
            site,
            shapes,
            suspended,
        },
        suspended: newly,
    }
}

/// Whether `new` (the manifest after a beat of `key` was recorded) says nothing `old` does
/// not but for the times it was taken, while `old`'s site facts and `key`'s entry are both
/// short of half their life. A self-check that confirms the evidence then leaves the file
/// alone: rewriting it would only make every worker parse it again.
pub fn unchanged(old: &Manifest, new: &Manifest, key: &str, now: i64) -> bool {
    let fresh = |expires: i64| expires.saturating_sub(now) >= TTL / 2;
    let Some(was) = old.shapes.get(key) else {
        return false;
    };
    if !fresh(old.site.expires) || !fresh(was.expires) {
        return false;
    }
    let mut site = new.site.clone();
    site.generated = old.site.generated;
    site.expires = old.site.expires;
    site == old.site
        && new.suspended == old.suspended
        && new.shapes.len() == old.shapes.len()
        && new.shapes.iter().all(|(k, e)| {
            old.shapes.get(k).is_some_and(|o| {
                if k == key {
                    o.refused == e.refused && o.evidence == e.evidence
                } else {
                    o == e
                }
            })
        })
}

/// A recorded refusal as a reason (its details kept in words).
fn refusal(r: &ReasonRecord, shape: Shape) -> Reason {
    let detail = |k: &str| {
        r.details
            .iter()
            .find(|(n, _)| n == k)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    match r.code.as_str() {
        "callback" => Reason::Callback {
            hook: detail("hook"),
            callback: detail("callback"),
            owner: crate::reason::Owner::from_tag(&detail("owner_tag")),
        },
        "unconfirmed" => Reason::Unconfirmed {
            hook: detail("hook"),
            callback: detail("callback"),
            owner: crate::reason::Owner::from_tag(&detail("owner_tag")),
            check: detail("check"),
        },
        "core-callback-changed" => Reason::CoreCallbackChanged {
            hook: detail("hook"),
            callback: detail("callback"),
        },
        "pluggable" => Reason::Pluggable {
            function: detail("function"),
            owner: crate::reason::Owner::from_tag(&detail("owner_tag")),
        },
        "model-mismatch" => Reason::ModelMismatch {
            model: detail("model"),
            function: detail("function"),
        },
        "header" => Reason::HeaderBeforeHandler(detail("name")),
        "output" => Reason::OutputBeforeHandler,
        "status" => Reason::StatusBeforeHandler(detail("status").parse().unwrap_or(0)),
        "output-handler" => Reason::OutputHandler(detail("name")),
        "shutdown-function" => Reason::ShutdownFunction(detail("name")),
        "request-rewritten" => Reason::RequestRewritten(detail("name")),
        "user-switched" => Reason::UserSwitched,
        "object-cache" => Reason::ObjectCache,
        "db-dropin" => Reason::DatabaseDropIn,
        "post-type" => Reason::PostTypeChanged,
        "not-a-hook" => Reason::NotAHook(detail("hook")),
        _ => Reason::NotRecorded(shape),
    }
}

fn parse_value(v: &Value) -> Option<Manifest> {
    if v.get("format")?.as_i64()? != FORMAT {
        return None;
    }
    let s = v.get("site")?;
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let header_safe = |s: &str| !s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0);
    let cookies = s.get("cookies")?;
    let site = SiteFacts {
        generated: s.get("generated")?.as_i64()?,
        expires: s.get("expires")?.as_i64()?,
        watch: s
            .get("watch")?
            .as_array()?
            .iter()
            .map(|p| {
                let p = p.as_array()?;
                Some((p.first()?.as_str()?.to_owned(), p.get(1)?.as_i64()?))
            })
            .collect::<Option<_>>()?,
        veto_server: strings(s.get("veto_server")?)?,
        self_check: u32::try_from(s.get("self_check")?.as_u64()?)
            .ok()?
            .clamp(1, SELF_CHECK_MAX),
        cookies: Cookies {
            auth: text(cookies, "auth")?,
            secure_auth: text(cookies, "secure_auth")?,
            logged_in: text(cookies, "logged_in")?,
            recovery: text(cookies, "recovery")?,
        },
        charset: text(s, "charset")?,
        origins: strings(s.get("origins")?)?,
        headers_release: text(s, "headers")?,
        options: text(s, "options")?,
    };
    // Values header() would refuse are not modelled.
    if !header_safe(&site.charset) || !site.origins.iter().all(|o| header_safe(o)) {
        return None;
    }
    let mut shapes = BTreeMap::new();
    for (k, e) in v.get("shapes")?.as_object()? {
        let refused = match e.get("refused")? {
            Value::Null => None,
            r => Some(ReasonRecord::from_json(r)?),
        };
        shapes.insert(
            k.clone(),
            Entry {
                generated: e.get("generated")?.as_i64()?,
                expires: e.get("expires")?.as_i64()?,
                refused,
                evidence: Evidence::from_json(e.get("evidence")?)?,
            },
        );
    }
    let mut suspended = BTreeMap::new();
    for (k, x) in v.get("suspended")?.as_object()? {
        suspended.insert(
            k.clone(),
            Suspension {
                since: x.get("since")?.as_i64()?,
                until: x.get("until")?.as_i64()?,
                watch: text(x, "watch")?,
                why: text(x, "why")?,
            },
        );
    }
    Some(Manifest {
        site,
        shapes,
        suspended,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn site(now: i64) -> SiteFacts {
        SiteFacts {
            generated: now,
            expires: now + TTL,
            watch: vec![("/a".into(), 10), ("/gone".into(), -1)],
            veto_server: vec!["HTTP_X_FASTBEAT_FIXTURE".into()],
            self_check: 100,
            cookies: Cookies {
                auth: "wordpress_x".into(),
                secure_auth: "wordpress_sec_x".into(),
                logged_in: "wordpress_logged_in_x".into(),
                recovery: "wordpress_rec_x".into(),
            },
            charset: "UTF-8".into(),
            origins: vec!["http://a".into(), "https://a".into()],
            headers_release: "6.1.9".into(),
            options: "ab".into(),
        }
    }

    fn entry(now: i64, refused: Option<Reason>) -> Entry {
        Entry {
            generated: now,
            expires: now + TTL,
            refused: refused.as_ref().map(ReasonRecord::from),
            evidence: Evidence {
                shape: "nodata".into(),
                ..Evidence::default()
            },
        }
    }

    fn fs(path: &str) -> Option<i64> {
        (path == "/a").then_some(10)
    }

    #[test]
    fn round_trip_and_lookups() {
        let mut m = Manifest {
            site: site(100),
            shapes: BTreeMap::new(),
            suspended: BTreeMap::new(),
        };
        m.shapes.insert("nopriv".into(), entry(100, None));
        m.shapes
            .insert("nodata/administrator".into(), entry(100, None));
        m.shapes.insert(
            "postlock/editor".into(),
            entry(
                100,
                Some(Reason::Callback {
                    hook: "user_has_cap".into(),
                    callback: "grant".into(),
                    owner: crate::reason::Owner::Plugin("members".into()),
                }),
            ),
        );
        let parsed = Manifest::parse(m.render().as_bytes());
        assert_eq!(parsed.as_ref(), Ok(&m));
        assert_eq!(m.site_valid(200, fs), Ok(()));
        assert!(m.allows("nopriv", 200).is_ok());
        assert!(m.allows("nodata/administrator", 200).is_ok());
        assert_eq!(
            m.allows("nodata/editor", 200).err(),
            Some(Reason::RoleNotRecorded("editor".into()))
        );
        assert_eq!(
            m.allows("nopriv-data", 200).err(),
            Some(Reason::NotRecorded(Shape::NoPrivData))
        );
        assert!(matches!(
            m.allows("postlock/editor", 200),
            Err(Reason::Callback { .. })
        ));
        assert_eq!(m.any_allowed(Shape::NoData, "", 200), Ok(()));
        assert!(matches!(
            m.any_allowed(Shape::PostLock, "", 200),
            Err(Reason::Callback { .. })
        ));
        // Evidence speaks for beats with its request key only.
        m.shapes.insert("nodata/author@0b".into(), entry(100, None));
        assert_eq!(m.any_allowed(Shape::NoData, "0b", 200), Ok(()));
        assert_eq!(
            m.any_allowed(Shape::NoData, "0c", 200),
            Err(Reason::NotRecorded(Shape::NoData))
        );
        assert_eq!(
            m.allows("nopriv@0b", 200).err(),
            Some(Reason::NotRecorded(Shape::NoPriv))
        );
        // Expiry, changed and appearing files.
        assert_eq!(m.site_valid(100 + TTL, fs), Err(Reason::Expired));
        assert_eq!(
            m.allows("nopriv", 100 + TTL).err(),
            Some(Reason::NotRecorded(Shape::NoPriv))
        );
        let touched = |p: &str| if p == "/a" { Some(11) } else { None };
        assert_eq!(
            m.site_valid(200, touched),
            Err(Reason::FileChanged("/a".into()))
        );
        let appeared = |p: &str| if p == "/gone" { Some(1) } else { fs(p) };
        assert_eq!(
            m.site_valid(200, appeared),
            Err(Reason::FileChanged("/gone".into()))
        );
    }

    #[test]
    fn suspensions_hold_until_their_time_or_a_file_change() {
        let mut m = Manifest {
            site: site(100),
            shapes: BTreeMap::new(),
            suspended: BTreeMap::new(),
        };
        m.shapes.insert("nopriv".into(), entry(100, None));
        m.suspended.insert(
            "nopriv".into(),
            Suspension {
                since: 100,
                until: 100 + SUSPEND,
                watch: m.site.watch_digest(),
                why: "hook x".into(),
            },
        );
        assert_eq!(
            m.allows("nopriv", 200).err(),
            Some(Reason::Suspended(Shape::NoPriv))
        );
        let mut later = m.clone();
        later.site.watch[0].1 = 11;
        assert!(later.allows("nopriv", 200).is_ok());
        assert!(m.allows("nopriv", 100 + SUSPEND).is_err()); // entry expired by then anyway
    }

    /// Logged-out evidence whose only `heartbeat_nopriv_send` callback is `cb`.
    fn nopriv_evidence(cb: &str) -> Evidence {
        Evidence {
            shape: "nopriv".into(),
            hooks: vec![crate::evidence::HookTable {
                hook: "heartbeat_nopriv_send".into(),
                plain: true,
                entries: vec![crate::evidence::Entry {
                    priority: 10,
                    id: cb.into(),
                    callback: cb.into(),
                    accepted_args: 1,
                    file: None,
                }],
            }],
            ..Evidence::default()
        }
    }

    /// The manifest after a first logged-out beat at 100 whose evidence is core's.
    fn first_nopriv(d: &crate::evidence::Dirs) -> Recorded {
        record(
            None,
            site(100),
            "nopriv",
            nopriv_evidence("wp_auth_check"),
            Ok(()),
            d,
            100,
        )
    }

    #[test]
    fn a_confirming_record_is_unchanged_until_half_life() {
        let d = crate::evidence::Dirs::default();
        let ev = nopriv_evidence;
        let first = first_nopriv(&d).manifest;
        let at = |now: i64, cb: &str, facts: SiteFacts| {
            record(
                Some(first.clone()),
                facts,
                "nopriv",
                ev(cb),
                Ok(()),
                &d,
                now,
            )
            .manifest
        };
        // Same evidence and facts, only later: nothing to write.
        assert!(unchanged(
            &first,
            &at(150, "wp_auth_check", site(150)),
            "nopriv",
            150
        ));
        // Past half the entry's life: written again, to refresh it.
        let late = 100 + TTL / 2 + 1;
        assert!(!unchanged(
            &first,
            &at(late, "wp_auth_check", site(late)),
            "nopriv",
            late
        ));
        // Other site facts, another verdict or another key: written.
        let mut other = site(150);
        other.origins.push("http://b".into());
        assert!(!unchanged(
            &first,
            &at(150, "wp_auth_check", other),
            "nopriv",
            150
        ));
        let refused = record(
            Some(first.clone()),
            site(150),
            "nopriv",
            ev("wp_auth_check"),
            Err(&Reason::Expired),
            &d,
            150,
        )
        .manifest;
        assert!(!unchanged(&first, &refused, "nopriv", 150));
        let added = record(
            Some(first.clone()),
            site(150),
            "nodata/administrator",
            ev("wp_auth_check"),
            Ok(()),
            &d,
            150,
        )
        .manifest;
        assert!(!unchanged(&first, &added, "nodata/administrator", 150));
        assert!(!unchanged(&first, &added, "nopriv", 150));
    }

    #[test]
    fn recording_refreshes_drops_and_suspends() {
        let d = crate::evidence::Dirs::default();
        let ev = nopriv_evidence;
        let first = first_nopriv(&d);
        assert_eq!(first.suspended, None);
        assert!(first.manifest.allows("nopriv", 150).is_ok());
        assert!(!record_due(Some(&first.manifest), "nopriv", 150, true));
        assert!(record_due(
            Some(&first.manifest),
            "nopriv",
            100 + TTL / 2 + 1,
            true
        ));
        assert!(record_due(
            Some(&first.manifest),
            "nodata/administrator",
            150,
            true
        ));
        assert!(record_due(Some(&first.manifest), "nopriv", 150, false));
        // The same evidence again: refreshed.
        let again = record(
            Some(first.manifest.clone()),
            site(160),
            "nopriv",
            ev("wp_auth_check"),
            Ok(()),
            &d,
            160,
        );
        assert_eq!(again.suspended, None);
        assert_eq!(
            again.manifest.shapes.get("nopriv").map(|e| e.generated),
            Some(160)
        );
        // Other evidence for a key the lane was answering: suspended, with what changed.
        let changed = record(
            Some(again.manifest.clone()),
            site(170),
            "nopriv",
            ev("my_check"),
            Ok(()),
            &d,
            170,
        );
        assert_eq!(
            changed
                .suspended
                .as_ref()
                .map(|(k, w)| (k.as_str(), w.contains("my_check"))),
            Some(("nopriv", true))
        );
        assert_eq!(
            changed.manifest.allows("nopriv", 171).err(),
            Some(Reason::Suspended(Shape::NoPriv))
        );
        // A later beat does not lift it; a change to a watched file does.
        let still = record(
            Some(changed.manifest.clone()),
            site(180),
            "nopriv",
            ev("wp_auth_check"),
            Ok(()),
            &d,
            180,
        );
        assert!(still.manifest.allows("nopriv", 181).is_err());
        let mut moved = site(190);
        moved.watch[0].1 = 12;
        let fresh = record(
            Some(still.manifest),
            moved,
            "nopriv",
            ev("wp_auth_check"),
            Ok(()),
            &d,
            190,
        );
        assert!(fresh.manifest.allows("nopriv", 191).is_ok());
        // A refused entry that changes is simply replaced.
        let refused = Reason::OutputBeforeHandler;
        let r1 = record(None, site(100), "nopriv", ev("a"), Err(&refused), &d, 100);
        let r2 = record(
            Some(r1.manifest),
            site(101),
            "nopriv",
            ev("b"),
            Err(&refused),
            &d,
            101,
        );
        assert_eq!(r2.suspended, None);
    }

    #[test]
    fn malformed_manifests_are_none() {
        let good = Manifest {
            site: site(1),
            shapes: BTreeMap::new(),
            suspended: BTreeMap::new(),
        }
        .render();
        assert!(Manifest::parse(good.as_bytes()).is_ok());
        for bad in [
            String::new(),
            "{}".into(),
            good.replace("\"format\":3", "\"format\":2"),
            good.replace("UTF-8", "UTF-8\\r\\nX-Evil: 1"),
            good.replace("\"self_check\":100", "\"self_check\":\"x\""),
        ] {
            assert_eq!(
                Manifest::parse(bad.as_bytes()),
                Err(Reason::NoManifest),
                "{bad}"
            );
        }
        // Asking for checks less often than one in SELF_CHECK_MAX is not honoured.
        let rare = good.replace("\"self_check\":100", "\"self_check\":5000");
        assert_eq!(
            Manifest::parse(rare.as_bytes()).map(|m| m.site.self_check),
            Ok(SELF_CHECK_MAX)
        );
    }
}
