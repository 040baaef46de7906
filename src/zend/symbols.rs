//! Global variables (`$GLOBALS`) as userland sees them.
//!
//! Values read here are the engine's own, borrowed until PHP code runs or a global is
//! added (PHP code may reassign or unset a global; adding one, here or in PHP, can move
//! the table's slots): copy (`shallow_clone()`) what must outlive either.

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
///
/// # Safety
/// The borrow must not be used after PHP code ran or this module wrote the table.
unsafe fn table() -> &'static ZendHashTable {
    // SAFETY: the symbol table lives for the request (the caller bounds the borrow).
    unsafe { &*symbol_table().cast::<ZendHashTable>() }
}

/// `$GLOBALS[$name]`, dereferenced; `None` when unset.
pub fn get(name: &str) -> Option<&'static Zval> {
    // SAFETY: a read, handed out under the module's contract (copy before PHP runs).
    let ht = unsafe { table() };
    // An unset CV slot behind IS_INDIRECT reads as IS_UNDEF: `find` treats it as unset.
    super::hash::find(ht, name)
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
    // SAFETY: as in `get`.
    name.find(unsafe { table() })
}

/// `global $name;`: the global's slot (not dereferenced), created as `null` when
/// missing. `None` when it could not be made.
///
/// # Safety
/// The slot must be used before any PHP code runs, with no other borrow of the symbol
/// table or its values alive meanwhile.
unsafe fn global_slot(name: &Key) -> Option<&'static mut Zval> {
    // SAFETY: the symbol table lives for the request; the caller keeps the borrow alone
    // and short.
    let ht = unsafe { &mut *symbol_table().cast::<ZendHashTable>() };
    if name.slot(ht).is_none() {
        // A global that does not exist: created by its name, like `global $x` does.
        if super::hash::find_slot(ht, name.name()).is_none() {
            super::hash::update(ht, name.name(), Zval::null());
        }
        return super::hash::find_slot(ht, name.name());
    }
    name.slot_mut(ht)
}

/// `global $name;` (creates the global as `null` when missing).
pub fn declare(name: &Key) {
    // SAFETY: the slot is not used.
    let _ = unsafe { global_slot(name) };
}

/// Which values [`with_array`] first turns into an empty array, as `$x[] = $v` and
/// `$x[$k] = $v` do (a missing global is `null` by then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vivify {
    /// None: only an array is worked on.
    Never,
    /// `null`.
    Null,
    /// `null` and an unset variable.
    NullOrUnset,
}

/// `global $name;`, then, if it is one of `vivify`'s values, `$name = array();`, then
/// `f` on the array (separated, so the global holds it alone) if it is one: `Some` of
/// what `f` returns. `None`, with nothing more changed, when the global is not an
/// array then, or when it would have to become one through a PHP reference that a
/// typed property shares (the property's type decides that: only PHP may write it).
/// `f` must not run PHP code.
pub fn with_array<R>(
    name: &Key,
    vivify: Vivify,
    f: impl FnOnce(&mut ZendHashTable) -> R,
) -> Option<R> {
    // SAFETY: used here and by `f` only, which runs no PHP code; readers copied what
    // they keep.
    let slot = unsafe { global_slot(name)? };
    let typed = super::value::typed_reference(slot);
    let z = deref_mut(slot);
    let empty = match super::value::ty(z) {
        super::value::t::NULL => vivify != Vivify::Never,
        super::value::t::UNDEF => vivify == Vivify::NullOrUnset,
        _ => false,
    };
    if empty {
        if typed {
            return None;
        }
        super::value::replace(z, Zval::new_array());
    }
    if super::value::ty(z) != super::value::t::ARRAY {
        return None;
    }
    super::value::array_separated(z).map(f)
}

/// Whether `$GLOBALS[$name]` is a PHP reference that a typed property shares.
pub fn typed_reference(name: &Key) -> bool {
    // SAFETY: a read that ends here.
    name.slot(unsafe { table() })
        .is_some_and(super::value::typed_reference)
}
