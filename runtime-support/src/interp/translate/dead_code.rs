//! Unreachable code: visited without emitting anything.
//!
//! After an unconditional branch (`br`, `br_table`, `return`, `unreachable`) the rest of the
//! frame is dead: it is validated but never runs. [`DeadCode`] visits it, following only the
//! nesting of the blocks inside it, until the `else` or `end` of the frame itself, which the
//! translator handles again. Operators of refused proposals are refused here too, so that a
//! block-opening operator of such a proposal cannot unbalance the nesting.
//!
//! Invariants: `skip_depth` counts the blocks opened inside the dead code and not closed
//! yet; nothing is emitted and the operand stack is not touched while it runs.

use super::Translator;
use super::proposals::{Proposal, by_proposal, refusal};
use crate::error::CompileError;
use wasmparser::{BlockType, VisitOperator, VisitSimdOperator};

/// The visitor of unreachable code (see the module docs).
pub(super) struct DeadCode<'t, 'a>(pub(super) &'t mut Translator<'a>);

impl DeadCode<'_, '_> {
    /// As [`Translator::refuse`].
    fn refuse(&self, proposal: Proposal) -> CompileError {
        self.0.refuse(proposal)
    }

    /// A block, loop, `if`, `try_table` or legacy `try` opened inside the dead code.
    fn open(&mut self) -> Result<(), CompileError> {
        self.0.skip_depth += 1;
        Ok(())
    }
}

/// A visit method that skips its operator (the block structure is followed by hand).
macro_rules! skipped {
    (Block $($rest:tt)*) => {};
    (Loop $($rest:tt)*) => {};
    (If $($rest:tt)*) => {};
    (Else $($rest:tt)*) => {};
    (End $($rest:tt)*) => {};
    (TryTable $($rest:tt)*) => {};
    (Try $($rest:tt)*) => {};
    (Catch $($rest:tt)*) => {};
    (CatchAll $($rest:tt)*) => {};
    (Delegate $($rest:tt)*) => {};
    ($op:ident $visit:ident ($($arg:ident: $argty:ty),*)) => {
        fn $visit(&mut self $(, $arg: $argty)*) -> Self::Output {
            $(let _ = $arg;)*
            Ok(())
        }
    };
}

/// For wasmparser's `for_each_visit_operator!`: skip the translated proposals' operators,
/// refuse the others.
macro_rules! skip_dead_code {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( by_proposal!($proposal, skipped, refusal, $op $visit ($($($arg: $argty),*)?)); )*
    };
}

impl<'a> VisitOperator<'a> for DeadCode<'_, '_> {
    type Output = Result<(), CompileError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(skip_dead_code);

    fn visit_block(&mut self, _: BlockType) -> Self::Output {
        self.open()
    }

    fn visit_loop(&mut self, _: BlockType) -> Self::Output {
        self.open()
    }

    fn visit_if(&mut self, _: BlockType) -> Self::Output {
        self.open()
    }

    fn visit_try_table(&mut self, _: wasmparser::TryTable) -> Self::Output {
        self.open()
    }

    fn visit_try(&mut self, _: BlockType) -> Self::Output {
        self.open()
    }

    fn visit_catch(&mut self, tag_index: u32) -> Self::Output {
        if self.0.skip_depth > 0 { Ok(()) } else { self.0.visit_catch(tag_index) }
    }

    fn visit_catch_all(&mut self) -> Self::Output {
        if self.0.skip_depth > 0 { Ok(()) } else { self.0.visit_catch_all() }
    }

    fn visit_delegate(&mut self, relative_depth: u32) -> Self::Output {
        if self.0.skip_depth > 0 {
            self.0.skip_depth -= 1;
            Ok(())
        } else {
            self.0.visit_delegate(relative_depth)
        }
    }

    fn visit_else(&mut self) -> Self::Output {
        if self.0.skip_depth > 0 { Ok(()) } else { self.0.visit_else() }
    }

    fn visit_end(&mut self) -> Self::Output {
        if self.0.skip_depth > 0 {
            self.0.skip_depth -= 1;
            Ok(())
        } else {
            self.0.visit_end()
        }
    }
}

/// SIMD and relaxed SIMD: every operator skipped.
impl<'a> VisitSimdOperator<'a> for DeadCode<'_, '_> {
    wasmparser::for_each_visit_simd_operator!(skip_dead_code);
}
