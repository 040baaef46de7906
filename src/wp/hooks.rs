//! `apply_filters()` and `do_action()`.
//!
//! When `$wp_filter` has neither the hook nor `all`, core's functions only count the
//! call (`$wp_filters[$hook]++` / `$wp_actions[$hook]++`, read by `did_filter()` /
//! `did_action()`) and return the value unchanged; so does this module. Filters with
//! callbacks run natively in [`super::hook_run`] when their shapes are WordPress's own;
//! anything else, and actions with callbacks, go through core's PHP functions, so
//! priorities, accepted args, `current_filter()`, `doing_filter()`, nesting and the `all`
//! hook behave as in core.

use super::names::{ALL, WP_ACTIONS, WP_FILTER, WP_FILTERS};
use crate::zend::array as zarray;
use crate::zend::call;
use crate::zend::hash;
use crate::zend::key::{self, Key};
use crate::zend::quiet;
use crate::zend::symbols::{self, Vivify};
use crate::zend::value;
use crate::zend::value::ZvalExt;
use crate::zend::Flow;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};

/// The request in which `apply_filters()` and `do_action()` were found (functions are
/// never undefined within a request).
static API_LOADED: AtomicU64 = AtomicU64::new(0);

/// Whether `apply_filters()` and `do_action()` exist (WordPress's plugin API is loaded).
pub fn api_loaded() -> bool {
    let gen = key::generation();
    if API_LOADED.load(Relaxed) == gen {
        return true;
    }
    let v = call::exists("apply_filters") && call::exists("do_action");
    if v {
        API_LOADED.store(gen, Relaxed);
    }
    v
}

/// Whether core's `isset( $wp_filter[ $hook ] )` is false for every hook given and for
/// `all`. `None` when `$wp_filter` is something this code does not model (then use PHP).
/// One symbol-table lookup for the whole set.
fn idle_all(hooks: &[&'static Key]) -> Option<bool> {
    // Outside WordPress core's call would fail; let it (through PHP) fail the same way.
    if !api_loaded() {
        return None;
    }
    let Some(wp_filter) = symbols::get_key(&WP_FILTER) else {
        return Some(true);
    };
    match wp_filter.get_type() {
        DataType::Null => Some(true),
        DataType::Array => {
            let ht = wp_filter.arr()?;
            let set = |k: &Key| k.find(ht).is_some_and(|v| value::ty(v) != value::t::NULL);
            Some(!set(&ALL) && !hooks.iter().any(|h| set(h)))
        }
        _ => None,
    }
}

/// `++$GLOBALS[$counter][$hook]` for each hook in order, with core's semantics, if the
/// counter array is missing, null, or an array whose entries for these hooks are ints
/// or missing. Returns false, changing nothing, otherwise.
fn bump_all(counter: &'static Key, hooks: &[&'static Key]) -> bool {
    if hooks.len() > 8 {
        return false;
    }
    if let ([hook], false) = (hooks, quiet::active()) {
        return bump_one(counter, hook);
    }
    if quiet::active() {
        // Counted when the quiet run commits (nothing can read them before), if their
        // entries can be counted now; else the run is abandoned.
        if !countable(counter, hooks) {
            return quiet::php_allowed();
        }
        let deferred = {
            let mut d = DEFERRED.lock().unwrap_or_else(PoisonError::into_inner);
            d.on && hooks.iter().all(|h| d.push(counter, h))
        };
        return deferred || quiet::php_allowed();
    }
    symbols::with_array(counter, Vivify::Null, |ht| bump_in(ht, hooks)).unwrap_or(false)
}

/// [`bump_all`] on the counter array (`$GLOBALS[$counter]`, separated).
fn bump_in(ht: &mut ZendHashTable, hooks: &[&'static Key]) -> bool {
    // Check every entry before changing any.
    let mut found: [Option<zarray::Pos>; 8] = [None; 8];
    for (i, hook) in hooks.iter().enumerate() {
        if let Some(slot) = hook.slot(ht) {
            if value::ty(value::deref(slot)) != value::t::LONG {
                return false;
            }
            let Some(pos) = zarray::position(ht, slot) else {
                return false;
            };
            found[i] = Some(pos);
        }
    }
    // Existing entries first (adding keys may move slots), then the new keys in order.
    for pos in found.iter().take(hooks.len()).flatten() {
        if let Some(slot) = zarray::at_mut(ht, *pos) {
            increment(slot);
        }
    }
    for (i, hook) in hooks.iter().enumerate() {
        if found[i].is_some() {
            continue;
        }
        match hook.slot_mut(ht) {
            // The same missing hook listed twice: it exists now.
            Some(slot) => increment(slot),
            None => hash::update(ht, hook.name(), value::long(1)),
        }
    }
    true
}

/// Counts a quiet run defers, in order, applied only if it finishes.
struct Deferred {
    /// Whether a quiet run is collecting.
    on: bool,
    items: [Option<(&'static Key, &'static Key)>; 32],
    n: usize,
}

impl Deferred {
    fn push(&mut self, counter: &'static Key, hook: &'static Key) -> bool {
        let Some(slot) = self.items.get_mut(self.n) else {
            return false;
        };
        *slot = Some((counter, hook));
        self.n += 1;
        true
    }
}

/// The counts of the quiet run in progress. Locked only for a push or a take (never
/// while PHP may run); PHP runs this extension on one thread per process (NTS), so
/// the lock is never contended.
static DEFERRED: Mutex<Deferred> = Mutex::new(Deferred {
    on: false,
    items: [None; 32],
    n: 0,
});

/// Whether `bump_all` would count these (the counter array null/missing or an array
/// whose entries for them are ints or missing).
fn countable(counter: &Key, hooks: &[&'static Key]) -> bool {
    match symbols::get_key(counter) {
        None => true,
        Some(z) if z.nul() => true,
        Some(z) => z.arr().is_some_and(|ht| {
            hooks
                .iter()
                .all(|h| h.find(ht).is_none_or(|v| value::ty(v) == value::t::LONG))
        }),
    }
}

/// Start deferring counts (a quiet run begins).
pub fn defer_counts() {
    let mut d = DEFERRED.lock().unwrap_or_else(PoisonError::into_inner);
    d.on = true;
    d.n = 0;
}

/// Stop deferring; apply the deferred counts in order (true) or drop them (false).
pub fn settle_counts(apply: bool) {
    let (items, n) = {
        let mut d = DEFERRED.lock().unwrap_or_else(PoisonError::into_inner);
        d.on = false;
        (d.items, std::mem::take(&mut d.n))
    };
    if !apply {
        return;
    }
    // Runs of the same counter in one go (one lookup of the counter array).
    let items = &items[..n];
    let mut i = 0;
    while i < items.len() {
        let Some((counter, first)) = items[i] else {
            break;
        };
        let mut run: [&'static Key; 8] = [first; 8];
        let mut n = 0;
        while let Some(Some((c, h))) = items.get(i) {
            if n == run.len() || !std::ptr::eq(*c, counter) {
                break;
            }
            run[n] = h;
            n += 1;
            i += 1;
        }
        bump_all(counter, &run[..n]);
    }
}

/// [`bump_all`] for one hook.
fn bump_one(counter: &'static Key, hook: &'static Key) -> bool {
    symbols::with_array(counter, Vivify::Null, |ht| {
        match hook.slot_mut(ht) {
            Some(slot) => {
                let v = value::deref_mut(slot);
                match v.lng() {
                    Some(n) => value::set_lval(v, n.saturating_add(1)),
                    None => return false,
                }
            }
            None => hash::update(ht, hook.name(), value::long(1)),
        }
        true
    })
    .unwrap_or(false)
}

/// `++` on an int counter slot.
fn increment(slot: &mut Zval) {
    let slot = value::deref_mut(slot);
    match slot.lng() {
        // An int stays an int: only its value changes.
        Some(n) => value::set_lval(slot, n.saturating_add(1)),
        None => slot.set_long(1),
    }
}

/// Whether the filters have no callbacks (nor `all`), so a call would only count.
pub fn filters_are_idle(hooks: &[&'static Key]) -> bool {
    idle_all(hooks) == Some(true)
}

/// If the filters have no callbacks (nor `all`), count one call of each, in order, as
/// `apply_filters()` would, and return true; otherwise change nothing and return false.
pub fn skip_idle_filters(hooks: &[&'static Key]) -> bool {
    filters_are_idle(hooks) && bump_all(&WP_FILTERS, hooks)
}

/// Count one `apply_filters()` call of each hook (whose callbacks native code stands in
/// for), in order. False, changing nothing, when `$wp_filters` is not what core keeps.
pub fn count_filters(hooks: &[&'static Key]) -> bool {
    bump_all(&WP_FILTERS, hooks)
}

/// `apply_filters( $hook, $value, ...$args )`.
pub fn apply_filters(hook: &'static Key, value: Zval, args: &[&Zval]) -> Flow<Zval> {
    let value = match super::hook_run::apply_filters(hook, value, args)? {
        Ok(filtered) => return Ok(filtered),
        Err(value) => value,
    };
    let name = value::string(hook.name().as_bytes());
    let mut all: Vec<&Zval> = Vec::with_capacity(args.len() + 2);
    all.push(&name);
    all.push(&value);
    all.extend_from_slice(args);
    call::call("apply_filters", &all)
}

/// If the action has no callbacks (nor `all`), count one `do_action()` of it and return
/// true; otherwise change nothing and return false.
pub fn count_idle_action(hook: &'static Key) -> bool {
    idle_all(&[hook]) == Some(true) && bump_all(&WP_ACTIONS, &[hook])
}

/// `do_action( $hook, ...$args )`.
pub fn do_action(hook: &'static Key, args: &[&Zval]) -> Flow<()> {
    if idle_all(&[hook]) == Some(true) && bump_all(&WP_ACTIONS, &[hook]) {
        return Ok(());
    }
    let name = value::string(hook.name().as_bytes());
    let mut all: Vec<&Zval> = Vec::with_capacity(args.len() + 1);
    all.push(&name);
    all.extend_from_slice(args);
    call::call("do_action", &all).map(drop)
}
