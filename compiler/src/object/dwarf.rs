//! DWARF for an object's code (see the [`super`] docs, "DWARF"), written with gimli: the
//! sections are added to the object with relocations against the code items' symbols, so
//! the addresses stay right when a linker moves `.text`.

use super::items::Item;
use crate::settings::error;
use ::object::write::{Object, Relocation as ObjRelocation, SectionId as ObjSectionId, SymbolId};
use ::object::{RelocationEncoding, RelocationFlags, RelocationKind, SectionKind};
use gimli::write::{
    Address, AttributeValue, DwarfUnit, EndianVec, LineProgram, LineString, RelocateWriter,
    Relocation, RelocationTarget, Sections, Writer,
};
use gimli::{Encoding, Format, LineEncoding, LittleEndian, SectionId};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::artifact::object_meta::ItemKind;
use kiln_runtime_support::artifact::object_meta::ItemRecord;
use kiln_runtime_support::module::{LineFiles, ModuleInfo};
use std::collections::HashMap;

/// A section's bytes and the relocations gimli asked for.
#[derive(Clone)]
struct RelocWriter {
    data: EndianVec<LittleEndian>,
    relocs: Vec<Relocation>,
}

impl RelocateWriter for RelocWriter {
    type Writer = EndianVec<LittleEndian>;
    fn writer(&self) -> &Self::Writer {
        &self.data
    }
    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.data
    }
    fn relocate(&mut self, relocation: Relocation) {
        self.relocs.push(relocation);
    }
}

/// Adds `.debug_info`, `.debug_abbrev`, `.debug_line` and `.debug_str` for `items`
/// (whose symbols are `symbols`, laid out as `records` say) to `obj`.
pub(super) fn write_dwarf(
    obj: &mut Object<'static>,
    info: &ModuleInfo,
    module_name: &str,
    items: &[Item<'_>],
    symbols: &[SymbolId],
    records: &[ItemRecord],
) -> Result<(), CompileError> {
    let fail = |e: gimli::write::Error| error(format!("writing DWARF: {e}"));
    let encoding = Encoding { format: Format::Dwarf32, version: 4, address_size: 8 };
    let mut dwarf = DwarfUnit::new(encoding);
    let wasm_file = format!("{module_name}.wasm");
    let mut program = LineProgram::new(
        encoding,
        LineEncoding::default(),
        LineString::String(b".".to_vec()),
        None,
        LineString::String(wasm_file.as_bytes().to_vec()),
        None,
    );
    let fallback = program.add_file(
        LineString::String(wasm_file.as_bytes().to_vec()),
        program.default_directory(),
        None,
    );
    let mut files = LineFiles::default();
    let has_dwarf = info.dwarf.has_line_info();

    for (i, item) in items.iter().enumerate() {
        if item.kind != ItemKind::Function || item.code.address_map.is_empty() {
            continue;
        }
        let body_start = info.bodies[(item.index - info.num_imported_funcs) as usize].range.start;
        program.begin_sequence(Some(Address::Symbol { symbol: i, addend: 0 }));
        let mut last = None;
        // The prologue (before the first mapped instruction) maps to the source line of the
        // first instruction, or else to the body's start.
        let first = item.code.address_map[0];
        let prologue = (first.code_start > 0).then(|| {
            let location = has_dwarf.then(|| info.source_location(first.wasm_offset)).flatten();
            (0, body_start as u32, location)
        });
        let rows = prologue.into_iter().chain(item.code.address_map.iter().map(|e| {
            let location = has_dwarf.then(|| info.source_location(e.wasm_offset)).flatten();
            (e.code_start, e.wasm_offset, location)
        }));
        for (code_offset, wasm_offset, location) in rows {
            let (file, line, column) = match &location {
                Some(l) => {
                    (files.get(&mut program, &l.file), u64::from(l.line), u64::from(l.column))
                }
                None => (fallback, u64::from(wasm_offset), 0),
            };
            if last == Some((file, line, column)) {
                continue;
            }
            last = Some((file, line, column));
            let row = program.row();
            row.address_offset = u64::from(code_offset);
            row.file = file;
            row.line = line;
            row.column = column;
            program.generate_row();
        }
        program.end_sequence(item.code.code.len() as u64);
    }
    dwarf.unit.line_program = program;

    let (first, last) = match (records.first(), records.last()) {
        (Some(f), Some(l)) => (f.text_offset, l.text_offset + l.size),
        _ => (0, 0),
    };
    let root = dwarf.unit.root();
    let producer = dwarf.strings.add(format!("kiln-compiler {}", env!("CARGO_PKG_VERSION")));
    let name = dwarf.strings.add(wasm_file.as_bytes());
    let comp_dir = dwarf.strings.add(".");
    let entry = dwarf.unit.get_mut(root);
    entry.set(gimli::DW_AT_producer, AttributeValue::StringRef(producer));
    entry.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
    entry.set(gimli::DW_AT_comp_dir, AttributeValue::StringRef(comp_dir));
    if !items.is_empty() {
        entry.set(
            gimli::DW_AT_low_pc,
            AttributeValue::Address(Address::Symbol { symbol: 0, addend: 0 }),
        );
        entry.set(gimli::DW_AT_high_pc, AttributeValue::Udata(u64::from(last - first)));
    }
    for (i, item) in items.iter().enumerate() {
        let wasm_name = match item.kind {
            ItemKind::Function => info.func_name(item.index).map(str::to_string),
            _ => None,
        };
        let sub = dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let name = dwarf.strings.add(wasm_name.as_deref().unwrap_or(&item.symbol));
        let linkage = dwarf.strings.add(item.symbol.as_bytes());
        let entry = dwarf.unit.get_mut(sub);
        entry.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
        entry.set(gimli::DW_AT_linkage_name, AttributeValue::StringRef(linkage));
        entry.set(
            gimli::DW_AT_low_pc,
            AttributeValue::Address(Address::Symbol { symbol: i, addend: 0 }),
        );
        entry.set(gimli::DW_AT_high_pc, AttributeValue::Udata(item.code.code.len() as u64));
    }

    let mut sections =
        Sections::new(RelocWriter { data: EndianVec::new(LittleEndian), relocs: Vec::new() });
    dwarf.write(&mut sections).map_err(fail)?;

    let mut ids: HashMap<SectionId, ObjSectionId> = HashMap::new();
    sections.for_each(|id, w| -> Result<(), CompileError> {
        if w.len() > 0 {
            let kind = if id == SectionId::DebugStr {
                SectionKind::DebugString
            } else {
                SectionKind::Debug
            };
            let section = obj.add_section(Vec::new(), id.name().into(), kind);
            obj.set_section_data(section, w.data.slice().to_vec(), 1);
            ids.insert(id, section);
        }
        Ok(())
    })?;
    sections.for_each(|id, w| -> Result<(), CompileError> {
        for r in &w.relocs {
            let symbol = match r.target {
                RelocationTarget::Symbol(i) => symbols[i],
                RelocationTarget::Section(s) => {
                    let target = *ids.get(&s).ok_or_else(|| {
                        error(format!("DWARF relocation against empty section {}", s.name()))
                    })?;
                    obj.section_symbol(target)
                }
            };
            obj.add_relocation(
                ids[&id],
                ObjRelocation {
                    offset: r.offset as u64,
                    symbol,
                    addend: r.addend,
                    flags: RelocationFlags::Generic {
                        kind: RelocationKind::Absolute,
                        encoding: RelocationEncoding::Generic,
                        size: r.size * 8,
                    },
                },
            )
            .map_err(|e| error(format!("DWARF relocation in {}: {e}", id.name())))?;
        }
        Ok(())
    })
}
