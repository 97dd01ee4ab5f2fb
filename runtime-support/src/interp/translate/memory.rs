//! Memory operators: loads (fused with the add that computed their address where
//! possible), stores (with constant-value forms), `memory.size`/`memory.grow` and the bulk
//! memory operators, and the resolution of their memory arguments.
//!
//! Invariants: an access to a 32-bit memory 0 is translated to the plain instructions,
//! which use the hot `mem`/`len` registers; an access to any other memory (multi-memory)
//! or to a 64-bit memory (memory64) to the `*_m` form naming it by [`MemSel`], after a
//! [`Op::MemoryOffset64`] when the static offset does not fit 32 bits. GC array accesses
//! are refused before code is emitted for the operator. The bulk operators have their
//! three operands materialized into consecutive slots at `base`.

use super::Translator;
use super::proposals::Proposal;
use super::stack::Entry;
use crate::error::CompileError;
use crate::interp::ir::{MEM_SEL_64, MEM_SEL_INDEX, MemSel, Op, Slot};
use crate::types::ValType;
use wasmparser::{MemArg, MemArgTarget};

/// Which instruction forms address a memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// A 32-bit memory 0: the plain instructions.
    Memory0,
    /// Any other memory: the `*_m` instructions, with this selector.
    Indexed(MemSel),
}

impl Translator<'_> {
    /// A load made by `make(dst, addr, offset)`; at offset 0, right after the `i32.add` (or
    /// constant add) that computed the address into the top entry, a fused add-and-load
    /// (`i32.load`, `i64.load`, `i32.load8_u` and `i32.load16_u`) replaces both.
    pub(super) fn load(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        make_m: fn(Slot, Slot, u32, MemSel) -> Op,
        memarg: MemArg,
    ) -> Result<(), CompileError> {
        let t = self.top();
        let (target, offset) = self.memarg(memarg, t)?;
        if let Target::Indexed(memory) = target {
            let addr = self.slot(t);
            self.stack[t] = Entry::Temp;
            self.emit_result(make_m(self.own(t), addr, offset, memory));
            return Ok(());
        }
        if offset == 0
            && self.stack[t] == Entry::Temp
            && self.last_result == Some(self.code.len() - 1)
        {
            // The address was just computed by an add into this temp: fuse it.
            let own = self.own(t);
            // The fused forms of this load: from `a + b`, from `a + imm`.
            type Fused = (fn(Slot, Slot, Slot) -> Op, fn(Slot, Slot, i32) -> Op);
            let forms: Option<Fused> = match make(0, 0, 0) {
                Op::I32Load { .. } => Some((
                    |dst, a, b| Op::I32LoadAdd { dst, a, b },
                    |dst, a, imm| Op::I32LoadAddImm { dst, a, imm },
                )),
                Op::I64Load { .. } => Some((
                    |dst, a, b| Op::I64LoadAdd { dst, a, b },
                    |dst, a, imm| Op::I64LoadAddImm { dst, a, imm },
                )),
                Op::I32Load8U { .. } => Some((
                    |dst, a, b| Op::I32Load8UAdd { dst, a, b },
                    |dst, a, imm| Op::I32Load8UAddImm { dst, a, imm },
                )),
                Op::I32Load16U { .. } => Some((
                    |dst, a, b| Op::I32Load16UAdd { dst, a, b },
                    |dst, a, imm| Op::I32Load16UAddImm { dst, a, imm },
                )),
                _ => None,
            };
            let last = *self.code.last().expect("last_result names an instruction");
            let fused = match (last, forms) {
                (Op::I32Add { dst, a, b }, Some((add, _))) if dst == own => Some(add(dst, a, b)),
                (Op::I32AddImm { dst, a, imm }, Some((_, add_imm))) if dst == own => {
                    Some(add_imm(dst, a, imm))
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
        self.emit_result(make(self.own(t), addr, offset));
        Ok(())
    }

    /// A store made by `make(addr, value, offset)`, or for an indexed memory by
    /// `make_m(addr, value, offset, memory)`.
    pub(super) fn store(
        &mut self,
        make: impl FnOnce(Slot, Slot, u32) -> Op,
        make_m: impl FnOnce(Slot, Slot, u32, MemSel) -> Op,
        memarg: MemArg,
    ) -> Result<(), CompileError> {
        let t = self.top();
        let (target, offset) = self.memarg(memarg, t - 1)?;
        let value = self.slot(t);
        let addr = self.slot(t - 1);
        self.pop();
        self.pop();
        self.emit(match target {
            Target::Memory0 => make(addr, value, offset),
            Target::Indexed(memory) => make_m(addr, value, offset, memory),
        });
        Ok(())
    }

    /// A store with a constant-value form `imm`: used when the value is a constant that
    /// fits (any constant for `narrow` stores, which keep only its low bits; else one that
    /// sign-extends from an i32).
    pub(super) fn store_imm(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        make_m: fn(Slot, Slot, u32, MemSel) -> Op,
        imm: fn(Slot, i32, u32) -> Op,
        narrow: bool,
        memarg: MemArg,
    ) -> Result<(), CompileError> {
        let t = self.top();
        match self.stack[t] {
            Entry::Const(c)
                if (narrow || c as i64 == c as i32 as i64)
                    && self.target(memarg)? == Target::Memory0 =>
            {
                let addr = self.slot(t - 1);
                self.pop();
                self.pop();
                self.emit(imm(addr, c as i32, memarg.offset as u32));
                Ok(())
            }
            _ => self.store(make, make_m, memarg),
        }
    }

    /// The instruction forms for an access with `memarg` (a GC array access is refused).
    fn target(&self, memarg: MemArg) -> Result<Target, CompileError> {
        match memarg.target {
            MemArgTarget::Memory(m) => self.memory_target(m),
            MemArgTarget::Array(_) => Err(self.refuse(Proposal::Gc)),
        }
    }

    /// The instruction forms for memory `mem`.
    pub(super) fn memory_target(&self, mem: u32) -> Result<Target, CompileError> {
        let wide = self.info.memories[mem as usize].index_type.is_64();
        if mem == 0 && !wide {
            return Ok(Target::Memory0);
        }
        let index = MemSel::try_from(mem)
            .ok()
            .filter(|i| *i <= MEM_SEL_INDEX)
            .ok_or_else(|| super::unsupported(self.offset, "more than 128 memories"))?;
        Ok(Target::Indexed(if wide { index | MEM_SEL_64 } else { index }))
    }

    /// The selector of memory `mem` for the `*_m` instructions (also for a 32-bit memory 0).
    fn memory_sel(&self, mem: u32) -> Result<MemSel, CompileError> {
        Ok(match self.memory_target(mem)? {
            Target::Memory0 => 0,
            Target::Indexed(sel) => sel,
        })
    }

    /// Resolves `memarg` for an access whose address is the entry at height `addr`: the
    /// instruction forms and the static offset they carry. An offset of 2^32 or more
    /// (64-bit memories only) is first added to the address, which then takes a `Temp` in
    /// its own slot, by [`Op::MemoryOffset64`] (trapping when the sum overflows), and the
    /// access gets offset 0.
    pub(super) fn memarg(
        &mut self,
        memarg: MemArg,
        addr: usize,
    ) -> Result<(Target, u32), CompileError> {
        self.memarg_of(memarg, addr, None)
    }

    /// [`Translator::memarg`] for an access of `atomic_width` bytes when it is atomic: a
    /// large offset is then added by [`Op::AtomicOffset64`], which checks the alignment
    /// before the overflow, as the access does.
    pub(super) fn memarg_of(
        &mut self,
        memarg: MemArg,
        addr: usize,
        atomic_width: Option<u8>,
    ) -> Result<(Target, u32), CompileError> {
        let target = self.target(memarg)?;
        if let Ok(offset) = u32::try_from(memarg.offset) {
            return Ok((target, offset));
        }
        let src = self.slot(addr);
        let k = self.push_temp(ValType::I64);
        self.emit_const(k, memarg.offset);
        self.pop();
        self.stack[addr] = Entry::Temp;
        let dst = self.own(addr);
        self.emit(match atomic_width {
            Some(width) => Op::AtomicOffset64 { dst, addr: src, offset: k, width },
            None => Op::MemoryOffset64 { dst, addr: src, offset: k },
        });
        Ok((target, 0))
    }

    /// `memory.size`.
    pub(super) fn memory_size(&mut self, mem: u32) -> Result<(), CompileError> {
        let dst = self.own(self.stack.len());
        let op = match self.memory_target(mem)? {
            Target::Memory0 => Op::MemorySize { dst },
            Target::Indexed(memory) => Op::MemorySizeM { dst, memory },
        };
        self.push(Entry::Temp);
        self.emit_result(op);
        Ok(())
    }

    /// `memory.grow`.
    pub(super) fn memory_grow(&mut self, mem: u32) -> Result<(), CompileError> {
        let target = self.memory_target(mem)?;
        let t = self.top();
        let delta = self.slot(t);
        self.stack[t] = Entry::Temp;
        let dst = self.own(t);
        self.emit_result(match target {
            Target::Memory0 => Op::MemoryGrow { dst, delta },
            Target::Indexed(memory) => Op::MemoryGrowM { dst, delta, memory },
        });
        Ok(())
    }

    /// `memory.fill`.
    pub(super) fn memory_fill(&mut self, mem: u32) -> Result<(), CompileError> {
        let target = self.memory_target(mem)?;
        let base = self.take_args(3);
        self.emit(match target {
            Target::Memory0 => Op::MemoryFill { base },
            Target::Indexed(memory) => Op::MemoryFillM { base, memory },
        });
        Ok(())
    }

    /// `memory.copy`.
    pub(super) fn memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<(), CompileError> {
        let targets = (self.memory_target(dst_mem)?, self.memory_target(src_mem)?);
        let (dst_memory, src_memory) = (self.memory_sel(dst_mem)?, self.memory_sel(src_mem)?);
        let base = self.take_args(3);
        self.emit(match targets {
            (Target::Memory0, Target::Memory0) => Op::MemoryCopy { base },
            _ => Op::MemoryCopyM { base, dst_memory, src_memory },
        });
        Ok(())
    }

    /// `memory.init` of data segment `data_index`.
    pub(super) fn memory_init(&mut self, data_index: u32, mem: u32) -> Result<(), CompileError> {
        let target = self.memory_target(mem)?;
        let base = self.take_args(3);
        self.emit(match target {
            Target::Memory0 => Op::MemoryInit { base, segment: data_index },
            Target::Indexed(memory) => Op::MemoryInitM { base, segment: data_index, memory },
        });
        Ok(())
    }
}

const _: () = assert!(MEM_SEL_64 & MEM_SEL_INDEX == 0);
