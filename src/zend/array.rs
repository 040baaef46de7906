//! Walking PHP arrays by value slot, without decoding keys (keys may be any bytes).

use ext_php_rs::ffi::{self, HashPosition, HashTable};
use ext_php_rs::types::{ZendHashTable, Zval};
use std::marker::PhantomData;

/// Value slots in iteration order, without allocating, each borrowed from the array.
/// The array must not change while the iterator is in use: Rust cannot change it while
/// it is borrowed, and a caller that runs PHP code meanwhile holds a counted reference to
/// it, so that PHP's writes separate a copy instead.
pub struct Slots<'a> {
    base: *const u8,
    stride: usize,
    next: usize,
    used: usize,
    _array: PhantomData<&'a ZendHashTable>,
}

/// [`Slots`] over `ht`.
pub fn iter(ht: &ZendHashTable) -> Slots<'_> {
    let p = std::ptr::from_ref(ht).cast::<HashTable>();
    // SAFETY: reading the layout fields of a live array. Packed arrays store zvals,
    // others Buckets whose first field is the zval (zend_types.h).
    unsafe {
        let packed = (*p).u.flags & HASH_FLAG_PACKED != 0;
        Slots {
            base: (*p).__bindgen_anon_1.arPacked.cast::<u8>(),
            stride: if packed {
                std::mem::size_of::<ffi::zval>()
            } else {
                std::mem::size_of::<ffi::Bucket>()
            },
            next: 0,
            used: (*p).nNumUsed as usize,
            _array: PhantomData,
        }
    }
}

impl<'a> Iterator for Slots<'a> {
    type Item = &'a Zval;
    #[inline]
    fn next(&mut self) -> Option<&'a Zval> {
        while self.next < self.used {
            // SAFETY: `next < nNumUsed`: inside the array's data, which does not change
            // while the array is borrowed (see the type's contract).
            let z = unsafe { &*self.base.add(self.next * self.stride).cast::<Zval>() };
            self.next += 1;
            // IS_UNDEF marks a deleted slot.
            if super::value::ty(z) != super::value::t::UNDEF {
                return Some(z);
            }
        }
        None
    }
}

/// A separate copy of `ht` whose slots at the given positions (in iteration order, as
/// [`iter`] counts them) hold new values.
pub fn copy_with(ht: &ZendHashTable, mut changes: Vec<(usize, Zval)>) -> Zval {
    // SAFETY: zend_array_dup makes a refcount-1 copy sharing values (refcounts bumped);
    // it only reads `ht`.
    let dup = unsafe { ffi::zend_array_dup(std::ptr::from_ref(ht).cast_mut().cast::<HashTable>()) };
    // SAFETY: `dup` is a fresh array we own: the box frees it unless a zval takes it.
    let mut dup = unsafe { ext_php_rs::boxed::ZBox::from_raw(dup.cast::<ZendHashTable>()) };
    changes.sort_by_key(|(i, _)| *i);
    let mut changes = changes.into_iter().peekable();
    for (i, slot) in iter_mut(&mut dup).enumerate() {
        while let Some((_, val)) = changes.next_if(|(at, _)| *at == i) {
            super::value::replace(slot, val);
        }
    }
    let mut z = Zval::new();
    z.set_hashtable(dup);
    z
}

/// [`iter`], mutable: value slots of an array Rust holds exclusively.
fn iter_mut(ht: &mut ZendHashTable) -> impl Iterator<Item = &mut Zval> {
    let Slots {
        base, stride, used, ..
    } = iter(ht);
    let base = base.cast_mut();
    (0..used).filter_map(move |i| {
        // SAFETY: `i < nNumUsed`: inside the data of the array borrowed mutably for the
        // iterator's life; each slot is yielded once, so the borrows do not overlap.
        let z = unsafe { &mut *base.add(i * stride).cast::<Zval>() };
        (super::value::ty(z) != super::value::t::UNDEF).then_some(z)
    })
}

/// A packed list holding the given values (`array( $a, $b, ... )`).
pub fn list(values: &[&Zval]) -> Zval {
    let mut z = Zval::new_array();
    if let Some(ht) = z.array_mut() {
        for v in values {
            // push() copies the value (refcount bump) into the next index.
            let _ = ht.push(v.shallow_clone());
        }
    }
    z
}

/// `array_keys( $ht )`.
pub fn keys(ht: &ZendHashTable) -> Zval {
    let ptr = std::ptr::from_ref(ht).cast_mut().cast::<HashTable>();
    let mut out = Zval::new_array();
    let Some(dst) = out.array_mut() else {
        return out;
    };
    let mut pos: HashPosition = 0;
    loop {
        let mut key = Zval::new();
        // SAFETY: `ptr` is a live array and `pos` an external position the engine
        // validates; the key is copied (refcounted) into `key`.
        unsafe {
            if ffi::zend_hash_get_current_data_ex(ptr, &mut pos).is_null() {
                break;
            }
            ffi::zend_hash_get_current_key_zval_ex(ptr, std::ptr::from_mut(&mut key).cast(), &pos);
        }
        let _ = dst.push(key);
        // SAFETY: as above.
        if unsafe { ffi::zend_hash_move_forward_ex(ptr, &mut pos) } != 0 {
            break;
        }
    }
    out
}

/// `current( $ht )`: the value at the internal pointer (a copy), or `None` for PHP's
/// `false` past the end.
pub fn current(ht: &ZendHashTable) -> Option<Zval> {
    let ptr = std::ptr::from_ref(ht).cast_mut().cast::<HashTable>();
    // SAFETY: a live array; its own internal pointer is read (validated by the engine).
    let d = unsafe { ffi::zend_hash_get_current_data_ex(ptr, &mut (*ptr).nInternalPointer) };
    // SAFETY: non-null slots are live values of `ht`.
    unsafe { d.cast::<Zval>().as_ref() }.map(|v| super::value::deref(v).shallow_clone())
}

/// `next( $ht )` on a separated array: advance the internal pointer, then `current()`.
pub fn next(ht: &mut ZendHashTable) -> Option<Zval> {
    let ptr = std::ptr::from_mut(ht).cast::<HashTable>();
    // SAFETY: a live, separated array; the engine moves its own internal pointer.
    unsafe { ffi::zend_hash_move_forward_ex(ptr, &mut (*ptr).nInternalPointer) };
    current(ht)
}

/// `$ht[] = $v` on an array Rust holds exclusively (separated); false, changing
/// nothing, when the next integer key would be past `PHP_INT_MAX`.
pub fn push(ht: &mut ZendHashTable, v: Zval) -> bool {
    can_push(ht) && ht.push(v).is_ok()
}

/// `array_pop( $ht )` with its return value dropped, on an array Rust holds exclusively
/// (separated): removes the last element, steps `nNextFreeElement` back when that
/// element was the last integer key, and resets the internal pointer.
pub fn pop(ht: &mut ZendHashTable) {
    let ptr = std::ptr::from_mut(ht).cast::<HashTable>();
    // SAFETY: a live, separated array. Packed arrays hold zvals, others Buckets; the
    // last used slot that is not UNDEF is the last element (as ext/standard's
    // array_pop finds it), and it is deleted through the engine's own functions.
    unsafe {
        if (*ptr).nNumOfElements == 0 {
            return;
        }
        let packed = (*ptr).u.flags & HASH_FLAG_PACKED != 0;
        let mut idx = (*ptr).nNumUsed;
        while idx > 0 {
            idx -= 1;
            let (val, h, key) = if packed {
                let v = (*ptr).__bindgen_anon_1.arPacked.add(idx as usize);
                (v, u64::from(idx), std::ptr::null_mut())
            } else {
                let b = (*ptr).__bindgen_anon_1.arData.add(idx as usize);
                (std::ptr::addr_of_mut!((*b).val), (*b).h, (*b).key)
            };
            if (*val).u1.v.type_ == 0 {
                continue; // IS_UNDEF: a hole.
            }
            if key.is_null() {
                #[allow(clippy::cast_possible_wrap)]
                if h as i64 == (*ptr).nNextFreeElement - 1 {
                    (*ptr).nNextFreeElement -= 1;
                }
                ffi::zend_hash_index_del(ptr, h);
            } else {
                ffi::zend_hash_del(ptr, key);
            }
            break;
        }
        super::sys::zend_hash_internal_pointer_reset_ex(ptr, &mut (*ptr).nInternalPointer);
    }
}

/// `HASH_FLAG_PACKED`.
const HASH_FLAG_PACKED: u32 = 1 << 2;

/// An array key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Int(i64),
    Str(&'a [u8]),
}

/// `(key, value slot)` pairs in iteration order, without allocating, borrowed from the
/// array (same contract as [`Slots`]).
pub fn entries(ht: &ZendHashTable) -> impl Iterator<Item = (Key<'_>, &'_ Zval)> {
    let p = std::ptr::from_ref(ht).cast::<HashTable>();
    // SAFETY: reading the layout of a live array (see `iter`).
    let (packed, used, base) = unsafe {
        (
            (*p).u.flags & HASH_FLAG_PACKED != 0,
            (*p).nNumUsed as usize,
            (*p).__bindgen_anon_1.arPacked.cast::<u8>().cast_const(),
        )
    };
    (0..used).filter_map(move |i| {
        // SAFETY: `i < nNumUsed`, inside the data of the array borrowed for the
        // iterator's life; packed arrays hold zvals and others Buckets (zval first,
        // then hash and key, the key a live string of the array).
        unsafe {
            if packed {
                let z = &*base
                    .add(i * std::mem::size_of::<ffi::zval>())
                    .cast::<Zval>();
                (super::value::ty(z) != super::value::t::UNDEF).then_some((Key::Int(i as i64), z))
            } else {
                let b = &*base
                    .add(i * std::mem::size_of::<ffi::Bucket>())
                    .cast::<ffi::Bucket>();
                if b.val.u1.v.type_ == super::value::t::UNDEF {
                    return None;
                }
                let key = if b.key.is_null() {
                    #[allow(clippy::cast_possible_wrap)]
                    Key::Int(b.h as i64)
                } else {
                    Key::Str((*b.key.cast::<ext_php_rs::types::ZendStr>()).as_bytes())
                };
                Some((key, &*std::ptr::from_ref(&b.val).cast::<Zval>()))
            }
        }
    })
}

/// Whether `$ht[] = $v` has room: the next free integer key is not past `PHP_INT_MAX`.
pub fn can_push(ht: &ZendHashTable) -> bool {
    let p = std::ptr::from_ref(ht).cast::<HashTable>();
    // SAFETY: reading a field of a live array.
    unsafe { (*p).nNextFreeElement < i64::MAX }
}

/// Whether the array's internal pointer is at its first element (where `reset()` puts
/// it; for an empty array, where it is after `reset()` too).
pub fn pointer_at_start(ht: &ZendHashTable) -> bool {
    let p = std::ptr::from_ref(ht).cast_mut().cast::<HashTable>();
    let mut first: HashPosition = 0;
    // SAFETY: a live array; the engine computes an external position (written to
    // `first` only) and the internal pointer is read, nothing in the array changes.
    unsafe {
        super::sys::zend_hash_internal_pointer_reset_ex(p, &mut first);
        (*p).nInternalPointer == first
    }
}

/// `unset( $ht[$index] )` (a missing key is no error).
pub fn delete_index(ht: &mut ZendHashTable, index: i64) {
    let p = std::ptr::from_mut(ht).cast::<HashTable>();
    // SAFETY: a live array Rust holds exclusively; the engine releases the value.
    // Integer keys are zend_ulong in the engine (the same bits).
    #[allow(clippy::cast_sign_loss)]
    unsafe {
        ffi::zend_hash_index_del(p, index as u64);
    }
}

/// Where a slot sits in an array's data (an index into it, not a key): what
/// [`at_mut`] finds again, as long as no element was added or removed in between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos(usize);

/// The position of a slot of `ht` (`None` if `slot` is not one of its value slots).
pub fn position(ht: &ZendHashTable, slot: &Zval) -> Option<Pos> {
    let Slots {
        base, stride, used, ..
    } = iter(ht);
    let off = (std::ptr::from_ref(slot) as usize).checked_sub(base as usize)?;
    (off % stride == 0 && off / stride < used).then_some(Pos(off / stride))
}

/// The value slot at `pos` (not dereferenced), if it is inside the array and holds a
/// value. A stale position finds whatever slot is there now, never memory outside it.
pub fn at_mut(ht: &mut ZendHashTable, pos: Pos) -> Option<&mut Zval> {
    let Slots {
        base, stride, used, ..
    } = iter(ht);
    if pos.0 >= used {
        return None;
    }
    // SAFETY: `pos < nNumUsed`: a slot inside the data of the array borrowed mutably.
    let z = unsafe { &mut *base.cast_mut().add(pos.0 * stride).cast::<Zval>() };
    (super::value::ty(z) != super::value::t::UNDEF).then_some(z)
}
