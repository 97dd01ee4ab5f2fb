//! The bytes a module's ranges index, shared with whatever owns them: the module binary it
//! was decoded from, or, for a module loaded from an artifact, a range of the mapped (or
//! copied) artifact, so loading does not copy the data section.

use crate::vm::{SharedBytes, bytes_of};
use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A byte range of shared, immutable bytes; dereferences to `[u8]`.
#[derive(Clone)]
pub struct ModuleBytes {
    owner: SharedBytes,
    range: Range<usize>,
}

impl ModuleBytes {
    /// Bytes `range` of `owner`, or `None` when the range does not lie inside them.
    pub fn slice(owner: SharedBytes, range: Range<usize>) -> Option<Self> {
        (range.start <= range.end && range.end <= bytes_of(&owner).len())
            .then_some(Self { owner, range })
    }
}

impl Deref for ModuleBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &bytes_of(&self.owner)[self.range.clone()]
    }
}

impl From<&[u8]> for ModuleBytes {
    /// A copy of `bytes`.
    fn from(bytes: &[u8]) -> Self {
        Self { owner: Arc::new(bytes.to_vec()), range: 0..bytes.len() }
    }
}

impl From<Vec<u8>> for ModuleBytes {
    /// `bytes` themselves, not a copy.
    fn from(bytes: Vec<u8>) -> Self {
        let range = 0..bytes.len();
        Self { owner: Arc::new(bytes), range }
    }
}

impl Default for ModuleBytes {
    fn default() -> Self {
        Self::from(&[][..])
    }
}

impl fmt::Debug for ModuleBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ModuleBytes({} bytes)", self.range.len())
    }
}
