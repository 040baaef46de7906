//! Global variables (`$GLOBALS`) as userland sees them.

use super::value::{deref, deref_mut};
use ext_php_rs::ffi::{self, zend_array};
use ext_php_rs::types::{ZendHashTable, Zval};

fn symbol_table() -> *mut zend_array {
    // SAFETY: NTS: the symbol table is part of the executor globals for the request.
    unsafe { std::ptr::addr_of_mut!((*std::ptr::addr_of_mut!(ffi::executor_globals)).symbol_table) }
}

/// `$GLOBALS[$name]`, dereferenced; `None` when unset.
pub fn get(name: &str) -> Option<&'static Zval> {
    // SAFETY: the symbol table outlives any single call into this module.
    let ht = unsafe { &*symbol_table().cast::<ZendHashTable>() };
    let z = ht.get(name)?;
    let z = deref(z);
    // An unset CV slot behind IS_INDIRECT reads as IS_UNDEF: the global is unset.
    (z.get_type() != ext_php_rs::flags::DataType::Undef).then_some(z)
}

/// Mutable `$GLOBALS[$name]`, created as `null` when missing (what `global $x` does).
pub fn get_or_create(name: &str) -> Option<&'static mut Zval> {
    // SAFETY: as in `get`; no other Rust reference to the table is alive.
    let ht = unsafe { &mut *symbol_table().cast::<ZendHashTable>() };
    if ht.get(name).is_none() {
        ht.insert(name, Zval::null()).ok()?;
    }
    let z = ht.get_mut(name)?;
    Some(deref_mut(z))
}

/// `$_POST[$key]` as WordPress sees it (after `wp_magic_quotes()`).
pub fn post(key: &str) -> Option<&'static Zval> {
    get("_POST")?.array()?.get(key).map(deref)
}

/// `$_COOKIE[$key]` as WordPress sees it.
pub fn cookie(key: &[u8]) -> Option<&'static Zval> {
    let key = std::str::from_utf8(key).ok()?;
    get("_COOKIE")?.array()?.get(key).map(deref)
}
