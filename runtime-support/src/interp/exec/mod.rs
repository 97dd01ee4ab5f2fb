//! Execution: threaded dispatch over the translated code.
//!
//! Every instruction carries the address of its handler ([`Instr`]). A handler executes
//! one instruction and hands the hot state (`pc`, frame pointer, memory 0 base and length,
//! and a pointer to the rest of the [`State`]) to the next instruction's handler. In
//! optimized builds on x86_64 and aarch64 (`cfg(kiln_tail_dispatch)`, see `build.rs`) it
//! does so by a call in tail position, which LLVM compiles to an indirect jump, so every
//! handler has its own well-predicted dispatch branch and the hot state stays in registers.
//! Elsewhere, handlers store the state and return to a trampoline loop ([`dispatch`]).
//!
//! Handlers never hold values with destructors, and anything needing stack temporaries
//! (calls out to the host, traps, `memory.grow`) lives in out-of-line helpers, so that each
//! handler's final call stays a sibling call.

mod backtrace;
mod dispatch;
mod exception;
mod handlers;
#[cfg(kiln_interp_profile)]
mod profile;
mod slots;
mod specialize;
mod state;

pub use dispatch::{Exit, Handler, thread};
pub use state::State;

use super::InterpModule;
use super::ir::CompiledFunc;
use crate::error::Unwind;
use crate::instance::{INTERP_FUNC_MAGIC, InstanceData, InterpFuncContext};
use crate::trap::{Trap, TrapCode};
use crate::vm::listener::AbortCause;
use crate::vm::*;
use state::{Frame, InstCache};

thread_local! {
    /// Frame stacks of finished runs, reused so that calls allocate nothing once warm.
    static FRAME_POOL: std::cell::RefCell<Vec<Vec<Frame>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The array-call entry of every interpreted function (see [`ArrayCallFn`]).
///
/// # Safety
/// `callee` must point to an [`InterpFuncContext`] of a live instance; `args` must point to
/// `len >= max(params, results)` slots.
pub unsafe extern "C" fn array_call_entry(
    callee: *mut VMOpaqueContext,
    _caller: *mut VMContext,
    args: *mut ValRaw,
    len: usize,
) -> bool {
    // SAFETY: per this function's contract.
    let ctx = unsafe { &*(callee as *const InterpFuncContext) };
    debug_assert_eq!(ctx.magic, INTERP_FUNC_MAGIC);
    // SAFETY: the context's instance is live (owned by its store, which outlives calls).
    let store = unsafe { (*ctx.instance).store() };
    // SAFETY: per this function's contract.
    let slots = unsafe { std::slice::from_raw_parts_mut(args, len) };
    match execute(store, ctx.instance, ctx.func_index, slots) {
        Ok(()) => true,
        Err(u) => {
            store.set_pending_unwind(u);
            false
        }
    }
}

/// Whether `f` is the interpreter's own entry (so the callee can run in the same loop).
fn is_interp(f: ArrayCallFn) -> bool {
    std::ptr::fn_addr_eq(f, array_call_entry as ArrayCallFn)
}

/// Runs `func_index` of `inst` with arguments from `slots`, leaving results there.
fn execute(
    store: &Store,
    inst: *mut InstanceData,
    func_index: u32,
    slots: &mut [ValRaw],
) -> Result<(), Unwind> {
    if !crate::native_stack::has_headroom() {
        return Err(TrapCode::CallStackExhausted.into());
    }
    // SAFETY: `inst` is live (see `array_call_entry`).
    let cache = unsafe { InstCache::new(inst) };
    // SAFETY: `inst` is live (see `array_call_entry`); it runs on the interpreter, and
    // `func_index` is one of its module's defined functions (its entry is the interpreter's).
    let func = callee(unsafe { &*inst }, func_index)?;
    let top = store.interp_top.get();
    // SAFETY: the stack box is never resized; we take its bounds, not a reference.
    let (stack_base, stack_len) = unsafe {
        let s = &mut *store.interp_stack.get();
        (s.as_mut_ptr(), s.len())
    };
    let base_depth = store.call_depth.get();
    let listened_depth = store.listened_depth();
    let max_depth = store.config().max_call_depth;
    if top + func.frame_size as usize > stack_len || base_depth >= max_depth {
        return Err(TrapCode::CallStackExhausted.into());
    }
    // SAFETY: `top + frame_size <= stack_len`, checked above.
    let fp = unsafe { stack_base.add(top) };
    // SAFETY: the interpreted function's type; its instance is live.
    let ty = unsafe { (&*inst).module.info.func_type(func_index) };
    if func.wide_sig {
        // SAFETY: the parameters' slots are the frame's first `num_params <= frame_size`.
        unsafe { slots::vals_to_slots(ty.params(), slots, fp) };
    } else {
        for (i, v) in slots.iter().take(func.num_params as usize).enumerate() {
            // SAFETY: i < num_params <= frame_size.
            unsafe { *fp.add(i) = v.bits() };
        }
    }
    // SAFETY: the frame fits in the stack (checked above).
    unsafe { init_frame(func, fp) };
    let (mem, mem_len) = cache.memory();
    let mut state = State {
        store,
        frames: FRAME_POOL.with(|p| p.borrow_mut().pop()).unwrap_or_default(),
        func,
        cache,
        stack_base,
        // SAFETY: one past the end of the stack allocation.
        stack_end: unsafe { stack_base.add(stack_len) },
        depth_limit: max_depth - base_depth,
        base_depth,
        unwind: None,
        #[cfg(not(kiln_tail_dispatch))]
        regs: dispatch::Regs { pc: func.code.as_ptr(), fp, mem, len: mem_len, reg: 0 },
    };
    // SAFETY: the frame is set up for `func` inside the store's stack; the state describes it.
    let exit = unsafe { dispatch::run(func.code.as_ptr(), fp, mem, mem_len, &mut state, 0) };
    #[cfg(kiln_interp_profile)]
    if base_depth == 0 {
        profile::write();
    }
    let mut frames = std::mem::take(&mut state.frames);
    frames.clear();
    FRAME_POOL.with(|p| p.borrow_mut().push(frames));
    store.interp_top.set(top);
    store.call_depth.set(base_depth);
    if let Exit::Unwind = exit {
        let unwind = state.unwind.take().expect("an unwinding exit records its reason");
        store.abort_listened(listened_depth, AbortCause::Unwind(&unwind));
        return Err(unwind);
    }
    if func.wide_sig {
        // SAFETY: the results are in the frame's first slots (at most `frame_size`).
        unsafe { slots::slots_to_vals(ty.results(), fp, slots) };
    } else {
        for (i, v) in slots.iter_mut().take(ty.results().len()).enumerate() {
            // SAFETY: i < results <= frame_size.
            *v = ValRaw::from_bits(unsafe { *fp.add(i) });
        }
    }
    Ok(())
}

impl InterpModule {
    /// A listing of defined function `defined_index`'s instructions, one per line with its
    /// index and wasm offset (for inspecting the translation; branch targets absolute),
    /// translating it if it was not yet; `None` when there is no such function or it
    /// cannot be translated.
    pub fn disassemble(&self, defined_index: usize) -> Option<String> {
        if defined_index >= self.num_funcs() {
            return None;
        }
        let f = self.func(u32::try_from(defined_index).ok()?).ok()?;
        let mut out = format!(
            "func[{}] params={} locals={} frame={}\n",
            f.func_index, f.num_params, f.num_locals, f.frame_size
        );
        for (i, (instr, off)) in f.code.iter().zip(f.offsets.iter()).enumerate() {
            let mut op = instr.op;
            if let Some(t) = op.target_mut() {
                *t = (i as i64 + *t as i32 as i64) as u32;
            }
            out.push_str(&format!("{i:5} @{off:#06x}  {op}\n"));
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests;

/// The translation of interpreted function `func_index` of `inst`, made now on its first
/// call (see [`crate::interp::InterpModule`]).
///
/// # Errors
/// A trap naming the function and why the interpreter cannot translate it.
///
/// # Panics
/// When `func_index` is not a defined function of `inst`'s module.
#[cold]
#[inline(never)]
pub(super) fn callee(inst: &InstanceData, func_index: u32) -> Result<&CompiledFunc, Unwind> {
    let info = &inst.module.info;
    let module = inst.module.interp().ok_or_else(|| Trap::host("not an interpreted module"))?;
    module.func(func_index - info.num_imported_funcs).map_err(|e| {
        let name = info.func_name(func_index).map_or(String::new(), |n| format!(" ({n})"));
        Trap::host(format!("the interpreter cannot run function {func_index}{name}: {e}")).into()
    })
}

/// Zeroes `func`'s declared locals and writes its constant slots in the frame at `fp`.
///
/// Most functions have a few of each (or none), so short runs are written with plain
/// stores: a call to `memset` or `memcpy` costs more than the stores themselves, and
/// `fib`-like callees would pay it on every call.
///
/// # Safety
/// `fp..fp + func.frame_size` must lie inside the value stack.
#[inline(always)]
pub(super) unsafe fn init_frame(func: &super::ir::CompiledFunc, fp: *mut u64) {
    let zeroed = (func.num_locals - func.num_params) as usize;
    // SAFETY: [num_params, num_locals + consts) lies inside the frame per the contract, and
    // `u64` arrays have the alignment of `u64`.
    unsafe {
        let locals = fp.add(func.num_params as usize);
        if zeroed > 8 {
            std::ptr::write_bytes(locals, 0, zeroed);
        } else {
            let (rest, n) = if zeroed > 4 {
                locals.cast::<[u64; 4]>().write([0; 4]);
                (locals.add(4), zeroed - 4)
            } else {
                (locals, zeroed)
            };
            match n {
                0 => {}
                1 => rest.write(0),
                2 => rest.cast::<[u64; 2]>().write([0; 2]),
                3 => rest.cast::<[u64; 3]>().write([0; 3]),
                _ => rest.cast::<[u64; 4]>().write([0; 4]),
            }
        }
        let consts = fp.add(func.num_locals as usize);
        match *func.consts {
            [] => {}
            [a] => consts.write(a),
            [a, b] => consts.cast::<[u64; 2]>().write([a, b]),
            [a, b, c] => consts.cast::<[u64; 3]>().write([a, b, c]),
            ref all => std::ptr::copy_nonoverlapping(all.as_ptr(), consts, all.len()),
        }
    }
}
