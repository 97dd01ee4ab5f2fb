//! The unwinder: where a thrown exception is caught (exception handling).
//!
//! A throw looks for a handler in the current function's handler regions
//! ([`crate::interp::ir::HandlerRegion`]) at the throwing instruction's wasm offset, then in
//! each suspended caller's at its call, innermost first. A matching clause gets the payload
//! (and the `exnref`) written into the handler frame's slots, and execution continues at
//! the clause's landing; frames above it are dropped. When no interpreted frame of this run
//! catches, the run ends with [`Unwind::Exception`], which the engine that called the
//! run hands on (through compiled frames, which have no handlers, like a trap) until an
//! interpreted frame further out resumes the search at its call ([`rethrow_from_call`]) or
//! the host receives it. Only this path costs anything: the regions are not consulted
//! until something throws.

use super::super::ir::{CatchClause, CompiledFunc, Instr, Op, RegionAction};
use super::backtrace::{frame_info, unwind};
use super::slots::{slots_to_vals, vals_to_slots};
use super::state::{InstCache, State};
use crate::error::{ThrownException, Unwind};
use crate::instance::InstanceData;
use crate::vm::listener::AbortCause;
use crate::vm::{Store, ValRaw};

/// Where to continue after an exception: a landing and its frame, or null (the run ends
/// with the exception, recorded in the state).
pub type Landing = (*const Instr, *mut u64);

/// The first clause of `func`'s regions covering wasm offset `offset` that catches the
/// exception with tag `tag` (in `inst`'s tag index space).
fn find_clause(
    func: &CompiledFunc,
    offset: u32,
    inst: &InstanceData,
    tag: *const crate::vm::VMTag,
) -> Option<CatchClause> {
    let regions = &func.handlers;
    let mut i = 0;
    while i < regions.len() {
        let r = &regions[i];
        if r.start <= offset && offset < r.end {
            match &r.action {
                RegionAction::Catch(clauses) => {
                    let hit = clauses
                        .iter()
                        .find(|c| c.tag.is_none_or(|t| std::ptr::eq(inst.tags[t as usize], tag)));
                    if let Some(c) = hit {
                        return Some(*c);
                    }
                }
                RegionAction::Delegate(Some(to)) => {
                    i = *to as usize;
                    continue;
                }
                RegionAction::Delegate(None) => return None,
            }
        }
        i += 1;
    }
    None
}

/// Throws `thrown` from instruction `pc` (frame `fp`) of the run's current function.
///
/// # Safety
/// `st` is the run's state, `pc` an instruction of its current function and `fp` its
/// frame; `thrown.exn` is a live exception of the run's store.
#[cold]
#[inline(never)]
pub unsafe fn throw(
    mut pc: *const Instr,
    mut fp: *mut u64,
    st: *mut State,
    mut thrown: ThrownException,
) -> Landing {
    // SAFETY: per the contract; suspended frames refer to live instances and their code.
    unsafe {
        let s = &mut *st;
        let store: &Store = &*s.store;
        // A tail call that called its callee out has already left the caller's handlers.
        let mut skip = matches!(
            (*pc).op,
            Op::ReturnCallImport { .. } | Op::ReturnCallIndirect { .. } | Op::ReturnCallRef { .. }
        );
        // Listened frames this search has dropped, aborted once a frame catches (when none
        // does, the run's end aborts them with the exception).
        let mut dropped_listened = 0;
        loop {
            let func = &*s.func;
            if !skip && !func.handlers.is_empty() {
                let index = pc.offset_from(func.code.as_ptr()) as usize;
                let offset = func.offsets.get(index).expect("an instruction of the function");
                let inst = &*s.cache.inst;
                let tag = match store.exceptions.borrow().get(thrown.exn) {
                    Some(o) => o.tag,
                    None => std::ptr::null(),
                };
                if let Some(c) = find_clause(func, offset, inst, tag) {
                    if dropped_listened > 0 {
                        let depth = store.listened_depth() - dropped_listened;
                        store.abort_listened(depth, AbortCause::ExceptionCaught);
                    }
                    land(store, inst, &c, fp, thrown.exn);
                    let entry = func.code.as_ptr().add(c.landing as usize);
                    let Op::Landing { target } = (*entry).op else {
                        unreachable!("a clause's landing is a Landing instruction")
                    };
                    return (entry.offset(target as i32 as isize), fp);
                }
            }
            skip = false;
            if listened(&*s.cache.inst, func) {
                dropped_listened += 1;
            }
            thrown.backtrace.push(frame_info(s.cache.inst, s.func, pc.add(1)));
            match s.frames.pop() {
                Some(f) => {
                    s.func = f.func;
                    if f.inst != s.cache.inst {
                        s.cache = InstCache::new(f.inst);
                    }
                    pc = f.pc.sub(1);
                    fp = f.fp;
                }
                None => {
                    s.unwind = Some(Unwind::Exception(thrown));
                    return (std::ptr::null(), std::ptr::null_mut());
                }
            }
        }
    }
}

/// Whether a frame of `func` in `inst` entered the store's listened stack (its module was
/// translated with listeners and the instance listens to it; see [`crate::vm::listener`]).
fn listened(inst: &InstanceData, func: &CompiledFunc) -> bool {
    inst.module.interp().is_some_and(|m| m.checks().listeners)
        && inst.listener(func.func_index).is_some()
}

/// Writes what clause `c` receives of exception `exn` into frame `fp`: the payload and the
/// `exnref`; an exception no reference was handed out for is released.
///
/// # Safety
/// The clause's slots lie in frame `fp`; `exn` is a live exception whose tag matches the
/// clause's (when it names one) in `inst`.
unsafe fn land(store: &Store, inst: &InstanceData, c: &CatchClause, fp: *mut u64, exn: u64) {
    let mut exns = store.exceptions.borrow_mut();
    if let (true, Some(tag), Some(o)) = (c.payload, c.tag, exns.get(exn)) {
        let ty = inst.module.info.tag_type(tag);
        // SAFETY: per the contract, the payload's slots lie in the frame.
        unsafe { vals_to_slots(ty.params(), &o.payload, fp.add(c.dst as usize)) };
    }
    match c.exnref {
        Some(slot) => {
            // SAFETY: per the contract.
            unsafe { *fp.add(slot as usize) = exn };
            exns.expose(exn);
        }
        None => exns.release(exn),
    }
}

/// Throws a new exception of module tag `tag` with its payload in the slots from `args`.
///
/// # Safety
/// As [`throw`]; `tag` is a tag of the current instance and `args` covers its parameters.
#[cold]
#[inline(never)]
pub unsafe fn throw_new(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    tag: u32,
    args: u32,
) -> Landing {
    // SAFETY: per the contract.
    unsafe {
        let s = &*st;
        let store = &*s.store;
        let inst = &*s.cache.inst;
        let params = inst.module.info.tag_type(tag).params();
        let mut payload = vec![ValRaw::default(); params.len()].into_boxed_slice();
        slots_to_vals(params, fp.add(args as usize), &mut payload);
        let exn = store.exceptions.borrow_mut().alloc(inst.tags[tag as usize], payload);
        throw(pc, fp, st, ThrownException { exn, backtrace: Vec::new() })
    }
}

/// `throw_ref` of the `exnref` in slot `src`: throws that exception again, or traps on null.
///
/// # Safety
/// As [`throw`]; `src` is a slot of the frame.
#[cold]
#[inline(never)]
pub unsafe fn throw_ref(pc: *const Instr, fp: *mut u64, st: *mut State, src: u32) -> Landing {
    // SAFETY: per the contract.
    unsafe {
        let exn = *fp.add(src as usize);
        let live = (*(*st).store).exceptions.borrow().get(exn).is_some();
        if !live {
            super::backtrace::trap(pc, st, crate::trap::TrapCode::NullExceptionReference);
            return (std::ptr::null(), std::ptr::null_mut());
        }
        throw(pc, fp, st, ThrownException { exn, backtrace: Vec::new() })
    }
}

/// A call at `pc` ended with `u`: an exception resumes the search at the call, anything
/// else ends the run.
///
/// # Safety
/// As [`throw`].
#[cold]
#[inline(never)]
pub unsafe fn rethrow_from_call(
    pc: *const Instr,
    fp: *mut u64,
    st: *mut State,
    u: Unwind,
) -> Landing {
    match u {
        // SAFETY: per the contract.
        Unwind::Exception(t) => unsafe { throw(pc, fp, st, t) },
        u => {
            // SAFETY: per the contract.
            unsafe { unwind(pc, st, u) };
            (std::ptr::null(), std::ptr::null_mut())
        }
    }
}
