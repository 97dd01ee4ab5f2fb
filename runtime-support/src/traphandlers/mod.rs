//! Trap handling for compiled code (DESIGN.md principles 4 and 5).
//!
//! # Design
//!
//! Every way into compiled code goes through a function's array-call entry trampoline,
//! which calls [`enter_wasm`] (the [`Builtin::EnterWasm`](crate::vm::builtins::Builtin)
//! slot of the builtins table) with the function's array-to-wasm body. `enter_wasm` sets
//! the store's `stack_limit`, pushes an [`state::EntryState`] on this thread's entry chain
//! and runs the body through the assembly stub [`entry`], which saves all callee-saved
//! registers and its SP/FP in the entry state.
//!
//! Faults and trap instructions in compiled code raise SIGSEGV/SIGBUS/SIGILL/SIGFPE. The
//! handler (`signals.rs`) looks the PC up in the code [`registry`]; when it is a trap site
//! and the thread is inside an entry, it records the trap code and the return addresses
//! of the compiled frames (walking frame pointers up to the stub's frame), then rewrites
//! the interrupted context to the stub's landing pad with the stub's SP/FP. The stub then
//! returns 0, as if the body had returned `false`, and `enter_wasm` turns the record into
//! a [`Trap`] with a backtrace and stores it as the store's pending unwind. Only compiled
//! frames (which own nothing) are skipped; no longjmp crosses Rust frames.
//!
//! Traps raised by builtins (a status return, then a trap instruction) and by `trapnz`
//! take the same path. When an array call made by compiled code (a host or interpreted
//! callee, through a wasm-to-array trampoline) returns `false`, the trampoline executes a
//! trap instruction whose site code is [`TrapCode::HostError`]: the callee already stored
//! its reason as the pending unwind, so `enter_wasm` keeps it and only appends the
//! compiled frames to its backtrace.

pub mod entry;
pub mod registry;
#[cfg(target_os = "linux")]
mod signals;
pub mod state;
pub mod throw;

use crate::error::Unwind;
use crate::instance::InstanceData;
use crate::trap::{FrameInfo, Trap, TrapCode};
use crate::vm::listener::AbortCause;
use crate::vm::{ArrayCallFn, Store, VMContext, VMContextHeader, VMOpaqueContext, ValRaw};
use state::EntryState;

/// Whether compiled code can run on this host (signal-based trap handling exists).
pub const SUPPORTED: bool =
    cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")));

/// Installs the process-wide signal handlers (idempotent).
pub fn init() {
    #[cfg(target_os = "linux")]
    signals::install();
}

/// The host-to-wasm entry (builtin slot `EnterWasm`, see the module docs): runs `body`
/// with the array-call arguments and returns 1 when it returned normally, 0 when the call
/// unwound, with the reason stored as the store's pending unwind.
///
/// # Safety
/// `callee_vmctx` must be the VMContext of a live compiled instance, `body` the
/// array-to-wasm body of one of its functions, and `values` hold `len` slots as the
/// array-call contract requires.
pub unsafe extern "C" fn enter_wasm(
    callee_vmctx: *mut VMContext,
    caller_vmctx: *mut VMContext,
    values: *mut ValRaw,
    len: usize,
    body: ArrayCallFn,
) -> u32 {
    // SAFETY: per the contract, the header is initialized and its store is live.
    let (sc, inst) = unsafe {
        let h = &*(callee_vmctx as *const VMContextHeader);
        (h.store, h.instance.cast::<InstanceData>())
    };
    // SAFETY: the store context points back at its live store.
    let store = unsafe { &*((*sc).store as *const Store) };
    if !SUPPORTED {
        store.set_pending_unwind(Unwind::Trap(Trap::host("compiled code cannot run on this host")));
        return 0;
    }
    if !crate::native_stack::has_headroom() {
        store.set_pending_unwind(TrapCode::CallStackExhausted.into());
        return 0;
    }
    #[cfg(target_os = "linux")]
    signals::ensure_alt_stack();
    let listened_depth = store.listened_depth();
    let (pcs, cap) = state::pc_buffer();
    let mut e = EntryState {
        regs: Default::default(),
        prev: std::ptr::null_mut(),
        trap: None,
        pcs,
        cap,
        npcs: 0,
    };
    // SAFETY: the store context is live; the store runs on this thread only.
    let saved_limit =
        unsafe { std::mem::replace(&mut (*sc).stack_limit, crate::native_stack::limit()) };
    // SAFETY: as above.
    let saved_fp = unsafe { (*sc).last_wasm_entry_fp };
    e.prev = state::push(&mut e);
    // SAFETY: as above. (The stub records the precise entry frame in `e.regs`.)
    unsafe { (*sc).last_wasm_entry_fp = &raw const e.regs as usize };
    // SAFETY: `body` is an array-call function per the contract; the stub preserves every
    // callee-saved register even when the signal handler resumes at its landing pad.
    let ok = unsafe {
        entry::kiln_wasm_entry(
            body,
            callee_vmctx.cast::<VMOpaqueContext>(),
            caller_vmctx,
            values,
            len,
            &mut e.regs,
        )
    };
    state::pop(e.prev);
    // SAFETY: as above.
    unsafe {
        (*sc).stack_limit = saved_limit;
        (*sc).last_wasm_entry_fp = saved_fp;
    }
    if ok != 0 {
        return 1;
    }
    let Some(code) = e.trap else {
        // The body returned `false` itself; its reason is already pending.
        if store.listened_depth() > listened_depth
            && let Some(unwind) = store.take_pending_unwind()
        {
            store.abort_listened(listened_depth, AbortCause::Unwind(&unwind));
            store.set_pending_unwind(unwind);
        }
        return 0;
    };
    // Frames are looked up only for a trap: an exit (`proc_exit`) has no backtrace, and
    // looking frames up reads the cold address map (verifying its digest on first use).
    let unwind = if code == TrapCode::HostError {
        let mut u = store
            .take_pending_unwind()
            .unwrap_or_else(|| Unwind::Trap(Trap::host("call unwound without a reason")));
        match &mut u {
            Unwind::Trap(t) => backtrace(inst, &e).into_iter().for_each(|f| t.push_frame(f)),
            // An exception passing through compiled frames (they have no handlers) lists
            // them in its backtrace too.
            Unwind::Exception(x) => x.backtrace.extend(backtrace(inst, &e)),
            Unwind::Exit(_) => {}
        }
        u
    } else {
        let mut t = Trap::new(code);
        backtrace(inst, &e).into_iter().for_each(|f| t.push_frame(f));
        Unwind::Trap(t)
    };
    store.abort_listened(listened_depth, AbortCause::Unwind(&unwind));
    store.set_pending_unwind(unwind);
    0
}

/// The wasm frames of a trap recorded in `e`, innermost first. Frames of the entry's own
/// module are named after the entry instance; others after their module's name section.
fn backtrace(entry_instance: *mut InstanceData, e: &EntryState) -> Vec<FrameInfo> {
    // SAFETY: the entry instance is live for the whole call.
    let inst = unsafe { &*entry_instance };
    let mut frames = Vec::new();
    for i in 0..e.npcs.min(e.cap) {
        // SAFETY: the handler filled `npcs` entries.
        let pc = unsafe { *e.pcs.add(i) };
        let Some(meta) = registry::lookup(pc) else { continue };
        let Some((func, wasm_offset)) = meta.wasm_location(pc) else { continue };
        let info = &meta.info;
        let module = if std::sync::Arc::ptr_eq(info, &inst.module.info) {
            inst.name.clone()
        } else {
            info.names.module.clone()
        };
        frames.push(FrameInfo::new(info, module, func, wasm_offset));
    }
    frames
}
