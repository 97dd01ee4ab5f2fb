//! Module metadata: everything Kiln knows about a decoded and validated module
//! (spec section 2.5, "Modules").

mod bytes;
mod const_expr;
pub mod decode;
pub mod dwarf;
mod line_files;
mod names;
mod validate_body;

pub use bytes::ModuleBytes;
pub use const_expr::{ConstExpr, ConstOp};
pub use decode::{DecodeOptions, decode, decode_bytes};
pub use dwarf::{SourceLocation, WasmDwarf};
pub use line_files::LineFiles;
pub use names::{FunctionName, FunctionNames, Names};

use crate::types::{ExternType, FuncType, GlobalType, HeapType, MemoryType, RefType, TableType};
use crate::vm::{VMSharedTypeId, type_registry};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::OnceLock;

/// The kind of an import or export, with the index in its index space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityIndex {
    /// A function index.
    Func(u32),
    /// A table index.
    Table(u32),
    /// A memory index.
    Memory(u32),
    /// A global index.
    Global(u32),
    /// A tag index (exception handling).
    Tag(u32),
}

/// An import: where it comes from and what it must be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Import {
    /// The module name to import from.
    pub module: String,
    /// The field name within that module.
    pub name: String,
    /// The index this import occupies in its index space.
    pub index: EntityIndex,
}

/// An export: a name for one entity of the module.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// The export name.
    pub name: String,
    /// What is exported.
    pub index: EntityIndex,
}

/// A table declaration with its optional initializer (function-references style
/// `(table 10 funcref (ref.func 0))`; null when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableDecl {
    /// The table's type.
    pub ty: TableType,
    /// The initial value of every element, if not null.
    pub init: Option<ConstExpr>,
}

/// A global declaration: type and, for defined globals, the initializer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalDecl {
    /// The global's type.
    pub ty: GlobalType,
    /// The initializer; `None` for imported globals.
    pub init: Option<ConstExpr>,
}

/// How an element segment is used (spec 2.5.7).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ElementMode {
    /// Usable by `table.init` until dropped.
    Passive,
    /// Copied into `table` at `offset` during instantiation, then dropped.
    Active {
        /// The target table index.
        table: u32,
        /// The start element index.
        offset: ConstExpr,
    },
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
}

/// An element segment: references to put into tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElementSegment {
    /// How it is used.
    pub mode: ElementMode,
    /// The reference type of its items.
    pub ty: RefType,
    /// The items.
    pub items: ElementItems,
}

/// The items of an element segment (spec 5.5.12: the binary format has both forms).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ElementItems {
    /// Function indices, each item `ref.func f`: the form toolchains emit, written to a
    /// table at instantiation without evaluating an expression. Expressions that are all
    /// `ref.func` are decoded to this form too.
    Functions(Box<[u32]>),
    /// Constant expressions of the segment's type.
    Expressions(Vec<ConstExpr>),
}

impl ElementItems {
    /// The number of items.
    pub fn len(&self) -> usize {
        match self {
            ElementItems::Functions(f) => f.len(),
            ElementItems::Expressions(e) => e.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How a data segment is used (spec 2.5.8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DataMode {
    /// Usable by `memory.init` until dropped.
    Passive,
    /// Copied into `memory` at `offset` during instantiation, then dropped.
    Active {
        /// The target memory index.
        memory: u32,
        /// The start byte address.
        offset: ConstExpr,
    },
}

/// A data segment: bytes to put into a memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSegment {
    /// How it is used.
    pub mode: DataMode,
    /// The bytes, as a range of the module binary ([`ModuleInfo::wasm`]).
    pub bytes: Range<usize>,
}

/// A function body: its location in the module binary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FuncBody {
    /// The body's bytes (locals and code) as a range of [`ModuleInfo::wasm`].
    pub range: Range<usize>,
}

/// A custom section kept on request (`RuntimeConfig::with_custom_sections`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomSection {
    /// The section's name.
    pub name: String,
    /// Its payload, as a range of [`ModuleInfo::wasm`].
    pub data: Range<usize>,
}

/// The 3.0 type system's facts about one defined type beyond its function type (spec 3.0
/// section 2.3.8, "Recursive Types"): its recursion group and its declared supertype. A
/// type declared outside any `rec` is a group of one; a type declared without `sub` is
/// final with no supertype (the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDecl {
    /// The number of types in the recursion group this type starts, or 0 when it is not
    /// the first type of its group.
    pub rec_group_len: u32,
    /// The type index of the declared supertype (`sub $super`), if any.
    pub supertype: Option<u32>,
    /// Whether no type may declare this one its supertype (`final`).
    pub is_final: bool,
}

impl Default for TypeDecl {
    fn default() -> Self {
        TypeDecl { rec_group_len: 1, supertype: None, is_final: true }
    }
}

/// A decoded, validated module: types, imports, definitions, segments and names. Shared by
/// both engines; the engine-specific code hangs off it elsewhere.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModuleInfo {
    /// The bytes the ranges of [`DataSegment`], [`FuncBody`] and [`CustomSection`] index:
    /// the module binary this was decoded from, or for a module loaded from an artifact its
    /// initialized-data image (data segments and kept custom sections only). Not part of
    /// the serialized metadata (the artifact stores the data image in its own section).
    #[serde(skip)]
    pub wasm: ModuleBytes,
    /// The type section's function types, by type index.
    pub types: Vec<FuncType>,
    /// The recursion group and declared supertype of every type, by type index (parallel
    /// to `types`).
    pub type_decls: Vec<TypeDecl>,
    /// Imports in declaration order.
    pub imports: Vec<Import>,
    /// The type index of every function, imported ones first (the function index space).
    pub functions: Vec<u32>,
    /// Every table, imported ones first.
    pub tables: Vec<TableDecl>,
    /// Every memory, imported ones first.
    pub memories: Vec<MemoryType>,
    /// Every global, imported ones first.
    pub globals: Vec<GlobalDecl>,
    /// The type index of every exception tag, imported ones first (the tag index space;
    /// each a function type without results, its parameters the payload's types).
    pub tags: Vec<u32>,
    /// Exports in declaration order.
    pub exports: Vec<Export>,
    /// The start function, if any.
    pub start: Option<u32>,
    /// Element segments.
    pub elements: Vec<ElementSegment>,
    /// Data segments.
    pub data: Vec<DataSegment>,
    /// Bodies of the defined functions, in order (function index minus imported functions).
    /// Only the interpreter and the compiler read them; empty for a module loaded from an
    /// artifact (whose functions are native code), and not serialized.
    #[serde(skip)]
    pub bodies: Vec<FuncBody>,
    /// The name section.
    pub names: Names,
    /// Custom sections kept on request.
    pub custom_sections: Vec<CustomSection>,
    /// The module's own DWARF (always recorded, read on first use).
    pub dwarf: WasmDwarf,
    /// Number of imported functions.
    pub num_imported_funcs: u32,
    /// Number of imported tables.
    pub num_imported_tables: u32,
    /// Number of imported memories.
    pub num_imported_memories: u32,
    /// Number of imported globals.
    pub num_imported_globals: u32,
    /// Number of imported tags.
    pub num_imported_tags: u32,
    /// Positions in `exports` sorted by name, built on the first lookup (once per module,
    /// not per instance).
    #[serde(skip)]
    export_index: OnceLock<Box<[u32]>>,
    /// The process-wide canonical id of every type, interned on first use (once per
    /// module, not per instance; ids are never reused, so they stay valid).
    #[serde(skip)]
    shared_type_ids: OnceLock<Box<[VMSharedTypeId]>>,
}

impl ModuleInfo {
    /// The name section's name of function `func`, if it has one (read from the module's
    /// bytes: see [`FunctionNames`]).
    pub fn func_name(&self, func: u32) -> Option<&str> {
        self.names.functions.get(&self.wasm, func)
    }

    /// Every function name of the name section, by ascending function index.
    pub fn func_names(&self) -> impl Iterator<Item = (u32, &str)> {
        self.names.functions.iter(&self.wasm)
    }

    /// The type of function `func`.
    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.functions[func as usize] as usize]
    }

    /// Whether function `func` is imported.
    pub fn is_imported_func(&self, func: u32) -> bool {
        func < self.num_imported_funcs
    }

    /// The type of an entity as other modules see it: defined types named by canonical id
    /// ([`crate::types::HeapType::Canonical`]), so import matching compares types of
    /// different modules.
    pub fn entity_type(&self, index: EntityIndex) -> ExternType {
        let ids = self.canonical_ids();
        match index {
            EntityIndex::Func(f) => ExternType::Func(self.func_type(f).canonical(&ids)),
            EntityIndex::Table(t) => ExternType::Table(self.tables[t as usize].ty.canonical(&ids)),
            EntityIndex::Memory(m) => ExternType::Memory(self.memories[m as usize]),
            EntityIndex::Global(g) => {
                ExternType::Global(self.globals[g as usize].ty.canonical(&ids))
            }
            EntityIndex::Tag(t) => ExternType::Tag(self.tag_type(t).canonical(&ids)),
        }
    }

    /// The type of tag `tag` (a function type without results; its parameters are the
    /// payload's types), with defined types by module index.
    pub fn tag_type(&self, tag: u32) -> &FuncType {
        &self.types[self.tags[tag as usize] as usize]
    }

    /// The export named `name` (a binary search of a by-name index of the exports, built
    /// on the first call; export names are unique in a valid module).
    pub fn export(&self, name: &str) -> Option<&Export> {
        let index = self.export_index.get_or_init(|| {
            let mut v: Vec<u32> = (0..self.exports.len() as u32).collect();
            v.sort_unstable_by(|a, b| {
                self.exports[*a as usize].name.cmp(&self.exports[*b as usize].name)
            });
            v.into_boxed_slice()
        });
        let i =
            index.binary_search_by(|i| self.exports[*i as usize].name.as_str().cmp(name)).ok()?;
        Some(&self.exports[index[i] as usize])
    }

    /// The bytes of a custom section kept in the module.
    pub fn custom_section_data(&self, s: &CustomSection) -> &[u8] {
        &self.wasm[s.data.clone()]
    }

    /// The source file, line and column of the instruction at byte offset `wasm_offset` of
    /// the module binary, when the module carries DWARF that covers it.
    pub fn source_location(&self, wasm_offset: u32) -> Option<SourceLocation> {
        self.dwarf.location(&self.wasm, wasm_offset)
    }

    /// [`Self::shared_type_ids`] when they are interned already (always, once the module is
    /// instantiated), without interning them: for fast paths that must not call out.
    pub fn shared_type_ids_if_interned(&self) -> Option<&[VMSharedTypeId]> {
        self.shared_type_ids.get().map(|ids| &**ids)
    }

    /// The canonical id of every type of the type section, by type index
    /// ([`crate::vm::type_registry`]), interned on the first call, a recursion group at a
    /// time. A type names only types of its own group or of groups before it (validation),
    /// so each group is interned in its canonical form with the ids of the groups before.
    pub fn shared_type_ids(&self) -> &[VMSharedTypeId] {
        self.shared_type_ids.get_or_init(|| {
            let mut ids: Vec<u32> = Vec::with_capacity(self.types.len());
            while ids.len() < self.types.len() {
                let start = ids.len() as u32;
                let decl = self.type_decls.get(start as usize).copied().unwrap_or_default();
                let len = decl.rec_group_len.max(1);
                let end = (start + len).min(self.types.len() as u32);
                let key = |i: u32| {
                    if i >= start {
                        HeapType::Concrete(i - start)
                    } else {
                        HeapType::Canonical(ids[i as usize])
                    }
                };
                let members = (start..end)
                    .map(|t| {
                        let d = self.type_decls.get(t as usize).copied().unwrap_or_default();
                        type_registry::GroupMember {
                            ty: self.types[t as usize].map_concrete(&key),
                            supertype: d.supertype.map(key),
                            is_final: d.is_final,
                        }
                    })
                    .collect();
                let first = type_registry::intern_group(members).0;
                ids.extend((0..end - start).map(|k| first + k));
            }
            ids.into_iter().map(VMSharedTypeId).collect()
        })
    }

    /// The canonical ids of the module's types as plain numbers, for
    /// [`crate::types::ValType::canonical`] and its kin.
    pub fn canonical_ids(&self) -> Vec<u32> {
        self.shared_type_ids().iter().map(|id| id.0).collect()
    }

    /// The number of defined (not imported) functions.
    pub fn num_defined_funcs(&self) -> u32 {
        self.functions.len() as u32 - self.num_imported_funcs
    }
}
