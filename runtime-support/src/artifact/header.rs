//! The fixed-size header every artifact starts with, read and checked before anything else
//! (DESIGN.md principle 2).
//!
//! Layout ([`HEADER_SIZE`] bytes, little-endian):
//!
//! | offset | size | field |
//! |-------:|-----:|-------|
//! | 0 | 8 | magic [`MAGIC`] |
//! | 8 | 4 | artifact format version ([`FORMAT_VERSION`]) |
//! | 12 | 4 | header size ([`HEADER_SIZE`]) |
//! | 16 | 4 | runtime ABI version ([`ABI_VERSION`]) |
//! | 20 | 4 | code-section alignment in bytes (other sections: see [`super::sections`]) |
//! | 24 | 64 | target triple, UTF-8, NUL-padded |
//! | 88 | 16 | CPU level name, NUL-padded |
//! | 104 | 8 | required CPU features ([`CpuFeatures`] bits) |
//! | 112 | 8 | the compiler's settings fingerprint |
//! | 120 | 1 | bounds checks: 0 guard pages, 1 explicit |
//! | 121 | 1 | epoch interruption: 0 or 1 |
//! | 122 | 1 | fuel checks: 0 or 1 |
//! | 123 | 1 | function listener hooks: 0 or 1 |
//! | 124 | 4 | zero |
//! | 128 | 8 | guard bytes after each 4 GiB reservation (0 with explicit checks) |
//! | 136 | 32 | SHA-256 of the source wasm |
//! | 168 | 32 | payload digest: BLAKE3 of every section but the cold ones ([`super::payload_digest`]) |
//! | 200 | 8 | file length in bytes |
//! | 208 | 128 | section table: [`SECTION_COUNT`] × (offset u64, length u64), in [`Section::ALL`] order |
//! | 336 | 32 | Kiln version that wrote it, NUL-padded (informational) |
//! | 368 | 32 | cold digest: BLAKE3 of the address map and the source lines (checked on first use, see [`super::cold`]) |
//! | 400 | 96 | signature slot: signer's Ed25519 public key, then the signature over [`super::signature::CONTEXT`] and bytes 0..400; all zero when unsigned ([`super::signature`]) |
//! | 496 | 8 | zero |
//! | 504 | 8 | header checksum: the first 8 bytes of SHA-256 of bytes 0..504 |

use super::cpu::CpuFeatures;
use super::error::{ArtifactError, ArtifactPart};
use super::sections::{SECTION_COUNT, Section, SectionTable};
use super::signature::SLOT_SIZE;
use sha2::{Digest, Sha256};
use std::fmt;

/// The bytes every artifact starts with (a NUL first, so it is never a wasm binary
/// `\0asm` nor text; CR LF and ^Z catch text-mode transfers).
pub const MAGIC: [u8; 8] = *b"\0KILN\r\n\x1a";
/// The artifact format version this Kiln writes and reads (bump on any layout change).
///
/// 5: memory and table types carry their index type (memory64); value types are the 3.0
/// reference types (typed function references).
///
/// 6: module types carry their recursion group and declared supertype (the 3.0 type
/// system); the module metadata carries exception tags (the tag index space, tag imports
/// and exports) and the `exn` heap types.
///
/// 7: memory types carry whether they are shared (threads); the metadata carries the
/// exception-handler table of compiled code ([`crate::vm::HandlerTable`]).
///
/// 8: element segments carry their items as function indices where every item is
/// `ref.func` ([`crate::module::ElementItems`]).
///
/// 9: function names are records into the data image, which carries the names
/// ([`crate::module::FunctionNames`]), instead of strings in the metadata.
pub const FORMAT_VERSION: u32 = 9;
/// The runtime ABI version: the contract between compiled code and the runtime
/// (VMContext layout, builtins table, calling conventions, trap-code numbers, code tables).
/// Kept apart from the crate version so a release that keeps the ABI loads older
/// artifacts; bump it whenever that contract changes. Version 2: `v128` values in
/// signatures (Cranelift `i8x16` parameters and results), in the array-call and wasm-call
/// trampolines (16-byte `ValRaw` slots read and written whole) and in globals; the wasm-call
/// convention is Cranelift's `tail` (tail calls); the memory and table builtins take and
/// return `i64` addresses, sizes, lengths and element indices (memory64). Version 3: the
/// `type_check` builtin (`call_indirect` to a declared subtype); the VMContext ends with one
/// `*const VMTag` per tag (exception handling). Version 4: one `*mut VMMemoryDefinition`
/// per memory (not only per imported one) before the defined memories, through which
/// compiled code reaches shared memories; the builtins `memory_atomic_wait32/64` and
/// `memory_atomic_notify` (threads); trap codes `unaligned atomic` (16) and `expected
/// shared memory` (17); exception handling in compiled code: the `exn_new`, `exn_catch`,
/// `throw`, `unwind_pending` and `exn_is` builtins, calls inside
/// handlers as Cranelift `try_call`s whose landing pads receive the `exnref` in the first
/// exception payload register, the module's throw trampoline. Version 5: the function
/// listener builtins `listener_before`, `listener_after` and `listener_unwind`
/// ([`crate::vm::listener`]).
pub const ABI_VERSION: u32 = 5;
/// Size of the fixed header in bytes.
pub const HEADER_SIZE: usize = 512;

const CHECKSUM_AT: usize = 504;
/// The header bytes a signature covers: `0..SIGNED_LEN` (everything before the signature
/// slot).
pub const SIGNED_LEN: usize = 400;
const TARGET_LEN: usize = 64;
const LEVEL_LEN: usize = 16;
const VERSION_LEN: usize = 32;

/// How compiled memory accesses are kept in bounds (mirrors the compiler's setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoundsMode {
    /// No checks: every 32-bit memory is a 4 GiB reservation plus a guard region.
    GuardPages,
    /// Every access is compared with the memory's current length.
    Explicit,
}

/// The code-generation settings the runtime must match to run an artifact's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CodeSettings {
    /// The bounds-check mode.
    pub bounds_checks: BoundsMode,
    /// Guard bytes after each memory's 4 GiB reservation the code relies on (0 with
    /// explicit checks).
    pub guard_bytes: u64,
    /// Whether the code checks the epoch deadline.
    pub epoch_interruption: bool,
    /// Whether the code consumes fuel (`VMStoreContext::fuel`) at function entries and
    /// loop headers.
    pub fuel: bool,
    /// Whether the code calls the function listener hooks at function entries and returns
    /// ([`crate::vm::listener`]).
    pub listeners: bool,
}

impl CodeSettings {
    /// The size in bytes of [`Self::to_bytes`]: the record both the blob header (at 120)
    /// and an object's `.kiln.meta` (at 136) hold.
    pub const ENCODED_LEN: usize = 16;

    /// The settings as stored: byte 0 the bounds checks (0 guard pages, 1 explicit), bytes
    /// 1, 2 and 3 epoch interruption, fuel and function listener hooks (0 or 1), 4..8 zero,
    /// 8..16 the guard bytes (little-endian).
    pub fn to_bytes(&self) -> [u8; Self::ENCODED_LEN] {
        let mut b = [0; Self::ENCODED_LEN];
        b[0] = match self.bounds_checks {
            BoundsMode::GuardPages => 0,
            BoundsMode::Explicit => 1,
        };
        b[1] = u8::from(self.epoch_interruption);
        b[2] = u8::from(self.fuel);
        b[3] = u8::from(self.listeners);
        b[8..].copy_from_slice(&self.guard_bytes.to_le_bytes());
        b
    }

    /// Reads [`Self::to_bytes`]'s record.
    ///
    /// # Errors
    /// The field whose byte is out of range, as text for [`ArtifactError::Corrupt`]
    /// (`"unknown bounds-check mode"`, `"bad epoch flag"`, `"bad fuel flag"`, `"bad
    /// listeners flag"`).
    pub fn from_bytes(b: &[u8; Self::ENCODED_LEN]) -> Result<Self, &'static str> {
        let flag = |byte: u8, what: &'static str| match byte {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(what),
        };
        Ok(CodeSettings {
            bounds_checks: match b[0] {
                0 => BoundsMode::GuardPages,
                1 => BoundsMode::Explicit,
                _ => return Err("unknown bounds-check mode"),
            },
            epoch_interruption: flag(b[1], "bad epoch flag")?,
            fuel: flag(b[2], "bad fuel flag")?,
            listeners: flag(b[3], "bad listeners flag")?,
            guard_bytes: u64::from_le_bytes(b[8..].try_into().expect("8 bytes")),
        })
    }

    /// `"fuel: off in the artifact, on here"`-style text naming each field that differs
    /// from `other`, where these settings are those of `holder` (`"the artifact"`, `"the
    /// module"`).
    pub fn describe_difference(&self, other: &CodeSettings, holder: &str) -> String {
        let mut parts = Vec::new();
        if self.bounds_checks != other.bounds_checks || self.guard_bytes != other.guard_bytes {
            parts.push(format!(
                "bounds checks: {} in {holder}, {} here",
                self.bounds(),
                other.bounds()
            ));
        }
        let on = |b: bool| if b { "on" } else { "off" };
        let switches = [
            ("epoch interruption", self.epoch_interruption, other.epoch_interruption),
            ("fuel", self.fuel, other.fuel),
            ("function listeners", self.listeners, other.listeners),
        ];
        for (name, found, here) in switches {
            if found != here {
                parts.push(format!("{name}: {} in {holder}, {} here", on(found), on(here)));
            }
        }
        parts.join("; ")
    }

    fn bounds(&self) -> String {
        match self.bounds_checks {
            BoundsMode::GuardPages => format!("guard pages ({} MiB guard)", self.guard_bytes >> 20),
            BoundsMode::Explicit => "explicit".to_string(),
        }
    }
}

impl fmt::Display for CodeSettings {
    /// Formats as `bounds checks: ..., epoch interruption: on|off`, then `, fuel: on`
    /// when the code consumes fuel and `, function listeners: on` when it calls them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bounds checks: {}, epoch interruption: {}",
            self.bounds(),
            if self.epoch_interruption { "on" } else { "off" }
        )?;
        if self.fuel {
            f.write_str(", fuel: on")?;
        }
        if self.listeners {
            f.write_str(", function listeners: on")?;
        }
        Ok(())
    }
}

/// The decoded header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactHeader {
    /// Artifact format version.
    pub format_version: u32,
    /// Runtime ABI version.
    pub abi_version: u32,
    /// Alignment of the code section's offset, in bytes (a power of two, at least 4096;
    /// the other sections' alignments are given in [`super::sections`]).
    pub section_align: u32,
    /// Target triple the code was compiled for (at most 64 bytes).
    pub target: String,
    /// CPU level name (at most 16 bytes): `x86-64-v2`, `armv8.0-a` or `native`.
    pub cpu_level: String,
    /// CPU features the code requires.
    pub cpu_features: CpuFeatures,
    /// The compiler's fingerprint of every setting that changes generated code (with the
    /// compiler and Cranelift versions); equal fingerprints mean interchangeable code.
    pub settings_fingerprint: u64,
    /// The settings the runtime must match.
    pub settings: CodeSettings,
    /// SHA-256 of the module binary the artifact was compiled from.
    pub wasm_sha256: [u8; 32],
    /// The payload digest: BLAKE3 of everything after the header except the cold sections
    /// and the padding, in 1 MiB chunks ([`super::payload_digest`]); for an object, the
    /// SHA-256 seal of `.kiln.meta`, which names every part's digest.
    pub payload_digest: [u8; 32],
    /// BLAKE3 of the cold sections (the address map, then the source lines), checked the
    /// first time either is read (see [`super::cold`]), not at load. For an object, the
    /// digest of `.kiln.lines`.
    pub cold_digest: [u8; 32],
    /// Total file length in bytes.
    pub file_len: u64,
    /// Where each section lies.
    pub sections: SectionTable,
    /// The Kiln version that wrote it (at most 32 bytes; informational only).
    pub kiln_version: String,
    /// The signature slot ([`super::signature`]): all zero when unsigned. For an object,
    /// the contents of its `.kiln.sig` section.
    pub signature: [u8; SLOT_SIZE],
}

fn put_str(out: &mut [u8], s: &str) {
    let b = s.as_bytes();
    out[..b.len()].copy_from_slice(b);
}

fn get_str(b: &[u8]) -> Result<String, ArtifactError> {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8(b[..end].to_vec()).map_err(|_| ArtifactError::Corrupt {
        part: ArtifactPart::Header,
        detail: "a text field is not UTF-8".into(),
    })
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

fn header_checksum(b: &[u8]) -> [u8; 8] {
    let d = Sha256::digest(&b[..CHECKSUM_AT]);
    d[..8].try_into().expect("8 bytes")
}

impl ArtifactHeader {
    /// Encodes the header, sealing it with its checksum.
    ///
    /// # Panics
    /// When the target, CPU level or Kiln version does not fit its field (64, 16 and 32
    /// bytes); the writer checks these first.
    pub fn encode(&self) -> [u8; HEADER_SIZE] {
        assert!(self.target.len() <= TARGET_LEN && self.cpu_level.len() <= LEVEL_LEN);
        assert!(self.kiln_version.len() <= VERSION_LEN);
        let mut b = [0u8; HEADER_SIZE];
        b[0..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&self.format_version.to_le_bytes());
        b[12..16].copy_from_slice(&(HEADER_SIZE as u32).to_le_bytes());
        b[16..20].copy_from_slice(&self.abi_version.to_le_bytes());
        b[20..24].copy_from_slice(&self.section_align.to_le_bytes());
        put_str(&mut b[24..24 + TARGET_LEN], &self.target);
        put_str(&mut b[88..88 + LEVEL_LEN], &self.cpu_level);
        b[104..112].copy_from_slice(&self.cpu_features.0.to_le_bytes());
        b[112..120].copy_from_slice(&self.settings_fingerprint.to_le_bytes());
        b[120..136].copy_from_slice(&self.settings.to_bytes());
        b[136..168].copy_from_slice(&self.wasm_sha256);
        b[168..200].copy_from_slice(&self.payload_digest);
        b[200..208].copy_from_slice(&self.file_len.to_le_bytes());
        for (i, s) in Section::ALL.iter().enumerate() {
            let r = self.sections.get(*s);
            let at = 208 + i * 16;
            b[at..at + 8].copy_from_slice(&r.offset.to_le_bytes());
            b[at + 8..at + 16].copy_from_slice(&r.len.to_le_bytes());
        }
        put_str(&mut b[336..336 + VERSION_LEN], &self.kiln_version);
        b[368..400].copy_from_slice(&self.cold_digest);
        b[SIGNED_LEN..SIGNED_LEN + SLOT_SIZE].copy_from_slice(&self.signature);
        let sum = header_checksum(&b);
        b[CHECKSUM_AT..].copy_from_slice(&sum);
        b
    }

    /// Decodes the header at the start of `bytes`, checking (in this order) that it starts
    /// with the magic, that its format version is [`FORMAT_VERSION`], that the whole
    /// header is there, and that its checksum matches. Says nothing yet about whether this
    /// host can run the code ([`ArtifactHeader::check_compatible`]) or whether the payload is
    /// intact.
    ///
    /// # Errors
    /// [`ArtifactError::BadMagic`], [`ArtifactError::FormatVersion`],
    /// [`ArtifactError::Truncated`], or [`ArtifactError::Corrupt`] for the header.
    pub fn decode(bytes: &[u8]) -> Result<ArtifactHeader, ArtifactError> {
        let truncated = |expected: usize| ArtifactError::Truncated {
            found: bytes.len() as u64,
            expected: expected as u64,
        };
        if bytes.len() < MAGIC.len() {
            return Err(if MAGIC.starts_with(bytes) {
                truncated(HEADER_SIZE)
            } else {
                ArtifactError::BadMagic
            });
        }
        if bytes[..8] != MAGIC {
            return Err(ArtifactError::BadMagic);
        }
        if bytes.len() < 12 {
            return Err(truncated(HEADER_SIZE));
        }
        let format_version = u32_at(bytes, 8);
        if format_version != FORMAT_VERSION {
            return Err(ArtifactError::FormatVersion {
                found: format_version,
                expected: FORMAT_VERSION,
            });
        }
        if bytes.len() < HEADER_SIZE {
            return Err(truncated(HEADER_SIZE));
        }
        let b = &bytes[..HEADER_SIZE];
        let corrupt = |detail: &str| ArtifactError::Corrupt {
            part: ArtifactPart::Header,
            detail: detail.into(),
        };
        if b[CHECKSUM_AT..] != header_checksum(b) {
            return Err(corrupt("header checksum mismatch"));
        }
        if u32_at(b, 12) as usize != HEADER_SIZE {
            return Err(corrupt("unexpected header size"));
        }
        let settings =
            CodeSettings::from_bytes(b[120..136].try_into().expect("16 bytes")).map_err(corrupt)?;
        let mut sections = SectionTable::default();
        for (i, s) in Section::ALL.iter().enumerate() {
            let at = 208 + i * 16;
            sections.set(*s, u64_at(b, at), u64_at(b, at + 8));
        }
        debug_assert_eq!(Section::ALL.len(), SECTION_COUNT);
        Ok(ArtifactHeader {
            format_version,
            abi_version: u32_at(b, 16),
            section_align: u32_at(b, 20),
            target: get_str(&b[24..24 + TARGET_LEN])?,
            cpu_level: get_str(&b[88..88 + LEVEL_LEN])?,
            cpu_features: CpuFeatures(u64_at(b, 104)),
            settings_fingerprint: u64_at(b, 112),
            settings,
            wasm_sha256: b[136..168].try_into().expect("32 bytes"),
            payload_digest: b[168..200].try_into().expect("32 bytes"),
            file_len: u64_at(b, 200),
            sections,
            kiln_version: get_str(&b[336..336 + VERSION_LEN])?,
            cold_digest: b[368..400].try_into().expect("32 bytes"),
            signature: b[SIGNED_LEN..SIGNED_LEN + SLOT_SIZE].try_into().expect("slot"),
        })
    }

    /// Checks that this host can run the code: the ABI version is [`ABI_VERSION`], the
    /// target's architecture and OS are the host's, every required CPU feature is present
    /// ([`CpuFeatures::host`]), and the settings equal `expected`.
    ///
    /// # Errors
    /// [`ArtifactError::AbiVersion`], [`ArtifactError::Target`],
    /// [`ArtifactError::CpuFeatures`] (naming the missing features) or
    /// [`ArtifactError::Settings`], in that order.
    pub fn check_compatible(&self, expected: &CodeSettings) -> Result<(), ArtifactError> {
        if self.abi_version != ABI_VERSION {
            return Err(ArtifactError::AbiVersion {
                found: self.abi_version,
                expected: ABI_VERSION,
            });
        }
        if !target_matches_host(&self.target) {
            return Err(ArtifactError::Target {
                found: self.target.clone(),
                expected: host_target(),
            });
        }
        let missing = self.cpu_features.difference(CpuFeatures::host());
        if !missing.is_empty() {
            return Err(ArtifactError::CpuFeatures {
                level: self.cpu_level.clone(),
                missing: missing.names(),
            });
        }
        if self.settings != *expected {
            return Err(ArtifactError::Settings { found: self.settings, expected: *expected });
        }
        Ok(())
    }
}

/// This host as `arch-os` (e.g. `x86_64-linux`), as named in [`ArtifactError::Target`].
pub fn host_target() -> String {
    format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS)
}

/// Whether code for target triple `triple` runs on this host: same architecture (first
/// component; `arm64` counts as `aarch64`) and same operating system (a triple component
/// equal to, or for macOS `darwin`, naming the host OS).
pub fn target_matches_host(triple: &str) -> bool {
    let mut parts = triple.split('-');
    let arch = match parts.next() {
        Some("arm64") => "aarch64",
        Some(a) => a,
        None => return false,
    };
    let os = std::env::consts::OS;
    arch == std::env::consts::ARCH
        && triple.split('-').skip(1).any(|p| p == os || (os == "macos" && p.starts_with("darwin")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> ArtifactHeader {
        ArtifactHeader {
            format_version: FORMAT_VERSION,
            abi_version: ABI_VERSION,
            section_align: 4096,
            target: "x86_64-unknown-linux-gnu".into(),
            cpu_level: "x86-64-v2".into(),
            cpu_features: CpuFeatures(0b11),
            settings_fingerprint: 42,
            settings: CodeSettings {
                bounds_checks: BoundsMode::GuardPages,
                guard_bytes: 2 << 30,
                epoch_interruption: false,
                fuel: true,
                listeners: true,
            },
            wasm_sha256: [1; 32],
            payload_digest: [2; 32],
            file_len: 8192,
            sections: SectionTable::default(),
            kiln_version: "0.1.0".into(),
            cold_digest: [3; 32],
            signature: [0; SLOT_SIZE],
        }
    }

    #[test]
    fn header_round_trips_and_detects_flips() {
        let h = header();
        let b = h.encode();
        assert_eq!(ArtifactHeader::decode(&b).unwrap(), h);
        for i in [0, 9, 30, 130, 300, 340, 370, 505] {
            let mut c = b;
            c[i] ^= 0x10;
            let e = ArtifactHeader::decode(&c).unwrap_err();
            let expected_kind = match i {
                0 => matches!(e, ArtifactError::BadMagic),
                9 => matches!(e, ArtifactError::FormatVersion { .. }),
                _ => matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Header, .. }),
            };
            assert!(expected_kind, "flip at {i}: {e:?}");
        }
        assert!(matches!(
            ArtifactHeader::decode(&b[..100]),
            Err(ArtifactError::Truncated { found: 100, .. })
        ));
        assert!(matches!(ArtifactHeader::decode(&b[..3]), Err(ArtifactError::Truncated { .. })));
        assert!(matches!(ArtifactHeader::decode(b"\0asm\x01\0\0\0"), Err(ArtifactError::BadMagic)));
    }

    #[test]
    fn triples_match_the_host_by_arch_and_os() {
        let host = format!("{}-unknown-{}-gnu", std::env::consts::ARCH, std::env::consts::OS);
        assert!(target_matches_host(&host));
        let other = if std::env::consts::ARCH == "x86_64" { "aarch64" } else { "x86_64" };
        assert!(!target_matches_host(&format!("{other}-unknown-{}-gnu", std::env::consts::OS)));
        assert!(
            !target_matches_host("x86_64-pc-windows-msvc") || std::env::consts::OS == "windows"
        );
    }
}
