//! The store: owner of every instance, host function, memory, table and global created in
//! one runtime, and of the per-store execution state (DESIGN.md: "a pointer to
//! per-thread/store state").
//!
//! A store and everything in it live on one thread; objects are freed when the store is
//! dropped (as with wasmtime's `Store` and wazero's `Runtime.Close`).

use super::exception::Exceptions;
use super::externref::ExternRefs;
use super::host_func::HostFuncContext;
use super::interp_stack::InterpStack;
use super::memory::{LinearMemory, MemoryStyle};
use super::table::Table;
use super::tag::VMTag;
use super::vmcontext::*;
use crate::error::{ResourceError, Unwind};
use crate::instance::InstanceData;
use std::cell::{Cell, RefCell, UnsafeCell};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// Limits and knobs a store is created with.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// How memories reserve address space, and the page limit.
    pub memory: MemoryStyle,
    /// Size of the interpreter's value stack, in 8-byte slots (reserved when the store
    /// first instantiates a module that runs on the interpreter).
    pub interp_stack_slots: usize,
    /// Most nested wasm calls (frames) before `call stack exhausted`.
    pub max_call_depth: usize,
    /// Whether code of this store carries interruption checks: each outermost call from
    /// the host then runs until the epoch counter advances past its value at the call's
    /// start (see [`Store::epoch`]).
    pub interruption: bool,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            memory: MemoryStyle::default(),
            interp_stack_slots: 1 << 20,
            max_call_depth: 50_000,
            interruption: false,
        }
    }
}

/// A memory created by the host (not by a module), with its definition.
pub struct HostMemory {
    /// The definition wasm reads.
    pub def: Box<VMMemoryDefinition>,
    /// The memory.
    pub memory: LinearMemory,
}

/// A table created by the host, with its definition.
pub struct HostTable {
    /// The definition wasm reads.
    pub def: Box<VMTableDefinition>,
    /// The table.
    pub table: Table,
}

/// See the module documentation.
#[allow(clippy::vec_box)] // boxed so each object keeps its address when the Vec grows
pub struct Store {
    ctx: UnsafeCell<VMStoreContext>,
    config: StoreConfig,
    instances: RefCell<Vec<Box<InstanceData>>>,
    host_funcs: RefCell<Vec<Box<HostFuncContext>>>,
    host_memories: RefCell<Vec<Box<HostMemory>>>,
    host_tables: RefCell<Vec<Box<HostTable>>>,
    host_globals: RefCell<Vec<Box<VMGlobalDefinition>>>,
    externrefs: RefCell<ExternRefs>,
    tags: RefCell<Vec<Box<VMTag>>>,
    /// Exceptions thrown in this store ([`Exceptions`]).
    pub exceptions: RefCell<Exceptions>,
    pending: RefCell<Option<Unwind>>,
    /// Interpreter value stack (8-byte slots; reserved on demand, see
    /// [`Store::ensure_interp_stack`]) and its in-use top.
    pub(crate) interp_stack: UnsafeCell<InterpStack>,
    pub(crate) interp_top: Cell<usize>,
    pub(crate) call_depth: Cell<usize>,
    /// Calls from the host into wasm in progress (nested through host functions).
    host_entries: Cell<usize>,
    epoch: Arc<AtomicU64>,
    self_ref: Weak<Store>,
}

impl Store {
    /// A new, empty store.
    pub fn new(config: StoreConfig) -> Rc<Store> {
        let epoch = Arc::new(AtomicU64::new(0));
        Rc::new_cyclic(|weak: &Weak<Store>| Store {
            ctx: UnsafeCell::new(VMStoreContext {
                stack_limit: 0,
                epoch_deadline: u64::MAX,
                epoch_counter: Arc::as_ptr(&epoch),
                last_wasm_entry_fp: 0,
                store: weak.as_ptr().cast(),
            }),
            interp_stack: UnsafeCell::new(InterpStack::new(config.interp_stack_slots)),
            interp_top: Cell::new(0),
            call_depth: Cell::new(0),
            host_entries: Cell::new(0),
            config,
            instances: RefCell::default(),
            host_funcs: RefCell::default(),
            host_memories: RefCell::default(),
            host_tables: RefCell::default(),
            host_globals: RefCell::default(),
            externrefs: RefCell::default(),
            tags: RefCell::default(),
            exceptions: RefCell::default(),
            pending: RefCell::default(),
            epoch,
            self_ref: weak.clone(),
        })
    }

    /// A strong handle to this store.
    pub fn rc(&self) -> Rc<Store> {
        self.self_ref.upgrade().expect("a live store is always reachable from itself")
    }

    /// The store's configuration.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Reserves the interpreter's value stack unless it already is (instantiating a module
    /// that runs on the interpreter calls this first). A reserved stack never moves.
    ///
    /// # Errors
    /// [`ResourceError`] when the host refuses the mapping.
    pub fn ensure_interp_stack(&self) -> Result<(), ResourceError> {
        // SAFETY: the store lives on this thread. Once reserved the stack is only read here
        // (interpreter frames may hold pointers into it); before that, no frame can exist
        // (an empty stack makes every interpreted call fail), so nothing aliases the
        // exclusive borrow that reserves it.
        unsafe {
            if !(*self.interp_stack.get()).is_empty() {
                return Ok(());
            }
            (*self.interp_stack.get()).ensure()
        }
    }

    /// The shared state compiled code and the interpreter read.
    pub fn vm_context(&self) -> *mut VMStoreContext {
        self.ctx.get()
    }

    /// The epoch counter that interruption checks compare with the deadline.
    pub fn epoch(&self) -> &Arc<AtomicU64> {
        &self.epoch
    }

    /// Marks the start of a call from the host; the outermost one of an interruptible store
    /// sets the epoch deadline to one past the current epoch, so an interruption that
    /// happens from now on (and only those) stops it. Pair with [`Store::leave_from_host`].
    pub fn enter_from_host(&self) {
        let n = self.host_entries.get();
        if n == 0 && self.config.interruption {
            let now = self.epoch.load(std::sync::atomic::Ordering::Relaxed);
            // SAFETY: the context is only accessed from this store's thread, and no wasm of
            // this store runs at an outermost entry.
            unsafe { (*self.ctx.get()).epoch_deadline = now.saturating_add(1) };
        }
        self.host_entries.set(n + 1);
    }

    /// Marks the end of a call from the host (see [`Store::enter_from_host`]).
    pub fn leave_from_host(&self) {
        self.host_entries.set(self.host_entries.get().saturating_sub(1));
    }

    /// Records why the current call unwinds (read back by the host-to-wasm entry).
    pub fn set_pending_unwind(&self, u: Unwind) {
        *self.pending.borrow_mut() = Some(u);
    }

    /// Takes the recorded unwind reason, if any.
    pub fn take_pending_unwind(&self) -> Option<Unwind> {
        self.pending.borrow_mut().take()
    }

    /// Takes ownership of an instance; returns its stable address.
    pub(crate) fn push_instance(&self, mut inst: Box<InstanceData>) -> *mut InstanceData {
        let p: *mut InstanceData = &mut *inst;
        self.instances.borrow_mut().push(inst);
        p
    }

    /// Takes ownership of a host function context; returns its stable address.
    pub fn push_host_func(&self, mut f: Box<HostFuncContext>) -> *mut HostFuncContext {
        let p: *mut HostFuncContext = &mut *f;
        self.host_funcs.borrow_mut().push(f);
        p
    }

    /// Takes ownership of a host memory, binding it to its definition; returns its address.
    pub fn push_host_memory(&self, memory: LinearMemory) -> *mut HostMemory {
        let mut m = Box::new(HostMemory {
            def: Box::new(VMMemoryDefinition { base: std::ptr::null_mut(), current_length: 0 }),
            memory,
        });
        let def: *mut VMMemoryDefinition = &mut *m.def;
        // SAFETY: the definition is boxed next to the memory and lives exactly as long.
        unsafe { m.memory.bind(def) };
        let p: *mut HostMemory = &mut *m;
        self.host_memories.borrow_mut().push(m);
        p
    }

    /// Takes ownership of a host table, binding it to its definition; returns its address.
    pub fn push_host_table(&self, table: Table) -> *mut HostTable {
        let mut t = Box::new(HostTable {
            def: Box::new(VMTableDefinition { base: std::ptr::null_mut(), current_elements: 0 }),
            table,
        });
        let def: *mut VMTableDefinition = &mut *t.def;
        // SAFETY: the definition is boxed next to the table and lives exactly as long.
        unsafe { t.table.bind(def) };
        let p: *mut HostTable = &mut *t;
        self.host_tables.borrow_mut().push(t);
        p
    }

    /// Takes ownership of a host global's storage; returns its stable address.
    pub fn push_host_global(&self, value: ValRaw) -> *mut VMGlobalDefinition {
        let mut g = Box::new(VMGlobalDefinition::default());
        g.set(value);
        let p: *mut VMGlobalDefinition = &mut *g;
        self.host_globals.borrow_mut().push(g);
        p
    }

    /// A new tag of canonical function type `type_id`, owned by the store; its address is
    /// its identity ([`VMTag`]).
    pub fn new_tag(&self, type_id: VMSharedTypeId) -> *const VMTag {
        let t = Box::new(VMTag { type_id });
        let p: *const VMTag = &*t;
        self.tags.borrow_mut().push(t);
        p
    }

    /// A name for `tag` for messages: `module.name` of an export of it (the defining
    /// instance's name, if it has one), else of an import of it; `None` when no instance of
    /// the store exports or imports it.
    pub fn tag_name(&self, tag: *const VMTag) -> Option<String> {
        use crate::module::EntityIndex;
        let instances = self.instances.borrow();
        let of = |i: &InstanceData, index: EntityIndex| matches!(index, EntityIndex::Tag(t) if std::ptr::eq(i.tags[t as usize], tag));
        let exported = instances.iter().find_map(|i| {
            let e = i.module.info.exports.iter().find(|e| of(i, e.index))?;
            Some(format!("{}.{}", i.name.as_deref().unwrap_or("<instance>"), e.name))
        });
        exported.or_else(|| {
            instances.iter().find_map(|i| {
                let m = i.module.info.imports.iter().find(|m| of(i, m.index))?;
                Some(format!("{}.{}", m.module, m.name))
            })
        })
    }

    /// The raw reference for an externref value (see [`ExternRefs::to_raw`]).
    pub fn externref_to_raw(&self, v: &super::ExternRef) -> usize {
        self.externrefs.borrow_mut().to_raw(v)
    }

    /// The externref value behind a raw reference.
    pub fn externref_from_raw(&self, raw: usize) -> Option<super::ExternRef> {
        self.externrefs.borrow().from_raw(raw)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // Instances refer to host objects and to each other; drop instances first.
        self.instances.get_mut().clear();
    }
}
