//! Thin, safe-to-call wrappers over the Zend engine: values, globals, calls, output.
//!
//! Every function that can run PHP code returns `Result<_, Stop>`: `Err(Stop)` means
//! PHP now has a pending exception or `exit`, and the caller must return to PHP at once
//! without running more PHP code or writing output.

pub mod array;
pub mod call;
pub mod compile;
pub mod hash;
pub mod inspect;
pub mod json;
pub mod key;
pub mod memo;
pub mod os;
pub mod output;
pub mod quiet;
pub mod statics;
pub mod symbols;
pub mod sys;
pub mod value;

/// The current time in seconds, from the clock PHP's own `time()` reads (`php_time()`),
/// so that a time computed here is the one PHP code computes in the same instant.
/// (PHP loads extensions with `RTLD_DEEPBIND`: the extension's own libc calls could see
/// another clock than PHP's, e.g. under an `LD_PRELOAD`ed time shim.)
pub fn php_time() -> i64 {
    // SAFETY: a plain C function of the PHP binary with no arguments and no state.
    unsafe { sys::php_time() }
}

/// PHP has a pending exception (or `exit`): stop and return to the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop;

/// Result of anything that may run PHP code.
pub type Flow<T> = Result<T, Stop>;
