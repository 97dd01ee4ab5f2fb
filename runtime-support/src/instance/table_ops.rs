//! Table instructions shared by both engines (spec 4.4.6, "Table Instructions").

use super::InstanceData;
use crate::trap::TrapCode;

impl InstanceData {
    fn table_mut(&self, table: u32) -> &mut crate::vm::Table {
        // SAFETY: table refs of a live instance point to live, store-owned tables; wasm
        // execution is single-threaded within a store, so no other reference is active.
        let t = self.tables[table as usize].table;
        // SAFETY: see above.
        unsafe { &mut *t }
    }

    /// `table.get`: the raw reference at `index`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when `index` is not below the table's size.
    pub fn table_get(&self, table: u32, index: u32) -> Result<usize, TrapCode> {
        self.table_mut(table).elements().get(index as usize).copied().ok_or(TrapCode::TableOutOfBounds)
    }

    /// `table.set`: stores a raw reference at `index`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when `index` is not below the table's size.
    pub fn table_set(&self, table: u32, index: u32, value: usize) -> Result<(), TrapCode> {
        let slot = self.table_mut(table).elements_mut().get_mut(index as usize).ok_or(TrapCode::TableOutOfBounds)?;
        *slot = value;
        Ok(())
    }

    /// `table.grow`: the old size, or `None` if the table cannot grow by `delta`.
    pub fn table_grow(&self, table: u32, delta: u32, init: usize) -> Option<u32> {
        self.table_mut(table).grow(delta, init)
    }

    /// `table.fill`: sets `len` elements from `start` to `value`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when the range exceeds the table.
    pub fn table_fill(&self, table: u32, start: u32, value: usize, len: u32) -> Result<(), TrapCode> {
        let elems = self.table_mut(table).elements_mut();
        let end = start as u64 + len as u64;
        if end > elems.len() as u64 {
            return Err(TrapCode::TableOutOfBounds);
        }
        elems[start as usize..end as usize].fill(value);
        Ok(())
    }

    /// `table.copy`: copies `len` elements, overlapping ranges allowed.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when either range exceeds its table.
    pub fn table_copy(&self, dst_table: u32, src_table: u32, dst: u32, src: u32, len: u32) -> Result<(), TrapCode> {
        let (d_end, s_end) = (dst as u64 + len as u64, src as u64 + len as u64);
        if dst_table == src_table {
            let elems = self.table_mut(dst_table).elements_mut();
            if d_end > elems.len() as u64 || s_end > elems.len() as u64 {
                return Err(TrapCode::TableOutOfBounds);
            }
            elems.copy_within(src as usize..s_end as usize, dst as usize);
        } else {
            let src_elems: Vec<usize> = {
                let s = self.table_mut(src_table).elements();
                if s_end > s.len() as u64 {
                    return Err(TrapCode::TableOutOfBounds);
                }
                s[src as usize..s_end as usize].to_vec()
            };
            let d = self.table_mut(dst_table).elements_mut();
            if d_end > d.len() as u64 {
                return Err(TrapCode::TableOutOfBounds);
            }
            d[dst as usize..d_end as usize].copy_from_slice(&src_elems);
        }
        Ok(())
    }

    /// `table.init`: copies `len` references of element segment `segment` from `src` to
    /// the table at `dst`. A dropped segment has length 0.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when either range is out of bounds.
    pub fn table_init(&self, table: u32, segment: u32, dst: u32, src: u32, len: u32) -> Result<(), TrapCode> {
        let seg: &[usize] =
            if self.dropped_elems[segment as usize].get() { &[] } else { &self.elem_values[segment as usize] };
        let s_end = src as u64 + len as u64;
        if s_end > seg.len() as u64 {
            return Err(TrapCode::TableOutOfBounds);
        }
        let d = self.table_mut(table).elements_mut();
        let d_end = dst as u64 + len as u64;
        if d_end > d.len() as u64 {
            return Err(TrapCode::TableOutOfBounds);
        }
        d[dst as usize..d_end as usize].copy_from_slice(&seg[src as usize..s_end as usize]);
        Ok(())
    }
}
