//! Constant expressions (spec 3.3.10): global initializers, segment offsets, element items.

use crate::types::RefType;
use crate::vm::ValRaw;
use serde::{Deserialize, Serialize};

/// One instruction of a constant expression.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConstOp {
    /// `i32.const`.
    I32(i32),
    /// `i64.const`.
    I64(i64),
    /// `f32.const`, as bits.
    F32(u32),
    /// `f64.const`, as bits.
    F64(u64),
    /// `v128.const`, as little-endian bytes.
    V128(u128),
    /// `ref.null t`.
    RefNull(RefType),
    /// `ref.func f`.
    RefFunc(u32),
    /// `global.get g` (an imported or earlier global).
    GlobalGet(u32),
    /// `i32.add` (extended-const).
    I32Add,
    /// `i32.sub` (extended-const).
    I32Sub,
    /// `i32.mul` (extended-const).
    I32Mul,
    /// `i64.add` (extended-const).
    I64Add,
    /// `i64.sub` (extended-const).
    I64Sub,
    /// `i64.mul` (extended-const).
    I64Mul,
}

/// A validated constant expression: a short stack program ending with one value.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ConstExpr {
    /// The instructions in order (without the final `end`).
    pub ops: Vec<ConstOp>,
}

impl ConstExpr {
    /// A one-instruction expression.
    pub fn single(op: ConstOp) -> Self {
        Self { ops: vec![op] }
    }

    /// The `ref.func` target if this expression is just `ref.func f`.
    pub fn as_ref_func(&self) -> Option<u32> {
        match self.ops.as_slice() {
            [ConstOp::RefFunc(f)] => Some(*f),
            _ => None,
        }
    }

    /// Evaluates the expression (spec 4.4.10, "Expressions"): `global` gives the value of
    /// `global.get g`, `func` the reference of `ref.func f`; either may answer `None` when
    /// the value is not known (e.g. at compile time), and so does the evaluation then.
    /// Arithmetic wraps (extended-const); `ref.null` is the null reference (all-zero bits).
    /// A malformed expression (none passes validation) evaluates to `None`.
    pub fn eval(
        &self,
        mut global: impl FnMut(u32) -> Option<ValRaw>,
        mut func: impl FnMut(u32) -> Option<ValRaw>,
    ) -> Option<ValRaw> {
        // Almost every expression is one instruction (segment items and offsets, most
        // global initializers): no stack for those.
        if let [op] = self.ops.as_slice() {
            return Self::operand(op, &mut global, &mut func)?;
        }
        let mut stack: Vec<ValRaw> = Vec::with_capacity(2);
        for op in &self.ops {
            let v = match *op {
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let (b, a) = (stack.pop()?.bits() as u32, stack.pop()?.bits() as u32);
                    let r = match *op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    };
                    ValRaw::from_bits(r as u64)
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let (b, a) = (stack.pop()?.bits(), stack.pop()?.bits());
                    ValRaw::from_bits(match *op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
                ref op => Self::operand(op, &mut global, &mut func)??,
            };
            stack.push(v);
        }
        stack.pop()
    }

    /// The value an instruction that takes no operands pushes (`Some(None)` when `global`
    /// or `func` does not know it); `None` for arithmetic, which takes two.
    fn operand(
        op: &ConstOp,
        global: &mut impl FnMut(u32) -> Option<ValRaw>,
        func: &mut impl FnMut(u32) -> Option<ValRaw>,
    ) -> Option<Option<ValRaw>> {
        Some(Some(match *op {
            ConstOp::I32(v) => ValRaw::from_bits(v as u32 as u64),
            ConstOp::I64(v) => ValRaw::from_bits(v as u64),
            ConstOp::F32(v) => ValRaw::from_bits(v as u64),
            ConstOp::F64(v) => ValRaw::from_bits(v),
            ConstOp::V128(v) => ValRaw::from_v128(v),
            ConstOp::RefNull(_) => ValRaw::from_bits(0),
            ConstOp::RefFunc(f) => return Some(func(f)),
            ConstOp::GlobalGet(g) => return Some(global(g)),
            ConstOp::I32Add
            | ConstOp::I32Sub
            | ConstOp::I32Mul
            | ConstOp::I64Add
            | ConstOp::I64Sub
            | ConstOp::I64Mul => return None,
        }))
    }

    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<Self, crate::CompileError> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let offset = reader.original_position() as usize;
            let op = reader.read().map_err(crate::CompileError::from_wasmparser)?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::I32(value),
                O::I64Const { value } => ConstOp::I64(value),
                O::F32Const { value } => ConstOp::F32(value.bits()),
                O::F64Const { value } => ConstOp::F64(value.bits()),
                O::V128Const { value } => ConstOp::V128(u128::from_le_bytes(*value.bytes())),
                O::RefNull { hty } => {
                    // Null of its hierarchy's top type: null is one value per hierarchy.
                    let r = wasmparser::RefType::new(true, hty).and_then(RefType::from_wasmparser);
                    match r {
                        Some(r) if r.is_func() => ConstOp::RefNull(RefType::FUNCREF),
                        Some(_) => ConstOp::RefNull(RefType::EXTERNREF),
                        None => {
                            return Err(crate::CompileError::unsupported(
                                offset,
                                format!("unsupported heap type {hty:?}"),
                            ));
                        }
                    }
                }
                O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::End => break,
                other => {
                    return Err(crate::CompileError::unsupported(
                        offset,
                        format!("unsupported instruction in constant expression: {other:?}"),
                    ));
                }
            });
        }
        Ok(Self { ops })
    }
}
