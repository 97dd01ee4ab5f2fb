//! Exception handling: `throw`, `throw_ref` (and legacy `rethrow`), and the landing table.

use super::super::exception::{throw_new, throw_ref as throw_ref_slow};
use super::call::resume;
use super::*;

handler!(fn throw(pc, fp, mem, len, st, reg) = Throw { tag, args } {
    // SAFETY: `pc` is this instruction of the run's current function, `fp` its frame; the
    // translator put the payload in the slots from `args`.
    unsafe {
        let (pc, fp) = throw_new(pc, fp, st, tag, args);
        resume(pc, fp, st)
    }
});

handler!(fn throw_ref(pc, fp, mem, len, st, reg) = ThrowRef { src } {
    // SAFETY: as in `throw`; `src` is a slot of the frame.
    unsafe {
        let (pc, fp) = throw_ref_slow(pc, fp, st, src);
        resume(pc, fp, st)
    }
});

handler!(fn landing(pc, fp, mem, len, st, reg) = Landing { target } {
    // Never reached by execution (the table follows the function's last instruction); the
    // unwinder reads `target`. Behaves as `br` all the same.
    // SAFETY: `target` is a threaded branch offset inside the function's code.
    unsafe { dispatch(pc.offset(target as i32 as isize), fp, mem, len, st, 0) }
});
