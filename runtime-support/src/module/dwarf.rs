//! The module's own DWARF: a map from wasm code offsets to source file, line and column,
//! read with gimli from the `.debug_*` custom sections that compilers such as clang emit
//! with `-g` (the WebAssembly tool conventions' "DWARF for WebAssembly Target").
//!
//! DWARF addresses in a wasm module are byte offsets from the start of the Code section's
//! payload (the byte after the section's size, where the function count starts), so a
//! module offset `o` is DWARF address `o - code_section_start`. The line table is built on
//! first use and kept.

use super::CustomSection;
use crate::artifact::source_lines::SourceLines;
use gimli::{EndianSlice, LittleEndian};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// A place in the source the module was compiled from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceLocation {
    /// The file's path as the compiler recorded it (joined with the compile directory when
    /// relative).
    pub file: String,
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1; 0 when unknown.
    pub column: u32,
}

impl fmt::Display for SourceLocation {
    /// Formats as `file:line:column`, or `file:line` when the column is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if self.column != 0 {
            write!(f, ":{}", self.column)?;
        }
        Ok(())
    }
}

/// Where a module's DWARF is: the Code section's start and its `.debug_*` custom sections.
/// Decoding fills it for every module (the sections are kept as ranges of the module
/// binary, not copied). An artifact stores instead, in its source-line table
/// ([`crate::artifact::source_lines`]), the locations of the wasm offsets its backtraces can
/// show; the loader attaches that table (verified the first time a location is asked for)
/// and the sections are empty.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct WasmDwarf {
    /// Byte offset in the module binary of the Code section's payload, if there is one.
    pub code_section_start: Option<usize>,
    /// The custom sections whose name starts with `.debug_`: ranges of the module binary
    /// (empty for a module loaded from an artifact).
    pub sections: Vec<CustomSection>,
    #[serde(skip)]
    artifact: Option<Arc<SourceLines>>,
    #[serde(skip)]
    lines: OnceLock<LineTable>,
}

impl Clone for WasmDwarf {
    /// Clones the section ranges; the clone builds its line table again on first use.
    fn clone(&self) -> Self {
        Self {
            code_section_start: self.code_section_start,
            sections: self.sections.clone(),
            artifact: self.artifact.clone(),
            lines: OnceLock::new(),
        }
    }
}

impl WasmDwarf {
    /// Whether the module carries a DWARF line table (`.debug_line`).
    pub fn has_line_info(&self) -> bool {
        self.code_section_start.is_some() && self.sections.iter().any(|s| s.name == ".debug_line")
    }

    /// The source location of the instruction at byte offset `wasm_offset` of the module
    /// binary, if the module's DWARF covers it. For a module loaded from an artifact, from
    /// its source-line table (after the cold sections' digest is verified, on first use);
    /// else from the DWARF in `wasm` (the binary this was decoded from). Malformed DWARF is
    /// ignored (no locations), as custom sections may not fail a module, and so are
    /// corrupted cold sections.
    pub fn location(&self, wasm: &[u8], wasm_offset: u32) -> Option<SourceLocation> {
        if let Some(lines) = &self.artifact {
            return lines.location(wasm_offset);
        }
        let start = self.code_section_start?;
        if !self.has_line_info() {
            return None;
        }
        let address = u64::from(wasm_offset).checked_sub(start as u64)?;
        self.lines.get_or_init(|| LineTable::read(self, wasm).unwrap_or_default()).lookup(address)
    }

    /// The artifact's source-line table, when the module was loaded from an artifact.
    pub fn source_lines(&self) -> Option<&Arc<SourceLines>> {
        self.artifact.as_ref()
    }

    /// Makes locations come from `lines` (an artifact's source-line table).
    pub(crate) fn attach(&mut self, lines: Arc<SourceLines>) {
        self.artifact = Some(lines);
        self.lines = OnceLock::new();
    }
}

/// Rows of every line sequence, sorted by address.
#[derive(Debug, Default)]
struct LineTable {
    rows: Vec<Row>,
    files: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
struct Row {
    address: u64,
    /// `u32::MAX` ends a sequence (no location from here on).
    file: u32,
    line: u32,
    column: u32,
}

const END: u32 = u32::MAX;

type Slice<'a> = EndianSlice<'a, LittleEndian>;

impl LineTable {
    fn read(dwarf: &WasmDwarf, wasm: &[u8]) -> Result<Self, gimli::Error> {
        let load = |id: gimli::SectionId| -> Result<Slice<'_>, gimli::Error> {
            let data = dwarf
                .sections
                .iter()
                .find(|s| s.name == id.name())
                .and_then(|s| wasm.get(s.data.clone()))
                .unwrap_or(&[]);
            Ok(EndianSlice::new(data, LittleEndian))
        };
        let sections = gimli::Dwarf::load(load)?;
        let mut table = LineTable::default();
        let mut file_ids: HashMap<String, u32> = HashMap::new();
        let mut units = sections.units();
        while let Some(header) = units.next()? {
            let unit = sections.unit(header)?;
            let Some(program) = unit.line_program.clone() else { continue };
            let mut sequence: Vec<Row> = Vec::new();
            let mut rows = program.rows();
            while let Some((header, row)) = rows.next_row()? {
                if row.end_sequence() {
                    // Sequences of functions the linker dropped start at 0 or at a
                    // tombstone address; real code never starts the Code section.
                    let start = sequence.first().map_or(0, |r| r.address);
                    if start != 0 && start < 0xffff_fff0 {
                        table.rows.append(&mut sequence);
                        table.rows.push(Row {
                            address: row.address(),
                            file: END,
                            line: 0,
                            column: 0,
                        });
                    }
                    sequence.clear();
                    continue;
                }
                let line = row.line().map_or(0, |l| l.get()) as u32;
                let file = match row.file(header) {
                    Some(entry) if line != 0 => {
                        let path = file_path(&sections, &unit, header, entry)?;
                        let next = file_ids.len() as u32;
                        let id = *file_ids.entry(path.clone()).or_insert(next);
                        if id == next {
                            table.files.push(path);
                        }
                        id
                    }
                    _ => END,
                };
                let column = match row.column() {
                    gimli::ColumnType::LeftEdge => 0,
                    gimli::ColumnType::Column(c) => c.get() as u32,
                };
                sequence.push(Row { address: row.address(), file, line, column });
            }
        }
        // Ends before starts at the same address, so a lookup lands on the start.
        table.rows.sort_by_key(|r| (r.address, r.file != END));
        Ok(table)
    }

    fn lookup(&self, address: u64) -> Option<SourceLocation> {
        let i = self.rows.partition_point(|r| r.address <= address).checked_sub(1)?;
        let row = self.rows[i];
        if row.file == END {
            return None;
        }
        Some(SourceLocation {
            file: self.files[row.file as usize].clone(),
            line: row.line,
            column: row.column,
        })
    }
}

/// The path of a line-program file entry: its directory and name, under the unit's
/// compile directory when relative.
fn file_path(
    dwarf: &gimli::Dwarf<Slice<'_>>,
    unit: &gimli::Unit<Slice<'_>>,
    header: &gimli::LineProgramHeader<Slice<'_>>,
    entry: &gimli::FileEntry<Slice<'_>>,
) -> Result<String, gimli::Error> {
    let text = |v| -> Result<String, gimli::Error> {
        Ok(dwarf.attr_string(unit, v)?.to_string_lossy().into_owned())
    };
    let name = text(entry.path_name())?;
    if name.starts_with('/') {
        return Ok(name);
    }
    let mut path = String::new();
    if let Some(dir) = entry.directory(header) {
        path = text(dir)?;
    }
    if !path.starts_with('/')
        && let Some(comp_dir) = &unit.comp_dir
    {
        let comp_dir = comp_dir.to_string_lossy().into_owned();
        path = if path.is_empty() { comp_dir } else { format!("{comp_dir}/{path}") };
    }
    Ok(if path.is_empty() { name } else { format!("{}/{name}", path.trim_end_matches('/')) })
}
