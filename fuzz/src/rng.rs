//! A small deterministic random source (SplitMix64): every case is a pure function of its
//! seed, so `kiln-fuzz TARGET --seed N --iters 1` replays case `N` exactly.

/// SplitMix64 (Steele, Lea and Flood 2014): 64 bits of state, full period, good enough to
/// drive generators and mutators.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`; `salt` separates the streams one case draws from.
    pub fn new(seed: u64, salt: u64) -> Self {
        let mut r = Rng(seed ^ salt.wrapping_mul(0xA24B_AED4_963E_E407));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut v = Vec::with_capacity(n + 8);
        while v.len() < n {
            v.extend_from_slice(&self.next_u64().to_le_bytes());
        }
        v.truncate(n);
        v
    }

    /// One element of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A 32-bit value biased towards the edges integer code gets wrong: 0, ±1, powers of
    /// two, the extremes, and small numbers.
    pub fn interesting_u32(&mut self) -> u32 {
        match self.below(8) {
            0 => *self.pick(&[0, 1, u32::MAX, i32::MAX as u32, i32::MIN as u32, 0x8000, 0xFFFF]),
            1 => 1u32 << self.below(32),
            2 => (1u32 << self.below(32)).wrapping_sub(1),
            3 | 4 => self.below(64) as u32,
            _ => self.next_u64() as u32,
        }
    }

    /// A 64-bit value biased like [`Rng::interesting_u32`].
    pub fn interesting_u64(&mut self) -> u64 {
        match self.below(8) {
            0 => *self.pick(&[0, 1, u64::MAX, i64::MAX as u64, i64::MIN as u64, u32::MAX as u64]),
            1 => 1u64 << self.below(64),
            2 => self.interesting_u32() as i32 as i64 as u64,
            3 | 4 => self.below(64),
            _ => self.next_u64(),
        }
    }

    /// A `v128`'s bits: four `i32` or `f32` lanes, or two `i64` or `f64` lanes, each
    /// interesting on its own (so shuffles and lane-wise operations see edge values).
    pub fn interesting_v128(&mut self) -> u128 {
        match self.below(4) {
            0 => (0..4).fold(0, |v, i| v | u128::from(self.interesting_u32()) << (32 * i)),
            1 => (0..4).fold(0, |v, i| v | u128::from(self.interesting_f32_bits()) << (32 * i)),
            2 => u128::from(self.interesting_u64()) | u128::from(self.interesting_u64()) << 64,
            _ => {
                u128::from(self.interesting_f64_bits())
                    | u128::from(self.interesting_f64_bits()) << 64
            }
        }
    }

    /// `f32` bits: ordinary numbers, the special values, and NaNs with random payloads.
    pub fn interesting_f32_bits(&mut self) -> u32 {
        match self.below(6) {
            0 => *self.pick(&[
                0,
                0x8000_0000,
                0x7F80_0000,
                0xFF80_0000,
                0x7FC0_0000,
                0xFFC0_0000,
                0x7F80_0001,
                0x3F80_0000,
                0x4F00_0000,
                0xCF00_0000,
                0x5F00_0000,
                0x0000_0001,
            ]),
            1 => 0x7F80_0000 | (self.next_u64() as u32 & 0x807F_FFFF) | 1,
            2 => (self.below(2001) as f32 - 1000.0).to_bits(),
            _ => self.next_u64() as u32,
        }
    }

    /// `f64` bits, biased like [`Rng::interesting_f32_bits`].
    pub fn interesting_f64_bits(&mut self) -> u64 {
        match self.below(6) {
            0 => *self.pick(&[
                0,
                0x8000_0000_0000_0000,
                0x7FF0_0000_0000_0000,
                0xFFF0_0000_0000_0000,
                0x7FF8_0000_0000_0000,
                0xFFF8_0000_0000_0000,
                0x7FF0_0000_0000_0001,
                0x3FF0_0000_0000_0000,
                0x43E0_0000_0000_0000,
                0xC3E0_0000_0000_0000,
                0x41E0_0000_0000_0000,
                0x0000_0000_0000_0001,
            ]),
            1 => 0x7FF0_0000_0000_0000 | (self.next_u64() & 0x800F_FFFF_FFFF_FFFF) | 1,
            2 => (self.below(2001) as f64 - 1000.0).to_bits(),
            _ => self.next_u64(),
        }
    }
}

/// FNV-1a over `bytes`: a cheap content fingerprint for snapshots.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ *b as u64).wrapping_mul(0x0100_0000_01B3))
}
