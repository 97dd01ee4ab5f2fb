//! Functions: untyped ([`Func`]) and statically typed ([`TypedFunc`]) calls into wasm or
//! host functions.

use crate::error::Error;
use crate::instance::check_open;
use crate::typed::WasmList;
use crate::val::Val;
use kiln_runtime_support::call::invoke;
use kiln_runtime_support::instance::InstanceHandle;
use kiln_runtime_support::types::FuncType;
use kiln_runtime_support::vm::{Store, VMFuncRef, ValRaw, type_registry};
use std::marker::PhantomData;
use std::sync::Arc;

/// A function of some instance or host module. `Send` and `Sync`; it keeps its instance
/// alive (see [`crate::Instance`]).
#[derive(Clone)]
pub struct Func {
    pub(crate) store: Arc<Store>,
    pub(crate) funcref: *mut VMFuncRef,
    ty: FuncType,
    /// The instance whose VMContext holds the funcref (`None` for host functions).
    pub(crate) owner: Option<InstanceHandle>,
}

// SAFETY: the funcref is only dereferenced under the store lock or for its immutable type
// id, and `owner` keeps the memory it lives in alive.
unsafe impl Send for Func {}
// SAFETY: as above.
unsafe impl Sync for Func {}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Func({:p}: {})", self.funcref, self.ty)
    }
}

impl Func {
    /// The handle for `funcref`, a function reference of `store` held in some instance's
    /// VMContext or host function context. Call with the store lock held.
    pub(crate) fn from_funcref(store: Arc<Store>, funcref: *mut VMFuncRef) -> Func {
        let owner = store.instance_holding(funcref.cast()).map(|p| {
            // SAFETY: the store gives live instances; the caller holds its lock.
            unsafe { InstanceHandle::new(store.clone(), p) }
        });
        Func::with_owner(store, funcref, owner)
    }

    /// The handle for `funcref`, which `owner` keeps alive.
    pub(crate) fn with_owner(
        store: Arc<Store>,
        funcref: *mut VMFuncRef,
        owner: Option<InstanceHandle>,
    ) -> Func {
        // SAFETY: funcrefs handed to the API point into live, store-owned contexts.
        let ty = type_registry::lookup(unsafe { (*funcref).type_id }).unwrap_or_default();
        Func { store, funcref, ty, owner }
    }

    /// A host function of `runtime` made from a typed Rust closure: `Fn(A1, .., An) -> R`
    /// or `Fn(Caller<'_>, A1, .., An) -> R` with up to 16 parameters of any value type
    /// (see [`crate::IntoHostFunc`]). It can be called directly, given to
    /// [`crate::Imports`] for one instantiation, stored in tables and passed to wasm as a
    /// `funcref`; it lives as long as the runtime.
    ///
    /// ```
    /// let rt = kiln::Runtime::new();
    /// let add = kiln::Func::wrap(&rt, |a: i32, b: i64| a as i64 + b);
    /// assert_eq!(add.call(&[1.into(), 2i64.into()]).unwrap()[0].i64(), Some(3));
    /// ```
    pub fn wrap<P, R>(runtime: &crate::Runtime, f: impl crate::IntoHostFunc<P, R>) -> Func {
        crate::host::wrap(runtime, f)
    }

    /// The function's type.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }

    /// The canonical id of the function's type.
    pub(crate) fn type_id(&self) -> u32 {
        // SAFETY: funcrefs handed to the API point into live, store-owned contexts.
        unsafe { (*self.funcref).type_id.0 }
    }

    /// Whether two handles name the same function reference.
    pub fn ptr_eq(&self, other: &Func) -> bool {
        self.funcref == other.funcref
    }

    /// Calls the function with `args`, returning its results.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when the arguments do not match the parameter types;
    /// [`Error::WrongRuntime`] for a funcref argument of another runtime;
    /// [`Error::Closed`] when the function's instance was closed;
    /// [`Error::Trap`] or [`Error::Exit`] when the call traps or the guest exits.
    pub fn call(&self, args: &[Val]) -> Result<Vec<Val>, Error> {
        let params = self.ty.params();
        if args.len() != params.len() || args.iter().zip(params).any(|(a, p)| !a.matches(*p)) {
            let given: Vec<String> = args.iter().map(|a| a.ty().to_string()).collect();
            return Err(Error::TypeMismatch(format!(
                "function expects {}, given ({})",
                self.ty,
                given.join(", ")
            )));
        }
        let _guard = self.store.lock();
        check_open(self.owner.as_ref())?;
        let n = params.len().max(self.ty.results().len());
        let mut slots = vec![ValRaw::default(); n];
        for (s, a) in slots.iter_mut().zip(args) {
            *s = a.to_raw(&self.store)?;
        }
        // SAFETY: the funcref belongs to this store and the arguments were type-checked.
        unsafe { invoke(&self.store, self.funcref, &mut slots) }
            .map_err(|u| Error::from_unwind(&self.store, u))?;
        Ok(self
            .ty
            .results()
            .iter()
            .zip(&slots)
            .map(|(t, s)| Val::from_raw(&self.store, *s, *t))
            .collect())
    }

    /// A statically typed view of this function.
    ///
    /// # Errors
    /// [`Error::TypeMismatch`] when `P` and `R` do not match the function's type.
    pub fn typed<P: WasmList, R: WasmList>(&self) -> Result<TypedFunc<P, R>, Error> {
        if P::types() != self.ty.params() || R::types() != self.ty.results() {
            return Err(Error::TypeMismatch(format!(
                "function has type {}, not {}",
                self.ty,
                FuncType::new(P::types(), R::types())
            )));
        }
        Ok(TypedFunc { func: self.clone(), _marker: PhantomData })
    }
}

/// A function whose parameter and result types were checked once, so calls convert no
/// dynamic values: `P` and `R` are `()`, a [`crate::WasmTy`] or a tuple of them.
pub struct TypedFunc<P, R> {
    func: Func,
    _marker: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        Self { func: self.func.clone(), _marker: PhantomData }
    }
}

impl<P: WasmList, R: WasmList> TypedFunc<P, R> {
    /// Calls the function.
    ///
    /// # Errors
    /// [`Error::Trap`] or [`Error::Exit`] when the call traps or the guest exits;
    /// [`Error::Closed`] when the function's instance was closed.
    pub fn call(&self, params: P) -> Result<R, Error> {
        let _guard = self.func.store.lock();
        check_open(self.func.owner.as_ref())?;
        let n = self.func.ty.params().len().max(self.func.ty.results().len());
        let mut small = [ValRaw::default(); 8];
        let mut big = Vec::new();
        let slots: &mut [ValRaw] = if n <= 8 {
            &mut small[..n]
        } else {
            big.resize(n, ValRaw::default());
            &mut big
        };
        params.store(&self.func.store, slots)?;
        // SAFETY: the funcref belongs to this store and `P` matches its parameters.
        unsafe { invoke(&self.func.store, self.func.funcref, slots) }
            .map_err(|u| Error::from_unwind(&self.func.store, u))?;
        Ok(R::load(&self.func.store, slots))
    }

    /// The untyped function.
    pub fn func(&self) -> &Func {
        &self.func
    }
}
