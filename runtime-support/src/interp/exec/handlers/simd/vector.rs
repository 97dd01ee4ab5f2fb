//! [`Vector`]: a `v128` as the handlers compute on it.
//!
//! The same lane views as [`crate::v128::V128`] (lane 0 first, little-endian), over 16
//! bytes rather than a `u128`: a `u128` lives in two general registers, so lane arithmetic
//! on it would be split into scalar pieces and packed back with shifts, while byte arrays
//! read and written whole let the compiler keep a value in one vector register and use the
//! host's lane instructions (`paddd`, `pminub`, ... on x86_64; NEON on aarch64).

/// A `v128` value in a handler (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, align(16))]
pub(super) struct Vector([u8; 16]);

/// Lane getters and constructors, as [`crate::v128::V128`]'s.
macro_rules! lanes {
    ($($get:ident, $from:ident, $t:ty, $n:literal;)*) => {
        impl Vector {
            $(
                #[inline(always)]
                pub(super) fn $get(self) -> [$t; $n] {
                    const W: usize = 16 / $n;
                    std::array::from_fn(|i| {
                        let mut lane = [0u8; W];
                        lane.copy_from_slice(&self.0[i * W..(i + 1) * W]);
                        <$t>::from_le_bytes(lane)
                    })
                }

                #[inline(always)]
                pub(super) fn $from(lanes: [$t; $n]) -> Self {
                    const W: usize = 16 / $n;
                    let mut bytes = [0u8; 16];
                    for (i, l) in lanes.iter().enumerate() {
                        bytes[i * W..(i + 1) * W].copy_from_slice(&l.to_le_bytes());
                    }
                    Self(bytes)
                }
            )*
        }
    };
}

lanes! {
    i8x16, from_i8x16, i8, 16;
    u8x16, from_u8x16, u8, 16;
    i16x8, from_i16x8, i16, 8;
    u16x8, from_u16x8, u16, 8;
    i32x4, from_i32x4, i32, 4;
    u32x4, from_u32x4, u32, 4;
    i64x2, from_i64x2, i64, 2;
    u64x2, from_u64x2, u64, 2;
    f32x4, from_f32x4, f32, 4;
    f64x2, from_f64x2, f64, 2;
}

impl Vector {
    /// The value with bits `bits` (lane 0 in the least significant bits).
    #[inline(always)]
    pub(super) fn from_bits(bits: u128) -> Self {
        Self(bits.to_le_bytes())
    }

    /// The 128 bits (lane 0 in the least significant bits).
    #[inline(always)]
    pub(super) fn bits(self) -> u128 {
        u128::from_le_bytes(self.0)
    }

    /// The value of 16 bytes in memory order.
    #[inline(always)]
    pub(super) fn from_le_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The 16 bytes in memory order.
    #[inline(always)]
    pub(super) fn to_le_bytes(self) -> [u8; 16] {
        self.0
    }

    /// Whether any bit is set.
    #[inline(always)]
    pub(super) fn any(self) -> bool {
        self.u64x2().iter().any(|&x| x != 0)
    }

    /// `i8x16.swizzle`: byte `i` of the result is byte `s[i]` of `self`, or 0 where
    /// `s[i] >= 16`.
    #[inline(always)]
    pub(super) fn swizzle(self, s: Vector) -> Vector {
        #[cfg(all(target_arch = "x86_64", target_feature = "ssse3"))]
        {
            use std::arch::x86_64::*;
            // SAFETY: SSSE3 is enabled at compile time; the loads and store are of 16-byte
            // arrays, unaligned forms.
            unsafe {
                let x = _mm_loadu_si128(self.0.as_ptr() as *const __m128i);
                let s = _mm_loadu_si128(s.0.as_ptr() as *const __m128i);
                // An index of 16 or more saturates to a byte with its top bit set, which
                // `pshufb` turns into 0; below 16 the low four bits are the index.
                let r = _mm_shuffle_epi8(x, _mm_adds_epu8(s, _mm_set1_epi8(0x70)));
                let mut out = Vector::default();
                _mm_storeu_si128(out.0.as_mut_ptr() as *mut __m128i, r);
                out
            }
        }
        #[cfg(target_arch = "aarch64")]
        {
            use std::arch::aarch64::*;
            // SAFETY: NEON is part of the aarch64 baseline; the loads and store are of
            // 16-byte arrays. `tbl` gives 0 for an index of 16 or more, as swizzle does.
            unsafe {
                let r = vqtbl1q_u8(vld1q_u8(self.0.as_ptr()), vld1q_u8(s.0.as_ptr()));
                let mut out = Vector::default();
                vst1q_u8(out.0.as_mut_ptr(), r);
                out
            }
        }
        #[cfg(not(any(
            all(target_arch = "x86_64", target_feature = "ssse3"),
            target_arch = "aarch64"
        )))]
        {
            self.swizzle_portable(s)
        }
    }

    /// [`Vector::swizzle`] without vector instructions (the path of hosts with neither
    /// SSSE3 nor NEON; the tests hold the others to it).
    #[cfg(any(
        test,
        not(any(all(target_arch = "x86_64", target_feature = "ssse3"), target_arch = "aarch64"))
    ))]
    #[inline(always)]
    fn swizzle_portable(self, s: Vector) -> Vector {
        Vector(s.0.map(|i| if i < 16 { self.0[i as usize] } else { 0 }))
    }

    /// `i8x16.shuffle`: byte `i` of the result is byte `m[i]` of the 32 bytes of `self`
    /// then `y` (`m`'s bytes are below 32: the validator checks the lane immediates).
    #[inline(always)]
    pub(super) fn shuffle(self, y: Vector, m: Vector) -> Vector {
        #[cfg(all(target_arch = "x86_64", target_feature = "ssse3"))]
        {
            use std::arch::x86_64::*;
            // SAFETY: as in `swizzle`.
            unsafe {
                let x = _mm_loadu_si128(self.0.as_ptr() as *const __m128i);
                let y = _mm_loadu_si128(y.0.as_ptr() as *const __m128i);
                let m = _mm_loadu_si128(m.0.as_ptr() as *const __m128i);
                // Indices 16..32 saturate to bytes with the top bit set (0 from `x`);
                // minus 16, indices 0..16 wrap to bytes with the top bit set (0 from `y`).
                let from_x = _mm_shuffle_epi8(x, _mm_adds_epu8(m, _mm_set1_epi8(0x70)));
                let from_y = _mm_shuffle_epi8(y, _mm_sub_epi8(m, _mm_set1_epi8(16)));
                let mut out = Vector::default();
                _mm_storeu_si128(out.0.as_mut_ptr() as *mut __m128i, _mm_or_si128(from_x, from_y));
                out
            }
        }
        #[cfg(target_arch = "aarch64")]
        {
            use std::arch::aarch64::*;
            // SAFETY: as in `swizzle`; `tbl` of a register pair indexes its 32 bytes.
            unsafe {
                let t = uint8x16x2_t(vld1q_u8(self.0.as_ptr()), vld1q_u8(y.0.as_ptr()));
                let r = vqtbl2q_u8(t, vld1q_u8(m.0.as_ptr()));
                let mut out = Vector::default();
                vst1q_u8(out.0.as_mut_ptr(), r);
                out
            }
        }
        #[cfg(not(any(
            all(target_arch = "x86_64", target_feature = "ssse3"),
            target_arch = "aarch64"
        )))]
        {
            self.shuffle_portable(y, m)
        }
    }

    /// [`Vector::shuffle`] without vector instructions (as [`Vector::swizzle_portable`]).
    #[cfg(any(
        test,
        not(any(all(target_arch = "x86_64", target_feature = "ssse3"), target_arch = "aarch64"))
    ))]
    #[inline(always)]
    fn shuffle_portable(self, y: Vector, m: Vector) -> Vector {
        let mut both = [0u8; 32];
        both[..16].copy_from_slice(&self.0);
        both[16..].copy_from_slice(&y.0);
        Vector(m.0.map(|i| both[(i & 31) as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::Vector;

    /// The host's `swizzle` and `shuffle` give the bytes the portable paths give, for
    /// every index class: each byte of either input, and (swizzle) 16, 127, 128 and 255.
    #[test]
    fn shuffle_and_swizzle_match_the_portable_paths() {
        let x = Vector(std::array::from_fn(|i| 0x10 + i as u8));
        let y = Vector(std::array::from_fn(|i| 0xa0 + i as u8));
        let mut seed = 0x9e37_79b9_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for round in 0..64 {
            let lanes: [u8; 16] = std::array::from_fn(|i| match round {
                0 => i as u8,
                1 => 16 + i as u8,
                2 => 31 - i as u8,
                _ => (next() % 32) as u8,
            });
            let m = Vector(lanes);
            assert_eq!(x.shuffle(y, m), x.shuffle_portable(y, m), "shuffle {lanes:?}");
            let s: [u8; 16] = std::array::from_fn(|i| match (round + i) % 8 {
                0 => 16,
                1 => 127,
                2 => 128,
                3 => 255,
                _ => (next() % 20) as u8,
            });
            let s = Vector(s);
            assert_eq!(x.swizzle(s), x.swizzle_portable(s), "swizzle {s:?}");
        }
        let identity = Vector(std::array::from_fn(|i| i as u8));
        assert_eq!(x.shuffle(y, identity), x);
        assert_eq!(x.swizzle(Vector([200; 16])), Vector([0; 16]));
    }
}
