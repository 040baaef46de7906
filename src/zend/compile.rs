//! A `zend_compile_file` hook that lets a chooser compile another file in place of a
//! request's primary script (and, once armed, of one included file), plus the request
//! facts such a chooser reads before any PHP runs (server variables through the SAPI).
//!
//! The hook is installed on first use, i.e. after opcache installed its own, so every
//! primary script passes through it whether cached or not.

use super::sys;
use ext_php_rs::ffi::{zend_file_handle, zend_op_array};
use std::ffi::CString;
use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Decides, from a primary script's path, which file to compile instead (or none).
pub type Chooser = fn(&[u8]) -> Option<CString>;

static INSTALLED: AtomicBool = AtomicBool::new(false);
static ORIGINAL: Mutex<Option<sys::CompileFile>> = Mutex::new(None);
static CHOOSER: Mutex<Option<Chooser>> = Mutex::new(None);
/// Called when the chosen file could not be compiled (the original then is).
static FAILED: Mutex<Option<fn()>> = Mutex::new(None);

/// One file of this request to compile another in place of, once (see [`arm`]).
static ARMED: AtomicBool = AtomicBool::new(false);
static SECONDARY: Mutex<Option<(Vec<u8>, CString)>> = Mutex::new(None);

/// For the rest of this request, the first time the engine is asked to compile `target`
/// (an include, by the path it is included by), compile `replacement` instead.
pub fn arm(target: &str, replacement: CString) {
    if let Ok(mut s) = SECONDARY.lock() {
        *s = Some((target.as_bytes().to_vec(), replacement));
        ARMED.store(true, Ordering::SeqCst);
    }
}

/// Forget what [`arm`] set (request end, or once it is used).
pub fn disarm() {
    if ARMED.swap(false, Ordering::SeqCst) {
        if let Ok(mut s) = SECONDARY.lock() {
            *s = None;
        }
    }
}

/// The replacement for an include of `name`, if armed for it (then disarmed).
fn secondary(name: &[u8]) -> Option<CString> {
    if !ARMED.load(Ordering::Relaxed) {
        return None;
    }
    let mut s = SECONDARY.lock().ok()?;
    if s.as_ref().is_some_and(|(t, _)| t.as_slice() == name) {
        ARMED.store(false, Ordering::SeqCst);
        return s.take().map(|(_, r)| r);
    }
    None
}

/// Install the hook (once per process) with its chooser and failure callback.
pub fn install(chooser: Chooser, failed: fn()) {
    if let Ok(mut c) = CHOOSER.lock() {
        *c = Some(chooser);
    }
    if let Ok(mut f) = FAILED.lock() {
        *f = Some(failed);
    }
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(mut orig) = ORIGINAL.lock() else {
        return;
    };
    // SAFETY: NTS: the engine reads this pointer only from this thread; we keep the
    // previous value and call it for everything we do not take.
    unsafe {
        *orig = sys::zend_compile_file;
        sys::zend_compile_file = Some(compile_file);
    }
}

/// Whether the hook is in place.
pub fn installed() -> bool {
    INSTALLED.load(Ordering::SeqCst)
}

/// Put the engine's hook back (module shutdown), if it is still ours.
pub fn uninstall() {
    if !INSTALLED.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Ok(orig) = ORIGINAL.lock() {
        // SAFETY: as in `install`; only restored when we are still the outermost hook.
        unsafe {
            let ours: sys::CompileFile = compile_file;
            if sys::zend_compile_file.is_some_and(|f| f as usize == ours as usize) {
                sys::zend_compile_file = *orig;
            }
        }
    }
}

unsafe extern "C" fn compile_file(fh: *mut zend_file_handle, ty: c_int) -> *mut zend_op_array {
    let original = ORIGINAL.lock().ok().and_then(|o| *o);
    let Some(original) = original else {
        return std::ptr::null_mut();
    };
    // SAFETY: `fh` comes from the engine and is valid for this call; its filename is a
    // zend_string owned by the handle.
    let (primary, name) = unsafe {
        if fh.is_null() || (*fh).filename.is_null() {
            (false, None)
        } else {
            (
                (*fh).primary_script,
                Some(
                    (*(*fh).filename.cast::<ext_php_rs::types::ZendStr>())
                        .as_bytes()
                        .to_vec(),
                ),
            )
        }
    };
    let choice = match (&name, primary) {
        (Some(name), true) => {
            let chooser = CHOOSER.lock().ok().and_then(|c| *c);
            // Never unwind into the engine: any surprise means the original script.
            chooser.and_then(|c| std::panic::catch_unwind(|| c(name)).ok().flatten())
        }
        (Some(name), false) => secondary(name),
        (None, _) => None,
    };
    if let Some(other) = choice {
        // SAFETY: a fresh handle for the chosen file, compiled by the next hook in the
        // chain (opcache caches it like any file) and released as the engine's own
        // compile_filename() does.
        let op = unsafe {
            let mut h: zend_file_handle = std::mem::zeroed();
            sys::zend_stream_init_filename(&mut h, other.as_ptr());
            // Not flagged primary: opcache answers a primary-script compile with the
            // script it already resolved for the request.
            let op = original(&mut h, ty);
            sys::zend_destroy_file_handle(&mut h);
            op
        };
        if !op.is_null() {
            return op;
        }
        if let Some(f) = FAILED.lock().ok().and_then(|f| *f) {
            f();
        }
    }
    // SAFETY: the previous hook with the engine's own arguments.
    unsafe { original(fh, ty) }
}

/// Whether the request came with a query string (`SG(request_info).query_string`, read as
/// bytes). One PHP parses into no `$_GET` entry (`?=/newbloguser/x`: an empty name) still
/// reaches core through `REQUEST_URI`, which a network's `init` callback
/// (`maybe_add_existing_user_to_blog()`) answers with `wp_die()`.
pub fn query_string_present() -> bool {
    let q = ext_php_rs::zend::SapiGlobals::get()
        .request_info()
        .query_string;
    // SAFETY: a non-null `query_string` is the SAPI's NUL-terminated copy for this request,
    // alive until the request ends; reading its first byte stays inside it.
    !q.is_null() && unsafe { *q } != 0
}

/// A server variable as the SAPI has it (before any PHP ran).
///
/// `sapi_getenv()` hands the name to the SAPI's own getenv as it is, and only php-fpm's
/// (`fcgi_getenv()`) reads it by length: apache2handler's (`apr_table_get()` on
/// `r->subprocess_env`), php-cgi's and LiteSpeed's (libc `getenv()`) read up to a NUL,
/// which a `&str` does not have. Without one every lookup there ran on into whatever bytes
/// followed the name and found nothing, so under mod_php every server variable read as
/// absent: the request key lost its Host and path, and evidence saw `REQUEST_METHOD`
/// (and more) "rewritten" against `$_SERVER`, which kept every beat off the lane. Hence
/// a NUL-terminated copy of the name (a name with a NUL in it is no variable).
pub fn getenv(name: &str) -> Option<String> {
    let c = CString::new(name).ok()?;
    // SAFETY: `c` is NUL-terminated and `name.len()` is its length without the NUL, as
    // every SAPI expects; sapi_getenv returns an emalloc'd copy (estrdup) or NULL, which
    // we free after copying it out.
    unsafe {
        let v = sys::sapi_getenv(c.as_ptr(), name.len());
        if v.is_null() {
            return None;
        }
        let s = std::ffi::CStr::from_ptr(v).to_string_lossy().into_owned();
        sys::_efree(v.cast());
        Some(s)
    }
}
