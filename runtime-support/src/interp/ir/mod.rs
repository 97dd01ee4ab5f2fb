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
//! slots.
//!
//! Instruction targets (`target`) are indices into the function's instruction array while
//! translating; [`super::exec::thread`] turns them into offsets relative to the branching
//! instruction (as `i32` bits) when it pairs each instruction with its handler.
//!
//! The instructions are declared once, in [`ops::for_each_op!`]; this module generates
//! [`Op`] and its accessors, names and disassembly from that declaration.

mod ops;

pub(crate) use ops::for_each_op;

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
/// A slot an instruction reads.
pub type Src = Slot;
/// The first of a run of consecutive slots holding an instruction's operands (and, where
/// its doc says so, its results): calls, bulk memory and table instructions.
pub type Base = Slot;
/// A slot of a fused instruction in 16 bits, read or written as that instruction's doc
/// says (fused instructions are made after translation, so nothing retargets them).
pub type Slot16 = u16;
/// A branch target: an instruction index while translating, an offset relative to the
/// branching instruction (`i32` bits) once threaded. At most one per instruction.
pub type Target = u32;

/// `Some($f)` when `$role` is the role `$want` (`Dst` or `Target`), else `None`.
macro_rules! operand_of_role {
    (Dst, Dst, $f:expr) => {
        Some($f)
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
    /// The wasm byte offset of each instruction (for backtraces), parallel to `code`.
    pub offsets: Box<[u32]>,
    /// Slots of the parameters.
    pub num_params: u32,
    /// Slots of the parameters plus the declared locals.
    pub num_locals: u32,
    /// Values of the constant slots `num_locals..num_locals + consts.len()`, written when
    /// the frame is entered.
    pub consts: Box<[u64]>,
    /// Whether a parameter or result is a `v128` (its arguments and results then move
    /// between [`crate::vm::ValRaw`]s and slots by type).
    pub wide_sig: bool,
    /// Slots the frame needs: locals plus the maximum operand-stack height.
    pub frame_size: u32,
}

/// One threaded instruction: the handler that executes it and its operands.
#[derive(Clone, Copy, Debug)]
pub struct Instr {
    /// Executes `op` (always the handler of `op`'s variant).
    pub handler: Handler,
    /// The instruction; a branch's `target` is relative to this instruction.
    pub op: Op,
}

const _: () = assert!(std::mem::size_of::<Op>() == 16);
const _: () = assert!(std::mem::size_of::<Instr>() == 24);
