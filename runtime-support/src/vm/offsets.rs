//! The one table of offsets that lays out an instance's VMContext. The compiler emits loads
//! at these offsets; the interpreter and the runtime read the same fields through them.

use super::vmcontext::*;
use crate::module::ModuleInfo;
use std::mem::size_of;

/// Byte offsets of every field of one module's VMContext.
///
/// Each accessor takes an index into its own region and debug-asserts that it lies inside
/// it (an index past the region would name another field, or memory past the VMContext).
///
/// Layout, in order: [`VMContextHeader`]; one `*mut VMMemoryDefinition` per memory (imported
/// ones first: an imported memory's is the exporter's definition, a defined unshared
/// memory's is its inline definition below, a defined shared memory's is the shared
/// memory's one definition, see [`super::SharedMemory`]); defined memories
/// ([`VMMemoryDefinition`] each, used by unshared ones); imported functions ([`VMFunctionImport`]);
/// imported tables (`*mut VMTableDefinition`); defined tables ([`VMTableDefinition`]);
/// imported globals (`*mut VMGlobalDefinition`); defined globals ([`VMGlobalDefinition`],
/// 16-byte aligned); one [`VMFuncRef`] per function (imported ones first); one
/// `*const VMTag` per tag (imported ones first: an imported tag's pointer is the exporter's,
/// so tag identity is shared, see [`super::VMTag`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VMOffsets {
    /// Imported memories.
    pub num_imported_memories: u32,
    /// Defined memories.
    pub num_defined_memories: u32,
    /// Imported functions.
    pub num_imported_funcs: u32,
    /// Imported tables.
    pub num_imported_tables: u32,
    /// Defined tables.
    pub num_defined_tables: u32,
    /// Imported globals.
    pub num_imported_globals: u32,
    /// Defined globals.
    pub num_defined_globals: u32,
    /// All functions.
    pub num_funcs: u32,
    /// All tags.
    pub num_tags: u32,
    imported_memories: u32,
    defined_memories: u32,
    imported_funcs: u32,
    imported_tables: u32,
    defined_tables: u32,
    imported_globals: u32,
    defined_globals: u32,
    funcrefs: u32,
    tags: u32,
    size: u32,
}

const PTR: u32 = size_of::<usize>() as u32;

fn align(v: u32, a: u32) -> u32 {
    v.div_ceil(a) * a
}

impl VMOffsets {
    /// Computes the layout for `module`.
    pub fn new(module: &ModuleInfo) -> Self {
        let num_imported_memories = module.num_imported_memories;
        let num_defined_memories = module.memories.len() as u32 - num_imported_memories;
        let num_imported_tables = module.num_imported_tables;
        let num_defined_tables = module.tables.len() as u32 - num_imported_tables;
        let num_imported_globals = module.num_imported_globals;
        let num_defined_globals = module.globals.len() as u32 - num_imported_globals;
        let num_imported_funcs = module.num_imported_funcs;
        let num_funcs = module.functions.len() as u32;

        let imported_memories = size_of::<VMContextHeader>() as u32;
        let defined_memories =
            imported_memories + (num_imported_memories + num_defined_memories) * PTR;
        let imported_funcs =
            defined_memories + num_defined_memories * size_of::<VMMemoryDefinition>() as u32;
        let imported_tables =
            imported_funcs + num_imported_funcs * size_of::<VMFunctionImport>() as u32;
        let defined_tables = imported_tables + num_imported_tables * PTR;
        let imported_globals =
            defined_tables + num_defined_tables * size_of::<VMTableDefinition>() as u32;
        let defined_globals = align(imported_globals + num_imported_globals * PTR, 16);
        let funcrefs =
            defined_globals + num_defined_globals * size_of::<VMGlobalDefinition>() as u32;
        let num_tags = module.tags.len() as u32;
        let tags = funcrefs + num_funcs * size_of::<VMFuncRef>() as u32;
        let size = align(tags + num_tags * PTR, 16);
        Self {
            num_imported_memories,
            num_defined_memories,
            num_imported_funcs,
            num_imported_tables,
            num_defined_tables,
            num_imported_globals,
            num_defined_globals,
            num_funcs,
            num_tags,
            imported_memories,
            defined_memories,
            imported_funcs,
            imported_tables,
            defined_tables,
            imported_globals,
            defined_globals,
            funcrefs,
            tags,
            size,
        }
    }

    /// Total size of the VMContext in bytes (a multiple of 16).
    pub fn size(&self) -> u32 {
        self.size
    }
    /// Offset of the `*mut VMMemoryDefinition` of imported memory `i`.
    pub fn imported_memory(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_imported_memories, "imported memory {i}");
        self.memory_pointer(i)
    }
    /// Offset of the `*mut VMMemoryDefinition` of memory `i` (memory index space): the
    /// definition that code reading memory `i` uses.
    pub fn memory_pointer(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_imported_memories + self.num_defined_memories, "memory {i}");
        self.imported_memories + i * PTR
    }
    /// Offset of the [`VMMemoryDefinition`] of defined memory `i` (0-based among defined).
    pub fn defined_memory(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_defined_memories, "defined memory {i}");
        self.defined_memories + i * size_of::<VMMemoryDefinition>() as u32
    }
    /// Offset of the [`VMFunctionImport`] of imported function `i`.
    pub fn imported_func(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_imported_funcs, "imported function {i}");
        self.imported_funcs + i * size_of::<VMFunctionImport>() as u32
    }
    /// Offset of the `*mut VMTableDefinition` of imported table `i`.
    pub fn imported_table(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_imported_tables, "imported table {i}");
        self.imported_tables + i * PTR
    }
    /// Offset of the [`VMTableDefinition`] of defined table `i`.
    pub fn defined_table(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_defined_tables, "defined table {i}");
        self.defined_tables + i * size_of::<VMTableDefinition>() as u32
    }
    /// Offset of the `*mut VMGlobalDefinition` of imported global `i`.
    pub fn imported_global(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_imported_globals, "imported global {i}");
        self.imported_globals + i * PTR
    }
    /// Offset of the [`VMGlobalDefinition`] of defined global `i`.
    pub fn defined_global(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_defined_globals, "defined global {i}");
        self.defined_globals + i * size_of::<VMGlobalDefinition>() as u32
    }
    /// Offset of the [`VMFuncRef`] of function `i` (function index space).
    pub fn funcref(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_funcs, "function {i}");
        self.funcrefs + i * size_of::<VMFuncRef>() as u32
    }
    /// Offset of the `*const VMTag` of tag `i` (tag index space).
    pub fn tag(&self, i: u32) -> u32 {
        debug_assert!(i < self.num_tags, "tag {i}");
        self.tags + i * PTR
    }
}
