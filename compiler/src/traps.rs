//! The mapping between the spec's traps and Cranelift trap codes.
//!
//! Cranelift's built-in codes are used where they mean the same thing (heap out of bounds,
//! integer overflow, division by zero, bad conversion, stack overflow); the other spec traps
//! get user codes 1 to 6. These numbers end up in artifacts' trap tables via
//! [`crate::TrapSite`], which stores the Kiln code, so they only matter inside one compile.

use cranelift_codegen::ir::TrapCode as ClifTrap;
use kiln_runtime_support::TrapCode;

/// `unreachable`.
pub const UNREACHABLE: ClifTrap = ClifTrap::unwrap_user(1);
/// `out of bounds table access`.
pub const TABLE_OUT_OF_BOUNDS: ClifTrap = ClifTrap::unwrap_user(2);
/// `undefined element`.
pub const UNDEFINED_ELEMENT: ClifTrap = ClifTrap::unwrap_user(3);
/// `uninitialized element`.
pub const UNINITIALIZED_ELEMENT: ClifTrap = ClifTrap::unwrap_user(4);
/// `indirect call type mismatch`.
pub const INDIRECT_CALL_TYPE_MISMATCH: ClifTrap = ClifTrap::unwrap_user(5);
/// `interrupted`.
pub const INTERRUPTED: ClifTrap = ClifTrap::unwrap_user(6);
/// After an array call that returned `false` (in a wasm-to-array trampoline): the callee
/// already recorded why it unwound in the store's pending unwind; the runtime keeps that
/// reason and only adds the compiled frames to its backtrace. Reported as
/// [`TrapCode::HostError`] in trap tables.
pub const UNWIND_PENDING: ClifTrap = ClifTrap::unwrap_user(7);
/// `null reference`.
pub const NULL_REFERENCE: ClifTrap = ClifTrap::unwrap_user(8);
/// `null function reference`.
pub const NULL_FUNCTION_REFERENCE: ClifTrap = ClifTrap::unwrap_user(9);
/// `null exception reference` (`throw_ref` of null; exception handling).
pub const NULL_EXCEPTION_REFERENCE: ClifTrap = ClifTrap::unwrap_user(10);
/// `all fuel consumed`.
pub const OUT_OF_FUEL: ClifTrap = ClifTrap::unwrap_user(11);
/// `unaligned atomic` (threads).
pub const UNALIGNED_ATOMIC: ClifTrap = ClifTrap::unwrap_user(12);
/// `expected shared memory` (`memory.atomic.wait32/64` on an unshared memory).
pub const EXPECTED_SHARED_MEMORY: ClifTrap = ClifTrap::unwrap_user(13);
/// `out of bounds memory access`.
pub const MEMORY_OUT_OF_BOUNDS: ClifTrap = ClifTrap::HEAP_OUT_OF_BOUNDS;

/// The Cranelift trap code compiled code uses for a trap ([`TrapCode::HostError`] stands for
/// [`UNWIND_PENDING`]).
pub fn to_clif(code: TrapCode) -> Option<ClifTrap> {
    Some(match code {
        TrapCode::Unreachable => UNREACHABLE,
        TrapCode::MemoryOutOfBounds => MEMORY_OUT_OF_BOUNDS,
        TrapCode::TableOutOfBounds => TABLE_OUT_OF_BOUNDS,
        TrapCode::UndefinedElement => UNDEFINED_ELEMENT,
        TrapCode::UninitializedElement => UNINITIALIZED_ELEMENT,
        TrapCode::IndirectCallTypeMismatch => INDIRECT_CALL_TYPE_MISMATCH,
        TrapCode::IntegerDivideByZero => ClifTrap::INTEGER_DIVISION_BY_ZERO,
        TrapCode::IntegerOverflow => ClifTrap::INTEGER_OVERFLOW,
        TrapCode::InvalidConversionToInteger => ClifTrap::BAD_CONVERSION_TO_INTEGER,
        TrapCode::CallStackExhausted => ClifTrap::STACK_OVERFLOW,
        TrapCode::Interrupted => INTERRUPTED,
        TrapCode::HostError => UNWIND_PENDING,
        TrapCode::NullReference => NULL_REFERENCE,
        TrapCode::NullFunctionReference => NULL_FUNCTION_REFERENCE,
        TrapCode::NullExceptionReference => NULL_EXCEPTION_REFERENCE,
        TrapCode::OutOfFuel => OUT_OF_FUEL,
        TrapCode::UnalignedAtomic => UNALIGNED_ATOMIC,
        TrapCode::ExpectedSharedMemory => EXPECTED_SHARED_MEMORY,
        _ => return None,
    })
}

/// The spec trap a Cranelift trap code stands for; `None` for codes Kiln never emits.
pub fn from_clif(code: ClifTrap) -> Option<TrapCode> {
    TrapCode::ALL.into_iter().find(|&t| to_clif(t) == Some(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for t in TrapCode::ALL {
            assert_eq!(from_clif(to_clif(t).unwrap()), Some(t));
        }
        assert_eq!(to_clif(TrapCode::HostError), Some(UNWIND_PENDING));
    }
}
