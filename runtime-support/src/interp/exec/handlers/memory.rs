//! Memory 0 handlers: loads, stores and the bulk and size operations.

use super::*;

/// Load handlers: `dst = conv(mem[addr + offset])`, trapping when out of bounds.
macro_rules! load {
    ($($name:ident = $var:ident, $t:ty, |$v:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { dst, addr, offset } {
            // SAFETY: slots lie inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let ea = get(fp, addr) as u32 as u64 + offset as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let $v = <$t>::from_le(std::ptr::read_unaligned(mem.add(ea as usize) as *const $t));
                set(fp, dst, $e);
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

/// Store handlers: `mem[addr + offset] = value as $t`, trapping when out of bounds.
macro_rules! store {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { addr, value, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let ea = get(fp, addr) as u32 as u64 + offset as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let v = (get(fp, value) as $t).to_le();
                std::ptr::write_unaligned(mem.add(ea as usize) as *mut $t, v);
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

/// Handlers storing a constant: `mem[addr + offset] = value as $t`.
macro_rules! store_imm {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { addr, value, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let ea = get(fp, addr) as u32 as u64 + offset as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let v = (value as i64 as $t).to_le();
                std::ptr::write_unaligned(mem.add(ea as usize) as *mut $t, v);
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

/// Loads from a computed address: `dst = mem[(a + b) mod 2^32]` (`b` a slot or an
/// immediate), the add fused into the load.
macro_rules! load_add {
    ($($name:ident = $var:ident { $b:ident: $mode:ident }, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { dst, a, $b } {
            // SAFETY: slots lie inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let addend = load_add!(@addend $mode, fp, $b);
                let ea = (get(fp, a) as u32).wrapping_add(addend) as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let v = <$t>::from_le(std::ptr::read_unaligned(mem.add(ea as usize) as *const $t));
                set(fp, dst, v as u64);
                dispatch(pc.add(1), fp, mem, len, st)
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
}

load! {
    i32_load = I32Load, u32, |v| v as u64;
    i64_load = I64Load, u64, |v| v;
    i32_load8_s = I32Load8S, u8, |v| v as i8 as i32 as u32 as u64;
    i32_load8_u = I32Load8U, u8, |v| v as u64;
    i32_load16_s = I32Load16S, u16, |v| v as i16 as i32 as u32 as u64;
    i32_load16_u = I32Load16U, u16, |v| v as u64;
    i64_load8_s = I64Load8S, u8, |v| v as i8 as i64 as u64;
    i64_load8_u = I64Load8U, u8, |v| v as u64;
    i64_load16_s = I64Load16S, u16, |v| v as i16 as i64 as u64;
    i64_load16_u = I64Load16U, u16, |v| v as u64;
    i64_load32_s = I64Load32S, u32, |v| v as i32 as i64 as u64;
    i64_load32_u = I64Load32U, u32, |v| v as u64;
}

store! {
    i32_store = I32Store, u32;
    i64_store = I64Store, u64;
    i32_store8 = I32Store8, u8;
    i32_store16 = I32Store16, u16;
}

store_imm! {
    i32_store_imm = I32StoreImm, u32;
    i64_store_imm = I64StoreImm, u64;
    i32_store8_imm = I32Store8Imm, u8;
    i32_store16_imm = I32Store16Imm, u16;
}

handler!(fn memory_size(pc, fp, mem, len, st) = MemorySize { dst } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, dst, len / crate::types::WASM_PAGE_SIZE);
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

/// Grows the current instance's memory 0 by `delta` pages: the old size, or -1.
///
/// # Safety
/// `st` must be the run's state; its instance has a memory 0 (validated).
#[inline(never)]
unsafe fn grow(st: *mut State, delta: u64) -> u32 {
    // SAFETY: per the contract; memory objects are store-owned and not otherwise borrowed.
    let m = unsafe {
        let mp = (&*(*st).cache.inst).memories[0].memory;
        &mut *mp
    };
    m.grow(delta).map(|old| old as u32).unwrap_or(u32::MAX)
}

handler!(fn memory_grow(pc, fp, mem, len, st) = MemoryGrow { dst, delta } {
    // SAFETY: as in `unary!`; the memory is reloaded since growing may move it.
    unsafe {
        let r = grow(st, get(fp, delta) as u32 as u64);
        set(fp, dst, r as u64);
        let (mem, len) = (*st).cache.memory();
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

handler!(fn memory_fill(pc, fp, mem, len, st) = MemoryFill { base } {
    // SAFETY: operand slots lie in the frame; the range is checked against the memory.
    unsafe {
        let (d, v, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u8, get(fp, base + 2) as u32 as u64);
        if d + n > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        std::ptr::write_bytes(mem.add(d as usize), v, n as usize);
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

handler!(fn memory_copy(pc, fp, mem, len, st) = MemoryCopy { base } {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (d, s, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u32 as u64, get(fp, base + 2) as u32 as u64);
        if d + n > len || s + n > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        std::ptr::copy(mem.add(s as usize), mem.add(d as usize), n as usize);
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

handler!(fn memory_init(pc, fp, mem, len, st) = MemoryInit { base, segment } {
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
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

handler!(fn data_drop(pc, fp, mem, len, st) = DataDrop { segment } {
    // SAFETY: the current instance is live and `segment` validated.
    unsafe {
        (*(*st).cache.inst).dropped_data[segment as usize].set(true);
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

/// Loads added to an accumulator: `t = conv(mem[addr + offset]); acc = acc + t` (i32).
macro_rules! load_acc {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { t, addr, acc, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let ea = get(fp, addr as Slot) as u32 as u64 + offset as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let v = <$t>::from_le(std::ptr::read_unaligned(mem.add(ea as usize) as *const $t)) as u32;
                set(fp, t as Slot, v as u64);
                set(fp, acc as Slot, (get(fp, acc as Slot) as u32).wrapping_add(v) as u64);
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

load_acc! {
    i32_load_acc = I32LoadAcc, u32;
    i32_load8_u_acc = I32Load8UAcc, u8;
}

handler!(fn f64_load_acc(pc, fp, mem, len, st) = F64LoadAcc { t, addr, acc, offset } {
    // SAFETY: as in `load!`.
    unsafe {
        let ea = get(fp, addr as Slot) as u32 as u64 + offset as u64;
        if ea + 8 > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        let v = u64::from_le(std::ptr::read_unaligned(mem.add(ea as usize) as *const u64));
        set(fp, t as Slot, v);
        set(fp, acc as Slot, (f64::of(get(fp, acc as Slot)) + f64::of(v)).bits());
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

/// f64 ops whose result is stored: `dst = f(a, b)`, then `mem[addr + offset] = dst`
/// (8 bytes), `addr` read after `dst` is written.
macro_rules! op_store {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { dst, a, b, addr, offset } {
            // SAFETY: as in `load!`.
            unsafe {
                let $x = f64::of(get(fp, a as Slot));
                let $y = f64::of(get(fp, b as Slot));
                let v = Bits::bits($e);
                set(fp, dst as Slot, v);
                let ea = get(fp, addr as Slot) as u32 as u64 + offset as u64;
                if ea + 8 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                std::ptr::write_unaligned(mem.add(ea as usize) as *mut u64, v.to_le());
                dispatch(pc.add(1), fp, mem, len, st)
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
        handler!(fn $name(pc, fp, mem, len, st) = $var { t, addr, b, offset, target } {
            // SAFETY: as in `load!`; the target belongs to the current function.
            unsafe {
                let ea = get(fp, addr as Slot) as u32 as u64 + offset as u64;
                if ea + 4 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let $x = u32::from_le(std::ptr::read_unaligned(mem.add(ea as usize) as *const u32)) as i32;
                set(fp, t as Slot, $x as u32 as u64);
                let $y = get(fp, b as Slot) as i32;
                if $test {
                    dispatch(jump(pc, target), fp, mem, len, st)
                } else {
                    dispatch(pc.add(1), fp, mem, len, st)
                }
            }
        });
    )*};
}

load_branch! {
    i32_load_br_lt_s = I32LoadBrLtS, |x, y| x < y;
    i32_load_br_gt_s = I32LoadBrGtS, |x, y| x > y;
}
