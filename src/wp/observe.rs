//! What plugin callbacks on one hook did, watched while a full-path beat's evidence is
//! recorded: whether each returned the response it was given unchanged, and whether it
//! ran a database query, printed output or sent a header. The fast lane uses it to
//! confirm a plugin's declaration that its `heartbeat_received` callback reacts only to
//! its own data keys (`fastbeat_lane::policy`).
//!
//! Off unless [`start`] was called for this request: callbacks then run exactly as
//! before, with a few reads around each (`$wpdb->num_queries`, `ob_get_length()`,
//! `headers_list()`), none of which any PHP code can see.

use crate::zend::call;
use crate::zend::inspect;
use crate::zend::value;
use crate::zend::Flow;
use ext_php_rs::types::Zval;
use fastbeat_lane::evidence::Observed;
use std::cell::RefCell;

struct Watch {
    hook: &'static str,
    seen: Vec<Observed>,
}

thread_local! {
    static WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
}

/// Watch the plugin callbacks of `hook` for the rest of this request.
pub fn start(hook: &'static str) {
    WATCH.with(|w| {
        *w.borrow_mut() = Some(Watch {
            hook,
            seen: Vec::new(),
        });
    });
}

/// What was seen, and stop watching.
pub fn take() -> Vec<Observed> {
    WATCH.with(|w| w.borrow_mut().take().map(|w| w.seen).unwrap_or_default())
}

/// Whether `hook`'s callbacks are being watched.
pub fn watching(hook: &str) -> bool {
    WATCH.with(|w| w.borrow().as_ref().is_some_and(|w| w.hook == hook))
}

/// The state a callback could change, read before and after it.
pub struct Before {
    queries: Option<i64>,
    output: i64,
    headers: usize,
}

fn queries() -> Flow<Option<i64>> {
    let Some(wpdb) = inspect::global("wpdb") else {
        return Ok(None);
    };
    Ok(value::read_property(wpdb, "num_queries")?.and_then(|v| v.long()))
}

fn output() -> Flow<i64> {
    Ok(call::call("ob_get_length", &[])?.long().unwrap_or(0))
}

fn headers() -> Flow<usize> {
    Ok(call::call("headers_list", &[])?
        .array()
        .map_or(0, ext_php_rs::types::ZendHashTable::len))
}

/// Read the state before a plugin callback runs.
pub fn before() -> Flow<Before> {
    Ok(Before {
        queries: queries()?,
        output: output()?,
        headers: headers()?,
    })
}

/// Record what the callback `callback` of `hook` did: given `given`, it returned `got`.
pub fn after(hook: &str, callback: &Zval, given: &Zval, got: &Zval, b: Before) -> Flow<()> {
    let q = queries()?;
    let seen = Observed {
        hook: hook.to_owned(),
        callback: inspect::callable(callback).0,
        unchanged: got.is_identical(given),
        queries: match (b.queries, q) {
            (Some(a), Some(z)) => z - a,
            // No $wpdb to count by: not confirmable.
            _ => -1,
        },
        output: output()? - b.output,
        headers: i64::try_from(headers()?).unwrap_or(0) - i64::try_from(b.headers).unwrap_or(0),
    };
    WATCH.with(|w| {
        if let Some(w) = w.borrow_mut().as_mut() {
            w.seen.push(seen);
        }
    });
    Ok(())
}
