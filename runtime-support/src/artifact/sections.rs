//! The sections of an artifact's payload: which exist, where they lie (the header's section
//! table), and how the writer lays them out: every section starts on a 4 KiB page
//! ([`PAGE`]); the code section on a multiple of the header's code alignment (the largest
//! page size of the target's hosts), so it can be mapped straight from the file.

use super::error::{ArtifactError, ArtifactPart};
use super::header::HEADER_SIZE;
use std::ops::Range;

/// Alignment of every section but the code, in bytes.
pub const PAGE: u64 = 4096;

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
    /// Function records ([`crate::vm::FUNCTION_RECORD_BYTES`] each), read in place.
    Functions,
    /// Trap-site records, read in place.
    TrapSites,
    /// Address-map records, read in place.
    AddressMap,
    /// Entry-point offsets, read in place.
    Entries,
    /// DWARF debug information for the code (empty when the compiler wrote none).
    Dwarf,
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
        Section::Dwarf,
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
            Section::Dwarf => "dwarf",
            Section::Data => "data",
        }
    }

    fn index(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).expect("listed")
    }
}

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

    /// Lays out sections of lengths `lens` (in [`Section::ALL`] order) after the header,
    /// the code at a multiple of `code_align`, the others at multiples of [`PAGE`]; returns
    /// the table and the file length.
    pub fn layout(lens: [usize; SECTION_COUNT], code_align: u64) -> (SectionTable, u64) {
        let mut t = SectionTable::default();
        let mut at = HEADER_SIZE as u64;
        for (s, len) in Section::ALL.iter().zip(lens) {
            at = at.next_multiple_of(if *s == Section::Code { code_align } else { PAGE });
            t.set(*s, at, len as u64);
            at += len as u64;
        }
        (t, at)
    }

    /// Checks that the code alignment is a power of two of at least 4 KiB and every section
    /// is aligned (see [`SectionTable::layout`]), after the header, in file order, without
    /// overlap, and inside `file_len`.
    ///
    /// # Errors
    /// [`ArtifactError::Corrupt`] naming the section table.
    pub fn validate(&self, code_align: u32, file_len: u64) -> Result<(), ArtifactError> {
        let bad = |detail: String| ArtifactError::Corrupt { part: ArtifactPart::Sections, detail };
        if !code_align.is_power_of_two() || u64::from(code_align) < PAGE {
            return Err(bad(format!("code alignment {code_align} is not a power of two of at least 4096")));
        }
        let mut end = HEADER_SIZE as u64;
        for s in Section::ALL {
            let r = self.get(s);
            let stop = r.offset.checked_add(r.len).ok_or_else(|| bad(format!("{} section overflows", s.name())))?;
            let align = if s == Section::Code { u64::from(code_align) } else { PAGE };
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
    fn layout_is_aligned_and_validates() {
        let (t, len) = SectionTable::layout([100, 20, 0, 8, 0, 12, 0, 5000], 65536);
        assert_eq!(t.get(Section::Code).offset, 65536);
        assert_eq!(t.get(Section::Metadata).offset, 65536 + 4096);
        assert!(Section::ALL.iter().all(|s| t.get(*s).offset % 4096 == 0));
        t.validate(65536, len).unwrap();
        assert!(t.validate(65536, len - 1).is_err());
        assert!(t.validate(1000, len).is_err());
        assert!(t.validate(1 << 17, len).is_err(), "code misaligned for a larger alignment");
        let mut bad = t.clone();
        bad.set(Section::Data, 65536, 10);
        assert!(bad.validate(65536, len).is_err(), "overlap");
    }
}
