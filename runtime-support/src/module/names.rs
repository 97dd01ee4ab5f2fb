//! The `name` custom section (spec appendix 7.4), decoded leniently: a malformed name section
//! is ignored, as the spec allows.
//!
//! Function names stay where they are: a module keeps an index of where each one lies in its
//! bytes ([`ModuleInfo::wasm`](super::ModuleInfo::wasm): the name section of the module
//! binary, or an artifact's data image, which carries the function names), 12 bytes per
//! name, and reads a name only when asked. A large program's names (CPython's WASI build
//! has 89,000 of them, 13.7 MB) so cost no copy into strings at load, only the pages of
//! those looked up.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Names from the name section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Names {
    /// The module's name, if given.
    pub module: Option<String>,
    /// Function names by function index.
    pub functions: FunctionNames,
}

/// Where each function's name lies in a module's bytes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionNames {
    /// The bytes the records index, as a range of the module's bytes: the name section of
    /// a module binary; in an artifact's data image, the function names alone, one after
    /// the other ([`FunctionNames::append_to`]).
    pub section: Range<usize>,
    /// One record per named function, by ascending function index.
    pub entries: Box<[FunctionName]>,
}

/// A function's name: its UTF-8 bytes at `start..start + len` of [`FunctionNames::section`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionName {
    /// The function index.
    pub index: u32,
    /// The first byte of the name, relative to the section's start.
    pub start: u32,
    /// The name's length in bytes.
    pub len: u32,
}

impl FunctionNames {
    /// The name of function `index`, read from `bytes` (the module's bytes the section range
    /// indexes); `None` when it has none, or when the record does not name valid UTF-8 inside
    /// the section (never for a decoded module; an artifact's records are checked at load).
    pub fn get<'a>(&self, bytes: &'a [u8], index: u32) -> Option<&'a str> {
        let at = self.entries.binary_search_by_key(&index, |e| e.index).ok()?;
        self.name(bytes, self.entries[at])
    }

    /// Every function name, by ascending function index (records that do not name valid
    /// UTF-8 in `bytes` left out).
    pub fn iter<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = (u32, &'a str)> + 'a {
        self.entries.iter().filter_map(move |&e| Some((e.index, self.name(bytes, e)?)))
    }

    /// The name record `e` gives in `bytes`, if it names valid UTF-8 inside the section.
    fn name<'a>(&self, bytes: &'a [u8], e: FunctionName) -> Option<&'a str> {
        let section = bytes.get(self.section.clone())?;
        let name = section.get(e.start as usize..e.start as usize + e.len as usize)?;
        std::str::from_utf8(name).ok()
    }

    /// How many functions have a name.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no function has a name.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Appends the function names (read from `bytes`, as [`FunctionNames::get`]) to `image`,
    /// one after the other, and returns the records that index them there: what an
    /// artifact's data image carries, without the rest of the name section (local and label
    /// names, which only debuggers read).
    pub fn append_to(&self, bytes: &[u8], image: &mut Vec<u8>) -> FunctionNames {
        let base = image.len();
        let mut entries = Vec::with_capacity(self.entries.len());
        for (index, name) in self.iter(bytes) {
            // The names come from one section of a module, so they total less than 4 GiB.
            let (Ok(start), Ok(len)) =
                (u32::try_from(image.len() - base), u32::try_from(name.len()))
            else {
                break;
            };
            image.extend_from_slice(name.as_bytes());
            entries.push(FunctionName { index, start, len });
        }
        FunctionNames { section: base..image.len(), entries: entries.into() }
    }

    /// Whether every record lies inside a section of `section_len` bytes, in ascending
    /// function-index order without repeats (what [`FunctionNames::get`]'s binary search
    /// needs): the check a loaded artifact's records pass.
    pub fn is_well_formed(&self, section_len: usize) -> bool {
        self.entries.iter().all(|e| e.start as usize + e.len as usize <= section_len)
            && self.entries.windows(2).all(|w| w[0].index < w[1].index)
    }
}

impl Names {
    /// The names in name section `data`, which starts at byte `offset` of the module binary.
    pub(crate) fn decode(data: &[u8], offset: usize) -> Names {
        let mut names = Names::default();
        let reader =
            wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(data, offset as u64));
        let mut entries = Vec::new();
        for sub in reader {
            let Ok(sub) = sub else { break };
            match sub {
                wasmparser::Name::Module { name, .. } => names.module = Some(name.to_string()),
                wasmparser::Name::Function(map) => {
                    for naming in map.into_iter().flatten() {
                        // The name is a slice of `data` (the reader borrows it).
                        let start = naming.name.as_ptr() as usize - data.as_ptr() as usize;
                        let (Ok(start), Ok(len)) =
                            (u32::try_from(start), u32::try_from(naming.name.len()))
                        else {
                            continue;
                        };
                        entries.push(FunctionName { index: naming.index, start, len });
                    }
                }
                _ => {}
            }
        }
        // The spec orders the names by index without repeats (the reader ends the map at
        // a name that breaks the order); sorted and deduplicated here all the same, so the
        // records are searchable whatever the reader yields (the last name of an index wins).
        entries.reverse();
        entries.sort_by_key(|e| e.index);
        entries.dedup_by_key(|e| e.index);
        names.functions =
            FunctionNames { section: offset..offset + data.len(), entries: entries.into() };
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name section with a function-name subsection naming `(index, name)` in this order.
    fn section(names: &[(u32, &str)]) -> Vec<u8> {
        let mut sub = vec![names.len() as u8];
        for (index, name) in names {
            sub.extend([*index as u8, name.len() as u8]);
            sub.extend(name.as_bytes());
        }
        let mut s = vec![1, sub.len() as u8];
        s.extend(sub);
        s
    }

    #[test]
    fn names_are_read_in_place() {
        // The section sits at byte 3 of the module's bytes.
        let mut bytes = vec![0xaa; 3];
        bytes.extend(section(&[(0, "zero"), (2, "two"), (5, "five")]));
        bytes.push(0xbb);
        let names = Names::decode(&bytes[3..bytes.len() - 1], 3).functions;
        assert_eq!(names.section, 3..bytes.len() - 1);
        assert_eq!(names.len(), 3);
        assert!(names.is_well_formed(names.section.len()));
        assert_eq!(names.get(&bytes, 0), Some("zero"));
        assert_eq!(names.get(&bytes, 2), Some("two"));
        assert_eq!(names.get(&bytes, 1), None);
        let all: Vec<_> = names.iter(&bytes).collect();
        assert_eq!(all, [(0, "zero"), (2, "two"), (5, "five")]);
        // Bytes that do not hold the section (or not valid UTF-8 there) name nothing.
        assert_eq!(names.get(&bytes[..5], 0), None);
        let mut garbled = bytes.clone();
        garbled[names.section.start + names.entries[0].start as usize] = 0xff;
        assert_eq!(names.get(&garbled, 0), None);
        let mut swapped = names.clone();
        swapped.entries.swap(0, 1);
        assert!(!swapped.is_well_formed(names.section.len()));
        assert!(!names.is_well_formed(names.entries[2].start as usize + 3));
        // What an artifact carries: the names alone, after what its image already holds.
        let mut image = vec![7; 5];
        let carried = names.append_to(&bytes, &mut image);
        assert_eq!(&image[5..], b"zerotwofive");
        assert_eq!(carried.section, 5..image.len());
        assert!(carried.is_well_formed(carried.section.len()));
        assert_eq!(carried.iter(&image).collect::<Vec<_>>(), all);
    }

    #[test]
    fn a_disordered_section_keeps_what_came_before_the_disorder() {
        let bytes = section(&[(1, "one"), (4, "four"), (2, "two"), (7, "seven")]);
        let names = Names::decode(&bytes, 0).functions;
        assert!(names.is_well_formed(names.section.len()));
        let all: Vec<_> = names.iter(&bytes).collect();
        assert!(all.starts_with(&[(1, "one"), (4, "four")]), "{all:?}");
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "{all:?}");
    }
}
