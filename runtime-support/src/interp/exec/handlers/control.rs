//! Branch handlers, plus moves, constants and `select`.

// `!(x < y)` on floats is the point of the `Not*` branches: it is true for NaN operands,
// which `x >= y` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::*;

/// Fused compare-and-branch handlers: jump to `target` when `f(a, b)` holds.
macro_rules! branch {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident: $u:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { a, b, target } {
            // SAFETY: translated slots lie inside the frame; the target and the next
            // instruction belong to the current function.
            unsafe {
                let $x = <$t as Bits>::of(get(fp, a));
                let $y = <$u as Bits>::of(get(fp, b));
                if $e {
                    dispatch(jump(pc, target), fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

/// As [`branch!`] with an immediate right operand.
macro_rules! branch_imm {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident: $u:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { a, imm, target } {
            // SAFETY: as in `branch!`.
            unsafe {
                let $x = <$t as Bits>::of(get(fp, a));
                let $y = <$u as Bits>::of(imm as i64 as u64);
                if $e {
                    dispatch(jump(pc, target), fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

handler!(fn unreachable(pc, fp, mem, len, st, reg) = Unreachable {} {
    // SAFETY: `pc` and `st` are the running instruction and state.
    unsafe { trap(pc, st, TrapCode::Unreachable) }
});

handler!(fn check_interrupt(pc, fp, mem, len, st, reg) = CheckInterrupt {} {
    // SAFETY: `st` is the running state; its store and the store's context outlive the run,
    // and the epoch counter is owned by the store for its whole life.
    unsafe {
        let ctx = (*(*st).store).vm_context();
        if (*(*ctx).epoch_counter).load(std::sync::atomic::Ordering::Relaxed) >= (*ctx).epoch_deadline {
            return trap(pc, st, TrapCode::Interrupted);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn check_fuel(pc, fp, mem, len, st, reg) = CheckFuel {} {
    // SAFETY: `st` is the running state; its store and the store's context outlive the run
    // and only this thread (the store lock's owner) touches the context.
    unsafe {
        let ctx = (*(*st).store).vm_context();
        (*ctx).fuel -= 1;
        if (*ctx).fuel < 0 {
            (*ctx).fuel = 0;
            return trap(pc, st, TrapCode::OutOfFuel);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// The listener hook of the running function: `before` with its parameters on entry,
/// `after` with its results on exit (see [`crate::vm::listener`]); nothing when the
/// function is not listened. Returns `false` when the listener panicked: the run then
/// unwinds with the trap this records. (Out of line and returning a plain `bool`, so the
/// handlers that call it hold no value with a destructor and keep their dispatch a tail
/// call.)
///
/// # Safety
/// `st` is the running state, `pc` the hook instruction and `fp` the current function's
/// frame, holding its parameters (`entering`) or results from slot 0 up.
#[inline(never)]
unsafe fn listen(pc: *const Instr, st: *mut State, fp: *mut u64, entering: bool) -> bool {
    // SAFETY: per the contract; the running instance, its store and the translation are
    // live for the whole run.
    unsafe {
        let s = &*st;
        let inst = &*s.cache.inst;
        let func_index = (*s.func).func_index;
        let Some(hooks) = inst.listener(func_index) else { return true };
        let ty = inst.module.info.func_type(func_index);
        let types = if entering { ty.params() } else { ty.results() };
        let mut vals = vec![crate::vm::ValRaw::default(); types.len()];
        crate::interp::exec::slots::slots_to_vals(types, fp, &mut vals);
        let store = &*s.store;
        let done =
            if entering { store.listen_before(hooks, &vals) } else { store.listen_after(&vals) };
        match done {
            Ok(()) => true,
            Err(u) => {
                super::super::backtrace::unwind(pc, st, u);
                false
            }
        }
    }
}

handler!(fn listener_before(pc, fp, mem, len, st, reg) = ListenerBefore {} {
    // SAFETY: `st` is the running state and `fp` the frame the function was entered with;
    // memory 0 is reloaded, as a listener may have grown it.
    unsafe {
        if !listen(pc, st, fp, true) {
            return Exit::Unwind;
        }
        let (mem, len) = (*st).cache.memory();
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn listener_after(pc, fp, mem, len, st, reg) = ListenerAfter {} {
    // SAFETY: as for `listener_before`; the results are in the slots from 0 up.
    unsafe {
        if !listen(pc, st, fp, false) {
            return Exit::Unwind;
        }
        let (mem, len) = (*st).cache.memory();
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn br(pc, fp, mem, len, st, reg) = Br { target } {
    // SAFETY: the target belongs to the current function (`N` is its continuation: a
    // `br`'s only successor is its target).
    unsafe { N::next(jump(pc, target), fp, mem, len, st, 0) }
});

handler!(fn aux(pc, fp, mem, len, st, reg) = Aux { slot } {
    // SAFETY: the owner of an `Aux` skips it; were one reached, the next instruction exists.
    unsafe { N::next(pc.add(1), fp, mem, len, st, 0) }
});

branch! {
    br_i32_eq = BrI32Eq, |x: u32, y: u32| x == y;
    br_i32_ne = BrI32Ne, |x: u32, y: u32| x != y;
    br_i32_lt_s = BrI32LtS, |x: i32, y: i32| x < y;
    br_i32_lt_u = BrI32LtU, |x: u32, y: u32| x < y;
    br_i32_gt_s = BrI32GtS, |x: i32, y: i32| x > y;
    br_i32_gt_u = BrI32GtU, |x: u32, y: u32| x > y;
    br_i32_le_s = BrI32LeS, |x: i32, y: i32| x <= y;
    br_i32_le_u = BrI32LeU, |x: u32, y: u32| x <= y;
    br_i32_ge_s = BrI32GeS, |x: i32, y: i32| x >= y;
    br_i32_ge_u = BrI32GeU, |x: u32, y: u32| x >= y;
    br_i32_and_nez = BrI32AndNez, |x: u32, y: u32| x & y != 0;
    br_i32_and_eqz = BrI32AndEqz, |x: u32, y: u32| x & y == 0;
}

branch_imm! {
    br_i32_eq_imm = BrI32EqImm, |x: u32, y: u32| x == y;
    br_i32_ne_imm = BrI32NeImm, |x: u32, y: u32| x != y;
    br_i32_lt_s_imm = BrI32LtSImm, |x: i32, y: i32| x < y;
    br_i32_lt_u_imm = BrI32LtUImm, |x: u32, y: u32| x < y;
    br_i32_gt_s_imm = BrI32GtSImm, |x: i32, y: i32| x > y;
    br_i32_gt_u_imm = BrI32GtUImm, |x: u32, y: u32| x > y;
    br_i32_le_s_imm = BrI32LeSImm, |x: i32, y: i32| x <= y;
    br_i32_le_u_imm = BrI32LeUImm, |x: u32, y: u32| x <= y;
    br_i32_ge_s_imm = BrI32GeSImm, |x: i32, y: i32| x >= y;
    br_i32_ge_u_imm = BrI32GeUImm, |x: u32, y: u32| x >= y;
    br_i32_and_imm_nez = BrI32AndImmNez, |x: u32, y: u32| x & y != 0;
    br_i32_and_imm_eqz = BrI32AndImmEqz, |x: u32, y: u32| x & y == 0;
}

branch! {
    br_f32_eq = BrF32Eq, |x: f32, y: f32| x == y;
    br_f32_ne = BrF32Ne, |x: f32, y: f32| x != y;
    br_f32_lt = BrF32Lt, |x: f32, y: f32| x < y;
    br_f32_gt = BrF32Gt, |x: f32, y: f32| x > y;
    br_f32_le = BrF32Le, |x: f32, y: f32| x <= y;
    br_f32_ge = BrF32Ge, |x: f32, y: f32| x >= y;
    br_f32_not_lt = BrF32NotLt, |x: f32, y: f32| !(x < y);
    br_f32_not_gt = BrF32NotGt, |x: f32, y: f32| !(x > y);
    br_f32_not_le = BrF32NotLe, |x: f32, y: f32| !(x <= y);
    br_f32_not_ge = BrF32NotGe, |x: f32, y: f32| !(x >= y);
    br_f64_eq = BrF64Eq, |x: f64, y: f64| x == y;
    br_f64_ne = BrF64Ne, |x: f64, y: f64| x != y;
    br_f64_lt = BrF64Lt, |x: f64, y: f64| x < y;
    br_f64_gt = BrF64Gt, |x: f64, y: f64| x > y;
    br_f64_le = BrF64Le, |x: f64, y: f64| x <= y;
    br_f64_ge = BrF64Ge, |x: f64, y: f64| x >= y;
    br_f64_not_lt = BrF64NotLt, |x: f64, y: f64| !(x < y);
    br_f64_not_gt = BrF64NotGt, |x: f64, y: f64| !(x > y);
    br_f64_not_le = BrF64NotLe, |x: f64, y: f64| !(x <= y);
    br_f64_not_ge = BrF64NotGe, |x: f64, y: f64| !(x >= y);
}

branch! {
    br_i64_eq = BrI64Eq, |x: u64, y: u64| x == y;
    br_i64_ne = BrI64Ne, |x: u64, y: u64| x != y;
    br_i64_lt_s = BrI64LtS, |x: i64, y: i64| x < y;
    br_i64_lt_u = BrI64LtU, |x: u64, y: u64| x < y;
    br_i64_gt_s = BrI64GtS, |x: i64, y: i64| x > y;
    br_i64_gt_u = BrI64GtU, |x: u64, y: u64| x > y;
    br_i64_le_s = BrI64LeS, |x: i64, y: i64| x <= y;
    br_i64_le_u = BrI64LeU, |x: u64, y: u64| x <= y;
    br_i64_ge_s = BrI64GeS, |x: i64, y: i64| x >= y;
    br_i64_ge_u = BrI64GeU, |x: u64, y: u64| x >= y;
}

branch_imm! {
    br_i64_eq_imm = BrI64EqImm, |x: u64, y: u64| x == y;
    br_i64_ne_imm = BrI64NeImm, |x: u64, y: u64| x != y;
    br_i64_lt_s_imm = BrI64LtSImm, |x: i64, y: i64| x < y;
    br_i64_lt_u_imm = BrI64LtUImm, |x: u64, y: u64| x < y;
    br_i64_gt_s_imm = BrI64GtSImm, |x: i64, y: i64| x > y;
    br_i64_gt_u_imm = BrI64GtUImm, |x: u64, y: u64| x > y;
    br_i64_le_s_imm = BrI64LeSImm, |x: i64, y: i64| x <= y;
    br_i64_le_u_imm = BrI64LeUImm, |x: u64, y: u64| x <= y;
    br_i64_ge_s_imm = BrI64GeSImm, |x: i64, y: i64| x >= y;
    br_i64_ge_u_imm = BrI64GeUImm, |x: u64, y: u64| x >= y;
}

/// Branches on one slot: jump to `target` when `f(cond)` holds (`$t`: the slot read as an
/// i32 or an i64).
macro_rules! branch_cond {
    ($($name:ident = $var:ident, |$c:ident: $t:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { cond, target } {
            // SAFETY: as in `branch!`.
            unsafe {
                let $c = <$t as Bits>::of(get(fp, cond));
                if $e {
                    dispatch(jump(pc, target), fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

branch_cond! {
    br_if_nez = BrIfNez, |c: u32| c != 0;
    br_if_eqz = BrIfEqz, |c: u32| c == 0;
    br_i64_nez = BrI64Nez, |c: u64| c != 0;
    br_i64_eqz = BrI64Eqz, |c: u64| c == 0;
}

handler!(fn br_table(pc, fp, mem, len, st, reg) = BrTable { index, len: entries } {
    // SAFETY: `entries + 1` `Br` instructions follow a `BrTable`; their targets are relative
    // to themselves and belong to the current function, and each carries its target's
    // handler (see `thread`).
    unsafe {
        let entry = pc.add(1 + (get(fp, index) as u32).min(entries) as usize);
        let Op::Br { target } = (*entry).op else { std::hint::unreachable_unchecked() };
        dispatch_with((*entry).handler, jump(entry, target), fp, mem, len, st, 0)
    }
});

handler!(fn br_table_at(pc, fp, mem, len, st, reg) = BrTableAt { index, len: entries, table } {
    // SAFETY: `table` is the `BrTable` of the same function whose copied dispatch sequence
    // this instruction ends (`tail_dup`), with its `entries` (`len`) and their handlers as in
    // `br_table`.
    unsafe {
        let entry = jump(pc, table).add(1 + (get(fp, index) as u32).min(entries) as usize);
        let Op::Br { target } = (*entry).op else { std::hint::unreachable_unchecked() };
        dispatch_with((*entry).handler, jump(entry, target), fp, mem, len, st, 0)
    }
});

handler!(fn copy(pc, fp, mem, len, st, reg) = Copy { dst, src } {
    // SAFETY: as in `unary!`.
    unsafe {
        let v = get(fp, src);
        set(fp, dst, v);
        N::next(pc.add(1), fp, mem, len, st, v)
    }
});

handler!(fn copy2(pc, fp, mem, len, st, reg) = Copy2 { d1, s1, d2, s2 } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, d1 as Slot, get(fp, s1 as Slot));
        set(fp, d2 as Slot, get(fp, s2 as Slot));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// Loop-end handlers: `x = x + addend` (i32, wrapping), then jump to `target` when `test`
/// holds for the new value `v`.
macro_rules! add_branch {
    ($($name:ident = $var:ident { $($f:ident),* }, |$v:ident, $fp:ident| $add:expr, $test:expr;)*) => {$(
        handler!(fn $name(pc, $fp, mem, len, st, reg) = $var { x, $($f,)* target } {
            // SAFETY: as in `branch!`.
            unsafe {
                let $v = (get($fp, x as Slot) as u32).wrapping_add($add);
                set($fp, x as Slot, $v as u64);
                if $test {
                    dispatch(jump(pc, target), $fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), $fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

add_branch! {
    i32_add_br_ne = I32AddBrNe { y, b }, |v, fp| get(fp, y as Slot) as u32, v != get(fp, b as Slot) as u32;
    i32_add_br_lt_u = I32AddBrLtU { y, b }, |v, fp| get(fp, y as Slot) as u32, v < get(fp, b as Slot) as u32;
    i32_add_br_lt_s = I32AddBrLtS { y, b }, |v, fp| get(fp, y as Slot) as u32, (v as i32) < get(fp, b as Slot) as i32;
    i32_add_imm_br_ne = I32AddImmBrNe { imm, b }, |v, fp| imm as i32 as u32, v != get(fp, b as Slot) as u32;
    i32_add_imm_br_lt_u = I32AddImmBrLtU { imm, b }, |v, fp| imm as i32 as u32, v < get(fp, b as Slot) as u32;
    i32_add_imm_br_lt_s = I32AddImmBrLtS { imm, b }, |v, fp| imm as i32 as u32, (v as i32) < get(fp, b as Slot) as i32;
    i32_add_imm_br_ne_imm = I32AddImmBrNeImm { imm, cmp }, |v, fp| imm as i32 as u32, v != cmp as i32 as u32;
    i32_add_imm_br_nez = I32AddImmBrNez { imm }, |v, fp| imm as i32 as u32, v != 0;
}

handler!(fn const32(pc, fp, mem, len, st, reg) = Const32 { dst, value } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, dst, value as u64);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn const64(pc, fp, mem, len, st, reg) = Const64 { dst, value } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, dst, value);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn select(pc, fp, mem, len, st, reg) = Select { dst, a, b } {
    // SAFETY: a `Select` is always followed by its `Aux` (then by at least a `Return`);
    // the slots lie inside the frame.
    unsafe {
        let Op::Aux { slot } = (*pc.add(1)).op else { std::hint::unreachable_unchecked() };
        let v = if get(fp, slot) as u32 != 0 { get(fp, a) } else { get(fp, b) };
        set(fp, dst, v);
        dispatch(pc.add(2), fp, mem, len, st, 0)
    }
});

/// `select` fused with its i32 comparison: `dst = f(x, y) ? a : b`, choosing the slot to
/// read (a conditional move) rather than branching.
macro_rules! select_compare {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b, x, y } {
            // SAFETY: translated slots lie inside the frame.
            unsafe {
                let $x = get(fp, x as Slot) as $t;
                let $y = get(fp, y as Slot) as $t;
                let from = if $e { a } else { b };
                set(fp, dst, get(fp, from as Slot));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// As [`select_compare!`] with an immediate right operand.
macro_rules! select_compare_imm {
    ($($name:ident = $var:ident, |$x:ident: $t:ty, $y:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b, x, imm } {
            // SAFETY: translated slots lie inside the frame.
            unsafe {
                let $x = get(fp, x as Slot) as $t;
                let $y = imm as $t;
                let from = if $e { a } else { b };
                set(fp, dst, get(fp, from as Slot));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

select_compare! {
    select_i32_eq = SelectI32Eq, |x: u32, y| x == y;
    select_i32_and = SelectI32And, |x: u32, y| x & y != 0;
    select_i32_lt_s = SelectI32LtS, |x: i32, y| x < y;
    select_i32_lt_u = SelectI32LtU, |x: u32, y| x < y;
}

select_compare_imm! {
    select_i32_eq_imm = SelectI32EqImm, |x: u32, y| x == y;
    select_i32_and_imm = SelectI32AndImm, |x: u32, y| x & y != 0;
    select_i32_lt_s_imm = SelectI32LtSImm, |x: i32, y| x < y;
    select_i32_gt_s_imm = SelectI32GtSImm, |x: i32, y| x > y;
    select_i32_lt_u_imm = SelectI32LtUImm, |x: u32, y| x < y;
    select_i32_gt_u_imm = SelectI32GtUImm, |x: u32, y| x > y;
}
