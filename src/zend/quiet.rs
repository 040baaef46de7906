//! A dry run in which no PHP code may run.
//!
//! The native hook runner uses it to run core's own callbacks natively without the
//! `WP_Hook` bookkeeping that only PHP code could observe: inside a quiet run every
//! place that would run PHP (a call, an error handler, a magic method) refuses and
//! unwinds with `Stop` instead, the run is abandoned, and the deferred filter counts
//! are dropped, so nothing has changed.

use std::cell::Cell;

thread_local! {
    /// 0: off; 1: quiet; 2: quiet and abandoned.
    static MODE: Cell<u8> = const { Cell::new(0) };
}

/// Start a quiet run.
pub fn begin() {
    MODE.with(|m| m.set(1));
}

/// End the quiet run: true if no step needed PHP.
pub fn end() -> bool {
    MODE.with(|m| m.replace(0)) == 1
}

/// Whether a quiet run is on.
pub fn active() -> bool {
    MODE.with(Cell::get) != 0
}

/// Whether PHP code may run now. In a quiet run this abandons the run and says no;
/// the caller then returns `Err(Stop)` without doing anything.
pub fn php_allowed() -> bool {
    MODE.with(|m| match m.get() {
        0 => true,
        _ => {
            m.set(2);
            false
        }
    })
}
