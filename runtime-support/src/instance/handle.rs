//! Counted handles to instances: what the embedder's handles hold.

use super::InstanceData;
use crate::vm::Store;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// A counted reference to a live instance: while one exists, the instance is not freed
/// (see [`super::Lifecycle`]). Cloning needs no lock; dropping the last one takes the
/// store lock and frees the instance if nothing else reaches it (so it waits while another
/// thread runs wasm in the store).
pub struct InstanceHandle {
    store: Arc<Store>,
    instance: *mut InstanceData,
}

// SAFETY: the handle only reads immutable parts of the instance without the store lock
// (its module, name, layout and the atomic counts); everything else is reached under the
// lock.
unsafe impl Send for InstanceHandle {}
// SAFETY: as above.
unsafe impl Sync for InstanceHandle {}

impl InstanceHandle {
    /// A new handle to `instance`.
    ///
    /// # Safety
    /// `instance` must be a live instance of `store`, and the caller must hold the store
    /// lock or another handle to it.
    pub unsafe fn new(store: Arc<Store>, instance: *mut InstanceData) -> Self {
        // SAFETY: per the contract, the instance is live.
        unsafe { (*instance).lifecycle.handles.fetch_add(1, Ordering::AcqRel) };
        Self { store, instance }
    }

    /// The instance; live as long as this handle.
    pub fn data(&self) -> &InstanceData {
        // SAFETY: a counted handle keeps the instance from being freed.
        unsafe { &*self.instance }
    }

    /// The instance's address.
    pub fn as_ptr(&self) -> *mut InstanceData {
        self.instance
    }

    /// The store owning the instance.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

impl Clone for InstanceHandle {
    fn clone(&self) -> Self {
        // SAFETY: this handle keeps the instance live.
        unsafe { InstanceHandle::new(self.store.clone(), self.instance) }
    }
}

impl Drop for InstanceHandle {
    fn drop(&mut self) {
        // The count reaches zero only under the lock, so a concurrent release cannot free
        // the instance between the decrement and the check.
        let _guard = self.store.lock();
        if self.data().lifecycle.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            // SAFETY: the instance was live until this handle's count went; the lock is held.
            unsafe { self.store.release_instance(self.instance) };
        }
    }
}

impl std::fmt::Debug for InstanceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InstanceHandle({:p})", self.instance)
    }
}
