//! Telling WordPress core's own functions from replacements (a pluggable function a
//! plugin declared first, say) by the file that declared them.

use super::constants::{ABSPATH, WPINC};
use crate::zend::call;
use ext_php_rs::types::Zval;

/// Whether `name` is a user function declared in `ABSPATH . WPINC . '/' . $file`
/// (kept for the request: `file` must be the same on every call for a name).
pub fn in_includes(name: &'static str, file: &str) -> bool {
    call::declared_file_is(name, |path| {
        let (Some(a), Some(w)) = (
            ABSPATH.get().and_then(Zval::zend_str),
            WPINC.get().and_then(Zval::zend_str),
        ) else {
            return false;
        };
        let (a, w) = (a.as_bytes(), w.as_bytes());
        path.len() == a.len() + w.len() + 1 + file.len()
            && path.starts_with(a)
            && path[a.len()..].starts_with(w)
            && path[a.len() + w.len()] == b'/'
            && path.ends_with(file.as_bytes())
    })
}

/// Whether `name` is a user function declared in `ABSPATH . 'wp-admin/includes/' . $file`
/// (kept for the request, as [`in_includes`]).
pub fn in_admin(name: &'static str, file: &str) -> bool {
    call::declared_file_is(name, |path| {
        let Some(a) = ABSPATH.get().and_then(Zval::zend_str) else {
            return false;
        };
        let a = a.as_bytes();
        let dir = b"wp-admin/includes/";
        path.len() == a.len() + dir.len() + file.len()
            && path.starts_with(a)
            && path[a.len()..].starts_with(dir)
            && path.ends_with(file.as_bytes())
    })
}
