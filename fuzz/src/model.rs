//! Reference models, written independently of `fastbeat`'s code from the PHP and
//! WordPress sources they stand for. Each is deliberately straightforward rather than fast.

/// PHP's `stripslashes()` (ext/standard/string.c, `php_stripslashes_impl`), index-based:
/// a backslash consumes the next byte (`0` → NUL), a lone trailing backslash vanishes.
pub fn stripslashes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' {
            if i + 1 < s.len() {
                out.push(if s[i + 1] == b'0' { 0 } else { s[i + 1] });
            }
            i += 2;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// WordPress 6.1.9 `sanitize_key()` for a string: `strtolower()` (ASCII only since PHP 8.2)
/// then `preg_replace( '/[^a-z0-9_\-]/', '', ... )` without the `u` flag (byte-wise).
// Byte ranges spelled out on purpose: the model shares no helper with the code under test.
#[allow(clippy::manual_is_ascii_check)]
pub fn sanitize_key(s: &[u8]) -> Vec<u8> {
    const KEEP: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut out = Vec::new();
    for &b in s {
        let lower = if (b'A'..=b'Z').contains(&b) {
            b + 32
        } else {
            b
        };
        if KEEP.contains(&lower) {
            out.push(lower);
        }
    }
    out
}

/// PHP `empty()` of a string.
fn php_empty(s: &[u8]) -> bool {
    s.is_empty() || s == b"0"
}

/// `wp_get_session_token()` over `wp_parse_auth_cookie( '', 'logged_in' )` (user.php,
/// pluggable.php): `empty( $_COOKIE[...] )` → false; `explode( '|', $cookie )` must give
/// exactly 4 elements; `! empty( $token ) ? $token : ''`.
pub fn session_token(cookie: &[u8]) -> Vec<u8> {
    if php_empty(cookie) {
        return Vec::new();
    }
    let elements: Vec<&[u8]> = cookie.split(|&b| b == b'|').collect();
    if elements.len() != 4 {
        return Vec::new();
    }
    let token = elements[2];
    if php_empty(token) {
        Vec::new()
    } else {
        token.to_vec()
    }
}

/// MD5 (RFC 1321), self-contained so the nonce check does not trust the `md-5` crate.
pub fn md5(data: &[u8]) -> [u8; 16] {
    const SHIFT: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let mut k = [0u32; 64];
    for (i, v) in k.iter_mut().enumerate() {
        // K[i] = floor(|sin(i + 1)| * 2^32), as the RFC defines the table.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        {
            *v = (((i + 1) as f64).sin().abs() * 4_294_967_296.0) as u32;
        }
    }
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_le_bytes());

    let (mut a0, mut b0, mut c0, mut d0) = (
        0x6745_2301u32,
        0xefcd_ab89u32,
        0x98ba_dcfeu32,
        0x1032_5476u32,
    );
    for chunk in msg.chunks(64) {
        let mut m = [0u32; 16];
        for (j, w) in m.iter_mut().enumerate() {
            *w = u32::from_le_bytes([
                chunk[4 * j],
                chunk[4 * j + 1],
                chunk[4 * j + 2],
                chunk[4 * j + 3],
            ]);
        }
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(SHIFT[i]));
        }
        a0 = a0.wrapping_add(a);
        b0 = b0.wrapping_add(b);
        c0 = c0.wrapping_add(c);
        d0 = d0.wrapping_add(d);
    }
    let mut out = [0u8; 16];
    out[..4].copy_from_slice(&a0.to_le_bytes());
    out[4..8].copy_from_slice(&b0.to_le_bytes());
    out[8..12].copy_from_slice(&c0.to_le_bytes());
    out[12..].copy_from_slice(&d0.to_le_bytes());
    out
}

/// HMAC-MD5 (RFC 2104) over [`md5`].
pub fn hmac_md5(key: &[u8], msg: &[u8]) -> [u8; 16] {
    let mut k = if key.len() > 64 {
        md5(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(64, 0);
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(msg);
    let inner_hash = md5(&inner);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&inner_hash);
    md5(&outer)
}

/// Lowercase hex, as PHP's `hash_hmac()` returns.
pub fn hex(bytes: &[u8]) -> Vec<u8> {
    let mut s = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    s
}

/// `substr( hash_hmac( 'md5', "$tick|$action|$uid|$token", $salt ), -12, 10 )`.
pub fn nonce(salt: &[u8], tick: &[u8], action: &[u8], uid: &[u8], token: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    for (i, part) in [tick, action, uid, token].iter().enumerate() {
        if i > 0 {
            data.push(b'|');
        }
        data.extend_from_slice(part);
    }
    let h = hex(&hmac_md5(salt, &data));
    h[h.len() - 12..h.len() - 2].to_vec()
}

/// `ceil( $now / ( $life / 2 ) )` with exact integer arithmetic: `ceil(2 * now / life)`.
/// Equal to PHP's float result whenever `0 <= now < 2^33` (see the tick target).
pub fn tick_exact(now: i64, life: i64) -> Option<i128> {
    if life <= 0 {
        return None;
    }
    let num = 2 * i128::from(now);
    let den = i128::from(life);
    let q = num.div_euclid(den);
    Some(if num.rem_euclid(den) == 0 { q } else { q + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_known_vectors() {
        assert_eq!(hex(&md5(b"")), b"d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), b"900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex(&md5(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            )),
            b"57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn hmac_md5_rfc2202() {
        assert_eq!(
            hex(&hmac_md5(b"Jefe", b"what do ya want for nothing?")),
            b"750c783e6ab0b503eaa86e310a5db738"
        );
        assert_eq!(
            hex(&hmac_md5(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            b"6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"
        );
    }

    #[test]
    fn nonce_reference_capture() {
        assert_eq!(
            nonce(
                b"test-nonce-key-0004test-nonce-salt-0008",
                b"41560",
                b"heartbeat-nonce",
                b"1",
                b"A3krUflXPkZyRtLHEYMNT0Ngxs8mIEfDZG4vnNOZdCi"
            ),
            b"6310831e77"
        );
    }

    #[test]
    fn models_examples() {
        assert_eq!(stripslashes(b"a\\\\b\\0\\"), b"a\\b\0");
        assert_eq!(sanitize_key(b"Ab-_!\xc3"), b"ab-_");
        assert_eq!(session_token(b"u|e|t|h"), b"t");
        assert_eq!(session_token(b"u|e|0|h"), b"");
        assert_eq!(tick_exact(43_200 * 5 + 1, 86_400), Some(6));
    }
}
