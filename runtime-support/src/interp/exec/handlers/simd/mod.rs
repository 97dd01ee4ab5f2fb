//! `v128` handlers: moves, memory, lanes, and the integer, float, conversion and relaxed
//! lane operations (WebAssembly 2.0 fixed-width SIMD and relaxed SIMD).
//!
//! A `v128` operand is two consecutive slots, lane 0 in the low bytes of the first (see
//! [`crate::interp::ir`]); handlers read and write it with [`get_v`] and [`set_v`] and
//! compute on lane arrays ([`Vector`]'s views), which the compiler turns into vector
//! instructions where the host has them. Nothing here allocates or panics: lane indices are
//! validated immediates, reduced modulo the lane count anyway.

use super::*;
use vector::Vector;

/// Reads the `v128` in slots `s` and `s + 1` of frame `fp`.
///
/// # Safety
/// Both slots must lie in the frame (as [`get`]).
#[inline(always)]
unsafe fn get_v(fp: *mut u64, s: Slot) -> Vector {
    // SAFETY: per the contract (8-byte alignment does not matter to a byte array).
    Vector::from_le_bytes(unsafe { std::ptr::read(fp.add(s as usize) as *const [u8; 16]) })
}

/// Writes a `v128` to slots `s` and `s + 1` of frame `fp`.
///
/// # Safety
/// As [`get_v`].
#[inline(always)]
unsafe fn set_v(fp: *mut u64, s: Slot, v: Vector) {
    // SAFETY: per the contract.
    unsafe { std::ptr::write(fp.add(s as usize) as *mut [u8; 16], v.to_le_bytes()) }
}

/// `f` applied to each lane of `a`.
#[inline(always)]
fn map<T: Copy, U, const N: usize>(a: [T; N], f: impl Fn(T) -> U) -> [U; N] {
    a.map(f)
}

/// `f` applied to each pair of lanes of `a` and `b`.
#[inline(always)]
fn zip<T: Copy, U, const N: usize>(a: [T; N], b: [T; N], f: impl Fn(T, T) -> U) -> [U; N] {
    std::array::from_fn(|i| f(a[i], b[i]))
}

/// `f` applied to each triple of lanes of `a`, `b` and `c`.
#[inline(always)]
fn zip3<T: Copy, U, const N: usize>(
    a: [T; N],
    b: [T; N],
    c: [T; N],
    f: impl Fn(T, T, T) -> U,
) -> [U; N] {
    std::array::from_fn(|i| f(a[i], b[i], c[i]))
}

/// A lane of all ones (`true`) or all zeros: a comparison's result.
trait Mask {
    fn mask(c: bool) -> Self;
}
macro_rules! mask_impl {
    ($($t:ty)*) => {$(
        impl Mask for $t {
            #[inline(always)]
            fn mask(c: bool) -> Self {
                -(c as $t)
            }
        }
    )*};
}
mask_impl!(i8 i16 i32 i64);

/// The all-ones-or-zero lane of `c`.
#[inline(always)]
fn mask<T: Mask>(c: bool) -> T {
    T::mask(c)
}

/// Handlers computing `dst = f(src)` on `v128`s.
macro_rules! v_unary {
    ($($name:ident = $var:ident, |$x:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, src } {
            // SAFETY: translated slots (two for a v128) lie inside the current frame; `pc`
            // is not the last instruction (every function ends in `Return`).
            unsafe {
                let $x = get_v(fp, src);
                set_v(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Handlers computing `dst = f(a, b)` on `v128`s.
macro_rules! v_binary {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b } {
            // SAFETY: as in `v_unary!`.
            unsafe {
                let $x = get_v(fp, a);
                let $y = get_v(fp, b);
                set_v(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Handlers computing `dst = f(a, b, c)` on `v128`s, `c` named by the following `Aux`.
macro_rules! v_ternary {
    ($($name:ident = $var:ident, |$x:ident, $y:ident, $z:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b } {
            // SAFETY: as in `v_unary!`; the instruction is always followed by its `Aux` (then
            // by at least a `Return`).
            unsafe {
                let Op::Aux { slot } = (*pc.add(1)).op else { std::hint::unreachable_unchecked() };
                let $x = get_v(fp, a);
                let $y = get_v(fp, b);
                let $z = get_v(fp, slot);
                set_v(fp, dst, $e);
                dispatch(pc.add(2), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Handlers computing a scalar `dst = f(src)` of a `v128` (an i32 in the low bits).
macro_rules! v_test {
    ($($name:ident = $var:ident, |$x:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, src } {
            // SAFETY: as in `v_unary!`.
            unsafe {
                let $x = get_v(fp, src);
                set(fp, dst, Bits::bits($e));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Shift handlers: `dst = f(a, n)`, `n` the i32 count in slot `b`.
macro_rules! v_shift {
    ($($name:ident = $var:ident, |$x:ident, $n:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b } {
            // SAFETY: as in `v_unary!`.
            unsafe {
                let $x = get_v(fp, a);
                let $n = get(fp, b) as u32;
                set_v(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

// The families, after the macros they use.
mod convert;
mod float;
mod int;
mod lanes;
mod memory;
mod moves;
mod relaxed;
mod vector;

pub use convert::*;
pub use float::*;
pub use int::*;
pub use lanes::*;
pub use memory::*;
pub use moves::*;
pub use relaxed::*;
