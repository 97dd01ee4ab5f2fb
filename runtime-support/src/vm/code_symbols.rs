//! The names of a module's loaded native code, for the tools that look at it from outside:
//! the perf map ([`super::perf_map`]), perf's jitdump ([`super::jitdump`]) and GDB's JIT
//! interface ([`super::gdb_jit`]). One symbol per record of the code tables: each wasm
//! function (named by the module's name section, else `func[<index>]`, as in backtraces)
//! and one for all the trampolines together.

use super::code_tables::{CodeKind, FunctionRecord, MapPoint};
use super::compiled_code::CodeMeta;
use crate::module::SourceLocation;

/// One named piece of loaded code.
pub(super) struct CodeSymbol {
    /// The record in the code tables.
    pub record: FunctionRecord,
    /// Address of its first byte.
    pub start: usize,
    /// The function's name (`func[<index>]` without a name), or `trampolines`; one line.
    pub name: String,
}

/// The module's name for tools: the name section's module name, else `<module>`.
pub(super) fn module_name(code: &CodeMeta) -> &str {
    code.info
        .names
        .module
        .as_deref()
        .filter(|m| !m.contains(['\n', '\r', '\0']))
        .unwrap_or("<module>")
}

/// The symbols of `code`, in address order (empty records left out).
pub(super) fn symbols(code: &CodeMeta) -> Vec<CodeSymbol> {
    let info = &code.info;
    (0..code.tables.num_functions())
        .map_while(|i| code.tables.function(i))
        .filter(|f| f.len > 0)
        .map(|record| {
            let name = match record.kind {
                CodeKind::Wasm(index) => match info.func_name(index) {
                    Some(n) => n.replace(['\n', '\r', '\0'], " "),
                    None => format!("func[{index}]"),
                },
                CodeKind::Trampoline => "trampolines".to_string(),
            };
            CodeSymbol { record, start: code.base + record.start as usize, name }
        })
        .collect()
}

/// The source lines of `symbol`'s code: each point of its address map (trap and call
/// sites) that the module's DWARF (or an artifact's source-line table) locates, with the
/// location, in code order. Empty for trampolines and modules without line information.
pub(super) fn lines(code: &CodeMeta, symbol: &CodeSymbol) -> Vec<(MapPoint, SourceLocation)> {
    if !matches!(symbol.record.kind, CodeKind::Wasm(_)) {
        return Vec::new();
    }
    code.tables
        .points(&symbol.record)
        .into_iter()
        .filter_map(|p| Some((p, code.info.source_location(p.wasm)?)))
        .collect()
}

/// The machine code of `symbol`.
pub(super) fn code_bytes<'a>(code: &'a CodeMeta, symbol: &CodeSymbol) -> &'a [u8] {
    let end =
        (symbol.record.start as usize + symbol.record.len as usize).min(code.tables.code_len());
    let len = end.saturating_sub(symbol.record.start as usize);
    // SAFETY: `code` describes mapped, readable (read+execute) code of `code.tables.code_len()` bytes at
    // `code.base` that stays mapped while the `CodeMeta` is registered, which outlives
    // `'a`'s borrow; the range is clamped to it.
    unsafe { std::slice::from_raw_parts(symbol.start as *const u8, len) }
}
