//! A dry run in which no PHP code may run.
//!
//! A caller uses it to take a native path whose bookkeeping only PHP code could
//! observe, and may then skip that bookkeeping: inside a quiet run every place in this
//! layer that would run PHP (a call, an error handler, a magic method) refuses and
//! unwinds with `Stop` instead, the run is abandoned, and the caller drops the effects
//! it deferred, so nothing has changed.

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

/// 0: off; 1: quiet; 2: quiet and abandoned. (PHP runs this extension on one thread
/// per process: a plain atomic is cheaper than a thread-local on every check.)
static MODE: AtomicU8 = AtomicU8::new(0);

/// Start a quiet run.
pub fn begin() {
    MODE.store(1, Relaxed);
}

/// End the quiet run: true if no step needed PHP.
pub fn end() -> bool {
    MODE.swap(0, Relaxed) == 1
}

/// Whether a quiet run is on.
#[inline]
pub fn active() -> bool {
    MODE.load(Relaxed) != 0
}

/// Whether PHP code may run now. In a quiet run this abandons the run and says no;
/// the caller then returns `Err(Stop)` without doing anything.
#[inline]
pub fn php_allowed() -> bool {
    if MODE.load(Relaxed) == 0 {
        return true;
    }
    MODE.store(2, Relaxed);
    false
}
