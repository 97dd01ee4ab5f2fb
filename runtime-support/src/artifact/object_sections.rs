//! The Kiln sections of a relocatable object (`kiln compile --emit obj`, DESIGN.md
//! principle 3): what the compiler adds to the ELF file besides `.text`, its relocations,
//! symbols and DWARF, so that the loader can verify, link and instantiate the object as it
//! does a blob.
//!
//! - `.kiln.meta` ([`ObjectMeta`]): the verification facts and the item table, sealed;
//!   it holds the SHA-256 of every other part the loader uses ([`PartDigests`]);
//! - `.kiln.traps` and `.kiln.addrmap` ([`super::object_tables`]): trap sites and the
//!   address map, per code item;
//! - `.kiln.metadata`: the module's [`ArtifactMetadata`], encoded as in a blob;
//! - `.kiln.data`: the initialized-data image ([`super::metadata::split_module`]);
//! - `.kiln.sig`: the signature slot ([`super::signature`]): the signer's public key and an
//!   Ed25519 signature over `.kiln.meta` (which names every other part by its digest), or
//!   [`super::signature::SLOT_SIZE`] zero bytes when the object is unsigned;
//! - `.kiln.lines`: the source-line table ([`super::source_lines`]) of the address map's
//!   wasm offsets, which backtraces read for file:line; like a blob's cold sections it is
//!   checked against its digest on first use, not at load ([`super::cold::ColdSections`]).
//!
//! The writer encodes them with [`encode_sections`]; the loader, once it has read the
//! `.text` bytes and relocations out of the ELF file, checks every part against the seal
//! with [`verify_parts`] before it decodes or patches anything.

use super::codec;
use super::error::{ArtifactError, ArtifactPart};
use super::metadata::ArtifactMetadata;
use super::object_meta::{ObjectMeta, PartDigests};
use super::object_relocs::{self, ObjectReloc};
use super::object_tables::{AddressRecord, TrapRecord, encode_address_map, encode_traps};
use sha2::{Digest, Sha256};

/// Name of the section holding [`ObjectMeta`].
pub const META_SECTION: &str = ".kiln.meta";
/// Name of the trap-site section.
pub const TRAPS_SECTION: &str = ".kiln.traps";
/// Name of the address-map section.
pub const ADDRESS_MAP_SECTION: &str = ".kiln.addrmap";
/// Name of the module-metadata section.
pub const METADATA_SECTION: &str = ".kiln.metadata";
/// Name of the initialized-data image section.
pub const DATA_SECTION: &str = ".kiln.data";
/// Name of the signature section.
pub const SIGNATURE_SECTION: &str = ".kiln.sig";
/// Name of the source-line table's section.
pub const LINES_SECTION: &str = ".kiln.lines";

/// Everything the Kiln sections of an object describe (the writer's input).
#[derive(Debug)]
pub struct ObjectContents<'a> {
    /// The facts and item table; [`encode_sections`] fills in its `digests` and
    /// `kiln_version`.
    pub meta: ObjectMeta,
    /// The `.text` bytes exactly as the object stores them (relocation fields unpatched).
    pub text: &'a [u8],
    /// The relocations of `.text`, sorted by site.
    pub relocations: &'a [ObjectReloc],
    /// Trap sites, sorted by item then offset.
    pub traps: &'a [TrapRecord],
    /// Address map, sorted by item then code start.
    pub address_map: &'a [AddressRecord],
    /// The module metadata (data ranges relative to `data`).
    pub metadata: &'a ArtifactMetadata,
    /// The initialized-data image.
    pub data: &'a [u8],
    /// The source-line table ([`super::source_lines::encode`]).
    pub source_lines: &'a [u8],
}

/// The bytes of each Kiln section, ready to add to the object.
#[derive(Clone, Debug, Default)]
pub struct KilnSections {
    /// `.kiln.meta`.
    pub meta: Vec<u8>,
    /// `.kiln.traps`.
    pub traps: Vec<u8>,
    /// `.kiln.addrmap`.
    pub address_map: Vec<u8>,
    /// `.kiln.metadata`.
    pub metadata: Vec<u8>,
    /// `.kiln.data`.
    pub data: Vec<u8>,
    /// `.kiln.lines`.
    pub source_lines: Vec<u8>,
}

/// The parts of an object the loader uses, as read out of the ELF file.
#[derive(Clone, Copy, Debug)]
pub struct ObjectParts<'a> {
    /// The `.text` bytes as stored.
    pub text: &'a [u8],
    /// The relocations of `.text`, sorted by site, their targets as item numbers.
    pub relocations: &'a [ObjectReloc],
    /// `.kiln.traps`.
    pub traps: &'a [u8],
    /// `.kiln.addrmap`.
    pub address_map: &'a [u8],
    /// `.kiln.metadata`.
    pub metadata: &'a [u8],
    /// `.kiln.data`.
    pub data: &'a [u8],
}

fn sha(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Encodes the Kiln sections of an object, recording the SHA-256 of every part and the
/// Kiln version in `.kiln.meta` and sealing it.
///
/// # Errors
/// When a `.kiln.meta` text field is too long ([`ObjectMeta::encode`]).
pub fn encode_sections(c: ObjectContents<'_>) -> Result<KilnSections, String> {
    let traps = encode_traps(c.traps);
    let address_map = encode_address_map(c.address_map);
    let metadata = codec::encode(c.metadata);
    let mut meta = c.meta;
    meta.kiln_version = super::KILN_VERSION.to_string();
    meta.digests = PartDigests {
        text: sha(c.text),
        relocations: object_relocs::digest(c.relocations),
        traps: sha(&traps),
        address_map: sha(&address_map),
        metadata: sha(&metadata),
        data: sha(c.data),
        lines: sha(c.source_lines),
    };
    Ok(KilnSections {
        meta: meta.encode()?,
        traps,
        address_map,
        metadata,
        data: c.data.to_vec(),
        source_lines: c.source_lines.to_vec(),
    })
}

/// Checks every part but `.kiln.lines` (checked on first use) against the digests in
/// `meta` (whose seal [`ObjectMeta::decode`] checked).
///
/// # Errors
/// [`ArtifactError::Corrupt`] naming the first part whose digest differs: the payload for
/// `.text` and `.kiln.data`, the relocations, the tables for `.kiln.traps` and
/// `.kiln.addrmap`, the metadata for `.kiln.metadata`.
pub fn verify_parts(meta: &ObjectMeta, parts: &ObjectParts<'_>) -> Result<(), ArtifactError> {
    let d = &meta.digests;
    let checks = [
        (ArtifactPart::Payload, "`.text`", sha(parts.text), d.text),
        (
            ArtifactPart::Relocations,
            "relocations of `.text`",
            object_relocs::digest(parts.relocations),
            d.relocations,
        ),
        (ArtifactPart::Tables, "`.kiln.traps`", sha(parts.traps), d.traps),
        (ArtifactPart::Tables, "`.kiln.addrmap`", sha(parts.address_map), d.address_map),
        (ArtifactPart::Metadata, "`.kiln.metadata`", sha(parts.metadata), d.metadata),
        (ArtifactPart::Payload, "`.kiln.data`", sha(parts.data), d.data),
    ];
    for (part, what, found, expected) in checks {
        if found != expected {
            return Err(ArtifactError::Corrupt {
                part,
                detail: format!("{what} checksum mismatch"),
            });
        }
    }
    Ok(())
}

/// Decodes a `.kiln.metadata` section.
///
/// # Errors
/// [`ArtifactError::Corrupt`] for the metadata when it does not decode.
pub fn decode_metadata(bytes: &[u8]) -> Result<ArtifactMetadata, ArtifactError> {
    codec::decode(bytes)
        .map_err(|detail| ArtifactError::Corrupt { part: ArtifactPart::Metadata, detail })
}

#[cfg(test)]
mod tests {
    use super::super::object_meta::sample;
    use super::super::object_relocs::RelocKind;
    use super::*;
    use crate::module::DecodeOptions;
    use crate::trap::TrapCode;

    #[test]
    fn every_part_is_sealed() {
        let options =
            DecodeOptions { features: crate::CoreFeatures::V2, keep_custom_sections: false };
        let module = crate::module::decode(b"\0asm\x01\0\0\0", options).unwrap();
        let metadata = ArtifactMetadata {
            producer: "test".into(),
            module,
            memory_image: None,
            handlers: Default::default(),
        };
        let relocs =
            [ObjectReloc { site: 1, kind: RelocKind::X86PcRel32, target_item: 0, addend: -4 }];
        let traps = [TrapRecord { item: 0, offset: 3, code: TrapCode::Unreachable }];
        let addrs = [AddressRecord { item: 0, code_start: 0, code_end: 4, wasm_offset: 9 }];
        let text = [0x90u8; 80];
        let s = encode_sections(ObjectContents {
            meta: sample(),
            text: &text,
            relocations: &relocs,
            traps: &traps,
            address_map: &addrs,
            metadata: &metadata,
            data: b"data",
            source_lines: b"lines",
        })
        .unwrap();
        let (meta, _) = ObjectMeta::decode(&s.meta).unwrap();
        let parts = ObjectParts {
            text: &text,
            relocations: &relocs,
            traps: &s.traps,
            address_map: &s.address_map,
            metadata: &s.metadata,
            data: &s.data,
        };
        verify_parts(&meta, &parts).unwrap();
        assert_eq!(decode_metadata(&s.metadata).unwrap().producer, "test");
        let flipped_text = [0x91u8; 80];
        let moved = [ObjectReloc { addend: 0, ..relocs[0] }];
        let mut metadata_bytes = s.metadata.clone();
        metadata_bytes[0] ^= 1;
        for (bad, part) in [
            (ObjectParts { text: &flipped_text, ..parts }, ArtifactPart::Payload),
            (ObjectParts { relocations: &moved, ..parts }, ArtifactPart::Relocations),
            (ObjectParts { traps: &[], ..parts }, ArtifactPart::Tables),
            (ObjectParts { address_map: &s.traps, ..parts }, ArtifactPart::Tables),
            (ObjectParts { metadata: &metadata_bytes, ..parts }, ArtifactPart::Metadata),
            (ObjectParts { data: b"date", ..parts }, ArtifactPart::Payload),
        ] {
            match verify_parts(&meta, &bad) {
                Err(ArtifactError::Corrupt { part: p, .. }) => assert_eq!(p, part),
                other => panic!("{other:?}"),
            }
        }
    }
}
