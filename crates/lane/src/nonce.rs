//! WordPress nonce arithmetic: `wp_nonce_tick()`, `wp_hash()` and the 10-character
//! slice `wp_verify_nonce()` compares. FFI-free.

use hmac::{Hmac, Mac};
use md5::Md5;
use subtle::ConstantTimeEq;

/// Length of a WordPress nonce.
pub const NONCE_LEN: usize = 10;

/// `ceil(time() / (nonce_life / 2))` for an integer `nonce_life` (core's default path).
/// PHP's `/` yields a float unless it divides exactly, and `ceil()` always a float, so
/// plain f64 arithmetic gives the same value for every realistic time and life.
pub fn tick(now: i64, nonce_life: i64) -> Option<f64> {
    if nonce_life <= 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let t = (now as f64 / (nonce_life as f64 / 2.0)).ceil();
    Some(t)
}

/// `substr( hash_hmac( 'md5', "$tick|$action|$uid|$token", $salt ), -12, 10 )`.
pub fn expected(
    salt: &[u8],
    tick: &[u8],
    action: &[u8],
    uid: &[u8],
    token: &[u8],
) -> [u8; NONCE_LEN] {
    let parts = [salt, tick, action, uid, token];
    if let Some(hit) = RECENT.with(|r| r.borrow().iter().find_map(|e| e.lookup(&parts))) {
        return hit;
    }
    let out = compute(salt, tick, action, uid, token);
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() == RECENT_SIZE {
            r.remove(0);
        }
        r.push(Recent {
            parts: parts.map(<[u8]>::to_vec),
            nonce: out,
        });
    });
    out
}

/// How many recent results are kept.
const RECENT_SIZE: usize = 4;

/// A computed nonce and its inputs. A worker verifies and creates the same few nonces
/// over and over (each user's tab, every beat, for 12 hours), so the last few are kept.
struct Recent {
    parts: [Vec<u8>; 5],
    nonce: [u8; NONCE_LEN],
}

impl Recent {
    /// The nonce if every input is the same. The inputs include secrets (salt, session
    /// token), so they are compared in constant time; only equal lengths are compared.
    fn lookup(&self, parts: &[&[u8]; 5]) -> Option<[u8; NONCE_LEN]> {
        // Tick, action and user id are public: compared plainly, they rule out the
        // other entries first. Salt and token are compared in constant time.
        let [salt, tick, action, uid, token] = parts;
        if self.parts[1] != *tick || self.parts[2] != *action || self.parts[3] != *uid {
            return None;
        }
        let same = ct_eq(&self.parts[0], salt) & ct_eq(&self.parts[4], token);
        bool::from(same).then_some(self.nonce)
    }
}

/// Constant-time equality of two byte strings (their lengths are not secret): eight
/// bytes at a time through `subtle`.
fn ct_eq(a: &[u8], b: &[u8]) -> subtle::Choice {
    if a.len() != b.len() {
        return subtle::Choice::from(0);
    }
    let mut same = subtle::Choice::from(1u8);
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        let (mut bx, mut by) = ([0u8; 8], [0u8; 8]);
        bx.copy_from_slice(x);
        by.copy_from_slice(y);
        same &= u64::from_ne_bytes(bx).ct_eq(&u64::from_ne_bytes(by));
    }
    same & ra.ct_eq(rb)
}

thread_local! {
    static RECENT: std::cell::RefCell<Vec<Recent>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The HMAC itself.
fn compute(salt: &[u8], tick: &[u8], action: &[u8], uid: &[u8], token: &[u8]) -> [u8; NONCE_LEN] {
    let Some(mut mac) = keyed(salt) else {
        return [0; NONCE_LEN];
    };
    for part in [tick, b"|", action, b"|", uid, b"|", token] {
        mac.update(part);
    }
    let digest = mac.finalize().into_bytes();
    // Hex characters 20..30 of the 32-character digest are bytes 10..15.
    let mut out = [0u8; NONCE_LEN];
    for (i, byte) in digest[10..15].iter().enumerate() {
        out[2 * i] = hex_digit(byte >> 4);
        out[2 * i + 1] = hex_digit(byte & 0x0f);
    }
    out
}

thread_local! {
    /// The last key and its HMAC state after the key blocks: salts are fixed for a site,
    /// so each beat hashes only its message instead of also the (128-byte) key.
    static KEYED: std::cell::RefCell<Option<(Vec<u8>, Hmac<Md5>)>> =
        const { std::cell::RefCell::new(None) };
}

/// HMAC-MD5 keyed with `salt`. HMAC accepts keys of any length, so this cannot fail;
/// `None` only guards the API (an all-zero nonce never matches a real one, since it
/// is not lowercase hex of an md5 tail).
fn keyed(salt: &[u8]) -> Option<Hmac<Md5>> {
    KEYED.with(|k| {
        let mut k = k.borrow_mut();
        if let Some((key, mac)) = k.as_ref() {
            // Not secret-dependent timing that matters: both sides are the site's salt.
            if key.as_slice() == salt {
                return Some(mac.clone());
            }
        }
        let mac = Hmac::<Md5>::new_from_slice(salt).ok()?;
        *k = Some((salt.to_vec(), mac.clone()));
        Some(mac)
    })
}

fn hex_digit(v: u8) -> u8 {
    if v < 10 {
        b'0' + v
    } else {
        b'a' + v - 10
    }
}

/// `hash_equals( $expected, $nonce )`: constant time in the content.
pub fn matches(expected: &[u8; NONCE_LEN], given: &[u8]) -> bool {
    given.len() == NONCE_LEN && bool::from(expected.as_slice().ct_eq(given))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: &[u8] = b"test-nonce-key-0004test-nonce-salt-0008";
    const TOKEN: &[u8] = b"A3krUflXPkZyRtLHEYMNT0Ngxs8mIEfDZG4vnNOZdCi";

    #[test]
    fn matches_values_captured_from_wordpress() {
        // From the reference capture: the server returned exactly these.
        assert_eq!(
            &expected(SALT, b"41560", b"heartbeat-nonce", b"1", TOKEN),
            b"6310831e77"
        );
        assert_eq!(
            &expected(SALT, b"41560", b"wp_rest", b"1", TOKEN),
            b"58d9aa84a6"
        );
    }

    #[test]
    fn recent_results_follow_every_input() {
        let base = expected(SALT, b"41560", b"heartbeat-nonce", b"1", TOKEN);
        // Each input changed alone gives a different nonce, also when asked again.
        for _ in 0..2 {
            assert_ne!(
                expected(SALT, b"41561", b"heartbeat-nonce", b"1", TOKEN),
                base
            );
            assert_ne!(expected(SALT, b"41560", b"wp_rest", b"1", TOKEN), base);
            assert_ne!(
                expected(SALT, b"41560", b"heartbeat-nonce", b"2", TOKEN),
                base
            );
            assert_ne!(
                expected(SALT, b"41560", b"heartbeat-nonce", b"1", b"other"),
                base
            );
            assert_ne!(
                expected(b"salt2", b"41560", b"heartbeat-nonce", b"1", TOKEN),
                base
            );
            assert_eq!(
                expected(SALT, b"41560", b"heartbeat-nonce", b"1", TOKEN),
                base
            );
        }
        assert_eq!(&base, b"6310831e77");
    }

    #[test]
    fn cached_key_follows_the_salt() {
        // Alternating salts must never reuse the other salt's keyed state.
        let a = expected(SALT, b"41560", b"heartbeat-nonce", b"1", TOKEN);
        let b = expected(b"other-salt", b"41560", b"heartbeat-nonce", b"1", TOKEN);
        assert_ne!(a, b);
        assert_eq!(expected(SALT, b"41560", b"heartbeat-nonce", b"1", TOKEN), a);
        assert_eq!(
            expected(b"other-salt", b"41560", b"heartbeat-nonce", b"1", TOKEN),
            b
        );
    }

    #[test]
    fn tick_is_ceil_of_half_life() {
        assert_eq!(tick(1_795_378_273, 86_400), Some(41_560.0));
        assert_eq!(tick(43_200 * 5, 86_400), Some(5.0));
        assert_eq!(tick(43_200 * 5 + 1, 86_400), Some(6.0));
        assert_eq!(tick(10, 3), Some(7.0));
        assert_eq!(tick(10, 0), None);
    }

    #[test]
    fn compare_is_exact() {
        let e = *b"6310831e77";
        assert!(matches(&e, b"6310831e77"));
        assert!(!matches(&e, b"6310831E77"));
        assert!(!matches(&e, b"6310831e7"));
        assert!(!matches(&e, b"6310831e770"));
        assert!(!matches(&e, b""));
    }
}
