//! The compiler's output: machine code per function with its relocations, trap sites and
//! wasm address map.

use kiln_runtime_support::TrapCode;
use kiln_runtime_support::vm::{HandlerCallSite, HandlerClause, HandlerTable};

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
    /// Preferred alignment of the code's start, in bytes (at least `required_alignment`).
    pub alignment: u32,
    /// Alignment the code requires (that of its constants), in bytes.
    pub required_alignment: u32,
    /// The header and latch blocks of its innermost loops, as code ranges `[start, end)`,
    /// which the linker keeps within 64-byte lines where it can
    /// ([`crate::loop_layout`]).
    pub loop_blocks: Vec<(u32, u32)>,
    /// Places to patch with the address of another function of the module.
    pub relocations: Vec<Relocation>,
    /// Instructions that may trap, sorted by offset.
    pub trap_sites: Vec<TrapSite>,
    /// Code ranges and the wasm instruction each came from, sorted by code offset.
    pub address_map: Vec<AddressMapEntry>,
    /// The return address of every call instruction (the offset just after it), sorted.
    pub call_returns: Vec<u32>,
    /// The calls inside exception handlers (`try_call`s) and their clauses, sorted by
    /// return address.
    pub handlers: Vec<CallSiteHandlers>,
}

impl CompiledFunction {
    /// Appends this function's handler call sites, placed at code offset `start`, to
    /// `table` (whose call sites must then be sorted, see [`sort_handlers`]).
    pub fn push_handlers(&self, start: u32, table: &mut HandlerTable) {
        for h in &self.handlers {
            table.call_sites.push(HandlerCallSite {
                ret_addr: start + h.ret_addr,
                frame_offset: h.frame_offset,
                vmctx_sp_offset: h.vmctx_sp_offset,
                first_clause: table.clauses.len() as u32,
                num_clauses: h.clauses.len() as u32,
            });
            table.clauses.extend(
                h.clauses.iter().map(|c| HandlerClause { tag: c.tag, landing: start + c.landing }),
            );
        }
    }
}

/// Sorts a handler table's call sites by return address (the clauses stay where they are).
pub fn sort_handlers(table: &mut HandlerTable) {
    table.call_sites.sort_by_key(|c| c.ret_addr);
}

/// One call inside exception handlers, as Cranelift reports it (offsets relative to the
/// function's code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSiteHandlers {
    /// The call's return address.
    pub ret_addr: u32,
    /// The frame's size below its frame pointer at the call, in bytes.
    pub frame_offset: u32,
    /// Where the call site saved the VMContext, from its stack pointer, in bytes.
    pub vmctx_sp_offset: u32,
    /// The clauses, innermost handler first ([`HandlerClause`], offsets in the function).
    pub clauses: Vec<HandlerClause>,
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
