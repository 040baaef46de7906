//! Zend symbols that ext-php-rs does not bind. They are resolved from the PHP binary
//! when the extension is loaded (every SAPI exports them; json is always built in).

use ext_php_rs::ffi::{zend_class_entry, zend_long, zend_object, zend_string, zval};
use std::os::raw::{c_char, c_int};

/// `smart_str` from `zend_smart_str_public.h`.
#[repr(C)]
pub struct SmartStr {
    pub s: *mut zend_string,
    pub a: usize,
}

/// `zend_json_globals` (NTS) from `ext/json/php_json.h`.
#[repr(C)]
pub struct JsonGlobals {
    pub encoder_depth: c_int,
    pub encode_max_depth: c_int,
    pub error_code: c_int,
}

extern "C" {
    /// `zval_get_string_func()`: PHP's `(string)` cast, warnings and exceptions included.
    pub fn zval_get_string_func(op: *mut zval) -> *mut zend_string;
    /// `zend_get_constant_str()`: a constant's value, or NULL when undefined.
    pub fn zend_get_constant_str(name: *const c_char, name_len: usize) -> *mut zval;
    /// What `exit` does after printing its message.
    pub fn zend_throw_unwind_exit();
    /// Whether an exception object is the internal `exit` unwinder.
    pub fn zend_is_unwind_exit(ex: *const zend_object) -> bool;
    /// `convert_to_array()`: PHP's `(array)` cast, in place.
    pub fn convert_to_array(op: *mut zval);
    /// The encoder behind `json_encode()`.
    pub fn php_json_encode_ex(
        buf: *mut SmartStr,
        val: *mut zval,
        options: c_int,
        depth: zend_long,
    ) -> c_int;
    /// `zend_update_property()`: `$obj->$name = $value` with `scope`'s visibility.
    pub fn zend_update_property(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const c_char,
        name_length: usize,
        value: *mut zval,
    );
    /// `zend_error()` with a literal message.
    pub fn zend_error(kind: c_int, format: *const c_char, ...);
    /// `zend_ini_long()`: an ini setting as an integer.
    pub fn zend_ini_long(name: *const c_char, name_length: usize, orig: c_int) -> zend_long;
    /// `zend_ini_string_ex()`: an ini setting's value (null when unset or unknown).
    pub fn zend_ini_string_ex(
        name: *const c_char,
        name_length: usize,
        orig: c_int,
        exists: *mut bool,
    ) -> *mut c_char;
    /// `zend_clear_exception()`.
    pub fn zend_clear_exception();
    /// `instanceof_function_slow()`: whether a class is or extends another.
    pub fn instanceof_function_slow(
        instance_ce: *const zend_class_entry,
        ce: *const zend_class_entry,
    ) -> bool;
    /// The `Exception` class.
    pub static mut zend_ce_exception: *mut zend_class_entry;
    /// `JSON_G()`.
    pub static mut json_globals: JsonGlobals;
    /// `php_time()` (ext/date, always built in): the clock PHP's `time()` reads.
    pub fn php_time() -> i64;
    /// A Closure object's function.
    pub fn zend_get_closure_method_def(
        obj: *mut zend_object,
    ) -> *const ext_php_rs::ffi::zend_function;
}

/// `E_WARNING`.
pub const E_WARNING: c_int = 2;
/// `E_DEPRECATED`.
pub const E_DEPRECATED: c_int = 8192;

/// `zend_compile_file`'s signature.
pub type CompileFile = unsafe extern "C" fn(
    *mut ext_php_rs::ffi::zend_file_handle,
    c_int,
) -> *mut ext_php_rs::ffi::zend_op_array;

extern "C" {
    /// The engine's compile hook (opcache and others wrap it).
    pub static mut zend_compile_file: Option<CompileFile>;
    /// `zend_stream_init_filename()`.
    pub fn zend_stream_init_filename(
        handle: *mut ext_php_rs::ffi::zend_file_handle,
        filename: *const c_char,
    );
    /// `zend_destroy_file_handle()`.
    pub fn zend_destroy_file_handle(handle: *mut ext_php_rs::ffi::zend_file_handle);
    /// `sapi_getenv()`: a request variable (e.g. `HTTP_X_FOO`) as an emalloc'd copy. `name` must be
    /// NUL-terminated: most SAPIs ignore `name_len` (see `compile::getenv`).
    pub fn sapi_getenv(name: *const c_char, name_len: usize) -> *mut c_char;
    /// `efree()` (non-debug builds take just the pointer).
    pub fn _efree(ptr: *mut std::ffi::c_void);
}

extern "C" {
    /// `zend_hash_internal_pointer_reset_ex()`.
    pub fn zend_hash_internal_pointer_reset_ex(
        ht: *mut ext_php_rs::ffi::HashTable,
        pos: *mut ext_php_rs::ffi::HashPosition,
    );
    /// `increment_function()`: PHP's `++` on any value, in place.
    pub fn increment_function(op: *mut zval) -> c_int;
    /// `decrement_function()`: PHP's `--` on any value, in place.
    pub fn decrement_function(op: *mut zval) -> c_int;
    /// `zend_compare()`: PHP 8's `<=>` (what `==`, `<`, `>=` are built on).
    pub fn zend_compare(op1: *mut zval, op2: *mut zval) -> c_int;
    /// `zend_zval_type_name()`: the type name PHP's error messages use.
    pub fn zend_zval_type_name(arg: *const zval) -> *const c_char;
}
