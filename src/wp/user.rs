//! `wp_get_current_user()` and the per-request caches core keeps in `static` variables.

use super::hooks;
use crate::zend::call;
use crate::zend::hash;
use crate::zend::statics;
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::value::ZvalExt;
use crate::zend::Flow;
use ext_php_rs::types::Zval;

/// `wp_get_current_user()`. Core's pluggable returns `_wp_get_current_user()`, which
/// returns `global $current_user` untouched when it is a `WP_User`; for that case, with
/// the class exactly `WP_User`, the global is read here. Anything else (nobody set yet,
/// a stand-in object, a replaced pluggable) is PHP's.
pub fn current() -> Flow<Zval> {
    if super::declared::in_includes("wp_get_current_user", "pluggable.php") {
        if let Some(user) = symbols::get_key(&super::names::CURRENT_USER) {
            if value::is_exactly(user, "WP_User") {
                return Ok(user.shallow_clone());
            }
        }
    }
    call::call("wp_get_current_user", &[])
}

/// `wp_salt( $scheme )` for a scheme core has already cached in this request:
/// `return apply_filters( 'salt', $cached_salts[ $scheme ], $scheme );` with no `salt`
/// callbacks is the cached string itself (and one count of the filter). Otherwise the
/// function, core's or a plugin's, is called.
pub fn salt(scheme: &'static str) -> Flow<Zval> {
    if super::declared::in_includes("wp_salt", "pluggable.php") {
        let cached = CACHED_SALTS
            .get()
            .and_then(Zval::arr)
            .and_then(|a| hash::find(a, scheme))
            .filter(|s| value::ty(s) == value::t::STRING);
        if let Some(s) = cached {
            let s = s.shallow_clone();
            if hooks::skip_idle_filters(&[&super::names::SALT]) {
                return Ok(s);
            }
        }
    }
    let scheme = value::string(scheme.as_bytes());
    let s = call::call("wp_salt", &[&scheme])?;
    if value::ty(value::deref(&s)) == value::t::STRING {
        return Ok(value::deref(&s).shallow_clone());
    }
    Ok(value::string(&value::to_php_string(&s)?))
}

/// `WP_User::$ID`.
pub static ID: value::Prop = value::Prop::new("ID");

static CACHED_SALTS: statics::StaticVar = statics::StaticVar::new("wp_salt", "cached_salts");
static INSTALLING: statics::StaticVar = statics::StaticVar::new("wp_installing", "installing");

/// `wp_installing()`: its `static $installing` once set, else a call.
pub fn installing() -> Flow<bool> {
    if super::declared::in_includes("wp_installing", "load.php") {
        let known = INSTALLING.get().filter(|v| !v.nul());
        if let Some(v) = known {
            return Ok(value::truthy(v));
        }
    }
    call::call("wp_installing", &[]).map(|v| value::truthy(&v))
}
