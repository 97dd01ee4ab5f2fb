//! `v128` moves, constants and globals.

use super::*;
use crate::vm::ValRaw;

handler!(fn copy128(pc, fp, mem, len, st, reg) = Copy128 { dst, src } {
    // SAFETY: translated slots (two for a v128) lie inside the current frame; `pc` is not
    // the last instruction (every function ends in `Return`). The whole value is read
    // before it is written, so the slots may overlap.
    unsafe {
        set_v(fp, dst, get_v(fp, src));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn select128(pc, fp, mem, len, st, reg) = Select128 { dst, a, b } {
    // SAFETY: a `Select128` is always followed by its `Aux` (then by at least a `Return`);
    // the slots lie inside the frame.
    unsafe {
        let Op::Aux { slot } = (*pc.add(1)).op else { std::hint::unreachable_unchecked() };
        let v = if get(fp, slot) as u32 != 0 { get_v(fp, a) } else { get_v(fp, b) };
        set_v(fp, dst, v);
        dispatch(pc.add(2), fp, mem, len, st, 0)
    }
});

handler!(fn v128_const(pc, fp, mem, len, st, reg) = V128Const { dst, index } {
    // SAFETY: the slots lie inside the frame; `index` is an entry of the running
    // function's constant pool (made by the translator with the instruction).
    unsafe {
        let func = &*(*st).func;
        let v = *func.v128_consts.get_unchecked(index as usize);
        set_v(fp, dst, Vector::from_bits(v));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn global_get128(pc, fp, mem, len, st, reg) = GlobalGet128 { dst, global } {
    // SAFETY: the slots lie in the frame; `global` is a validated index of a v128 global of
    // the live instance, whose storage lives with its owner.
    unsafe {
        let v = (**(*st).cache.globals.add(global as usize)).get().v128();
        set_v(fp, dst, Vector::from_bits(v));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn global_set128(pc, fp, mem, len, st, reg) = GlobalSet128 { src, global } {
    // SAFETY: as in `global_get128`.
    unsafe {
        let v = ValRaw::from_v128(get_v(fp, src).bits());
        (**(*st).cache.globals.add(global as usize)).set(v);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});
