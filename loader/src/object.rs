//! Loading relocatable ELF objects (`kiln compile --emit obj`, DESIGN.md principle 3): the
//! other artifact format. The object's Kiln sections
//! ([`kiln_runtime_support::artifact::object_sections`]) carry the blob header's facts,
//! the SHA-256 of every part the loader uses, the item table, trap sites, address map,
//! metadata and data image; `.text` still needs its relocations applied.
//!
//! Order of checks, every one before any byte becomes executable: the ELF identity
//! (64-bit little-endian; a file shorter than its headers say is [`ArtifactError::Truncated`]),
//! the ELF structure (a relocatable file the `object` crate parses), `.kiln.meta` (present,
//! magic, version, seal), the signature in `.kiln.sig` over `.kiln.meta` (under a signature
//! policy), the facts against this host and runtime (ABI version, target,
//! CPU features, settings: the blob's checks, with the blob's errors), the ELF machine
//! against the recorded target, the relocations (known types for the machine, targets that
//! are code items, sites inside `.text`), and then every part against its digest. Only then
//! are the tables built and checked, the metadata decoded, `.text` copied into fresh memory,
//! relocated, and made read+execute (never writable and executable at once).
//!
//! Relocations resolve only to code items of the same object (runtime builtins and imports
//! are reached through the VMContext), so an object has no undefined symbols to bind.

use crate::LoadedArtifact;
use kiln_runtime_support::artifact::cold::ColdHash;
use kiln_runtime_support::artifact::object_meta::ObjectMeta;
use kiln_runtime_support::artifact::object_relocs::{self, ObjectReloc, RelocKind};
use kiln_runtime_support::artifact::object_sections::{
    ADDRESS_MAP_SECTION, DATA_SECTION, LINES_SECTION, META_SECTION, METADATA_SECTION, ObjectParts,
    SIGNATURE_SECTION, TRAPS_SECTION, decode_metadata, verify_parts,
};
use kiln_runtime_support::artifact::object_tables::{
    AddressRecord, TrapRecord, code_tables, decode_address_map, decode_traps,
};
use kiln_runtime_support::artifact::signature::{self, SLOT_SIZE, SecretKey, Signer};
use kiln_runtime_support::artifact::source_lines::SourceLines;
use kiln_runtime_support::artifact::{
    ArtifactError, ArtifactHeader, ArtifactMetadata, ArtifactPart, Checks, ColdSections, Section,
    SectionTable, metadata,
};
use kiln_runtime_support::engine::{Code, Module};
use kiln_runtime_support::vm::{CodeMemory, CodeTables, CompiledModuleCode, SharedBytes, bytes_of};
use object::read::elf::ElfFile64;
use object::{
    Architecture, LittleEndian, Object, ObjectKind, ObjectSection, ObjectSymbol, RelocationFlags,
    RelocationTarget, elf,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// The first bytes of every ELF file.
pub const ELF_MAGIC: [u8; 4] = *b"\x7fELF";
/// Size of an ELF64 file header in bytes.
const ELF64_HEADER: usize = 64;

/// Whether `bytes` look like an ELF file (or the start of one: a non-empty prefix of its
/// magic, so that a truncated object is reported as truncated, not as a bad blob).
pub fn is_object(bytes: &[u8]) -> bool {
    if bytes.len() < ELF_MAGIC.len() {
        !bytes.is_empty() && ELF_MAGIC.starts_with(bytes)
    } else {
        bytes.starts_with(&ELF_MAGIC)
    }
}

/// An object whose checks all passed: its facts (as an [`ArtifactHeader`]), its item
/// table, and the parts the loader uses, read in place from the file's bytes.
#[derive(Debug)]
pub struct VerifiedObject<'a> {
    /// The facts of `.kiln.meta` in blob-header form ([`ObjectMeta::artifact_header`]).
    pub header: ArtifactHeader,
    /// The decoded `.kiln.meta`.
    pub meta: ObjectMeta,
    /// The trap sites (`.kiln.traps`).
    pub traps: Vec<TrapRecord>,
    /// The address map (`.kiln.addrmap`).
    pub address_map: Vec<AddressRecord>,
    text: &'a [u8],
    relocations: Vec<ObjectReloc>,
    metadata: &'a [u8],
    data: &'a [u8],
    lines: Range<usize>,
}

impl<'a> VerifiedObject<'a> {
    /// The source-line table (`.kiln.lines`) in `bytes`, the object this was verified from
    /// (shared), as cold sections to be checked against their digest on first use.
    pub fn cold(&self, bytes: SharedBytes) -> ColdSections {
        ColdSections::new(
            bytes,
            vec![self.lines.clone()],
            ColdHash::Sha256,
            self.meta.digests.lines,
        )
    }

    /// Decodes `.kiln.metadata`.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for the metadata when it does not decode.
    pub fn metadata(&self) -> Result<ArtifactMetadata, ArtifactError> {
        decode_metadata(self.metadata)
    }

    /// The initialized-data image (`.kiln.data`).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Length of `.text` in bytes.
    pub fn code_len(&self) -> usize {
        self.text.len()
    }

    /// A copy of `.text` with every relocation applied: the code as it runs when placed at
    /// any 4 KiB-aligned address (every relocation is PC-relative within `.text`), and
    /// byte for byte what a linker produces for `.text` placed at address 0.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for the relocations when a site lies outside `.text` or a
    /// target is out of its instruction's range.
    pub fn linked_text(&self) -> Result<Vec<u8>, ArtifactError> {
        let mut text = self.text.to_vec();
        for r in &self.relocations {
            let target = self.meta.items[r.target_item as usize].text_offset;
            object_relocs::apply(&mut text, r.site, r.kind, target, r.addend)
                .map_err(reloc_error)?;
        }
        Ok(text)
    }
}

fn elf_error(detail: impl Into<String>) -> ArtifactError {
    ArtifactError::Corrupt { part: ArtifactPart::ObjectFile, detail: detail.into() }
}

fn reloc_error(detail: impl Into<String>) -> ArtifactError {
    ArtifactError::Corrupt { part: ArtifactPart::Relocations, detail: detail.into() }
}

fn u16_at(b: &[u8], at: usize) -> u64 {
    u64::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

/// Checks the ELF identity and that the file is as long as its section-header table says
/// (objects keep that table after the section data, so any truncation cuts it).
fn check_identity(bytes: &[u8]) -> Result<(), ArtifactError> {
    let truncated =
        |expected: u64| ArtifactError::Truncated { found: bytes.len() as u64, expected };
    if !bytes.starts_with(&ELF_MAGIC) {
        return Err(if is_object(bytes) {
            truncated(ELF64_HEADER as u64)
        } else {
            ArtifactError::BadMagic
        });
    }
    if bytes.len() < ELF64_HEADER {
        return Err(truncated(ELF64_HEADER as u64));
    }
    // e_ident[EI_CLASS] and e_ident[EI_DATA].
    if bytes[4] != elf::ELFCLASS64 || bytes[5] != elf::ELFDATA2LSB {
        return Err(elf_error("not a 64-bit little-endian ELF file"));
    }
    let shoff = u64::from_le_bytes(bytes[0x28..0x30].try_into().expect("8 bytes"));
    let (shentsize, shnum) = (u16_at(bytes, 0x3a), u16_at(bytes, 0x3c).max(1));
    let end = shentsize
        .checked_mul(shnum)
        .and_then(|n| n.checked_add(shoff))
        .ok_or_else(|| elf_error("section headers overflow"))?;
    if (bytes.len() as u64) < end {
        return Err(truncated(end));
    }
    Ok(())
}

/// The relocation kind of ELF relocation type `r_type` on `arch`, if Kiln's code uses it.
fn reloc_kind(arch: Architecture, r_type: u32) -> Option<RelocKind> {
    Some(match (arch, r_type) {
        (Architecture::X86_64, elf::R_X86_64_PLT32 | elf::R_X86_64_PC32) => RelocKind::X86PcRel32,
        (Architecture::Aarch64, elf::R_AARCH64_CALL26 | elf::R_AARCH64_JUMP26) => {
            RelocKind::Arm64Branch26
        }
        (Architecture::Aarch64, elf::R_AARCH64_ADR_PREL_PG_HI21) => RelocKind::Arm64AdrPrelPgHi21,
        (Architecture::Aarch64, elf::R_AARCH64_ADD_ABS_LO12_NC) => RelocKind::Arm64AddAbsLo12Nc,
        _ => return None,
    })
}

/// The architecture a target triple names (its first component), as the `object` crate
/// names ELF machines.
fn triple_arch(triple: &str) -> Architecture {
    match triple.split('-').next() {
        Some("x86_64") => Architecture::X86_64,
        Some("aarch64" | "arm64") => Architecture::Aarch64,
        _ => Architecture::Unknown,
    }
}

type Elf<'a> = ElfFile64<'a, LittleEndian>;

/// The only section named `name`, if any.
fn unique_section<'a, 'f>(
    elf: &'f Elf<'a>,
    name: &str,
) -> Result<Option<object::read::elf::ElfSection64<'a, 'f, LittleEndian>>, ArtifactError> {
    let mut found = elf.sections().filter(|s| s.name() == Ok(name));
    let first = found.next();
    if found.next().is_some() {
        return Err(elf_error(format!("two sections named {name}")));
    }
    Ok(first)
}

fn section_data<'a>(elf: &Elf<'a>, name: &str) -> Result<(&'a [u8], (u64, u64)), ArtifactError> {
    let s = unique_section(elf, name)?.ok_or_else(|| elf_error(format!("no {name} section")))?;
    let data = s.data().map_err(|e| elf_error(format!("{name}: {e}")))?;
    Ok((data, file_range(elf, &s, name)?))
}

/// The section's file range (offset, length), checked to lie inside the file: the `object`
/// crate reads nothing for an empty section, so its offset may be anything.
fn file_range(
    elf: &Elf<'_>,
    s: &object::read::elf::ElfSection64<'_, '_, LittleEndian>,
    name: &str,
) -> Result<(u64, u64), ArtifactError> {
    let (offset, len) = s.file_range().unwrap_or_default();
    if offset.checked_add(len).is_none_or(|end| end > elf.data().len() as u64) {
        return Err(elf_error(format!("{name} lies outside the file")));
    }
    Ok((offset, len))
}

/// The relocations of `.text` as [`ObjectReloc`]s sorted by site, each target symbol
/// resolved to the code item starting at its address.
fn relocations(
    elf: &Elf<'_>,
    text: Option<&object::read::elf::ElfSection64<'_, '_, LittleEndian>>,
    meta: &ObjectMeta,
    arch: Architecture,
) -> Result<Vec<ObjectReloc>, ArtifactError> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let item_at: HashMap<u64, u32> = meta
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (u64::from(item.text_offset), i as u32))
        .collect();
    let mut out = Vec::new();
    for (offset, r) in text.relocations() {
        let RelocationFlags::Elf { r_type } = r.flags() else {
            return Err(reloc_error("not an ELF relocation"));
        };
        let kind = reloc_kind(arch, r_type).ok_or_else(|| {
            reloc_error(format!("unknown relocation type {r_type} at {offset:#x} for {arch:?}"))
        })?;
        if r.has_implicit_addend() {
            return Err(reloc_error("REL relocations (implicit addends) are not Kiln's"));
        }
        let RelocationTarget::Symbol(index) = r.target() else {
            return Err(reloc_error(format!("relocation at {offset:#x} does not target a symbol")));
        };
        let symbol = elf.symbol_by_index(index).map_err(|e| {
            reloc_error(format!("relocation at {offset:#x} names symbol {}: {e}", index.0))
        })?;
        let target_item = (symbol.section_index() == Some(text.index()))
            .then(|| item_at.get(&symbol.address()).copied())
            .flatten()
            .ok_or_else(|| {
                reloc_error(format!(
                    "relocation at {offset:#x} targets symbol {}, which is not a code item",
                    index.0
                ))
            })?;
        out.push(ObjectReloc {
            site: u32::try_from(offset).map_err(|_| {
                reloc_error(format!("relocation site {offset:#x} outside the code"))
            })?,
            kind,
            target_item,
            addend: r.addend(),
        });
    }
    out.sort_by_key(|r| r.site);
    Ok(out)
}

/// An object whose ELF structure and `.kiln.meta` passed their checks, with its Kiln
/// sections located but not yet checked against their digests.
struct Layout<'a> {
    elf: Elf<'a>,
    meta: ObjectMeta,
    header: ArtifactHeader,
    text_index: Option<object::SectionIndex>,
    text: &'a [u8],
    traps: &'a [u8],
    address_map: &'a [u8],
    metadata: &'a [u8],
    data: &'a [u8],
    lines: Range<usize>,
    meta_bytes: &'a [u8],
    signature: Range<usize>,
}

/// Reads the ELF structure and `.kiln.meta` of the object in `bytes`, and locates its
/// Kiln sections (every check of [`verify`] up to the compatibility checks).
fn read(bytes: &[u8]) -> Result<Layout<'_>, ArtifactError> {
    check_identity(bytes)?;
    let elf = Elf::parse(bytes).map_err(|e| elf_error(e.to_string()))?;
    if elf.kind() != ObjectKind::Relocatable {
        return Err(elf_error("not a relocatable object"));
    }
    let meta_section = unique_section(&elf, META_SECTION)?.ok_or(ArtifactError::BadMagic)?;
    let meta_range = file_range(&elf, &meta_section, META_SECTION)?;
    let meta_bytes = meta_section.data().map_err(|e| elf_error(format!("{META_SECTION}: {e}")))?;
    let (meta, seal) = ObjectMeta::decode(meta_bytes)?;

    let (text_index, text, text_range, text_align) = match unique_section(&elf, ".text")? {
        Some(s) => {
            let data = s.data().map_err(|e| elf_error(format!(".text: {e}")))?;
            (Some(s.index()), data, file_range(&elf, &s, ".text")?, s.align())
        }
        None => (None, &[][..], (0, 0), 1),
    };
    let (traps, traps_range) = section_data(&elf, TRAPS_SECTION)?;
    let (address_map, address_map_range) = section_data(&elf, ADDRESS_MAP_SECTION)?;
    let (metadata, metadata_range) = section_data(&elf, METADATA_SECTION)?;
    let (data, data_range) = section_data(&elf, DATA_SECTION)?;
    let (lines_bytes, lines_range) = section_data(&elf, LINES_SECTION)?;
    let (slot, (slot_at, _)) = section_data(&elf, SIGNATURE_SECTION)?;
    let slot: [u8; SLOT_SIZE] = slot
        .try_into()
        .map_err(|_| elf_error(format!("{SIGNATURE_SECTION} is not {SLOT_SIZE} bytes")))?;
    // `section_data` read the section's bytes, so its file range lies inside `bytes`.
    let lines = lines_range.0 as usize..lines_range.0 as usize + lines_bytes.len();
    let mut sections = SectionTable::default();
    for (s, (offset, len)) in [
        (Section::Code, text_range),
        (Section::Metadata, metadata_range),
        (Section::Functions, meta_range),
        (Section::TrapSites, traps_range),
        (Section::AddressMap, address_map_range),
        (Section::SourceLines, lines_range),
        (Section::Data, data_range),
    ] {
        sections.set(s, offset, len);
    }
    let header = meta.artifact_header(
        seal,
        bytes.len() as u64,
        u32::try_from(text_align).unwrap_or(u32::MAX),
        sections,
        slot,
    );
    Ok(Layout {
        elf,
        meta,
        header,
        text_index,
        text,
        traps,
        address_map,
        metadata,
        data,
        lines,
        meta_bytes,
        signature: slot_at as usize..slot_at as usize + SLOT_SIZE,
    })
}

/// Who signed the object in `bytes`, and whether the signature verifies (after the checks of
/// [`header`]).
///
/// # Errors
/// As [`header`].
pub fn signer(bytes: &[u8]) -> Result<Signer, ArtifactError> {
    let layout = read(bytes)?;
    Ok(signature::signer(&layout.header.signature, layout.meta_bytes))
}

/// Signs the object in `bytes` with `key` in place: fills its `.kiln.sig` section with the
/// key's signature over `.kiln.meta`.
///
/// # Errors
/// As [`header`].
pub fn sign(bytes: &mut [u8], key: &SecretKey) -> Result<(), ArtifactError> {
    let (slot, at) = {
        let layout = read(bytes)?;
        (key.sign(layout.meta_bytes), layout.signature)
    };
    bytes[at].copy_from_slice(&slot);
    Ok(())
}

/// The facts of the object in `bytes` in header form, after checking only its ELF
/// structure and the `.kiln.meta` seal: as [`ArtifactHeader::decode`] for a blob, it says
/// nothing yet about the rest of the object ([`verify`] checks everything).
///
/// # Errors
/// As [`verify`], up to and including the `.kiln.meta` checks.
pub fn header(bytes: &[u8]) -> Result<ArtifactHeader, ArtifactError> {
    Ok(read(bytes)?.header)
}

/// Checks the object in `bytes` (see the module docs for the order) as `checks` says: with
/// settings, that this host and a runtime with those settings can run it (for
/// `kiln inspect`, which describes objects for any target, pass none); with trusted keys,
/// its signature; with the payload digest, every part against its digest.
///
/// # Errors
/// The first failed check: [`ArtifactError::BadMagic`] (not ELF, or an ELF file without
/// `.kiln.meta`), [`ArtifactError::Truncated`], [`ArtifactError::FormatVersion`],
/// [`ArtifactError::Signature`], the compatibility errors of [`ArtifactHeader::check_compatible`], or
/// [`ArtifactError::Corrupt`] naming the ELF structure, the header (`.kiln.meta`), the
/// relocations, the payload, the tables or the metadata.
pub fn verify<'a>(
    bytes: &'a [u8],
    checks: &Checks<'_>,
) -> Result<VerifiedObject<'a>, ArtifactError> {
    let Layout {
        elf,
        meta,
        header,
        text_index,
        text,
        traps,
        address_map,
        metadata,
        data,
        lines,
        meta_bytes,
        signature: _,
    } = read(bytes)?;
    if let Some(trust) = checks.trust {
        trust.check(&header.signature, meta_bytes)?;
    }
    if let Some(expected) = checks.settings {
        header.check_compatible(expected)?;
    }
    let arch = elf.architecture();
    if arch != triple_arch(&meta.target) {
        return Err(elf_error(format!(
            "ELF machine {arch:?} is not the architecture of target {}",
            meta.target
        )));
    }
    let text_section = text_index
        .map(|i| elf.section_by_index(i))
        .transpose()
        .map_err(|e| elf_error(e.to_string()))?;
    let relocations = relocations(&elf, text_section.as_ref(), &meta, arch)?;
    if checks.must_hash(&header.payload_digest) {
        verify_parts(
            &meta,
            &ObjectParts { text, relocations: &relocations, traps, address_map, metadata, data },
        )?;
    }
    let tables = |detail: String| ArtifactError::Corrupt { part: ArtifactPart::Tables, detail };
    Ok(VerifiedObject {
        traps: decode_traps(traps).map_err(tables)?,
        address_map: decode_address_map(address_map).map_err(tables)?,
        header,
        meta,
        text,
        relocations,
        metadata,
        data,
        lines,
    })
}

/// Loads the object in `shared` as `checks` say: verifies it ([`verify`]), builds and checks its code tables, decodes its metadata, copies `.text`
/// into fresh memory, applies the relocations, maps it read+execute and registers it with
/// trap handling.
///
/// # Errors
/// As [`verify`]; [`ArtifactError::Corrupt`] for the tables, the metadata or the
/// relocations (a target out of the instruction's range) when they are inconsistent;
/// [`ArtifactError::Io`] when the host refuses the executable mapping. Nothing is mapped
/// executable in any error case.
pub(crate) fn load(
    shared: SharedBytes,
    checks: &Checks<'_>,
) -> Result<LoadedArtifact, ArtifactError> {
    let v = verify(bytes_of(&shared), checks)?;
    let tables_error =
        |detail: String| ArtifactError::Corrupt { part: ArtifactPart::Tables, detail };
    let code_len =
        u32::try_from(v.text.len()).map_err(|_| tables_error(".text exceeds 4 GiB".into()))?;
    let encoded = code_tables(&v.meta, &v.traps, &v.address_map, code_len).map_err(tables_error)?;
    let module_meta = v.metadata()?;
    let cold = Arc::new(v.cold(shared.clone()));
    let info = metadata::join_module(
        module_meta.module,
        kiln_runtime_support::module::ModuleBytes::from(v.data),
        Arc::new(SourceLines::new(cold.clone(), 0)),
    )
    .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Metadata, detail })?;
    let info = Arc::new(info);
    let (table_bytes, ranges) = encoded.into_shared();
    let tables = CodeTables::new(
        table_bytes,
        ranges,
        v.text.len(),
        info.num_imported_funcs,
        info.num_defined_funcs(),
        info.types.len() as u32,
        None,
    )
    .map_err(tables_error)?;
    module_meta
        .handlers
        .verify(v.text.len(), info.tags.len() as u32)
        .map_err(|d| tables_error(format!("handlers: {d}")))?;

    let text = v.linked_text()?;
    // Everything is verified and linked: only now does any byte become executable.
    let memory = CodeMemory::copy(&text).map_err(|e| ArtifactError::Io(e.message))?;
    let compiled =
        CompiledModuleCode::from_parts(memory, tables, module_meta.handlers, info.clone())
            .map_err(|e| ArtifactError::Corrupt {
                part: ArtifactPart::Tables,
                detail: e.message,
            })?;
    Ok(LoadedArtifact {
        header: v.header.clone(),
        producer: module_meta.producer,
        module: Module { info, code: Code::Compiled(compiled) },
        payload_hashed: checks.must_hash(&v.header.payload_digest),
        bytes: shared.clone(),
        cold,
    })
}
