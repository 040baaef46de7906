//! After a recorded full-path beat's response: the plugin hands over what only WordPress
//! knows, in one call; the evidence is judged, the manifest rendered (the plugin writes it
//! with WordPress's functions) and, when the site is one the native answer models, what
//! such an answer needs is kept in this worker's memory.

use super::session::{self, State};
use super::worker;
use fastbeat_lane::evidence::Evidence;
use fastbeat_lane::facts::{Handover, Note};
use fastbeat_lane::known;
use fastbeat_lane::manifest::{self, Manifest, SiteFacts, SELF_CHECK_MAX};
use fastbeat_lane::native::{self, Learned};
use fastbeat_lane::policy;
use fastbeat_lane::reason::Reason;

/// What the plugin is to write.
#[derive(Debug, Default)]
pub struct Writes {
    /// The manifest's path and its new text (`None`: leave it as it is).
    pub manifest: Option<(String, String)>,
    /// The evidence key the self-check suspended and why, for the site owner.
    pub suspended: Option<(String, String)>,
    /// The verdict on this beat's evidence, in words (for status displays and tests).
    pub verdict: String,
}

/// `fastbeat_lane_evidence()`.
pub fn evidence(json: &[u8], settle: i64) -> Writes {
    let taken = session::with(|s| match std::mem::take(&mut s.state) {
        State::Recording {
            shape,
            why,
            sampled,
            key,
            evidence,
            note,
        } => {
            let site = s.site.clone();
            let started = s.started;
            s.state = State::Full {
                shape: Some(shape),
                why,
                sampled,
            };
            Some((key, evidence, note, site, started))
        }
        other => {
            s.state = other;
            None
        }
    });
    let Some((key, mut ev, note, Some((script, site_key)), started)) = taken else {
        return Writes::default();
    };
    ev.observed = crate::wp::observe::take();
    let Some(h) = Handover::parse(json) else {
        return Writes {
            verdict: "handover unreadable".into(),
            ..Writes::default()
        };
    };
    let now = crate::zend::php_time();
    worker::register(&script, &site_key, &h.manifest, &note.lane_dir);
    // Site facts: the watched files (the plugin's list, the modelled functions' files).
    let mut files = h.watch.clone();
    for (_, file, _) in &ev.functions {
        if let Some(f) = file.as_ref().filter(|f| !f.starts_with("ext:")) {
            if !files.contains(f) {
                files.push(f.clone());
            }
        }
    }
    let watch: Vec<(String, i64)> = files
        .iter()
        .map(|f| (f.clone(), worker::mtime(f).unwrap_or(-1)))
        .collect();
    let site_facts = SiteFacts {
        generated: now,
        expires: now + manifest::TTL,
        watch,
        veto_server: h.veto_server.clone(),
        self_check: h.self_check.clamp(1, SELF_CHECK_MAX),
        cookies: note.cookies.clone(),
        charset: h.charset.clone(),
        origins: h.origins.clone(),
        headers_release: known::release_for(&policy::HEADERS, &ev, &h.dirs)
            .map(|r| r.name.to_owned())
            .unwrap_or_default(),
        options: native::options_digest(&h.options),
    };
    learn(&script, &site_key, &h, &note, &site_facts, &ev);
    // A file changed while this request ran, or so recently that opcache may still have
    // served its old code, may not be what this beat ran (and a second change within the
    // same second would keep the mtime recorded): leave it to a later beat.
    let settled = started - settle;
    if site_facts.watch.iter().any(|(_, m)| *m >= settled) {
        return Writes {
            verdict: "not recorded: a watched file changed within the settle window".into(),
            ..Writes::default()
        };
    }
    // The same veto the compile hook applies: such a request may behave unlike others.
    if let Some(v) = h.veto_server.iter().find(|v| {
        h.server.iter().any(|(k, val)| k == *v && val.is_some()) || super::getenv(v).is_some()
    }) {
        return Writes {
            verdict: format!("not recorded: vetoed by {v}"),
            ..Writes::default()
        };
    }
    let site = policy::Site {
        dirs: h.dirs.clone(),
        multisite: h.multisite,
        ext_object_cache: h.ext_object_cache,
        wpdb_class: h.wpdb_class.clone(),
        post_caps_core: h.post_caps_core(),
        roles_option: note.roles_option.clone(),
        charset: h.charset.clone(),
        origins: h.origins.clone(),
        origin: super::getenv("HTTP_ORIGIN"),
        declared: h.declared.clone(),
    };
    let verdict = policy::judge(&ev, &site);
    let path = h.manifest.clone();
    // The file as it is now (the plugin holds its lock), parsed once per version of it.
    let old = worker::manifest(&path).ok().map(|m| Manifest::clone(&m));
    let rec = manifest::record(
        old.clone(),
        site_facts,
        &key,
        *ev,
        verdict.as_ref().map(|_| ()),
        &h.dirs,
        now,
    );
    let verdict = match &verdict {
        Ok(_) => format!("{key}: the lane may answer"),
        Err(r) => format!("{key}: {r}"),
    };
    // A self-check that confirms the manifest leaves the file as it is.
    if rec.suspended.is_none()
        && old
            .as_ref()
            .is_some_and(|o| manifest::unchanged(o, &rec.manifest, &key, now))
    {
        return Writes {
            manifest: None,
            suspended: None,
            verdict: format!("{verdict} (manifest unchanged)"),
        };
    }
    Writes {
        manifest: Some((path, rec.manifest.render())),
        suspended: rec.suspended,
        verdict,
    }
}

/// Keep what a native answer needs (or forget it when the site is not one it models).
fn learn(script: &str, key: &str, h: &Handover, note: &Note, site: &SiteFacts, ev: &Evidence) {
    // Logged-in beats' evidence fingerprints the functions the answer models.
    if !ev.shape().is_some_and(|s| s.logged_in()) {
        return;
    }
    // Keyed by the raw request facts (`fastbeat_lane::request`): what wp-config.php
    // derived from them (the scheme, the site) holds for beats with the same facts.
    // A network's site is answered only with its network facts.
    let learned = h
        .learn
        .as_ref()
        .filter(|l| l.network.is_some() == h.multisite)
        .and_then(|l| {
            let pass_frag = known::pass_frag(ev, &h.dirs).ok()?;
            Some(Learned {
                watch: site.watch_digest(),
                db: l.db.clone(),
                users: l.users.clone(),
                usermeta: l.usermeta.clone(),
                options: l.options.clone(),
                ssl: note.ssl,
                auth_salt: l.auth_salt.clone(),
                nonce_salt: l.nonce_salt.clone(),
                options_seen: h.options.clone(),
                post: l.post.clone(),
                caps_key: note.caps_key.clone(),
                pass_frag,
                network: l.network.clone(),
                object_cache: h.ext_object_cache,
                // Post-lock evidence whose model fits no release is refused anyway.
                last_changed: known::last_changed(ev, &h.dirs).unwrap_or_default(),
            })
        });
    worker::with_site(script, key, |s| s.learned = learned);
}

/// The reasons the plugin shows, for its message table's test.
pub fn reason_codes() -> Vec<&'static str> {
    Reason::CODES.to_vec()
}
