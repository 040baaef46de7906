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
/// conversion, and callers ask on every step).
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

/// Make `z` the int `n`: an int is overwritten in place (nothing to release), anything
/// else is released first.
#[inline]
pub fn set_lval(z: &mut Zval, n: i64) {
    if ty(z) != t::LONG {
        z.set_long(n);
        return;
    }
    // SAFETY: `z` holds an int, whose payload is `lval`.
    unsafe { (*std::ptr::from_mut(z).cast::<zval>()).value.lval = n };
}

/// `$z++` with PHP's semantics for whatever it holds (in place; may raise a warning or
/// deprecation, which runs the error handler).
pub fn increment(z: &mut Zval) {
    // SAFETY: a valid zval Rust holds exclusively; increment_function rewrites it in
    // place, releasing what it replaces.
    unsafe { sys::increment_function(std::ptr::from_mut(z).cast::<zval>()) };
}

/// `$z--`, as [`increment`].
pub fn decrement(z: &mut Zval) {
    // SAFETY: as in `increment`.
    unsafe { sys::decrement_function(std::ptr::from_mut(z).cast::<zval>()) };
}

/// The type name PHP's own error messages use for a value (`zend_zval_type_name()`).
pub fn type_name(z: &Zval) -> std::borrow::Cow<'static, str> {
    // SAFETY: a live zval, only read; the returned name is a static C string.
    let name = unsafe {
        std::ffi::CStr::from_ptr(sys::zend_zval_type_name(
            std::ptr::from_ref(deref(z)).cast::<zval>(),
        ))
    };
    name.to_string_lossy()
}

/// The object a (dereferenced) object zval holds, as the engine's own pointer (read from
/// the zval, not derived from a Rust borrow, so the engine may be handed it to write).
fn object_ptr(z: &Zval) -> Option<*mut ffi::zend_object> {
    let z = deref(z);
    if ty(z) != t::OBJECT {
        return None;
    }
    // SAFETY: an object zval's payload is its live object.
    let o = unsafe { (*std::ptr::from_ref(z).cast::<zval>()).value.obj };
    (!o.is_null()).then_some(o)
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

/// Mutable [`deref`]. A write through it skips the type check of a reference that a
/// typed property shares: keep the value's type (APIs that may change it, such as
/// [`Props::get_mut`] and `symbols::with_array`, refuse such references).
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

/// `ZEND_ACC_PUBLIC`, `ZEND_ACC_STATIC` and (PHP 8.4+; unused before) `ZEND_ACC_VIRTUAL`
/// (property flags).
const ACC_PUBLIC: u32 = 1;
const ACC_STATIC: u32 = 1 << 4;
const ACC_VIRTUAL: u32 = 1 << 9;
/// `ZEND_ACC_HAS_TYPE_HINTS` (class flag): the class declares typed properties.
const ACC_HAS_TYPE_HINTS: u32 = 1 << 8;

/// The slot of a declared, non-static property visible in the object's own class scope
/// that currently holds a value: exactly what [`read_property`] reads (no `__get`).
/// `None` when the property is not such a slot or is unset, and for PHP 8.4's hooked
/// properties (read through their hooks; a virtual one has no slot); callers then take
/// the engine's general path.
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
                || (*info).flags & (ACC_STATIC | ACC_VIRTUAL) != 0
                || ((*info).flags & ACC_PUBLIC == 0 && !std::ptr::eq((*info).ce, ce))
            {
                return None;
            }
            #[cfg(php84)]
            if !(*info).hooks.is_null() {
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
    let Some(optr) = object_ptr(obj) else {
        return Ok(None);
    };
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
    let Some(optr) = object_ptr(obj) else {
        return Ok(());
    };
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
    let Some(optr) = object_ptr(z) else {
        return false;
    };
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

/// A declared property read on every request: its slot offset for the last class seen,
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

    /// The property's slot in `obj` holding a value (see `declared_slot`), found
    /// through the offset kept for the object's class.
    fn slot(&self, obj: &Zval) -> Option<*mut Zval> {
        let (optr, offset) = self.offset(obj)?;
        // SAFETY: this class's slot offset, inside the live object.
        let slot = unsafe { optr.cast::<u8>().add(offset).cast::<Zval>() };
        // SAFETY: a slot of the live object.
        (ty(unsafe { &*slot }) != t::UNDEF).then_some(slot)
    }

    /// The object and the property's slot offset in it, for a declared property
    /// [`read_property`] reads without `__get`. The offset is kept for the class once
    /// found (found only while the slot holds a value; it may be unset since).
    fn offset(&self, obj: &Zval) -> Option<(*mut ffi::zend_object, usize)> {
        use std::sync::atomic::Ordering::Relaxed;
        let optr = object_ptr(obj)?;
        // SAFETY: a live object; reading its class entry pointer.
        let ce = unsafe { (*optr).ce } as usize;
        let gen = super::key::generation();
        if self.gen.load(Relaxed) == gen && self.ce.load(Relaxed) == ce {
            return Some((optr, self.offset.load(Relaxed)));
        }
        let slot = declared_slot(optr, self.name)?;
        let offset = slot as usize - optr as usize;
        self.offset.store(offset, Relaxed);
        self.ce.store(ce, Relaxed);
        self.gen.store(gen, Relaxed);
        Some((optr, offset))
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

    /// `$obj->name += $n` on an int property: in place when the declared slot holds an
    /// int and the sum fits, else as [`add_to_long_property`] does it.
    pub fn add_long(&self, obj: &Zval, n: i64) -> Flow<()> {
        if let Some(slot) = self.slot(obj) {
            // SAFETY: a live property slot of `obj`'s object, no Rust reference to which
            // is alive here; `deref_mut` follows a PHP reference as `+=` does.
            let v = deref_mut(unsafe { &mut *slot });
            if let Some(sum) = v.lng().and_then(|c| c.checked_add(n)) {
                set_lval(v, sum);
                return Ok(());
            }
        }
        add_to_long_property(obj, self.name, n)
    }
}

/// An object kept alive by a counted reference (as PHP's `$this` is during a method
/// call), with the slots of some of its declared properties: reads borrow the handle,
/// writes borrow it exclusively. Declared property slots sit at fixed offsets in the
/// object, which never moves while it is alive, so a slot is valid as long as the
/// handle is. A property unset since reads as `None`. Only for classes without typed
/// properties, and a slot holding a reference that a typed property shares is not
/// handed out for writing: the engine's type checks are not bypassed.
pub struct Props<const N: usize> {
    _obj: Zval,
    base: *mut ffi::zend_object,
    offsets: [usize; N],
}

impl<const N: usize> Props<N> {
    /// The object `obj` holds, if each of `props` is a declared property slot of its
    /// class that holds a value now (what [`Prop::read`] reads without `__get`).
    pub fn new(obj: &Zval, props: &[Prop; N]) -> Option<Self> {
        let base = object_ptr(obj)?;
        // SAFETY: a live object's class entry, live for the request.
        if unsafe { (*(*base).ce).ce_flags } & ACC_HAS_TYPE_HINTS != 0 {
            return None;
        }
        let mut offsets = [0; N];
        for (offset, prop) in offsets.iter_mut().zip(props) {
            let (_, o) = prop.offset(obj)?;
            // SAFETY: a slot offset of the object's class, inside the live object.
            let slot = unsafe { &*base.cast::<u8>().add(o).cast::<Zval>() };
            if ty(slot) == t::UNDEF {
                return None;
            }
            *offset = o;
        }
        Some(Self {
            // The object itself (not a PHP reference that could be pointed elsewhere).
            _obj: deref(obj).shallow_clone(),
            base,
            offsets,
        })
    }

    fn raw(&self, i: usize) -> Option<*mut Zval> {
        let offset = *self.offsets.get(i)?;
        // SAFETY: a slot offset of the object's class, inside the object `_obj` keeps
        // alive.
        Some(unsafe { self.base.cast::<u8>().add(offset).cast::<Zval>() })
    }

    /// Property `i` (in the order given to [`Props::new`]), dereferenced; `None` when
    /// unset.
    pub fn get(&self, i: usize) -> Option<&Zval> {
        // SAFETY: a live slot (see `raw`), borrowed with the handle.
        let slot = unsafe { &*self.raw(i)? };
        (ty(slot) != t::UNDEF).then(|| deref(slot))
    }

    /// Mutable [`Props::get`]; `None` too for a reference a typed property shares.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Zval> {
        // SAFETY: a live slot (see `raw`), borrowed exclusively with the handle; no Rust
        // reference to the object's memory is kept elsewhere.
        let slot = unsafe { &mut *self.raw(i)? };
        if ty(slot) == t::UNDEF || typed_reference(slot) {
            return None;
        }
        Some(deref_mut(slot))
    }
}

/// Whether `z` is (behind `IS_INDIRECT` links) a PHP reference that a typed property
/// also points at (`ZEND_REF_HAS_TYPE_SOURCES()`): writes through it must pass the
/// engine's type check, so [`deref_mut`] must not hand its value out for writing.
pub(super) fn typed_reference(z: &Zval) -> bool {
    let mut z = z;
    while ty(z) == t::INDIRECT {
        // SAFETY: an indirect zval points at a live zval (a CV or property slot).
        z = unsafe {
            &*(*std::ptr::from_ref(z).cast::<zval>())
                .value
                .zv
                .cast::<Zval>()
        };
    }
    if ty(z) != t::REFERENCE {
        return false;
    }
    // SAFETY: a reference zval's payload is its live `zend_reference`; the source list
    // is a pointer-sized union, null when no typed property shares the reference.
    unsafe {
        let r = (*std::ptr::from_ref(z).cast::<zval>()).value.ref_;
        !r.is_null() && !(*r).sources.ptr.is_null()
    }
}

/// `$obj[$key] = $val` on an object: its `write_dimension` handler (`ArrayAccess` calls
/// `offsetSet()`, other classes throw "Cannot use object of type X as array").
pub fn write_dimension(obj: &Zval, key: &str, mut val: Zval) -> Flow<()> {
    let Some(optr) = object_ptr(obj) else {
        return Err(Stop);
    };
    let mut k = string(key.as_bytes());
    // SAFETY: `optr` is a live object and its handlers table is valid; key and value
    // are zvals we own for the duration of the call (the handler copies what it keeps).
    unsafe {
        if let Some(handler) = (*(*optr).handlers).write_dimension {
            handler(
                optr,
                std::ptr::from_mut(&mut k).cast(),
                std::ptr::from_mut(&mut val).cast(),
            );
        }
    }
    if crate::zend::call::exception_pending() {
        return Err(Stop);
    }
    Ok(())
}
