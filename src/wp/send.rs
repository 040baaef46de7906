//! `wp_send_json( $response )` and the `wp_die( '', '', array( 'response' => null ) )`
//! it ends with in Ajax context.
//!
//! Native steps reproduce core's observable effects in order (headers, body, hook
//! counts, exit). Whenever a hook on the way has callbacks, or the request is not a
//! plain Ajax one, core's PHP functions take over from that point.

use super::constants::{DOING_AJAX, REST_REQUEST};
use super::hooks;
use super::names;
use crate::zend::call;
use crate::zend::json;
use crate::zend::key::Key;
use crate::zend::memo::Constant;
use crate::zend::output;
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::{Flow, Stop};
use ext_php_rs::types::Zval;

fn constant_truthy(which: &Constant) -> bool {
    which.get().is_some_and(value::truthy)
}

/// `wp_send_json( $response )`. Returns `Err(Stop)` when the request ended (exit) or an
/// exception is pending; `Ok(())` when a `wp_die_ajax_handler` returned instead of
/// exiting, exactly where core's function would return.
pub fn send_json(response: &Zval) -> Flow<()> {
    if constant_truthy(&REST_REQUEST) {
        // Core emits a _doing_it_wrong() notice here: leave the whole thing to core.
        return call::call("wp_send_json", &[response]).map(drop);
    }
    if !output::headers_sent() {
        // Only a plain charset from core's own option path is sent natively; anything
        // else (filtered, not cached, odd bytes that header() would refuse) goes through
        // core's wp_send_json(), so its get_option() runs once and any warning is core's.
        let Some(charset) = super::option::blog_charset()? else {
            return call::call("wp_send_json", &[response]).map(drop);
        };
        // The charset is a plain string (blog_charset() guarantees it): one buffer.
        let prefix = b"Content-Type: application/json; charset=";
        let cs = charset.zend_str().map_or(&[][..], |s| s.as_bytes());
        let mut buf = [0u8; 128];
        if prefix.len() + cs.len() <= buf.len() {
            buf[..prefix.len()].copy_from_slice(prefix);
            buf[prefix.len()..prefix.len() + cs.len()].copy_from_slice(cs);
            output::header(&buf[..prefix.len() + cs.len()]);
        } else {
            let mut line = prefix.to_vec();
            line.extend_from_slice(&value::to_php_string(&charset)?);
            output::header(&line);
        }
    }
    match json::encode(response)? {
        Some(bytes) => output::echo(&bytes),
        None => {
            // json_encode() failed (invalid UTF-8, INF/NAN, depth): continue as
            // wp_json_encode() does after its first attempt, without repeating it
            // (a JsonSerializable must not run twice):
            // try { $data = _wp_json_sanity_check( $data, 512 ); } catch ( Exception $e ) { return false; }
            // return json_encode( $data, 0, 512 );
            match call::call("_wp_json_sanity_check", &[response, &value::long(512)]) {
                Ok(clean) => {
                    if let Some(bytes) = json::encode(&clean)? {
                        output::echo(&bytes);
                    }
                }
                Err(Stop) if call::catch_exception() => {}
                Err(Stop) => return Err(Stop),
            }
        }
    }
    // wp_doing_ajax() runs twice, here and in wp_die(), with nothing in between: when
    // both are certain (DOING_AJAX set, no callbacks), both are counted at once.
    if constant_truthy(&DOING_AJAX)
        && hooks::skip_idle_filters(&[&names::WP_DOING_AJAX, &names::WP_DOING_AJAX])
    {
        return die_in_ajax();
    }
    if doing_ajax()? {
        die_silently()
    } else {
        // `die;`
        output::exit();
        Err(Stop)
    }
}

/// `wp_doing_ajax()`.
fn doing_ajax() -> Flow<bool> {
    let base = value::boolean(constant_truthy(&DOING_AJAX));
    let v = hooks::apply_filters(&names::WP_DOING_AJAX, base, &[])?;
    Ok(value::truthy(&v))
}

/// Core versions whose `wp_get_nocache_headers()` this module reproduces.
fn nocache_is_native() -> bool {
    symbols::get_key(&names::WP_VERSION)
        .and_then(|v| v.str())
        .is_some_and(|v| v.starts_with("6.1.") || v == "6.1" || v.starts_with("6.2.") || v == "6.2")
}

/// `( '', '', array( 'response' => null ) )`, built only when PHP is called with it.
fn die_args() -> (Zval, Zval) {
    let mut args = value::empty_array();
    if let Some(ht) = value::array_separated(&mut args) {
        names::RESPONSE.update(ht, Zval::null());
    }
    (names::EMPTY.zval(), args)
}

/// `wp_die( '', '', array( 'response' => null ) )` in Ajax context.
///
/// Native when `wp_doing_ajax()` is certain to be true (its filter has no callbacks and
/// `DOING_AJAX` is set): the handler comes from the `wp_die_ajax_handler` filter as in
/// core. Core's default handler with no hooks on its way sends the nocache headers and
/// exits, natively; any other handler is called as core calls it, with
/// `call_user_func()`. Otherwise all of it is core's PHP `wp_die()`.
fn die_silently() -> Flow<()> {
    if !constant_truthy(&DOING_AJAX) || !hooks::skip_idle_filters(&[&names::WP_DOING_AJAX]) {
        let (empty, args) = die_args();
        return call::call("wp_die", &[&empty, &empty, &args]).map(drop);
    }
    die_in_ajax()
}

/// The rest of `wp_die()` once `wp_doing_ajax()` said yes.
fn die_in_ajax() -> Flow<()> {
    // global $wp_query;
    symbols::declare(&names::WP_QUERY);
    let handler = hooks::apply_filters(
        &names::WP_DIE_AJAX_HANDLER,
        value::string(DEFAULT_AJAX_HANDLER.as_bytes()),
        &[],
    )?;
    let default = value::deref(&handler)
        .zend_str()
        .is_some_and(|s| s.as_bytes() == DEFAULT_AJAX_HANDLER.as_bytes())
        && super::declared::in_includes(DEFAULT_AJAX_HANDLER, "functions.php")
        && nocache_is_native()
        && hooks::filters_are_idle(&[
            &names::GETTEXT,
            &names::GETTEXT_DEFAULT,
            &names::NOCACHE_HEADERS,
        ]);
    // _ajax_wp_die_handler() → _wp_die_process_input(): __( 'WordPress &rsaquo; Error' );
    // then, unless headers went out, nocache_headers().
    let headers_sent = output::headers_sent();
    let counted: &[&'static Key] = if headers_sent {
        &[&names::GETTEXT, &names::GETTEXT_DEFAULT]
    } else {
        &[
            &names::GETTEXT,
            &names::GETTEXT_DEFAULT,
            &names::NOCACHE_HEADERS,
        ]
    };
    if !default || !hooks::count_filters(counted) {
        let (empty, args) = die_args();
        // Straight to the callable (the same engine steps as call_user_func(), one frame
        // fewer) when it resolves the same from any scope, as core calls it from wp_die().
        if super::hook_run::scope_free(&handler) {
            return call::callable(&handler, &[&empty, &empty, &args], false).map(drop);
        }
        return call::call("call_user_func", &[&handler, &empty, &empty, &args]).map(drop);
    }
    if !headers_sent {
        // 'response' => null: no status_header(); then nocache_headers().
        output::header_remove(b"Last-Modified");
        output::header(b"Expires: Wed, 11 Jan 1984 05:00:00 GMT");
        output::header(b"Cache-Control: no-cache, must-revalidate, max-age=0");
    }
    // die( '' ).
    output::exit();
    Err(Stop)
}

/// Core's `wp_die()` handler in Ajax context.
const DEFAULT_AJAX_HANDLER: &str = "_ajax_wp_die_handler";
