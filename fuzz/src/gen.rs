//! Deterministic input generation: a seedable xorshift generator, dictionary-biased
//! random byte strings and corpus mutations (no external crates, stable Rust).

/// xorshift64* (Vigna). Deterministic for a given seed; never seeded with 0.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so nearby seeds give unrelated streams.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_f491_4f6c_dd1d } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        #[allow(clippy::cast_possible_truncation)]
        let v = (self.next_u64() % n as u64) as usize;
        v
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn byte(&mut self) -> u8 {
        self.next_u64().to_le_bytes()[0]
    }

    /// A length: mostly short, sometimes long, rarely very long.
    pub fn len(&mut self) -> usize {
        match self.below(100) {
            0..=69 => self.below(24),
            70..=94 => self.below(256),
            95..=98 => self.below(4096),
            _ => self.below(70_000),
        }
    }
}

/// A random byte string: a mix of dictionary tokens, "interesting" bytes and noise.
pub fn random_bytes(rng: &mut Rng, dict: &[&[u8]]) -> Vec<u8> {
    let target = rng.len();
    let mut out = Vec::with_capacity(target + 8);
    while out.len() < target {
        match rng.below(8) {
            0..=2 if !dict.is_empty() => out.extend_from_slice(dict[rng.below(dict.len())]),
            3 => out.push(b"\\0|'\"\x00\x7f\x80\xff-_ AZaz09"[rng.below(17)]),
            4 => {
                // A run of one byte (long backslash runs are where escaping bugs live).
                let b = if rng.chance(2) { b'\\' } else { rng.byte() };
                let n = 1 + rng.below(9);
                out.extend(std::iter::repeat_n(b, n));
            }
            5 => out.push(b'a' + (rng.byte() % 26)),
            _ => out.push(rng.byte()),
        }
    }
    out
}

/// One to four mutations of a corpus entry (or of two entries spliced).
pub fn mutate(rng: &mut Rng, base: &[u8], other: &[u8], dict: &[&[u8]]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(9) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.byte();
            }
            2 => {
                let i = rng.below(v.len() + 1);
                let tok: &[u8] = if dict.is_empty() {
                    b"\\"
                } else {
                    dict[rng.below(dict.len())]
                };
                v.splice(i..i, tok.iter().copied());
            }
            3 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + 1 + rng.below(8)).min(v.len());
                v.drain(a..b);
            }
            4 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + 1 + rng.below(16)).min(v.len());
                let chunk = v[a..b].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            5 if !v.is_empty() => {
                let n = rng.below(v.len());
                v.truncate(n);
            }
            6 if !other.is_empty() => {
                let cut = rng.below(v.len() + 1);
                let from = rng.below(other.len());
                v.truncate(cut);
                v.extend_from_slice(&other[from..]);
            }
            7 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = v[i].to_ascii_uppercase();
            }
            _ => v.push(rng.byte()),
        }
    }
    v
}

/// Reads structured arguments out of a fuzz input (like libFuzzer's FuzzedDataProvider):
/// any byte string decodes to some argument list, so corpus files stay plain bytes.
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        u64::from_le_bytes(b)
    }

    /// A length-prefixed field (one length byte, then up to that many bytes).
    pub fn field(&mut self) -> &'a [u8] {
        let n = usize::from(self.byte()).min(self.data.len());
        let (f, rest) = self.data.split_at(n);
        self.data = rest;
        f
    }

    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

/// Encodes fields the way [`Reader::field`] reads them (fields longer than 255 bytes are
/// cut), so structured seeds can be written into the corpus.
pub fn encode_fields(fields: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in fields {
        let n = f.len().min(255);
        #[allow(clippy::cast_possible_truncation)]
        out.push(n as u8);
        out.extend_from_slice(&f[..n]);
    }
    out
}

/// FNV-1a, for naming artifact files after their content.
pub fn fnv(data: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
