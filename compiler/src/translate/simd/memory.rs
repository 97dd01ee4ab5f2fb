//! `v128` loads and stores: whole vectors, the extending loads (`v128.load8x8_s` ...), splat
//! and zero loads, and the lane loads and stores. Each goes through the same address
//! computation as a scalar access ([`Translator::heap_addr`]), so it gets the same bounds
//! check or guard-page trap site, sized by the bytes it touches.

use super::super::Translator;
use cranelift_codegen::ir::{self, InstBuilder};
use kiln_runtime_support::CompileError;
use wasmparser::MemArg;

/// The extending loads: 8 bytes read as eight `i8`, four `i16` or two `i32` lanes, each
/// sign- or zero-extended to twice its width.
#[derive(Clone, Copy)]
pub(in super::super) enum LoadExtend {
    /// `v128.load8x8_s`.
    S8x8,
    /// `v128.load8x8_u`.
    U8x8,
    /// `v128.load16x4_s`.
    S16x4,
    /// `v128.load16x4_u`.
    U16x4,
    /// `v128.load32x2_s`.
    S32x2,
    /// `v128.load32x2_u`.
    U32x2,
}

impl Translator<'_, '_> {
    /// An extending load (`v128.load{8x8,16x4,32x2}_{s,u}`), Cranelift's `sload8x8` ...
    /// `uload32x2`.
    pub(in super::super) fn v128_load_extend(
        &mut self,
        memarg: &MemArg,
        kind: LoadExtend,
    ) -> Result<(), CompileError> {
        let (addr, flags) = self.heap_addr(memarg, 8)?;
        let ins = self.b.ins();
        let v = match kind {
            LoadExtend::S8x8 => ins.sload8x8(flags, addr, 0),
            LoadExtend::U8x8 => ins.uload8x8(flags, addr, 0),
            LoadExtend::S16x4 => ins.sload16x4(flags, addr, 0),
            LoadExtend::U16x4 => ins.uload16x4(flags, addr, 0),
            LoadExtend::S32x2 => ins.sload32x2(flags, addr, 0),
            LoadExtend::U32x2 => ins.uload32x2(flags, addr, 0),
        };
        self.push(v);
        Ok(())
    }

    /// `v128.load{8,16,32,64}_splat`: one lane of `ty`'s lane type, copied to every lane.
    pub(in super::super) fn v128_load_splat(
        &mut self,
        memarg: &MemArg,
        ty: ir::Type,
    ) -> Result<(), CompileError> {
        let lane = ty.lane_type();
        let (addr, flags) = self.heap_addr(memarg, lane.bytes())?;
        let x = self.b.ins().load(lane, flags, addr, 0);
        let v = self.b.ins().splat(ty, x);
        self.push(v);
        Ok(())
    }

    /// `v128.load{32,64}_zero`: one lane of `ty`'s lane type into lane 0, the others zero.
    pub(in super::super) fn v128_load_zero(
        &mut self,
        memarg: &MemArg,
        ty: ir::Type,
    ) -> Result<(), CompileError> {
        let lane = ty.lane_type();
        let (addr, flags) = self.heap_addr(memarg, lane.bytes())?;
        let x = self.b.ins().load(lane, flags, addr, 0);
        let v = self.b.ins().scalar_to_vector(ty, x);
        self.push(v);
        Ok(())
    }

    /// `v128.load{8,16,32,64}_lane`: the popped vector (as `ty`) with lane `lane` loaded.
    pub(in super::super) fn v128_load_lane(
        &mut self,
        memarg: &MemArg,
        ty: ir::Type,
        lane: u8,
    ) -> Result<(), CompileError> {
        let v = self.pop_as(ty);
        let (addr, flags) = self.heap_addr(memarg, ty.lane_type().bytes())?;
        let x = self.b.ins().load(ty.lane_type(), flags, addr, 0);
        let r = self.b.ins().insertlane(v, x, lane);
        self.push(r);
        Ok(())
    }

    /// `v128.store{8,16,32,64}_lane`: stores lane `lane` of the popped vector (as `ty`).
    pub(in super::super) fn v128_store_lane(
        &mut self,
        memarg: &MemArg,
        ty: ir::Type,
        lane: u8,
    ) -> Result<(), CompileError> {
        let v = self.pop_as(ty);
        let (addr, flags) = self.heap_addr(memarg, ty.lane_type().bytes())?;
        let x = self.b.ins().extractlane(v, lane);
        self.b.ins().store(flags, x, addr, 0);
        Ok(())
    }
}
