//! Code that cannot be reached (after `br`, `br_table`, `return`, `unreachable`, until the
//! `else` or `end` that makes code reachable again) emits nothing: only the nesting of the
//! blocks opened in it matters. Operators of refused proposals are refused there too.

use super::Translator;
use super::proposal::{visit_in_unreachable_code, visit_operators};
use kiln_runtime_support::CompileError;
use wasmparser::{BlockType, TryTable, VisitOperator, VisitSimdOperator};

/// The visitor of operators in unreachable code.
pub(super) struct Unreachable<'t, 'a, 'f>(pub &'t mut Translator<'a, 'f>);

impl Unreachable<'_, '_, '_> {
    /// The byte offset of the operator being visited.
    fn offset(&self) -> usize {
        self.0.offset
    }

    /// A block opened in unreachable code, skipped as a whole.
    fn nest(&mut self) -> Result<(), CompileError> {
        self.0.unreachable_depth += 1;
        Ok(())
    }
}

impl<'a> VisitOperator<'a> for Unreachable<'_, '_, '_> {
    type Output = Result<(), CompileError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(visit_in_unreachable_code);

    fn visit_block(&mut self, _: BlockType) -> Self::Output {
        self.nest()
    }

    fn visit_loop(&mut self, _: BlockType) -> Self::Output {
        self.nest()
    }

    fn visit_if(&mut self, _: BlockType) -> Self::Output {
        self.nest()
    }

    fn visit_try_table(&mut self, _: TryTable) -> Self::Output {
        self.nest()
    }

    fn visit_try(&mut self, _: BlockType) -> Self::Output {
        self.nest()
    }

    /// A legacy catch block of the `try` whose body (or previous catch block) became
    /// unreachable starts reachable code.
    fn visit_catch(&mut self, tag_index: u32) -> Self::Output {
        if self.0.unreachable_depth == 0 { self.0.legacy_catch(Some(tag_index)) } else { Ok(()) }
    }

    /// As [`Self::visit_catch`].
    fn visit_catch_all(&mut self) -> Self::Output {
        if self.0.unreachable_depth == 0 { self.0.legacy_catch(None) } else { Ok(()) }
    }

    /// A `delegate` closes a legacy `try` like an `end`.
    fn visit_delegate(&mut self, _: u32) -> Self::Output {
        self.visit_end()
    }

    /// The `else` of the `if` whose then-arm became unreachable starts reachable code.
    fn visit_else(&mut self) -> Self::Output {
        if self.0.unreachable_depth == 0 { self.0.else_() } else { Ok(()) }
    }

    /// The `end` of a block opened in unreachable code closes it; any other `end` closes a
    /// real frame, whose continuation may be reachable.
    fn visit_end(&mut self) -> Self::Output {
        if self.0.unreachable_depth > 0 {
            self.0.unreachable_depth -= 1;
            Ok(())
        } else {
            self.0.end()
        }
    }
}

impl<'a> VisitSimdOperator<'a> for Unreachable<'_, '_, '_> {
    wasmparser::for_each_visit_simd_operator!(visit_in_unreachable_code);
}
