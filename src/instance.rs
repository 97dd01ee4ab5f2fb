//! Instances of modules: their exports, and closing them (wazero's `Module.Close`).

use crate::error::Error;
use crate::func::{Func, TypedFunc};
use crate::global::Global;
use crate::memory::Memory;
use crate::table::Table;
use crate::typed::WasmList;
use crate::val::Val;
use kiln_runtime_support::instance::{Extern as RawExtern, InstanceData, InstanceHandle};
use kiln_runtime_support::vm::Store;
use std::sync::Arc;

/// An exported entity.
#[derive(Clone, Debug)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A memory.
    Memory(Memory),
    /// A table.
    Table(Table),
    /// A global.
    Global(Global),
    /// An exception tag.
    Tag(crate::Tag),
    /// A shared memory (threads proposal), which belongs to no runtime: it can be imported
    /// by instances of any runtime.
    SharedMemory(crate::SharedMemory),
}

impl Extern {
    /// The handle for `e`, which `owner` (an instance of `store`, or `None` for host
    /// objects) keeps alive. Call with the store lock held.
    pub(crate) fn from_raw(
        store: &Arc<Store>,
        e: RawExtern,
        owner: Option<&InstanceHandle>,
    ) -> Extern {
        let owner = owner.cloned();
        match e {
            RawExtern::Func(f) => Extern::Func(Func::with_owner(store.clone(), f, owner)),
            RawExtern::Memory(m) => Extern::Memory(Memory { store: store.clone(), mem: m, owner }),
            RawExtern::Table(t) => Extern::Table(Table { store: store.clone(), table: t, owner }),
            RawExtern::Global(g) => {
                Extern::Global(Global { store: store.clone(), global: g, owner })
            }
            RawExtern::Tag(t) => Extern::Tag(crate::Tag { store: store.clone(), tag: t }),
        }
    }

    /// The store (runtime) the entity belongs to; `None` for a shared memory (an
    /// [`Extern::SharedMemory`], or a [`Memory`] export of one), which any runtime may use.
    pub(crate) fn store(&self) -> Option<&Arc<Store>> {
        match self {
            Extern::Func(f) => Some(&f.store),
            Extern::Memory(m) if m.mem.shared.is_null() => Some(&m.store),
            Extern::Memory(_) | Extern::SharedMemory(_) => None,
            Extern::Table(t) => Some(&t.store),
            Extern::Global(g) => Some(&g.store),
            Extern::Tag(t) => Some(&t.store),
        }
    }

    /// A handle to the shared memory this is, if it is one.
    pub(crate) fn shared_memory(&self) -> Option<crate::SharedMemory> {
        match self {
            Extern::Memory(m) => m.shared(),
            Extern::SharedMemory(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The instance that owns the entity, if an instance does.
    pub(crate) fn owner(&self) -> Option<&InstanceHandle> {
        match self {
            Extern::Func(f) => f.owner.as_ref(),
            Extern::Memory(m) => m.owner.as_ref(),
            Extern::Table(t) => t.owner.as_ref(),
            Extern::Global(g) => g.owner.as_ref(),
            // Tags belong to the store, not to an instance; a shared memory to itself.
            Extern::Tag(_) | Extern::SharedMemory(_) => None,
        }
    }

    pub(crate) fn to_raw(&self) -> RawExtern {
        match self {
            Extern::Func(f) => RawExtern::Func(f.funcref),
            Extern::Memory(m) => RawExtern::Memory(m.mem),
            Extern::Table(t) => RawExtern::Table(t.table),
            Extern::Global(g) => RawExtern::Global(g.global),
            Extern::Tag(t) => RawExtern::Tag(t.tag),
            Extern::SharedMemory(s) => RawExtern::Memory(s.raw()),
        }
    }
}

/// Fails with [`Error::Closed`] when `owner` was closed.
pub(crate) fn check_open(owner: Option<&InstanceHandle>) -> Result<(), Error> {
    match owner {
        Some(h) if h.data().lifecycle.is_closed() => Err(Error::Closed),
        _ => Ok(()),
    }
}

/// An instantiated module (wazero's `api.Module`). Cheap to clone, `Send` and `Sync`.
///
/// An instance lives while any handle to it (this, or a [`Func`], [`Memory`], [`Table`] or
/// [`Global`] it exported) lives, while it has a name in its runtime, or while an instance
/// that imported from it lives; then its memories, tables and VMContext are freed. An
/// instance whose module imports a table, a mutable reference global or a function taking
/// references, or one whose function reference the host stored into wasm-visible state,
/// lives as long as its runtime (it may have handed its functions to others). [`Instance::close`]
/// ends it early: its name is free for reuse and calls through its handles fail with
/// [`Error::Closed`].
#[derive(Clone)]
pub struct Instance {
    pub(crate) handle: InstanceHandle,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Instance({:?})", self.name())
    }
}

impl Instance {
    /// A handle to `data`. Call with the store lock held.
    pub(crate) fn from_data(store: Arc<Store>, data: *mut InstanceData) -> Instance {
        // SAFETY: callers pass live instances of `store` and hold its lock.
        Instance { handle: unsafe { InstanceHandle::new(store, data) } }
    }

    fn data(&self) -> &InstanceData {
        self.handle.data()
    }

    pub(crate) fn store(&self) -> &Arc<Store> {
        self.handle.store()
    }

    /// The instance's name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.data().name.as_deref()
    }

    /// Whether [`Instance::close`] was called on it (through any handle).
    pub fn is_closed(&self) -> bool {
        self.data().lifecycle.is_closed()
    }

    /// Closes the instance (wazero's `Module.Close`): removes every name it has in its
    /// runtime, so they can be reused at once, and makes calls, reads and writes through
    /// its handles fail with [`Error::Closed`]. Its memories, tables and VMContext are freed
    /// when the last handle is dropped (at once if this was the last), unless an instance
    /// that imported from it is still alive or its function references may have escaped
    /// (see [`Instance`]). Closing twice does nothing.
    pub fn close(&self) {
        let _guard = self.store().lock();
        if self.is_closed() {
            return;
        }
        self.data().lifecycle.close();
        crate::runtime::unregister_instance(self.store(), self.handle.as_ptr());
    }

    /// The export named `name`.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let e = self.data().get_export(name)?;
        let _guard = self.store().lock();
        Some(Extern::from_raw(self.store(), e, Some(&self.handle)))
    }

    /// The names of all exports, in declaration order.
    pub fn export_names(&self) -> impl Iterator<Item = &str> {
        self.data().module.info.exports.iter().map(|e| e.name.as_str())
    }

    /// The exported function `name`.
    pub fn exported_function(&self, name: &str) -> Option<Func> {
        match self.get_export(name)? {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// The exported memory `name`.
    pub fn exported_memory(&self, name: &str) -> Option<Memory> {
        match self.get_export(name)? {
            Extern::Memory(m) => Some(m),
            _ => None,
        }
    }

    /// The exported global `name`.
    pub fn exported_global(&self, name: &str) -> Option<Global> {
        match self.get_export(name)? {
            Extern::Global(g) => Some(g),
            _ => None,
        }
    }

    /// The exported tag `name` (exception handling).
    pub fn exported_tag(&self, name: &str) -> Option<crate::Tag> {
        match self.get_export(name)? {
            Extern::Tag(t) => Some(t),
            _ => None,
        }
    }

    /// The exported table `name`.
    pub fn exported_table(&self, name: &str) -> Option<Table> {
        match self.get_export(name)? {
            Extern::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The exported function `name`, typed as `P -> R`.
    ///
    /// # Errors
    /// [`Error::NotFound`] if there is no such function; [`Error::TypeMismatch`] if its
    /// type is not `P -> R`.
    pub fn typed_func<P: WasmList, R: WasmList>(
        &self,
        name: &str,
    ) -> Result<TypedFunc<P, R>, Error> {
        self.exported_function(name)
            .ok_or_else(|| Error::NotFound { kind: "func", name: name.to_string() })?
            .typed()
    }

    /// Calls the exported function `name` with `args`.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::TypeMismatch`], [`Error::Trap`], [`Error::Exception`]
    /// or [`Error::Exit`]; [`Error::Closed`] after [`Instance::close`].
    pub fn call(&self, name: &str, args: &[Val]) -> Result<Vec<Val>, Error> {
        self.exported_function(name)
            .ok_or_else(|| Error::NotFound { kind: "func", name: name.to_string() })?
            .call(args)
    }
}
