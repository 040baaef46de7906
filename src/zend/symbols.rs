//! Global variables (`$GLOBALS`) as userland sees them.
//!
//! Values read here are the engine's own, borrowed until PHP code runs (PHP code may
//! reassign or unset a global, or add one, which can move the table's slots): copy
//! (`shallow_clone()`) what must outlive a call into PHP.

use super::key::Key;
use super::value::deref_mut;
use crate::zend::value::ZvalExt;
use ext_php_rs::ffi::{self, zend_array};
use ext_php_rs::types::{ZendHashTable, Zval};

/// `$_POST`.
pub static POST: Key = Key::new("_POST");
/// `$_COOKIE`.
pub static COOKIE: Key = Key::new("_COOKIE");

fn symbol_table() -> *mut zend_array {
    // SAFETY: NTS: the symbol table is part of the executor globals for the request.
    unsafe { std::ptr::addr_of_mut!((*std::ptr::addr_of_mut!(ffi::executor_globals)).symbol_table) }
}

/// The symbol table, for reading.
fn table() -> &'static ZendHashTable {
    // SAFETY: the symbol table lives for the request; no Rust code writes it while the
    // borrow is used (writes go through `with_mut`, which borrows it exclusively).
    unsafe { &*symbol_table().cast::<ZendHashTable>() }
}

/// `$GLOBALS[$name]`, dereferenced; `None` when unset.
pub fn get(name: &str) -> Option<&'static Zval> {
    // An unset CV slot behind IS_INDIRECT reads as IS_UNDEF: `find` treats it as unset.
    super::hash::find(table(), name)
}

/// `$_POST[$key]` as userland sees it now (the symbol table's, which scripts may have
/// replaced, not the SAPI's pristine copy).
pub fn post(key: &str) -> Option<&'static Zval> {
    super::hash::find(get_key(&POST)?.arr()?, key)
}

/// `$_COOKIE[$key]` as userland sees it now.
pub fn cookie(key: &[u8]) -> Option<&'static Zval> {
    let key = std::str::from_utf8(key).ok()?;
    // A numeric-looking name would be an integer key; such a name is not looked up.
    super::hash::find(get_key(&COOKIE)?.arr()?, key)
}

/// [`get`] with a pre-hashed name.
pub fn get_key(name: &Key) -> Option<&'static Zval> {
    name.find(table())
}

/// `global $name;` then `f( $name )`: `f` gets the global, dereferenced, created as
/// `null` when missing (what `global $x` does). The borrow ends with `f`, which must not
/// run PHP code. `None` when the global could not be made. Like a plain assignment to
/// `$GLOBALS[...]` in an untyped scope, what `f` writes is not type-checked (a global
/// that is a reference shared with a typed property is the caller's to rule out).
pub fn with_mut<R>(name: &Key, f: impl FnOnce(&mut Zval) -> R) -> Option<R> {
    // SAFETY: the symbol table lives for the request; this is the only Rust borrow of
    // it while `f` runs (readers copy what they keep before any write happens).
    let ht = unsafe { &mut *symbol_table().cast::<ZendHashTable>() };
    if name.slot(ht).is_none() {
        // A global that does not exist: created by its name, like `global $x` does.
        match super::hash::find_slot(ht, name.name()) {
            Some(slot) => return Some(f(deref_mut(slot))),
            None => super::hash::update(ht, name.name(), Zval::null()),
        }
    }
    let slot = name.slot_mut(ht)?;
    Some(f(deref_mut(slot)))
}
