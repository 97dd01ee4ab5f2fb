//! Tables seen from the host.

use crate::error::Error;
use crate::instance::check_open;
use crate::val::Val;
use kiln_runtime_support::instance::{InstanceHandle, TableRef};
use kiln_runtime_support::types::{TableType, ValType};
use kiln_runtime_support::vm::Store;
use std::sync::Arc;

/// A table of references of an instance or host module. `Send` and `Sync`; each access
/// takes the runtime's lock. It keeps its instance alive: reads work after
/// [`crate::Instance::close`], writes fail with [`Error::Closed`].
#[derive(Clone)]
pub struct Table {
    pub(crate) store: Arc<Store>,
    pub(crate) table: TableRef,
    /// The instance that exported it (`None` for a host table).
    pub(crate) owner: Option<InstanceHandle>,
}

// SAFETY: the table is only reached under the store lock, and `owner` (or the store, for
// host tables) keeps it alive.
unsafe impl Send for Table {}
// SAFETY: as above.
unsafe impl Sync for Table {}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({:?})", self.ty())
    }
}

impl Table {
    /// Runs `f` on the table, the only borrow of it while `f` runs.
    fn with<R>(&self, f: impl FnOnce(&mut kiln_runtime_support::vm::Table) -> R) -> R {
        let _guard = self.store.lock();
        // SAFETY: table refs point to store-owned tables alive as long as `store`; no wasm
        // runs while `f` holds the borrow and `f` cannot reach the table another way.
        f(unsafe { &mut *self.table.table })
    }

    /// The table's type: current size as minimum.
    pub fn ty(&self) -> TableType {
        let _guard = self.store.lock();
        self.table.ty()
    }

    /// Number of elements.
    pub fn size(&self) -> u32 {
        self.with(|t| t.size())
    }

    /// The element at `index`, or `None` past the end.
    pub fn get(&self, index: u32) -> Option<Val> {
        let _guard = self.store.lock();
        let raw = self.with(|t| t.elements().get(index as usize).copied())?;
        let ty: ValType = self.ty().element.into();
        Some(Val::from_raw(
            &self.store,
            kiln_runtime_support::vm::ValRaw::from_bits(raw as u64),
            ty,
        ))
    }

    /// `v` as a raw element, for a write. Call with the store lock held.
    fn raw(&self, v: &Val) -> Result<usize, Error> {
        check_open(self.owner.as_ref())?;
        let ty: ValType = self.ty().element.into();
        if !v.matches(ty) {
            return Err(Error::TypeMismatch(format!("table holds {ty}, value is {}", v.ty())));
        }
        Ok(v.to_raw(&self.store)?.bits() as usize)
    }

    /// Sets the element at `index`.
    ///
    /// # Errors
    /// [`Error::OutOfBounds`] past the end; [`Error::TypeMismatch`] for a value of another type;
    /// [`Error::WrongRuntime`] for a function of another runtime; [`Error::Closed`] when its
    /// instance was closed.
    pub fn set(&self, index: u32, v: Val) -> Result<(), Error> {
        let _guard = self.store.lock();
        let raw = self.raw(&v)?;
        self.with(|t| {
            *t.elements_mut()
                .get_mut(index as usize)
                .ok_or(Error::OutOfBounds { offset: index as u64, len: 1 })? = raw;
            Ok(())
        })
    }

    /// Grows by `delta` elements set to `init`, returning the previous size.
    ///
    /// # Errors
    /// [`Error::Resource`] past the maximum or when the runtime's [`crate::ResourceLimiter`]
    /// refuses; [`Error::TypeMismatch`] for a value of another type;
    /// [`Error::WrongRuntime`] for a function of another runtime; [`Error::Closed`] when its
    /// instance was closed.
    pub fn grow(&self, delta: u32, init: Val) -> Result<u32, Error> {
        let _guard = self.store.lock();
        let raw = self.raw(&init)?;
        let current = self.size() as u64;
        let allowed = self.store.table_growing(current, current + delta as u64);
        allowed.then(|| self.with(|t| t.grow(delta, raw))).flatten().ok_or_else(|| {
            Error::Resource(kiln_runtime_support::ResourceError {
                message: format!("cannot grow table of {} elements by {delta}", self.size()),
            })
        })
    }
}
