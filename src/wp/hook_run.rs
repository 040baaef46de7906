//! `apply_filters()` and `WP_Hook::apply_filters()` (WordPress 6.1–6.2), natively, for a
//! hook with callbacks.
//!
//! Every statement of the two PHP functions is reproduced on the real objects, in
//! order: the `did_filter()` count, `$wp_current_filter`, the hook's `nesting_level`,
//! `iterations` and `current_priority` (so `current_filter()`, `doing_filter()` and
//! callbacks that add or remove callbacks mid-run see what they would see in core),
//! the `$args[0] = $value` hand-over, `accepted_args` and the `array_slice()`. Callbacks
//! are resolved and called by the engine's own steps of `call_user_func()` /
//! `call_user_func_array()` (`zend::call::callable`), so callable resolution, errors and
//! deprecations are PHP's. A callback that throws or exits stops everything at once,
//! leaving the state exactly as core leaves it.
//!
//! Callbacks that core declares and that have a native equivalent here
//! ([`super::core_callbacks`]) run natively when their preconditions hold; when all of a
//! hook's callbacks are such, the hook runs as a quiet run (see [`quietly`]).
//!
//! Taken only when the shapes are those WordPress itself creates (checked before
//! anything changes): `$wp_filter[$hook]` exactly a `WP_Hook`, no `all` hook, integer
//! `accepted_args`, valid callables that mean the same from any scope. What differs from
//! core is invisible to callbacks except in a backtrace (no `WP_Hook->apply_filters()`
//! and `apply_filters()` frames) and in states only reflection can make.

use super::core_callbacks;
use super::hooks;
use crate::zend::array as zarray;
use crate::zend::call;
use crate::zend::hash;
use crate::zend::key::Key;
use crate::zend::quiet;
use crate::zend::symbols::{self, Vivify};
use crate::zend::value::ZvalExt;
use crate::zend::value::{self, deref, deref_mut};
use crate::zend::{Flow, Stop};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::names::{ACCEPTED_ARGS, ALL, FUNCTION, WP_CURRENT_FILTER, WP_FILTER};

/// `WP_Hook`'s properties this code reads and writes, by index into [`Hook::slots`].
const PROPS: [&str; 5] = [
    "callbacks",
    "iterations",
    "current_priority",
    "nesting_level",
    "doing_action",
];
const CALLBACKS: usize = 0;
const ITERATIONS: usize = 1;
const CURRENT_PRIORITY: usize = 2;
const NESTING_LEVEL: usize = 3;
const DOING_ACTION: usize = 4;

/// The properties' slots, found once per request and class (see [`value::Prop`]).
static SLOTS: [value::Prop; 5] = [
    value::Prop::new(PROPS[0]),
    value::Prop::new(PROPS[1]),
    value::Prop::new(PROPS[2]),
    value::Prop::new(PROPS[3]),
    value::Prop::new(PROPS[4]),
];

/// A `WP_Hook` being run: a counted reference (PHP's `$this`) and its property slots.
struct Hook(value::Props<5>);

impl Hook {
    /// The hook, if every property it runs on holds a value now.
    fn new(obj: &Zval) -> Option<Self> {
        value::Props::new(obj, &SLOTS).map(Self)
    }

    /// Property `i`, dereferenced; `None` when unset.
    fn prop(&self, i: usize) -> Option<&Zval> {
        self.0.get(i)
    }

    /// Mutable [`Hook::prop`].
    fn prop_mut(&mut self, i: usize) -> Option<&mut Zval> {
        self.0.get_mut(i)
    }
}

enum Plan {
    /// No callbacks, no `all`: core only counts the call.
    Idle,
    /// Run natively.
    Run(Hook),
    /// Leave it to core's PHP.
    Php,
}

fn plan(hook: &'static Key) -> Plan {
    if !hooks::api_loaded() {
        return Plan::Php;
    }
    let Some(wp_filter) = symbols::get_key(&WP_FILTER) else {
        return Plan::Idle;
    };
    let Some(wp_filter) = wp_filter.arr() else {
        return if wp_filter.nul() {
            Plan::Idle
        } else {
            Plan::Php
        };
    };
    if ALL.find(wp_filter).is_some_and(|a| !a.nul()) {
        return Plan::Php;
    }
    let Some(hook_obj) = hook.find(wp_filter).filter(|h| !h.nul()) else {
        return Plan::Idle;
    };
    if !value::is_exactly(hook_obj, "WP_Hook") {
        return Plan::Php;
    }
    match Hook::new(hook_obj) {
        Some(h) => Plan::Run(h),
        None => Plan::Php,
    }
}

/// `apply_filters( $hook, $value, ...$args )` natively: `Ok(Ok(filtered))`, or
/// `Ok(Err(value))` (nothing changed, `value` handed back) when core's PHP must run.
pub fn apply_filters(hook: &'static Key, value: Zval, args: &[&Zval]) -> Flow<Result<Zval, Zval>> {
    let mut h = match plan(hook) {
        Plan::Php => return Ok(Err(value)),
        Plan::Idle => {
            return Ok(if hooks::count_filters(&[hook]) {
                Ok(value)
            } else {
                Err(value)
            })
        }
        Plan::Run(h) => h,
    };
    if quiet::active() {
        // Inside a quiet run: only core's callbacks, natively (each checked as it comes:
        // a quiet run is abandoned as a whole), or the run is abandoned.
        if let Some(v) = quiet_callbacks(hook, &h, &value, args)? {
            // $wp_current_filter is pushed and popped as in `quiet_run` (at once:
            // nothing runs in between that could see it).
            if push_pop_current(hook) {
                return Ok(Ok(v));
            }
        }
        let _ = quiet::php_allowed();
        return Err(Stop);
    }
    if all_core(&h) {
        if let Some(filtered) = quiet_run(hook, &h, &value, args)? {
            return Ok(Ok(filtered));
        }
    }
    if !runnable(&h) {
        return Ok(Err(value));
    }
    // global $wp_current_filter: null (not through a reference a typed property shares:
    // its type decides whether it may become an array) or an array with room for one
    // more element.
    let current_ok = symbols::get_key(&WP_CURRENT_FILTER).is_none_or(|c| {
        (c.nul() && !symbols::typed_reference(&WP_CURRENT_FILTER))
            || c.arr().is_some_and(zarray::can_push)
    });
    if !current_ok || !hooks::count_filters(&[hook]) {
        return Ok(Err(value));
    }
    // $wp_current_filter[] = $hook_name;
    let _ = symbols::with_array(&WP_CURRENT_FILTER, Vivify::NullOrUnset, |ht| {
        zarray::push(ht, hook.zval())
    });
    // array_unshift( $args, $value ): `$args` never reaches PHP as an array (callbacks
    // get its elements), so it is kept as the value plus the other arguments.
    let watch = super::observe::watching(hook.name()).then(|| hook.name());
    let filtered = run(&mut h, value, args, watch)?;
    // array_pop( $wp_current_filter );
    let popped = symbols::with_array(&WP_CURRENT_FILTER, Vivify::Never, zarray::pop);
    if popped.is_none() {
        let c = symbols::get_key(&WP_CURRENT_FILTER).map_or(Zval::null(), Zval::shallow_clone);
        type_error("array_pop", &c);
        return Err(Stop);
    }
    Ok(Ok(filtered))
}

/// Whether every callback is one core declares with a native equivalent.
fn all_core(h: &Hook) -> bool {
    h.prop(CALLBACKS)
        .and_then(|c| c.arr())
        .is_some_and(|by_priority| {
            zarray::iter(by_priority).all(|slot| {
                deref(slot).arr().is_some_and(|at| {
                    zarray::iter(at).all(|entry| {
                        deref(entry)
                            .arr()
                            .and_then(|e| FUNCTION.find(e))
                            .and_then(Zval::zend_str)
                            .is_some_and(|s| core_callbacks::has_native(s.as_bytes()))
                    })
                })
            })
        })
}

/// Core's callbacks, natively, when no PHP code runs on the way (see [`quiet`]): then
/// nothing could see `$this->nesting_level`, `iterations` or `current_priority` change
/// and change back, so only the counts, `$wp_current_filter`'s push and pop and the
/// callbacks' own effects are reproduced. `None`, with nothing changed, when a step
/// would need PHP.
fn quiet_run(hook: &'static Key, h: &Hook, value: &Zval, args: &[&Zval]) -> Flow<Option<Zval>> {
    quietly(|| {
        let v = quiet_callbacks(hook, h, value, args)?;
        if v.is_some() && !push_pop_current(hook) {
            let _ = quiet::php_allowed();
            return Err(Stop);
        }
        Ok(v)
    })
}

/// Run `f` as a quiet run (see [`quiet`]): its filter counts are applied, in order,
/// only if it finished without needing PHP; otherwise nothing has changed and the
/// answer is `None`.
pub fn quietly<T>(f: impl FnOnce() -> Flow<Option<T>>) -> Flow<Option<T>> {
    if quiet::active() {
        return f(); // Already inside one: part of it.
    }
    hooks::defer_counts();
    quiet::begin();
    let ran = f();
    let clean = quiet::end();
    match ran {
        Ok(Some(v)) if clean => {
            hooks::settle_counts(true);
            Ok(Some(v))
        }
        _ => {
            hooks::settle_counts(false);
            if call::exception_pending() {
                return Err(Stop);
            }
            Ok(None)
        }
    }
}

/// `$wp_current_filter[] = $hook_name; ... array_pop( $wp_current_filter );` with
/// nothing in between. On an array whose internal pointer is already at its start,
/// that changes nothing PHP can observe (same elements, next free index restored), so
/// it is skipped; otherwise it is done. False, with nothing done, when only PHP may
/// write the global (a reference a typed property shares).
fn push_pop_current(hook: &'static Key) -> bool {
    let at_start = symbols::get_key(&WP_CURRENT_FILTER)
        .and_then(Zval::arr)
        .is_some_and(|ht| zarray::pointer_at_start(ht) && zarray::can_push(ht));
    if at_start {
        return true;
    }
    if symbols::typed_reference(&WP_CURRENT_FILTER) {
        return false;
    }
    let _ = symbols::with_array(&WP_CURRENT_FILTER, Vivify::NullOrUnset, |ht| {
        if zarray::push(ht, hook.zval()) {
            zarray::pop(ht);
        }
    });
    true
}

fn quiet_callbacks(
    hook: &'static Key,
    h: &Hook,
    value: &Zval,
    args: &[&Zval],
) -> Flow<Option<Zval>> {
    if !hooks::count_filters(&[hook]) {
        return Ok(None);
    }
    let Some(by_priority) = h.prop(CALLBACKS).and_then(|c| c.arr()) else {
        return Ok(None);
    };
    let num_args = args.len() + 1;
    let mut v = value.shallow_clone();
    // No PHP code can change the hook's callbacks array during a quiet run.
    for slot in zarray::iter(by_priority) {
        let Some(at) = deref(slot).arr() else {
            return Ok(None);
        };
        for entry in zarray::iter(at) {
            let Some(entry) = deref(entry).arr() else {
                return Ok(None);
            };
            let (Some(function), Some(accepted)) = (
                FUNCTION.find(entry),
                ACCEPTED_ARGS.find(entry).and_then(Zval::lng),
            ) else {
                return Ok(None);
            };
            let n = passed_count(accepted, num_args);
            // [ $value, ...$args ], cut to what the callback gets (args are few).
            let mut all: [&Zval; 4] = [&v; 4];
            if n > all.len() {
                return Ok(None);
            }
            for (i, a) in args.iter().take(n.saturating_sub(1)).enumerate() {
                all[i + 1] = a;
            }
            let Some(next) = core_callbacks::run(function, &all[..n])? else {
                return Ok(None);
            };
            v = next;
        }
    }
    Ok(Some(v))
}

/// How many of `$args` a callback gets: 0 for `call_user_func( $f )`, all of them, or
/// `array_slice( $args, 0, (int) $accepted )` of a list.
fn passed_count(accepted: i64, num_args: usize) -> usize {
    if accepted == 0 {
        0
    } else if accepted >= i64::try_from(num_args).unwrap_or(i64::MAX) {
        num_args
    } else if accepted < 0 {
        let keep = i64::try_from(num_args)
            .unwrap_or(0)
            .saturating_add(accepted);
        usize::try_from(keep.max(0)).unwrap_or(0)
    } else {
        usize::try_from(accepted).unwrap_or(0)
    }
}

/// Whether the hook's state and callbacks have the shapes WordPress creates.
fn runnable(h: &Hook) -> bool {
    let is = |i: usize, t: DataType| h.prop(i).is_some_and(|v| v.get_type() == t);
    if !is(NESTING_LEVEL, DataType::Long)
        || !is(ITERATIONS, DataType::Array)
        || !is(CURRENT_PRIORITY, DataType::Array)
        || h.prop(DOING_ACTION).is_none()
    {
        return false;
    }
    let Some(callbacks) = h.prop(CALLBACKS) else {
        return false;
    };
    if !value::truthy(callbacks) {
        return true;
    }
    let Some(by_priority) = callbacks.arr() else {
        return false;
    };
    zarray::iter(by_priority).all(|slot| {
        deref(slot).arr().is_some_and(|at| {
            zarray::iter(at).all(|entry| {
                deref(entry).arr().is_some_and(|entry| {
                    ACCEPTED_ARGS
                        .find(entry)
                        .is_some_and(|a| value::ty(a) == value::t::LONG)
                        // A callable that is not valid must fail inside core's own
                        // WP_Hook (the TypeError names class-wp-hook.php): PHP runs it.
                        && FUNCTION
                            .find(entry)
                            .is_some_and(|f| scope_free(f) && call::is_callable(f))
                })
            })
        })
    })
}

/// Whether a callable resolves the same from any calling scope: core calls it from
/// `WP_Hook`'s, this code from the handler's. `self` / `parent` / `static` and
/// `WP_Hook`'s own (private) methods are the exceptions; anything else is not a
/// valid callable in either scope alike, which PHP then reports the same way.
pub fn scope_free(f: &Zval) -> bool {
    let f = deref(f);
    let scoped = |b: &[u8]| {
        b.eq_ignore_ascii_case(b"self")
            || b.eq_ignore_ascii_case(b"parent")
            || b.eq_ignore_ascii_case(b"static")
            || b.eq_ignore_ascii_case(b"wp_hook")
    };
    let plain_name = |z: &Zval| {
        z.zend_str().is_some_and(|s| {
            let b = s.as_bytes();
            !b.contains(&b':') && !scoped(b)
        })
    };
    match f.get_type() {
        DataType::String => f.zend_str().is_some_and(|s| {
            let b = s.as_bytes();
            match b.iter().position(|&c| c == b':') {
                None => true,
                Some(i) => !scoped(&b[..i]),
            }
        }),
        DataType::Object(_) => !value::is_exactly(f, "WP_Hook"),
        DataType::Array => f.arr().is_some_and(|a| {
            a.len() == 2
                && a.get_index(1).is_some_and(|m| plain_name(deref(m)))
                && a.get_index(0).is_some_and(|c| {
                    let c = deref(c);
                    (c.get_type() == DataType::String && plain_name(c))
                        || (c.object().is_some() && !value::is_exactly(c, "WP_Hook"))
                })
        }),
        _ => false,
    }
}

/// `WP_Hook::apply_filters( $value, $args )`; plugin callbacks watched when `watch`
/// names the hook (see [`super::observe`]).
fn run(h: &mut Hook, mut value: Zval, args: &[&Zval], watch: Option<&str>) -> Flow<Zval> {
    // if ( ! $this->callbacks ) return $value;
    if !h.prop(CALLBACKS).is_some_and(value::truthy) {
        return Ok(value);
    }
    // $nesting_level = $this->nesting_level++;
    let Some(level_slot) = h.prop_mut(NESTING_LEVEL) else {
        return Err(missing("nesting_level"));
    };
    let Some(level) = level_slot.lng() else {
        return Err(missing("nesting_level"));
    };
    // An untyped property: `++` as PHP does it, whatever it holds.
    value::increment(level_slot);
    // $this->iterations[ $nesting_level ] = array_keys( $this->callbacks );
    let keys = h
        .prop(CALLBACKS)
        .and_then(|c| c.arr())
        .map_or_else(Zval::new_array, zarray::keys);
    dim_write(h, ITERATIONS, level, keys)?;
    // $num_args = count( $args ); $args[0] starts as $value.
    let num_args = args.len() + 1;
    let mut args0 = value.shallow_clone();

    loop {
        // $this->current_priority[ $nesting_level ] = current( $this->iterations[ $nesting_level ] );
        let priority = match dim_read(h, ITERATIONS, level) {
            Some(it) => match it.arr() {
                Some(a) => zarray::current(a).unwrap_or_else(|| value::boolean(false)),
                None => {
                    type_error("current", it);
                    return Err(Stop);
                }
            },
            None => {
                type_error("current", &Zval::null());
                return Err(Stop);
            }
        };
        // foreach ( $this->callbacks[ $priority ] as $the_ ): over the array as it is now.
        let at = h
            .prop(CALLBACKS)
            .and_then(|c| c.arr())
            .and_then(|c| find_key(c, &priority))
            .map(Zval::shallow_clone);
        dim_write(h, CURRENT_PRIORITY, level, priority)?;
        let Some(at) = at else {
            return Err(missing("callbacks[priority]"));
        };
        let Some(entries) = at.arr() else {
            return Err(missing("callbacks[priority]"));
        };
        // `at` holds a counted reference: the array cannot change under the iterator
        // (PHP's writes separate a copy).
        for slot in zarray::iter(entries) {
            let the = deref(slot);
            // if ( ! $this->doing_action ) $args[0] = $value;
            if !h.prop(DOING_ACTION).is_some_and(value::truthy) {
                args0 = value.shallow_clone();
            }
            value = call_one(the, &args0, args, num_args, watch)?;
        }
        // while ( false !== next( $this->iterations[ $nesting_level ] ) );
        let Some(it) = dim_slot(h, ITERATIONS, level) else {
            type_error("next", &Zval::null());
            return Err(Stop);
        };
        let Some(ht) = value::array_separated(it) else {
            let it = it.shallow_clone();
            type_error("next", &it);
            return Err(Stop);
        };
        if zarray::next(ht).is_none_or(|n| value::ty(&n) == value::t::FALSE) {
            break;
        }
    }
    // unset( $this->iterations[ $nesting_level ] ); unset( $this->current_priority[ ... ] );
    dim_unset(h, ITERATIONS, level);
    dim_unset(h, CURRENT_PRIORITY, level);
    // $this->nesting_level--;
    if let Some(slot) = h.prop_mut(NESTING_LEVEL) {
        value::decrement(slot);
    }
    Ok(value)
}

/// One callback, as `WP_Hook::apply_filters()` calls it.
fn call_one(
    the: &Zval,
    first: &Zval,
    rest: &[&Zval],
    num_args: usize,
    watch: Option<&str>,
) -> Flow<Zval> {
    let (Some(function), Some(accepted)) = (
        the.arr().and_then(|e| FUNCTION.find(e)),
        the.arr().and_then(|e| ACCEPTED_ARGS.find(e)),
    ) else {
        return Err(missing("callback entry"));
    };
    let function = function.shallow_clone();
    let Some(accepted) = accepted.lng() else {
        return Err(missing("accepted_args"));
    };
    let n = passed_count(accepted, num_args);
    // The first n of `$args` ( $value, ...$rest ), in order.
    let mut given: [&Zval; 8] = [first; 8];
    if n > given.len() {
        let mut items: Vec<&Zval> = vec![first];
        items.extend_from_slice(rest);
        items.truncate(n);
        return invoke(&function, &items, true, watch, first);
    }
    for (i, a) in rest.iter().take(n.saturating_sub(1)).enumerate() {
        given[i + 1] = a;
    }
    invoke(&function, &given[..n], accepted != 0, watch, first)
}

/// Run a callback: natively if it is one of core's with an equivalent here, else PHP
/// (watched when asked: `first` is the value it was handed).
fn invoke(
    function: &Zval,
    given: &[&Zval],
    via_array: bool,
    watch: Option<&str>,
    first: &Zval,
) -> Flow<Zval> {
    if let Some(v) = core_callbacks::run(function, given)? {
        return Ok(v);
    }
    let Some(hook) = watch else {
        return call::callable(function, given, via_array);
    };
    let before = super::observe::before()?;
    let got = call::callable(function, given, via_array)?;
    super::observe::after(hook, function, first, &got, before)?;
    Ok(got)
}

/// `$arr[$key]` for an array key as PHP converts it (int, or a string that is not
/// numeric, or `false` / `true` as 0 / 1).
fn find_key<'a>(arr: &'a ZendHashTable, key: &Zval) -> Option<&'a Zval> {
    let key = deref(key);
    match key.get_type() {
        DataType::Long => arr.get_index(key.lng()?).map(deref),
        DataType::False => arr.get_index(0).map(deref),
        DataType::True => arr.get_index(1).map(deref),
        DataType::String => {
            let s = key.str()?;
            // Numeric strings were turned into int keys when the array was built.
            match s.parse::<i64>() {
                Ok(n) if n.to_string() == s => arr.get_index(n).map(deref),
                _ => hash::find(arr, s),
            }
        }
        _ => None,
    }
}

/// `$this->$prop[ $level ]`, read.
fn dim_read(h: &Hook, i: usize, level: i64) -> Option<&Zval> {
    h.prop(i)?.arr()?.get_index(level).map(deref)
}

/// `$this->$prop[ $level ]`, fetched for writing (the property array separated).
fn dim_slot(h: &mut Hook, i: usize, level: i64) -> Option<&mut Zval> {
    value::array_separated(h.prop_mut(i)?)?
        .get_index_mut(level)
        .map(deref_mut)
}

/// `$this->$prop[ $level ] = $v`.
fn dim_write(h: &mut Hook, i: usize, level: i64, v: Zval) -> Flow<()> {
    let Some(slot) = h.prop_mut(i) else {
        return Err(missing(PROPS[i]));
    };
    if slot.nul() {
        value::replace(slot, Zval::new_array());
    }
    let Some(ht) = value::array_separated(slot) else {
        return Err(missing(PROPS[i]));
    };
    let _ = ht.insert_at_index(level, v);
    Ok(())
}

/// `unset( $this->$prop[ $level ] )`.
fn dim_unset(h: &mut Hook, i: usize, level: i64) {
    if let Some(ht) = h.prop_mut(i).and_then(value::array_separated) {
        zarray::delete_index(ht, level);
    }
}

/// PHP's TypeError for an internal array function given something else.
fn type_error(func: &str, given: &Zval) {
    call::throw_error(
        true,
        &format!(
            "{func}(): Argument #1 ($array) must be of type array, {} given",
            value::type_name(given)
        ),
    );
}

/// A hook whose private state was rewritten from outside mid-run (only reflection or a
/// bound closure can): stop with an Error rather than guess.
fn missing(what: &str) -> Stop {
    call::throw_error(
        false,
        &format!("fastbeat: WP_Hook state changed during the run ({what})"),
    );
    Stop
}
