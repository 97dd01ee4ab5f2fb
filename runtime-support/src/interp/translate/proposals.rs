//! Which WebAssembly proposals the interpreter translates, and the refusal of the others.
//!
//! Every operator wasmparser knows belongs to one proposal group of its `for_each_operator`
//! listing. [`by_proposal!`] sorts each group into translated (its operators are visited
//! one by one in [`super::visit`], so an operator wasmparser adds to such a group is a
//! missing trait method, a compile error, until someone translates or refuses it) or
//! refused as a whole (each operator answers with the [`Proposal`] that the interpreter
//! does not support). A group wasmparser adds has no rule in [`by_proposal!`], which is also
//! a compile error until someone decides.
//!
//! Invariants: refusing emits nothing, so a refused operator leaves the translation in the
//! state it was in (the function is abandoned with the error anyway).

use super::Translator;
use crate::error::CompileError;
use std::fmt;

/// A WebAssembly proposal (or feature) the interpreter does not translate yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Proposal {
    SharedEverythingThreads,
    AcquireReleaseAtomics,
    Gc,
    CustomDescriptors,
    StackSwitching,
    WideArithmetic,
    MemoryControl,
}

impl fmt::Display for Proposal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Proposal::SharedEverythingThreads => "shared-everything threads",
            Proposal::AcquireReleaseAtomics => "acquire-release atomics",
            Proposal::Gc => "GC",
            Proposal::CustomDescriptors => "custom descriptors",
            Proposal::StackSwitching => "stack switching",
            Proposal::WideArithmetic => "wide arithmetic",
            Proposal::MemoryControl => "memory control",
        })
    }
}

impl Translator<'_> {
    /// The error for an operator of `proposal` at the current operator.
    pub(super) fn refuse(&self, proposal: Proposal) -> CompileError {
        CompileError::unsupported(
            self.offset as usize,
            format!("the interpreter does not support {proposal} yet"),
        )
    }
}

/// Sorts one operator of wasmparser's listing by its proposal group: expands to
/// `$translated!(operator)` for the groups the interpreter translates, and to
/// `$refused!(Proposal, operator)` for the others. No rule for a group is a compile error.
macro_rules! by_proposal {
    (mvp, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (sign_extension, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (saturating_float_to_int, $translated:ident, $refused:ident, $($op:tt)*) => {
        $translated!($($op)*);
    };
    (bulk_memory, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (reference_types, $translated:ident, $refused:ident, $($op:tt)*) => {
        $translated!($($op)*);
    };
    (simd, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (relaxed_simd, $translated:ident, $refused:ident, $($op:tt)*) => {
        $translated!($($op)*);
    };
    (threads, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (shared_everything_threads, $translated:ident, $refused:ident, $($op:tt)*) => {
        $refused!(SharedEverythingThreads, $($op)*);
    };
    (acquire_release_atomics, $translated:ident, $refused:ident, $($op:tt)*) => {
        $refused!(AcquireReleaseAtomics, $($op)*);
    };
    (exceptions, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (legacy_exceptions, $translated:ident, $refused:ident, $($op:tt)*) => {
        $translated!($($op)*);
    };
    (tail_call, $translated:ident, $refused:ident, $($op:tt)*) => { $translated!($($op)*); };
    (gc, $translated:ident, $refused:ident, $($op:tt)*) => { $refused!(Gc, $($op)*); };
    (function_references, $translated:ident, $refused:ident, $($op:tt)*) => {
        $translated!($($op)*);
    };
    (custom_descriptors, $translated:ident, $refused:ident, $($op:tt)*) => {
        $refused!(CustomDescriptors, $($op)*);
    };
    (stack_switching, $translated:ident, $refused:ident, $($op:tt)*) => {
        $refused!(StackSwitching, $($op)*);
    };
    (wide_arithmetic, $translated:ident, $refused:ident, $($op:tt)*) => {
        $refused!(WideArithmetic, $($op)*);
    };
    (memory_control, $translated:ident, $refused:ident, $($op:tt)*) => {
        $refused!(MemoryControl, $($op)*);
    };
}

/// Expands to nothing: a translated operator's visit method is written out in
/// [`super::visit`].
macro_rules! visited_by_hand {
    ($($op:tt)*) => {};
}

/// A visit method that refuses its operator as part of `$proposal` (for a visitor with a
/// `refuse` method).
macro_rules! refusal {
    ($proposal:ident, $op:ident $visit:ident ($($arg:ident: $argty:ty),*)) => {
        fn $visit(&mut self $(, $arg: $argty)*) -> Self::Output {
            $(let _ = $arg;)*
            Err(self.refuse($crate::interp::translate::proposals::Proposal::$proposal))
        }
    };
}

/// For wasmparser's `for_each_visit_operator!`/`for_each_visit_simd_operator!`: the visit
/// methods of every operator of a refused proposal group (none for the translated groups).
macro_rules! refuse_untranslated {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $( by_proposal!($proposal, visited_by_hand, refusal, $op $visit ($($($arg: $argty),*)?)); )*
    };
}

pub(super) use {by_proposal, refusal, refuse_untranslated, visited_by_hand};
