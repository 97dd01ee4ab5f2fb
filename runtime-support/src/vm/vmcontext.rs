//! The `#[repr(C)]` structures that compiled code and the interpreter share
//! (DESIGN.md, "The VMContext, in outline"). Offsets of the per-instance parts are computed
//! by [`crate::vm::VMOffsets`].

use std::ffi::c_void;

/// An untyped 16-byte value slot used by array calls: one argument or result each.
///
/// Integers and floats live in the low bytes (little-endian), references are a pointer-sized
/// raw value ([`VMFuncRef`] pointer or externref handle; 0 is null), `v128` uses all 16 bytes.
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValRaw {
    lo: u64,
    hi: u64,
}

impl ValRaw {
    /// A slot holding the 64 raw bits `bits` (upper half zero).
    pub const fn from_bits(bits: u64) -> Self {
        Self { lo: bits, hi: 0 }
    }
    /// A slot holding a `v128`.
    pub const fn from_v128(v: u128) -> Self {
        Self { lo: v as u64, hi: (v >> 64) as u64 }
    }
    /// The low 64 bits: any scalar or reference value.
    pub const fn bits(self) -> u64 {
        self.lo
    }
    /// The whole 128 bits.
    pub const fn v128(self) -> u128 {
        (self.hi as u128) << 64 | self.lo as u128
    }
}

/// The opaque context pointer a callee receives; what it points to depends on the callee
/// (an instance [`VMContext`], an interpreter function context, a host function context).
#[repr(C)]
pub struct VMOpaqueContext {
    _private: [u8; 0],
}

/// Marker type for an instance's VMContext (its layout is given by [`crate::vm::VMOffsets`]).
#[repr(C)]
pub struct VMContext {
    _private: [u8; 0],
}

/// The array-call entry of every function, usable by anyone:
/// `fn(callee_vmctx, caller_vmctx, args_and_results, len) -> ok`.
///
/// Arguments are read from `args_and_results[..params]`; results are written to
/// `args_and_results[..results]`; `len` is `max(params, results)`. `caller_vmctx` is the
/// calling instance's [`VMContext`], or null when the host calls. Returns `false` when the
/// call unwound (trap or exit); the reason is then in the store's pending unwind slot
/// (see [`crate::vm::Store::take_pending_unwind`]).
pub type ArrayCallFn = unsafe extern "C" fn(
    callee_vmctx: *mut VMOpaqueContext,
    caller_vmctx: *mut VMContext,
    args_and_results: *mut ValRaw,
    len: usize,
) -> bool;

/// A canonical (process-wide) function type id; equal ids mean equal signatures.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VMSharedTypeId(pub u32);

/// A function reference: what a `funcref` value points to. One per function per instance,
/// in the instance's VMContext (or in a host function's context).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct VMFuncRef {
    /// The array-call entry.
    pub array_call: ArrayCallFn,
    /// The native wasm-call entry, or null when the function has no native code.
    pub wasm_call: *const u8,
    /// The function's canonical signature id (checked by `call_indirect`).
    pub type_id: VMSharedTypeId,
    /// The context to pass as `callee_vmctx`.
    pub vmctx: *mut VMOpaqueContext,
}

/// An imported function as the importing instance sees it.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct VMFunctionImport {
    /// The native wasm-call entry, or null.
    pub wasm_call: *const u8,
    /// The array-call entry.
    pub array_call: ArrayCallFn,
    /// The context to pass as `callee_vmctx`.
    pub vmctx: *mut VMOpaqueContext,
}

/// A linear memory's current extent: `base` points to byte 0, `current_length` is in bytes
/// (a multiple of 64 KiB). Updated in place by `memory.grow`.
///
/// The length is atomic because a shared memory's definition is read by the threads
/// running its instances while another thread grows it (compiled code reads it with a
/// plain load, which is what a relaxed atomic load is on x86_64 and aarch64). A shared
/// memory's `base` never changes.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemoryDefinition {
    /// Address of byte 0.
    pub base: *mut u8,
    /// Accessible length in bytes.
    pub current_length: std::sync::atomic::AtomicUsize,
}

impl VMMemoryDefinition {
    /// A definition of `length` bytes at `base`.
    pub fn new(base: *mut u8, length: usize) -> Self {
        Self { base, current_length: std::sync::atomic::AtomicUsize::new(length) }
    }

    /// The accessible length in bytes (a relaxed load: a thread sees another's growth of
    /// a shared memory at the latest once it synchronizes with that thread, e.g. through
    /// an atomic instruction).
    #[inline(always)]
    pub fn length(&self) -> usize {
        self.current_length.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A table's current extent: `base` points to `current_elements` raw references
/// (pointer-sized; 0 is null). Updated in place by `table.grow`.
#[repr(C)]
#[derive(Debug)]
pub struct VMTableDefinition {
    /// Address of element 0.
    pub base: *mut usize,
    /// Number of elements.
    pub current_elements: usize,
}

/// A global's storage: 16 bytes, 16-byte aligned; scalars and references in the low bytes.
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug, Default)]
pub struct VMGlobalDefinition {
    bits: ValRaw,
}

impl VMGlobalDefinition {
    /// The stored value.
    pub fn get(&self) -> ValRaw {
        self.bits
    }
    /// Replaces the stored value.
    pub fn set(&mut self, v: ValRaw) {
        self.bits = v;
    }
}

/// Per-store state that compiled code and the interpreter reach through every VMContext.
#[repr(C)]
#[derive(Debug)]
pub struct VMStoreContext {
    /// Lowest native stack address wasm may use; the prologue check traps below it.
    pub stack_limit: usize,
    /// The epoch at or after which execution is interrupted (`u64::MAX`: never).
    pub epoch_deadline: u64,
    /// Pointer to the engine-wide epoch counter.
    pub epoch_counter: *const std::sync::atomic::AtomicU64,
    /// Frame pointer of the innermost host-to-wasm entry (for unwinding compiled code).
    pub last_wasm_entry_fp: usize,
    /// The owning [`crate::vm::Store`].
    pub store: *const c_void,
    /// Fuel left: code compiled or translated with fuel checks consumes one unit at each
    /// function entry and loop iteration and traps `all fuel consumed` when it would go
    /// below zero.
    pub fuel: i64,
}

/// The fixed header at the start of every instance VMContext.
#[repr(C)]
#[derive(Debug)]
pub struct VMContextHeader {
    /// [`VMCONTEXT_MAGIC`].
    pub magic: u32,
    /// Padding; zero.
    pub _pad: u32,
    /// The store's shared state.
    pub store: *mut VMStoreContext,
    /// The runtime builtins table (memory.grow, table ops, bulk memory, epoch checks, the
    /// host-to-wasm entry).
    pub builtins: *const super::builtins::VMBuiltins,
    /// Canonical type ids, indexed by the module's type index.
    pub type_ids: *const VMSharedTypeId,
    /// The owning Rust [`crate::instance::InstanceData`].
    pub instance: *mut c_void,
}

/// Magic number at the start of every instance VMContext: `"kiln"` little-endian.
pub const VMCONTEXT_MAGIC: u32 = u32::from_le_bytes(*b"kiln");
