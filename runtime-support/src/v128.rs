//! The 128-bit vector value of WebAssembly SIMD (spec 2.2.4 "Vectors", 4.2.1 "Values").

use std::fmt;

/// A `v128` value: 128 bits, viewed as lanes of integers or floats as an instruction says.
///
/// Lane 0 is the least significant: `V128::from(x)` for a `u128` `x` has byte lane `i` equal
/// to byte `i` of `x.to_le_bytes()`, as `v128.const` and memory (little-endian) store it.
/// The lane views (`i8x16`, `u32x4`, `f64x2`, ...) reinterpret the bits; constructing from
/// lanes and reading them back gives the same lanes, NaN payloads included.
///
/// ```
/// use kiln_runtime_support::v128::V128;
/// let v = V128::from_i32x4([1, -2, 3, -4]);
/// assert_eq!(v.i32x4(), [1, -2, 3, -4]);
/// assert_eq!(v.u16x8()[2], 0xfffe);
/// assert_eq!(V128::from(1u128).u8x16()[0], 1);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct V128(u128);

/// Lane getters and constructors: `$get` reads the lanes, `$from` builds a value from them.
macro_rules! lanes {
    ($($get:ident, $from:ident, $t:ty, $n:literal, $doc:literal;)*) => {
        impl V128 {
            $(
                #[doc = concat!("The value as ", $doc, ", lane 0 first.")]
                #[inline(always)]
                pub fn $get(self) -> [$t; $n] {
                    let bytes = self.0.to_le_bytes();
                    std::array::from_fn(|i| {
                        const W: usize = 16 / $n;
                        let mut lane = [0u8; W];
                        lane.copy_from_slice(&bytes[i * W..(i + 1) * W]);
                        <$t>::from_le_bytes(lane)
                    })
                }

                #[doc = concat!("The value with lanes `lanes` as ", $doc, ", lane 0 first.")]
                #[inline(always)]
                pub fn $from(lanes: [$t; $n]) -> Self {
                    const W: usize = 16 / $n;
                    let mut bytes = [0u8; 16];
                    for (i, l) in lanes.iter().enumerate() {
                        bytes[i * W..(i + 1) * W].copy_from_slice(&l.to_le_bytes());
                    }
                    Self(u128::from_le_bytes(bytes))
                }
            )*
        }
    };
}

lanes! {
    i8x16, from_i8x16, i8, 16, "16 signed 8-bit integers";
    u8x16, from_u8x16, u8, 16, "16 unsigned 8-bit integers";
    i16x8, from_i16x8, i16, 8, "8 signed 16-bit integers";
    u16x8, from_u16x8, u16, 8, "8 unsigned 16-bit integers";
    i32x4, from_i32x4, i32, 4, "4 signed 32-bit integers";
    u32x4, from_u32x4, u32, 4, "4 unsigned 32-bit integers";
    i64x2, from_i64x2, i64, 2, "2 signed 64-bit integers";
    u64x2, from_u64x2, u64, 2, "2 unsigned 64-bit integers";
    f32x4, from_f32x4, f32, 4, "4 32-bit IEEE 754 floats";
    f64x2, from_f64x2, f64, 2, "2 64-bit IEEE 754 floats";
}

impl V128 {
    /// The value with bits `bits` (lane 0 in the least significant bits).
    pub const fn from_bits(bits: u128) -> Self {
        Self(bits)
    }

    /// The 128 bits (lane 0 in the least significant bits).
    pub const fn bits(self) -> u128 {
        self.0
    }

    /// The value of 16 bytes in memory order (byte lane 0 first).
    pub const fn from_le_bytes(bytes: [u8; 16]) -> Self {
        Self(u128::from_le_bytes(bytes))
    }

    /// The 16 bytes in memory order (byte lane 0 first).
    pub const fn to_le_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }
}

impl From<u128> for V128 {
    fn from(bits: u128) -> Self {
        Self(bits)
    }
}

impl From<V128> for u128 {
    fn from(v: V128) -> u128 {
        v.0
    }
}

/// `0x` and the 32 hex digits of the bits, most significant first (`v128.const i64x2`
/// order reversed).
impl fmt::Debug for V128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "V128({:#034x})", self.0)
    }
}

/// As `v128.const i32x4` text: `i32x4 0x00000001 0x00000002 ...`, lane 0 first.
impl fmt::Display for V128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("i32x4")?;
        for l in self.u32x4() {
            write!(f, " {l:#010x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::V128;

    #[test]
    fn lanes_are_little_endian() {
        let v = V128::from_bits(0x0f0e0d0c_0b0a0908_07060504_03020100);
        assert_eq!(v.u8x16(), std::array::from_fn(|i| i as u8));
        assert_eq!(v.u16x8()[0], 0x0100);
        assert_eq!(v.u32x4()[3], 0x0f0e0d0c);
        assert_eq!(v.u64x2(), [0x07060504_03020100, 0x0f0e0d0c_0b0a0908]);
        assert_eq!(v.to_le_bytes(), std::array::from_fn(|i| i as u8));
        assert_eq!(V128::from_le_bytes(v.to_le_bytes()), v);
    }

    #[test]
    fn round_trips_keep_bits() {
        let nan = f32::from_bits(0x7fa0_0001);
        let v = V128::from_f32x4([nan, -0.0, 1.5, f32::INFINITY]);
        assert_eq!(
            v.f32x4().map(f32::to_bits),
            [0x7fa0_0001, 0x8000_0000, 0x3fc0_0000, 0x7f80_0000]
        );
        assert_eq!(V128::from_i64x2(v.i64x2()), v);
        assert_eq!(V128::from_i8x16(v.i8x16()), v);
        assert_eq!(
            V128::from_f64x2([-1.0, 2.0]).u64x2(),
            [0xbff0_0000_0000_0000, 0x4000_0000_0000_0000]
        );
        assert_eq!(format!("{v:?}"), "V128(0x7f8000003fc00000800000007fa00001)");
        assert_eq!(
            V128::from_u32x4([1, 2, 3, 4]).to_string(),
            "i32x4 0x00000001 0x00000002 0x00000003 0x00000004"
        );
    }
}
