//! Numeric operator families: unary and binary operations, with immediate forms where an
//! operand is a constant that fits.
//!
//! Invariants: each helper pops its operands and leaves one `Temp` entry for the result,
//! which the emitted instruction writes into that entry's own slot (with
//! [`Translator::emit_result`], so that a following `local.set` may retarget it). A
//! constant operand becomes an immediate only where the immediate form computes the same
//! result for it.

use super::Translator;
use super::stack::Entry;
use crate::interp::const_divisor;
use crate::interp::ir::{Op, Slot};

impl Translator<'_> {
    pub(super) fn unop(&mut self, make: fn(Slot, Slot) -> Op) {
        let t = self.top();
        let src = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(make(self.own(t), src));
    }

    pub(super) fn binop(&mut self, make: impl FnOnce(Slot, Slot, Slot) -> Op) {
        let t = self.top();
        let b = self.slot(t);
        let a = self.slot(t - 1);
        self.pop();
        self.stack[t - 1] = Entry::Temp;
        self.emit_result(make(self.own(t - 1), a, b));
    }

    /// A binary i32 operation with an immediate form; `commutes` allows a constant left
    /// operand to be used as the immediate.
    pub(super) fn binop_imm32(
        &mut self,
        make: fn(Slot, Slot, Slot) -> Op,
        imm: fn(Slot, Slot, i32) -> Op,
        commutes: bool,
    ) {
        let t = self.top();
        let (ea, eb) = (self.stack[t - 1], self.stack[t]);
        let pick = match (ea, eb) {
            (_, Entry::Const(c)) if !matches!(ea, Entry::Const(_)) => Some((t - 1, c)),
            (Entry::Const(c), _) if commutes && !matches!(eb, Entry::Const(_)) => Some((t, c)),
            _ => None,
        };
        match pick {
            Some((other, c)) => {
                let a = self.slot(other);
                self.pop();
                self.stack[t - 1] = Entry::Temp;
                self.emit_result(imm(self.own(t - 1), a, c as u32 as i32));
            }
            None => self.binop(make),
        }
    }

    /// `i32.div_u` (`rem` false) or `i32.rem_u`: by a constant other than 0, the multiply
    /// of [`crate::interp::const_divisor`] (`I32DivUConst`, or `I32RemUConst` when its slots
    /// fit 16 bits); else the division instruction.
    pub(super) fn div_rem_u32(&mut self, rem: bool) {
        let t = self.top();
        if let (ea, Entry::Const(c)) = (self.stack[t - 1], self.stack[t])
            && !matches!(ea, Entry::Const(_))
            && c as u32 != 0
        {
            let a = self.slot(t - 1);
            let dst = self.own(t - 1);
            let (m, shift) = const_divisor::magic(c as u32);
            let op = match (rem, u16::try_from(dst), u16::try_from(a)) {
                (false, ..) => Some(Op::I32DivUConst { dst, a, m, shift }),
                (true, Ok(dst), Ok(a)) => Some(Op::I32RemUConst { dst, a, m, d: c as u32, shift }),
                _ => None,
            };
            if let Some(op) = op {
                self.pop();
                self.stack[t - 1] = Entry::Temp;
                // The remainder is `emit`ted, not `emit_result`ed: its 16-bit `dst` is no
                // `Dst` that a following `local.set` could retarget.
                if rem {
                    self.emit(op);
                } else {
                    self.emit_result(op);
                }
                return;
            }
        }
        self.binop(if rem {
            |dst, a, b| Op::I32RemU { dst, a, b }
        } else {
            |dst, a, b| Op::I32DivU { dst, a, b }
        });
    }

    /// A rotate of `bits`-bit values: by a constant amount it becomes `imm` (a left rotate by
    /// the amount modulo `bits`, negated first for a right rotate), else `make`.
    pub(super) fn rotate(
        &mut self,
        bits: u64,
        right: bool,
        make: fn(Slot, Slot, Slot) -> Op,
        imm: fn(Slot, Slot, i32) -> Op,
    ) {
        let t = self.top();
        if let (Entry::Const(c), false) =
            (self.stack[t], matches!(self.stack[t - 1], Entry::Const(_)))
        {
            let amount = if right { bits.wrapping_sub(c) } else { c } & (bits - 1);
            self.stack[t] = Entry::Const(amount);
            self.binop_imm32(make, imm, false)
        } else {
            self.binop(make)
        }
    }

    /// Like [`Self::binop_imm32`] for i64 operations: the constant must fit in an i32.
    pub(super) fn binop_imm64(
        &mut self,
        make: fn(Slot, Slot, Slot) -> Op,
        imm: fn(Slot, Slot, i32) -> Op,
        commutes: bool,
    ) {
        let t = self.top();
        let fits = |e: Entry| matches!(e, Entry::Const(c) if c as i64 == c as i64 as i32 as i64);
        let (ea, eb) = (self.stack[t - 1], self.stack[t]);
        let pick = if fits(eb) && !matches!(ea, Entry::Const(_)) {
            Some(t - 1)
        } else if commutes && fits(ea) && !matches!(eb, Entry::Const(_)) {
            Some(t)
        } else {
            None
        };
        match pick {
            Some(other) => {
                let Entry::Const(c) = self.stack[if other == t { t - 1 } else { t }] else {
                    unreachable!()
                };
                let a = self.slot(other);
                self.pop();
                self.stack[t - 1] = Entry::Temp;
                self.emit_result(imm(self.own(t - 1), a, c as i64 as i32));
            }
            None => self.binop(make),
        }
    }

    /// A subtraction from a constant: when the left operand is a constant `c` with an
    /// immediate `imm(c)` and the right one is not, pops both (leaving the result entry),
    /// emits `make(dst, right, imm)` and returns true; otherwise does nothing.
    fn rsub_imm(&mut self, imm: fn(u64) -> Option<i32>, make: fn(Slot, Slot, i32) -> Op) -> bool {
        let t = self.top();
        let (Entry::Const(c), false) =
            (self.stack[t - 1], matches!(self.stack[t], Entry::Const(_)))
        else {
            return false;
        };
        let Some(imm) = imm(c) else { return false };
        let a = self.slot(t);
        self.pop();
        self.stack[t - 1] = Entry::Temp;
        self.emit_result(make(self.own(t - 1), a, imm));
        true
    }

    /// `i32.sub`: by a constant, an add of its negation (with an immediate); from a
    /// constant, a reverse subtraction with an immediate.
    pub(super) fn i32_sub(&mut self) {
        let t = self.top();
        if self.rsub_imm(|c| Some(c as u32 as i32), |dst, a, imm| Op::I32RsubImm { dst, a, imm }) {
            return;
        }
        if let (Entry::Const(c), false) =
            (self.stack[t], matches!(self.stack[t - 1], Entry::Const(_)))
        {
            self.stack[t] = Entry::Const((c as u32).wrapping_neg() as u64);
            self.binop_imm32(
                |dst, a, b| Op::I32Add { dst, a, b },
                |dst, a, imm| Op::I32AddImm { dst, a, imm },
                false,
            )
        } else {
            self.binop(|dst, a, b| Op::I32Sub { dst, a, b })
        }
    }

    /// `i64.sub`: by a constant other than `i64::MIN`, an add of its negation; from a
    /// constant that fits 32 bits, a reverse subtraction with an immediate.
    pub(super) fn i64_sub(&mut self) {
        let fits = |c: u64| i32::try_from(c as i64).ok();
        if self.rsub_imm(fits, |dst, a, imm| Op::I64RsubImm { dst, a, imm }) {
            return;
        }
        let t = self.top();
        match (self.stack[t], self.stack[t - 1]) {
            (Entry::Const(c), a) if !matches!(a, Entry::Const(_)) && c as i64 != i64::MIN => {
                self.stack[t] = Entry::Const((c as i64).wrapping_neg() as u64);
                self.binop_imm64(
                    |dst, a, b| Op::I64Add { dst, a, b },
                    |dst, a, imm| Op::I64AddImm { dst, a, imm },
                    false,
                )
            }
            _ => self.binop(|dst, a, b| Op::I64Sub { dst, a, b }),
        }
    }
}
