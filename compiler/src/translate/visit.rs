//! The operator visitor: one method per operator of the proposals the compiler translates
//! (the Core 2.0 instruction set: MVP, sign extension, saturating float-to-int, bulk memory,
//! reference types; from 3.0, tail calls and typed function references; threads; SIMD and relaxed
//! SIMD are visited by [`super::simd`]), each calling the family module that emits its code;
//! the operators of every other proposal are refused by generated methods
//! ([`super::proposal`]).
//!
//! Implementing wasmparser's [`VisitOperator`] makes the list exhaustive: an operator
//! wasmparser adds has no method here and fails to compile until it is translated or
//! refused.

use super::Translator;
use super::call::CallKind;
use super::memory::Load;
use super::proposal::{refuse_in_translation, visit_operators};
use cranelift_codegen::ir::InstBuilder;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I8, I16, I32, I64};
use kiln_runtime_support::CompileError;
use wasmparser::{
    BlockType, BrTable, HeapType, Ieee32, Ieee64, MemArg, ValType, VisitOperator, VisitSimdOperator,
};

/// The atomic accesses, from runtime-support's
/// [`kiln_runtime_support::for_each_atomic_access!`] listing (atomics.rs).
macro_rules! atomic_accesses {
    ($($visit:ident => $kind:ident $(($op:ident))?, $ty:ident, $width:literal;)*) => {$(
        fn $visit(&mut self, memarg: MemArg) -> Self::Output {
            let access = kiln_runtime_support::atomic_access!($kind $(($op))?, $ty, $width);
            self.atomic_access(access, &memarg)
        }
    )*};
}

impl<'a> VisitOperator<'a> for Translator<'_, '_> {
    type Output = Result<(), CompileError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(refuse_in_translation);

    // Control (control.rs, call.rs).
    fn visit_unreachable(&mut self) -> Self::Output {
        self.unreachable_()
    }
    fn visit_nop(&mut self) -> Self::Output {
        Ok(())
    }
    fn visit_block(&mut self, blockty: BlockType) -> Self::Output {
        self.block(blockty)
    }
    fn visit_loop(&mut self, blockty: BlockType) -> Self::Output {
        self.loop_(blockty)
    }
    fn visit_if(&mut self, blockty: BlockType) -> Self::Output {
        self.if_(blockty)
    }
    fn visit_else(&mut self) -> Self::Output {
        self.else_()
    }
    fn visit_end(&mut self) -> Self::Output {
        self.end()
    }
    fn visit_br(&mut self, relative_depth: u32) -> Self::Output {
        self.br(relative_depth)
    }
    fn visit_br_if(&mut self, relative_depth: u32) -> Self::Output {
        self.br_if(relative_depth)
    }
    fn visit_br_table(&mut self, targets: BrTable<'a>) -> Self::Output {
        self.br_table(&targets)
    }
    fn visit_return(&mut self) -> Self::Output {
        self.return_()
    }
    fn visit_call(&mut self, function_index: u32) -> Self::Output {
        self.call(CallKind::Plain, function_index)
    }
    fn visit_call_indirect(&mut self, type_index: u32, table_index: u32) -> Self::Output {
        self.call_indirect(CallKind::Plain, type_index, table_index)
    }

    // Tail calls and typed function references (call.rs, control.rs).
    // With listeners, a tail call is a call and a return, so that this frame ends with
    // its `after` hook (see `kiln_runtime_support::vm::listener`).
    fn visit_return_call(&mut self, function_index: u32) -> Self::Output {
        if self.env.settings.listeners {
            self.call(CallKind::Plain, function_index)?;
            return self.return_();
        }
        self.call(CallKind::Tail, function_index)
    }
    fn visit_return_call_indirect(&mut self, type_index: u32, table_index: u32) -> Self::Output {
        if self.env.settings.listeners {
            self.call_indirect(CallKind::Plain, type_index, table_index)?;
            return self.return_();
        }
        self.call_indirect(CallKind::Tail, type_index, table_index)
    }
    // Exception handling (exceptions.rs).
    fn visit_try_table(&mut self, try_table: wasmparser::TryTable) -> Self::Output {
        self.try_table(&try_table)
    }
    fn visit_throw(&mut self, tag_index: u32) -> Self::Output {
        self.throw(tag_index)
    }
    fn visit_throw_ref(&mut self) -> Self::Output {
        self.throw_ref()
    }
    fn visit_try(&mut self, blockty: BlockType) -> Self::Output {
        self.legacy_try(blockty)
    }
    fn visit_catch(&mut self, tag_index: u32) -> Self::Output {
        self.legacy_catch(Some(tag_index))
    }
    fn visit_catch_all(&mut self) -> Self::Output {
        self.legacy_catch(None)
    }
    fn visit_delegate(&mut self, _relative_depth: u32) -> Self::Output {
        self.delegate()
    }
    fn visit_rethrow(&mut self, relative_depth: u32) -> Self::Output {
        self.rethrow(relative_depth)
    }
    fn visit_call_ref(&mut self, type_index: u32) -> Self::Output {
        self.call_ref(CallKind::Plain, type_index)
    }
    fn visit_return_call_ref(&mut self, type_index: u32) -> Self::Output {
        if self.env.settings.listeners {
            self.call_ref(CallKind::Plain, type_index)?;
            return self.return_();
        }
        self.call_ref(CallKind::Tail, type_index)
    }
    fn visit_ref_as_non_null(&mut self) -> Self::Output {
        self.ref_as_non_null()
    }
    fn visit_br_on_null(&mut self, relative_depth: u32) -> Self::Output {
        self.br_on_null(relative_depth)
    }
    fn visit_br_on_non_null(&mut self, relative_depth: u32) -> Self::Output {
        self.br_on_non_null(relative_depth)
    }

    // Parametric and variable instructions (variable.rs).
    fn visit_drop(&mut self) -> Self::Output {
        self.drop_()
    }
    fn visit_select(&mut self) -> Self::Output {
        self.select(1)
    }
    fn visit_typed_select(&mut self, _ty: ValType) -> Self::Output {
        self.select(1)
    }
    fn visit_typed_select_multi(&mut self, tys: Vec<ValType>) -> Self::Output {
        self.select(tys.len())
    }
    fn visit_local_get(&mut self, local_index: u32) -> Self::Output {
        self.local_get(local_index)
    }
    fn visit_local_set(&mut self, local_index: u32) -> Self::Output {
        self.local_set(local_index)
    }
    fn visit_local_tee(&mut self, local_index: u32) -> Self::Output {
        self.local_tee(local_index)
    }
    fn visit_global_get(&mut self, global_index: u32) -> Self::Output {
        self.global_get(global_index)
    }
    fn visit_global_set(&mut self, global_index: u32) -> Self::Output {
        self.global_set(global_index)
    }

    // Memory (memory.rs).
    fn visit_i32_load(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I32, Load::Plain)
    }
    fn visit_i64_load(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Plain)
    }
    fn visit_f32_load(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, F32, Load::Plain)
    }
    fn visit_f64_load(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, F64, Load::Plain)
    }
    fn visit_i32_load8_s(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I32, Load::Signed(1))
    }
    fn visit_i32_load8_u(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I32, Load::Unsigned(1))
    }
    fn visit_i32_load16_s(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I32, Load::Signed(2))
    }
    fn visit_i32_load16_u(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I32, Load::Unsigned(2))
    }
    fn visit_i64_load8_s(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Signed(1))
    }
    fn visit_i64_load8_u(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Unsigned(1))
    }
    fn visit_i64_load16_s(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Signed(2))
    }
    fn visit_i64_load16_u(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Unsigned(2))
    }
    fn visit_i64_load32_s(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Signed(4))
    }
    fn visit_i64_load32_u(&mut self, memarg: MemArg) -> Self::Output {
        self.load(&memarg, I64, Load::Unsigned(4))
    }
    fn visit_i32_store(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 4)
    }
    fn visit_i64_store(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 8)
    }
    fn visit_f32_store(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 4)
    }
    fn visit_f64_store(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 8)
    }
    fn visit_i32_store8(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 1)
    }
    fn visit_i32_store16(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 2)
    }
    fn visit_i64_store8(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 1)
    }
    fn visit_i64_store16(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 2)
    }
    fn visit_i64_store32(&mut self, memarg: MemArg) -> Self::Output {
        self.store(&memarg, 4)
    }
    fn visit_memory_size(&mut self, mem: u32) -> Self::Output {
        self.memory_size(mem)
    }
    fn visit_memory_grow(&mut self, mem: u32) -> Self::Output {
        self.memory_grow(mem)
    }

    // Threads (atomics.rs).
    kiln_runtime_support::for_each_atomic_access!(atomic_accesses);
    fn visit_memory_atomic_wait32(&mut self, memarg: MemArg) -> Self::Output {
        self.memory_atomic_wait(&memarg, 4)
    }
    fn visit_memory_atomic_wait64(&mut self, memarg: MemArg) -> Self::Output {
        self.memory_atomic_wait(&memarg, 8)
    }
    fn visit_memory_atomic_notify(&mut self, memarg: MemArg) -> Self::Output {
        self.memory_atomic_notify(&memarg)
    }
    /// A sequentially consistent fence whatever the ordering (the threads proposal has
    /// only `seq_cst`; a stronger fence than asked for is always correct).
    fn visit_atomic_fence(&mut self, _ordering: wasmparser::Ordering) -> Self::Output {
        self.atomic_fence()
    }
    fn visit_memory_fill(&mut self, mem: u32) -> Self::Output {
        self.memory_fill(mem)
    }
    fn visit_memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Self::Output {
        self.memory_copy(dst_mem, src_mem)
    }
    fn visit_memory_init(&mut self, data_index: u32, mem: u32) -> Self::Output {
        self.memory_init(data_index, mem)
    }
    fn visit_data_drop(&mut self, data_index: u32) -> Self::Output {
        self.data_drop(data_index)
    }

    // Tables and references (table.rs).
    fn visit_table_get(&mut self, table: u32) -> Self::Output {
        self.table_get(table)
    }
    fn visit_table_set(&mut self, table: u32) -> Self::Output {
        self.table_set(table)
    }
    fn visit_table_size(&mut self, table: u32) -> Self::Output {
        self.table_size(table)
    }
    fn visit_table_grow(&mut self, table: u32) -> Self::Output {
        self.table_grow(table)
    }
    fn visit_table_fill(&mut self, table: u32) -> Self::Output {
        self.table_fill(table)
    }
    fn visit_table_copy(&mut self, dst_table: u32, src_table: u32) -> Self::Output {
        self.table_copy(dst_table, src_table)
    }
    fn visit_table_init(&mut self, elem_index: u32, table: u32) -> Self::Output {
        self.table_init(elem_index, table)
    }
    fn visit_elem_drop(&mut self, elem_index: u32) -> Self::Output {
        self.elem_drop(elem_index)
    }
    fn visit_ref_null(&mut self, _hty: HeapType) -> Self::Output {
        self.ref_null()
    }
    fn visit_ref_is_null(&mut self) -> Self::Output {
        self.ref_is_null()
    }
    fn visit_ref_func(&mut self, function_index: u32) -> Self::Output {
        self.ref_func(function_index)
    }

    // Numeric constants and comparisons (numeric.rs).
    fn visit_i32_const(&mut self, value: i32) -> Self::Output {
        self.const_i32(value)
    }
    fn visit_i64_const(&mut self, value: i64) -> Self::Output {
        self.const_i64(value)
    }
    fn visit_f32_const(&mut self, value: Ieee32) -> Self::Output {
        self.const_f32(value)
    }
    fn visit_f64_const(&mut self, value: Ieee64) -> Self::Output {
        self.const_f64(value)
    }
    fn visit_i32_eqz(&mut self) -> Self::Output {
        self.eqz()
    }
    fn visit_i32_eq(&mut self) -> Self::Output {
        self.icmp(IntCC::Equal)
    }
    fn visit_i32_ne(&mut self) -> Self::Output {
        self.icmp(IntCC::NotEqual)
    }
    fn visit_i32_lt_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedLessThan)
    }
    fn visit_i32_lt_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedLessThan)
    }
    fn visit_i32_gt_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedGreaterThan)
    }
    fn visit_i32_gt_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedGreaterThan)
    }
    fn visit_i32_le_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedLessThanOrEqual)
    }
    fn visit_i32_le_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedLessThanOrEqual)
    }
    fn visit_i32_ge_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedGreaterThanOrEqual)
    }
    fn visit_i32_ge_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedGreaterThanOrEqual)
    }
    fn visit_i64_eqz(&mut self) -> Self::Output {
        self.eqz()
    }
    fn visit_i64_eq(&mut self) -> Self::Output {
        self.icmp(IntCC::Equal)
    }
    fn visit_i64_ne(&mut self) -> Self::Output {
        self.icmp(IntCC::NotEqual)
    }
    fn visit_i64_lt_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedLessThan)
    }
    fn visit_i64_lt_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedLessThan)
    }
    fn visit_i64_gt_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedGreaterThan)
    }
    fn visit_i64_gt_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedGreaterThan)
    }
    fn visit_i64_le_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedLessThanOrEqual)
    }
    fn visit_i64_le_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedLessThanOrEqual)
    }
    fn visit_i64_ge_s(&mut self) -> Self::Output {
        self.icmp(IntCC::SignedGreaterThanOrEqual)
    }
    fn visit_i64_ge_u(&mut self) -> Self::Output {
        self.icmp(IntCC::UnsignedGreaterThanOrEqual)
    }
    fn visit_f32_eq(&mut self) -> Self::Output {
        self.fcmp(FloatCC::Equal)
    }
    fn visit_f32_ne(&mut self) -> Self::Output {
        self.fcmp(FloatCC::NotEqual)
    }
    fn visit_f32_lt(&mut self) -> Self::Output {
        self.fcmp(FloatCC::LessThan)
    }
    fn visit_f32_gt(&mut self) -> Self::Output {
        self.fcmp(FloatCC::GreaterThan)
    }
    fn visit_f32_le(&mut self) -> Self::Output {
        self.fcmp(FloatCC::LessThanOrEqual)
    }
    fn visit_f32_ge(&mut self) -> Self::Output {
        self.fcmp(FloatCC::GreaterThanOrEqual)
    }
    fn visit_f64_eq(&mut self) -> Self::Output {
        self.fcmp(FloatCC::Equal)
    }
    fn visit_f64_ne(&mut self) -> Self::Output {
        self.fcmp(FloatCC::NotEqual)
    }
    fn visit_f64_lt(&mut self) -> Self::Output {
        self.fcmp(FloatCC::LessThan)
    }
    fn visit_f64_gt(&mut self) -> Self::Output {
        self.fcmp(FloatCC::GreaterThan)
    }
    fn visit_f64_le(&mut self) -> Self::Output {
        self.fcmp(FloatCC::LessThanOrEqual)
    }
    fn visit_f64_ge(&mut self) -> Self::Output {
        self.fcmp(FloatCC::GreaterThanOrEqual)
    }

    // Integer arithmetic (numeric.rs).
    fn visit_i32_clz(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().clz(x))
    }
    fn visit_i32_ctz(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().ctz(x))
    }
    fn visit_i32_popcnt(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().popcnt(x))
    }
    fn visit_i32_add(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().iadd(x, y))
    }
    fn visit_i32_sub(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().isub(x, y))
    }
    fn visit_i32_mul(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().imul(x, y))
    }
    fn visit_i32_div_s(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().sdiv(x, y))
    }
    fn visit_i32_div_u(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().udiv(x, y))
    }
    fn visit_i32_rem_s(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().srem(x, y))
    }
    fn visit_i32_rem_u(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().urem(x, y))
    }
    fn visit_i32_and(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().band(x, y))
    }
    fn visit_i32_or(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().bor(x, y))
    }
    fn visit_i32_xor(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().bxor(x, y))
    }
    fn visit_i32_shl(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().ishl(x, y))
    }
    fn visit_i32_shr_s(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().sshr(x, y))
    }
    fn visit_i32_shr_u(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().ushr(x, y))
    }
    fn visit_i32_rotl(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().rotl(x, y))
    }
    fn visit_i32_rotr(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().rotr(x, y))
    }
    fn visit_i64_clz(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().clz(x))
    }
    fn visit_i64_ctz(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().ctz(x))
    }
    fn visit_i64_popcnt(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().popcnt(x))
    }
    fn visit_i64_add(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().iadd(x, y))
    }
    fn visit_i64_sub(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().isub(x, y))
    }
    fn visit_i64_mul(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().imul(x, y))
    }
    fn visit_i64_div_s(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().sdiv(x, y))
    }
    fn visit_i64_div_u(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().udiv(x, y))
    }
    fn visit_i64_rem_s(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().srem(x, y))
    }
    fn visit_i64_rem_u(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().urem(x, y))
    }
    fn visit_i64_and(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().band(x, y))
    }
    fn visit_i64_or(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().bor(x, y))
    }
    fn visit_i64_xor(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().bxor(x, y))
    }
    fn visit_i64_shl(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().ishl(x, y))
    }
    fn visit_i64_shr_s(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().sshr(x, y))
    }
    fn visit_i64_shr_u(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().ushr(x, y))
    }
    fn visit_i64_rotl(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().rotl(x, y))
    }
    fn visit_i64_rotr(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().rotr(x, y))
    }

    // Float arithmetic (numeric.rs).
    fn visit_f32_abs(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fabs(x))
    }
    fn visit_f32_neg(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fneg(x))
    }
    fn visit_f32_ceil(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().ceil(x))
    }
    fn visit_f32_floor(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().floor(x))
    }
    fn visit_f32_trunc(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().trunc(x))
    }
    fn visit_f32_nearest(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().nearest(x))
    }
    fn visit_f32_sqrt(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().sqrt(x))
    }
    fn visit_f32_add(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fadd(x, y))
    }
    fn visit_f32_sub(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fsub(x, y))
    }
    fn visit_f32_mul(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fmul(x, y))
    }
    fn visit_f32_div(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fdiv(x, y))
    }
    fn visit_f32_min(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fmin(x, y))
    }
    fn visit_f32_max(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fmax(x, y))
    }
    fn visit_f32_copysign(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fcopysign(x, y))
    }
    fn visit_f64_abs(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fabs(x))
    }
    fn visit_f64_neg(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fneg(x))
    }
    fn visit_f64_ceil(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().ceil(x))
    }
    fn visit_f64_floor(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().floor(x))
    }
    fn visit_f64_trunc(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().trunc(x))
    }
    fn visit_f64_nearest(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().nearest(x))
    }
    fn visit_f64_sqrt(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().sqrt(x))
    }
    fn visit_f64_add(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fadd(x, y))
    }
    fn visit_f64_sub(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fsub(x, y))
    }
    fn visit_f64_mul(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fmul(x, y))
    }
    fn visit_f64_div(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fdiv(x, y))
    }
    fn visit_f64_min(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fmin(x, y))
    }
    fn visit_f64_max(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fmax(x, y))
    }
    fn visit_f64_copysign(&mut self) -> Self::Output {
        self.binop(|b, x, y| b.ins().fcopysign(x, y))
    }

    // Conversions (numeric.rs).
    fn visit_i32_wrap_i64(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().ireduce(I32, x))
    }
    fn visit_i64_extend_i32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().sextend(I64, x))
    }
    fn visit_i64_extend_i32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().uextend(I64, x))
    }
    fn visit_i32_trunc_f32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint(I32, x))
    }
    fn visit_i32_trunc_f32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint(I32, x))
    }
    fn visit_i32_trunc_f64_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint(I32, x))
    }
    fn visit_i32_trunc_f64_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint(I32, x))
    }
    fn visit_i64_trunc_f32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint(I64, x))
    }
    fn visit_i64_trunc_f32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint(I64, x))
    }
    fn visit_i64_trunc_f64_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint(I64, x))
    }
    fn visit_i64_trunc_f64_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint(I64, x))
    }
    fn visit_f32_convert_i32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_sint(F32, x))
    }
    fn visit_f32_convert_i32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_uint(F32, x))
    }
    fn visit_f32_convert_i64_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_sint(F32, x))
    }
    fn visit_f32_convert_i64_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_uint(F32, x))
    }
    fn visit_f64_convert_i32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_sint(F64, x))
    }
    fn visit_f64_convert_i32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_uint(F64, x))
    }
    fn visit_f64_convert_i64_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_sint(F64, x))
    }
    fn visit_f64_convert_i64_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_from_uint(F64, x))
    }
    fn visit_f32_demote_f64(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fdemote(F32, x))
    }
    fn visit_f64_promote_f32(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fpromote(F64, x))
    }
    fn visit_i32_reinterpret_f32(&mut self) -> Self::Output {
        self.reinterpret(I32)
    }
    fn visit_i64_reinterpret_f64(&mut self) -> Self::Output {
        self.reinterpret(I64)
    }
    fn visit_f32_reinterpret_i32(&mut self) -> Self::Output {
        self.reinterpret(F32)
    }
    fn visit_f64_reinterpret_i64(&mut self) -> Self::Output {
        self.reinterpret(F64)
    }

    // Sign extension (numeric.rs).
    fn visit_i32_extend8_s(&mut self) -> Self::Output {
        self.extend_s(I8, I32)
    }
    fn visit_i32_extend16_s(&mut self) -> Self::Output {
        self.extend_s(I16, I32)
    }
    fn visit_i64_extend8_s(&mut self) -> Self::Output {
        self.extend_s(I8, I64)
    }
    fn visit_i64_extend16_s(&mut self) -> Self::Output {
        self.extend_s(I16, I64)
    }
    fn visit_i64_extend32_s(&mut self) -> Self::Output {
        self.extend_s(I32, I64)
    }

    // Saturating float-to-int conversions (numeric.rs).
    fn visit_i32_trunc_sat_f32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint_sat(I32, x))
    }
    fn visit_i32_trunc_sat_f32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint_sat(I32, x))
    }
    fn visit_i32_trunc_sat_f64_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint_sat(I32, x))
    }
    fn visit_i32_trunc_sat_f64_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint_sat(I32, x))
    }
    fn visit_i64_trunc_sat_f32_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint_sat(I64, x))
    }
    fn visit_i64_trunc_sat_f32_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint_sat(I64, x))
    }
    fn visit_i64_trunc_sat_f64_s(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_sint_sat(I64, x))
    }
    fn visit_i64_trunc_sat_f64_u(&mut self) -> Self::Output {
        self.unop(|b, x| b.ins().fcvt_to_uint_sat(I64, x))
    }
}
