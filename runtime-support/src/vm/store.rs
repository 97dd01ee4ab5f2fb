//! The store: owner of every instance, host function, memory, table and global created in
//! one runtime, and of the per-store execution state (DESIGN.md: "a pointer to
//! per-thread/store state").
//!
//! A store may move between threads and be reached from several, but one thread at a time
//! owns it: everything that reads or changes its state holds its [`StoreLock`]
//! ([`Store::lock`]). Host objects are freed when the store is dropped (as with wasmtime's
//! `Store` and wazero's `Runtime.Close`); an instance is freed earlier, once nothing can
//! reach it any more (see [`Store::release_instance`]).

use super::exception::Exceptions;
use super::externref::ExternRefs;
use super::host_func::HostFuncContext;
use super::interp_stack::InterpStack;
use super::limiter::ResourceLimiter;
use super::memory::{LinearMemory, MemoryStyle};
use super::namespace::Namespaces;
use super::store_lock::{StoreGuard, StoreLock};
use super::table::Table;
use super::tag::VMTag;
use super::vmcontext::*;
use crate::error::{ResourceError, Unwind};
use crate::instance::InstanceData;
use std::cell::{Cell, RefCell, UnsafeCell};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Weak};

/// Limits and knobs a store is created with.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// How memories reserve address space, and the page limit.
    pub memory: MemoryStyle,
    /// How the shared memories that modules of this store define reserve address space
    /// (they reserve their maximum whatever this says). A shared memory may be imported by
    /// instances of other stores, whose compiled code may rely on a larger reservation than
    /// this store's own memories need; an import whose reservation is too small for the
    /// importer is refused. The `kiln` facade gives every store the reservation of native
    /// code with guard pages here, so every store can import every shared memory.
    pub shared_memory: MemoryStyle,
    /// Size of the interpreter's value stack, in 8-byte slots (reserved when the store
    /// first instantiates a module that runs on the interpreter).
    pub interp_stack_slots: usize,
    /// Most nested wasm calls (frames) before `call stack exhausted`.
    pub max_call_depth: usize,
    /// Whether code of this store carries interruption checks: wasm then runs until the
    /// epoch counter reaches the deadline, one past its value when the store was created
    /// or last reset ([`Store::reset_deadline`]); an interruption stays in force until then.
    pub interruption: bool,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            memory: MemoryStyle::default(),
            shared_memory: MemoryStyle::default(),
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

/// Where a store keeps its instances: a slab of boxes (each keeps its address), slots
/// reused after an instance is freed, and the VMContext address ranges, so that a funcref
/// pointer can be traced to the instance whose VMContext holds it.
#[derive(Default)]
struct Instances {
    slots: Vec<Option<Box<InstanceData>>>,
    free: Vec<usize>,
    /// VMContext start address -> (end address, slot).
    by_address: BTreeMap<usize, (usize, usize)>,
}

impl Instances {
    /// The live instances, in slot order.
    fn iter(&self) -> impl Iterator<Item = &InstanceData> {
        self.slots.iter().filter_map(|s| s.as_deref())
    }
}

/// See the module documentation.
#[allow(clippy::vec_box)] // boxed so each object keeps its address when the Vec grows
pub struct Store {
    lock: StoreLock,
    ctx: UnsafeCell<VMStoreContext>,
    config: StoreConfig,
    instances: RefCell<Instances>,
    host_funcs: RefCell<Vec<Box<HostFuncContext>>>,
    host_memories: RefCell<Vec<Box<HostMemory>>>,
    host_tables: RefCell<Vec<Box<HostTable>>>,
    host_globals: RefCell<Vec<Box<VMGlobalDefinition>>>,
    /// Shared memories host modules of this store export (kept alive with the store).
    shared_memories: RefCell<Vec<super::SharedMemory>>,
    externrefs: RefCell<ExternRefs>,
    tags: RefCell<Vec<Box<VMTag>>>,
    /// Exceptions thrown in this store ([`Exceptions`]).
    pub exceptions: RefCell<Exceptions>,
    pending: RefCell<Option<Unwind>>,
    namespaces: RefCell<Namespaces>,
    limiter: RefCell<Option<Arc<dyn ResourceLimiter>>>,
    /// Gives new instances' functions their listener hooks ([`super::listener`]).
    pub(super) listener_factory: RefCell<Option<Arc<dyn super::listener::ListenerFactory>>>,
    /// The listened frames running, outermost first ([`super::listener`]).
    pub(super) listened: RefCell<Vec<Arc<dyn super::listener::FunctionHooks>>>,
    /// Interpreter value stack (8-byte slots; reserved on demand, see
    /// [`Store::ensure_interp_stack`]) and its in-use top.
    pub(crate) interp_stack: UnsafeCell<InterpStack>,
    pub(crate) interp_top: Cell<usize>,
    pub(crate) call_depth: Cell<usize>,
    epoch: Arc<AtomicU64>,
    self_ref: Weak<Store>,
}

// SAFETY: every `Cell`, `RefCell` and `UnsafeCell` of a store, and the instances, memories,
// tables and host objects it owns, are accessed only by the thread holding the store lock
// (the public entry points of the `kiln` facade take it; wasm and the host functions it
// calls run under it). Host functions and host data are `Send + Sync` and `Send`.
unsafe impl Send for Store {}
// SAFETY: as above.
unsafe impl Sync for Store {}

impl Store {
    /// A new, empty store.
    pub fn new(config: StoreConfig) -> Arc<Store> {
        let epoch = Arc::new(AtomicU64::new(0));
        Arc::new_cyclic(|weak: &Weak<Store>| Store {
            lock: StoreLock::default(),
            ctx: UnsafeCell::new(VMStoreContext {
                stack_limit: 0,
                epoch_deadline: if config.interruption { 1 } else { u64::MAX },
                epoch_counter: Arc::as_ptr(&epoch),
                last_wasm_entry_fp: 0,
                store: weak.as_ptr().cast(),
                fuel: 0,
            }),
            interp_stack: UnsafeCell::new(InterpStack::new(config.interp_stack_slots)),
            interp_top: Cell::new(0),
            call_depth: Cell::new(0),
            config,
            instances: RefCell::default(),
            host_funcs: RefCell::default(),
            host_memories: RefCell::default(),
            host_tables: RefCell::default(),
            host_globals: RefCell::default(),
            shared_memories: RefCell::default(),
            externrefs: RefCell::default(),
            tags: RefCell::default(),
            exceptions: RefCell::default(),
            pending: RefCell::default(),
            namespaces: RefCell::default(),
            limiter: RefCell::default(),
            listener_factory: RefCell::default(),
            listened: RefCell::default(),
            epoch,
            self_ref: weak.clone(),
        })
    }

    /// A strong handle to this store.
    pub fn arc(&self) -> Arc<Store> {
        self.self_ref.upgrade().expect("a live store is always reachable from itself")
    }

    /// Makes the current thread the store's owner until the guard drops (re-entrant; waits
    /// while another thread owns it). Everything that reads or changes the store's state,
    /// including calls into wasm, runs under it.
    pub fn lock(&self) -> StoreGuard<'_> {
        self.lock.lock()
    }

    /// Whether the current thread holds the store lock.
    pub fn is_locked_here(&self) -> bool {
        self.lock.is_owned_here()
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

    /// Sets the fuel left (see [`VMStoreContext::fuel`]); call with the store lock held.
    pub fn set_fuel(&self, fuel: u64) {
        // SAFETY: the lock holder is the only thread touching the context.
        unsafe { (*self.ctx.get()).fuel = fuel.min(i64::MAX as u64) as i64 };
    }

    /// The fuel left; call with the store lock held.
    pub fn fuel(&self) -> u64 {
        // SAFETY: as in `set_fuel`.
        unsafe { (*self.ctx.get()).fuel.max(0) as u64 }
    }

    /// The epoch counter that interruption checks compare with the deadline.
    pub fn epoch(&self) -> &Arc<AtomicU64> {
        &self.epoch
    }

    /// Moves the epoch deadline of an interruptible store to one past the current epoch:
    /// interruptions so far are forgotten, later ones stop wasm again. Call with the store
    /// lock held.
    pub fn reset_deadline(&self) {
        if self.config.interruption {
            let now = self.epoch.load(std::sync::atomic::Ordering::Relaxed);
            // SAFETY: the lock holder is the only thread touching the context.
            unsafe { (*self.ctx.get()).epoch_deadline = now.saturating_add(1) };
        }
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
        let mut instances = self.instances.borrow_mut();
        let slot = instances.free.pop().unwrap_or_else(|| {
            instances.slots.push(None);
            instances.slots.len() - 1
        });
        inst.lifecycle.slot = slot;
        let (start, end) = inst.vmctx_range();
        instances.by_address.insert(start, (end, slot));
        instances.slots[slot] = Some(inst);
        p
    }

    /// The instance whose VMContext holds the address `p` (a funcref of one of its
    /// functions, defined or imported), if any: host function contexts belong to no
    /// instance.
    pub fn instance_holding(&self, p: *const u8) -> Option<*mut InstanceData> {
        let instances = self.instances.borrow();
        let (_, &(end, slot)) = instances.by_address.range(..=p as usize).next_back()?;
        if (p as usize) >= end {
            return None;
        }
        instances.slots[slot].as_deref().map(|i| i as *const InstanceData as *mut InstanceData)
    }

    /// The store's registered module names (hold the store lock while using them, and do
    /// not hold the borrow across calls into wasm).
    pub fn namespaces(&self) -> std::cell::RefMut<'_, Namespaces> {
        self.namespaces.borrow_mut()
    }

    /// Sets the limiter consulted before growth and instantiation (see
    /// [`ResourceLimiter`]); call with the store lock held.
    pub fn set_limiter(&self, limiter: Option<Arc<dyn ResourceLimiter>>) {
        *self.limiter.borrow_mut() = limiter;
    }

    fn limiter(&self) -> Option<Arc<dyn ResourceLimiter>> {
        self.limiter.borrow().clone()
    }

    /// Whether a memory of the store may grow from `current` to `desired` pages (the
    /// limiter's answer; `true` without one or when it does not grow).
    pub fn memory_growing(&self, current: u64, desired: u64) -> bool {
        desired <= current || self.limiter().is_none_or(|l| l.memory_growing(current, desired))
    }

    /// Whether a table of the store may grow from `current` to `desired` elements.
    pub fn table_growing(&self, current: u64, desired: u64) -> bool {
        desired <= current || self.limiter().is_none_or(|l| l.table_growing(current, desired))
    }

    /// Whether another instance may be created now.
    pub fn instantiating(&self) -> bool {
        let n = self.instance_count();
        self.limiter().is_none_or(|l| l.instantiating(n))
    }

    /// Number of instances the store holds now.
    pub fn instance_count(&self) -> usize {
        let instances = self.instances.borrow();
        instances.slots.len() - instances.free.len()
    }

    /// Frees `instance` (its VMContext, memories, tables, host data) if nothing can reach
    /// it any more: no handle, no name, no importer, and none of its function references
    /// escaped (see [`crate::instance::Lifecycle`]). Freeing it may free the instances it
    /// imported from in turn. Call with the store lock held.
    ///
    /// # Safety
    /// `instance` must be an instance of this store that was not freed.
    pub unsafe fn release_instance(&self, instance: *mut InstanceData) {
        let mut pending = vec![instance];
        while let Some(p) = pending.pop() {
            // SAFETY: per the contract for the first; the providers pinned below stay live
            // while pinned.
            let inst = unsafe { &*p };
            if !inst.lifecycle.unreachable() {
                continue;
            }
            let boxed = {
                let mut instances = self.instances.borrow_mut();
                let slot = inst.lifecycle.slot;
                let (start, _) = inst.vmctx_range();
                instances.by_address.remove(&start);
                instances.free.push(slot);
                instances.slots[slot].take()
            };
            if let Some(boxed) = boxed {
                for &provider in &boxed.lifecycle.providers {
                    // SAFETY: a pinned provider stays live until its importers are freed.
                    unsafe { (*provider).lifecycle.pins.set((*provider).lifecycle.pins.get() - 1) };
                    pending.push(provider);
                }
                drop(boxed);
            }
        }
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
            def: Box::new(VMMemoryDefinition::new(std::ptr::null_mut(), 0)),
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

    /// Keeps `memory` alive as long as the store (a host module of the store exports it).
    pub fn keep_shared_memory(&self, memory: super::SharedMemory) {
        let mut kept = self.shared_memories.borrow_mut();
        if !kept.iter().any(|m| std::ptr::eq(m.as_ptr(), memory.as_ptr())) {
            kept.push(memory);
        }
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
        // Instances refer to host objects (declared host functions live in the names) and
        // to each other; drop instances first.
        let names = std::mem::take(self.namespaces.get_mut());
        self.instances.get_mut().slots.clear();
        drop(names);
    }
}
