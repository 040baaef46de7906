//! `heartbeat_send` / `heartbeat_nopriv_send` when their only callback is core's
//! `wp_auth_check` (priority 10, one accepted arg), as on every site without plugins
//! hooking them.
//!
//! `WP_Hook::apply_filters()` with a single callback leaves no trace once it returns
//! (nesting level, iterations and `$wp_current_filter` are restored), so the observable
//! effects are `did_filter()`'s count and what `wp_auth_check()` does:
//! `$response['wp-auth-check'] = is_user_logged_in() && empty( $GLOBALS['login_grace_period'] )`.
//! `is_user_logged_in()` and `wp_get_current_user()` must be core's pluggables.

use super::array::assign;
use super::hooks;
use crate::zend::call;
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::Flow;
use ext_php_rs::types::Zval;

fn only_core_auth_check(hook: &str) -> Flow<bool> {
    Ok(
        hooks::exactly(hook, 10, &[("wp_auth_check", "functions.php")])?
            && call::declared_in_core("is_user_logged_in", "pluggable.php")
            && call::declared_in_core("wp_get_current_user", "pluggable.php"),
    )
}

/// `apply_filters( $hook, $response, $screen_id )` for `heartbeat_send` /
/// `heartbeat_nopriv_send`.
pub fn send_filter(hook: &str, mut response: Zval, screen_id: &Zval) -> Flow<Zval> {
    if !only_core_auth_check(hook)? || !hooks::count_filters(&[hook]) {
        return hooks::apply_filters(hook, response, &[screen_id]);
    }
    // is_user_logged_in(): wp_get_current_user()->exists(), which for WP_User itself is
    // ! empty( $user->ID ); a subclass may override exists(), so ask PHP then.
    let user = call::call("wp_get_current_user", &[])?;
    let plain_wp_user = value::is_exactly(&user, "WP_User");
    let logged_in = if plain_wp_user {
        value::read_property(&user, "ID")?.is_some_and(|id| value::truthy(&id))
    } else {
        value::truthy(&call::call("is_user_logged_in", &[])?)
    };
    let grace = symbols::get("login_grace_period").is_some_and(value::truthy);
    assign(
        &mut response,
        "wp-auth-check",
        value::boolean(logged_in && !grace),
    )?;
    Ok(response)
}
