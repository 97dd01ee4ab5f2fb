//! The SIMD and relaxed-SIMD operators: [`Translator`] implements wasmparser's
//! [`VisitSimdOperator`] with one method per operator, written out here (no catch-all: an
//! operator wasmparser adds to these groups does not compile until it is translated).
//!
//! A `v128` operand-stack entry takes two slots ([`super::stack`]); the instructions read
//! and write both. Relaxed operators translate to the instruction of the semantics Kiln
//! fixes for them (the table in [`crate::interp::ir`]).
//!
//! Invariants: as in [`super::visit`]; every helper pops its operands and pushes its result
//! (a `Temp`, computed into its own slot with `emit_result` where it has a single
//! destination slot).

use super::Translator;
use super::memory::Target;
use super::proposals::{by_proposal, refuse_untranslated, visited_by_hand};
use super::stack::Entry;
use crate::interp::ir::{Op, Slot};
use crate::types::ValType;
use wasmparser::{MemArg, VisitSimdOperator};

/// `v128 -> v128`.
macro_rules! v_unary {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.unop(|dst, src| Op::$Var { dst, src });
            Ok(())
        }
    )*};
}

/// `v128 v128 -> v128`, and the shifts `v128 i32 -> v128` (the result replaces the first
/// operand, of the same width).
macro_rules! v_binary {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.binop(|dst, a, b| Op::$Var { dst, a, b });
            Ok(())
        }
    )*};
}

/// `v128 v128 v128 -> v128`, the third operand in an `Aux`.
macro_rules! v_ternary {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.v_ternary(|dst, a, b| Op::$Var { dst, a, b });
            Ok(())
        }
    )*};
}

/// `v128 -> i32` (lane tests).
macro_rules! v_test {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.retype(ValType::I32, |dst, src| Op::$Var { dst, src });
            Ok(())
        }
    )*};
}

/// Scalar `-> v128` (every lane the operand's bits).
macro_rules! splat {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.retype(ValType::V128, |dst, src| Op::$Var { dst, src });
            Ok(())
        }
    )*};
}

/// `v128 -> scalar` of type `$ty`, lane `lane`.
macro_rules! extract_lane {
    ($($visit:ident => $Var:ident, $ty:ident;)*) => {$(
        fn $visit(&mut self, lane: u8) -> Self::Output {
            self.retype(ValType::$ty, |dst, src| Op::$Var { dst, src, lane });
            Ok(())
        }
    )*};
}

/// `v128 scalar -> v128`, lane `lane` replaced.
macro_rules! replace_lane {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self, lane: u8) -> Self::Output {
            self.binop(|dst, vec, value| Op::$Var { dst, vec, value, lane });
            Ok(())
        }
    )*};
}

/// `i32 -> v128` loads (`i64` addresses for a 64-bit memory), with their `*_m` forms.
macro_rules! v_load {
    ($($visit:ident => $Var:ident, $VarM:ident,)*) => {$(
        fn $visit(&mut self, memarg: MemArg) -> Self::Output {
            let (target, offset) = self.memarg(memarg, self.top())?;
            self.retype(ValType::V128, |dst, addr| match target {
                Target::Memory0 => Op::$Var { dst, addr, offset },
                Target::Indexed(memory) => Op::$VarM { dst, addr, offset, memory },
            });
            Ok(())
        }
    )*};
}

/// `i32 v128 -> v128` lane loads, with their `*_m` forms.
macro_rules! v_load_lane {
    ($($visit:ident => $Var:ident, $VarM:ident,)*) => {$(
        fn $visit(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
            let (target, offset) = self.memarg(memarg, self.top() - 1)?;
            self.load_lane(|vec, addr| match target {
                Target::Memory0 => Op::$Var { vec, addr, offset, lane },
                Target::Indexed(memory) => Op::$VarM { vec, addr, offset, lane, memory },
            });
            Ok(())
        }
    )*};
}

/// `i32 v128 ->` lane stores, with their `*_m` forms.
macro_rules! v_store_lane {
    ($($visit:ident => $Var:ident, $VarM:ident,)*) => {$(
        fn $visit(&mut self, memarg: MemArg, lane: u8) -> Self::Output {
            self.store(
                |addr, value, offset| Op::$Var { addr, value, offset, lane },
                |addr, value, offset, memory| Op::$VarM { addr, value, offset, lane, memory },
                memarg,
            )
        }
    )*};
}

impl Translator<'_> {
    /// An operation whose result replaces its single operand with a value of type `ty`.
    fn retype(&mut self, ty: ValType, make: impl FnOnce(Slot, Slot) -> Op) {
        let t = self.top();
        let src = self.slot(t);
        self.pop();
        let dst = self.push_temp(ty);
        self.emit_result(make(dst, src));
    }

    /// A `v128` operation of three operands, `c` (on top) in an `Aux`.
    fn v_ternary(&mut self, make: fn(Slot, Slot, Slot) -> Op) {
        let t = self.top();
        let c = self.slot(t);
        let b = self.slot(t - 1);
        let a = self.slot(t - 2);
        self.pop();
        self.pop();
        self.stack[t - 2] = Entry::Temp;
        let dst = self.own(t - 2);
        self.emit(make(dst, a, b));
        self.emit(Op::Aux { slot: c });
    }

    /// A lane load: the vector (on top) is updated in its own slot, then moved to the
    /// result's (the address's position, below it).
    fn load_lane(&mut self, make: impl FnOnce(Slot, Slot) -> Op) {
        let t = self.top();
        self.materialize(t);
        let vec = self.own(t);
        let addr = self.slot(t - 1);
        self.emit(make(vec, addr));
        self.pop();
        self.pop();
        let dst = self.push_temp(ValType::V128);
        self.emit_result(Op::Copy128 { dst, src: vec });
    }
}

impl<'a> VisitSimdOperator<'a> for Translator<'_> {
    // Expands to nothing while both SIMD groups are translated; a group wasmparser adds to
    // the SIMD listing has no rule in `by_proposal!` and does not compile.
    wasmparser::for_each_visit_simd_operator!(refuse_untranslated);

    // ---- memory

    v_load! {
        visit_v128_load => V128Load, V128LoadM,
        visit_v128_load8x8_s => V128Load8x8S, V128Load8x8SM,
        visit_v128_load8x8_u => V128Load8x8U, V128Load8x8UM,
        visit_v128_load16x4_s => V128Load16x4S, V128Load16x4SM,
        visit_v128_load16x4_u => V128Load16x4U, V128Load16x4UM,
        visit_v128_load32x2_s => V128Load32x2S, V128Load32x2SM,
        visit_v128_load32x2_u => V128Load32x2U, V128Load32x2UM,
        visit_v128_load8_splat => V128Load8Splat, V128Load8SplatM,
        visit_v128_load16_splat => V128Load16Splat, V128Load16SplatM,
        visit_v128_load32_splat => V128Load32Splat, V128Load32SplatM,
        visit_v128_load64_splat => V128Load64Splat, V128Load64SplatM,
        visit_v128_load32_zero => V128Load32Zero, V128Load32ZeroM,
        visit_v128_load64_zero => V128Load64Zero, V128Load64ZeroM,
    }

    v_load_lane! {
        visit_v128_load8_lane => V128Load8Lane, V128Load8LaneM,
        visit_v128_load16_lane => V128Load16Lane, V128Load16LaneM,
        visit_v128_load32_lane => V128Load32Lane, V128Load32LaneM,
        visit_v128_load64_lane => V128Load64Lane, V128Load64LaneM,
    }

    fn visit_v128_store(&mut self, memarg: MemArg) -> Self::Output {
        self.store(
            |addr, value, offset| Op::V128Store { addr, value, offset },
            |addr, value, offset, memory| Op::V128StoreM { addr, value, offset, memory },
            memarg,
        )
    }

    v_store_lane! {
        visit_v128_store8_lane => V128Store8Lane, V128Store8LaneM,
        visit_v128_store16_lane => V128Store16Lane, V128Store16LaneM,
        visit_v128_store32_lane => V128Store32Lane, V128Store32LaneM,
        visit_v128_store64_lane => V128Store64Lane, V128Store64LaneM,
    }

    // ---- constants and lanes

    fn visit_v128_const(&mut self, value: wasmparser::V128) -> Self::Output {
        let index = self.v128_const(u128::from_le_bytes(*value.bytes()))?;
        let dst = self.push_temp(ValType::V128);
        self.emit_result(Op::V128Const { dst, index });
        Ok(())
    }

    fn visit_i8x16_shuffle(&mut self, lanes: [u8; 16]) -> Self::Output {
        let lanes = self.v128_const(u128::from_le_bytes(lanes))?;
        self.binop(|dst, a, b| Op::I8x16Shuffle { dst, a, b, lanes });
        Ok(())
    }

    extract_lane! {
        visit_i8x16_extract_lane_s => I8x16ExtractLaneS, I32;
        visit_i8x16_extract_lane_u => I8x16ExtractLaneU, I32;
        visit_i16x8_extract_lane_s => I16x8ExtractLaneS, I32;
        visit_i16x8_extract_lane_u => I16x8ExtractLaneU, I32;
        visit_i32x4_extract_lane => I32x4ExtractLane, I32;
        visit_i64x2_extract_lane => I64x2ExtractLane, I64;
        visit_f32x4_extract_lane => I32x4ExtractLane, F32;
        visit_f64x2_extract_lane => I64x2ExtractLane, F64;
    }

    replace_lane! {
        visit_i8x16_replace_lane => I8x16ReplaceLane,
        visit_i16x8_replace_lane => I16x8ReplaceLane,
        visit_i32x4_replace_lane => I32x4ReplaceLane,
        visit_i64x2_replace_lane => I64x2ReplaceLane,
        visit_f32x4_replace_lane => I32x4ReplaceLane,
        visit_f64x2_replace_lane => I64x2ReplaceLane,
    }

    splat! {
        visit_i8x16_splat => I8x16Splat,
        visit_i16x8_splat => I16x8Splat,
        visit_i32x4_splat => I32x4Splat,
        visit_i64x2_splat => I64x2Splat,
        visit_f32x4_splat => I32x4Splat,
        visit_f64x2_splat => I64x2Splat,
    }

    // ---- lane tests

    v_test! {
        visit_v128_any_true => V128AnyTrue,
        visit_i8x16_all_true => I8x16AllTrue,
        visit_i8x16_bitmask => I8x16Bitmask,
        visit_i16x8_all_true => I16x8AllTrue,
        visit_i16x8_bitmask => I16x8Bitmask,
        visit_i32x4_all_true => I32x4AllTrue,
        visit_i32x4_bitmask => I32x4Bitmask,
        visit_i64x2_all_true => I64x2AllTrue,
        visit_i64x2_bitmask => I64x2Bitmask,
    }

    // ---- three operands

    v_ternary! {
        visit_v128_bitselect => V128Bitselect,
        visit_i8x16_relaxed_laneselect => V128Bitselect,
        visit_i16x8_relaxed_laneselect => V128Bitselect,
        visit_i32x4_relaxed_laneselect => V128Bitselect,
        visit_i64x2_relaxed_laneselect => V128Bitselect,
        visit_f32x4_relaxed_madd => F32x4RelaxedMadd,
        visit_f32x4_relaxed_nmadd => F32x4RelaxedNmadd,
        visit_f64x2_relaxed_madd => F64x2RelaxedMadd,
        visit_f64x2_relaxed_nmadd => F64x2RelaxedNmadd,
        visit_i32x4_relaxed_dot_i8x16_i7x16_add_s => I32x4RelaxedDotI8x16I7x16AddS,
    }

    // ---- one operand

    v_unary! {
        visit_v128_not => V128Not,
        visit_i8x16_abs => I8x16Abs,
        visit_i8x16_neg => I8x16Neg,
        visit_i8x16_popcnt => I8x16Popcnt,
        visit_i16x8_extadd_pairwise_i8x16_s => I16x8ExtAddPairwiseI8x16S,
        visit_i16x8_extadd_pairwise_i8x16_u => I16x8ExtAddPairwiseI8x16U,
        visit_i16x8_abs => I16x8Abs,
        visit_i16x8_neg => I16x8Neg,
        visit_i16x8_extend_low_i8x16_s => I16x8ExtendLowI8x16S,
        visit_i16x8_extend_high_i8x16_s => I16x8ExtendHighI8x16S,
        visit_i16x8_extend_low_i8x16_u => I16x8ExtendLowI8x16U,
        visit_i16x8_extend_high_i8x16_u => I16x8ExtendHighI8x16U,
        visit_i32x4_extadd_pairwise_i16x8_s => I32x4ExtAddPairwiseI16x8S,
        visit_i32x4_extadd_pairwise_i16x8_u => I32x4ExtAddPairwiseI16x8U,
        visit_i32x4_abs => I32x4Abs,
        visit_i32x4_neg => I32x4Neg,
        visit_i32x4_extend_low_i16x8_s => I32x4ExtendLowI16x8S,
        visit_i32x4_extend_high_i16x8_s => I32x4ExtendHighI16x8S,
        visit_i32x4_extend_low_i16x8_u => I32x4ExtendLowI16x8U,
        visit_i32x4_extend_high_i16x8_u => I32x4ExtendHighI16x8U,
        visit_i64x2_abs => I64x2Abs,
        visit_i64x2_neg => I64x2Neg,
        visit_i64x2_extend_low_i32x4_s => I64x2ExtendLowI32x4S,
        visit_i64x2_extend_high_i32x4_s => I64x2ExtendHighI32x4S,
        visit_i64x2_extend_low_i32x4_u => I64x2ExtendLowI32x4U,
        visit_i64x2_extend_high_i32x4_u => I64x2ExtendHighI32x4U,
        visit_f32x4_ceil => F32x4Ceil,
        visit_f32x4_floor => F32x4Floor,
        visit_f32x4_trunc => F32x4Trunc,
        visit_f32x4_nearest => F32x4Nearest,
        visit_f32x4_abs => F32x4Abs,
        visit_f32x4_neg => F32x4Neg,
        visit_f32x4_sqrt => F32x4Sqrt,
        visit_f64x2_ceil => F64x2Ceil,
        visit_f64x2_floor => F64x2Floor,
        visit_f64x2_trunc => F64x2Trunc,
        visit_f64x2_nearest => F64x2Nearest,
        visit_f64x2_abs => F64x2Abs,
        visit_f64x2_neg => F64x2Neg,
        visit_f64x2_sqrt => F64x2Sqrt,
        visit_i32x4_trunc_sat_f32x4_s => I32x4TruncSatF32x4S,
        visit_i32x4_trunc_sat_f32x4_u => I32x4TruncSatF32x4U,
        visit_f32x4_convert_i32x4_s => F32x4ConvertI32x4S,
        visit_f32x4_convert_i32x4_u => F32x4ConvertI32x4U,
        visit_i32x4_trunc_sat_f64x2_s_zero => I32x4TruncSatF64x2SZero,
        visit_i32x4_trunc_sat_f64x2_u_zero => I32x4TruncSatF64x2UZero,
        visit_f64x2_convert_low_i32x4_s => F64x2ConvertLowI32x4S,
        visit_f64x2_convert_low_i32x4_u => F64x2ConvertLowI32x4U,
        visit_f32x4_demote_f64x2_zero => F32x4DemoteF64x2Zero,
        visit_f64x2_promote_low_f32x4 => F64x2PromoteLowF32x4,
        visit_i32x4_relaxed_trunc_f32x4_s => I32x4TruncSatF32x4S,
        visit_i32x4_relaxed_trunc_f32x4_u => I32x4TruncSatF32x4U,
        visit_i32x4_relaxed_trunc_f64x2_s_zero => I32x4TruncSatF64x2SZero,
        visit_i32x4_relaxed_trunc_f64x2_u_zero => I32x4TruncSatF64x2UZero,
    }

    // ---- two operands (and the shifts)

    v_binary! {
        visit_i8x16_swizzle => I8x16Swizzle,
        visit_i8x16_relaxed_swizzle => I8x16Swizzle,
        visit_i8x16_eq => I8x16Eq,
        visit_i8x16_ne => I8x16Ne,
        visit_i8x16_lt_s => I8x16LtS,
        visit_i8x16_lt_u => I8x16LtU,
        visit_i8x16_gt_s => I8x16GtS,
        visit_i8x16_gt_u => I8x16GtU,
        visit_i8x16_le_s => I8x16LeS,
        visit_i8x16_le_u => I8x16LeU,
        visit_i8x16_ge_s => I8x16GeS,
        visit_i8x16_ge_u => I8x16GeU,
        visit_i16x8_eq => I16x8Eq,
        visit_i16x8_ne => I16x8Ne,
        visit_i16x8_lt_s => I16x8LtS,
        visit_i16x8_lt_u => I16x8LtU,
        visit_i16x8_gt_s => I16x8GtS,
        visit_i16x8_gt_u => I16x8GtU,
        visit_i16x8_le_s => I16x8LeS,
        visit_i16x8_le_u => I16x8LeU,
        visit_i16x8_ge_s => I16x8GeS,
        visit_i16x8_ge_u => I16x8GeU,
        visit_i32x4_eq => I32x4Eq,
        visit_i32x4_ne => I32x4Ne,
        visit_i32x4_lt_s => I32x4LtS,
        visit_i32x4_lt_u => I32x4LtU,
        visit_i32x4_gt_s => I32x4GtS,
        visit_i32x4_gt_u => I32x4GtU,
        visit_i32x4_le_s => I32x4LeS,
        visit_i32x4_le_u => I32x4LeU,
        visit_i32x4_ge_s => I32x4GeS,
        visit_i32x4_ge_u => I32x4GeU,
        visit_i64x2_eq => I64x2Eq,
        visit_i64x2_ne => I64x2Ne,
        visit_i64x2_lt_s => I64x2LtS,
        visit_i64x2_gt_s => I64x2GtS,
        visit_i64x2_le_s => I64x2LeS,
        visit_i64x2_ge_s => I64x2GeS,
        visit_f32x4_eq => F32x4Eq,
        visit_f32x4_ne => F32x4Ne,
        visit_f32x4_lt => F32x4Lt,
        visit_f32x4_gt => F32x4Gt,
        visit_f32x4_le => F32x4Le,
        visit_f32x4_ge => F32x4Ge,
        visit_f64x2_eq => F64x2Eq,
        visit_f64x2_ne => F64x2Ne,
        visit_f64x2_lt => F64x2Lt,
        visit_f64x2_gt => F64x2Gt,
        visit_f64x2_le => F64x2Le,
        visit_f64x2_ge => F64x2Ge,
        visit_v128_and => V128And,
        visit_v128_andnot => V128AndNot,
        visit_v128_or => V128Or,
        visit_v128_xor => V128Xor,
        visit_i8x16_narrow_i16x8_s => I8x16NarrowI16x8S,
        visit_i8x16_narrow_i16x8_u => I8x16NarrowI16x8U,
        visit_i8x16_shl => I8x16Shl,
        visit_i8x16_shr_s => I8x16ShrS,
        visit_i8x16_shr_u => I8x16ShrU,
        visit_i8x16_add => I8x16Add,
        visit_i8x16_add_sat_s => I8x16AddSatS,
        visit_i8x16_add_sat_u => I8x16AddSatU,
        visit_i8x16_sub => I8x16Sub,
        visit_i8x16_sub_sat_s => I8x16SubSatS,
        visit_i8x16_sub_sat_u => I8x16SubSatU,
        visit_i8x16_min_s => I8x16MinS,
        visit_i8x16_min_u => I8x16MinU,
        visit_i8x16_max_s => I8x16MaxS,
        visit_i8x16_max_u => I8x16MaxU,
        visit_i8x16_avgr_u => I8x16AvgrU,
        visit_i16x8_q15mulr_sat_s => I16x8Q15MulrSatS,
        visit_i16x8_relaxed_q15mulr_s => I16x8Q15MulrSatS,
        visit_i16x8_narrow_i32x4_s => I16x8NarrowI32x4S,
        visit_i16x8_narrow_i32x4_u => I16x8NarrowI32x4U,
        visit_i16x8_shl => I16x8Shl,
        visit_i16x8_shr_s => I16x8ShrS,
        visit_i16x8_shr_u => I16x8ShrU,
        visit_i16x8_add => I16x8Add,
        visit_i16x8_add_sat_s => I16x8AddSatS,
        visit_i16x8_add_sat_u => I16x8AddSatU,
        visit_i16x8_sub => I16x8Sub,
        visit_i16x8_sub_sat_s => I16x8SubSatS,
        visit_i16x8_sub_sat_u => I16x8SubSatU,
        visit_i16x8_mul => I16x8Mul,
        visit_i16x8_min_s => I16x8MinS,
        visit_i16x8_min_u => I16x8MinU,
        visit_i16x8_max_s => I16x8MaxS,
        visit_i16x8_max_u => I16x8MaxU,
        visit_i16x8_avgr_u => I16x8AvgrU,
        visit_i16x8_extmul_low_i8x16_s => I16x8ExtMulLowI8x16S,
        visit_i16x8_extmul_high_i8x16_s => I16x8ExtMulHighI8x16S,
        visit_i16x8_extmul_low_i8x16_u => I16x8ExtMulLowI8x16U,
        visit_i16x8_extmul_high_i8x16_u => I16x8ExtMulHighI8x16U,
        visit_i16x8_relaxed_dot_i8x16_i7x16_s => I16x8RelaxedDotI8x16I7x16S,
        visit_i32x4_shl => I32x4Shl,
        visit_i32x4_shr_s => I32x4ShrS,
        visit_i32x4_shr_u => I32x4ShrU,
        visit_i32x4_add => I32x4Add,
        visit_i32x4_sub => I32x4Sub,
        visit_i32x4_mul => I32x4Mul,
        visit_i32x4_min_s => I32x4MinS,
        visit_i32x4_min_u => I32x4MinU,
        visit_i32x4_max_s => I32x4MaxS,
        visit_i32x4_max_u => I32x4MaxU,
        visit_i32x4_dot_i16x8_s => I32x4DotI16x8S,
        visit_i32x4_extmul_low_i16x8_s => I32x4ExtMulLowI16x8S,
        visit_i32x4_extmul_high_i16x8_s => I32x4ExtMulHighI16x8S,
        visit_i32x4_extmul_low_i16x8_u => I32x4ExtMulLowI16x8U,
        visit_i32x4_extmul_high_i16x8_u => I32x4ExtMulHighI16x8U,
        visit_i64x2_shl => I64x2Shl,
        visit_i64x2_shr_s => I64x2ShrS,
        visit_i64x2_shr_u => I64x2ShrU,
        visit_i64x2_add => I64x2Add,
        visit_i64x2_sub => I64x2Sub,
        visit_i64x2_mul => I64x2Mul,
        visit_i64x2_extmul_low_i32x4_s => I64x2ExtMulLowI32x4S,
        visit_i64x2_extmul_high_i32x4_s => I64x2ExtMulHighI32x4S,
        visit_i64x2_extmul_low_i32x4_u => I64x2ExtMulLowI32x4U,
        visit_i64x2_extmul_high_i32x4_u => I64x2ExtMulHighI32x4U,
        visit_f32x4_add => F32x4Add,
        visit_f32x4_sub => F32x4Sub,
        visit_f32x4_mul => F32x4Mul,
        visit_f32x4_div => F32x4Div,
        visit_f32x4_min => F32x4Min,
        visit_f32x4_max => F32x4Max,
        visit_f32x4_pmin => F32x4PMin,
        visit_f32x4_pmax => F32x4PMax,
        visit_f64x2_add => F64x2Add,
        visit_f64x2_sub => F64x2Sub,
        visit_f64x2_mul => F64x2Mul,
        visit_f64x2_div => F64x2Div,
        visit_f64x2_min => F64x2Min,
        visit_f64x2_max => F64x2Max,
        visit_f64x2_pmin => F64x2PMin,
        visit_f64x2_pmax => F64x2PMax,
        visit_f32x4_relaxed_min => F32x4RelaxedMin,
        visit_f32x4_relaxed_max => F32x4RelaxedMax,
        visit_f64x2_relaxed_min => F64x2RelaxedMin,
        visit_f64x2_relaxed_max => F64x2RelaxedMax,
    }
}
