//! The WordPress releases the models were written for, each as the fingerprints of the
//! functions the models stand in for (`src/known/<release>.tsv`, made by `cargo run -p
//! fastbeat-lane --example fingerprints -- <wordpress-dir>`), and what each model does
//! differently per release. A model is used when the installed code of every one of its
//! functions has the fingerprints of one release: no version string is read, so a later
//! release that leaves them alone keeps the model, and a core half-way through an
//! in-place upgrade matches none.

use crate::answer::{HeaderModel, HEADERS_61};

/// WordPress 6.8's headers: `wp_get_nocache_headers()` adds `no-store, private`.
pub const HEADERS_68: HeaderModel = HeaderModel {
    cache_control: "no-cache, must-revalidate, max-age=0, no-store, private",
    csp: false,
};

/// WordPress 7.1's: also `Content-Security-Policy: frame-ancestors 'self';`.
pub const HEADERS_71: HeaderModel = HeaderModel {
    cache_control: "no-cache, must-revalidate, max-age=0, no-store, private",
    csp: true,
};
use crate::evidence::{Dirs, Evidence};
use crate::policy::{self, Model};
use crate::reason::{Owner, Reason};
use crate::shape::Shape;

/// A release's fingerprints: `label\tfile\tfingerprint` lines.
pub struct Release {
    pub name: &'static str,
    pub data: &'static str,
    /// How its core sends a response's headers.
    pub headers: HeaderModel,
    /// How its `wp_validate_auth_cookie()` takes the password fragment.
    pub pass_frag: PassFrag,
    /// How its `wp_cache_set_posts_last_changed()` marks posts changed.
    pub last_changed: LastChanged,
}

/// What `wp_cache_set_posts_last_changed()` does (the post lock's write ends with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LastChanged {
    /// `wp_cache_set( 'last_changed', microtime(), 'posts' )` (up to 6.2).
    #[default]
    Direct,
    /// 6.3+: `wp_cache_set_last_changed( 'posts' )` (which also fires an action).
    Helper,
}

/// Which part of `user_pass` goes into the auth cookie's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassFrag {
    /// `substr( $user->user_pass, 8, 4 )` (up to 6.7).
    Offset8,
    /// 6.8+: the last four characters for `$wp$`-prefixed (and other non-phpass,
    /// non-bcrypt) hashes, `substr( …, 8, 4 )` for `$P$` and `$2y$` ones.
    Modern,
}

/// Every release a model was written for, oldest first. What changed between them in
/// code the models reproduce (the rest is comments, names and `==` made `===` where the
/// values compared are of one type): 6.8 added `no-store, private` to the no-cache
/// headers and takes the password fragment from the end of `$wp$` hashes; 7.1 sends a
/// frame-ancestors CSP. (`is_ssl()` turned strict in 6.8: the model only answers for the
/// values both forms agree on; `wp_check_post_lock()` casts the lock's user in 6.8: the
/// model only reads locks whose parts are plain decimals, on which both agree.)
pub const RELEASES: &[Release] = &[
    Release {
        name: "6.1.9",
        data: include_str!("known/6.1.9.tsv"),
        headers: HEADERS_61,
        pass_frag: PassFrag::Offset8,
        last_changed: LastChanged::Direct,
    },
    Release {
        name: "6.8.13",
        data: include_str!("known/6.8.13.tsv"),
        headers: HEADERS_68,
        pass_frag: PassFrag::Modern,
        last_changed: LastChanged::Helper,
    },
    Release {
        name: "7.1.4",
        data: include_str!("known/7.1.4.tsv"),
        headers: HEADERS_71,
        pass_frag: PassFrag::Modern,
        last_changed: LastChanged::Helper,
    },
];

fn fingerprint_in(release: &Release, label: &str) -> Option<&'static str> {
    release.data.lines().find_map(|l| {
        let mut it = l.split('\t');
        (it.next()? == label).then_some(())?;
        let _file = it.next()?;
        it.next()
    })
}

/// The release whose code `ev` shows for every function of `model`, or why none fits:
/// a function defined outside core (a replaced pluggable), or code no model knows.
pub fn release_for(model: &Model, ev: &Evidence, dirs: &Dirs) -> Result<&'static Release, Reason> {
    let mut found = Vec::with_capacity(model.functions.len());
    for f in model.functions {
        let label = f.label();
        let Some((_, file, fp)) = ev.functions.iter().find(|(n, ..)| *n == label) else {
            return Err(Reason::ModelMismatch {
                model: model.name.into(),
                function: label,
            });
        };
        let owner = dirs.owner(file.as_deref());
        if owner != Owner::Core {
            return Err(if f.pluggable {
                Reason::Pluggable {
                    function: label,
                    owner,
                }
            } else {
                Reason::ModelMismatch {
                    model: model.name.into(),
                    function: label,
                }
            });
        }
        found.push((label, fp.as_str()));
    }
    // The release matching most functions names the first one that differs.
    let mut best: Option<(usize, &str)> = None;
    for r in RELEASES.iter().rev() {
        let mut differing = None;
        let mut same = 0;
        for (label, fp) in &found {
            if fingerprint_in(r, label) == Some(*fp) {
                same += 1;
            } else if differing.is_none() {
                differing = Some(label.as_str());
            }
        }
        match differing {
            None => return Ok(r),
            Some(d) if best.is_none_or(|(n, _)| same > n) => best = Some((same, d)),
            Some(_) => {}
        }
    }
    Err(Reason::ModelMismatch {
        model: model.name.into(),
        function: best.map_or_else(String::new, |(_, d)| d.to_owned()),
    })
}

/// Every model the shape's answer uses must fit; how the core sends its headers.
pub fn headers_model(ev: &Evidence, dirs: &Dirs, shape: Shape) -> Result<HeaderModel, Reason> {
    let mut headers = None;
    for model in policy::models(shape) {
        let r = release_for(model, ev, dirs)?;
        if model.name == policy::HEADERS.name {
            headers = Some(r.headers);
        }
    }
    headers.ok_or_else(|| Reason::ModelMismatch {
        model: policy::HEADERS.name.into(),
        function: String::new(),
    })
}

/// How the installed core takes the password fragment, when the auth model fits.
pub fn pass_frag(ev: &Evidence, dirs: &Dirs) -> Result<PassFrag, Reason> {
    release_for(&policy::AUTH, ev, dirs).map(|r| r.pass_frag)
}

/// How the installed core marks posts changed, when the post-lock model fits.
pub fn last_changed(ev: &Evidence, dirs: &Dirs) -> Result<LastChanged, Reason> {
    release_for(&policy::POST_LOCK_MODEL, ev, dirs).map(|r| r.last_changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With `FASTBEAT_WP_TREES=release=dir,...` (CI fetches the trees), every release's
    /// data must be what the trees hold today.
    #[test]
    fn data_matches_the_trees_when_given() {
        let Ok(trees) = std::env::var("FASTBEAT_WP_TREES") else {
            return;
        };
        for pair in trees.split(',').filter(|p| !p.is_empty()) {
            let Some((name, dir)) = pair.split_once('=') else {
                continue;
            };
            let Some(r) = RELEASES.iter().find(|r| r.name == name) else {
                continue;
            };
            for line in r.data.lines() {
                let cols: Vec<&str> = line.split('\t').collect();
                assert_eq!(cols.len(), 3, "bad line {line}");
                let [label, file, fp] = cols[..] else {
                    continue;
                };
                if file == "-" {
                    continue;
                }
                let bytes = std::fs::read(format!("{dir}/{file}")).unwrap_or_default();
                let (class, name) = match label.split_once("::") {
                    Some((c, n)) => (Some(c), n),
                    None => (None, label),
                };
                let got = if name.contains('/') {
                    Some(crate::fingerprint::fingerprint(&bytes))
                } else {
                    crate::fingerprint::function_source(&bytes, class, name)
                        .map(crate::fingerprint::fingerprint)
                };
                assert_eq!(got.as_deref(), Some(fp), "{name}: {label} in {dir}/{file}");
            }
        }
    }

    #[test]
    fn every_modelled_function_is_in_every_release() {
        for r in RELEASES {
            for s in Shape::ALL {
                for f in policy::modelled_functions(s) {
                    assert!(
                        fingerprint_in(r, &f.label()).is_some_and(|fp| fp != "-"),
                        "{} lacks {}",
                        r.name,
                        f.label()
                    );
                }
            }
        }
    }
}
