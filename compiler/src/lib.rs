//! Kiln's ahead-of-time compiler.
//!
//! Translates a validated module ([`kiln_runtime_support::module::ModuleInfo`]) to Cranelift
//! IR and produces machine code for x86_64 or aarch64 ([`compile_module`]): per function the
//! code bytes, relocations for direct calls, trap sites and a map from code to wasm offsets
//! (DESIGN.md, principles 2 to 5), lays that code out into one position-independent,
//! already-linked text with its tables ([`link()`]) and writes it as an artifact
//! ([`compile_artifact`]), or writes it as a relocatable ELF object with DWARF
//! ([`emit_object`], see [`object`]).
//!
//! # Operators
//!
//! The translator ([`compile_module`]) handles every operator of WebAssembly Core 2.0: the
//! MVP, sign extension, saturating float-to-int conversions, multi-value, bulk memory,
//! reference types and 128-bit SIMD, plus relaxed SIMD (with the deterministic semantics the
//! interpreter documents, so both engines give the same bits). It visits wasmparser's
//! operators exhaustively, so an operator of any other proposal is refused with an
//! `unsupported` [`CompileError`](kiln_runtime_support::CompileError) naming the proposal
//! (`the tail-call proposal is not supported yet (operator ReturnCall)`), and an operator that
//! a new wasmparser adds does not compile until it is translated or refused.
//!
//! # The compiled-code ABI
//!
//! This is the contract between compiled code and the runtime that loads it.
//!
//! ## Functions
//!
//! Every defined wasm function compiles to one function with the target's default calling
//! convention (System V on x86_64 Linux, AAPCS64 on aarch64) and the signature
//! `(callee_vmctx: ptr, caller_vmctx: ptr, params...) -> results`. `i32`/`i64`/`f32`/`f64`
//! are passed as such, `v128` as a Cranelift `i8x16` (a vector register); `funcref` and
//! `externref` as a pointer-sized raw reference (0 is null). Several results use Cranelift's
//! multi-value returns (registers first, the rest through an implicit return area,
//! `enable_multi_ret_implicit_sret`). `callee_vmctx` is the
//! instance's VMContext; `caller_vmctx` is the caller's (unused by the callee today; it lets
//! host functions find the calling instance).
//!
//! Only 64-bit little-endian targets are supported; the VMContext field offsets are those of
//! the host's `#[repr(C)]` structures, which the compiler asserts is 64-bit.
//!
//! ## VMContext
//!
//! The layout is [`kiln_runtime_support::vm::VMOffsets::new`] for the module; compiled code
//! loads at those offsets:
//! - memory `i`: `VMMemoryDefinition { base, current_length }` inline for defined memories,
//!   a pointer to it for imported ones. With [`BoundsChecks::GuardPages`] compiled code
//!   assumes `base` never changes once the instance exists (the runtime reserves 4 GiB plus
//!   the guard for every memory, so growing never moves one) and loads it once per
//!   function, hoisted out of loops; with [`BoundsChecks::Explicit`] it reloads `base` after
//!   every call. `current_length` is reloaded after every call;
//! - imported function `i`: `VMFunctionImport { wasm_call, array_call, vmctx }`;
//! - table `i`: `VMTableDefinition { base, current_elements }` (inline / by pointer);
//! - global `i`: a 16-byte slot with the value in its low bytes (inline / by pointer);
//! - function `i`: `VMFuncRef { array_call, wasm_call, type_id, vmctx }`.
//!
//! The header gives `store` (`VMStoreContext`, whose `stack_limit`, `epoch_deadline` and
//! `epoch_counter` compiled code reads), `builtins` (the builtins table) and `type_ids`
//! (a `u32` canonical type id per module type index).
//!
//! ## Calls
//!
//! - A call to a defined function is a direct `call` to that function, with
//!   `callee_vmctx = caller_vmctx`; it is recorded as a [`Relocation`] naming the target
//!   function index ([`RelocKind::X86CallPcRel4`] or [`RelocKind::Arm64Call`]), resolved by
//!   [`link()`] when it lays the module's functions out.
//! - A call to an imported function loads its `VMFunctionImport` and calls `wasm_call`
//!   (which the runtime guarantees non-null) with `(import.vmctx, own vmctx, args...)`. For a
//!   callee with native code these are its own entry and VMContext; for a callee without
//!   (host or interpreted function) the runtime stores this module's wasm-to-array
//!   trampoline of the import's signature in `wasm_call` and the address of the importer's
//!   own `VMFuncRef` copy of the import in `vmctx` (see [`trampoline`]).
//! - `call_indirect ty, t`: the index is checked against `current_elements` (trap
//!   `undefined element`); the element is a `*const VMFuncRef` (null traps
//!   `uninitialized element`); its `type_id` must equal `type_ids[ty]` (trap `indirect call
//!   type mismatch`); then, when its `wasm_call` is non-null, that is called with
//!   `(funcref.vmctx, own vmctx, args...)`; when it is null (host or interpreted callee),
//!   the module's wasm-to-array trampoline for `ty` is called directly (a
//!   [`RelocTarget::WasmToArray`] relocation) with `(funcref, own vmctx, args...)`. Any
//!   funcref, from any engine, is therefore callable from compiled code.
//! - `ref.func f` is the address of the instance's own `VMFuncRef` for `f` in its VMContext
//!   (for imported functions the runtime fills that slot from the import).
//!
//! ## Memory accesses
//!
//! [`BoundsChecks::GuardPages`]: the address is `base + zext(index) + offset`, unchecked; the
//! load or store is a trap site `out of bounds memory access`, relying on a reservation of
//! 4 GiB plus [`CompilerSettings::guard_bytes`]; accesses whose `offset + size` exceed the
//! guard are checked as in explicit mode. [`BoundsChecks::Explicit`]: `zext(index) + offset +
//! size > current_length` traps (a conditional trap instruction) before the access.
//!
//! ## Builtins
//!
//! Everything not inlined (`memory.grow`, `memory.fill`/`copy`/`init`, `data.drop`,
//! `table.grow`/`fill`/`copy`/`init`, `elem.drop`, the epoch slow path) calls a
//! [`kiln_runtime_support::vm::builtins::Builtin`] by loading its entry (at
//! [`Builtin::offset`](kiln_runtime_support::vm::builtins::Builtin::offset), slot times
//! pointer size) from the header's typed builtins table
//! ([`VMBuiltins`](kiln_runtime_support::vm::builtins::VMBuiltins)) and calling it indirectly
//! with `(vmctx, args...)` in the default calling convention, with the signature built from
//! the builtin's declared parameters and results. Builtins never unwind: a fallible one
//! returns a `u32` status (0 = ok) and compiled code traps with the builtin's
//! [`trap_code`](kiln_runtime_support::vm::builtins::Builtin::trap_code) when it is not 0.
//! `memory.size`, `table.size`, `table.get`/`set` and `ref.*` are inline.
//!
//! ## Traps and checks
//!
//! Traps are Cranelift trap instructions or faulting loads/stores; every one is a
//! [`TrapSite`] carrying the Kiln [`kiln_runtime_support::TrapCode`] (see [`traps`] for the
//! Cranelift codes). The prologue of every function with a frame compares the stack pointer
//! with `VMStoreContext::stack_limit` and traps `call stack exhausted`. With
//! [`CompilerSettings::epoch_interruption`], function entries and loop headers compare
//! `*epoch_counter` with `epoch_deadline` and call the `EpochReached` builtin when reached.
//! Frame pointers are always kept.
//!
//! ## Trampolines
//!
//! [`compile_trampolines`] builds, per defined function, the array-to-wasm body and the
//! array-call entry (what `VMFuncRef::array_call` points to; it enters wasm through the
//! `EnterWasm` builtin, which handles traps), and per distinct signature a wasm-to-array
//! trampoline; see [`trampoline`] for their contracts. A wasm-to-array trampoline whose
//! array call returns `false` executes a trap whose site code is
//! [`kiln_runtime_support::TrapCode::HostError`] ([`traps::UNWIND_PENDING`]): the callee's
//! reason is already the store's pending unwind.
//!
//! ## Relocations
//!
//! Every relocation targets code of the same module ([`RelocTarget`]) and is PC-relative
//! (`call`/`lea` rel32 on x86_64; `bl`, `adrp`+`add` on aarch64), so a module's code is
//! position-independent once [`link()`] has laid it out and applied them.

#![warn(missing_docs)]

mod abi;
pub mod artifact;
mod code;
mod compile;
mod link;
mod loop_layout;
pub mod memory_image;
pub mod object;
mod settings;
pub mod trampoline;
mod translate;
pub mod traps;

pub use artifact::{compile_artifact, write_artifact};
pub use code::{
    AddressMapEntry, CompiledCode, CompiledFunction, RelocKind, RelocTarget, Relocation, TrapSite,
};
pub use compile::{compile_module, compile_module_with_progress, function_ir};
pub use link::link;
pub use object::{emit_object, write_object};
pub use settings::{BoundsChecks, CRANELIFT_VERSION, CompilerSettings, CpuLevel, OptLevel};
pub use target_lexicon::Triple;
pub use trampoline::{
    Trampolines, compile_array_entry_trampoline, compile_array_to_wasm_trampoline,
    compile_trampolines, compile_wasm_to_array_trampoline, wasm_to_array_type,
};
