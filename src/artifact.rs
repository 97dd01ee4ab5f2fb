//! Loading artifacts into a runtime, serializing compiled modules, and describing
//! artifacts (DESIGN.md principles 2 and 3; the format is
//! [`kiln_runtime_support::artifact`], the loader `kiln-loader`). An artifact is a `.kiln`
//! blob or a relocatable ELF object (`kiln compile --emit obj`); every entry point here
//! accepts either, told apart by the magic.
//!
//! Trust model: an artifact's checksums prove it is intact (not truncated, not
//! bit-flipped, header and payload belong together), not who wrote it; an Ed25519
//! signature proves who built it. Under a signature policy
//! ([`crate::RuntimeConfig::with_trusted_key`]) loading is safe: only artifacts signed by a
//! trusted key load. Without one, loading is `unsafe` ([`Runtime::load_artifact_unsigned`]):
//! artifacts are native code, and the caller vouches for where they come from (see
//! `kiln_loader`'s crate docs for the threat model).

use crate::config::{Engine, VerifyOnce};
use crate::error::Error;
use crate::module::{CompiledModule, ExportType, ImportType};
use crate::runtime::Runtime;
use kiln_runtime_support::artifact::source_lines::SourceLines;
use kiln_runtime_support::artifact::{
    self, ArtifactError, ArtifactHeader, CodeSettings, MAGIC, Section, Signer, TrustedKeys,
};

/// No signature policy (for the artifacts this process's own compiler wrote).
static NO_KEYS: TrustedKeys = TrustedKeys::none();
use kiln_runtime_support::types::{MemoryType, TableType};
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
        CompiledModule {
            inner: Arc::new(loaded.module),
            settings: loaded.header.settings,
            cpu: if loaded.header.cpu_level == "native" {
                crate::CpuTarget::Native
            } else {
                crate::CpuTarget::Baseline
            },
            artifact: Some(LoadedFrom { bytes, header: loaded.header }),
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
    /// with the result (atomically), then load that. The new file is compiled as `kiln
    /// compile` compiles by default, for the baseline CPU ([`crate::CpuTarget::Baseline`],
    /// whatever [`crate::RuntimeConfig::with_cpu`] says), so a file shipped beside an
    /// application stays loadable on any machine it is copied to.
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
        crate::reservation::code_settings(&self.memory_style(), self.config().checks())
    }

    fn check_native(&self) -> Result<(), Error> {
        if !crate::reservation::native_code_supported() {
            return Err(Error::EngineUnavailable("native code cannot run on this host".into()));
        }
        Ok(())
    }

    /// Calls `f` with the options the loader needs for this runtime, under signature
    /// policy `trust`.
    fn with_load_options<R>(
        &self,
        trust: &TrustedKeys,
        f: impl FnOnce(&kiln_loader::LoadOptions<'_>) -> Result<R, ArtifactError>,
    ) -> Result<R, Error> {
        self.check_native()?;
        let settings = self.code_settings();
        let verified = match &self.config().verify_once {
            VerifyOnce::UserCache => kiln_loader::VerifiedFiles::in_user_cache(),
            VerifyOnce::Dir(d) => Some(kiln_loader::VerifiedFiles::new(d)),
            VerifyOnce::Off => None,
        };
        let options = kiln_loader::LoadOptions {
            settings: &settings,
            trust,
            verified_files: verified.as_ref(),
        };
        Ok(f(&options)?)
    }

    /// Loads the artifact at `path` under this runtime's signature policy
    /// ([`crate::RuntimeConfig::with_trusted_key`]): maps it (read-only), checks its header,
    /// that one of the trusted keys signed it, that this host and runtime can run it, and
    /// its payload digest, then maps its code read+execute straight from the file. A
    /// relocatable object (`kiln compile --emit obj`) is verified as thoroughly, then its
    /// code is copied, relocated and made read+execute. The module instantiates like any
    /// other.
    ///
    /// # Errors
    /// [`Error::Artifact`] naming what differs or is broken (see [`ArtifactError`]):
    /// [`ArtifactError::Signature`] when the runtime trusts no key
    /// ([`crate::SignatureError::NoTrustedKeys`]: use [`Runtime::load_artifact_unsigned`]),
    /// or the artifact is unsigned, signed by another key, or its signature does not verify;
    /// [`Error::EngineUnavailable`] when native code cannot run on this host. Nothing is
    /// mapped executable when it fails.
    pub fn load_artifact(&self, path: impl AsRef<Path>) -> Result<CompiledModule, Error> {
        let path = path.as_ref();
        Ok(self
            .with_load_options(self.config().trusted_keys(), |o| kiln_loader::load_file(path, o))?
            .into())
    }

    /// [`Runtime::load_artifact`] without a signature policy: when the runtime trusts no
    /// key, the artifact loads whoever built it (every other check still runs). This is
    /// wasmtime's `Module::deserialize_file` contract.
    ///
    /// # Safety
    /// An artifact is native code that runs in this process with all of its rights, and
    /// without a trusted key nothing proves who wrote it: anyone able to write the file can
    /// make one that passes every check. The caller vouches that the file comes from a
    /// source it would run a native binary from (a build it controls, its own compiler) and
    /// is not modified while loaded. When the runtime trusts keys, this is
    /// [`Runtime::load_artifact`].
    ///
    /// # Errors
    /// As [`Runtime::load_artifact`], without [`crate::SignatureError::NoTrustedKeys`].
    pub unsafe fn load_artifact_unsigned(
        &self,
        path: impl AsRef<Path>,
    ) -> Result<CompiledModule, Error> {
        let path = path.as_ref();
        Ok(self
            .with_load_options(self.config().trusted_keys(), |o| {
                // SAFETY: the caller vouches for the artifact (this function's contract).
                unsafe { kiln_loader::load_file_unsigned(path, o) }
            })?
            .into())
    }

    /// Loads an artifact this process's own compiler wrote (the compilation cache's entries,
    /// a recompiled artifact), with no signature policy.
    pub(crate) fn load_own_artifact(&self, path: &Path) -> Result<CompiledModule, Error> {
        Ok(self
            .with_load_options(&NO_KEYS, |o| {
                // SAFETY: Kiln's compiler wrote this file (into the cache directory or over the
                // path the caller named for recompilation); Kiln replaces such files by rename.
                unsafe { kiln_loader::load_file_unsigned(path, o) }
            })?
            .into())
    }

    /// Loads an artifact (blob or object) from memory under this runtime's signature policy
    /// (copied once; its code is copied into fresh executable pages).
    ///
    /// # Errors
    /// As [`Runtime::load_artifact`], minus the I/O errors.
    pub fn load_artifact_bytes(&self, bytes: &[u8]) -> Result<CompiledModule, Error> {
        Ok(self
            .with_load_options(self.config().trusted_keys(), |o| kiln_loader::load_bytes(bytes, o))?
            .into())
    }

    /// [`Runtime::load_artifact_bytes`] without a signature policy (wasmtime's
    /// `Module::deserialize` contract).
    ///
    /// # Safety
    /// As [`Runtime::load_artifact_unsigned`]: the caller vouches that the bytes come from a
    /// source it would run a native binary from.
    ///
    /// # Errors
    /// As [`Runtime::load_artifact_bytes`], without [`crate::SignatureError::NoTrustedKeys`].
    pub unsafe fn load_artifact_bytes_unsigned(
        &self,
        bytes: &[u8],
    ) -> Result<CompiledModule, Error> {
        Ok(self
            .with_load_options(self.config().trusted_keys(), |o| {
                // SAFETY: the caller vouches for the bytes (this function's contract).
                unsafe { kiln_loader::load_bytes_unsigned(bytes, o) }
            })?
            .into())
    }

    /// Loads an artifact compiled in this process (bytes its own compiler produced).
    pub(crate) fn load_own_artifact_bytes(&self, bytes: &[u8]) -> Result<CompiledModule, Error> {
        Ok(self
            .with_load_options(&NO_KEYS, |o| {
                // SAFETY: Kiln's compiler produced these bytes in this process.
                unsafe { kiln_loader::load_bytes_unsigned(bytes, o) }
            })?
            .into())
    }

    /// Loads the artifact at `path` under this runtime's signature policy if it is usable
    /// here and was compiled from `wasm`; otherwise applies `fallback` to `wasm`. A
    /// recompiled artifact is this process's own output and loads without a signature.
    ///
    /// # Errors
    /// With [`ArtifactFallback::Fail`], the artifact's error ([`ArtifactError::WasmMismatch`]
    /// when it belongs to another binary, [`ArtifactError::Signature`] when it is not signed
    /// by a trusted key or the runtime trusts none); otherwise the errors of compiling `wasm`
    /// and, for [`ArtifactFallback::Recompile`], of writing and loading the new artifact.
    pub fn load_artifact_or_wasm(
        &self,
        path: impl AsRef<Path>,
        wasm: &[u8],
        fallback: ArtifactFallback,
    ) -> Result<CompiledModule, Error> {
        let path = path.as_ref();
        self.artifact_or_wasm(self.load_artifact(path), path, wasm, fallback)
    }

    /// [`Runtime::load_artifact_or_wasm`] without a signature policy.
    ///
    /// # Safety
    /// As [`Runtime::load_artifact_unsigned`], for the artifact at `path`.
    ///
    /// # Errors
    /// As [`Runtime::load_artifact_or_wasm`].
    pub unsafe fn load_artifact_or_wasm_unsigned(
        &self,
        path: impl AsRef<Path>,
        wasm: &[u8],
        fallback: ArtifactFallback,
    ) -> Result<CompiledModule, Error> {
        let path = path.as_ref();
        // SAFETY: the caller vouches for the artifact (this function's contract).
        let loaded = unsafe { self.load_artifact_unsigned(path) };
        self.artifact_or_wasm(loaded, path, wasm, fallback)
    }

    fn artifact_or_wasm(
        &self,
        loaded: Result<CompiledModule, Error>,
        path: &Path,
        wasm: &[u8],
        fallback: ArtifactFallback,
    ) -> Result<CompiledModule, Error> {
        let failure = match loaded {
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
            fuel: self.config().fuel,
            ..crate::aot::AotOptions::default()
        };
        let bytes = crate::aot::compile_artifact(wasm, &opts)?;
        crate::atomic_file::write_atomically(path, &bytes)
            .map_err(|e| ArtifactError::Io(format!("cannot write {}: {e}", path.display())))?;
        self.load_own_artifact(path)
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
            crate::native::serialize(&self.inner, self.cpu, self.checks())
        }
        #[cfg(not(feature = "compiler"))]
        {
            Err(Error::EngineUnavailable(
                "serializing needs the compiler feature or a loaded artifact".into(),
            ))
        }
    }

    /// Checks the debug info of the artifact this module was loaded from — its cold
    /// sections: the address map and the source-line table — against the header's digest
    /// (on the first use only, by this call or a backtrace); `None` for a module not loaded
    /// from an artifact.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for [`crate::ArtifactPart::DebugInfo`] when they do not
    /// match their digest (the module still runs; its backtraces show functions without
    /// wasm offsets or file:line).
    pub fn artifact_debug_info(&self) -> Option<Result<(), ArtifactError>> {
        self.inner.info.dwarf.source_lines().map(|s| s.cold().verify())
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
    /// Every memory's type (index type, limits in pages), imported ones first.
    pub memories: Vec<MemoryType>,
    /// How many of [`ArtifactSummary::memories`] are imported.
    pub imported_memories: u32,
    /// Every table's type (index type, element type, limits), imported ones first.
    pub tables: Vec<TableType>,
    /// How many of [`ArtifactSummary::tables`] are imported.
    pub imported_tables: u32,
    /// Whether this host and a default runtime (no interruption checks) can load it, or
    /// why not.
    pub loadable_here: Result<(), ArtifactError>,
    /// The length in bytes of the debug info — the cold sections: address map and source
    /// lines (an object: its `.kiln.lines`) — when it matches its digest, else
    /// [`ArtifactError::Corrupt`] for [`crate::ArtifactPart::DebugInfo`]: corrupted debug
    /// info does not stop the artifact from loading, only its backtraces lose wasm offsets
    /// and file:line.
    pub debug_info: Result<u64, ArtifactError>,
    /// The memory image instantiation maps copy-on-write from an artifact file, if the
    /// compiler wrote one (its memory, offset and length in bytes).
    pub memory_image: Option<kiln_runtime_support::artifact::memory_image::MemoryImageDecl>,
    /// Who signed it, and whether the signature verifies against that key.
    pub signer: Signer,
}

/// Describes the artifact (blob or object) in `bytes` after checking its integrity
/// (header and payload checksums; every part digest of an object; the debug info's digest
/// is reported in [`ArtifactSummary::debug_info`]), whatever target it was compiled for.
///
/// # Errors
/// [`Error::Artifact`] when it is not an artifact or is corrupted.
pub fn inspect_artifact(bytes: &[u8]) -> Result<ArtifactSummary, Error> {
    let is_object = kiln_loader::object::is_object(bytes);
    let copy: SharedBytes = Arc::new(bytes.to_vec());
    let (header, meta, data, cold, code_bytes, traps) = if is_object {
        let v = kiln_loader::object::verify(bytes, &artifact::Checks::integrity())?;
        let cold = v.cold(copy.clone());
        (
            v.header.clone(),
            v.metadata()?,
            v.data(),
            cold,
            v.code_len() as u64,
            Ok(v.traps.len() as u64),
        )
    } else {
        let v = artifact::verify_integrity(bytes)?;
        let meta = v.metadata()?;
        let s = &v.header.sections;
        let ranges = kiln_runtime_support::vm::TableRanges {
            functions: s.range(Section::Functions),
            trap_sites: s.range(Section::TrapSites),
            address_map: s.range(Section::AddressMap),
            entries: s.range(Section::Entries),
        };
        let m = &meta.module;
        let traps = kiln_runtime_support::vm::CodeTables::new(
            copy.clone(),
            ranges,
            s.get(Section::Code).len as usize,
            m.num_imported_funcs,
            m.num_defined_funcs(),
            m.types.len() as u32,
            None,
        )
        .map(|t| t.num_trap_sites() as u64)
        .map_err(|detail| ArtifactError::Corrupt {
            part: kiln_runtime_support::artifact::ArtifactPart::Tables,
            detail,
        });
        (
            v.header.clone(),
            meta,
            v.section(Section::Data),
            v.cold(copy.clone()),
            s.get(Section::Code).len,
            traps,
        )
    };
    let cold = Arc::new(cold);
    let part = if is_object { 0 } else { 1 };
    let lines = Arc::new(SourceLines::new(cold.clone(), part));
    let m = &artifact::metadata::join_module(
        meta.module,
        kiln_runtime_support::module::ModuleBytes::from(data),
        lines,
    )
    .map_err(|detail| ArtifactError::Corrupt {
        part: kiln_runtime_support::artifact::ArtifactPart::Metadata,
        detail,
    })?;
    let trap_sites = traps?;
    let default_settings = crate::reservation::code_settings(
        &crate::reservation::memory_style(
            Engine::Auto,
            kiln_runtime_support::vm::MemoryStyle::default(),
        ),
        Default::default(),
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
        memories: m.memories.clone(),
        imported_memories: m.num_imported_memories,
        tables: m.tables.iter().map(|t| t.ty).collect(),
        imported_tables: m.num_imported_tables,
        debug_info: cold.verify().map(|()| cold.len() as u64),
        memory_image: meta.memory_image,
        signer: crate::signing::artifact_signer(bytes)?,
        header,
    })
}
