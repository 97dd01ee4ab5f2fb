//! Numeric instructions: constants, integer and float arithmetic, comparisons, conversions
//! (trapping and saturating), sign extension and reinterpretation. [`super::visit`] names
//! the Cranelift instruction of each; the shapes are here.
//!
//! Cranelift's operators already have wasm semantics where it matters: `sdiv`/`udiv`/
//! `srem`/`urem` trap on zero (and `sdiv` on overflow) with the built-in trap codes,
//! `srem` of `INT_MIN` by `-1` is 0, shifts and rotates mask their amount, `fmin`/`fmax`
//! propagate NaN and order -0 before +0, and `fcvt_to_*int` trap with `integer overflow` or
//! `bad conversion to integer` exactly where wasm's `trunc` does.

use super::Translator;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;
use kiln_runtime_support::CompileError;

impl Translator<'_, '_> {
    /// `i32.const`.
    pub(super) fn const_i32(&mut self, value: i32) -> Result<(), CompileError> {
        let v = self.b.ins().iconst(I32, i64::from(value as u32));
        self.push(v);
        Ok(())
    }

    /// `i64.const`.
    pub(super) fn const_i64(&mut self, value: i64) -> Result<(), CompileError> {
        let v = self.b.ins().iconst(I64, value);
        self.push(v);
        Ok(())
    }

    /// `f32.const`, bit for bit.
    pub(super) fn const_f32(&mut self, value: wasmparser::Ieee32) -> Result<(), CompileError> {
        let v = self.b.ins().f32const(ir::immediates::Ieee32::with_bits(value.bits()));
        self.push(v);
        Ok(())
    }

    /// `f64.const`, bit for bit.
    pub(super) fn const_f64(&mut self, value: wasmparser::Ieee64) -> Result<(), CompileError> {
        let v = self.b.ins().f64const(ir::immediates::Ieee64::with_bits(value.bits()));
        self.push(v);
        Ok(())
    }

    /// A unary operator: pops one operand, pushes `f` of it.
    pub(super) fn unop(
        &mut self,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value,
    ) -> Result<(), CompileError> {
        let x = self.pop();
        let r = f(&mut self.b, x);
        self.push(r);
        Ok(())
    }

    /// A binary operator: pops two operands, pushes `f` of them (in push order).
    pub(super) fn binop(
        &mut self,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) -> Result<(), CompileError> {
        let y = self.pop();
        let x = self.pop();
        let r = f(&mut self.b, x, y);
        self.push(r);
        Ok(())
    }

    /// An integer comparison: an `i32` 0 or 1.
    pub(super) fn icmp(&mut self, cc: IntCC) -> Result<(), CompileError> {
        self.binop(|b, x, y| {
            let c = b.ins().icmp(cc, x, y);
            b.ins().uextend(I32, c)
        })
    }

    /// A float comparison: an `i32` 0 or 1 (false when either operand is NaN, except `ne`).
    pub(super) fn fcmp(&mut self, cc: FloatCC) -> Result<(), CompileError> {
        self.binop(|b, x, y| {
            let c = b.ins().fcmp(cc, x, y);
            b.ins().uextend(I32, c)
        })
    }

    /// `i32.eqz`, `i64.eqz`.
    pub(super) fn eqz(&mut self) -> Result<(), CompileError> {
        self.unop(|b, x| {
            let c = b.ins().icmp_imm_u(IntCC::Equal, x, 0);
            b.ins().uextend(I32, c)
        })
    }

    /// Sign-extends the low `from` bits of a `to`-typed value.
    pub(super) fn extend_s(&mut self, from: ir::Type, to: ir::Type) -> Result<(), CompileError> {
        self.unop(|b, x| {
            let narrow = b.ins().ireduce(from, x);
            b.ins().sextend(to, narrow)
        })
    }

    /// Reinterprets the bits of the operand as type `to`.
    pub(super) fn reinterpret(&mut self, to: ir::Type) -> Result<(), CompileError> {
        self.unop(|b, x| b.ins().bitcast(to, MemFlagsData::new(), x))
    }
}
