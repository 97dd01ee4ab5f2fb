//! Relaxed SIMD instructions with semantics of their own (the others run the deterministic
//! instructions named in the relaxed-SIMD table of [`crate::interp::ir`]): one fixed
//! semantics each, the one the compiled engine implements, so a module gives the same bits
//! on both engines.

use super::*;

v_ternary! {
    // Unfused: `a * b` rounded, then `+ c` rounded (never a fused multiply-add).
    f32x4_relaxed_madd = F32x4RelaxedMadd, |a, b, c| {
        Vector::from_f32x4(zip3(a.f32x4(), b.f32x4(), c.f32x4(), |x, y, z| x * y + z))
    };
    f32x4_relaxed_nmadd = F32x4RelaxedNmadd, |a, b, c| {
        Vector::from_f32x4(zip3(a.f32x4(), b.f32x4(), c.f32x4(), |x, y, z| -x * y + z))
    };
    f64x2_relaxed_madd = F64x2RelaxedMadd, |a, b, c| {
        Vector::from_f64x2(zip3(a.f64x2(), b.f64x2(), c.f64x2(), |x, y, z| x * y + z))
    };
    f64x2_relaxed_nmadd = F64x2RelaxedNmadd, |a, b, c| {
        Vector::from_f64x2(zip3(a.f64x2(), b.f64x2(), c.f64x2(), |x, y, z| -x * y + z))
    };
    // x86 `pmaddubsw` (signed lanes of `a` times unsigned lanes of `b`, pairs added with
    // signed saturation), its pairs summed to i32, plus `c` (wrapping).
    i32x4_relaxed_dot_i8x16_i7x16_add_s = I32x4RelaxedDotI8x16I7x16AddS, |a, b, c| {
        let d = dot_i8x16_u8x16_sat(a, b).i16x8();
        let c = c.i32x4();
        Vector::from_i32x4(std::array::from_fn(|i| {
            (d[2 * i] as i32 + d[2 * i + 1] as i32).wrapping_add(c[i])
        }))
    };
}

/// x86 `pmaddubsw` with the signed operand first: lane `i` of the i16x8 result is
/// `a[2i] * b[2i] + a[2i+1] * b[2i+1]`, lanes of `a` signed and of `b` unsigned bytes,
/// saturated to i16.
#[inline(always)]
fn dot_i8x16_u8x16_sat(a: Vector, b: Vector) -> Vector {
    let (x, y) = (a.i8x16(), b.u8x16());
    Vector::from_i16x8(std::array::from_fn(|i| {
        let sum = x[2 * i] as i32 * y[2 * i] as i32 + x[2 * i + 1] as i32 * y[2 * i + 1] as i32;
        sum.clamp(i16::MIN as i32, i16::MAX as i32) as i16
    }))
}

v_binary! {
    // x86 `minps`/`maxps` order: `a < b ? a : b` and `b < a ? a : b` (the second operand when
    // either is NaN or both are zeros).
    f32x4_relaxed_min = F32x4RelaxedMin, |a, b| {
        Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| if x < y { x } else { y }))
    };
    f32x4_relaxed_max = F32x4RelaxedMax, |a, b| {
        Vector::from_f32x4(zip(a.f32x4(), b.f32x4(), |x, y| if y < x { x } else { y }))
    };
    f64x2_relaxed_min = F64x2RelaxedMin, |a, b| {
        Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| if x < y { x } else { y }))
    };
    f64x2_relaxed_max = F64x2RelaxedMax, |a, b| {
        Vector::from_f64x2(zip(a.f64x2(), b.f64x2(), |x, y| if y < x { x } else { y }))
    };
    i16x8_relaxed_dot_i8x16_i7x16_s = I16x8RelaxedDotI8x16I7x16S, |a, b| dot_i8x16_u8x16_sat(a, b);
}
