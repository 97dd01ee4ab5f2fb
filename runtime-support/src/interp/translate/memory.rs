//! Memory operator families: loads (fused with the add that computed their address where
//! possible), stores (with constant-value forms) and the checks of their memory arguments.
//!
//! Invariants: only memory 0 with offsets below 2^32 is translated; anything else is
//! refused with an unsupported-feature error before code is emitted for the operator.

use super::stack::Entry;
use super::{Translator, unsupported};
use crate::error::CompileError;
use crate::interp::ir::{Op, Slot};

impl Translator<'_> {
    pub(super) fn load(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        memarg: wasmparser::MemArg,
    ) -> Result<(), CompileError> {
        self.check_memarg(memarg)?;
        let t = self.top();
        if memarg.offset == 0
            && self.stack[t] == Entry::Temp
            && self.last_result == Some(self.code.len() - 1)
        {
            // The address was just computed by an add into this temp: fuse it.
            let own = self.own(t);
            let wide = match make(0, 0, 0) {
                Op::I32Load { .. } => Some(false),
                Op::I64Load { .. } => Some(true),
                _ => None,
            };
            let fused = match (*self.code.last().expect("last_result names an instruction"), wide) {
                (Op::I32Add { dst, a, b }, Some(false)) if dst == own => {
                    Some(Op::I32LoadAdd { dst, a, b })
                }
                (Op::I32Add { dst, a, b }, Some(true)) if dst == own => {
                    Some(Op::I64LoadAdd { dst, a, b })
                }
                (Op::I32AddImm { dst, a, imm }, Some(false)) if dst == own => {
                    Some(Op::I32LoadAddImm { dst, a, imm })
                }
                (Op::I32AddImm { dst, a, imm }, Some(true)) if dst == own => {
                    Some(Op::I64LoadAddImm { dst, a, imm })
                }
                _ => None,
            };
            if let Some(op) = fused {
                self.code.pop();
                self.offsets.pop();
                self.emit_result(op);
                return Ok(());
            }
        }
        let addr = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(make(self.own(t), addr, memarg.offset as u32));
        Ok(())
    }

    pub(super) fn store(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        memarg: wasmparser::MemArg,
    ) -> Result<(), CompileError> {
        self.check_memarg(memarg)?;
        let t = self.top();
        let value = self.slot(t);
        let addr = self.slot(t - 1);
        self.pop();
        self.pop();
        self.emit(make(addr, value, memarg.offset as u32));
        Ok(())
    }

    /// A store with a constant-value form `imm`: used when the value is a constant that
    /// fits (any constant for `narrow` stores, which keep only its low bits; else one that
    /// sign-extends from an i32).
    pub(super) fn store_imm(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        imm: fn(Slot, i32, u32) -> Op,
        narrow: bool,
        memarg: wasmparser::MemArg,
    ) -> Result<(), CompileError> {
        let t = self.top();
        match self.stack[t] {
            Entry::Const(c) if narrow || c as i64 == c as i32 as i64 => {
                self.check_memarg(memarg)?;
                let addr = self.slot(t - 1);
                self.pop();
                self.pop();
                self.emit(imm(addr, c as i32, memarg.offset as u32));
                Ok(())
            }
            _ => self.store(make, memarg),
        }
    }

    pub(super) fn check_memarg(&self, memarg: wasmparser::MemArg) -> Result<(), CompileError> {
        if memarg.target != wasmparser::MemArgTarget::Memory(0) || memarg.offset > u32::MAX as u64 {
            return Err(unsupported(self.offset, "multiple or 64-bit memories"));
        }
        Ok(())
    }
}
