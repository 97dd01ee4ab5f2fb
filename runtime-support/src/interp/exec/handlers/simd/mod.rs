//! `v128` handlers: moves and globals (SIMD instructions are not interpreted yet).
//!
//! A `v128` operand is two consecutive slots, lane 0 in the low bytes of the first (see
//! [`crate::interp::ir`]); handlers read and write it with [`get_v`] and [`set_v`].

use super::*;
use crate::v128::V128;

/// Reads the `v128` in slots `s` and `s + 1` of frame `fp`.
///
/// # Safety
/// Both slots must lie in the frame (as [`get`]).
#[inline(always)]
unsafe fn get_v(fp: *mut u64, s: Slot) -> V128 {
    // SAFETY: per the contract; slots are 8-byte aligned, so the read is unaligned.
    V128::from_bits(unsafe { std::ptr::read_unaligned(fp.add(s as usize) as *const u128) })
}

/// Writes a `v128` to slots `s` and `s + 1` of frame `fp`.
///
/// # Safety
/// As [`get_v`].
#[inline(always)]
unsafe fn set_v(fp: *mut u64, s: Slot, v: V128) {
    // SAFETY: per the contract.
    unsafe { std::ptr::write_unaligned(fp.add(s as usize) as *mut u128, v.bits()) }
}

mod moves;

pub use moves::*;
