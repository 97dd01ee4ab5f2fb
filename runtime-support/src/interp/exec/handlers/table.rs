//! Table handlers.

use super::*;

handler!(fn table_get(pc, fp, mem, len, st, reg) = TableGet { dst, index, table } {
    // SAFETY: slots lie in the frame; the current instance is live; indices validated.
    unsafe {
        match (*(*st).cache.inst).table_get(table, get(fp, index) as u32) {
            Ok(v) => set(fp, dst, v as u64),
            Err(code) => return trap(pc, st, code),
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_set(pc, fp, mem, len, st, reg) = TableSet { index, value, table } {
    // SAFETY: as in `table_get`.
    unsafe {
        if let Err(code) = (*(*st).cache.inst).table_set(table, get(fp, index) as u32, get(fp, value) as usize) {
            return trap(pc, st, code);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_size(pc, fp, mem, len, st, reg) = TableSize { dst, table } {
    // SAFETY: as in `table_get`; the instance's table definitions are valid.
    unsafe {
        set(fp, dst, (*(&(*(*st).cache.inst).tables)[table as usize].def).current_elements as u64);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_grow(pc, fp, mem, len, st, reg) = TableGrow { base, table } {
    // SAFETY: as in `table_get`.
    unsafe {
        let r = (*(*st).cache.inst).table_grow(table, get(fp, base + 1) as u32 as u64, get(fp, base) as usize);
        set(fp, base, r.unwrap_or(u32::MAX) as u64);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_fill(pc, fp, mem, len, st, reg) = TableFill { base, table } {
    // SAFETY: as in `table_get`.
    unsafe {
        let inst = &*(*st).cache.inst;
        if let Err(code) = inst.table_fill(table, get(fp, base) as u32 as u64, get(fp, base + 1) as usize, get(fp, base + 2) as u32 as u64) {
            return trap(pc, st, code);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_copy(pc, fp, mem, len, st, reg) = TableCopy { base, dst_table, src_table } {
    // SAFETY: as in `table_get`.
    unsafe {
        let inst = &*(*st).cache.inst;
        let (d, s, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u32 as u64, get(fp, base + 2) as u32 as u64);
        if let Err(code) = inst.table_copy(dst_table, src_table, d, s, n) {
            return trap(pc, st, code);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_init(pc, fp, mem, len, st, reg) = TableInit { base, table, segment } {
    // SAFETY: as in `table_get`.
    unsafe {
        let inst = &*(*st).cache.inst;
        let (d, s, n) = (get(fp, base) as u32 as u64, get(fp, base + 1) as u32, get(fp, base + 2) as u32);
        if let Err(code) = inst.table_init(table, segment, d, s, n) {
            return trap(pc, st, code);
        }
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn table_index64(pc, fp, mem, len, st, reg) = TableIndex64 { dst, src } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, dst, get(fp, src).min(u32::MAX as u64));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn elem_drop(pc, fp, mem, len, st, reg) = ElemDrop { segment } {
    // SAFETY: the current instance is live and `segment` validated.
    unsafe {
        (*(*st).cache.inst).dropped_elems[segment as usize].set(true);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});
