//! What the differential target compares: values, call outcomes and the exported state of
//! an instance, in a form every engine (Kiln's three paths and wasmtime) converts to.

use std::fmt;

/// A value as the comparison sees it. Floats are kept as bits so NaN payloads survive;
/// references by what is observable across engines: a funcref's null-ness, an externref's
/// host payload (the fuzzer passes `u32` ids).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum V {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`'s bits.
    F32(u32),
    /// An `f64`'s bits.
    F64(u64),
    /// A funcref: whether it is non-null.
    FuncRef(bool),
    /// An externref: null, or the id the fuzzer wrapped.
    ExternRef(Option<u32>),
    /// A `v128`'s bits (lane 0 in the low bits). Compared bit for bit: the differential
    /// target's modules canonicalize NaNs, lanes included.
    V128(u128),
    /// An exnref: whether it is non-null.
    ExnRef(bool),
}

/// The value types the differential target generates arguments for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `funcref`
    FuncRef,
    /// `externref`
    ExternRef,
    /// `exnref` (only null is passed in)
    ExnRef,
    /// `v128`
    V128,
}

/// The spec's trap kinds, as both Kiln ([`kiln::TrapCode`]) and wasmtime
/// ([`wasmtime::Trap`]) report them after mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// `unreachable`
    Unreachable,
    /// `out of bounds memory access`
    MemoryOutOfBounds,
    /// `out of bounds table access`
    TableOutOfBounds,
    /// `undefined element` (a `call_indirect` index past the table; wasmtime reports it as
    /// a table access out of bounds, so the two compare equal, see [`TrapKind::same_as`]).
    UndefinedElement,
    /// `uninitialized element`
    UninitializedElement,
    /// `indirect call type mismatch`
    IndirectCallTypeMismatch,
    /// `integer divide by zero`
    IntegerDivideByZero,
    /// `integer overflow`
    IntegerOverflow,
    /// `invalid conversion to integer`
    InvalidConversionToInteger,
    /// `unaligned atomic` (threads)
    UnalignedAtomic,
    /// `expected shared memory` (a wait on an unshared memory; wasmtime: `atomic wait on
    /// non-shared memory`)
    ExpectedSharedMemory,
    /// A null reference where one is not allowed (`throw_ref` of a null exnref, and the
    /// typed-reference instructions)
    NullReference,
    /// Anything else (with the engine's text).
    Other(&'static str),
}

impl TrapKind {
    /// Whether a trap reported as `self` by Kiln matches `reference` from wasmtime. An
    /// atomic access both misaligned and out of bounds is `unaligned atomic` in Kiln, as in
    /// the threads proposal's reference interpreter (alignment is checked first), and `out
    /// of bounds memory access` in wasmtime (bounds first): the two compare equal (finding 9
    /// of fuzz/LOG.md).
    pub fn same_as(self, reference: TrapKind) -> bool {
        self == reference
            || (self == TrapKind::UndefinedElement && reference == TrapKind::TableOutOfBounds)
            || (self == TrapKind::UnalignedAtomic && reference == TrapKind::MemoryOutOfBounds)
    }

    /// The Kiln trap code's kind.
    pub fn from_kiln(code: kiln::TrapCode) -> Option<TrapKind> {
        use kiln::TrapCode as C;
        Some(match code {
            C::Unreachable => TrapKind::Unreachable,
            C::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
            C::TableOutOfBounds => TrapKind::TableOutOfBounds,
            C::UndefinedElement => TrapKind::UndefinedElement,
            C::UninitializedElement => TrapKind::UninitializedElement,
            C::IndirectCallTypeMismatch => TrapKind::IndirectCallTypeMismatch,
            C::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
            C::IntegerOverflow => TrapKind::IntegerOverflow,
            C::InvalidConversionToInteger => TrapKind::InvalidConversionToInteger,
            C::UnalignedAtomic => TrapKind::UnalignedAtomic,
            C::ExpectedSharedMemory => TrapKind::ExpectedSharedMemory,
            C::NullReference | C::NullFunctionReference | C::NullExceptionReference => {
                TrapKind::NullReference
            }
            // Resource exhaustion: the engines' limits differ, so these end the comparison.
            C::CallStackExhausted | C::Interrupted => return None,
            C::HostError => TrapKind::Other("host error"),
            _ => TrapKind::Other("unknown kiln trap code"),
        })
    }

    /// The wasmtime trap's kind; `None` for the resource limits (stack, fuel, epoch).
    pub fn from_wasmtime(trap: wasmtime::Trap) -> Option<TrapKind> {
        use wasmtime::Trap as T;
        Some(match trap {
            T::UnreachableCodeReached => TrapKind::Unreachable,
            T::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
            T::HeapMisaligned => TrapKind::UnalignedAtomic,
            T::AtomicWaitNonSharedMemory => TrapKind::ExpectedSharedMemory,
            T::NullReference => TrapKind::NullReference,
            T::TableOutOfBounds => TrapKind::TableOutOfBounds,
            T::IndirectCallToNull => TrapKind::UninitializedElement,
            T::BadSignature => TrapKind::IndirectCallTypeMismatch,
            T::IntegerDivisionByZero => TrapKind::IntegerDivideByZero,
            T::IntegerOverflow => TrapKind::IntegerOverflow,
            T::BadConversionToInteger => TrapKind::InvalidConversionToInteger,
            T::StackOverflow | T::OutOfFuel | T::Interrupt => return None,
            _ => TrapKind::Other("other wasmtime trap"),
        })
    }
}

/// How a call (or an instantiation) ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Returned these results (or instantiated).
    Ok(Vec<V>),
    /// Trapped.
    Trap(TrapKind),
    /// An exception no handler caught reached the caller, with its payload (tags are not
    /// compared: an unexported tag has no identity both engines can name).
    Exception(Vec<V>),
    /// Hit a resource limit whose position differs between engines (call stack, fuel,
    /// timeout, memory or table limits at instantiation): the case ends uncompared.
    Exhausted(String),
    /// Failed in some other way (with the error's text).
    Error(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok(v) => write!(f, "ok {v:?}"),
            Outcome::Trap(t) => write!(f, "trap {t:?}"),
            Outcome::Exception(v) => write!(f, "uncaught exception {v:?}"),
            Outcome::Exhausted(m) => write!(f, "exhausted ({m})"),
            Outcome::Error(m) => write!(f, "error ({m})"),
        }
    }
}

/// One export's observable state.
#[derive(Clone, Debug)]
pub enum ExportState {
    /// A function (nothing to compare beyond its presence).
    Func,
    /// A memory's bytes.
    Memory(Vec<u8>),
    /// A global's value.
    Global(V),
    /// A table's elements.
    Table(Vec<V>),
}

/// An exported function: its name and signature.
#[derive(Clone, Debug)]
pub struct FuncExport {
    /// Export name.
    pub name: String,
    /// Parameter types.
    pub params: Vec<Ty>,
}

/// One engine's instance under test.
pub trait Instance {
    /// Calls export `name` with `args`.
    fn call(&mut self, name: &str, args: &[V]) -> Outcome;
    /// Every export's state, in export order.
    fn snapshot(&mut self) -> Vec<(String, ExportState)>;
}
