//! Host modules: Rust closures, globals, memories and tables that wasm can import
//! (wazero's `HostModuleBuilder`).

use crate::error::Error;
use crate::instance::{Extern, Instance};
use crate::memory::Memory;
use crate::runtime::Runtime;
use crate::typed::{WasmList, WasmTy};
use crate::val::Val;
use kiln_runtime_support::instance::{
    Extern as RawExtern, GlobalRef, InstanceData, InstanceHandle, MemoryRef, TableRef,
};
use kiln_runtime_support::types::{FuncType, GlobalType, MemoryType, TableType};
use kiln_runtime_support::vm::{CallerCtx, HostFn, HostFuncContext, LinearMemory, Store, ValRaw};
use kiln_runtime_support::{Trap, Unwind};
use std::sync::Arc;

/// What a host function sees of the wasm instance that called it. Lives for the call only
/// (the runtime's lock is held meanwhile).
pub struct Caller<'a> {
    store: &'a Store,
    instance: *mut InstanceData,
}

impl Caller<'_> {
    fn instance_data(&self) -> Option<&InstanceData> {
        // SAFETY: a non-null caller instance is live for the duration of the call.
        (!self.instance.is_null()).then(|| unsafe { &*self.instance })
    }

    /// The calling instance's typed state of type `T`: the value given to it at
    /// instantiation with [`crate::ModuleConfig::with_data`] (wazero's
    /// `ModuleInstance.Sys`; each instance has its own). The WASI state
    /// ([`crate::wasi::WasiState`]) is kept the same way. `None` when the host called
    /// directly or nothing of that type was given. Mutable state goes in a `Cell`,
    /// `RefCell` or `Mutex` inside `T`.
    pub fn data<T: std::any::Any + Send>(&self) -> Option<&T> {
        self.instance_data()?.host_data::<T>()
    }

    fn handle(&self) -> Option<InstanceHandle> {
        self.instance_data()?;
        // SAFETY: the caller is a live instance of this store and the lock is held.
        Some(unsafe { InstanceHandle::new(self.store.arc(), self.instance) })
    }

    /// The calling instance, or `None` when the host called this function directly.
    pub fn instance(&self) -> Option<Instance> {
        self.handle().map(|handle| Instance { handle })
    }

    /// The caller's memory 0, exported or not (like wazero's `api.Module.Memory()`).
    pub fn memory(&self) -> Option<Memory> {
        let m = *self.instance_data()?.memories.first()?;
        Some(Memory { store: self.store.arc(), mem: m, owner: self.handle() })
    }

    /// The caller's export named `name`.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        let e = self.instance_data()?.get_export(name)?;
        Some(Extern::from_raw(&self.store.arc(), e, self.handle().as_ref()))
    }
}

/// What a host closure may return: nothing, one [`WasmTy`], a tuple of them, or any of
/// these in a `Result` with [`Trap`], [`Error`] (an [`Error::Exit`] ends the guest the way
/// WASI `proc_exit` does) or `Box<dyn std::error::Error + Send + Sync>`. An error that is
/// not a trap or an exit reaches the caller inside an [`Error::Trap`] of code
/// [`crate::TrapCode::HostError`] with its type kept: [`Error::downcast_ref`] finds it.
pub trait HostResult: 'static {
    /// The results as wasm values.
    type List: WasmList;
    #[doc(hidden)]
    fn into_result(self, store: &Store) -> Result<Self::List, Unwind>;
}

impl<T: WasmList> HostResult for T {
    type List = T;
    fn into_result(self, _: &Store) -> Result<T, Unwind> {
        Ok(self)
    }
}

impl<T: WasmList> HostResult for Result<T, Trap> {
    type List = T;
    fn into_result(self, _: &Store) -> Result<T, Unwind> {
        self.map_err(Unwind::Trap)
    }
}

impl<T: WasmList> HostResult for Result<T, Error> {
    type List = T;
    fn into_result(self, store: &Store) -> Result<T, Unwind> {
        self.map_err(|e| e.into_unwind(store))
    }
}

impl<T: WasmList> HostResult for Result<T, Box<dyn std::error::Error + Send + Sync>> {
    type List = T;
    fn into_result(self, store: &Store) -> Result<T, Unwind> {
        self.map_err(|e| match e.downcast::<Error>() {
            Ok(e) => e.into_unwind(store),
            Err(e) => match e.downcast::<Trap>() {
                Ok(t) => Unwind::Trap(*t),
                Err(e) => Unwind::Trap(Trap::from_host_error(e)),
            },
        })
    }
}

/// A Rust closure usable as a host function: `Fn(A1, .., An) -> R` or
/// `Fn(Caller<'_>, A1, .., An) -> R` with up to 16 [`WasmTy`] parameters (numbers, `v128`,
/// `funcref` and `externref`) and a [`HostResult`]. The closure is `Send + Sync`: its
/// runtime may move to, and be called from, any thread (keep per-instance state in
/// [`Caller::data`] instead of captures).
pub trait IntoHostFunc<Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_host(self) -> (FuncType, HostFn);
}

/// Marker for closures that take a [`Caller`] first.
pub struct WithCaller;

macro_rules! into_host {
    ($($a:ident)*) => {
        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
        impl<F, R, $($a: WasmTy,)*> IntoHostFunc<($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_host(self) -> (FuncType, HostFn) {
                let ty = FuncType::new(vec![$($a::TYPE),*], R::List::types());
                let f: HostFn = Box::new(move |ctx: &mut CallerCtx<'_>, slots: &mut [ValRaw]| {
                    let mut i = 0;
                    $(let $a = $a::from_raw(ctx.store, slots[i]); i += 1;)*
                    self($($a),*)
                        .into_result(ctx.store)?
                        .store(ctx.store, slots)
                        .map_err(|e| e.into_unwind(ctx.store))
                });
                (ty, f)
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
        impl<F, R, $($a: WasmTy,)*> IntoHostFunc<(WithCaller, $($a,)*), R> for F
        where
            F: Fn(Caller<'_>, $($a),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_host(self) -> (FuncType, HostFn) {
                let ty = FuncType::new(vec![$($a::TYPE),*], R::List::types());
                let f: HostFn = Box::new(move |ctx: &mut CallerCtx<'_>, slots: &mut [ValRaw]| {
                    let caller = Caller { store: ctx.store, instance: ctx.instance };
                    let mut i = 0;
                    $(let $a = $a::from_raw(ctx.store, slots[i]); i += 1;)*
                    self(caller, $($a),*)
                        .into_result(ctx.store)?
                        .store(ctx.store, slots)
                        .map_err(|e| e.into_unwind(ctx.store))
                });
                (ty, f)
            }
        }
    };
}
into_host!();
into_host!(A1);
into_host!(A1 A2);
into_host!(A1 A2 A3);
into_host!(A1 A2 A3 A4);
into_host!(A1 A2 A3 A4 A5);
into_host!(A1 A2 A3 A4 A5 A6);
into_host!(A1 A2 A3 A4 A5 A6 A7);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15);
into_host!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16);

/// Creates a host function of `runtime` from a typed closure (see [`IntoHostFunc`]); the
/// function lives as long as the runtime.
pub(crate) fn wrap<P, R>(runtime: &Runtime, f: impl IntoHostFunc<P, R>) -> crate::func::Func {
    let (ty, host) = f.into_host();
    let store = runtime.store();
    let _guard = store.lock();
    let ctx = HostFuncContext::create(store, ty, host);
    // SAFETY: the context was just created and is owned by the store.
    let funcref = unsafe { &mut (*ctx).funcref as *mut _ };
    crate::func::Func::with_owner(store.clone(), funcref, None)
}

/// Builds a host module: named functions, globals, memories and tables that modules can
/// import as `"<module name>" "<field>"`. Created by [`Runtime::host_module`].
///
/// ```
/// let rt = kiln::Runtime::new();
/// rt.host_module("env")
///     .func("add", |a: i32, b: i32| a + b)
///     .instantiate()
///     .unwrap();
/// ```
pub struct HostModuleBuilder<'r> {
    runtime: &'r Runtime,
    name: String,
    exports: Vec<(String, RawExtern)>,
    error: Option<Error>,
}

impl<'r> HostModuleBuilder<'r> {
    pub(crate) fn new(runtime: &'r Runtime, name: String) -> Self {
        Self { runtime, name, exports: Vec::new(), error: None }
    }

    fn store(&self) -> &Arc<Store> {
        self.runtime.store()
    }

    /// Exports a typed Rust closure as function `name`.
    pub fn func<P, R>(mut self, name: &str, f: impl IntoHostFunc<P, R>) -> Self {
        let (ty, host) = f.into_host();
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        let ctx = HostFuncContext::create(self.store(), ty, host);
        // SAFETY: the context was just created and is owned by the store.
        let funcref = unsafe { &mut (*ctx).funcref as *mut _ };
        self.exports.push((name.to_string(), RawExtern::Func(funcref)));
        self
    }

    /// Exports an untyped function of type `ty`: the closure receives the arguments and
    /// fills `results` (pre-filled with zero values of the result types).
    pub fn func_untyped(
        mut self,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Self {
        let fty = ty.clone();
        let host: HostFn = Box::new(move |ctx: &mut CallerCtx<'_>, slots: &mut [ValRaw]| {
            let store = ctx.store.arc();
            let args: Vec<Val> = fty
                .params()
                .iter()
                .zip(slots.iter())
                .map(|(t, s)| Val::from_raw(&store, *s, *t))
                .collect();
            let mut results: Vec<Val> =
                fty.results().iter().map(|t| Val::default_for(*t)).collect();
            let caller = Caller { store: ctx.store, instance: ctx.instance };
            f(caller, &args, &mut results).map_err(|e| e.into_unwind(ctx.store))?;
            for ((slot, v), t) in slots.iter_mut().zip(&results).zip(fty.results()) {
                if !v.matches(*t) {
                    return Err(Unwind::Trap(Trap::host(format!(
                        "host function returned {} for {t}",
                        v.ty()
                    ))));
                }
                *slot = v.to_raw(&store).map_err(|e| e.into_unwind(&store))?;
            }
            Ok(())
        });
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        let ctx = HostFuncContext::create(self.store(), ty, host);
        // SAFETY: the context was just created and is owned by the store.
        let funcref = unsafe { &mut (*ctx).funcref as *mut _ };
        self.exports.push((name.to_string(), RawExtern::Func(funcref)));
        self
    }

    /// Exports a global holding `value` (a funcref of another runtime makes
    /// [`HostModuleBuilder::instantiate`] fail with [`Error::WrongRuntime`]).
    pub fn global(mut self, name: &str, value: Val, mutable: bool) -> Self {
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        let raw = match value.to_raw(self.store()) {
            Ok(raw) => raw,
            Err(e) => {
                self.error = Some(e);
                return self;
            }
        };
        let def = self.store().push_host_global(raw);
        let ty = GlobalType { content: value.ty(), mutable };
        self.exports.push((name.to_string(), RawExtern::Global(GlobalRef { def, ty })));
        self
    }

    /// Exports a new memory of type `ty` (limits in pages of 64 KiB); a shared type
    /// (threads proposal) makes a new [`crate::SharedMemory`]. The runtime's
    /// [`crate::ResourceLimiter`] is asked first, as for a memory an instance creates: a
    /// refusal makes [`HostModuleBuilder::instantiate`] fail with [`Error::Resource`].
    pub fn memory(mut self, name: &str, ty: MemoryType) -> Self {
        let min = ty.limits.min;
        if !self.runtime.store().memory_growing(0, min) {
            self.error = Some(Error::Resource(crate::ResourceError {
                message: format!("the resource limiter refused a memory of {min} pages"),
            }));
            return self;
        }
        if ty.shared {
            return match crate::SharedMemory::with_type(ty) {
                Ok(m) => self.export_shared_memory(name, &m),
                Err(e) => {
                    self.error = Some(e);
                    self
                }
            };
        }
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        match LinearMemory::new(&ty, self.runtime.memory_style()) {
            Ok(m) => {
                let hm = self.store().push_host_memory(m);
                // SAFETY: the host memory is store-owned at a stable address.
                let (def, memory) =
                    unsafe { (&mut *(*hm).def as *mut _, &mut (*hm).memory as *mut _) };
                self.exports
                    .push((name.to_string(), RawExtern::Memory(MemoryRef::unshared(def, memory))));
            }
            Err(e) => self.error = Some(e.into()),
        }
        self
    }

    /// Exports a new table of type `ty` with every element set to `init` (a funcref of
    /// another runtime makes [`HostModuleBuilder::instantiate`] fail with
    /// [`Error::WrongRuntime`]). The runtime's [`crate::ResourceLimiter`] is asked first,
    /// as for a table an instance creates: a refusal is [`Error::Resource`].
    pub fn table(mut self, name: &str, ty: TableType, init: Val) -> Self {
        let min = ty.limits.min;
        if !self.runtime.store().table_growing(0, min) {
            self.error = Some(Error::Resource(crate::ResourceError {
                message: format!("the resource limiter refused a table of {min} elements"),
            }));
            return self;
        }
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        let raw = match init.to_raw(self.store()) {
            Ok(raw) => raw.bits() as usize,
            Err(e) => {
                self.error = Some(e);
                return self;
            }
        };
        match kiln_runtime_support::vm::Table::new(ty, raw) {
            Ok(t) => {
                let ht = self.store().push_host_table(t);
                // SAFETY: the host table is store-owned at a stable address.
                let (def, table) =
                    unsafe { (&mut *(*ht).def as *mut _, &mut (*ht).table as *mut _) };
                self.exports.push((name.to_string(), RawExtern::Table(TableRef { def, table })));
            }
            Err(e) => self.error = Some(e.into()),
        }
        self
    }

    /// Exports `tag` (made with [`crate::Tag::new`]) under `name`, so modules can import it
    /// (`(import "module" "name" (tag ..))`) and catch the exceptions host functions
    /// throw with it. A tag of another runtime makes [`HostModuleBuilder::instantiate`]
    /// fail with [`Error::WrongRuntime`].
    pub fn tag(mut self, name: &str, tag: &crate::Tag) -> Self {
        if !std::sync::Arc::ptr_eq(&tag.store, self.store()) {
            self.error = Some(Error::WrongRuntime);
            return self;
        }
        self.exports.push((name.to_string(), RawExtern::Tag(tag.tag)));
        self
    }

    /// Exports the shared memory `memory` (threads proposal), which may also be used by
    /// other runtimes, under `name`; the runtime keeps it alive.
    pub fn export_shared_memory(mut self, name: &str, memory: &crate::SharedMemory) -> Self {
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        self.store().keep_shared_memory(memory.inner.clone());
        self.exports.push((name.to_string(), RawExtern::Memory(memory.raw())));
        self
    }

    /// Exports an existing entity of this runtime (for example another instance's memory)
    /// under `name`. An entity of another runtime makes [`HostModuleBuilder::instantiate`]
    /// fail with [`Error::WrongRuntime`]: this runtime cannot keep it alive. A shared memory
    /// (an [`Extern::SharedMemory`], or a [`crate::Memory`] of one) is exported as by
    /// [`HostModuleBuilder::export_shared_memory`], whichever runtime it comes from.
    ///
    /// The instance that owns `item` then lives as long as the runtime (a host module is
    /// never freed, so it may be imported at any time).
    pub fn export(mut self, name: &str, item: &Extern) -> Self {
        if let Some(shared) = item.shared_memory() {
            return self.export_shared_memory(name, &shared);
        }
        if !item.store().is_some_and(|s| Arc::ptr_eq(s, self.store())) {
            self.error = Some(Error::WrongRuntime);
            return self;
        }
        let runtime = self.runtime;
        let _guard = runtime.store().lock();
        if let Some(owner) = item.owner() {
            owner.data().lifecycle.mark_escaped();
        }
        self.exports.push((name.to_string(), item.to_raw()));
        self
    }

    /// Registers the module in the runtime so that modules instantiated later can import
    /// from it.
    ///
    /// # Errors
    /// [`Error::DuplicateModuleName`] if the name is taken; [`Error::Resource`] if a memory
    /// or table could not be created; [`Error::WrongRuntime`] if a handle of another runtime
    /// was exported or used as a value.
    pub fn instantiate(self) -> Result<(), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.runtime.register_host(&self.name, self.exports)
    }
}
