//! A host module declared once per process and shared by every store that registers it
//! (WASI's two modules): its functions' names, types (interned once) and bodies. A store
//! that registers it gets one block of slots, one per declared function ([`DeclaredFuncs`]),
//! and writes a function's context ([`HostFuncContext`]) into its slot only when an import
//! first names it: registering costs one allocation, a module importing a dozen of WASI's
//! 46 functions creates a dozen, and creating one allocates nothing.
//!
//! Invariants: a store creates each function of a declaration at most once, so every import
//! of the same name in one store resolves to the same funcref (the identity `ref.func`
//! comparisons and tables see); a created context stays at its slot's address until the
//! block is dropped with the store's names, after which no wasm of the store runs.

use super::host_func::{CallerCtx, HostBody, HostFuncContext};
use super::store::Store;
use super::type_registry;
use super::vmcontext::{VMFuncRef, VMSharedTypeId, ValRaw};
use crate::error::Unwind;
use crate::types::FuncType;
use foldhash::HashMap;
use std::mem::MaybeUninit;
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

    /// Creates function `index` in `store` on its own (not in a [`DeclaredFuncs`] slot) and
    /// returns its funcref, owned by the store.
    ///
    /// # Panics
    /// If `index` is not below [`Self::len`].
    pub fn create(&self, store: &Store, index: u32) -> *mut VMFuncRef {
        let f = &self.funcs[index as usize];
        let body = HostBody::Fn(f.call);
        let ctx = HostFuncContext::create_with_type_id(store, f.ty.clone(), f.type_id, body);
        // SAFETY: the context was just created and is owned by the store.
        unsafe { &raw mut (*ctx).funcref }
    }
}

/// One store's functions of a [`HostModuleDecl`]: a slot per declared function, its
/// context written on first use (see the module docs).
pub struct DeclaredFuncs {
    decl: Arc<HostModuleDecl>,
    /// Per declared function, its funcref (pointing into its context); null until created.
    funcrefs: Box<[*mut VMFuncRef]>,
    /// Per declared function, its context once created: a boxed slice leaked by
    /// [`Self::new`] and freed by `Drop`, reached only through raw pointers, so no
    /// reference to the slots exists while host calls hold references to contexts.
    contexts: *mut [MaybeUninit<HostFuncContext>],
}

impl DeclaredFuncs {
    /// The slots of `decl`, none of its functions created yet.
    pub fn new(decl: Arc<HostModuleDecl>) -> Self {
        let n = decl.len();
        Self {
            decl,
            funcrefs: vec![std::ptr::null_mut(); n].into_boxed_slice(),
            contexts: Box::into_raw(Box::<[HostFuncContext]>::new_uninit_slice(n)),
        }
    }

    /// The context slot of declared function `i`.
    ///
    /// # Safety
    /// `i` must be below the declaration's length.
    unsafe fn context(&self, i: usize) -> *mut HostFuncContext {
        // SAFETY: per this function's contract, `i` lies in the slice.
        unsafe { self.contexts.cast::<MaybeUninit<HostFuncContext>>().add(i).cast() }
    }

    /// The funcref of the function exported as `name`, created in `store` (which owns
    /// these slots) on first use; `None` if the module declares no such function.
    pub fn get_or_create(&mut self, store: &Store, name: &str) -> Option<*mut VMFuncRef> {
        let i = self.decl.index_of(name)? as usize;
        if self.funcrefs[i].is_null() {
            let f = &self.decl.funcs[i];
            // SAFETY: `i` is a declared function's index; its slot holds no context (its
            // funcref is null) and nothing refers to it; the slots stay at their address
            // until `self` is dropped with the store's names.
            unsafe {
                let ctx = self.context(i);
                HostFuncContext::write_to(
                    ctx,
                    store,
                    f.ty.clone(),
                    f.type_id,
                    HostBody::Fn(f.call),
                );
                self.funcrefs[i] = &raw mut (*ctx).funcref;
            }
        }
        Some(self.funcrefs[i])
    }
}

impl Drop for DeclaredFuncs {
    fn drop(&mut self) {
        for i in 0..self.funcrefs.len() {
            if !self.funcrefs[i].is_null() {
                // SAFETY: a slot with a funcref holds a context, dropped once, here.
                unsafe { std::ptr::drop_in_place(self.context(i)) };
            }
        }
        // SAFETY: leaked by `new`, freed once, here; its contexts are dropped above.
        drop(unsafe { Box::from_raw(self.contexts) });
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

    fn add_one(_: &mut CallerCtx<'_>, slots: &mut [ValRaw]) -> Result<(), Unwind> {
        slots[0] = ValRaw::from_bits(slots[0].bits() as u32 as u64 + 1);
        Ok(())
    }

    #[test]
    fn a_store_creates_each_declared_function_once_on_first_use() {
        let ty = FuncType::new([ValType::I32], [ValType::I32]);
        let decl = Arc::new(HostModuleDecl::new([
            ("f".to_string(), ty.clone(), add_one as HostFnPtr),
            ("g".to_string(), ty, nothing as HostFnPtr),
        ]));
        let func =
            |ns: &mut Namespaces, store: &Store, field: &str| match ns.resolve(store, "m", field) {
                Some((Extern::Func(f), None)) => Some(f),
                None => None,
                _ => panic!("a declared host module resolves to functions it owns"),
            };
        let stores = [Store::new(StoreConfig::default()), Store::new(StoreConfig::default())];
        let mut names = Vec::new();
        let mut made = Vec::new();
        for store in &stores {
            let mut ns = Namespaces::default();
            assert!(ns.insert("m", Namespace::declared(decl.clone())));
            let f = func(&mut ns, store, "f").unwrap();
            assert_eq!(func(&mut ns, store, "f"), Some(f), "the same function every time");
            let g = func(&mut ns, store, "g").unwrap();
            assert_ne!(f, g);
            assert_eq!(func(&mut ns, store, "h"), None);
            // SAFETY: the funcref is the store's, which is live; the slots hold its one
            // i32 argument and result.
            unsafe {
                assert_eq!((*f).type_id, type_registry::intern(&decl.funcs[0].ty));
                let mut slots = [ValRaw::from_bits(41)];
                assert!(((*f).array_call)((*f).vmctx, std::ptr::null_mut(), slots.as_mut_ptr(), 1));
                assert_eq!(slots[0].bits(), 42, "the declared body runs");
            }
            made.push(f);
            names.push(ns);
        }
        assert_ne!(made[0], made[1], "each store creates its own");
        // Each created function holds its declared type; dropping the names drops them.
        assert_eq!(Arc::strong_count(&decl.funcs[0].ty), 3);
        drop(names);
        assert_eq!(Arc::strong_count(&decl.funcs[0].ty), 1);
        assert_eq!(Arc::strong_count(&decl.funcs[1].ty), 1);
    }
}
