//! Linear memory: loads and stores with either bounds-check mode, `memory.size`,
//! `memory.grow`, and the bulk-memory instructions (through builtins).
//!
//! Base and length are loaded from the VMContext at every access; the loads are tagged so
//! that Cranelift's alias analysis reuses them across heap stores, and with guard pages the
//! base is invariant and hoisted out of loops (see [`Translator::memory_base`]).

use super::Translator;
use super::proposal::{Proposal, unsupported};
use crate::settings::BoundsChecks;
use crate::traps;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, Value};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::vm::builtins::Builtin;
use wasmparser::{MemArg, MemArgTarget};

/// How a load extends its value.
#[derive(Clone, Copy)]
pub(super) enum Load {
    /// A full-width load of the type.
    Plain,
    /// Load `bytes` and sign-extend.
    Signed(u8),
    /// Load `bytes` and zero-extend.
    Unsigned(u8),
}

impl Translator<'_, '_> {
    /// Pops the address operand and computes the native address of an access of `size`
    /// bytes, with the flags to use for it; emits the bounds check the mode needs.
    pub(super) fn heap_addr(
        &mut self,
        memarg: &MemArg,
        size: u32,
    ) -> Result<(Value, i32, MemFlagsData), CompileError> {
        let MemArgTarget::Memory(mem) = memarg.target else {
            return Err(unsupported(Proposal::Gc, "array access", self.offset));
        };
        let index = self.pop();
        let offset = memarg.offset;
        let index = self.b.ins().uextend(I64, index);
        let settings = self.env.settings;
        let static_end = offset + u64::from(size);
        let checked = match settings.bounds_checks {
            BoundsChecks::GuardPages => static_end > settings.guard_bytes,
            BoundsChecks::Explicit => true,
        };
        let flags = self.heap_flags();
        let flags = if checked {
            // index + offset + size <= length; cannot overflow in 64 bits.
            let end = self.b.ins().iadd_imm_u(index, static_end as i64);
            let length = self.memory_length(mem);
            let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, length);
            self.b.ins().trapnz(oob, traps::MEMORY_OUT_OF_BOUNDS);
            flags.with_trap_code(None)
        } else {
            flags.with_trap_code(Some(traps::MEMORY_OUT_OF_BOUNDS))
        };
        let base = self.memory_base(mem);
        let addr = self.b.ins().iadd(base, index);
        Ok(match i32::try_from(offset) {
            Ok(imm) => (addr, imm, flags),
            Err(_) => (self.b.ins().iadd_imm_u(addr, offset as i64), 0, flags),
        })
    }

    /// A load of type `ty`, extended per `kind`.
    pub(super) fn load(
        &mut self,
        memarg: &MemArg,
        ty: ir::Type,
        kind: Load,
    ) -> Result<(), CompileError> {
        let size = match kind {
            Load::Plain => ty.bytes(),
            Load::Signed(n) | Load::Unsigned(n) => u32::from(n),
        };
        let (addr, off, flags) = self.heap_addr(memarg, size)?;
        let ins = self.b.ins();
        let v = match kind {
            Load::Plain => ins.load(ty, flags, addr, off),
            Load::Signed(1) => ins.sload8(ty, flags, addr, off),
            Load::Unsigned(1) => ins.uload8(ty, flags, addr, off),
            Load::Signed(2) => ins.sload16(ty, flags, addr, off),
            Load::Unsigned(2) => ins.uload16(ty, flags, addr, off),
            Load::Signed(_) => ins.sload32(flags, addr, off),
            Load::Unsigned(_) => ins.uload32(flags, addr, off),
        };
        self.push(v);
        Ok(())
    }

    /// Stores the low `size` bytes of the popped value.
    pub(super) fn store(&mut self, memarg: &MemArg, size: u32) -> Result<(), CompileError> {
        let v = self.pop();
        let (addr, off, flags) = self.heap_addr(memarg, size)?;
        let ty = self.b.func.dfg.value_type(v);
        let ins = self.b.ins();
        if size == ty.bytes() {
            ins.store(flags, v, addr, off);
        } else if size == 1 {
            ins.istore8(flags, v, addr, off);
        } else if size == 2 {
            ins.istore16(flags, v, addr, off);
        } else {
            ins.istore32(flags, v, addr, off);
        }
        Ok(())
    }

    /// `memory.size`: the length in 64 KiB pages.
    pub(super) fn memory_size(&mut self, mem: u32) -> Result<(), CompileError> {
        let len = self.memory_length(mem);
        let pages = self.b.ins().ushr_imm_u(len, 16);
        let pages = self.b.ins().ireduce(I32, pages);
        self.push(pages);
        Ok(())
    }

    /// `memory.grow` (a builtin).
    pub(super) fn memory_grow(&mut self, mem: u32) -> Result<(), CompileError> {
        let delta = self.pop();
        let mem = self.i32_const(mem);
        let r = self.call_builtin(Builtin::MemoryGrow, &[mem, delta]);
        self.push(r[0]);
        Ok(())
    }

    /// `memory.fill` (a builtin).
    pub(super) fn memory_fill(&mut self, mem: u32) -> Result<(), CompileError> {
        let [dst, val, len] = self.popn(3).try_into().expect("3 operands");
        let mem = self.i32_const(mem);
        self.call_builtin(Builtin::MemoryFill, &[mem, dst, val, len]);
        Ok(())
    }

    /// `memory.copy` (a builtin).
    pub(super) fn memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<(), CompileError> {
        let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
        let dm = self.i32_const(dst_mem);
        let sm = self.i32_const(src_mem);
        self.call_builtin(Builtin::MemoryCopy, &[dm, sm, dst, src, len]);
        Ok(())
    }

    /// `memory.init` (a builtin).
    pub(super) fn memory_init(&mut self, data_index: u32, mem: u32) -> Result<(), CompileError> {
        let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
        let m = self.i32_const(mem);
        let d = self.i32_const(data_index);
        self.call_builtin(Builtin::MemoryInit, &[m, d, dst, src, len]);
        Ok(())
    }

    /// `data.drop` (a builtin).
    pub(super) fn data_drop(&mut self, data_index: u32) -> Result<(), CompileError> {
        let d = self.i32_const(data_index);
        self.call_builtin(Builtin::DataDrop, &[d]);
        Ok(())
    }
}
