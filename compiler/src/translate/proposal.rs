//! Which WebAssembly proposals the translator handles, and the error for an operator of one
//! it refuses.
//!
//! wasmparser lists every operator once, grouped by proposal
//! ([`wasmparser::for_each_visit_operator`]); [`visit_operators!`] sorts that list by this
//! file's one table of proposals. Operators of a translated proposal are visited by hand
//! ([`super::visit`]); those of a refused one get a generated visit method that returns
//! [`unsupported`]; a proposal missing from the table does not compile, so a new wasmparser
//! proposal (or a new operator of a translated one, which has no hand-written method) is a
//! compile error until someone decides.

use kiln_runtime_support::CompileError;

/// A WebAssembly proposal whose operators the compiler does not translate yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Proposal {
    /// Shared-everything threads.
    SharedEverythingThreads,
    /// Acquire-release atomics.
    AcquireReleaseAtomics,
    /// Garbage collection (structs, arrays, `i31`).
    Gc,
    /// Custom descriptors.
    CustomDescriptors,
    /// Stack switching (continuations).
    StackSwitching,
    /// Wide arithmetic (`i64.add128`).
    WideArithmetic,
    /// Memory control (`memory.discard`).
    MemoryControl,
}

impl Proposal {
    /// The proposal's name, as the subject of "... is not supported yet".
    pub fn name(self) -> &'static str {
        match self {
            Proposal::SharedEverythingThreads => "the shared-everything threads proposal",
            Proposal::AcquireReleaseAtomics => "the acquire-release atomics proposal",
            Proposal::Gc => "garbage collection (GC)",
            Proposal::CustomDescriptors => "the custom descriptors proposal",
            Proposal::StackSwitching => "stack switching",
            Proposal::WideArithmetic => "wide arithmetic",
            Proposal::MemoryControl => "memory control",
        }
    }
}

/// The error for operator `op` (wasmparser's name for it) of `proposal` at byte `offset`:
/// `stack switching is not supported yet (operator Resume)`, flagged `unsupported`.
pub(crate) fn unsupported(proposal: Proposal, op: &str, offset: usize) -> CompileError {
    CompileError {
        offset: Some(offset),
        message: format!("{} is not supported yet (operator {op})", proposal.name()),
        unsupported: true,
    }
}

/// Generates visit methods from wasmparser's operator list: `visit_operators!(MODE: LIST)`.
///
/// In both modes, every operator of a refused proposal gets a method returning
/// [`unsupported`] at `self.offset()`. Operators of translated proposals get nothing in
/// `translate` mode (the translator's methods are written by hand in [`super::visit`]) and,
/// in `unreachable` mode, a method that does nothing, except those that open or close a
/// block (or a legacy catch block), which [`super::unreachable`] writes by hand.
macro_rules! visit_operators {
    ($mode:ident: $( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })?
        => $visit:ident ($($ann:tt)*) )*) => {
        $( visit_operators!(@sort $mode $proposal $op $visit $({ $($arg: $argty),* })?); )*
    };

    // The table of proposals: translated ones ...
    (@sort $mode:ident mvp $($rest:tt)*) => { visit_operators!(@translated $mode $($rest)*); };
    (@sort $mode:ident sign_extension $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident saturating_float_to_int $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident bulk_memory $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident reference_types $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident simd $($rest:tt)*) => { visit_operators!(@translated $mode $($rest)*); };
    // WebAssembly 3.0: tail calls and typed function references.
    (@sort $mode:ident tail_call $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident function_references $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident relaxed_simd $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    // Exception handling, standard and legacy.
    (@sort $mode:ident exceptions $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    (@sort $mode:ident legacy_exceptions $($rest:tt)*) => {
        visit_operators!(@translated $mode $($rest)*);
    };
    // ... and refused ones.
    (@sort $mode:ident threads $($rest:tt)*) => { visit_operators!(@translated $mode $($rest)*); };
    (@sort $mode:ident shared_everything_threads $($rest:tt)*) => {
        visit_operators!(@refused SharedEverythingThreads $($rest)*);
    };
    (@sort $mode:ident acquire_release_atomics $($rest:tt)*) => {
        visit_operators!(@refused AcquireReleaseAtomics $($rest)*);
    };
    (@sort $mode:ident gc $($rest:tt)*) => { visit_operators!(@refused Gc $($rest)*); };
    (@sort $mode:ident custom_descriptors $($rest:tt)*) => {
        visit_operators!(@refused CustomDescriptors $($rest)*);
    };
    (@sort $mode:ident stack_switching $($rest:tt)*) => {
        visit_operators!(@refused StackSwitching $($rest)*);
    };
    (@sort $mode:ident wide_arithmetic $($rest:tt)*) => {
        visit_operators!(@refused WideArithmetic $($rest)*);
    };
    (@sort $mode:ident memory_control $($rest:tt)*) => {
        visit_operators!(@refused MemoryControl $($rest)*);
    };

    // Translated operators: by hand when translating; skipped in unreachable code, except
    // those that open or close a block.
    (@translated translate $($rest:tt)*) => {};
    (@translated unreachable Block $($rest:tt)*) => {};
    (@translated unreachable Loop $($rest:tt)*) => {};
    (@translated unreachable If $($rest:tt)*) => {};
    (@translated unreachable Else $($rest:tt)*) => {};
    (@translated unreachable End $($rest:tt)*) => {};
    (@translated unreachable TryTable $($rest:tt)*) => {};
    (@translated unreachable Try $($rest:tt)*) => {};
    (@translated unreachable Catch $($rest:tt)*) => {};
    (@translated unreachable CatchAll $($rest:tt)*) => {};
    (@translated unreachable Delegate $($rest:tt)*) => {};
    (@translated unreachable $op:ident $visit:ident $({ $($arg:ident: $argty:ty),* })?) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            $($(let _ = $arg;)*)?
            Ok(())
        }
    };

    // Refused operators, in either mode.
    (@refused $proposal:ident $op:ident $visit:ident $({ $($arg:ident: $argty:ty),* })?) => {
        fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
            $($(let _ = $arg;)*)?
            Err($crate::translate::proposal::unsupported(
                $crate::translate::proposal::Proposal::$proposal,
                stringify!($op),
                self.offset(),
            ))
        }
    };
}

/// [`visit_operators!`] in `translate` mode, in the shape wasmparser's list macros call.
macro_rules! refuse_in_translation {
    ($($list:tt)*) => {
        visit_operators!(translate: $($list)*);
    };
}

/// [`visit_operators!`] in `unreachable` mode, in the shape wasmparser's list macros call.
macro_rules! visit_in_unreachable_code {
    ($($list:tt)*) => {
        visit_operators!(unreachable: $($list)*);
    };
}

pub(super) use {refuse_in_translation, visit_in_unreachable_code, visit_operators};
