//! Byte-level string functions with PHP and WordPress semantics. FFI-free.

/// `sanitize_key()` without its filter: ASCII `strtolower` (PHP 8.2 is locale-free),
/// then drop every byte outside `[a-z0-9_-]`, byte by byte (the regex has no `/u`).
/// Whether `json_encode()` (flags 0) writes a string as it is between quotes: printable
/// ASCII without `"`, `\\` and `/` (which it escapes).
pub fn json_plain(s: &[u8]) -> bool {
    s.iter()
        .all(|&b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' && b != b'/')
}

/// Whether `sanitize_key()` leaves `raw` as it is (lower-case `a-z0-9_-` only).
pub fn is_sanitized_key(raw: &[u8]) -> bool {
    raw.iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
}

pub fn sanitize_key(raw: &[u8]) -> Vec<u8> {
    raw.iter()
        .map(u8::to_ascii_lowercase)
        .filter(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
        .collect()
}

/// PHP's `stripslashes()`: `\x` becomes `x`, `\0` becomes a NUL byte and a trailing lone
/// backslash is dropped. Returns `None` when the input has no backslash (nothing to do).
pub fn stripslashes(s: &[u8]) -> Option<Vec<u8>> {
    if !s.contains(&b'\\') {
        return None;
    }
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.iter();
    while let Some(&b) = it.next() {
        if b == b'\\' {
            match it.next() {
                Some(b'0') => out.push(0),
                Some(&next) => out.push(next),
                None => {}
            }
        } else {
            out.push(b);
        }
    }
    Some(out)
}

/// PHP's `(string)` of a float under the `precision` ini setting, for integral values
/// it prints as plain digits: `%.*G` uses plain notation when the value has at most
/// `precision` digits, and `precision = -1` (shortest form) below 1e15. `None` means
/// "ask PHP" (fractions, exponent notation, NaN, INF, -0).
pub fn php_integral_float(v: f64, precision: i64) -> Option<String> {
    if !v.is_finite() || v.fract() != 0.0 || v.abs() >= 1e15 || (v == 0.0 && v.is_sign_negative()) {
        return None;
    }
    // The guard above keeps the value well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    let digits = (v as i64).to_string();
    let len = i64::try_from(digits.trim_start_matches('-').len()).ok()?;
    (precision == -1 || (precision > 0 && len <= precision)).then_some(digits)
}

/// PHP `empty()` of a string: `""` and `"0"` are empty.
pub fn php_string_is_empty(s: &[u8]) -> bool {
    s.is_empty() || s == b"0"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_key_matches_core_examples() {
        assert_eq!(sanitize_key(b"Edit-POST_x!\xc3\xa9"), b"edit-post_x");
        assert_eq!(sanitize_key(b"!!!"), b"");
        assert_eq!(sanitize_key(b"dashboard"), b"dashboard");
        assert_eq!(sanitize_key(b"A B\tC\0d"), b"abcd");
        assert_eq!(sanitize_key(b"\xff\xfe-1"), b"-1");
        assert!(is_sanitized_key(b"dashboard"));
        assert!(json_plain(b"wp-auth-check 0123 <&>'"));
        assert!(!json_plain(b"a/b"));
        assert!(!json_plain(b"a\"b"));
        assert!(!json_plain(b"a\\b"));
        assert!(!json_plain(b"tab\there"));
        assert!(!json_plain(b"caf\xc3\xa9"));
        assert!(!json_plain(b"del\x7f"));
        assert!(is_sanitized_key(b"edit-post_2"));
        assert!(!is_sanitized_key(b"Dashboard"));
        assert!(!is_sanitized_key(b"a b"));
    }

    #[test]
    fn stripslashes_matches_php() {
        assert_eq!(stripslashes(b"plain"), None);
        assert_eq!(stripslashes(b"it\\'s").as_deref(), Some(&b"it's"[..]));
        assert_eq!(stripslashes(b"a\\\\b").as_deref(), Some(&b"a\\b"[..]));
        assert_eq!(stripslashes(b"\\0x").as_deref(), Some(&b"\0x"[..]));
        assert_eq!(stripslashes(b"end\\").as_deref(), Some(&b"end"[..]));
        assert_eq!(stripslashes(b"\\\"q\\\"").as_deref(), Some(&b"\"q\""[..]));
        assert_eq!(stripslashes(b"\\").as_deref(), Some(&b""[..]));
        assert_eq!(stripslashes(b"\\\\\\").as_deref(), Some(&b"\\"[..]));
    }

    #[test]
    fn integral_floats_print_like_php() {
        assert_eq!(php_integral_float(41560.0, 14).as_deref(), Some("41560"));
        assert_eq!(php_integral_float(41560.0, -1).as_deref(), Some("41560"));
        assert_eq!(php_integral_float(41560.0, 5).as_deref(), Some("41560"));
        // (string) 41560.0 with precision=4 is "4.156E+4": ask PHP.
        assert_eq!(php_integral_float(41560.0, 4), None);
        assert_eq!(php_integral_float(41560.0, 0), None);
        assert_eq!(php_integral_float(-3.0, 14).as_deref(), Some("-3"));
        assert_eq!(php_integral_float(0.0, 14).as_deref(), Some("0"));
        assert_eq!(
            php_integral_float(99_999_999_999_999.0, 14).as_deref(),
            Some("99999999999999")
        );
        assert_eq!(php_integral_float(100_000_000_000_000.0, 14), None);
        // precision=-1 prints 1e14 as "100000000000000" (checked with PHP 8.2).
        assert_eq!(
            php_integral_float(100_000_000_000_000.0, -1).as_deref(),
            Some("100000000000000")
        );
        assert_eq!(php_integral_float(1e15, -1), None);
        assert_eq!(php_integral_float(-0.0, 14), None);
        assert_eq!(php_integral_float(1.5, 14), None);
        assert_eq!(php_integral_float(f64::NAN, 14), None);
    }

    #[test]
    fn empty_strings() {
        assert!(php_string_is_empty(b""));
        assert!(php_string_is_empty(b"0"));
        assert!(!php_string_is_empty(b"00"));
        assert!(!php_string_is_empty(b" "));
    }
}
