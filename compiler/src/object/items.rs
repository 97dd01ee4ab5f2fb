//! The code items of an object file: every defined function and every trampoline, in the
//! order they are laid out in `.text`, with their symbol names.

use crate::code::{CompiledCode, CompiledFunction, RelocTarget};
use crate::trampoline::Trampolines;
use kiln_runtime_support::CompileError;
use kiln_runtime_support::artifact::object_meta::ItemKind;
use kiln_runtime_support::module::ModuleInfo;
use std::collections::HashMap;

/// One code item: its kind, index, symbol name and compiled code.
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    pub index: u32,
    pub symbol: String,
    pub code: &'a CompiledFunction,
}

/// Lists the items of a module in `.text` order: the defined functions, then per defined
/// function its array-to-wasm body and array-call entry, then the wasm-to-array
/// trampolines.
pub(crate) fn items<'a>(
    info: &ModuleInfo,
    code: &'a CompiledCode,
    trampolines: &'a Trampolines,
) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    for f in &code.functions {
        out.push(Item {
            kind: ItemKind::Function,
            index: f.func_index,
            symbol: function_symbol(info, f.func_index),
            code: f,
        });
    }
    for (body, entry) in trampolines.array_to_wasm.iter().zip(&trampolines.array_entries) {
        out.push(Item {
            kind: ItemKind::ArrayToWasm,
            index: body.func_index,
            symbol: format!("wasm_array_to_wasm_{}", body.func_index),
            code: body,
        });
        out.push(Item {
            kind: ItemKind::ArrayEntry,
            index: entry.func_index,
            symbol: format!("wasm_array_entry_{}", entry.func_index),
            code: entry,
        });
    }
    for t in &trampolines.wasm_to_array {
        out.push(Item {
            kind: ItemKind::WasmToArray,
            index: t.func_index,
            symbol: format!("wasm_to_array_type_{}", t.func_index),
            code: t,
        });
    }
    out
}

/// The position in `items` of every relocation target.
pub(crate) fn target_positions(items: &[Item<'_>]) -> HashMap<RelocTarget, usize> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let target = match item.kind {
                ItemKind::Function => RelocTarget::Function(item.index),
                ItemKind::ArrayToWasm => RelocTarget::ArrayToWasm(item.index),
                ItemKind::WasmToArray => RelocTarget::WasmToArray(item.index),
                ItemKind::ArrayEntry => return None,
            };
            Some((target, i))
        })
        .collect()
}

/// The position of relocation target `target` of item `from`.
pub(crate) fn resolve(
    positions: &HashMap<RelocTarget, usize>,
    from: &Item<'_>,
    target: RelocTarget,
) -> Result<usize, CompileError> {
    positions.get(&target).copied().ok_or_else(|| {
        crate::settings::error(format!(
            "{}: relocation to {target:?}, which the module does not define",
            from.symbol
        ))
    })
}

/// The symbol of defined function `func_index`: `wasm_func_<index>` followed by `_<name>`
/// when the name section names it, with every character outside `[A-Za-z0-9_.$]` replaced
/// by `_` (so symbols are unique by their index and safe for every assembler and linker).
pub fn function_symbol(info: &ModuleInfo, func_index: u32) -> String {
    let mut symbol = format!("wasm_func_{func_index}");
    if let Some(name) = info.func_name(func_index)
        && !name.is_empty()
    {
        symbol.push('_');
        symbol.extend(name.chars().map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '$') { c } else { '_' }
        }));
    }
    symbol
}
