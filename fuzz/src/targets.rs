//! Fuzz targets: each decodes its arguments from a byte string, runs fastbeat's function
//! (through [`Impl`], so the self-test can swap in deliberately broken versions), checks it
//! against the independent model in [`crate::model`] plus properties, and says what real
//! PHP must return for the same arguments.

use crate::gen::{encode_fields, Reader};
use crate::model;

/// The functions under test. [`Impl::fastbeat`] is the real code; mutants are for the
/// self-test, which proves the checks catch wrong implementations.
/// `nonce::expected`'s signature.
pub type ExpectedFn = fn(&[u8], &[u8], &[u8], &[u8], &[u8]) -> [u8; 10];

#[derive(Clone, Copy)]
pub struct Impl {
    pub stripslashes: fn(&[u8]) -> Option<Vec<u8>>,
    pub sanitize_key: fn(&[u8]) -> Vec<u8>,
    pub session_token: for<'a> fn(&'a [u8]) -> &'a [u8],
    pub expected: ExpectedFn,
    pub matches: fn(&[u8; 10], &[u8]) -> bool,
    pub tick: fn(i64, i64) -> Option<f64>,
    pub integral_float: fn(f64, i64) -> Option<String>,
    pub string_is_empty: fn(&[u8]) -> bool,
    /// The fast lane's functions ([`crate::lane_targets`]).
    pub lane: crate::lane_targets::Lane,
}

impl Impl {
    pub fn fastbeat() -> Self {
        Impl {
            stripslashes: fastbeat_lane::text::stripslashes,
            sanitize_key: fastbeat_lane::text::sanitize_key,
            session_token: fastbeat_lane::cookie::session_token,
            expected: fastbeat_lane::nonce::expected,
            matches: fastbeat_lane::nonce::matches,
            tick: fastbeat_lane::nonce::tick,
            integral_float: fastbeat_lane::text::php_integral_float,
            string_is_empty: fastbeat_lane::text::php_string_is_empty,
            lane: crate::lane_targets::Lane::fastbeat(),
        }
    }
}

/// Outcome of one check: `Err` carries a human-readable description of the mismatch.
pub type Check = Result<(), String>;

pub struct Target {
    pub name: &'static str,
    pub about: &'static str,
    /// Tokens the generator mixes in.
    pub dict: &'static [&'static [u8]],
    /// Hand-written seeds (also written to fuzz/corpus/<name>/ by `--write-seeds`).
    pub seeds: fn() -> Vec<Vec<u8>>,
    pub check: fn(&Impl, &[u8]) -> Check,
    /// Arguments for the PHP oracle, or `None` when this input is outside what PHP is
    /// asked about (e.g. a float the Rust function declines to format).
    pub php_args: fn(&[u8]) -> Option<Vec<Vec<u8>>>,
    /// What fastbeat says PHP must print for those arguments.
    pub php_expect: fn(&Impl, &[u8]) -> Vec<u8>,
    /// PHP function body: `$a` is the argument array, return a string. Empty: the
    /// target has no PHP oracle (its PHP phase is skipped, not counted).
    pub php_body: &'static str,
    /// Whether fastbeat's answer (first) agrees with PHP's (second).
    pub php_compare: fn(&[u8], &[u8]) -> bool,
    /// A label for an input's outcome, counted over the PHP sample so a run shows the
    /// oracle saw every kind of result (e.g. accepted and refused), or "" for no label.
    pub label: fn(&[u8]) -> &'static str,
    /// Mutants the self-test must catch: (description, broken implementation).
    pub mutants: fn() -> Vec<(&'static str, Impl)>,
}

pub fn show(b: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in b.iter().take(200) {
        if c.is_ascii_graphic() && c != b'\\' && c != b'"' || c == b' ' {
            s.push(char::from(c));
        } else {
            s.push_str(&format!("\\x{c:02x}"));
        }
    }
    if b.len() > 200 {
        s.push_str(&format!("...(+{})", b.len() - 200));
    }
    s.push('"');
    s
}

pub fn ensure(ok: bool, what: impl FnOnce() -> String) -> Check {
    if ok {
        Ok(())
    } else {
        Err(what())
    }
}

// ----------------------------------------------------------------------------- stripslashes

fn stripslashes_check(f: &Impl, x: &[u8]) -> Check {
    let got = (f.stripslashes)(x);
    let want = model::stripslashes(x);
    match got {
        None => ensure(!x.contains(&b'\\'), || {
            format!(
                "stripslashes({}) returned None (\"unchanged\") but the input has a backslash",
                show(x)
            )
        }),
        Some(out) => {
            ensure(out == want, || {
                format!(
                    "stripslashes({}) = {}, PHP semantics give {}",
                    show(x),
                    show(&out),
                    show(&want)
                )
            })?;
            ensure(out.len() <= x.len(), || "output longer than input".into())?;
            let pairs = x.windows(2).filter(|w| w == b"\\\\").count();
            ensure(out.iter().filter(|&&b| b == b'\\').count() <= pairs, || {
                format!("more backslashes out than escaped pairs in for {}", show(x))
            })
        }
    }
}

fn stripslashes_seeds() -> Vec<Vec<u8>> {
    [
        &b""[..],
        b"plain",
        b"\\",
        b"\\\\",
        b"\\\\\\",
        b"\\0",
        b"\\00",
        b"\\\\0",
        b"\\\\\\0",
        b"it\\'s \\\"q\\\"",
        b"end\\",
        b"a\\\x00b",
        b"\\\xff\\\xc3\xa9",
        b"C:\\\\path\\\\to\\\\file",
        b"{\\\"json\\\":\\\"v\\\\u00e9\\\"}",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect()
}

// ----------------------------------------------------------------------------- sanitize_key

fn sanitize_key_check(f: &Impl, x: &[u8]) -> Check {
    let got = (f.sanitize_key)(x);
    let want = model::sanitize_key(x);
    ensure(got == want, || {
        format!(
            "sanitize_key({}) = {}, expected {}",
            show(x),
            show(&got),
            show(&want)
        )
    })?;
    ensure(
        got.iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-'),
        || format!("sanitize_key({}) left a byte outside [a-z0-9_-]", show(x)),
    )?;
    ensure((f.sanitize_key)(&got) == got, || {
        format!("sanitize_key is not idempotent on {}", show(x))
    })
}

fn sanitize_key_seeds() -> Vec<Vec<u8>> {
    [
        &b"dashboard"[..],
        b"Edit-POST_x!\xc3\xa9",
        b"front",
        b"",
        b"0",
        b"!!!",
        b"A B\tC\0d",
        b"\xff\xfe-1",
        b"\xc4\xb0stanbul",
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        b"post-new.php?post_type=page",
        b"\xe2\x80\x94-\xc3\x84\xc3\x96",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect()
}

// ----------------------------------------------------------------------------- session_token

fn session_token_check(f: &Impl, x: &[u8]) -> Check {
    let got = (f.session_token)(x);
    let want = model::session_token(x);
    ensure(got == want.as_slice(), || {
        format!(
            "session_token({}) = {}, wp_get_session_token() gives {}",
            show(x),
            show(got),
            show(&want)
        )
    })?;
    // The token is borrowed from the cookie: it must lie inside it.
    let (start, end) = (x.as_ptr() as usize, x.as_ptr() as usize + x.len());
    let p = got.as_ptr() as usize;
    ensure(
        got.is_empty() || (p >= start && p + got.len() <= end),
        || "token does not point into the cookie".into(),
    )?;
    ensure(!got.contains(&b'|'), || "token contains '|'".into())?;
    let empty = (f.string_is_empty)(x);
    ensure(empty == (x.is_empty() || x == b"0"), || {
        format!("php_string_is_empty({}) = {empty}", show(x))
    })
}

fn session_token_seeds() -> Vec<Vec<u8>> {
    [
        &b"admin|1795551073|A3krUflXPkZyRtLHEYMNT0Ngxs8mIEfDZG4vnNOZdCi|4f9c3b0e2a7d1c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a090"[..],
        b"|||",
        b"0",
        b"",
        b"a|b|0|d",
        b"a|b|00|d",
        b"a|b||d",
        b"a|b|c",
        b"a|b|c|d|e",
        b"a|b|c\\'|d",
        b"a|b|c|",
        b"|b|c|d",
        b"a%7Cb%7Cc%7Cd",
        b"\xc3\xa9|\x00|\xff|\\",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect()
}

// ----------------------------------------------------------------------------- nonce

/// Decoded nonce arguments: salt, tick, action, uid, token, and the nonce to compare.
struct NonceArgs {
    salt: Vec<u8>,
    tick: Vec<u8>,
    action: Vec<u8>,
    uid: Vec<u8>,
    token: Vec<u8>,
    given: Vec<u8>,
}

fn nonce_args(f: &Impl, x: &[u8]) -> NonceArgs {
    let mut r = Reader::new(x);
    let shape = r.byte();
    let mut salt = r.field().to_vec();
    let mut tick = r.field().to_vec();
    let mut action = r.field().to_vec();
    let mut uid = r.field().to_vec();
    let token = r.field().to_vec();
    if shape & 0x80 != 0 {
        // Realistic shapes: a digit tick, a known action, a numeric uid, a long salt.
        tick = format!("{}", 41_000 + u64::from(shape & 0x3f) * 13).into_bytes();
        action = [
            &b"heartbeat-nonce"[..],
            b"wp_rest",
            b"log-out",
            b"-1",
            b"update-post_1",
        ][usize::from(shape % 5)]
        .to_vec();
        uid = format!("{}", shape % 7).into_bytes();
        if salt.len() < 40 {
            salt.extend_from_slice(b"fastbeat-test-nonce_keyfastbeat-test-nonce_salt");
        }
    }
    let expected = (f.expected)(&salt, &tick, &action, &uid, &token);
    // What the attacker sends, derived from the true nonce in several ways.
    let mode = r.byte();
    let extra = r.rest();
    let given = match mode % 10 {
        9 => expected.to_vec(),
        1 => {
            let mut g = expected.to_vec();
            let i = usize::from(mode / 10) % 10;
            g[i] ^= 1 << (mode % 7);
            g
        }
        2 => expected.to_ascii_uppercase(),
        3 => expected[..usize::from(mode / 10) % 10].to_vec(),
        4 => {
            let mut g = expected.to_vec();
            g.extend_from_slice(if extra.is_empty() { b" " } else { extra });
            g
        }
        5 => {
            let mut g = extra.to_vec();
            g.extend_from_slice(&expected);
            g
        }
        6 => model::nonce(&salt, b"41560", &action, &uid, &token),
        _ => extra.to_vec(), // 0 (an exhausted input), 7, 8: whatever bytes follow
    };
    NonceArgs {
        salt,
        tick,
        action,
        uid,
        token,
        given,
    }
}

fn nonce_check(f: &Impl, x: &[u8]) -> Check {
    let a = nonce_args(f, x);
    let got = (f.expected)(&a.salt, &a.tick, &a.action, &a.uid, &a.token);
    let want = model::nonce(&a.salt, &a.tick, &a.action, &a.uid, &a.token);
    ensure(got.as_slice() == want.as_slice(), || {
        format!(
            "expected(salt={}, tick={}, action={}, uid={}, token={}) = {}, HMAC-MD5 model gives {}",
            show(&a.salt),
            show(&a.tick),
            show(&a.action),
            show(&a.uid),
            show(&a.token),
            show(&got),
            show(&want)
        )
    })?;
    ensure(
        got.iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)),
        || format!("expected nonce {} is not lowercase hex", show(&got)),
    )?;
    let accepted = (f.matches)(&got, &a.given);
    ensure(accepted == (a.given.as_slice() == want.as_slice()), || {
        format!(
            "matches({}, given {}) = {accepted}: hash_equals() says {}",
            show(&got),
            show(&a.given),
            a.given.as_slice() == want.as_slice()
        )
    })
}

fn nonce_php_args(x: &[u8]) -> Option<Vec<Vec<u8>>> {
    let a = nonce_args(&Impl::fastbeat(), x);
    Some(vec![a.salt, a.tick, a.action, a.uid, a.token, a.given])
}

fn nonce_php_expect(f: &Impl, x: &[u8]) -> Vec<u8> {
    let a = nonce_args(f, x);
    let e = (f.expected)(&a.salt, &a.tick, &a.action, &a.uid, &a.token);
    let mut out = e.to_vec();
    out.push(if (f.matches)(&e, &a.given) {
        b'1'
    } else {
        b'0'
    });
    out
}

fn nonce_seeds() -> Vec<Vec<u8>> {
    let salt = &b"fastbeat-test-nonce_keyfastbeat-test-nonce_salt"[..];
    let token = &b"A3krUflXPkZyRtLHEYMNT0Ngxs8mIEfDZG4vnNOZdCi"[..];
    let mut v = Vec::new();
    for (mode, extra) in [
        (9u8, &b""[..]),
        (1, b""),
        (2, b""),
        (3, b""),
        (33, b""), // The true nonce's first 3 characters (a compare that accepts a prefix).
        (4, b"0"),
        // The true nonce plus one space (an empty extra pads with " "): catches a compare
        // that trims padding without waiting for random inputs to build one.
        (4, b""),
        (5, b" "),
        (6, b""),
        (7, b"Array"),
        (7, b"6310831e77"),
    ] {
        let mut s = encode_fields(&[salt, b"41560", b"heartbeat-nonce", b"1", token]);
        s.insert(0, 0);
        s.push(mode);
        s.extend_from_slice(extra);
        v.push(s);
    }
    // The reference capture, and keys around HMAC's 64-byte block size.
    let mut s = vec![0u8];
    s.extend(encode_fields(&[
        b"test-nonce-key-0004test-nonce-salt-0008",
        b"41560",
        b"heartbeat-nonce",
        b"1",
        token,
    ]));
    s.push(7);
    s.extend_from_slice(b"6310831e77");
    v.push(s);
    for n in [0usize, 1, 63, 64, 65, 128, 255] {
        let key = vec![b'k'; n];
        let mut s = vec![0u8];
        s.extend(encode_fields(&[&key, b"1", b"-1", b"0", b""]));
        s.push(9);
        v.push(s);
    }
    v
}

// ----------------------------------------------------------------------------- tick

/// Decoded `(now, nonce_life)`; `now` stays within ±2^53 where PHP's int→float steps are
/// exact (beyond it PHP divides exactly-divisible longs as integers first).
fn tick_args(x: &[u8]) -> (i64, i64) {
    let mut r = Reader::new(x);
    let mode = r.byte();
    let a = r.u64();
    let b = r.u64();
    let now = match mode % 4 {
        0 => 1_700_000_000 + i64::try_from(a % 400_000_000).unwrap_or(0),
        1 => i64::try_from(a % (1 << 33)).unwrap_or(0),
        2 => (i64::try_from(a % (1 << 54)).unwrap_or(0)) - (1 << 53),
        _ => i64::try_from(a % 1_000_000).unwrap_or(0),
    };
    let life = match (mode / 4) % 5 {
        0 => [86_400, 7_200, 43_200, 3_600, 1, 2, 3, 59, 0, -86_400]
            [usize::try_from(b % 10).unwrap_or(0)],
        1 => i64::try_from(b % 1_000_000).unwrap_or(0),
        2 => i64::try_from(b % (1 << 31)).unwrap_or(0),
        3 => i64::try_from(b % (1 << 40)).unwrap_or(0) - (1 << 20),
        _ => 86_400 * (1 + i64::try_from(b % 400).unwrap_or(0)),
    };
    (now, life)
}

fn tick_check(f: &Impl, x: &[u8]) -> Check {
    let (now, life) = tick_args(x);
    let got = (f.tick)(now, life);
    if life <= 0 {
        // Core divides by zero / goes negative here; fastbeat must leave it to PHP.
        return ensure(got.is_none(), || {
            format!("tick({now}, {life}) = {got:?}, must be None (ask PHP)")
        });
    }
    let Some(t) = got else {
        return Err(format!("tick({now}, {life}) = None for a positive life"));
    };
    if (0..(1i64 << 33)).contains(&now) {
        // Exact integer model; equal to the float result in this range (|q| * life <= 2^34,
        // so the smallest non-zero fraction 1/life exceeds half an ulp of q).
        let want = model::tick_exact(now, life).unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let want_f = want as f64;
        ensure(t == want_f, || {
            format!("tick({now}, {life}) = {t}, ceil(2*now/life) = {want}")
        })?;
    }
    ensure(t.fract() == 0.0 || !t.is_finite(), || {
        format!("tick({now}, {life}) = {t} is not integral")
    })
}

fn tick_php_args(x: &[u8]) -> Option<Vec<Vec<u8>>> {
    let (now, life) = tick_args(x);
    (life > 0).then(|| vec![now.to_string().into_bytes(), life.to_string().into_bytes()])
}

fn tick_php_expect(f: &Impl, x: &[u8]) -> Vec<u8> {
    let (now, life) = tick_args(x);
    let t = (f.tick)(now, life).unwrap_or(f64::NAN);
    model::hex(&t.to_be_bytes())
}

fn tick_seeds() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for (mode, a, b) in [
        (0u8, 0u64, 0u64),
        (3, 43_200, 0),
        (3, 43_201, 0),
        (1, 1_795_378_273, 0),
        (4 * 2 + 1, (1 << 33) - 1, (1 << 31) - 1),
        (2, 0, 0),
        (2, (1 << 54) - 1, 2),
        (4 * 3 + 2, 12_345, 0),
    ] {
        let mut s = vec![mode];
        s.extend_from_slice(&a.to_le_bytes());
        s.extend_from_slice(&b.to_le_bytes());
        v.push(s);
    }
    v
}

// ----------------------------------------------------------------------------- integral_float

/// Decoded `(value, precision ini)`.
fn float_arg(x: &[u8]) -> (f64, i64) {
    let mut r = Reader::new(x);
    let mode = r.byte();
    let p = r.byte();
    let a = r.u64();
    let precision = [14, -1, 17, 1, 2, 3, 4, 5, 6, 10, 13, 15, 16, 0, -2, 20][usize::from(p % 16)];
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_wrap)]
    let v = match mode % 7 {
        0 => f64::from_bits(a),
        1 => ((a as i64) >> (a % 64)) as f64,
        2 => 1e14 + ((a % 2001) as f64 - 1000.0),
        3 => -1e15 + ((a % 2001) as f64 - 1000.0),
        4 => (a % 100_000) as f64 + (a % 7) as f64 / 8.0,
        5 => {
            10f64.powi(i32::try_from(a % 17).unwrap_or(0))
                - f64::from(u8::try_from(a % 3).unwrap_or(0))
        }
        _ => [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            99_999_999_999_999.0,
            -99_999_999_999_999.0,
            999_999_999_999_999.0,
            99_999_999_999_999.5,
            1e15,
            41_560.0,
            9_007_199_254_740_993.0,
        ][usize::try_from(a % 13).unwrap_or(0)],
    };
    (v, precision)
}

/// Decimal digits of an integral value's magnitude.
fn digit_count(v: f64) -> i64 {
    let mut n = 1;
    let mut m = v.abs();
    while m >= 10.0 {
        m /= 10.0;
        n += 1;
    }
    n
}

fn integral_float_check(f: &Impl, x: &[u8]) -> Check {
    let (v, precision) = float_arg(x);
    match (f.integral_float)(v, precision) {
        None => Ok(()),
        Some(s) => {
            ensure(v.is_finite() && v.fract() == 0.0, || {
                format!("php_integral_float({v:?}, {precision}) = {s:?}: not an integral float")
            })?;
            ensure(!(v == 0.0 && v.is_sign_negative()), || {
                format!("php_integral_float(-0.0, {precision}) = {s:?}: PHP prints \"-0\"")
            })?;
            // %.*G prints plain digits only when they fit in `precision`; -1 (shortest
            // round-trip form) does so below 1e15.
            let plain = match precision {
                -1 => v.abs() < 1e15,
                p if p > 0 => digit_count(v) <= p,
                _ => false,
            };
            ensure(plain, || {
                format!(
                    "php_integral_float({v:?}, precision {precision}) = {s:?}, but PHP prints it in exponent form"
                )
            })?;
            #[allow(clippy::cast_precision_loss)]
            let back = s.parse::<i64>().map(|n| n as f64);
            ensure(back == Ok(v), || {
                format!("php_integral_float({v:?}) = {s:?} does not read back")
            })
        }
    }
}

fn integral_float_php_args(x: &[u8]) -> Option<Vec<Vec<u8>>> {
    let (v, p) = float_arg(x);
    (Impl::fastbeat().integral_float)(v, p)
        .map(|_| vec![v.to_le_bytes().to_vec(), p.to_string().into_bytes()])
}

fn integral_float_php_expect(f: &Impl, x: &[u8]) -> Vec<u8> {
    let (v, p) = float_arg(x);
    (f.integral_float)(v, p).unwrap_or_default().into_bytes()
}

fn integral_float_seeds() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for p in 0u8..16 {
        for i in [0u8, 1, 6, 8, 10, 11] {
            let mut s = vec![6u8, p];
            s.extend_from_slice(&u64::from(i).to_le_bytes());
            v.push(s);
        }
    }
    v.extend([
        vec![2u8, 0, 0xe8, 0x03],
        vec![2u8, 11, 0xe7, 0x03],
        vec![3u8, 1, 0xe9, 0x03],
    ]);
    v
}

// ----------------------------------------------------------------------------- mutants

fn mut_stripslashes_no_nul(s: &[u8]) -> Option<Vec<u8>> {
    // Forgets that "\0" means a NUL byte.
    if !s.contains(&b'\\') {
        return None;
    }
    let mut out = Vec::new();
    let mut escaped = false;
    for &b in s {
        if escaped {
            out.push(b);
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else {
            out.push(b);
        }
    }
    Some(out)
}
fn mut_stripslashes_keep_trailing(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = fastbeat_lane::text::stripslashes(s)?;
    if s.ends_with(b"\\") && s.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1 {
        out.push(b'\\');
    }
    Some(out)
}
fn mut_sanitize_key_dot(s: &[u8]) -> Vec<u8> {
    s.iter()
        .map(u8::to_ascii_lowercase)
        .filter(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.".contains(b))
        .collect()
}
fn mut_sanitize_key_multibyte(s: &[u8]) -> Vec<u8> {
    // Keeps UTF-8 letters, as a `/u` regex with \p{L} would.
    s.iter()
        .map(u8::to_ascii_lowercase)
        .filter(|&b| {
            b >= 0x80 || b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
        })
        .collect()
}
fn mut_session_token_five(c: &[u8]) -> &[u8] {
    // Accepts more than four parts (splitn-style).
    if c.is_empty() || c == b"0" {
        return b"";
    }
    let mut p = c.splitn(4, |b| *b == b'|');
    match (p.next(), p.next(), p.next(), p.next()) {
        (Some(_), Some(_), Some(t), Some(_)) if !t.is_empty() && t != b"0" => t,
        _ => b"",
    }
}
fn mut_session_token_zero(c: &[u8]) -> &[u8] {
    // Forgets that a "0" token is empty().
    let mut p = c.split(|b| *b == b'|');
    match (p.next(), p.next(), p.next(), p.next(), p.next()) {
        (Some(_), Some(_), Some(t), Some(_), None) if c != b"0" => t,
        _ => b"",
    }
}
fn mut_expected_wrong_slice(s: &[u8], t: &[u8], a: &[u8], u: &[u8], k: &[u8]) -> [u8; 10] {
    // Takes hex characters 21..31 instead of 20..30.
    let h = model::hex(&model::hmac_md5(
        s,
        &[t, b"|", a, b"|", u, b"|", k].concat(),
    ));
    let mut out = [0u8; 10];
    out.copy_from_slice(&h[21..31]);
    out
}
fn mut_expected_no_uid(s: &[u8], t: &[u8], a: &[u8], _u: &[u8], k: &[u8]) -> [u8; 10] {
    fastbeat_lane::nonce::expected(s, t, a, b"0", k)
}
fn mut_matches_prefix(e: &[u8; 10], g: &[u8]) -> bool {
    // Compares only as many bytes as were given (a truncation bug).
    !g.is_empty() && g.len() <= 10 && e.starts_with(g)
}
fn mut_matches_case(e: &[u8; 10], g: &[u8]) -> bool {
    g.len() == 10 && e.eq_ignore_ascii_case(g)
}
fn mut_matches_trim(e: &[u8; 10], g: &[u8]) -> bool {
    let t: &[u8] = {
        let mut t = g;
        while let [rest @ .., b' ' | b'\n' | b'\0'] = t {
            t = rest;
        }
        t
    };
    fastbeat_lane::nonce::matches(e, t)
}
fn mut_tick_floor(now: i64, life: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (life > 0).then(|| (now as f64 / (life as f64 / 2.0)).floor())
}
fn mut_tick_int_div(now: i64, life: i64) -> Option<f64> {
    // Integer-halves the life first (wrong for odd lives).
    #[allow(clippy::cast_precision_loss)]
    (life > 1).then(|| (now as f64 / (life / 2) as f64).ceil())
}
fn mut_integral_float_ignores_precision(v: f64, _precision: i64) -> Option<String> {
    // The first cut: plain digits below 1e14 whatever `precision` says.
    #[allow(clippy::cast_possible_truncation)]
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e14 && !(v == 0.0 && v.is_sign_negative()))
        .then(|| (v as i64).to_string())
}
fn mut_integral_float_neg_zero(v: f64, precision: i64) -> Option<String> {
    if v == 0.0 {
        return Some("0".into());
    }
    fastbeat_lane::text::php_integral_float(v, precision)
}

fn with(f: impl FnOnce(&mut Impl)) -> Impl {
    let mut i = Impl::fastbeat();
    f(&mut i);
    i
}

// ----------------------------------------------------------------------------- registry

pub const PHP_WP_BOOT: &str = r#"
$wp = rtrim( getenv( 'FB_WP_DIR' ) ?: '/usr/share/wordpress', '/' ) . '/';
define( 'ABSPATH', $wp );
define( 'WPINC', 'wp-includes' );
define( 'LOGGED_IN_COOKIE', 'wordpress_logged_in_fuzz' );
require ABSPATH . WPINC . '/plugin.php';
require ABSPATH . WPINC . '/formatting.php';
require ABSPATH . WPINC . '/pluggable.php';
require ABSPATH . WPINC . '/user.php';
"#;

pub fn all() -> Vec<Target> {
    let mut v = vec![
        Target {
            name: "stripslashes",
            about: "text::stripslashes (wp_unslash of strings) vs PHP semantics; oracle: WordPress wp_unslash()",
            dict: &[b"\\", b"\\\\", b"\\0", b"0", b"'", b"\"", b"\0", b"\\\\\\", b"\xc3\xa9"],
            seeds: stripslashes_seeds,
            check: stripslashes_check,
            php_args: |x| Some(vec![x.to_vec()]),
            php_expect: |f, x| (f.stripslashes)(x).unwrap_or_else(|| x.to_vec()),
            php_body: "return wp_unslash( $a[0] );",
            php_compare: |a, b| a == b,
            label: |_| "",
            mutants: || {
                vec![
                    ("stripslashes forgets \\0 -> NUL", with(|i| i.stripslashes = mut_stripslashes_no_nul)),
                    ("stripslashes keeps a trailing lone backslash", with(|i| i.stripslashes = mut_stripslashes_keep_trailing)),
                ]
            },
        },
        Target {
            name: "sanitize_key",
            about: "text::sanitize_key vs the spec; oracle: WordPress sanitize_key()",
            dict: &[b"A", b"Z", b"a", b"z", b"-", b"_", b"0", b"9", b".", b" ", b"\xc3\x89", b"\xc0", b"\xde", b"\xff", b"[", b"@", b"`", b"{"],
            seeds: sanitize_key_seeds,
            check: sanitize_key_check,
            php_args: |x| Some(vec![x.to_vec()]),
            php_expect: |f, x| (f.sanitize_key)(x),
            php_body: "return sanitize_key( $a[0] );",
            php_compare: |a, b| a == b,
            label: |_| "",
            mutants: || {
                vec![
                    ("sanitize_key keeps '.'", with(|i| i.sanitize_key = mut_sanitize_key_dot)),
                    ("sanitize_key keeps UTF-8 letters", with(|i| i.sanitize_key = mut_sanitize_key_multibyte)),
                ]
            },
        },
        Target {
            name: "session_token",
            about: "cookie::session_token vs a split-based model; oracle: WordPress wp_get_session_token()",
            dict: &[b"|", b"||", b"|0|", b"0", b"admin", b"1795551073", b"\\", b"'", b"%7C"],
            seeds: session_token_seeds,
            check: session_token_check,
            php_args: |x| Some(vec![x.to_vec()]),
            php_expect: |f, x| (f.session_token)(x).to_vec(),
            php_body: "$_COOKIE[ LOGGED_IN_COOKIE ] = $a[0]; return (string) wp_get_session_token();",
            php_compare: |a, b| a == b,
            label: |_| "",
            mutants: || {
                vec![
                    ("session_token accepts 5+ parts", with(|i| i.session_token = mut_session_token_five)),
                    ("session_token keeps a \"0\" token", with(|i| i.session_token = mut_session_token_zero)),
                ]
            },
        },
        Target {
            name: "nonce",
            about: "nonce::expected vs an independent HMAC-MD5, nonce::matches vs hash_equals; oracle: PHP hash_hmac()/hash_equals()",
            dict: &[b"|", b"heartbeat-nonce", b"41560", b"1", b"\0", b"\xff"],
            seeds: nonce_seeds,
            check: nonce_check,
            php_args: nonce_php_args,
            php_expect: nonce_php_expect,
            label: |x| {
                let f = Impl::fastbeat();
                let a = nonce_args(&f, x);
                if (f.matches)(&(f.expected)(&a.salt, &a.tick, &a.action, &a.uid, &a.token), &a.given) {
                    "accepted"
                } else {
                    "rejected"
                }
            },
            php_body: "$e = substr( hash_hmac( 'md5', \"{$a[1]}|{$a[2]}|{$a[3]}|{$a[4]}\", $a[0] ), -12, 10 ); return $e . ( hash_equals( $e, $a[5] ) ? '1' : '0' );",
            php_compare: |a, b| a == b,
            mutants: || {
                vec![
                    ("expected takes the wrong 10 hex chars", with(|i| i.expected = mut_expected_wrong_slice)),
                    ("expected ignores the uid", with(|i| i.expected = mut_expected_no_uid)),
                    ("matches accepts a prefix", with(|i| i.matches = mut_matches_prefix)),
                    ("matches ignores case", with(|i| i.matches = mut_matches_case)),
                    ("matches trims padding", with(|i| i.matches = mut_matches_trim)),
                ]
            },
        },
        Target {
            name: "tick",
            about: "nonce::tick vs exact integer ceil(2*now/life); oracle: PHP ceil( $now / ( $life / 2 ) )",
            dict: &[],
            seeds: tick_seeds,
            check: tick_check,
            php_args: tick_php_args,
            php_expect: tick_php_expect,
            php_body: "$now = (int) $a[0]; $life = (int) $a[1]; return bin2hex( pack( 'E', (float) ceil( $now / ( $life / 2 ) ) ) );",
            php_compare: |a, b| a == b,
            label: |_| "",
            mutants: || {
                vec![
                    ("tick uses floor", with(|i| i.tick = mut_tick_floor)),
                    ("tick halves the life as an integer", with(|i| i.tick = mut_tick_int_div)),
                ]
            },
        },
        Target {
            name: "integral_float",
            about: "text::php_integral_float (tick text) vs the %.*G rule, many precision values; oracle: PHP (string) $float under ini_set( precision )",
            dict: &[],
            seeds: integral_float_seeds,
            check: integral_float_check,
            php_args: integral_float_php_args,
            php_expect: integral_float_php_expect,
            php_body: "ini_set( 'precision', $a[1] ); $s = (string) unpack( 'e', $a[0] )[1]; ini_restore( 'precision' ); return $s;",
            php_compare: |a, b| a == b,
            label: |_| "",
            mutants: || {
                vec![
                    ("integral_float ignores the precision ini", with(|i| i.integral_float = mut_integral_float_ignores_precision)),
                    ("integral_float formats -0.0", with(|i| i.integral_float = mut_integral_float_neg_zero)),
                ]
            },
        },
    ];
    v.extend(crate::lane_targets::all());
    v
}
