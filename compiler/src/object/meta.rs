//! The `.kiln.meta` section: what an object's code items are, in a fixed little-endian
//! layout that a reader uses in place.
//!
//! ```text
//! offset  size  field
//!      0     8  magic b"KILNOBJ\0"
//!      8     4  format version (META_VERSION)
//!     12     4  item count n
//!     16     4  number of imported functions of the module
//!     20     4  number of defined functions of the module
//!     24     8  settings fingerprint (CompilerSettings::settings_fingerprint)
//!     32  16*n  item records: kind (ItemKind as u32), index, offset in .text, size in bytes
//! ```
//!
//! Item `i` is also the `i`-th code symbol of the object and the item number used by
//! `.kiln.traps`.

use super::items::ItemKind;
use crate::settings::error;
use kiln_runtime_support::CompileError;

/// Magic bytes at the start of `.kiln.meta`.
pub const META_MAGIC: [u8; 8] = *b"KILNOBJ\0";
/// Version of the `.kiln.meta` and `.kiln.traps` layouts.
pub const META_VERSION: u32 = 1;
const HEADER: usize = 32;
const RECORD: usize = 16;

/// The decoded `.kiln.meta` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMeta {
    /// Number of imported functions of the module.
    pub num_imported_funcs: u32,
    /// Number of defined functions of the module.
    pub num_defined_funcs: u32,
    /// The fingerprint of the settings the code was compiled with.
    pub settings_fingerprint: u64,
    /// The code items in `.text` order.
    pub items: Vec<ItemRecord>,
}

/// One code item of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    /// What the item is.
    pub kind: ItemKind,
    /// Function index (functions and per-function trampolines) or type index
    /// (wasm-to-array trampolines).
    pub index: u32,
    /// Offset of the item's first byte in `.text`.
    pub text_offset: u32,
    /// Size of the item's code in bytes.
    pub size: u32,
}

impl ObjectMeta {
    /// Encodes the section.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + RECORD * self.items.len());
        out.extend_from_slice(&META_MAGIC);
        out.extend_from_slice(&META_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.items.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.num_imported_funcs.to_le_bytes());
        out.extend_from_slice(&self.num_defined_funcs.to_le_bytes());
        out.extend_from_slice(&self.settings_fingerprint.to_le_bytes());
        for r in &self.items {
            for v in [r.kind as u32, r.index, r.text_offset, r.size] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Decodes a `.kiln.meta` section.
    ///
    /// # Errors
    /// When the magic or version differ, the length does not match the item count, or an
    /// item kind is unknown.
    pub fn decode(bytes: &[u8]) -> Result<Self, CompileError> {
        if bytes.len() < HEADER || bytes[..8] != META_MAGIC {
            return Err(error("`.kiln.meta`: bad magic or truncated header".into()));
        }
        let version = u32_at(bytes, 8);
        if version != META_VERSION {
            return Err(error(format!(
                "`.kiln.meta`: format version {version}, expected {META_VERSION}"
            )));
        }
        let n = u32_at(bytes, 12) as usize;
        if Some(bytes.len()) != n.checked_mul(RECORD).and_then(|s| s.checked_add(HEADER)) {
            return Err(error(format!(
                "`.kiln.meta`: {} bytes for {n} items",
                bytes.len()
            )));
        }
        let items = (0..n)
            .map(|i| {
                let at = HEADER + i * RECORD;
                let kind = u32_at(bytes, at);
                Ok(ItemRecord {
                    kind: ItemKind::from_u32(kind).ok_or_else(|| {
                        error(format!("`.kiln.meta`: item {i} has unknown kind {kind}"))
                    })?,
                    index: u32_at(bytes, at + 4),
                    text_offset: u32_at(bytes, at + 8),
                    size: u32_at(bytes, at + 12),
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Self {
            num_imported_funcs: u32_at(bytes, 16),
            num_defined_funcs: u32_at(bytes, 20),
            settings_fingerprint: u64::from_le_bytes(bytes[24..32].try_into().expect("8 bytes")),
            items,
        })
    }
}

pub(super) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}
