//! The initialized-memory image (DESIGN.md principle 3: "the initialized-data image is
//! mapped copy-on-write straight from the file into a new linear memory").
//!
//! When every active data segment of a module targets one defined (not imported) memory
//! at an offset known at compile time and lies inside that memory's initial size, the
//! compiler writes the initial contents of the memory range the segments touch, rounded
//! out to [`IMAGE_PAGE`]s, at the start of the artifact's data section (which is then
//! page-aligned in the file), and records where it goes in the metadata
//! ([`MemoryImageDecl`]). The active segments' byte ranges then point into the image
//! (a segment's bytes there may already be overwritten by a later overlapping segment,
//! which is what applying the segments in order leaves in memory anyway).
//!
//! Instantiating a module loaded from an artifact file maps the image `MAP_PRIVATE |
//! MAP_FIXED`, read+write, from the file over the memory's range
//! ([`crate::vm::MemoryImage`]); instead of copying the segments. Pages are copied only
//! when written, and untouched pages cost nothing. Every other case (an artifact loaded from
//! bytes, a host whose page size is not [`IMAGE_PAGE`], modules without an image) applies
//! the segments by copying, with the same result: no segment can be out of bounds when an
//! image exists, so instantiation can fail neither way.
//!
//! The image's pages between segments that hold only zeros are kept in the file (one
//! contiguous mapping costs one system call); images that would be mostly such padding,
//! or smaller than [`IMAGE_MIN`] bytes, are not written.

use crate::module::{DataMode, ModuleInfo};
use crate::types::WASM_PAGE_SIZE;
use serde::{Deserialize, Serialize};

/// The granule of an image, in bytes: its offset in memory, its length, and its offset in
/// the file are multiples of it (the host page size it can be mapped on).
pub const IMAGE_PAGE: u64 = 4096;

/// Smallest image the compiler writes, in bytes (one page,
/// [`super::sections::DATA_MAP_MIN`]); only a module whose segments hold less than a page of
/// bytes copies them.
pub const IMAGE_MIN: u64 = super::sections::DATA_MAP_MIN;

/// Where an artifact's memory image goes: the first `len` bytes of its data section are the
/// initial contents of bytes `offset..offset + len` of memory `memory`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryImageDecl {
    /// The memory's index (a defined memory).
    pub memory: u32,
    /// Offset in the memory, in bytes (a multiple of [`IMAGE_PAGE`]).
    pub offset: u64,
    /// Length in bytes (a positive multiple of [`IMAGE_PAGE`]).
    pub len: u64,
}

impl MemoryImageDecl {
    /// Checks that the image can replace `info`'s active data segments: it targets a
    /// defined memory, lies page-aligned inside that memory's initial size and inside the
    /// `data_len`-byte data section, and every active segment targets the same memory.
    ///
    /// # Errors
    /// A message naming the inconsistency.
    pub fn validate(&self, info: &ModuleInfo, data_len: usize) -> Result<(), String> {
        let m = self.memory as usize;
        if m >= info.memories.len() || self.memory < info.num_imported_memories {
            return Err(format!(
                "memory image targets memory {} that is not a defined memory",
                self.memory
            ));
        }
        let initial = info.memories[m].limits.min.saturating_mul(WASM_PAGE_SIZE);
        let end = self.offset.checked_add(self.len);
        if self.len == 0
            || !self.offset.is_multiple_of(IMAGE_PAGE)
            || !self.len.is_multiple_of(IMAGE_PAGE)
            || end.is_none_or(|e| e > initial)
            || self.len > data_len as u64
        {
            return Err(format!(
                "memory image of {} bytes at offset {} does not fit memory {} or the data section",
                self.len, self.offset, self.memory
            ));
        }
        let other = info
            .data
            .iter()
            .any(|d| matches!(d.mode, DataMode::Active { memory, .. } if memory != self.memory));
        if other {
            return Err(
                "an active data segment targets another memory than the memory image".into()
            );
        }
        Ok(())
    }
}

/// A memory image as the compiler builds it, for [`super::metadata::split_module`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryImageBytes {
    /// Where it goes.
    pub decl: MemoryImageDecl,
    /// Its bytes (`decl.len` of them).
    pub bytes: Vec<u8>,
    /// For each data segment (by index), the memory offset of its first byte when it is an
    /// active segment inside the image; `None` otherwise.
    pub segments: Vec<Option<u64>>,
}
