//! Traps and backtraces: recording why a run unwinds, with the frames it unwinds through.

use super::super::ir::{CompiledFunc, Instr};
use super::{Exit, State};
use crate::error::Unwind;
use crate::instance::InstanceData;
use crate::trap::{FrameInfo, Trap, TrapCode};

/// The backtrace entry of a frame of `func` in `inst` whose next instruction is `pc`.
pub fn frame_info(
    inst: *mut InstanceData,
    func: *const CompiledFunc,
    pc: *const Instr,
) -> FrameInfo {
    // SAFETY: frames refer to live instances and their translated functions.
    let (inst, func) = unsafe { (&*inst, &*func) };
    // SAFETY: `pc` points into `func.code`, just past the instruction being executed.
    let index = unsafe { pc.offset_from(func.code.as_ptr()) } as usize;
    let wasm_offset = func.offsets.get(index.saturating_sub(1));
    FrameInfo::new(&inst.module.info, inst.name.clone(), func.func_index, wasm_offset)
}

/// Ends the run with `u`, adding the backtrace when it is a trap; the instruction at `pc`
/// (of the current function) is where it happened.
///
/// # Safety
/// `st` must be the run's state and `pc` an instruction of its current function.
#[cold]
#[inline(never)]
pub unsafe fn unwind(pc: *const Instr, st: *mut State, mut u: Unwind) -> Exit {
    // SAFETY: per the contract.
    let s = unsafe { &mut *st };
    if let Unwind::Trap(t) = &mut u {
        // SAFETY: one past an instruction is at most one past the code's end.
        t.push_frame(frame_info(s.cache.inst, s.func, unsafe { pc.add(1) }));
        for f in s.frames.iter().rev() {
            t.push_frame(frame_info(f.inst, f.func, f.pc));
        }
    }
    s.unwind = Some(u);
    Exit::Unwind
}

/// Ends the run with a trap at `pc`.
///
/// # Safety
/// As [`unwind`].
#[cold]
#[inline(never)]
pub unsafe fn trap(pc: *const Instr, st: *mut State, code: TrapCode) -> Exit {
    // SAFETY: per the contract.
    unsafe { unwind(pc, st, Trap::new(code).into()) }
}
