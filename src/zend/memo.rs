//! Facts that cannot change during one handler call, looked up once per call.
//!
//! Constants cannot be redefined and functions cannot be undefined within a request,
//! so a handler call may keep what it found. Everything is reset when a handler starts:
//! nothing survives into another call or request.

use ext_php_rs::types::Zval;
use std::cell::Cell;

/// Constants the handlers read.
#[derive(Clone, Copy)]
pub enum Const {
    Abspath,
    Wpinc,
    DoingAjax,
    RestRequest,
    DayInSeconds,
    LoggedInCookie,
    WpSetupConfig,
}

const CONST_NAMES: [&str; 7] = [
    "ABSPATH",
    "WPINC",
    "DOING_AJAX",
    "REST_REQUEST",
    "DAY_IN_SECONDS",
    "LOGGED_IN_COOKIE",
    "WP_SETUP_CONFIG",
];

/// Cached state of one lookup: unknown, or a pointer owned by the engine.
#[derive(Clone, Copy)]
enum Slot {
    Unknown,
    Found(*const Zval),
}

thread_local! {
    static CONSTS: [Cell<Slot>; 7] = const { [const { Cell::new(Slot::Unknown) }; 7] };
    static HOOK_API: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Forget everything: called when a handler starts.
pub fn reset() {
    CONSTS.with(|c| c.iter().for_each(|s| s.set(Slot::Unknown)));
    HOOK_API.with(|h| h.set(None));
}

/// A constant's value. Constant values live as long as the request.
pub fn constant(which: Const) -> Option<&'static Zval> {
    let i = which as usize;
    let cached = CONSTS.with(|c| c[i].get());
    let ptr = match cached {
        Slot::Found(p) => Some(p),
        Slot::Unknown => {
            // Defined constants never change; a missing one may be defined later.
            let found = super::call::constant(CONST_NAMES[i]).map(std::ptr::from_ref);
            if let Some(p) = found {
                CONSTS.with(|c| c[i].set(Slot::Found(p)));
            }
            found
        }
    };
    // SAFETY: constant values are owned by the engine for the whole request.
    ptr.map(|p| unsafe { &*p })
}

/// Whether `apply_filters()` and `do_action()` exist (WordPress's plugin API is loaded).
pub fn hook_api() -> bool {
    if let Some(v) = HOOK_API.with(Cell::get) {
        return v;
    }
    let v =
        super::call::find("apply_filters").is_some() && super::call::find("do_action").is_some();
    HOOK_API.with(|h| h.set(Some(v)));
    v
}
