//! Globals seen from the host.

use crate::error::Error;
use crate::instance::check_open;
use crate::val::Val;
use kiln_runtime_support::instance::{GlobalRef, InstanceHandle};
use kiln_runtime_support::types::GlobalType;
use kiln_runtime_support::vm::Store;
use std::sync::Arc;

/// A global of an instance or host module. `Send` and `Sync`; each access takes the
/// runtime's lock. It keeps its instance alive: reads work after
/// [`crate::Instance::close`], writes fail with [`Error::Closed`].
#[derive(Clone)]
pub struct Global {
    pub(crate) store: Arc<Store>,
    pub(crate) global: GlobalRef,
    /// The instance that exported it (`None` for a host global).
    pub(crate) owner: Option<InstanceHandle>,
}

// SAFETY: the global is only reached under the store lock, and `owner` (or the store, for
// host globals) keeps it alive.
unsafe impl Send for Global {}
// SAFETY: as above.
unsafe impl Sync for Global {}

impl std::fmt::Debug for Global {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Global({:?} = {:?})", self.global.ty, self.get())
    }
}

impl Global {
    /// The global's type.
    pub fn ty(&self) -> GlobalType {
        self.global.ty
    }

    /// The current value.
    pub fn get(&self) -> Val {
        let _guard = self.store.lock();
        // SAFETY: global refs point to storage that lives as long as the store.
        let raw = unsafe { (*self.global.def).get() };
        Val::from_raw(&self.store, raw, self.global.ty.content)
    }

    /// Sets the value (spec `global.set` semantics).
    ///
    /// # Errors
    /// [`Error::ImmutableGlobal`] for an immutable global; [`Error::TypeMismatch`] for a
    /// value of another type; [`Error::WrongRuntime`] for a function of another runtime;
    /// [`Error::Closed`] when its instance was closed.
    pub fn set(&self, v: Val) -> Result<(), Error> {
        let _guard = self.store.lock();
        check_open(self.owner.as_ref())?;
        if !self.global.ty.mutable {
            return Err(Error::ImmutableGlobal);
        }
        if !v.matches(self.global.ty.content) {
            return Err(Error::TypeMismatch(format!(
                "global is {}, value is {}",
                self.global.ty.content,
                v.ty()
            )));
        }
        let raw = v.to_raw(&self.store)?;
        // SAFETY: as in `get`.
        unsafe { (*self.global.def).set(raw) };
        Ok(())
    }
}
