//! Facts that cannot change for the rest of a request, looked up once per request.
//!
//! Within a request a constant cannot be redefined, a function cannot be undefined or
//! redeclared, and a class's declared properties do not move. So a lookup that found
//! something may be kept until the request ends; a lookup that found nothing is never
//! kept (the thing may be defined later). Everything is forgotten when a request starts.

use ext_php_rs::ffi::{zend_class_entry, zend_function};
use ext_php_rs::types::Zval;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering::Relaxed};

/// Constants the handlers read.
#[derive(Clone, Copy)]
pub enum Const {
    Abspath,
    Wpinc,
    DoingAjax,
    RestRequest,
    DayInSeconds,
    LoggedInCookie,
    WpSetupConfig,
}

const CONST_NAMES: [&str; 7] = [
    "ABSPATH",
    "WPINC",
    "DOING_AJAX",
    "REST_REQUEST",
    "DAY_IN_SECONDS",
    "LOGGED_IN_COOKIE",
    "WP_SETUP_CONFIG",
];

/// A function found by name, and (once asked) whether core's file declares it.
#[derive(Clone, Copy)]
struct FnEntry {
    name: (usize, usize),
    func: *mut zend_function,
    /// 0: not asked yet; 1: declared in core's file; 2: declared elsewhere.
    core: u8,
}

/// A declared property's slot offset within objects of one class.
#[derive(Clone, Copy)]
struct PropEntry {
    ce: *const zend_class_entry,
    name: (usize, usize),
    offset: Option<u32>,
}

/// Enough for every name the handlers use; beyond it lookups are simply not kept.
const MAX_ENTRIES: usize = 48;

thread_local! {
    static CONSTS: [Cell<Option<*const Zval>>; 7] = const { [const { Cell::new(None) }; 7] };
    /// For constants found missing: (request, how many constants there were then).
    static MISSING: [Cell<(u64, u32)>; 7] = const { [const { Cell::new((0, 0)) }; 7] };
    static HOOK_API: Cell<bool> = const { Cell::new(false) };
    static FUNCS: RefCell<Vec<FnEntry>> = const { RefCell::new(Vec::new()) };
    static PROPS: RefCell<Vec<PropEntry>> = const { RefCell::new(Vec::new()) };
}

/// Forget everything: called when a request starts (and ends).
pub fn reset() {
    super::key::new_request();
    CONSTS.with(|c| c.iter().for_each(|s| s.set(None)));
    HOOK_API.with(|h| h.set(false));
    FUNCS.with(|f| f.borrow_mut().clear());
    PROPS.with(|p| p.borrow_mut().clear());
}

fn key(s: &'static str) -> (usize, usize) {
    (s.as_ptr() as usize, s.len())
}

/// A constant's value. Constant values live as long as the request.
///
/// A constant found missing stays missing while the constants table has as many
/// entries as then (constants are never removed, so a new one adds an entry).
pub fn constant(which: Const) -> Option<&'static Zval> {
    let i = which as usize;
    let ptr = match CONSTS.with(|c| c[i].get()) {
        Some(p) => Some(p),
        None => {
            let count = constants_count();
            let gen = super::key::generation();
            if MISSING.with(|m| m[i].get()) == (gen, count) {
                return None;
            }
            let found = super::call::constant(CONST_NAMES[i]).map(std::ptr::from_ref);
            match found {
                Some(p) => CONSTS.with(|c| c[i].set(Some(p))),
                None => MISSING.with(|m| m[i].set((gen, count))),
            }
            found
        }
    };
    // SAFETY: constant values are owned by the engine for the whole request.
    ptr.map(|p| unsafe { &*p })
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

/// Whether `apply_filters()` and `do_action()` exist (WordPress's plugin API is loaded).
pub fn hook_api() -> bool {
    if HOOK_API.with(Cell::get) {
        return true;
    }
    let v = function("apply_filters").is_some() && function("do_action").is_some();
    HOOK_API.with(|h| h.set(v));
    v
}

/// A direct-mapped cache in front of [`FUNCS`], by the name's address: a hit is one
/// compare instead of a scan. Entries carry the request number they are valid for.
struct Fast {
    gen: AtomicU64,
    name: AtomicUsize,
    len: AtomicUsize,
    func: AtomicUsize,
    /// 0: not asked; 1: declared in core's file; 2: elsewhere.
    core: AtomicU8,
}

const FAST_SIZE: usize = 64;
#[allow(clippy::declare_interior_mutable_const)]
const FAST_EMPTY: Fast = Fast {
    gen: AtomicU64::new(0),
    name: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    func: AtomicUsize::new(0),
    core: AtomicU8::new(0),
};
static FAST: [Fast; FAST_SIZE] = [FAST_EMPTY; FAST_SIZE];

fn fast_slot(name: &'static str) -> &'static Fast {
    &FAST[(name.as_ptr() as usize >> 3) % FAST_SIZE]
}

/// The cached function (and core verdict) for `name`, if this request cached it.
fn fast_get(name: &'static str) -> Option<(*mut zend_function, u8)> {
    let e = fast_slot(name);
    (e.gen.load(Relaxed) == super::key::generation()
        && e.name.load(Relaxed) == name.as_ptr() as usize
        && e.len.load(Relaxed) == name.len())
    .then(|| {
        (
            e.func.load(Relaxed) as *mut zend_function,
            e.core.load(Relaxed),
        )
    })
}

fn fast_put(name: &'static str, func: *mut zend_function, core: u8) {
    let e = fast_slot(name);
    e.name.store(name.as_ptr() as usize, Relaxed);
    e.len.store(name.len(), Relaxed);
    e.func.store(func as usize, Relaxed);
    e.core.store(core, Relaxed);
    e.gen.store(super::key::generation(), Relaxed);
}

/// A function of the current request by (lower-case) name.
pub fn function(name: &'static str) -> Option<*mut zend_function> {
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
                core: 0,
            });
        }
    });
    Some(func)
}

/// Whether function `name` exists and `declared_in` says core's file declares it; the
/// answer is kept once the function exists.
pub fn function_in_core(
    name: &'static str,
    declared_in: impl FnOnce(*mut zend_function) -> bool,
) -> bool {
    match fast_get(name) {
        Some((_, 1)) => return true,
        Some((_, 2)) => return false,
        _ => {}
    }
    let yes = function_in_core_slow(name, declared_in);
    if let Some(func) = function(name) {
        fast_put(name, func, if yes { 1 } else { 2 });
    }
    yes
}

fn function_in_core_slow(
    name: &'static str,
    declared_in: impl FnOnce(*mut zend_function) -> bool,
) -> bool {
    let k = key(name);
    // One scan for the common case: known, and already asked.
    let known = FUNCS.with(|f| {
        f.borrow()
            .iter()
            .find(|e| e.name == k)
            .map(|e| (e.func, e.core))
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
    let yes = declared_in(func);
    FUNCS.with(|f| {
        if let Some(e) = f.borrow_mut().iter_mut().find(|e| e.name == k) {
            e.core = if yes { 1 } else { 2 };
        }
    });
    yes
}

/// The slot offset of declared property `name` in objects of class `ce`, as computed
/// by `find` (kept for the request, found or not: a class's declarations are fixed).
pub fn property_offset(
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
