//! The artifact format ("`.kiln` blob"), shared by the compiler (which writes it) and the
//! loader (which maps it): DESIGN.md principles 2 and 3.
//!
//! An artifact is a fixed-size [`header`] followed by its [`sections`] (only the mapped ones
//! page-aligned): linked position-independent code, the bincode [`metadata`] (encoded only
//! in the private `codec` module), the compact code tables read in place
//! ([`crate::vm::CodeTables`]), the [`source_lines`] table, and the initialized-data image.
//!
//! [`verify`] performs every check in order: magic, format version, header length and
//! checksum, the signature (under a signature policy: [`signature`]), ABI version, target,
//! CPU features, settings, file length, section table, payload digest (over every section
//! but the cold ones, on every core for a large artifact: [`payload_digest`]; skipped
//! only when the caller knows these very bytes passed it before) and zero padding between
//! sections. Nothing of an artifact may be mapped executable before it returns `Ok`.
//!
//! The other output, the relocatable object (`--emit obj`), carries the same facts and
//! parts in ELF sections: [`object_sections`] describes them, and the loader links it.
//!
//! Trust model: the checksums establish integrity (the file is what a Kiln compiler
//! wrote, not truncated or bit-flipped), not authenticity: anyone who can write an artifact
//! can write one with valid checksums. A signature ([`signature`]) establishes
//! authenticity: under a signature policy only artifacts signed by a trusted key load. An
//! artifact is native code; without a policy, load only artifacts from a source you would
//! run a native binary from.
//!
//! What is verified when: everything that is executed or steers the loader or the runtime
//! (header, section table, code, metadata, function table, trap sites, entries, data image)
//! is verified before the load returns. The cold sections are not: the address map and the
//! source-line table are never executed and only read to put wasm offsets and file:line on
//! a backtrace (or by `kiln inspect`), so they carry their own digest in the header,
//! checked once, the first time either is read ([`cold::ColdSections`]). Corrupted cold
//! sections therefore load; their first use answers [`ArtifactError::Corrupt`] for
//! [`ArtifactPart::DebugInfo`], and backtraces fall back to frames without wasm offsets or
//! source lines (never values read from unverified bytes). This keeps the load cost
//! independent of the size of the debug information.

mod codec;
pub mod cold;
mod cpu;
mod error;
pub mod header;
pub mod memory_image;
pub mod metadata;
pub mod object_meta;
pub mod object_relocs;
pub mod object_sections;
pub mod object_tables;
pub mod payload_digest;
pub mod sections;
pub mod signature;
pub mod source_lines;

pub use cold::ColdSections;
pub use cpu::CpuFeatures;
pub use error::{ArtifactError, ArtifactPart};
pub use header::{
    ABI_VERSION, ArtifactHeader, BoundsMode, CodeSettings, FORMAT_VERSION, HEADER_SIZE, MAGIC,
    host_target, target_matches_host,
};
pub use metadata::ArtifactMetadata;
pub use payload_digest::digest_payload;
pub use sections::{SECTION_COUNT, Section, SectionRange, SectionTable};
pub use signature::{KeyFingerprint, PublicKey, SecretKey, SignatureError, Signer, TrustedKeys};

use crate::vm::{EncodedTables, SharedBytes};
use sha2::{Digest, Sha256};

/// Everything [`write()`] puts into an artifact.
#[derive(Debug)]
pub struct ArtifactParts<'a> {
    /// Target triple of the code (at most 64 bytes).
    pub target: String,
    /// CPU level name (at most 16 bytes).
    pub cpu_level: String,
    /// CPU features the code requires.
    pub cpu_features: CpuFeatures,
    /// The compiler's settings fingerprint.
    pub settings_fingerprint: u64,
    /// The settings the runtime must match.
    pub settings: CodeSettings,
    /// Code-section alignment in bytes: a power of two of at least 4096, and a multiple of
    /// the target's page size so code maps straight from the file.
    pub section_align: u32,
    /// Metadata (the module with data ranges relative to `data`; see
    /// [`metadata::split_module`]).
    pub metadata: &'a ArtifactMetadata,
    /// SHA-256 of the source module binary.
    pub wasm_sha256: [u8; 32],
    /// Linked code.
    pub code: &'a [u8],
    /// The code tables.
    pub tables: &'a EncodedTables,
    /// The source-line table ([`source_lines::encode`]; empty without DWARF).
    pub source_lines: &'a [u8],
    /// The initialized-data image.
    pub data: &'a [u8],
}

/// The Kiln version recorded in headers.
pub(crate) const KILN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Encodes an artifact.
///
/// # Errors
/// A message when a header text field is too long or the alignment is invalid.
pub fn write(p: &ArtifactParts<'_>) -> Result<Vec<u8>, String> {
    if p.target.len() > 64 || p.cpu_level.len() > 16 {
        return Err(format!(
            "target `{}` or CPU level `{}` is too long for the header",
            p.target, p.cpu_level
        ));
    }
    if !p.section_align.is_power_of_two() || p.section_align < 4096 {
        return Err(format!("invalid section alignment {}", p.section_align));
    }
    let metadata = codec::encode(p.metadata);
    let parts: [&[u8]; SECTION_COUNT] = [
        p.code,
        &metadata,
        &p.tables.functions,
        &p.tables.trap_sites,
        &p.tables.address_map,
        &p.tables.entries,
        p.source_lines,
        p.data,
    ];
    let (sections, file_len) =
        SectionTable::layout(parts.map(<[u8]>::len), u64::from(p.section_align));
    let mut out = vec![0u8; file_len as usize];
    for (s, bytes) in Section::ALL.iter().zip(parts) {
        out[sections.range(*s)].copy_from_slice(bytes);
    }
    let header = ArtifactHeader {
        format_version: FORMAT_VERSION,
        abi_version: ABI_VERSION,
        section_align: p.section_align,
        target: p.target.clone(),
        cpu_level: p.cpu_level.clone(),
        cpu_features: p.cpu_features,
        settings_fingerprint: p.settings_fingerprint,
        settings: p.settings,
        wasm_sha256: p.wasm_sha256,
        payload_digest: digest_payload(&out, &sections),
        cold_digest: cold::cold_digest([&p.tables.address_map[..], p.source_lines]),
        file_len,
        sections,
        kiln_version: KILN_VERSION.to_string(),
        signature: [0; signature::SLOT_SIZE],
    };
    out[..HEADER_SIZE].copy_from_slice(&header.encode());
    Ok(out)
}

/// Signs the blob in `bytes` with `key` in place: fills the header's signature slot with
/// `key`'s signature over the header ([`signature`]) and reseals the header checksum.
///
/// # Errors
/// The errors of [`ArtifactHeader::decode`] when `bytes` does not start with a valid header.
pub fn sign(bytes: &mut [u8], key: &SecretKey) -> Result<(), ArtifactError> {
    let mut header = ArtifactHeader::decode(bytes)?;
    header.signature = key.sign(&bytes[..header::SIGNED_LEN]);
    bytes[..HEADER_SIZE].copy_from_slice(&header.encode());
    Ok(())
}

/// Who signed the blob whose header is `header` and whose bytes start with `bytes` (at
/// least the header), and whether the signature verifies.
pub fn signer(header: &ArtifactHeader, bytes: &[u8]) -> Signer {
    signature::signer(&header.signature, &bytes[..header::SIGNED_LEN.min(bytes.len())])
}

/// SHA-256 of `bytes` (of a module binary, for [`ArtifactHeader::wasm_sha256`] and cache
/// keys).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// An artifact whose every check passed: its header and its bytes.
#[derive(Debug)]
pub struct VerifiedArtifact<'a> {
    /// The header.
    pub header: ArtifactHeader,
    bytes: &'a [u8],
}

impl<'a> VerifiedArtifact<'a> {
    /// The cold sections of `bytes` (the bytes this was verified from): the address map
    /// (part 0) and the source lines (part 1), checked on first use against the header's
    /// cold digest.
    pub fn cold(&self, bytes: SharedBytes) -> ColdSections {
        let s = &self.header.sections;
        ColdSections::new(
            bytes,
            vec![s.range(Section::AddressMap), s.range(Section::SourceLines)],
            cold::ColdHash::Blake3,
            self.header.cold_digest,
        )
    }

    /// Section `s`'s bytes.
    pub fn section(&self, s: Section) -> &'a [u8] {
        &self.bytes[self.header.sections.range(s)]
    }

    /// Decodes the metadata section.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for the metadata when it does not decode.
    pub fn metadata(&self) -> Result<ArtifactMetadata, ArtifactError> {
        codec::decode(self.section(Section::Metadata))
            .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Metadata, detail })
    }
}

/// What [`verify`] checks besides the structure of the artifact (magic, versions, header
/// checksum, length, section table, padding), which it always checks.
#[derive(Clone, Copy, Debug)]
pub struct Checks<'a> {
    /// The code settings of the runtime that will run the code: with them the ABI version,
    /// target, CPU features and settings are checked; `None` (for `kiln inspect`, which
    /// describes artifacts for any target) checks none of these.
    pub settings: Option<&'a CodeSettings>,
    /// The signature policy: the artifact must be signed by one of these keys. `None`
    /// checks no signature.
    pub trust: Option<&'a TrustedKeys>,
    /// A payload digest these very bytes are known to match (the loader's verify-once
    /// record of an unchanged file): when the header names it, the payload is not hashed
    /// again. `None` hashes the payload.
    pub verified_digest: Option<[u8; 32]>,
}

impl Checks<'_> {
    /// Whether the payload of an artifact whose header names `digest` must be hashed.
    pub fn must_hash(&self, digest: &[u8; 32]) -> bool {
        self.verified_digest.as_ref() != Some(digest)
    }
}

impl<'a> Checks<'a> {
    /// Every check, for a runtime with `settings` and no signature policy.
    pub fn all(settings: &'a CodeSettings) -> Self {
        Self { settings: Some(settings), trust: None, verified_digest: None }
    }

    /// The structure and integrity only (no compatibility, no signature).
    pub fn integrity() -> Self {
        Self { settings: None, trust: None, verified_digest: None }
    }
}

/// Checks the artifact in `bytes` (see the module docs for the order) as `checks` says.
///
/// # Errors
/// The first failed check as an [`ArtifactError`].
pub fn verify<'a>(
    bytes: &'a [u8],
    checks: &Checks<'_>,
) -> Result<VerifiedArtifact<'a>, ArtifactError> {
    let header = ArtifactHeader::decode(bytes)?;
    if let Some(trust) = checks.trust {
        trust.check(&header.signature, &bytes[..header::SIGNED_LEN])?;
    }
    if let Some(settings) = checks.settings {
        header.check_compatible(settings)?;
    }
    check_integrity(&header, bytes, checks.must_hash(&header.payload_digest))?;
    Ok(VerifiedArtifact { header, bytes })
}

/// Checks the artifact's structure and integrity without asking whether this host can run
/// it or who signed it (for `kiln inspect`).
///
/// # Errors
/// As [`verify`], minus the compatibility and signature checks.
pub fn verify_integrity(bytes: &[u8]) -> Result<VerifiedArtifact<'_>, ArtifactError> {
    verify(bytes, &Checks::integrity())
}

fn check_integrity(
    header: &ArtifactHeader,
    bytes: &[u8],
    payload_digest: bool,
) -> Result<(), ArtifactError> {
    let len = bytes.len() as u64;
    if len < header.file_len {
        return Err(ArtifactError::Truncated { found: len, expected: header.file_len });
    }
    if len > header.file_len {
        return Err(ArtifactError::Corrupt {
            part: ArtifactPart::Payload,
            detail: format!("{} bytes after the end the header gives", len - header.file_len),
        });
    }
    header.sections.validate(header.section_align, header.file_len)?;
    if payload_digest && digest_payload(bytes, &header.sections) != header.payload_digest {
        return Err(ArtifactError::Corrupt {
            part: ArtifactPart::Payload,
            detail: "payload checksum mismatch".into(),
        });
    }
    if !padding_is_zero(bytes, &header.sections) {
        return Err(ArtifactError::Corrupt {
            part: ArtifactPart::Payload,
            detail: "nonzero padding between sections".into(),
        });
    }
    Ok(())
}

/// Whether every byte of `bytes` between the header and the end of the last section that
/// lies in no section (alignment padding) is zero.
fn padding_is_zero(bytes: &[u8], sections: &SectionTable) -> bool {
    let mut at = HEADER_SIZE;
    for s in sections::FILE_ORDER {
        let r = sections.range(s);
        if r.is_empty() {
            continue;
        }
        if bytes[at..r.start].iter().any(|b| *b != 0) {
            return false;
        }
        at = r.end;
    }
    bytes[at..].iter().all(|b| *b == 0)
}
