//! Validation of one function body, refusing what only the GC proposal has.
//!
//! Kiln validates the 3.0 type system (recursion groups, declared subtypes) with
//! wasmparser's GC switch on ([`crate::CoreFeatures::FUNCTION_REFERENCES`]), so wasmparser
//! accepts GC's operators and value types too. Neither engine runs them, and the
//! interpreter translates functions lazily, so they are refused here, while the body is
//! validated, with an `unsupported` [`CompileError`]: a module that needs GC fails to
//! compile on every engine, never at its first call. [`RefuseGc`] wraps wasmparser's
//! operator validator, forwards every operator to it and notes the first GC operator; the
//! locals are checked as they are defined.

use crate::error::CompileError;
use crate::types::ValType;
use wasmparser::{
    FrameKind, FrameStack, FuncValidator, FunctionBody, ValidatorResources, VisitOperator,
    VisitSimdOperator,
};

/// Validates `body` with `fv` (as [`FuncValidator::validate`] does), then refuses a GC
/// operator or a local of a GC-only type.
///
/// # Errors
/// The validation error of an invalid body; otherwise an `unsupported` [`CompileError`] at
/// the first GC operator or GC-typed local.
pub(super) fn validate_body(
    fv: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
) -> Result<(), CompileError> {
    let err = CompileError::from_wasmparser;
    let mut reader = body.get_binary_reader();
    for _ in 0..reader.read_var_u32().map_err(err)? {
        let offset = reader.original_position();
        let count = reader.read().map_err(err)?;
        let ty: wasmparser::ValType = reader.read().map_err(err)?;
        fv.define_locals(offset, count, ty).map_err(err)?;
        if ValType::from_wasmparser(ty).is_none() {
            return Err(CompileError::unsupported(
                offset as usize,
                format!("a local of type {ty} (the GC proposal is not supported yet)"),
            ));
        }
    }
    reader.set_features(*fv.features());
    let mut gc_op = None;
    while !reader.eof() {
        let offset = reader.original_position();
        let mut visitor = RefuseGc { inner: fv.visitor(offset), gc_op: None };
        reader.visit_operator(&mut visitor).map_err(err)?.map_err(err)?;
        if let Some(name) = visitor.gc_op {
            gc_op.get_or_insert((offset, name));
        }
    }
    reader.finish_expression(&fv.visitor(reader.original_position())).map_err(err)?;
    match gc_op {
        Some((offset, name)) => Err(CompileError::unsupported(
            offset as usize,
            format!("the GC proposal is not supported yet (operator {name})"),
        )),
        None => Ok(()),
    }
}

/// An operator validator that notes the name of a GC operator it validates.
struct RefuseGc<V> {
    inner: V,
    gc_op: Option<&'static str>,
}

/// Notes `$op` when it belongs to the `gc` group of wasmparser's listing.
macro_rules! note_gc {
    (gc, $self:ident, $op:ident) => {
        $self.gc_op = Some(stringify!($op))
    };
    ($proposal:ident, $self:ident, $op:ident) => {};
}

/// For wasmparser's `for_each_visit_operator!`: forward every operator to the validator.
macro_rules! forward {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
                note_gc!($proposal, self, $op);
                self.inner.$visit($($($arg),*)?)
            }
        )*
    };
}

impl<V: FrameStack> FrameStack for RefuseGc<V> {
    fn current_frame(&self) -> Option<FrameKind> {
        self.inner.current_frame()
    }
}

impl<'a, V> VisitOperator<'a> for RefuseGc<V>
where
    V: VisitOperator<'a, Output = wasmparser::Result<()>>,
{
    type Output = wasmparser::Result<()>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        self.inner.simd_visitor()
    }

    wasmparser::for_each_visit_operator!(forward);
}
