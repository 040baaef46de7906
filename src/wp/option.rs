//! `get_option( 'blog_charset' )`, the one option a heartbeat reads.
//!
//! Native only when every step of core's code path is core's own and has no hooks:
//! no `pre_option_blog_charset` / `pre_option` / `alloptions` / `option_blog_charset`
//! callbacks, core's `wp_cache_get()` over a plain `WP_Object_Cache` (no drop-in) that
//! already holds `notoptions` and a non-empty `alloptions`, not installing, single site,
//! and a value `maybe_unserialize()` leaves alone. Then the value comes from the same
//! cache entry and the observable side effects are reproduced: the four filter counts
//! and the two `cache_hits` of the two `wp_cache_get()` calls. Otherwise: core, in PHP.

use super::hooks;
use crate::zend::value::ZvalExt;
use super::names;
use crate::zend::call;
use crate::zend::hash;
use crate::zend::key::Key;
use crate::zend::memo::{self, Const};
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::Flow;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;

/// Hooks on the path that must have no callbacks.
const IDLE: [&Key; 3] = [
    &names::PRE_OPTION_BLOG_CHARSET,
    &names::PRE_OPTION,
    &names::ALLOPTIONS,
];
/// Every filter `get_option( 'blog_charset' )` applies, in order.
const COUNTED: [&Key; 4] = [
    &names::PRE_OPTION_BLOG_CHARSET,
    &names::PRE_OPTION,
    &names::ALLOPTIONS,
    &names::OPTION_BLOG_CHARSET,
];
/// Core's own callbacks on `option_blog_charset` (default-filters.php), both pure for
/// the plain values handled here: `_wp_specialchars()` returns a string without
/// `&<>"'` unchanged, and `_canonical_charset()` spells UTF-8 / ISO-8859-1 canonically.
const CHARSET_FILTERS: [(&str, &str); 2] = [
    ("_wp_specialchars", "formatting.php"),
    ("_canonical_charset", "functions.php"),
];

/// `get_option( 'blog_charset' )` natively, or `None` when core's PHP must answer.
pub fn blog_charset() -> Flow<Option<Zval>> {
    if memo::constant(Const::WpSetupConfig).is_some()
        || !call::declared_in_core("wp_cache_get", "cache.php")
    {
        return Ok(None);
    }
    // wp_installing() has no hooks or side effects: ask it first, so nothing below runs
    // PHP between the checks and the counts.
    if super::user::installing()? {
        return Ok(None);
    }
    let core_filtered = if hooks::filters_are_idle(&COUNTED) {
        false
    } else if hooks::filters_are_idle(&IDLE)
        && hooks::exactly(&names::OPTION_BLOG_CHARSET, 10, &CHARSET_FILTERS)?
    {
        true
    } else {
        return Ok(None);
    };
    let Some(cache_obj) = symbols::get("wp_object_cache") else {
        return Ok(None);
    };
    if !value::is_exactly(cache_obj, "WP_Object_Cache") {
        return Ok(None);
    }
    let multisite = value::read_property(cache_obj, "multisite")?;
    if multisite.as_ref().is_none_or(value::truthy) {
        return Ok(None);
    }
    let Some(cache) = value::read_property(cache_obj, "cache")? else {
        return Ok(None);
    };
    let Some(options) = cache
        .arr()
        .and_then(|c| hash::find(c, "options"))
        .and_then(Zval::arr)
    else {
        return Ok(None);
    };
    let Some(notoptions) = hash::find(options, "notoptions").and_then(Zval::arr) else {
        return Ok(None);
    };
    if hash::find(notoptions, "blog_charset").is_some() {
        return Ok(None);
    }
    let Some(alloptions) = hash::find(options, "alloptions").and_then(Zval::arr) else {
        return Ok(None);
    };
    if alloptions.is_empty() {
        return Ok(None);
    }
    let Some(charset) = hash::find(alloptions, "blog_charset") else {
        return Ok(None);
    };
    let plain = charset.get_type() == DataType::String
        && charset.zend_str().is_some_and(|s| {
            s.as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        });
    if !plain {
        return Ok(None);
    }
    let charset = charset.shallow_clone();
    // The four filter calls, in core's order; then the two cache hits.
    if !hooks::count_filters(&COUNTED) {
        return Ok(None);
    }
    value::add_to_long_property(cache_obj, "cache_hits", 2)?;
    Ok(Some(if core_filtered {
        canonical_charset(&charset)
    } else {
        charset
    }))
}

/// `_canonical_charset()`.
fn canonical_charset(charset: &Zval) -> Zval {
    let bytes = charset.zend_str().map_or(&[][..], |s| s.as_bytes());
    let lower = bytes.to_ascii_lowercase();
    match lower.as_slice() {
        b"utf-8" | b"utf8" => value::string(b"UTF-8"),
        b"iso-8859-1" | b"iso8859-1" => value::string(b"ISO-8859-1"),
        _ => charset.shallow_clone(),
    }
}
