//! The waiters of one shared memory (threads proposal, `memory.atomic.wait32/64` and
//! `memory.atomic.notify`): a FIFO list of parked threads, each with the address it waits
//! on, under one mutex.
//!
//! Invariants: a waiter compares the memory's value with the expected one while holding the
//! queue's mutex and stays in the list until it is woken or its timeout passes, so a
//! `notify` (which takes the same mutex) issued after the value changed cannot fall between
//! the comparison and the parking: it either sees the waiter in the list or the waiter sees
//! the new value. `notify` wakes the waiters of an address in the order they started
//! waiting, at most `count` of them, and removes them from the list itself, so every woken
//! waiter is counted exactly once and a timed-out one is never counted.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// What `memory.atomic.wait32/64` returns (its `i32` result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum WaitResult {
    /// Woken by a `memory.atomic.notify` (0, "ok").
    Ok = 0,
    /// The value at the address was not the expected one (1, "not-equal").
    NotEqual = 1,
    /// The timeout passed first (2, "timed-out").
    TimedOut = 2,
}

/// One parked thread.
struct Waiter {
    /// The byte address (in its memory) it waits on.
    addr: u64,
    /// Set by the `notify` that removed it from the list.
    woken: AtomicBool,
    /// Signalled with the queue's mutex by that `notify`.
    cv: Condvar,
}

/// See the module documentation.
#[derive(Default)]
pub struct WaitQueue {
    waiters: Mutex<Vec<Arc<Waiter>>>,
}

impl WaitQueue {
    fn lock(&self) -> MutexGuard<'_, Vec<Arc<Waiter>>> {
        // A panic while holding the lock leaves the list consistent (every change is one
        // push or remove), so a poisoned lock is still usable.
        self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Parks the current thread on `addr` if `still_expected()` (the comparison of the
    /// memory's value with the expected one, run under the queue's mutex) holds, until a
    /// [`Self::notify`] of `addr` wakes it or `timeout` (`None`: forever) passes.
    pub fn wait(
        &self,
        addr: u64,
        still_expected: impl FnOnce() -> bool,
        timeout: Option<Duration>,
    ) -> WaitResult {
        let mut list = self.lock();
        if !still_expected() {
            return WaitResult::NotEqual;
        }
        let me = Arc::new(Waiter { addr, woken: AtomicBool::new(false), cv: Condvar::new() });
        list.push(me.clone());
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        loop {
            if me.woken.load(Ordering::Acquire) {
                return WaitResult::Ok;
            }
            list = match deadline {
                // No timeout, or one too large for the clock: as good as forever.
                None => me.cv.wait(list).unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        list.retain(|w| !Arc::ptr_eq(w, &me));
                        return WaitResult::TimedOut;
                    }
                    me.cv
                        .wait_timeout(list, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }

    /// Wakes up to `count` threads waiting on `addr`, the longest waiting first; returns
    /// how many it woke.
    pub fn notify(&self, addr: u64, count: u32) -> u32 {
        if count == 0 {
            return 0;
        }
        let mut list = self.lock();
        let mut woken = 0u32;
        list.retain(|w| {
            if woken < count && w.addr == addr {
                woken += 1;
                w.woken.store(true, Ordering::Release);
                w.cv.notify_one();
                false
            } else {
                true
            }
        });
        woken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    #[test]
    fn not_equal_and_timeout() {
        let q = WaitQueue::default();
        assert_eq!(q.wait(0, || false, None), WaitResult::NotEqual);
        assert_eq!(q.wait(0, || true, Some(Duration::from_millis(1))), WaitResult::TimedOut);
        assert_eq!(q.notify(0, 1), 0, "a timed-out waiter leaves the list");
    }

    #[test]
    fn notify_wakes_in_order_and_counts() {
        let q = Arc::new(WaitQueue::default());
        let parked = Arc::new(AtomicU32::new(0));
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (q, parked) = (q.clone(), parked.clone());
                std::thread::spawn(move || {
                    q.wait(
                        8,
                        || {
                            parked.fetch_add(1, Ordering::SeqCst);
                            true
                        },
                        None,
                    )
                })
            })
            .collect();
        while parked.load(Ordering::SeqCst) < 3 {
            std::thread::yield_now();
        }
        assert_eq!(q.notify(16, 5), 0, "another address wakes nobody");
        assert_eq!(q.notify(8, 2), 2);
        assert_eq!(q.notify(8, 5), 1);
        for t in threads {
            assert_eq!(t.join().unwrap(), WaitResult::Ok);
        }
    }
}
