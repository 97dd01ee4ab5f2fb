//! Host functions: Rust closures callable from wasm through the array-call convention.

use super::store::Store;
use super::type_registry;
use super::vmcontext::*;
use crate::error::Unwind;
use crate::instance::InstanceData;
use crate::types::FuncType;

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

/// Magic at the start of every host function context: `"host"`.
pub const HOST_FUNC_MAGIC: u32 = u32::from_le_bytes(*b"host");

/// A host function's context: what its funcref's `vmctx` points to.
#[repr(C)]
pub struct HostFuncContext {
    magic: u32,
    /// This function's funcref (its `vmctx` points back here).
    pub funcref: VMFuncRef,
    /// Its type.
    pub ty: FuncType,
    store: *const Store,
    func: HostFn,
}

impl HostFuncContext {
    /// Creates a host function in `store` and returns its stable address.
    pub fn create(store: &Store, ty: FuncType, func: HostFn) -> *mut HostFuncContext {
        let type_id = type_registry::intern(&ty);
        let ctx = Box::new(HostFuncContext {
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
        });
        let p = store.push_host_func(ctx);
        // SAFETY: `p` is the live, store-owned context just pushed.
        unsafe { (*p).funcref.vmctx = p.cast() };
        p
    }
}

/// The array-call entry of every host function.
///
/// # Safety
/// `callee` must be a [`HostFuncContext`] created by [`HostFuncContext::create`];
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
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (ctx.func)(&mut caller, slots)));
    match result {
        Ok(Ok(())) => true,
        Ok(Err(u)) => {
            store.set_pending_unwind(u);
            false
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "host function panicked".to_string());
            store.set_pending_unwind(Unwind::Trap(crate::Trap::host(format!(
                "host function panicked: {msg}"
            ))));
            false
        }
    }
}
