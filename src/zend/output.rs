//! Response headers, body output and `exit`, through the same SAPI paths as
//! `header()`, `header_remove()`, `echo` and `exit`.

use super::sys;
use ext_php_rs::ffi;

/// `headers_sent()`.
pub fn headers_sent() -> bool {
    // SAFETY: NTS: plain read of a SAPI global.
    unsafe { (*std::ptr::addr_of!(ffi::sapi_globals)).headers_sent != 0 }
}

fn header_op(op: ffi::sapi_header_op_enum, line: &[u8]) {
    let mut ctr = ffi::sapi_header_line {
        line: line.as_ptr().cast(),
        line_len: line.len(),
        response_code: 0,
    };
    // SAFETY: `ctr` points at bytes that live for the call; sapi_header_op copies them.
    unsafe {
        ffi::sapi_header_op(op, std::ptr::from_mut(&mut ctr).cast());
    }
}

/// `header( $line )` (replace).
pub fn header(line: &[u8]) {
    header_op(ffi::sapi_header_op_enum_SAPI_HEADER_REPLACE, line);
}

/// `header_remove( $name )`.
pub fn header_remove(name: &[u8]) {
    header_op(ffi::sapi_header_op_enum_SAPI_HEADER_DELETE, name);
}

/// `echo $bytes`, through output buffering like PHP's own `echo`.
pub fn echo(bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    // SAFETY: the buffer is valid for the call; php_output_write copies it.
    unsafe {
        ffi::php_output_write(bytes.as_ptr().cast(), bytes.len());
    }
}

/// `exit` with no message: unwinds the script like the `exit` opcode does
/// (shutdown functions and destructors still run).
pub fn exit() {
    // SAFETY: throwing the unwinder is exactly what ZEND_EXIT does when no exception
    // is pending; the caller returns to the engine straight after.
    unsafe {
        if !super::call::exception_pending() {
            sys::zend_throw_unwind_exit();
        }
    }
}
