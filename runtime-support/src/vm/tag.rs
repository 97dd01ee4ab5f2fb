//! Exception tags (spec 3.0 section 4.2.9, "Tag Instances").

use super::VMSharedTypeId;

/// A tag instance: what `throw` names and `catch` compares. Its identity is its address,
/// so a module that imports a tag holds a pointer to the exporter's [`VMTag`] and matches
/// the exporter's exceptions; two definitions of the same type are different tags. Owned
/// by the store ([`super::Store::new_tag`]), so the address stays valid as long as any
/// instance or exception refers to it.
#[repr(C)]
#[derive(Debug)]
pub struct VMTag {
    /// The canonical id of the tag's function type (its parameters are the payload's
    /// types; it has no results).
    pub type_id: VMSharedTypeId,
}
