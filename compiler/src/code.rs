//! The compiler's output: machine code per function with its relocations, trap sites and
//! wasm address map.

use kiln_runtime_support::TrapCode;

/// The machine code of every defined function of one module.
#[derive(Clone, Debug, Default)]
pub struct CompiledCode {
    /// One entry per defined function, in order (function index minus imported functions).
    pub functions: Vec<CompiledFunction>,
}

impl CompiledCode {
    /// The compiled function with function index `func_index`, if it is defined.
    pub fn function(&self, func_index: u32) -> Option<&CompiledFunction> {
        self.functions.iter().find(|f| f.func_index == func_index)
    }
}

/// One function's machine code and metadata. All offsets are relative to the start of
/// [`CompiledFunction::code`].
#[derive(Clone, Debug)]
pub struct CompiledFunction {
    /// The function index (in the module's function index space).
    pub func_index: u32,
    /// The machine code.
    pub code: Vec<u8>,
    /// Required alignment of the code's start, in bytes.
    pub alignment: u32,
    /// Places to patch with the address of another function of the module.
    pub relocations: Vec<Relocation>,
    /// Instructions that may trap, sorted by offset.
    pub trap_sites: Vec<TrapSite>,
    /// Code ranges and the wasm instruction each came from, sorted by code offset.
    pub address_map: Vec<AddressMapEntry>,
    /// The return address of every call instruction (the offset just after it), sorted.
    pub call_returns: Vec<u32>,
}

/// How a relocation is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocKind {
    /// x86_64 `call rel32`: write `target + addend - (code + offset)` as a little-endian i32.
    X86CallPcRel4,
    /// aarch64 `bl`: write `(target + addend - (code + offset)) >> 2` into the low 26 bits of
    /// the instruction.
    Arm64Call,
    /// aarch64 `adrp`: the page delta `((target + addend) >> 12) - ((code + offset) >> 12)`
    /// into the instruction's immlo (bits 29-30) and immhi (bits 5-23) fields.
    Arm64AdrPrelPgHi21,
    /// aarch64 `add x, x, #lo12`: the low 12 bits of `target + addend` into bits 10-21.
    Arm64AddAbsLo12Nc,
}

/// What a relocation refers to. Every target is code of the same module, so a module's
/// relocations can be resolved once its code is laid out (DESIGN.md principle 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocTarget {
    /// The wasm-call entry of a defined function (by function index).
    Function(u32),
    /// The array-to-wasm body trampoline of a defined function (by function index), see
    /// [`crate::compile_array_to_wasm_trampoline`].
    ArrayToWasm(u32),
    /// The wasm-to-array trampoline of a signature (by the module type index returned by
    /// [`crate::wasm_to_array_type`]), see [`crate::compile_wasm_to_array_trampoline`].
    WasmToArray(u32),
}

/// A reference from one function's code to another function's (or trampoline's) entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Relocation {
    /// Offset of the patched bytes in the code.
    pub offset: u32,
    /// How to patch.
    pub kind: RelocKind,
    /// The referenced code (of the same module).
    pub target: RelocTarget,
    /// Added to the target's address.
    pub addend: i64,
}

/// An instruction that raises a trap (by faulting or by a trap instruction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TrapSite {
    /// Offset of the instruction in the code.
    pub code_offset: u32,
    /// Which trap.
    pub code: TrapCode,
}

/// A range of machine code generated for one wasm instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AddressMapEntry {
    /// Start of the range in the code.
    pub code_start: u32,
    /// End of the range (exclusive).
    pub code_end: u32,
    /// Byte offset of the wasm instruction in the module binary.
    pub wasm_offset: u32,
}
