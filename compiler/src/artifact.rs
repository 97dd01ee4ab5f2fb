//! Writing artifacts: compile, link, and encode a module as a `.kiln` blob
//! ([`kiln_runtime_support::artifact`] defines the format; DESIGN.md principles 2 and 3).

use crate::link::link;
use crate::settings::{BoundsChecks, CRANELIFT_VERSION, CompilerSettings, CpuLevel, error};
use crate::{compile_module_with_progress, compile_trampolines};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::artifact::{
    self, ArtifactMetadata, ArtifactParts, BoundsMode, CodeSettings, CpuFeatures, metadata,
    source_lines,
};
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::CodeImage;
use target_lexicon::Architecture;

/// Cranelift ISA flags (`has_*`) and the [`CpuFeatures`] name each stands for.
const CPU_FLAGS: &[(&str, &str)] = &[
    ("has_sse3", "sse3"),
    ("has_ssse3", "ssse3"),
    ("has_sse41", "sse4.1"),
    ("has_sse42", "sse4.2"),
    ("has_popcnt", "popcnt"),
    ("has_cmpxchg16b", "cmpxchg16b"),
    ("has_avx", "avx"),
    ("has_avx2", "avx2"),
    ("has_fma", "fma"),
    ("has_avx_vnni", "avxvnni"),
    ("has_avx512bitalg", "avx512bitalg"),
    ("has_avx512dq", "avx512dq"),
    ("has_avx512vl", "avx512vl"),
    ("has_avx512vbmi", "avx512vbmi"),
    ("has_avx512f", "avx512f"),
    ("has_avx512vnni", "avx512vnni"),
    ("has_bmi1", "bmi1"),
    ("has_bmi2", "bmi2"),
    ("has_lzcnt", "lzcnt"),
    ("has_lse", "lse"),
    ("has_pauth", "paca"),
    ("has_fp16", "fp16"),
    ("has_dotprod", "dotprod"),
    ("has_i8mm", "i8mm"),
];

/// The CPU level name and the features code compiled with `settings` requires: every
/// `has_*` flag enabled in the ISA.
///
/// # Errors
/// When the ISA cannot be built, or it enables a feature flag Kiln has no name for (so a
/// requirement is never left out of the header).
pub fn cpu_requirements(
    settings: &CompilerSettings,
) -> Result<(String, CpuFeatures), CompileError> {
    let isa = settings.build_isa()?;
    let mut set = CpuFeatures::NONE;
    for v in isa.isa_flags() {
        if !v.name.starts_with("has_") || v.as_bool() != Some(true) {
            continue;
        }
        let name =
            CPU_FLAGS.iter().find(|(flag, _)| *flag == v.name).map(|(_, n)| *n).ok_or_else(
                || error(format!("CPU feature flag `{}` has no artifact name", v.name)),
            )?;
        let f = CpuFeatures::from_name(name)
            .ok_or_else(|| error(format!("unknown CPU feature `{name}`")))?;
        set = set.union(f);
    }
    let level = match (settings.cpu, &settings.target.architecture) {
        (CpuLevel::Native, _) => "native",
        (CpuLevel::Baseline, Architecture::X86_64) => "x86-64-v2",
        (CpuLevel::Baseline, _) => "armv8.0-a",
    };
    Ok((level.to_string(), set))
}

/// The settings a runtime must match to run code compiled with `settings`.
pub fn code_settings(settings: &CompilerSettings) -> CodeSettings {
    match settings.bounds_checks {
        BoundsChecks::GuardPages => CodeSettings {
            bounds_checks: BoundsMode::GuardPages,
            guard_bytes: settings.guard_bytes,
            epoch_interruption: settings.epoch_interruption,
            fuel: settings.fuel,
            listeners: settings.listeners,
        },
        BoundsChecks::Explicit => CodeSettings {
            bounds_checks: BoundsMode::Explicit,
            guard_bytes: 0,
            epoch_interruption: settings.epoch_interruption,
            fuel: settings.fuel,
            listeners: settings.listeners,
        },
    }
}

/// Who compiled an artifact or object: `kiln-compiler <version>, cranelift <version>`.
pub(crate) fn producer() -> String {
    format!("kiln-compiler {}, cranelift {CRANELIFT_VERSION}", env!("CARGO_PKG_VERSION"))
}

/// Code-section alignment for `settings.target`: 4 KiB on x86_64; 64 KiB on aarch64, whose
/// hosts run with 4, 16 or 64 KiB pages, so code maps straight from the file on any of them.
fn section_align(settings: &CompilerSettings) -> u32 {
    match settings.target.architecture {
        Architecture::X86_64 => 4096,
        _ => 65536,
    }
}

/// Compiles `info` with `settings` (calling `progress(done, total)` per compiled function,
/// see [`crate::compile_module_with_progress`]), links it, and encodes the artifact.
///
/// # Errors
/// When compilation or linking fails.
pub fn compile_artifact(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<u8>, CompileError> {
    let code = compile_module_with_progress(info, settings, progress)?;
    let tramps = compile_trampolines(info, settings)?;
    let image = link(info, &code, &tramps)?;
    write_artifact(info, settings, &image)
}

/// Encodes already-linked code of `info` (compiled with `settings`) as an artifact, with
/// the module's metadata, data image (starting with its memory image when
/// [`crate::memory_image::build`] makes one; [`metadata::split_module`]) and source-line
/// table ([`source_lines::encode`]).
///
/// # Errors
/// When the target triple does not fit the header or the ISA enables an unknown CPU
/// feature.
pub fn write_artifact(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    image: &CodeImage,
) -> Result<Vec<u8>, CompileError> {
    let (cpu_level, cpu_features) = cpu_requirements(settings)?;
    let memory_image = crate::memory_image::build(info);
    let metadata::SplitModule { module, data, memory_image } =
        metadata::split_module(info, memory_image.as_ref());
    let source_lines = source_lines::encode(info, image.tables.wasm_offsets());
    let meta = ArtifactMetadata {
        memory_image,
        producer: producer(),
        module,
        handlers: image.handlers.clone(),
    };
    artifact::write(&ArtifactParts {
        target: settings.target.to_string(),
        cpu_level,
        cpu_features,
        settings_fingerprint: settings.settings_fingerprint(),
        settings: code_settings(settings),
        section_align: section_align(settings),
        metadata: &meta,
        wasm_sha256: artifact::sha256(&info.wasm),
        code: &image.text,
        tables: &image.tables,
        source_lines: &source_lines,
        data: &data,
    })
    .map_err(error)
}
