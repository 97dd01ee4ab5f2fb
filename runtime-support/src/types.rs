//! WebAssembly types as Kiln models them (spec section 2.3, "Types").

use serde::{Deserialize, Serialize};
use std::fmt;

/// A value type (spec 3.0 section 2.3.3, "Value Types"): a number type, `v128`, or a
/// reference type ([`RefType`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit IEEE 754 float.
    F32,
    /// 64-bit IEEE 754 float.
    F64,
    /// 128-bit vector (SIMD).
    V128,
    /// A reference.
    Ref(RefType),
}

impl ValType {
    /// `funcref`: `(ref null func)`.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`: `(ref null extern)`.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);
    /// `exnref`: `(ref null exn)` (exception handling).
    pub const EXNREF: ValType = ValType::Ref(RefType::EXNREF);

    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// The reference type, if this is one.
    pub fn as_ref(self) -> Option<RefType> {
        if let ValType::Ref(r) = self { Some(r) } else { None }
    }

    /// Subtyping (spec 3.0 section 3.3.4, "Value Subtyping"): numbers and vectors match
    /// only themselves, references by [`RefType::matches`]. Both types must name defined
    /// types the same way (both module indices of one module, or both canonical ids).
    pub fn matches(self, expected: ValType) -> bool {
        match (self, expected) {
            (ValType::Ref(a), ValType::Ref(e)) => a.matches(e),
            (a, e) => a == e,
        }
    }

    /// This type with defined types named by canonical id (`ids[i]` for module type `i`).
    pub fn canonical(self, ids: &[u32]) -> ValType {
        match self {
            ValType::Ref(r) => ValType::Ref(r.canonical(ids)),
            t => t,
        }
    }

    /// This type with each defined type named by module index `i` replaced by `f(i)`.
    pub fn map_concrete(self, f: &impl Fn(u32) -> HeapType) -> ValType {
        match self {
            ValType::Ref(r) => ValType::Ref(r.map_concrete(f)),
            t => t,
        }
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<Self> {
        use wasmparser::ValType as W;
        Some(match ty {
            W::I32 => ValType::I32,
            W::I64 => ValType::I64,
            W::F32 => ValType::F32,
            W::F64 => ValType::F64,
            W::V128 => ValType::V128,
            W::Ref(r) => ValType::Ref(RefType::from_wasmparser(r)?),
        })
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(r) => return r.fmt(f),
        })
    }
}

/// A heap type (spec 3.0 section 2.3.2, "Heap Types"): what a reference points to. The
/// function, extern and exception hierarchies of WebAssembly 3.0 without GC; GC's `any`,
/// `eq`, `i31`, `struct`, `array` and `none` are further variants, and its struct and array
/// types further kinds of defined types that [`HeapType::Concrete`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HeapType {
    /// `func`: any function.
    Func,
    /// `nofunc`: the bottom of the function hierarchy (only null has it).
    NoFunc,
    /// `extern`: any host reference.
    Extern,
    /// `noextern`: the bottom of the extern hierarchy.
    NoExtern,
    /// `exn`: a caught exception (spec 3.0 section 2.3.2; `exnref` is `(ref null exn)`).
    Exn,
    /// `noexn`: the bottom of the exception hierarchy.
    NoExn,
    /// A defined type, by type index in its module: how a module's own types, locals,
    /// globals and tables name it.
    Concrete(u32),
    /// A defined type, by canonical id (`VMSharedTypeId`): how types that cross module
    /// boundaries name it (imports, exports, function types in the type registry), so
    /// equivalent types of different modules are equal.
    Canonical(u32),
}

impl HeapType {
    /// Whether this heap type is in the function hierarchy (`func`, `nofunc`, defined
    /// function types).
    pub fn is_func(self) -> bool {
        !matches!(self, HeapType::Extern | HeapType::NoExtern | HeapType::Exn | HeapType::NoExn)
    }

    /// Whether this heap type is in the exception hierarchy (`exn`, `noexn`).
    pub fn is_exn(self) -> bool {
        matches!(self, HeapType::Exn | HeapType::NoExn)
    }

    /// Heap subtyping (spec 3.0 section 3.3.3): defined function types are below `func`
    /// and above `nofunc`; a defined type named by canonical id matches the types on its
    /// chain of declared supertypes (`sub`, [`crate::vm::type_registry::is_subtype`]); two
    /// defined types named by module index match only when equal (the validator has
    /// already checked subtyping inside a module).
    pub fn matches(self, expected: HeapType) -> bool {
        use HeapType as H;
        self == expected
            || match (self, expected) {
                (H::NoFunc, e) => e.is_func(),
                (H::Concrete(_) | H::Canonical(_), H::Func) => true,
                (H::NoExtern, H::Extern) => true,
                (H::Canonical(a), H::Canonical(e)) => crate::vm::type_registry::is_subtype(
                    crate::vm::VMSharedTypeId(a),
                    crate::vm::VMSharedTypeId(e),
                ),
                (H::NoExn, H::Exn) => true,
                _ => false,
            }
    }

    /// This heap type with each defined type named by module index `i` replaced by
    /// `f(i)`.
    pub fn map_concrete(self, f: &impl Fn(u32) -> HeapType) -> HeapType {
        match self {
            HeapType::Concrete(i) => f(i),
            h => h,
        }
    }
}

/// A reference type (spec 3.0 section 2.3.3): a heap type and whether null is a value of
/// it. Also the element type of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RefType {
    /// Whether the type includes null (`ref null ht`).
    pub nullable: bool,
    /// What the reference points to.
    pub heap: HeapType,
}

impl RefType {
    /// `funcref`: `(ref null func)`.
    pub const FUNCREF: RefType = RefType { nullable: true, heap: HeapType::Func };
    /// `externref`: `(ref null extern)`.
    pub const EXTERNREF: RefType = RefType { nullable: true, heap: HeapType::Extern };
    /// `exnref`: `(ref null exn)`.
    pub const EXNREF: RefType = RefType { nullable: true, heap: HeapType::Exn };

    /// Whether this is a function reference type (its values are funcrefs or null); the
    /// others hold externrefs or exnrefs ([`Self::is_exn`]).
    pub fn is_func(self) -> bool {
        self.heap.is_func()
    }

    /// Whether this is an exception reference type (its values are exnrefs or null).
    pub fn is_exn(self) -> bool {
        self.heap.is_exn()
    }

    /// Reference subtyping (spec 3.0 section 3.3.4): `(ref null? a)` matches
    /// `(ref null? b)` when `a` matches `b` and null is allowed wherever it is a value.
    pub fn matches(self, expected: RefType) -> bool {
        (!self.nullable || expected.nullable) && self.heap.matches(expected.heap)
    }

    /// This type with a module's defined types named by canonical id (`ids[i]` for module
    /// type `i`).
    pub fn canonical(self, ids: &[u32]) -> RefType {
        self.map_concrete(&|i| {
            HeapType::Canonical(ids.get(i as usize).copied().unwrap_or(u32::MAX))
        })
    }

    /// This type with each defined type named by module index `i` replaced by `f(i)`.
    pub fn map_concrete(self, f: &impl Fn(u32) -> HeapType) -> RefType {
        RefType { nullable: self.nullable, heap: self.heap.map_concrete(f) }
    }

    pub(crate) fn from_wasmparser(r: wasmparser::RefType) -> Option<Self> {
        use wasmparser::{AbstractHeapType as A, HeapType as W};
        let heap = match r.heap_type() {
            W::Abstract { shared: false, ty: A::Func } => HeapType::Func,
            W::Abstract { shared: false, ty: A::NoFunc } => HeapType::NoFunc,
            W::Abstract { shared: false, ty: A::Extern } => HeapType::Extern,
            W::Abstract { shared: false, ty: A::NoExtern } => HeapType::NoExtern,
            W::Abstract { shared: false, ty: A::Exn } => HeapType::Exn,
            W::Abstract { shared: false, ty: A::NoExn } => HeapType::NoExn,
            W::Concrete(idx) | W::Exact(idx) => HeapType::Concrete(idx.as_module_index()?),
            _ => return None,
        };
        Some(RefType { nullable: r.is_nullable(), heap })
    }
}

impl From<RefType> for ValType {
    fn from(r: RefType) -> ValType {
        ValType::Ref(r)
    }
}

impl fmt::Display for RefType {
    /// `funcref` and `externref` by their short names, others as `(ref null? ht)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (*self, self.heap) {
            (RefType::FUNCREF, _) => f.write_str("funcref"),
            (RefType::EXTERNREF, _) => f.write_str("externref"),
            (RefType::EXNREF, _) => f.write_str("exnref"),
            (_, heap) => {
                f.write_str(if self.nullable { "(ref null " } else { "(ref " })?;
                match heap {
                    HeapType::Func => f.write_str("func")?,
                    HeapType::NoFunc => f.write_str("nofunc")?,
                    HeapType::Extern => f.write_str("extern")?,
                    HeapType::NoExtern => f.write_str("noextern")?,
                    HeapType::Exn => f.write_str("exn")?,
                    HeapType::NoExn => f.write_str("noexn")?,
                    HeapType::Concrete(i) => write!(f, "{i}")?,
                    HeapType::Canonical(i) => write!(f, "canonical {i}")?,
                }
                f.write_str(")")
            }
        }
    }
}

/// A function type: parameter and result types (spec 2.3.5).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// A function type with the given parameters and results.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        Self { params: params.into_iter().collect(), results: results.into_iter().collect() }
    }

    /// The parameter types, in order.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    /// The result types, in order.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }

    /// This type with a module's defined types named by canonical id (`ids[i]` for module
    /// type `i`, see [`RefType::canonical`]).
    pub fn canonical(&self, ids: &[u32]) -> FuncType {
        FuncType::new(
            self.params.iter().map(|t| t.canonical(ids)),
            self.results.iter().map(|t| t.canonical(ids)),
        )
    }

    /// This type with each defined type named by module index `i` replaced by `f(i)`.
    pub fn map_concrete(&self, f: &impl Fn(u32) -> HeapType) -> FuncType {
        FuncType::new(
            self.params.iter().map(|t| t.map_concrete(f)),
            self.results.iter().map(|t| t.map_concrete(f)),
        )
    }
}

impl fmt::Display for FuncType {
    /// Formats as `(i32, i64) -> (f32)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
        write!(f, "({}) -> ({})", list(&self.params), list(&self.results))
    }
}

/// Size limits in units of pages (memories) or elements (tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Limits {
    /// Initial size.
    pub min: u64,
    /// Maximum size, if any.
    pub max: Option<u64>,
}

impl Limits {
    /// Import subtyping on limits (spec 4.5.2, "Limits"): `self` (the provided object's
    /// current limits) matches `expected` (the importer's declared limits).
    pub fn matches(&self, expected: &Limits) -> bool {
        self.min >= expected.min
            && match expected.max {
                None => true,
                Some(emax) => matches!(self.max, Some(m) if m <= emax),
            }
    }
}

/// A table type: element type, limits in elements and index type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TableType {
    /// The reference type stored.
    pub element: RefType,
    /// Limits, in elements.
    pub limits: Limits,
    /// The type of its element indices (`i64` for a 64-bit table, memory64 proposal).
    pub index_type: IndexType,
}

/// A memory type: limits in pages of 64 KiB, index type, and whether it is shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemoryType {
    /// Limits, in pages of 64 KiB.
    pub limits: Limits,
    /// The type of its addresses (`i64` for a 64-bit memory, memory64 proposal).
    pub index_type: IndexType,
    /// Whether the memory is shared (threads proposal: `(memory 1 2 shared)`): usable by
    /// several threads at once, never moved, and declared with a maximum.
    pub shared: bool,
}

impl MemoryType {
    /// A 32-bit unshared memory with `limits` (in pages of 64 KiB).
    pub fn new(limits: Limits) -> Self {
        Self { limits, index_type: IndexType::I32, shared: false }
    }

    /// A 64-bit unshared memory with `limits` (in pages of 64 KiB).
    pub fn new64(limits: Limits) -> Self {
        Self { limits, index_type: IndexType::I64, shared: false }
    }

    /// A 32-bit shared memory of `min` to `max` pages of 64 KiB (threads proposal).
    pub fn new_shared(min: u64, max: u64) -> Self {
        Self { limits: Limits { min, max: Some(max) }, index_type: IndexType::I32, shared: true }
    }

    /// Import subtyping on memory types (spec 3.0 section 3.3.11 with the threads
    /// proposal): same index type, same sharedness, limits that match.
    pub fn matches(&self, expected: &MemoryType) -> bool {
        self.index_type == expected.index_type
            && self.shared == expected.shared
            && self.limits.matches(&expected.limits)
    }

    /// The most pages a memory of this index type can have: 65536 (4 GiB) for `i32`,
    /// 2^48 (16 EiB, the whole 64-bit address space) for `i64`.
    pub fn max_pages(&self) -> u64 {
        match self.index_type {
            IndexType::I32 => WASM32_MAX_PAGES,
            IndexType::I64 => WASM64_MAX_PAGES,
        }
    }
}

impl TableType {
    /// A 32-bit table of `element` references with `limits` (in elements).
    pub fn new(element: RefType, limits: Limits) -> Self {
        Self { element, limits, index_type: IndexType::I32 }
    }
}

/// The index type of a memory or table (spec 3.0's address type, `addrtype`): the type of
/// the addresses, sizes and lengths its instructions take and return. `i64` comes with the
/// memory64 proposal (64-bit memories and tables).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IndexType {
    /// 32-bit indices (`i32`): WebAssembly 1.0 and 2.0 memories and tables.
    #[default]
    I32,
    /// 64-bit indices (`i64`).
    I64,
}

impl IndexType {
    /// The value type of indices of this type.
    pub fn val_type(self) -> ValType {
        match self {
            IndexType::I32 => ValType::I32,
            IndexType::I64 => ValType::I64,
        }
    }

    /// Whether this is `i64`.
    pub fn is_64(self) -> bool {
        self == IndexType::I64
    }

    /// The narrower of two index types: the type of the length operand of `memory.copy`
    /// and `table.copy` between a memory or table of each.
    pub fn min(self, other: IndexType) -> IndexType {
        if self.is_64() && other.is_64() { IndexType::I64 } else { IndexType::I32 }
    }

    pub(crate) fn of(is_64: bool) -> Self {
        if is_64 { IndexType::I64 } else { IndexType::I32 }
    }
}

impl fmt::Display for IndexType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.val_type().fmt(f)
    }
}

impl TableType {
    /// This type with a module's defined types named by canonical id.
    pub fn canonical(self, ids: &[u32]) -> TableType {
        TableType { element: self.element.canonical(ids), ..self }
    }
}

/// A global type: content type and mutability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GlobalType {
    /// The value type held.
    pub content: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

impl GlobalType {
    /// This type with a module's defined types named by canonical id.
    pub fn canonical(self, ids: &[u32]) -> GlobalType {
        GlobalType { content: self.content.canonical(ids), ..self }
    }

    /// Import subtyping (spec 3.0 section 3.3.11): a constant global's content type may
    /// be a subtype of the expected one, a mutable global's must be the same.
    pub fn matches(&self, expected: &GlobalType) -> bool {
        self.mutable == expected.mutable
            && if self.mutable {
                self.content == expected.content
            } else {
                self.content.matches(expected.content)
            }
    }
}

/// The type of an import or export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternType {
    /// A function of this type.
    Func(FuncType),
    /// A table of this type.
    Table(TableType),
    /// A memory of this type.
    Memory(MemoryType),
    /// A global of this type.
    Global(GlobalType),
    /// An exception tag (spec 3.0 section 2.3.9, "Tag Types"): the function type whose
    /// parameters are its payload's types (it has no results).
    Tag(FuncType),
}

impl ExternType {
    /// `func`, `table`, `memory`, `global` or `tag`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "func",
            ExternType::Table(_) => "table",
            ExternType::Memory(_) => "memory",
            ExternType::Global(_) => "global",
            ExternType::Tag(_) => "tag",
        }
    }
}

/// The size of a WebAssembly page: 64 KiB.
pub const WASM_PAGE_SIZE: u64 = 65536;
/// The largest number of pages a 32-bit memory can have (4 GiB).
pub const WASM32_MAX_PAGES: u64 = 65536;
/// The largest number of pages a 64-bit memory can have (2^48: its byte size is a 64-bit
/// number).
pub const WASM64_MAX_PAGES: u64 = 1 << 48;
