//! Walking PHP arrays by value slot, without decoding keys (keys may be any bytes).

use ext_php_rs::ffi::{self, HashPosition, HashTable};
use ext_php_rs::types::{ZendHashTable, Zval};

/// Pointers to every value slot, in iteration order.
pub fn slots(ht: &ZendHashTable) -> Vec<*mut Zval> {
    let ptr = std::ptr::from_ref(ht).cast_mut().cast::<HashTable>();
    let mut out = Vec::with_capacity(ht.len());
    let mut pos: HashPosition = 0;
    loop {
        // SAFETY: `ptr` is a live array; `pos` is an external position that the
        // engine validates (holes are skipped) on every call.
        let d = unsafe { ffi::zend_hash_get_current_data_ex(ptr, &mut pos) };
        if d.is_null() {
            break;
        }
        out.push(d.cast::<Zval>());
        // SAFETY: as above.
        if unsafe { ffi::zend_hash_move_forward_ex(ptr, &mut pos) } != 0 {
            break;
        }
    }
    out
}

/// A separate copy of `ht` whose slots at the given positions hold new values.
pub fn copy_with(ht: &ZendHashTable, mut changes: Vec<(usize, Zval)>) -> Zval {
    // SAFETY: zend_array_dup makes a refcount-1 copy sharing values (refcounts bumped).
    let dup = unsafe { ffi::zend_array_dup(std::ptr::from_ref(ht).cast_mut().cast::<HashTable>()) };
    // SAFETY: `dup` is a fresh, exclusively owned array.
    let dup_ref = unsafe { &*dup.cast::<ZendHashTable>() };
    let slots = slots(dup_ref);
    for (i, val) in changes.drain(..) {
        if let Some(&slot) = slots.get(i) {
            // SAFETY: `slot` belongs to `dup`, which we own exclusively.
            super::value::replace(unsafe { &mut *slot }, val);
        }
    }
    let mut z = Zval::new();
    // SAFETY: hand the owned array to the zval.
    unsafe {
        z.set_hashtable(ext_php_rs::boxed::ZBox::from_raw(
            dup.cast::<ZendHashTable>(),
        ));
    }
    z
}
