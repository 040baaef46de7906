//! `$response[ $key ] = $value` with PHP's semantics for whatever `$response` became
//! (filters may return anything).

use crate::zend::call::{self, throw_error};
use crate::zend::value;
use crate::zend::{Flow, Stop};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;

/// Assign `$target[$key] = $val` (a string key that is not numeric).
pub fn assign(target: &mut Zval, key: &str, val: Zval) -> Flow<()> {
    let t = value::deref_mut(target);
    let plain = matches!(
        t.get_type(),
        DataType::Array | DataType::Null | DataType::Undef
    );
    if !plain && !crate::zend::quiet::php_allowed() {
        return Err(Stop); // a deprecation, an error or offsetSet()
    }
    match t.get_type() {
        DataType::Array => {}
        DataType::Null | DataType::Undef => value::replace(t, value::empty_array()),
        DataType::False => {
            call::deprecated("Automatic conversion of false to array is deprecated")?;
            value::replace(t, value::empty_array());
        }
        DataType::String => {
            throw_error(true, "Cannot access offset of type string on string");
            return Err(Stop);
        }
        // Objects: their `write_dimension` handler (ArrayAccess calls `offsetSet()`).
        DataType::Object(_) => return value::write_dimension(t, key, val),
        _ => {
            throw_error(false, "Cannot use a scalar value as an array");
            return Err(Stop);
        }
    }
    if let Some(ht) = value::array_separated(t) {
        // insert() only fails for keys it cannot build; ours are short literals.
        let _ = ht.insert(key, val);
    }
    Ok(())
}

/// [`assign`] with a pre-hashed key (arrays are updated without hashing the name).
pub fn assign_key(target: &mut Zval, key: &'static crate::zend::key::Key, val: Zval) -> Flow<()> {
    let t = value::deref_mut(target);
    if value::ty(t) == value::t::ARRAY {
        if let Some(ht) = value::array_separated(t) {
            key.update(ht, val);
            return Ok(());
        }
    }
    assign(t, key.name(), val)
}
