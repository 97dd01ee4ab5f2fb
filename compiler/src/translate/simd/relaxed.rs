//! Relaxed SIMD with Kiln's deterministic semantics, and the pseudo-minimum and -maximum that
//! share their shape.
//!
//! Each relaxed instruction computes the one semantics the interpreter documents (the
//! relaxed-SIMD table of `kiln_runtime_support::interp::ir`), on every target:
//! - `relaxed_swizzle`, `relaxed_trunc*`, `relaxed_laneselect` and `relaxed_q15mulr_s` are
//!   their deterministic counterparts (`swizzle`, the saturating truncations, `bitselect`,
//!   `sqmul_round_sat`), lowered in [`super::visit`];
//! - `relaxed_madd`/`relaxed_nmadd` multiply, round, add, round: `fmul` then `fadd`, never a
//!   fused `fma`;
//! - `relaxed_min(a, b)` is `a < b ? a : b` and `relaxed_max(a, b)` is `b < a ? a : b` per
//!   lane, the second operand when either is NaN or both are zeros: x86's `minps`/`maxps`
//!   order, which Cranelift selects for exactly this `bitselect` of a `fcmp` on x86 and
//!   computes with a compare and a bit select elsewhere;
//! - the dot products use x86's `pmaddubsw` semantics (lanes of the first operand signed,
//!   of the second unsigned, adjacent products summed with signed saturation to `i16`):
//!   Cranelift's `x86_pmaddubsw` where the target has it, the same computation with
//!   widening multiplies, a deinterleave and a saturating add elsewhere.

use super::super::Translator;
use super::cast;
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::types::{I8X16, I16X8};
use cranelift_codegen::ir::{self, ConstantData, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;

/// Per lane `l < r ? t : f`, for float vectors of type `ty` (a `bitselect` of the `fcmp`
/// mask, the shape Cranelift's x86 backend turns into `minps`/`maxps` when `t`, `f` are
/// `l`, `r` or `r`, `l`).
pub(super) fn select_lt(
    b: &mut FunctionBuilder<'_>,
    ty: ir::Type,
    (l, r): (Value, Value),
    t: Value,
    f: Value,
) -> Value {
    let mask = b.ins().fcmp(FloatCC::LessThan, l, r);
    let mask = cast(b, ty, mask);
    b.ins().bitselect(mask, t, f)
}

/// The shuffle mask that takes the even `i16` lanes of two vectors, first's then second's.
const EVEN_I16_LANES: [u8; 16] = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29];
/// The shuffle mask that takes the odd `i16` lanes of two vectors, first's then second's.
const ODD_I16_LANES: [u8; 16] = [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31];

impl Translator<'_, '_> {
    /// x86 `pmaddubsw` semantics on `i8x16` operands: lane `i` of the `i16x8` result is
    /// `sat16(a[2i] * b[2i] + a[2i+1] * b[2i+1])`, lanes of `a` signed, of `b` unsigned.
    pub(super) fn dot_i8x16_u8x16_sat(&mut self, a: Value, b: Value) -> Value {
        if self.env.x86_pmaddubsw {
            return self.b.ins().x86_pmaddubsw(a, b);
        }
        // Each product fits an i16 (|-128 * 255| < 2^15); the pair sums may not.
        let ins = &mut self.b;
        let (al, bl) = (ins.ins().swiden_low(a), ins.ins().uwiden_low(b));
        let lo = ins.ins().imul(al, bl);
        let (ah, bh) = (ins.ins().swiden_high(a), ins.ins().uwiden_high(b));
        let hi = ins.ins().imul(ah, bh);
        let (lo, hi) = (cast(ins, I8X16, lo), cast(ins, I8X16, hi));
        let even = ins.func.dfg.immediates.push(ConstantData::from(EVEN_I16_LANES.as_slice()));
        let odd = ins.func.dfg.immediates.push(ConstantData::from(ODD_I16_LANES.as_slice()));
        let evens = ins.ins().shuffle(lo, hi, even);
        let odds = ins.ins().shuffle(lo, hi, odd);
        let (evens, odds) = (cast(ins, I16X8, evens), cast(ins, I16X8, odds));
        ins.ins().sadd_sat(evens, odds)
    }

    /// `i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b, c)`: the `i16x8` dot above, adjacent lanes
    /// summed to `i32` (exactly), plus `c` (wrapping).
    pub(super) fn dot_i8x16_u8x16_add(&mut self, a: Value, b: Value, c: Value) -> Value {
        let d = self.dot_i8x16_u8x16_sat(a, b);
        let lo = self.b.ins().swiden_low(d);
        let hi = self.b.ins().swiden_high(d);
        let sums = self.b.ins().iadd_pairwise(lo, hi);
        self.b.ins().iadd(sums, c)
    }
}
