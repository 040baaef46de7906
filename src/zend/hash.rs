//! Direct hash lookups by literal (non-numeric) string keys: no key conversion, no
//! allocation. Every key used with these is a fixed identifier (never a numeric string,
//! which PHP would have stored as an integer key).

use super::value::deref;
use ext_php_rs::ffi::{self, zval, HashTable};
use ext_php_rs::types::{ZendHashTable, Zval};

/// `$ht[$key]`, dereferenced; `None` when missing or `IS_UNDEF`.
pub fn find<'a>(ht: &'a ZendHashTable, key: &str) -> Option<&'a Zval> {
    // SAFETY: `ht` is a live array; the key bytes are read only for the call.
    let z = unsafe {
        ffi::zend_hash_str_find(
            std::ptr::from_ref(ht).cast::<HashTable>(),
            key.as_ptr().cast(),
            key.len(),
        )
    };
    if z.is_null() {
        return None;
    }
    // SAFETY: non-null slot inside `ht`, valid while `ht` is.
    let z = deref(unsafe { &*z.cast::<Zval>() });
    (super::value::ty(z) != super::value::t::UNDEF).then_some(z)
}

/// Mutable slot `$ht[$key]` (not dereferenced); `None` when missing.
pub fn find_slot<'a>(ht: &'a mut ZendHashTable, key: &str) -> Option<&'a mut Zval> {
    // SAFETY: as in `find`.
    let z = unsafe {
        ffi::zend_hash_str_find(
            std::ptr::from_mut(ht).cast::<HashTable>(),
            key.as_ptr().cast(),
            key.len(),
        )
    };
    // SAFETY: a non-null slot of `ht`, which is borrowed exclusively for as long.
    unsafe { z.cast::<Zval>().as_mut() }
}

/// `$ht[$key] = $val` (the array must already be separated).
pub fn update(ht: &mut ZendHashTable, key: &str, val: Zval) {
    let mut val = std::mem::ManuallyDrop::new(val);
    // SAFETY: the array owns the value afterwards (hence ManuallyDrop); the key is copied.
    unsafe {
        ffi::zend_hash_str_update(
            std::ptr::from_mut(ht).cast::<HashTable>(),
            key.as_ptr().cast(),
            key.len(),
            std::ptr::from_mut(&mut *val).cast::<zval>(),
        );
    }
}

/// `$ht[$key]` for a string key the engine owns (its hash is computed once and kept in
/// the string), dereferenced; `None` when missing or `IS_UNDEF`. Numeric strings are
/// looked up as strings (callers use names that never are).
pub fn find_zstr<'a>(ht: &'a ZendHashTable, key: &ext_php_rs::types::ZendStr) -> Option<&'a Zval> {
    // SAFETY: `ht` is a live array and `key` a live string; zend_hash_find only
    // computes and stores the string's hash.
    let z = unsafe {
        ffi::zend_hash_find(
            std::ptr::from_ref(ht).cast::<HashTable>(),
            std::ptr::from_ref(key)
                .cast_mut()
                .cast::<ffi::zend_string>(),
        )
    };
    // SAFETY: non-null slot inside `ht`.
    let z = deref(unsafe { z.cast::<Zval>().as_ref()? });
    (super::value::ty(z) != super::value::t::UNDEF).then_some(z)
}
