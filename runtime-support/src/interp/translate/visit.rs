//! The operators: [`Translator`] implements wasmparser's [`VisitOperator`] with one method
//! per operator of every proposal it translates (`mvp`, `sign_extension`,
//! `saturating_float_to_int`, `bulk_memory`, `reference_types`, `threads` (its atomic
//! accesses generated from [`crate::for_each_atomic_access!`]); `simd` and `relaxed_simd`
//! in [`super::simd`]), written out here: there is
//! no catch-all, so an operator wasmparser adds to these groups does not compile until it is
//! translated or refused here. The operators of every other proposal are refused by
//! [`refuse_untranslated!`] (see [`super::proposals`]).
//!
//! The regular families (unary and binary numeric operators, loads, stores) are declared
//! one line per operator with the local macros below; the others call the translator
//! method of the same name in the file of their kind ([`super::blocks`],
//! [`super::control`], [`super::variables`], [`super::calls`], [`super::memory`],
//! [`super::tables`], [`super::numeric`]).
//!
//! Invariants: a visit method runs only in reachable code (the driver hands unreachable
//! code to [`super::dead_code::DeadCode`]); it leaves the operand-stack model describing the
//! stack after the operator.

use super::Translator;
use super::proposals::{by_proposal, refusal, refuse_untranslated, visited_by_hand};
use super::stack::Entry;
use super::unsupported;
use crate::error::CompileError;
use crate::interp::ir::Op;
use wasmparser::{
    BlockType, BrTable, HeapType, Ieee32, Ieee64, MemArg, ValType, VisitOperator, VisitSimdOperator,
};

/// The atomic accesses, from [`crate::for_each_atomic_access!`]'s listing.
macro_rules! atomic_accesses {
    ($($visit:ident => $kind:ident $(($op:ident))?, $ty:ident, $width:literal;)*) => {$(
        fn $visit(&mut self, memarg: MemArg) -> Self::Output {
            self.atomic_access(crate::atomic_access!($kind $(($op))?, $ty, $width), memarg)
        }
    )*};
}

/// Operators that leave every value as it is in the slot representation.
macro_rules! bit_preserving {
    ($($visit:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            Ok(())
        }
    )*};
}

/// `dst = op(src)`.
macro_rules! unary {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.unop(|dst, src| Op::$Var { dst, src });
            Ok(())
        }
    )*};
}

/// `dst = op(a, b)`.
macro_rules! binary {
    ($($visit:ident => $Var:ident,)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.binop(|dst, a, b| Op::$Var { dst, a, b });
            Ok(())
        }
    )*};
}

/// `dst = op(a, b)` with an immediate form `$Imm` for a constant `b` (or, when the
/// operation commutes, a constant `a`); `$family` is `binop_imm32` or `binop_imm64`.
macro_rules! binary_imm {
    ($family:ident; $($visit:ident => $Var:ident, $Imm:ident, commutes: $commutes:literal;)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.$family(
                |dst, a, b| Op::$Var { dst, a, b },
                |dst, a, imm| Op::$Imm { dst, a, imm },
                $commutes,
            );
            Ok(())
        }
    )*};
}

/// A rotate of `$bits`-bit values (`right` for a right rotate), with the left rotate by a
/// constant `$Imm` for a constant amount.
macro_rules! rotate {
    ($($visit:ident => $Var:ident, $Imm:ident, $bits:literal, right: $right:literal;)*) => {$(
        fn $visit(&mut self) -> Self::Output {
            self.rotate(
                $bits,
                $right,
                |dst, a, b| Op::$Var { dst, a, b },
                |dst, a, imm| Op::$Imm { dst, a, imm },
            );
            Ok(())
        }
    )*};
}

/// Loads, and their `*_m` forms for other memories (float loads use the integer load of
/// the same width).
macro_rules! loads {
    ($($visit:ident => $Var:ident, $VarM:ident,)*) => {$(
        fn $visit(&mut self, memarg: MemArg) -> Self::Output {
            self.load(
                |dst, addr, offset| Op::$Var { dst, addr, offset },
                |dst, addr, offset, memory| Op::$VarM { dst, addr, offset, memory },
                memarg,
            )
        }
    )*};
}

/// Stores, with their `*_m` forms for other memories and the constant-value form `$Imm`;
/// `narrow` stores keep only the low bits of the value, so any constant fits their
/// immediate.
macro_rules! stores {
    ($($visit:ident => $Var:ident, $VarM:ident, $Imm:ident, narrow: $narrow:literal;)*) => {$(
        fn $visit(&mut self, memarg: MemArg) -> Self::Output {
            self.store_imm(
                |addr, value, offset| Op::$Var { addr, value, offset },
                |addr, value, offset, memory| Op::$VarM { addr, value, offset, memory },
                |addr, value, offset| Op::$Imm { addr, value, offset },
                $narrow,
                memarg,
            )
        }
    )*};
}

impl<'a> VisitOperator<'a> for Translator<'_> {
    type Output = Result<(), CompileError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(refuse_untranslated);

    // ---- control

    fn visit_unreachable(&mut self) -> Self::Output {
        self.emit(Op::Unreachable);
        self.set_unreachable();
        Ok(())
    }

    fn visit_nop(&mut self) -> Self::Output {
        Ok(())
    }

    fn visit_block(&mut self, blockty: BlockType) -> Self::Output {
        self.block(blockty);
        Ok(())
    }

    fn visit_loop(&mut self, blockty: BlockType) -> Self::Output {
        self.loop_(blockty);
        Ok(())
    }

    fn visit_if(&mut self, blockty: BlockType) -> Self::Output {
        self.if_(blockty);
        Ok(())
    }

    fn visit_else(&mut self) -> Self::Output {
        self.else_();
        Ok(())
    }

    // ---- exception handling (see `super::exceptions`) ----
    fn visit_throw(&mut self, tag_index: u32) -> Self::Output {
        self.throw(tag_index);
        Ok(())
    }

    fn visit_throw_ref(&mut self) -> Self::Output {
        self.throw_ref();
        Ok(())
    }

    fn visit_try_table(&mut self, try_table: wasmparser::TryTable) -> Self::Output {
        self.try_table(&try_table);
        Ok(())
    }

    fn visit_try(&mut self, blockty: BlockType) -> Self::Output {
        self.try_(blockty);
        Ok(())
    }

    fn visit_catch(&mut self, tag_index: u32) -> Self::Output {
        self.catch(Some(tag_index));
        Ok(())
    }

    fn visit_catch_all(&mut self) -> Self::Output {
        self.catch(None);
        Ok(())
    }

    fn visit_delegate(&mut self, relative_depth: u32) -> Self::Output {
        self.delegate(relative_depth);
        Ok(())
    }

    fn visit_rethrow(&mut self, relative_depth: u32) -> Self::Output {
        self.rethrow(relative_depth);
        Ok(())
    }

    fn visit_end(&mut self) -> Self::Output {
        self.end();
        Ok(())
    }

    fn visit_br(&mut self, relative_depth: u32) -> Self::Output {
        self.br(relative_depth);
        Ok(())
    }

    fn visit_br_if(&mut self, relative_depth: u32) -> Self::Output {
        self.br_if(relative_depth);
        Ok(())
    }

    fn visit_br_table(&mut self, targets: BrTable<'a>) -> Self::Output {
        self.br_table(targets)
    }

    fn visit_return(&mut self) -> Self::Output {
        self.return_();
        Ok(())
    }

    fn visit_call(&mut self, function_index: u32) -> Self::Output {
        self.call(function_index);
        Ok(())
    }

    fn visit_call_indirect(&mut self, type_index: u32, table_index: u32) -> Self::Output {
        self.call_indirect(type_index, table_index);
        Ok(())
    }

    // ---- WebAssembly 3.0 calls: tail calls, typed function references

    fn visit_return_call(&mut self, function_index: u32) -> Self::Output {
        self.return_call(function_index);
        Ok(())
    }

    fn visit_return_call_indirect(&mut self, type_index: u32, table_index: u32) -> Self::Output {
        self.return_call_indirect(type_index, table_index);
        Ok(())
    }

    fn visit_call_ref(&mut self, type_index: u32) -> Self::Output {
        self.call_ref(type_index);
        Ok(())
    }

    fn visit_return_call_ref(&mut self, type_index: u32) -> Self::Output {
        self.return_call_ref(type_index);
        Ok(())
    }

    fn visit_ref_as_non_null(&mut self) -> Self::Output {
        self.ref_as_non_null();
        Ok(())
    }

    fn visit_br_on_null(&mut self, relative_depth: u32) -> Self::Output {
        self.br_on_null(relative_depth);
        Ok(())
    }

    fn visit_br_on_non_null(&mut self, relative_depth: u32) -> Self::Output {
        self.br_on_non_null(relative_depth);
        Ok(())
    }

    // ---- parametric and variables

    fn visit_drop(&mut self) -> Self::Output {
        self.pop();
        Ok(())
    }

    fn visit_select(&mut self) -> Self::Output {
        self.select();
        Ok(())
    }

    fn visit_typed_select(&mut self, _: ValType) -> Self::Output {
        self.select();
        Ok(())
    }

    fn visit_typed_select_multi(&mut self, _: Vec<ValType>) -> Self::Output {
        Err(unsupported(self.offset, "`select` with several results"))
    }

    fn visit_local_get(&mut self, local_index: u32) -> Self::Output {
        self.local_get(local_index);
        Ok(())
    }

    fn visit_local_set(&mut self, local_index: u32) -> Self::Output {
        self.local_set(local_index, false);
        Ok(())
    }

    fn visit_local_tee(&mut self, local_index: u32) -> Self::Output {
        self.local_set(local_index, true);
        Ok(())
    }

    fn visit_global_get(&mut self, global_index: u32) -> Self::Output {
        self.global_get(global_index);
        Ok(())
    }

    fn visit_global_set(&mut self, global_index: u32) -> Self::Output {
        self.global_set(global_index);
        Ok(())
    }

    // ---- memory

    loads! {
        visit_i32_load => I32Load, I32LoadM,
        visit_i64_load => I64Load, I64LoadM,
        visit_f32_load => I32Load, I32LoadM,
        visit_f64_load => I64Load, I64LoadM,
        visit_i32_load8_s => I32Load8S, I32Load8SM,
        visit_i32_load8_u => I32Load8U, I32Load8UM,
        visit_i32_load16_s => I32Load16S, I32Load16SM,
        visit_i32_load16_u => I32Load16U, I32Load16UM,
        visit_i64_load8_s => I64Load8S, I64Load8SM,
        visit_i64_load8_u => I64Load8U, I64Load8UM,
        visit_i64_load16_s => I64Load16S, I64Load16SM,
        visit_i64_load16_u => I64Load16U, I64Load16UM,
        visit_i64_load32_s => I64Load32S, I64Load32SM,
        visit_i64_load32_u => I64Load32U, I64Load32UM,
    }

    stores! {
        visit_i32_store => I32Store, I32StoreM, I32StoreImm, narrow: true;
        visit_i64_store => I64Store, I64StoreM, I64StoreImm, narrow: false;
        visit_f32_store => I32Store, I32StoreM, I32StoreImm, narrow: true;
        visit_f64_store => I64Store, I64StoreM, I64StoreImm, narrow: false;
        visit_i32_store8 => I32Store8, I32Store8M, I32Store8Imm, narrow: true;
        visit_i32_store16 => I32Store16, I32Store16M, I32Store16Imm, narrow: true;
        visit_i64_store8 => I32Store8, I32Store8M, I32Store8Imm, narrow: true;
        visit_i64_store16 => I32Store16, I32Store16M, I32Store16Imm, narrow: true;
        visit_i64_store32 => I32Store, I32StoreM, I32StoreImm, narrow: true;
    }

    fn visit_memory_size(&mut self, mem: u32) -> Self::Output {
        self.memory_size(mem)
    }

    fn visit_memory_grow(&mut self, mem: u32) -> Self::Output {
        self.memory_grow(mem)
    }

    // ---- threads

    crate::for_each_atomic_access!(atomic_accesses);

    fn visit_memory_atomic_wait32(&mut self, memarg: MemArg) -> Self::Output {
        self.memory_atomic_wait(memarg, 4)
    }

    fn visit_memory_atomic_wait64(&mut self, memarg: MemArg) -> Self::Output {
        self.memory_atomic_wait(memarg, 8)
    }

    fn visit_memory_atomic_notify(&mut self, memarg: MemArg) -> Self::Output {
        self.memory_atomic_notify(memarg)
    }

    /// A sequentially consistent fence whatever the ordering (the threads proposal has only
    /// `seq_cst`; a stronger fence than asked for is always correct).
    fn visit_atomic_fence(&mut self, _ordering: wasmparser::Ordering) -> Self::Output {
        self.emit(Op::AtomicFence);
        Ok(())
    }

    fn visit_memory_init(&mut self, data_index: u32, mem: u32) -> Self::Output {
        self.memory_init(data_index, mem)
    }

    fn visit_data_drop(&mut self, data_index: u32) -> Self::Output {
        self.emit(Op::DataDrop { segment: data_index });
        Ok(())
    }

    fn visit_memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Self::Output {
        self.memory_copy(dst_mem, src_mem)
    }

    fn visit_memory_fill(&mut self, mem: u32) -> Self::Output {
        self.memory_fill(mem)
    }

    // ---- references and tables

    fn visit_ref_null(&mut self, _: HeapType) -> Self::Output {
        self.push(Entry::Const(0));
        Ok(())
    }

    fn visit_ref_is_null(&mut self) -> Self::Output {
        self.unop(|dst, src| Op::I64Eqz { dst, src });
        Ok(())
    }

    fn visit_ref_func(&mut self, function_index: u32) -> Self::Output {
        self.ref_func(function_index);
        Ok(())
    }

    fn visit_table_get(&mut self, table: u32) -> Self::Output {
        self.table_get(table);
        Ok(())
    }

    fn visit_table_set(&mut self, table: u32) -> Self::Output {
        self.table_set(table);
        Ok(())
    }

    fn visit_table_size(&mut self, table: u32) -> Self::Output {
        self.table_size(table);
        Ok(())
    }

    fn visit_table_grow(&mut self, table: u32) -> Self::Output {
        self.table_grow(table);
        Ok(())
    }

    fn visit_table_fill(&mut self, table: u32) -> Self::Output {
        self.table_fill(table);
        Ok(())
    }

    fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Self::Output {
        self.table_copy(dst_table, src_table);
        Ok(())
    }

    fn visit_table_init(&mut self, elem_index: u32, table: u32) -> Self::Output {
        self.table_init(elem_index, table);
        Ok(())
    }

    fn visit_elem_drop(&mut self, elem_index: u32) -> Self::Output {
        self.emit(Op::ElemDrop { segment: elem_index });
        Ok(())
    }

    // ---- constants

    fn visit_i32_const(&mut self, value: i32) -> Self::Output {
        self.push(Entry::Const(value as u32 as u64));
        Ok(())
    }

    fn visit_i64_const(&mut self, value: i64) -> Self::Output {
        self.push(Entry::Const(value as u64));
        Ok(())
    }

    fn visit_f32_const(&mut self, value: Ieee32) -> Self::Output {
        self.push(Entry::Const(value.bits() as u64));
        Ok(())
    }

    fn visit_f64_const(&mut self, value: Ieee64) -> Self::Output {
        self.push(Entry::Const(value.bits()));
        Ok(())
    }

    // ---- numeric

    fn visit_i32_sub(&mut self) -> Self::Output {
        self.i32_sub();
        Ok(())
    }

    fn visit_i64_sub(&mut self) -> Self::Output {
        self.i64_sub();
        Ok(())
    }

    binary_imm! { binop_imm32;
        visit_i32_eq => I32Eq, I32EqImm, commutes: true;
        visit_i32_ne => I32Ne, I32NeImm, commutes: true;
        visit_i32_lt_s => I32LtS, I32LtSImm, commutes: false;
        visit_i32_lt_u => I32LtU, I32LtUImm, commutes: false;
        visit_i32_gt_s => I32GtS, I32GtSImm, commutes: false;
        visit_i32_gt_u => I32GtU, I32GtUImm, commutes: false;
        visit_i32_le_s => I32LeS, I32LeSImm, commutes: false;
        visit_i32_le_u => I32LeU, I32LeUImm, commutes: false;
        visit_i32_ge_s => I32GeS, I32GeSImm, commutes: false;
        visit_i32_ge_u => I32GeU, I32GeUImm, commutes: false;
        visit_i32_add => I32Add, I32AddImm, commutes: true;
        visit_i32_mul => I32Mul, I32MulImm, commutes: true;
        visit_i32_and => I32And, I32AndImm, commutes: true;
        visit_i32_or => I32Or, I32OrImm, commutes: true;
        visit_i32_xor => I32Xor, I32XorImm, commutes: true;
        visit_i32_shl => I32Shl, I32ShlImm, commutes: false;
        visit_i32_shr_s => I32ShrS, I32ShrSImm, commutes: false;
        visit_i32_shr_u => I32ShrU, I32ShrUImm, commutes: false;
    }

    binary_imm! { binop_imm64;
        visit_i64_eq => I64Eq, I64EqImm, commutes: true;
        visit_i64_ne => I64Ne, I64NeImm, commutes: true;
        visit_i64_lt_s => I64LtS, I64LtSImm, commutes: false;
        visit_i64_lt_u => I64LtU, I64LtUImm, commutes: false;
        visit_i64_gt_s => I64GtS, I64GtSImm, commutes: false;
        visit_i64_gt_u => I64GtU, I64GtUImm, commutes: false;
        visit_i64_le_s => I64LeS, I64LeSImm, commutes: false;
        visit_i64_le_u => I64LeU, I64LeUImm, commutes: false;
        visit_i64_ge_s => I64GeS, I64GeSImm, commutes: false;
        visit_i64_ge_u => I64GeU, I64GeUImm, commutes: false;
        visit_i64_add => I64Add, I64AddImm, commutes: true;
        visit_i64_mul => I64Mul, I64MulImm, commutes: true;
        visit_i64_and => I64And, I64AndImm, commutes: true;
        visit_i64_or => I64Or, I64OrImm, commutes: true;
        visit_i64_xor => I64Xor, I64XorImm, commutes: true;
        visit_i64_shl => I64Shl, I64ShlImm, commutes: false;
        visit_i64_shr_s => I64ShrS, I64ShrSImm, commutes: false;
        visit_i64_shr_u => I64ShrU, I64ShrUImm, commutes: false;
    }

    fn visit_i32_div_u(&mut self) -> Self::Output {
        self.div_rem_u32(false);
        Ok(())
    }

    fn visit_i32_rem_u(&mut self) -> Self::Output {
        self.div_rem_u32(true);
        Ok(())
    }

    rotate! {
        visit_i32_rotl => I32Rotl, I32RotlImm, 32, right: false;
        visit_i32_rotr => I32Rotr, I32RotlImm, 32, right: true;
        visit_i64_rotl => I64Rotl, I64RotlImm, 64, right: false;
        visit_i64_rotr => I64Rotr, I64RotlImm, 64, right: true;
    }

    binary! {
        visit_i32_div_s => I32DivS,
        visit_i32_rem_s => I32RemS,
        visit_i64_div_s => I64DivS,
        visit_i64_div_u => I64DivU,
        visit_i64_rem_s => I64RemS,
        visit_i64_rem_u => I64RemU,
        visit_f32_eq => F32Eq,
        visit_f32_ne => F32Ne,
        visit_f32_lt => F32Lt,
        visit_f32_gt => F32Gt,
        visit_f32_le => F32Le,
        visit_f32_ge => F32Ge,
        visit_f32_add => F32Add,
        visit_f32_sub => F32Sub,
        visit_f32_mul => F32Mul,
        visit_f32_div => F32Div,
        visit_f32_min => F32Min,
        visit_f32_max => F32Max,
        visit_f32_copysign => F32Copysign,
        visit_f64_eq => F64Eq,
        visit_f64_ne => F64Ne,
        visit_f64_lt => F64Lt,
        visit_f64_gt => F64Gt,
        visit_f64_le => F64Le,
        visit_f64_ge => F64Ge,
        visit_f64_add => F64Add,
        visit_f64_sub => F64Sub,
        visit_f64_mul => F64Mul,
        visit_f64_div => F64Div,
        visit_f64_min => F64Min,
        visit_f64_max => F64Max,
        visit_f64_copysign => F64Copysign,
    }

    unary! {
        visit_i32_eqz => I32Eqz,
        visit_i32_clz => I32Clz,
        visit_i32_ctz => I32Ctz,
        visit_i32_popcnt => I32Popcnt,
        visit_i64_eqz => I64Eqz,
        visit_i64_clz => I64Clz,
        visit_i64_ctz => I64Ctz,
        visit_i64_popcnt => I64Popcnt,
        visit_f32_abs => F32Abs,
        visit_f32_neg => F32Neg,
        visit_f32_ceil => F32Ceil,
        visit_f32_floor => F32Floor,
        visit_f32_trunc => F32Trunc,
        visit_f32_nearest => F32Nearest,
        visit_f32_sqrt => F32Sqrt,
        visit_f64_abs => F64Abs,
        visit_f64_neg => F64Neg,
        visit_f64_ceil => F64Ceil,
        visit_f64_floor => F64Floor,
        visit_f64_trunc => F64Trunc,
        visit_f64_nearest => F64Nearest,
        visit_f64_sqrt => F64Sqrt,
        visit_i32_trunc_f32_s => I32TruncF32S,
        visit_i32_trunc_f32_u => I32TruncF32U,
        visit_i32_trunc_f64_s => I32TruncF64S,
        visit_i32_trunc_f64_u => I32TruncF64U,
        visit_i64_extend_i32_s => I64ExtendI32S,
        visit_i64_extend_i32_u => I64ExtendI32U,
        visit_i64_trunc_f32_s => I64TruncF32S,
        visit_i64_trunc_f32_u => I64TruncF32U,
        visit_i64_trunc_f64_s => I64TruncF64S,
        visit_i64_trunc_f64_u => I64TruncF64U,
        visit_f32_convert_i32_s => F32ConvertI32S,
        visit_f32_convert_i32_u => F32ConvertI32U,
        visit_f32_convert_i64_s => F32ConvertI64S,
        visit_f32_convert_i64_u => F32ConvertI64U,
        visit_f32_demote_f64 => F32DemoteF64,
        visit_f64_convert_i32_s => F64ConvertI32S,
        visit_f64_convert_i32_u => F64ConvertI32U,
        visit_f64_convert_i64_s => F64ConvertI64S,
        visit_f64_convert_i64_u => F64ConvertI64U,
        visit_f64_promote_f32 => F64PromoteF32,
        visit_i32_extend8_s => I32Extend8S,
        visit_i32_extend16_s => I32Extend16S,
        visit_i64_extend8_s => I64Extend8S,
        visit_i64_extend16_s => I64Extend16S,
        visit_i64_extend32_s => I64Extend32S,
        visit_i32_trunc_sat_f32_s => I32TruncSatF32S,
        visit_i32_trunc_sat_f32_u => I32TruncSatF32U,
        visit_i32_trunc_sat_f64_s => I32TruncSatF64S,
        visit_i32_trunc_sat_f64_u => I32TruncSatF64U,
        visit_i64_trunc_sat_f32_s => I64TruncSatF32S,
        visit_i64_trunc_sat_f32_u => I64TruncSatF32U,
        visit_i64_trunc_sat_f64_s => I64TruncSatF64S,
        visit_i64_trunc_sat_f64_u => I64TruncSatF64U,
    }

    bit_preserving! {
        visit_i32_wrap_i64,
        visit_i32_reinterpret_f32,
        visit_i64_reinterpret_f64,
        visit_f32_reinterpret_i32,
        visit_f64_reinterpret_i64,
    }
}
