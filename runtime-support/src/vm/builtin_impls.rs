//! The implementations of the runtime builtins ([`super::builtins::Builtin`]): one
//! function per builtin, named as its entry in [`VMBuiltins`], which the declaration in
//! [`super::builtins`] fills with them (a missing or mistyped one does not compile).
//!
//! Each builtin finds its instance through the header of the `vmctx` it is passed and reuses
//! the code both engines share (the instance's table operations, [`super::LinearMemory`]).

use super::builtins::{BUILTIN_OK, BUILTINS, VMBuiltins};
use super::vmcontext::{VMContext, VMContextHeader, VMSharedTypeId};
use crate::instance::InstanceData;

/// The host-to-wasm entry (`Builtin::EnterWasm`), which lives with the trap handling it
/// sets up.
pub(super) use crate::traphandlers::enter_wasm;

const TRAP: u32 = 1;

/// The instance owning `vmctx`.
///
/// # Safety
/// `vmctx` must be the VMContext of a live instance.
unsafe fn instance<'a>(vmctx: *mut VMContext) -> &'a InstanceData {
    // SAFETY: per the contract, the header's `instance` points to the live owner.
    unsafe { &*(*(vmctx as *const VMContextHeader)).instance.cast::<InstanceData>() }
}

/// Bounds of memory `mem` of `inst`: `(base, length)`.
fn memory(inst: &InstanceData, mem: u32) -> (*mut u8, u64) {
    let def = inst.memories[mem as usize].def;
    // SAFETY: memory refs of a live instance point to live definitions.
    unsafe { ((*def).base, (*def).length() as u64) }
}

/// Whether `[start, start + len)` lies inside `size` bytes or elements.
fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

pub(super) unsafe extern "C" fn memory_grow(vmctx: *mut VMContext, mem: u32, delta: u64) -> u64 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    // SAFETY: memory refs point to live memories; execution in a store is single-threaded
    // and holds its lock, so nothing else borrows an unshared memory while it grows.
    unsafe { inst.memories[mem as usize].grow(inst.store(), delta) }.unwrap_or(u64::MAX)
}

pub(super) unsafe extern "C" fn memory_fill(
    vmctx: *mut VMContext,
    mem: u32,
    dst: u64,
    val: u32,
    len: u64,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let (base, size) = memory(unsafe { instance(vmctx) }, mem);
    if !in_bounds(dst, len, size) {
        return TRAP;
    }
    // SAFETY: [dst, dst+len) was checked to lie in the memory.
    unsafe { std::ptr::write_bytes(base.add(dst as usize), val as u8, len as usize) };
    BUILTIN_OK
}

pub(super) unsafe extern "C" fn memory_copy(
    vmctx: *mut VMContext,
    dm: u32,
    sm: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let (dbase, dsize) = memory(inst, dm);
    let (sbase, ssize) = memory(inst, sm);
    if !in_bounds(dst, len, dsize) || !in_bounds(src, len, ssize) {
        return TRAP;
    }
    // SAFETY: both ranges were checked; `copy` allows overlap.
    unsafe { std::ptr::copy(sbase.add(src as usize), dbase.add(dst as usize), len as usize) };
    BUILTIN_OK
}

pub(super) unsafe extern "C" fn memory_init(
    vmctx: *mut VMContext,
    mem: u32,
    data: u32,
    dst: u64,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let info = &inst.module.info;
    let seg: &[u8] = if inst.dropped_data[data as usize].get() {
        &[]
    } else {
        &info.wasm[info.data[data as usize].bytes.clone()]
    };
    let (base, size) = memory(inst, mem);
    if !in_bounds(src.into(), len.into(), seg.len() as u64) || !in_bounds(dst, len.into(), size) {
        return TRAP;
    }
    // SAFETY: both ranges were checked; the segment is not inside linear memory.
    unsafe {
        std::ptr::copy_nonoverlapping(
            seg.as_ptr().add(src as usize),
            base.add(dst as usize),
            len as usize,
        )
    };
    BUILTIN_OK
}

pub(super) unsafe extern "C" fn data_drop(vmctx: *mut VMContext, data: u32) {
    // SAFETY: compiled code passes its own live VMContext.
    unsafe { instance(vmctx) }.dropped_data[data as usize].set(true);
}

pub(super) unsafe extern "C" fn table_grow(
    vmctx: *mut VMContext,
    table: u32,
    init: usize,
    delta: u64,
) -> u64 {
    // SAFETY: compiled code passes its own live VMContext.
    unsafe { instance(vmctx) }.table_grow(table, delta, init).map_or(u64::MAX, u64::from)
}

pub(super) unsafe extern "C" fn table_fill(
    vmctx: *mut VMContext,
    table: u32,
    dst: u64,
    val: usize,
    len: u64,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let r = unsafe { instance(vmctx) }.table_fill(table, dst, val, len);
    if r.is_ok() { BUILTIN_OK } else { TRAP }
}

pub(super) unsafe extern "C" fn table_copy(
    vmctx: *mut VMContext,
    dt: u32,
    st: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let r = unsafe { instance(vmctx) }.table_copy(dt, st, dst, src, len);
    if r.is_ok() { BUILTIN_OK } else { TRAP }
}

pub(super) unsafe extern "C" fn table_init(
    vmctx: *mut VMContext,
    table: u32,
    elem: u32,
    dst: u64,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let r = unsafe { instance(vmctx) }.table_init(table, elem, dst, src, len);
    if r.is_ok() { BUILTIN_OK } else { TRAP }
}

pub(super) unsafe extern "C" fn elem_drop(vmctx: *mut VMContext, elem: u32) {
    // SAFETY: compiled code passes its own live VMContext.
    unsafe { instance(vmctx) }.dropped_elems[elem as usize].set(true);
}

pub(super) unsafe extern "C" fn epoch_reached(_vmctx: *mut VMContext) -> u32 {
    // The deadline is one past the epoch when the store was created or last reset
    // (`Store::reset_deadline`), so reaching it means the embedder interrupted since: trap
    // `interrupted`.
    TRAP
}

pub(super) unsafe extern "C" fn type_check(
    _vmctx: *mut VMContext,
    actual: u32,
    expected: u32,
) -> u32 {
    let (actual, expected) = (VMSharedTypeId(actual), VMSharedTypeId(expected));
    if super::type_registry::is_subtype(actual, expected) { BUILTIN_OK } else { TRAP }
}

/// The address of the builtins table (`VMContextHeader::builtins`).
pub fn builtins_table() -> *const VMBuiltins {
    &BUILTINS
}

/// The result for an address compiled code has checked: the check cannot fail here, and if
/// it did the waiter would see "not equal" (1) rather than a wrong wake-up.
const CHECKED: u32 = 1;

pub(super) unsafe extern "C" fn memory_atomic_wait32(
    vmctx: *mut VMContext,
    mem: u32,
    addr: u64,
    expected: u32,
    timeout: u64,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let m = &inst.memories[mem as usize];
    crate::atomics::wait(m, addr, 0, expected.into(), 4, timeout as i64).unwrap_or(CHECKED)
}

pub(super) unsafe extern "C" fn memory_atomic_wait64(
    vmctx: *mut VMContext,
    mem: u32,
    addr: u64,
    expected: u64,
    timeout: u64,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let m = &inst.memories[mem as usize];
    crate::atomics::wait(m, addr, 0, expected, 8, timeout as i64).unwrap_or(CHECKED)
}

pub(super) unsafe extern "C" fn memory_atomic_notify(
    vmctx: *mut VMContext,
    mem: u32,
    addr: u64,
    count: u32,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    crate::atomics::notify(&inst.memories[mem as usize], addr, 0, count).unwrap_or(0)
}

pub(super) unsafe extern "C" fn exn_new(
    vmctx: *mut VMContext,
    tag: u32,
    values: *mut super::ValRaw,
) -> usize {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let n = inst.module.info.tag_type(tag).params().len();
    // A tag without parameters gets no slots: `values` may then be null (no slice of it).
    let payload: Box<[super::ValRaw]> = if n == 0 {
        Box::default()
    } else {
        // SAFETY: compiled code passes a slot per parameter of the tag's type (n > 0).
        unsafe { std::slice::from_raw_parts(values, n) }.into()
    };
    inst.store().exceptions.borrow_mut().alloc(inst.tags[tag as usize], payload) as usize
}

pub(super) unsafe extern "C" fn exn_catch(
    vmctx: *mut VMContext,
    exn: usize,
    values: *mut super::ValRaw,
    keep: u32,
) {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let mut exns = inst.store().exceptions.borrow_mut();
    if !values.is_null()
        && let Some(o) = exns.get(exn as u64)
    {
        // SAFETY: compiled code passes a slot per parameter of the clause's tag, whose
        // type is the exception's (the tags matched).
        unsafe { std::ptr::copy_nonoverlapping(o.payload.as_ptr(), values, o.payload.len()) };
    }
    if keep == 0 {
        exns.release(exn as u64);
    } else {
        exns.expose(exn as u64);
    }
}

pub(super) unsafe extern "C" fn throw(vmctx: *mut VMContext, exn: usize, fp: usize) {
    // SAFETY: the throw trampoline passes its live VMContext and its own frame pointer.
    unsafe { crate::traphandlers::throw::throw(vmctx, exn as u64, fp) }
}

pub(super) unsafe extern "C" fn unwind_pending(vmctx: *mut VMContext, fp: usize) {
    // SAFETY: a wasm-to-array trampoline passes a live VMContext and its frame pointer.
    unsafe { crate::traphandlers::throw::unwind_pending(vmctx, fp) }
}

pub(super) unsafe extern "C" fn exn_is(vmctx: *mut VMContext, exn: usize, tag: u32) -> u32 {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let exns = inst.store().exceptions.borrow();
    let hit = exns.get(exn as u64).is_some_and(|o| std::ptr::eq(o.tag, inst.tags[tag as usize]));
    u32::from(hit)
}

/// The listener hook of defined function `func` of the instance behind `vmctx`, reading
/// its parameters (`entering`) or results from `values`.
///
/// Returns `false`, with the trap pending, when the hook panicked.
///
/// # Safety
/// `vmctx` is a live VMContext; `values` holds a slot per parameter or result of `func`.
unsafe fn listen(
    vmctx: *mut VMContext,
    func: u32,
    values: *mut super::ValRaw,
    entering: bool,
) -> bool {
    // SAFETY: compiled code passes its own live VMContext.
    let inst = unsafe { instance(vmctx) };
    let Some(hooks) = inst.listener(func) else { return true };
    let ty = inst.module.info.func_type(func);
    let n = if entering { ty.params().len() } else { ty.results().len() };
    let vals = if n == 0 {
        &[][..]
    } else {
        // SAFETY: per the contract, `values` holds `n` slots.
        unsafe { std::slice::from_raw_parts(values, n) }
    };
    let store = inst.store();
    let done = if entering { store.listen_before(hooks, vals) } else { store.listen_after(vals) };
    match done {
        Ok(()) => true,
        Err(u) => {
            store.set_pending_unwind(u);
            false
        }
    }
}

pub(super) unsafe extern "C" fn listener_before(
    vmctx: *mut VMContext,
    func: u32,
    values: *mut super::ValRaw,
) -> u64 {
    // SAFETY: compiled code passes its own live VMContext and a slot per parameter.
    if !unsafe { listen(vmctx, func, values, true) } {
        return u64::MAX;
    }
    // SAFETY: as above.
    unsafe { instance(vmctx) }.store().listened_depth() as u64
}

pub(super) unsafe extern "C" fn listener_after(
    vmctx: *mut VMContext,
    func: u32,
    values: *mut super::ValRaw,
) -> u32 {
    // SAFETY: compiled code passes its own live VMContext and a slot per result.
    if unsafe { listen(vmctx, func, values, false) } { BUILTIN_OK } else { 1 }
}

pub(super) unsafe extern "C" fn listener_unwind(vmctx: *mut VMContext, depth: u64) {
    // SAFETY: compiled code passes its own live VMContext.
    let store = unsafe { instance(vmctx) }.store();
    store.abort_listened(depth as usize, super::listener::AbortCause::ExceptionCaught);
}
