//! The signal handlers: turn a fault or trap instruction in compiled wasm code into a
//! resumption at the innermost host-to-wasm entry (DESIGN.md principle 4).
//!
//! Installed once per process for SIGSEGV, SIGBUS, SIGILL and SIGFPE, on the alternate
//! signal stack. A signal whose program counter is not a trap site of registered code, or
//! that arrives on a thread not running wasm, goes to the handler installed before ours.

use super::state::{self, EntryState};
use std::mem::MaybeUninit;
use std::sync::Once;

const SIGNALS: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// The handlers that were installed before ours, by index in [`SIGNALS`].
static mut PREVIOUS: [MaybeUninit<libc::sigaction>; 4] = [MaybeUninit::zeroed(); 4];
static INSTALL: Once = Once::new();

/// Installs the handlers (once per process).
pub fn install() {
    INSTALL.call_once(|| {
        for (i, &sig) in SIGNALS.iter().enumerate() {
            // SAFETY: `sa` is fully initialized before use; PREVIOUS is written only here,
            // inside `call_once`, before our handler can run for `sig`.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = handler as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut sa.sa_mask);
                let prev = (&raw mut PREVIOUS[i]).cast::<libc::sigaction>();
                if libc::sigaction(sig, &sa, prev) != 0 {
                    // Could not install: keep whatever was there.
                    std::ptr::write_bytes(prev, 0, 1);
                }
            }
        }
    });
}

/// The program counter, stack pointer and frame pointer of an interrupted context.
///
/// # Safety
/// `uc` must be the `ucontext_t` the kernel passed to a signal handler.
unsafe fn regs(uc: *mut libc::c_void) -> (usize, usize, usize) {
    let uc = uc.cast::<libc::ucontext_t>();
    // SAFETY: per the contract.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        {
            let g = &(*uc).uc_mcontext.gregs;
            (
                g[libc::REG_RIP as usize] as usize,
                g[libc::REG_RSP as usize] as usize,
                g[libc::REG_RBP as usize] as usize,
            )
        }
        #[cfg(target_arch = "aarch64")]
        {
            let m = &(*uc).uc_mcontext;
            (m.pc as usize, m.sp as usize, m.regs[29] as usize)
        }
    }
}

/// Makes the interrupted context continue at `pc` with the given stack and frame pointers.
///
/// # Safety
/// As [`regs`]; the new context must be a valid place to continue.
unsafe fn resume_at(uc: *mut libc::c_void, pc: usize, sp: usize, fp: usize) {
    let uc = uc.cast::<libc::ucontext_t>();
    // SAFETY: per the contract.
    unsafe {
        #[cfg(target_arch = "x86_64")]
        {
            let g = &mut (*uc).uc_mcontext.gregs;
            g[libc::REG_RIP as usize] = pc as i64;
            g[libc::REG_RSP as usize] = sp as i64;
            g[libc::REG_RBP as usize] = fp as i64;
        }
        #[cfg(target_arch = "aarch64")]
        {
            let m = &mut (*uc).uc_mcontext;
            m.pc = pc as u64;
            m.sp = sp as u64;
            m.regs[29] = fp as u64;
        }
    }
}

unsafe extern "C" fn handler(sig: libc::c_int, info: *mut libc::siginfo_t, uc: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid ucontext.
    let (pc, _sp, fp) = unsafe { regs(uc) };
    let entry = state::current();
    if !entry.is_null()
        && let Some(code) = super::registry::with_code(pc, |c| c.trap_at(pc)).flatten()
    {
        // SAFETY: a non-null current entry is the live EntryState of the innermost
        // `enter_wasm` on this thread, whose stub frame is below us on the stack.
        let e = unsafe { &mut *entry };
        record(e, code, pc, fp);
        // SAFETY: the landing pad expects exactly the stub's saved SP and FP.
        unsafe {
            resume_at(
                uc,
                super::entry::kiln_wasm_entry_landing as *const () as usize,
                e.regs.sp,
                e.regs.fp,
            )
        };
        return;
    }
    // SAFETY: chaining with the kernel's arguments.
    unsafe { chain(sig, info, uc) };
}

/// Records the trap and the return addresses of the compiled frames between the fault and
/// the entry (walking frame pointers; no allocation).
fn record(e: &mut EntryState, code: crate::trap::TrapCode, pc: usize, mut fp: usize) {
    e.trap = Some(code);
    e.npcs = 0;
    let push = |e: &mut EntryState, v: usize| {
        if e.npcs < e.cap {
            // SAFETY: `pcs` holds `cap` slots (see `EntryState`).
            unsafe { *e.pcs.add(e.npcs) = v };
            e.npcs += 1;
        }
    };
    push(e, pc);
    let stop = e.regs.fp;
    while fp != 0 && fp < stop && fp.is_multiple_of(std::mem::align_of::<usize>()) && e.npcs < e.cap
    {
        // SAFETY: `fp` is a frame pointer of compiled code between the fault and the entry
        // stub (checked to lie below the stub's frame); compiled code keeps frame pointers,
        // so `[fp]` is the caller's FP and `[fp + 8]` the return address.
        let (next, ra) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        push(e, ra.wrapping_sub(1));
        if next <= fp {
            break;
        }
        fp = next;
    }
}

/// Passes a signal that is not ours to the previously installed handler.
///
/// # Safety
/// Called from our handler with the kernel's arguments.
unsafe fn chain(sig: libc::c_int, info: *mut libc::siginfo_t, uc: *mut libc::c_void) {
    let Some(i) = SIGNALS.iter().position(|&s| s == sig) else { return };
    // SAFETY: PREVIOUS[i] was written during installation, before this handler ran.
    // (`i < SIGNALS.len()`, and `MaybeUninit<T>` has `T`'s layout.)
    let prev = unsafe { &*(&raw const PREVIOUS).cast::<libc::sigaction>().add(i) };
    let action = prev.sa_sigaction;
    if action == libc::SIG_DFL || action == libc::SIG_IGN {
        // Restore the default and return: the instruction faults again and the default
        // action (terminate with a core dump) happens.
        // SAFETY: resetting a signal disposition to its default.
        unsafe {
            let mut dfl: libc::sigaction = std::mem::zeroed();
            dfl.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(sig, &dfl, std::ptr::null_mut());
        }
    } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: the previous handler was installed with SA_SIGINFO, so it has this type.
        let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
            unsafe { std::mem::transmute(action) };
        f(sig, info, uc);
    } else {
        // SAFETY: a plain handler takes the signal number.
        let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(action) };
        f(sig);
    }
}

/// Makes sure the current thread has an alternate signal stack (so the handler runs even
/// when the fault is a stack overflow).
pub fn ensure_alt_stack() {
    thread_local! {
        static ALT: AltStack = AltStack::new();
    }
    ALT.with(|_| {});
}

struct AltStack {
    mapping: *mut libc::c_void,
    size: usize,
}

const ALT_STACK_SIZE: usize = 64 * 1024;

impl AltStack {
    fn new() -> AltStack {
        // SAFETY: querying the current alternate stack.
        let mut old: libc::stack_t = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        let rc = unsafe { libc::sigaltstack(std::ptr::null(), &mut old) };
        if rc == 0 && old.ss_flags & libc::SS_DISABLE == 0 && old.ss_size >= 16 * 1024 {
            return AltStack { mapping: std::ptr::null_mut(), size: 0 };
        }
        // SAFETY: a fresh anonymous mapping; checked below.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                ALT_STACK_SIZE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return AltStack { mapping: std::ptr::null_mut(), size: 0 };
        }
        let st = libc::stack_t { ss_sp: p, ss_flags: 0, ss_size: ALT_STACK_SIZE };
        // SAFETY: the mapping lives until this thread-local is dropped (thread exit), where
        // the alternate stack is disabled first.
        unsafe { libc::sigaltstack(&st, std::ptr::null_mut()) };
        AltStack { mapping: p, size: ALT_STACK_SIZE }
    }
}

impl Drop for AltStack {
    fn drop(&mut self) {
        if !self.mapping.is_null() {
            // SAFETY: disable our alternate stack, then unmap it; no handler runs on it now.
            unsafe {
                let st = libc::stack_t {
                    ss_sp: std::ptr::null_mut(),
                    ss_flags: libc::SS_DISABLE,
                    ss_size: 0,
                };
                libc::sigaltstack(&st, std::ptr::null_mut());
                libc::munmap(self.mapping, self.size);
            }
        }
    }
}
