//! Logged-in answers on a site with a persistent object cache, part-way through the boot.
//!
//! Core reads a beat's user, session and options through the object cache, and a drop-in
//! may hold what the database does not (or no longer) say: an answer read from the
//! database alone could differ from core's. So on such a site the lane lets WordPress boot
//! as far as `wp-settings.php`'s `wp_start_object_cache()`: `wp-config.php` has run, the
//! database is connected and the installed drop-in is loaded, and nothing else (no
//! default filters, no plugins). When the engine is then asked to compile the next file
//! `wp-settings.php` requires, the extension compiles the lane's `midboot.php` in its
//! place, which reads what core reads, through the drop-in's own `wp_cache_*` functions
//! and core's own `update_meta_cache()` where core would fill the cache, and either
//! answers or requires the file it stood in for: the boot then carries on as if nothing
//! had happened (the full path).
//!
//! Which file that is comes from the installed `wp-settings.php` ([`trigger`]), not from
//! a list kept here.

/// The statement after which the lane takes over.
const START_CACHE: &[u8] = b"wp_start_object_cache();";

/// How `wp-settings.php` requires its files.
const REQUIRE: &[u8] = b"require ABSPATH . WPINC . '/";

/// The file (relative to `ABSPATH`) that installed `wp-settings.php` requires right after
/// its one top-level `wp_start_object_cache();`, when the source has exactly that
/// layout; `None` otherwise (the lane then leaves logged-in beats to the full path).
pub fn trigger(wp_settings: &[u8]) -> Option<String> {
    let code = crate::fingerprint::normalize(wp_settings);
    let at = find(&code, START_CACHE)?;
    // Called once: a second call (a re-initialisation) would make "after it" ambiguous.
    if find(&code[at + START_CACHE.len()..], START_CACHE).is_some() {
        return None;
    }
    let rest = code.get(at + START_CACHE.len()..)?;
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let name = rest.strip_prefix(REQUIRE)?;
    let end = name.iter().position(|b| *b == b'\'')?;
    let file = &name[..end];
    let plain = !file.is_empty()
        && file.ends_with(b".php")
        && !file.windows(2).any(|w| w == b"..")
        && file
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
    if !plain || !name[end..].starts_with(b"';") {
        return None;
    }
    Some(format!("wp-includes/{}", std::str::from_utf8(file).ok()?))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Core's cache keys and groups for what a logged-in answer reads.
pub const ALLOPTIONS: (&str, &str) = ("alloptions", "options");
pub const USERLOGINS: &str = "userlogins";
pub const USERS: &str = "users";
pub const POSTS: &str = "posts";
/// `update_meta_cache()`'s types (their cache groups are `{type}_meta`).
pub const USER_META: &str = "user";
pub const POST_META: &str = "post";
/// `wp_cache_set_posts_last_changed()`'s key and group.
pub const LAST_CHANGED: (&str, &str) = ("last_changed", "posts");

/// One object's meta as the cache holds it: key, then its raw values in `meta_id` order.
pub type MetaCache = Vec<(Vec<u8>, Vec<Column>)>;

/// What the cache reads returned, as plain values (the extension reads them off PHP's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cached {
    /// `alloptions`: every entry (`None`: not a string).
    pub alloptions: Vec<(Vec<u8>, Column)>,
    pub user: Option<UserRow>,
    pub user_meta: MetaCache,
    pub post: Option<Post>,
    pub post_meta: MetaCache,
}

impl Cached {
    fn option(&self, name: &str) -> Option<&Column> {
        self.alloptions
            .iter()
            .find(|(k, _)| k.as_slice() == name.as_bytes())
            .map(|(_, v)| v)
    }

    /// The rows the native answer decides by, as the database reads would have returned
    /// them: the autoloaded options it depends on, the user row, and the first value of
    /// the session tokens and capabilities meta (what `get_user_meta( .., true )` takes).
    pub fn rows(&self, uid_raw: &[u8], caps_key: &str) -> Rows {
        let options = OPTIONS
            .iter()
            .filter_map(|name| {
                self.option(name)
                    .map(|v| (name.as_bytes().to_vec(), v.clone()))
            })
            .collect();
        let meta = ["session_tokens", caps_key]
            .iter()
            .filter_map(|key| {
                let (_, values) = self.user_meta.iter().find(|(k, _)| k == key.as_bytes())?;
                let first = values.first()?;
                Some((uid_raw.to_vec(), key.as_bytes().to_vec(), first.clone()))
            })
            .collect();
        Rows {
            options,
            user: self.user.clone(),
            meta,
            ..Rows::default()
        }
    }

    /// A post lock's facts, or `None` when an option core reads is not among the
    /// autoloaded ones (core would read it on its own: not modelled).
    pub fn post_facts(&self, roles_option: &str, caps_key: &str) -> Option<Facts> {
        let roles = self.option(roles_option)?.clone();
        let privacy_page = self.option(PRIVACY_PAGE)?.clone();
        let caps = self
            .user_meta
            .iter()
            .find(|(k, _)| k.as_slice() == caps_key.as_bytes())
            .and_then(|(_, v)| v.first().cloned().flatten());
        let locks = self
            .post_meta
            .iter()
            .find(|(k, _)| k.as_slice() == b"_edit_lock")
            .map(|(k, values)| values.iter().map(|v| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        Some(Facts {
            post: self.post.clone(),
            locks,
            roles,
            caps,
            privacy_page,
        })
    }
}

use crate::native::{Column, Rows, UserRow, OPTIONS};
use crate::post_lock::{Facts, Post, PRIVACY_PAGE};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_values_make_the_rows_core_would_read() {
        let c = Cached {
            alloptions: vec![
                (b"siteurl".to_vec(), Some(b"http://a".to_vec())),
                (b"wp_user_roles".to_vec(), Some(b"a:0:{}".to_vec())),
                (b"wp_page_for_privacy_policy".to_vec(), Some(b"3".to_vec())),
                (b"other".to_vec(), None),
            ],
            user: Some(UserRow {
                id: b"1".to_vec(),
                login: Some(b"admin".to_vec()),
                pass: Some(b"$P$x".to_vec()),
            }),
            user_meta: vec![
                (
                    b"session_tokens".to_vec(),
                    vec![Some(b"a".to_vec()), Some(b"b".to_vec())],
                ),
                (b"wp_capabilities".to_vec(), vec![Some(b"c".to_vec())]),
                (b"nickname".to_vec(), vec![Some(b"n".to_vec())]),
            ],
            post: None,
            post_meta: vec![(b"_edit_lock".to_vec(), vec![Some(b"5:1".to_vec())])],
        };
        let r = c.rows(b"1", "wp_capabilities");
        assert_eq!(
            r.options,
            vec![(b"siteurl".to_vec(), Some(b"http://a".to_vec()))]
        );
        assert_eq!(
            r.meta,
            vec![
                (
                    b"1".to_vec(),
                    b"session_tokens".to_vec(),
                    Some(b"a".to_vec())
                ),
                (
                    b"1".to_vec(),
                    b"wp_capabilities".to_vec(),
                    Some(b"c".to_vec())
                ),
            ]
        );
        let f = c.post_facts("wp_user_roles", "wp_capabilities");
        assert_eq!(
            f.as_ref().map(|f| f.locks.clone()),
            Some(vec![(b"_edit_lock".to_vec(), Some(b"5:1".to_vec()))])
        );
        assert_eq!(f.and_then(|f| f.caps), Some(b"c".to_vec()));
        // The privacy page option not autoloaded: core reads it on its own.
        let mut d = c.clone();
        d.alloptions
            .retain(|(k, _)| k.as_slice() != b"wp_page_for_privacy_policy");
        assert_eq!(d.post_facts("wp_user_roles", "wp_capabilities"), None);
    }

    #[test]
    fn the_file_after_the_cache_starts() {
        let src = b"<?php\n// Start the object cache.\nwp_start_object_cache();\n\n// Attach the default filters.\nrequire ABSPATH . WPINC . '/default-filters.php';\n";
        assert_eq!(
            trigger(src).as_deref(),
            Some("wp-includes/default-filters.php")
        );
        // Anything else in between, a second start, an odd name: no trigger.
        assert_eq!(
            trigger(b"<?php wp_start_object_cache(); x(); require ABSPATH . WPINC . '/a.php';"),
            None
        );
        assert_eq!(
            trigger(b"<?php wp_start_object_cache(); require ABSPATH . WPINC . '/a.php'; wp_start_object_cache();"),
            None
        );
        assert_eq!(
            trigger(b"<?php wp_start_object_cache(); require ABSPATH . WPINC . '/../x.php';"),
            None
        );
        assert_eq!(
            trigger(b"<?php wp_start_object_cache(); require ABSPATH . WPINC . '/a.php' . $x;"),
            None
        );
        assert_eq!(trigger(b"<?php require ABSPATH . WPINC . '/a.php';"), None);
    }

    /// With `FASTBEAT_WP_TREES=release=dir,...`, every tree's wp-settings.php has one.
    #[test]
    fn every_tree_has_one_when_given() {
        let Ok(trees) = std::env::var("FASTBEAT_WP_TREES") else {
            return;
        };
        for pair in trees.split(',').filter(|p| !p.is_empty()) {
            let Some((_, dir)) = pair.split_once('=') else {
                continue;
            };
            let src = std::fs::read(format!("{dir}/wp-settings.php")).unwrap_or_default();
            assert_eq!(
                trigger(&src).as_deref(),
                Some("wp-includes/default-filters.php"),
                "{dir}"
            );
        }
    }
}
