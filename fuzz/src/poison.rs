//! A global allocator that overwrites every block it frees with [`POISON`] before handing
//! it back to the system allocator: a use after free through a dangling pointer then
//! reads `0xA5A5...` (an unmapped address when it is used as a pointer, a garbage value
//! otherwise) instead of the stale contents that usually still work, so the fuzzer sees
//! a crash or a mismatch where undefined behaviour would otherwise pass silently. Stable
//! Rust has no sanitizers; this is the cheap part of one.

use std::alloc::{GlobalAlloc, Layout, System};

/// The byte freed blocks are filled with.
pub const POISON: u8 = 0xA5;

/// [`System`], poisoning on free.
pub struct PoisonOnFree;

// SAFETY: every method forwards to `System` with the caller's arguments; `dealloc` writes
// only inside the block being freed (`ptr .. ptr + layout.size()`), which the caller still
// owns until `System.dealloc` returns.
unsafe impl GlobalAlloc for PoisonOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated with `layout` and is owned by the caller until freed.
        unsafe {
            std::ptr::write_bytes(ptr, POISON, layout.size());
            System.dealloc(ptr, layout);
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }
}
