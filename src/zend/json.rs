//! `json_encode()` through PHP's own encoder, so bytes match PHP's.

use super::sys::{self, SmartStr};
use super::value::{self, ZvalExt};
use super::{Flow, Stop};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::ffi::zval;
use ext_php_rs::types::{ZendStr, Zval};

/// `json_encode( $value, 0, 512 )`: `Ok(Some(bytes))` on success, `Ok(None)` when
/// `json_encode()` would return `false` (invalid UTF-8, INF/NAN, depth), `Err(Stop)`
/// when a `JsonSerializable` threw or exited. Sets `json_last_error()` like PHP.
pub fn encode(value: &Zval) -> Flow<Option<Vec<u8>>> {
    let mut out = Vec::with_capacity(128);
    if plain(value, &mut out, 0) {
        // What php_json_encode_ex() leaves after a successful encode.
        // SAFETY: NTS module state, written by PHP's encoder the same way.
        unsafe { (*std::ptr::addr_of_mut!(sys::json_globals)).error_code = 0 };
        return Ok(Some(out));
    }
    engine(value)
}

/// Deepest nesting the plain encoder walks (PHP's limit here is 512).
const PLAIN_DEPTH: usize = 32;

/// Common small shapes (arrays of ints, booleans, null and printable ASCII strings that
/// need no escaping), encoded as PHP's encoder does with flags 0: lists as
/// `[...]`, other arrays as `{"key":...}`. False, with `out` to be discarded, for
/// anything else (floats, objects, escapes, recursion), which PHP's encoder then does.
fn plain(z: &Zval, out: &mut Vec<u8>, depth: usize) -> bool {
    let z = value::deref(z);
    match value::ty(z) {
        value::t::NULL => out.extend_from_slice(b"null"),
        value::t::TRUE => out.extend_from_slice(b"true"),
        value::t::FALSE => out.extend_from_slice(b"false"),
        value::t::LONG => push_long(out, z.lng().unwrap_or(0)),
        value::t::STRING => {
            let Some(s) = z.zend_str() else {
                return false;
            };
            if !crate::text::json_plain(s.as_bytes()) {
                return false;
            }
            out.push(b'"');
            out.extend_from_slice(s.as_bytes());
            out.push(b'"');
        }
        value::t::ARRAY => {
            let Some(ht) = z.arr() else {
                return false;
            };
            if depth >= PLAIN_DEPTH || protected(ht) {
                return false;
            }
            let list = is_list(ht);
            out.push(if list { b'[' } else { b'{' });
            let mut first = true;
            for (key, slot) in super::array::entries(ht) {
                if !first {
                    out.push(b',');
                }
                first = false;
                if !list {
                    match key {
                        super::array::Key::Int(n) => {
                            out.push(b'"');
                            push_long(out, n);
                            out.push(b'"');
                        }
                        super::array::Key::Str(k) => {
                            if !crate::text::json_plain(k) {
                                return false;
                            }
                            out.push(b'"');
                            out.extend_from_slice(k);
                            out.push(b'"');
                        }
                    }
                    out.push(b':');
                }
                // `ht` does not change while encoding: no PHP runs.
                if !plain(slot, out, depth + 1) {
                    return false;
                }
            }
            out.push(if list { b']' } else { b'}' });
        }
        _ => return false,
    }
    true
}

fn push_long(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        // `v % 10` is a single digit.
        #[allow(clippy::cast_possible_truncation)]
        {
            digits[i] = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// `zend_array_is_list()`: keys 0, 1, 2, ... in order (an empty array is one).
fn is_list(ht: &ext_php_rs::types::ZendHashTable) -> bool {
    let mut expect = 0i64;
    for (key, _) in super::array::entries(ht) {
        match key {
            super::array::Key::Int(n) if n == expect => expect += 1,
            _ => return false,
        }
    }
    true
}

/// Whether the array is being walked already (`GC_PROTECTED`: recursion).
fn protected(ht: &ext_php_rs::types::ZendHashTable) -> bool {
    let p = std::ptr::from_ref(ht).cast::<ext_php_rs::ffi::HashTable>();
    // SAFETY: reading a live array's GC flags.
    unsafe { (*p).gc.u.type_info & (1 << 5) != 0 }
}

/// PHP's own encoder.
fn engine(value: &Zval) -> Flow<Option<Vec<u8>>> {
    let mut buf = SmartStr {
        s: std::ptr::null_mut(),
        a: 0,
    };
    let mut tmp = value.shallow_clone();
    // SAFETY: `buf` starts empty as smart_str requires; `tmp` is a zval we own.
    // json_globals is NTS module state written by the encoder itself.
    let error = unsafe {
        sys::php_json_encode_ex(
            &mut buf,
            std::ptr::from_mut(&mut tmp).cast::<zval>(),
            0,
            512,
        );
        (*std::ptr::addr_of!(sys::json_globals)).error_code
    };
    drop(tmp);
    let bytes = if buf.s.is_null() {
        Vec::new()
    } else {
        // SAFETY: the encoder allocated `buf.s`; we take ownership and free it.
        let s: ZBox<ZendStr> = unsafe { ZBox::from_raw(buf.s.cast::<ZendStr>()) };
        s.as_bytes().to_vec()
    };
    if super::call::exception_pending() {
        return Err(Stop);
    }
    if error != 0 {
        return Ok(None);
    }
    Ok(Some(bytes))
}
