//! The two heartbeat handlers, step for step as core's `wp_ajax_heartbeat()` and
//! `wp_ajax_nopriv_heartbeat()` in `wp-admin/includes/ajax-actions.php`.

use crate::wp::array::assign_key;
use crate::wp::nonce::{self, State};
use crate::wp::{hooks, names, request, send};
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::Flow;
use ext_php_rs::types::Zval;

/// `wp_ajax_heartbeat()`.
pub fn heartbeat() -> Flow<()> {
    let nonce_zv = symbols::post("_nonce").map(Zval::shallow_clone);
    if value::is_empty(nonce_zv.as_ref()) {
        // wp_send_json_error(): array( 'success' => false ).
        let mut err = value::empty_array();
        assign_key(&mut err, &names::SUCCESS, value::boolean(false))?;
        send::send_json(&err)?;
        // Only reached when a wp_die_ajax_handler returned instead of exiting: core
        // then carries on, reading $_POST['_nonce'] again.
        if nonce_zv.is_none() {
            warn_undefined_key("_nonce")?;
        }
    }
    let nonce_zv = nonce_zv.unwrap_or_else(Zval::null);
    let state = nonce::verify(&nonce_zv)?;
    let screen_id = request::screen_id()?;
    let data = request::data()?.unwrap_or_else(value::empty_array);

    let mut response = value::empty_array();
    if state != State::Valid {
        response = hooks::apply_filters(&names::WP_REFRESH_NONCES, response, &[&data, &screen_id])?;
        if state == State::Invalid {
            assign_key(&mut response, &names::NONCES_EXPIRED, value::boolean(true))?;
            send::send_json(&response)?;
        }
    }
    finish_authenticated(response, &data, &screen_id)
}

/// PHP 8's warning for reading a missing array key.
fn warn_undefined_key(key: &str) -> Flow<()> {
    crate::zend::call::warn(&format!("Undefined array key \"{key}\""))
}

fn finish_authenticated(mut response: Zval, data: &Zval, screen_id: &Zval) -> Flow<()> {
    if !value::is_empty(Some(data)) {
        response = hooks::apply_filters(&names::HEARTBEAT_RECEIVED, response, &[data, screen_id])?;
    }
    response = hooks::apply_filters(&names::HEARTBEAT_SEND, response, &[screen_id])?;
    hooks::do_action(&names::HEARTBEAT_TICK, &[&response, screen_id])?;
    assign_key(
        &mut response,
        &names::SERVER_TIME,
        value::long(nonce::time()),
    )?;
    send::send_json(&response)
}

/// `wp_ajax_nopriv_heartbeat()`.
pub fn nopriv_heartbeat() -> Flow<()> {
    let mut response = value::empty_array();
    let screen_id = request::screen_id()?;
    if let Some(data) = request::data()? {
        response = hooks::apply_filters(
            &names::HEARTBEAT_NOPRIV_RECEIVED,
            response,
            &[&data, &screen_id],
        )?;
    }
    response = hooks::apply_filters(&names::HEARTBEAT_NOPRIV_SEND, response, &[&screen_id])?;
    hooks::do_action(&names::HEARTBEAT_NOPRIV_TICK, &[&response, &screen_id])?;
    assign_key(
        &mut response,
        &names::SERVER_TIME,
        value::long(nonce::time()),
    )?;
    send::send_json(&response)
}
