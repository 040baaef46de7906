//! Native equivalents of core's own callbacks on the heartbeat filters, used by the
//! native hook runner ([`super::hook_run`]) in place of calling them.
//!
//! Each is taken only when it is core's function (declared in core's file), receives
//! at least the arguments it declares, and the branch it would take is the one
//! reproduced here; otherwise the function itself is called. The early returns of the
//! post-screen callbacks (data without their keys) are pure; the others reproduce
//! their hooks and writes in core's order.

use super::array::assign_key;
use super::nonce;
use crate::zend::call;
use crate::zend::hash;
use crate::zend::value;
use crate::zend::value::ZvalExt;
use crate::zend::Flow;
use ext_php_rs::types::Zval;

/// Core's callbacks this module has equivalents for.
const NATIVE: [&str; 9] = [
    "_wp_specialchars",
    "_canonical_charset",
    "wp_auth_check",
    "wp_refresh_post_nonces",
    "wp_refresh_metabox_loader_nonces",
    "wp_refresh_heartbeat_nonces",
    "wp_check_locked_posts",
    "wp_refresh_post_lock",
    "heartbeat_autosave",
];

/// Whether `name` is one of them (by name only: [`run`] checks the rest).
pub fn has_native(name: &[u8]) -> bool {
    native_name(name).is_some()
}

/// `name` as the matching entry of [`NATIVE`].
fn native_name(name: &[u8]) -> Option<&'static str> {
    NATIVE.iter().copied().find(|n| n.as_bytes() == name)
}

/// Run `function` natively on `args` (what PHP would pass it) if it is one of core's
/// heartbeat callbacks and the case is covered: `Some(return value)`, else `None`.
pub fn run(function: &Zval, args: &[&Zval]) -> Flow<Option<Zval>> {
    let Some(name) = value::deref(function)
        .zend_str()
        .and_then(|s| native_name(s.as_bytes()))
    else {
        return Ok(None);
    };
    // Early returns: `return $response;` when $data lacks the callback's key.
    let lacks = |key: &str, needs: usize| {
        args.len() >= needs
            && args[1]
                .arr()
                .is_some_and(|data| hash::find(data, key).is_none())
    };
    let admin = |f: &'static str| super::declared::in_admin(f, "misc.php");
    let unchanged = match name {
        "wp_refresh_post_nonces" => {
            lacks("wp-refresh-post-nonces", 3) && admin("wp_refresh_post_nonces")
        }
        "wp_refresh_post_lock" => lacks("wp-refresh-post-lock", 3) && admin("wp_refresh_post_lock"),
        // array_key_exists( 'wp-check-locked-posts', $data ) && is_array( ... ): an
        // absent key or a non-array value leaves $checked empty.
        "wp_check_locked_posts" => {
            args.len() >= 3
                && args[1].arr().is_some_and(|data| {
                    hash::find(data, "wp-check-locked-posts").is_none_or(|v| v.arr().is_none())
                })
                && admin("wp_check_locked_posts")
        }
        // empty( $data['wp-refresh-metabox-loader-nonces'] ) / ! empty( $data['wp_autosave'] )
        "wp_refresh_metabox_loader_nonces" => {
            empty_in_data(args, "wp-refresh-metabox-loader-nonces")
                && admin("wp_refresh_metabox_loader_nonces")
        }
        "heartbeat_autosave" => empty_in_data(args, "wp_autosave") && admin("heartbeat_autosave"),
        "wp_refresh_heartbeat_nonces"
            if !args.is_empty() && admin("wp_refresh_heartbeat_nonces") =>
        {
            return refresh_heartbeat_nonces(args[0]);
        }
        // option_blog_charset's: `$string = (string) $string;` ... `return $string;`
        // for a string with none of &<>"' (and '' for ''), as _wp_specialchars() does.
        "_wp_specialchars"
            if super::declared::in_includes("_wp_specialchars", "formatting.php") =>
        {
            let plain = args.first().and_then(|a| a.zend_str()).is_some_and(|s| {
                !s.as_bytes()
                    .iter()
                    .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
            });
            return Ok(plain.then(|| args[0].shallow_clone()));
        }
        "_canonical_charset"
            if super::declared::in_includes("_canonical_charset", "functions.php") =>
        {
            return Ok(args.first().and_then(|a| a.zend_str()).map(|s| {
                let b = s.as_bytes();
                let is = |name: &[u8]| b.eq_ignore_ascii_case(name);
                // Already spelled canonically: the same value, shared.
                if b == b"UTF-8" || b == b"ISO-8859-1" {
                    args[0].shallow_clone()
                } else if is(b"utf-8") || is(b"utf8") {
                    value::string(b"UTF-8")
                } else if is(b"iso-8859-1") || is(b"iso8859-1") {
                    value::string(b"ISO-8859-1")
                } else {
                    args[0].shallow_clone()
                }
            }));
        }
        "wp_auth_check"
            if !args.is_empty()
                && super::declared::in_includes("wp_auth_check", "functions.php") =>
        {
            return super::auth_check::native(args[0]);
        }
        _ => false,
    };
    Ok(unchanged.then(|| args[0].shallow_clone()))
}

/// `empty( $data[ $key ] )` for an array `$data` (`args[1]`).
fn empty_in_data(args: &[&Zval], key: &str) -> bool {
    args.len() >= 2
        && args[1]
            .arr()
            .is_some_and(|data| value::is_empty(hash::find(data, key)))
}

/// `wp_refresh_heartbeat_nonces( $response )`:
/// `$response['rest_nonce'] = wp_create_nonce( 'wp_rest' );`
/// `$response['heartbeat_nonce'] = wp_create_nonce( 'heartbeat-nonce' );`
fn refresh_heartbeat_nonces(response: &Zval) -> Flow<Option<Zval>> {
    // Only for an array or null response: for anything else the assignments' errors
    // must come from core's own function (after the first wp_create_nonce() ran).
    let r = value::deref(response);
    if r.arr().is_none() && !r.nul() {
        return Ok(None);
    }
    let Some(rest) = nonce::create("wp_rest")? else {
        return Ok(None);
    };
    let mut out = r.shallow_clone();
    assign_key(&mut out, &super::names::REST_NONCE, value::string(&rest))?;
    // A plugin's nonce_life / salt callback could have replaced a pluggable meanwhile:
    // then the second nonce is PHP's.
    let beat = match nonce::create(super::HEARTBEAT_ACTION)? {
        Some(n) => value::string(&n),
        None => {
            let action = value::string(super::HEARTBEAT_ACTION.as_bytes());
            call::call("wp_create_nonce", &[&action])?
        }
    };
    assign_key(&mut out, &super::names::HEARTBEAT_NONCE, beat)?;
    Ok(Some(out))
}
