//! Threads operators: the atomic accesses of [`crate::for_each_atomic_access!`], the wait
//! and notify operators and `atomic.fence`.
//!
//! Invariants: every atomic instruction takes its operands materialized into consecutive
//! slots at `base` and leaves its result (if any) in `base`, which is the own slot of the
//! `Temp` pushed for it; the memory is always named by a [`crate::interp::ir::MemSel`]
//! (0 for a 32-bit memory 0), never through the plain memory-0 forms.

use super::Translator;
use super::memory::Target;
use crate::atomics::{AtomicAccess, AtomicKind};
use crate::error::CompileError;
use crate::interp::ir::{MemSel, Op};
use crate::types::ValType;
use wasmparser::MemArg;

impl Translator<'_> {
    /// Resolves `memarg` of an atomic operator of `width` bytes with `operands` operands
    /// (the address the first): the memory selector and the static offset.
    fn atomic_memarg(
        &mut self,
        memarg: MemArg,
        operands: usize,
        width: u8,
    ) -> Result<(MemSel, u32), CompileError> {
        let addr = self.stack.len() - operands;
        let (target, offset) = self.memarg_of(memarg, addr, Some(width))?;
        let sel = match target {
            Target::Memory0 => 0,
            Target::Indexed(sel) => sel,
        };
        Ok((sel, offset))
    }

    /// An atomic load, store, read-modify-write or compare-exchange.
    pub(super) fn atomic_access(
        &mut self,
        access: AtomicAccess,
        memarg: MemArg,
    ) -> Result<(), CompileError> {
        let operands = match access.kind {
            AtomicKind::Load => 1,
            AtomicKind::Store | AtomicKind::Rmw(_) => 2,
            AtomicKind::Cmpxchg => 3,
        };
        let (memory, offset) = self.atomic_memarg(memarg, operands, access.width)?;
        let base = self.take_args(operands);
        let width = access.width;
        self.emit(match access.kind {
            AtomicKind::Load => Op::AtomicLoad { base, offset, memory, width },
            AtomicKind::Store => Op::AtomicStore { base, offset, memory, width },
            AtomicKind::Rmw(op) => Op::AtomicRmw { base, offset, memory, width, op },
            AtomicKind::Cmpxchg => Op::AtomicCmpxchg { base, offset, memory, width },
        });
        if access.kind != AtomicKind::Store {
            self.push_temp(if access.is_64 { ValType::I64 } else { ValType::I32 });
        }
        Ok(())
    }

    /// `memory.atomic.wait32` (`width` 4) or `memory.atomic.wait64` (`width` 8).
    pub(super) fn memory_atomic_wait(
        &mut self,
        memarg: MemArg,
        width: u8,
    ) -> Result<(), CompileError> {
        let (memory, offset) = self.atomic_memarg(memarg, 3, width)?;
        let base = self.take_args(3);
        self.emit(Op::MemoryAtomicWait { base, offset, memory, width });
        self.push_temp(ValType::I32);
        Ok(())
    }

    /// `memory.atomic.notify`.
    pub(super) fn memory_atomic_notify(&mut self, memarg: MemArg) -> Result<(), CompileError> {
        let (memory, offset) = self.atomic_memarg(memarg, 2, 4)?;
        let base = self.take_args(2);
        self.emit(Op::MemoryAtomicNotify { base, offset, memory });
        self.push_temp(ValType::I32);
        Ok(())
    }
}
