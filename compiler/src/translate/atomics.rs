//! Threads operators: the atomic accesses of runtime-support's
//! [`kiln_runtime_support::for_each_atomic_access!`] with Cranelift's `atomic_load`,
//! `atomic_store`, `atomic_rmw` and `atomic_cas`, `atomic.fence` with `fence`, and
//! `memory.atomic.wait32/64` and `memory.atomic.notify` through builtins.
//!
//! Every atomic access checks its address explicitly, in the order the interpreter does
//! ([`kiln_runtime_support::atomics::effective_address`]): an effective address that is not
//! a multiple of the access width traps `unaligned atomic`, then one whose bytes pass the
//! memory's end (or whose computation overflows) traps `out of bounds memory access`; the
//! access itself then never faults (atomic instructions are never trap sites, whatever the
//! bounds-check mode). The memory's length is loaded fresh for each atomic access (no alias
//! region), so a thread sees another's growth of a shared memory at its next atomic access.
//!
//! Whether a memory is shared is known when compiling: a wait on an unshared memory traps
//! `expected shared memory` (after the address checks) and a notify on one gives 0,
//! without calling the runtime.

use super::Translator;
use super::proposal::{Proposal, unsupported};
use crate::abi::{POINTER, offsets};
use crate::traps;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I8, I16, I32, I64};
use cranelift_codegen::ir::{self, AtomicRmwOp, InstBuilder, MemFlagsData, Value};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::atomics::{AtomicAccess, AtomicKind, RmwOp};
use kiln_runtime_support::vm::builtins::Builtin;
use wasmparser::{MemArg, MemArgTarget};

/// The Cranelift type of an access of `width` bytes.
fn access_type(width: u8) -> ir::Type {
    match width {
        1 => I8,
        2 => I16,
        4 => I32,
        _ => I64,
    }
}

impl Translator<'_, '_> {
    /// Pops the address operand of an atomic access of `width` bytes with `memarg` and
    /// checks it (see the module documentation). Returns the memory index, the effective
    /// address (`i64`) and the native address.
    fn atomic_address(
        &mut self,
        memarg: &MemArg,
        width: u8,
    ) -> Result<(u32, Value, Value), CompileError> {
        let MemArgTarget::Memory(mem) = memarg.target else {
            return Err(unsupported(Proposal::Gc, "array access", self.offset));
        };
        let index = self.pop();
        let index = self.extend_to_i64(index);
        let offset = memarg.offset;
        // The alignment of the wrapping sum, as the interpreter checks it.
        let ea = self.b.ins().iadd_imm_u(index, offset as i64);
        if width > 1 {
            let misaligned = self.b.ins().band_imm_u(ea, i64::from(width - 1));
            self.b.ins().trapnz(misaligned, traps::UNALIGNED_ATOMIC);
        }
        let oob = traps::MEMORY_OUT_OF_BOUNDS;
        let end = match offset.checked_add(u64::from(width)) {
            Some(static_end) => {
                let k = self.b.ins().iconst(I64, static_end as i64);
                self.b.ins().uadd_overflow_trap(index, k, oob)
            }
            None => {
                // An offset within `width` bytes of 2^64: every access is out of bounds.
                let one = self.b.ins().iconst(I32, 1);
                self.b.ins().trapnz(one, oob);
                ea
            }
        };
        let (p, off) = self.memory_definition(mem);
        // No alias region: reloaded at every atomic access (another thread may have grown
        // a shared memory).
        let length =
            self.b.ins().load(POINTER, MemFlagsData::trusted(), p, off + offsets::MEMORY_LENGTH);
        let out = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, length);
        self.b.ins().trapnz(out, oob);
        let base = self.memory_base(mem);
        let addr = self.b.ins().iadd(base, ea);
        Ok((mem, ea, addr))
    }

    /// Flags of an atomic access: checked, so never trapping; aligned.
    fn atomic_flags(&self) -> MemFlagsData {
        self.heap_flags().with_trap_code(None).with_aligned()
    }

    /// An atomic load, store, read-modify-write or compare-exchange.
    pub(super) fn atomic_access(
        &mut self,
        access: AtomicAccess,
        memarg: &MemArg,
    ) -> Result<(), CompileError> {
        let ty = if access.is_64 { I64 } else { I32 };
        let narrow = access_type(access.width);
        // Operands after the address, narrowed to the access width.
        let operands = match access.kind {
            AtomicKind::Load => 0,
            AtomicKind::Store | AtomicKind::Rmw(_) => 1,
            AtomicKind::Cmpxchg => 2,
        };
        let mut values = self.popn(operands);
        for v in &mut values {
            if narrow != ty {
                *v = self.b.ins().ireduce(narrow, *v);
            }
        }
        let (_, _, addr) = self.atomic_address(memarg, access.width)?;
        let flags = self.atomic_flags();
        let old = match access.kind {
            AtomicKind::Load => self.b.ins().atomic_load(narrow, flags, addr),
            AtomicKind::Store => {
                self.b.ins().atomic_store(flags, values[0], addr);
                return Ok(());
            }
            AtomicKind::Rmw(op) => {
                let op = match op {
                    RmwOp::Add => AtomicRmwOp::Add,
                    RmwOp::Sub => AtomicRmwOp::Sub,
                    RmwOp::And => AtomicRmwOp::And,
                    RmwOp::Or => AtomicRmwOp::Or,
                    RmwOp::Xor => AtomicRmwOp::Xor,
                    RmwOp::Xchg => AtomicRmwOp::Xchg,
                };
                self.b.ins().atomic_rmw(narrow, flags, op, addr, values[0])
            }
            AtomicKind::Cmpxchg => self.b.ins().atomic_cas(flags, addr, values[0], values[1]),
        };
        let result = if narrow == ty { old } else { self.b.ins().uextend(ty, old) };
        self.push(result);
        Ok(())
    }

    /// `memory.atomic.wait32` (`width` 4) or `memory.atomic.wait64` (`width` 8).
    pub(super) fn memory_atomic_wait(
        &mut self,
        memarg: &MemArg,
        width: u8,
    ) -> Result<(), CompileError> {
        let [expected, timeout] = self.popn(2).try_into().expect("2 operands");
        let (mem, ea, _) = self.atomic_address(memarg, width)?;
        if !self.env.module.memories[mem as usize].shared {
            let one = self.b.ins().iconst(I32, 1);
            self.b.ins().trapnz(one, traps::EXPECTED_SHARED_MEMORY);
            let zero = self.b.ins().iconst(I32, 0);
            self.push(zero);
            return Ok(());
        }
        let m = self.i32_const(mem);
        let builtin =
            if width == 4 { Builtin::MemoryAtomicWait32 } else { Builtin::MemoryAtomicWait64 };
        let r = self.call_builtin(builtin, &[m, ea, expected, timeout]);
        self.push(r[0]);
        Ok(())
    }

    /// `memory.atomic.notify`.
    pub(super) fn memory_atomic_notify(&mut self, memarg: &MemArg) -> Result<(), CompileError> {
        let count = self.pop();
        let (mem, ea, _) = self.atomic_address(memarg, 4)?;
        if !self.env.module.memories[mem as usize].shared {
            let zero = self.b.ins().iconst(I32, 0);
            self.push(zero);
            return Ok(());
        }
        let m = self.i32_const(mem);
        let r = self.call_builtin(Builtin::MemoryAtomicNotify, &[m, ea, count]);
        self.push(r[0]);
        Ok(())
    }

    /// `atomic.fence`.
    pub(super) fn atomic_fence(&mut self) -> Result<(), CompileError> {
        self.b.ins().fence();
        Ok(())
    }
}
