//! Loading artifacts into a runtime, serializing compiled modules, and describing
//! artifacts (DESIGN.md principles 2 and 3; the format is
//! [`kiln_runtime_support::artifact`], the loader `kiln-loader`). An artifact is a `.kiln`
//! blob or a relocatable ELF object (`kiln compile --emit obj`); every entry point here
//! accepts either, told apart by the magic.
//!
//! Trust model: an artifact's checksums prove it is intact (not truncated, not
//! bit-flipped, header and payload belong together), not who wrote it. Artifacts are native
//! code: load only those you would run as a native binary.

use crate::config::Engine;
use crate::error::Error;
use crate::module::{CompiledModule, ExportType, ImportType};
use crate::runtime::Runtime;
use kiln_runtime_support::artifact::{
    self, ArtifactError, ArtifactHeader, CodeSettings, DwarfSection, MAGIC, Section,
};
use kiln_runtime_support::vm::{SharedBytes, bytes_of};
use std::path::Path;
use std::sync::Arc;

/// The artifact a module was loaded from: its bytes (the mapped file or a copy) and its
/// header (for an object, its facts in header form).
#[derive(Clone)]
pub(crate) struct LoadedFrom {
    pub(crate) bytes: SharedBytes,
    pub(crate) header: ArtifactHeader,
}

impl From<kiln_loader::LoadedArtifact> for CompiledModule {
    fn from(loaded: kiln_loader::LoadedArtifact) -> Self {
        let bytes = loaded.bytes().clone();
        let interruption = loaded.header.settings.epoch_interruption;
        CompiledModule {
            inner: Arc::new(loaded.module),
            artifact: Some(LoadedFrom { bytes, header: loaded.header }),
            interruption,
        }
    }
}

/// What [`Runtime::load_artifact_or_wasm`] does when the artifact is missing, incompatible
/// with this host or runtime, corrupted, or compiled from another module binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArtifactFallback {
    /// Run the module binary on the interpreter.
    Interpret,
    /// Compile the module binary natively for this host and replace the artifact file
    /// with the result (atomically), then load that.
    Recompile,
    /// Return the artifact's error.
    Fail,
}

/// Whether `bytes` start like a Kiln artifact — a `.kiln` blob (its magic) or an ELF
/// object (`\x7fELF`) — as opposed to a wasm binary.
pub fn is_artifact(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC) || bytes.starts_with(&kiln_loader::object::ELF_MAGIC)
}

/// The header of the artifact in `bytes` without loading it: a blob's header, or an
/// object's facts from its `.kiln.meta` section ([`kiln_loader::object::header`]),
/// whatever the target. Only the header's own checks run (its checksum, or the ELF
/// structure and the `.kiln.meta` seal); loading checks the rest.
///
/// # Errors
/// [`Error::Artifact`] when it is not an artifact, or its header is truncated or corrupted.
pub fn artifact_header(bytes: &[u8]) -> Result<ArtifactHeader, Error> {
    if kiln_loader::object::is_object(bytes) {
        return Ok(kiln_loader::object::header(bytes)?);
    }
    Ok(ArtifactHeader::decode(bytes)?)
}

impl Runtime {
    /// The settings native code must have been compiled with to run in this runtime's
    /// memories.
    pub fn code_settings(&self) -> CodeSettings {
        crate::reservation::code_settings(&self.memory_style(), self.config().interruption)
    }

    fn check_native(&self) -> Result<(), Error> {
        if !crate::reservation::native_code_supported() {
            return Err(Error::EngineUnavailable("native code cannot run on this host".into()));
        }
        Ok(())
    }

    /// Loads the artifact at `path`: maps it (read-only), verifies its header against this
    /// host and runtime and its payload checksum, then maps its code read+execute straight
    /// from the file. A relocatable object (`kiln compile --emit obj`) is verified as
    /// thoroughly, then its code is copied, relocated and made read+execute. The module
    /// instantiates like any other.
    ///
    /// # Errors
    /// [`Error::Artifact`] naming what differs or is broken (see
    /// [`ArtifactError`]); [`Error::EngineUnavailable`] when native code cannot run on this
    /// host. Nothing is mapped executable when it fails.
    pub fn load_artifact(&self, path: impl AsRef<Path>) -> Result<CompiledModule, Error> {
        self.check_native()?;
        Ok(kiln_loader::load_file(path.as_ref(), &self.code_settings())?.into())
    }

    /// Loads an artifact (blob or object) from memory (copied once; its code is copied into
    /// fresh executable pages).
    ///
    /// # Errors
    /// As [`Runtime::load_artifact`], minus the I/O errors.
    pub fn load_artifact_bytes(&self, bytes: &[u8]) -> Result<CompiledModule, Error> {
        self.check_native()?;
        Ok(kiln_loader::load_bytes(bytes, &self.code_settings())?.into())
    }

    /// Loads the artifact at `path` if it is usable here and was compiled from `wasm`;
    /// otherwise applies `fallback` to `wasm`.
    ///
    /// # Errors
    /// With [`ArtifactFallback::Fail`], the artifact's error ([`ArtifactError::WasmMismatch`]
    /// when it belongs to another binary); otherwise the errors of compiling `wasm` and, for
    /// [`ArtifactFallback::Recompile`], of writing and loading the new artifact.
    pub fn load_artifact_or_wasm(
        &self,
        path: impl AsRef<Path>,
        wasm: &[u8],
        fallback: ArtifactFallback,
    ) -> Result<CompiledModule, Error> {
        let path = path.as_ref();
        let failure = match self.load_artifact(path) {
            Ok(m) => {
                let header = m.artifact_header().expect("loaded from an artifact");
                if header.wasm_sha256 == artifact::sha256(wasm) {
                    return Ok(m);
                }
                Error::Artifact(ArtifactError::WasmMismatch)
            }
            Err(e @ (Error::Artifact(_) | Error::EngineUnavailable(_))) => e,
            Err(e) => return Err(e),
        };
        match fallback {
            ArtifactFallback::Fail => Err(failure),
            ArtifactFallback::Interpret => self.compile_with_engine(wasm, Engine::Interpreter),
            ArtifactFallback::Recompile => self.recompile_artifact(path, wasm),
        }
    }

    #[cfg(feature = "compiler")]
    fn recompile_artifact(&self, path: &Path, wasm: &[u8]) -> Result<CompiledModule, Error> {
        self.check_native()?;
        let opts = crate::aot::AotOptions {
            features: self.config().features,
            custom_sections: self.config().custom_sections,
            interruption: self.config().interruption,
            ..crate::aot::AotOptions::default()
        };
        let bytes = crate::aot::compile_artifact(wasm, &opts)?;
        crate::atomic_file::write_atomically(path, &bytes)
            .map_err(|e| ArtifactError::Io(format!("cannot write {}: {e}", path.display())))?;
        self.load_artifact(path)
    }

    #[cfg(not(feature = "compiler"))]
    fn recompile_artifact(&self, _path: &Path, _wasm: &[u8]) -> Result<CompiledModule, Error> {
        Err(Error::EngineUnavailable(
            "this build of Kiln has no compiler to recompile the artifact".into(),
        ))
    }
}

impl CompiledModule {
    /// The module as an artifact that [`Runtime::load_artifact`] and
    /// [`Runtime::load_artifact_bytes`] load: the loaded bytes (blob or object) for a module
    /// that came from an artifact, else a `.kiln` blob of its natively compiled code,
    /// tables and metadata.
    ///
    /// # Errors
    /// [`Error::EngineUnavailable`] for a module that runs on the interpreter (it has no
    /// native code) or, without the `compiler` feature, one compiled in process.
    pub fn serialize(&self) -> Result<Vec<u8>, Error> {
        if let Some(a) = &self.artifact {
            return Ok(bytes_of(&a.bytes).to_vec());
        }
        #[cfg(feature = "compiler")]
        {
            crate::native::serialize(&self.inner, self.interruption)
        }
        #[cfg(not(feature = "compiler"))]
        {
            Err(Error::EngineUnavailable(
                "serializing needs the compiler feature or a loaded artifact".into(),
            ))
        }
    }

    /// The DWARF section of the artifact this module was loaded from (the module's
    /// `.debug_*` sections; empty when it has none), verified against the header's digest
    /// on first use; `None` for a module not loaded from an artifact.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for the DWARF section when it does not match its digest
    /// (the module still runs; its backtraces show wasm offsets without file:line).
    pub fn artifact_dwarf(&self) -> Option<Result<&[u8], ArtifactError>> {
        self.inner.info.dwarf.artifact_section().map(|s| s.bytes())
    }

    /// The header of the artifact this module was loaded from, if it was (for an object,
    /// its facts in header form: see `ObjectMeta::artifact_header`).
    pub fn artifact_header(&self) -> Option<ArtifactHeader> {
        Some(self.artifact.as_ref()?.header.clone())
    }
}

/// What an artifact holds, for `kiln inspect`: the header plus the module's shape.
#[derive(Clone, Debug)]
pub struct ArtifactSummary {
    /// Whether it is a relocatable ELF object (`--emit obj`) rather than a `.kiln` blob.
    pub is_object: bool,
    /// The header (target, CPU level and features, settings, checksums, sections; for an
    /// object, its facts in header form, with the ELF sections holding each part).
    pub header: ArtifactHeader,
    /// Who compiled it.
    pub producer: String,
    /// The module's name from its name section.
    pub name: Option<String>,
    /// Defined functions.
    pub defined_functions: u32,
    /// Imported functions.
    pub imported_functions: u32,
    /// Size of the code section in bytes.
    pub code_bytes: u64,
    /// Number of trap sites in the code.
    pub trap_sites: u64,
    /// Imports, in declaration order.
    pub imports: Vec<ImportType>,
    /// Exports, in declaration order.
    pub exports: Vec<ExportType>,
    /// Whether this host and a default runtime (no interruption checks) can load it, or
    /// why not.
    pub loadable_here: Result<(), ArtifactError>,
    /// The DWARF section's length in bytes when it matches its digest (0: the module has
    /// no DWARF), else [`ArtifactError::Corrupt`] for the DWARF: a corrupted DWARF section
    /// does not stop the artifact from loading, only its backtraces lose file:line.
    pub dwarf: Result<u64, ArtifactError>,
    /// The memory image instantiation maps copy-on-write from an artifact file, if the
    /// compiler wrote one (its memory, offset and length in bytes).
    pub memory_image: Option<kiln_runtime_support::artifact::memory_image::MemoryImageDecl>,
}

/// Describes the artifact (blob or object) in `bytes` after checking its integrity
/// (header and payload checksums; every part digest of an object; the DWARF section's
/// digest is reported in [`ArtifactSummary::dwarf`]), whatever target it was compiled for.
///
/// # Errors
/// [`Error::Artifact`] when it is not an artifact or is corrupted.
pub fn inspect_artifact(bytes: &[u8]) -> Result<ArtifactSummary, Error> {
    let is_object = kiln_loader::object::is_object(bytes);
    let (header, meta, data, dwarf, code_bytes, trap_sites) = if is_object {
        let v = kiln_loader::object::verify(bytes, None)?;
        let dwarf = v.wasm_dwarf(Arc::new(bytes.to_vec()));
        (
            v.header.clone(),
            v.metadata()?,
            v.data(),
            dwarf,
            v.code_len() as u64,
            v.traps.len() as u64,
        )
    } else {
        let v = artifact::verify_integrity(bytes)?;
        let traps = v.header.sections.get(Section::TrapSites).len
            / kiln_runtime_support::vm::TRAP_RECORD_BYTES as u64;
        let dwarf_bytes: SharedBytes = Arc::new(v.section(Section::Dwarf).to_vec());
        let dwarf = DwarfSection::new(
            dwarf_bytes,
            0..v.section(Section::Dwarf).len(),
            v.header.dwarf_sha256,
        );
        (
            v.header.clone(),
            v.metadata()?,
            v.section(Section::Data),
            dwarf,
            v.header.sections.get(Section::Code).len,
            traps,
        )
    };
    let dwarf = Arc::new(dwarf);
    let m = &artifact::metadata::join_module(
        meta.module,
        kiln_runtime_support::module::ModuleBytes::from(data),
        dwarf.clone(),
    )
    .map_err(|detail| ArtifactError::Corrupt {
        part: kiln_runtime_support::artifact::ArtifactPart::Metadata,
        detail,
    })?;
    let default_settings = crate::reservation::code_settings(
        &crate::reservation::memory_style(
            Engine::Auto,
            kiln_runtime_support::vm::MemoryStyle::default(),
        ),
        false,
    );
    Ok(ArtifactSummary {
        is_object,
        loadable_here: header.check_compatible(&default_settings),
        producer: meta.producer.clone(),
        name: m.names.module.clone(),
        defined_functions: m.num_defined_funcs(),
        imported_functions: m.num_imported_funcs,
        code_bytes,
        trap_sites,
        imports: m
            .imports
            .iter()
            .map(|i| ImportType {
                module: i.module.clone(),
                name: i.name.clone(),
                ty: m.entity_type(i.index),
            })
            .collect(),
        exports: m
            .exports
            .iter()
            .map(|e| ExportType { name: e.name.clone(), ty: m.entity_type(e.index) })
            .collect(),
        dwarf: dwarf.bytes().map(|b| b.len() as u64),
        memory_image: meta.memory_image,
        header,
    })
}
