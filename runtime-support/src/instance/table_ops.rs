//! Table instructions shared by both engines (spec 4.4.6, "Table Instructions").

use super::InstanceData;
use crate::trap::TrapCode;
use std::ops::Range;

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
    pub fn table_grow(&self, table: u32, delta: u64, init: usize) -> Option<u32> {
        let delta = u32::try_from(delta).ok()?;
        let current = self.with_table(table, |t| t.size()) as u64;
        if !self.store().table_growing(current, current + delta as u64) {
            return None;
        }
        self.with_table(table, |t| t.grow(delta, init))
    }

    /// `table.fill`: sets `len` elements from `start` to `value`.
    ///
    /// # Errors
    /// [`TrapCode::TableOutOfBounds`] when the range exceeds the table.
    pub fn table_fill(
        &self,
        table: u32,
        start: u64,
        value: usize,
        len: u64,
    ) -> Result<(), TrapCode> {
        self.with_table(table, |t| {
            let elems = t.elements_mut();
            let range = element_range(start, len, elems.len())?;
            elems[range].fill(value);
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
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        if dst_table == src_table {
            return self.with_table(dst_table, |t| {
                let elems = t.elements_mut();
                let d = element_range(dst, len, elems.len())?;
                let s = element_range(src, len, elems.len())?;
                elems.copy_within(s, d.start);
                Ok(())
            });
        }
        let src_elems = self.with_table(src_table, |t| {
            let s = t.elements();
            Ok(s[element_range(src, len, s.len())?].to_vec())
        })?;
        self.with_table(dst_table, |t| {
            let d = t.elements_mut();
            let range = element_range(dst, len, d.len())?;
            d[range].copy_from_slice(&src_elems);
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
        dst: u64,
        src: u32,
        len: u32,
    ) -> Result<(), TrapCode> {
        let seg: &[usize] = if self.dropped_elems[segment as usize].get() {
            &[]
        } else {
            &self.elem_values[segment as usize]
        };
        let s = element_range(src.into(), len.into(), seg.len())?;
        self.with_table(table, |t| {
            let d = t.elements_mut();
            let range = element_range(dst, len.into(), d.len())?;
            d[range].copy_from_slice(&seg[s]);
            Ok(())
        })
    }
}

/// The elements `[start, start + len)` of a table (or segment) of `size` elements.
///
/// # Errors
/// [`TrapCode::TableOutOfBounds`] when they do not all lie inside it.
fn element_range(start: u64, len: u64, size: usize) -> Result<Range<usize>, TrapCode> {
    match start.checked_add(len) {
        Some(end) if end <= size as u64 => Ok(start as usize..end as usize),
        _ => Err(TrapCode::TableOutOfBounds),
    }
}
