//! Read-only views of engine state that PHP code cannot see from userland: where a
//! function, method or closure is defined, an object's class, a declared property of an
//! exact class, and the PHP shutdown functions registered so far. Nothing here runs PHP
//! code or changes state.

use ext_php_rs::ffi::{self, zend_function};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals};

/// Where something callable is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defined {
    /// PHP code in a file (absolute path as compiled), from the given line.
    File(String, u32),
    /// A function of a PHP extension, by module name.
    Extension(String),
    /// Not defined (yet).
    Missing,
}

impl Defined {
    /// `Some(path)` for PHP code, `Some("ext:<module>")` for an extension's function.
    pub fn file(&self) -> Option<String> {
        match self {
            Defined::File(f, _) => Some(f.clone()),
            Defined::Extension(m) => Some(format!("ext:{m}")),
            Defined::Missing => None,
        }
    }
}

/// `ZEND_USER_FUNCTION`.
const USER_FUNCTION: u8 = 2;

fn defined_of(f: *const zend_function) -> Defined {
    if f.is_null() {
        return Defined::Missing;
    }
    // SAFETY: `f` points at a live zend_function (from the engine's tables or a closure);
    // `type_` is the common first byte of every union member, and the member read is
    // the one `type_` says is live.
    unsafe {
        if (*f).type_ == USER_FUNCTION {
            let op = &(*f).op_array;
            if op.filename.is_null() {
                return Defined::Missing;
            }
            let name = (*op.filename.cast::<ext_php_rs::types::ZendStr>()).as_bytes();
            Defined::File(String::from_utf8_lossy(name).into_owned(), op.line_start)
        } else {
            let m = (*f).internal_function.module;
            if m.is_null() || (*m).name.is_null() {
                return Defined::Extension(String::new());
            }
            let name = std::ffi::CStr::from_ptr((*m).name);
            Defined::Extension(name.to_string_lossy().into_owned())
        }
    }
}

fn lookup(ht: Option<&ZendHashTable>, name: &str) -> *const zend_function {
    let Some(ht) = ht else {
        return std::ptr::null();
    };
    let key = name.to_ascii_lowercase();
    match ht.get(key.as_str()) {
        // Function tables hold IS_PTR values.
        Some(z) => ptr_of::<zend_function>(z).map_or(std::ptr::null(), |p| p.cast_const()),
        None => std::ptr::null(),
    }
}

/// The pointer an `IS_PTR` zval holds (engine tables store functions and entries so).
fn ptr_of<T>(z: &Zval) -> Option<*mut T> {
    if z.get_type() != DataType::Ptr {
        return None;
    }
    // SAFETY: an IS_PTR zval's value is its `ptr` member.
    let p = unsafe { z.value.ptr };
    (!p.is_null()).then(|| p.cast::<T>())
}

/// Where the global function `name` is defined.
pub fn function(name: &str) -> Defined {
    let eg = ExecutorGlobals::get();
    let f = lookup(eg.function_table(), name.trim_start_matches('\\'));
    defined_of(f)
}

/// The class entry of `name` (case-insensitive).
fn class(name: &str) -> Option<&'static ClassEntry> {
    ClassEntry::try_find(name.trim_start_matches('\\'))
}

/// Where `class::method` is defined (the declaring file of an inherited method).
pub fn method(class_name: &str, method: &str) -> Defined {
    let Some(ce) = class(class_name) else {
        return Defined::Missing;
    };
    defined_of(lookup(Some(&ce.function_table), method))
}

/// An object's class name.
pub fn class_of(obj: &ZendObject) -> String {
    obj.get_class_name().unwrap_or_default()
}

/// Where a Closure's code is defined.
fn closure(obj: &ZendObject) -> Defined {
    // SAFETY: `obj` is a live Closure object; zend_get_closure_method_def returns its
    // function, owned by the object.
    let f = unsafe { super::sys::zend_get_closure_method_def(std::ptr::from_ref(obj).cast_mut()) };
    defined_of(f)
}

/// A callable as `WP_Hook` and `register_shutdown_function()` hold it, described
/// canonically (`name`, `Class::method`, `Class->method`, `closure@file:line`) with
/// where its code is defined. Nothing is resolved through autoloading.
pub fn callable(z: &Zval) -> (String, Defined) {
    if let Some(s) = z.str() {
        if let Some((c, m)) = s.split_once("::") {
            return (format!("{c}::{m}"), method(c, m));
        }
        return (s.to_owned(), function(s));
    }
    if let Some(arr) = z.array() {
        if arr.len() == 2 {
            let (Some(target), Some(m)) = (arr.get(0), arr.get(1).and_then(Zval::str)) else {
                return ("(array)".into(), Defined::Missing);
            };
            if let Some(obj) = target.object() {
                let c = class_of(obj);
                let d = method(&c, m);
                return (format!("{c}->{m}"), d);
            }
            if let Some(c) = target.str() {
                return (format!("{c}::{m}"), method(c, m));
            }
        }
        return ("(array)".into(), Defined::Missing);
    }
    if let Some(obj) = z.object() {
        let c = class_of(obj);
        if c == "Closure" {
            let d = closure(obj);
            let label = match &d {
                Defined::File(f, line) => format!("closure@{f}:{line}"),
                _ => "closure".into(),
            };
            return (label, d);
        }
        let d = method(&c, "__invoke");
        return (format!("{c}->__invoke"), d);
    }
    (format!("({:?})", z.get_type()), Defined::Missing)
}

/// A declared property of an object whose class is exactly `class_name`, read through
/// the standard handler (such a class has no magic getters that could run PHP).
pub fn declared_property<'a>(z: &'a Zval, class_name: &str, prop: &str) -> Option<&'a Zval> {
    let obj = z.object()?;
    if class_of(obj) != class_name {
        return None;
    }
    obj.get_property::<&Zval>(prop).ok()
}

/// `true` when `z` is an object of exactly `class_name`.
pub fn is_exactly(z: &Zval, class_name: &str) -> bool {
    z.object().is_some_and(|o| class_of(o) == class_name)
}

/// The first field of `php_basic_globals` (NTS), the same in PHP 8.2 to 8.4.
#[repr(C)]
struct BasicGlobalsHead {
    user_shutdown_function_names: *mut ffi::HashTable,
}

extern "C" {
    /// `BG()` (ext/standard, always built in; NTS).
    static basic_globals: BasicGlobalsHead;
}

/// The PHP shutdown functions registered so far (`register_shutdown_function()`), in
/// order, described as [`callable`] does.
pub fn shutdown_functions() -> Vec<String> {
    // SAFETY: reading the pointer field of the engine's NTS basic globals; it is NULL
    // until the first registration, then a live hash table for the request.
    let ht = unsafe { basic_globals.user_shutdown_function_names };
    // SAFETY: a live, request-owned hash table (see above).
    let Some(ht) = (unsafe { ht.cast::<ZendHashTable>().as_ref() }) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, v) in super::array::entries(ht) {
        // Entries are php_shutdown_function_entry structs stored by pointer; their
        // first member is the zend_fcall_info holding the callable as given.
        let Some(entry) = ptr_of::<ffi::zend_fcall_info>(v) else {
            continue;
        };
        // SAFETY: `entry` points at the fci at the start of a live entry.
        let name = unsafe { &(*entry).function_name };
        out.push(callable(name).0);
    }
    out
}

/// The value of a global variable (`$GLOBALS[$name]`), dereferenced.
pub fn global(name: &str) -> Option<&'static Zval> {
    super::symbols::get(name).map(|z| {
        if z.get_type() == DataType::Reference {
            z.reference().unwrap_or(z)
        } else {
            z
        }
    })
}
