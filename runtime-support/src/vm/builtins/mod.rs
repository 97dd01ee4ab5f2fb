//! The runtime builtins that compiled code calls (DESIGN.md, "The VMContext, in outline").
//!
//! The builtins are declared once, below: each with its slot, name, signature, the trap it
//! raises when fallible, and its documentation. From that one list come the [`Builtin`]
//! enum and its accessors (the compiler builds its Cranelift signatures from
//! [`Builtin::params`] and [`Builtin::results`]), the typed `#[repr(C)]` table
//! [`VMBuiltins`] that every VMContext points to (filled with the functions of the same
//! names in `builtin_impls`), and the C declarations [`c_header`] renders for C code that
//! stands in for the runtime (the aarch64 test driver). Adding a builtin is one entry here
//! plus its implementation.
//!
//! Compiled code reaches every builtin through the table that
//! [`VMContextHeader::builtins`](super::VMContextHeader::builtins) points to, loading the
//! entry at [`Builtin::offset`] (`slot * size_of::<usize>()`). Slot numbers are part of the
//! artifact ABI: they never change meaning within one runtime ABI version; new builtins get
//! new slots at the end.
//!
//! # Calling convention
//!
//! Every builtin is an `extern "C"` function (the target's default C calling convention)
//! whose first parameter is the calling instance's `*mut VMContext`, followed by
//! [`Builtin::params`]; it returns [`Builtin::results`]. `I32` values are passed as `u32`
//! (wasm `i32` bit patterns), `I64` values as `u64`, `Ptr` values are pointer-sized (raw
//! references: a `*const VMFuncRef`, an externref handle, or 0 for null; or pointers).
//! Addresses, sizes, lengths and element indices of memories and tables are `I64` whatever
//! the index type (memory64): compiled code zero-extends those of 32-bit memories and
//! tables, and narrows the `-1` of a failed `memory.grow`/`table.grow` back to `i32`.
//!
//! # Traps
//!
//! A builtin never unwinds. A builtin that can trap ([`Builtin::trap_code`] is `Some`)
//! returns a `u32` status: [`BUILTIN_OK`] (0) on success, any other value when the operation
//! failed; compiled code then raises [`Builtin::trap_code`] itself (a Cranelift conditional
//! trap with that code), so the trap is reported at the wasm instruction that called the
//! builtin.

mod c_header;
mod declare;

pub use c_header::c_header;

use crate::trap::TrapCode;
use crate::vm::VMContext;
use declare::{builtin_is_status, builtin_kind, builtin_option, declare_builtins};

/// The status a fallible builtin returns on success; any other value means "trap".
pub const BUILTIN_OK: u32 = 0;

/// A Cranelift-agnostic value type in a builtin signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinType {
    /// A 32-bit integer (`u32`/`i32`).
    I32,
    /// A 64-bit integer (`u64`/`i64`).
    I64,
    /// A pointer-sized value (`usize`): raw references and pointers.
    Ptr,
}

declare_builtins! {
    /// `memory.grow`: `(memory, delta_pages) -> old_pages`, the old size in pages or `-1`
    /// (all bits set) when the memory cannot grow. Updates the memory's
    /// `VMMemoryDefinition` in place.
    MemoryGrow = 0 => memory_grow(memory: i32, delta_pages: i64) -> i64;
    /// `memory.fill`: fills `[dst, dst + len)` of `memory` with the low byte of `value`.
    /// Traps `out of bounds memory access`.
    MemoryFill = 1 => memory_fill(memory: i32, dst: i64, value: i32, len: i64)
        -> status(MemoryOutOfBounds);
    /// `memory.copy`: copies `len` bytes from `src` in `src_memory` to `dst` in
    /// `dst_memory` (the ranges may overlap). Traps `out of bounds memory access`.
    MemoryCopy = 2 => memory_copy(dst_memory: i32, src_memory: i32, dst: i64, src: i64, len: i64)
        -> status(MemoryOutOfBounds);
    /// `memory.init`: copies `len` bytes from `src` in data segment `data` to `dst` in
    /// `memory`. Traps `out of bounds memory access`.
    MemoryInit = 3 => memory_init(memory: i32, data: i32, dst: i64, src: i32, len: i32)
        -> status(MemoryOutOfBounds);
    /// `data.drop`: data segment `data` becomes empty.
    DataDrop = 4 => data_drop(data: i32);
    /// `table.grow`: `(table, init, delta) -> old_size`, the old size or `-1` (all bits
    /// set), new elements set to `init`. Updates the table's `VMTableDefinition` in place.
    TableGrow = 5 => table_grow(table: i32, init: reference, delta: i64) -> i64;
    /// `table.fill`: sets `[dst, dst + len)` of `table` to `value`.
    /// Traps `out of bounds table access`.
    TableFill = 6 => table_fill(table: i32, dst: i64, value: reference, len: i64)
        -> status(TableOutOfBounds);
    /// `table.copy`: copies `len` elements from `src` in `src_table` to `dst` in
    /// `dst_table` (the ranges may overlap). Traps `out of bounds table access`.
    TableCopy = 7 => table_copy(dst_table: i32, src_table: i32, dst: i64, src: i64, len: i64)
        -> status(TableOutOfBounds);
    /// `table.init`: copies `len` elements from `src` in element segment `elem` to `dst`
    /// in `table`. Traps `out of bounds table access`.
    TableInit = 8 => table_init(table: i32, elem: i32, dst: i64, src: i32, len: i32)
        -> status(TableOutOfBounds);
    /// `elem.drop`: element segment `elem` becomes empty.
    ElemDrop = 9 => elem_drop(elem: i32);
    /// Epoch deadline reached (only called when epoch interruption is compiled in).
    /// Returns [`BUILTIN_OK`] after moving `VMStoreContext::epoch_deadline` forward to
    /// continue, anything else to trap `interrupted`.
    EpochReached = 10 => epoch_reached() -> status(Interrupted);
    /// The host-to-wasm entry (not called by wasm code), with the callee's VMContext as the
    /// leading `vmctx`. A compiled function's array-call entry trampoline calls it with the
    /// address of the function's array-to-wasm body; it records the entry state that trap
    /// handling resumes at, runs the body, and returns 1 when the body returned normally, 0
    /// when the call unwound (the reason is then the store's pending unwind). Never unwinds
    /// itself.
    EnterWasm = 11 => enter_wasm(caller_vmctx: vmctx, values: values, len: len, body: array_call)
        -> i32;
    /// The slow half of `call_indirect`'s signature check, called when the element's type
    /// id differs from the expected one and the expected type is not final: returns
    /// [`BUILTIN_OK`] when type `actual` is a declared subtype of type `expected` (canonical
    /// ids, [`crate::vm::type_registry::is_subtype`]), anything else to trap `indirect call
    /// type mismatch`.
    TypeCheck = 12 => type_check(actual: i32, expected: i32) -> status(IndirectCallTypeMismatch);
    /// `memory.atomic.wait32` on shared `memory` at effective address `addr` (compiled code
    /// has checked its alignment and bounds, and that the memory is shared): parks the
    /// thread while the `i32` there is `expected`, until a notify or `timeout` nanoseconds
    /// (negative: forever); returns 0 (woken), 1 (not equal) or 2 (timed out).
    MemoryAtomicWait32 = 13 => memory_atomic_wait32(memory: i32, addr: i64, expected: i32, timeout: i64)
        -> i32;
    /// `memory.atomic.wait64`: as [`Builtin::MemoryAtomicWait32`] for the `i64` at `addr`.
    MemoryAtomicWait64 = 14 => memory_atomic_wait64(memory: i32, addr: i64, expected: i64, timeout: i64)
        -> i32;
    /// `memory.atomic.notify` on shared `memory` at effective address `addr` (checked as
    /// for a wait): wakes up to `count` waiters; returns how many it woke.
    MemoryAtomicNotify = 15 => memory_atomic_notify(memory: i32, addr: i64, count: i32) -> i32;
    /// Exception handling, `throw`: a new exception of module tag `tag` whose payload is
    /// `values[..n]`, `n` the number of the tag type's parameters (16-byte slots, value in
    /// the low bytes). Returns its raw `exnref` (never 0).
    ExnNew = 16 => exn_new(tag: i32, values: values) -> reference;
    /// Exception handling, a catch clause's landing pad: copies the payload of exception
    /// `exn` into `values[..n]` when `values` is not null, then releases the exception when
    /// `keep` is 0 (`catch`, `catch_all`: no reference to it remains) or marks it referenced
    /// otherwise (`catch_ref`, `catch_all_ref`, a legacy `catch` that a `rethrow` names).
    ExnCatch = 17 => exn_catch(exn: reference, values: values, keep: i32);
    /// Exception handling, `throw` and `throw_ref` of non-null `exn` once the throwing
    /// function's own handlers did not catch it, called with the function's frame pointer
    /// `fp`: looks for a handler in the compiled frames from the function's caller up to the
    /// innermost host-to-wasm entry and resumes at its landing pad (never returning); when
    /// none catches, records the exception as the store's pending unwind and returns (the
    /// function then traps, and the entry hands the exception on).
    Throw = 18 => throw(exn: reference, fp: reference);
    /// Exception handling, after an array call from compiled code returned `false`: when
    /// the store's pending unwind is an exception, looks for a handler from the frame of
    /// the wasm-to-array trampoline at `fp` up, as [`Builtin::Throw`] does, and resumes
    /// there (never returning); otherwise returns (the trampoline then traps).
    UnwindPending = 19 => unwind_pending(fp: reference);
    /// Exception handling, a `throw` inside a handler of the same function: returns 1 when
    /// exception `exn`'s tag is module tag `tag` (the same tag instance), 0 otherwise.
    ExnIs = 20 => exn_is(exn: reference, tag: i32) -> i32;
    /// Function listeners (only in code compiled with listeners), at the entry of defined
    /// function `func` with its parameters in `values[..n]` (16-byte slots, value in the
    /// low bytes): when the instance listens to `func`, pushes its frame on the store's
    /// listened stack and calls its `before` hook. Returns the listened stack's depth after
    /// that, which a function with exception handlers keeps for
    /// [`Builtin::ListenerUnwind`], or all bits set when the hook panicked: compiled code
    /// then traps with the panic's host-error trap pending.
    ListenerBefore = 21 => listener_before(func: i32, values: values) -> i64;
    /// Function listeners, before every return of defined function `func` with its results
    /// in `values[..n]`: when the instance listens to `func`, pops its frame and calls its
    /// `after` hook. Returns [`BUILTIN_OK`], or anything else, with the trap pending, when
    /// the hook panicked.
    ListenerAfter = 22 => listener_after(func: i32, values: values) -> status(HostError);
    /// Function listeners, at a catch clause's landing pad: aborts the listened frames
    /// above `depth` (the catching function's [`Builtin::ListenerBefore`] result), which
    /// the exception unwound, innermost first.
    ListenerUnwind = 23 => listener_unwind(depth: i64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_dense_and_stable() {
        for (i, b) in Builtin::ALL.iter().enumerate() {
            assert_eq!(b.slot() as usize, i);
            assert_eq!(Builtin::from_slot(i as u32), Some(*b));
            assert_eq!(b.offset() as usize, i * size_of::<usize>());
            assert!(b.results().len() <= 1);
        }
        assert_eq!(Builtin::from_slot(Builtin::COUNT as u32), None);
        // The artifact ABI's numbering.
        assert_eq!(Builtin::MemoryGrow.slot(), 0);
        assert_eq!(Builtin::ElemDrop.slot(), 9);
        assert_eq!(Builtin::EnterWasm.slot(), 11);
    }

    #[test]
    fn fallible_builtins_return_a_status() {
        for b in Builtin::ALL {
            if b.trap_code().is_some() {
                assert_eq!(b.results(), &[BuiltinType::I32], "{}", b.name());
            }
        }
        assert_eq!(Builtin::MemoryCopy.trap_code(), Some(TrapCode::MemoryOutOfBounds));
        assert_eq!(Builtin::TableInit.trap_code(), Some(TrapCode::TableOutOfBounds));
        assert_eq!(Builtin::EpochReached.trap_code(), Some(TrapCode::Interrupted));
        assert_eq!(Builtin::MemoryGrow.trap_code(), None);
        assert_eq!(Builtin::EnterWasm.params().len(), 4);
    }
}
