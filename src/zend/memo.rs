//! Facts that cannot change for the rest of a request, looked up once per request.
//!
//! Within a request a constant cannot be redefined, a function cannot be undefined or
//! redeclared, and a class's declared properties do not move. So a lookup that found
//! something may be kept until the request ends; a lookup that found nothing is not
//! kept (the thing may be defined later), except a constant's while no constant is
//! added. Everything is forgotten when a request starts.

use ext_php_rs::ffi::{zend_class_entry, zend_function};
use ext_php_rs::types::Zval;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, AtomicUsize, Ordering::Relaxed};

/// A function found by name, and (once asked) the caller's verdict on it.
#[derive(Clone, Copy)]
struct FnEntry {
    name: (usize, usize),
    func: *mut zend_function,
    /// 0: not asked yet; 1: yes; 2: no.
    verdict: u8,
}

/// A declared property's slot offset within objects of one class.
#[derive(Clone, Copy)]
struct PropEntry {
    ce: *const zend_class_entry,
    name: (usize, usize),
    offset: Option<u32>,
}

/// Enough for every name the extension uses; beyond it lookups are simply not kept.
const MAX_ENTRIES: usize = 48;

thread_local! {
    static FUNCS: RefCell<Vec<FnEntry>> = const { RefCell::new(Vec::new()) };
    static PROPS: RefCell<Vec<PropEntry>> = const { RefCell::new(Vec::new()) };
}

/// Forget everything: called when a request starts (and ends). Caches keyed by the
/// request number ([`super::key::generation`]) expire with it.
pub fn reset() {
    super::key::new_request();
    FUNCS.with(|f| f.borrow_mut().clear());
    PROPS.with(|p| p.borrow_mut().clear());
}

fn key(s: &'static str) -> (usize, usize) {
    (s.as_ptr() as usize, s.len())
}

/// A constant read on many requests, by name: its value is looked up once per request
/// once defined (a constant cannot be redefined or removed).
pub struct Constant {
    name: &'static str,
    /// The request in which `value` was found.
    gen: AtomicU64,
    value: AtomicUsize,
    /// The request in which the constant was found missing, and how many constants
    /// there were then.
    missing_gen: AtomicU64,
    missing_count: AtomicU32,
}

impl Constant {
    /// Constant `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            gen: AtomicU64::new(0),
            value: AtomicUsize::new(0),
            missing_gen: AtomicU64::new(0),
            missing_count: AtomicU32::new(0),
        }
    }

    /// The constant's value, `None` when it is not defined. Constant values live as
    /// long as the request.
    ///
    /// A constant found missing stays missing while the constants table has as many
    /// entries as then (constants are never removed, so a new one adds an entry).
    pub fn get(&self) -> Option<&'static Zval> {
        let gen = super::key::generation();
        if self.gen.load(Relaxed) == gen {
            // SAFETY: the value found in this request; the engine keeps it until the
            // request ends.
            return Some(unsafe { &*(self.value.load(Relaxed) as *const Zval) });
        }
        let count = constants_count();
        if self.missing_gen.load(Relaxed) == gen && self.missing_count.load(Relaxed) == count {
            return None;
        }
        match super::call::constant(self.name) {
            Some(v) => {
                self.value.store(std::ptr::from_ref(v) as usize, Relaxed);
                self.gen.store(gen, Relaxed);
                Some(v)
            }
            None => {
                self.missing_count.store(count, Relaxed);
                self.missing_gen.store(gen, Relaxed);
                None
            }
        }
    }
}

/// How many constants are defined (`zend_hash_num_elements( EG(zend_constants) )`).
fn constants_count() -> u32 {
    // SAFETY: NTS executor globals; the constants table lives for the process.
    unsafe {
        let t = (*std::ptr::addr_of!(ext_php_rs::ffi::executor_globals)).zend_constants;
        if t.is_null() {
            0
        } else {
            (*t).nNumOfElements
        }
    }
}

/// A direct-mapped cache in front of [`FUNCS`], by the name's address: a hit is one
/// compare instead of a scan. Entries carry the request number they are valid for.
struct Fast {
    gen: AtomicU64,
    name: AtomicUsize,
    len: AtomicUsize,
    func: AtomicUsize,
    /// 0: not asked; 1: yes; 2: no.
    verdict: AtomicU8,
}

const FAST_SIZE: usize = 64;
#[allow(clippy::declare_interior_mutable_const)]
const FAST_EMPTY: Fast = Fast {
    gen: AtomicU64::new(0),
    name: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    func: AtomicUsize::new(0),
    verdict: AtomicU8::new(0),
};
static FAST: [Fast; FAST_SIZE] = [FAST_EMPTY; FAST_SIZE];

fn fast_slot(name: &'static str) -> &'static Fast {
    &FAST[(name.as_ptr() as usize >> 3) % FAST_SIZE]
}

/// The cached function (and verdict) for `name`, if this request cached it.
fn fast_get(name: &'static str) -> Option<(*mut zend_function, u8)> {
    let e = fast_slot(name);
    (e.gen.load(Relaxed) == super::key::generation()
        && e.name.load(Relaxed) == name.as_ptr() as usize
        && e.len.load(Relaxed) == name.len())
    .then(|| {
        (
            e.func.load(Relaxed) as *mut zend_function,
            e.verdict.load(Relaxed),
        )
    })
}

fn fast_put(name: &'static str, func: *mut zend_function, verdict: u8) {
    let e = fast_slot(name);
    e.name.store(name.as_ptr() as usize, Relaxed);
    e.len.store(name.len(), Relaxed);
    e.func.store(func as usize, Relaxed);
    e.verdict.store(verdict, Relaxed);
    e.gen.store(super::key::generation(), Relaxed);
}

/// A function of the current request by (lower-case) name.
pub(super) fn function(name: &'static str) -> Option<*mut zend_function> {
    if let Some((func, _)) = fast_get(name) {
        return Some(func);
    }
    let found = function_slow(name)?;
    fast_put(name, found, 0);
    Some(found)
}

fn function_slow(name: &'static str) -> Option<*mut zend_function> {
    let k = key(name);
    if let Some(e) = FUNCS.with(|f| f.borrow().iter().find(|e| e.name == k).copied()) {
        return Some(e.func);
    }
    let func = super::call::lookup(name)?;
    FUNCS.with(|f| {
        let mut f = f.borrow_mut();
        if f.len() < MAX_ENTRIES {
            f.push(FnEntry {
                name: k,
                func,
                verdict: 0,
            });
        }
    });
    Some(func)
}

/// Whether function `name` exists and `verdict` says yes to it; the answer is kept for
/// the request once the function exists (so one name must always be asked the same
/// question, about facts that cannot change within a request).
pub(super) fn function_verdict(
    name: &'static str,
    verdict: impl FnOnce(*mut zend_function) -> bool,
) -> bool {
    match fast_get(name) {
        Some((_, 1)) => return true,
        Some((_, 2)) => return false,
        _ => {}
    }
    let yes = function_verdict_slow(name, verdict);
    if let Some(func) = function(name) {
        fast_put(name, func, if yes { 1 } else { 2 });
    }
    yes
}

fn function_verdict_slow(
    name: &'static str,
    verdict: impl FnOnce(*mut zend_function) -> bool,
) -> bool {
    let k = key(name);
    // One scan for the common case: known, and already asked.
    let known = FUNCS.with(|f| {
        f.borrow()
            .iter()
            .find(|e| e.name == k)
            .map(|e| (e.func, e.verdict))
    });
    let func = match known {
        Some((_, 1)) => return true,
        Some((_, 2)) => return false,
        Some((func, _)) => func,
        None => match function(name) {
            Some(func) => func,
            None => return false,
        },
    };
    let yes = verdict(func);
    FUNCS.with(|f| {
        if let Some(e) = f.borrow_mut().iter_mut().find(|e| e.name == k) {
            e.verdict = if yes { 1 } else { 2 };
        }
    });
    yes
}

/// The slot offset of declared property `name` in objects of class `ce`, as computed
/// by `find` (kept for the request, found or not: a class's declarations are fixed).
pub(super) fn property_offset(
    ce: *const zend_class_entry,
    name: &'static str,
    find: impl FnOnce() -> Option<u32>,
) -> Option<u32> {
    let k = key(name);
    if let Some(e) = PROPS.with(|p| {
        p.borrow()
            .iter()
            .find(|e| std::ptr::eq(e.ce, ce) && e.name == k)
            .copied()
    }) {
        return e.offset;
    }
    let offset = find();
    PROPS.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < MAX_ENTRIES {
            p.push(PropEntry {
                ce,
                name: k,
                offset,
            });
        }
    });
    offset
}
