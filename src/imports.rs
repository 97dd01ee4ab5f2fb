//! Imports given to one instantiation (wasmtime's `Linker`, scoped to a call): entities
//! that resolve a module's imports before the runtime's namespace of named modules does.

use crate::error::Error;
use crate::func::Func;
use crate::global::Global;
use crate::instance::{Extern, Instance};
use crate::memory::Memory;
use crate::table::Table;
use kiln_runtime_support::instance::{Extern as RawExtern, ImportResolver, InstanceData};
use kiln_runtime_support::vm::Store;
use std::collections::HashMap;
use std::sync::Arc;

/// A set of imports by module and field name, given to one instantiation with
/// [`crate::ModuleConfig::with_imports`]. An import found here wins over the runtime's
/// registered modules; the others resolve there as usual. Holding an entity here keeps
/// it (and the instance it belongs to) alive; an instance that imports another instance's
/// entity keeps that instance alive while it lives.
///
/// ```
/// use kiln::{Func, Imports, ModuleConfig, Runtime};
/// let rt = Runtime::new();
/// let wasm = wat::parse_str(r#"(module (import "env" "k" (func $k (result i32)))
///     (func (export "get") (result i32) (call $k)))"#).unwrap();
/// let module = rt.compile(&wasm).unwrap();
/// for k in [1, 2] {
///     let imports = Imports::new().define("env", "k", Func::wrap(&rt, move || k));
///     let inst = rt.instantiate(&module, ModuleConfig::new().with_imports(imports)).unwrap();
///     assert_eq!(inst.typed_func::<(), i32>("get").unwrap().call(()).unwrap(), k);
/// }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Imports {
    /// Module name -> field name -> entity.
    items: HashMap<String, HashMap<String, Extern>>,
}

impl Imports {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defines `module`.`name` as `item` (replacing an earlier definition).
    pub fn define(mut self, module: &str, name: &str, item: impl Into<Extern>) -> Self {
        self.items.entry(module.to_string()).or_default().insert(name.to_string(), item.into());
        self
    }

    /// Defines every export of `instance` under module name `module`.
    pub fn define_instance(mut self, module: &str, instance: &Instance) -> Self {
        let fields = self.items.entry(module.to_string()).or_default();
        for name in instance.export_names() {
            if let Some(e) = instance.get_export(name) {
                fields.insert(name.to_string(), e);
            }
        }
        self
    }

    /// Fails unless every entity belongs to `store` (a shared memory belongs to every
    /// runtime).
    ///
    /// # Errors
    /// [`Error::WrongRuntime`] for an entity of another runtime; [`Error::Closed`] for one
    /// of a closed instance.
    pub(crate) fn check(&self, store: &Arc<Store>) -> Result<(), Error> {
        for item in self.items.values().flat_map(HashMap::values) {
            let Some(item_store) = item.store() else { continue };
            if !Arc::ptr_eq(item_store, store) {
                return Err(Error::WrongRuntime);
            }
            crate::instance::check_open(item.owner())?;
        }
        Ok(())
    }

    fn get(&self, module: &str, name: &str) -> Option<&Extern> {
        self.items.get(module)?.get(name)
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<crate::SharedMemory> for Extern {
    fn from(m: crate::SharedMemory) -> Extern {
        Extern::SharedMemory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}

/// Resolves imports against an [`Imports`] set first, then a store's registered names.
pub(crate) struct Resolver<'a> {
    pub(crate) imports: &'a Imports,
    pub(crate) store: &'a Store,
}

impl ImportResolver for Resolver<'_> {
    fn resolve(&self, module: &str, name: &str) -> Option<(RawExtern, Option<*mut InstanceData>)> {
        match self.imports.get(module, name) {
            // A shared memory keeps itself alive (the importer holds a handle to it), and
            // may come from an instance of another runtime, which this one must not pin.
            Some(e) if e.store().is_none() => Some((e.to_raw(), None)),
            Some(e) => Some((e.to_raw(), e.owner().map(|h| h.as_ptr()))),
            None => self.store.namespaces().resolve(self.store, module, name),
        }
    }
}
