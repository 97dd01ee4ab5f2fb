//! Integer lane operations: comparisons, arithmetic (wrapping and saturating), shifts,
//! min/max, averages, widening and narrowing, pairwise and extended multiplies, the dot
//! product, and the lane tests (`all_true`, `bitmask`).

use super::*;

/// Sign- or zero-extending the low or high half of the lanes (`$t` lanes of `$get` to `$u`
/// lanes of `$from`): the functions the extending loads share with the instructions.
macro_rules! extend_fns {
    ($($f:ident, $get:ident, $from:ident, $u:ty, $n:literal, $half:literal;)*) => {$(
        #[doc = concat!("`", stringify!($f), "` of the spec, without `_of`.")]
        #[inline(always)]
        pub(super) fn $f(v: Vector) -> Vector {
            let l = v.$get();
            Vector::$from(std::array::from_fn(|i| l[i + $half * $n] as $u))
        }
    )*};
}

extend_fns! {
    i16x8_extend_low_i8x16_s_of, i8x16, from_i16x8, i16, 8, 0;
    i16x8_extend_high_i8x16_s_of, i8x16, from_i16x8, i16, 8, 1;
    i16x8_extend_low_i8x16_u_of, u8x16, from_u16x8, u16, 8, 0;
    i16x8_extend_high_i8x16_u_of, u8x16, from_u16x8, u16, 8, 1;
    i32x4_extend_low_i16x8_s_of, i16x8, from_i32x4, i32, 4, 0;
    i32x4_extend_high_i16x8_s_of, i16x8, from_i32x4, i32, 4, 1;
    i32x4_extend_low_i16x8_u_of, u16x8, from_u32x4, u32, 4, 0;
    i32x4_extend_high_i16x8_u_of, u16x8, from_u32x4, u32, 4, 1;
    i64x2_extend_low_i32x4_s_of, i32x4, from_i64x2, i64, 2, 0;
    i64x2_extend_high_i32x4_s_of, i32x4, from_i64x2, i64, 2, 1;
    i64x2_extend_low_i32x4_u_of, u32x4, from_u64x2, u64, 2, 0;
    i64x2_extend_high_i32x4_u_of, u32x4, from_u64x2, u64, 2, 1;
}

/// The products of the low (`$half` 0) or high (1) lanes of `a` and `b`, widened
/// (`extmul`; the product always fits the wide lane).
macro_rules! extmul {
    ($a:expr, $b:expr, $get:ident, $from:ident, $u:ty, $n:literal, $half:literal) => {{
        let (x, y) = ($a.$get(), $b.$get());
        Vector::$from(std::array::from_fn(|i| {
            (x[i + $half * $n] as $u).wrapping_mul(y[i + $half * $n] as $u)
        }))
    }};
}

/// The sums of adjacent lane pairs of `a`, widened (`extadd_pairwise`).
macro_rules! extadd_pairwise {
    ($a:expr, $get:ident, $from:ident, $u:ty) => {{
        let x = $a.$get();
        Vector::$from(std::array::from_fn(|i| x[2 * i] as $u + x[2 * i + 1] as $u))
    }};
}

/// The lanes' top bits, lane 0 in bit 0 (`bitmask`).
#[inline(always)]
fn bitmask<const N: usize>(negative: [bool; N]) -> u32 {
    negative.iter().enumerate().fold(0, |m, (i, &n)| m | (n as u32) << i)
}

/// `i8x16.bitmask` and `i16x8.bitmask` without a loop over the lanes (which LLVM turns into
/// dozens of shifts and blends): in each 64-bit half, the lanes' top bits are moved to the
/// bottom of their lanes (`bit`: lane `k`'s at bit `lane_bits * k`), and one multiply by
/// `gather` adds a copy of each at bit `64 - lanes + k`, where the top `lanes` bits of the
/// product read lane `k`'s in bit `k`. No two of the multiply's partial products meet there
/// or below (their positions are all different), so nothing carries.
#[inline(always)]
fn bitmask_by_multiply(a: Vector, lane_bits: u32, gather: u64) -> u32 {
    let lanes = 64 / lane_bits;
    let ones = u64::MAX / ((1 << lane_bits) - 1); // 1 at the bottom of every lane
    let half = |h: u64| ((h >> (lane_bits - 1) & ones).wrapping_mul(gather) >> (64 - lanes)) as u32;
    let [lo, hi] = a.u64x2();
    half(lo) | half(hi) << lanes
}

/// `i8x16.bitmask` (see [`bitmask_by_multiply`]: lane `k`'s bit `8k` moves to `56 + k`).
#[inline(always)]
fn i8x16_bitmask_of(a: Vector) -> u32 {
    bitmask_by_multiply(a, 8, 0x0102_0408_1020_4080)
}

/// `i16x8.bitmask` (see [`bitmask_by_multiply`]: lane `k`'s bit `16k` moves to `60 + k`).
#[inline(always)]
fn i16x8_bitmask_of(a: Vector) -> u32 {
    bitmask_by_multiply(a, 16, 0x1000_2000_4000_8000)
}

v_binary! {
    i8x16_eq = I8x16Eq, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), |x, y| mask(x == y)));
    i8x16_ne = I8x16Ne, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), |x, y| mask(x != y)));
    i8x16_lt_s = I8x16LtS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), |x, y| mask(x < y)));
    i8x16_lt_u = I8x16LtU, |a, b| Vector::from_i8x16(zip(a.u8x16(), b.u8x16(), |x, y| mask(x < y)));
    i8x16_gt_s = I8x16GtS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), |x, y| mask(x > y)));
    i8x16_gt_u = I8x16GtU, |a, b| Vector::from_i8x16(zip(a.u8x16(), b.u8x16(), |x, y| mask(x > y)));
    i8x16_le_s = I8x16LeS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), |x, y| mask(x <= y)));
    i8x16_le_u = I8x16LeU, |a, b| Vector::from_i8x16(zip(a.u8x16(), b.u8x16(), |x, y| mask(x <= y)));
    i8x16_ge_s = I8x16GeS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), |x, y| mask(x >= y)));
    i8x16_ge_u = I8x16GeU, |a, b| Vector::from_i8x16(zip(a.u8x16(), b.u8x16(), |x, y| mask(x >= y)));
    i16x8_eq = I16x8Eq, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| mask(x == y)));
    i16x8_ne = I16x8Ne, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| mask(x != y)));
    i16x8_lt_s = I16x8LtS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| mask(x < y)));
    i16x8_lt_u = I16x8LtU, |a, b| Vector::from_i16x8(zip(a.u16x8(), b.u16x8(), |x, y| mask(x < y)));
    i16x8_gt_s = I16x8GtS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| mask(x > y)));
    i16x8_gt_u = I16x8GtU, |a, b| Vector::from_i16x8(zip(a.u16x8(), b.u16x8(), |x, y| mask(x > y)));
    i16x8_le_s = I16x8LeS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| mask(x <= y)));
    i16x8_le_u = I16x8LeU, |a, b| Vector::from_i16x8(zip(a.u16x8(), b.u16x8(), |x, y| mask(x <= y)));
    i16x8_ge_s = I16x8GeS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| mask(x >= y)));
    i16x8_ge_u = I16x8GeU, |a, b| Vector::from_i16x8(zip(a.u16x8(), b.u16x8(), |x, y| mask(x >= y)));
    i32x4_eq = I32x4Eq, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), |x, y| mask(x == y)));
    i32x4_ne = I32x4Ne, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), |x, y| mask(x != y)));
    i32x4_lt_s = I32x4LtS, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), |x, y| mask(x < y)));
    i32x4_lt_u = I32x4LtU, |a, b| Vector::from_i32x4(zip(a.u32x4(), b.u32x4(), |x, y| mask(x < y)));
    i32x4_gt_s = I32x4GtS, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), |x, y| mask(x > y)));
    i32x4_gt_u = I32x4GtU, |a, b| Vector::from_i32x4(zip(a.u32x4(), b.u32x4(), |x, y| mask(x > y)));
    i32x4_le_s = I32x4LeS, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), |x, y| mask(x <= y)));
    i32x4_le_u = I32x4LeU, |a, b| Vector::from_i32x4(zip(a.u32x4(), b.u32x4(), |x, y| mask(x <= y)));
    i32x4_ge_s = I32x4GeS, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), |x, y| mask(x >= y)));
    i32x4_ge_u = I32x4GeU, |a, b| Vector::from_i32x4(zip(a.u32x4(), b.u32x4(), |x, y| mask(x >= y)));
    i64x2_eq = I64x2Eq, |a, b| Vector::from_i64x2(zip(a.i64x2(), b.i64x2(), |x, y| mask(x == y)));
    i64x2_ne = I64x2Ne, |a, b| Vector::from_i64x2(zip(a.i64x2(), b.i64x2(), |x, y| mask(x != y)));
    i64x2_lt_s = I64x2LtS, |a, b| Vector::from_i64x2(zip(a.i64x2(), b.i64x2(), |x, y| mask(x < y)));
    i64x2_gt_s = I64x2GtS, |a, b| Vector::from_i64x2(zip(a.i64x2(), b.i64x2(), |x, y| mask(x > y)));
    i64x2_le_s = I64x2LeS, |a, b| Vector::from_i64x2(zip(a.i64x2(), b.i64x2(), |x, y| mask(x <= y)));
    i64x2_ge_s = I64x2GeS, |a, b| Vector::from_i64x2(zip(a.i64x2(), b.i64x2(), |x, y| mask(x >= y)));

    i8x16_narrow_i16x8_s = I8x16NarrowI16x8S, |a, b| {
        let (x, y) = (a.i16x8(), b.i16x8());
        Vector::from_i8x16(std::array::from_fn(|i| {
            (if i < 8 { x[i] } else { y[i - 8] }).clamp(i8::MIN as i16, i8::MAX as i16) as i8
        }))
    };
    i8x16_narrow_i16x8_u = I8x16NarrowI16x8U, |a, b| {
        let (x, y) = (a.i16x8(), b.i16x8());
        Vector::from_u8x16(std::array::from_fn(|i| {
            (if i < 8 { x[i] } else { y[i - 8] }).clamp(0, u8::MAX as i16) as u8
        }))
    };
    i16x8_narrow_i32x4_s = I16x8NarrowI32x4S, |a, b| {
        let (x, y) = (a.i32x4(), b.i32x4());
        Vector::from_i16x8(std::array::from_fn(|i| {
            (if i < 4 { x[i] } else { y[i - 4] }).clamp(i16::MIN as i32, i16::MAX as i32) as i16
        }))
    };
    i16x8_narrow_i32x4_u = I16x8NarrowI32x4U, |a, b| {
        let (x, y) = (a.i32x4(), b.i32x4());
        Vector::from_u16x8(std::array::from_fn(|i| {
            (if i < 4 { x[i] } else { y[i - 4] }).clamp(0, u16::MAX as i32) as u16
        }))
    };

    i8x16_add = I8x16Add, |a, b| Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), u8::wrapping_add));
    i8x16_add_sat_s = I8x16AddSatS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), i8::saturating_add));
    i8x16_add_sat_u = I8x16AddSatU, |a, b| Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), u8::saturating_add));
    i8x16_sub = I8x16Sub, |a, b| Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), u8::wrapping_sub));
    i8x16_sub_sat_s = I8x16SubSatS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), i8::saturating_sub));
    i8x16_sub_sat_u = I8x16SubSatU, |a, b| Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), u8::saturating_sub));
    i8x16_min_s = I8x16MinS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), Ord::min));
    i8x16_min_u = I8x16MinU, |a, b| Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), Ord::min));
    i8x16_max_s = I8x16MaxS, |a, b| Vector::from_i8x16(zip(a.i8x16(), b.i8x16(), Ord::max));
    i8x16_max_u = I8x16MaxU, |a, b| Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), Ord::max));
    i8x16_avgr_u = I8x16AvgrU, |a, b| {
        Vector::from_u8x16(zip(a.u8x16(), b.u8x16(), |x, y| ((x as u16 + y as u16 + 1) >> 1) as u8))
    };

    i16x8_q15mulr_sat_s = I16x8Q15MulrSatS, |a, b| {
        Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), |x, y| {
            ((x as i32 * y as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
        }))
    };
    i16x8_add = I16x8Add, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), u16::wrapping_add));
    i16x8_add_sat_s = I16x8AddSatS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), i16::saturating_add));
    i16x8_add_sat_u = I16x8AddSatU, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), u16::saturating_add));
    i16x8_sub = I16x8Sub, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), u16::wrapping_sub));
    i16x8_sub_sat_s = I16x8SubSatS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), i16::saturating_sub));
    i16x8_sub_sat_u = I16x8SubSatU, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), u16::saturating_sub));
    i16x8_mul = I16x8Mul, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), u16::wrapping_mul));
    i16x8_min_s = I16x8MinS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), Ord::min));
    i16x8_min_u = I16x8MinU, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), Ord::min));
    i16x8_max_s = I16x8MaxS, |a, b| Vector::from_i16x8(zip(a.i16x8(), b.i16x8(), Ord::max));
    i16x8_max_u = I16x8MaxU, |a, b| Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), Ord::max));
    i16x8_avgr_u = I16x8AvgrU, |a, b| {
        Vector::from_u16x8(zip(a.u16x8(), b.u16x8(), |x, y| ((x as u32 + y as u32 + 1) >> 1) as u16))
    };
    i16x8_extmul_low_i8x16_s = I16x8ExtMulLowI8x16S, |a, b| extmul!(a, b, i8x16, from_i16x8, i16, 8, 0);
    i16x8_extmul_high_i8x16_s = I16x8ExtMulHighI8x16S, |a, b| extmul!(a, b, i8x16, from_i16x8, i16, 8, 1);
    i16x8_extmul_low_i8x16_u = I16x8ExtMulLowI8x16U, |a, b| extmul!(a, b, u8x16, from_u16x8, u16, 8, 0);
    i16x8_extmul_high_i8x16_u = I16x8ExtMulHighI8x16U, |a, b| extmul!(a, b, u8x16, from_u16x8, u16, 8, 1);

    i32x4_add = I32x4Add, |a, b| Vector::from_u32x4(zip(a.u32x4(), b.u32x4(), u32::wrapping_add));
    i32x4_sub = I32x4Sub, |a, b| Vector::from_u32x4(zip(a.u32x4(), b.u32x4(), u32::wrapping_sub));
    i32x4_mul = I32x4Mul, |a, b| Vector::from_u32x4(zip(a.u32x4(), b.u32x4(), u32::wrapping_mul));
    i32x4_min_s = I32x4MinS, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), Ord::min));
    i32x4_min_u = I32x4MinU, |a, b| Vector::from_u32x4(zip(a.u32x4(), b.u32x4(), Ord::min));
    i32x4_max_s = I32x4MaxS, |a, b| Vector::from_i32x4(zip(a.i32x4(), b.i32x4(), Ord::max));
    i32x4_max_u = I32x4MaxU, |a, b| Vector::from_u32x4(zip(a.u32x4(), b.u32x4(), Ord::max));
    i32x4_dot_i16x8_s = I32x4DotI16x8S, |a, b| {
        let (x, y) = (a.i16x8(), b.i16x8());
        Vector::from_i32x4(std::array::from_fn(|i| {
            (x[2 * i] as i32 * y[2 * i] as i32).wrapping_add(x[2 * i + 1] as i32 * y[2 * i + 1] as i32)
        }))
    };
    i32x4_extmul_low_i16x8_s = I32x4ExtMulLowI16x8S, |a, b| extmul!(a, b, i16x8, from_i32x4, i32, 4, 0);
    i32x4_extmul_high_i16x8_s = I32x4ExtMulHighI16x8S, |a, b| extmul!(a, b, i16x8, from_i32x4, i32, 4, 1);
    i32x4_extmul_low_i16x8_u = I32x4ExtMulLowI16x8U, |a, b| extmul!(a, b, u16x8, from_u32x4, u32, 4, 0);
    i32x4_extmul_high_i16x8_u = I32x4ExtMulHighI16x8U, |a, b| extmul!(a, b, u16x8, from_u32x4, u32, 4, 1);

    i64x2_add = I64x2Add, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), u64::wrapping_add));
    i64x2_sub = I64x2Sub, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), u64::wrapping_sub));
    i64x2_mul = I64x2Mul, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), u64::wrapping_mul));
    i64x2_extmul_low_i32x4_s = I64x2ExtMulLowI32x4S, |a, b| extmul!(a, b, i32x4, from_i64x2, i64, 2, 0);
    i64x2_extmul_high_i32x4_s = I64x2ExtMulHighI32x4S, |a, b| extmul!(a, b, i32x4, from_i64x2, i64, 2, 1);
    i64x2_extmul_low_i32x4_u = I64x2ExtMulLowI32x4U, |a, b| extmul!(a, b, u32x4, from_u64x2, u64, 2, 0);
    i64x2_extmul_high_i32x4_u = I64x2ExtMulHighI32x4U, |a, b| extmul!(a, b, u32x4, from_u64x2, u64, 2, 1);
}

v_unary! {
    i8x16_abs = I8x16Abs, |a| Vector::from_i8x16(map(a.i8x16(), i8::wrapping_abs));
    i8x16_neg = I8x16Neg, |a| Vector::from_i8x16(map(a.i8x16(), i8::wrapping_neg));
    i8x16_popcnt = I8x16Popcnt, |a| Vector::from_u8x16(map(a.u8x16(), |x| x.count_ones() as u8));
    i16x8_extadd_pairwise_i8x16_s = I16x8ExtAddPairwiseI8x16S, |a| extadd_pairwise!(a, i8x16, from_i16x8, i16);
    i16x8_extadd_pairwise_i8x16_u = I16x8ExtAddPairwiseI8x16U, |a| extadd_pairwise!(a, u8x16, from_u16x8, u16);
    i16x8_abs = I16x8Abs, |a| Vector::from_i16x8(map(a.i16x8(), i16::wrapping_abs));
    i16x8_neg = I16x8Neg, |a| Vector::from_i16x8(map(a.i16x8(), i16::wrapping_neg));
    i16x8_extend_low_i8x16_s = I16x8ExtendLowI8x16S, |a| i16x8_extend_low_i8x16_s_of(a);
    i16x8_extend_high_i8x16_s = I16x8ExtendHighI8x16S, |a| i16x8_extend_high_i8x16_s_of(a);
    i16x8_extend_low_i8x16_u = I16x8ExtendLowI8x16U, |a| i16x8_extend_low_i8x16_u_of(a);
    i16x8_extend_high_i8x16_u = I16x8ExtendHighI8x16U, |a| i16x8_extend_high_i8x16_u_of(a);
    i32x4_extadd_pairwise_i16x8_s = I32x4ExtAddPairwiseI16x8S, |a| extadd_pairwise!(a, i16x8, from_i32x4, i32);
    i32x4_extadd_pairwise_i16x8_u = I32x4ExtAddPairwiseI16x8U, |a| extadd_pairwise!(a, u16x8, from_u32x4, u32);
    i32x4_abs = I32x4Abs, |a| Vector::from_i32x4(map(a.i32x4(), i32::wrapping_abs));
    i32x4_neg = I32x4Neg, |a| Vector::from_i32x4(map(a.i32x4(), i32::wrapping_neg));
    i32x4_extend_low_i16x8_s = I32x4ExtendLowI16x8S, |a| i32x4_extend_low_i16x8_s_of(a);
    i32x4_extend_high_i16x8_s = I32x4ExtendHighI16x8S, |a| i32x4_extend_high_i16x8_s_of(a);
    i32x4_extend_low_i16x8_u = I32x4ExtendLowI16x8U, |a| i32x4_extend_low_i16x8_u_of(a);
    i32x4_extend_high_i16x8_u = I32x4ExtendHighI16x8U, |a| i32x4_extend_high_i16x8_u_of(a);
    i64x2_abs = I64x2Abs, |a| Vector::from_i64x2(map(a.i64x2(), i64::wrapping_abs));
    i64x2_neg = I64x2Neg, |a| Vector::from_i64x2(map(a.i64x2(), i64::wrapping_neg));
    i64x2_extend_low_i32x4_s = I64x2ExtendLowI32x4S, |a| i64x2_extend_low_i32x4_s_of(a);
    i64x2_extend_high_i32x4_s = I64x2ExtendHighI32x4S, |a| i64x2_extend_high_i32x4_s_of(a);
    i64x2_extend_low_i32x4_u = I64x2ExtendLowI32x4U, |a| i64x2_extend_low_i32x4_u_of(a);
    i64x2_extend_high_i32x4_u = I64x2ExtendHighI32x4U, |a| i64x2_extend_high_i32x4_u_of(a);
}

v_shift! {
    i8x16_shl = I8x16Shl, |a, n| Vector::from_i8x16(map(a.i8x16(), |x| x.wrapping_shl(n)));
    i8x16_shr_s = I8x16ShrS, |a, n| Vector::from_i8x16(map(a.i8x16(), |x| x.wrapping_shr(n)));
    i8x16_shr_u = I8x16ShrU, |a, n| Vector::from_u8x16(map(a.u8x16(), |x| x.wrapping_shr(n)));
    i16x8_shl = I16x8Shl, |a, n| Vector::from_i16x8(map(a.i16x8(), |x| x.wrapping_shl(n)));
    i16x8_shr_s = I16x8ShrS, |a, n| Vector::from_i16x8(map(a.i16x8(), |x| x.wrapping_shr(n)));
    i16x8_shr_u = I16x8ShrU, |a, n| Vector::from_u16x8(map(a.u16x8(), |x| x.wrapping_shr(n)));
    i32x4_shl = I32x4Shl, |a, n| Vector::from_i32x4(map(a.i32x4(), |x| x.wrapping_shl(n)));
    i32x4_shr_s = I32x4ShrS, |a, n| Vector::from_i32x4(map(a.i32x4(), |x| x.wrapping_shr(n)));
    i32x4_shr_u = I32x4ShrU, |a, n| Vector::from_u32x4(map(a.u32x4(), |x| x.wrapping_shr(n)));
    i64x2_shl = I64x2Shl, |a, n| Vector::from_i64x2(map(a.i64x2(), |x| x.wrapping_shl(n)));
    i64x2_shr_s = I64x2ShrS, |a, n| Vector::from_i64x2(map(a.i64x2(), |x| x.wrapping_shr(n)));
    i64x2_shr_u = I64x2ShrU, |a, n| Vector::from_u64x2(map(a.u64x2(), |x| x.wrapping_shr(n)));
}

v_test! {
    i8x16_all_true = I8x16AllTrue, |a| a.u8x16().iter().all(|&x| x != 0);
    i16x8_all_true = I16x8AllTrue, |a| a.u16x8().iter().all(|&x| x != 0);
    i32x4_all_true = I32x4AllTrue, |a| a.u32x4().iter().all(|&x| x != 0);
    i64x2_all_true = I64x2AllTrue, |a| a.u64x2().iter().all(|&x| x != 0);
    i8x16_bitmask = I8x16Bitmask, |a| i8x16_bitmask_of(a);
    i16x8_bitmask = I16x8Bitmask, |a| i16x8_bitmask_of(a);
    i32x4_bitmask = I32x4Bitmask, |a| bitmask(map(a.i32x4(), |x| x < 0));
    i64x2_bitmask = I64x2Bitmask, |a| bitmask(map(a.i64x2(), |x| x < 0));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pattern of sixteen top bits, under pseudo-random low bits: the multiply gives
    /// what testing each lane gives.
    #[test]
    fn bitmask_by_multiply_matches_the_lanes() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for pattern in 0..=u16::MAX as u32 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let bytes: [u8; 16] = std::array::from_fn(|i| {
                let low = (seed.rotate_left(i as u32 * 7) as u8) & 0x7f;
                if pattern >> i & 1 == 1 { low | 0x80 } else { low }
            });
            let v = Vector::from_u8x16(bytes);
            assert_eq!(i8x16_bitmask_of(v), bitmask(map(v.i8x16(), |x| x < 0)), "{bytes:02x?}");
            assert_eq!(i16x8_bitmask_of(v), bitmask(map(v.i16x8(), |x| x < 0)), "{bytes:02x?}");
        }
    }
}
