//! The source-line table of an artifact: the source file, line and column of every wasm
//! offset a backtrace of its code can show (the wasm offsets of its address map), taken
//! from the module's own DWARF when the compiler writes the artifact. It replaces the
//! module's DWARF, which is often larger than its code (clang `-g`), with what backtraces
//! read from it.
//!
//! Layout (all numbers LEB128, signed ones zigzag-mapped): the file count, then each file's
//! path as a length and UTF-8 bytes; the row count, then the rows, sorted by wasm offset.
//! A row is: the offset's difference from the previous row's (the first from 0); the line's
//! signed difference from the previous row's line (the first from 0), times two, plus one
//! when the file changes; then, if it changes, the file's index plus one (0: no location);
//! and the column (0 when unknown). A row holds for its offset and every offset up to the
//! next row's, so a row equal to the one before it (same file, line and column) is left
//! out; an offset the DWARF does not cover gets a row without location. Empty when the
//! module has no DWARF line information.
//!
//! It is a cold section ([`super::cold`]): verified against its digest on first use, then
//! decoded once into a table that lookups search.

use super::cold::ColdSections;
use crate::leb128::{self, Reader};
use crate::module::{ModuleInfo, SourceLocation};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Encodes the source-line table of `info` for the wasm offsets `offsets` (in any order,
/// repeats allowed): one row per offset the module's DWARF covers.
pub fn encode(info: &ModuleInfo, offsets: impl IntoIterator<Item = u32>) -> Vec<u8> {
    if !info.dwarf.has_line_info() {
        return Vec::new();
    }
    let mut offsets: Vec<u32> = offsets.into_iter().collect();
    offsets.sort_unstable();
    offsets.dedup();
    let mut files: Vec<String> = Vec::new();
    let mut file_ids: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    let mut count = 0u64;
    // The previous row: offset, file (index + 1, 0 for none), line, column.
    let mut prev = (0u32, 0u64, 0i64, 0u64);
    let mut located = false;
    for o in offsets {
        let (file, line, column) = match info.dwarf.location(&info.wasm, o) {
            Some(loc) => {
                let next = files.len() as u64;
                let file = *file_ids.entry(loc.file.clone()).or_insert_with(|| {
                    files.push(loc.file.clone());
                    next
                });
                located = true;
                (file + 1, i64::from(loc.line), u64::from(loc.column))
            }
            None => (0, prev.2, 0),
        };
        if count > 0 && (file, line, column) == (prev.1, prev.2, prev.3) {
            continue;
        }
        let file_changed = file != prev.1 || count == 0;
        leb128::put(&mut rows, u64::from(o - prev.0));
        let dline = ((line - prev.2) << 1) | i64::from(file_changed);
        leb128::put_signed(&mut rows, dline);
        if file_changed {
            leb128::put(&mut rows, file);
        }
        leb128::put(&mut rows, column);
        prev = (o, file, line, column);
        count += 1;
    }
    if !located {
        return Vec::new();
    }
    let mut out = Vec::new();
    leb128::put(&mut out, files.len() as u64);
    for f in &files {
        leb128::put(&mut out, f.len() as u64);
        out.extend_from_slice(f.as_bytes());
    }
    leb128::put(&mut out, count);
    out.extend_from_slice(&rows);
    out
}

/// A decoded table: rows `(wasm offset, file + 1 (0: no location), line, column)` sorted
/// by offset.
#[derive(Debug, Default)]
struct Table {
    files: Vec<String>,
    rows: Vec<(u32, u32, u32, u32)>,
}

/// Decodes a table, or `None` when it is malformed.
fn decode(bytes: &[u8]) -> Option<Table> {
    let mut t = Table::default();
    if bytes.is_empty() {
        return Some(t);
    }
    let mut r = Reader::new(bytes);
    let small = |v: u64| u32::try_from(v).ok();
    let nfiles = r.get()?;
    for _ in 0..nfiles {
        let len = usize::try_from(r.get()?).ok()?;
        t.files.push(String::from_utf8(r.bytes(len)?.to_vec()).ok()?);
    }
    let nrows = r.get()?;
    let (mut offset, mut file, mut line) = (0u32, 0u32, 0i64);
    for _ in 0..nrows {
        offset = offset.checked_add(small(r.get()?)?)?;
        let dline = r.get_signed()?;
        line = line.checked_add(dline >> 1)?;
        if dline & 1 == 1 {
            file = small(r.get()?)?;
            if file as usize > t.files.len() {
                return None;
            }
        }
        let column = small(r.get()?)?;
        t.rows.push((offset, file, u32::try_from(line).ok()?, column));
    }
    r.is_empty().then_some(t)
}

/// The source-line table of a loaded artifact: part `part` of its cold sections.
pub struct SourceLines {
    cold: Arc<ColdSections>,
    part: usize,
    table: OnceLock<Option<Table>>,
}

impl fmt::Debug for SourceLines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceLines").field("cold", &self.cold).finish_non_exhaustive()
    }
}

impl SourceLines {
    /// The table in part `part` of `cold`.
    pub fn new(cold: Arc<ColdSections>, part: usize) -> Self {
        Self { cold, part, table: OnceLock::new() }
    }

    /// The cold sections this table is part of.
    pub fn cold(&self) -> &Arc<ColdSections> {
        &self.cold
    }

    /// The location of the instruction at `wasm_offset` of the module binary: the last row
    /// at or before it (the table has rows for the offsets backtraces show). `None` when
    /// that row has no location, the cold sections fail their digest or the table does not
    /// decode (a backtrace then shows no source lines).
    pub fn location(&self, wasm_offset: u32) -> Option<SourceLocation> {
        let table = self.table.get_or_init(|| decode(self.cold.part(self.part).ok()?)).as_ref()?;
        let i = table.rows.partition_point(|r| r.0 <= wasm_offset).checked_sub(1)?;
        let (_, file, line, column) = table.rows[i];
        let file = table.files.get(file.checked_sub(1)? as usize)?.clone();
        Some(SourceLocation { file, line, column })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_tables_decode_to_none() {
        let mut b = Vec::new();
        leb128::put(&mut b, 1);
        leb128::put(&mut b, 3);
        b.extend_from_slice(b"a.c");
        leb128::put(&mut b, 3);
        // (offset delta, line delta, file change, column)
        for (d, l, f, c) in [(10u64, 5i64, Some(1u64), 2u64), (4, -1, None, 0), (3, 0, Some(0), 0)]
        {
            leb128::put(&mut b, d);
            leb128::put_signed(&mut b, (l << 1) | i64::from(f.is_some()));
            if let Some(f) = f {
                leb128::put(&mut b, f);
            }
            leb128::put(&mut b, c);
        }
        let t = decode(&b).unwrap();
        assert_eq!(t.rows, vec![(10, 1, 5, 2), (14, 1, 4, 0), (17, 0, 4, 0)]);
        for len in 1..b.len() {
            assert!(decode(&b[..len]).is_none(), "truncated at {len}");
        }
        let mut bad_file = b.clone();
        bad_file[8] = 9;
        assert!(decode(&bad_file).is_none());
    }
}
