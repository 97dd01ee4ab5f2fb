//! The `.kiln.meta` section of a relocatable object (`kiln compile --emit obj`): what the
//! blob header says about a blob ([`super::header`]), plus the object's code items, in a
//! fixed little-endian layout sealed by a SHA-256 of its own bytes.
//!
//! ```text
//! offset  size  field
//!      0     8  magic META_MAGIC b"KILNOBJ\0"
//!      8     4  layout version (META_VERSION)
//!     12     4  fixed-part size (440)
//!     16     4  runtime ABI version (super::ABI_VERSION)
//!     20     4  item count n
//!     24     4  module type count t
//!     28     4  imported functions of the module
//!     32     4  defined functions of the module
//!     36     4  zero
//!     40     8  the compiler's settings fingerprint
//!     48    64  target triple, UTF-8, NUL-padded
//!    112    16  CPU level name, NUL-padded
//!    128     8  required CPU features (CpuFeatures bits)
//!    136     1  bounds checks: 0 guard pages, 1 explicit
//!    137     1  epoch interruption: 0 or 1
//!    138     1  fuel checks: 0 or 1
//!    139     1  function listener hooks: 0 or 1
//!    140     4  zero
//!    144     8  guard bytes after each 4 GiB reservation
//!    152    32  SHA-256 of the source wasm
//!    184   224  SHA-256 of each part, in PartDigests order: the `.text` bytes as
//!               stored (before relocation), the relocations (object_relocs::digest),
//!               `.kiln.traps`, `.kiln.addrmap`, `.kiln.metadata`, `.kiln.data`,
//!               `.kiln.lines` (checked on first use, not at load)
//!    408    32  Kiln version that wrote it, NUL-padded (informational)
//!    440  16*n  item records: kind (ItemKind as u32), index, offset in .text, size in bytes
//!     ..   4*t  per module type, the item number of its wasm-to-array trampoline
//!     ..    32  SHA-256 of every byte before it
//! ```
//!
//! Item `i` is the `i`-th code symbol of the object and the item number that
//! `.kiln.traps`, `.kiln.addrmap` and the relocation digest use.

use super::cpu::CpuFeatures;
use super::error::{ArtifactError, ArtifactPart};
use super::header::{ArtifactHeader, CodeSettings};
use super::sections::SectionTable;
use sha2::{Digest, Sha256};

/// Magic bytes at the start of `.kiln.meta`.
pub const META_MAGIC: [u8; 8] = *b"KILNOBJ\0";
/// Version of the `.kiln.meta`, `.kiln.traps` and `.kiln.addrmap` layouts and of the
/// module metadata an object carries (bump on any change); it is an object's format
/// version.
///
/// 5: memory and table types carry their index type (memory64), as in blob format 5.
///
/// 6: module types carry their recursion group and declared supertype, and the module
/// metadata carries exception tags, as in blob format 6.
///
/// 7: memory types carry whether they are shared (threads), and the module metadata carries
/// the exception-handler table, as in blob format 7.
///
/// 8: element segments carry function indices where every item is `ref.func`, as in blob
/// format 8.
///
/// 9: function names are records into the data image, which carries the names, as in blob
/// format 9.
pub const META_VERSION: u32 = 9;
const FIXED: usize = 440;
const RECORD: usize = 16;
const SEAL: usize = 32;
const TARGET_LEN: usize = 64;
const LEVEL_LEN: usize = 16;
const VERSION_LEN: usize = 32;

/// What a code item of an object is (the `kind` field of an item record).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ItemKind {
    /// A defined wasm function's wasm-call entry; the item's index is its function index.
    Function = 0,
    /// An array-to-wasm body trampoline; index: the function index it calls.
    ArrayToWasm = 1,
    /// An array-call entry trampoline; index: the function index it enters.
    ArrayEntry = 2,
    /// A wasm-to-array trampoline; index: the representative module type index.
    WasmToArray = 3,
}

impl ItemKind {
    /// The kind stored as `value` in an item record, if valid.
    pub fn from_u32(value: u32) -> Option<Self> {
        Some(match value {
            0 => Self::Function,
            1 => Self::ArrayToWasm,
            2 => Self::ArrayEntry,
            3 => Self::WasmToArray,
            _ => return None,
        })
    }
}

/// One code item of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    /// What the item is.
    pub kind: ItemKind,
    /// Function index (functions and per-function trampolines) or type index
    /// (wasm-to-array trampolines).
    pub index: u32,
    /// Offset of the item's first byte in `.text`, in bytes.
    pub text_offset: u32,
    /// Size of the item's code in bytes.
    pub size: u32,
}

/// SHA-256 of every part of an object the loader uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartDigests {
    /// The `.text` section's bytes as stored in the object (relocation fields unpatched).
    pub text: [u8; 32],
    /// The relocations of `.text` ([`super::object_relocs::digest`]).
    pub relocations: [u8; 32],
    /// The `.kiln.traps` section.
    pub traps: [u8; 32],
    /// The `.kiln.addrmap` section.
    pub address_map: [u8; 32],
    /// The `.kiln.metadata` section.
    pub metadata: [u8; 32],
    /// The `.kiln.data` section (the initialized-data image).
    pub data: [u8; 32],
    /// The `.kiln.lines` section (the source-line table), which is checked the first time a
    /// backtrace or `kiln inspect` reads it, not at load ([`super::cold::ColdSections`]), as
    /// a blob's cold sections are.
    pub lines: [u8; 32],
}

impl PartDigests {
    fn all(&self) -> [&[u8; 32]; 7] {
        [
            &self.text,
            &self.relocations,
            &self.traps,
            &self.address_map,
            &self.metadata,
            &self.data,
            &self.lines,
        ]
    }

    fn all_mut(&mut self) -> [&mut [u8; 32]; 7] {
        [
            &mut self.text,
            &mut self.relocations,
            &mut self.traps,
            &mut self.address_map,
            &mut self.metadata,
            &mut self.data,
            &mut self.lines,
        ]
    }
}

/// The decoded `.kiln.meta` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Runtime ABI version the code was compiled for.
    pub abi_version: u32,
    /// Target triple of the code (at most 64 bytes).
    pub target: String,
    /// CPU level name (at most 16 bytes).
    pub cpu_level: String,
    /// CPU features the code requires.
    pub cpu_features: CpuFeatures,
    /// The fingerprint of the settings the code was compiled with.
    pub settings_fingerprint: u64,
    /// The settings the runtime must match.
    pub settings: CodeSettings,
    /// SHA-256 of the module binary the object was compiled from.
    pub wasm_sha256: [u8; 32],
    /// SHA-256 of every loaded part.
    pub digests: PartDigests,
    /// The Kiln version that wrote it (at most 32 bytes; informational).
    pub kiln_version: String,
    /// Number of imported functions of the module.
    pub num_imported_funcs: u32,
    /// Number of defined functions of the module.
    pub num_defined_funcs: u32,
    /// The code items in `.text` order.
    pub items: Vec<ItemRecord>,
    /// Per module type, the item number of the wasm-to-array trampoline serving it.
    pub wasm_to_array: Vec<u32>,
}

fn put_str(out: &mut [u8], s: &str) {
    out[..s.len()].copy_from_slice(s.as_bytes());
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

fn corrupt(detail: impl Into<String>) -> ArtifactError {
    ArtifactError::Corrupt {
        part: ArtifactPart::Header,
        detail: format!("`.kiln.meta`: {}", detail.into()),
    }
}

fn get_str(b: &[u8]) -> Result<String, ArtifactError> {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8(b[..end].to_vec()).map_err(|_| corrupt("a text field is not UTF-8"))
}

impl ObjectMeta {
    /// Encodes the section, sealed with its SHA-256.
    ///
    /// # Errors
    /// When the target, CPU level or Kiln version does not fit its field (64, 16 and 32
    /// bytes), or there are more than `u32::MAX` items or types.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        if self.target.len() > TARGET_LEN
            || self.cpu_level.len() > LEVEL_LEN
            || self.kiln_version.len() > VERSION_LEN
        {
            return Err(format!(
                "target `{}` or CPU level `{}` is too long for `.kiln.meta`",
                self.target, self.cpu_level
            ));
        }
        let count =
            |n: usize| u32::try_from(n).map_err(|_| "too many items for `.kiln.meta`".to_string());
        let (n, t) = (count(self.items.len())?, count(self.wasm_to_array.len())?);
        let mut b = vec![0u8; FIXED];
        b[0..8].copy_from_slice(&META_MAGIC);
        b[8..12].copy_from_slice(&META_VERSION.to_le_bytes());
        b[12..16].copy_from_slice(&(FIXED as u32).to_le_bytes());
        b[16..20].copy_from_slice(&self.abi_version.to_le_bytes());
        b[20..24].copy_from_slice(&n.to_le_bytes());
        b[24..28].copy_from_slice(&t.to_le_bytes());
        b[28..32].copy_from_slice(&self.num_imported_funcs.to_le_bytes());
        b[32..36].copy_from_slice(&self.num_defined_funcs.to_le_bytes());
        b[40..48].copy_from_slice(&self.settings_fingerprint.to_le_bytes());
        put_str(&mut b[48..48 + TARGET_LEN], &self.target);
        put_str(&mut b[112..112 + LEVEL_LEN], &self.cpu_level);
        b[128..136].copy_from_slice(&self.cpu_features.0.to_le_bytes());
        b[136..152].copy_from_slice(&self.settings.to_bytes());
        b[152..184].copy_from_slice(&self.wasm_sha256);
        for (i, d) in self.digests.all().into_iter().enumerate() {
            b[184 + 32 * i..216 + 32 * i].copy_from_slice(d);
        }
        put_str(&mut b[408..408 + VERSION_LEN], &self.kiln_version);
        for r in &self.items {
            for v in [r.kind as u32, r.index, r.text_offset, r.size] {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        for item in &self.wasm_to_array {
            b.extend_from_slice(&item.to_le_bytes());
        }
        let seal = Sha256::digest(&b);
        b.extend_from_slice(&seal);
        Ok(b)
    }

    /// Decodes a `.kiln.meta` section, checking (in this order) its magic, its layout
    /// version, its length and its seal; returns the section and its seal (the SHA-256
    /// that, through the part digests, covers everything the loader uses).
    ///
    /// # Errors
    /// [`ArtifactError::BadMagic`] (not a Kiln object), [`ArtifactError::FormatVersion`],
    /// or [`ArtifactError::Corrupt`] for the header when the length, the seal or a field
    /// is wrong.
    pub fn decode(bytes: &[u8]) -> Result<(Self, [u8; 32]), ArtifactError> {
        if bytes.len() < 8 || bytes[..8] != META_MAGIC {
            return Err(ArtifactError::BadMagic);
        }
        if bytes.len() < 12 {
            return Err(corrupt("truncated"));
        }
        let version = u32_at(bytes, 8);
        if version != META_VERSION {
            return Err(ArtifactError::FormatVersion { found: version, expected: META_VERSION });
        }
        if bytes.len() < FIXED + SEAL || u32_at(bytes, 12) as usize != FIXED {
            return Err(corrupt("truncated or unexpected header size"));
        }
        let (n, t) = (u32_at(bytes, 20) as usize, u32_at(bytes, 24) as usize);
        let expected = n
            .checked_mul(RECORD)
            .and_then(|s| s.checked_add(t.checked_mul(4)?))
            .and_then(|s| s.checked_add(FIXED + SEAL));
        if expected != Some(bytes.len()) {
            return Err(corrupt(format!("{} bytes for {n} items and {t} types", bytes.len())));
        }
        let body = &bytes[..bytes.len() - SEAL];
        let seal: [u8; 32] = bytes[body.len()..].try_into().expect("32 bytes");
        if <[u8; 32]>::from(Sha256::digest(body)) != seal {
            return Err(corrupt("checksum mismatch"));
        }
        let b = body;
        let settings =
            CodeSettings::from_bytes(b[136..152].try_into().expect("16 bytes")).map_err(corrupt)?;
        let mut digests = PartDigests::default();
        for (i, d) in digests.all_mut().into_iter().enumerate() {
            d.copy_from_slice(&b[184 + 32 * i..216 + 32 * i]);
        }
        let items = (0..n)
            .map(|i| {
                let at = FIXED + i * RECORD;
                let kind = u32_at(b, at);
                Ok(ItemRecord {
                    kind: ItemKind::from_u32(kind)
                        .ok_or_else(|| corrupt(format!("item {i} has unknown kind {kind}")))?,
                    index: u32_at(b, at + 4),
                    text_offset: u32_at(b, at + 8),
                    size: u32_at(b, at + 12),
                })
            })
            .collect::<Result<Vec<_>, ArtifactError>>()?;
        let types_at = FIXED + n * RECORD;
        let wasm_to_array = (0..t).map(|i| u32_at(b, types_at + 4 * i)).collect();
        let meta = ObjectMeta {
            abi_version: u32_at(b, 16),
            target: get_str(&b[48..48 + TARGET_LEN])?,
            cpu_level: get_str(&b[112..112 + LEVEL_LEN])?,
            cpu_features: CpuFeatures(u64_at(b, 128)),
            settings_fingerprint: u64_at(b, 40),
            settings,
            wasm_sha256: b[152..184].try_into().expect("32 bytes"),
            digests,
            kiln_version: get_str(&b[408..408 + VERSION_LEN])?,
            num_imported_funcs: u32_at(b, 28),
            num_defined_funcs: u32_at(b, 32),
            items,
            wasm_to_array,
        };
        Ok((meta, seal))
    }

    /// The object's facts as an [`ArtifactHeader`], so that objects and blobs are checked
    /// ([`ArtifactHeader::check_compatible`]) and described alike. For an object:
    /// `format_version` is [`META_VERSION`]; `section_align` the alignment of `.text`;
    /// `payload_digest` the `.kiln.meta` seal (which covers, through the part digests,
    /// every byte the loader uses); `file_len` the object's length; `sections` where the
    /// ELF section holding each part lies in the file (the function and entry tables are
    /// built from the item table, so both name `.kiln.meta`; the source lines name
    /// `.kiln.lines`); `cold_digest` the digest of `.kiln.lines`; `signature` the
    /// `.kiln.sig` section.
    pub fn artifact_header(
        &self,
        seal: [u8; 32],
        file_len: u64,
        text_align: u32,
        sections: SectionTable,
        signature: [u8; super::signature::SLOT_SIZE],
    ) -> ArtifactHeader {
        ArtifactHeader {
            format_version: META_VERSION,
            abi_version: self.abi_version,
            section_align: text_align,
            target: self.target.clone(),
            cpu_level: self.cpu_level.clone(),
            cpu_features: self.cpu_features,
            settings_fingerprint: self.settings_fingerprint,
            settings: self.settings,
            wasm_sha256: self.wasm_sha256,
            payload_digest: seal,
            cold_digest: self.digests.lines,
            file_len,
            sections,
            kiln_version: self.kiln_version.clone(),
            signature,
        }
    }
}

/// The meta of a module with one function, for tests of this and the sibling modules.
#[cfg(test)]
pub(super) fn sample() -> ObjectMeta {
    ObjectMeta {
        abi_version: super::header::ABI_VERSION,
        target: "x86_64-unknown-linux-gnu".into(),
        cpu_level: "x86-64-v2".into(),
        cpu_features: CpuFeatures(0b101),
        settings_fingerprint: 0x1234,
        settings: CodeSettings {
            bounds_checks: super::header::BoundsMode::GuardPages,
            guard_bytes: 2 << 30,
            epoch_interruption: true,
            fuel: true,
            listeners: true,
        },
        wasm_sha256: [7; 32],
        digests: PartDigests { text: [1; 32], data: [6; 32], ..PartDigests::default() },
        kiln_version: "0.1.0".into(),
        num_imported_funcs: 1,
        num_defined_funcs: 1,
        items: vec![
            ItemRecord { kind: ItemKind::Function, index: 1, text_offset: 0, size: 32 },
            ItemRecord { kind: ItemKind::ArrayToWasm, index: 1, text_offset: 32, size: 16 },
            ItemRecord { kind: ItemKind::ArrayEntry, index: 1, text_offset: 48, size: 16 },
            ItemRecord { kind: ItemKind::WasmToArray, index: 0, text_offset: 64, size: 16 },
        ],
        wasm_to_array: vec![3],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_every_flip() {
        let m = sample();
        let b = m.encode().unwrap();
        let (back, seal) = ObjectMeta::decode(&b).unwrap();
        assert_eq!(back, m);
        assert_eq!(&seal[..], &b[b.len() - 32..]);
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 0x10;
            let e = ObjectMeta::decode(&c).unwrap_err();
            let ok = match i {
                0..8 => e == ArtifactError::BadMagic,
                8..12 => matches!(e, ArtifactError::FormatVersion { .. }),
                _ => matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Header, .. }),
            };
            assert!(ok, "flip at {i}: {e:?}");
        }
        for len in 0..b.len() {
            assert!(ObjectMeta::decode(&b[..len]).is_err(), "length {len}");
        }
    }
}
