//! Kiln's ahead-of-time compiler.
//!
//! Translates a validated module ([`kiln_runtime_support::module::ModuleInfo`]) to Cranelift
//! IR and produces machine code for x86_64 or aarch64 ([`compile_module`]): per function the
//! code bytes, relocations for direct calls, trap sites and a map from code to wasm offsets
//! (DESIGN.md, principles 2 to 5). Writing artifacts (blobs, ELF objects, DWARF) and linking
//! them into the runtime come later; this crate is the translator.
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
//! are passed as such; `funcref` and `externref` as a pointer-sized raw reference (0 is
//! null). Several results use Cranelift's multi-value returns (registers first, the rest
//! through an implicit return area, `enable_multi_ret_implicit_sret`). `callee_vmctx` is the
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
//!   a pointer to it for imported ones; base and length are reloaded at every access;
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
//!   function index ([`RelocKind::X86CallPcRel4`] or [`RelocKind::Arm64Call`]), resolved when
//!   the module's functions are laid out.
//! - A call to an imported function loads its `VMFunctionImport` and calls `wasm_call`
//!   (which the runtime guarantees non-null: native code or a trampoline) with
//!   `(import.vmctx, own vmctx, args...)`.
//! - `call_indirect ty, t`: the index is checked against `current_elements` (trap
//!   `undefined element`); the element is a `*const VMFuncRef` (null traps
//!   `uninitialized element`); its `type_id` must equal `type_ids[ty]` (trap `indirect call
//!   type mismatch`); then its `wasm_call` (non-null, as for imports) is called with
//!   `(funcref.vmctx, own vmctx, args...)`.
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
//! `table.grow`/`fill`/`copy`/`init`, `elem.drop`, the epoch slow path) calls
//! [`kiln_runtime_support::vm::builtins::Builtin`] number `i` by loading `builtins[i]` from
//! the header's builtins table and calling it indirectly with `(vmctx, args...)` in the
//! default calling convention. Builtins never unwind: a fallible one returns a `u32` status
//! (0 = ok) and compiled code traps with the builtin's
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
//! ## Array-call entries
//!
//! [`compile_array_to_wasm_trampoline`] builds a function's `array_call` entry
//! (`(callee_vmctx, caller_vmctx, *mut ValRaw, len) -> bool`): arguments are read from and
//! results written to the low bytes of the 16-byte slots (the rest of a result slot is left
//! as it was), and it calls the function directly (a relocation to its index).

#![warn(missing_docs)]

mod abi;
mod code;
mod compile;
mod settings;
mod trampoline;
mod translate;
pub mod traps;

pub use code::{AddressMapEntry, CompiledCode, CompiledFunction, RelocKind, Relocation, TrapSite};
pub use compile::{compile_module, function_ir};
pub use settings::{BoundsChecks, CRANELIFT_VERSION, CompilerSettings, CpuLevel, OptLevel};
pub use target_lexicon::Triple;
pub use trampoline::compile_array_to_wasm_trampoline;
