//! `json_encode()` through PHP's own encoder, so bytes match `wp_json_encode()`.

use super::sys::{self, SmartStr};
use super::{Flow, Stop};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::ffi::zval;
use ext_php_rs::types::{ZendStr, Zval};

/// `json_encode( $value, 0, 512 )`: `Ok(Some(bytes))` on success, `Ok(None)` when
/// `json_encode()` would return `false` (invalid UTF-8, INF/NAN, depth), `Err(Stop)`
/// when a `JsonSerializable` threw or exited. Sets `json_last_error()` like PHP.
pub fn encode(value: &Zval) -> Flow<Option<Vec<u8>>> {
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
