//! `wp_verify_nonce( $_POST['_nonce'], 'heartbeat-nonce' )`.
//!
//! Native when core's pluggable functions are in place: HMAC-MD5 and a constant-time
//! compare in Rust, with core's hooks (`nonce_user_logged_out`, `nonce_life`, `salt`
//! through `wp_salt()`, `wp_verify_nonce_failed`) run in the same order. When a plugin
//! has replaced any pluggable function on that path, core's `wp_verify_nonce()` (or
//! the replacement) is called instead.

use super::hooks;
use super::names;
use super::HEARTBEAT_ACTION;
use crate::nonce;
use crate::text;
use crate::zend::call;
use crate::zend::symbols;
use crate::zend::value::ZvalExt;
use crate::zend::value::{self, deref};
use crate::zend::Flow;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;

/// What the handler does with the result (core's strict `1 !==` / `false ===`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// `1`: current tick.
    Valid,
    /// `false`: invalid.
    Invalid,
    /// Anything else (`2`, or what a replacement returned): refresh, then carry on.
    Other,
}

impl State {
    fn of(z: &Zval) -> Self {
        let z = deref(z);
        match z.get_type() {
            DataType::Long if z.lng() == Some(1) => Self::Valid,
            DataType::False => Self::Invalid,
            _ => Self::Other,
        }
    }
}

/// Pluggable functions the native path stands in for.
const PLUGGABLES: [&str; 5] = [
    "wp_verify_nonce",
    "wp_get_current_user",
    "wp_nonce_tick",
    "wp_hash",
    "wp_parse_auth_cookie",
];

fn core_pluggables_in_place() -> bool {
    PLUGGABLES
        .iter()
        .all(|f| super::declared::in_includes(f, "pluggable.php"))
}

/// Verify the heartbeat nonce.
pub fn verify(nonce_zv: &Zval) -> Flow<State> {
    // Non-strings take core's path so the (string) cast's warning or Error comes from
    // pluggable.php, exactly where core raises it.
    if !core_pluggables_in_place() || value::deref(nonce_zv).get_type() != DataType::String {
        let action = value::string(HEARTBEAT_ACTION.as_bytes());
        return call::call("wp_verify_nonce", &[nonce_zv, &action]).map(|r| State::of(&r));
    }
    // $nonce = (string) $nonce;
    let nonce = value::to_php_string(nonce_zv)?;
    let (user, uid_str) = current_uid(HEARTBEAT_ACTION)?;
    if text::php_string_is_empty(&nonce) {
        return Ok(State::Invalid);
    }
    let token = session_token()?;
    let (tick, prev) = ticks(HEARTBEAT_ACTION)?;

    // hash_equals( substr( wp_hash( "$i|$action|$uid|$token", 'nonce' ), -12, 10 ), $nonce )
    // for the current tick, then the previous one: wp_hash() asks wp_salt() each time.
    let matches = |tick: &[u8]| -> Flow<bool> {
        let key = wp_salt()?;
        let expected = nonce::expected(
            bytes(&key),
            tick,
            HEARTBEAT_ACTION.as_bytes(),
            &uid_str,
            &token,
        );
        Ok(nonce::matches(&expected, &nonce))
    };
    if matches(&tick)? {
        return Ok(State::Valid);
    }
    if matches(&prev)? {
        // Core returns 2 here; the handler treats it like any non-1, non-false value.
        return Ok(State::Other);
    }
    // do_action( 'wp_verify_nonce_failed', $nonce, $action, $user, $token ): with no
    // callbacks only counted, so the arguments are built only for callbacks.
    if !hooks::count_idle_action(&names::WP_VERIFY_NONCE_FAILED) {
        let nonce_zv = value::string(&nonce);
        let action = value::string(HEARTBEAT_ACTION.as_bytes());
        let token_zv = value::string(&token);
        hooks::do_action(
            &names::WP_VERIFY_NONCE_FAILED,
            &[&nonce_zv, &action, &user, &token_zv],
        )?;
    }
    Ok(State::Invalid)
}

/// `$user = wp_get_current_user(); $uid = (int) $user->ID;` and, for 0, the
/// `nonce_user_logged_out` filter: the user and `$uid` as the string core concatenates.
fn current_uid(action: &str) -> Flow<(Zval, Vec<u8>)> {
    let user = super::user::current()?;
    let uid = match super::user::ID.read(&user)? {
        Some(id) => match value::as_int(&id) {
            Some(n) => n,
            None => {
                let n = call::call("intval", &[&id])?;
                value::as_int(&n).unwrap_or(0)
            }
        },
        None => 0,
    };
    let uid_str = if uid == 0 {
        let action = value::string(action.as_bytes());
        let filtered =
            hooks::apply_filters(&names::NONCE_USER_LOGGED_OUT, value::long(0), &[&action])?;
        value::to_php_string(&filtered)?
    } else {
        uid.to_string().into_bytes()
    };
    Ok((user, uid_str))
}

/// `wp_create_nonce( $action )` natively when core's pluggables are in place (their
/// hooks run in core's order); `None` when PHP must be called.
pub fn create(action: &str) -> Flow<Option<Vec<u8>>> {
    if !core_pluggables_in_place()
        || !super::declared::in_includes("wp_create_nonce", "pluggable.php")
    {
        return Ok(None);
    }
    let (_, uid_str) = current_uid(action)?;
    let token = session_token()?;
    let (tick, _) = ticks(action)?;
    let key = wp_salt()?;
    let n = nonce::expected(bytes(&key), &tick, action.as_bytes(), &uid_str, &token);
    Ok(Some(n.to_vec()))
}

/// `wp_get_session_token()`: parsed natively from a string cookie; anything else
/// (an array cookie makes core's `explode()` throw) goes through PHP.
fn session_token() -> Flow<Vec<u8>> {
    let Some(name) = super::constants::LOGGED_IN_COOKIE.get() else {
        return php_session_token();
    };
    let found = match name.zend_str() {
        // The constant's own string: its hash is computed once and kept in it.
        Some(n) => symbols::get_key(&symbols::COOKIE)
            .and_then(Zval::arr)
            .and_then(|cookies| crate::zend::hash::find_zstr(cookies, n)),
        None => {
            let name = value::to_php_string(name)?;
            symbols::cookie(&name)
        }
    };
    match found {
        None => Ok(Vec::new()),
        Some(c) if c.get_type() == DataType::String => Ok(crate::cookie::session_token(
            c.zend_str().map_or(&[][..], |s| s.as_bytes()),
        )
        .to_vec()),
        Some(c) if value::is_empty(Some(c)) => Ok(Vec::new()),
        Some(_) => php_session_token(),
    }
}

fn php_session_token() -> Flow<Vec<u8>> {
    let t = call::call("wp_get_session_token", &[])?;
    value::to_php_string(&t)
}

/// `$i` and `$i - 1` as the strings core concatenates.
fn ticks(action: &str) -> Flow<(Vec<u8>, Vec<u8>)> {
    let day = super::constants::DAY_IN_SECONDS.get().and_then(Zval::lng);
    let native = day
        .and_then(|life| nonce::tick(now(), life))
        .filter(|_| hooks::skip_idle_filters(&[&names::NONCE_LIFE]));
    let tick = if let Some(t) = native {
        t
    } else {
        let action = value::string(action.as_bytes());
        let t = call::call("wp_nonce_tick", &[&action])?;
        match deref(&t).double() {
            Some(v) => v,
            None => return php_ticks(&t),
        }
    };
    let precision = crate::zend::call::ini_long("precision");
    let key = (tick.to_bits(), precision);
    if let Some(hit) = TICKS.with(|t| {
        t.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }) {
        return Ok(hit);
    }
    match (
        text::php_integral_float(tick, precision),
        text::php_integral_float(tick - 1.0, precision),
    ) {
        (Some(a), Some(b)) => {
            let v = (a.into_bytes(), b.into_bytes());
            TICKS.with(|t| *t.borrow_mut() = Some((key, v.clone())));
            Ok(v)
        }
        _ => php_ticks(&value::double(tick)),
    }
}

/// The tick a nonce was last made for has 12 hours of life: its strings are kept.
type TickStrings = ((u64, i64), (Vec<u8>, Vec<u8>));

thread_local! {
    static TICKS: std::cell::RefCell<Option<TickStrings>> = const { std::cell::RefCell::new(None) };
}

/// Ticks that are not plain integral floats: let PHP do the `.` conversions.
/// (`wp_nonce_tick()` returns `ceil()`'s float, so `$i - 1` is float arithmetic.)
fn php_ticks(t: &Zval) -> Flow<(Vec<u8>, Vec<u8>)> {
    let a = value::to_php_string(t)?;
    let prev = match deref(t).lng() {
        Some(n) => value::long(n.wrapping_sub(1)),
        None => value::double(deref(t).double().unwrap_or(0.0) - 1.0),
    };
    let b = value::to_php_string(&prev)?;
    Ok((a, b))
}

fn now() -> i64 {
    crate::zend::php_time()
}

/// `wp_salt( 'nonce' )` (pluggable, cached per request, filtered by `salt` on every
/// call; core calls it again through `wp_hash()` for the previous tick, and so do we).
fn wp_salt() -> Flow<Zval> {
    super::user::salt("nonce")
}

/// A string zval's bytes.
fn bytes(z: &Zval) -> &[u8] {
    z.zend_str().map_or(&[][..], |s| s.as_bytes())
}

/// The current time as PHP's `time()` sees it.
pub fn time() -> i64 {
    now()
}
