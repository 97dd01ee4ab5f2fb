//! Memory handlers: loads, stores and the bulk and size operations, on a 32-bit memory 0
//! through the `mem`/`len` registers, and (the `*_m` forms) on the memory a [`MemSel`]
//! names, with `i32` or `i64` addresses.

use super::super::super::ir::{MEM_SEL_64, MEM_SEL_INDEX, MemSel};
use super::*;

/// The base and length of memory `sel`: the registers for memory 0, else its definition.
///
/// # Safety
/// `st` must be the run's state, `mem`/`len` memory 0's registers, and `sel` name a memory
/// of the current instance (validated).
#[inline(always)]
pub(super) unsafe fn memory_of(
    st: *mut State,
    mem: *mut u8,
    len: u64,
    sel: MemSel,
) -> (*mut u8, u64) {
    let index = (sel & MEM_SEL_INDEX) as usize;
    if index == 0 {
        return (mem, len);
    }
    // SAFETY: per the contract; memory refs of a live instance point to live definitions.
    unsafe {
        let def = (*(*st).cache.memories.add(index)).def;
        ((*def).base, (*def).length() as u64)
    }
}

/// An address, size or length operand in slot bits `bits`, as memory `sel`'s index type
/// reads it (`i32`: the low 32 bits).
#[inline(always)]
pub(super) fn index_of(sel: MemSel, bits: u64) -> u64 {
    if sel & MEM_SEL_64 != 0 { bits } else { bits as u32 as u64 }
}

/// The host address of the `size` bytes at `address + offset` in memory `sel` (`address`
/// read from slot bits `bits`), or `None` when they do not all lie inside it.
///
/// # Safety
/// As [`memory_of`].
#[inline(always)]
pub(super) unsafe fn access(
    st: *mut State,
    mem: *mut u8,
    len: u64,
    sel: MemSel,
    bits: u64,
    offset: u32,
    size: u64,
) -> Option<*mut u8> {
    // SAFETY: per the contract.
    let (base, length) = unsafe { memory_of(st, mem, len, sel) };
    let ea = index_of(sel, bits);
    let end = ea.checked_add(offset as u64 + size)?;
    if end > length {
        return None;
    }
    // SAFETY: `ea + offset + size <= length`: the bytes lie inside the memory.
    Some(unsafe { base.add((ea + offset as u64) as usize) })
}

/// The host address of the `size_of::<T>()` bytes at `address + offset` of memory 0
/// (`mem`, `len` bytes: the handlers' registers), or `None` when they do not all lie
/// inside it. Every handler that loads or stores a scalar or `v128` in memory 0 (plain,
/// forwarded or fused) checks through it; bulk operations check their ranges themselves.
#[inline(always)]
pub(super) fn in_memory0<T>(mem: *mut u8, len: u64, address: u32, offset: u32) -> Option<*mut T> {
    let ea = address as u64 + offset as u64;
    if ea + size_of::<T>() as u64 > len {
        return None;
    }
    // `ea + size <= len`: the bytes lie inside the memory (the address is computed without
    // `unsafe`; the handlers dereference it).
    Some(mem.wrapping_add(ea as usize) as *mut T)
}

/// Load handlers: `dst = conv(mem[addr + offset])`, trapping when out of bounds; each line
/// makes the memory-0 handler and its `*_m` form.
macro_rules! load {
    ($($name:ident, $name_m:ident = $var:ident, $var_m:ident, $t:ty, |$v:ident| $e:expr;)*) => {$(
        handler!(fn $name_m(pc, fp, mem, len, st, reg) = $var_m { dst, addr, offset, memory } {
            // SAFETY: slots lie inside the frame; `access` checks the bounds.
            unsafe {
                let size = size_of::<$t>() as u64;
                let Some(p) = access(st, mem, len, memory, get(fp, addr), offset, size) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let $v = <$t>::from_le(std::ptr::read_unaligned(p as *const $t));
                set(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, addr, offset } {
            // SAFETY: slots lie inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let $v = <$t>::from_le(std::ptr::read_unaligned(p));
                let v = $e;
                set(fp, dst, v);
                N::next(pc.add(1), fp, mem, len, st, v)
            }
        });
    )*};
}

/// Store handlers: `mem[addr + offset] = value as $t`, trapping when out of bounds; each
/// line makes the memory-0 handler and its `*_m` form.
macro_rules! store {
    ($($name:ident, $name_m:ident = $var:ident, $var_m:ident, $t:ty;)*) => {$(
        handler!(fn $name_m(pc, fp, mem, len, st, reg) = $var_m { addr, value, offset, memory } {
            // SAFETY: as in `load!`.
            unsafe {
                let size = size_of::<$t>() as u64;
                let Some(p) = access(st, mem, len, memory, get(fp, addr), offset, size) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                std::ptr::write_unaligned(p as *mut $t, (get(fp, value) as $t).to_le());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { addr, value, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                std::ptr::write_unaligned(p, (get(fp, value) as $t).to_le());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Handlers storing a constant: `mem[addr + offset] = value as $t`.
macro_rules! store_imm {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { addr, value, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                std::ptr::write_unaligned(p, (value as i64 as $t).to_le());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Loads from a computed address: `dst = mem[(a + b) mod 2^32]` (`b` a slot or an
/// immediate), the add fused into the load.
macro_rules! load_add {
    ($($name:ident = $var:ident { $b:ident: $mode:ident }, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, $b } {
            // SAFETY: slots lie inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let addend = load_add!(@addend $mode, fp, $b);
                let address = (get(fp, a) as u32).wrapping_add(addend);
                let Some(p) = in_memory0::<$t>(mem, len, address, 0) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let v = <$t>::from_le(std::ptr::read_unaligned(p));
                set(fp, dst, v as u64);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
    (@addend slot, $fp:ident, $b:ident) => { get($fp, $b) as u32 };
    (@addend imm, $fp:ident, $b:ident) => { $b as u32 };
}

load_add! {
    i32_load_add = I32LoadAdd { b: slot }, u32;
    i64_load_add = I64LoadAdd { b: slot }, u64;
    i32_load_add_imm = I32LoadAddImm { imm: imm }, u32;
    i64_load_add_imm = I64LoadAddImm { imm: imm }, u64;
    i32_load8_u_add = I32Load8UAdd { b: slot }, u8;
    i32_load16_u_add = I32Load16UAdd { b: slot }, u16;
    i32_load8_u_add_imm = I32Load8UAddImm { imm: imm }, u8;
    i32_load16_u_add_imm = I32Load16UAddImm { imm: imm }, u16;
}

load! {
    i32_load, i32_load_m = I32Load, I32LoadM, u32, |v| v as u64;
    i64_load, i64_load_m = I64Load, I64LoadM, u64, |v| v;
    i32_load8_s, i32_load8_s_m = I32Load8S, I32Load8SM, u8, |v| v as i8 as i32 as u32 as u64;
    i32_load8_u, i32_load8_u_m = I32Load8U, I32Load8UM, u8, |v| v as u64;
    i32_load16_s, i32_load16_s_m = I32Load16S, I32Load16SM, u16, |v| v as i16 as i32 as u32 as u64;
    i32_load16_u, i32_load16_u_m = I32Load16U, I32Load16UM, u16, |v| v as u64;
    i64_load8_s, i64_load8_s_m = I64Load8S, I64Load8SM, u8, |v| v as i8 as i64 as u64;
    i64_load8_u, i64_load8_u_m = I64Load8U, I64Load8UM, u8, |v| v as u64;
    i64_load16_s, i64_load16_s_m = I64Load16S, I64Load16SM, u16, |v| v as i16 as i64 as u64;
    i64_load16_u, i64_load16_u_m = I64Load16U, I64Load16UM, u16, |v| v as u64;
    i64_load32_s, i64_load32_s_m = I64Load32S, I64Load32SM, u32, |v| v as i32 as i64 as u64;
    i64_load32_u, i64_load32_u_m = I64Load32U, I64Load32UM, u32, |v| v as u64;
}

store! {
    i32_store, i32_store_m = I32Store, I32StoreM, u32;
    i64_store, i64_store_m = I64Store, I64StoreM, u64;
    i32_store8, i32_store8_m = I32Store8, I32Store8M, u8;
    i32_store16, i32_store16_m = I32Store16, I32Store16M, u16;
}

handler!(fn memory_offset64(pc, fp, mem, len, st, reg) = MemoryOffset64 { dst, addr, offset } {
    // SAFETY: as in `unary!`.
    unsafe {
        match get(fp, addr).checked_add(get(fp, offset)) {
            Some(ea) => set(fp, dst, ea),
            None => return trap(pc, st, TrapCode::MemoryOutOfBounds),
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

store_imm! {
    i32_store_imm = I32StoreImm, u32;
    i64_store_imm = I64StoreImm, u64;
    i32_store8_imm = I32Store8Imm, u8;
    i32_store16_imm = I32Store16Imm, u16;
}

handler!(fn memory_size(pc, fp, mem, len, st, reg) = MemorySize { dst } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, dst, len / crate::types::WASM_PAGE_SIZE);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// Grows the current instance's memory `index` by `delta` pages: the old size, or `None`.
///
/// # Safety
/// `st` must be the run's state; its instance has a memory `index` (validated).
#[inline(never)]
unsafe fn grow(st: *mut State, index: usize, delta: u64) -> Option<u64> {
    // SAFETY: per the contract; the run holds the store lock, and memory objects are not
    // otherwise borrowed during the call.
    unsafe {
        let inst = &*(*st).cache.inst;
        inst.memories[index].grow(inst.store(), delta)
    }
}

handler!(fn memory_grow(pc, fp, mem, len, st, reg) = MemoryGrow { dst, delta } {
    // SAFETY: as in `unary!`; the memory is reloaded since growing may move it.
    unsafe {
        let r = grow(st, 0, get(fp, delta) as u32 as u64);
        set(fp, dst, r.map_or(u32::MAX, |old| old as u32) as u64);
        let (mem, len) = (*st).cache.memory();
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_size_m(pc, fp, mem, len, st, reg) = MemorySizeM { dst, memory } {
    // SAFETY: as in `unary!`; `memory` names a memory of the instance.
    unsafe {
        let (_, length) = memory_of(st, mem, len, memory);
        set(fp, dst, length / crate::types::WASM_PAGE_SIZE);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_grow_m(pc, fp, mem, len, st, reg) = MemoryGrowM { dst, delta, memory } {
    // SAFETY: as in `unary!`; memory 0's registers are reloaded since growing may move it
    // (memory `memory` may be memory 0, or the same memory imported twice).
    unsafe {
        let r = grow(st, (memory & MEM_SEL_INDEX) as usize, index_of(memory, get(fp, delta)));
        let failed = index_of(memory, u64::MAX);
        set(fp, dst, r.unwrap_or(failed));
        let (mem, len) = (*st).cache.memory();
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_fill_m(pc, fp, mem, len, st, reg) = MemoryFillM { base, memory } {
    // SAFETY: operand slots lie in the frame; `access` checks the range.
    unsafe {
        let (d, v, n) = (get(fp, base), get(fp, base + 1) as u8, index_of(memory, get(fp, base + 2)));
        let Some(p) = range(st, mem, len, memory, d, n) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        std::ptr::write_bytes(p, v, n as usize);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_copy_m(pc, fp, mem, len, st, reg) = MemoryCopyM { base, dst_memory, src_memory } {
    // SAFETY: as in `memory_fill_m`; `copy` allows the ranges to overlap.
    unsafe {
        let narrow = if dst_memory & src_memory & MEM_SEL_64 != 0 { MEM_SEL_64 } else { 0 };
        let (d, s, n) = (get(fp, base), get(fp, base + 1), index_of(narrow, get(fp, base + 2)));
        let (Some(dp), Some(sp)) = (range(st, mem, len, dst_memory, d, n), range(st, mem, len, src_memory, s, n)) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        std::ptr::copy(sp, dp, n as usize);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_init_m(pc, fp, mem, len, st, reg) = MemoryInitM { base, segment, memory } {
    // SAFETY: as in `memory_fill_m`; the current instance is live and `segment` validated.
    unsafe {
        let (d, s, n) = (get(fp, base), get(fp, base + 1) as u32 as u64, get(fp, base + 2) as u32 as u64);
        let inst = &*(*st).cache.inst;
        let seg = if inst.dropped_data[segment as usize].get() {
            &[][..]
        } else {
            &inst.module.info.wasm[inst.module.info.data[segment as usize].bytes.clone()]
        };
        let dp = range(st, mem, len, memory, d, n);
        let Some(dp) = dp.filter(|_| s + n <= seg.len() as u64) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        std::ptr::copy_nonoverlapping(seg.as_ptr().add(s as usize), dp, n as usize);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// The host address of the `n` bytes at `address` (read from slot bits `bits`) in memory
/// `sel`, or `None` when they do not all lie inside it (`n` may be 0 at the very end).
///
/// # Safety
/// As [`memory_of`].
#[inline(always)]
unsafe fn range(
    st: *mut State,
    mem: *mut u8,
    len: u64,
    sel: MemSel,
    bits: u64,
    n: u64,
) -> Option<*mut u8> {
    // SAFETY: per the contract.
    let (base, length) = unsafe { memory_of(st, mem, len, sel) };
    let start = index_of(sel, bits);
    if start.checked_add(n)? > length {
        return None;
    }
    // SAFETY: `start + n <= length`.
    Some(unsafe { base.add(start as usize) })
}

handler!(fn memory_fill(pc, fp, mem, len, st, reg) = MemoryFill { base } {
    // SAFETY: operand slots lie in the frame; the range is checked against the memory.
    unsafe {
        let (d, v, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u8, get(fp, base + 2) as u32 as u64);
        if d + n > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        std::ptr::write_bytes(mem.add(d as usize), v, n as usize);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_copy(pc, fp, mem, len, st, reg) = MemoryCopy { base } {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (d, s, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u32 as u64, get(fp, base + 2) as u32 as u64);
        if d + n > len || s + n > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        std::ptr::copy(mem.add(s as usize), mem.add(d as usize), n as usize);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn memory_init(pc, fp, mem, len, st, reg) = MemoryInit { base, segment } {
    // SAFETY: as in `memory_fill`; the current instance is live and `segment` validated.
    unsafe {
        let (d, s, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u32 as u64, get(fp, base + 2) as u32 as u64);
        let inst = &*(*st).cache.inst;
        let seg = if inst.dropped_data[segment as usize].get() {
            &[][..]
        } else {
            &inst.module.info.wasm[inst.module.info.data[segment as usize].bytes.clone()]
        };
        if s + n > seg.len() as u64 || d + n > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        std::ptr::copy_nonoverlapping(seg.as_ptr().add(s as usize), mem.add(d as usize), n as usize);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn data_drop(pc, fp, mem, len, st, reg) = DataDrop { segment } {
    // SAFETY: the current instance is live and `segment` validated.
    unsafe {
        (*(*st).cache.inst).dropped_data[segment as usize].set(true);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// Loads added to an accumulator: `t = conv(mem[addr + offset]); acc = acc + t` (i32).
macro_rules! load_acc {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { t, addr, acc, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr as Slot) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let v = <$t>::from_le(std::ptr::read_unaligned(p)) as u32;
                set(fp, t as Slot, v as u64);
                set(fp, acc as Slot, (get(fp, acc as Slot) as u32).wrapping_add(v) as u64);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

load_acc! {
    i32_load_acc = I32LoadAcc, u32;
    i32_load8_u_acc = I32Load8UAcc, u8;
}

handler!(fn i32_load_then_add_imm(pc, fp, mem, len, st, reg) = I32LoadThenAddImm { t, addr, dst, offset, imm } {
    // SAFETY: as in `load!`.
    unsafe {
        let Some(p) = in_memory0::<u32>(mem, len, get(fp, addr as Slot) as u32, offset) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        let v = u32::from_le(std::ptr::read_unaligned(p));
        set(fp, t as Slot, v as u64);
        let r = v.wrapping_add(imm as u32) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn f64_load_acc(pc, fp, mem, len, st, reg) = F64LoadAcc { t, addr, acc, offset } {
    // SAFETY: as in `load!`.
    unsafe {
        let Some(p) = in_memory0::<u64>(mem, len, get(fp, addr as Slot) as u32, offset) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        let v = u64::from_le(std::ptr::read_unaligned(p));
        set(fp, t as Slot, v);
        set(fp, acc as Slot, (f64::of(get(fp, acc as Slot)) + f64::of(v)).bits());
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// f64 ops whose result is stored: `dst = f(a, b)`, then `mem[addr + offset] = dst`
/// (8 bytes), `addr` read after `dst` is written.
macro_rules! op_store {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, a, b, addr, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let $x = f64::of(get(fp, a as Slot));
                let $y = f64::of(get(fp, b as Slot));
                let v = Bits::bits($e);
                set(fp, dst as Slot, v);
                let Some(p) = in_memory0::<u64>(mem, len, get(fp, addr as Slot) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                std::ptr::write_unaligned(p, v.to_le());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

op_store! {
    f64_add_store = F64AddStore, |x, y| x + y;
    f64_sub_store = F64SubStore, |x, y| x - y;
    f64_mul_store = F64MulStore, |x, y| x * y;
}

/// Loads that branch on a signed comparison of the loaded word: `t = mem[addr + offset]`,
/// then jump to `target` when `t <op> b`.
macro_rules! load_branch {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $test:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { t, addr, b, offset, target } {
            // SAFETY: as in `load!`; the target belongs to the current function.
            unsafe {
                let Some(p) = in_memory0::<u32>(mem, len, get(fp, addr as Slot) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let $x = u32::from_le(std::ptr::read_unaligned(p)) as i32;
                set(fp, t as Slot, $x as u32 as u64);
                let $y = get(fp, b as Slot) as i32;
                if $test {
                    dispatch(jump(pc, target), fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

load_branch! {
    i32_load_br_lt_s = I32LoadBrLtS, |x, y| x < y;
    i32_load_br_gt_s = I32LoadBrGtS, |x, y| x > y;
}
