//! Lane conversions between integers and floats and between float widths. The truncations
//! saturate (NaN to 0) as `trunc_sat` does; `_zero` forms zero the upper half of the
//! result; conversions from f64 to f32 and back round and keep NaNs NaN (arithmetic) as the
//! scalar ones do.

use super::*;

v_unary! {
    i32x4_trunc_sat_f32x4_s = I32x4TruncSatF32x4S, |a| Vector::from_i32x4(map(a.f32x4(), |x| x as i32));
    i32x4_trunc_sat_f32x4_u = I32x4TruncSatF32x4U, |a| Vector::from_u32x4(map(a.f32x4(), |x| x as u32));
    f32x4_convert_i32x4_s = F32x4ConvertI32x4S, |a| Vector::from_f32x4(map(a.i32x4(), |x| x as f32));
    f32x4_convert_i32x4_u = F32x4ConvertI32x4U, |a| Vector::from_f32x4(map(a.u32x4(), |x| x as f32));
    i32x4_trunc_sat_f64x2_s_zero = I32x4TruncSatF64x2SZero, |a| {
        let [x, y] = a.f64x2();
        Vector::from_i32x4([x as i32, y as i32, 0, 0])
    };
    i32x4_trunc_sat_f64x2_u_zero = I32x4TruncSatF64x2UZero, |a| {
        let [x, y] = a.f64x2();
        Vector::from_u32x4([x as u32, y as u32, 0, 0])
    };
    f64x2_convert_low_i32x4_s = F64x2ConvertLowI32x4S, |a| {
        let [x, y, _, _] = a.i32x4();
        Vector::from_f64x2([x as f64, y as f64])
    };
    f64x2_convert_low_i32x4_u = F64x2ConvertLowI32x4U, |a| {
        let [x, y, _, _] = a.u32x4();
        Vector::from_f64x2([x as f64, y as f64])
    };
    f32x4_demote_f64x2_zero = F32x4DemoteF64x2Zero, |a| {
        let [x, y] = a.f64x2();
        Vector::from_f32x4([x as f32, y as f32, 0.0, 0.0])
    };
    f64x2_promote_low_f32x4 = F64x2PromoteLowF32x4, |a| {
        let [x, y, _, _] = a.f32x4();
        Vector::from_f64x2([x as f64, y as f64])
    };
}
