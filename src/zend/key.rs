//! Hash keys built once per process: a persistent `zend_string` with its hash already
//! computed, so a lookup skips hashing the name (names of globals, array keys read on
//! every request).

use ext_php_rs::ffi::{self, zend_string, HashTable};
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::OnceLock;

/// A literal string key, hashed on first use.
pub struct Key {
    name: &'static str,
    zstr: OnceLock<usize>,
    /// The engine's own interned string for the name, as found as a key in a table
    /// during request `alias_gen`: looking it up again then matches by pointer instead
    /// of comparing bytes.
    alias: AtomicUsize,
    alias_gen: AtomicU64,
}

/// The current request's number (interned strings of a request die with it).
static GEN: AtomicU64 = AtomicU64::new(1);

/// A request starts: forget every alias.
pub fn new_request() {
    GEN.fetch_add(1, Relaxed);
}

/// The current request's number, for other per-request caches.
pub fn generation() -> u64 {
    GEN.load(Relaxed)
}

extern "C" {
    /// `zend_string_hash_func()`: computes and stores the string's hash.
    fn zend_string_hash_func(s: *mut zend_string) -> u64;
}

/// `IS_STR_INTERNED` (`GC_IMMUTABLE`).
const IS_STR_INTERNED: u32 = 1 << 6;
/// `HASH_FLAG_PACKED`.
const HASH_FLAG_PACKED: u32 = 1 << 2;
/// `IS_STRING`, also `IS_INTERNED_STRING_EX` (no refcounted flag).
const IS_STRING: u32 = 6;

impl Key {
    /// A key for `name` (not a numeric string: those are integer keys in PHP arrays).
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            zstr: OnceLock::new(),
            alias: AtomicUsize::new(0),
            alias_gen: AtomicU64::new(0),
        }
    }

    /// The name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    fn ptr(&self) -> *mut zend_string {
        let p = *self.zstr.get_or_init(|| {
            // A persistent string lives for the process, like the extension; it is never
            // released, so no request can free it.
            let p = ZendStr::new(self.name, true)
                .into_raw()
                .cast::<zend_string>();
            // SAFETY: a valid string we own. Its hash is computed and stored, and it is
            // flagged interned (as the engine's permanent strings are): copies of it in
            // request values are then never counted or freed.
            unsafe {
                zend_string_hash_func(p);
                (*p).gc.u.type_info |= IS_STR_INTERNED;
            }
            p as usize
        });
        p as *mut zend_string
    }

    /// The name as a PHP string value (sharing the interned string).
    pub fn zval(&self) -> Zval {
        let mut z = Zval::new();
        // SAFETY: an interned string: `IS_INTERNED_STRING_EX` zvals are not refcounted.
        unsafe {
            let raw = std::ptr::from_mut(&mut z).cast::<ffi::zval>();
            (*raw).value.str_ = self.ptr();
            (*raw).u1.type_info = IS_STRING;
        }
        z
    }

    /// `$ht[$key]` (the slot itself, not dereferenced); `None` when missing. The
    /// pointer is only handed out as a borrow of `ht` (see the public lookups).
    #[inline]
    fn raw_slot(&self, ht: &ZendHashTable) -> Option<*mut Zval> {
        let gen = GEN.load(Relaxed);
        let aliased = self.alias_gen.load(Relaxed) == gen;
        let key = if aliased {
            self.alias.load(Relaxed) as *mut zend_string
        } else {
            self.ptr()
        };
        let ht = std::ptr::from_ref(ht).cast_mut().cast::<HashTable>();
        // SAFETY: `ht` is a live array (the lookup only reads it); the key is a valid
        // string with its hash set (ours, or an interned string of this request, which
        // lives until it ends).
        let z = unsafe { ffi::zend_hash_find_known_hash(ht, key) };
        if z.is_null() {
            return None;
        }
        if !aliased {
            // SAFETY: a hash (not packed) table's found zval is the first field of its
            // Bucket, whose key is the table's own string for this name.
            unsafe {
                if (*ht).u.flags & HASH_FLAG_PACKED == 0 {
                    let k = (*z.cast::<ffi::Bucket>()).key;
                    if !k.is_null() && (*k).gc.u.type_info & IS_STR_INTERNED != 0 {
                        self.alias.store(k as usize, Relaxed);
                        self.alias_gen.store(gen, Relaxed);
                    }
                }
            }
        }
        Some(z.cast::<Zval>())
    }

    /// `$ht[$key]`, the slot itself (not dereferenced); `None` when missing.
    #[inline]
    pub fn slot<'a>(&self, ht: &'a ZendHashTable) -> Option<&'a Zval> {
        // SAFETY: a live slot of `ht`, valid while `ht` is borrowed.
        self.raw_slot(ht).map(|z| unsafe { &*z })
    }

    /// Mutable `$ht[$key]`, the slot itself (not dereferenced); `None` when missing.
    #[inline]
    pub fn slot_mut<'a>(&self, ht: &'a mut ZendHashTable) -> Option<&'a mut Zval> {
        // SAFETY: a live slot of `ht`, which is borrowed exclusively for as long.
        self.raw_slot(ht).map(|z| unsafe { &mut *z })
    }

    /// `$ht[$key] = $val` with this key (the array must already be separated).
    pub fn update(&self, ht: &mut ZendHashTable, val: Zval) {
        let mut val = std::mem::ManuallyDrop::new(val);
        // SAFETY: the array owns the value afterwards (hence ManuallyDrop); the key is
        // our interned string, which the array may keep (interned: never released).
        unsafe {
            ffi::zend_hash_update(
                std::ptr::from_mut(ht).cast::<HashTable>(),
                self.ptr(),
                std::ptr::from_mut(&mut *val).cast::<ffi::zval>(),
            );
        }
    }

    /// `$ht[$key]`, dereferenced; `None` when missing or `IS_UNDEF` (an unset CV).
    #[inline]
    pub fn find<'a>(&self, ht: &'a ZendHashTable) -> Option<&'a Zval> {
        let z = super::value::deref(self.slot(ht)?);
        (super::value::ty(z) != super::value::t::UNDEF).then_some(z)
    }
}
