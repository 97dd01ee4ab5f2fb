//! How handlers hand over to each other, and how code is threaded.

use super::super::ir::{Instr, Op, for_each_op};
use super::State;
use super::handlers;
use super::specialize::specialized;

/// An instruction handler: executes the instruction at `pc` with the current frame at `fp`
/// and memory 0 at `mem` (`mem_len` bytes), then continues with the next one.
///
/// # Safety
/// `pc` must be an instruction of the state's current function whose handler this is, `fp`
/// its frame, and `mem`/`mem_len` the current instance's memory 0.
pub type Handler = unsafe fn(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit;

/// How a run of handlers ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The entry function returned; its results are in its frame.
    Done,
    /// A trap or exit; the reason is in [`State::unwind`].
    Unwind,
    /// The trampoline loop should run the handler in [`State::regs`].
    #[cfg(not(kiln_tail_dispatch))]
    Continue,
}

/// The registers handed from one handler to the next, for the trampoline loop.
#[cfg(not(kiln_tail_dispatch))]
#[derive(Clone, Copy)]
pub struct Regs {
    /// The next instruction.
    pub pc: *const Instr,
    /// The current frame.
    pub fp: *mut u64,
    /// Memory 0's base.
    pub mem: *mut u8,
    /// Memory 0's length in bytes.
    pub len: u64,
    pub reg: u64,
}

/// How a handler continues with the instruction after it (for a `br`, with its target):
/// every handler is generic over it. [`Indirect`] loads the next instruction's handler;
/// a specialized handler (`specialize`) calls the one handler its successor has, directly.
pub trait Next {
    /// Continues with the instruction at `pc`, as [`dispatch`] does.
    ///
    /// # Safety
    /// As [`Handler`]; and `pc`'s handler must be the one this continuation calls.
    unsafe fn next(
        pc: *const Instr,
        fp: *mut u64,
        mem: *mut u8,
        mem_len: u64,
        st: *mut State,
        reg: u64,
    ) -> Exit;
}

/// The continuation that loads the next instruction's handler from it ([`dispatch`]).
pub struct Indirect;

impl Next for Indirect {
    #[inline(always)]
    unsafe fn next(
        pc: *const Instr,
        fp: *mut u64,
        mem: *mut u8,
        mem_len: u64,
        st: *mut State,
        reg: u64,
    ) -> Exit {
        // SAFETY: per the contract.
        unsafe { dispatch(pc, fp, mem, mem_len, st, reg) }
    }
}

/// Continues with the instruction at `pc`: a tail call of its handler.
///
/// # Safety
/// As [`Handler`].
#[cfg(kiln_tail_dispatch)]
#[inline(always)]
pub unsafe fn dispatch(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit {
    // SAFETY: per the contract.
    #[cfg(kiln_interp_profile)]
    unsafe {
        super::profile::count(pc)
    };
    // SAFETY: per the contract.
    unsafe { ((*pc).handler)(pc, fp, mem, mem_len, st, reg) }
}

/// Continues with the instruction at `pc`: hands the registers back to the trampoline.
///
/// # Safety
/// As [`Handler`].
#[cfg(not(kiln_tail_dispatch))]
#[inline(always)]
pub unsafe fn dispatch(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit {
    // SAFETY: per the contract, `st` is the run's state.
    unsafe { (*st).regs = Regs { pc, fp, mem, len: mem_len, reg } };
    Exit::Continue
}

/// As [`dispatch`], with `pc`'s handler already loaded (`handler` must be it).
///
/// # Safety
/// As [`dispatch`].
#[cfg(kiln_tail_dispatch)]
#[inline(always)]
pub unsafe fn dispatch_with(
    handler: Handler,
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit {
    // SAFETY: per the contract.
    #[cfg(kiln_interp_profile)]
    unsafe {
        super::profile::count(pc)
    };
    // SAFETY: per the contract.
    unsafe { handler(pc, fp, mem, mem_len, st, reg) }
}

/// As [`dispatch`], with `pc`'s handler already loaded (the trampoline loads it again).
///
/// # Safety
/// As [`dispatch`].
#[cfg(not(kiln_tail_dispatch))]
#[inline(always)]
pub unsafe fn dispatch_with(
    _handler: Handler,
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit {
    // SAFETY: per the contract.
    unsafe { dispatch(pc, fp, mem, mem_len, st, reg) }
}

/// Runs from `pc` until the entry frame returns or the run unwinds.
///
/// # Safety
/// As [`Handler`].
#[cfg(kiln_tail_dispatch)]
pub unsafe fn run(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit {
    // SAFETY: per the contract.
    unsafe { dispatch(pc, fp, mem, mem_len, st, reg) }
}

/// Runs from `pc` until the entry frame returns or the run unwinds.
///
/// # Safety
/// As [`Handler`].
#[cfg(not(kiln_tail_dispatch))]
pub unsafe fn run(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    mem_len: u64,
    st: *mut State,
    reg: u64,
) -> Exit {
    let mut r = Regs { pc, fp, mem, len: mem_len, reg };
    loop {
        // SAFETY: each handler leaves valid registers for the next one in `regs`.
        match unsafe { ((*r.pc).handler)(r.pc, r.fp, r.mem, r.len, st, r.reg) } {
            // SAFETY: `st` is the run's state.
            Exit::Continue => r = unsafe { (*st).regs },
            exit => return exit,
        }
    }
}

/// Pairs each instruction of a translated function with its handler and makes branch
/// targets relative to the branching instruction. An instruction whose kind and
/// successor's kind `specialize` lists gets the handler specialized for that successor.
///
/// A `BrTable`'s entries are never executed themselves: each gets its target's handler, so
/// that `br_table` loads the next handler beside the target instead of from it.
pub fn thread(code: Vec<Op>) -> Box<[Instr]> {
    let mut code: Box<[Instr]> = code
        .into_iter()
        .enumerate()
        .map(|(i, mut op)| {
            if let Some(t) = op.target_mut() {
                *t = (*t as i64 - i as i64) as i32 as u32;
            }
            Instr { handler: handler_for(&op), op }
        })
        .collect();
    // A specialized handler runs its instruction and then its successor's handler, which
    // it names: only where the successor (a `br`'s target) is that instruction. A profiling
    // build counts every instruction in `dispatch`, so it hands over no other way.
    let specialize = if cfg!(kiln_interp_profile) { 0 } else { code.len().saturating_sub(1) };
    for i in 0..specialize {
        let next = match code[i].op {
            Op::Br { target } => (i as i64 + target as i32 as i64) as usize,
            _ => i + 1,
        };
        if let Some(h) = specialized(&code[i].op, &code[next].op) {
            code[i].handler = h;
        }
    }
    for i in 0..code.len() {
        if let Op::BrTable { len, .. } | Op::BrTableR { len } = code[i].op {
            for e in i + 1..=i + 1 + len as usize {
                let Op::Br { target } = code[e].op else { unreachable!("a br_table entry") };
                code[e].handler = code[(e as i64 + target as i32 as i64) as usize].handler;
            }
        }
    }
    code
}

/// Generates [`handler_for`] from the declaration in [`for_each_op!`].
macro_rules! define_handler_for {
    ($(
        $(#[$attr:meta])*
        $name:ident = $Var:ident $({ $($field:ident: $role:ident),* $(,)? })?;
    )*) => {
        /// The handler of `op`'s variant: `handlers::<name>` for every declared instruction
        /// (a declared instruction without a handler does not compile).
        fn handler_for(op: &Op) -> Handler {
            match op {
                $( Op::$Var { .. } => handlers::$name::<Indirect>, )*
            }
        }
    };
}

for_each_op!(define_handler_for);
