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
    /// bytes (offset included, see [`Self::with_offset`]), with the flags to use for it;
    /// emits the bounds check the mode needs (always an explicit one for a 64-bit memory).
    pub(super) fn heap_addr(
        &mut self,
        memarg: &MemArg,
        size: u32,
    ) -> Result<(Value, MemFlagsData), CompileError> {
        let MemArgTarget::Memory(mem) = memarg.target else {
            return Err(unsupported(Proposal::Gc, "array access", self.offset));
        };
        if self.memory64(mem) {
            return Ok(self.heap_addr64(mem, memarg.offset, size));
        }
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
        Ok((self.with_offset(addr, offset), flags))
    }

    /// [`Self::heap_addr`] for a 64-bit memory: `index + offset + size` is computed in 64
    /// bits, trapping when it overflows (the access is then out of bounds anyway), and
    /// compared with the memory's length.
    fn heap_addr64(&mut self, mem: u32, offset: u64, size: u32) -> (Value, MemFlagsData) {
        let index = self.pop();
        let oob = traps::MEMORY_OUT_OF_BOUNDS;
        let end = match offset.checked_add(u64::from(size)) {
            Some(static_end) => {
                let k = self.b.ins().iconst(I64, static_end as i64);
                self.b.ins().uadd_overflow_trap(index, k, oob)
            }
            None => {
                let k = self.b.ins().iconst(I64, offset as i64);
                let end = self.b.ins().uadd_overflow_trap(index, k, oob);
                let k = self.b.ins().iconst(I64, i64::from(size));
                self.b.ins().uadd_overflow_trap(end, k, oob)
            }
        };
        let length = self.memory_length(mem);
        let out = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, length);
        self.b.ins().trapnz(out, oob);
        let base = self.memory_base(mem);
        let addr = self.b.ins().iadd(base, index);
        let flags = self.heap_flags().with_trap_code(None);
        (self.with_offset(addr, offset), flags)
    }

    /// `addr + offset`: the access's own address. The static offset is an `iadd` rather than
    /// the access instruction's immediate, the form wasmtime hands Cranelift. Cranelift's
    /// egraph rematerializes the `iadd` beside each use and the backend folds it back into
    /// the addressing mode, so each access's machine code is unchanged; what changes is the
    /// register allocator's view of the function, which with the immediate form had
    /// diverged from wasmtime's on large interpreter loops (Lua's `luaV_execute` built with
    /// `-msimd128` ran 10% slower than under wasmtime, and at par with this form).
    fn with_offset(&mut self, addr: Value, offset: u64) -> Value {
        if offset == 0 { addr } else { self.b.ins().iadd_imm_u(addr, offset as i64) }
    }

    /// Whether memory `mem` is a 64-bit memory (memory64).
    pub(super) fn memory64(&self, mem: u32) -> bool {
        self.env.module.memories[mem as usize].index_type.is_64()
    }

    /// `v` (an `i32` or `i64` address, size or length) as the `i64` the builtins take.
    pub(super) fn extend_to_i64(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == I64 { v } else { self.b.ins().uextend(I64, v) }
    }

    /// A builtin's `i64` result as a value of a memory's or table's index type (`-1` stays
    /// `-1`).
    pub(super) fn narrow_to_index(&mut self, v: Value, wide: bool) -> Value {
        if wide { v } else { self.b.ins().ireduce(I32, v) }
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
        let (addr, flags) = self.heap_addr(memarg, size)?;
        let ins = self.b.ins();
        let v = match kind {
            Load::Plain => ins.load(ty, flags, addr, 0),
            Load::Signed(1) => ins.sload8(ty, flags, addr, 0),
            Load::Unsigned(1) => ins.uload8(ty, flags, addr, 0),
            Load::Signed(2) => ins.sload16(ty, flags, addr, 0),
            Load::Unsigned(2) => ins.uload16(ty, flags, addr, 0),
            Load::Signed(_) => ins.sload32(flags, addr, 0),
            Load::Unsigned(_) => ins.uload32(flags, addr, 0),
        };
        self.push(v);
        Ok(())
    }

    /// Stores the low `size` bytes of the popped value.
    pub(super) fn store(&mut self, memarg: &MemArg, size: u32) -> Result<(), CompileError> {
        let v = self.pop();
        let (addr, flags) = self.heap_addr(memarg, size)?;
        let ty = self.b.func.dfg.value_type(v);
        let ins = self.b.ins();
        if size == ty.bytes() {
            ins.store(flags, v, addr, 0);
        } else if size == 1 {
            ins.istore8(flags, v, addr, 0);
        } else if size == 2 {
            ins.istore16(flags, v, addr, 0);
        } else {
            ins.istore32(flags, v, addr, 0);
        }
        Ok(())
    }

    /// `memory.size`: the length in 64 KiB pages.
    pub(super) fn memory_size(&mut self, mem: u32) -> Result<(), CompileError> {
        let len = self.memory_length(mem);
        let pages = self.b.ins().ushr_imm_u(len, 16);
        let pages = self.narrow_to_index(pages, self.memory64(mem));
        self.push(pages);
        Ok(())
    }

    /// `memory.grow` (a builtin).
    pub(super) fn memory_grow(&mut self, mem: u32) -> Result<(), CompileError> {
        let delta = self.pop();
        let delta = self.extend_to_i64(delta);
        let m = self.i32_const(mem);
        let r = self.call_builtin(Builtin::MemoryGrow, &[m, delta]);
        let r = self.narrow_to_index(r[0], self.memory64(mem));
        self.push(r);
        Ok(())
    }

    /// `memory.fill` (a builtin).
    pub(super) fn memory_fill(&mut self, mem: u32) -> Result<(), CompileError> {
        let [dst, val, len] = self.popn(3).try_into().expect("3 operands");
        let (dst, len) = (self.extend_to_i64(dst), self.extend_to_i64(len));
        let mem = self.i32_const(mem);
        self.call_builtin(Builtin::MemoryFill, &[mem, dst, val, len]);
        Ok(())
    }

    /// `memory.copy` (a builtin).
    pub(super) fn memory_copy(&mut self, dst_mem: u32, src_mem: u32) -> Result<(), CompileError> {
        let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
        let (dst, src, len) =
            (self.extend_to_i64(dst), self.extend_to_i64(src), self.extend_to_i64(len));
        let dm = self.i32_const(dst_mem);
        let sm = self.i32_const(src_mem);
        self.call_builtin(Builtin::MemoryCopy, &[dm, sm, dst, src, len]);
        Ok(())
    }

    /// `memory.init` (a builtin).
    pub(super) fn memory_init(&mut self, data_index: u32, mem: u32) -> Result<(), CompileError> {
        let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
        let dst = self.extend_to_i64(dst);
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
