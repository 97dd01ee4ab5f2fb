//! Shared linear memories (threads proposal): one memory used at once by instances of
//! several stores, on several threads.
//!
//! A shared memory is reference-counted ([`SharedMemory`] is an `Arc`), not owned by a
//! store: every instance that defines or imports it holds a count, as does every store
//! whose host module exports it and every embedder handle, so it outlives every user.
//!
//! Invariants:
//! - It never moves: it reserves its maximum (a shared memory type always has one) up
//!   front, plus the guard region its style asks for, so its `base` is written once, when
//!   it is created, and compiled code may keep it in a register for as long as it likes.
//! - Growth is serialized by the memory's mutex and publishes the new length with a release
//!   store into the one [`VMMemoryDefinition`] that every user reads (an instance that
//!   defines or imports a shared memory reaches it through a pointer in its VMContext, never
//!   through a copy), after the new pages are accessible. A thread reads the length with a
//!   relaxed load at each `memory.size`, at each bounds check that needs it, and (the
//!   interpreter's cached copy of memory 0's length, compiled code's reused loads) again
//!   after every call and every atomic instruction; so it sees another thread's growth at
//!   the latest once it synchronizes with that thread through an atomic instruction, which
//!   is what the threads proposal asks. Accesses to 32-bit memories in compiled code with
//!   guard pages do not read the length at all: the pages themselves are the bound, and
//!   `mprotect` makes new pages accessible to every thread at once.
//! - The waiters of `memory.atomic.wait32/64` park in the memory's [`WaitQueue`].

use super::memory::{LinearMemory, MemoryStyle};
use super::vmcontext::VMMemoryDefinition;
use super::wait_queue::{WaitQueue, WaitResult};
use crate::error::ResourceError;
use crate::types::MemoryType;
use std::cell::UnsafeCell;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The object behind a [`SharedMemory`] handle.
pub struct SharedLinearMemory {
    /// The definition every user reads (boxed: bound to `memory` by address).
    def: Box<UnsafeCell<VMMemoryDefinition>>,
    /// The memory; locked to grow it.
    memory: Mutex<LinearMemory>,
    /// The memory's type as declared (the limits' minimum is the initial size).
    ty: MemoryType,
    /// Bytes reserved after the maximum (the style's guard region), and at least, in all.
    guard_bytes: u64,
    min_reserve_bytes: u64,
    waiters: WaitQueue,
}

// SAFETY: the definition's base is written once before the memory is shared and its
// length is atomic; the `LinearMemory` (whose raw pointers make it neither `Send` nor
// `Sync`) is only reached under its mutex; the wait queue is `Sync`.
unsafe impl Send for SharedLinearMemory {}
// SAFETY: as above.
unsafe impl Sync for SharedLinearMemory {}

/// A handle to a shared linear memory (see the module documentation); cloning it adds a
/// user.
#[derive(Clone)]
pub struct SharedMemory(Arc<SharedLinearMemory>);

impl std::fmt::Debug for SharedMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedMemory({} pages)", self.size_pages())
    }
}

impl SharedMemory {
    /// A new shared memory of type `ty` (which must be shared, with a maximum), zeroed,
    /// reserving its maximum (capped by `style.limit_pages`) plus `style`'s guard region up
    /// front.
    ///
    /// # Errors
    /// [`ResourceError`] when the type is not shared or has no maximum, when the minimum
    /// exceeds the limit, or when the host refuses the reservation.
    pub fn new(ty: &MemoryType, style: MemoryStyle) -> Result<Self, ResourceError> {
        if !ty.shared {
            return Err(ResourceError { message: "the memory type is not shared".to_string() });
        }
        if ty.limits.max.is_none() {
            return Err(ResourceError { message: "shared memory must have maximum".to_string() });
        }
        let style = MemoryStyle { reserve_to_max: true, ..style };
        let mut memory = LinearMemory::new(ty, style)?;
        let def = Box::new(UnsafeCell::new(VMMemoryDefinition::new(std::ptr::null_mut(), 0)));
        // SAFETY: the definition is boxed in the same object as the memory and lives exactly
        // as long.
        unsafe { memory.bind(def.get()) };
        Ok(SharedMemory(Arc::new(SharedLinearMemory {
            def,
            memory: Mutex::new(memory),
            ty: *ty,
            guard_bytes: style.guard_bytes,
            min_reserve_bytes: style.min_reserve_bytes,
            waiters: WaitQueue::default(),
        })))
    }

    /// A new handle to the shared memory at `p`.
    ///
    /// # Safety
    /// `p` must come from [`SharedMemory::as_ptr`] of a handle that (or a clone of which) is
    /// still alive.
    pub unsafe fn from_ptr(p: *const SharedLinearMemory) -> Self {
        // SAFETY: per the contract, `p` is the pointer of a live `Arc`.
        unsafe {
            Arc::increment_strong_count(p);
            SharedMemory(Arc::from_raw(p))
        }
    }

    /// The address of the shared object (its identity; valid while a handle lives).
    pub fn as_ptr(&self) -> *const SharedLinearMemory {
        Arc::as_ptr(&self.0)
    }

    /// The definition every user reads.
    pub fn def(&self) -> *mut VMMemoryDefinition {
        self.0.def.get()
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, LinearMemory> {
        // Growth leaves the memory consistent at every step, so a poisoned lock is usable.
        self.0.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The memory's type now: the current size as minimum, the declared maximum.
    pub fn ty(&self) -> MemoryType {
        let mut ty = self.0.ty;
        ty.limits.min = self.size_pages();
        ty
    }

    /// Current size in pages of 64 KiB.
    pub fn size_pages(&self) -> u64 {
        // SAFETY: the definition lives as long as `self`; its length is atomic.
        unsafe { (*self.def()).length() as u64 / crate::types::WASM_PAGE_SIZE }
    }

    /// Whether compiled code that relies on `style`'s reservation (at least
    /// `min_reserve_bytes` plus `guard_bytes` of address space per 32-bit memory) may
    /// access this memory without bounds checks: its own reservation is at least as large.
    pub fn fits_style(&self, style: &MemoryStyle) -> bool {
        self.0.ty.index_type.is_64()
            || (self.0.guard_bytes >= style.guard_bytes
                && self.0.min_reserve_bytes.max(self.max_bytes()) >= style.min_reserve_bytes)
    }

    fn max_bytes(&self) -> u64 {
        self.memory().max_pages().saturating_mul(crate::types::WASM_PAGE_SIZE)
    }

    /// Grows by `delta` pages (spec `memory.grow`), serialized with every other growth;
    /// `allowed(current, desired)` is asked first (the growing store's resource limiter).
    /// Returns the previous size in pages, or `None` when refused or over the maximum.
    pub fn grow(&self, delta: u64, allowed: impl FnOnce(u64, u64) -> bool) -> Option<u64> {
        let mut m = self.memory();
        let current = m.size_pages();
        if !allowed(current, current.saturating_add(delta)) {
            return None;
        }
        m.grow(delta)
    }

    /// Maps `image` copy-on-write over the bytes it initializes (a module's data, when the
    /// memory is defined by an artifact's module and was just created).
    ///
    /// # Errors
    /// As [`LinearMemory::map_image`].
    pub fn map_image(&self, image: &super::MemoryImage) -> Result<(), ResourceError> {
        self.memory().map_image(image)
    }

    /// `memory.atomic.wait32/64` on the byte address `addr` (in bounds and aligned, checked
    /// by the caller): parks the thread while `still_expected()` holds, until a notify of
    /// `addr` or the timeout (nanoseconds; negative: forever).
    pub fn wait(
        &self,
        addr: u64,
        still_expected: impl FnOnce() -> bool,
        timeout_ns: i64,
    ) -> WaitResult {
        let timeout = u64::try_from(timeout_ns).ok().map(Duration::from_nanos);
        self.0.waiters.wait(addr, still_expected, timeout)
    }

    /// `memory.atomic.notify` of the byte address `addr`: wakes up to `count` waiters and
    /// returns how many it woke.
    pub fn notify(&self, addr: u64, count: u32) -> u32 {
        self.0.waiters.notify(addr, count)
    }
}
