//! The unwinder of compiled code: finds the handler of a thrown exception in the compiled
//! frames above the innermost host-to-wasm entry, and resumes at its landing pad
//! (exception handling; see [`crate::vm::handler_table`] for the tables it reads).
//!
//! A throw from compiled code first tries the handlers of the throwing function itself (the
//! compiler matches their tags in code); if none catches, it calls the [`throw`] builtin with
//! its own frame pointer. An exception that an interpreted or host callee of compiled code
//! ends with comes back through a wasm-to-array trampoline, which calls
//! [`unwind_pending`] with its frame pointer. Either walks the frame-pointer chain from
//! there: each frame's return address is looked up in the handler table of the code it
//! lies in; the first clause whose tag is the exception's (or that catches all) gets the
//! exception. Execution then continues at the landing pad with the frame's stack and frame
//! pointers restored and the `exnref` in the first exception payload register of
//! Cranelift's `try_call` ABI (`rax` on x86_64, `x0` on aarch64), by the resume stub
//! `kiln_resume`. The frames skipped are compiled code and trampolines (which own nothing)
//! and the Rust frame of the builtin, which has dropped everything it owned by then.
//!
//! When no compiled frame up to the entry catches it, the exception becomes the store's
//! pending unwind and the builtin returns; its caller then executes a trap instruction, and
//! the trap path (`enter_wasm`) carries the exception on to the code that entered wasm, as
//! for a trap, where an interpreted frame or a further compiled one may catch it.

use super::state;
use crate::error::{ThrownException, Unwind};
use crate::instance::InstanceData;
use crate::vm::{Store, VMContext, VMContextHeader, VMTag};

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl kiln_resume",
    ".hidden kiln_resume",
    ".type kiln_resume, @function",
    "kiln_resume:",
    "mov rsp, rsi",
    "mov rbp, rdx",
    "mov rax, rcx",
    "xor edx, edx",
    "jmp rdi",
    ".size kiln_resume, . - kiln_resume",
);

#[cfg(all(target_arch = "aarch64", target_os = "linux"))]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl kiln_resume",
    ".hidden kiln_resume",
    ".type kiln_resume, %function",
    "kiln_resume:",
    "mov x16, x0",
    "mov sp, x1",
    "mov x29, x2",
    "mov x0, x3",
    "mov x1, xzr",
    "br x16",
    ".size kiln_resume, . - kiln_resume",
);

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
unsafe extern "C" {
    /// Continues at `pc` with stack pointer `sp`, frame pointer `fp` and `exn` in the first
    /// exception payload register (the second one zero). Never returns.
    fn kiln_resume(pc: usize, sp: usize, fp: usize, exn: u64) -> !;
}

/// Where an exception is caught: the landing pad and the frame to run it in.
struct Landing {
    pc: usize,
    sp: usize,
    fp: usize,
}

/// The store behind `vmctx`.
///
/// # Safety
/// `vmctx` is the VMContext of a live instance.
unsafe fn store_of<'a>(vmctx: *mut VMContext) -> &'a Store {
    // SAFETY: per the contract; the header's instance is live and names its store.
    unsafe {
        let inst = &*(*(vmctx as *const VMContextHeader)).instance.cast::<InstanceData>();
        inst.store()
    }
}

/// The first compiled frame from the caller of the frame at `fp` up to the innermost entry
/// that catches exceptions of `tag`.
///
/// # Safety
/// `fp` is the frame pointer of a compiled frame (a wasm function or trampoline) of this
/// thread, called from compiled code below the innermost entry.
unsafe fn find_landing(tag: *const VMTag, mut fp: usize) -> Option<Landing> {
    let entry = state::current();
    if entry.is_null() {
        return None;
    }
    // SAFETY: a non-null current entry is the live state of the innermost `enter_wasm`.
    let stop = unsafe { (*entry).regs.fp };
    while fp != 0 && fp < stop && fp.is_multiple_of(16) {
        // SAFETY: `fp` is a frame pointer of compiled code below the entry stub's frame;
        // compiled code keeps frame pointers: `[fp]` is the caller's FP, `[fp + 8]` the
        // return address into it.
        let (caller_fp, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if caller_fp <= fp {
            return None;
        }
        // SAFETY: `caller_fp` is the frame pointer of the frame that made the call.
        let hit =
            super::registry::with_code(ret, |c| unsafe { c.landing_for(ret, caller_fp, tag) });
        if let Some(Some((pc, sp))) = hit {
            return Some(Landing { pc, sp, fp: caller_fp });
        }
        fp = caller_fp;
    }
    None
}

/// Continues exception `exn` at `landing`.
///
/// # Safety
/// `landing` came from [`find_landing`] on this thread's stack, and nothing of the caller's
/// frames needs dropping.
unsafe fn resume(landing: Landing, exn: u64) -> ! {
    #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
    // SAFETY: per the contract: the landing pad expects exactly this SP and FP and the
    // exception in the first payload register; every register it reads after a `try_call`
    // is defined there (Cranelift treats them all as clobbered on the exceptional edge).
    unsafe {
        kiln_resume(landing.pc, landing.sp, landing.fp, exn)
    }
    #[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
    {
        let _ = (landing, exn);
        unreachable!("compiled code does not run on this host")
    }
}

/// The [`Builtin::Throw`](crate::vm::builtins::Builtin::Throw) builtin: see the module docs.
///
/// # Safety
/// `vmctx` is the live VMContext of the throwing instance, `exn` a live exception of its
/// store, `fp` the throwing function's frame pointer.
pub unsafe fn throw(vmctx: *mut VMContext, exn: u64, fp: usize) {
    // SAFETY: per the contract.
    let store = unsafe { store_of(vmctx) };
    let tag = store.exceptions.borrow().get(exn).map(|o| o.tag);
    if let Some(tag) = tag {
        // SAFETY: per the contract.
        if let Some(l) = unsafe { find_landing(tag, fp) } {
            // SAFETY: found on this stack; `store` is a reference, nothing to drop.
            unsafe { resume(l, exn) }
        }
    }
    store.set_pending_unwind(Unwind::Exception(ThrownException { exn, backtrace: Vec::new() }));
}

/// The [`Builtin::UnwindPending`](crate::vm::builtins::Builtin::UnwindPending) builtin: see
/// the module docs.
///
/// # Safety
/// `vmctx` is a live VMContext of the store, `fp` the wasm-to-array trampoline's frame
/// pointer.
pub unsafe fn unwind_pending(vmctx: *mut VMContext, fp: usize) {
    // SAFETY: per the contract.
    let store = unsafe { store_of(vmctx) };
    let pending = store.take_pending_unwind();
    let exn = match &pending {
        Some(Unwind::Exception(t)) => t.exn,
        _ => {
            if let Some(u) = pending {
                store.set_pending_unwind(u);
            }
            return;
        }
    };
    let tag = store.exceptions.borrow().get(exn).map(|o| o.tag);
    // SAFETY: per the contract.
    match tag.and_then(|tag| unsafe { find_landing(tag, fp) }) {
        Some(l) => {
            drop(pending);
            // SAFETY: found on this stack; the only owned value (the exception's
            // backtrace) was dropped.
            unsafe { resume(l, exn) }
        }
        None => store.set_pending_unwind(pending.expect("an exception is pending")),
    }
}
