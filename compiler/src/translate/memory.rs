//! Linear memory: loads and stores with either bounds-check mode, `memory.size`,
//! `memory.grow`, and the bulk-memory instructions (through builtins).
//!
//! Base and length are loaded from the VMContext at every access; the loads are tagged so
//! that Cranelift's alias analysis reuses them across heap stores, and with guard pages the
//! base is invariant and hoisted out of loops (see [`Translator::memory_base`]).

use super::Translator;
use crate::settings::BoundsChecks;
use crate::traps;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{F32, F64, I32, I64};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, Value};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::vm::builtins::Builtin;
use wasmparser::{MemArg, MemArgTarget, Operator};

/// How a load extends its value.
#[derive(Clone, Copy)]
enum Load {
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
    fn heap_addr(&mut self, memarg: &MemArg, size: u32) -> (Value, i32, MemFlagsData) {
        let index = self.pop();
        let MemArgTarget::Memory(mem) = memarg.target else {
            unreachable!("checked by memory_operator")
        };
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
        match i32::try_from(offset) {
            Ok(imm) => (addr, imm, flags),
            Err(_) => (self.b.ins().iadd_imm_u(addr, offset as i64), 0, flags),
        }
    }

    fn load(&mut self, memarg: &MemArg, ty: ir::Type, kind: Load) {
        let size = match kind {
            Load::Plain => ty.bytes(),
            Load::Signed(n) | Load::Unsigned(n) => u32::from(n),
        };
        let (addr, off, flags) = self.heap_addr(memarg, size);
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
    }

    /// Stores the low `size` bytes of the popped value.
    fn store(&mut self, memarg: &MemArg, size: u32) {
        let v = self.pop();
        let (addr, off, flags) = self.heap_addr(memarg, size);
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
    }

    /// Handles memory operators; returns `false` for other operators.
    pub(super) fn memory_operator(
        &mut self,
        op: &Operator<'_>,
        offset: usize,
    ) -> Result<bool, CompileError> {
        use Load::*;
        use Operator as O;
        if let Some(memarg) = memarg_of(op)
            && !matches!(memarg.target, MemArgTarget::Memory(_))
        {
            return Err(CompileError {
                offset: Some(offset),
                message: "GC array accesses are not supported".into(),
                unsupported: true,
            });
        }
        match *op {
            O::I32Load { ref memarg } => self.load(memarg, I32, Plain),
            O::I64Load { ref memarg } => self.load(memarg, I64, Plain),
            O::F32Load { ref memarg } => self.load(memarg, F32, Plain),
            O::F64Load { ref memarg } => self.load(memarg, F64, Plain),
            O::I32Load8S { ref memarg } => self.load(memarg, I32, Signed(1)),
            O::I32Load8U { ref memarg } => self.load(memarg, I32, Unsigned(1)),
            O::I32Load16S { ref memarg } => self.load(memarg, I32, Signed(2)),
            O::I32Load16U { ref memarg } => self.load(memarg, I32, Unsigned(2)),
            O::I64Load8S { ref memarg } => self.load(memarg, I64, Signed(1)),
            O::I64Load8U { ref memarg } => self.load(memarg, I64, Unsigned(1)),
            O::I64Load16S { ref memarg } => self.load(memarg, I64, Signed(2)),
            O::I64Load16U { ref memarg } => self.load(memarg, I64, Unsigned(2)),
            O::I64Load32S { ref memarg } => self.load(memarg, I64, Signed(4)),
            O::I64Load32U { ref memarg } => self.load(memarg, I64, Unsigned(4)),
            O::I32Store { ref memarg } | O::F32Store { ref memarg } => self.store(memarg, 4),
            O::I64Store { ref memarg } | O::F64Store { ref memarg } => self.store(memarg, 8),
            O::I32Store8 { ref memarg } | O::I64Store8 { ref memarg } => self.store(memarg, 1),
            O::I32Store16 { ref memarg } | O::I64Store16 { ref memarg } => self.store(memarg, 2),
            O::I64Store32 { ref memarg } => self.store(memarg, 4),
            O::MemorySize { mem } => {
                let len = self.memory_length(mem);
                let pages = self.b.ins().ushr_imm_u(len, 16);
                let pages = self.b.ins().ireduce(I32, pages);
                self.push(pages);
            }
            O::MemoryGrow { mem } => {
                let delta = self.pop();
                let mem = self.i32_const(mem);
                let r = self.call_builtin(Builtin::MemoryGrow, &[mem, delta]);
                self.push(r[0]);
            }
            O::MemoryFill { mem } => {
                let [dst, val, len] = self.popn(3).try_into().expect("3 operands");
                let mem = self.i32_const(mem);
                self.call_builtin(Builtin::MemoryFill, &[mem, dst, val, len]);
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
                let dm = self.i32_const(dst_mem);
                let sm = self.i32_const(src_mem);
                self.call_builtin(Builtin::MemoryCopy, &[dm, sm, dst, src, len]);
            }
            O::MemoryInit { data_index, mem } => {
                let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
                let m = self.i32_const(mem);
                let d = self.i32_const(data_index);
                self.call_builtin(Builtin::MemoryInit, &[m, d, dst, src, len]);
            }
            O::DataDrop { data_index } => {
                let d = self.i32_const(data_index);
                self.call_builtin(Builtin::DataDrop, &[d]);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The memory immediate of a load or store.
fn memarg_of<'a>(op: &'a Operator<'_>) -> Option<&'a MemArg> {
    use Operator as O;
    match op {
        O::I32Load { memarg }
        | O::I64Load { memarg }
        | O::F32Load { memarg }
        | O::F64Load { memarg }
        | O::I32Load8S { memarg }
        | O::I32Load8U { memarg }
        | O::I32Load16S { memarg }
        | O::I32Load16U { memarg }
        | O::I64Load8S { memarg }
        | O::I64Load8U { memarg }
        | O::I64Load16S { memarg }
        | O::I64Load16U { memarg }
        | O::I64Load32S { memarg }
        | O::I64Load32U { memarg }
        | O::I32Store { memarg }
        | O::I64Store { memarg }
        | O::F32Store { memarg }
        | O::F64Store { memarg }
        | O::I32Store8 { memarg }
        | O::I32Store16 { memarg }
        | O::I64Store8 { memarg }
        | O::I64Store16 { memarg }
        | O::I64Store32 { memarg } => Some(memarg),
        _ => None,
    }
}
