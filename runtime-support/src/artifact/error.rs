//! Why an artifact was refused: one variant per check, naming what differs.

use super::header::CodeSettings;
use super::signature::SignatureError;
use std::fmt;

/// Which part of an artifact failed an integrity or consistency check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArtifactPart {
    /// The fixed-size header (its checksum does not match).
    Header,
    /// The section table in the header (sections overlap, are misaligned or lie outside
    /// the file).
    Sections,
    /// Everything after the header but the cold sections (its digest does not match the
    /// header's, or the padding between sections is not zero).
    Payload,
    /// The cold sections: the address map and the source-line table (their SHA-256 does
    /// not match the header's); found on their first use, not at load.
    DebugInfo,
    /// The metadata section (does not decode, or disagrees with the other sections).
    Metadata,
    /// The function, trap-site or entry tables.
    Tables,
    /// The relocations of a relocatable object's code (unknown type, target outside the
    /// code, or out of range).
    Relocations,
    /// The structure of a relocatable object's ELF file (headers, section table, symbols).
    ObjectFile,
}

impl fmt::Display for ArtifactPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArtifactPart::Header => "header",
            ArtifactPart::Sections => "section table",
            ArtifactPart::Payload => "payload",
            ArtifactPart::DebugInfo => "debug info",
            ArtifactPart::Metadata => "metadata",
            ArtifactPart::Tables => "code tables",
            ArtifactPart::Relocations => "relocations",
            ArtifactPart::ObjectFile => "ELF structure",
        })
    }
}

/// An artifact that cannot be loaded here. Every check runs before any byte of the
/// artifact is mapped executable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArtifactError {
    /// The file ends before the length its header (or the fixed header size) requires.
    Truncated {
        /// Its length in bytes.
        found: u64,
        /// The length it must have, in bytes.
        expected: u64,
    },
    /// It does not start with the artifact magic (not a Kiln artifact).
    BadMagic,
    /// Written in another version of the artifact format.
    FormatVersion {
        /// The artifact's format version.
        found: u32,
        /// The version this Kiln reads.
        expected: u32,
    },
    /// Compiled for another runtime ABI (VMContext layout, builtins, calling convention).
    AbiVersion {
        /// The artifact's ABI version.
        found: u32,
        /// This runtime's ABI version.
        expected: u32,
    },
    /// Compiled for another architecture or operating system.
    Target {
        /// The artifact's target triple.
        found: String,
        /// This host, as `arch-os`.
        expected: String,
    },
    /// The code needs CPU features this host lacks.
    CpuFeatures {
        /// The artifact's CPU level (`x86-64-v2`, `armv8.0-a`, `native`...).
        level: String,
        /// The required features missing here, by name.
        missing: Vec<String>,
    },
    /// Compiled with code-generation settings this runtime cannot run.
    Settings {
        /// The artifact's settings.
        found: CodeSettings,
        /// What this runtime needs.
        expected: CodeSettings,
    },
    /// Compiled from another module binary than the one given.
    WasmMismatch,
    /// A checksum or consistency check failed: the artifact is corrupted.
    Corrupt {
        /// Which part.
        part: ArtifactPart,
        /// What was found.
        detail: String,
    },
    /// The artifact's signature is missing, by a key that is not trusted, or does not
    /// verify, under a runtime that requires signatures ([`super::signature`]).
    Signature(SignatureError),
    /// The artifact could not be read or mapped.
    Io(String),
}

impl fmt::Display for ArtifactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArtifactError::Truncated { found, expected } => {
                write!(f, "artifact is truncated: {found} bytes, expected {expected}")
            }
            ArtifactError::BadMagic => f.write_str("not a Kiln artifact (bad magic)"),
            ArtifactError::FormatVersion { found, expected } => write!(
                f,
                "artifact format version {found} is not supported (this Kiln reads version {expected})"
            ),
            ArtifactError::AbiVersion { found, expected } => write!(
                f,
                "artifact was compiled for runtime ABI {found}, this runtime has ABI {expected}; recompile it"
            ),
            ArtifactError::Target { found, expected } => {
                write!(f, "artifact was compiled for {found}, this host is {expected}")
            }
            ArtifactError::CpuFeatures { level, missing } => write!(
                f,
                "artifact needs CPU features this host lacks ({level}): missing {}",
                missing.join(", ")
            ),
            ArtifactError::Settings { found, expected } => write!(
                f,
                "artifact was compiled with other code settings: {}",
                found.describe_difference(expected, "the artifact")
            ),
            ArtifactError::WasmMismatch => {
                f.write_str("artifact was compiled from a different module binary")
            }
            ArtifactError::Corrupt { part, detail } => {
                write!(f, "artifact is corrupted ({part}): {detail}")
            }
            ArtifactError::Signature(e) => e.fmt(f),
            ArtifactError::Io(m) => write!(f, "cannot read artifact: {m}"),
        }
    }
}

impl std::error::Error for ArtifactError {}
