//! Calls and returns: interpreted callees run in the same handler chain (their frame on
//! top of the caller's arguments); anything else is called out through its array-call
//! entry.

use super::super::backtrace::unwind;
use super::super::slots::{slot_count, slots_to_vals, vals_to_slots};
use super::super::state::{Frame, InstCache};
use super::super::{callee, init_frame, is_interp};
use super::*;
use crate::error::Unwind;
use crate::instance::{InstanceData, InterpFuncContext};
use crate::interp::ir::CompiledFunc;
use crate::trap::Trap;
use crate::types::FuncType;
use crate::vm::{ArrayCallFn, Store, VMFuncRef, VMOpaqueContext, ValRaw};

/// Suspends the caller (at the instruction after `pc`, frame `fp`) and makes `callee`, with
/// its frame at `new_fp`, current; false when the stack or the depth limit is exhausted.
///
/// # Safety
/// `s` is the run's state, `pc` the calling instruction, `new_fp` inside the value stack.
#[inline(always)]
unsafe fn push_frame(
    s: &mut State,
    pc: *const Instr,
    fp: *mut u64,
    callee: &CompiledFunc,
    new_fp: *mut u64,
) -> bool {
    // SAFETY: `new_fp` and `stack_end` point into (or one past) the same stack allocation.
    let room = unsafe { s.stack_end.offset_from(new_fp) } as usize;
    if room < callee.frame_size as usize || s.frames.len() + 1 >= s.depth_limit {
        return false;
    }
    // SAFETY: the callee's frame fits in the stack (checked just above).
    unsafe { init_frame(callee, new_fp) };
    // SAFETY: the calling instruction is not the function's last (that is a `Return`).
    s.frames.push(Frame { pc: unsafe { pc.add(1) }, fp, func: s.func, inst: s.cache.inst });
    s.func = callee;
    true
}

/// [`callee`] for a call instruction at `pc`: null after ending the run with its error.
///
/// # Safety
/// `inst` is a live interpreted instance and `func_index` one of its defined functions;
/// `st` is the run's state and `pc` the calling instruction.
#[cold]
#[inline(never)]
unsafe fn first_call(
    pc: *const Instr,
    st: *mut State,
    inst: *mut InstanceData,
    func_index: u32,
) -> *const CompiledFunc {
    // SAFETY: per the contract, `inst` is a live instance.
    match callee(unsafe { &*inst }, func_index) {
        Ok(f) => f,
        Err(u) => {
            // SAFETY: per the contract.
            unsafe { unwind(pc, st, u) };
            std::ptr::null()
        }
    }
}

handler!(fn call(pc, fp, mem, len, st) = Call { func, base } {
    // SAFETY: `func` is a defined function of the current (interpreted) module; `base` is a
    // slot of the current frame; the callee starts at its first instruction.
    unsafe {
        let s = &mut *st;
        let slot = &*s.cache.funcs.add((func - s.cache.num_imported_funcs) as usize);
        let callee = match slot.get() {
            Some(f) => f,
            None => {
                let f = first_call(pc, st, s.cache.inst, func);
                if f.is_null() {
                    return Exit::Unwind;
                }
                &*f
            }
        };
        let new_fp = fp.add(base as usize);
        if !push_frame(s, pc, fp, callee, new_fp) {
            return trap(pc, st, TrapCode::CallStackExhausted);
        }
        dispatch(callee.code.as_ptr(), new_fp, mem, len, st)
    }
});

handler!(fn call_import(pc, fp, mem, len, st) = CallImport { func, base } {
    // SAFETY: `pc` is this instruction; `resume` continues where `call_import_slow` says.
    unsafe {
        let (pc, fp) = call_import_slow(pc, fp, st, func, base);
        resume(pc, fp, st)
    }
});

handler!(fn call_indirect(pc, fp, mem, len, st) = CallIndirect { table, ty, base } {
    // SAFETY: as in `call_import`.
    unsafe {
        let (pc, fp) = call_indirect_slow(pc, fp, st, table, ty, base);
        resume(pc, fp, st)
    }
});

/// Returns to the suspended caller, or ends the run when there is none.
///
/// # Safety
/// `st` is the run's state; the current function's results are in its frame.
#[inline(always)]
unsafe fn leave(st: *mut State) -> Exit {
    // SAFETY: suspended frames refer to live interpreted instances and their code; the
    // memory is reloaded since the callee may have grown it or belong to another instance.
    unsafe {
        let s = &mut *st;
        let Some(f) = s.frames.pop() else { return Exit::Done };
        s.func = f.func;
        if f.inst != s.cache.inst {
            s.cache = InstCache::new(f.inst);
        }
        let (mem, len) = s.cache.memory();
        dispatch(f.pc, f.fp, mem, len, st)
    }
}

handler!(fn ret(pc, fp, mem, len, st) = Return {} {
    // SAFETY: `st` is the running state.
    unsafe { leave(st) }
});

handler!(fn ret_slot(pc, fp, mem, len, st) = ReturnSlot { src } {
    // SAFETY: `src` and slot 0 lie in the frame; `st` is the running state.
    unsafe {
        set(fp, 0, get(fp, src));
        leave(st)
    }
});

/// Continues at `pc` with frame `fp` after a slow-path call (null `pc`: the run unwinds),
/// reloading memory 0, which the callee may have grown or switched.
///
/// # Safety
/// `st` is the run's state; a non-null `pc` is an instruction of its current function.
#[inline(always)]
unsafe fn resume(pc: *const Instr, fp: *mut u64, st: *mut State) -> Exit {
    if pc.is_null() {
        return Exit::Unwind;
    }
    // SAFETY: per the contract.
    unsafe {
        let (mem, len) = (*st).cache.memory();
        dispatch(pc, fp, mem, len, st)
    }
}

/// The `(pc, fp)` to continue with after a call; null when the run unwinds.
type Resume = (*const Instr, *mut u64);

const UNWIND: Resume = (std::ptr::null(), std::ptr::null_mut());

/// `call` of imported function `func` with its arguments at slot `base`.
///
/// # Safety
/// `pc` is the calling instruction of the run `st`, `fp` its frame.
#[inline(never)]
unsafe fn call_import_slow(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    func: u32,
    base: Slot,
) -> Resume {
    // SAFETY: `func` is an imported function of the live current instance.
    unsafe {
        let inst = &*(*st).cache.inst;
        let imp = *inst.func_import(func);
        call_any(pc, fp, st, imp.array_call, imp.vmctx, inst.module.info.func_type(func), base)
    }
}

/// `call_indirect` through `table` expecting module type `ty`, arguments at slot `base`
/// and the element index after them.
///
/// # Safety
/// As [`call_import_slow`].
#[inline(never)]
unsafe fn call_indirect_slow(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    table: u32,
    ty: u32,
    base: Slot,
) -> Resume {
    // SAFETY: the current instance is live; `table`, `ty` are validated indices; the index
    // slot lies in the frame; non-null funcref table elements point to live funcrefs.
    unsafe {
        let inst = &*(*st).cache.inst;
        let fty = &inst.module.info.types[ty as usize];
        let index = get(fp, base + slot_count(fty.params()) as u32) as u32 as usize;
        let def = inst.tables[table as usize].def;
        let (tbase, tlen) = ((*def).base, (*def).current_elements);
        if index >= tlen {
            trap(pc, st, TrapCode::UndefinedElement);
            return UNWIND;
        }
        let raw = *tbase.add(index);
        if raw == 0 {
            trap(pc, st, TrapCode::UninitializedElement);
            return UNWIND;
        }
        let fr = *(raw as *const VMFuncRef);
        if fr.type_id != inst.type_id(ty) {
            trap(pc, st, TrapCode::IndirectCallTypeMismatch);
            return UNWIND;
        }
        call_any(pc, fp, st, fr.array_call, fr.vmctx, fty, base)
    }
}

/// Calls the function `(array_call, vmctx)` of type `ty` with its arguments at slot `base`:
/// enters it when interpreted, else calls it out and continues after the call.
///
/// # Safety
/// As [`call_import_slow`]; the pair must be a function of type `ty`.
#[allow(clippy::too_many_arguments)]
unsafe fn call_any(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    array_call: ArrayCallFn,
    vmctx: *mut VMOpaqueContext,
    ty: &FuncType,
    base: Slot,
) -> Resume {
    // SAFETY: `base` is a slot of the current frame; interpreted functions' contexts are
    // `InterpFuncContext`s of live instances; the argument slots lie in the current frame's
    // operand stack, covering the callee's parameters and results.
    unsafe {
        let new_fp = fp.add(base as usize);
        if is_interp(array_call) {
            let ctx = &*(vmctx as *const InterpFuncContext);
            return enter(pc, fp, st, ctx.instance, ctx.func_index, new_fp);
        }
        let s = &mut *st;
        let store = &*s.store;
        let depth = s.base_depth + s.frames.len() + 1;
        let res = call_out(store, s.cache.inst, array_call, vmctx, ty, new_fp, s.stack_base, depth);
        store.call_depth.set(s.base_depth);
        match res {
            Ok(()) => (pc.add(1), fp),
            Err(u) => {
                unwind(pc, st, u);
                UNWIND
            }
        }
    }
}

/// Enters interpreted function `index` of `inst` with its frame at `new_fp`.
///
/// # Safety
/// As [`call_import_slow`]; `inst` is a live interpreted instance.
unsafe fn enter(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    inst: *mut InstanceData,
    index: u32,
    new_fp: *mut u64,
) -> Resume {
    // SAFETY: per the contract; `index` is a defined function of the instance's module.
    unsafe {
        let s = &mut *st;
        let switch = if inst == s.cache.inst { None } else { Some(InstCache::new(inst)) };
        let (funcs, nimp) = match &switch {
            Some(c) => (c.funcs, c.num_imported_funcs),
            None => (s.cache.funcs, s.cache.num_imported_funcs),
        };
        let callee = match (*funcs.add((index - nimp) as usize)).get() {
            Some(f) => f,
            None => {
                let f = first_call(pc, st, inst, index);
                if f.is_null() {
                    return UNWIND;
                }
                &*f
            }
        };
        if !push_frame(s, pc, fp, callee, new_fp) {
            trap(pc, st, TrapCode::CallStackExhausted);
            return UNWIND;
        }
        if let Some(c) = switch {
            s.cache = c;
        }
        (callee.code.as_ptr(), new_fp)
    }
}

/// Calls a non-interpreted function through its array-call entry with the arguments at
/// `args` (interpreter slots), writing its results back there.
///
/// # Safety
/// `args` must cover the slots of the parameters and of the results (a `v128` takes two)
/// in the current frame region; `callee`
/// and `vmctx` must form a valid array-call pair for a function of type `ty`.
#[allow(clippy::too_many_arguments)]
unsafe fn call_out(
    store: &Store,
    caller: *mut InstanceData,
    array_call: ArrayCallFn,
    vmctx: *mut VMOpaqueContext,
    ty: &FuncType,
    args: *mut u64,
    stack_base: *mut u64,
    depth: usize,
) -> Result<(), Unwind> {
    let (np, nr) = (ty.params().len(), ty.results().len());
    let n = np.max(nr);
    let mut small = [ValRaw::default(); 8];
    let mut big;
    let buf: &mut [ValRaw] = if n <= small.len() {
        &mut small[..n]
    } else {
        big = vec![ValRaw::default(); n];
        &mut big
    };
    // SAFETY: per the contract, `args` covers the parameters' slots.
    unsafe { slots_to_vals(ty.params(), args, buf) };
    let saved_top = store.interp_top.get();
    let arg_slots = slot_count(ty.params()).max(slot_count(ty.results()));
    // SAFETY: both point into the same stack allocation.
    let top = unsafe { args.add(arg_slots).offset_from(stack_base) } as usize;
    store.interp_top.set(top);
    store.call_depth.set(depth);
    // SAFETY: per the contract; the caller's VMContext is live.
    let ok = unsafe { array_call(vmctx, (*caller).vmctx(), buf.as_mut_ptr(), n) };
    store.interp_top.set(saved_top);
    if !ok {
        return Err(store
            .take_pending_unwind()
            .unwrap_or_else(|| Unwind::Trap(Trap::host("call unwound without a reason"))));
    }
    // SAFETY: per the contract, `args` covers the results' slots.
    unsafe { vals_to_slots(ty.results(), buf, args) };
    Ok(())
}
