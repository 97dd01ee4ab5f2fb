//! The sections of an artifact's payload: which exist, where they lie (the header's section
//! table), and how the writer lays them out ([`SectionTable::layout`]).
//!
//! Only what is mapped needs a page: the code section starts on a multiple of the header's
//! code alignment (the largest page size of the target's hosts) so it maps straight from the
//! file, and a data image of at least [`DATA_MAP_MIN`] bytes starts on a [`PAGE`] so its
//! pages can be mapped copy-on-write into linear memories. Everything else (metadata and
//! the tables, read in place, small data images) is packed at [`SMALL_ALIGN`]. The file
//! order is [`FILE_ORDER`]: what a load reads first, right after the header (metadata,
//! function table, entries), then the trap sites, the data, the cold sections, and the code
//! last, so a small module's artifact is the header, one page at most of metadata and
//! tables, and its code. The payload checksum covers every section but the cold ones (the
//! address map and the source lines, which have their own digest, checked on first use:
//! [`super::cold`]); the padding between sections must be zero.

use super::error::{ArtifactError, ArtifactPart};
use super::header::HEADER_SIZE;
use std::ops::Range;

/// A page, in bytes: the alignment of a data image of at least [`DATA_MAP_MIN`] bytes.
pub const PAGE: u64 = 4096;

/// Alignment of the sections that are read, not mapped (metadata, tables, DWARF, a small
/// data image), in bytes.
pub const SMALL_ALIGN: u64 = 8;

/// Size from which the writer puts the data section on a page of its own, in bytes (one
/// page): the smallest memory image, which is mapped from there. Mapping even a small image
/// costs less than copying it into each instance's fresh memory, where every page copied
/// is a page fault (Lua's 8-page image: measured by the `embed` bench).
pub const DATA_MAP_MIN: u64 = PAGE;

/// Number of sections (every artifact has all of them; unused ones are empty).
pub const SECTION_COUNT: usize = 8;

/// One section of the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// Linked machine code, mapped read+execute (position-independent, no relocations).
    Code,
    /// Module metadata (types, imports, exports, segments, names), bincode (the codec
    /// module of this format).
    Metadata,
    /// The function table ([`crate::vm::CodeTables`]), read in place.
    Functions,
    /// Trap sites, read in place.
    TrapSites,
    /// The address map, read in place. Cold: outside the payload digest, verified with the
    /// source lines against the header's cold digest on first use ([`super::cold`]).
    AddressMap,
    /// Entry-point offsets, read in place.
    Entries,
    /// The source-line table ([`super::source_lines`]; empty when the module has no DWARF).
    /// Cold, like the address map.
    SourceLines,
    /// The initialized-data image: the bytes of every data segment and kept custom
    /// section, which the metadata's ranges index.
    Data,
}

impl Section {
    /// Every section, in section-table order (also their order in the file).
    pub const ALL: [Section; SECTION_COUNT] = [
        Section::Code,
        Section::Metadata,
        Section::Functions,
        Section::TrapSites,
        Section::AddressMap,
        Section::Entries,
        Section::SourceLines,
        Section::Data,
    ];

    /// The section's name (for `kiln inspect`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Code => "code",
            Section::Metadata => "metadata",
            Section::Functions => "functions",
            Section::TrapSites => "trap sites",
            Section::AddressMap => "address map",
            Section::Entries => "entries",
            Section::SourceLines => "source lines",
            Section::Data => "data",
        }
    }

    /// Whether the section is cold: outside the payload digest, verified on first use.
    pub fn is_cold(self) -> bool {
        matches!(self, Section::AddressMap | Section::SourceLines)
    }

    fn index(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).expect("listed")
    }

    /// The alignment section `self` of `len` bytes must have in the file, for code aligned to
    /// `code_align` (an empty section needs none).
    fn align(self, len: u64, code_align: u64) -> u64 {
        match self {
            _ if len == 0 => 1,
            Section::Code => code_align,
            Section::Data if len >= DATA_MAP_MIN => PAGE,
            _ => SMALL_ALIGN,
        }
    }
}

/// The order of the sections in the file (their order in the section table is
/// [`Section::ALL`]).
pub const FILE_ORDER: [Section; SECTION_COUNT] = [
    Section::Metadata,
    Section::Functions,
    Section::Entries,
    Section::TrapSites,
    Section::Data,
    Section::AddressMap,
    Section::SourceLines,
    Section::Code,
];

/// A section's place in the file, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SectionRange {
    /// Offset from the start of the file.
    pub offset: u64,
    /// Length.
    pub len: u64,
}

/// Where every section lies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionTable([SectionRange; SECTION_COUNT]);

impl SectionTable {
    /// Section `s`'s place.
    pub fn get(&self, s: Section) -> SectionRange {
        self.0[s.index()]
    }

    /// Sets section `s`'s place.
    pub fn set(&mut self, s: Section, offset: u64, len: u64) {
        self.0[s.index()] = SectionRange { offset, len };
    }

    /// Section `s` as a byte range of the file (only after [`SectionTable::validate`]).
    pub fn range(&self, s: Section) -> Range<usize> {
        let r = self.get(s);
        r.offset as usize..(r.offset + r.len) as usize
    }

    /// Lays out sections of lengths `lens` (in [`Section::ALL`] order) after the header, in
    /// [`FILE_ORDER`], each at the alignment the module docs give; returns the table and
    /// the file length.
    pub fn layout(lens: [usize; SECTION_COUNT], code_align: u64) -> (SectionTable, u64) {
        let mut t = SectionTable::default();
        let mut at = HEADER_SIZE as u64;
        for s in FILE_ORDER {
            let len = lens[s.index()] as u64;
            at = at.next_multiple_of(s.align(len, code_align));
            t.set(s, at, len);
            at += len;
        }
        (t, at)
    }

    /// Checks that the code alignment is a power of two of at least 4 KiB and that every
    /// section lies after the header, in [`FILE_ORDER`], without overlap, inside `file_len`:
    /// the code at a multiple of the code alignment, the others at multiples of
    /// [`SMALL_ALIGN`] (empty sections anywhere).
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] naming the section table.
    pub fn validate(&self, code_align: u32, file_len: u64) -> Result<(), ArtifactError> {
        let bad = |detail: String| ArtifactError::Corrupt { part: ArtifactPart::Sections, detail };
        if !code_align.is_power_of_two() || u64::from(code_align) < PAGE {
            return Err(bad(format!(
                "code alignment {code_align} is not a power of two of at least 4096"
            )));
        }
        let mut end = HEADER_SIZE as u64;
        for s in FILE_ORDER {
            let r = self.get(s);
            let stop = r
                .offset
                .checked_add(r.len)
                .ok_or_else(|| bad(format!("{} section overflows", s.name())))?;
            let align = match s {
                Section::Code => s.align(r.len, u64::from(code_align)),
                _ => s.align(r.len, 0).min(SMALL_ALIGN),
            };
            if !r.offset.is_multiple_of(align) || r.offset < end || stop > file_len {
                return Err(bad(format!(
                    "{} section at {:#x} ({} bytes) is misaligned, overlaps another or lies outside the file",
                    s.name(),
                    r.offset,
                    r.len
                )));
            }
            end = stop;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_packs_small_sections_and_aligns_what_is_mapped() {
        let lens = [100, 20, 0, 8, 0, 12, 0, 3000];
        let (t, len) = SectionTable::layout(lens, 65536);
        assert_eq!(t.get(Section::Metadata).offset, HEADER_SIZE as u64);
        assert_eq!(
            t.get(Section::TrapSites).offset,
            HEADER_SIZE as u64 + 24 + 16,
            "after 20 bytes of metadata and 12 of entries, 8-aligned"
        );
        assert!(
            Section::ALL.iter().all(|s| t.get(*s).len == 0 || t.get(*s).offset % SMALL_ALIGN == 0)
        );
        assert!(t.get(Section::Data).offset < 4096, "a small data image is packed");
        assert_eq!(t.get(Section::Code).offset, 65536);
        assert_eq!(len, 65536 + 100, "the code ends the file");
        t.validate(65536, len).unwrap();
        assert!(t.validate(65536, len - 1).is_err());
        assert!(t.validate(1000, len).is_err());
        assert!(t.validate(1 << 17, len).is_err(), "code misaligned for a larger alignment");
        let mut bad = t.clone();
        bad.set(Section::Data, HEADER_SIZE as u64, 10);
        assert!(bad.validate(65536, len).is_err(), "overlap");
        let mut bad = t.clone();
        bad.set(Section::Entries, t.get(Section::Entries).offset + 4, 4);
        assert!(bad.validate(65536, len).is_err(), "misaligned");

        let mut big = lens;
        big[7] = DATA_MAP_MIN as usize;
        let (t, len) = SectionTable::layout(big, 4096);
        assert_eq!(t.get(Section::Data).offset, 4096, "a large data image gets its own page");
        assert_eq!(t.get(Section::Code).offset, 4096 + DATA_MAP_MIN);
        t.validate(4096, len).unwrap();
    }
}
