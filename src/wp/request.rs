//! The request fields the handlers read: `screen_id` and `data`.

use super::hooks;
use crate::text;
use crate::zend::array as zarray;
use crate::zend::call;
use crate::zend::symbols;
use crate::zend::value;
use crate::zend::value::ZvalExt;
use crate::zend::Flow;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};

/// `! empty( $_POST['screen_id'] ) ? sanitize_key( $_POST['screen_id'] ) : 'front'`.
pub fn screen_id() -> Flow<Zval> {
    let raw = symbols::post("screen_id");
    let Some(raw) = raw.filter(|r| !value::is_empty(Some(r))) else {
        return Ok(value::string(b"front"));
    };
    // sanitize_key(): non-scalars become '', scalars go through strtolower + the regex;
    // a string those leave alone is shared rather than copied (same value).
    let sanitized = match raw.zend_str() {
        Some(s) if text::is_sanitized_key(s.as_bytes()) => raw.shallow_clone(),
        _ if value::is_scalar(raw) => {
            value::string(&text::sanitize_key(&value::to_php_string(raw)?))
        }
        _ => value::string(b""),
    };
    let raw = raw.shallow_clone();
    hooks::apply_filters(&super::names::SANITIZE_KEY, sanitized, &[&raw])
}

/// `! empty( $_POST['data'] ) ? wp_unslash( (array) $_POST['data'] ) : None`.
pub fn data() -> Flow<Option<Zval>> {
    let Some(raw) = symbols::post("data").filter(|r| !value::is_empty(Some(r))) else {
        return Ok(None);
    };
    let cast = value::cast_array(raw);
    if let Some(ht) = cast.arr() {
        match unslash(ht, 0) {
            Unslashed::Same => return Ok(Some(cast)),
            Unslashed::New(arr) => return Ok(Some(arr)),
            Unslashed::AskPhp => {}
        }
    }
    // Objects and references: map_deep() walks them in ways worth leaving to core.
    call::call("wp_unslash", &[&cast]).map(Some)
}

enum Unslashed {
    /// Nothing to strip: the input array can be shared as is.
    Same,
    /// A stripped copy.
    New(Zval),
    /// Something native code does not model (objects, references, very deep nesting).
    AskPhp,
}

/// Deepest nesting handled natively (PHP's own `max_input_nesting_level` is 64).
const MAX_DEPTH: usize = 256;

/// `stripslashes_deep()`: strings are unslashed, arrays walked, keys kept as they are,
/// other scalars left alone.
fn unslash(ht: &ZendHashTable, depth: usize) -> Unslashed {
    if depth > MAX_DEPTH {
        return Unslashed::AskPhp;
    }
    let mut changed: Vec<(usize, Zval)> = Vec::new();
    for (i, v) in zarray::iter(ht).enumerate() {
        match v.get_type() {
            DataType::String => {
                if let Some(s) = v.zend_str().and_then(|s| text::stripslashes(s.as_bytes())) {
                    let mut z = Zval::new();
                    z.set_zend_string(ZendStr::new(&s, false));
                    changed.push((i, z));
                }
            }
            DataType::Array => match v.arr().map(|a| unslash(a, depth + 1)) {
                Some(Unslashed::Same) => {}
                Some(Unslashed::New(z)) => changed.push((i, z)),
                Some(Unslashed::AskPhp) | None => return Unslashed::AskPhp,
            },
            DataType::Object(_) | DataType::Reference | DataType::Indirect => {
                return Unslashed::AskPhp
            }
            _ => {}
        }
    }
    if changed.is_empty() {
        Unslashed::Same
    } else {
        Unslashed::New(zarray::copy_with(ht, changed))
    }
}
