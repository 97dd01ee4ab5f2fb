//! Instances: a module's runtime state in the VM layout (spec 4.2.5, "Module Instances").

mod handle;
mod instantiate;
mod lifecycle;
mod resolve;
mod table_ops;

pub use handle::InstanceHandle;
pub use instantiate::{ImportResolver, instantiate, instantiate_with_host_data};
pub use lifecycle::Lifecycle;
pub use resolve::{Extern, GlobalRef, MemoryRef, TableRef};

use crate::engine::Module;
use crate::module::EntityIndex;
use crate::vm::*;
use std::alloc::Layout;
use std::any::Any;
use std::cell::Cell;
use std::sync::Arc;

/// An interpreted function's array-call context: what its funcref's `vmctx` points to.
#[repr(C)]
#[derive(Debug)]
pub struct InterpFuncContext {
    /// [`INTERP_FUNC_MAGIC`].
    pub magic: u32,
    /// The function's index in its module.
    pub func_index: u32,
    /// The instance the function belongs to.
    pub instance: *mut InstanceData,
}

/// Magic at the start of every [`InterpFuncContext`]: `"intp"`.
pub const INTERP_FUNC_MAGIC: u32 = u32::from_le_bytes(*b"intp");

/// One instance's state. Owned by its [`Store`], which frees it once nothing can reach it
/// ([`Lifecycle`]) or when the store is dropped.
#[allow(clippy::vec_box)] // boxed so each object keeps its address when the Vec grows
pub struct InstanceData {
    /// The module instantiated.
    pub module: Arc<Module>,
    /// The VMContext layout.
    pub offsets: VMOffsets,
    vmctx: *mut u8,
    layout: Layout,
    /// Every memory, imported ones first.
    pub memories: Vec<MemoryRef>,
    /// Every table, imported ones first.
    pub tables: Vec<TableRef>,
    /// Every global's storage, imported ones first.
    pub globals: Vec<*mut VMGlobalDefinition>,
    /// Every tag, imported ones first (owned by the store; imported ones are the
    /// exporter's, so the same tag).
    pub tags: Vec<*const VMTag>,
    owned_memories: Vec<Box<LinearMemory>>,
    /// A handle to every shared memory the instance defines or imports, which keeps it
    /// alive while the instance lives.
    shared_memories: Vec<SharedMemory>,
    owned_tables: Vec<Box<Table>>,
    /// `elem.drop` flags, by element segment index.
    pub dropped_elems: Box<[Cell<bool>]>,
    /// The raw references of each passive element segment (empty for others).
    pub elem_values: Vec<Box<[usize]>>,
    /// `data.drop` flags, by data segment index.
    pub dropped_data: Box<[Cell<bool>]>,
    /// The name this instance was given (ModuleConfig or name section).
    pub name: Option<String>,
    /// Array-call contexts of the defined functions when the module is interpreted (empty
    /// for native code, whose funcrefs point at the VMContext).
    interp_funcs: Box<[InterpFuncContext]>,
    store: *const Store,
    host_data: HostData,
    /// The listener hooks of each defined function, by defined-function index (empty when
    /// the store has no listener factory; see [`crate::vm::listener`]).
    listeners: Box<[Option<Arc<dyn crate::vm::listener::FunctionHooks>>]>,
    /// What keeps the instance alive.
    pub lifecycle: Lifecycle,
}

// SAFETY: an instance is owned by its store and accessed only under the store lock (see
// `Store`'s `Send`/`Sync` impls); its raw pointers point into that store.
unsafe impl Send for InstanceData {}
// SAFETY: as above.
unsafe impl Sync for InstanceData {}

/// The host-data slot of an instance: values of any types the embedder or a host module
/// (WASI keeps each instance's state here) attached when instantiating, at most one per
/// type, found by type (wazero's `ModuleInstance.Sys`). Values are `Send`: the instance's
/// store may move to another thread; they are only reached under the store lock, so they
/// need not be `Sync` (a `RefCell` or `Cell` inside is fine).
#[derive(Default)]
pub struct HostData {
    values: Vec<Box<dyn Any + Send>>,
}

impl HostData {
    /// Attaches `value`, replacing a value of the same type.
    pub fn insert<T: Any + Send>(&mut self, value: T) {
        self.values.retain(|v| !v.is::<T>());
        self.values.push(Box::new(value));
    }

    /// The value of type `T`, if one is attached.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.values.iter().find_map(|v| v.downcast_ref::<T>())
    }
}

impl InstanceData {
    /// The listener hooks of function `func_index` (a defined function), if it is listened.
    #[inline]
    pub fn listener(
        &self,
        func_index: u32,
    ) -> Option<&Arc<dyn crate::vm::listener::FunctionHooks>> {
        let defined = func_index.checked_sub(self.module.info.num_imported_funcs)?;
        self.listeners.get(defined as usize)?.as_ref()
    }

    /// The instance's VMContext.
    pub fn vmctx(&self) -> *mut VMContext {
        self.vmctx.cast()
    }

    /// The VMContext's address range `[start, end)`.
    pub(crate) fn vmctx_range(&self) -> (usize, usize) {
        (self.vmctx as usize, self.vmctx as usize + self.layout.size())
    }

    /// The store owning this instance.
    pub fn store(&self) -> &Store {
        // SAFETY: the store owns the instance and so outlives it.
        unsafe { &*self.store }
    }

    /// The canonical type id of the module's type `ty`.
    pub fn type_id(&self, ty: u32) -> VMSharedTypeId {
        self.module.info.shared_type_ids()[ty as usize]
    }

    fn at<T>(&self, offset: u32) -> *mut T {
        debug_assert!(
            offset as usize + size_of::<T>() <= self.offsets.size() as usize,
            "VMContext field at {offset} of {} bytes",
            self.offsets.size()
        );
        // SAFETY: offsets come from `self.offsets` and lie within the VMContext allocation
        // (debug-asserted above and per region by the `VMOffsets` accessors).
        unsafe { self.vmctx.add(offset as usize).cast() }
    }

    /// The funcref of function `f` (function index space).
    pub fn funcref(&self, f: u32) -> *mut VMFuncRef {
        self.at(self.offsets.funcref(f))
    }

    /// The import record of imported function `f`.
    pub fn func_import(&self, f: u32) -> *mut VMFunctionImport {
        self.at(self.offsets.imported_func(f))
    }

    /// The array-call context of defined function `f` on the interpreter.
    pub fn interp_func_ctx(&self, f: u32) -> *mut InterpFuncContext {
        let i = (f - self.module.info.num_imported_funcs) as usize;
        &self.interp_funcs[i] as *const InterpFuncContext as *mut InterpFuncContext
    }

    /// The entity behind an export or index.
    pub fn get_entity(&self, index: EntityIndex) -> Extern {
        match index {
            EntityIndex::Func(f) => Extern::Func(self.funcref(f)),
            EntityIndex::Table(t) => Extern::Table(self.tables[t as usize]),
            EntityIndex::Memory(m) => Extern::Memory(self.memories[m as usize]),
            EntityIndex::Global(g) => Extern::Global(GlobalRef {
                def: self.globals[g as usize],
                ty: self.module.info.globals[g as usize]
                    .ty
                    .canonical(&self.module.info.canonical_ids()),
            }),
            EntityIndex::Tag(t) => Extern::Tag(self.tags[t as usize]),
        }
    }

    /// The value of type `T` in the instance's host-data slot, if one was attached when it
    /// was instantiated ([`instantiate_with_host_data`]).
    pub fn host_data<T: Any>(&self) -> Option<&T> {
        self.host_data.get::<T>()
    }

    /// The export named `name`.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.module.info.export(name).map(|e| self.get_entity(e.index))
    }
}

impl Drop for InstanceData {
    fn drop(&mut self) {
        // SAFETY: allocated in `instantiate` with exactly this layout.
        unsafe { std::alloc::dealloc(self.vmctx, self.layout) };
    }
}
