//! [`crate::Engine::Compiler`]: compiling a module with Kiln's compiler for the host. The
//! compiler links the code itself (position-independent, every in-module reference
//! resolved); runtime-support copies it into pages mapped read+execute. An artifact goes
//! through the same link step and is mapped from its file instead.

use crate::error::Error;
use kiln_compiler::{BoundsChecks, CompilerSettings};
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::{CompiledModuleCode, MemoryStyle};
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

/// Compiler settings for the host.
fn settings() -> CompilerSettings {
    CompilerSettings {
        bounds_checks: if guard_pages() { BoundsChecks::GuardPages } else { BoundsChecks::Explicit },
        guard_bytes: GUARD_BYTES,
        verify_ir: false,
        ..CompilerSettings::default()
    }
}

/// Compiles `info` for the host and loads the code.
pub(crate) fn compile(info: &Arc<ModuleInfo>) -> Result<CompiledModuleCode, Error> {
    let settings = settings();
    let code = kiln_compiler::compile_module(info, &settings)?;
    let tramps = kiln_compiler::compile_trampolines(info, &settings)?;
    let image = kiln_compiler::link(info, &code, &tramps)?;
    Ok(CompiledModuleCode::load(image, info.clone())?)
}
