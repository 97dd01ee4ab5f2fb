//! The runtime builtins that compiled code calls (DESIGN.md, "The VMContext, in outline").
//!
//! Compiled code reaches every builtin through the table that
//! [`VMContextHeader::builtins`](super::VMContextHeader::builtins) points to: an array of
//! function pointers indexed by [`Builtin::slot`]. Slot numbers are part of the artifact ABI:
//! they never change meaning within one runtime ABI version; new builtins get new slots at
//! the end.
//!
//! # Calling convention
//!
//! Every builtin is an `extern "C"` function (the target's default C calling convention)
//! whose first parameter is the calling instance's `*mut VMContext`, followed by
//! [`Builtin::params`]; it returns [`Builtin::results`]. `I32` values are passed as `u32`
//! (wasm `i32` bit patterns), `Ptr` values are pointer-sized (raw references: a
//! `*const VMFuncRef`, an externref handle, or 0 for null).
//!
//! # Traps
//!
//! A builtin never unwinds. A builtin that can trap ([`Builtin::trap_code`] is `Some`)
//! returns a `u32` status: [`BUILTIN_OK`] (0) on success, any other value when the operation
//! failed; compiled code then raises [`Builtin::trap_code`] itself (a Cranelift conditional
//! trap with that code), so the trap is reported at the wasm instruction that called the
//! builtin.

use crate::trap::TrapCode;

/// The status a fallible builtin returns on success; any other value means "trap".
pub const BUILTIN_OK: u32 = 0;

/// A Cranelift-agnostic value type in a builtin signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinType {
    /// A 32-bit integer (`u32`/`i32`).
    I32,
    /// A 64-bit integer (`u64`/`i64`).
    I64,
    /// A pointer-sized value (`usize`): raw references.
    Ptr,
}

/// One runtime builtin, numbered by its slot in the builtins table.
///
/// Signatures below omit the leading `vmctx: *mut VMContext` that every builtin takes.
/// Memory, table, data-segment and element-segment indices are the calling module's indices.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `memory.grow`: `(memory: i32, delta_pages: i32) -> i32`, the old size in pages or
    /// `-1` when the memory cannot grow. Updates the memory's `VMMemoryDefinition` in place.
    MemoryGrow = 0,
    /// `memory.fill`: `(memory: i32, dst: i32, value: i32, len: i32) -> status`.
    /// Traps `out of bounds memory access`.
    MemoryFill = 1,
    /// `memory.copy`: `(dst_memory: i32, src_memory: i32, dst: i32, src: i32, len: i32) ->
    /// status`. Traps `out of bounds memory access`.
    MemoryCopy = 2,
    /// `memory.init`: `(memory: i32, data: i32, dst: i32, src: i32, len: i32) -> status`.
    /// Traps `out of bounds memory access`.
    MemoryInit = 3,
    /// `data.drop`: `(data: i32) -> ()`.
    DataDrop = 4,
    /// `table.grow`: `(table: i32, init: ptr, delta: i32) -> i32`, the old size or `-1`.
    /// Updates the table's `VMTableDefinition` in place.
    TableGrow = 5,
    /// `table.fill`: `(table: i32, dst: i32, value: ptr, len: i32) -> status`.
    /// Traps `out of bounds table access`.
    TableFill = 6,
    /// `table.copy`: `(dst_table: i32, src_table: i32, dst: i32, src: i32, len: i32) ->
    /// status`. Traps `out of bounds table access`.
    TableCopy = 7,
    /// `table.init`: `(table: i32, elem: i32, dst: i32, src: i32, len: i32) -> status`.
    /// Traps `out of bounds table access`.
    TableInit = 8,
    /// `elem.drop`: `(elem: i32) -> ()`.
    ElemDrop = 9,
    /// Epoch deadline reached (only called when epoch interruption is compiled in):
    /// `() -> status`. Returns [`BUILTIN_OK`] after moving `VMStoreContext::epoch_deadline`
    /// forward to continue, anything else to trap `interrupted`.
    EpochReached = 10,
    /// The host-to-wasm entry (not called by wasm code): `(caller_vmctx: ptr, values: ptr,
    /// len: ptr, body: ptr) -> i32`, with the callee's VMContext as the leading `vmctx`.
    /// A compiled function's array-call entry trampoline calls it with the address of the
    /// function's array-to-wasm body (an [`ArrayCallFn`](super::ArrayCallFn)); it records the
    /// entry state that trap handling resumes at, runs the body, and returns 1 when the body
    /// returned normally, 0 when the call unwound (the reason is then the store's pending
    /// unwind). Never unwinds itself.
    EnterWasm = 11,
}

impl Builtin {
    /// Every builtin, in slot order (`ALL[i].slot() == i`).
    pub const ALL: [Builtin; 12] = [
        Builtin::MemoryGrow,
        Builtin::MemoryFill,
        Builtin::MemoryCopy,
        Builtin::MemoryInit,
        Builtin::DataDrop,
        Builtin::TableGrow,
        Builtin::TableFill,
        Builtin::TableCopy,
        Builtin::TableInit,
        Builtin::ElemDrop,
        Builtin::EpochReached,
        Builtin::EnterWasm,
    ];

    /// The number of slots in the builtins table.
    pub const COUNT: usize = Self::ALL.len();

    /// The builtin's slot in the builtins table.
    pub const fn slot(self) -> u32 {
        self as u32
    }

    /// The builtin in `slot`, if any.
    pub fn from_slot(slot: u32) -> Option<Builtin> {
        Self::ALL.get(slot as usize).copied()
    }

    /// A stable name, for diagnostics and symbol names.
    pub const fn name(self) -> &'static str {
        match self {
            Builtin::MemoryGrow => "memory_grow",
            Builtin::MemoryFill => "memory_fill",
            Builtin::MemoryCopy => "memory_copy",
            Builtin::MemoryInit => "memory_init",
            Builtin::DataDrop => "data_drop",
            Builtin::TableGrow => "table_grow",
            Builtin::TableFill => "table_fill",
            Builtin::TableCopy => "table_copy",
            Builtin::TableInit => "table_init",
            Builtin::ElemDrop => "elem_drop",
            Builtin::EpochReached => "epoch_reached",
            Builtin::EnterWasm => "enter_wasm",
        }
    }

    /// Parameter types after the leading `vmctx`.
    pub const fn params(self) -> &'static [BuiltinType] {
        use BuiltinType::*;
        match self {
            Builtin::MemoryGrow => &[I32, I32],
            Builtin::MemoryFill => &[I32, I32, I32, I32],
            Builtin::MemoryCopy | Builtin::MemoryInit => &[I32, I32, I32, I32, I32],
            Builtin::DataDrop | Builtin::ElemDrop => &[I32],
            Builtin::TableGrow => &[I32, Ptr, I32],
            Builtin::TableFill => &[I32, I32, Ptr, I32],
            Builtin::TableCopy | Builtin::TableInit => &[I32, I32, I32, I32, I32],
            Builtin::EpochReached => &[],
            Builtin::EnterWasm => &[Ptr, Ptr, Ptr, Ptr],
        }
    }

    /// Result types (at most one).
    pub const fn results(self) -> &'static [BuiltinType] {
        match self {
            Builtin::DataDrop | Builtin::ElemDrop => &[],
            _ => &[BuiltinType::I32],
        }
    }

    /// For a fallible builtin, the trap compiled code raises when it returns a status other
    /// than [`BUILTIN_OK`]; `None` when the result is a value, not a status.
    pub const fn trap_code(self) -> Option<TrapCode> {
        match self {
            Builtin::MemoryFill | Builtin::MemoryCopy | Builtin::MemoryInit => {
                Some(TrapCode::MemoryOutOfBounds)
            }
            Builtin::TableFill | Builtin::TableCopy | Builtin::TableInit => {
                Some(TrapCode::TableOutOfBounds)
            }
            Builtin::EpochReached => Some(TrapCode::Interrupted),
            Builtin::MemoryGrow
            | Builtin::TableGrow
            | Builtin::DataDrop
            | Builtin::ElemDrop
            | Builtin::EnterWasm => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_dense_and_stable() {
        for (i, b) in Builtin::ALL.iter().enumerate() {
            assert_eq!(b.slot() as usize, i);
            assert_eq!(Builtin::from_slot(i as u32), Some(*b));
            assert!(b.results().len() <= 1);
        }
        assert_eq!(Builtin::from_slot(Builtin::COUNT as u32), None);
    }
}
