//! Calling PHP functions from Rust, and looking them up.

use super::{Flow, Stop};
use ext_php_rs::ffi::{self, zend_function, zval};
use ext_php_rs::types::Zval;
use std::ffi::CString;

/// `ZEND_USER_FUNCTION`.
const ZEND_USER_FUNCTION: u8 = 2;

/// Whether PHP has a pending exception (this includes `exit`).
pub fn exception_pending() -> bool {
    // SAFETY: NTS build: `executor_globals` is a plain global, read without a lock
    // because no Rust guard may be held across PHP code anyway.
    unsafe {
        !(*std::ptr::addr_of!(ffi::executor_globals))
            .exception
            .is_null()
    }
}

/// Whether the pending exception is `exit` (PHP 8's internal unwinder).
pub fn exit_pending() -> bool {
    // SAFETY: as in `exception_pending`; the object pointer is only inspected.
    unsafe {
        let ex = (*std::ptr::addr_of!(ffi::executor_globals)).exception;
        !ex.is_null() && super::sys::zend_is_unwind_exit(ex)
    }
}

/// Look a function up by (lower-case) name in the current request's function table.
pub(super) fn lookup(name: &str) -> Option<*mut zend_function> {
    // SAFETY: the function table is live during a request; the name is read only.
    let f = unsafe { ffi::zend_fetch_function_str(name.as_ptr().cast(), name.len()) };
    (!f.is_null()).then_some(f)
}

/// [`lookup`], kept for the request once found (functions cannot be undefined).
fn find(name: &'static str) -> Option<*mut zend_function> {
    super::memo::function(name)
}

/// Whether function `name` (lower-case) is defined in this request.
pub fn exists(name: &'static str) -> bool {
    find(name).is_some()
}

/// Whether `name` is a user function and `test` accepts the path of the file that
/// declared it. The verdict is kept for the request once the function exists, so a
/// name must always be asked with the same test, about facts fixed for the request.
pub fn declared_file_is(name: &'static str, test: impl FnOnce(&[u8]) -> bool) -> bool {
    super::memo::function_verdict(name, |f| declared_file(f).is_some_and(test))
}

/// The file a user function was declared in.
fn declared_file(f: *mut zend_function) -> Option<&'static [u8]> {
    // SAFETY: `f` is a live zend_function; `type_` is valid for every variant, and
    // `op_array.filename` is valid for user functions (it lives for the request).
    unsafe {
        if (*f).type_ != ZEND_USER_FUNCTION {
            return None;
        }
        let filename = (*f).op_array.filename;
        if filename.is_null() {
            return None;
        }
        Some((*filename.cast::<ext_php_rs::types::ZendStr>()).as_bytes())
    }
}

/// Whether `f` is callable (`is_callable( $f )`, from the current scope; a trampoline
/// made for `__call` is released again by the engine).
pub fn is_callable(f: &Zval) -> bool {
    let mut fz = f.shallow_clone();
    // SAFETY: `fz` is a zval we own; without an fcc the engine uses and releases its own.
    unsafe {
        ffi::zend_is_callable_ex(
            std::ptr::from_mut(&mut fz).cast::<zval>(),
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    }
}

/// Call a PHP function by name with positional arguments (passed by value).
/// An undefined function throws `Error` exactly like a PHP call would.
pub fn call(name: &'static str, args: &[&Zval]) -> Flow<Zval> {
    let Some(f) = find(name) else {
        throw_undefined(name);
        return Err(Stop);
    };
    call_fn(f, args)
}

/// Call an already looked-up function.
fn call_fn(f: *mut zend_function, args: &[&Zval]) -> Flow<Zval> {
    if !super::quiet::php_allowed() {
        return Err(Stop);
    }
    known_call(f, std::ptr::null_mut(), std::ptr::null_mut(), args)
}

/// `zend_call_known_function()` with copies of `args`, kept on the stack for up to
/// eight (no Rust heap allocation a fatal error could strand).
fn known_call(
    f: *mut zend_function,
    object: *mut ffi::zend_object,
    scope: *mut ffi::zend_class_entry,
    args: &[&Zval],
) -> Flow<Zval> {
    let mut on_stack: [Zval; 8] = std::array::from_fn(|_| Zval::new());
    let mut on_heap: Vec<Zval> = Vec::new();
    let params: &mut [Zval] = if args.len() <= on_stack.len() {
        for (slot, a) in on_stack.iter_mut().zip(args) {
            *slot = a.shallow_clone();
        }
        &mut on_stack[..args.len()]
    } else {
        on_heap.extend(args.iter().map(|a| a.shallow_clone()));
        &mut on_heap
    };
    let mut retval = Zval::new();
    let count = u32::try_from(params.len()).map_err(|_| Stop)?;
    // SAFETY: `f` is a live function (with its object and scope when it is a method);
    // `params` and `retval` are valid zvals we own. A fatal error inside longjmps past
    // this frame: the copies are then freed by the engine's request-end cleanup, and no
    // Rust lock is held here.
    unsafe {
        ffi::zend_call_known_function(
            f,
            object,
            scope,
            std::ptr::from_mut(&mut retval).cast::<zval>(),
            count,
            params.as_mut_ptr().cast::<zval>(),
            std::ptr::null_mut(),
        );
    }
    drop(on_stack);
    drop(on_heap);
    if exception_pending() {
        return Err(Stop);
    }
    Ok(retval)
}

/// Call a PHP callable with positional arguments, as `call_user_func_array( $f, $args )`
/// (`via_array`) or `call_user_func( $f, ...$args )` does: resolved by
/// `zend_is_callable_ex()` and run by `zend_call_function()`, the same engine steps
/// without the extra frame. A value that is not callable goes through that PHP function
/// itself, so the TypeError is PHP's own.
pub fn callable(f: &Zval, args: &[&Zval], via_array: bool) -> Flow<Zval> {
    if !super::quiet::php_allowed() {
        return Err(Stop);
    }
    // A plain function name, already lower-case: the function table has it by that
    // very key (what zend_is_callable_ex() finds after lower-casing a copy).
    if let Some(s) = super::value::deref(f).zend_str() {
        let b = s.as_bytes();
        if !b.is_empty() && b[0] != b'\\' && !b.iter().any(|c| c.is_ascii_uppercase() || *c == b':')
        {
            // SAFETY: NTS executor globals; the function table lives for the request.
            let found = unsafe {
                ffi::zend_hash_find(
                    (*std::ptr::addr_of!(ffi::executor_globals)).function_table,
                    std::ptr::from_ref(s).cast_mut().cast::<ffi::zend_string>(),
                )
            };
            // SAFETY: a non-null slot of the function table.
            if let Some(z) = unsafe { found.as_ref() } {
                // SAFETY: function-table values are IS_PTR zvals holding a zend_function.
                let func = unsafe { z.value.ptr.cast::<zend_function>() };
                if !func.is_null() {
                    return call_fn(func, args);
                }
            }
        }
    }
    // SAFETY: a plain C struct of pointers; all-null is its empty state (PHP 8.3+ adds `closure`).
    let mut fcc: ffi::zend_fcall_info_cache = unsafe { std::mem::zeroed() };
    let mut fz = f.shallow_clone();
    // SAFETY: `fz` is a zval we own; `fcc` receives borrowed pointers valid for the call.
    let ok = unsafe {
        ffi::zend_is_callable_ex(
            std::ptr::from_mut(&mut fz).cast::<zval>(),
            std::ptr::null_mut(),
            0,
            std::ptr::null_mut(),
            &mut fcc,
            std::ptr::null_mut(),
        )
    };
    if !ok || fcc.function_handler.is_null() || exception_pending() {
        if exception_pending() {
            return Err(Stop);
        }
        if via_array {
            let list = super::array::list(args);
            return call("call_user_func_array", &[f, &list]);
        }
        let mut all: Vec<&Zval> = Vec::with_capacity(args.len() + 1);
        all.push(f);
        all.extend_from_slice(args);
        return call("call_user_func", &all);
    }
    // `fcc` was just filled by the engine for this callable (a trampoline it made is
    // released by the call, as in call_user_func_array()).
    let r = known_call(fcc.function_handler, fcc.object, fcc.called_scope, args);
    drop(fz);
    r
}

fn throw_undefined(name: &str) {
    let msg = format!("Call to undefined function {name}()");
    throw_error(false, &msg);
}

/// Throw `Error` (or `TypeError` when `type_error`) with a literal message.
pub fn throw_error(type_error: bool, msg: &str) {
    if !super::quiet::php_allowed() {
        return; // A quiet run is abandoned instead; the caller stops all the same.
    }
    let Ok(c) = CString::new(msg.replace('\0', "")) else {
        return;
    };
    // SAFETY: the class entries are initialised at engine start-up; "%s" keeps the
    // message literal.
    unsafe {
        let ce = if type_error {
            ffi::zend_ce_type_error
        } else {
            ffi::zend_ce_error
        };
        ffi::zend_throw_error(ce, c"%s".as_ptr(), c.as_ptr());
    }
}

/// If the pending exception is an `Exception` (what `catch ( Exception $e )` catches;
/// not an `Error`, not `exit`), clear it and return true.
pub fn catch_exception() -> bool {
    // SAFETY: NTS executor globals; the exception object and class entries are live.
    unsafe {
        let ex = (*std::ptr::addr_of!(ffi::executor_globals)).exception;
        if ex.is_null() || super::sys::zend_is_unwind_exit(ex) {
            return false;
        }
        let ce = (*ex).ce;
        let exception = super::sys::zend_ce_exception;
        if ce.is_null()
            || exception.is_null()
            || !(ce == exception || super::sys::instanceof_function_slow(ce, exception))
        {
            return false;
        }
        super::sys::zend_clear_exception();
    }
    true
}

/// A constant's value, or `None` when it is not defined.
pub fn constant(name: &str) -> Option<&'static Zval> {
    // SAFETY: the constants table lives for the request; the zval is only read.
    let z = unsafe { super::sys::zend_get_constant_str(name.as_ptr().cast(), name.len()) };
    if z.is_null() {
        None
    } else {
        // SAFETY: non-null constant value owned by the engine.
        Some(unsafe { &*z.cast::<Zval>() })
    }
}

/// An integer ini setting's current value (`ini_get()` as an int).
pub fn ini_long(name: &str) -> i64 {
    // SAFETY: reads the ini table by name; the name is copied by the callee.
    unsafe { super::sys::zend_ini_long(name.as_ptr().cast(), name.len(), 0) }
}

/// A string ini setting's current value (`ini_get()`; `None`: no such setting).
pub fn ini_string(name: &str) -> Option<String> {
    let mut exists = false;
    // SAFETY: reads the ini table by name (copied by the callee); `exists` outlives the call.
    let p =
        unsafe { super::sys::zend_ini_string_ex(name.as_ptr().cast(), name.len(), 0, &mut exists) };
    if !exists {
        return None;
    }
    if p.is_null() {
        return Some(String::new());
    }
    // SAFETY: non-null and NUL-terminated (the entry's zend_string value), owned by the
    // engine and copied here before anything can change it.
    Some(
        unsafe { std::ffi::CStr::from_ptr(p) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// Raise an `E_WARNING` with a literal message (as the engine would).
pub fn warn(msg: &str) -> Flow<()> {
    raise(super::sys::E_WARNING, msg)
}

/// Raise an `E_DEPRECATED` with a literal message (as the engine would).
pub fn deprecated(msg: &str) -> Flow<()> {
    raise(super::sys::E_DEPRECATED, msg)
}

/// `zend_error()` with a literal message; the error handler it may run can throw.
fn raise(kind: std::os::raw::c_int, msg: &str) -> Flow<()> {
    if !super::quiet::php_allowed() {
        return Err(Stop);
    }
    if let Ok(c) = CString::new(msg.replace('\0', "")) {
        // SAFETY: "%s" keeps the message literal.
        unsafe { super::sys::zend_error(kind, c"%s".as_ptr(), c.as_ptr()) };
    }
    if exception_pending() {
        Err(Stop)
    } else {
        Ok(())
    }
}
