//! Calls and returns: interpreted callees run in the same handler chain (their frame on
//! top of the caller's arguments); anything else is called out through its array-call
//! entry.

use super::super::backtrace::unwind;
use super::super::exception::rethrow_from_call;
use super::super::slots::{slot_count, slots_to_vals, vals_to_slots};
use super::super::state::{Frame, InstCache};
use super::super::{callee, init_frame, is_interp};
use super::*;
use crate::error::Unwind;
use crate::instance::{InstanceData, InterpFuncContext};
use crate::interp::ir::CompiledFunc;
use crate::interp::module::{CallTarget, FuncSlot};
use crate::trap::Trap;
use crate::types::FuncType;
use crate::vm::{ArrayCallFn, Store, VMFuncRef, VMOpaqueContext, ValRaw};
use std::sync::atomic::Ordering;

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

/// The translation in `slot` of interpreted function `func_index` of `inst`, made now if
/// this is its first call; null after ending the run with the error ([`first_call`]).
///
/// # Safety
/// As [`first_call`]; `slot` is the function's slot.
#[inline(always)]
unsafe fn translated(
    slot: &FuncSlot,
    pc: *const Instr,
    st: *mut State,
    inst: *mut InstanceData,
    func_index: u32,
) -> *const CompiledFunc {
    match slot.get() {
        Some(f) => f,
        // SAFETY: per the contract.
        None => unsafe { first_call(pc, st, inst, func_index) },
    }
}

/// Pushes the frame of the function of call target `t` (a function of the current
/// instance whose translation `t` publishes: at most 8 locals besides its parameters, no
/// constant slots) at `new_fp` when stack and frame records are to spare, and makes it
/// current. Straight-line code, so that the calling handlers need no stack frame of their
/// own; false (nothing done) otherwise, which the caller leaves to its general path.
///
/// # Safety
/// `s` is the run's state, `pc` the calling instruction of the current function, `fp` its
/// frame, `new_fp` a slot of that frame, and `callee` the non-null `func` of `t`, loaded with
/// acquire ordering. The 8 slots zeroed above the arguments lie inside the stack (checked)
/// and above every live frame; the frame record is written within the frame stack's
/// capacity (checked).
#[inline(always)]
unsafe fn push_frame_fast(
    s: &mut State,
    pc: *const Instr,
    fp: *mut u64,
    t: &CallTarget,
    callee: *const CompiledFunc,
    new_fp: *mut u64,
) -> bool {
    // SAFETY: per the contract.
    unsafe {
        let room = s.stack_end.offset_from(new_fp) as usize;
        if room < t.room.load(Ordering::Relaxed) as usize
            || s.frames.len() + 1 >= s.depth_limit
            || s.frames.len() >= s.frames.capacity()
        {
            return false;
        }
        new_fp.add(t.params.load(Ordering::Relaxed) as usize).cast::<[u64; 8]>().write([0; 8]);
        let frame = Frame { pc: pc.add(1), fp, func: s.func, inst: s.cache.inst };
        s.frames.as_mut_ptr().add(s.frames.len()).write(frame);
        s.frames.set_len(s.frames.len() + 1);
        s.func = callee;
        true
    }
}

handler!(fn call(pc, fp, mem, len, st, reg) = Call { func, base } {
    // SAFETY: per the handler contract.
    unsafe { call_defined(pc, fp, mem, len, st, func, base) }
});

handler!(fn call_copy(pc, fp, mem, len, st, reg) = CallCopy { func, base, dst, src } {
    // SAFETY: per the handler contract; both slots lie in the frame.
    unsafe {
        set(fp, dst as Slot, get(fp, src as Slot));
        call_defined(pc, fp, mem, len, st, func, base)
    }
});

/// The `call` (or `call_copy`, after its copy) at `pc` of defined function `func` with its
/// frame at slot `base`.
///
/// # Safety
/// As a handler; `func` is a defined function of the current (interpreted) module, so it
/// indexes the module's call targets, whose published `func` is its translation and `code`
/// that translation's first instruction; `base` is a slot of the current frame.
#[inline(always)]
unsafe fn call_defined(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    len: u64,
    st: *mut State,
    func: u32,
    base: Slot,
) -> Exit {
    // SAFETY: per the contract.
    unsafe {
        let s = &mut *st;
        let t = &*s.cache.targets.add((func - s.cache.num_imported_funcs) as usize);
        // The common case inline, everything else in `call_general`, a sibling call.
        let callee = t.func.load(Ordering::Acquire);
        if !callee.is_null() {
            let new_fp = fp.add(base as usize);
            if push_frame_fast(s, pc, fp, t, callee, new_fp) {
                return dispatch(t.code.load(Ordering::Relaxed), new_fp, mem, len, st, 0);
            }
        }
        call_general(pc, fp, mem, len, st, 0)
    }
}

/// A `call` of a defined function in every case: translates the callee on its first call,
/// grows the frame stack, traps when the stack or the depth limit is exhausted.
///
/// # Safety
/// As the `call` handler, whose instruction (a `Call`, or a `CallCopy` whose copy is done)
/// is at `pc`.
#[inline(never)]
unsafe fn call_general(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    len: u64,
    st: *mut State,
    _reg: u64,
) -> Exit {
    // SAFETY: per the contract.
    unsafe {
        let (func, base) = match (*pc).op {
            Op::Call { func, base } | Op::CallCopy { func, base, .. } => (func, base),
            _ => std::hint::unreachable_unchecked(),
        };
        let s = &mut *st;
        let slot = &*s.cache.funcs.add((func - s.cache.num_imported_funcs) as usize);
        let callee = translated(slot, pc, st, s.cache.inst, func);
        if callee.is_null() {
            return Exit::Unwind;
        }
        let callee = &*callee;
        let new_fp = fp.add(base as usize);
        if !push_frame(s, pc, fp, callee, new_fp) {
            return trap(pc, st, TrapCode::CallStackExhausted);
        }
        dispatch(callee.code.as_ptr(), new_fp, mem, len, st, 0)
    }
}

handler!(fn call_import(pc, fp, mem, len, st, reg) = CallImport { func, base } {
    // SAFETY: `pc` is this instruction; `resume` continues where `call_import_slow` says.
    unsafe {
        let (pc, fp) = call_import_slow(pc, fp, st, func, base);
        resume(pc, fp, st)
    }
});

handler!(fn call_indirect(pc, fp, mem, len, st, reg) = CallIndirect { table, args, ty, base } {
    // SAFETY: per the handler contract.
    unsafe { call_indirect_from(pc, fp, mem, len, st, table, args, ty, base) }
});

handler!(fn call_indirect_copy(pc, fp, mem, len, st, reg) = CallIndirectCopy { table, args, ty, base, dst, src } {
    // SAFETY: per the handler contract; both slots lie in the frame.
    unsafe {
        set(fp, dst as Slot, get(fp, src as Slot));
        call_indirect_from(pc, fp, mem, len, st, table, args, ty as u32, base)
    }
});

/// The `call_indirect` (or `call_indirect_copy`, after its copy) at `pc` through `table`
/// expecting type `ty`, with `args` argument slots from `base` and the element index after
/// them.
///
/// # Safety
/// As a handler; the current instance is live; `table` and `ty` are validated indices; the
/// index slot lies in the frame.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn call_indirect_from(
    pc: *const Instr,
    fp: *mut u64,
    mem: *mut u8,
    len: u64,
    st: *mut State,
    table: u16,
    args: u16,
    ty: u32,
    base: Slot,
) -> Exit {
    // SAFETY: per the contract; a non-null element of a funcref table points to a live
    // funcref, whose context is an `InterpFuncContext` when its array-call entry is the
    // interpreter's; a function of the current instance indexes its call targets, whose
    // published `func` is its translation.
    unsafe {
        let s = &mut *st;
        let inst = &*s.cache.inst;
        // The common case inline: an element of type `ty` that is a translated function of
        // this instance, entered as `call` enters one. Everything else (traps, other
        // instances, host functions, first calls) in `call_indirect_general`, a sibling call.
        let index = get(fp, base + args as Slot) as u32 as usize;
        if let Some(fr) = table_element_exact(inst, table as u32, ty, index)
            && is_interp(fr.array_call)
        {
            let ctx = &*(fr.vmctx as *const InterpFuncContext);
            if ctx.instance == s.cache.inst {
                let t =
                    &*s.cache.targets.add((ctx.func_index - s.cache.num_imported_funcs) as usize);
                let callee = t.func.load(Ordering::Acquire);
                if !callee.is_null() {
                    let new_fp = fp.add(base as usize);
                    if push_frame_fast(s, pc, fp, t, callee, new_fp) {
                        return dispatch(t.code.load(Ordering::Relaxed), new_fp, mem, len, st, 0);
                    }
                }
            }
        }
        call_indirect_general(pc, fp, mem, len, st, 0)
    }
}

/// A `call_indirect` in every case: the element's checks ([`table_funcref`]), then
/// [`call_any`] and [`resume`].
///
/// # Safety
/// As the `call_indirect` handler, whose instruction (a `CallIndirect`, or a
/// `CallIndirectCopy` whose copy is done) is at `pc`.
#[inline(never)]
unsafe fn call_indirect_general(
    pc: *const Instr,
    fp: *mut u64,
    _mem: *mut u8,
    _len: u64,
    st: *mut State,
    _reg: u64,
) -> Exit {
    // SAFETY: per the contract; the current instance is live and `ty` a validated type
    // index; the element passed `table_funcref`'s checks.
    unsafe {
        let (table, args, ty, base) = match (*pc).op {
            Op::CallIndirect { table, args, ty, base } => (table, args, ty, base),
            Op::CallIndirectCopy { table, args, ty, base, .. } => (table, args, ty as u32, base),
            _ => std::hint::unreachable_unchecked(),
        };
        let inst = &*(*st).cache.inst;
        let fty = &inst.module.info.types[ty as usize];
        let (pc, fp) = match table_funcref(pc, fp, st, table as u32, ty, base + args as Slot) {
            Some(fr) => call_any(pc, fp, st, fr.array_call, fr.vmctx, fty, base),
            None => UNWIND,
        };
        resume(pc, fp, st)
    }
}

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
        dispatch(f.pc, f.fp, mem, len, st, 0)
    }
}

handler!(fn ret(pc, fp, mem, len, st, reg) = Return {} {
    // SAFETY: `st` is the running state.
    unsafe { leave(st) }
});

handler!(fn ret_slot(pc, fp, mem, len, st, reg) = ReturnSlot { src } {
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
pub(super) unsafe fn resume(pc: *const Instr, fp: *mut u64, st: *mut State) -> Exit {
    if pc.is_null() {
        return Exit::Unwind;
    }
    // SAFETY: per the contract.
    unsafe {
        let (mem, len) = (*st).cache.memory();
        dispatch(pc, fp, mem, len, st, 0)
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
            Err(u) => rethrow_from_call(pc, fp, st, u),
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
        let callee = translated(&*funcs.add((index - nimp) as usize), pc, st, inst, index);
        if callee.is_null() {
            return UNWIND;
        }
        let callee = &*callee;
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

// ---- WebAssembly 3.0 calls: tail calls, typed function references ----

/// Makes `callee` current in place of the running function: its arguments move from
/// `args` to slot 0 of frame `fp`, which becomes the callee's frame (the suspended callers
/// stay as they are, so the stack does not grow); false when the callee's frame does not
/// fit the stack.
///
/// # Safety
/// `s` is the run's state, `fp` the current frame, `args` the callee's parameter slots at
/// or above `fp` inside the value stack.
#[inline(always)]
unsafe fn replace_frame(
    s: &mut State,
    fp: *mut u64,
    callee: &CompiledFunc,
    args: *mut u64,
) -> bool {
    // SAFETY: `fp` and `stack_end` point into (or one past) the same stack allocation; the
    // arguments lie in the frame region and the callee's frame fits once checked.
    unsafe {
        let room = s.stack_end.offset_from(fp) as usize;
        if room < callee.frame_size as usize {
            return false;
        }
        std::ptr::copy(args, fp, callee.num_params as usize);
        init_frame(callee, fp);
    }
    s.func = callee;
    true
}

/// A `return` outside every function: where a tail call continues after calling its callee
/// out (host and compiled callees), with the callee's results already in slot 0 of the
/// current frame, so the current function returns them. Its own stack space is constant, as
/// every path of a tail call's slow path returns to the handler, which then dispatches.
static LEAVE: Instr = Instr { handler: ret::<Indirect>, op: Op::Return {} };

handler!(fn return_call(pc, fp, mem, len, st, reg) = ReturnCall { func, base } {
    // SAFETY: `func` is a defined function of the current (interpreted) module; `base` is a
    // slot of the current frame; the callee starts at its first instruction.
    unsafe {
        let s = &mut *st;
        let slot = &*s.cache.funcs.add((func - s.cache.num_imported_funcs) as usize);
        let callee = translated(slot, pc, st, s.cache.inst, func);
        if callee.is_null() {
            return Exit::Unwind;
        }
        let callee = &*callee;
        if !replace_frame(s, fp, callee, fp.add(base as usize)) {
            return trap(pc, st, TrapCode::CallStackExhausted);
        }
        dispatch(callee.code.as_ptr(), fp, mem, len, st, 0)
    }
});

handler!(fn return_call_import(pc, fp, mem, len, st, reg) = ReturnCallImport { func, base } {
    // SAFETY: `pc` is this instruction; `resume` continues where the slow path says.
    unsafe {
        let (pc, fp) = return_call_import_slow(pc, fp, st, func, base);
        resume(pc, fp, st)
    }
});

handler!(fn return_call_indirect(pc, fp, mem, len, st, reg) = ReturnCallIndirect { table, ty, base } {
    // SAFETY: as in `return_call_import`.
    unsafe {
        let (pc, fp) = return_call_indirect_slow(pc, fp, st, table, ty, base);
        resume(pc, fp, st)
    }
});

/// `return_call` of imported function `func` with its arguments at slot `base`.
///
/// # Safety
/// As [`call_import_slow`].
#[inline(never)]
unsafe fn return_call_import_slow(
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
        let ty = inst.module.info.func_type(func);
        tail_call_any(pc, fp, st, imp.array_call, imp.vmctx, ty, base)
    }
}

/// `return_call_indirect` through `table` expecting module type `ty`, arguments at slot
/// `base` and the element index after them.
///
/// # Safety
/// As [`call_import_slow`].
#[inline(never)]
unsafe fn return_call_indirect_slow(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    table: u32,
    ty: u32,
    base: Slot,
) -> Resume {
    // SAFETY: the current instance is live; `ty` is a validated type index; the element
    // passed `table_funcref`'s checks.
    unsafe {
        let inst = &*(*st).cache.inst;
        let fty = &inst.module.info.types[ty as usize];
        let at = base + slot_count(fty.params()) as u32;
        let Some(fr) = table_funcref(pc, fp, st, table, ty, at) else { return UNWIND };
        tail_call_any(pc, fp, st, fr.array_call, fr.vmctx, fty, base)
    }
}

handler!(fn call_ref(pc, fp, mem, len, st, reg) = CallRef { ty, base } {
    // SAFETY: as in `call_import`; validation typed the reference with `ty`.
    unsafe {
        let (pc, fp) = call_ref_slow(pc, fp, st, ty, base);
        resume(pc, fp, st)
    }
});

handler!(fn return_call_ref(pc, fp, mem, len, st, reg) = ReturnCallRef { ty, base } {
    // SAFETY: as in `return_call_import`.
    unsafe {
        let (pc, fp) = return_call_ref_slow(pc, fp, st, ty, base);
        resume(pc, fp, st)
    }
});

/// `return_call_ref` of module type `ty`, arguments at slot `base` and the reference after
/// them.
///
/// # Safety
/// As [`call_import_slow`].
#[inline(never)]
unsafe fn return_call_ref_slow(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    ty: u32,
    base: Slot,
) -> Resume {
    // SAFETY: as in `call_ref_slow`.
    unsafe {
        let inst = &*(*st).cache.inst;
        let fty = &inst.module.info.types[ty as usize];
        let raw = get(fp, base + slot_count(fty.params()) as u32);
        if raw == 0 {
            trap(pc, st, TrapCode::NullFunctionReference);
            return UNWIND;
        }
        let fr = *(raw as *const VMFuncRef);
        tail_call_any(pc, fp, st, fr.array_call, fr.vmctx, fty, base)
    }
}

handler!(fn ref_as_non_null(pc, fp, mem, len, st, reg) = RefAsNonNull { src } {
    // SAFETY: `src` lies in the frame; `pc` is not the function's last instruction.
    unsafe {
        if get(fp, src) == 0 {
            return trap(pc, st, TrapCode::NullReference);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// `call_ref` of module type `ty`, arguments at slot `base` and the reference after them.
///
/// # Safety
/// As [`call_import_slow`].
#[inline(never)]
unsafe fn call_ref_slow(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    ty: u32,
    base: Slot,
) -> Resume {
    // SAFETY: the current instance is live; the reference slot lies in the frame; non-null
    // function references point to live funcrefs of type `ty` (or a subtype).
    unsafe {
        let inst = &*(*st).cache.inst;
        let fty = &inst.module.info.types[ty as usize];
        let raw = get(fp, base + slot_count(fty.params()) as u32);
        if raw == 0 {
            trap(pc, st, TrapCode::NullFunctionReference);
            return UNWIND;
        }
        let fr = *(raw as *const VMFuncRef);
        call_any(pc, fp, st, fr.array_call, fr.vmctx, fty, base)
    }
}

/// The funcref at the index in slot `at` of `table`, checked against the table's size,
/// null and module type `ty` (by canonical type id); `None` after recording the trap. It is
/// returned by address (one register), so no stack slot of a handler that calls it escapes
/// and the handler's dispatch stays a sibling call (a tail-calling loop through
/// `return_call_indirect` would otherwise grow the native stack).
///
/// # Safety
/// As [`call_import_slow`].
unsafe fn table_funcref(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    table: u32,
    ty: u32,
    at: Slot,
) -> Option<&'static VMFuncRef> {
    // SAFETY: the current instance is live; `table`, `ty` are validated indices; the index
    // slot lies in the frame.
    unsafe {
        let inst = &*(*st).cache.inst;
        match table_element(inst, table, ty, get(fp, at) as u32 as usize) {
            Ok(fr) => Some(fr),
            Err(code) => {
                trap(pc, st, code);
                None
            }
        }
    }
}

/// Element `index` of funcref table `table` of `inst`, or the trap of reading it (out of
/// bounds, null). Calls nothing.
///
/// # Safety
/// As [`table_element`].
#[inline(always)]
unsafe fn funcref_at(
    inst: &InstanceData,
    table: u32,
    index: usize,
) -> Result<&'static VMFuncRef, TrapCode> {
    // SAFETY: per the contract, `table` is a validated table index of the instance, whose
    // definition is live; `index` is checked against its current length.
    unsafe {
        let def = inst.tables.get_unchecked(table as usize).def;
        if index >= (*def).current_elements {
            return Err(TrapCode::UndefinedElement);
        }
        let raw = *(*def).base.add(index);
        if raw == 0 {
            return Err(TrapCode::UninitializedElement);
        }
        Ok(&*(raw as *const VMFuncRef))
    }
}

/// Element `index` of funcref table `table` of `inst` when it is a function of exactly type
/// `ty` (the common case of `call_indirect`); `None` for everything else (out of bounds,
/// null, a subtype, a mismatch), which [`table_element`] then sorts out. Calls nothing, so
/// that the handler's fast path needs no stack frame of its own.
///
/// # Safety
/// As [`table_element`].
#[inline(always)]
unsafe fn table_element_exact(
    inst: &InstanceData,
    table: u32,
    ty: u32,
    index: usize,
) -> Option<&'static VMFuncRef> {
    // SAFETY: per the contract; `ty` is a validated type index, so it indexes the ids.
    unsafe {
        let fr = funcref_at(inst, table, index).ok()?;
        let ids = inst.module.info.shared_type_ids_if_interned()?;
        (fr.type_id == *ids.get_unchecked(ty as usize)).then_some(fr)
    }
}

/// Element `index` of funcref table `table` of `inst`, checked for a call expecting module
/// type `ty`: the trap of a call through it otherwise.
///
/// # Safety
/// `table` and `ty` are validated indices of `inst`'s module. Non-null funcref table
/// elements point to live funcrefs, which outlive the run (their instances belong to the
/// store), so the `'static` reference is only used while it is valid.
#[inline(always)]
unsafe fn table_element(
    inst: &InstanceData,
    table: u32,
    ty: u32,
    index: usize,
) -> Result<&'static VMFuncRef, TrapCode> {
    // SAFETY: per the contract.
    let fr = unsafe { funcref_at(inst, table, index) }?;
    let expected = inst.type_id(ty);
    // Equal ids are the common case; a declared subtype is the rare one.
    if fr.type_id == expected || crate::vm::type_registry::is_subtype(fr.type_id, expected) {
        Ok(fr)
    } else {
        Err(TrapCode::IndirectCallTypeMismatch)
    }
}

/// Tail-calls the function `(array_call, vmctx)` of type `ty` with its arguments at slot
/// `base`: an interpreted callee replaces the current frame (continue at its first
/// instruction); any other is called out, and the current function then returns its results
/// (continue at [`LEAVE`]).
///
/// # Safety
/// As [`call_any`].
unsafe fn tail_call_any(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    array_call: ArrayCallFn,
    vmctx: *mut VMOpaqueContext,
    ty: &FuncType,
    base: Slot,
) -> Resume {
    // SAFETY: as in `call_any`; the results' slots at `base` are moved down to slot 0.
    unsafe {
        let args = fp.add(base as usize);
        let s = &mut *st;
        if is_interp(array_call) {
            let ctx = &*(vmctx as *const InterpFuncContext);
            let switch = if ctx.instance == s.cache.inst {
                None
            } else {
                Some(InstCache::new(ctx.instance))
            };
            let (funcs, nimp) = match &switch {
                Some(c) => (c.funcs, c.num_imported_funcs),
                None => (s.cache.funcs, s.cache.num_imported_funcs),
            };
            let slot = &*funcs.add((ctx.func_index - nimp) as usize);
            let callee = translated(slot, pc, st, ctx.instance, ctx.func_index);
            if callee.is_null() {
                return UNWIND;
            }
            let callee = &*callee;
            if !replace_frame(s, fp, callee, args) {
                trap(pc, st, TrapCode::CallStackExhausted);
                return UNWIND;
            }
            if let Some(c) = switch {
                s.cache = c;
            }
            return (callee.code.as_ptr(), fp);
        }
        let store = &*s.store;
        let depth = s.base_depth + s.frames.len() + 1;
        let res = call_out(store, s.cache.inst, array_call, vmctx, ty, args, s.stack_base, depth);
        store.call_depth.set(s.base_depth);
        match res {
            Ok(()) => {
                std::ptr::copy(args, fp, slot_count(ty.results()));
                (&LEAVE, fp)
            }
            Err(u) => rethrow_from_call(pc, fp, st, u),
        }
    }
}
