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
///
/// # Safety
/// `func` must be a funcref of a live function of `store`, and `slots` must hold arguments
/// of the function's parameter types.
pub unsafe fn invoke(
    store: &Store,
    func: *const VMFuncRef,
    slots: &mut [ValRaw],
) -> Result<(), Unwind> {
    // SAFETY: per this function's contract.
    let f = unsafe { &*func };
    // SAFETY: the array-call contract: `slots` is long enough, caller is the host (null).
    let ok =
        unsafe { (f.array_call)(f.vmctx, std::ptr::null_mut(), slots.as_mut_ptr(), slots.len()) };
    if ok {
        Ok(())
    } else {
        Err(store
            .take_pending_unwind()
            .unwrap_or_else(|| Unwind::Trap(Trap::host("call unwound without a reason"))))
    }
}
