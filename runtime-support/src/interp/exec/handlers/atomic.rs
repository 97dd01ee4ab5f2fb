//! Atomic access handlers (threads proposal): loads, stores, read-modify-writes and
//! compare-exchanges through [`crate::atomics`], `memory.atomic.wait32/64`,
//! `memory.atomic.notify` and `atomic.fence`. Operands are in consecutive slots from
//! `base`; each handler first reloads memory 0's registers (a shared memory 0 may have been
//! grown by another thread, which this thread must see once it synchronizes with it).

use super::super::super::ir::{MEM_SEL_INDEX, MemSel};
use super::memory::{index_of, memory_of};
use super::*;
use crate::atomics;

/// The host address of the `width`-byte atomic access at `address + offset` of memory
/// `sel` (`address` read from slot bits `bits`), after reloading memory 0's registers.
///
/// # Safety
/// `st` must be the run's state and `sel` name a memory of the current instance.
#[inline(always)]
unsafe fn atomic_addr(
    st: *mut State,
    sel: MemSel,
    bits: u64,
    offset: u32,
    width: u8,
) -> Result<*mut u8, TrapCode> {
    // SAFETY: per the contract.
    unsafe {
        let (mem, len) = (*st).cache.memory();
        let (base, length) = memory_of(st, mem, len, sel);
        let ea = atomics::effective_address(index_of(sel, bits), offset.into(), width, length)?;
        Ok(base.add(ea as usize))
    }
}

/// Continues with the next instruction, memory 0's registers reloaded.
///
/// # Safety
/// As a handler's tail: `pc` is not the last instruction of its function.
#[inline(always)]
unsafe fn next(pc: *const Instr, fp: *mut u64, st: *mut State) -> Exit {
    // SAFETY: per the contract.
    unsafe {
        let (mem, len) = (*st).cache.memory();
        dispatch(pc.add(1), fp, mem, len, st, 0)
    }
}

handler!(fn atomic_offset64(pc, fp, mem, len, st, reg) = AtomicOffset64 { dst, addr, offset, width } {
    // SAFETY: operand slots lie in the frame.
    unsafe {
        // Alignment, then overflow; the access itself checks the bounds.
        match atomics::effective_address(get(fp, addr), get(fp, offset), width, u64::MAX) {
            Ok(ea) => set(fp, dst, ea),
            Err(code) => return trap(pc, st, code),
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn atomic_load(pc, fp, mem, len, st, reg) = AtomicLoad { base, offset, memory, width } {
    // SAFETY: operand slots lie in the frame; `atomic_addr` checks alignment and bounds.
    unsafe {
        match atomic_addr(st, memory, get(fp, base), offset, width) {
            Ok(p) => set(fp, base, atomics::load(p, width)),
            Err(code) => return trap(pc, st, code),
        }
        next(pc, fp, st)
    }
});

handler!(fn atomic_store(pc, fp, mem, len, st, reg) = AtomicStore { base, offset, memory, width } {
    // SAFETY: as in `atomic_load`.
    unsafe {
        match atomic_addr(st, memory, get(fp, base), offset, width) {
            Ok(p) => atomics::store(p, width, get(fp, base + 1)),
            Err(code) => return trap(pc, st, code),
        }
        next(pc, fp, st)
    }
});

handler!(fn atomic_rmw(pc, fp, mem, len, st, reg) = AtomicRmw { base, offset, memory, width, op } {
    // SAFETY: as in `atomic_load`.
    unsafe {
        match atomic_addr(st, memory, get(fp, base), offset, width) {
            Ok(p) => set(fp, base, atomics::rmw(p, width, op, get(fp, base + 1))),
            Err(code) => return trap(pc, st, code),
        }
        next(pc, fp, st)
    }
});

handler!(fn atomic_cmpxchg(pc, fp, mem, len, st, reg) = AtomicCmpxchg { base, offset, memory, width } {
    // SAFETY: as in `atomic_load`.
    unsafe {
        match atomic_addr(st, memory, get(fp, base), offset, width) {
            Ok(p) => {
                let old = atomics::cmpxchg(p, width, get(fp, base + 1), get(fp, base + 2));
                set(fp, base, old)
            }
            Err(code) => return trap(pc, st, code),
        }
        next(pc, fp, st)
    }
});

handler!(fn memory_atomic_wait(pc, fp, mem, len, st, reg) = MemoryAtomicWait { base, offset, memory, width } {
    // SAFETY: operand slots lie in the frame; `memory` names a memory of the instance,
    // whose refs point to live memories.
    unsafe {
        let m = &*(*st).cache.memories.add((memory & MEM_SEL_INDEX) as usize);
        let addr = index_of(memory, get(fp, base));
        let (expected, timeout) = (get(fp, base + 1), get(fp, base + 2) as i64);
        match atomics::wait(m, addr, offset.into(), expected, width, timeout) {
            Ok(r) => set(fp, base, r.into()),
            Err(code) => return trap(pc, st, code),
        }
        next(pc, fp, st)
    }
});

handler!(fn memory_atomic_notify(pc, fp, mem, len, st, reg) = MemoryAtomicNotify { base, offset, memory } {
    // SAFETY: as in `memory_atomic_wait`.
    unsafe {
        let m = &*(*st).cache.memories.add((memory & MEM_SEL_INDEX) as usize);
        let addr = index_of(memory, get(fp, base));
        match atomics::notify(m, addr, offset.into(), get(fp, base + 1) as u32) {
            Ok(n) => set(fp, base, n.into()),
            Err(code) => return trap(pc, st, code),
        }
        next(pc, fp, st)
    }
});

handler!(fn atomic_fence(pc, fp, mem, len, st, reg) = AtomicFence {} {
    std::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
    // SAFETY: as a handler's tail.
    unsafe { next(pc, fp, st) }
});
