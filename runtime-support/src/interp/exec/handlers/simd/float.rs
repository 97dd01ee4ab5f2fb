//! Float lane operations: comparisons, arithmetic, `min`/`max` (NaN-propagating, -0 below
//! +0, as the scalar instructions), the pseudo-min/max `pmin`/`pmax` (`b < a ? b : a`),
//! sign operations on the bits, and rounding. NaN results are those the spec allows: the
//! host's arithmetic gives arithmetic NaNs, `min`/`max` the canonical NaN, rounding quiets
//! a NaN operand.

use super::super::float::{
    f32_round, f64_round, wasm_max_f32, wasm_max_f64, wasm_min_f32, wasm_min_f64,
};
use super::*;

v_binary! {
    f32x4_eq = F32x4Eq, |a, b| Vector::from_i32x4(zip(a.f32x4(), b.f32x4(), |x, y| mask(x == y)));
    f32x4_ne = F32x4Ne, |a, b| Vector::from_i32x4(zip(a.f32x4(), b.f32x4(), |x, y| mask(x != y)));
    f32x4_lt = F32x4Lt, |a, b| Vector::from_i32x4(zip(a.f32x4(), b.f32x4(), |x, y| mask(x < y)));
    f32x4_gt = F32x4Gt, |a, b| Vector::from_i32x4(zip(a.f32x4(), b.f32x4(), |x, y| mask(x > y)));
    f32x4_le = F32x4Le, |a, b| Vector::from_i32x4(zip(a.f32x4(), b.f32x4(), |x, y| mask(x <= y)));
    f32x4_ge = F32x4Ge, |a, b| Vector::from_i32x4(zip(a.f32x4(), b.f32x4(), |x, y| mask(x >= y)));
    f64x2_eq = F64x2Eq, |a, b| Vector::from_i64x2(zip(a.f64x2(), b.f64x2(), |x, y| mask(x == y)));
    f64x2_ne = F64x2Ne, |a, b| Vector::from_i64x2(zip(a.f64x2(), b.f64x2(), |x, y| mask(x != y)));
    f64x2_lt = F64x2Lt, |a, b| Vector::from_i64x2(zip(a.f64x2(), b.f64x2(), |x, y| mask(x < y)));
    f64x2_gt = F64x2Gt, |a, b| Vector::from_i64x2(zip(a.f64x2(), b.f64x2(), |x, y| mask(x > y)));
    f64x2_le = F64x2Le, |a, b| Vector::from_i64x2(zip(a.f64x2(), b.f64x2(), |x, y| mask(x <= y)));
    f64x2_ge = F64x2Ge, |a, b| Vector::from_i64x2(zip(a.f64x2(), b.f64x2(), |x, y| mask(x >= y)));

    f32x4_add = F32x4Add, |a, b| Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| x + y));
    f32x4_sub = F32x4Sub, |a, b| Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| x - y));
    f32x4_mul = F32x4Mul, |a, b| Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| x * y));
    f32x4_div = F32x4Div, |a, b| Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| x / y));
    f32x4_min = F32x4Min, |a, b| Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), wasm_min_f32));
    f32x4_max = F32x4Max, |a, b| Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), wasm_max_f32));
    f32x4_pmin = F32x4PMin, |a, b| {
        Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| if y < x { y } else { x }))
    };
    f32x4_pmax = F32x4PMax, |a, b| {
        Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| if x < y { y } else { x }))
    };
    f64x2_add = F64x2Add, |a, b| Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| x + y));
    f64x2_sub = F64x2Sub, |a, b| Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| x - y));
    f64x2_mul = F64x2Mul, |a, b| Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| x * y));
    f64x2_div = F64x2Div, |a, b| Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| x / y));
    f64x2_min = F64x2Min, |a, b| Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), wasm_min_f64));
    f64x2_max = F64x2Max, |a, b| Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), wasm_max_f64));
    f64x2_pmin = F64x2PMin, |a, b| {
        Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| if y < x { y } else { x }))
    };
    f64x2_pmax = F64x2PMax, |a, b| {
        Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| if x < y { y } else { x }))
    };
}

v_unary! {
    f32x4_ceil = F32x4Ceil, |a| Vector::from_u32x4(map(a.u32x4(), |x| f32_round(x, f32::ceil)));
    f32x4_floor = F32x4Floor, |a| Vector::from_u32x4(map(a.u32x4(), |x| f32_round(x, f32::floor)));
    f32x4_trunc = F32x4Trunc, |a| Vector::from_u32x4(map(a.u32x4(), |x| f32_round(x, f32::trunc)));
    f32x4_nearest = F32x4Nearest, |a| {
        Vector::from_u32x4(map(a.u32x4(), |x| f32_round(x, f32::round_ties_even)))
    };
    f32x4_abs = F32x4Abs, |a| Vector::from_u32x4(map(a.u32x4(), |x| x & 0x7fff_ffff));
    f32x4_neg = F32x4Neg, |a| Vector::from_u32x4(map(a.u32x4(), |x| x ^ 0x8000_0000));
    f32x4_sqrt = F32x4Sqrt, |a| Vector::from_f32x4(map(a.f32x4(), f32::sqrt));
    f64x2_ceil = F64x2Ceil, |a| Vector::from_u64x2(map(a.u64x2(), |x| f64_round(x, f64::ceil)));
    f64x2_floor = F64x2Floor, |a| Vector::from_u64x2(map(a.u64x2(), |x| f64_round(x, f64::floor)));
    f64x2_trunc = F64x2Trunc, |a| Vector::from_u64x2(map(a.u64x2(), |x| f64_round(x, f64::trunc)));
    f64x2_nearest = F64x2Nearest, |a| {
        Vector::from_u64x2(map(a.u64x2(), |x| f64_round(x, f64::round_ties_even)))
    };
    f64x2_abs = F64x2Abs, |a| Vector::from_u64x2(map(a.u64x2(), |x| x & !(1 << 63)));
    f64x2_neg = F64x2Neg, |a| Vector::from_u64x2(map(a.u64x2(), |x| x ^ (1 << 63)));
    f64x2_sqrt = F64x2Sqrt, |a| Vector::from_f64x2(map(a.f64x2(), f64::sqrt));
}
