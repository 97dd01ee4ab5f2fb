//! The threads proposal's atomic memory accesses: the list of its load, store,
//! read-modify-write and compare-exchange operators, declared once in
//! [`for_each_atomic_access!`](crate::for_each_atomic_access) (both engines generate their
//! visit methods from it), and the accesses themselves on linear-memory bytes, with
//! `std::sync::atomic` (the interpreter and the runtime use these; compiled code uses
//! Cranelift's atomic instructions, which are the same machine instructions).
//!
//! Every access is sequentially consistent, as the proposal defines them. Values are
//! little-endian in memory; Kiln's hosts (x86_64, aarch64) are little-endian, so an atomic
//! of the native integer type reads and writes the wasm value as it is.

use std::sync::atomic::{AtomicU8, AtomicU16, AtomicU32, AtomicU64, Ordering::SeqCst};

const _: () = assert!(cfg!(target_endian = "little"), "atomics assume a little-endian host");

/// A read-modify-write operation (`*.atomic.rmw*.<op>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum RmwOp {
    /// Wrapping addition.
    Add,
    /// Wrapping subtraction.
    Sub,
    /// Bitwise and.
    And,
    /// Bitwise or.
    Or,
    /// Bitwise exclusive or.
    Xor,
    /// Exchange: store the operand.
    Xchg,
}

impl std::fmt::Display for RmwOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RmwOp::Add => "add",
            RmwOp::Sub => "sub",
            RmwOp::And => "and",
            RmwOp::Or => "or",
            RmwOp::Xor => "xor",
            RmwOp::Xchg => "xchg",
        })
    }
}

/// What an atomic access operator does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicKind {
    /// `*.atomic.load*`: `[addr] -> [value]`, zero-extended.
    Load,
    /// `*.atomic.store*`: `[addr, value] -> []`, the low bytes of the value.
    Store,
    /// `*.atomic.rmw*.<op>`: `[addr, operand] -> [old value]`, zero-extended.
    Rmw(RmwOp),
    /// `*.atomic.rmw*.cmpxchg*`: `[addr, expected, replacement] -> [old value]`; stores
    /// `replacement` when the old value equals `expected` wrapped to the access width.
    Cmpxchg,
}

/// One atomic access operator: what it does, its value type and its access width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtomicAccess {
    /// The operation.
    pub kind: AtomicKind,
    /// Whether its values are `i64` (else `i32`).
    pub is_64: bool,
    /// The access width in bytes (1, 2, 4 or 8); the address must be a multiple of it.
    pub width: u8,
}

/// Calls macro `$m` with every atomic access operator of the threads proposal, one line
/// each: `visit_method => kind, value type, width in bytes;` where kind is `Load`,
/// `Store`, `Cmpxchg` or `Rmw(op)` (an [`RmwOp`] variant) and the value type is `I32` or
/// `I64`. `memory.atomic.wait32/64`, `memory.atomic.notify` and `atomic.fence` take other
/// immediates or operands and are written out by each engine.
#[macro_export]
macro_rules! for_each_atomic_access {
    ($m:ident) => {
        $m! {
            visit_i32_atomic_load => Load, I32, 4;
            visit_i64_atomic_load => Load, I64, 8;
            visit_i32_atomic_load8_u => Load, I32, 1;
            visit_i32_atomic_load16_u => Load, I32, 2;
            visit_i64_atomic_load8_u => Load, I64, 1;
            visit_i64_atomic_load16_u => Load, I64, 2;
            visit_i64_atomic_load32_u => Load, I64, 4;
            visit_i32_atomic_store => Store, I32, 4;
            visit_i64_atomic_store => Store, I64, 8;
            visit_i32_atomic_store8 => Store, I32, 1;
            visit_i32_atomic_store16 => Store, I32, 2;
            visit_i64_atomic_store8 => Store, I64, 1;
            visit_i64_atomic_store16 => Store, I64, 2;
            visit_i64_atomic_store32 => Store, I64, 4;
            visit_i32_atomic_rmw_add => Rmw(Add), I32, 4;
            visit_i64_atomic_rmw_add => Rmw(Add), I64, 8;
            visit_i32_atomic_rmw8_add_u => Rmw(Add), I32, 1;
            visit_i32_atomic_rmw16_add_u => Rmw(Add), I32, 2;
            visit_i64_atomic_rmw8_add_u => Rmw(Add), I64, 1;
            visit_i64_atomic_rmw16_add_u => Rmw(Add), I64, 2;
            visit_i64_atomic_rmw32_add_u => Rmw(Add), I64, 4;
            visit_i32_atomic_rmw_sub => Rmw(Sub), I32, 4;
            visit_i64_atomic_rmw_sub => Rmw(Sub), I64, 8;
            visit_i32_atomic_rmw8_sub_u => Rmw(Sub), I32, 1;
            visit_i32_atomic_rmw16_sub_u => Rmw(Sub), I32, 2;
            visit_i64_atomic_rmw8_sub_u => Rmw(Sub), I64, 1;
            visit_i64_atomic_rmw16_sub_u => Rmw(Sub), I64, 2;
            visit_i64_atomic_rmw32_sub_u => Rmw(Sub), I64, 4;
            visit_i32_atomic_rmw_and => Rmw(And), I32, 4;
            visit_i64_atomic_rmw_and => Rmw(And), I64, 8;
            visit_i32_atomic_rmw8_and_u => Rmw(And), I32, 1;
            visit_i32_atomic_rmw16_and_u => Rmw(And), I32, 2;
            visit_i64_atomic_rmw8_and_u => Rmw(And), I64, 1;
            visit_i64_atomic_rmw16_and_u => Rmw(And), I64, 2;
            visit_i64_atomic_rmw32_and_u => Rmw(And), I64, 4;
            visit_i32_atomic_rmw_or => Rmw(Or), I32, 4;
            visit_i64_atomic_rmw_or => Rmw(Or), I64, 8;
            visit_i32_atomic_rmw8_or_u => Rmw(Or), I32, 1;
            visit_i32_atomic_rmw16_or_u => Rmw(Or), I32, 2;
            visit_i64_atomic_rmw8_or_u => Rmw(Or), I64, 1;
            visit_i64_atomic_rmw16_or_u => Rmw(Or), I64, 2;
            visit_i64_atomic_rmw32_or_u => Rmw(Or), I64, 4;
            visit_i32_atomic_rmw_xor => Rmw(Xor), I32, 4;
            visit_i64_atomic_rmw_xor => Rmw(Xor), I64, 8;
            visit_i32_atomic_rmw8_xor_u => Rmw(Xor), I32, 1;
            visit_i32_atomic_rmw16_xor_u => Rmw(Xor), I32, 2;
            visit_i64_atomic_rmw8_xor_u => Rmw(Xor), I64, 1;
            visit_i64_atomic_rmw16_xor_u => Rmw(Xor), I64, 2;
            visit_i64_atomic_rmw32_xor_u => Rmw(Xor), I64, 4;
            visit_i32_atomic_rmw_xchg => Rmw(Xchg), I32, 4;
            visit_i64_atomic_rmw_xchg => Rmw(Xchg), I64, 8;
            visit_i32_atomic_rmw8_xchg_u => Rmw(Xchg), I32, 1;
            visit_i32_atomic_rmw16_xchg_u => Rmw(Xchg), I32, 2;
            visit_i64_atomic_rmw8_xchg_u => Rmw(Xchg), I64, 1;
            visit_i64_atomic_rmw16_xchg_u => Rmw(Xchg), I64, 2;
            visit_i64_atomic_rmw32_xchg_u => Rmw(Xchg), I64, 4;
            visit_i32_atomic_rmw_cmpxchg => Cmpxchg, I32, 4;
            visit_i64_atomic_rmw_cmpxchg => Cmpxchg, I64, 8;
            visit_i32_atomic_rmw8_cmpxchg_u => Cmpxchg, I32, 1;
            visit_i32_atomic_rmw16_cmpxchg_u => Cmpxchg, I32, 2;
            visit_i64_atomic_rmw8_cmpxchg_u => Cmpxchg, I64, 1;
            visit_i64_atomic_rmw16_cmpxchg_u => Cmpxchg, I64, 2;
            visit_i64_atomic_rmw32_cmpxchg_u => Cmpxchg, I64, 4;
        }
    };
}

/// An [`AtomicAccess`] from one line of [`for_each_atomic_access!`]'s listing.
#[macro_export]
macro_rules! atomic_access {
    (Rmw($op:ident), $ty:ident, $width:literal) => {
        $crate::atomics::AtomicAccess {
            kind: $crate::atomics::AtomicKind::Rmw($crate::atomics::RmwOp::$op),
            is_64: $crate::atomic_access!(@64 $ty),
            width: $width,
        }
    };
    ($kind:ident, $ty:ident, $width:literal) => {
        $crate::atomics::AtomicAccess {
            kind: $crate::atomics::AtomicKind::$kind,
            is_64: $crate::atomic_access!(@64 $ty),
            width: $width,
        }
    };
    (@64 I32) => { false };
    (@64 I64) => { true };
}

/// Dispatches on the access width: binds `$a` to the atomic of that width at `$p` and
/// `$t` to its integer type.
macro_rules! by_width {
    ($width:expr, $p:expr, |$a:ident: $t:ident| $body:expr) => {
        match $width {
            1 => {
                #[allow(dead_code)]
                type $t = u8;
                // SAFETY: the calling function's contract: `p` points to `width` mapped
                // bytes aligned to `width`.
                let $a = unsafe { AtomicU8::from_ptr($p) };
                $body
            }
            2 => {
                #[allow(dead_code)]
                type $t = u16;
                // SAFETY: the calling function's contract: `p` points to `width` mapped
                // bytes aligned to `width`.
                let $a = unsafe { AtomicU16::from_ptr($p.cast()) };
                $body
            }
            4 => {
                #[allow(dead_code)]
                type $t = u32;
                // SAFETY: the calling function's contract: `p` points to `width` mapped
                // bytes aligned to `width`.
                let $a = unsafe { AtomicU32::from_ptr($p.cast()) };
                $body
            }
            _ => {
                #[allow(dead_code)]
                type $t = u64;
                // SAFETY: the calling function's contract: `p` points to `width` mapped
                // bytes aligned to `width`.
                let $a = unsafe { AtomicU64::from_ptr($p.cast()) };
                $body
            }
        }
    };
}

/// Loads the `width`-byte value at `p`, zero-extended.
///
/// # Safety
/// `p` must point to `width` (1, 2, 4 or 8) bytes of linear memory, aligned to `width`,
/// that stay mapped during the call. Other threads may access them at the same time (with
/// atomics or not: linear memory is plain bytes to wasm, so a racing non-atomic access by
/// wasm is allowed and yields some value, never undefined behaviour in Kiln's sense).
// The 8-byte arm of `by_width!` converts a `u64` to itself.
#[allow(clippy::useless_conversion)]
pub unsafe fn load(p: *mut u8, width: u8) -> u64 {
    by_width!(width, p, |a: T| u64::from(a.load(SeqCst)))
}

/// Stores the low `width` bytes of `v` at `p`.
///
/// # Safety
/// As [`load`].
pub unsafe fn store(p: *mut u8, width: u8, v: u64) {
    by_width!(width, p, |a: T| a.store(v as T, SeqCst))
}

/// Applies `op` with the low `width` bytes of `v` at `p`; returns the old value,
/// zero-extended.
///
/// # Safety
/// As [`load`].
// The 8-byte arm of `by_width!` converts a `u64` to itself.
#[allow(clippy::useless_conversion)]
pub unsafe fn rmw(p: *mut u8, width: u8, op: RmwOp, v: u64) -> u64 {
    by_width!(width, p, |a: T| {
        let v = v as T;
        u64::from(match op {
            RmwOp::Add => a.fetch_add(v, SeqCst),
            RmwOp::Sub => a.fetch_sub(v, SeqCst),
            RmwOp::And => a.fetch_and(v, SeqCst),
            RmwOp::Or => a.fetch_or(v, SeqCst),
            RmwOp::Xor => a.fetch_xor(v, SeqCst),
            RmwOp::Xchg => a.swap(v, SeqCst),
        })
    })
}

/// Stores the low `width` bytes of `replacement` at `p` if the value there equals the low
/// `width` bytes of `expected`; returns the old value, zero-extended.
///
/// # Safety
/// As [`load`].
// The 8-byte arm of `by_width!` converts a `u64` to itself.
#[allow(clippy::useless_conversion)]
pub unsafe fn cmpxchg(p: *mut u8, width: u8, expected: u64, replacement: u64) -> u64 {
    by_width!(width, p, |a: T| {
        match a.compare_exchange(expected as T, replacement as T, SeqCst, SeqCst) {
            Ok(old) | Err(old) => u64::from(old),
        }
    })
}

/// The byte address of an atomic access of `width` bytes at `addr + offset` in a memory of
/// `length` bytes, checked as the threads proposal orders it: an address that is not a
/// multiple of `width` traps `unaligned atomic` (the sum taken modulo 2^64), then one whose
/// computation overflows or whose bytes do not all lie in the memory traps `out of bounds
/// memory access`.
///
/// # Errors
/// The trap, as above.
pub fn effective_address(
    addr: u64,
    offset: u64,
    width: u8,
    length: u64,
) -> Result<u64, crate::trap::TrapCode> {
    use crate::trap::TrapCode;
    // The alignment of the wrapping sum (what compiled code checks first), then overflow.
    if !addr.wrapping_add(offset).is_multiple_of(u64::from(width)) {
        return Err(TrapCode::UnalignedAtomic);
    }
    let ea = addr.checked_add(offset).ok_or(TrapCode::MemoryOutOfBounds)?;
    match ea.checked_add(u64::from(width)) {
        Some(end) if end <= length => Ok(ea),
        _ => Err(TrapCode::MemoryOutOfBounds),
    }
}

/// `memory.atomic.wait32` (`width` 4) or `wait64` (`width` 8) on memory `mem` at
/// `addr + offset`: checks the address ([`effective_address`]), traps `expected shared
/// memory` when the memory is not shared, else parks the thread while the value there is
/// `expected` (wrapped to the width) until a notify of that address or the timeout
/// (nanoseconds; negative: forever). Returns 0 (woken), 1 (not equal) or 2 (timed out).
///
/// The calling thread keeps its store locked while it waits: other threads of the same
/// store wait for it; threads of other stores (the proposal's use) run on.
///
/// # Errors
/// The trap, as above.
pub fn wait(
    mem: &crate::instance::MemoryRef,
    addr: u64,
    offset: u64,
    expected: u64,
    width: u8,
    timeout_ns: i64,
) -> Result<u32, crate::trap::TrapCode> {
    // SAFETY: memory refs of a live instance point to live definitions.
    let (base, length) = unsafe { ((*mem.def).base, (*mem.def).length() as u64) };
    let ea = effective_address(addr, offset, width, length)?;
    let shared = mem.shared_memory().ok_or(crate::trap::TrapCode::ExpectedSharedMemory)?;
    let mask = if width == 8 { u64::MAX } else { (1u64 << (width * 8)) - 1 };
    // SAFETY: `ea + width <= length`: inside the memory, which never shrinks or moves (a
    // shared memory); aligned to `width`.
    let still_expected = || unsafe { load(base.add(ea as usize), width) } == expected & mask;
    Ok(shared.wait(ea, still_expected, timeout_ns) as u32)
}

/// `memory.atomic.notify` on memory `mem` at `addr + offset`: checks the address as a
/// 4-byte access ([`effective_address`]), then wakes up to `count` threads waiting on it;
/// returns how many it woke (0 for an unshared memory, which nobody can wait on).
///
/// # Errors
/// The trap, as above.
pub fn notify(
    mem: &crate::instance::MemoryRef,
    addr: u64,
    offset: u64,
    count: u32,
) -> Result<u32, crate::trap::TrapCode> {
    // SAFETY: memory refs of a live instance point to live definitions.
    let length = unsafe { (*mem.def).length() as u64 };
    let ea = effective_address(addr, offset, 4, length)?;
    Ok(mem.shared_memory().map_or(0, |s| s.notify(ea, count)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_ops() {
        let mut cell = 0u64;
        let p = (&mut cell as *mut u64).cast::<u8>();
        // SAFETY: `p` points to 8 aligned bytes of a local.
        unsafe {
            store(p, 8, 0x1122_3344_5566_7788);
            assert_eq!(load(p, 1), 0x88);
            assert_eq!(load(p, 2), 0x7788);
            assert_eq!(rmw(p, 1, RmwOp::Add, 0x1_0000_0079), 0x88);
            assert_eq!(load(p, 8), 0x1122_3344_5566_7701, "the carry stays in the byte");
            assert_eq!(rmw(p, 4, RmwOp::Xchg, 0xffff_ffff_0000_0000), 0x5566_7701);
            assert_eq!(load(p, 4), 0);
            assert_eq!(cmpxchg(p, 2, 0x1_0000, 5), 0, "the expected value wraps to 16 bits");
            assert_eq!(load(p, 8), 0x1122_3344_0000_0005);
            assert_eq!(cmpxchg(p, 8, 4, 9), 0x1122_3344_0000_0005);
            assert_eq!(load(p, 8), 0x1122_3344_0000_0005);
            assert_eq!(rmw(p, 8, RmwOp::Sub, 6), 0x1122_3344_0000_0005);
            assert_eq!(load(p, 8), 0x1122_3343_ffff_ffff);
        }
    }

    #[test]
    fn alignment_before_bounds() {
        use crate::trap::TrapCode;
        assert_eq!(effective_address(4, 4, 8, 16), Ok(8));
        assert_eq!(effective_address(1, 0, 4, 2), Err(TrapCode::UnalignedAtomic));
        assert_eq!(effective_address(16, 0, 4, 16), Err(TrapCode::MemoryOutOfBounds));
        assert_eq!(effective_address(u64::MAX, 1, 1, 16), Err(TrapCode::MemoryOutOfBounds));
    }
}
