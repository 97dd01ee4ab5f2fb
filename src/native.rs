//! [`crate::Engine::Compiler`]: compiling a module with Kiln's compiler for the host. The
//! compiler links the code itself (position-independent, every in-module reference
//! resolved); runtime-support copies it into pages mapped read+execute. An artifact goes
//! through the same link step and is mapped from its file instead. The data segments go
//! into an in-memory image when the module allows one (as an artifact's do), which
//! instantiation maps copy-on-write instead of copying the segments.

use crate::CpuTarget;
use crate::error::Error;
use crate::reservation::{GUARD_BYTES, guard_pages};
use kiln_compiler::{BoundsChecks, CompilerSettings, CpuLevel};
use kiln_runtime_support::engine::Module;
use kiln_runtime_support::interp::Checks;
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::{CodeImage, CompiledModuleCode, MemoryImage};
use std::sync::Arc;

/// Compiler settings for code that runs in this process's memories (see
/// [`crate::reservation`]), at CPU level `cpu`, with the entry and loop-header `checks`
/// (epoch deadline, fuel).
pub(crate) fn host_settings(cpu: CpuLevel, checks: Checks) -> CompilerSettings {
    CompilerSettings {
        cpu,
        epoch_interruption: checks.interruption,
        fuel: checks.fuel,
        listeners: checks.listeners,
        bounds_checks: if guard_pages() {
            BoundsChecks::GuardPages
        } else {
            BoundsChecks::Explicit
        },
        guard_bytes: GUARD_BYTES,
        verify_ir: false,
        ..CompilerSettings::default()
    }
}

/// The settings a runtime must match to run code [`compile`] makes with `checks`.
pub(crate) fn code_settings(checks: Checks) -> kiln_runtime_support::artifact::CodeSettings {
    kiln_compiler::artifact::code_settings(&host_settings(CpuLevel::Baseline, checks))
}

/// The compiler's CPU level for `cpu`.
pub(crate) fn cpu_level(cpu: CpuTarget) -> CpuLevel {
    match cpu {
        CpuTarget::Baseline => CpuLevel::Baseline,
        CpuTarget::Native => CpuLevel::Native,
    }
}

/// Compiles `info` for the host (with `checks`, for the CPU features of `cpu`) and loads
/// the code.
pub(crate) fn compile(
    info: &Arc<ModuleInfo>,
    cpu: CpuTarget,
    checks: Checks,
) -> Result<CompiledModuleCode, Error> {
    let settings = host_settings(cpu_level(cpu), checks);
    let code = kiln_compiler::compile_module(info, &settings)?;
    let tramps = kiln_compiler::compile_trampolines(info, &settings)?;
    let image = kiln_compiler::link(info, &code, &tramps)?;
    let compiled = CompiledModuleCode::load(image, info.clone())?;
    // The data segments as an in-memory image, mapped copy-on-write at each instantiation
    // (as an artifact's image is mapped from its file) where the module allows one.
    let memory_image = kiln_compiler::memory_image::build(info)
        .and_then(|image| MemoryImage::in_memory(image.decl, &image.bytes));
    Ok(match memory_image {
        Some(image) => compiled.with_memory_image(image),
        None => compiled,
    })
}

/// Writes `module`, compiled in this process by [`compile`] for `cpu` with `checks`, as an
/// artifact: its linked code read back from the executable mapping, its tables, and its
/// metadata.
pub(crate) fn serialize(module: &Module, cpu: CpuTarget, checks: Checks) -> Result<Vec<u8>, Error> {
    let code = module.compiled().ok_or_else(not_native)?;
    let image = CodeImage {
        text: code.text().to_vec(),
        tables: code.meta().tables.to_encoded(),
        handlers: code.meta().handlers.clone(),
    };
    let settings = host_settings(cpu_level(cpu), checks);
    Ok(kiln_compiler::write_artifact(&module.info, &settings, &image)?)
}

/// The error for serializing a module that has no native code.
pub(crate) fn not_native() -> Error {
    Error::EngineUnavailable(
        "only natively compiled modules can be serialized; this one runs on the interpreter"
            .to_string(),
    )
}
