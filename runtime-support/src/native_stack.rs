//! How much native stack the current thread has left, so that recursion through host
//! functions ends in `call stack exhausted` instead of a native stack overflow, whatever
//! the thread's stack size.

use std::cell::Cell;

/// Native stack kept free below the point where wasm entry is refused: room for the host
/// function and the runtime frames that may still run (bytes).
const RESERVE: usize = 128 * 1024;

thread_local! {
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

fn current_sp() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn stack_low_end() -> Option<usize> {
    // SAFETY: attr is initialized by pthread_getattr_np before use and destroyed after.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (rc == 0).then_some(addr as usize)
    }
}

#[cfg(target_os = "macos")]
fn stack_low_end() -> Option<usize> {
    // SAFETY: these calls only read the current thread's attributes.
    unsafe {
        let t = libc::pthread_self();
        let high = libc::pthread_get_stackaddr_np(t) as usize;
        let size = libc::pthread_get_stacksize_np(t);
        Some(high - size)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn stack_low_end() -> Option<usize> {
    None
}

/// The lowest stack address wasm entry may use on this thread (0 if unknown).
pub fn limit() -> usize {
    LIMIT.with(|l| {
        if l.get() == 0 {
            let low = stack_low_end().unwrap_or_else(|| current_sp().saturating_sub(1 << 20));
            l.set(low + RESERVE);
        }
        l.get()
    })
}

/// Whether the current thread has enough native stack left to enter wasm again.
pub fn has_headroom() -> bool {
    current_sp() > limit()
}
