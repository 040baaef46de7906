//! The subset of `maybe_unserialize()` the native answers read (session tokens, roles,
//! user capabilities): arrays, strings, integers, booleans, floats and null. Objects,
//! references and anything malformed are refused (`None`), never guessed. FFI-free.

/// Deepest array nesting read.
const MAX_DEPTH: usize = 32;

/// An array key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key<'a> {
    Int(i64),
    Str(&'a [u8]),
}

/// A value: integers and arrays as they are, other scalars by PHP truthiness.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Int(i64),
    Arr(Vec<(Key<'a>, Value<'a>)>),
    /// A string's bytes.
    Str(&'a [u8]),
    /// A float, boolean or null: whether PHP's `empty()` says no.
    Scalar {
        truthy: bool,
    },
}

impl Value<'_> {
    /// `! empty( $value )`.
    pub fn truthy(&self) -> bool {
        match self {
            Self::Int(n) => *n != 0,
            Self::Arr(a) => !a.is_empty(),
            Self::Str(s) => !crate::text::php_string_is_empty(s),
            Self::Scalar { truthy } => *truthy,
        }
    }
}

/// `maybe_unserialize()` of a raw value that is a serialized array (after PHP's `trim()`,
/// the whole value consumed); `None` for anything else.
pub fn maybe_unserialize(raw: &[u8]) -> Option<Value<'_>> {
    let data = trim_php(raw);
    let mut p = Parser { s: data, i: 0 };
    let v = p.value(0)?;
    (p.i == data.len() && matches!(v, Value::Arr(_))).then_some(v)
}

/// The last entry with this string key (later duplicates win, as in PHP).
pub fn get<'v, 'a>(entries: &'v [(Key<'a>, Value<'a>)], key: &[u8]) -> Option<&'v Value<'a>> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| matches!(k, Key::Str(s) if *s == key))
        .map(|(_, v)| v)
}

/// A string key PHP would have turned into an integer key (`"12"`, `"-3"`).
pub fn numeric_key(k: &[u8]) -> bool {
    let body = k.strip_prefix(b"-").unwrap_or(k);
    !body.is_empty()
        && body.iter().all(u8::is_ascii_digit)
        && (body == b"0" || body[0] != b'0')
        && !(k.starts_with(b"-") && body == b"0")
}

/// PHP's `trim()` character set.
fn trim_php(s: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0b);
    let start = s.iter().position(|b| !ws(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !ws(b)).map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or_default()
}

/// PHP's unserialize float grammar: `iv | nv | (iv | nv) [eE] iv`, where
/// `iv = [+-]?[0-9]+` and `nv = [+-]?([0-9]*"."[0-9]+ | [0-9]+"."[0-9]*)`.
fn php_float(v: &[u8]) -> bool {
    let (mantissa, exponent) = match v.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    fn unsigned(s: &[u8]) -> &[u8] {
        s.strip_prefix(b"-")
            .or_else(|| s.strip_prefix(b"+"))
            .unwrap_or(s)
    }
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let m = unsigned(mantissa);
    let mantissa_ok = match m.iter().position(|b| *b == b'.') {
        Some(i) => {
            let (a, b) = (&m[..i], &m[i + 1..]);
            digits(a) && digits(b) && !(a.is_empty() && b.is_empty())
        }
        None => !m.is_empty() && digits(m),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = unsigned(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn eat(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn until(&mut self, end: u8) -> Option<&'a [u8]> {
        let rest = self.s.get(self.i..)?;
        let n = rest.iter().position(|b| *b == end)?;
        self.i += n + 1;
        rest.get(..n)
    }

    /// An `i:` value or key: PHP's `[+-]?[0-9]+`.
    fn int(&mut self, end: u8) -> Option<i64> {
        let digits = self.until(end)?;
        let body = digits
            .strip_prefix(b"-")
            .or_else(|| digits.strip_prefix(b"+"))
            .unwrap_or(digits);
        if body.is_empty() || !body.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    }

    /// A string length or an element count: unsigned digits only, as PHP reads them.
    fn count(&mut self, end: u8) -> Option<usize> {
        let digits = self.until(end)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    }

    fn string(&mut self) -> Option<&'a [u8]> {
        let len = self.count(b':')?;
        self.eat(b'"')?;
        let s = self.s.get(self.i..self.i.checked_add(len)?)?;
        self.i += len;
        self.eat(b'"')?;
        self.eat(b';')?;
        Some(s)
    }

    fn key(&mut self) -> Option<Key<'a>> {
        let t = *self.s.get(self.i)?;
        self.i += 1;
        self.eat(b':')?;
        match t {
            b'i' => self.int(b';').map(Key::Int),
            b's' => self.string().map(Key::Str),
            _ => None,
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value<'a>> {
        let t = *self.s.get(self.i)?;
        self.i += 1;
        if t == b'N' {
            self.eat(b';')?;
            return Some(Value::Scalar { truthy: false });
        }
        self.eat(b':')?;
        match t {
            b'i' => self.int(b';').map(Value::Int),
            b's' => self.string().map(Value::Str),
            b'b' => match self.until(b';')? {
                b"0" => Some(Value::Scalar { truthy: false }),
                b"1" => Some(Value::Scalar { truthy: true }),
                _ => None,
            },
            b'd' => {
                let v = self.until(b';')?;
                match v {
                    b"NAN" | b"INF" | b"-INF" => Some(Value::Scalar { truthy: true }),
                    _ if php_float(v) => {
                        let f: f64 = std::str::from_utf8(v).ok()?.parse().ok()?;
                        Some(Value::Scalar { truthy: f != 0.0 })
                    }
                    _ => None,
                }
            }
            b'a' if depth < MAX_DEPTH => {
                let n = self.count(b':')?;
                self.eat(b'{')?;
                let mut entries = Vec::with_capacity(n.min(64));
                for _ in 0..n {
                    let k = self.key()?;
                    let v = self.value(depth + 1)?;
                    entries.push((k, v));
                }
                self.eat(b'}')?;
                Some(Value::Arr(entries))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_scalars() {
        let v = maybe_unserialize(
            b" a:5:{s:1:\"a\";b:1;s:1:\"b\";b:0;i:3;s:1:\"0\";s:1:\"c\";d:0.5;s:1:\"d\";N;}\n",
        );
        assert!(matches!(v, Some(Value::Arr(_))), "not parsed");
        let Some(Value::Arr(e)) = v else { return };
        assert_eq!(get(&e, b"a").map(Value::truthy), Some(true));
        assert_eq!(get(&e, b"b").map(Value::truthy), Some(false));
        assert_eq!(get(&e, b"c").map(Value::truthy), Some(true));
        assert_eq!(get(&e, b"d").map(Value::truthy), Some(false));
        assert_eq!(e[2], (Key::Int(3), Value::Str(b"0")));
        assert!(!e[2].1.truthy(), "\"0\" is empty() in PHP");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            &b""[..],
            b"s:1:\"a\";",
            b"i:1;",
            b"a:1:{s:1:\"a\";O:8:\"stdClass\":0:{}}",
            b"a:1:{s:1:\"a\";R:1;}",
            b"a:1:{s:1:\"a\";b:2;}",
            b"a:2:{s:1:\"a\";b:1;}",
            b"a:1:{s:1:\"a\";b:1;}x",
            b"a:1:{s:2:\"a\";b:1;}",
            b"a:+1:{s:1:\"a\";b:1;}",
            b"a:1:{s:+1:\"a\";b:1;}",
            b"a:1:{s:1:\"a\";d:inf;}",
            b"a:1:{s:1:\"a\";d:nan;}",
            b"a:1:{s:1:\"a\";d:1.5e;}",
            b"a:1:{s:1:\"a\";d:.;}",
        ] {
            assert_eq!(
                maybe_unserialize(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn floats_follow_php_grammar() {
        for ok in [
            &b"0"[..],
            b"-1.5",
            b"+2.",
            b".5",
            b"1e10",
            b"1.5E-3",
            b"NAN",
            b"-INF",
        ] {
            let v = [b"a:1:{i:0;d:".as_slice(), ok, b";}"].concat();
            assert!(
                maybe_unserialize(&v).is_some(),
                "{}",
                String::from_utf8_lossy(ok)
            );
        }
    }

    #[test]
    fn numeric_keys_are_recognised() {
        for k in [&b"0"[..], b"12", b"-3"] {
            assert!(numeric_key(k));
        }
        for k in [&b"012"[..], b"-0", b"1a", b"", b"edit_posts", b" 1"] {
            assert!(!numeric_key(k));
        }
    }
}
