//! Core's `wp_auth_check()` on `heartbeat_send` / `heartbeat_nopriv_send`:
//! `$response['wp-auth-check'] = is_user_logged_in() && empty( $GLOBALS['login_grace_period'] );`
//!
//! Natively when `is_user_logged_in()` and `wp_get_current_user()` are core's
//! pluggables and the current user is a plain `WP_User` (whose `exists()` is
//! `! empty( $this->ID )`; a subclass may override it, so PHP answers then).

use super::array::assign_key;
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::value::ZvalExt;
use crate::zend::Flow;
use ext_php_rs::types::Zval;

/// `wp_auth_check( $response )`, or `None` when core's function must run.
pub fn native(response: &Zval) -> Flow<Option<Zval>> {
    if !super::declared::in_includes("is_user_logged_in", "pluggable.php")
        || !super::declared::in_includes("wp_get_current_user", "pluggable.php")
    {
        return Ok(None);
    }
    // Other responses make the assignment fail or warn: that must come from core's file.
    let r = value::deref(response);
    if r.arr().is_none() && !r.nul() {
        return Ok(None);
    }
    let Some(user) =
        symbols::get_key(&super::names::CURRENT_USER).filter(|u| value::is_exactly(u, "WP_User"))
    else {
        return Ok(None);
    };
    let logged_in = super::user::ID
        .read(user)?
        .is_some_and(|id| value::truthy(&id));
    let grace = symbols::get_key(&super::names::LOGIN_GRACE_PERIOD).is_some_and(value::truthy);
    let mut out = value::deref(response).shallow_clone();
    assign_key(
        &mut out,
        &super::names::WP_AUTH_CHECK,
        value::boolean(logged_in && !grace),
    )?;
    Ok(Some(out))
}
