//! Numeric instructions: constants, integer and float arithmetic, comparisons, conversions
//! (trapping and saturating), sign extension and reinterpretation.
//!
//! Cranelift's operators already have wasm semantics where it matters: `sdiv`/`udiv`/
//! `srem`/`urem` trap on zero (and `sdiv` on overflow) with the built-in trap codes,
//! `srem` of `INT_MIN` by `-1` is 0, shifts and rotates mask their amount, `fmin`/`fmax`
//! propagate NaN and order -0 before +0, and `fcvt_to_*int` trap with `integer overflow` or
//! `bad conversion to integer` exactly where wasm's `trunc` does.

use super::Translator;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32, F64, I8, I16, I32, I64};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;
use wasmparser::Operator;

impl Translator<'_, '_> {
    fn unop(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let x = self.pop();
        let r = f(&mut self.b, x);
        self.push(r);
    }

    fn binop(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value) {
        let y = self.pop();
        let x = self.pop();
        let r = f(&mut self.b, x, y);
        self.push(r);
    }

    fn icmp(&mut self, cc: IntCC) {
        self.binop(|b, x, y| {
            let c = b.ins().icmp(cc, x, y);
            b.ins().uextend(I32, c)
        });
    }

    fn fcmp(&mut self, cc: FloatCC) {
        self.binop(|b, x, y| {
            let c = b.ins().fcmp(cc, x, y);
            b.ins().uextend(I32, c)
        });
    }

    fn eqz(&mut self) {
        self.unop(|b, x| {
            let c = b.ins().icmp_imm_u(IntCC::Equal, x, 0);
            b.ins().uextend(I32, c)
        });
    }

    /// Sign-extends the low `from` bits of an `to`-typed value.
    fn extend_s(&mut self, from: ir::Type, to: ir::Type) {
        self.unop(|b, x| {
            let narrow = b.ins().ireduce(from, x);
            b.ins().sextend(to, narrow)
        });
    }

    fn reinterpret(&mut self, to: ir::Type) {
        self.unop(|b, x| b.ins().bitcast(to, MemFlagsData::new(), x));
    }

    /// Handles numeric operators; returns `false` for other operators.
    pub(super) fn numeric_operator(&mut self, op: &Operator<'_>) -> bool {
        use Operator as O;
        match *op {
            O::I32Const { value } => {
                let v = self.b.ins().iconst(I32, i64::from(value as u32));
                self.push(v);
            }
            O::I64Const { value } => {
                let v = self.b.ins().iconst(I64, value);
                self.push(v);
            }
            O::F32Const { value } => {
                let v = self.b.ins().f32const(ir::immediates::Ieee32::with_bits(value.bits()));
                self.push(v);
            }
            O::F64Const { value } => {
                let v = self.b.ins().f64const(ir::immediates::Ieee64::with_bits(value.bits()));
                self.push(v);
            }

            // Integer tests and comparisons.
            O::I32Eqz | O::I64Eqz => self.eqz(),
            O::I32Eq | O::I64Eq => self.icmp(IntCC::Equal),
            O::I32Ne | O::I64Ne => self.icmp(IntCC::NotEqual),
            O::I32LtS | O::I64LtS => self.icmp(IntCC::SignedLessThan),
            O::I32LtU | O::I64LtU => self.icmp(IntCC::UnsignedLessThan),
            O::I32GtS | O::I64GtS => self.icmp(IntCC::SignedGreaterThan),
            O::I32GtU | O::I64GtU => self.icmp(IntCC::UnsignedGreaterThan),
            O::I32LeS | O::I64LeS => self.icmp(IntCC::SignedLessThanOrEqual),
            O::I32LeU | O::I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual),
            O::I32GeS | O::I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual),
            O::I32GeU | O::I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual),

            // Integer arithmetic.
            O::I32Clz | O::I64Clz => self.unop(|b, x| b.ins().clz(x)),
            O::I32Ctz | O::I64Ctz => self.unop(|b, x| b.ins().ctz(x)),
            O::I32Popcnt | O::I64Popcnt => self.unop(|b, x| b.ins().popcnt(x)),
            O::I32Add | O::I64Add => self.binop(|b, x, y| b.ins().iadd(x, y)),
            O::I32Sub | O::I64Sub => self.binop(|b, x, y| b.ins().isub(x, y)),
            O::I32Mul | O::I64Mul => self.binop(|b, x, y| b.ins().imul(x, y)),
            O::I32DivS | O::I64DivS => self.binop(|b, x, y| b.ins().sdiv(x, y)),
            O::I32DivU | O::I64DivU => self.binop(|b, x, y| b.ins().udiv(x, y)),
            O::I32RemS | O::I64RemS => self.binop(|b, x, y| b.ins().srem(x, y)),
            O::I32RemU | O::I64RemU => self.binop(|b, x, y| b.ins().urem(x, y)),
            O::I32And | O::I64And => self.binop(|b, x, y| b.ins().band(x, y)),
            O::I32Or | O::I64Or => self.binop(|b, x, y| b.ins().bor(x, y)),
            O::I32Xor | O::I64Xor => self.binop(|b, x, y| b.ins().bxor(x, y)),
            O::I32Shl | O::I64Shl => self.binop(|b, x, y| b.ins().ishl(x, y)),
            O::I32ShrS | O::I64ShrS => self.binop(|b, x, y| b.ins().sshr(x, y)),
            O::I32ShrU | O::I64ShrU => self.binop(|b, x, y| b.ins().ushr(x, y)),
            O::I32Rotl | O::I64Rotl => self.binop(|b, x, y| b.ins().rotl(x, y)),
            O::I32Rotr | O::I64Rotr => self.binop(|b, x, y| b.ins().rotr(x, y)),

            // Float comparisons.
            O::F32Eq | O::F64Eq => self.fcmp(FloatCC::Equal),
            O::F32Ne | O::F64Ne => self.fcmp(FloatCC::NotEqual),
            O::F32Lt | O::F64Lt => self.fcmp(FloatCC::LessThan),
            O::F32Gt | O::F64Gt => self.fcmp(FloatCC::GreaterThan),
            O::F32Le | O::F64Le => self.fcmp(FloatCC::LessThanOrEqual),
            O::F32Ge | O::F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual),

            // Float arithmetic.
            O::F32Abs | O::F64Abs => self.unop(|b, x| b.ins().fabs(x)),
            O::F32Neg | O::F64Neg => self.unop(|b, x| b.ins().fneg(x)),
            O::F32Ceil | O::F64Ceil => self.unop(|b, x| b.ins().ceil(x)),
            O::F32Floor | O::F64Floor => self.unop(|b, x| b.ins().floor(x)),
            O::F32Trunc | O::F64Trunc => self.unop(|b, x| b.ins().trunc(x)),
            O::F32Nearest | O::F64Nearest => self.unop(|b, x| b.ins().nearest(x)),
            O::F32Sqrt | O::F64Sqrt => self.unop(|b, x| b.ins().sqrt(x)),
            O::F32Add | O::F64Add => self.binop(|b, x, y| b.ins().fadd(x, y)),
            O::F32Sub | O::F64Sub => self.binop(|b, x, y| b.ins().fsub(x, y)),
            O::F32Mul | O::F64Mul => self.binop(|b, x, y| b.ins().fmul(x, y)),
            O::F32Div | O::F64Div => self.binop(|b, x, y| b.ins().fdiv(x, y)),
            O::F32Min | O::F64Min => self.binop(|b, x, y| b.ins().fmin(x, y)),
            O::F32Max | O::F64Max => self.binop(|b, x, y| b.ins().fmax(x, y)),
            O::F32Copysign | O::F64Copysign => self.binop(|b, x, y| b.ins().fcopysign(x, y)),

            // Integer width changes.
            O::I32WrapI64 => self.unop(|b, x| b.ins().ireduce(I32, x)),
            O::I64ExtendI32S => self.unop(|b, x| b.ins().sextend(I64, x)),
            O::I64ExtendI32U => self.unop(|b, x| b.ins().uextend(I64, x)),
            O::I32Extend8S => self.extend_s(I8, I32),
            O::I32Extend16S => self.extend_s(I16, I32),
            O::I64Extend8S => self.extend_s(I8, I64),
            O::I64Extend16S => self.extend_s(I16, I64),
            O::I64Extend32S => self.extend_s(I32, I64),

            // Float to integer, trapping.
            O::I32TruncF32S | O::I32TruncF64S => self.unop(|b, x| b.ins().fcvt_to_sint(I32, x)),
            O::I32TruncF32U | O::I32TruncF64U => self.unop(|b, x| b.ins().fcvt_to_uint(I32, x)),
            O::I64TruncF32S | O::I64TruncF64S => self.unop(|b, x| b.ins().fcvt_to_sint(I64, x)),
            O::I64TruncF32U | O::I64TruncF64U => self.unop(|b, x| b.ins().fcvt_to_uint(I64, x)),
            // Float to integer, saturating.
            O::I32TruncSatF32S | O::I32TruncSatF64S => {
                self.unop(|b, x| b.ins().fcvt_to_sint_sat(I32, x))
            }
            O::I32TruncSatF32U | O::I32TruncSatF64U => {
                self.unop(|b, x| b.ins().fcvt_to_uint_sat(I32, x))
            }
            O::I64TruncSatF32S | O::I64TruncSatF64S => {
                self.unop(|b, x| b.ins().fcvt_to_sint_sat(I64, x))
            }
            O::I64TruncSatF32U | O::I64TruncSatF64U => {
                self.unop(|b, x| b.ins().fcvt_to_uint_sat(I64, x))
            }
            // Integer to float.
            O::F32ConvertI32S | O::F32ConvertI64S => {
                self.unop(|b, x| b.ins().fcvt_from_sint(F32, x))
            }
            O::F32ConvertI32U | O::F32ConvertI64U => {
                self.unop(|b, x| b.ins().fcvt_from_uint(F32, x))
            }
            O::F64ConvertI32S | O::F64ConvertI64S => {
                self.unop(|b, x| b.ins().fcvt_from_sint(F64, x))
            }
            O::F64ConvertI32U | O::F64ConvertI64U => {
                self.unop(|b, x| b.ins().fcvt_from_uint(F64, x))
            }
            O::F32DemoteF64 => self.unop(|b, x| b.ins().fdemote(F32, x)),
            O::F64PromoteF32 => self.unop(|b, x| b.ins().fpromote(F64, x)),
            // Reinterpretation.
            O::I32ReinterpretF32 => self.reinterpret(I32),
            O::I64ReinterpretF64 => self.reinterpret(I64),
            O::F32ReinterpretI32 => self.reinterpret(F32),
            O::F64ReinterpretI64 => self.reinterpret(F64),
            _ => return false,
        }
        true
    }
}
