//! Table instructions shared by both engines (spec 4.4.6, "Table Instructions").

use super::InstanceData;
use crate::trap::TrapCode;

impl InstanceData {
    /// Runs `f` on table `table`, the only borrow of it while `f` runs.
    fn with_table<R>(&self, table: u32, f: impl FnOnce(&mut crate::vm::Table) -> R) -> R {
        let t = self.tables[table as usize].table;
        // SAFETY: table refs of a live instance point to live, store-owned tables; wasm
        // execution is single-threaded within a store and `f` cannot reach this table by
        // another path, so this is the only active reference.
        f(unsafe { &mut *t })
    }

    /// `table.get`: the raw reference at `index`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when `index` is not below the table's size.
    pub fn table_get(&self, table: u32, index: u32) -> Result<usize, TrapCode> {
        self.with_table(table, |t| {
            t.elements().get(index as usize).copied().ok_or(TrapCode::TableOutOfBounds)
        })
    }

    /// `table.set`: stores a raw reference at `index`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when `index` is not below the table's size.
    pub fn table_set(&self, table: u32, index: u32, value: usize) -> Result<(), TrapCode> {
        self.with_table(table, |t| {
            *t.elements_mut().get_mut(index as usize).ok_or(TrapCode::TableOutOfBounds)? = value;
            Ok(())
        })
    }

    /// `table.grow`: the old size, or `None` if the table cannot grow by `delta`.
    pub fn table_grow(&self, table: u32, delta: u32, init: usize) -> Option<u32> {
        self.with_table(table, |t| t.grow(delta, init))
    }

    /// `table.fill`: sets `len` elements from `start` to `value`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when the range exceeds the table.
    pub fn table_fill(
        &self,
        table: u32,
        start: u32,
        value: usize,
        len: u32,
    ) -> Result<(), TrapCode> {
        self.with_table(table, |t| {
            let elems = t.elements_mut();
            let end = start as u64 + len as u64;
            if end > elems.len() as u64 {
                return Err(TrapCode::TableOutOfBounds);
            }
            elems[start as usize..end as usize].fill(value);
            Ok(())
        })
    }

    /// `table.copy`: copies `len` elements, overlapping ranges allowed.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when either range exceeds its table.
    pub fn table_copy(
        &self,
        dst_table: u32,
        src_table: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        let (d_end, s_end) = (dst as u64 + len as u64, src as u64 + len as u64);
        if dst_table == src_table {
            return self.with_table(dst_table, |t| {
                let elems = t.elements_mut();
                if d_end > elems.len() as u64 || s_end > elems.len() as u64 {
                    return Err(TrapCode::TableOutOfBounds);
                }
                elems.copy_within(src as usize..s_end as usize, dst as usize);
                Ok(())
            });
        }
        let src_elems = self.with_table(src_table, |t| {
            let s = t.elements();
            if s_end > s.len() as u64 {
                return Err(TrapCode::TableOutOfBounds);
            }
            Ok(s[src as usize..s_end as usize].to_vec())
        })?;
        self.with_table(dst_table, |t| {
            let d = t.elements_mut();
            if d_end > d.len() as u64 {
                return Err(TrapCode::TableOutOfBounds);
            }
            d[dst as usize..d_end as usize].copy_from_slice(&src_elems);
            Ok(())
        })
    }

    /// `table.init`: copies `len` references of element segment `segment` from `src` to
    /// the table at `dst`. A dropped segment has length 0.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when either range is out of bounds.
    pub fn table_init(
        &self,
        table: u32,
        segment: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        let seg: &[usize] = if self.dropped_elems[segment as usize].get() {
            &[]
        } else {
            &self.elem_values[segment as usize]
        };
        let s_end = src as u64 + len as u64;
        if s_end > seg.len() as u64 {
            return Err(TrapCode::TableOutOfBounds);
        }
        self.with_table(table, |t| {
            let d = t.elements_mut();
            let d_end = dst as u64 + len as u64;
            if d_end > d.len() as u64 {
                return Err(TrapCode::TableOutOfBounds);
            }
            d[dst as usize..d_end as usize].copy_from_slice(&seg[src as usize..s_end as usize]);
            Ok(())
        })
    }
}
