//! 128-bit SIMD and relaxed SIMD, lowered to Cranelift vector types.
//!
//! # `v128` on the operand stack
//!
//! A `v128` is one Cranelift vector value. Its *canonical* type is `i8x16`: the type of a
//! `v128` in signatures, locals, globals, block parameters and trampolines
//! ([`crate::abi::clif_type`]). On the operand stack a `v128` may have any 128-bit vector
//! type: an operator takes its operands in the lane type it computes with
//! ([`Translator::pop_as`], a `bitcast` when the type differs, which costs no instruction)
//! and pushes its result in whatever type Cranelift produced it, so a chain of operators of
//! one lane type needs no casts and Cranelift's instruction selection sees whole patterns
//! (for example `bitselect` of a `fcmp` as `minps`). Everything that takes values off the
//! stack for anything but a SIMD operator ([`Translator::pop`], [`Translator::popn`],
//! [`Translator::peekn`]: calls, branches, block results, locals, `select`, returns) gets
//! them in the canonical type.
//!
//! # Semantics
//!
//! Cranelift's vector instructions have wasm's semantics where the spec is deterministic
//! (shift counts taken modulo the lane width, `swizzle` selecting 0 for an index of 16 or
//! more, `fmin`/`fmax` propagating NaN and ordering -0 before +0, saturating conversions).
//! NaN results are not canonicalised: the spec allows any NaN (arithmetic NaNs where its
//! tests say so), which Cranelift's instructions give. Relaxed-SIMD instructions compute
//! exactly the semantics the interpreter documents (the relaxed-SIMD table of
//! `kiln_runtime_support::interp::ir`), so a module gives the same bits on both engines and
//! on every target; [`relaxed`] has the lowerings.
//!
//! # Targets
//!
//! The same IR serves every target; Cranelift picks the instructions: SSE up to SSE4.2 at
//! the x86-64-v2 baseline, AVX and AVX2 encodings and more under `--cpu native` on a host
//! that has them, NEON on aarch64. The only target-specific choice is the relaxed dot
//! product, which uses x86's `pmaddubsw` where it exists ([`super::ModuleEnv::x86_pmaddubsw`]).

mod lanes;
mod memory;
mod relaxed;
mod visit;

use super::Translator;
use cranelift_codegen::ir::types::I8X16;
use cranelift_codegen::ir::{self, ConstantData, Endianness, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;
use kiln_runtime_support::CompileError;

/// The flags of a `bitcast` between vector types: little-endian lane order, as wasm's.
fn lane_order() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// `v` as vector type `ty` (a `bitcast` when its type differs).
pub(super) fn cast(b: &mut FunctionBuilder<'_>, ty: ir::Type, v: Value) -> Value {
    if b.func.dfg.value_type(v) == ty { v } else { b.ins().bitcast(ty, lane_order(), v) }
}

impl Translator<'_, '_> {
    /// `v` in its canonical type: a `v128` as `i8x16` (see the module docs); other values
    /// as they are.
    pub(super) fn canonical(&mut self, v: Value) -> Value {
        let ty = self.b.func.dfg.value_type(v);
        if ty.is_vector() && ty != I8X16 { cast(&mut self.b, I8X16, v) } else { v }
    }

    /// A vector constant of type `ty` whose 16 bytes are `bits` (little-endian).
    pub(super) fn vector_const(&mut self, ty: ir::Type, bits: u128) -> Value {
        let handle =
            self.b.func.dfg.constants.insert(ConstantData::from(bits.to_le_bytes().as_slice()));
        self.b.ins().vconst(ty, handle)
    }

    /// Pops a `v128` operand as vector type `ty`.
    pub(super) fn pop_as(&mut self, ty: ir::Type) -> Value {
        let v = self.stack.pop().expect("operand stack underflow (module was validated)");
        cast(&mut self.b, ty, v)
    }

    /// A unary vector operator: pops one operand as `ty`, pushes `f` of it.
    pub(super) fn vunop(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value,
    ) -> Result<(), CompileError> {
        let x = self.pop_as(ty);
        let r = f(&mut self.b, x);
        self.push(r);
        Ok(())
    }

    /// A binary vector operator: pops two operands as `ty`, pushes `f` of them (in push
    /// order).
    pub(super) fn vbinop(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) -> Result<(), CompileError> {
        let y = self.pop_as(ty);
        let x = self.pop_as(ty);
        let r = f(&mut self.b, x, y);
        self.push(r);
        Ok(())
    }

    /// A ternary vector operator: pops three operands as `ty`, pushes `f` of them (in push
    /// order).
    pub(super) fn vternop(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value, Value) -> Value,
    ) -> Result<(), CompileError> {
        let z = self.pop_as(ty);
        let y = self.pop_as(ty);
        let x = self.pop_as(ty);
        let r = f(&mut self.b, x, y, z);
        self.push(r);
        Ok(())
    }

    /// A vector shift: pops the `i32` shift count and the vector (as `ty`); Cranelift's
    /// vector shifts take the count modulo the lane width, as wasm's do.
    pub(super) fn vshift(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) -> Result<(), CompileError> {
        let count = self.pop();
        let x = self.pop_as(ty);
        let r = f(&mut self.b, x, count);
        self.push(r);
        Ok(())
    }

    /// A vector operator with a scalar result (`any_true`, `all_true`, `bitmask`): pops one
    /// operand as `ty`, pushes the `i32` `f` gives (booleans, Cranelift's `i8`, are
    /// zero-extended).
    pub(super) fn vreduce(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value,
    ) -> Result<(), CompileError> {
        let x = self.pop_as(ty);
        let r = f(&mut self.b, x);
        let r =
            if self.b.func.dfg.value_type(r) == ir::types::I8 { self.bool_to_i32(r) } else { r };
        self.push(r);
        Ok(())
    }
}
