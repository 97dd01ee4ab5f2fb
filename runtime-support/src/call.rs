//! Calling any function (wasm of either engine, or host) from the host through its
//! array-call entry.

use crate::error::Unwind;
use crate::trap::Trap;
use crate::vm::{Store, VMFuncRef, ValRaw};

/// Calls `func` with arguments in `slots[..params]`; results come back in
/// `slots[..results]`. `slots.len()` must be at least `max(params, results)`.
///
/// # Errors
/// The [`Unwind`] (trap or exit) the call ended with.
pub fn invoke(store: &Store, func: *const VMFuncRef, slots: &mut [ValRaw]) -> Result<(), Unwind> {
    // SAFETY: callers pass funcrefs of live store-owned functions.
    let f = unsafe { &*func };
    // SAFETY: the array-call contract: `slots` is long enough, caller is the host (null).
    let ok = unsafe { (f.array_call)(f.vmctx, std::ptr::null_mut(), slots.as_mut_ptr(), slots.len()) };
    if ok {
        Ok(())
    } else {
        Err(store
            .take_pending_unwind()
            .unwrap_or_else(|| Unwind::Trap(Trap::host("call unwound without a reason"))))
    }
}
