//! Moving values between [`ValRaw`] arrays (the array-call ABI: one 16-byte cell per
//! value) and interpreter frame slots (one 8-byte slot per value, two for a `v128`).

use crate::types::ValType;
use crate::vm::ValRaw;

/// Writes `vals` (of `types`, in order) to the consecutive slots from `slots` up.
///
/// # Safety
/// `slots` must point to at least as many slots as `types` take, and `vals` must hold at
/// least `types.len()` values.
#[inline]
pub(super) unsafe fn vals_to_slots(types: &[ValType], vals: &[ValRaw], slots: *mut u64) {
    let mut s = 0;
    for (t, v) in types.iter().zip(vals) {
        // SAFETY: per the contract, slot `s` (and `s + 1` for a v128) is in range.
        unsafe {
            if *t == ValType::V128 {
                std::ptr::write_unaligned(slots.add(s) as *mut u128, v.v128());
                s += 2;
            } else {
                *slots.add(s) = v.bits();
                s += 1;
            }
        }
    }
}

/// Reads values of `types` from the consecutive slots from `slots` up into `vals`.
///
/// # Safety
/// As [`vals_to_slots`].
#[inline]
pub(super) unsafe fn slots_to_vals(types: &[ValType], slots: *const u64, vals: &mut [ValRaw]) {
    let mut s = 0;
    for (t, v) in types.iter().zip(vals) {
        // SAFETY: per the contract, slot `s` (and `s + 1` for a v128) is in range.
        unsafe {
            if *t == ValType::V128 {
                *v = ValRaw::from_v128(std::ptr::read_unaligned(slots.add(s) as *const u128));
                s += 2;
            } else {
                *v = ValRaw::from_bits(*slots.add(s));
                s += 1;
            }
        }
    }
}

/// The number of slots values of `types` take.
pub(super) fn slot_count(types: &[ValType]) -> usize {
    types.iter().map(|t| if *t == ValType::V128 { 2 } else { 1 }).sum()
}
