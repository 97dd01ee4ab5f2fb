//! The instruction handlers, one per instruction, grouped by family. Each has the name its
//! instruction is declared with in [`for_each_op!`](super::super::ir::for_each_op)
//! (`i32_add = I32Add { .. }`, `ret = Return`); the handler table generated from that
//! declaration refers to them by that name.
//!
//! The family macros below generate the many handlers of one shape; [`handler`] is the
//! common frame: it binds the operands of the handler's own variant and the hot state.

use super::super::ir::{Instr, Op, Slot};
use super::backtrace::trap;
use super::dispatch::{Exit, Indirect, Next, dispatch, dispatch_with};
use super::state::State;
use crate::interp::const_divisor;
use crate::trap::TrapCode;

/// Defines handler `$name` for `Op::$var`, binding its fields and naming the hot state.
/// The handler is generic over `N`, how it continues with the instruction after it
/// (`N::next(pc.add(1), ..)`; a `br` with its target): [`Indirect`] in the handler table,
/// a successor's own handler in the specialized forms (`exec::specialize`).
macro_rules! handler {
    ($(#[$m:meta])* fn $name:ident($pc:ident, $fp:ident, $mem:ident, $len:ident, $st:ident, $reg:ident) = $var:ident { $($f:ident $(: $bind:ident)?),* } $body:block) => {
        $(#[$m])*
        #[allow(unused_variables)]
        pub unsafe fn $name<N: Next>($pc: *const Instr, $fp: *mut u64, $mem: *mut u8, $len: u64, $st: *mut State, $reg: u64) -> Exit {
            let Op::$var { $($f $(: $bind)?),* } = (
                // SAFETY: `thread` pairs every handler only with instructions of its variant.
                unsafe { (*$pc).op }
            ) else {
                // SAFETY: as above.
                unsafe { std::hint::unreachable_unchecked() }
            };
            $body
        }
    };
}

/// Handlers computing `dst = f(src)`.
macro_rules! unary {
    ($($name:ident = $var:ident, |$x:ident: $t:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, src } {
            // SAFETY: translated slots lie inside the current frame; `pc` is not the last
            // instruction (every function ends in `Return`).
            unsafe {
                let $x = <$t as Bits>::of(get(fp, src));
                let r = $e;
                set(fp, dst, Bits::bits(r));
                N::next(pc.add(1), fp, mem, len, st, Bits::forward(r))
            }
        });
    )*};
}

/// Handlers computing `dst = f(src)` or trapping.
macro_rules! unary_try {
    ($($name:ident = $var:ident, |$x:ident: $t:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, src } {
            // SAFETY: as in `unary!`.
            unsafe {
                let $x = <$t as Bits>::of(get(fp, src));
                let r = match $e {
                    Ok(r) => r,
                    Err(code) => return trap(pc, st, code),
                };
                set(fp, dst, Bits::bits(r));
                N::next(pc.add(1), fp, mem, len, st, Bits::forward(r))
            }
        });
    )*};
}

/// Handlers computing `dst = f(a, b)`.
macro_rules! binary {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident: $u:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b } {
            // SAFETY: as in `unary!`.
            unsafe {
                let $x = <$t as Bits>::of(get(fp, a));
                let $y = <$u as Bits>::of(get(fp, b));
                let r = $e;
                set(fp, dst, Bits::bits(r));
                N::next(pc.add(1), fp, mem, len, st, Bits::forward(r))
            }
        });
    )*};
}

/// Handlers computing `dst = f(a, b)` or trapping.
macro_rules! binary_try {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident: $u:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b } {
            // SAFETY: as in `unary!`.
            unsafe {
                let $x = <$t as Bits>::of(get(fp, a));
                let $y = <$u as Bits>::of(get(fp, b));
                let r = match $e {
                    Ok(r) => r,
                    Err(code) => return trap(pc, st, code),
                };
                set(fp, dst, Bits::bits(r));
                N::next(pc.add(1), fp, mem, len, st, Bits::forward(r))
            }
        });
    )*};
}

/// Handlers computing `dst = f(a, imm)`; the immediate is sign-extended to 64 bits first.
macro_rules! binary_imm {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident: $u:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, imm } {
            // SAFETY: as in `unary!`.
            unsafe {
                let $x = <$t as Bits>::of(get(fp, a));
                let $y = <$u as Bits>::of(imm as i64 as u64);
                let r = $e;
                set(fp, dst, Bits::bits(r));
                N::next(pc.add(1), fp, mem, len, st, Bits::forward(r))
            }
        });
    )*};
}

/// A value kept in the low bits of a slot.
pub trait Bits: Copy {
    /// The value in slot bits `v`.
    fn of(v: u64) -> Self;
    /// The slot bits of the value (i32/f32 zero-extended).
    fn bits(self) -> u64;
    /// The value register after an instruction with this result (`interp::forward`): the
    /// bits of an integer result; 0 after a float one, which stays in a float register
    /// (moving it to an integer register and storing it from there would delay the float
    /// load that reads it back), as no instruction reads the register after a float result.
    #[inline(always)]
    fn forward(self) -> u64 {
        self.bits()
    }
}

impl Bits for u32 {
    #[inline(always)]
    fn of(v: u64) -> Self {
        v as u32
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self as u64
    }
}
impl Bits for i32 {
    #[inline(always)]
    fn of(v: u64) -> Self {
        v as i32
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self as u32 as u64
    }
}
impl Bits for u64 {
    #[inline(always)]
    fn of(v: u64) -> Self {
        v
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self
    }
}
impl Bits for i64 {
    #[inline(always)]
    fn of(v: u64) -> Self {
        v as i64
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self as u64
    }
}
impl Bits for f32 {
    #[inline(always)]
    fn of(v: u64) -> Self {
        f32::from_bits(v as u32)
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self.to_bits() as u64
    }
    #[inline(always)]
    fn forward(self) -> u64 {
        0
    }
}
impl Bits for f64 {
    #[inline(always)]
    fn of(v: u64) -> Self {
        f64::from_bits(v)
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self.to_bits()
    }
    #[inline(always)]
    fn forward(self) -> u64 {
        0
    }
}
impl Bits for bool {
    #[inline(always)]
    fn of(v: u64) -> Self {
        v as u32 != 0
    }
    #[inline(always)]
    fn bits(self) -> u64 {
        self as u64
    }
}

/// Reads slot `s` of frame `fp`.
///
/// # Safety
/// `s` must be a slot of the frame (the translator only emits slots below `frame_size`, and
/// every frame is checked to fit the stack when entered).
#[inline(always)]
unsafe fn get(fp: *mut u64, s: Slot) -> u64 {
    // SAFETY: per the contract.
    unsafe { *fp.add(s as usize) }
}

/// Writes slot `s` of frame `fp`.
///
/// # Safety
/// As [`get`].
#[inline(always)]
unsafe fn set(fp: *mut u64, s: Slot, v: u64) {
    // SAFETY: per the contract.
    unsafe { *fp.add(s as usize) = v }
}

/// The instruction `rel` instructions away from `pc` (a relative branch target).
///
/// # Safety
/// `rel` must be a branch target made relative to `pc` by `thread`.
#[inline(always)]
unsafe fn jump(pc: *const Instr, rel: u32) -> *const Instr {
    // SAFETY: per the contract, the target is an instruction of the same function.
    unsafe { pc.offset(rel as i32 as isize) }
}

mod atomic;
mod call;
mod control;
mod convert;
mod exception;
mod float;
mod float_fused;
mod forwarded;
mod int;
mod memory;
mod simd;
mod table;
mod variable;

pub use atomic::*;
pub use call::*;
pub use control::*;
pub use convert::*;
pub use exception::*;
pub use float::*;
pub use float_fused::*;
pub use forwarded::*;
pub use int::*;
pub use memory::*;
pub use simd::*;
pub use table::*;
pub use variable::*;
