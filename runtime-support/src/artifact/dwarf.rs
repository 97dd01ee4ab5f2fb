//! The DWARF section of a loaded artifact, verified on first use rather than at load.
//!
//! The section holds the module's own DWARF (its `.debug_*` custom sections, concatenated;
//! the metadata's [`crate::module::WasmDwarf`] ranges index it). It is never executed and
//! never steers the loader: it is read only when a backtrace is formatted or an artifact
//! is inspected. So the payload checksum leaves it out and the header carries its own
//! SHA-256, which [`DwarfSection::bytes`] checks once, the first time the bytes are asked
//! for. A mismatch makes every later use fail with [`ArtifactError::Corrupt`] naming
//! [`ArtifactPart::Dwarf`]; backtraces then show wasm offsets without file:line.

use super::error::{ArtifactError, ArtifactPart};
use crate::vm::{SharedBytes, bytes_of};
use sha2::{Digest, Sha256};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

/// The DWARF section of an artifact's bytes, with the digest its header gives.
pub struct DwarfSection {
    bytes: SharedBytes,
    range: Range<usize>,
    sha256: [u8; 32],
    checked: OnceLock<Result<(), ArtifactError>>,
}

impl fmt::Debug for DwarfSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DwarfSection")
            .field("range", &self.range)
            .field("checked", &self.checked.get())
            .finish_non_exhaustive()
    }
}

impl DwarfSection {
    /// The section at byte range `range` of the artifact `bytes` (a range the section
    /// table validation has checked lies inside them), expected to hash to `sha256`.
    pub fn new(bytes: SharedBytes, range: Range<usize>, sha256: [u8; 32]) -> Self {
        Self { bytes, range, sha256, checked: OnceLock::new() }
    }

    /// The section's length in bytes (0 when the module has no DWARF).
    pub fn len(&self) -> usize {
        self.range.len()
    }

    /// Whether the section is empty.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// The section's bytes, after checking their SHA-256 against the header's (on the
    /// first call only; later calls return the same answer).
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for [`ArtifactPart::Dwarf`] when the digest differs.
    pub fn bytes(&self) -> Result<&[u8], ArtifactError> {
        let bytes = &bytes_of(&self.bytes)[self.range.clone()];
        self.checked
            .get_or_init(|| {
                let sum: [u8; 32] = Sha256::digest(bytes).into();
                if sum == self.sha256 {
                    Ok(())
                } else {
                    Err(ArtifactError::Corrupt {
                        part: ArtifactPart::Dwarf,
                        detail: "DWARF checksum mismatch".into(),
                    })
                }
            })
            .clone()
            .map(|()| bytes)
    }
}
