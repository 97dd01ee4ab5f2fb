//! Instruction fusion: branches fused with the comparison that computes their condition
//! (used while translating), and a peephole pass over a translated function that merges
//! adjacent instruction pairs into one instruction (one dispatch instead of two).
//!
//! The peephole pass runs on absolute branch targets, before [`super::exec::thread`]. It
//! only merges a pair when no branch targets its second instruction, so every path that
//! reached the pair still executes both halves, in order. At most one half of a pair can
//! trap, and the merged instruction takes that half's wasm offset (else the first's), so
//! backtraces name the same instruction as without fusion.

use super::ir::{Op, Slot};

/// The fused branch for a comparison `op` that computed a branch condition: it jumps when
/// the condition holds (or, with `negate`, when it does not). `None` if `op` is no i32,
/// i64 or float comparison. An i32 `and` counts as one (a bit test: the branch tests the
/// whole result for non-zero, as `br_if` does).
pub fn fuse_compare(op: Op, negate: bool) -> Option<Op> {
    Some(match (op, negate) {
        (Op::I32Eqz { src, .. }, false) => Op::BrIfEqz { cond: src, target: 0 },
        (Op::I32Eqz { src, .. }, true) => Op::BrIfNez { cond: src, target: 0 },
        (Op::I32Eq { a, b, .. }, false) => Op::BrI32Eq { a, b, target: 0 },
        (Op::I32Eq { a, b, .. }, true) => Op::BrI32Ne { a, b, target: 0 },
        (Op::I32EqImm { a, imm, .. }, false) => Op::BrI32EqImm { a, imm, target: 0 },
        (Op::I32EqImm { a, imm, .. }, true) => Op::BrI32NeImm { a, imm, target: 0 },
        (Op::I32Ne { a, b, .. }, false) => Op::BrI32Ne { a, b, target: 0 },
        (Op::I32Ne { a, b, .. }, true) => Op::BrI32Eq { a, b, target: 0 },
        (Op::I32NeImm { a, imm, .. }, false) => Op::BrI32NeImm { a, imm, target: 0 },
        (Op::I32NeImm { a, imm, .. }, true) => Op::BrI32EqImm { a, imm, target: 0 },
        (Op::I32LtS { a, b, .. }, false) => Op::BrI32LtS { a, b, target: 0 },
        (Op::I32LtS { a, b, .. }, true) => Op::BrI32GeS { a, b, target: 0 },
        (Op::I32LtSImm { a, imm, .. }, false) => Op::BrI32LtSImm { a, imm, target: 0 },
        (Op::I32LtSImm { a, imm, .. }, true) => Op::BrI32GeSImm { a, imm, target: 0 },
        (Op::I32LtU { a, b, .. }, false) => Op::BrI32LtU { a, b, target: 0 },
        (Op::I32LtU { a, b, .. }, true) => Op::BrI32GeU { a, b, target: 0 },
        (Op::I32LtUImm { a, imm, .. }, false) => Op::BrI32LtUImm { a, imm, target: 0 },
        (Op::I32LtUImm { a, imm, .. }, true) => Op::BrI32GeUImm { a, imm, target: 0 },
        (Op::I32GtS { a, b, .. }, false) => Op::BrI32GtS { a, b, target: 0 },
        (Op::I32GtS { a, b, .. }, true) => Op::BrI32LeS { a, b, target: 0 },
        (Op::I32GtSImm { a, imm, .. }, false) => Op::BrI32GtSImm { a, imm, target: 0 },
        (Op::I32GtSImm { a, imm, .. }, true) => Op::BrI32LeSImm { a, imm, target: 0 },
        (Op::I32GtU { a, b, .. }, false) => Op::BrI32GtU { a, b, target: 0 },
        (Op::I32GtU { a, b, .. }, true) => Op::BrI32LeU { a, b, target: 0 },
        (Op::I32GtUImm { a, imm, .. }, false) => Op::BrI32GtUImm { a, imm, target: 0 },
        (Op::I32GtUImm { a, imm, .. }, true) => Op::BrI32LeUImm { a, imm, target: 0 },
        (Op::I32LeS { a, b, .. }, false) => Op::BrI32LeS { a, b, target: 0 },
        (Op::I32LeS { a, b, .. }, true) => Op::BrI32GtS { a, b, target: 0 },
        (Op::I32LeSImm { a, imm, .. }, false) => Op::BrI32LeSImm { a, imm, target: 0 },
        (Op::I32LeSImm { a, imm, .. }, true) => Op::BrI32GtSImm { a, imm, target: 0 },
        (Op::I32LeU { a, b, .. }, false) => Op::BrI32LeU { a, b, target: 0 },
        (Op::I32LeU { a, b, .. }, true) => Op::BrI32GtU { a, b, target: 0 },
        (Op::I32LeUImm { a, imm, .. }, false) => Op::BrI32LeUImm { a, imm, target: 0 },
        (Op::I32LeUImm { a, imm, .. }, true) => Op::BrI32GtUImm { a, imm, target: 0 },
        (Op::I32GeS { a, b, .. }, false) => Op::BrI32GeS { a, b, target: 0 },
        (Op::I32GeS { a, b, .. }, true) => Op::BrI32LtS { a, b, target: 0 },
        (Op::I32GeSImm { a, imm, .. }, false) => Op::BrI32GeSImm { a, imm, target: 0 },
        (Op::I32GeSImm { a, imm, .. }, true) => Op::BrI32LtSImm { a, imm, target: 0 },
        (Op::I32GeU { a, b, .. }, false) => Op::BrI32GeU { a, b, target: 0 },
        (Op::I32GeU { a, b, .. }, true) => Op::BrI32LtU { a, b, target: 0 },
        (Op::I32GeUImm { a, imm, .. }, false) => Op::BrI32GeUImm { a, imm, target: 0 },
        (Op::I32GeUImm { a, imm, .. }, true) => Op::BrI32LtUImm { a, imm, target: 0 },
        (Op::I64Eqz { src, .. }, false) => Op::BrI64Eqz { cond: src, target: 0 },
        (Op::I64Eqz { src, .. }, true) => Op::BrI64Nez { cond: src, target: 0 },
        (Op::I64Eq { a, b, .. }, false) => Op::BrI64Eq { a, b, target: 0 },
        (Op::I64Eq { a, b, .. }, true) => Op::BrI64Ne { a, b, target: 0 },
        (Op::I64EqImm { a, imm, .. }, false) => Op::BrI64EqImm { a, imm, target: 0 },
        (Op::I64EqImm { a, imm, .. }, true) => Op::BrI64NeImm { a, imm, target: 0 },
        (Op::I64Ne { a, b, .. }, false) => Op::BrI64Ne { a, b, target: 0 },
        (Op::I64Ne { a, b, .. }, true) => Op::BrI64Eq { a, b, target: 0 },
        (Op::I64NeImm { a, imm, .. }, false) => Op::BrI64NeImm { a, imm, target: 0 },
        (Op::I64NeImm { a, imm, .. }, true) => Op::BrI64EqImm { a, imm, target: 0 },
        (Op::I64LtS { a, b, .. }, false) => Op::BrI64LtS { a, b, target: 0 },
        (Op::I64LtS { a, b, .. }, true) => Op::BrI64GeS { a, b, target: 0 },
        (Op::I64LtSImm { a, imm, .. }, false) => Op::BrI64LtSImm { a, imm, target: 0 },
        (Op::I64LtSImm { a, imm, .. }, true) => Op::BrI64GeSImm { a, imm, target: 0 },
        (Op::I64LtU { a, b, .. }, false) => Op::BrI64LtU { a, b, target: 0 },
        (Op::I64LtU { a, b, .. }, true) => Op::BrI64GeU { a, b, target: 0 },
        (Op::I64LtUImm { a, imm, .. }, false) => Op::BrI64LtUImm { a, imm, target: 0 },
        (Op::I64LtUImm { a, imm, .. }, true) => Op::BrI64GeUImm { a, imm, target: 0 },
        (Op::I64GtS { a, b, .. }, false) => Op::BrI64GtS { a, b, target: 0 },
        (Op::I64GtS { a, b, .. }, true) => Op::BrI64LeS { a, b, target: 0 },
        (Op::I64GtSImm { a, imm, .. }, false) => Op::BrI64GtSImm { a, imm, target: 0 },
        (Op::I64GtSImm { a, imm, .. }, true) => Op::BrI64LeSImm { a, imm, target: 0 },
        (Op::I64GtU { a, b, .. }, false) => Op::BrI64GtU { a, b, target: 0 },
        (Op::I64GtU { a, b, .. }, true) => Op::BrI64LeU { a, b, target: 0 },
        (Op::I64GtUImm { a, imm, .. }, false) => Op::BrI64GtUImm { a, imm, target: 0 },
        (Op::I64GtUImm { a, imm, .. }, true) => Op::BrI64LeUImm { a, imm, target: 0 },
        (Op::I64LeS { a, b, .. }, false) => Op::BrI64LeS { a, b, target: 0 },
        (Op::I64LeS { a, b, .. }, true) => Op::BrI64GtS { a, b, target: 0 },
        (Op::I64LeSImm { a, imm, .. }, false) => Op::BrI64LeSImm { a, imm, target: 0 },
        (Op::I64LeSImm { a, imm, .. }, true) => Op::BrI64GtSImm { a, imm, target: 0 },
        (Op::I64LeU { a, b, .. }, false) => Op::BrI64LeU { a, b, target: 0 },
        (Op::I64LeU { a, b, .. }, true) => Op::BrI64GtU { a, b, target: 0 },
        (Op::I64LeUImm { a, imm, .. }, false) => Op::BrI64LeUImm { a, imm, target: 0 },
        (Op::I64LeUImm { a, imm, .. }, true) => Op::BrI64GtUImm { a, imm, target: 0 },
        (Op::I64GeS { a, b, .. }, false) => Op::BrI64GeS { a, b, target: 0 },
        (Op::I64GeS { a, b, .. }, true) => Op::BrI64LtS { a, b, target: 0 },
        (Op::I64GeSImm { a, imm, .. }, false) => Op::BrI64GeSImm { a, imm, target: 0 },
        (Op::I64GeSImm { a, imm, .. }, true) => Op::BrI64LtSImm { a, imm, target: 0 },
        (Op::I64GeU { a, b, .. }, false) => Op::BrI64GeU { a, b, target: 0 },
        (Op::I64GeU { a, b, .. }, true) => Op::BrI64LtU { a, b, target: 0 },
        (Op::I64GeUImm { a, imm, .. }, false) => Op::BrI64GeUImm { a, imm, target: 0 },
        (Op::I64GeUImm { a, imm, .. }, true) => Op::BrI64LtUImm { a, imm, target: 0 },
        (Op::I32And { a, b, .. }, false) => Op::BrI32AndNez { a, b, target: 0 },
        (Op::I32And { a, b, .. }, true) => Op::BrI32AndEqz { a, b, target: 0 },
        (Op::I32AndImm { a, imm, .. }, false) => Op::BrI32AndImmNez { a, imm, target: 0 },
        (Op::I32AndImm { a, imm, .. }, true) => Op::BrI32AndImmEqz { a, imm, target: 0 },
        (Op::F32Eq { a, b, .. }, false) => Op::BrF32Eq { a, b, target: 0 },
        (Op::F32Eq { a, b, .. }, true) => Op::BrF32Ne { a, b, target: 0 },
        (Op::F32Ne { a, b, .. }, false) => Op::BrF32Ne { a, b, target: 0 },
        (Op::F32Ne { a, b, .. }, true) => Op::BrF32Eq { a, b, target: 0 },
        (Op::F32Lt { a, b, .. }, false) => Op::BrF32Lt { a, b, target: 0 },
        (Op::F32Lt { a, b, .. }, true) => Op::BrF32NotLt { a, b, target: 0 },
        (Op::F32Gt { a, b, .. }, false) => Op::BrF32Gt { a, b, target: 0 },
        (Op::F32Gt { a, b, .. }, true) => Op::BrF32NotGt { a, b, target: 0 },
        (Op::F32Le { a, b, .. }, false) => Op::BrF32Le { a, b, target: 0 },
        (Op::F32Le { a, b, .. }, true) => Op::BrF32NotLe { a, b, target: 0 },
        (Op::F32Ge { a, b, .. }, false) => Op::BrF32Ge { a, b, target: 0 },
        (Op::F32Ge { a, b, .. }, true) => Op::BrF32NotGe { a, b, target: 0 },
        (Op::F64Eq { a, b, .. }, false) => Op::BrF64Eq { a, b, target: 0 },
        (Op::F64Eq { a, b, .. }, true) => Op::BrF64Ne { a, b, target: 0 },
        (Op::F64Ne { a, b, .. }, false) => Op::BrF64Ne { a, b, target: 0 },
        (Op::F64Ne { a, b, .. }, true) => Op::BrF64Eq { a, b, target: 0 },
        (Op::F64Lt { a, b, .. }, false) => Op::BrF64Lt { a, b, target: 0 },
        (Op::F64Lt { a, b, .. }, true) => Op::BrF64NotLt { a, b, target: 0 },
        (Op::F64Gt { a, b, .. }, false) => Op::BrF64Gt { a, b, target: 0 },
        (Op::F64Gt { a, b, .. }, true) => Op::BrF64NotGt { a, b, target: 0 },
        (Op::F64Le { a, b, .. }, false) => Op::BrF64Le { a, b, target: 0 },
        (Op::F64Le { a, b, .. }, true) => Op::BrF64NotLe { a, b, target: 0 },
        (Op::F64Ge { a, b, .. }, false) => Op::BrF64Ge { a, b, target: 0 },
        (Op::F64Ge { a, b, .. }, true) => Op::BrF64NotGe { a, b, target: 0 },
        _ => return None,
    })
}

/// The `select` of slot `a` or `b` into `dst` fused with the i32 comparison `compare` that
/// computed its condition (or the `and` of a bit mask, whose whole result is the condition:
/// `select` tests for non-zero): `None` if `compare` is neither, or a slot the fused form
/// keeps in 16 bits does not fit. Comparisons without a form of their own select with `a`
/// and `b` swapped (`x >= y ? a : b` is `x < y ? b : a`) or their operands mirrored (`x > y`
/// is `y < x`).
pub fn fuse_select(compare: Op, dst: Slot, a: Slot, b: Slot) -> Option<Op> {
    let (a, b) = (s16(a)?, s16(b)?);
    let (c, d) = (b, a); // swapped
    Some(match compare {
        Op::I32Eqz { src, .. } => Op::SelectI32EqImm { dst, a, b, x: s16(src)?, imm: 0 },
        Op::I32Eq { a: x, b: y, .. } => Op::SelectI32Eq { dst, a, b, x: s16(x)?, y: s16(y)? },
        Op::I32Ne { a: x, b: y, .. } => Op::SelectI32Eq { dst, a: c, b: d, x: s16(x)?, y: s16(y)? },
        Op::I32LtS { a: x, b: y, .. } => Op::SelectI32LtS { dst, a, b, x: s16(x)?, y: s16(y)? },
        Op::I32GtS { a: x, b: y, .. } => Op::SelectI32LtS { dst, a, b, x: s16(y)?, y: s16(x)? },
        Op::I32GeS { a: x, b: y, .. } => {
            Op::SelectI32LtS { dst, a: c, b: d, x: s16(x)?, y: s16(y)? }
        }
        Op::I32LeS { a: x, b: y, .. } => {
            Op::SelectI32LtS { dst, a: c, b: d, x: s16(y)?, y: s16(x)? }
        }
        Op::I32LtU { a: x, b: y, .. } => Op::SelectI32LtU { dst, a, b, x: s16(x)?, y: s16(y)? },
        Op::I32GtU { a: x, b: y, .. } => Op::SelectI32LtU { dst, a, b, x: s16(y)?, y: s16(x)? },
        Op::I32GeU { a: x, b: y, .. } => {
            Op::SelectI32LtU { dst, a: c, b: d, x: s16(x)?, y: s16(y)? }
        }
        Op::I32LeU { a: x, b: y, .. } => {
            Op::SelectI32LtU { dst, a: c, b: d, x: s16(y)?, y: s16(x)? }
        }
        Op::I32EqImm { a: x, imm, .. } => Op::SelectI32EqImm { dst, a, b, x: s16(x)?, imm },
        Op::I32And { a: x, b: y, .. } => Op::SelectI32And { dst, a, b, x: s16(x)?, y: s16(y)? },
        Op::I32AndImm { a: x, imm, .. } => Op::SelectI32AndImm { dst, a, b, x: s16(x)?, imm },
        Op::I32NeImm { a: x, imm, .. } => Op::SelectI32EqImm { dst, a: c, b: d, x: s16(x)?, imm },
        Op::I32LtSImm { a: x, imm, .. } => Op::SelectI32LtSImm { dst, a, b, x: s16(x)?, imm },
        Op::I32GeSImm { a: x, imm, .. } => Op::SelectI32LtSImm { dst, a: c, b: d, x: s16(x)?, imm },
        Op::I32GtSImm { a: x, imm, .. } => Op::SelectI32GtSImm { dst, a, b, x: s16(x)?, imm },
        Op::I32LeSImm { a: x, imm, .. } => Op::SelectI32GtSImm { dst, a: c, b: d, x: s16(x)?, imm },
        Op::I32LtUImm { a: x, imm, .. } => Op::SelectI32LtUImm { dst, a, b, x: s16(x)?, imm },
        Op::I32GeUImm { a: x, imm, .. } => Op::SelectI32LtUImm { dst, a: c, b: d, x: s16(x)?, imm },
        Op::I32GtUImm { a: x, imm, .. } => Op::SelectI32GtUImm { dst, a, b, x: s16(x)?, imm },
        Op::I32LeUImm { a: x, imm, .. } => Op::SelectI32GtUImm { dst, a: c, b: d, x: s16(x)?, imm },
        _ => return None,
    })
}

/// The conditional branch that jumps exactly when `op` (a conditional branch) does not.
pub fn negate_branch(op: Op) -> Option<Op> {
    Some(match op {
        Op::BrIfNez { cond, .. } => Op::BrIfEqz { cond, target: 0 },
        Op::BrIfEqz { cond, .. } => Op::BrIfNez { cond, target: 0 },
        Op::BrI32Eq { a, b, .. } => Op::BrI32Ne { a, b, target: 0 },
        Op::BrI32EqImm { a, imm, .. } => Op::BrI32NeImm { a, imm, target: 0 },
        Op::BrI32Ne { a, b, .. } => Op::BrI32Eq { a, b, target: 0 },
        Op::BrI32NeImm { a, imm, .. } => Op::BrI32EqImm { a, imm, target: 0 },
        Op::BrI32LtS { a, b, .. } => Op::BrI32GeS { a, b, target: 0 },
        Op::BrI32LtSImm { a, imm, .. } => Op::BrI32GeSImm { a, imm, target: 0 },
        Op::BrI32LtU { a, b, .. } => Op::BrI32GeU { a, b, target: 0 },
        Op::BrI32LtUImm { a, imm, .. } => Op::BrI32GeUImm { a, imm, target: 0 },
        Op::BrI32GtS { a, b, .. } => Op::BrI32LeS { a, b, target: 0 },
        Op::BrI32GtSImm { a, imm, .. } => Op::BrI32LeSImm { a, imm, target: 0 },
        Op::BrI32GtU { a, b, .. } => Op::BrI32LeU { a, b, target: 0 },
        Op::BrI32GtUImm { a, imm, .. } => Op::BrI32LeUImm { a, imm, target: 0 },
        Op::BrI32LeS { a, b, .. } => Op::BrI32GtS { a, b, target: 0 },
        Op::BrI32LeSImm { a, imm, .. } => Op::BrI32GtSImm { a, imm, target: 0 },
        Op::BrI32LeU { a, b, .. } => Op::BrI32GtU { a, b, target: 0 },
        Op::BrI32LeUImm { a, imm, .. } => Op::BrI32GtUImm { a, imm, target: 0 },
        Op::BrI32GeS { a, b, .. } => Op::BrI32LtS { a, b, target: 0 },
        Op::BrI32GeSImm { a, imm, .. } => Op::BrI32LtSImm { a, imm, target: 0 },
        Op::BrI32GeU { a, b, .. } => Op::BrI32LtU { a, b, target: 0 },
        Op::BrI32GeUImm { a, imm, .. } => Op::BrI32LtUImm { a, imm, target: 0 },
        Op::BrI64Eqz { cond, .. } => Op::BrI64Nez { cond, target: 0 },
        Op::BrI64Nez { cond, .. } => Op::BrI64Eqz { cond, target: 0 },
        Op::BrI64Eq { a, b, .. } => Op::BrI64Ne { a, b, target: 0 },
        Op::BrI64EqImm { a, imm, .. } => Op::BrI64NeImm { a, imm, target: 0 },
        Op::BrI64Ne { a, b, .. } => Op::BrI64Eq { a, b, target: 0 },
        Op::BrI64NeImm { a, imm, .. } => Op::BrI64EqImm { a, imm, target: 0 },
        Op::BrI64LtS { a, b, .. } => Op::BrI64GeS { a, b, target: 0 },
        Op::BrI64LtSImm { a, imm, .. } => Op::BrI64GeSImm { a, imm, target: 0 },
        Op::BrI64LtU { a, b, .. } => Op::BrI64GeU { a, b, target: 0 },
        Op::BrI64LtUImm { a, imm, .. } => Op::BrI64GeUImm { a, imm, target: 0 },
        Op::BrI64GtS { a, b, .. } => Op::BrI64LeS { a, b, target: 0 },
        Op::BrI64GtSImm { a, imm, .. } => Op::BrI64LeSImm { a, imm, target: 0 },
        Op::BrI64GtU { a, b, .. } => Op::BrI64LeU { a, b, target: 0 },
        Op::BrI64GtUImm { a, imm, .. } => Op::BrI64LeUImm { a, imm, target: 0 },
        Op::BrI64LeS { a, b, .. } => Op::BrI64GtS { a, b, target: 0 },
        Op::BrI64LeSImm { a, imm, .. } => Op::BrI64GtSImm { a, imm, target: 0 },
        Op::BrI64LeU { a, b, .. } => Op::BrI64GtU { a, b, target: 0 },
        Op::BrI64LeUImm { a, imm, .. } => Op::BrI64GtUImm { a, imm, target: 0 },
        Op::BrI64GeS { a, b, .. } => Op::BrI64LtS { a, b, target: 0 },
        Op::BrI64GeSImm { a, imm, .. } => Op::BrI64LtSImm { a, imm, target: 0 },
        Op::BrI64GeU { a, b, .. } => Op::BrI64LtU { a, b, target: 0 },
        Op::BrI64GeUImm { a, imm, .. } => Op::BrI64LtUImm { a, imm, target: 0 },
        Op::BrI32AndNez { a, b, .. } => Op::BrI32AndEqz { a, b, target: 0 },
        Op::BrI32AndEqz { a, b, .. } => Op::BrI32AndNez { a, b, target: 0 },
        Op::BrI32AndImmNez { a, imm, .. } => Op::BrI32AndImmEqz { a, imm, target: 0 },
        Op::BrI32AndImmEqz { a, imm, .. } => Op::BrI32AndImmNez { a, imm, target: 0 },
        Op::BrF32Eq { a, b, .. } => Op::BrF32Ne { a, b, target: 0 },
        Op::BrF32Ne { a, b, .. } => Op::BrF32Eq { a, b, target: 0 },
        Op::BrF32Lt { a, b, .. } => Op::BrF32NotLt { a, b, target: 0 },
        Op::BrF32Gt { a, b, .. } => Op::BrF32NotGt { a, b, target: 0 },
        Op::BrF32Le { a, b, .. } => Op::BrF32NotLe { a, b, target: 0 },
        Op::BrF32Ge { a, b, .. } => Op::BrF32NotGe { a, b, target: 0 },
        Op::BrF32NotLt { a, b, .. } => Op::BrF32Lt { a, b, target: 0 },
        Op::BrF32NotGt { a, b, .. } => Op::BrF32Gt { a, b, target: 0 },
        Op::BrF32NotLe { a, b, .. } => Op::BrF32Le { a, b, target: 0 },
        Op::BrF32NotGe { a, b, .. } => Op::BrF32Ge { a, b, target: 0 },
        Op::BrF64Eq { a, b, .. } => Op::BrF64Ne { a, b, target: 0 },
        Op::BrF64Ne { a, b, .. } => Op::BrF64Eq { a, b, target: 0 },
        Op::BrF64Lt { a, b, .. } => Op::BrF64NotLt { a, b, target: 0 },
        Op::BrF64Gt { a, b, .. } => Op::BrF64NotGt { a, b, target: 0 },
        Op::BrF64Le { a, b, .. } => Op::BrF64NotLe { a, b, target: 0 },
        Op::BrF64Ge { a, b, .. } => Op::BrF64NotGe { a, b, target: 0 },
        Op::BrF64NotLt { a, b, .. } => Op::BrF64Lt { a, b, target: 0 },
        Op::BrF64NotGt { a, b, .. } => Op::BrF64Gt { a, b, target: 0 },
        Op::BrF64NotLe { a, b, .. } => Op::BrF64Le { a, b, target: 0 },
        Op::BrF64NotGe { a, b, .. } => Op::BrF64Ge { a, b, target: 0 },
        _ => return None,
    })
}

/// The branch that tests `i32.eqz(c)` for a comparison `c` (or bit test) whose only reader
/// is that `eqz`: the comparison's branch with the sense flipped (see [`fuse_compare`]).
pub fn fuse_eqz_compare(compare: Op, negate: bool) -> Option<Op> {
    fuse_compare(compare, !negate)
}

/// Merges fusable adjacent pairs of `code` (absolute branch targets; `offsets` parallel):
/// first branches (loop ends: an increment and the conditional branch testing it; a load and
/// the signed comparison of the loaded value that branches; an f64 add/sub/mul and the
/// float compare-and-branch testing its result), then the other pairs of
/// [`fuse_pair`], then f64 chains with the multiplication reading their result
/// ([`fuse_chain_mul`]) and bit fields with the add reading theirs ([`fuse_field_add`]). Branch fusion goes first so that a loop's last add joins its
/// branch rather than a neighbouring add.
pub fn peephole(code: &mut Vec<Op>, offsets: &mut Vec<u32>) {
    merge_pairs(code, offsets, |a, b| {
        fuse_loop_end(a, b).or_else(|| fuse_load_branch(a, b)).or_else(|| fuse_float_branch(a, b))
    });
    merge_pairs(code, offsets, fuse_pair);
    merge_pairs(code, offsets, |a, b| fuse_chain_mul(a, b).or_else(|| fuse_field_add(a, b)));
}

/// One left-to-right pass merging each pair `(code[i], code[i + 1])` that `merge` accepts,
/// unless some branch targets `code[i + 1]`; branch targets are renumbered.
fn merge_pairs(code: &mut Vec<Op>, offsets: &mut Vec<u32>, merge: fn(Op, Op) -> Option<Op>) {
    let n = code.len();
    let mut targeted = vec![false; n + 1];
    for op in code.iter_mut() {
        if let Some(t) = op.target_mut() {
            targeted[*t as usize] = true;
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut out_offsets = Vec::with_capacity(n);
    // New index of each old instruction (and of the end).
    let mut map = vec![0u32; n + 1];
    let mut i = 0;
    while i < n {
        map[i] = out.len() as u32;
        let merged = if i + 1 < n && !targeted[i + 1] { merge(code[i], code[i + 1]) } else { None };
        match merged {
            Some(op) => {
                // The pair's wasm offset is its trapping half's (at most one half traps).
                out_offsets.push(if may_trap(code[i + 1]) { offsets[i + 1] } else { offsets[i] });
                map[i + 1] = out.len() as u32;
                out.push(op);
                i += 2;
            }
            None => {
                out_offsets.push(offsets[i]);
                out.push(code[i]);
                i += 1;
            }
        }
    }
    map[n] = out.len() as u32;
    for op in &mut out {
        if let Some(t) = op.target_mut() {
            *t = map[*t as usize];
        }
    }
    *code = out;
    *offsets = out_offsets;
}

/// Whether `op` (an instruction that fusion may put second in a pair) can trap (or, a
/// call, throw or appear in a backtrace: the pair keeps the call's wasm offset).
fn may_trap(op: Op) -> bool {
    matches!(
        op,
        Op::I32Load { .. }
            | Op::I64Load { .. }
            | Op::I32Load8U { .. }
            | Op::I64Store { .. }
            | Op::Call { .. }
            | Op::CallIndirect { .. }
    )
}

/// A slot that fits a 16-bit field.
fn s16(s: Slot) -> Option<u16> {
    u16::try_from(s).ok()
}

/// An immediate that fits a 16-bit field.
fn i16_of(v: i32) -> Option<i16> {
    i16::try_from(v).ok()
}

/// What a loop end adds to its counter.
#[derive(Clone, Copy)]
enum Addend {
    Slot(u16),
    Imm(i16),
}

/// What a loop end's branch compares the new counter with.
#[derive(Clone, Copy)]
enum Test {
    Ne(u16),
    LtU(u16),
    LtS(u16),
    NeImm(i16),
    Nez,
}

/// `x = x + y` as (x, y).
fn increment(op: Op) -> Option<(Slot, Addend)> {
    match op {
        Op::I32Add { dst, a, b } if dst == a => Some((dst, Addend::Slot(s16(b)?))),
        Op::I32Add { dst, a, b } if dst == b => Some((dst, Addend::Slot(s16(a)?))),
        Op::I32AddImm { dst, a, imm } if dst == a => Some((dst, Addend::Imm(i16_of(imm)?))),
        _ => None,
    }
}

/// The test of slot `x` by conditional branch `br`, with the branch target (comparisons
/// with `x` on the right are mirrored).
fn test_of(br: Op, x: Slot) -> Option<(Test, u32)> {
    Some(match br {
        Op::BrI32Ne { a, b, target } if a == x => (Test::Ne(s16(b)?), target),
        Op::BrI32Ne { a, b, target } if b == x => (Test::Ne(s16(a)?), target),
        Op::BrI32LtU { a, b, target } if a == x => (Test::LtU(s16(b)?), target),
        Op::BrI32GtU { a, b, target } if b == x => (Test::LtU(s16(a)?), target),
        Op::BrI32LtS { a, b, target } if a == x => (Test::LtS(s16(b)?), target),
        Op::BrI32GtS { a, b, target } if b == x => (Test::LtS(s16(a)?), target),
        Op::BrI32NeImm { a, imm, target } if a == x => (Test::NeImm(i16_of(imm)?), target),
        Op::BrIfNez { cond, target } if cond == x => (Test::Nez, target),
        _ => return None,
    })
}

/// A counter increment followed by the conditional branch that tests the counter.
fn fuse_loop_end(first: Op, second: Op) -> Option<Op> {
    let (x, addend) = increment(first)?;
    let (test, target) = test_of(second, x)?;
    let x = s16(x)?;
    Some(match (addend, test) {
        (Addend::Slot(y), Test::Ne(b)) => Op::I32AddBrNe { x, y, b, target },
        (Addend::Slot(y), Test::LtU(b)) => Op::I32AddBrLtU { x, y, b, target },
        (Addend::Slot(y), Test::LtS(b)) => Op::I32AddBrLtS { x, y, b, target },
        (Addend::Slot(_), Test::NeImm(_) | Test::Nez) => return None,
        (Addend::Imm(imm), Test::Ne(b)) => Op::I32AddImmBrNe { x, imm, b, target },
        (Addend::Imm(imm), Test::LtU(b)) => Op::I32AddImmBrLtU { x, imm, b, target },
        (Addend::Imm(imm), Test::LtS(b)) => Op::I32AddImmBrLtS { x, imm, b, target },
        (Addend::Imm(imm), Test::NeImm(cmp)) => Op::I32AddImmBrNeImm { x, imm, cmp, target },
        (Addend::Imm(imm), Test::Nez) => Op::I32AddImmBrNez { x, imm, target },
    })
}

/// An `i32.load` followed by a signed comparison of the loaded value that branches (search
/// loops such as `while (a[i] < pivot) i++`).
fn fuse_load_branch(first: Op, second: Op) -> Option<Op> {
    let Op::I32Load { dst: t, addr, offset } = first else { return None };
    let (less, b, target) = match second {
        Op::BrI32LtS { a, b, target } if a == t => (true, b, target),
        Op::BrI32GtS { a, b, target } if b == t => (true, a, target),
        Op::BrI32GtS { a, b, target } if a == t => (false, b, target),
        Op::BrI32LtS { a, b, target } if b == t => (false, a, target),
        _ => return None,
    };
    let (t, addr, b) = (s16(t)?, s16(addr)?, s16(b)?);
    Some(if less {
        Op::I32LoadBrLtS { t, addr, b, offset, target }
    } else {
        Op::I32LoadBrGtS { t, addr, b, offset, target }
    })
}

/// Two copies, a copy and the call after it, two constant adds (or one and a copy of its
/// result), a shift and add (array
/// indexing), a shift and mask (a bit field), two shifts (a bit field or a sign extension),
/// a mask and shift (a scaled index), an i32 or f64 load added to an accumulator, an i32
/// load plus a constant, an f64 add/sub/mul whose result is stored, the copy of a single
/// result and `Return`, or an f64 add/sub/mul feeding another ([`fuse_float_chain`]).
fn fuse_pair(first: Op, second: Op) -> Option<Op> {
    Some(match (first, second) {
        (Op::Copy { dst: d1, src: s1 }, Op::Copy { dst: d2, src: s2 }) => {
            Op::Copy2 { d1: s16(d1)?, s1: s16(s1)?, d2: s16(d2)?, s2: s16(s2)? }
        }
        // The last argument copied into place and the call.
        (Op::Copy { dst, src }, Op::Call { func, base }) => {
            Op::CallCopy { func, base, dst: s16(dst)?, src: s16(src)? }
        }
        (Op::Copy { dst, src }, Op::CallIndirect { table, args, ty, base }) => {
            let ty = u16::try_from(ty).ok()?;
            Op::CallIndirectCopy { table, args, ty, base, dst: s16(dst)?, src: s16(src)? }
        }
        (Op::I32AddImm { dst: d1, a: a1, imm: i1 }, Op::I32AddImm { dst: d2, a: a2, imm: i2 }) => {
            Op::I32AddImm2 {
                d1: s16(d1)?,
                a1: s16(a1)?,
                i1: i16_of(i1)?,
                d2: s16(d2)?,
                a2: s16(a2)?,
                i2: i16_of(i2)?,
            }
        }
        // A constant add whose result is also copied (`local.tee x` + `local.set y`): an
        // i32, so the copy is an add of zero.
        (Op::I32AddImm { dst: d1, a: a1, imm: i1 }, Op::Copy { dst: d2, src }) if src == d1 => {
            Op::I32AddImm2 {
                d1: s16(d1)?,
                a1: s16(a1)?,
                i1: i16_of(i1)?,
                d2: s16(d2)?,
                a2: s16(d1)?,
                i2: 0,
            }
        }
        (Op::I32ShlImm { dst: t, a, imm: shift }, Op::I32AddImm { dst, a: x, imm }) if x == t => {
            Op::I32ShlAddImm {
                t: s16(t)?,
                a: s16(a)?,
                shift: shift as u8 & 31,
                dst: s16(dst)?,
                imm,
            }
        }
        (Op::I32ShrUImm { dst: t, a, imm: shift }, Op::I32AndImm { dst, a: x, imm: mask })
            if x == t =>
        {
            Op::I32ShrUAndImm {
                t: s16(t)?,
                a: s16(a)?,
                shift: shift as u8 & 31,
                dst: s16(dst)?,
                mask,
            }
        }
        (Op::I32AndImm { dst: t, a, imm: mask }, Op::I32ShlImm { dst, a: x, imm: shift })
            if x == t =>
        {
            Op::I32AndShlImm {
                t: s16(t)?,
                a: s16(a)?,
                mask,
                dst: s16(dst)?,
                shift: shift as u8 & 31,
            }
        }
        (Op::I32ShlImm { dst: t, a, imm: shl }, Op::I32ShrSImm { dst, a: x, imm: shr })
            if x == t =>
        {
            let (shl, shr) = (shl as u8 & 31, shr as u8 & 31);
            Op::I32ShlShrSImm { t: s16(t)?, a: s16(a)?, shl, dst: s16(dst)?, shr }
        }
        (Op::I32ShlImm { dst: t, a, imm: shl }, Op::I32ShrUImm { dst, a: x, imm: shr })
            if x == t =>
        {
            let (shl, shr) = (shl as u8 & 31, shr as u8 & 31);
            Op::I32ShlShrUImm { t: s16(t)?, a: s16(a)?, shl, dst: s16(dst)?, shr }
        }
        (Op::I32Load { dst: t, addr, offset }, Op::I32AddImm { dst, a, imm }) if a == t => {
            Op::I32LoadThenAddImm { t: s16(t)?, addr: s16(addr)?, dst: s16(dst)?, offset, imm }
        }
        (Op::I32Load { dst: t, addr, offset }, Op::I32Add { dst, a, b })
            if accumulates(dst, a, b, t) =>
        {
            Op::I32LoadAcc { t: s16(t)?, addr: s16(addr)?, acc: s16(dst)?, offset }
        }
        (Op::I32Load8U { dst: t, addr, offset }, Op::I32Add { dst, a, b })
            if accumulates(dst, a, b, t) =>
        {
            Op::I32Load8UAcc { t: s16(t)?, addr: s16(addr)?, acc: s16(dst)?, offset }
        }
        // f64: the add commutes (wasm leaves the payload of a NaN from two NaNs open).
        (Op::I64Load { dst: t, addr, offset }, Op::F64Add { dst, a, b })
            if accumulates(dst, a, b, t) =>
        {
            Op::F64LoadAcc { t: s16(t)?, addr: s16(addr)?, acc: s16(dst)?, offset }
        }
        (first, Op::I64Store { addr, value, offset })
            if float_op(first).is_some_and(|(_, t, ..)| t as Slot == value) =>
        {
            let (kind, dst, a, b) = float_op(first)?;
            let addr = s16(addr)?;
            match kind {
                FloatOp::Add => Op::F64AddStore { dst, a, b, addr, offset },
                FloatOp::Sub => Op::F64SubStore { dst, a, b, addr, offset },
                FloatOp::Mul => Op::F64MulStore { dst, a, b, addr, offset },
            }
        }
        (Op::Copy { dst: 0, src }, Op::Return) => Op::ReturnSlot { src },
        _ => return fuse_float_chain(first, second),
    })
}

/// Whether `dst = a + b` adds slot `t` to `dst` (`dst` another slot).
fn accumulates(dst: Slot, a: Slot, b: Slot, t: Slot) -> bool {
    dst != t && ((dst == a && b == t) || (dst == b && a == t))
}

/// An f64 add, sub or mul as `(kind, t, a, b)`: `t = a <kind> b`.
fn float_op(op: Op) -> Option<(FloatOp, u16, u16, u16)> {
    let (kind, dst, a, b) = match op {
        Op::F64Add { dst, a, b } => (FloatOp::Add, dst, a, b),
        Op::F64Sub { dst, a, b } => (FloatOp::Sub, dst, a, b),
        Op::F64Mul { dst, a, b } => (FloatOp::Mul, dst, a, b),
        _ => return None,
    };
    Some((kind, s16(dst)?, s16(a)?, s16(b)?))
}

/// The f64 operations that chains and op-then-branch instructions start with.
#[derive(Clone, Copy)]
enum FloatOp {
    Add,
    Sub,
    Mul,
}

/// An f64 add/sub/mul whose result `t` a second f64 add/sub/mul reads: one chain
/// instruction (`t` still written). Add and mul take `t` first whichever side it was on
/// (identical results; wasm leaves the payload of a NaN from two NaN operands open); a
/// sub with `t` on the right becomes `RSub` (`c - t`).
fn fuse_float_chain(first: Op, second: Op) -> Option<Op> {
    let (kind, t, a, b) = float_op(first)?;
    let (kind2, dst, x, y) = float_op(second)?;
    // Whether the second op reads `t` on the left, and its other operand.
    let (left, c) = if x == t {
        (true, y)
    } else if y == t {
        (false, x)
    } else {
        return None;
    };
    use FloatOp::{Add, Mul, Sub};
    Some(match (kind, kind2, left) {
        (Add, Add, _) => Op::F64AddAdd { t, a, b, c, dst },
        (Add, Mul, _) => Op::F64AddMul { t, a, b, c, dst },
        (Add, Sub, true) => Op::F64AddSub { t, a, b, c, dst },
        (Add, Sub, false) => Op::F64AddRSub { t, a, b, c, dst },
        (Sub, Add, _) => Op::F64SubAdd { t, a, b, c, dst },
        (Sub, Mul, _) => Op::F64SubMul { t, a, b, c, dst },
        (Sub, Sub, true) => Op::F64SubSub { t, a, b, c, dst },
        (Sub, Sub, false) => Op::F64SubRSub { t, a, b, c, dst },
        (Mul, Add, _) => Op::F64MulAdd { t, a, b, c, dst },
        (Mul, Mul, _) => Op::F64MulMul { t, a, b, c, dst },
        (Mul, Sub, true) => Op::F64MulSub { t, a, b, c, dst },
        (Mul, Sub, false) => Op::F64MulRSub { t, a, b, c, dst },
    })
}

/// The comparisons an op-then-branch instruction makes of `t` (left) with `c`.
#[derive(Clone, Copy)]
enum FloatTest {
    Lt,
    Gt,
    Le,
    Ge,
    NotLt,
    NotGt,
    NotLe,
    NotGe,
}

/// An f64 add/sub/mul whose result `t` the next float compare-and-branch tests: one
/// op-then-branch instruction (`t` still written). A comparison with `t` on the right is
/// mirrored (`c < t` is `t > c`, NaN included).
fn fuse_float_branch(first: Op, second: Op) -> Option<Op> {
    use FloatTest::*;
    let (kind, t, a, b) = float_op(first)?;
    let (test, x, y, target) = match second {
        Op::BrF64Lt { a, b, target } => (Lt, a, b, target),
        Op::BrF64Gt { a, b, target } => (Gt, a, b, target),
        Op::BrF64Le { a, b, target } => (Le, a, b, target),
        Op::BrF64Ge { a, b, target } => (Ge, a, b, target),
        Op::BrF64NotLt { a, b, target } => (NotLt, a, b, target),
        Op::BrF64NotGt { a, b, target } => (NotGt, a, b, target),
        Op::BrF64NotLe { a, b, target } => (NotLe, a, b, target),
        Op::BrF64NotGe { a, b, target } => (NotGe, a, b, target),
        _ => return None,
    };
    let t32 = t as Slot;
    let (test, c) = if x == t32 {
        (test, y)
    } else if y == t32 {
        let mirrored = match test {
            Lt => Gt,
            Gt => Lt,
            Le => Ge,
            Ge => Le,
            NotLt => NotGt,
            NotGt => NotLt,
            NotLe => NotGe,
            NotGe => NotLe,
        };
        (mirrored, x)
    } else {
        return None;
    };
    let c = s16(c)?;
    Some(match (kind, test) {
        (FloatOp::Add, Lt) => Op::F64AddBrLt { t, a, b, c, target },
        (FloatOp::Add, Gt) => Op::F64AddBrGt { t, a, b, c, target },
        (FloatOp::Add, Le) => Op::F64AddBrLe { t, a, b, c, target },
        (FloatOp::Add, Ge) => Op::F64AddBrGe { t, a, b, c, target },
        (FloatOp::Add, NotLt) => Op::F64AddBrNotLt { t, a, b, c, target },
        (FloatOp::Add, NotGt) => Op::F64AddBrNotGt { t, a, b, c, target },
        (FloatOp::Add, NotLe) => Op::F64AddBrNotLe { t, a, b, c, target },
        (FloatOp::Add, NotGe) => Op::F64AddBrNotGe { t, a, b, c, target },
        (FloatOp::Sub, Lt) => Op::F64SubBrLt { t, a, b, c, target },
        (FloatOp::Sub, Gt) => Op::F64SubBrGt { t, a, b, c, target },
        (FloatOp::Sub, Le) => Op::F64SubBrLe { t, a, b, c, target },
        (FloatOp::Sub, Ge) => Op::F64SubBrGe { t, a, b, c, target },
        (FloatOp::Sub, NotLt) => Op::F64SubBrNotLt { t, a, b, c, target },
        (FloatOp::Sub, NotGt) => Op::F64SubBrNotGt { t, a, b, c, target },
        (FloatOp::Sub, NotLe) => Op::F64SubBrNotLe { t, a, b, c, target },
        (FloatOp::Sub, NotGe) => Op::F64SubBrNotGe { t, a, b, c, target },
        (FloatOp::Mul, Lt) => Op::F64MulBrLt { t, a, b, c, target },
        (FloatOp::Mul, Gt) => Op::F64MulBrGt { t, a, b, c, target },
        (FloatOp::Mul, Le) => Op::F64MulBrLe { t, a, b, c, target },
        (FloatOp::Mul, Ge) => Op::F64MulBrGe { t, a, b, c, target },
        (FloatOp::Mul, NotLt) => Op::F64MulBrNotLt { t, a, b, c, target },
        (FloatOp::Mul, NotGt) => Op::F64MulBrNotGt { t, a, b, c, target },
        (FloatOp::Mul, NotLe) => Op::F64MulBrNotLe { t, a, b, c, target },
        (FloatOp::Mul, NotGe) => Op::F64MulBrNotGe { t, a, b, c, target },
    })
}

/// A bit field whose two results share a slot (`I32ShrUAndImm` with `t == dst`) and the
/// i32 add that reads it (on either side; the add commutes): one `I32ShrUAndAdd`.
fn fuse_field_add(first: Op, second: Op) -> Option<Op> {
    let Op::I32ShrUAndImm { t, a, shift, dst: field, mask } = first else { return None };
    let Op::I32Add { dst, a: x, b: y } = second else { return None };
    if t != field {
        return None;
    }
    let b = if x == t as Slot {
        y
    } else if y == t as Slot {
        x
    } else {
        return None;
    };
    Some(Op::I32ShrUAndAdd { t, a, shift, mask, dst: s16(dst)?, b: s16(b)? })
}

/// An f64 chain (see [`fuse_float_chain`]) and the f64 multiplication that reads its
/// result `d` (on either side; the product commutes): one chain-then-multiply instruction.
fn fuse_chain_mul(first: Op, second: Op) -> Option<Op> {
    let Op::F64Mul { dst, a: x, b: y } = second else { return None };
    let (t, a, b, c, d) = match first {
        Op::F64AddAdd { t, a, b, c, dst }
        | Op::F64AddSub { t, a, b, c, dst }
        | Op::F64AddRSub { t, a, b, c, dst }
        | Op::F64AddMul { t, a, b, c, dst }
        | Op::F64SubAdd { t, a, b, c, dst }
        | Op::F64SubSub { t, a, b, c, dst }
        | Op::F64SubRSub { t, a, b, c, dst }
        | Op::F64SubMul { t, a, b, c, dst }
        | Op::F64MulAdd { t, a, b, c, dst }
        | Op::F64MulSub { t, a, b, c, dst }
        | Op::F64MulRSub { t, a, b, c, dst }
        | Op::F64MulMul { t, a, b, c, dst } => (t, a, b, c, dst),
        _ => return None,
    };
    let f = if x == d as Slot {
        y
    } else if y == d as Slot {
        x
    } else {
        return None;
    };
    let (e, f) = (s16(dst)?, s16(f)?);
    Some(match first {
        Op::F64AddAdd { .. } => Op::F64AddAddMul { t, a, b, c, d, e, f },
        Op::F64AddSub { .. } => Op::F64AddSubMul { t, a, b, c, d, e, f },
        Op::F64AddRSub { .. } => Op::F64AddRSubMul { t, a, b, c, d, e, f },
        Op::F64AddMul { .. } => Op::F64AddMulMul { t, a, b, c, d, e, f },
        Op::F64SubAdd { .. } => Op::F64SubAddMul { t, a, b, c, d, e, f },
        Op::F64SubSub { .. } => Op::F64SubSubMul { t, a, b, c, d, e, f },
        Op::F64SubRSub { .. } => Op::F64SubRSubMul { t, a, b, c, d, e, f },
        Op::F64SubMul { .. } => Op::F64SubMulMul { t, a, b, c, d, e, f },
        Op::F64MulAdd { .. } => Op::F64MulAddMul { t, a, b, c, d, e, f },
        Op::F64MulSub { .. } => Op::F64MulSubMul { t, a, b, c, d, e, f },
        Op::F64MulRSub { .. } => Op::F64MulRSubMul { t, a, b, c, d, e, f },
        Op::F64MulMul { .. } => Op::F64MulMulMul { t, a, b, c, d, e, f },
        _ => return None,
    })
}
