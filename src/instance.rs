//! Instances of modules: their exports.

use crate::error::Error;
use crate::func::{Func, TypedFunc};
use crate::global::Global;
use crate::memory::Memory;
use crate::table::Table;
use crate::typed::WasmList;
use crate::val::Val;
use kiln_runtime_support::instance::{Extern as RawExtern, InstanceData};
use kiln_runtime_support::vm::Store;
use std::rc::Rc;

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
}

impl Extern {
    pub(crate) fn from_raw(store: &Rc<Store>, e: RawExtern) -> Extern {
        match e {
            RawExtern::Func(f) => Extern::Func(Func::from_funcref(store.clone(), f)),
            RawExtern::Memory(m) => Extern::Memory(Memory { _store: store.clone(), mem: m }),
            RawExtern::Table(t) => Extern::Table(Table { store: store.clone(), table: t }),
            RawExtern::Global(g) => Extern::Global(Global { store: store.clone(), global: g }),
            RawExtern::Tag(t) => Extern::Tag(crate::Tag { store: store.clone(), tag: t }),
        }
    }

    /// The store (runtime) the entity belongs to.
    pub(crate) fn store(&self) -> &Rc<Store> {
        match self {
            Extern::Func(f) => &f.store,
            Extern::Memory(m) => &m._store,
            Extern::Table(t) => &t.store,
            Extern::Global(g) => &g.store,
            Extern::Tag(t) => &t.store,
        }
    }

    pub(crate) fn to_raw(&self) -> RawExtern {
        match self {
            Extern::Func(f) => RawExtern::Func(f.funcref),
            Extern::Memory(m) => RawExtern::Memory(m.mem),
            Extern::Table(t) => RawExtern::Table(t.table),
            Extern::Global(g) => RawExtern::Global(g.global),
            Extern::Tag(t) => RawExtern::Tag(t.tag),
        }
    }
}

/// An instantiated module (wazero's `api.Module`). Cheap to clone; lives as long as its
/// [`crate::Runtime`].
#[derive(Clone)]
pub struct Instance {
    pub(crate) store: Rc<Store>,
    pub(crate) data: *mut InstanceData,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Instance({:?})", self.name())
    }
}

impl Instance {
    fn data(&self) -> &InstanceData {
        // SAFETY: instances are owned by the store this handle keeps alive.
        unsafe { &*self.data }
    }

    /// The instance's name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.data().name.as_deref()
    }

    /// The export named `name`.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.data().get_export(name).map(|e| Extern::from_raw(&self.store, e))
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
    /// or [`Error::Exit`].
    pub fn call(&self, name: &str, args: &[Val]) -> Result<Vec<Val>, Error> {
        self.exported_function(name)
            .ok_or_else(|| Error::NotFound { kind: "func", name: name.to_string() })?
            .call(args)
    }
}
