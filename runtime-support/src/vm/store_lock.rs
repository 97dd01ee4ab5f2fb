//! The store lock: a re-entrant lock that makes one thread at a time the owner of a store.
//!
//! A store's mutable state (its object lists, the interpreter stack, the per-call state in
//! [`super::VMStoreContext`], instance memories and tables) is plain memory that wasm and the
//! host change without atomics. The handles of the `kiln` facade may travel to any thread, so
//! every operation that reads or changes that state first takes this lock. It is re-entrant:
//! a host function that wasm calls runs on the thread that already owns the store and may
//! call back into wasm, create values or instantiate modules.

use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// See the module documentation.
pub struct StoreLock {
    mutex: Mutex<()>,
    /// The [`thread_token`] of the owning thread, 0 when unowned.
    owner: AtomicUsize,
    /// Nesting depth and the held guard; only the owner touches them.
    held: UnsafeCell<(usize, Option<MutexGuard<'static, ()>>)>,
}

// SAFETY: `held` is only accessed by the thread recorded in `owner`, which it sets after
// acquiring `mutex` and clears before releasing it, so accesses to it never overlap.
unsafe impl Sync for StoreLock {}
// SAFETY: as above; an unowned lock holds no guard.
unsafe impl Send for StoreLock {}

impl Default for StoreLock {
    fn default() -> Self {
        Self { mutex: Mutex::new(()), owner: AtomicUsize::new(0), held: UnsafeCell::new((0, None)) }
    }
}

/// A token unique to the calling thread among live threads (the address of a thread-local).
fn thread_token() -> usize {
    thread_local!(static TOKEN: u8 = const { 0 });
    TOKEN.with(|t| t as *const u8 as usize)
}

/// Proof that the current thread owns a store; releases one level of ownership when dropped.
/// Not `Send`: it is released on the thread that took it.
pub struct StoreGuard<'a> {
    lock: &'a StoreLock,
    _not_send: PhantomData<*const ()>,
}

impl StoreLock {
    /// Makes the current thread the owner, waiting while another thread owns the store;
    /// returns at once when this thread already does.
    pub fn lock(&self) -> StoreGuard<'_> {
        let me = thread_token();
        // Only this thread ever stores `me`, so seeing it means this thread owns the lock.
        if self.owner.load(Ordering::Relaxed) == me {
            // SAFETY: this thread is the owner (see the type's `Sync` impl).
            unsafe { (*self.held.get()).0 += 1 };
        } else {
            let guard = self.mutex.lock().unwrap_or_else(|p| p.into_inner());
            // SAFETY: the guard borrows `self.mutex`; it is dropped in `release` before the
            // lock can be dropped (a `StoreGuard` borrows the lock).
            let guard: MutexGuard<'static, ()> = unsafe { std::mem::transmute(guard) };
            self.owner.store(me, Ordering::Relaxed);
            // SAFETY: this thread now owns the lock.
            unsafe { *self.held.get() = (1, Some(guard)) };
        }
        StoreGuard { lock: self, _not_send: PhantomData }
    }

    /// Whether the current thread owns the store.
    pub fn is_owned_here(&self) -> bool {
        self.owner.load(Ordering::Relaxed) == thread_token()
    }

    fn release(&self) {
        // SAFETY: only the owner holds a `StoreGuard`, and guards are not `Send`.
        let held = unsafe { &mut *self.held.get() };
        held.0 -= 1;
        if held.0 == 0 {
            let guard = held.1.take();
            self.owner.store(0, Ordering::Relaxed);
            drop(guard);
        }
    }
}

impl Drop for StoreGuard<'_> {
    fn drop(&mut self) {
        self.lock.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn reentrant_on_one_thread_exclusive_across_threads() {
        let lock = Arc::new(StoreLock::default());
        let counter = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (lock, counter) = (lock.clone(), counter.clone());
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        let _outer = lock.lock();
                        let _inner = lock.lock();
                        assert!(lock.is_owned_here());
                        // A non-atomic read-modify-write: exclusive only under the lock.
                        let v = counter.load(Ordering::Relaxed);
                        std::hint::spin_loop();
                        counter.store(v + 1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::Relaxed), 4000);
        assert!(!lock.is_owned_here());
    }
}
