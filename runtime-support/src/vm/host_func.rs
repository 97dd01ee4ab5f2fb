//! Host functions: Rust closures callable from wasm through the array-call convention.
//!
//! Every call of a host function, from either engine or from the host, goes through
//! [`host_array_call`]; a host function of a host module in a store with a listener
//! factory is listened there ([`HostFuncContext::listen`], [`super::listener`]).

use super::host_module_decl::HostFnPtr;
use super::listener::{AbortCause, FunctionHooks};
use super::store::Store;
use super::type_registry;
use super::vmcontext::*;
use crate::error::Unwind;
use crate::instance::InstanceData;
use crate::types::FuncType;
use std::sync::{Arc, OnceLock};

/// What a host function sees of its caller.
pub struct CallerCtx<'a> {
    /// The store the call runs in.
    pub store: &'a Store,
    /// The calling instance, or null when the host called directly.
    pub instance: *mut InstanceData,
}

/// The untyped host function body: reads arguments from the slots, writes results to them.
/// `Send + Sync`: the store it belongs to may move to, and be called from, any thread.
pub type HostFn =
    Box<dyn Fn(&mut CallerCtx<'_>, &mut [ValRaw]) -> Result<(), Unwind> + Send + Sync>;

/// A host function's body.
pub enum HostBody {
    /// A closure, owned by the function.
    Closure(HostFn),
    /// A plain function, shared by every store (a declared host module's,
    /// [`super::HostModuleDecl`]): creating the function allocates nothing for it.
    Fn(HostFnPtr),
}

/// Magic at the start of every host function context: `"host"`.
pub const HOST_FUNC_MAGIC: u32 = u32::from_le_bytes(*b"host");

/// A host function's context: what its funcref's `vmctx` points to.
#[repr(C)]
pub struct HostFuncContext {
    magic: u32,
    /// This function's funcref (its `vmctx` points back here).
    pub funcref: VMFuncRef,
    /// Its type (shared with the declaration it was created from, if any).
    pub ty: Arc<FuncType>,
    store: *const Store,
    func: HostBody,
    /// Its listener hooks, set once when a host module exporting it is registered in a
    /// store with a listener factory.
    hooks: OnceLock<Arc<dyn FunctionHooks>>,
}

impl HostFuncContext {
    /// Creates a host function in `store` and returns its stable address.
    pub fn create(store: &Store, ty: FuncType, func: HostFn) -> *mut HostFuncContext {
        let type_id = type_registry::intern(&ty);
        Self::create_with_type_id(store, Arc::new(ty), type_id, HostBody::Closure(func))
    }

    /// [`Self::create`] for a type already interned as `type_id`
    /// ([`type_registry::intern`] of `ty`).
    pub fn create_with_type_id(
        store: &Store,
        ty: Arc<FuncType>,
        type_id: VMSharedTypeId,
        func: HostBody,
    ) -> *mut HostFuncContext {
        let p = store.push_host_func(Box::new(Self::new(store, ty, type_id, func)));
        // SAFETY: `p` is the live, store-owned context just pushed.
        unsafe { (*p).funcref.vmctx = p.cast() };
        p
    }

    /// Writes a new host function context to `slot`, its funcref pointing back to it.
    ///
    /// # Safety
    /// `slot` must be valid for writes of a `HostFuncContext`, hold none (nothing is
    /// dropped), not be referenced, and stay at its address, owned by `store`'s lifetime,
    /// until the context is dropped in place.
    pub(super) unsafe fn write_to(
        slot: *mut HostFuncContext,
        store: &Store,
        ty: Arc<FuncType>,
        type_id: VMSharedTypeId,
        func: HostBody,
    ) {
        // SAFETY: per this function's contract.
        unsafe {
            slot.write(Self::new(store, ty, type_id, func));
            (*slot).funcref.vmctx = slot.cast();
        }
    }

    /// A context with a funcref whose `vmctx` is not set yet.
    fn new(store: &Store, ty: Arc<FuncType>, type_id: VMSharedTypeId, func: HostBody) -> Self {
        debug_assert_eq!(type_id, type_registry::intern(&ty));
        HostFuncContext {
            magic: HOST_FUNC_MAGIC,
            funcref: VMFuncRef {
                array_call: host_array_call,
                wasm_call: std::ptr::null(),
                type_id,
                vmctx: std::ptr::null_mut(),
            },
            ty,
            store,
            func,
            hooks: OnceLock::new(),
        }
    }

    /// The host function behind `funcref`, if it is one (the funcref of a host function's
    /// context).
    ///
    /// # Safety
    /// `funcref` must point to a live funcref.
    pub unsafe fn of_funcref<'a>(funcref: *const VMFuncRef) -> Option<&'a HostFuncContext> {
        // SAFETY: per this function's contract.
        let f = unsafe { &*funcref };
        if !std::ptr::fn_addr_eq(f.array_call, host_array_call as ArrayCallFn) {
            return None;
        }
        // SAFETY: a funcref whose array-call entry is `host_array_call` is the `funcref`
        // field of a store-owned context, and its `vmctx` points to that context.
        let ctx = unsafe { &*(f.vmctx as *const HostFuncContext) };
        debug_assert_eq!(ctx.magic, HOST_FUNC_MAGIC);
        Some(ctx)
    }

    /// Listens to this function with `hooks` from now on; a function already listened
    /// keeps its first hooks (returns `false`).
    pub fn listen(&self, hooks: Arc<dyn FunctionHooks>) -> bool {
        self.hooks.set(hooks).is_ok()
    }

    /// Whether the function is listened.
    pub fn is_listened(&self) -> bool {
        self.hooks.get().is_some()
    }
}

/// The array-call entry of every host function.
///
/// # Safety
/// `callee` must be a live [`HostFuncContext`];
/// `args` must point to `len` slots, `len >= max(params, results)`.
unsafe extern "C" fn host_array_call(
    callee: *mut VMOpaqueContext,
    caller: *mut VMContext,
    args: *mut ValRaw,
    len: usize,
) -> bool {
    // SAFETY: per this function's contract.
    let ctx = unsafe { &*(callee as *const HostFuncContext) };
    debug_assert_eq!(ctx.magic, HOST_FUNC_MAGIC);
    // SAFETY: the store owns the context and outlives every call into it.
    let store = unsafe { &*ctx.store };
    let instance = if caller.is_null() {
        std::ptr::null_mut()
    } else {
        // SAFETY: a non-null caller is an instance VMContext, which starts with the header.
        unsafe { (*(caller as *const VMContextHeader)).instance.cast() }
    };
    // SAFETY: per this function's contract.
    let slots = unsafe { std::slice::from_raw_parts_mut(args, len) };
    let mut caller = CallerCtx { store, instance };
    let hooks = ctx.hooks.get();
    let depth = if hooks.is_some() { store.listened_depth() } else { 0 };
    let mut result = match hooks {
        Some(h) => store.listen_before(h, &slots[..ctx.ty.params().len()]),
        None => Ok(()),
    };
    if result.is_ok() {
        result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &ctx.func {
            HostBody::Closure(f) => f(&mut caller, slots),
            HostBody::Fn(f) => f(&mut caller, slots),
        }))
        .unwrap_or_else(|panic| {
            Err(Unwind::Trap(crate::Trap::host_panic("host function", &*panic)))
        });
    }
    if hooks.is_some() {
        result = result.and_then(|()| store.listen_after(&slots[..ctx.ty.results().len()]));
        if let Err(u) = &result {
            // The host frame ends here, before the frames that called it.
            store.abort_listened(depth, AbortCause::Unwind(u));
        }
    }
    match result {
        Ok(()) => true,
        Err(u) => {
            store.set_pending_unwind(u);
            false
        }
    }
}
