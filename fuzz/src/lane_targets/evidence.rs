//! `evidence`: what a full-path beat showed, as the manifest keeps it.
//!
//! Properties: `Evidence::from_json` never panics on hostile JSON; what it accepts, and
//! any generated evidence, survives `to_json` → text → `from_json` unchanged;
//! `differs(a, a)` is `None`; `differs(a, b)` is `Some` exactly when `b`'s hook tables or
//! one of the compared fields (headers, output, status, headers sent, buffers, shutdown
//! functions, rewritten variables, the user's class / set count / cookie login, modelled
//! functions) differ, naming the first differing hook table of `b`; `Dirs::owner` names
//! the owner a file's directory implies.

use super::{brief, edit_json, gen_dirs, gen_evidence, text, tweak_evidence, with_lane};
use crate::gen::Reader;
use crate::targets::{ensure, Check, Impl, Target};
use fastbeat_lane::evidence::{Dirs, Evidence};
use fastbeat_lane::reason::Owner;
use serde_json::Value;

fn round_trip(f: &Impl, e: &Evidence) -> Check {
    let v = (f.lane.to_json)(e);
    let back = (f.lane.from_json)(&v);
    ensure(back.as_ref() == Some(e), || {
        format!("from_json(to_json(e)) = {}, e = {}", brief(&back), brief(e))
    })?;
    let text = v.to_string();
    let reread = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| (f.lane.from_json)(&v));
    ensure(reread.as_ref() == Some(e), || {
        format!(
            "evidence written as {text:?} reads back as {}",
            brief(&reread)
        )
    })
}

/// The user as the self-check compares it.
fn user_key(e: &Evidence) -> Option<(i64, String, bool)> {
    e.user
        .as_ref()
        .map(|u| (u.set_count, u.class.clone(), u.login == u.cookie_login))
}

fn check_differs(f: &Impl, a: &Evidence, b: &Evidence, dirs: &Dirs) -> Check {
    let got = (f.lane.differs)(a, b, dirs);
    // The first of `b`'s tables that `a` does not hold as it is (by hook name).
    let hook = b
        .hooks
        .iter()
        .find(|h| a.hooks.iter().find(|t| t.hook == h.hook) != Some(*h));
    let field = a.headers != b.headers
        || a.output != b.output
        || a.status != b.status
        || a.headers_sent != b.headers_sent
        || a.buffers != b.buffers
        || a.shutdown != b.shutdown
        || a.rewritten != b.rewritten
        || user_key(a) != user_key(b)
        || a.functions != b.functions;
    let ok = match (&got, hook) {
        (Some(msg), Some(h)) => {
            let before = a.hooks.iter().find(|t| t.hook == h.hook);
            let added_named = h
                .entries
                .iter()
                .filter(|e| before.is_none_or(|t| !t.entries.contains(e)))
                .all(|e| msg.contains(&format!("{} (", e.callback)));
            let gone_named = before.is_none_or(|t| {
                t.entries
                    .iter()
                    .filter(|e| !h.entries.contains(e))
                    .all(|e| msg.contains(&e.callback))
            });
            msg.starts_with(&format!("hook {}: ", h.hook)) && added_named && gone_named
        }
        // A table the earlier evidence had and the later one lacks is named too.
        (Some(msg), None) => {
            field
                || a.hooks.iter().any(|t| {
                    !b.hooks.iter().any(|l| l.hook == t.hook)
                        && *msg == format!("hook {}: no longer captured", t.hook)
                })
        }
        (None, _) => {
            hook.is_none()
                && !field
                && a.hooks
                    .iter()
                    .all(|t| b.hooks.iter().any(|l| l.hook == t.hook))
        }
    };
    ensure(ok, || {
        format!(
            "differs = {got:?}; first differing table of the later evidence {:?}, compared fields differ: {field}\n  a = {}\n  b = {}",
            hook.map(|h| &h.hook),
            brief(a),
            brief(b)
        )
    })
}

fn accepted(f: &Impl, v: &Value, dirs: &Dirs) -> Check {
    if let Some(e) = (f.lane.from_json)(v) {
        round_trip(f, &e)?;
        check_differs(f, &e, &e, dirs)?;
    }
    Ok(())
}

/// Owners by directory, for a layout where no directory is inside another except as
/// WordPress nests them (plugins and mu-plugins and themes in content, Fastbeat in
/// plugins).
fn check_owner(f: &Impl, r: &mut Reader) -> Check {
    let d = Dirs {
        abspath: "/usr/share/wordpress/".into(),
        plugins: "/srv/wp-content/plugins".into(),
        mu_plugins: "/srv/wp-content/mu-plugins/".into(),
        content: "/srv/wp-content".into(),
        themes: vec![
            "/srv/wp-content/themes/child".into(),
            "/usr/share/wordpress/wp-content/themes/parent/".into(),
        ],
        fastbeat: "/srv/wp-content/plugins/fastbeat".into(),
    };
    let name = {
        let t = text(r, &["akismet", "hello.php", "a-b_c", "x.php"]);
        let t: String = t
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .collect();
        if t.is_empty() || t == "." || t == ".." {
            "p".to_string()
        } else {
            t
        }
    };
    let cases: Vec<(Option<String>, Owner)> = vec![
        (None, Owner::Other("(unresolved)".into())),
        (Some("ext:fastbeat".into()), Owner::Fastbeat),
        (Some(format!("ext:{name}")), Owner::Internal),
        (
            Some(format!("/srv/wp-content/plugins/fastbeat/{name}")),
            Owner::Fastbeat,
        ),
        (
            Some(format!("/usr/share/wordpress/wp-includes/{name}")),
            Owner::Core,
        ),
        (
            Some(format!("/usr/share/wordpress/wp-admin/includes/{name}")),
            Owner::Core,
        ),
        (
            Some("/usr/share/wordpress/wp-config.php".into()),
            Owner::Site("wp-config.php".into()),
        ),
        (
            Some(format!("/srv/wp-content/plugins/{name}/sub/x.php")),
            Owner::Plugin(name.clone()),
        ),
        (
            Some(format!("/srv/wp-content/plugins/{name}")),
            Owner::Plugin(name.clone()),
        ),
        (
            Some(format!("/srv/wp-content/mu-plugins/{name}")),
            Owner::MuPlugin(name.clone()),
        ),
        (
            Some("/srv/wp-content/themes/child/functions.php".into()),
            Owner::Theme("child".into()),
        ),
        (
            Some(format!(
                "/usr/share/wordpress/wp-content/themes/parent/inc/{name}"
            )),
            Owner::Theme("parent".into()),
        ),
        (
            Some(format!("/srv/wp-content/{name}")),
            Owner::Site(name.clone()),
        ),
        (
            Some(format!("/srv/wp-content/plugins-old/{name}")),
            Owner::Other(format!("/srv/wp-content/plugins-old/{name}")),
        ),
        (
            Some(format!("/srv/wp-content/uploads/{name}")),
            Owner::Other(format!("/srv/wp-content/uploads/{name}")),
        ),
    ];
    for (file, want) in cases {
        let got = (f.lane.owner)(&d, file.as_deref());
        ensure(got == want, || {
            format!("owner({file:?}) = {got:?}, want {want:?}")
        })?;
    }
    Ok(())
}

fn check(f: &Impl, x: &[u8]) -> Check {
    let mut r = Reader::new(x);
    let mode = r.byte();
    if mode < 64 {
        // Hostile JSON, as it is.
        let dirs = gen_dirs(&mut Reader::new(&[]));
        return match serde_json::from_slice::<Value>(r.rest()) {
            Ok(v) => accepted(f, &v, &dirs),
            Err(_) => Ok(()),
        };
    }
    // Built: changes, directories and edits are read from a field of their own, the
    // evidence from the rest, so seeds can pick a change whatever the evidence is.
    let mut c = Reader::new(r.field());
    let dirs = gen_dirs(&mut c);
    let a = gen_evidence(&mut r);
    let b = tweak_evidence(&mut c, &a);
    round_trip(f, &a)?;
    round_trip(f, &b)?;
    check_differs(f, &a, &a, &dirs)?;
    check_differs(f, &a, &b, &dirs)?;
    check_differs(f, &b, &a, &dirs)?;
    for e in [&a, &b] {
        for h in &e.hooks {
            for cb in &h.entries {
                // Never panics, whatever the directories.
                let _ = (f.lane.owner)(&dirs, cb.file.as_deref());
            }
        }
    }
    check_owner(f, &mut c)?;
    // Near-valid: the evidence's JSON with a few edits.
    let text = (f.lane.to_json)(&a).to_string();
    let edited = edit_json(&mut c, text.as_bytes());
    match serde_json::from_slice::<Value>(&edited) {
        Ok(v) => accepted(f, &v, &dirs),
        Err(_) => Ok(()),
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let built = |ctl: &[u8], rest: &[u8]| {
        let mut v = vec![64u8, u8::try_from(ctl.len()).unwrap_or(0)];
        v.extend_from_slice(ctl);
        v.extend_from_slice(rest);
        v
    };
    let mut v = Vec::new();
    // Each change tweak_evidence() makes, on the default evidence and on a busier one.
    for op in 0u8..18 {
        v.push(built(&[0, 0, op, 0], &[]));
        v.push(built(
            &[0, 0, op, 1],
            &[0, 0, 0, 3, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1],
        ));
    }
    let sample = gen_evidence(&mut Reader::new(&[]));
    let json = (Impl::fastbeat().lane.to_json)(&sample).to_string();
    let raw = |s: &str| {
        let mut v = vec![0u8];
        v.extend_from_slice(s.as_bytes());
        v
    };
    v.push(raw(&json));
    v.push(raw(&json.replace("\"user\":{", "\"user\":null,\"x\":{")));
    v.push(raw(&json.replace("[10,", "[10.0,")));
    v.push(raw(&json.replace("\"hooks\":[", "\"hooks\":[1,")));
    v.push(raw(r#"{"shape":1}"#));
    v.push(raw("[]"));
    v.push(raw(
        r#"{"shape":"nopriv","hooks":[{"hook":"h","plain":true,"entries":[[1,"a","b",1,5],[2,"c","d",1,null,"extra"]]}],"headers":[],"output":0,"status":0,"headers_sent":false,"buffers":[],"ini_buffers":[],"shutdown":[],"rewritten":[],"functions":[["f",7,"h"]]}"#,
    ));
    v
}

fn mut_from_json_no_user(v: &Value) -> Option<Evidence> {
    Evidence::from_json(v).map(|mut e| {
        e.user = None;
        e
    })
}

fn mut_differs_ignores_plain(a: &Evidence, b: &Evidence, d: &Dirs) -> Option<String> {
    let mut b = b.clone();
    for h in &mut b.hooks {
        if let Some(t) = a.hooks.iter().find(|t| t.hook == h.hook) {
            h.plain = t.plain;
        }
    }
    a.differs(&b, d)
}

fn mut_differs_ignores_functions(a: &Evidence, b: &Evidence, d: &Dirs) -> Option<String> {
    let mut b = b.clone();
    b.functions.clone_from(&a.functions);
    a.differs(&b, d)
}

fn mut_owner_prefix(d: &Dirs, file: Option<&str>) -> Owner {
    // Takes a directory that merely starts like the plugins directory for it.
    if let Some(rest) = file.and_then(|f| f.strip_prefix(d.plugins.trim_end_matches('/'))) {
        if !rest.starts_with('/') {
            return Owner::Plugin(rest.to_owned());
        }
    }
    d.owner(file)
}

pub fn target() -> Target {
    Target {
        name: "evidence",
        about: "lane::evidence: from_json on hostile JSON, to_json/from_json round trip, differs() exactly when compared fields differ, Dirs::owner by directory",
        dict: &[
            b"{", b"}", b"[", b"]", b",", b":", b"\"", b"true", b"false", b"null", b"1",
            b"\"hooks\":", b"\"entries\":", b"\"user\":", b"\"functions\":", b"\\u0000",
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
                ("from_json drops the user", with_lane(|l| l.from_json = mut_from_json_no_user)),
                ("differs ignores a table's plain flag", with_lane(|l| l.differs = mut_differs_ignores_plain)),
                ("differs ignores modelled functions", with_lane(|l| l.differs = mut_differs_ignores_functions)),
                ("owner: plugins-old/ counted as a plugin", with_lane(|l| l.owner = mut_owner_prefix)),
            ]
        },
    }
}
