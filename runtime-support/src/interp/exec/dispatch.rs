//! How handlers hand over to each other, and how code is threaded.

use super::super::ir::{Instr, Op};
use super::State;
use super::handlers::*;

/// An instruction handler: executes the instruction at `pc` with the current frame at `fp`
/// and memory 0 at `mem` (`mem_len` bytes), then continues with the next one.
///
/// # Safety
/// `pc` must be an instruction of the state's current function whose handler this is, `fp`
/// its frame, and `mem`/`mem_len` the current instance's memory 0.
pub type Handler =
    unsafe fn(pc: *const Instr, fp: *mut u64, mem: *mut u8, mem_len: u64, st: *mut State) -> Exit;

/// How a run of handlers ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The entry function returned; its results are in its frame.
    Done,
    /// A trap or exit; the reason is in [`State::unwind`].
    Unwind,
    /// The trampoline loop should run the handler in [`State::regs`].
    #[cfg(not(kiln_tail_dispatch))]
    Continue,
}

/// The registers handed from one handler to the next, for the trampoline loop.
#[cfg(not(kiln_tail_dispatch))]
#[derive(Clone, Copy)]
pub struct Regs {
    /// The next instruction.
    pub pc: *const Instr,
    /// The current frame.
    pub fp: *mut u64,
    /// Memory 0's base.
    pub mem: *mut u8,
    /// Memory 0's length in bytes.
    pub len: u64,
}

/// Continues with the instruction at `pc`: a tail call of its handler.
///
/// # Safety
/// As [`Handler`].
#[cfg(kiln_tail_dispatch)]
#[inline(always)]
pub unsafe fn dispatch(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
) -> Exit {
    // SAFETY: per the contract.
    unsafe { ((*pc).handler)(pc, fp, mem, mem_len, st) }
}

/// Continues with the instruction at `pc`: hands the registers back to the trampoline.
///
/// # Safety
/// As [`Handler`].
#[cfg(not(kiln_tail_dispatch))]
#[inline(always)]
pub unsafe fn dispatch(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
) -> Exit {
    // SAFETY: per the contract, `st` is the run's state.
    unsafe { (*st).regs = Regs { pc, fp, mem, len: mem_len } };
    Exit::Continue
}

/// Runs from `pc` until the entry frame returns or the run unwinds.
///
/// # Safety
/// As [`Handler`].
#[cfg(kiln_tail_dispatch)]
pub unsafe fn run(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
) -> Exit {
    // SAFETY: per the contract.
    unsafe { dispatch(pc, fp, mem, mem_len, st) }
}

/// Runs from `pc` until the entry frame returns or the run unwinds.
///
/// # Safety
/// As [`Handler`].
#[cfg(not(kiln_tail_dispatch))]
pub unsafe fn run(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
) -> Exit {
    let mut r = Regs { pc, fp, mem, len: mem_len };
    loop {
        // SAFETY: each handler leaves valid registers for the next one in `regs`.
        match unsafe { ((*r.pc).handler)(r.pc, r.fp, r.mem, r.len, st) } {
            // SAFETY: `st` is the run's state.
            Exit::Continue => r = unsafe { (*st).regs },
            exit => return exit,
        }
    }
}

/// Pairs each instruction of a translated function with its handler and makes branch
/// targets relative to the branching instruction.
pub fn thread(code: Vec<Op>) -> Box<[Instr]> {
    code.into_iter()
        .enumerate()
        .map(|(i, mut op)| {
            if let Some(t) = op.target_mut() {
                *t = (*t as i64 - i as i64) as i32 as u32;
            }
            Instr { handler: handler_for(&op), op }
        })
        .collect()
}

/// The handler of `op`'s variant.
fn handler_for(op: &Op) -> Handler {
    match op {
        Op::Unreachable => unreachable,
        Op::CheckInterrupt => check_interrupt,
        Op::Br { .. } => br,
        Op::BrIfNez { .. } => br_if_nez,
        Op::BrIfEqz { .. } => br_if_eqz,
        Op::BrTable { .. } => br_table,
        Op::BrI32Eq { .. } => br_i32_eq,
        Op::BrI32Ne { .. } => br_i32_ne,
        Op::BrI32LtS { .. } => br_i32_lt_s,
        Op::BrI32LtU { .. } => br_i32_lt_u,
        Op::BrI32GtS { .. } => br_i32_gt_s,
        Op::BrI32GtU { .. } => br_i32_gt_u,
        Op::BrI32LeS { .. } => br_i32_le_s,
        Op::BrI32LeU { .. } => br_i32_le_u,
        Op::BrI32GeS { .. } => br_i32_ge_s,
        Op::BrI32GeU { .. } => br_i32_ge_u,
        Op::BrI32EqImm { .. } => br_i32_eq_imm,
        Op::BrI32NeImm { .. } => br_i32_ne_imm,
        Op::BrI32LtSImm { .. } => br_i32_lt_s_imm,
        Op::BrI32LtUImm { .. } => br_i32_lt_u_imm,
        Op::BrI32GtSImm { .. } => br_i32_gt_s_imm,
        Op::BrI32GtUImm { .. } => br_i32_gt_u_imm,
        Op::BrI32LeSImm { .. } => br_i32_le_s_imm,
        Op::BrI32LeUImm { .. } => br_i32_le_u_imm,
        Op::BrI32GeSImm { .. } => br_i32_ge_s_imm,
        Op::BrI32GeUImm { .. } => br_i32_ge_u_imm,
        Op::BrF32Eq { .. } => br_f32_eq,
        Op::BrF32Ne { .. } => br_f32_ne,
        Op::BrF32Lt { .. } => br_f32_lt,
        Op::BrF32Gt { .. } => br_f32_gt,
        Op::BrF32Le { .. } => br_f32_le,
        Op::BrF32Ge { .. } => br_f32_ge,
        Op::BrF32NotLt { .. } => br_f32_not_lt,
        Op::BrF32NotGt { .. } => br_f32_not_gt,
        Op::BrF32NotLe { .. } => br_f32_not_le,
        Op::BrF32NotGe { .. } => br_f32_not_ge,
        Op::BrF64Eq { .. } => br_f64_eq,
        Op::BrF64Ne { .. } => br_f64_ne,
        Op::BrF64Lt { .. } => br_f64_lt,
        Op::BrF64Gt { .. } => br_f64_gt,
        Op::BrF64Le { .. } => br_f64_le,
        Op::BrF64Ge { .. } => br_f64_ge,
        Op::BrF64NotLt { .. } => br_f64_not_lt,
        Op::BrF64NotGt { .. } => br_f64_not_gt,
        Op::BrF64NotLe { .. } => br_f64_not_le,
        Op::BrF64NotGe { .. } => br_f64_not_ge,
        Op::Return => ret,
        Op::Call { .. } => call,
        Op::CallImport { .. } => call_import,
        Op::CallIndirect { .. } => call_indirect,
        Op::Aux { .. } => aux,
        Op::ReturnSlot { .. } => ret_slot,
        Op::Copy2 { .. } => copy2,
        Op::I32AddImm2 { .. } => i32_add_imm2,
        Op::I32ShlAddImm { .. } => i32_shl_add_imm,
        Op::I32LoadAcc { .. } => i32_load_acc,
        Op::I32Load8UAcc { .. } => i32_load8_u_acc,
        Op::F64LoadAcc { .. } => f64_load_acc,
        Op::F64AddStore { .. } => f64_add_store,
        Op::F64SubStore { .. } => f64_sub_store,
        Op::F64MulStore { .. } => f64_mul_store,
        Op::I32LoadBrLtS { .. } => i32_load_br_lt_s,
        Op::I32LoadBrGtS { .. } => i32_load_br_gt_s,
        Op::I32AddBrNe { .. } => i32_add_br_ne,
        Op::I32AddBrLtU { .. } => i32_add_br_lt_u,
        Op::I32AddBrLtS { .. } => i32_add_br_lt_s,
        Op::I32AddImmBrNe { .. } => i32_add_imm_br_ne,
        Op::I32AddImmBrLtU { .. } => i32_add_imm_br_lt_u,
        Op::I32AddImmBrLtS { .. } => i32_add_imm_br_lt_s,
        Op::I32AddImmBrNeImm { .. } => i32_add_imm_br_ne_imm,
        Op::I32AddImmBrNez { .. } => i32_add_imm_br_nez,
        Op::F64AddAddMul { .. } => f64_add_add_mul,
        Op::F64AddSubMul { .. } => f64_add_sub_mul,
        Op::F64AddRSubMul { .. } => f64_add_rsub_mul,
        Op::F64AddMulMul { .. } => f64_add_mul_mul,
        Op::F64SubAddMul { .. } => f64_sub_add_mul,
        Op::F64SubSubMul { .. } => f64_sub_sub_mul,
        Op::F64SubRSubMul { .. } => f64_sub_rsub_mul,
        Op::F64SubMulMul { .. } => f64_sub_mul_mul,
        Op::F64MulAddMul { .. } => f64_mul_add_mul,
        Op::F64MulSubMul { .. } => f64_mul_sub_mul,
        Op::F64MulRSubMul { .. } => f64_mul_rsub_mul,
        Op::F64MulMulMul { .. } => f64_mul_mul_mul,
        Op::F64AddAdd { .. } => f64_add_add,
        Op::F64AddSub { .. } => f64_add_sub,
        Op::F64AddRSub { .. } => f64_add_rsub,
        Op::F64AddMul { .. } => f64_add_mul,
        Op::F64SubAdd { .. } => f64_sub_add,
        Op::F64SubSub { .. } => f64_sub_sub,
        Op::F64SubRSub { .. } => f64_sub_rsub,
        Op::F64SubMul { .. } => f64_sub_mul,
        Op::F64MulAdd { .. } => f64_mul_add,
        Op::F64MulSub { .. } => f64_mul_sub,
        Op::F64MulRSub { .. } => f64_mul_rsub,
        Op::F64MulMul { .. } => f64_mul_mul,
        Op::F64AddBrLt { .. } => f64_add_br_lt,
        Op::F64AddBrGt { .. } => f64_add_br_gt,
        Op::F64AddBrLe { .. } => f64_add_br_le,
        Op::F64AddBrGe { .. } => f64_add_br_ge,
        Op::F64AddBrNotLt { .. } => f64_add_br_not_lt,
        Op::F64AddBrNotGt { .. } => f64_add_br_not_gt,
        Op::F64AddBrNotLe { .. } => f64_add_br_not_le,
        Op::F64AddBrNotGe { .. } => f64_add_br_not_ge,
        Op::F64SubBrLt { .. } => f64_sub_br_lt,
        Op::F64SubBrGt { .. } => f64_sub_br_gt,
        Op::F64SubBrLe { .. } => f64_sub_br_le,
        Op::F64SubBrGe { .. } => f64_sub_br_ge,
        Op::F64SubBrNotLt { .. } => f64_sub_br_not_lt,
        Op::F64SubBrNotGt { .. } => f64_sub_br_not_gt,
        Op::F64SubBrNotLe { .. } => f64_sub_br_not_le,
        Op::F64SubBrNotGe { .. } => f64_sub_br_not_ge,
        Op::F64MulBrLt { .. } => f64_mul_br_lt,
        Op::F64MulBrGt { .. } => f64_mul_br_gt,
        Op::F64MulBrLe { .. } => f64_mul_br_le,
        Op::F64MulBrGe { .. } => f64_mul_br_ge,
        Op::F64MulBrNotLt { .. } => f64_mul_br_not_lt,
        Op::F64MulBrNotGt { .. } => f64_mul_br_not_gt,
        Op::F64MulBrNotLe { .. } => f64_mul_br_not_le,
        Op::F64MulBrNotGe { .. } => f64_mul_br_not_ge,
        Op::Copy { .. } => copy,
        Op::Const32 { .. } => const32,
        Op::Const64 { .. } => const64,
        Op::Select { .. } => select,
        Op::GlobalGet { .. } => global_get,
        Op::GlobalSet { .. } => global_set,
        Op::RefFunc { .. } => ref_func,
        Op::I32Load { .. } => i32_load,
        Op::I64Load { .. } => i64_load,
        Op::I32LoadAdd { .. } => i32_load_add,
        Op::I64LoadAdd { .. } => i64_load_add,
        Op::I32LoadAddImm { .. } => i32_load_add_imm,
        Op::I64LoadAddImm { .. } => i64_load_add_imm,
        Op::I32Load8S { .. } => i32_load8_s,
        Op::I32Load8U { .. } => i32_load8_u,
        Op::I32Load16S { .. } => i32_load16_s,
        Op::I32Load16U { .. } => i32_load16_u,
        Op::I64Load8S { .. } => i64_load8_s,
        Op::I64Load8U { .. } => i64_load8_u,
        Op::I64Load16S { .. } => i64_load16_s,
        Op::I64Load16U { .. } => i64_load16_u,
        Op::I64Load32S { .. } => i64_load32_s,
        Op::I64Load32U { .. } => i64_load32_u,
        Op::I32Store { .. } => i32_store,
        Op::I64Store { .. } => i64_store,
        Op::I32Store8 { .. } => i32_store8,
        Op::I32Store16 { .. } => i32_store16,
        Op::I32StoreImm { .. } => i32_store_imm,
        Op::I64StoreImm { .. } => i64_store_imm,
        Op::I32Store8Imm { .. } => i32_store8_imm,
        Op::I32Store16Imm { .. } => i32_store16_imm,
        Op::MemorySize { .. } => memory_size,
        Op::MemoryGrow { .. } => memory_grow,
        Op::MemoryFill { .. } => memory_fill,
        Op::MemoryCopy { .. } => memory_copy,
        Op::MemoryInit { .. } => memory_init,
        Op::DataDrop { .. } => data_drop,
        Op::TableGet { .. } => table_get,
        Op::TableSet { .. } => table_set,
        Op::TableSize { .. } => table_size,
        Op::TableGrow { .. } => table_grow,
        Op::TableFill { .. } => table_fill,
        Op::TableCopy { .. } => table_copy,
        Op::TableInit { .. } => table_init,
        Op::ElemDrop { .. } => elem_drop,
        Op::I32Eqz { .. } => i32_eqz,
        Op::I32Eq { .. } => i32_eq,
        Op::I32Ne { .. } => i32_ne,
        Op::I32LtS { .. } => i32_lt_s,
        Op::I32LtU { .. } => i32_lt_u,
        Op::I32GtS { .. } => i32_gt_s,
        Op::I32GtU { .. } => i32_gt_u,
        Op::I32LeS { .. } => i32_le_s,
        Op::I32LeU { .. } => i32_le_u,
        Op::I32GeS { .. } => i32_ge_s,
        Op::I32GeU { .. } => i32_ge_u,
        Op::I32Clz { .. } => i32_clz,
        Op::I32Ctz { .. } => i32_ctz,
        Op::I32Popcnt { .. } => i32_popcnt,
        Op::I32Add { .. } => i32_add,
        Op::I32Sub { .. } => i32_sub,
        Op::I32Mul { .. } => i32_mul,
        Op::I32DivS { .. } => i32_div_s,
        Op::I32DivU { .. } => i32_div_u,
        Op::I32RemS { .. } => i32_rem_s,
        Op::I32RemU { .. } => i32_rem_u,
        Op::I32And { .. } => i32_and,
        Op::I32Or { .. } => i32_or,
        Op::I32Xor { .. } => i32_xor,
        Op::I32Shl { .. } => i32_shl,
        Op::I32ShrS { .. } => i32_shr_s,
        Op::I32ShrU { .. } => i32_shr_u,
        Op::I32Rotl { .. } => i32_rotl,
        Op::I32Rotr { .. } => i32_rotr,
        Op::I32EqImm { .. } => i32_eq_imm,
        Op::I32NeImm { .. } => i32_ne_imm,
        Op::I32LtSImm { .. } => i32_lt_s_imm,
        Op::I32LtUImm { .. } => i32_lt_u_imm,
        Op::I32GtSImm { .. } => i32_gt_s_imm,
        Op::I32GtUImm { .. } => i32_gt_u_imm,
        Op::I32LeSImm { .. } => i32_le_s_imm,
        Op::I32LeUImm { .. } => i32_le_u_imm,
        Op::I32GeSImm { .. } => i32_ge_s_imm,
        Op::I32GeUImm { .. } => i32_ge_u_imm,
        Op::I32AddImm { .. } => i32_add_imm,
        Op::I32MulImm { .. } => i32_mul_imm,
        Op::I32AndImm { .. } => i32_and_imm,
        Op::I32OrImm { .. } => i32_or_imm,
        Op::I32XorImm { .. } => i32_xor_imm,
        Op::I32ShlImm { .. } => i32_shl_imm,
        Op::I32ShrSImm { .. } => i32_shr_s_imm,
        Op::I32ShrUImm { .. } => i32_shr_u_imm,
        Op::I32RotlImm { .. } => i32_rotl_imm,
        Op::I64Eqz { .. } => i64_eqz,
        Op::I64Eq { .. } => i64_eq,
        Op::I64Ne { .. } => i64_ne,
        Op::I64LtS { .. } => i64_lt_s,
        Op::I64LtU { .. } => i64_lt_u,
        Op::I64GtS { .. } => i64_gt_s,
        Op::I64GtU { .. } => i64_gt_u,
        Op::I64LeS { .. } => i64_le_s,
        Op::I64LeU { .. } => i64_le_u,
        Op::I64GeS { .. } => i64_ge_s,
        Op::I64GeU { .. } => i64_ge_u,
        Op::I64Clz { .. } => i64_clz,
        Op::I64Ctz { .. } => i64_ctz,
        Op::I64Popcnt { .. } => i64_popcnt,
        Op::I64Add { .. } => i64_add,
        Op::I64Sub { .. } => i64_sub,
        Op::I64Mul { .. } => i64_mul,
        Op::I64DivS { .. } => i64_div_s,
        Op::I64DivU { .. } => i64_div_u,
        Op::I64RemS { .. } => i64_rem_s,
        Op::I64RemU { .. } => i64_rem_u,
        Op::I64And { .. } => i64_and,
        Op::I64Or { .. } => i64_or,
        Op::I64Xor { .. } => i64_xor,
        Op::I64Shl { .. } => i64_shl,
        Op::I64ShrS { .. } => i64_shr_s,
        Op::I64ShrU { .. } => i64_shr_u,
        Op::I64Rotl { .. } => i64_rotl,
        Op::I64Rotr { .. } => i64_rotr,
        Op::I64EqImm { .. } => i64_eq_imm,
        Op::I64NeImm { .. } => i64_ne_imm,
        Op::I64LtSImm { .. } => i64_lt_s_imm,
        Op::I64LtUImm { .. } => i64_lt_u_imm,
        Op::I64GtSImm { .. } => i64_gt_s_imm,
        Op::I64GtUImm { .. } => i64_gt_u_imm,
        Op::I64LeSImm { .. } => i64_le_s_imm,
        Op::I64LeUImm { .. } => i64_le_u_imm,
        Op::I64GeSImm { .. } => i64_ge_s_imm,
        Op::I64GeUImm { .. } => i64_ge_u_imm,
        Op::I64AddImm { .. } => i64_add_imm,
        Op::I64MulImm { .. } => i64_mul_imm,
        Op::I64AndImm { .. } => i64_and_imm,
        Op::I64OrImm { .. } => i64_or_imm,
        Op::I64XorImm { .. } => i64_xor_imm,
        Op::I64ShlImm { .. } => i64_shl_imm,
        Op::I64ShrSImm { .. } => i64_shr_s_imm,
        Op::I64ShrUImm { .. } => i64_shr_u_imm,
        Op::I64RotlImm { .. } => i64_rotl_imm,
        Op::F32Eq { .. } => f32_eq,
        Op::F32Ne { .. } => f32_ne,
        Op::F32Lt { .. } => f32_lt,
        Op::F32Gt { .. } => f32_gt,
        Op::F32Le { .. } => f32_le,
        Op::F32Ge { .. } => f32_ge,
        Op::F32Abs { .. } => f32_abs,
        Op::F32Neg { .. } => f32_neg,
        Op::F32Ceil { .. } => f32_ceil,
        Op::F32Floor { .. } => f32_floor,
        Op::F32Trunc { .. } => f32_trunc,
        Op::F32Nearest { .. } => f32_nearest,
        Op::F32Sqrt { .. } => f32_sqrt,
        Op::F32Add { .. } => f32_add,
        Op::F32Sub { .. } => f32_sub,
        Op::F32Mul { .. } => f32_mul,
        Op::F32Div { .. } => f32_div,
        Op::F32Min { .. } => f32_min,
        Op::F32Max { .. } => f32_max,
        Op::F32Copysign { .. } => f32_copysign,
        Op::F64Eq { .. } => f64_eq,
        Op::F64Ne { .. } => f64_ne,
        Op::F64Lt { .. } => f64_lt,
        Op::F64Gt { .. } => f64_gt,
        Op::F64Le { .. } => f64_le,
        Op::F64Ge { .. } => f64_ge,
        Op::F64Abs { .. } => f64_abs,
        Op::F64Neg { .. } => f64_neg,
        Op::F64Ceil { .. } => f64_ceil,
        Op::F64Floor { .. } => f64_floor,
        Op::F64Trunc { .. } => f64_trunc,
        Op::F64Nearest { .. } => f64_nearest,
        Op::F64Sqrt { .. } => f64_sqrt,
        Op::F64Add { .. } => f64_add,
        Op::F64Sub { .. } => f64_sub,
        Op::F64Mul { .. } => f64_mul,
        Op::F64Div { .. } => f64_div,
        Op::F64Min { .. } => f64_min,
        Op::F64Max { .. } => f64_max,
        Op::F64Copysign { .. } => f64_copysign,
        Op::I32TruncF32S { .. } => i32_trunc_f32_s,
        Op::I32TruncF32U { .. } => i32_trunc_f32_u,
        Op::I32TruncF64S { .. } => i32_trunc_f64_s,
        Op::I32TruncF64U { .. } => i32_trunc_f64_u,
        Op::I64ExtendI32S { .. } => i64_extend_i32_s,
        Op::I64ExtendI32U { .. } => i64_extend_i32_u,
        Op::I64TruncF32S { .. } => i64_trunc_f32_s,
        Op::I64TruncF32U { .. } => i64_trunc_f32_u,
        Op::I64TruncF64S { .. } => i64_trunc_f64_s,
        Op::I64TruncF64U { .. } => i64_trunc_f64_u,
        Op::F32ConvertI32S { .. } => f32_convert_i32_s,
        Op::F32ConvertI32U { .. } => f32_convert_i32_u,
        Op::F32ConvertI64S { .. } => f32_convert_i64_s,
        Op::F32ConvertI64U { .. } => f32_convert_i64_u,
        Op::F32DemoteF64 { .. } => f32_demote_f64,
        Op::F64ConvertI32S { .. } => f64_convert_i32_s,
        Op::F64ConvertI32U { .. } => f64_convert_i32_u,
        Op::F64ConvertI64S { .. } => f64_convert_i64_s,
        Op::F64ConvertI64U { .. } => f64_convert_i64_u,
        Op::F64PromoteF32 { .. } => f64_promote_f32,
        Op::I32Extend8S { .. } => i32_extend8_s,
        Op::I32Extend16S { .. } => i32_extend16_s,
        Op::I64Extend8S { .. } => i64_extend8_s,
        Op::I64Extend16S { .. } => i64_extend16_s,
        Op::I64Extend32S { .. } => i64_extend32_s,
        Op::I32TruncSatF32S { .. } => i32_trunc_sat_f32_s,
        Op::I32TruncSatF32U { .. } => i32_trunc_sat_f32_u,
        Op::I32TruncSatF64S { .. } => i32_trunc_sat_f64_s,
        Op::I32TruncSatF64U { .. } => i32_trunc_sat_f64_u,
        Op::I64TruncSatF32S { .. } => i64_trunc_sat_f32_s,
        Op::I64TruncSatF32U { .. } => i64_trunc_sat_f32_u,
        Op::I64TruncSatF64S { .. } => i64_trunc_sat_f64_s,
        Op::I64TruncSatF64U { .. } => i64_trunc_sat_f64_u,
    }
}
