//! WebAssembly types as Kiln models them (spec section 2.3, "Types").

use serde::{Deserialize, Serialize};
use std::fmt;

/// A value type: `i32`, `i64`, `f32`, `f64`, `v128`, `funcref` or `externref`.
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
    /// Nullable reference to a function.
    FuncRef,
    /// Nullable opaque host reference.
    ExternRef,
}

impl ValType {
    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<Self> {
        use wasmparser::ValType as W;
        Some(match ty {
            W::I32 => ValType::I32,
            W::I64 => ValType::I64,
            W::F32 => ValType::F32,
            W::F64 => ValType::F64,
            W::V128 => ValType::V128,
            W::Ref(r) => RefType::from_wasmparser(r)?.into(),
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
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// A reference type: the element type of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefType {
    /// `funcref`.
    FuncRef,
    /// `externref`.
    ExternRef,
}

impl RefType {
    pub(crate) fn from_wasmparser(r: wasmparser::RefType) -> Option<Self> {
        if !r.is_nullable() {
            return None;
        }
        if r == wasmparser::RefType::FUNCREF {
            Some(RefType::FuncRef)
        } else if r == wasmparser::RefType::EXTERNREF {
            Some(RefType::ExternRef)
        } else {
            None
        }
    }
}

impl From<RefType> for ValType {
    fn from(r: RefType) -> ValType {
        match r {
            RefType::FuncRef => ValType::FuncRef,
            RefType::ExternRef => ValType::ExternRef,
        }
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ValType::from(*self).fmt(f)
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

/// A memory type: limits in pages of 64 KiB, and index type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemoryType {
    /// Limits, in pages of 64 KiB.
    pub limits: Limits,
    /// The type of its addresses (`i64` for a 64-bit memory, memory64 proposal).
    pub index_type: IndexType,
}

impl MemoryType {
    /// A 32-bit memory with `limits` (in pages of 64 KiB).
    pub fn new(limits: Limits) -> Self {
        Self { limits, index_type: IndexType::I32 }
    }

    /// A 64-bit memory with `limits` (in pages of 64 KiB).
    pub fn new64(limits: Limits) -> Self {
        Self { limits, index_type: IndexType::I64 }
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

/// A global type: content type and mutability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GlobalType {
    /// The value type held.
    pub content: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
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
}

impl ExternType {
    /// `func`, `table`, `memory` or `global`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "func",
            ExternType::Table(_) => "table",
            ExternType::Memory(_) => "memory",
            ExternType::Global(_) => "global",
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
