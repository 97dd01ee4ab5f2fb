//! One background thread that interrupts a Kiln call that outlives its budget (Kiln's
//! epoch-style interruption: [`kiln::InterruptHandle`]).

use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

static ARMED: Mutex<Option<(kiln::InterruptHandle, Instant)>> = Mutex::new(None);
static START: Once = Once::new();

/// Disarms the watchdog when dropped.
pub struct Armed(());

impl Drop for Armed {
    fn drop(&mut self) {
        *ARMED.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Interrupts `handle`'s runtime if the guard returned is still alive after `budget`.
pub fn arm(handle: kiln::InterruptHandle, budget: Duration) -> Armed {
    START.call_once(|| {
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(10));
                let mut slot = ARMED.lock().unwrap_or_else(|e| e.into_inner());
                if slot.as_ref().is_some_and(|(_, deadline)| Instant::now() >= *deadline)
                    && let Some((h, _)) = slot.take()
                {
                    h.interrupt();
                }
            }
        });
    });
    *ARMED.lock().unwrap_or_else(|e| e.into_inner()) = Some((handle, Instant::now() + budget));
    Armed(())
}
