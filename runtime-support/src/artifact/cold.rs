//! The cold sections of a loaded artifact — the address map and the source-line table —
//! verified on first use rather than at load.
//!
//! They are never executed and never steer the loader: they are read only to put wasm
//! offsets and file:line on a backtrace (or by `kiln inspect`). So the payload digest leaves
//! them out, and the header carries their own digest (BLAKE3 of the address map followed by
//! the source lines; an object's is the SHA-256 of its `.kiln.lines` among its part
//! digests), which [`ColdSections::verify`] checks once, the first time either is read.
//! A mismatch makes every later use fail with [`ArtifactError::Corrupt`] naming
//! [`ArtifactPart::DebugInfo`]; backtraces then show functions without wasm offsets or
//! source lines (never values read from unverified bytes). This keeps the load cost
//! independent of the size of the debug information.

use super::error::{ArtifactError, ArtifactPart};
use crate::vm::{SharedBytes, bytes_of};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

/// Byte ranges of an artifact that are checked together against one digest on first use.
pub struct ColdSections {
    bytes: SharedBytes,
    ranges: Vec<Range<usize>>,
    hash: ColdHash,
    digest: [u8; 32],
    checked: OnceLock<Result<(), ArtifactError>>,
}

impl fmt::Debug for ColdSections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ColdSections")
            .field("ranges", &self.ranges)
            .field("checked", &self.checked.get())
            .finish_non_exhaustive()
    }
}

/// The digest of a blob's cold sections: BLAKE3 of `parts` concatenated.
pub fn cold_digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    parts.into_iter().for_each(|p| {
        h.update(p);
    });
    h.finalize().into()
}

/// How [`ColdSections`] digests its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColdHash {
    /// [`cold_digest`] (a blob's cold sections).
    Blake3,
    /// SHA-256 (an object's part digests).
    Sha256,
}

impl ColdSections {
    /// Ranges `ranges` of `bytes` (which the section-table validation has checked lie
    /// inside them), expected to hash to `digest` concatenated, with `hash`.
    pub fn new(
        bytes: SharedBytes,
        ranges: Vec<Range<usize>>,
        hash: ColdHash,
        digest: [u8; 32],
    ) -> Self {
        Self { bytes, ranges, hash, digest, checked: OnceLock::new() }
    }

    /// Their total length in bytes.
    pub fn len(&self) -> usize {
        self.ranges.iter().map(Range::len).sum()
    }

    /// Whether they are all empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks the digest (on the first call only; later calls return the same answer).
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] for [`ArtifactPart::DebugInfo`] when it differs.
    pub fn verify(&self) -> Result<(), ArtifactError> {
        self.checked
            .get_or_init(|| {
                let all = bytes_of(&self.bytes);
                let parts = self.ranges.iter().map(|r| &all[r.clone()]);
                let found = match self.hash {
                    ColdHash::Blake3 => cold_digest(parts),
                    ColdHash::Sha256 => {
                        use sha2::{Digest, Sha256};
                        let mut h = Sha256::new();
                        parts.for_each(|p| h.update(p));
                        h.finalize().into()
                    }
                };
                if found == self.digest {
                    Ok(())
                } else {
                    Err(ArtifactError::Corrupt {
                        part: ArtifactPart::DebugInfo,
                        detail: "debug info checksum mismatch".into(),
                    })
                }
            })
            .clone()
    }

    /// Range `i` (as given to [`ColdSections::new`]) of the bytes, once verified.
    ///
    /// # Errors
    /// As [`ColdSections::verify`].
    pub fn part(&self, i: usize) -> Result<&[u8], ArtifactError> {
        self.verify()?;
        Ok(&bytes_of(&self.bytes)[self.ranges[i].clone()])
    }
}
