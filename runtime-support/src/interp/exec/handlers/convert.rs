//! Conversion handlers: integer widths, float <-> integer, float widths.

use super::*;

/// Float-to-int truncation with the spec's traps: NaN is an invalid conversion; a value
/// whose truncation is outside `(lo, hi)` (exclusive bounds, as floats) overflows.
macro_rules! trunc {
    ($x:expr, $lo:expr, $hi:expr, $t:ty) => {{
        let x = $x;
        if x.is_nan() {
            Err(TrapCode::InvalidConversionToInteger)
        } else if !(x > $lo && x < $hi) {
            Err(TrapCode::IntegerOverflow)
        } else {
            Ok(x as $t)
        }
    }};
}

unary_try! {
    i32_trunc_f32_s = I32TruncF32S, |x: f32| trunc!(x, -2147483904.0f32, 2147483648.0f32, i32);
    i32_trunc_f32_u = I32TruncF32U, |x: f32| trunc!(x, -1.0f32, 4294967296.0f32, u32);
    i32_trunc_f64_s = I32TruncF64S, |x: f64| trunc!(x, -2147483649.0f64, 2147483648.0f64, i32);
    i32_trunc_f64_u = I32TruncF64U, |x: f64| trunc!(x, -1.0f64, 4294967296.0f64, u32);
    i64_trunc_f32_s = I64TruncF32S, |x: f32| trunc!(x, -9223373136366403584.0f32, 9223372036854775808.0f32, i64);
    i64_trunc_f32_u = I64TruncF32U, |x: f32| trunc!(x, -1.0f32, 18446744073709551616.0f32, u64);
    i64_trunc_f64_s = I64TruncF64S, |x: f64| trunc!(x, -9223372036854777856.0f64, 9223372036854775808.0f64, i64);
    i64_trunc_f64_u = I64TruncF64U, |x: f64| trunc!(x, -1.0f64, 18446744073709551616.0f64, u64);
}

unary! {
    i64_extend_i32_s = I64ExtendI32S, |x: i32| x as i64;
    i64_extend_i32_u = I64ExtendI32U, |x: u32| x as u64;
    f32_convert_i32_s = F32ConvertI32S, |x: i32| x as f32;
    f32_convert_i32_u = F32ConvertI32U, |x: u32| x as f32;
    f32_convert_i64_s = F32ConvertI64S, |x: i64| x as f32;
    f32_convert_i64_u = F32ConvertI64U, |x: u64| x as f32;
    f32_demote_f64 = F32DemoteF64, |x: f64| x as f32;
    f64_convert_i32_s = F64ConvertI32S, |x: i32| x as f64;
    f64_convert_i32_u = F64ConvertI32U, |x: u32| x as f64;
    f64_convert_i64_s = F64ConvertI64S, |x: i64| x as f64;
    f64_convert_i64_u = F64ConvertI64U, |x: u64| x as f64;
    f64_promote_f32 = F64PromoteF32, |x: f32| x as f64;
    i32_extend8_s = I32Extend8S, |x: u64| x as i8 as i32;
    i32_extend16_s = I32Extend16S, |x: u64| x as i16 as i32;
    i64_extend8_s = I64Extend8S, |x: u64| x as i8 as i64;
    i64_extend16_s = I64Extend16S, |x: u64| x as i16 as i64;
    i64_extend32_s = I64Extend32S, |x: u64| x as i32 as i64;
    i32_trunc_sat_f32_s = I32TruncSatF32S, |x: f32| x as i32;
    i32_trunc_sat_f32_u = I32TruncSatF32U, |x: f32| x as u32;
    i32_trunc_sat_f64_s = I32TruncSatF64S, |x: f64| x as i32;
    i32_trunc_sat_f64_u = I32TruncSatF64U, |x: f64| x as u32;
    i64_trunc_sat_f32_s = I64TruncSatF32S, |x: f32| x as i64;
    i64_trunc_sat_f32_u = I64TruncSatF32U, |x: f32| x as u64;
    i64_trunc_sat_f64_s = I64TruncSatF64S, |x: f64| x as i64;
    i64_trunc_sat_f64_u = I64TruncSatF64U, |x: f64| x as u64;
}
