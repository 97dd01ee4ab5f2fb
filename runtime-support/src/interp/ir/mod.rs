//! The interpreter's instruction set.
//!
//! Operands are frame slots: `Slot` is the index of an 8-byte cell relative to the current
//! frame's base. A frame holds the function's parameters and locals (slots `0..num_locals`),
//! its constant slots, then its operand stack (one position per stack height). Calls place
//! the callee's frame on top of the caller's arguments, so arguments and results are never
//! copied. Integers and floats occupy the low bits of a slot; `i32`/`f32` readers ignore the
//! upper 32 bits. References are raw pointers or handles (0 is null).
//!
//! # `v128` layout
//!
//! A `v128` takes two consecutive slots, `s` and `s + 1`, named by the first: lane bytes
//! 0..8 in slot `s`, 8..16 in `s + 1` (little-endian, as in memory); `s` is 8-byte aligned
//! only, and handlers read and write the 16 bytes unaligned. Every other value takes one
//! slot, so scalar code is laid out, and runs, exactly as without SIMD. Parameters, locals,
//! results and operand-stack positions are numbered by their types: each takes the slots
//! after the previous one (a function `(param v128 i32) (result i32 v128)` has its
//! parameters in s0-s1 and s2 and returns its results in s0 and s1-s2), so a position's
//! slot depends only on the types below it, which validation makes the same on every
//! path. Calls, block results and branches move a `v128` with [`Op::Copy128`] where a
//! scalar moves with [`Op::Copy`]; an instruction whose `Dst` is a `v128` writes both
//! slots. `v128` constants and `i8x16.shuffle` lane masks live in the function's pool
//! ([`CompiledFunc::v128_consts`]), named by a 16-bit index.
//!
//! # Relaxed SIMD
//!
//! Each relaxed-SIMD instruction has one deterministic semantics in Kiln, chosen to be
//! what the compiled engine computes with plain Cranelift instructions on x86_64 (from
//! the x86-64-v2 baseline up, with or without `--cpu native`) and aarch64, so that a
//! module gives the same bits interpreted or compiled, on every host:
//!
//! | instruction | Kiln's semantics (interpreter instruction) | Cranelift lowering to match |
//! |---|---|---|
//! | `i8x16.relaxed_swizzle` | `i8x16.swizzle`: an index of 16 or more selects 0 ([`Op::I8x16Swizzle`]) | `swizzle` |
//! | `i32x4.relaxed_trunc_f32x4_s`, `_u` | `i32x4.trunc_sat_f32x4_s`, `_u`: saturating, NaN to 0 | `fcvt_to_sint_sat`, `fcvt_to_uint_sat` |
//! | `i32x4.relaxed_trunc_f64x2_s_zero`, `_u_zero` | `i32x4.trunc_sat_f64x2_s_zero`, `_u_zero` | as above, then narrow with zero high lanes |
//! | `f32x4.relaxed_madd`, `f64x2.relaxed_madd` `(a, b, c)` | `a * b + c` unfused: the product rounded, then the sum rounded ([`Op::F32x4RelaxedMadd`]) | `fmul` then `fadd`, never `fma` |
//! | `f32x4.relaxed_nmadd`, `f64x2.relaxed_nmadd` `(a, b, c)` | `(-a) * b + c` unfused | `fneg`, `fmul`, `fadd` |
//! | `i8x16`/`i16x8`/`i32x4`/`i64x2.relaxed_laneselect` `(a, b, m)` | `v128.bitselect(a, b, m)`: bitwise ([`Op::V128Bitselect`]) | `bitselect` |
//! | `f32x4.relaxed_min`, `f64x2.relaxed_min` `(a, b)` | per lane `a < b ? a : b` (so `b` when either is NaN or both are zeros) | `bitselect(fcmp lt a b, a, b)` (x86: `minps`/`minpd a, b`) |
//! | `f32x4.relaxed_max`, `f64x2.relaxed_max` `(a, b)` | per lane `b < a ? a : b` | `bitselect(fcmp lt b a, a, b)` (x86: `maxps`/`maxpd a, b`) |
//! | `i16x8.relaxed_q15mulr_s` | `i16x8.q15mulr_sat_s`: saturating ([`Op::I16x8Q15MulrSatS`]) | `sqmul_round_sat` |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` `(a, b)` | x86 `pmaddubsw` with `a` signed and `b` unsigned: lane `i` is `sat16(a[2i]*u(b[2i]) + a[2i+1]*u(b[2i+1]))` | `x86_pmaddubsw(a, b)`; on aarch64 the same by widening multiplies and a saturating narrow |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` `(a, b, c)` | the i16x8 dot above, adjacent pairs summed to i32 (exact), plus `c` (wrapping) | `x86_pmaddubsw`, `swiden_low`/`_high`, `iadd_pairwise`, `iadd` |
//!
//! With `b` in the i7 range (0..=127) the dot products equal the exact signed ones; the
//! other choices agree with the deterministic instruction except for NaN, zero-sign and
//! out-of-range inputs, where the relaxed-SIMD spec allows each of the alternatives.
//!
//! Instruction targets (`target`) are indices into the function's instruction array while
//! translating; [`super::exec::thread`] turns them into offsets relative to the branching
//! instruction (as `i32` bits) when it pairs each instruction with its handler.
//!
//! The instructions are declared once, in [`ops::for_each_op!`]; this module generates
//! [`Op`] and its accessors, names and disassembly from that declaration.

mod ops;

pub(crate) use ops::for_each_op;

mod handlers;

pub use crate::atomics::RmwOp;
pub use handlers::{CatchClause, HandlerRegion, RegionAction};

use super::exec::Handler;
use std::fmt;

/// A frame slot index.
pub type Slot = u32;

// Operand roles. Each is a plain alias, so handlers use the values as they are; the
// declaration names the role, and the generated code keys on it.

/// The slot an instruction writes as its single result (what [`Op::dst_mut`] returns, so
/// the translator can retarget the result straight into a local). At most one per
/// instruction.
pub type Dst = Slot;
/// A [`Dst`] whose value the handler also leaves in the value register it passes on, so
/// the next instruction may take it from there (`interp::forward`; what
/// [`Op::forwarded_result`] returns).
pub type Out = Slot;
/// A slot an instruction reads.
pub type Src = Slot;
/// The first of a run of consecutive slots holding an instruction's operands (and, where
/// its doc says so, its results): calls, bulk memory and table instructions.
pub type Base = Slot;
/// A slot of a fused instruction in 16 bits, read or written as that instruction's doc
/// says (fused instructions are made after translation, so nothing retargets them).
pub type Slot16 = u16;
/// A [`Slot16`] result that the handler also leaves in the value register, as [`Out`].
pub type Out16 = u16;
/// A branch target: an instruction index while translating, an offset relative to the
/// branching instruction (`i32` bits) once threaded. At most one per instruction.
pub type Target = u32;
/// The memory an `*_m` memory instruction accesses (multi-memory, memory64): the memory
/// index in the low 7 bits ([`MEM_SEL_INDEX`]), and [`MEM_SEL_64`] set when it is a 64-bit
/// memory (its addresses, sizes and lengths are `i64`; else `i32`, of which only the low 32
/// bits of a slot count). An immediate.
pub type MemSel = u8;
/// The bit of a [`MemSel`] that marks a 64-bit memory.
pub const MEM_SEL_64: MemSel = 0x80;
/// The bits of a [`MemSel`] that hold the memory index (so at most 128 memories are
/// addressable; the validator allows 100).
pub const MEM_SEL_INDEX: MemSel = 0x7f;

/// `Some($f)` (as a [`Slot`] for slot roles) when `$role` is the role `$want` (`Dst`,
/// `Out` or `Target`), else `None`. An `Out` is a `Dst`; an `Out16` is an `Out` only.
macro_rules! operand_of_role {
    (Dst, Dst, $f:expr) => {
        Some($f)
    };
    (Dst, Out, $f:expr) => {
        Some($f)
    };
    (Out, Out, $f:expr) => {
        Some(*$f)
    };
    (Out, Out16, $f:expr) => {
        Some(*$f as Slot)
    };
    (Target, Target, $f:expr) => {
        Some($f)
    };
    ($want:ident, $role:ident, $f:expr) => {{
        let _ = $f;
        None
    }};
}

/// 1 when `$role` is the role `$want`, else 0.
macro_rules! count_role {
    (Dst, Dst) => {
        1
    };
    (Dst, Out) => {
        1
    };
    (Out, Out) => {
        1
    };
    (Out, Out16) => {
        1
    };
    (Target, Target) => {
        1
    };
    ($want:ident, $role:ident) => {
        0
    };
}

/// Writes operand `$name` (role `$role`, value `$v`) of an instruction's disassembly:
/// slots as `s<n>`, branch targets as `@<n>`, immediates as numbers.
macro_rules! write_operand {
    ($f:expr, Target, $name:ident, $v:expr) => {
        write!($f, " {}=@{}", stringify!($name), $v)
    };
    ($f:expr, Dst, $name:ident, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)
    };
    ($f:expr, Src, $name:ident, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)
    };
    ($f:expr, Base, $name:ident, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)
    };
    ($f:expr, Slot16, $name:ident, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)
    };
    ($f:expr, Out, $name:ident, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)
    };
    ($f:expr, Out16, $name:ident, $v:expr) => {
        write!($f, " {}=s{}", stringify!($name), $v)
    };
    ($f:expr, $imm:ident, $name:ident, $v:expr) => {
        write!($f, " {}={}", stringify!($name), $v)
    };
}

/// Generates [`Op`] and its accessors from the declaration in [`for_each_op!`].
macro_rules! define_op {
    ($(
        $(#[$attr:meta])*
        $name:ident = $Var:ident $({ $($field:ident: $role:ident),* $(,)? })?;
    )*) => {
        /// One interpreter instruction (16 bytes), as declared in [`for_each_op!`].
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[allow(missing_docs)]
        pub enum Op {
            $( $(#[$attr])* $Var $({ $($field: $role),* })?, )*
        }

        // At most one result slot and one branch target per instruction.
        $(
            const _: () = assert!(0 $($(+ count_role!(Dst, $role))*)? < 2);
            const _: () = assert!(0 $($(+ count_role!(Target, $role))*)? < 2);
            const _: () = assert!(0 $($(+ count_role!(Out, $role))*)? < 2);
        )*

        impl Op {
            /// The instruction's name: its handler's, as the disassembly prints it.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Op::$Var { .. } => stringify!($name), )*
                }
            }

            /// The branch target of a branch instruction (its [`Target`] operand).
            pub fn target_mut(&mut self) -> Option<&mut Target> {
                match self {
                    $( Op::$Var { $($($field),*)? } => {
                        None $($(.or(operand_of_role!(Target, $role, $field)))*)?
                    } )*
                }
            }

            /// The branch target of a branch instruction, if this is one.
            pub fn target(mut self) -> Option<Target> {
                self.target_mut().copied()
            }

            /// The slot this instruction writes as its single result (its [`Dst`] operand),
            /// if it has one (used to retarget a result straight into a local).
            pub fn dst_mut(&mut self) -> Option<&mut Dst> {
                match self {
                    $( Op::$Var { $($($field),*)? } => {
                        None $($(.or(operand_of_role!(Dst, $role, $field)))*)?
                    } )*
                }
            }

            /// The slot this instruction writes as its single result, if it has one.
            pub fn dst(mut self) -> Option<Dst> {
                self.dst_mut().copied()
            }

            /// The slot whose value this instruction's handler also leaves in the value
            /// register (its [`Out`] or [`Out16`] operand), if it does.
            pub fn forwarded_result(&self) -> Option<Slot> {
                match self {
                    $( Op::$Var { $($($field),*)? } => {
                        None $($(.or(operand_of_role!(Out, $role, $field)))*)?
                    } )*
                }
            }
        }

        /// One line of disassembly: the name, then each operand as `name=value`.
        impl fmt::Display for Op {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())?;
                match *self {
                    $( Op::$Var { $($($field),*)? } => {
                        $($(write_operand!(f, $role, $field, $field)?;)*)?
                    } )*
                }
                Ok(())
            }
        }
    };
}

for_each_op!(define_op);

/// One function translated for the interpreter.
#[derive(Debug)]
pub struct CompiledFunc {
    /// The function index in its module.
    pub func_index: u32,
    /// The instructions, each paired with its handler (branch targets relative).
    pub code: Box<[Instr]>,
    /// The wasm byte offset of each instruction (for backtraces and exception handlers),
    /// parallel to `code`.
    pub offsets: InstrOffsets,
    /// Slots of the parameters.
    pub num_params: u32,
    /// Slots of the parameters plus the declared locals.
    pub num_locals: u32,
    /// Values of the constant slots `num_locals..num_locals + consts.len()`, written when
    /// the frame is entered.
    pub consts: Box<[u64]>,
    /// The `v128` constants and `i8x16.shuffle` lane masks its instructions name by index.
    pub v128_consts: Box<[u128]>,
    /// Whether a parameter or result is a `v128` (its arguments and results then move
    /// between [`crate::vm::ValRaw`]s and slots by type).
    pub wide_sig: bool,
    /// Slots the frame needs: locals plus the maximum operand-stack height.
    pub frame_size: u32,
    /// The exception handler regions, innermost first (empty without `try_table` or
    /// legacy `try`).
    pub handlers: Box<[HandlerRegion]>,
}

/// The wasm byte offset of each instruction of a translated function: as 16-bit distances
/// from the function's lowest offset when they all fit (2 bytes per instruction, for every
/// function body under 64 KiB), else as they are (4 bytes).
#[derive(Debug)]
pub enum InstrOffsets {
    /// `base + distance` for each instruction.
    Near {
        /// The lowest offset of the function's instructions.
        base: u32,
        /// Each instruction's offset minus `base`.
        distances: Box<[u16]>,
    },
    /// Each offset as it is.
    Far(Box<[u32]>),
}

impl InstrOffsets {
    /// The offsets `offsets`, in the smaller form that holds them.
    pub fn new(offsets: Vec<u32>) -> Self {
        let base = offsets.iter().copied().min().unwrap_or(0);
        let distances: Option<Box<[u16]>> =
            offsets.iter().map(|&o| u16::try_from(o - base).ok()).collect();
        match distances {
            Some(distances) => InstrOffsets::Near { base, distances },
            None => InstrOffsets::Far(offsets.into_boxed_slice()),
        }
    }

    /// The offset of instruction `index`, if the function has one.
    pub fn get(&self, index: usize) -> Option<u32> {
        match self {
            InstrOffsets::Near { base, distances } => Some(base + *distances.get(index)? as u32),
            InstrOffsets::Far(offsets) => offsets.get(index).copied(),
        }
    }

    /// Every offset, in instruction order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// How many instructions there are.
    pub fn len(&self) -> usize {
        match self {
            InstrOffsets::Near { distances, .. } => distances.len(),
            InstrOffsets::Far(offsets) => offsets.len(),
        }
    }
}

/// One threaded instruction: the handler that executes it and its operands.
#[derive(Clone, Copy, Debug)]
pub struct Instr {
    /// Executes `op` (always the handler of `op`'s variant), except in a `BrTable`'s
    /// entries, which are never executed: there it is the entry's target's handler.
    pub handler: Handler,
    /// The instruction; a branch's `target` is relative to this instruction.
    pub op: Op,
}

const _: () = assert!(std::mem::size_of::<Op>() == 16);
const _: () = assert!(std::mem::size_of::<Instr>() == 24);

#[cfg(test)]
mod tests {
    use super::InstrOffsets;

    #[test]
    fn offsets_are_kept_in_the_smaller_form_that_holds_them() {
        let near = InstrOffsets::new(vec![1000, 1003, 1001, 1000 + 65535]);
        assert!(matches!(near, InstrOffsets::Near { base: 1000, .. }));
        assert_eq!(near.iter().collect::<Vec<_>>(), [1000, 1003, 1001, 66535]);
        assert_eq!((near.get(3), near.get(4), near.len()), (Some(66535), None, 4));
        let far = InstrOffsets::new(vec![70000, 5, 70000 + 65536]);
        assert!(matches!(far, InstrOffsets::Far(_)));
        assert_eq!(far.iter().collect::<Vec<_>>(), [70000, 5, 135536]);
        assert_eq!(far.get(1), Some(5));
        assert_eq!(InstrOffsets::new(Vec::new()).len(), 0);
    }
}
