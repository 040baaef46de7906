//! Reading and converting zvals with PHP's own semantics.

use super::sys;
use super::{Flow, Stop};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::ffi::{self, zval};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendStr, Zval};

/// Zend type codes (`zend_types.h`), as read by [`ty`].
pub mod t {
    pub const UNDEF: u8 = 0;
    pub const NULL: u8 = 1;
    pub const FALSE: u8 = 2;
    pub const TRUE: u8 = 3;
    pub const LONG: u8 = 4;
    pub const DOUBLE: u8 = 5;
    pub const STRING: u8 = 6;
    pub const ARRAY: u8 = 7;
    pub const OBJECT: u8 = 8;
    pub const REFERENCE: u8 = 10;
    pub const INDIRECT: u8 = 12;
}

/// A zval's type code: one byte read (ext-php-rs's `get_type()` is an out-of-line
/// conversion, and the handlers ask on every step).
#[inline]
pub fn ty(z: &Zval) -> u8 {
    // SAFETY: every zval has a valid type byte.
    unsafe { (*std::ptr::from_ref(z).cast::<zval>()).u1.v.type_ }
}

/// Fast accessors: a type-byte check and a field read each, inlined.
pub trait ZvalExt {
    /// `Zval::array()`.
    fn arr(&self) -> Option<&ext_php_rs::types::ZendHashTable>;
    /// `Zval::long()` (ints only).
    fn lng(&self) -> Option<i64>;
    /// `Zval::is_null()`.
    fn nul(&self) -> bool;
}

impl ZvalExt for Zval {
    #[inline]
    fn arr(&self) -> Option<&ext_php_rs::types::ZendHashTable> {
        // SAFETY: an array zval's value is a live array.
        (ty(self) == t::ARRAY).then(|| unsafe {
            &*(*std::ptr::from_ref(self).cast::<zval>())
                .value
                .arr
                .cast::<ext_php_rs::types::ZendHashTable>()
        })
    }
    #[inline]
    fn lng(&self) -> Option<i64> {
        // SAFETY: an int zval's value is its `lval`.
        (ty(self) == t::LONG)
            .then(|| unsafe { (*std::ptr::from_ref(self).cast::<zval>()).value.lval })
    }
    #[inline]
    fn nul(&self) -> bool {
        ty(self) == t::NULL
    }
}

/// Overwrite an int zval's value in place (it stays an int; nothing to release).
#[inline]
pub fn set_lval(z: &mut Zval, n: i64) {
    debug_assert_eq!(ty(z), t::LONG);
    // SAFETY: `z` holds an int, whose payload is `lval`.
    unsafe { (*std::ptr::from_mut(z).cast::<zval>()).value.lval = n };
}

/// Follow `IS_INDIRECT` and `IS_REFERENCE` links to the value itself.
#[inline]
pub fn deref(z: &Zval) -> &Zval {
    let mut cur = std::ptr::from_ref(z).cast::<zval>();
    // SAFETY: each step follows an engine-owned link of a live value: an indirect zval
    // points at a zval, a reference's payload holds one.
    unsafe {
        loop {
            match (*cur).u1.v.type_ {
                t::REFERENCE => cur = std::ptr::addr_of!((*(*cur).value.ref_).val),
                t::INDIRECT => cur = (*cur).value.zv,
                _ => return &*cur.cast::<Zval>(),
            }
        }
    }
}

/// Mutable [`deref`].
#[inline]
pub fn deref_mut(z: &mut Zval) -> &mut Zval {
    let mut cur = std::ptr::from_mut(z).cast::<zval>();
    // SAFETY: as in `deref`; the borrow is tied to `z`.
    unsafe {
        loop {
            match (*cur).u1.v.type_ {
                t::REFERENCE => cur = std::ptr::addr_of_mut!((*(*cur).value.ref_).val),
                t::INDIRECT => cur = (*cur).value.zv,
                _ => return &mut *cur.cast::<Zval>(),
            }
        }
    }
}

/// Store `new` in an engine-owned slot (array bucket, symbol table, property), releasing
/// the old value. Copies only the value and its type, like `ZVAL_COPY_VALUE()`: in a hash
/// bucket the zval's `u2` holds the collision chain, which must stay as it is.
pub fn replace(slot: &mut Zval, new: Zval) {
    let new = std::mem::ManuallyDrop::new(new);
    let slot_ptr = std::ptr::from_mut(slot).cast::<zval>();
    // SAFETY: `slot` is a valid zval; the old value is released once, then the new value
    // and type are moved in (ownership passes to the slot, hence ManuallyDrop).
    unsafe {
        ffi::zval_ptr_dtor(slot_ptr);
        (*slot_ptr).value = new.value;
        (*slot_ptr).u1 = new.u1;
    }
}

/// `IS_ARRAY_EX`: an array zval whose value is refcounted and collectable.
const IS_ARRAY_EX: u32 = 7 | ((1 | 2) << 8);

/// `SEPARATE_ARRAY()`: a mutable array this zval owns alone (copying a shared or
/// immutable one first). Unlike ext-php-rs's `Zval::array_mut()`, the copy is marked
/// refcounted as `ZVAL_ARR()` does, so it is released with the zval (an immutable array
/// literal from opcache would otherwise leak its copy).
pub fn array_separated(z: &mut Zval) -> Option<&mut ext_php_rs::types::ZendHashTable> {
    let z = deref_mut(z);
    if z.get_type() != DataType::Array {
        return None;
    }
    let zp = std::ptr::from_mut(z).cast::<zval>();
    // SAFETY: `z` holds an array; we follow the engine's own SEPARATE_ARRAY steps.
    unsafe {
        let arr = (*zp).value.arr;
        let immutable = (*arr).gc.u.type_info & (1 << 6) != 0; // GC_IMMUTABLE
        if immutable || (*arr).gc.refcount > 1 {
            let dup = ffi::zend_array_dup(arr);
            if !immutable {
                (*arr).gc.refcount -= 1;
            }
            (*zp).value.arr = dup;
            (*zp).u1.type_info = IS_ARRAY_EX;
        }
        (*zp)
            .value
            .arr
            .cast::<ext_php_rs::types::ZendHashTable>()
            .as_mut()
    }
}

/// PHP `empty()` on a possibly missing value.
pub fn is_empty(z: Option<&Zval>) -> bool {
    match z {
        None => true,
        Some(z) => !truthy(z),
    }
}

/// PHP truthiness (`(bool)`), without side effects.
pub fn truthy(z: &Zval) -> bool {
    let z = deref(z);
    z.coerce_to_bool()
}

/// `is_scalar()`.
pub fn is_scalar(z: &Zval) -> bool {
    matches!(
        deref(z).get_type(),
        DataType::Long
            | DataType::Double
            | DataType::String
            | DataType::True
            | DataType::False
            | DataType::Bool
    )
}

/// `(string) $z`, exactly as PHP converts (warnings for arrays, `__toString`,
/// exceptions). Strings are returned without copying.
pub fn to_php_string(z: &Zval) -> Flow<Vec<u8>> {
    let z = deref(z);
    if let Some(s) = z.zend_str() {
        return Ok(s.as_bytes().to_vec());
    }
    if z.object().is_some() && !super::quiet::php_allowed() {
        return Err(Stop); // __toString may run
    }
    let mut tmp = z.shallow_clone();
    // SAFETY: `tmp` is a valid zval we own; the returned string is owned by us.
    let raw = unsafe { sys::zval_get_string_func(std::ptr::from_mut(&mut tmp).cast::<zval>()) };
    drop(tmp);
    if raw.is_null() {
        return Err(Stop);
    }
    // SAFETY: zval_get_string_func returns an owned (or interned) zend_string.
    let owned: ZBox<ZendStr> = unsafe { ZBox::from_raw(raw.cast::<ZendStr>()) };
    let bytes = owned.as_bytes().to_vec();
    drop(owned);
    if crate::zend::call::exception_pending() {
        return Err(Stop);
    }
    Ok(bytes)
}

/// A new PHP string zval from bytes.
pub fn string(bytes: &[u8]) -> Zval {
    let mut z = Zval::new();
    z.set_zend_string(ZendStr::new(bytes, false));
    z
}

/// A new PHP int zval.
pub fn long(v: i64) -> Zval {
    let mut z = Zval::new();
    z.set_long(v);
    z
}

/// A new PHP bool zval.
pub fn boolean(v: bool) -> Zval {
    let mut z = Zval::new();
    z.set_bool(v);
    z
}

/// A new PHP float zval.
pub fn double(v: f64) -> Zval {
    let mut z = Zval::new();
    z.set_double(v);
    z
}

/// A new empty PHP array zval.
pub fn empty_array() -> Zval {
    Zval::new_array()
}

/// `(array) $z` as PHP casts it (`convert_to_array`), on a copy.
pub fn cast_array(z: &Zval) -> Zval {
    let mut tmp = deref(z).shallow_clone();
    // SAFETY: `tmp` is a valid zval we own; convert_to_array rewrites it in place.
    unsafe { sys::convert_to_array(std::ptr::from_mut(&mut tmp).cast::<zval>()) };
    tmp
}

/// `ZEND_ACC_PUBLIC` and `ZEND_ACC_STATIC` (property flags).
const ACC_PUBLIC: u32 = 1;
const ACC_STATIC: u32 = 1 << 4;

/// The slot of a declared, non-static property visible in the object's own class scope
/// that currently holds a value: exactly what [`read_property`] reads (no `__get`). `None` when the property is
/// not such a slot or is unset; callers then take the engine's general path.
fn declared_slot(o: *mut ffi::zend_object, name: &'static str) -> Option<*mut Zval> {
    // SAFETY: `o` is a live object; its class entry and property table live for the
    // request, and `offset` is the engine's own slot offset for this class.
    unsafe {
        let ce = (*o).ce;
        let offset = super::memo::property_offset(ce, name, || {
            let z = ffi::zend_hash_str_find(
                std::ptr::addr_of!((*ce).properties_info),
                name.as_ptr().cast(),
                name.len(),
            );
            if z.is_null() {
                return None;
            }
            let info = (*z).value.ptr.cast::<ffi::zend_property_info>();
            // zend_read_property() reads in the object's own class scope: its public
            // properties and those it declares itself.
            if info.is_null()
                || (*info).flags & ACC_STATIC != 0
                || ((*info).flags & ACC_PUBLIC == 0 && !std::ptr::eq((*info).ce, ce))
            {
                return None;
            }
            Some((*info).offset)
        })?;
        let slot = o.cast::<u8>().add(offset as usize).cast::<Zval>();
        (ty(&*slot) != t::UNDEF).then_some(slot)
    }
}

/// Read an object property the way `$obj->name` does (declared properties and `__get`).
pub fn read_property(obj: &Zval, name: &'static str) -> Flow<Option<Zval>> {
    let Some(o) = deref(obj).object() else {
        return Ok(None);
    };
    let optr = std::ptr::from_ref(o).cast_mut().cast::<ffi::zend_object>();
    if let Some(slot) = declared_slot(optr, name) {
        // SAFETY: a live property slot of `o`.
        return Ok(Some(unsafe { deref(&*slot).shallow_clone() }));
    }
    if !super::quiet::php_allowed() {
        return Err(Stop); // __get may run
    }
    let mut rv = Zval::new();
    // SAFETY: `optr` is a live object; `rv` is scratch space for computed properties.
    let got = unsafe {
        ffi::zend_read_property(
            (*optr).ce,
            optr,
            name.as_ptr().cast(),
            name.len(),
            false,
            std::ptr::from_mut(&mut rv).cast(),
        )
    };
    if crate::zend::call::exception_pending() {
        return Err(Stop);
    }
    if got.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null property slot or `rv`, valid until we copy it.
    let val = unsafe { deref(&*got.cast::<Zval>()).shallow_clone() };
    Ok(Some(val))
}

/// `$obj->$name += $n` on a public int property.
pub fn add_to_long_property(obj: &Zval, name: &'static str, n: i64) -> Flow<()> {
    let Some(o) = deref(obj).object() else {
        return Ok(());
    };
    let optr = std::ptr::from_ref(o).cast_mut().cast::<ffi::zend_object>();
    if let Some(slot) = declared_slot(optr, name) {
        // SAFETY: a live property slot of `o`; an int is updated in place as `+=` does
        // (the slot is not a reference, so no typed-reference rules apply).
        let slot = unsafe { &mut *slot };
        if slot.get_type() == DataType::Long {
            if let Some(next) = slot.lng().and_then(|v| v.checked_add(n)) {
                slot.set_long(next);
                return Ok(());
            }
        }
    }
    if !super::quiet::php_allowed() {
        return Err(Stop); // __set may run
    }
    let current = read_property(obj, name)?.and_then(|v| v.lng()).unwrap_or(0);
    let mut v = long(current.saturating_add(n));
    // SAFETY: `optr` is live; zend_update_property copies the value.
    unsafe {
        sys::zend_update_property(
            (*optr).ce,
            optr,
            name.as_ptr().cast(),
            name.len(),
            std::ptr::from_mut(&mut v).cast(),
        );
    }
    if crate::zend::call::exception_pending() {
        return Err(Stop);
    }
    Ok(())
}

/// Whether `z` is an object of exactly class `name` (not a subclass), compared without
/// allocating.
pub fn is_exactly(z: &Zval, name: &str) -> bool {
    let Some(o) = deref(z).object() else {
        return false;
    };
    let optr = std::ptr::from_ref(o).cast::<ffi::zend_object>();
    // SAFETY: a live object; its class entry and name live for the request.
    unsafe {
        let n = (*(*optr).ce).name;
        !n.is_null() && (*n.cast::<ZendStr>()).as_bytes() == name.as_bytes()
    }
}

/// PHP `(int)` of a value, for the common cases; `None` asks the caller to use PHP.
pub fn as_int(z: &Zval) -> Option<i64> {
    let z = deref(z);
    match z.get_type() {
        DataType::Long => z.lng(),
        DataType::Null | DataType::False => Some(0),
        DataType::True => Some(1),
        _ => None,
    }
}

/// A declared property read on every beat: its slot offset for the last class seen,
/// kept for the request (class entries and their layouts are fixed within one).
pub struct Prop {
    name: &'static str,
    gen: std::sync::atomic::AtomicU64,
    ce: std::sync::atomic::AtomicUsize,
    offset: std::sync::atomic::AtomicUsize,
}

impl Prop {
    /// Property `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            gen: std::sync::atomic::AtomicU64::new(0),
            ce: std::sync::atomic::AtomicUsize::new(0),
            offset: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The property's slot in `obj` holding a value (see `declared_slot`).
    pub fn slot(&self, obj: &Zval) -> Option<*mut Zval> {
        use std::sync::atomic::Ordering::Relaxed;
        let o = deref(obj).object()?;
        let optr = std::ptr::from_ref(o).cast_mut().cast::<ffi::zend_object>();
        // SAFETY: a live object; reading its class entry pointer.
        let ce = unsafe { (*optr).ce } as usize;
        let gen = super::key::generation();
        let slot = if self.gen.load(Relaxed) == gen && self.ce.load(Relaxed) == ce {
            // SAFETY: this class's slot offset, inside the live object.
            unsafe {
                optr.cast::<u8>()
                    .add(self.offset.load(Relaxed))
                    .cast::<Zval>()
            }
        } else {
            let slot = declared_slot(optr, self.name)?;
            self.offset.store(slot as usize - optr as usize, Relaxed);
            self.ce.store(ce, Relaxed);
            self.gen.store(gen, Relaxed);
            slot
        };
        // SAFETY: a slot of the live object.
        (ty(unsafe { &*slot }) != t::UNDEF).then_some(slot)
    }

    /// `$obj->name` for a declared property that holds a value (no `__get`), else the
    /// engine's general read.
    pub fn read(&self, obj: &Zval) -> Flow<Option<Zval>> {
        match self.slot(obj) {
            // SAFETY: a live property slot.
            Some(slot) => Ok(Some(unsafe { deref(&*slot).shallow_clone() })),
            None => read_property(obj, self.name),
        }
    }
}
