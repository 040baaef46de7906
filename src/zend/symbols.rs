//! Global variables (`$GLOBALS`) as userland sees them.

use super::value::deref_mut;
use crate::zend::value::ZvalExt;
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
    // An unset CV slot behind IS_INDIRECT reads as IS_UNDEF: `find` treats it as unset.
    super::hash::find(ht, name)
}

/// Mutable `$GLOBALS[$name]`, created as `null` when missing (what `global $x` does).
pub fn get_or_create(name: &str) -> Option<&'static mut Zval> {
    // SAFETY: as in `get`; no other Rust reference to the table is alive.
    let ht = unsafe { &mut *symbol_table().cast::<ZendHashTable>() };
    let slot = match super::hash::find_slot(ht, name) {
        Some(slot) => slot,
        None => {
            super::hash::update(ht, name, Zval::null());
            super::hash::find_slot(ht, name)?
        }
    };
    // SAFETY: a live slot of the symbol table.
    Some(deref_mut(unsafe { &mut *slot }))
}

/// `$_POST[$key]` as WordPress sees it (after `wp_magic_quotes()`).
pub fn post(key: &str) -> Option<&'static Zval> {
    super::hash::find(get_key(&crate::wp::names::POST)?.arr()?, key)
}

/// `$_COOKIE[$key]` as WordPress sees it.
pub fn cookie(key: &[u8]) -> Option<&'static Zval> {
    let key = std::str::from_utf8(key).ok()?;
    // Cookie names that look numeric would be integer keys; WordPress's never are.
    super::hash::find(get_key(&crate::wp::names::COOKIE)?.arr()?, key)
}

/// [`get`] with a pre-hashed name.
pub fn get_key(name: &super::key::Key) -> Option<&'static Zval> {
    // SAFETY: as in `get`.
    let ht = unsafe { &*symbol_table().cast::<ZendHashTable>() };
    name.find(ht)
}

/// [`get_or_create`] with a pre-hashed name.
pub fn get_or_create_key(name: &super::key::Key) -> Option<&'static mut Zval> {
    // SAFETY: as in `get`.
    let ht = unsafe { &*symbol_table().cast::<ZendHashTable>() };
    match name.slot(ht) {
        // SAFETY: a live slot of the symbol table; no other Rust reference to it.
        Some(slot) => Some(deref_mut(unsafe { &mut *slot })),
        None => get_or_create(name.name()),
    }
}
