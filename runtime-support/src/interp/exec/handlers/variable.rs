//! Global and function-reference handlers.

use super::*;
use crate::vm::ValRaw;

handler!(fn global_get(pc, fp, mem, len, st, reg) = GlobalGet { dst, global } {
    // SAFETY: the slot lies in the frame; `global` is a validated index of the live
    // instance, whose global storage lives with its owner.
    unsafe {
        let v = (**(*st).cache.globals.add(global as usize)).get().bits();
        set(fp, dst, v);
        N::next(pc.add(1), fp, mem, len, st, v)
    }
});

handler!(fn global_set(pc, fp, mem, len, st, reg) = GlobalSet { src, global } {
    // SAFETY: as in `global_get`.
    unsafe {
        (**(*st).cache.globals.add(global as usize)).set(ValRaw::from_bits(get(fp, src)));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn ref_func(pc, fp, mem, len, st, reg) = RefFunc { dst, func } {
    // SAFETY: the slot lies in the frame; the current instance is live; `func` validated.
    unsafe {
        set(fp, dst, (*(*st).cache.inst).funcref(func) as u64);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});
