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
}
