//! The names a store's modules are registered under (wazero's module names): what imports
//! resolve against.

use super::host_module_decl::{DeclaredFuncs, HostModuleDecl};
use super::store::Store;
use crate::instance::{Extern, InstanceData};
use foldhash::HashMap;
use std::sync::Arc;

/// What a registered name resolves imports against.
pub enum Namespace {
    /// A host module's exports.
    Host(HashMap<String, Extern>),
    /// A host module declared once per process: its functions are created in the store
    /// the first time an import names them, and kept. Made by [`Namespace::declared`].
    Declared(DeclaredFuncs),
    /// A wasm instance: imports look its exports up in its module's by-name export index
    /// ([`crate::module::ModuleInfo::export`]), so registering builds no map per instance.
    Instance(*mut InstanceData),
}

impl Namespace {
    /// The namespace of the declared host module `decl`, none of its functions created yet.
    pub fn declared(decl: Arc<HostModuleDecl>) -> Self {
        Namespace::Declared(DeclaredFuncs::new(decl))
    }
}

/// A store's registered names. Instances named here are kept alive by their names
/// ([`crate::instance::Lifecycle`]).
#[derive(Default)]
pub struct Namespaces {
    names: HashMap<String, Namespace>,
}

impl Namespaces {
    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// Registers `namespace` as `name`; `false` (and nothing registered) if it is taken.
    pub fn insert(&mut self, name: &str, namespace: Namespace) -> bool {
        if self.names.contains_key(name) {
            return false;
        }
        if let Namespace::Instance(p) = namespace {
            // SAFETY: registered instances are live instances of the store.
            unsafe { (*p).lifecycle.add_name() };
        }
        self.names.insert(name.to_string(), namespace);
        true
    }

    /// What `module`.`field` resolves to, and the instance that owns it (`None` for a host
    /// module's entity). A declared host module's function is created in `store`, which
    /// owns these names, the first time it is named.
    pub fn resolve(
        &mut self,
        store: &Store,
        module: &str,
        field: &str,
    ) -> Option<(Extern, Option<*mut InstanceData>)> {
        match self.names.get_mut(module)? {
            Namespace::Host(exports) => exports.get(field).map(|e| (*e, None)),
            Namespace::Declared(funcs) => {
                funcs.get_or_create(store, field).map(|f| (Extern::Func(f), None))
            }
            // SAFETY: a named instance is live while it has the name.
            Namespace::Instance(p) => unsafe { (**p).get_export(field) }.map(|e| (e, Some(*p))),
        }
    }

    /// The instance registered as `name`, if it is an instance.
    pub fn instance(&self, name: &str) -> Option<*mut InstanceData> {
        match self.names.get(name)? {
            Namespace::Instance(p) => Some(*p),
            Namespace::Host(_) | Namespace::Declared(_) => None,
        }
    }

    /// Removes every name of `instance`.
    pub fn remove_instance(&mut self, instance: *mut InstanceData) {
        self.names.retain(|_, ns| match ns {
            Namespace::Instance(p) if *p == instance => {
                // SAFETY: a named instance is live while it has the name.
                unsafe { (**p).lifecycle.remove_name() };
                false
            }
            _ => true,
        });
    }
}
