//! Per-thread entry state: the chain of active host-to-wasm entries the signal handler
//! resumes at, and the buffer it records trap backtraces into.

use super::entry::EntryRegs;
use crate::trap::TrapCode;
use std::cell::{Cell, UnsafeCell};

/// Most program counters recorded for one trap's backtrace (innermost first).
pub const MAX_FRAMES: usize = 4096;

/// One active `enter_wasm` call, on its Rust stack frame.
#[repr(C)]
#[derive(Debug)]
pub struct EntryState {
    /// Written by the entry stub (must stay first).
    pub regs: EntryRegs,
    /// The entry this one is nested in.
    pub prev: *mut EntryState,
    /// Set by the signal handler: the trap that ended the call.
    pub trap: Option<TrapCode>,
    /// Buffer of `cap` program counters the signal handler fills (`npcs` used).
    pub pcs: *mut usize,
    /// Capacity of `pcs`.
    pub cap: usize,
    /// Entries of `pcs` in use.
    pub npcs: usize,
}

thread_local! {
    static CURRENT: Cell<*mut EntryState> = const { Cell::new(std::ptr::null_mut()) };
    static PCS: UnsafeCell<Vec<usize>> = const { UnsafeCell::new(Vec::new()) };
}

/// The innermost active entry of this thread, or null.
pub fn current() -> *mut EntryState {
    CURRENT.with(Cell::get)
}

/// Makes `e` the innermost entry; returns the previous one.
pub fn push(e: *mut EntryState) -> *mut EntryState {
    CURRENT.with(|c| c.replace(e))
}

/// Restores `prev` as the innermost entry.
pub fn pop(prev: *mut EntryState) {
    CURRENT.with(|c| c.set(prev));
}

/// This thread's backtrace buffer (allocated on first use, outside signal handlers).
pub fn pc_buffer() -> (*mut usize, usize) {
    PCS.with(|p| {
        // SAFETY: the buffer is only touched here (normal context, before entering wasm)
        // and by the signal handler through the raw pointer while wasm runs.
        let v = unsafe { &mut *p.get() };
        if v.len() < MAX_FRAMES {
            v.resize(MAX_FRAMES, 0);
        }
        (v.as_mut_ptr(), v.len())
    })
}
