//! Memory operators: loads (fused with the add that computed their address where
//! possible), stores (with constant-value forms), `memory.size`/`memory.grow` and the bulk
//! memory operators, and the checks of their memory arguments.
//!
//! Invariants: only memory 0 with offsets below 2^32 is translated; anything else is
//! refused by its proposal (multi-memory, memory64, GC arrays) before code is emitted for
//! the operator. The bulk operators have their three operands materialized into
//! consecutive slots at `base`.

use super::Translator;
use super::proposals::Proposal;
use super::stack::Entry;
use crate::error::CompileError;
use crate::interp::ir::{Op, Slot};
use wasmparser::{MemArg, MemArgTarget};

impl Translator<'_> {
    /// A load made by `make(dst, addr, offset)`; at offset 0, right after the `i32.add` (or
    /// constant add) that computed the address into the top entry, a fused add-and-load
    /// (`i32.load` and `i64.load` only) replaces both.
    pub(super) fn load(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        memarg: MemArg,
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

    /// A store made by `make(addr, value, offset)`.
    pub(super) fn store(
        &mut self,
        make: impl FnOnce(Slot, Slot, u32) -> Op,
        memarg: MemArg,
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
        memarg: MemArg,
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

    /// Refuses a memory argument the interpreter does not translate: another memory than
    /// memory 0, an offset of 2^32 or more, or a GC array.
    pub(super) fn check_memarg(&self, memarg: MemArg) -> Result<(), CompileError> {
        match memarg.target {
            MemArgTarget::Memory(0) if memarg.offset <= u32::MAX as u64 => Ok(()),
            MemArgTarget::Memory(0) => Err(self.refuse(Proposal::Memory64)),
            MemArgTarget::Memory(_) => Err(self.refuse(Proposal::MultiMemory)),
            MemArgTarget::Array(_) => Err(self.refuse(Proposal::Gc)),
        }
    }

    /// Refuses a memory index other than 0.
    fn check_memory(&self, mem: u32) -> Result<(), CompileError> {
        if mem != 0 {
            return Err(self.refuse(Proposal::MultiMemory));
        }
        Ok(())
    }

    /// `memory.size`.
    pub(super) fn memory_size(&mut self, mem: u32) -> Result<(), CompileError> {
        self.check_memory(mem)?;
        let dst = self.own(self.stack.len());
        self.push(Entry::Temp);
        self.emit_result(Op::MemorySize { dst });
        Ok(())
    }

    /// `memory.grow`.
    pub(super) fn memory_grow(&mut self, mem: u32) -> Result<(), CompileError> {
        self.check_memory(mem)?;
        let t = self.top();
        let delta = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(Op::MemoryGrow { dst: self.own(t), delta });
        Ok(())
    }

    /// `memory.fill`.
    pub(super) fn memory_fill(&mut self, mem: u32) -> Result<(), CompileError> {
        self.check_memory(mem)?;
        let base = self.take_args(3);
        self.emit(Op::MemoryFill { base });
        Ok(())
    }

    /// `memory.copy`.
    pub(super) fn memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<(), CompileError> {
        self.check_memory(dst_mem)?;
        self.check_memory(src_mem)?;
        let base = self.take_args(3);
        self.emit(Op::MemoryCopy { base });
        Ok(())
    }

    /// `memory.init` of data segment `data_index`.
    pub(super) fn memory_init(&mut self, data_index: u32, mem: u32) -> Result<(), CompileError> {
        self.check_memory(mem)?;
        let base = self.take_args(3);
        self.emit(Op::MemoryInit { base, segment: data_index });
        Ok(())
    }
}
