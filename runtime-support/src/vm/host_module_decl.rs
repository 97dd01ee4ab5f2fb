//! A host module declared once per process and shared by every store that registers it
//! (WASI's two modules): its functions' names, types (interned once) and bodies. A store
//! that registers it creates a function ([`HostFuncContext`]) only when an import first
//! names it, so registering costs no allocation per function, and a module importing a
//! dozen of WASI's 46 functions creates a dozen.
//!
//! Invariant: a store creates each function of a declaration at most once, so every import
//! of the same name in one store resolves to the same funcref (the identity `ref.func`
//! comparisons and tables see).

use super::host_func::{CallerCtx, HostFn, HostFuncContext};
use super::store::Store;
use super::type_registry;
use super::vmcontext::{VMFuncRef, VMSharedTypeId, ValRaw};
use crate::error::Unwind;
use crate::types::FuncType;
use foldhash::HashMap;
use std::sync::Arc;

/// The body of a declared host function: a plain function, shared by every store.
pub type HostFnPtr = fn(&mut CallerCtx<'_>, &mut [ValRaw]) -> Result<(), Unwind>;

/// One function of a [`HostModuleDecl`].
struct FuncDecl {
    name: String,
    ty: Arc<FuncType>,
    type_id: VMSharedTypeId,
    call: HostFnPtr,
}

/// A host module's functions, declared once (see the module docs).
pub struct HostModuleDecl {
    funcs: Vec<FuncDecl>,
    by_name: HashMap<String, u32>,
}

impl HostModuleDecl {
    /// Declares the functions `funcs` (name, type, body), in export order; a later function
    /// of a name replaces an earlier one for imports.
    pub fn new(funcs: impl IntoIterator<Item = (String, FuncType, HostFnPtr)>) -> Self {
        let funcs: Vec<FuncDecl> = funcs
            .into_iter()
            .map(|(name, ty, call)| FuncDecl {
                type_id: type_registry::intern(&ty),
                name,
                ty: Arc::new(ty),
                call,
            })
            .collect();
        let by_name = funcs.iter().enumerate().map(|(i, f)| (f.name.clone(), i as u32)).collect();
        Self { funcs, by_name }
    }

    /// The number of functions declared.
    pub fn len(&self) -> usize {
        self.funcs.len()
    }

    /// Whether no function is declared.
    pub fn is_empty(&self) -> bool {
        self.funcs.is_empty()
    }

    /// The position of the function exported as `name`.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// The export name of function `index`.
    ///
    /// # Panics
    /// If `index` is not below [`Self::len`].
    pub fn name(&self, index: u32) -> &str {
        &self.funcs[index as usize].name
    }

    /// Creates function `index` in `store` and returns its funcref, owned by the store.
    ///
    /// # Panics
    /// If `index` is not below [`Self::len`].
    pub fn create(&self, store: &Store, index: u32) -> *mut VMFuncRef {
        let f = &self.funcs[index as usize];
        let call = f.call;
        let body: HostFn = Box::new(call);
        let ctx = HostFuncContext::create_with_type_id(store, f.ty.clone(), f.type_id, body);
        // SAFETY: the context was just created and is owned by the store.
        unsafe { &raw mut (*ctx).funcref }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::Extern;
    use crate::types::ValType;
    use crate::vm::{Namespace, Namespaces, StoreConfig};

    fn nothing(_: &mut CallerCtx<'_>, _: &mut [ValRaw]) -> Result<(), Unwind> {
        Ok(())
    }

    #[test]
    fn a_store_creates_each_declared_function_once_on_first_use() {
        let ty = FuncType::new([ValType::I32], []);
        let decl = Arc::new(HostModuleDecl::new([
            ("f".to_string(), ty.clone(), nothing as HostFnPtr),
            ("g".to_string(), ty, nothing as HostFnPtr),
        ]));
        let func =
            |ns: &mut Namespaces, store: &Store, field: &str| match ns.resolve(store, "m", field) {
                Some((Extern::Func(f), None)) => Some(f),
                None => None,
                _ => panic!("a declared host module resolves to functions it owns"),
            };
        let stores = [Store::new(StoreConfig::default()), Store::new(StoreConfig::default())];
        let mut made = Vec::new();
        for store in &stores {
            let mut ns = Namespaces::default();
            assert!(ns.insert("m", Namespace::declared(decl.clone())));
            let f = func(&mut ns, store, "f").unwrap();
            assert_eq!(func(&mut ns, store, "f"), Some(f), "the same function every time");
            let g = func(&mut ns, store, "g").unwrap();
            assert_ne!(f, g);
            assert_eq!(func(&mut ns, store, "h"), None);
            // SAFETY: the funcref is the store's, which is live.
            assert_eq!(unsafe { (*f).type_id }, type_registry::intern(&decl.funcs[0].ty));
            made.push(f);
        }
        assert_ne!(made[0], made[1], "each store creates its own");
    }
}
