//! Resolved imports and exports, and import matching (spec 4.5.2, "Import Subtyping").

use crate::error::{LinkError, LinkErrorKind};
use crate::module::EntityIndex;
use crate::types::{ExternType, GlobalType, Limits, MemoryType, TableType};
use crate::vm::*;

/// A memory as seen from outside its owner: its definition and the object that grows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryRef {
    /// The definition wasm reads (base, length).
    pub def: *mut VMMemoryDefinition,
    /// The owning memory object of an unshared memory (null for a shared one).
    pub memory: *mut LinearMemory,
    /// The shared memory (threads proposal), or null for an unshared one; kept alive by a
    /// [`SharedMemory`] handle of every instance and store that can reach this ref.
    pub shared: *const SharedLinearMemory,
}

impl MemoryRef {
    /// The ref of the unshared memory `memory` with definition `def`.
    pub fn unshared(def: *mut VMMemoryDefinition, memory: *mut LinearMemory) -> Self {
        Self { def, memory, shared: std::ptr::null() }
    }

    /// The ref of the shared memory `m`.
    pub fn of_shared(m: &SharedMemory) -> Self {
        Self { def: m.def(), memory: std::ptr::null_mut(), shared: m.as_ptr() }
    }

    /// A new handle to the shared memory, if this is one.
    pub fn shared_memory(&self) -> Option<SharedMemory> {
        // SAFETY: a non-null `shared` is kept alive by whoever holds this ref (see the field).
        (!self.shared.is_null()).then(|| unsafe { SharedMemory::from_ptr(self.shared) })
    }

    /// The memory's current type: its size as minimum, its maximum.
    pub fn ty(&self) -> MemoryType {
        if let Some(s) = self.shared_memory() {
            return s.ty();
        }
        // SAFETY: memory refs point to store-owned memories that outlive every handle.
        let m = unsafe { &*self.memory };
        MemoryType {
            limits: Limits { min: m.size_pages(), max: m.declared_max() },
            index_type: m.index_type(),
            shared: false,
        }
    }

    /// Grows the memory by `delta` pages (spec `memory.grow`) if `store`'s resource limiter
    /// allows; returns the previous size in pages, or `None`. A shared memory's growth is
    /// serialized with other threads'.
    ///
    /// # Safety
    /// Call with `store`'s lock held; for an unshared memory, `store` owns it and nothing
    /// else borrows the memory object during the call.
    pub unsafe fn grow(&self, store: &Store, delta: u64) -> Option<u64> {
        if let Some(s) = self.shared_memory() {
            return s.grow(delta, |current, desired| store.memory_growing(current, desired));
        }
        // SAFETY: per the contract.
        let m = unsafe { &mut *self.memory };
        let current = m.size_pages();
        if !store.memory_growing(current, current.saturating_add(delta)) {
            return None;
        }
        m.grow(delta)
    }
}

/// A table as seen from outside its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableRef {
    /// The definition wasm reads (base, length).
    pub def: *mut VMTableDefinition,
    /// The owning table object.
    pub table: *mut Table,
}

impl TableRef {
    /// The table's current type: its size as minimum.
    pub fn ty(&self) -> TableType {
        // SAFETY: table refs point to store-owned tables that outlive every handle.
        unsafe { (*self.table).ty() }
    }
}

/// A global as seen from outside its owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalRef {
    /// Its storage.
    pub def: *mut VMGlobalDefinition,
    /// Its type.
    pub ty: GlobalType,
}

/// Something an instance or host module exports, and an import can be satisfied with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extern {
    /// A function, by its funcref.
    Func(*mut VMFuncRef),
    /// A table.
    Table(TableRef),
    /// A memory.
    Memory(MemoryRef),
    /// A global.
    Global(GlobalRef),
    /// An exception tag (owned by the store; its address is its identity).
    Tag(*const VMTag),
}

impl Extern {
    /// The current type of this entity.
    pub fn ty(&self) -> ExternType {
        match self {
            // SAFETY: funcrefs handed out point into live store-owned contexts.
            Extern::Func(f) => ExternType::Func(
                type_registry::lookup(unsafe { (**f).type_id }).unwrap_or_default(),
            ),
            Extern::Table(t) => ExternType::Table(t.ty()),
            Extern::Memory(m) => ExternType::Memory(m.ty()),
            Extern::Global(g) => ExternType::Global(g.ty),
            Extern::Tag(t) => {
                // SAFETY: tags handed out are owned by their store, which outlives every handle.
                let id = unsafe { (**t).type_id };
                ExternType::Tag(type_registry::lookup(id).unwrap_or_default())
            }
        }
    }
}

/// Checks that `actual` may satisfy the import of entity `index` declared as `expected`
/// (both in canonical form, [`crate::module::ModuleInfo::entity_type`]; `expected` is built
/// only when the function fast path does not decide; spec 3.0 section 3.3.11, "External
/// Types"): a function's type is a subtype of the import's and a tag's type is the
/// import's, by `expected_type_id` (the canonical id of the declared type, for function and
/// tag imports: two types with equal parameters and results may still differ in their
/// recursion group or supertype), table element types
/// are equal, constant globals' types match by subtyping.
pub(crate) fn check_import(
    module: &str,
    name: &str,
    actual: &Extern,
    index: EntityIndex,
    expected: impl FnOnce() -> ExternType,
    expected_type_id: Option<VMSharedTypeId>,
) -> Result<(), LinkError> {
    // A function matches by its type id alone: no type is built on this path.
    if let (Extern::Func(f), EntityIndex::Func(_), Some(e)) = (actual, index, expected_type_id)
        // SAFETY: funcrefs handed out point into live store-owned contexts.
        && type_registry::is_subtype(unsafe { (**f).type_id }, e)
    {
        return Ok(());
    }
    let expected = &expected();
    let actual_ty = actual.ty();
    let ok = match (&actual_ty, expected, actual) {
        (ExternType::Func(_), ExternType::Func(_), Extern::Func(f)) => {
            // SAFETY: funcrefs handed out point into live store-owned contexts.
            let id = unsafe { (**f).type_id };
            expected_type_id.is_some_and(|e| type_registry::is_subtype(id, e))
        }
        (ExternType::Table(a), ExternType::Table(e), _) => {
            a.element == e.element && a.index_type == e.index_type && a.limits.matches(&e.limits)
        }
        (ExternType::Memory(a), ExternType::Memory(e), _) => a.matches(e),
        (ExternType::Global(a), ExternType::Global(e), _) => a.matches(e),
        (ExternType::Tag(_), ExternType::Tag(_), Extern::Tag(t)) => {
            // SAFETY: tags handed out point into live store-owned tag records.
            expected_type_id == Some(unsafe { (**t).type_id })
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(LinkError {
            kind: LinkErrorKind::IncompatibleImportType,
            module: module.to_string(),
            name: name.to_string(),
            detail: format!("expected {}, found {}", describe(expected), describe(&actual_ty)),
        })
    }
}

fn describe(t: &ExternType) -> String {
    match t {
        ExternType::Func(f) => format!("func {f}"),
        ExternType::Table(t) => format!("table {} {} {:?}", t.index_type, t.element, t.limits),
        ExternType::Memory(m) => format!(
            "memory {} {:?}{}",
            m.index_type,
            m.limits,
            if m.shared { " shared" } else { "" }
        ),
        ExternType::Global(g) => {
            format!("global {}{}", if g.mutable { "mut " } else { "" }, g.content)
        }
        ExternType::Tag(t) => format!("tag {t}"),
    }
}
