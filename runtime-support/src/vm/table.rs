//! Tables (spec 4.2.7): growable arrays of raw references (0 is null).

use super::vmcontext::VMTableDefinition;
use crate::error::ResourceError;
use crate::types::TableType;

/// The most elements any table may have, whatever its type says (10 million).
pub const TABLE_ELEMENT_LIMIT: u64 = 10_000_000;

/// One table. Owns its elements; keeps the [`VMTableDefinition`] it is bound to up to date.
///
/// Invariant compiled code relies on: a table whose type fixes its size (maximum equal to
/// minimum) never reallocates its elements (`grow` by 0 reserves nothing), so its base and
/// length in the definition never change after `bind` (the compiler's
/// `table_element_addr`).
#[derive(Debug)]
pub struct Table {
    elements: Vec<usize>,
    max: u64,
    ty: TableType,
    def: *mut VMTableDefinition,
}

impl Table {
    /// Creates a table of type `ty` with every element set to `init`.
    ///
    /// # Errors
    /// [`ResourceError`] when the minimum exceeds [`TABLE_ELEMENT_LIMIT`].
    pub fn new(ty: TableType, init: usize) -> Result<Self, ResourceError> {
        if ty.limits.min > TABLE_ELEMENT_LIMIT {
            return Err(ResourceError {
                message: format!(
                    "table minimum of {} elements exceeds the limit of {TABLE_ELEMENT_LIMIT}",
                    ty.limits.min
                ),
            });
        }
        let max = ty.limits.max.unwrap_or(u32::MAX as u64).min(TABLE_ELEMENT_LIMIT);
        Ok(Self {
            elements: vec![init; ty.limits.min as usize],
            max,
            ty,
            def: std::ptr::null_mut(),
        })
    }

    /// Binds this table to `def` and writes its base and length there.
    ///
    /// # Safety
    /// `def` must stay valid for writes while this table lives or until it is rebound.
    pub unsafe fn bind(&mut self, def: *mut VMTableDefinition) {
        self.def = def;
        self.publish();
    }

    fn publish(&mut self) {
        if !self.def.is_null() {
            // SAFETY: `bind`'s contract keeps `def` valid while bound.
            unsafe {
                (*self.def).base = self.elements.as_mut_ptr();
                (*self.def).current_elements = self.elements.len();
            }
        }
    }

    /// The table's type, with its current size as minimum.
    pub fn ty(&self) -> TableType {
        let mut ty = self.ty;
        ty.limits.min = self.elements.len() as u64;
        ty
    }

    /// Number of elements.
    pub fn size(&self) -> u32 {
        self.elements.len() as u32
    }

    /// The raw elements.
    pub fn elements(&self) -> &[usize] {
        &self.elements
    }

    /// The raw elements, mutable.
    pub fn elements_mut(&mut self) -> &mut [usize] {
        &mut self.elements
    }

    /// Grows by `delta` elements set to `init` (spec `table.grow`). Returns the previous
    /// size, or `None` beyond the maximum (the table is then unchanged).
    pub fn grow(&mut self, delta: u32, init: usize) -> Option<u32> {
        let old = self.elements.len() as u64;
        let new = old + delta as u64;
        if new > self.max {
            return None;
        }
        if self.elements.try_reserve(delta as usize).is_err() {
            return None;
        }
        self.elements.resize(new as usize, init);
        self.publish();
        Some(old as u32)
    }
}
