//! Operand forwarding: an instruction whose operand is the result of the instruction just
//! before it takes that operand from a register instead of reading it back from its slot.
//!
//! Handlers pass a register, `reg`, along with the hot state. The producers, whose result
//! operand has the role `Out` (or `Out16`) in `for_each_op!` (the integer and load handler
//! families, `global.get`, copies, some fused instructions, and every forwarded form), put
//! their result in it as well as in their `dst` slot. The others pass 0: only the
//! instruction right after a producer reads the register, so it is dead after them, and a
//! handler that needs no register for it has one more for its own work (the fused float
//! handlers would otherwise save and restore registers). A
//! consumer of [`forwarded`] form reads `reg` where its plain form reads the slot. Reading
//! the slot back costs a store-to-load forwarding delay on the critical path of every
//! dependent pair, which is most of what decoder loops (Lua's, a compressor's) execute.
//!
//! The pass runs last, on absolute branch targets, and rewrites a consumer only when no
//! branch targets it, so it is reached only from its producer; the slot is written too,
//! so the rewrite is correct whatever reads the slot later. Instructions keep their
//! positions and wasm offsets.

use super::ir::{Op, Slot};

/// Rewrites each instruction of `code` whose operand is its predecessor's result (and that
/// no branch targets) to its forwarded form.
pub fn forward_results(code: &mut [Op]) {
    let mut targeted = vec![false; code.len() + 1];
    for op in code.iter() {
        // A `BrTableAt` reads its table; it does not jump to it.
        if let Some(t) = op.target()
            && !matches!(op, Op::BrTableAt { .. })
        {
            targeted[t as usize] = true;
        }
    }
    for i in 1..code.len() {
        if targeted[i] {
            continue;
        }
        if let Some(d) = code[i - 1].forwarded_result()
            && let Some(op) = forwarded(code[i], d)
        {
            code[i] = op;
        }
    }
}

/// `op` with its operand in slot `d` taken from `reg` instead, if it has such a form.
fn forwarded(op: Op, d: Slot) -> Option<Op> {
    Some(match op {
        Op::I32Load { dst, addr, offset } if addr == d => Op::I32LoadR { dst, offset },
        Op::I64Load { dst, addr, offset } if addr == d => Op::I64LoadR { dst, offset },
        Op::I32Load8U { dst, addr, offset } if addr == d => Op::I32Load8UR { dst, offset },
        Op::I64Load32U { dst, addr, offset } if addr == d => Op::I64Load32UR { dst, offset },
        Op::I32Add { dst, a, b } if a == d => Op::I32AddR { dst, b },
        Op::I32Add { dst, a, b } if b == d => Op::I32AddR { dst, b: a },
        Op::I32Sub { dst, a, b } if a == d => Op::I32SubR { dst, b },
        Op::I32Mul { dst, a, b } if a == d => Op::I32MulR { dst, b },
        Op::I32Mul { dst, a, b } if b == d => Op::I32MulR { dst, b: a },
        Op::I32And { dst, a, b } if a == d => Op::I32AndR { dst, b },
        Op::I32And { dst, a, b } if b == d => Op::I32AndR { dst, b: a },
        Op::I32Or { dst, a, b } if a == d => Op::I32OrR { dst, b },
        Op::I32Or { dst, a, b } if b == d => Op::I32OrR { dst, b: a },
        Op::I32Xor { dst, a, b } if a == d => Op::I32XorR { dst, b },
        Op::I32Xor { dst, a, b } if b == d => Op::I32XorR { dst, b: a },
        Op::I32Shl { dst, a, b } if a == d => Op::I32ShlR { dst, b },
        Op::I32ShrU { dst, a, b } if a == d => Op::I32ShrUR { dst, b },
        Op::I32ShrS { dst, a, b } if a == d => Op::I32ShrSR { dst, b },
        Op::I32OrImm { dst, a, imm } if a == d => Op::I32OrImmR { dst, imm },
        Op::I32XorImm { dst, a, imm } if a == d => Op::I32XorImmR { dst, imm },
        Op::I32MulImm { dst, a, imm } if a == d => Op::I32MulImmR { dst, imm },
        Op::I32ShrSImm { dst, a, imm } if a == d => Op::I32ShrSImmR { dst, imm },
        Op::I64Add { dst, a, b } if a == d => Op::I64AddR { dst, b },
        Op::I64Add { dst, a, b } if b == d => Op::I64AddR { dst, b: a },
        Op::I64Sub { dst, a, b } if a == d => Op::I64SubR { dst, b },
        Op::I64And { dst, a, b } if a == d => Op::I64AndR { dst, b },
        Op::I64And { dst, a, b } if b == d => Op::I64AndR { dst, b: a },
        Op::I64Or { dst, a, b } if a == d => Op::I64OrR { dst, b },
        Op::I64Or { dst, a, b } if b == d => Op::I64OrR { dst, b: a },
        Op::I64Xor { dst, a, b } if a == d => Op::I64XorR { dst, b },
        Op::I64Xor { dst, a, b } if b == d => Op::I64XorR { dst, b: a },
        Op::I64Shl { dst, a, b } if a == d => Op::I64ShlR { dst, b },
        Op::I64ShrU { dst, a, b } if a == d => Op::I64ShrUR { dst, b },
        Op::I64AddImm { dst, a, imm } if a == d => Op::I64AddImmR { dst, imm },
        Op::I64AndImm { dst, a, imm } if a == d => Op::I64AndImmR { dst, imm },
        Op::I64ShlImm { dst, a, imm } if a == d => Op::I64ShlImmR { dst, imm },
        Op::I64ShrUImm { dst, a, imm } if a == d => Op::I64ShrUImmR { dst, imm },
        Op::I32AddImm { dst, a, imm } if a == d => Op::I32AddImmR { dst, imm },
        Op::I32AndImm { dst, a, imm } if a == d => Op::I32AndImmR { dst, imm },
        Op::I32ShrUImm { dst, a, imm } if a == d => Op::I32ShrUImmR { dst, imm },
        Op::I32ShlImm { dst, a, imm } if a == d => Op::I32ShlImmR { dst, imm },
        Op::I32ShrUAndImm { t, a, shift, dst, mask } if a as Slot == d => {
            Op::I32ShrUAndImmR { t, shift, dst, mask }
        }
        Op::I32ShrUAndAdd { t, a, shift, mask, dst, b } if a as Slot == d => {
            Op::I32ShrUAndAddR { t, shift, mask, dst, b }
        }
        Op::I32LoadThenAddImm { t, addr, dst, offset, imm } if addr as Slot == d => {
            Op::I32LoadThenAddImmR { t, dst, offset, imm }
        }
        Op::BrIfNez { cond, target } if cond == d => Op::BrIfNezR { target },
        Op::BrIfEqz { cond, target } if cond == d => Op::BrIfEqzR { target },
        Op::BrTable { index, len } if index == d => Op::BrTableR { len },
        Op::BrTableAt { index, len, table } if index == d => Op::BrTableAtR { len, table },
        Op::I32Store { addr, value, offset } if value == d => Op::I32StoreR { addr, offset },
        Op::I64Store { addr, value, offset } if value == d => Op::I64StoreR { addr, offset },
        Op::I32Store8 { addr, value, offset } if value == d => Op::I32Store8R { addr, offset },
        Op::I32Store16 { addr, value, offset } if value == d => Op::I32Store16R { addr, offset },
        Op::I32Load8S { dst, addr, offset } if addr == d => Op::I32Load8SR { dst, offset },
        Op::I32Load16S { dst, addr, offset } if addr == d => Op::I32Load16SR { dst, offset },
        Op::I32Load16U { dst, addr, offset } if addr == d => Op::I32Load16UR { dst, offset },
        Op::I32StoreImm { addr, value, offset } if addr == d => Op::I32StoreImmR { value, offset },
        Op::I32Store8Imm { addr, value, offset } if addr == d => {
            Op::I32Store8ImmR { value, offset }
        }
        Op::I32Store16Imm { addr, value, offset } if addr == d => {
            Op::I32Store16ImmR { value, offset }
        }
        Op::GlobalSet { src, global } if src == d => Op::GlobalSetR { global },
        Op::I32Sub { dst, a, b } if b == d => Op::I32RsubR { dst, a },
        Op::I32DivU { dst, a, b } if a == d => Op::I32DivUR { dst, b },
        Op::I32RemU { dst, a, b } if a == d => Op::I32RemUR { dst, b },
        Op::I32DivUConst { dst, a, m, shift } if a == d => Op::I32DivUConstR { dst, m, shift },
        Op::I32RemUConst { dst, a, m, d: divisor, shift } if a as Slot == d => {
            Op::I32RemUConstR { dst, m, d: divisor, shift }
        }
        Op::I64ExtendI32U { dst, src } if src == d => Op::I64ExtendI32UR { dst },
        Op::I64Eqz { dst, src } if src == d => Op::I64EqzR { dst },
        Op::F32ConvertI32S { dst, src } if src == d => Op::F32ConvertI32SR { dst },
        Op::F64ConvertI32S { dst, src } if src == d => Op::F64ConvertI32SR { dst },
        _ => return forwarded_branch(op, d),
    })
}

/// A compare-and-branch `op` with its operand in slot `d` taken from `reg` (as the left
/// operand: a right one swaps sides, which turns `<` into `>`).
fn forwarded_branch(op: Op, d: Slot) -> Option<Op> {
    Some(match op {
        Op::BrI32Eq { a, b, target } if a == d => Op::BrI32EqR { b, target },
        Op::BrI32Eq { a, b, target } if b == d => Op::BrI32EqR { b: a, target },
        Op::BrI32Ne { a, b, target } if a == d => Op::BrI32NeR { b, target },
        Op::BrI32Ne { a, b, target } if b == d => Op::BrI32NeR { b: a, target },
        Op::BrI32LtS { a, b, target } if a == d => Op::BrI32LtSR { b, target },
        Op::BrI32LtS { a, b, target } if b == d => Op::BrI32GtSR { b: a, target },
        Op::BrI32LtU { a, b, target } if a == d => Op::BrI32LtUR { b, target },
        Op::BrI32LtU { a, b, target } if b == d => Op::BrI32GtUR { b: a, target },
        Op::BrI32GtS { a, b, target } if a == d => Op::BrI32GtSR { b, target },
        Op::BrI32GtS { a, b, target } if b == d => Op::BrI32LtSR { b: a, target },
        Op::BrI32GtU { a, b, target } if a == d => Op::BrI32GtUR { b, target },
        Op::BrI32GtU { a, b, target } if b == d => Op::BrI32LtUR { b: a, target },
        Op::BrI32LeS { a, b, target } if a == d => Op::BrI32LeSR { b, target },
        Op::BrI32LeS { a, b, target } if b == d => Op::BrI32GeSR { b: a, target },
        Op::BrI32LeU { a, b, target } if a == d => Op::BrI32LeUR { b, target },
        Op::BrI32LeU { a, b, target } if b == d => Op::BrI32GeUR { b: a, target },
        Op::BrI32GeS { a, b, target } if a == d => Op::BrI32GeSR { b, target },
        Op::BrI32GeS { a, b, target } if b == d => Op::BrI32LeSR { b: a, target },
        Op::BrI32GeU { a, b, target } if a == d => Op::BrI32GeUR { b, target },
        Op::BrI32GeU { a, b, target } if b == d => Op::BrI32LeUR { b: a, target },
        Op::BrI32EqImm { a, imm, target } if a == d => Op::BrI32EqImmR { imm, target },
        Op::BrI32NeImm { a, imm, target } if a == d => Op::BrI32NeImmR { imm, target },
        Op::BrI32LtSImm { a, imm, target } if a == d => Op::BrI32LtSImmR { imm, target },
        Op::BrI32LtUImm { a, imm, target } if a == d => Op::BrI32LtUImmR { imm, target },
        Op::BrI32GtSImm { a, imm, target } if a == d => Op::BrI32GtSImmR { imm, target },
        Op::BrI32GtUImm { a, imm, target } if a == d => Op::BrI32GtUImmR { imm, target },
        Op::BrI32LeSImm { a, imm, target } if a == d => Op::BrI32LeSImmR { imm, target },
        Op::BrI32LeUImm { a, imm, target } if a == d => Op::BrI32LeUImmR { imm, target },
        Op::BrI32GeSImm { a, imm, target } if a == d => Op::BrI32GeSImmR { imm, target },
        Op::BrI32GeUImm { a, imm, target } if a == d => Op::BrI32GeUImmR { imm, target },
        Op::BrI32AndNez { a, b, target } if a == d => Op::BrI32AndNezR { b, target },
        Op::BrI32AndNez { a, b, target } if b == d => Op::BrI32AndNezR { b: a, target },
        Op::BrI32AndEqz { a, b, target } if a == d => Op::BrI32AndEqzR { b, target },
        Op::BrI32AndEqz { a, b, target } if b == d => Op::BrI32AndEqzR { b: a, target },
        Op::BrI32AndImmNez { a, imm, target } if a == d => Op::BrI32AndImmNezR { imm, target },
        Op::BrI32AndImmEqz { a, imm, target } if a == d => Op::BrI32AndImmEqzR { imm, target },
        _ => return None,
    })
}
