//! `manifest`: hostile and near-valid manifest files (the crate's current format: entries
//! keyed `shape[/roles]@request`).
//!
//! Properties: `Manifest::parse` never panics and refuses with `NoManifest`; what it accepts
//! is header-safe and survives `render()` → `parse()` unchanged; a manifest built field by
//! field parses back to itself exactly when its header values are safe (`self_check`
//! clamped to 1..=100); `site_valid`, `allows`, `any_allowed` and `record_due` agree with
//! their definitions at times around every expiry in the file, with a fake file system;
//! `record` keeps or drops entries and suspensions as documented, and what it writes
//! parses back.

use super::{
    brief, edit_json, gen_dirs, gen_evidence, gen_reason, int, list, pick, text, time,
    tweak_evidence, with_lane,
};
use crate::gen::Reader;
use crate::targets::{ensure, Check, Impl, Target};
use fastbeat_lane::evidence::{Dirs, Evidence};
use fastbeat_lane::manifest::{
    self, watch_digest, Cookies, Entry, Manifest, ReasonRecord, Recorded, SiteFacts, Suspension,
    SELF_CHECK_MAX, SUSPEND, TTL,
};
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::Shape;
use std::collections::{BTreeMap, HashMap};

/// Where generated times cluster (entries, suspensions and probes meet around it).
const BASE: i64 = 1_795_380_000;

/// Keys entries and suspensions are recorded under (`shape[/roles]@request`), and some
/// no shape has.
const KEYS: &[&str] = &[
    "nodata/administrator@0a1b2c3d4e5f",
    "nopriv@0a1b2c3d4e5f",
    "nopriv-data@0a1b2c3d4e5f",
    "postlock/editor@0a1b2c3d4e5f",
    "nodata/editor@0a1b2c3d4e5f",
    "nodata/-@ffffffffffff",
    "postlock/administrator+editor@0a1b2c3d4e5f",
    "nodata/administrator@ffffffffffff",
    "nopriv",
    "nodata/administrator",
    "nodata@0a1b2c3d4e5f",
    "bogus@0a1b2c3d4e5f",
    "",
    "@",
    "nopriv/x@0a1b2c3d4e5f",
    "nodata/a/b@c@0a1b2c3d4e5f",
    "postlock/@",
];

/// A key's parts as the format says: `shape[/roles]@request` (the request after the last
/// `@`, the roles after the first `/` before it).
fn parts(key: &str) -> (&str, Option<&str>, &str) {
    let (who, request) = key.rsplit_once('@').unwrap_or((key, ""));
    match who.split_once('/') {
        Some((shape, roles)) => (shape, Some(roles), request),
        None => (who, None, request),
    }
}

const WATCH: &[&str] = &[
    "/w/wp-config.php",
    "/gone",
    "/w/wp-content/plugins/foo/foo.php",
    "/w/wp-includes/version.php",
    "",
];

/// Whether `code` is one the policy refuses evidence with: a refusal kept under one of
/// them must come back from `allows()` with the same code.
fn refusal_code(code: &str) -> bool {
    super::REASONS
        .iter()
        .any(|make| make(&mut Reader::new(&[])).code() == code)
}

/// Where two manifests differ first (for messages).
fn difference(a: &Manifest, b: &Result<Manifest, Reason>) -> String {
    let Ok(b) = b else {
        return format!("{b:?}");
    };
    if a.site != b.site {
        return format!("site facts {} vs {}", brief(&a.site), brief(&b.site));
    }
    for (k, e) in &a.shapes {
        if b.shapes.get(k) != Some(e) {
            return format!("entry {k:?}: {} vs {}", brief(e), brief(&b.shapes.get(k)));
        }
    }
    for (k, x) in &a.suspended {
        if b.suspended.get(k) != Some(x) {
            return format!("suspension {k:?}: {x:?} vs {:?}", b.suspended.get(k));
        }
    }
    format!(
        "keys {:?} / {:?} vs {:?} / {:?}",
        a.shapes.keys(),
        a.suspended.keys(),
        b.shapes.keys(),
        b.suspended.keys()
    )
}

fn header_safe(s: &str) -> bool {
    !s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0)
}

fn gen_site(r: &mut Reader) -> SiteFacts {
    let generated = time(r);
    SiteFacts {
        generated,
        expires: if r.byte() % 4 == 3 {
            time(r)
        } else {
            generated.saturating_add(TTL)
        },
        watch: (0..1 + r.byte() % 4)
            .map(|_| (text(r, WATCH), int(r, &[1_795_000_000, -1, 0, 5])))
            .collect(),
        veto_server: list(r, &["HTTP_X_FASTBEAT_FIXTURE", "HTTP_X_FOO"], 2),
        self_check: pick(r, &[100u32, 1, 0, 2, 99, 101, 5000, u32::MAX]),
        cookies: Cookies {
            auth: text(r, &["wordpress_h", ""]),
            secure_auth: text(r, &["wordpress_sec_h"]),
            logged_in: text(r, &["wordpress_logged_in_h"]),
            recovery: text(r, &["wordpress_rec_h", ""]),
        },
        charset: text(
            r,
            &["UTF-8", "ISO-8859-1", "", "UTF-8\r\nX-Evil: 1", "a\u{0}b"],
        ),
        origins: list(
            r,
            &[
                "http://127.0.0.1",
                "https://127.0.0.1",
                "http://x\nSet-Cookie: a=b",
                "http://a'b",
            ],
            3,
        ),
        headers_release: text(r, &["6.1.9", "6.8.0", ""]),
        options: text(r, &["0123456789abcdef", ""]),
    }
}

fn gen_refused(r: &mut Reader) -> Option<ReasonRecord> {
    match r.byte() % 8 {
        0..=4 => None,
        5 | 6 => Some(ReasonRecord::from(&gen_reason(r))),
        _ => {
            // Not made from a reason: any code, text and details.
            let mut details = BTreeMap::new();
            for _ in 0..r.byte() % 4 {
                details.insert(
                    text(r, &["hook", "callback", "owner_tag", "status", "name"]),
                    text(r, &["x", "plugin:foo", "12x", ""]),
                );
            }
            Some(ReasonRecord {
                code: text(
                    r,
                    &[
                        "status",
                        "callback",
                        "nonsense",
                        "not-recorded",
                        "multisite",
                        "",
                    ],
                ),
                text: text(r, &["why"]),
                details: details.into_iter().collect(),
            })
        }
    }
}

fn gen_entry(r: &mut Reader) -> Entry {
    let generated = time(r);
    Entry {
        generated,
        expires: if r.byte() % 4 == 3 {
            time(r)
        } else {
            generated.saturating_add(TTL)
        },
        refused: gen_refused(r),
        evidence: gen_evidence(r),
    }
}

fn gen_manifest(r: &mut Reader) -> Manifest {
    let site = gen_site(r);
    let digest = site.watch_digest();
    let mut shapes = BTreeMap::new();
    for _ in 0..1 + r.byte() % 4 {
        shapes.insert(text(r, KEYS), gen_entry(r));
    }
    let mut suspended = BTreeMap::new();
    for _ in 0..r.byte() % 3 {
        let since = time(r);
        suspended.insert(
            text(r, KEYS),
            Suspension {
                since,
                until: if r.byte() % 4 == 3 {
                    time(r)
                } else {
                    since.saturating_add(SUSPEND)
                },
                watch: if r.byte() % 4 == 3 {
                    text(r, &["0000000000000000", ""])
                } else {
                    digest.clone()
                },
                why: text(r, &["hook heartbeat_send: now also x (plugin foo)"]),
            },
        );
    }
    Manifest {
        site,
        shapes,
        suspended,
    }
}

/// A fake file system: each watched file as recorded, touched, vanished or appeared,
/// chosen per file by `salt`; unknown files are absent.
fn fake_fs(m: &Manifest, salt: u8) -> HashMap<String, Option<i64>> {
    let mut fs = HashMap::new();
    for (i, (p, want)) in m.site.watch.iter().enumerate() {
        let roll = (usize::from(salt) / 3 + i * 7 + usize::from(salt)) % 10;
        let state = if salt.is_multiple_of(4) || roll < 6 {
            (*want != -1).then_some(*want)
        } else if roll < 8 {
            Some(if *want == -1 { 0 } else { want.wrapping_add(1) })
        } else {
            None
        };
        fs.insert(p.clone(), state);
    }
    fs
}

/// Times around every moment the manifest names.
fn probe_times(m: &Manifest) -> Vec<i64> {
    let mut t = vec![0, i64::MIN, i64::MAX, BASE];
    let mut around = |x: i64| {
        t.extend([x.saturating_sub(1), x, x.saturating_add(1)]);
    };
    around(m.site.generated);
    around(m.site.expires);
    for e in m.shapes.values().take(6) {
        around(e.generated);
        around(e.expires);
    }
    for s in m.suspended.values().take(4) {
        around(s.since);
        around(s.until);
    }
    t.sort_unstable();
    t.dedup();
    t
}

fn probe_keys(m: &Manifest) -> Vec<String> {
    let mut k: Vec<String> = KEYS.iter().map(|s| (*s).to_string()).collect();
    k.extend(m.shapes.keys().cloned());
    k.extend(m.suspended.keys().cloned());
    k.sort();
    k.dedup();
    k
}

/// What `allows()` must say, from its definition.
enum Want<'a> {
    Allowed(&'a Entry),
    Refused(Reason),
    /// A refused entry: an error, with the recorded code when it is one of the policy's.
    RefusedAs(&'a ReasonRecord, Shape),
}

fn allows_model<'a>(m: &'a Manifest, key: &str, now: i64) -> Want<'a> {
    let (first, roles, _) = parts(key);
    let Some(shape) = Shape::ALL.into_iter().find(|s| s.key() == first) else {
        return Want::Refused(Reason::DataNotModelled);
    };
    // A suspension holds until its time, and only for the watched files' state it was
    // made under (a changed file lifts it).
    if let Some(s) = m.suspended.get(key) {
        if now < s.until && s.watch == watch_digest(&m.site.watch) {
            return Want::Refused(Reason::Suspended(shape));
        }
    }
    let Some(e) = m.shapes.get(key) else {
        return Want::Refused(match roles {
            Some(roles) => Reason::RoleNotRecorded(roles.to_owned()),
            None => Reason::NotRecorded(shape),
        });
    };
    if now >= e.expires {
        return Want::Refused(Reason::NotRecorded(shape));
    }
    match &e.refused {
        None => Want::Allowed(e),
        Some(rec) => Want::RefusedAs(rec, shape),
    }
}

fn check_allows(f: &Impl, m: &Manifest, key: &str, now: i64) -> Check {
    let got = (f.lane.allows)(m, key, now);
    let ok = match (&got, allows_model(m, key, now)) {
        (Ok(e), Want::Allowed(w)) => std::ptr::eq(*e, w),
        (Err(r), Want::Refused(w)) => *r == w,
        (Err(r), Want::RefusedAs(rec, _)) => !refusal_code(&rec.code) || r.code() == rec.code,
        _ => false,
    };
    ensure(ok, || {
        let want = match allows_model(m, key, now) {
            Want::Allowed(_) => "Ok(its entry)".to_string(),
            Want::Refused(r) => format!("Err({r:?})"),
            Want::RefusedAs(rec, s) => format!("an error with code {:?} ({s:?})", rec.code),
        };
        format!(
            "allows({key:?}, {now}) = {}, the definition says {want}; manifest {}",
            brief(&got),
            brief(m)
        )
    })
}

fn check_site_valid(f: &Impl, m: &Manifest, now: i64, fs: &HashMap<String, Option<i64>>) -> Check {
    let mtime = |p: &str| fs.get(p).copied().flatten();
    let got = (f.lane.site_valid)(m, now, &mtime);
    let changed: Vec<&str> = m
        .site
        .watch
        .iter()
        .filter(|(p, want)| mtime(p).unwrap_or(-1) != *want)
        .map(|(p, _)| p.as_str())
        .collect();
    let ok = match &got {
        _ if now >= m.site.expires => got == Err(Reason::Expired),
        Ok(()) => changed.is_empty(),
        Err(Reason::FileChanged(p)) => changed.contains(&p.as_str()),
        Err(_) => false,
    };
    ensure(ok, || {
        format!(
            "site_valid({now}) = {got:?}: expires {}, watched {:?}, files {:?}",
            m.site.expires, m.site.watch, fs
        )
    })
}

fn check_any_allowed(f: &Impl, m: &Manifest, shape: Shape, request: &str, now: i64) -> Check {
    let got = (f.lane.any_allowed)(m, shape, request, now);
    // Every role's entry for this shape and request key.
    let verdicts: Vec<Result<(), Reason>> = m
        .shapes
        .keys()
        .filter(|k| {
            let (s, roles, r) = parts(k);
            s == shape.key() && roles.is_some() && r == request
        })
        .map(|k| (f.lane.allows)(m, k, now).map(|_| ()))
        .collect();
    let ok = match &got {
        Ok(()) => verdicts.iter().any(Result::is_ok),
        Err(r) => {
            !verdicts.iter().any(Result::is_ok)
                && (verdicts.contains(&Err(r.clone()))
                    || (verdicts.is_empty() && *r == Reason::NotRecorded(shape)))
        }
    };
    ensure(ok, || {
        format!(
            "any_allowed({shape:?}, {request:?}, {now}) = {got:?}, but the roles' verdicts are {verdicts:?}"
        )
    })
}

fn check_record_due(f: &Impl, m: &Manifest, key: &str, now: i64) -> Check {
    // `expires` near i64::MIN once overflowed `expires - now` (found here, fixed).
    for site_ok in [true, false] {
        let got = (f.lane.record_due)(Some(m), key, now, site_ok);
        // Due: the site facts no longer hold, no entry, or one past half its life.
        let want = !site_ok
            || m.shapes
                .get(key)
                .is_none_or(|e| i128::from(e.expires) - i128::from(now) < i128::from(TTL / 2));
        ensure(got == want, || {
            format!(
                "record_due({key:?}, now {now}, site_ok {site_ok}) = {got}, want {want}; entry {}",
                brief(&m.shapes.get(key))
            )
        })?;
    }
    ensure((f.lane.record_due)(None, key, now, true), || {
        "record_due without a manifest is false".into()
    })
}

/// `record()` from its documentation: entries recorded under another state of the
/// watched files are dropped (suspensions made under the new state stay), expired entries
/// and lapsed suspensions are dropped, and an entry the lane was answering with (not
/// refused, not expired) that this beat's evidence contradicts is suspended rather than
/// replaced.
fn record_model(
    old: Option<&Manifest>,
    site: &SiteFacts,
    key: &str,
    ev: &Evidence,
    verdict: Option<&Reason>,
    dirs: &Dirs,
    now: i64,
) -> Recorded {
    let digest = watch_digest(&site.watch);
    let same = old.is_some_and(|m| watch_digest(&m.site.watch) == digest);
    let mut shapes = BTreeMap::new();
    let mut suspended = BTreeMap::new();
    if let Some(m) = old {
        if same {
            shapes.extend(
                m.shapes
                    .iter()
                    .filter(|(_, e)| e.expires > now)
                    .map(|(k, e)| (k.clone(), e.clone())),
            );
        }
        suspended.extend(
            m.suspended
                .iter()
                .filter(|(_, s)| s.until > now && (same || s.watch == digest))
                .map(|(k, s)| (k.clone(), s.clone())),
        );
    }
    let contradicted = shapes
        .get(key)
        .filter(|e: &&Entry| e.refused.is_none())
        .and_then(|e| e.evidence.differs(ev, dirs));
    let newly = match contradicted {
        Some(why) => {
            shapes.remove(key);
            suspended.insert(
                key.to_owned(),
                Suspension {
                    since: now,
                    until: now + SUSPEND,
                    watch: digest,
                    why: why.clone(),
                },
            );
            Some((key.to_owned(), why))
        }
        None => {
            shapes.insert(
                key.to_owned(),
                Entry {
                    generated: now,
                    expires: now + TTL,
                    refused: verdict.map(ReasonRecord::from),
                    evidence: ev.clone(),
                },
            );
            None
        }
    };
    Recorded {
        manifest: Manifest {
            site: site.clone(),
            shapes,
            suspended,
        },
        suspended: newly,
    }
}

/// One to three full-path beats recorded one after the other, driven by `c`.
fn record_steps(f: &Impl, m: &Manifest, c: &mut Reader) -> Check {
    let dirs = gen_dirs(c);
    let mut cur = if c.byte() % 8 == 7 {
        None
    } else {
        Some(m.clone())
    };
    for _ in 0..1 + c.byte() % 3 {
        let keys: Vec<String> = cur
            .as_ref()
            .map(|m| m.shapes.keys().cloned().collect())
            .unwrap_or_default();
        let kc = c.byte();
        let key = if !keys.is_empty() && kc < 200 {
            keys[usize::from(kc) % keys.len()].clone()
        } else {
            text(c, KEYS)
        };
        let old_entry = cur.as_ref().and_then(|m| m.shapes.get(&key)).cloned();
        let ev = match (c.byte() % 4, &old_entry) {
            (0, Some(e)) => e.evidence.clone(),
            (1 | 3, Some(e)) => tweak_evidence(c, &e.evidence),
            _ => gen_evidence(c),
        };
        let verdict = (c.byte() % 4 == 3).then(|| gen_reason(c));
        let base = cur.as_ref().map_or(&m.site, |m| &m.site).clone();
        let site = match c.byte() % 8 {
            5 => {
                // A watched file changed (or one more is watched).
                let mut s = base;
                match s.watch.first_mut() {
                    Some(w) => w.1 = if w.1 == -1 { 0 } else { w.1.wrapping_add(1) },
                    None => s.watch.push(("/w/new.php".into(), 5)),
                }
                s
            }
            6 => gen_site(c),
            7 => {
                let mut s = base;
                s.generated = s.generated.wrapping_add(1);
                s.expires = s.expires.wrapping_add(TTL);
                s
            }
            _ => base,
        };
        let anchor = old_entry.as_ref().map_or(site.generated, |e| e.generated);
        let now = match c.byte() % 6 {
            0 => anchor,
            1 => anchor.saturating_add(1),
            2 => old_entry
                .as_ref()
                .map_or(anchor, |e| e.expires.saturating_sub(1)),
            3 => old_entry.as_ref().map_or(anchor, |e| e.expires),
            4 => time(c),
            _ => cur
                .as_ref()
                .and_then(|m| m.suspended.get(&key))
                .map_or(anchor, |s| s.until.saturating_sub(1)),
        }
        // A clock reading: record() adds TTL and SUSPEND to it.
        .clamp(0, 1 << 40);
        let rec = (f.lane.record)(
            cur.clone(),
            site.clone(),
            &key,
            ev.clone(),
            verdict.as_ref().map_or(Ok(()), Err),
            &dirs,
            now,
        );
        let want = record_model(cur.as_ref(), &site, &key, &ev, verdict.as_ref(), &dirs, now);
        let what = || {
            format!(
                "record(key {key:?}, now {now}, verdict {verdict:?}) over {}",
                brief(&cur)
            )
        };
        let same_digest = cur
            .as_ref()
            .is_some_and(|m| m.site.watch_digest() == site.watch_digest());
        let was_allowed = cur
            .as_ref()
            .is_some_and(|m| (f.lane.allows)(m, &key, now).is_ok());
        let shape = manifest::key_shape(&key);
        if was_allowed && same_digest {
            let why = old_entry
                .as_ref()
                .and_then(|e| e.evidence.differs(&ev, &dirs));
            let after = (f.lane.allows)(&rec.manifest, &key, now);
            match &why {
                None if verdict.is_none() => ensure(after.is_ok(), || {
                    format!(
                        "{}: the same evidence again, yet the key is no longer allowed: {after:?}",
                        what()
                    )
                })?,
                None => {}
                Some(why) => {
                    ensure(
                        after == Err(Reason::Suspended(shape.unwrap_or(Shape::NoPriv))),
                        || {
                            format!(
                            "{}: evidence contradicting an allowed entry ({why}), yet allows = {after:?}",
                            what()
                        )
                        },
                    )?;
                    ensure(rec.suspended == Some((key.clone(), why.clone())), || {
                        format!(
                            "{}: suspended {:?}, want {:?}",
                            what(),
                            rec.suspended,
                            (&key, why)
                        )
                    })?;
                }
            }
        }
        if !same_digest {
            ensure(
                rec.manifest.shapes.keys().all(|k| *k == key)
                    && rec
                        .manifest
                        .suspended
                        .values()
                        .all(|s| s.watch == site.watch_digest()),
                || {
                    format!(
                        "{}: the watched files changed, yet entries or suspensions of the old state remain: {}",
                        what(),
                        brief(&rec.manifest)
                    )
                },
            )?;
        }
        // A refusal comes back from allows() as the reason it was recorded with.
        if let (Some(r), None) = (&verdict, &rec.suspended) {
            let suspended_now = rec
                .manifest
                .suspended
                .get(&key)
                .is_some_and(|s| now < s.until && s.watch == rec.manifest.site.watch_digest());
            if shape.is_some() && !suspended_now {
                let after = (f.lane.allows)(&rec.manifest, &key, now).map(|_| ());
                ensure(after == Err(r.clone()), || {
                    format!(
                        "{}: recorded refusal {r:?} comes back from allows() as {after:?}",
                        what()
                    )
                })?;
            }
        }
        ensure(rec == want, || {
            format!(
                "{}\n  gave  {}\n  model {}",
                what(),
                brief(&rec),
                brief(&want)
            )
        })?;
        // What record() wrote is read back as it is (when its site facts are header-safe;
        // self_check clamped).
        let readable = header_safe(&site.charset) && site.origins.iter().all(|o| header_safe(o));
        let back = (f.lane.parse)(rec.manifest.render().as_bytes());
        let mut clamped = rec.manifest.clone();
        clamped.site.self_check = clamped.site.self_check.clamp(1, SELF_CHECK_MAX);
        ensure(
            if readable {
                back.as_ref() == Ok(&clamped)
            } else {
                back == Err(Reason::NoManifest)
            },
            || {
                format!(
                    "{}: the recorded manifest (readable: {readable}) reads back differently: {}",
                    what(),
                    difference(&rec.manifest, &back)
                )
            },
        )?;
        cur = Some(rec.manifest);
    }
    Ok(())
}

/// Everything a parsed manifest must satisfy.
fn semantics(f: &Impl, m: &Manifest, c: &mut Reader) -> Check {
    ensure(
        header_safe(&m.site.charset)
            && m.site.origins.iter().all(|o| header_safe(o))
            && (1..=SELF_CHECK_MAX).contains(&m.site.self_check),
        || {
            format!(
                "parse accepted header-unsafe site facts or an unclamped self_check: {}",
                brief(&m.site)
            )
        },
    )?;
    let text = m.render();
    let again = (f.lane.parse)(text.as_bytes());
    ensure(again.as_ref() == Ok(m), || {
        format!(
            "round trip: {text:?} parses back differently: {}",
            difference(m, &again)
        )
    })?;
    ensure(m.site.watch_digest() == watch_digest(&m.site.watch), || {
        "SiteFacts::watch_digest differs from watch_digest(watch)".into()
    })?;
    let fs = fake_fs(m, c.byte());
    let times = probe_times(m);
    let keys = probe_keys(m);
    let mut requests: Vec<&str> = keys.iter().map(|k| parts(k).2).collect();
    requests.sort_unstable();
    requests.dedup();
    for &now in &times {
        check_site_valid(f, m, now, &fs)?;
        for key in &keys {
            check_allows(f, m, key, now)?;
            if (0..=1 << 40).contains(&now) {
                // A clock reading (the file's times may be anything).
                check_record_due(f, m, key, now)?;
            }
        }
        for shape in Shape::ALL {
            for request in &requests {
                check_any_allowed(f, m, shape, request, now)?;
            }
        }
    }
    record_steps(f, m, c)
}

fn check(f: &Impl, x: &[u8]) -> Check {
    let mut r = Reader::new(x);
    let mode = r.byte();
    if mode < 96 {
        // Raw text; control bytes for the probes and the recording come first.
        let mut c = Reader::new(r.field());
        let text = r.rest();
        return match (f.lane.parse)(text) {
            Ok(m) => semantics(f, &m, &mut c),
            Err(e) => ensure(e == Reason::NoManifest, || {
                format!("parse refused with {e:?}, not NoManifest")
            }),
        };
    }
    // Built: control bytes first (so that random inputs vary the probes and the
    // recording too), then the manifest field by field.
    let mut c = Reader::new(r.field());
    let m = gen_manifest(&mut r);
    let text = m.render();
    if mode >= 200 {
        // Near-valid: a rendered manifest with a few edits.
        let edited = edit_json(&mut c, text.as_bytes());
        return match (f.lane.parse)(&edited) {
            Ok(m) => semantics(f, &m, &mut c),
            Err(e) => ensure(e == Reason::NoManifest, || {
                format!("parse refused with {e:?}, not NoManifest")
            }),
        };
    }
    let readable = header_safe(&m.site.charset) && m.site.origins.iter().all(|o| header_safe(o));
    let parsed = (f.lane.parse)(text.as_bytes());
    let mut want = m.clone();
    want.site.self_check = want.site.self_check.clamp(1, SELF_CHECK_MAX);
    ensure(
        if readable {
            parsed.as_ref() == Ok(&want)
        } else {
            parsed == Err(Reason::NoManifest)
        },
        || {
            format!(
                "built {} (header-safe: {readable}), rendered {text:?}, parsed {}",
                brief(&m),
                brief(&parsed)
            )
        },
    )?;
    match parsed {
        Ok(m) => semantics(f, &m, &mut c),
        Err(_) => Ok(()),
    }
}

// ----------------------------------------------------------------------------- seeds

fn site(watch: &[(&str, i64)], self_check: u32, charset: &str) -> SiteFacts {
    SiteFacts {
        generated: BASE,
        expires: BASE + TTL,
        watch: watch.iter().map(|(p, t)| ((*p).to_string(), *t)).collect(),
        veto_server: vec!["HTTP_X_FASTBEAT_FIXTURE".into()],
        self_check,
        cookies: Cookies {
            auth: "wordpress_h".into(),
            secure_auth: "wordpress_sec_h".into(),
            logged_in: "wordpress_logged_in_h".into(),
            recovery: "wordpress_rec_h".into(),
        },
        charset: charset.into(),
        origins: vec!["http://127.0.0.1".into(), "https://127.0.0.1".into()],
        headers_release: "6.1.9".into(),
        options: "0123456789abcdef".into(),
    }
}

fn evidence(shape: &str) -> Evidence {
    let mut e = gen_evidence(&mut Reader::new(&[]));
    e.shape = shape.into();
    e
}

/// A manifest with one of everything `allows()` distinguishes, at `BASE`.
fn sample() -> Manifest {
    let s = site(&[("/a", 10), ("/gone", -1)], 100, "UTF-8");
    let digest = s.watch_digest();
    let entry = |expires: i64, refused: Option<Reason>, shape: &str| Entry {
        generated: BASE,
        expires,
        refused: refused.as_ref().map(ReasonRecord::from),
        evidence: evidence(shape),
    };
    let mut shapes = BTreeMap::new();
    shapes.insert(
        "nodata/administrator@0a1b2c3d4e5f".to_string(),
        entry(BASE + TTL, None, "nodata"),
    );
    shapes.insert(
        "nodata/editor@0a1b2c3d4e5f".to_string(),
        entry(BASE - 1, None, "nodata"),
    );
    shapes.insert(
        "nopriv@0a1b2c3d4e5f".to_string(),
        entry(BASE + TTL, None, "nopriv"),
    );
    shapes.insert(
        "postlock/editor@0a1b2c3d4e5f".to_string(),
        entry(
            BASE + TTL,
            Some(Reason::Callback {
                hook: "user_has_cap".into(),
                callback: "grant".into(),
                owner: fastbeat_lane::reason::Owner::Plugin("members".into()),
            }),
            "postlock",
        ),
    );
    shapes.insert(
        "postlock/administrator@0a1b2c3d4e5f".to_string(),
        entry(BASE + TTL, None, "postlock"),
    );
    let mut suspended = BTreeMap::new();
    suspended.insert(
        "nopriv-data@0a1b2c3d4e5f".to_string(),
        Suspension {
            since: BASE,
            until: BASE + SUSPEND,
            watch: digest,
            why: "hook heartbeat_nopriv_received: now also x (plugin foo)".into(),
        },
    );
    // Made under another state of the files: no longer holds.
    suspended.insert(
        "postlock/administrator@0a1b2c3d4e5f".to_string(),
        Suspension {
            since: BASE,
            until: BASE + SUSPEND,
            watch: "0000000000000000".into(),
            why: "hook heartbeat_send: no longer wp_auth_check".into(),
        },
    );
    Manifest {
        site: s,
        shapes,
        suspended,
    }
}

/// Raw-mode input: control bytes, then the text.
fn raw(ctl: &[u8], text: &str) -> Vec<u8> {
    let mut v = vec![0u8, u8::try_from(ctl.len()).unwrap_or(0)];
    v.extend_from_slice(ctl);
    v.extend_from_slice(text.as_bytes());
    v
}

fn seeds() -> Vec<Vec<u8>> {
    let m = sample();
    let text = m.render();
    let mut v = vec![
        // The same evidence again for the first key, at its entry's time.
        raw(&[], &text),
        // Other evidence for an allowed key: suspended.
        raw(&[0, 0, 0, 0, 0, 1], &text),
        // A watched file changed: the other entries go.
        raw(&[0, 0, 0, 0, 0, 0, 0, 5], &text),
        // A refusal recorded for an allowed key.
        raw(&[0, 0, 0, 0, 0, 0, 3, 0], &text),
        // Three beats: suspend, then the same again, then a file change lifts it.
        raw(&[0, 0, 0, 2, 0, 1, 0, 0, 0, 0], &text),
        raw(&[0, 3, 0, 0, 0, 0], &text),
        raw(
            &[],
            &m.render().replace(
                &format!("\"format\":{}", manifest::FORMAT),
                &format!("\"format\":{}", manifest::FORMAT - 1),
            ),
        ),
        raw(&[], ""),
        raw(&[], "{}"),
        raw(&[], "null"),
        raw(&[], "[]"),
    ];
    // Header-unsafe charset (refused), a self_check past the maximum (clamped).
    let mut bad = sample();
    bad.site.charset = "UTF-8\r\nX-Evil: 1".into();
    v.push(raw(&[], &bad.render()));
    let mut rare = sample();
    rare.site.self_check = 5000;
    v.push(raw(&[], &rare.render()));
    // An entry that expired at the beginning of time (record_due's known overflow).
    let mut ancient = sample();
    if let Some(e) = ancient.shapes.get_mut("nopriv@0a1b2c3d4e5f") {
        e.expires = i64::MIN;
    }
    v.push(raw(&[], &ancient.render()));
    // Empty site, no entries.
    let empty = Manifest {
        site: site(&[], 1, ""),
        shapes: BTreeMap::new(),
        suspended: BTreeMap::new(),
    };
    v.push(raw(&[], &empty.render()));
    // Structured: built field by field, then near-valid edits of the same.
    for i in 0u8..12 {
        // Control: [fs, dirs, no manifest?, steps, key, evidence, verdict, site, now].
        let ctl = [i, 0, 0, 2, i, i % 4, 3 * (i % 2), i % 8, i % 6];
        let mut s = vec![96 + i, 9];
        s.extend_from_slice(&ctl);
        s.extend_from_slice(&[i, i.wrapping_mul(37), 3, i % 4, 200 + i, 1, 2]);
        v.push(s);
        let mut s = vec![200 + i, 4, 0, 1, 5, i];
        s.extend_from_slice(&[i.wrapping_mul(11), 9, 9, 9]);
        v.push(s);
    }
    v
}

// ----------------------------------------------------------------------------- mutants

fn mut_allows_any_watch<'a>(m: &'a Manifest, key: &str, now: i64) -> Result<&'a Entry, Reason> {
    // A suspension that ignores the state of the files it was made under.
    if let (Some(s), Some(shape)) = (m.suspended.get(key), manifest::key_shape(key)) {
        if now < s.until {
            return Err(Reason::Suspended(shape));
        }
    }
    m.allows(key, now)
}

fn mut_allows_no_expiry<'a>(m: &'a Manifest, key: &str, now: i64) -> Result<&'a Entry, Reason> {
    match m.allows(key, now) {
        Err(Reason::NotRecorded(_)) => match m.shapes.get(key) {
            Some(e) if e.refused.is_none() => Ok(e),
            _ => m.allows(key, now),
        },
        r => r,
    }
}

fn mut_site_valid_absent(
    m: &Manifest,
    now: i64,
    mtime: &dyn Fn(&str) -> Option<i64>,
) -> Result<(), Reason> {
    // Reads an absent file as mtime 0 (the recorded -1 never matches).
    if now >= m.site.expires {
        return Err(Reason::Expired);
    }
    match m
        .site
        .watch
        .iter()
        .find(|(p, t)| mtime(p).unwrap_or(0) != *t)
    {
        Some((p, _)) => Err(Reason::FileChanged(p.clone())),
        None => Ok(()),
    }
}

fn mut_parse_unclamped(json: &[u8]) -> Result<Manifest, Reason> {
    let mut m = Manifest::parse(json)?;
    if let Some(n) = serde_json::from_slice::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v["site"]["self_check"].as_u64())
    {
        m.site.self_check = u32::try_from(n).unwrap_or(u32::MAX);
    }
    Ok(m)
}

fn mut_record_never_suspends(
    old: Option<Manifest>,
    site: SiteFacts,
    key: &str,
    ev: Evidence,
    verdict: Result<(), &Reason>,
    dirs: &Dirs,
    now: i64,
) -> Recorded {
    let mut rec = manifest::record(old, site, key, ev.clone(), verdict, dirs, now);
    if let Some((k, _)) = rec.suspended.take() {
        rec.manifest.suspended.remove(&k);
        rec.manifest.shapes.insert(
            k,
            Entry {
                generated: now,
                expires: now + TTL,
                refused: verdict.err().map(ReasonRecord::from),
                evidence: ev,
            },
        );
    }
    rec
}

fn mut_record_keeps_old_state(
    old: Option<Manifest>,
    site: SiteFacts,
    key: &str,
    ev: Evidence,
    verdict: Result<(), &Reason>,
    dirs: &Dirs,
    now: i64,
) -> Recorded {
    let mut rec = manifest::record(old.clone(), site, key, ev, verdict, dirs, now);
    if let Some(m) = old {
        for (k, e) in m.shapes {
            if e.expires > now {
                rec.manifest.shapes.entry(k).or_insert(e);
            }
        }
    }
    rec
}

fn mut_record_due_full_ttl(m: Option<&Manifest>, key: &str, now: i64, site_ok: bool) -> bool {
    let Some(m) = m else { return true };
    !site_ok
        || m.shapes
            .get(key)
            .is_none_or(|e| e.expires.saturating_sub(now) < TTL)
}

pub fn target() -> Target {
    Target {
        name: "manifest",
        about: "lane::manifest (format 2): parse/render round trip, site_valid/allows/any_allowed/record_due vs their definitions, record() invariants, on hostile and near-valid files",
        dict: &[
            b"{", b"}", b"[", b"]", b",", b":", b"\"", b"true", b"null", b"1", b"-1",
            b"\"format\":3", b"\"expires\":", b"\"until\":", b"\"refused\":", b"\\u0000",
            b"\\ud800", b" ", b"\"nodata/administrator@0a1b2c3d4e5f\"", b"@", b"9223372036854775807",
        ],
        seeds,
        check,
        php_args: |_| None,
        php_expect: |_, _| Vec::new(),
        php_body: "",
        php_compare: |a, b| a == b,
        label: |_| "",
        mutants: || {
            vec![
                ("allows: a suspension ignores the watched files' state", with_lane(|l| l.allows = mut_allows_any_watch)),
                ("allows: an expired entry still allows", with_lane(|l| l.allows = mut_allows_no_expiry)),
                ("site_valid: an absent file never matches its -1", with_lane(|l| l.site_valid = mut_site_valid_absent)),
                ("parse: self_check not clamped", with_lane(|l| l.parse = mut_parse_unclamped)),
                ("record: contradicting evidence replaces instead of suspending", with_lane(|l| l.record = mut_record_never_suspends)),
                ("record: keeps entries of another watch state", with_lane(|l| l.record = mut_record_keeps_old_state)),
                ("record_due: due only in the last TTL, not half", with_lane(|l| l.record_due = mut_record_due_full_ttl)),
            ]
        },
    }
}
