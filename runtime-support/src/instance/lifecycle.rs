//! What keeps an instance alive (wazero's `Module.Close`, in Rust terms).
//!
//! An instance is freed (its VMContext, memories, tables and host data) as soon as nothing
//! can reach it: no handle of the embedder ([`super::InstanceHandle`]), no name in a
//! runtime's namespace, no live instance that imported from it, and no reference to one of
//! its functions that went where nothing tracks it. The last is decided conservatively:
//! an instance whose module imports a table, a mutable global of a reference type, or a
//! function taking a reference can write its own function references into another
//! instance's state, so it lives as long as its store; so does one whose function reference
//! the host stored into wasm-visible state ([`Lifecycle::mark_escaped`]).

use super::InstanceData;
use crate::module::{EntityIndex, ModuleInfo};
use crate::types::ValType;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The reference counts and flags that decide when an instance is freed (see the module
/// documentation). Counts change only under the store lock, except that a holder of a
/// handle may add another handle at any time.
#[derive(Default, Debug)]
pub struct Lifecycle {
    /// The instance's slot in its store.
    pub(crate) slot: usize,
    /// Live [`super::InstanceHandle`]s.
    pub(crate) handles: AtomicUsize,
    /// Names the instance has in its runtime's namespace.
    names: Cell<u32>,
    /// Live instances that imported from this one.
    pub(crate) pins: Cell<u32>,
    /// Whether a reference to one of its functions may be held where nothing counts it.
    escaped: Cell<bool>,
    /// Whether the embedder closed it: calls through its handles fail.
    closed: AtomicBool,
    /// The instances it imported from, each pinned once.
    pub(crate) providers: Vec<*mut InstanceData>,
}

impl Lifecycle {
    /// Whether nothing can reach the instance any more.
    pub(crate) fn unreachable(&self) -> bool {
        self.handles.load(Ordering::Acquire) == 0
            && self.names.get() == 0
            && self.pins.get() == 0
            && !self.escaped.get()
    }

    /// Records one more name for the instance (under the store lock).
    pub fn add_name(&self) {
        self.names.set(self.names.get() + 1);
    }

    /// Forgets one name (under the store lock); then release the instance
    /// ([`crate::vm::Store::release_instance`]).
    pub fn remove_name(&self) {
        self.names.set(self.names.get().saturating_sub(1));
    }

    /// Keeps the instance until its store is dropped: a reference to one of its functions
    /// went where nothing counts it (under the store lock).
    pub fn mark_escaped(&self) {
        self.escaped.set(true);
    }

    /// Whether the instance's function references may have escaped.
    pub fn escaped(&self) -> bool {
        self.escaped.get()
    }

    /// Marks the instance closed: calls through its handles fail from now on.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// Whether the instance was closed.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

/// Whether instances of `info` can store their own function references into state of
/// other instances or host objects: through an imported table, an imported mutable global
/// of a reference type, as an argument of an imported function, or in the payload of an
/// exception of a tag with a reference parameter (which another instance may catch).
pub(crate) fn can_export_references(info: &ModuleInfo) -> bool {
    let ref_payload = |ty: u32| info.types[ty as usize].params().iter().any(|p| p.is_ref());
    info.tags.iter().any(|&ty| ref_payload(ty))
        || info.imports.iter().any(|import| match import.index {
            EntityIndex::Table(_) => true,
            EntityIndex::Global(g) => {
                let ty = &info.globals[g as usize].ty;
                ty.mutable && ty.content.is_ref()
            }
            EntityIndex::Func(f) => info.func_type(f).params().iter().any(|p: &ValType| p.is_ref()),
            EntityIndex::Memory(_) | EntityIndex::Tag(_) => false,
        })
}
