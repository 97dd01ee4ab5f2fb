//! [`crate::Engine::Compiler`]: compiling a module with Kiln's compiler for the host and
//! laying the result out as one in-memory code image (functions, then array-to-wasm bodies,
//! array-call entries and wasm-to-array trampolines), resolved against itself only, which
//! runtime-support maps executable. An artifact loader produces the same image from a file.

use crate::error::Error;
use kiln_compiler::{BoundsChecks, CompiledFunction, CompilerSettings, RelocKind, RelocTarget};
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::{
    CodeImage, CodeKind, CodeReloc, CodeRelocKind, CompiledModuleCode, FunctionCode, MemoryStyle,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Guard region after each memory's 4 GiB reservation when compiled code relies on guard
/// pages.
pub(crate) const GUARD_BYTES: u64 = 2 << 30;

/// Whether compiled code can run on this host.
pub(crate) fn available() -> bool {
    kiln_runtime_support::traphandlers::SUPPORTED
}

/// Whether memories are reserved with guard pages (64-bit hosts) so compiled code needs no
/// bounds checks.
pub(crate) fn guard_pages() -> bool {
    cfg!(target_pointer_width = "64")
}

/// The memory style compiled modules of a runtime need.
pub(crate) fn memory_style(mut style: MemoryStyle) -> MemoryStyle {
    if guard_pages() {
        style.min_reserve_bytes = 1 << 32;
        style.guard_bytes = GUARD_BYTES;
    }
    style
}

/// Compiler settings for the host; `interruptible` compiles epoch checks in.
fn settings(interruptible: bool) -> CompilerSettings {
    CompilerSettings {
        epoch_interruption: interruptible,
        bounds_checks: if guard_pages() { BoundsChecks::GuardPages } else { BoundsChecks::Explicit },
        guard_bytes: GUARD_BYTES,
        verify_ir: false,
        ..CompilerSettings::default()
    }
}

/// Compiles `info` for the host (with epoch checks when `interruptible`) and loads the code.
pub(crate) fn compile(info: &Arc<ModuleInfo>, interruptible: bool) -> Result<CompiledModuleCode, Error> {
    let settings = settings(interruptible);
    let code = kiln_compiler::compile_module(info, &settings)?;
    let tramps = kiln_compiler::compile_trampolines(info, &settings)?;
    let image = layout(info, &code.functions, &tramps)?;
    Ok(CompiledModuleCode::load(image, info.clone())?)
}

fn layout(
    info: &ModuleInfo,
    funcs: &[CompiledFunction],
    t: &kiln_compiler::Trampolines,
) -> Result<CodeImage, Error> {
    let mut image = CodeImage::default();
    let place = |f: &CompiledFunction, kind: CodeKind, image: &mut CodeImage| -> u32 {
        let start = image.text.len().next_multiple_of(f.alignment.max(16) as usize);
        image.text.resize(start, 0);
        image.text.extend_from_slice(&f.code);
        image.functions.push(FunctionCode {
            kind,
            start: start as u32,
            len: f.code.len() as u32,
            trap_sites: f.trap_sites.iter().map(|s| (s.code_offset, s.code)).collect(),
            address_map: f.address_map.iter().map(|e| (e.code_start, e.code_end, e.wasm_offset)).collect(),
        });
        start as u32
    };
    let mut func_at = HashMap::new();
    let mut a2w_at = HashMap::new();
    let mut w2a_at = HashMap::new();
    let mut placed: Vec<(u32, &CompiledFunction)> = Vec::new();
    for f in funcs {
        let at = place(f, CodeKind::Wasm(f.func_index), &mut image);
        func_at.insert(f.func_index, at);
        image.wasm_call.push(at);
        placed.push((at, f));
    }
    for f in &t.array_to_wasm {
        let at = place(f, CodeKind::Trampoline, &mut image);
        a2w_at.insert(f.func_index, at);
        placed.push((at, f));
    }
    for f in &t.array_entries {
        let at = place(f, CodeKind::Trampoline, &mut image);
        image.array_call.push(at);
        placed.push((at, f));
    }
    for f in &t.wasm_to_array {
        let at = place(f, CodeKind::Trampoline, &mut image);
        w2a_at.insert(f.func_index, at);
        placed.push((at, f));
    }
    image.wasm_to_array = (0..info.types.len() as u32)
        .map(|ty| w2a_at.get(&kiln_compiler::wasm_to_array_type(info, ty)).copied().unwrap_or(0))
        .collect();
    let missing = |what: String| Error::Compile(kiln_runtime_support::CompileError {
        offset: None,
        message: format!("internal error: relocation to missing {what}"),
        unsupported: false,
    });
    for (at, f) in placed {
        for r in &f.relocations {
            let target = match r.target {
                RelocTarget::Function(i) => func_at.get(&i),
                RelocTarget::ArrayToWasm(i) => a2w_at.get(&i),
                RelocTarget::WasmToArray(ty) => w2a_at.get(&ty),
            }
            .copied()
            .ok_or_else(|| missing(format!("{:?}", r.target)))?;
            let kind = match r.kind {
                RelocKind::X86CallPcRel4 => CodeRelocKind::X86PcRel4,
                RelocKind::Arm64Call => CodeRelocKind::Arm64Call,
                RelocKind::Arm64AdrPrelPgHi21 => CodeRelocKind::Arm64AdrPrelPgHi21,
                RelocKind::Arm64AddAbsLo12Nc => CodeRelocKind::Arm64AddAbsLo12Nc,
            };
            image.relocs.push(CodeReloc { offset: at + r.offset, kind, target, addend: r.addend });
        }
    }
    Ok(image)
}
