//! Reading a user function's `static` variables, as the function itself would see them
//! on its next call. Functions keep per-request caches there; reading one saves a call
//! into PHP without changing anything, since only the function itself can assign them.

use super::value::deref;
use ext_php_rs::ffi::{self, zend_function, HashTable};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// `ZEND_USER_FUNCTION`.
const ZEND_USER_FUNCTION: u8 = 2;

/// The function's runtime static-variable table, once it has run in this request
/// (`ZEND_MAP_PTR_GET( op_array.static_variables_ptr )`); `None` before that.
fn table(f: *mut zend_function) -> Option<&'static ZendHashTable> {
    // SAFETY: `f` is a live function of this request. For user functions the op_array
    // variant is the valid one. PHP 8.2's map pointers are either the value itself or,
    // when the low bit is set, an offset from `CG(map_ptr_base)` to a slot holding it
    // (zend_map_ptr.h, ZEND_MAP_PTR_KIND_PTR_OR_OFFSET); the table lives for the request.
    unsafe {
        if (*f).type_ != ZEND_USER_FUNCTION || (*f).op_array.static_variables.is_null() {
            return None;
        }
        let p = (*f).op_array.static_variables_ptr__ptr as usize;
        let ht: *mut HashTable = if p & 1 == 1 {
            let base = (*std::ptr::addr_of!(ffi::compiler_globals)).map_ptr_base as usize;
            *((base.wrapping_add(p)) as *const *mut HashTable)
        } else {
            p as *mut HashTable
        };
        (!ht.is_null()).then(|| &*ht.cast::<ZendHashTable>())
    }
}

/// `static $name` of user function `f`, dereferenced, once the function has bound it
/// (a bound static is always a reference); `None` otherwise. Before its first bind a
/// static holds its initial value, possibly an unevaluated constant expression.
fn get(f: *mut zend_function, name: &str) -> Option<&'static Zval> {
    let ht = table(f)?;
    // SAFETY: `ht` is live for the request; the key bytes are read only for the call.
    let z = unsafe {
        ffi::zend_hash_str_find(
            std::ptr::from_ref(ht).cast::<HashTable>(),
            name.as_ptr().cast(),
            name.len(),
        )
    };
    // SAFETY: a non-null slot of the live table.
    let z = unsafe { z.cast::<Zval>().as_ref()? };
    (z.get_type() == DataType::Reference).then(|| deref(z))
}

/// A `static $var` of a named user function, found once per request: once bound, the
/// variable is a reference that lives as long as the function's static table (the
/// request), so the value behind it is read in place on later calls.
pub struct StaticVar {
    func: &'static str,
    var: &'static str,
    gen: AtomicU64,
    ptr: AtomicUsize,
}

impl StaticVar {
    /// `static $var` of function `func` (a lower-case name).
    pub const fn new(func: &'static str, var: &'static str) -> Self {
        Self {
            func,
            var,
            gen: AtomicU64::new(0),
            ptr: AtomicUsize::new(0),
        }
    }

    /// The variable's current value, if the function has bound it in this request.
    pub fn get(&self) -> Option<&'static Zval> {
        let gen = super::key::generation();
        if self.gen.load(Relaxed) == gen {
            // SAFETY: the value inside the static's reference, found in this request;
            // the reference lives until the request ends.
            return Some(unsafe { &*(self.ptr.load(Relaxed) as *const Zval) });
        }
        let found = get(super::memo::function(self.func)?, self.var)?;
        self.ptr.store(std::ptr::from_ref(found) as usize, Relaxed);
        self.gen.store(gen, Relaxed);
        Some(found)
    }
}
