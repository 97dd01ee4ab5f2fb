//! The SIMD operator visitor: one method per operator of 128-bit SIMD and relaxed SIMD, each
//! naming the Cranelift instructions that compute it (the shapes are in the sibling
//! modules). Implementing wasmparser's [`VisitSimdOperator`] makes the list exhaustive.

use super::super::Translator;
use super::super::memory::Load;
use super::memory::LoadExtend;
use super::relaxed::select_lt;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32, I32X4, I64X2};
use cranelift_codegen::ir::{InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use kiln_runtime_support::CompileError;
use wasmparser::{MemArg, V128, VisitSimdOperator};

/// Which half of a vector's lanes a widening operation takes.
#[derive(Clone, Copy)]
enum Half {
    /// The low-numbered lanes.
    Low,
    /// The high-numbered lanes.
    High,
}

/// The products of the `half` lanes of `x` and `y`, each widened to twice its width first
/// (sign-extended when `signed`): the extended multiplications, and the dot product's halves.
fn widening(b: &mut FunctionBuilder<'_>, x: Value, y: Value, half: Half, signed: bool) -> Value {
    let mut widen = |v| match (half, signed) {
        (Half::Low, true) => b.ins().swiden_low(v),
        (Half::High, true) => b.ins().swiden_high(v),
        (Half::Low, false) => b.ins().uwiden_low(v),
        (Half::High, false) => b.ins().uwiden_high(v),
    };
    let (x, y) = (widen(x), widen(y));
    b.ins().imul(x, y)
}

impl Translator<'_, '_> {
    /// `i32x4.trunc_sat_f64x2_{s,u}_zero`: both lanes converted with saturation (NaN to 0),
    /// then narrowed to `i32` lanes 0 and 1 with zeros above (the shape Cranelift's x86
    /// backend knows: a narrow of the conversion and a zero constant).
    fn trunc_sat_f64x2_zero(&mut self, signed: bool) -> Result<(), CompileError> {
        let x = self.pop_as(F64X2);
        let zero = self.vector_const(I64X2, 0);
        let r = if signed {
            let wide = self.b.ins().fcvt_to_sint_sat(I64X2, x);
            self.b.ins().snarrow(wide, zero)
        } else {
            let wide = self.b.ins().fcvt_to_uint_sat(I64X2, x);
            self.b.ins().uunarrow(wide, zero)
        };
        self.push(r);
        Ok(())
    }
}

impl<'a> VisitSimdOperator<'a> for Translator<'_, '_> {
    // Loads and stores (memory.rs).
    fn visit_v128_load(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I8X16, Load::Plain)
    }
    fn visit_v128_load8x8_s(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_extend(&memarg, LoadExtend::S8x8)
    }
    fn visit_v128_load8x8_u(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_extend(&memarg, LoadExtend::U8x8)
    }
    fn visit_v128_load16x4_s(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_extend(&memarg, LoadExtend::S16x4)
    }
    fn visit_v128_load16x4_u(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_extend(&memarg, LoadExtend::U16x4)
    }
    fn visit_v128_load32x2_s(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_extend(&memarg, LoadExtend::S32x2)
    }
    fn visit_v128_load32x2_u(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_extend(&memarg, LoadExtend::U32x2)
    }
    fn visit_v128_load8_splat(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_splat(&memarg, I8X16)
    }
    fn visit_v128_load16_splat(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_splat(&memarg, I16X8)
    }
    fn visit_v128_load32_splat(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_splat(&memarg, I32X4)
    }
    fn visit_v128_load64_splat(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_splat(&memarg, I64X2)
    }
    fn visit_v128_load32_zero(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_zero(&memarg, I32X4)
    }
    fn visit_v128_load64_zero(&mut self, memarg: MemArg) -> Self::Output {
        self.v128_load_zero(&memarg, I64X2)
    }
    fn visit_v128_store(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 16)
    }
    fn visit_v128_load8_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_load_lane(&memarg, I8X16, lane)
    }
    fn visit_v128_load16_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_load_lane(&memarg, I16X8, lane)
    }
    fn visit_v128_load32_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_load_lane(&memarg, I32X4, lane)
    }
    fn visit_v128_load64_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_load_lane(&memarg, I64X2, lane)
    }
    fn visit_v128_store8_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_store_lane(&memarg, I8X16, lane)
    }
    fn visit_v128_store16_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_store_lane(&memarg, I16X8, lane)
    }
    fn visit_v128_store32_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_store_lane(&memarg, I32X4, lane)
    }
    fn visit_v128_store64_lane(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
        self.v128_store_lane(&memarg, I64X2, lane)
    }

    // Constants, shuffles, splats and lanes (lanes.rs).
    fn visit_v128_const(&mut self, value: V128) -> Self::Output {
        self.v128_const(&value)
    }
    fn visit_i8x16_shuffle(&mut self, lanes: [u8; 16]) -> Self::Output {
        self.i8x16_shuffle(lanes)
    }
    fn visit_i8x16_extract_lane_s(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(I8X16, lane, true)
    }
    fn visit_i8x16_extract_lane_u(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(I8X16, lane, false)
    }
    fn visit_i8x16_replace_lane(&mut self, lane: u8) -> Self::Output {
        self.replace_lane(I8X16, lane)
    }
    fn visit_i16x8_extract_lane_s(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(I16X8, lane, true)
    }
    fn visit_i16x8_extract_lane_u(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(I16X8, lane, false)
    }
    fn visit_i16x8_replace_lane(&mut self, lane: u8) -> Self::Output {
        self.replace_lane(I16X8, lane)
    }
    fn visit_i32x4_extract_lane(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(I32X4, lane, false)
    }
    fn visit_i32x4_replace_lane(&mut self, lane: u8) -> Self::Output {
        self.replace_lane(I32X4, lane)
    }
    fn visit_i64x2_extract_lane(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(I64X2, lane, false)
    }
    fn visit_i64x2_replace_lane(&mut self, lane: u8) -> Self::Output {
        self.replace_lane(I64X2, lane)
    }
    fn visit_f32x4_extract_lane(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(F32X4, lane, false)
    }
    fn visit_f32x4_replace_lane(&mut self, lane: u8) -> Self::Output {
        self.replace_lane(F32X4, lane)
    }
    fn visit_f64x2_extract_lane(&mut self, lane: u8) -> Self::Output {
        self.extract_lane(F64X2, lane, false)
    }
    fn visit_f64x2_replace_lane(&mut self, lane: u8) -> Self::Output {
        self.replace_lane(F64X2, lane)
    }
    fn visit_i8x16_swizzle(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().swizzle(x, y))
    }
    fn visit_i8x16_splat(&mut self) -> Self::Output {
        self.splat(I8X16)
    }
    fn visit_i16x8_splat(&mut self) -> Self::Output {
        self.splat(I16X8)
    }
    fn visit_i32x4_splat(&mut self) -> Self::Output {
        self.splat(I32X4)
    }
    fn visit_i64x2_splat(&mut self) -> Self::Output {
        self.splat(I64X2)
    }
    fn visit_f32x4_splat(&mut self) -> Self::Output {
        self.splat(F32X4)
    }
    fn visit_f64x2_splat(&mut self) -> Self::Output {
        self.splat(F64X2)
    }

    // Comparisons: lane masks of all ones or all zeros.
    fn visit_i8x16_eq(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::Equal, x, y))
    }
    fn visit_i8x16_ne(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::NotEqual, x, y))
    }
    fn visit_i8x16_lt_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::SignedLessThan, x, y))
    }
    fn visit_i8x16_lt_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::UnsignedLessThan, x, y))
    }
    fn visit_i8x16_gt_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThan, x, y))
    }
    fn visit_i8x16_gt_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::UnsignedGreaterThan, x, y))
    }
    fn visit_i8x16_le_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::SignedLessThanOrEqual, x, y))
    }
    fn visit_i8x16_le_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::UnsignedLessThanOrEqual, x, y))
    }
    fn visit_i8x16_ge_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThanOrEqual, x, y))
    }
    fn visit_i8x16_ge_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, x, y))
    }
    fn visit_i16x8_eq(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::Equal, x, y))
    }
    fn visit_i16x8_ne(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::NotEqual, x, y))
    }
    fn visit_i16x8_lt_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::SignedLessThan, x, y))
    }
    fn visit_i16x8_lt_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::UnsignedLessThan, x, y))
    }
    fn visit_i16x8_gt_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThan, x, y))
    }
    fn visit_i16x8_gt_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::UnsignedGreaterThan, x, y))
    }
    fn visit_i16x8_le_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::SignedLessThanOrEqual, x, y))
    }
    fn visit_i16x8_le_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::UnsignedLessThanOrEqual, x, y))
    }
    fn visit_i16x8_ge_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThanOrEqual, x, y))
    }
    fn visit_i16x8_ge_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, x, y))
    }
    fn visit_i32x4_eq(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::Equal, x, y))
    }
    fn visit_i32x4_ne(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::NotEqual, x, y))
    }
    fn visit_i32x4_lt_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::SignedLessThan, x, y))
    }
    fn visit_i32x4_lt_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::UnsignedLessThan, x, y))
    }
    fn visit_i32x4_gt_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThan, x, y))
    }
    fn visit_i32x4_gt_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::UnsignedGreaterThan, x, y))
    }
    fn visit_i32x4_le_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::SignedLessThanOrEqual, x, y))
    }
    fn visit_i32x4_le_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::UnsignedLessThanOrEqual, x, y))
    }
    fn visit_i32x4_ge_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThanOrEqual, x, y))
    }
    fn visit_i32x4_ge_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, x, y))
    }
    fn visit_i64x2_eq(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().icmp(IntCC::Equal, x, y))
    }
    fn visit_i64x2_ne(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().icmp(IntCC::NotEqual, x, y))
    }
    fn visit_i64x2_lt_s(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().icmp(IntCC::SignedLessThan, x, y))
    }
    fn visit_i64x2_gt_s(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThan, x, y))
    }
    fn visit_i64x2_le_s(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().icmp(IntCC::SignedLessThanOrEqual, x, y))
    }
    fn visit_i64x2_ge_s(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().icmp(IntCC::SignedGreaterThanOrEqual, x, y))
    }
    fn visit_f32x4_eq(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fcmp(FloatCC::Equal, x, y))
    }
    fn visit_f32x4_ne(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fcmp(FloatCC::NotEqual, x, y))
    }
    fn visit_f32x4_lt(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fcmp(FloatCC::LessThan, x, y))
    }
    fn visit_f32x4_gt(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fcmp(FloatCC::GreaterThan, x, y))
    }
    fn visit_f32x4_le(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fcmp(FloatCC::LessThanOrEqual, x, y))
    }
    fn visit_f32x4_ge(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fcmp(FloatCC::GreaterThanOrEqual, x, y))
    }
    fn visit_f64x2_eq(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fcmp(FloatCC::Equal, x, y))
    }
    fn visit_f64x2_ne(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fcmp(FloatCC::NotEqual, x, y))
    }
    fn visit_f64x2_lt(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fcmp(FloatCC::LessThan, x, y))
    }
    fn visit_f64x2_gt(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fcmp(FloatCC::GreaterThan, x, y))
    }
    fn visit_f64x2_le(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fcmp(FloatCC::LessThanOrEqual, x, y))
    }
    fn visit_f64x2_ge(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fcmp(FloatCC::GreaterThanOrEqual, x, y))
    }

    // Bitwise operations.
    fn visit_v128_not(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().bnot(x))
    }
    fn visit_v128_and(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().band(x, y))
    }
    fn visit_v128_andnot(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().band_not(x, y))
    }
    fn visit_v128_or(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().bor(x, y))
    }
    fn visit_v128_xor(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().bxor(x, y))
    }
    fn visit_v128_bitselect(&mut self) -> Self::Output {
        self.vternop(I8X16, |b, x, y, m| b.ins().bitselect(m, x, y))
    }
    fn visit_v128_any_true(&mut self) -> Self::Output {
        self.vreduce(I8X16, |b, x| b.ins().vany_true(x))
    }

    // Integer lane arithmetic.
    fn visit_i8x16_abs(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().iabs(x))
    }
    fn visit_i8x16_neg(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().ineg(x))
    }
    fn visit_i8x16_all_true(&mut self) -> Self::Output {
        self.vreduce(I8X16, |b, x| b.ins().vall_true(x))
    }
    fn visit_i8x16_bitmask(&mut self) -> Self::Output {
        self.vreduce(I8X16, |b, x| b.ins().vhigh_bits(I32, x))
    }
    fn visit_i8x16_shl(&mut self) -> Self::Output {
        self.vshift(I8X16, |b, x, n| b.ins().ishl(x, n))
    }
    fn visit_i8x16_shr_s(&mut self) -> Self::Output {
        self.vshift(I8X16, |b, x, n| b.ins().sshr(x, n))
    }
    fn visit_i8x16_shr_u(&mut self) -> Self::Output {
        self.vshift(I8X16, |b, x, n| b.ins().ushr(x, n))
    }
    fn visit_i8x16_add(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().iadd(x, y))
    }
    fn visit_i8x16_sub(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().isub(x, y))
    }
    fn visit_i8x16_add_sat_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().sadd_sat(x, y))
    }
    fn visit_i8x16_add_sat_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().uadd_sat(x, y))
    }
    fn visit_i8x16_sub_sat_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().ssub_sat(x, y))
    }
    fn visit_i8x16_sub_sat_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().usub_sat(x, y))
    }
    fn visit_i8x16_avgr_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().avg_round(x, y))
    }
    fn visit_i8x16_min_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().smin(x, y))
    }
    fn visit_i8x16_min_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().umin(x, y))
    }
    fn visit_i8x16_max_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().smax(x, y))
    }
    fn visit_i8x16_max_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().umax(x, y))
    }
    fn visit_i16x8_abs(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| b.ins().iabs(x))
    }
    fn visit_i16x8_neg(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| b.ins().ineg(x))
    }
    fn visit_i16x8_all_true(&mut self) -> Self::Output {
        self.vreduce(I16X8, |b, x| b.ins().vall_true(x))
    }
    fn visit_i16x8_bitmask(&mut self) -> Self::Output {
        self.vreduce(I16X8, |b, x| b.ins().vhigh_bits(I32, x))
    }
    fn visit_i16x8_shl(&mut self) -> Self::Output {
        self.vshift(I16X8, |b, x, n| b.ins().ishl(x, n))
    }
    fn visit_i16x8_shr_s(&mut self) -> Self::Output {
        self.vshift(I16X8, |b, x, n| b.ins().sshr(x, n))
    }
    fn visit_i16x8_shr_u(&mut self) -> Self::Output {
        self.vshift(I16X8, |b, x, n| b.ins().ushr(x, n))
    }
    fn visit_i16x8_add(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().iadd(x, y))
    }
    fn visit_i16x8_sub(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().isub(x, y))
    }
    fn visit_i16x8_mul(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().imul(x, y))
    }
    fn visit_i16x8_add_sat_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().sadd_sat(x, y))
    }
    fn visit_i16x8_add_sat_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().uadd_sat(x, y))
    }
    fn visit_i16x8_sub_sat_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().ssub_sat(x, y))
    }
    fn visit_i16x8_sub_sat_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().usub_sat(x, y))
    }
    fn visit_i16x8_avgr_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().avg_round(x, y))
    }
    fn visit_i16x8_min_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().smin(x, y))
    }
    fn visit_i16x8_min_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().umin(x, y))
    }
    fn visit_i16x8_max_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().smax(x, y))
    }
    fn visit_i16x8_max_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().umax(x, y))
    }
    fn visit_i32x4_abs(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().iabs(x))
    }
    fn visit_i32x4_neg(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().ineg(x))
    }
    fn visit_i32x4_all_true(&mut self) -> Self::Output {
        self.vreduce(I32X4, |b, x| b.ins().vall_true(x))
    }
    fn visit_i32x4_bitmask(&mut self) -> Self::Output {
        self.vreduce(I32X4, |b, x| b.ins().vhigh_bits(I32, x))
    }
    fn visit_i32x4_shl(&mut self) -> Self::Output {
        self.vshift(I32X4, |b, x, n| b.ins().ishl(x, n))
    }
    fn visit_i32x4_shr_s(&mut self) -> Self::Output {
        self.vshift(I32X4, |b, x, n| b.ins().sshr(x, n))
    }
    fn visit_i32x4_shr_u(&mut self) -> Self::Output {
        self.vshift(I32X4, |b, x, n| b.ins().ushr(x, n))
    }
    fn visit_i32x4_add(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().iadd(x, y))
    }
    fn visit_i32x4_sub(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().isub(x, y))
    }
    fn visit_i32x4_mul(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().imul(x, y))
    }
    fn visit_i32x4_min_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().smin(x, y))
    }
    fn visit_i32x4_min_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().umin(x, y))
    }
    fn visit_i32x4_max_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().smax(x, y))
    }
    fn visit_i32x4_max_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().umax(x, y))
    }
    fn visit_i64x2_abs(&mut self) -> Self::Output {
        self.vunop(I64X2, |b, x| b.ins().iabs(x))
    }
    fn visit_i64x2_neg(&mut self) -> Self::Output {
        self.vunop(I64X2, |b, x| b.ins().ineg(x))
    }
    fn visit_i64x2_all_true(&mut self) -> Self::Output {
        self.vreduce(I64X2, |b, x| b.ins().vall_true(x))
    }
    fn visit_i64x2_bitmask(&mut self) -> Self::Output {
        self.vreduce(I64X2, |b, x| b.ins().vhigh_bits(I32, x))
    }
    fn visit_i64x2_shl(&mut self) -> Self::Output {
        self.vshift(I64X2, |b, x, n| b.ins().ishl(x, n))
    }
    fn visit_i64x2_shr_s(&mut self) -> Self::Output {
        self.vshift(I64X2, |b, x, n| b.ins().sshr(x, n))
    }
    fn visit_i64x2_shr_u(&mut self) -> Self::Output {
        self.vshift(I64X2, |b, x, n| b.ins().ushr(x, n))
    }
    fn visit_i64x2_add(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().iadd(x, y))
    }
    fn visit_i64x2_sub(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().isub(x, y))
    }
    fn visit_i64x2_mul(&mut self) -> Self::Output {
        self.vbinop(I64X2, |b, x, y| b.ins().imul(x, y))
    }
    fn visit_i8x16_popcnt(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().popcnt(x))
    }
    fn visit_i16x8_q15mulr_sat_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y))
    }
    fn visit_i32x4_dot_i16x8_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| {
            let lo = widening(b, x, y, Half::Low, true);
            let hi = widening(b, x, y, Half::High, true);
            b.ins().iadd_pairwise(lo, hi)
        })
    }

    // Narrowing, widening, extended multiplication and pairwise addition.
    fn visit_i8x16_narrow_i16x8_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().snarrow(x, y))
    }
    fn visit_i8x16_narrow_i16x8_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().unarrow(x, y))
    }
    fn visit_i16x8_narrow_i32x4_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().snarrow(x, y))
    }
    fn visit_i16x8_narrow_i32x4_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| b.ins().unarrow(x, y))
    }
    fn visit_i16x8_extend_low_i8x16_s(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().swiden_low(x))
    }
    fn visit_i16x8_extend_high_i8x16_s(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().swiden_high(x))
    }
    fn visit_i16x8_extend_low_i8x16_u(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().uwiden_low(x))
    }
    fn visit_i16x8_extend_high_i8x16_u(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| b.ins().uwiden_high(x))
    }
    fn visit_i16x8_extmul_low_i8x16_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| widening(b, x, y, Half::Low, true))
    }
    fn visit_i16x8_extmul_low_i8x16_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| widening(b, x, y, Half::Low, false))
    }
    fn visit_i16x8_extmul_high_i8x16_s(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| widening(b, x, y, Half::High, true))
    }
    fn visit_i16x8_extmul_high_i8x16_u(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| widening(b, x, y, Half::High, false))
    }
    fn visit_i32x4_extend_low_i16x8_s(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| b.ins().swiden_low(x))
    }
    fn visit_i32x4_extend_high_i16x8_s(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| b.ins().swiden_high(x))
    }
    fn visit_i32x4_extend_low_i16x8_u(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| b.ins().uwiden_low(x))
    }
    fn visit_i32x4_extend_high_i16x8_u(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| b.ins().uwiden_high(x))
    }
    fn visit_i32x4_extmul_low_i16x8_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| widening(b, x, y, Half::Low, true))
    }
    fn visit_i32x4_extmul_low_i16x8_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| widening(b, x, y, Half::Low, false))
    }
    fn visit_i32x4_extmul_high_i16x8_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| widening(b, x, y, Half::High, true))
    }
    fn visit_i32x4_extmul_high_i16x8_u(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| widening(b, x, y, Half::High, false))
    }
    fn visit_i64x2_extend_low_i32x4_s(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().swiden_low(x))
    }
    fn visit_i64x2_extend_high_i32x4_s(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().swiden_high(x))
    }
    fn visit_i64x2_extend_low_i32x4_u(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().uwiden_low(x))
    }
    fn visit_i64x2_extend_high_i32x4_u(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().uwiden_high(x))
    }
    fn visit_i64x2_extmul_low_i32x4_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| widening(b, x, y, Half::Low, true))
    }
    fn visit_i64x2_extmul_low_i32x4_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| widening(b, x, y, Half::Low, false))
    }
    fn visit_i64x2_extmul_high_i32x4_s(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| widening(b, x, y, Half::High, true))
    }
    fn visit_i64x2_extmul_high_i32x4_u(&mut self) -> Self::Output {
        self.vbinop(I32X4, |b, x, y| widening(b, x, y, Half::High, false))
    }
    fn visit_i16x8_extadd_pairwise_i8x16_s(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| {
            let (lo, hi) = (b.ins().swiden_low(x), b.ins().swiden_high(x));
            b.ins().iadd_pairwise(lo, hi)
        })
    }
    fn visit_i16x8_extadd_pairwise_i8x16_u(&mut self) -> Self::Output {
        self.vunop(I8X16, |b, x| {
            let (lo, hi) = (b.ins().uwiden_low(x), b.ins().uwiden_high(x));
            b.ins().iadd_pairwise(lo, hi)
        })
    }
    fn visit_i32x4_extadd_pairwise_i16x8_s(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| {
            let (lo, hi) = (b.ins().swiden_low(x), b.ins().swiden_high(x));
            b.ins().iadd_pairwise(lo, hi)
        })
    }
    fn visit_i32x4_extadd_pairwise_i16x8_u(&mut self) -> Self::Output {
        self.vunop(I16X8, |b, x| {
            let (lo, hi) = (b.ins().uwiden_low(x), b.ins().uwiden_high(x));
            b.ins().iadd_pairwise(lo, hi)
        })
    }

    // Float lane arithmetic (relaxed.rs has the pseudo-min and -max shape).
    fn visit_f32x4_ceil(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().ceil(x))
    }
    fn visit_f32x4_floor(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().floor(x))
    }
    fn visit_f32x4_trunc(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().trunc(x))
    }
    fn visit_f32x4_nearest(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().nearest(x))
    }
    fn visit_f32x4_abs(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fabs(x))
    }
    fn visit_f32x4_neg(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fneg(x))
    }
    fn visit_f32x4_sqrt(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().sqrt(x))
    }
    fn visit_f32x4_add(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fadd(x, y))
    }
    fn visit_f32x4_sub(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fsub(x, y))
    }
    fn visit_f32x4_mul(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fmul(x, y))
    }
    fn visit_f32x4_div(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fdiv(x, y))
    }
    fn visit_f32x4_min(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fmin(x, y))
    }
    fn visit_f32x4_max(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| b.ins().fmax(x, y))
    }
    fn visit_f32x4_pmin(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| select_lt(b, F32X4, (y, x), y, x))
    }
    fn visit_f32x4_pmax(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| select_lt(b, F32X4, (x, y), y, x))
    }
    fn visit_f64x2_ceil(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().ceil(x))
    }
    fn visit_f64x2_floor(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().floor(x))
    }
    fn visit_f64x2_trunc(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().trunc(x))
    }
    fn visit_f64x2_nearest(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().nearest(x))
    }
    fn visit_f64x2_abs(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().fabs(x))
    }
    fn visit_f64x2_neg(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().fneg(x))
    }
    fn visit_f64x2_sqrt(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().sqrt(x))
    }
    fn visit_f64x2_add(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fadd(x, y))
    }
    fn visit_f64x2_sub(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fsub(x, y))
    }
    fn visit_f64x2_mul(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fmul(x, y))
    }
    fn visit_f64x2_div(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fdiv(x, y))
    }
    fn visit_f64x2_min(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fmin(x, y))
    }
    fn visit_f64x2_max(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| b.ins().fmax(x, y))
    }
    fn visit_f64x2_pmin(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| select_lt(b, F64X2, (y, x), y, x))
    }
    fn visit_f64x2_pmax(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| select_lt(b, F64X2, (x, y), y, x))
    }

    // Conversions.
    fn visit_i32x4_trunc_sat_f32x4_s(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x))
    }
    fn visit_i32x4_trunc_sat_f32x4_u(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x))
    }
    fn visit_f32x4_convert_i32x4_s(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().fcvt_from_sint(F32X4, x))
    }
    fn visit_f32x4_convert_i32x4_u(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| b.ins().fcvt_from_uint(F32X4, x))
    }
    fn visit_i32x4_trunc_sat_f64x2_s_zero(&mut self) -> Self::Output {
        self.trunc_sat_f64x2_zero(true)
    }
    fn visit_i32x4_trunc_sat_f64x2_u_zero(&mut self) -> Self::Output {
        self.trunc_sat_f64x2_zero(false)
    }
    fn visit_f64x2_convert_low_i32x4_s(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| {
            let x = b.ins().swiden_low(x);
            b.ins().fcvt_from_sint(F64X2, x)
        })
    }
    fn visit_f64x2_convert_low_i32x4_u(&mut self) -> Self::Output {
        self.vunop(I32X4, |b, x| {
            let x = b.ins().uwiden_low(x);
            b.ins().fcvt_from_uint(F64X2, x)
        })
    }
    fn visit_f32x4_demote_f64x2_zero(&mut self) -> Self::Output {
        self.vunop(F64X2, |b, x| b.ins().fvdemote(x))
    }
    fn visit_f64x2_promote_low_f32x4(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fvpromote_low(x))
    }

    // Relaxed SIMD (relaxed.rs): Kiln's deterministic semantics.
    fn visit_i8x16_relaxed_swizzle(&mut self) -> Self::Output {
        self.vbinop(I8X16, |b, x, y| b.ins().swizzle(x, y))
    }
    fn visit_i32x4_relaxed_trunc_f32x4_s(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fcvt_to_sint_sat(I32X4, x))
    }
    fn visit_i32x4_relaxed_trunc_f32x4_u(&mut self) -> Self::Output {
        self.vunop(F32X4, |b, x| b.ins().fcvt_to_uint_sat(I32X4, x))
    }
    fn visit_i32x4_relaxed_trunc_f64x2_s_zero(&mut self) -> Self::Output {
        self.trunc_sat_f64x2_zero(true)
    }
    fn visit_i32x4_relaxed_trunc_f64x2_u_zero(&mut self) -> Self::Output {
        self.trunc_sat_f64x2_zero(false)
    }
    fn visit_f32x4_relaxed_madd(&mut self) -> Self::Output {
        self.vternop(F32X4, |b, x, y, z| {
            let p = b.ins().fmul(x, y);
            b.ins().fadd(p, z)
        })
    }
    fn visit_f32x4_relaxed_nmadd(&mut self) -> Self::Output {
        self.vternop(F32X4, |b, x, y, z| {
            let x = b.ins().fneg(x);
            let p = b.ins().fmul(x, y);
            b.ins().fadd(p, z)
        })
    }
    fn visit_f64x2_relaxed_madd(&mut self) -> Self::Output {
        self.vternop(F64X2, |b, x, y, z| {
            let p = b.ins().fmul(x, y);
            b.ins().fadd(p, z)
        })
    }
    fn visit_f64x2_relaxed_nmadd(&mut self) -> Self::Output {
        self.vternop(F64X2, |b, x, y, z| {
            let x = b.ins().fneg(x);
            let p = b.ins().fmul(x, y);
            b.ins().fadd(p, z)
        })
    }
    fn visit_i8x16_relaxed_laneselect(&mut self) -> Self::Output {
        self.vternop(I8X16, |b, x, y, m| b.ins().bitselect(m, x, y))
    }
    fn visit_i16x8_relaxed_laneselect(&mut self) -> Self::Output {
        self.vternop(I8X16, |b, x, y, m| b.ins().bitselect(m, x, y))
    }
    fn visit_i32x4_relaxed_laneselect(&mut self) -> Self::Output {
        self.vternop(I8X16, |b, x, y, m| b.ins().bitselect(m, x, y))
    }
    fn visit_i64x2_relaxed_laneselect(&mut self) -> Self::Output {
        self.vternop(I8X16, |b, x, y, m| b.ins().bitselect(m, x, y))
    }
    fn visit_f32x4_relaxed_min(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| select_lt(b, F32X4, (x, y), x, y))
    }
    fn visit_f32x4_relaxed_max(&mut self) -> Self::Output {
        self.vbinop(F32X4, |b, x, y| select_lt(b, F32X4, (y, x), x, y))
    }
    fn visit_f64x2_relaxed_min(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| select_lt(b, F64X2, (x, y), x, y))
    }
    fn visit_f64x2_relaxed_max(&mut self) -> Self::Output {
        self.vbinop(F64X2, |b, x, y| select_lt(b, F64X2, (y, x), x, y))
    }
    fn visit_i16x8_relaxed_q15mulr_s(&mut self) -> Self::Output {
        self.vbinop(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y))
    }
    fn visit_i16x8_relaxed_dot_i8x16_i7x16_s(&mut self) -> Self::Output {
        let y = self.pop_as(I8X16);
        let x = self.pop_as(I8X16);
        let r = self.dot_i8x16_u8x16_sat(x, y);
        self.push(r);
        Ok(())
    }
    fn visit_i32x4_relaxed_dot_i8x16_i7x16_add_s(&mut self) -> Self::Output {
        let z = self.pop_as(I32X4);
        let y = self.pop_as(I8X16);
        let x = self.pop_as(I8X16);
        let r = self.dot_i8x16_u8x16_add(x, y, z);
        self.push(r);
        Ok(())
    }
}
