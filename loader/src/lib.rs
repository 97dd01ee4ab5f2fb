//! Kiln's artifact loader.
//!
//! Maps a `.kiln` blob written by `kiln-compiler` (memmap2, read-only and private),
//! verifies its header, its signature (under a signature policy) and the digest of its
//! payload before anything else is trusted ([`kiln_runtime_support::artifact::verify`]; the
//! payload is hashed in place, in the mapping, on the first load of the file only:
//! [`verified`]), checks its function table, entries and metadata, and only then makes the code section
//! of that same mapping read+execute (one `mprotect`: the code is position-independent and
//! already linked, so its pages stay clean, file-backed and shared), registers its trap
//! tables and hands back a [`Module`] that instantiates exactly like an interpreted one
//! (DESIGN.md, principles 2 and 3).
//!
//! A module whose artifact has a memory image
//! ([`kiln_runtime_support::artifact::memory_image`]) and was loaded from a file keeps the
//! file open: each instantiation maps the image copy-on-write from it into the new memory.
//!
//! What is read in place: the code (file-backed executable pages, not read at load), the
//! function, trap-site, address-map and entry tables (at load only the function table's
//! entries and the entry table are read; the trap sites when a trap is looked up), the
//! source-line table (the address map and the source lines are the cold sections: not part
//! of the payload digest, verified against their own the first time a backtrace or
//! [`LoadedArtifact::verify_debug_info`] reads them, see
//! [`kiln_runtime_support::artifact::cold`]), and the data section (the module's data
//! segments are ranges of the mapping, [`kiln_runtime_support::module::ModuleBytes`]; passive
//! segments, and active ones without a mapped image, are copied from there at
//! instantiation). What is decoded: the metadata (into a [`ModuleInfo`]). When the artifact
//! comes as bytes ([`load_bytes`]) rather than a file, the bytes are copied once and code is
//! copied into fresh executable pages; there is no mapped image, so active segments are
//! copied too.
//!
//! Relocatable ELF objects (`kiln compile --emit obj`) load through the same entry points,
//! recognized by their magic: [`object`] verifies them as thoroughly, then copies their code,
//! applies its relocations and maps it read+execute.
//!
//! # Trust model
//!
//! An artifact is native code: whoever wrote it can run anything in the loading process.
//! The checksums (header checksum, payload digest, per-part digests of an object) prove
//! integrity — the bytes are what a Kiln compiler wrote, not truncated, bit-flipped or
//! spliced — but not authenticity: anyone who can write an artifact can write one with
//! valid checksums. Authenticity comes from signatures
//! ([`kiln_runtime_support::artifact::signature`]): under a signature policy (a set of
//! trusted Ed25519 keys in [`LoadOptions::trust`]) an artifact loads only if one of those
//! keys signed its header (blob) or `.kiln.meta` (object), which name every other byte by
//! its digest; an unsigned, wrongly signed or altered artifact is refused with a typed
//! error before any byte is mapped executable. That makes [`load_file`] and [`load_bytes`]
//! safe functions. Loading with no policy is [`load_file_unsigned`] /
//! [`load_bytes_unsigned`], `unsafe`: the caller vouches for where the artifact comes from.
//!
//! Verification is paid once per file ([`verified`]): after a load that hashed an artifact
//! file's payload, a record keyed by the file's identity (device, inode, size,
//! modification and change times) lets later loads of the unchanged file skip the payload
//! hash. Everything else — the header and its checksum, the signature, the compatibility
//! checks, the section table, the padding, the metadata, and the tables the loader reads —
//! is checked at every load, and the header must name the digest the record holds. A file
//! altered in any way gets a new change time, which an unprivileged process cannot set
//! back, so it is hashed again. What this trusts, beyond the above: the record directory
//! (the user's own cache directory: whoever can write it can make an altered file skip its
//! hash, but can also change that user's programs), and the file system's change times
//! (root can set the clock or edit a disk; some network and FUSE file systems report
//! change times the server controls — turn verify-once off for artifacts on those).
//!
//! What the checks do not defend against: a trusted key that signs a malicious artifact
//! (the signer is trusted to run code here), and anyone who can write the loading
//! process's memory or its own binary.

#![warn(missing_docs)]

pub mod object;
pub mod verified;

pub use verified::{FileIdentity, VerifiedFiles};

use kiln_runtime_support::artifact::source_lines::SourceLines;
use kiln_runtime_support::artifact::{
    self, ArtifactError, ArtifactHeader, ArtifactPart, Checks, CodeSettings, ColdSections, Section,
    SignatureError, TrustedKeys, VerifiedArtifact, metadata,
};
use kiln_runtime_support::engine::{Code, Module};
use kiln_runtime_support::module::{ModuleBytes, ModuleInfo};
use kiln_runtime_support::vm::{
    CodeMemory, CodeTables, CompiledModuleCode, MemoryImage, SharedBytes, TableRanges, bytes_of,
};
use std::path::Path;
use std::sync::Arc;

/// A loaded artifact: its header and the module, ready to instantiate.
pub struct LoadedArtifact {
    /// The verified header.
    pub header: ArtifactHeader,
    /// Who compiled it (from the metadata).
    pub producer: String,
    /// The module: metadata and native code, mapped executable and registered with trap
    /// handling.
    pub module: Module,
    /// Whether this load hashed the payload (`false`: a verify-once record showed the
    /// unchanged file had passed that check before).
    pub payload_hashed: bool,
    bytes: SharedBytes,
    cold: Arc<ColdSections>,
}

impl std::fmt::Debug for LoadedArtifact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedArtifact")
            .field("header", &self.header)
            .field("producer", &self.producer)
            .finish_non_exhaustive()
    }
}

impl LoadedArtifact {
    /// Checks the artifact's cold sections — the address map and the source-line table
    /// (an object: its `.kiln.lines`) — against the header's digest, on the first use only
    /// (later calls, and backtraces, reuse the answer).
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for [`ArtifactPart::DebugInfo`] when they do not match.
    pub fn verify_debug_info(&self) -> Result<(), ArtifactError> {
        self.cold.verify()
    }

    /// The cold sections (to check them later, as [`LoadedArtifact::verify_debug_info`]).
    pub fn debug_info(&self) -> &Arc<ColdSections> {
        &self.cold
    }

    /// The whole artifact, as mapped (or copied, for [`load_bytes`]).
    pub fn bytes(&self) -> &SharedBytes {
        &self.bytes
    }
}

fn io(path: &Path, e: std::io::Error) -> ArtifactError {
    ArtifactError::Io(format!("{}: {e}", path.display()))
}

/// Where the code comes from once everything is verified.
enum CodeSource {
    /// Make the code section executable in place: the bytes are a private read-only
    /// mapping of the artifact file, kept open to map the memory image from.
    Mapped(Arc<std::fs::File>),
    /// Copy it out of the verified bytes.
    Copy,
}

/// How the loader treats an artifact.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions<'a> {
    /// The code-generation settings of the runtime the module will run in (the artifact's
    /// must equal them).
    pub settings: &'a CodeSettings,
    /// The keys one of which must have signed the artifact. Empty: no signature policy,
    /// which only the `unsafe` loading functions accept.
    pub trust: &'a TrustedKeys,
    /// Where the verify-once records of artifact files live ([`verified`]); `None` hashes
    /// the payload at every load.
    pub verified_files: Option<&'a VerifiedFiles>,
}

impl<'a> LoadOptions<'a> {
    /// The checks of [`artifact::verify`] these options ask for.
    fn checks(&self, verified_digest: Option<[u8; 32]>) -> Checks<'a> {
        Checks {
            settings: Some(self.settings),
            trust: (!self.trust.is_empty()).then_some(self.trust),
            verified_digest,
        }
    }

    /// `Ok` when a signature policy is set (what the safe loading functions need).
    fn require_policy(&self) -> Result<(), ArtifactError> {
        if self.trust.is_empty() {
            return Err(ArtifactError::Signature(SignatureError::NoTrustedKeys));
        }
        Ok(())
    }
}

/// Maps the artifact at `path` — a `.kiln` blob or a relocatable object, told apart by
/// their magic — and loads it under the signature policy of `options`, which must trust at
/// least one key: the artifact must be signed by one of them, so loading it runs only code
/// whose builder the caller trusts.
///
/// The file must not be modified while it is loaded (writers replace artifacts by renaming
/// a new file over them, which leaves a loaded one intact).
///
/// # Errors
/// [`ArtifactError::Signature`] with [`SignatureError::NoTrustedKeys`] when `options`
/// trusts no key; [`ArtifactError::Io`] when the file cannot be opened or mapped;
/// otherwise the first failed check of [`artifact::verify`] (of [`object::verify`] for an
/// object), or [`ArtifactError::Corrupt`] when the metadata or tables are inconsistent.
/// Nothing is mapped executable in any error case.
pub fn load_file(path: &Path, options: &LoadOptions<'_>) -> Result<LoadedArtifact, ArtifactError> {
    options.require_policy()?;
    load_file_checked(path, options)
}

/// [`load_file`] without requiring a signature policy: with no trusted key in `options`,
/// an artifact loads whoever built it (its integrity and compatibility are still checked).
///
/// # Safety
/// An artifact is native code that runs in this process. With no trusted key, nothing
/// proves who wrote it: anyone who can write the file can make one that passes every
/// check. The caller vouches that the file comes from a source it would run a native
/// binary from (its own compiler, a build it controls). With trusted keys in `options` this
/// is [`load_file`].
///
/// # Errors
/// As [`load_file`], without [`SignatureError::NoTrustedKeys`].
pub unsafe fn load_file_unsigned(
    path: &Path,
    options: &LoadOptions<'_>,
) -> Result<LoadedArtifact, ArtifactError> {
    load_file_checked(path, options)
}

fn load_file_checked(
    path: &Path,
    options: &LoadOptions<'_>,
) -> Result<LoadedArtifact, ArtifactError> {
    let file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    let identity = FileIdentity::of(&file).map_err(|e| io(path, e))?;
    let recorded = options.verified_files.and_then(|v| v.recorded(&identity));
    let checks = options.checks(recorded);
    let len = identity.size;
    if len == 0 {
        // Nothing to map; report what is wrong with an empty artifact.
        artifact::verify(&[], &checks)?;
    }
    let len = usize::try_from(len)
        .map_err(|_| ArtifactError::Io(format!("{}: file too large", path.display())))?;
    let mut map_options = memmap2::MmapOptions::new();
    map_options.len(len);
    if recorded.is_none() {
        // The payload will be hashed: fill the page tables in one call rather than one
        // fault per few pages. (With a record, nothing is read but what a load needs.)
        map_options.populate();
    }
    // SAFETY: a read-only private mapping of a file we opened. Rust requires the bytes not
    // to change while borrowed: the file must not be modified in place while loaded (the
    // documented contract; Kiln's own writers replace artifacts by rename). It is never
    // made writable (only its code pages become read+execute, after verification).
    let map = unsafe { map_options.map_copy_read_only(&file) }.map_err(|e| io(path, e))?;
    let shared: SharedBytes = Arc::new(map);
    let file = Arc::new(file);
    let loaded = if object::is_object(bytes_of(&shared)) {
        object::load(shared, &checks)?
    } else {
        load(shared, &checks, CodeSource::Mapped(file.clone()))?
    };
    // Record a verified payload only if the file did not change while it was hashed.
    if let Some(v) = options.verified_files
        && loaded.payload_hashed
        && FileIdentity::of(&file).is_ok_and(|now| now == identity)
    {
        v.record(&identity, &loaded.header.payload_digest);
    }
    Ok(loaded)
}

/// Loads the artifact (blob or object) in `bytes` under the signature policy of
/// `options` (which must trust at least one key). The bytes are copied once (the tables
/// are then read in place from that copy) and the code is copied into fresh executable
/// pages.
///
/// # Errors
/// As [`load_file`], minus the I/O errors.
pub fn load_bytes(
    bytes: &[u8],
    options: &LoadOptions<'_>,
) -> Result<LoadedArtifact, ArtifactError> {
    options.require_policy()?;
    load_bytes_checked(bytes, options)
}

/// [`load_bytes`] without requiring a signature policy.
///
/// # Safety
/// As [`load_file_unsigned`]: with no trusted key, the caller vouches that the bytes come
/// from a source it would run a native binary from.
///
/// # Errors
/// As [`load_bytes`], without [`SignatureError::NoTrustedKeys`].
pub unsafe fn load_bytes_unsigned(
    bytes: &[u8],
    options: &LoadOptions<'_>,
) -> Result<LoadedArtifact, ArtifactError> {
    load_bytes_checked(bytes, options)
}

fn load_bytes_checked(
    bytes: &[u8],
    options: &LoadOptions<'_>,
) -> Result<LoadedArtifact, ArtifactError> {
    let checks = options.checks(None);
    if object::is_object(bytes) {
        return object::load(Arc::new(bytes.to_vec()), &checks);
    }
    load(Arc::new(bytes.to_vec()), &checks, CodeSource::Copy)
}

fn load(
    shared: SharedBytes,
    checks: &Checks<'_>,
    source: CodeSource,
) -> Result<LoadedArtifact, ArtifactError> {
    let v = artifact::verify(bytes_of(&shared), checks)?;
    let payload_hashed = checks.must_hash(&v.header.payload_digest);
    let s = &v.header.sections;
    let ranges = TableRanges {
        functions: s.range(Section::Functions),
        trap_sites: s.range(Section::TrapSites),
        address_map: s.range(Section::AddressMap),
        entries: s.range(Section::Entries),
    };
    let mut loaded = finish(&v, &shared, ranges, source)?;
    loaded.payload_hashed = payload_hashed;
    Ok(loaded)
}

fn finish(
    v: &VerifiedArtifact<'_>,
    shared: &SharedBytes,
    ranges: TableRanges,
    source: CodeSource,
) -> Result<LoadedArtifact, ArtifactError> {
    let meta = v.metadata()?;
    // The data section stays in the mapping (or the copied bytes); nothing is copied here.
    let data = ModuleBytes::slice(shared.clone(), v.header.sections.range(Section::Data))
        .ok_or_else(|| ArtifactError::Corrupt {
            part: ArtifactPart::Payload,
            detail: "data section out of range".into(),
        })?;
    let cold = Arc::new(v.cold(shared.clone()));
    let lines = Arc::new(SourceLines::new(cold.clone(), 1));
    let info: ModuleInfo = metadata::join_module(meta.module, data, lines)
        .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Metadata, detail })?;
    let info = Arc::new(info);
    let code = v.section(Section::Code);
    let tables = CodeTables::new(
        shared.clone(),
        ranges,
        code.len(),
        info.num_imported_funcs,
        info.num_defined_funcs(),
        info.types.len() as u32,
        Some(cold.clone()),
    )
    .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Tables, detail })?;
    meta.handlers.verify(code.len(), info.tags.len() as u32).map_err(|detail| {
        ArtifactError::Corrupt { part: ArtifactPart::Tables, detail: format!("handlers: {detail}") }
    })?;

    // Everything is verified: only now does any byte become executable.
    let image = match &meta.memory_image {
        Some(decl) => {
            decl.validate(&info, v.section(Section::Data).len()).map_err(|detail| {
                ArtifactError::Corrupt { part: ArtifactPart::Metadata, detail }
            })?;
            match &source {
                CodeSource::Mapped(file) => MemoryImage::new(
                    file.clone(),
                    v.header.sections.get(Section::Data).offset,
                    *decl,
                ),
                CodeSource::Copy => None,
            }
        }
        None => None,
    };
    let code_range = v.header.sections.range(Section::Code);
    // perf names code in a file mapping by the file, never by the perf map: under perf-map
    // profiling the code is copied into anonymous pages, which perf looks up in the map.
    let profiled = kiln_runtime_support::vm::perf_map::is_enabled();
    let memory = match source {
        CodeSource::Mapped(_)
            if !profiled
                && !code.is_empty()
                && code_range
                    .start
                    .is_multiple_of(kiln_runtime_support::vm::code_memory::page_size()) =>
        {
            CodeMemory::protect_in_mapping(shared.clone(), code_range)
        }
        _ => CodeMemory::copy(code),
    }
    .map_err(|e| ArtifactError::Io(e.message))?;
    let mut compiled = CompiledModuleCode::from_parts(memory, tables, meta.handlers, info.clone())
        .map_err(|e| ArtifactError::Corrupt { part: ArtifactPart::Tables, detail: e.message })?;
    if let Some(image) = image {
        compiled = compiled.with_memory_image(image);
    }
    Ok(LoadedArtifact {
        header: v.header.clone(),
        producer: meta.producer,
        module: Module { info, code: Code::Compiled(compiled) },
        payload_hashed: true,
        bytes: shared.clone(),
        cold,
    })
}
