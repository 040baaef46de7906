//! `apply_filters()` and `do_action()`.
//!
//! When `$wp_filter` has neither the hook nor `all`, core's functions only count the
//! call (`$wp_filters[$hook]++` / `$wp_actions[$hook]++`, read by `did_filter()` /
//! `did_action()`) and return the value unchanged. That is all the native path does;
//! anything else goes through core's PHP functions, so priorities, accepted args,
//! `current_filter()`, `doing_filter()`, nesting and the `all` hook behave as in core.

use crate::zend::call;
use crate::zend::symbols;
use crate::zend::value::{self, deref};
use crate::zend::Flow;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;

/// Whether core's `isset( $wp_filter[ $hook ] )` is false for the hook and for `all`.
/// `None` when `$wp_filter` is something this code does not model (then use PHP).
fn idle(hook: &str) -> Option<bool> {
    // Outside WordPress core's call would fail; let it (through PHP) fail the same way.
    if call::find("apply_filters").is_none() || call::find("do_action").is_none() {
        return None;
    }
    let Some(wp_filter) = symbols::get("wp_filter") else {
        return Some(true);
    };
    match wp_filter.get_type() {
        DataType::Null => Some(true),
        DataType::Array => {
            let ht = wp_filter.array()?;
            let set = |k: &str| {
                ht.get(k)
                    .is_some_and(|v| deref(v).get_type() != DataType::Null)
            };
            Some(!set(hook) && !set("all"))
        }
        _ => None,
    }
}

/// `++$GLOBALS[$counter][$hook]` with core's semantics, or `false` when the counter
/// array holds something this code does not model (the caller then uses PHP).
fn can_bump(counter: &str, hook: &str) -> bool {
    match symbols::get(counter) {
        None => true,
        Some(z) => match z.get_type() {
            DataType::Null => true,
            DataType::Array => z.array().is_some_and(|ht| {
                ht.get(hook)
                    .is_none_or(|v| deref(v).get_type() == DataType::Long)
            }),
            _ => false,
        },
    }
}

fn bump(counter: &str, hook: &str) {
    let Some(z) = symbols::get_or_create(counter) else {
        return;
    };
    if z.is_null() {
        *z = value::empty_array();
    }
    let Some(ht) = z.array_mut() else {
        return;
    };
    let next = match ht.get(hook).map(deref).and_then(Zval::long) {
        Some(n) => n.saturating_add(1),
        None => 1,
    };
    let _ = ht.insert(hook, next);
}

/// Whether a filter call would be a pure count, so native code may stand in for it.
pub fn filter_is_idle(hook: &str) -> bool {
    idle(hook) == Some(true) && can_bump("wp_filters", hook)
}

/// Count a filter call that [`filter_is_idle`] allowed us to skip.
pub fn count_filter(hook: &str) {
    bump("wp_filters", hook);
}

/// `apply_filters( $hook, $value, ...$args )`.
pub fn apply_filters(hook: &str, value: Zval, args: &[&Zval]) -> Flow<Zval> {
    if filter_is_idle(hook) {
        count_filter(hook);
        return Ok(value);
    }
    let name = value::string(hook.as_bytes());
    let mut all: Vec<&Zval> = Vec::with_capacity(args.len() + 2);
    all.push(&name);
    all.push(&value);
    all.extend_from_slice(args);
    call::call("apply_filters", &all)
}

/// `do_action( $hook, ...$args )`.
pub fn do_action(hook: &str, args: &[&Zval]) -> Flow<()> {
    if idle(hook) == Some(true) && can_bump("wp_actions", hook) {
        bump("wp_actions", hook);
        return Ok(());
    }
    let name = value::string(hook.as_bytes());
    let mut all: Vec<&Zval> = Vec::with_capacity(args.len() + 1);
    all.push(&name);
    all.extend_from_slice(args);
    call::call("do_action", &all).map(drop)
}
