//! Ahead-of-time compilation to artifacts (`kiln compile`): a module binary in, a `.kiln`
//! blob out, for this host or another target.

use crate::error::Error;
use crate::reservation::GUARD_BYTES;
use kiln_compiler::{BoundsChecks, CompilerSettings};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::module::decode::DecodeOptions;

pub use crate::config::CpuTarget;

/// What to produce.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Emit {
    /// A `.kiln` blob that [`crate::Runtime::load_artifact`] maps.
    #[default]
    Blob,
    /// A relocatable ELF object (`--emit obj`, see `kiln_compiler::object`), for tools and
    /// for linking into a binary; [`crate::Runtime::load_artifact`] loads it too.
    Obj,
}

/// Options of [`compile_artifact`].
#[derive(Clone, Debug)]
pub struct AotOptions {
    /// Target triple, e.g. `aarch64-unknown-linux-gnu`; `None` for the host.
    pub target: Option<String>,
    /// CPU features the code may use.
    pub cpu: CpuTarget,
    /// What to produce.
    pub emit: Emit,
    /// The core features the module may use (default [`CoreFeatures::V3`]).
    pub features: CoreFeatures,
    /// Keep custom sections (other than `name`) in the artifact's data image.
    pub custom_sections: bool,
    /// Compile interruption checks in; the artifact then loads only into runtimes with
    /// [`crate::RuntimeConfig::with_interruption`] on, and the default artifact only into
    /// runtimes with it off.
    pub interruption: bool,
    /// Compile fuel checks in ([`crate::RuntimeConfig::with_fuel`]); the same rule as for
    /// `interruption`: the artifact loads only into runtimes with fuel on.
    pub fuel: bool,
    /// Compile function listener hooks in (see [`crate::listener`]); the artifact then
    /// loads only into runtimes with a listener factory
    /// ([`crate::RuntimeConfig::with_function_listener_factory`]), and the default
    /// artifact only into runtimes without one.
    pub listeners: bool,
}

impl Default for AotOptions {
    /// The host, baseline CPU, a blob, Core 2.0 features, no custom sections, no
    /// interruption or fuel checks.
    fn default() -> Self {
        Self {
            target: None,
            cpu: CpuTarget::Baseline,
            emit: Emit::Blob,
            features: CoreFeatures::V3,
            custom_sections: false,
            interruption: false,
            fuel: false,
            listeners: false,
        }
    }
}

impl AotOptions {
    /// The compiler settings these options stand for: the code runs in memories reserved
    /// as every 64-bit Kiln runtime reserves them (4 GiB plus a 2 GiB guard region, no
    /// bounds checks).
    ///
    /// # Errors
    /// [`Error::Compile`] for a triple that does not parse.
    pub fn compiler_settings(&self) -> Result<CompilerSettings, Error> {
        let base = match &self.target {
            Some(t) => CompilerSettings::for_target_name(t)?,
            None => CompilerSettings::default(),
        };
        Ok(CompilerSettings {
            cpu: crate::native::cpu_level(self.cpu),
            bounds_checks: BoundsChecks::GuardPages,
            guard_bytes: GUARD_BYTES,
            epoch_interruption: self.interruption,
            fuel: self.fuel,
            listeners: self.listeners,
            verify_ir: false,
            ..base
        })
    }
}

/// Compiles `wasm` to an artifact (a blob or an object, per [`AotOptions::emit`]).
///
/// # Errors
/// [`Error::Compile`] for a malformed, invalid or unsupported module, an unknown or
/// unsupported target (objects: ELF targets only), `Native` for a foreign target, or a
/// code-generation failure.
pub fn compile_artifact(wasm: &[u8], options: &AotOptions) -> Result<Vec<u8>, Error> {
    compile_artifact_with_progress(wasm, options, &|_, _| {})
}

/// [`compile_artifact`], calling `progress(done, total)` from the compile threads after
/// each of the `total` defined functions is compiled.
///
/// # Errors
/// As [`compile_artifact`].
pub fn compile_artifact_with_progress(
    wasm: &[u8],
    options: &AotOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<u8>, Error> {
    let settings = options.compiler_settings()?;
    let info = kiln_runtime_support::module::decode(
        wasm,
        DecodeOptions { features: options.features, keep_custom_sections: options.custom_sections },
    )?;
    Ok(match options.emit {
        Emit::Blob => kiln_compiler::compile_artifact(&info, &settings, progress)?,
        Emit::Obj => {
            let code = kiln_compiler::compile_module_with_progress(&info, &settings, progress)?;
            let trampolines = kiln_compiler::compile_trampolines(&info, &settings)?;
            kiln_compiler::write_object(&info, &settings, &code, &trampolines)?
        }
    })
}
