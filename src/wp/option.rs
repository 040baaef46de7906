//! `get_option( 'blog_charset' )`, the one option a heartbeat reads.
//!
//! Native only when every step of core's code path is core's own: no
//! `pre_option_blog_charset` / `pre_option` / `alloptions` callbacks, only core's own
//! (`_wp_specialchars`, `_canonical_charset`, done natively) or none on
//! `option_blog_charset`, core's `wp_cache_get()` over a plain `WP_Object_Cache` (no
//! drop-in) that already holds `notoptions` and a non-empty `alloptions`, not
//! installing, single site, and a value `maybe_unserialize()` leaves alone. Then the
//! value comes from the same cache entry and the observable side effects are
//! reproduced: the four filter counts and the two `cache_hits` of the two
//! `wp_cache_get()` calls. Otherwise: core, in PHP.
//!
//! That is 6.1's `get_option()`. From 6.2 on, `wp_load_alloptions()` (which `get_option()`
//! calls) first asks the `pre_wp_load_alloptions` filter, whose callbacks may hand it
//! other options (core's charset then differs from the cached one), and 6.8 reads
//! `alloptions` before `notoptions` (one cache hit, not two): on those versions core's
//! PHP answers (`$wp_version`, as `send.rs` does for the nocache headers).

use super::hooks;
use super::names;
use crate::zend::key::Key;
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::value::ZvalExt;
use crate::zend::Flow;
use ext_php_rs::types::Zval;

/// Hooks on the path that must have no callbacks.
const IDLE: [&Key; 3] = [
    &names::PRE_OPTION_BLOG_CHARSET,
    &names::PRE_OPTION,
    &names::ALLOPTIONS,
];
static MULTISITE: value::Prop = value::Prop::new("multisite");
static CACHE: value::Prop = value::Prop::new("cache");
static CACHE_HITS: value::Prop = value::Prop::new("cache_hits");
static WP_OBJECT_CACHE: Key = Key::new("wp_object_cache");
static OPTIONS: Key = Key::new("options");
static NOTOPTIONS: Key = Key::new("notoptions");
static ALLOPTIONS_KEY: Key = Key::new("alloptions");
static BLOG_CHARSET: Key = Key::new("blog_charset");

/// `get_option( 'blog_charset' )` natively, or `None` when core's PHP must answer.
///
/// The checks read state only; then, in one quiet run (no PHP may run), the three
/// filter counts and `option_blog_charset` (idle, or only core's own callbacks, done
/// natively) — so a hook that needs PHP leaves everything unchanged for core to do.
pub fn blog_charset() -> Flow<Option<Zval>> {
    if !get_option_is_native()
        || super::constants::WP_SETUP_CONFIG.get().is_some()
        || !super::declared::in_includes("wp_cache_get", "cache.php")
    {
        return Ok(None);
    }
    if super::user::installing()? || !hooks::filters_are_idle(&IDLE) {
        return Ok(None);
    }
    // A counted copy: reads below may run `__get`, and the hooks may add globals.
    let Some(cache_obj) = symbols::get_key(&WP_OBJECT_CACHE).map(Zval::shallow_clone) else {
        return Ok(None);
    };
    if !value::is_exactly(&cache_obj, "WP_Object_Cache") {
        return Ok(None);
    }
    let multisite = MULTISITE.read(&cache_obj)?;
    if multisite.as_ref().is_none_or(value::truthy) {
        return Ok(None);
    }
    let Some(cache) = CACHE.read(&cache_obj)? else {
        return Ok(None);
    };
    let Some(options) = cache
        .arr()
        .and_then(|c| OPTIONS.find(c))
        .and_then(Zval::arr)
    else {
        return Ok(None);
    };
    let Some(notoptions) = NOTOPTIONS.find(options).and_then(Zval::arr) else {
        return Ok(None);
    };
    if BLOG_CHARSET.find(notoptions).is_some() {
        return Ok(None);
    }
    let Some(alloptions) = ALLOPTIONS_KEY.find(options).and_then(Zval::arr) else {
        return Ok(None);
    };
    if alloptions.is_empty() {
        return Ok(None);
    }
    let Some(charset) = BLOG_CHARSET.find(alloptions) else {
        return Ok(None);
    };
    // A value maybe_unserialize() leaves alone and header() takes as it is.
    let plain = charset.zend_str().is_some_and(|s| {
        s.as_bytes()
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    });
    if !plain {
        return Ok(None);
    }
    let charset = charset.shallow_clone();
    let filtered = super::hook_run::quietly(|| {
        if !hooks::count_filters(&IDLE) {
            return Ok(None);
        }
        let name = BLOG_CHARSET.zval();
        let v = hooks::apply_filters(&names::OPTION_BLOG_CHARSET, charset, &[&name])?;
        // Core's own callbacks keep a plain string plain.
        Ok(v.zend_str().is_some().then_some(v))
    })?;
    let Some(filtered) = filtered else {
        return Ok(None);
    };
    // The two wp_cache_get() hits (notoptions, alloptions).
    CACHE_HITS.add_long(&cache_obj, 2)?;
    Ok(Some(filtered))
}

/// Core versions whose `get_option()` this module reproduces (see the module comment).
fn get_option_is_native() -> bool {
    symbols::get_key(&names::WP_VERSION)
        .and_then(|v| v.str())
        .is_some_and(|v| v.starts_with("6.1.") || v == "6.1")
}
