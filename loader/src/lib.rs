//! Kiln's artifact loader.
//!
//! Maps a `.kiln` blob written by `kiln-compiler` (memmap2, read-only and private),
//! verifies its header and the SHA-256 of its payload before anything else is trusted
//! ([`kiln_runtime_support::artifact::verify`]; the payload is hashed once, in place, in
//! the mapping), checks its code tables and metadata, and only then makes the code section
//! of that same mapping read+execute (one `mprotect`: the code is position-independent and
//! already linked, so its pages stay clean, file-backed and shared), registers its trap
//! tables and hands back a [`Module`] that instantiates exactly like an interpreted one
//! (DESIGN.md, principles 2 and 3).
//!
//! A module whose artifact has a memory image
//! ([`kiln_runtime_support::artifact::memory_image`]) and was loaded from a file keeps the
//! file open: each instantiation maps the image copy-on-write from it into the new memory.
//!
//! What is read in place: the code (file-backed executable pages), the function, trap-site,
//! address-map and entry tables, and the DWARF section (through the mapping; it is not
//! part of the payload checksum and is verified against its own digest the first time a
//! backtrace or [`LoadedArtifact::dwarf`] reads it, see
//! [`kiln_runtime_support::artifact::dwarf`]), and the data section (the module's data
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
//! Trust model: the checksums prove integrity, not authenticity (see
//! [`kiln_runtime_support::artifact`]); load only artifacts you would run as native code.

#![warn(missing_docs)]

pub mod object;

use kiln_runtime_support::artifact::{
    self, ArtifactError, ArtifactHeader, ArtifactPart, CodeSettings, DwarfSection, Section,
    VerifiedArtifact, metadata,
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
    bytes: SharedBytes,
    dwarf: Arc<DwarfSection>,
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
    /// The artifact's DWARF section: the module's `.debug_*` sections concatenated (empty
    /// when it has none), verified against the header's digest on the first use.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for [`ArtifactPart::Dwarf`] when the section does not
    /// match its digest.
    pub fn dwarf(&self) -> Result<&[u8], ArtifactError> {
        self.dwarf.bytes()
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

/// Maps the artifact at `path` — a `.kiln` blob or a relocatable object, told apart by
/// their magic — and loads it for a runtime whose generated-code settings are `expected`.
///
/// The file must not be modified while it is loaded (writers replace artifacts by renaming
/// a new file over them, which leaves a loaded one intact).
///
/// # Errors
/// [`ArtifactError::Io`] when the file cannot be opened or mapped; otherwise the first
/// failed check of [`artifact::verify`] (of [`object::verify`] for an object), or
/// [`ArtifactError::Corrupt`] when the metadata or tables are inconsistent. Nothing is
/// mapped executable in any error case.
pub fn load_file(path: &Path, expected: &CodeSettings) -> Result<LoadedArtifact, ArtifactError> {
    let file = std::fs::File::open(path).map_err(|e| io(path, e))?;
    let len = file.metadata().map_err(|e| io(path, e))?.len();
    if len == 0 {
        // Nothing to map; report what is wrong with an empty artifact.
        artifact::verify(&[], expected)?;
    }
    let len = usize::try_from(len)
        .map_err(|_| ArtifactError::Io(format!("{}: file too large", path.display())))?;
    // SAFETY: a read-only private mapping of a file we opened. Rust requires the bytes not
    // to change while borrowed: the file must not be modified in place while loaded (the
    // documented contract; Kiln's own writers replace artifacts by rename). It is never
    // made writable (only its code pages become read+execute, after verification).
    let map = unsafe { memmap2::MmapOptions::new().len(len).map_copy_read_only(&file) }
        .map_err(|e| io(path, e))?;
    let shared: SharedBytes = Arc::new(map);
    if object::is_object(bytes_of(&shared)) {
        return object::load(shared, expected);
    }
    load(shared, expected, CodeSource::Mapped(Arc::new(file)))
}

/// Loads the artifact (blob or object) in `bytes` for a runtime whose settings are
/// `expected`. The bytes are
/// copied once (the tables and DWARF are then read in place from that copy) and the code is
/// copied into fresh executable pages.
///
/// # Errors
/// As [`load_file`], minus the I/O errors.
pub fn load_bytes(bytes: &[u8], expected: &CodeSettings) -> Result<LoadedArtifact, ArtifactError> {
    if object::is_object(bytes) {
        return object::load(Arc::new(bytes.to_vec()), expected);
    }
    load(Arc::new(bytes.to_vec()), expected, CodeSource::Copy)
}

fn load(
    shared: SharedBytes,
    expected: &CodeSettings,
    source: CodeSource,
) -> Result<LoadedArtifact, ArtifactError> {
    let v = artifact::verify(bytes_of(&shared), expected)?;
    let s = &v.header.sections;
    let ranges = TableRanges {
        functions: s.range(Section::Functions),
        trap_sites: s.range(Section::TrapSites),
        address_map: s.range(Section::AddressMap),
        entries: s.range(Section::Entries),
    };
    finish(&v, &shared, ranges, source)
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
    let dwarf = Arc::new(v.dwarf(shared.clone()));
    let info: ModuleInfo = metadata::join_module(meta.module, data, dwarf.clone())
        .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Metadata, detail })?;
    let info = Arc::new(info);
    let code = v.section(Section::Code);
    let tables = CodeTables::new(
        shared.clone(),
        ranges,
        code.len(),
        info.num_defined_funcs(),
        info.types.len() as u32,
    )
    .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Tables, detail })?;

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
    let memory = match source {
        CodeSource::Mapped(_)
            if !code.is_empty()
                && code_range
                    .start
                    .is_multiple_of(kiln_runtime_support::vm::code_memory::page_size()) =>
        {
            CodeMemory::protect_in_mapping(shared.clone(), code_range)
        }
        _ => CodeMemory::copy(code),
    }
    .map_err(|e| ArtifactError::Io(e.message))?;
    let mut compiled = CompiledModuleCode::from_parts(memory, tables, info.clone())
        .map_err(|e| ArtifactError::Corrupt { part: ArtifactPart::Tables, detail: e.message })?;
    if let Some(image) = image {
        compiled = compiled.with_memory_image(image);
    }
    Ok(LoadedArtifact {
        header: v.header.clone(),
        producer: meta.producer,
        module: Module { info, code: Code::Compiled(compiled) },
        bytes: shared.clone(),
        dwarf,
    })
}
