//! Floating-point handlers (f32 and f64).

use super::*;

/// A rounding operator (`ceil`, `floor`, `trunc`, `nearest`) on f32 bits: a NaN operand
/// gives a quiet NaN (the host's libm may pass signalling NaNs through unchanged).
#[inline(always)]
pub(super) fn f32_round(bits: u32, f: fn(f32) -> f32) -> u32 {
    let x = f32::from_bits(bits);
    if x.is_nan() { bits | 0x0040_0000 } else { f(x).to_bits() }
}
/// As [`f32_round`], for f64.
#[inline(always)]
pub(super) fn f64_round(bits: u64, f: fn(f64) -> f64) -> u64 {
    let x = f64::from_bits(bits);
    if x.is_nan() { bits | 0x0008_0000_0000_0000 } else { f(x).to_bits() }
}

/// Wasm `f32.min`: NaN if either is NaN, and -0 below +0.
pub(super) fn wasm_min_f32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        return f32::from_bits(0x7fc0_0000);
    }
    if a == b { f32::from_bits(a.to_bits() | b.to_bits()) } else { a.min(b) }
}
/// Wasm `f32.max`: NaN if either is NaN, and +0 above -0.
pub(super) fn wasm_max_f32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        return f32::from_bits(0x7fc0_0000);
    }
    if a == b { f32::from_bits(a.to_bits() & b.to_bits()) } else { a.max(b) }
}
/// As [`wasm_min_f32`], for f64.
pub(super) fn wasm_min_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::from_bits(0x7ff8_0000_0000_0000);
    }
    if a == b { f64::from_bits(a.to_bits() | b.to_bits()) } else { a.min(b) }
}
/// As [`wasm_max_f32`], for f64.
pub(super) fn wasm_max_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::from_bits(0x7ff8_0000_0000_0000);
    }
    if a == b { f64::from_bits(a.to_bits() & b.to_bits()) } else { a.max(b) }
}

unary! {
    f32_abs = F32Abs, |x: u32| x & 0x7fff_ffff;
    f32_neg = F32Neg, |x: u32| x ^ 0x8000_0000;
    f32_ceil = F32Ceil, |x: u32| f32_round(x, f32::ceil);
    f32_floor = F32Floor, |x: u32| f32_round(x, f32::floor);
    f32_trunc = F32Trunc, |x: u32| f32_round(x, f32::trunc);
    f32_nearest = F32Nearest, |x: u32| f32_round(x, f32::round_ties_even);
    f32_sqrt = F32Sqrt, |x: f32| x.sqrt();
    f64_abs = F64Abs, |x: u64| x & 0x7fff_ffff_ffff_ffff;
    f64_neg = F64Neg, |x: u64| x ^ 0x8000_0000_0000_0000;
    f64_ceil = F64Ceil, |x: u64| f64_round(x, f64::ceil);
    f64_floor = F64Floor, |x: u64| f64_round(x, f64::floor);
    f64_trunc = F64Trunc, |x: u64| f64_round(x, f64::trunc);
    f64_nearest = F64Nearest, |x: u64| f64_round(x, f64::round_ties_even);
    f64_sqrt = F64Sqrt, |x: f64| x.sqrt();
}

binary! {
    f32_eq = F32Eq, |x: f32, y: f32| x == y;
    f32_ne = F32Ne, |x: f32, y: f32| x != y;
    f32_lt = F32Lt, |x: f32, y: f32| x < y;
    f32_gt = F32Gt, |x: f32, y: f32| x > y;
    f32_le = F32Le, |x: f32, y: f32| x <= y;
    f32_ge = F32Ge, |x: f32, y: f32| x >= y;
    f32_add = F32Add, |x: f32, y: f32| x + y;
    f32_sub = F32Sub, |x: f32, y: f32| x - y;
    f32_mul = F32Mul, |x: f32, y: f32| x * y;
    f32_div = F32Div, |x: f32, y: f32| x / y;
    f32_min = F32Min, |x: f32, y: f32| wasm_min_f32(x, y);
    f32_max = F32Max, |x: f32, y: f32| wasm_max_f32(x, y);
    f32_copysign = F32Copysign, |x: u32, y: u32| (x & 0x7fff_ffff) | (y & 0x8000_0000);
    f64_eq = F64Eq, |x: f64, y: f64| x == y;
    f64_ne = F64Ne, |x: f64, y: f64| x != y;
    f64_lt = F64Lt, |x: f64, y: f64| x < y;
    f64_gt = F64Gt, |x: f64, y: f64| x > y;
    f64_le = F64Le, |x: f64, y: f64| x <= y;
    f64_ge = F64Ge, |x: f64, y: f64| x >= y;
    f64_add = F64Add, |x: f64, y: f64| x + y;
    f64_sub = F64Sub, |x: f64, y: f64| x - y;
    f64_mul = F64Mul, |x: f64, y: f64| x * y;
    f64_div = F64Div, |x: f64, y: f64| x / y;
    f64_min = F64Min, |x: f64, y: f64| wasm_min_f64(x, y);
    f64_max = F64Max, |x: f64, y: f64| wasm_max_f64(x, y);
    f64_copysign = F64Copysign, |x: u64, y: u64| (x & 0x7fff_ffff_ffff_ffff) | (y & 0x8000_0000_0000_0000);
}
