//! Lane movement: `v128.const`, `i8x16.shuffle`, `i8x16.swizzle`, splats, and lane extraction
//! and replacement.

use super::super::Translator;
use cranelift_codegen::ir::types::{I8, I8X16, I16, I32};
use cranelift_codegen::ir::{self, ConstantData, InstBuilder};
use kiln_runtime_support::CompileError;

impl Translator<'_, '_> {
    /// `v128.const`: the 16 bytes as an `i8x16` constant.
    pub(in super::super) fn v128_const(
        &mut self,
        value: &wasmparser::V128,
    ) -> Result<(), CompileError> {
        let v = self.vector_const(I8X16, u128::from_le_bytes(*value.bytes()));
        self.push(v);
        Ok(())
    }

    /// `i8x16.shuffle`: byte `i` of the result is byte `lanes[i]` of the two operands
    /// concatenated (validation keeps every index below 32).
    pub(in super::super) fn i8x16_shuffle(&mut self, lanes: [u8; 16]) -> Result<(), CompileError> {
        let y = self.pop_as(I8X16);
        let x = self.pop_as(I8X16);
        let mask = self.b.func.dfg.immediates.push(ConstantData::from(lanes.as_slice()));
        let r = self.b.ins().shuffle(x, y, mask);
        self.push(r);
        Ok(())
    }

    /// A splat to vector type `ty` of the popped scalar (`i32` operands of the `i8x16` and
    /// `i16x8` splats are truncated to the lane first).
    pub(in super::super) fn splat(&mut self, ty: ir::Type) -> Result<(), CompileError> {
        let x = self.pop();
        let lane = ty.lane_type();
        let x = if matches!(lane, I8 | I16) { self.b.ins().ireduce(lane, x) } else { x };
        let r = self.b.ins().splat(ty, x);
        self.push(r);
        Ok(())
    }

    /// `extract_lane` of lane `lane` of a vector of type `ty`; the `i8` and `i16` lanes are
    /// extended to `i32` (`signed` says how).
    pub(in super::super) fn extract_lane(
        &mut self,
        ty: ir::Type,
        lane: u8,
        signed: bool,
    ) -> Result<(), CompileError> {
        let v = self.pop_as(ty);
        let x = self.b.ins().extractlane(v, lane);
        let x = match (ty.lane_type(), signed) {
            (I8 | I16, true) => self.b.ins().sextend(I32, x),
            (I8 | I16, false) => self.b.ins().uextend(I32, x),
            _ => x,
        };
        self.push(x);
        Ok(())
    }

    /// `replace_lane` of lane `lane` of a vector of type `ty` by the popped scalar (an `i32`
    /// truncated to `i8` or `i16` lanes).
    pub(in super::super) fn replace_lane(
        &mut self,
        ty: ir::Type,
        lane: u8,
    ) -> Result<(), CompileError> {
        let x = self.pop();
        let v = self.pop_as(ty);
        let lane_ty = ty.lane_type();
        let x = if matches!(lane_ty, I8 | I16) { self.b.ins().ireduce(lane_ty, x) } else { x };
        let r = self.b.ins().insertlane(v, x, lane);
        self.push(r);
        Ok(())
    }
}
