//! The in-memory symbol file a debugger reads for one module's loaded code: a 64-bit ELF
//! executable (`ET_EXEC`, so every address in it is absolute) with no loadable contents.
//!
//! Sections: `.text` (`SHT_NOBITS` at the code's address and length: the code itself stays
//! where it is mapped), `.symtab`/`.strtab` with one `STT_FUNC` symbol per wasm function
//! (its plain name, as in backtraces) and one for the trampolines, and DWARF 4
//! (`.debug_info`, `.debug_abbrev`, `.debug_line`, `.debug_str`): one compile unit named
//! `<module>.wasm` covering the code, a `DW_TAG_subprogram` per function, and a line
//! program with a sequence per function whose rows are the function's start and the points
//! of its address map (trap and call sites) that the module's line information locates. A
//! function without line information gets the rows of `<module>.wasm` with the wasm offset
//! as the line number, as the compiler's object files do.

use super::super::code_symbols::{self, CodeSymbol};
use super::super::code_tables::{CodeKind, MapPoint};
use super::super::compiled_code::CodeMeta;
use crate::module::{LineFiles, SourceLocation};
use gimli::write::{
    Address, AttributeValue, DwarfUnit, EndianVec, LineProgram, LineString, Sections,
};
use gimli::{Encoding, Format, LineEncoding, LittleEndian};
use object::elf;
use object::write::elf::{FileHeader, SectionHeader, Sym, Writer};

/// The symbol file of `code`, or `None` when it cannot be written (DWARF or ELF limits).
pub(in crate::vm) fn build(code: &CodeMeta) -> Option<Vec<u8>> {
    let module = code_symbols::module_name(code).to_string();
    let symbols = code_symbols::symbols(code);
    let lines: Vec<Vec<(MapPoint, SourceLocation)>> =
        symbols.iter().map(|s| code_symbols::lines(code, s)).collect();
    let dwarf = dwarf_sections(code, &module, &symbols, &lines)?;
    elf_file(code, &symbols, &dwarf)
}

/// The DWARF sections, as `(name, bytes)`, non-empty ones only.
fn dwarf_sections(
    code: &CodeMeta,
    module: &str,
    symbols: &[CodeSymbol],
    lines: &[Vec<(MapPoint, SourceLocation)>],
) -> Option<Vec<(&'static str, Vec<u8>)>> {
    let encoding = Encoding { format: Format::Dwarf32, version: 4, address_size: 8 };
    let mut dwarf = DwarfUnit::new(encoding);
    let wasm_file = match module.ends_with(".wasm") {
        true => module.to_string(),
        false => format!("{module}.wasm"),
    };
    let mut program = LineProgram::new(
        encoding,
        LineEncoding::default(),
        LineString::String(b".".to_vec()),
        None,
        LineString::String(wasm_file.as_bytes().to_vec()),
        None,
    );
    let dir = program.default_directory();
    let fallback = program.add_file(LineString::String(wasm_file.as_bytes().to_vec()), dir, None);
    let mut files = LineFiles::default();
    for (s, rows) in symbols.iter().zip(lines) {
        let CodeKind::Wasm(_) = s.record.kind else { continue };
        program.begin_sequence(Some(Address::Constant(s.start as u64)));
        if rows.is_empty() {
            // No line information: the wasm file, at the function's first point's offset.
            let wasm = code.tables.points(&s.record).first().map_or(0, |p| p.wasm);
            let r = program.row();
            (r.address_offset, r.file, r.line) = (0, fallback, u64::from(wasm));
            program.generate_row();
        }
        let mut last = None;
        // The function's first bytes (its prologue) take the first located point's line.
        let first = rows.first().map(|(p, loc)| (MapPoint { code: 0, call: false, ..*p }, loc));
        for (point, loc) in first.into_iter().chain(rows.iter().map(|(p, l)| (*p, l))) {
            let file = files.get(&mut program, &loc.file);
            let row = (file, u64::from(loc.line), u64::from(loc.column), !point.call);
            if last == Some(row) {
                continue;
            }
            last = Some(row);
            let r = program.row();
            r.address_offset = u64::from(point.code);
            // A call site's point is the call's last byte, not an instruction boundary: it
            // names the line for addresses (a caller's frame) but is no place to break.
            (r.file, r.line, r.column, r.is_statement) = row;
            // Debuggers skip a function's prologue to the first `prologue_end` row; without
            // one they guess from the rows, and may pick a call site. Kiln breaks at entry.
            r.prologue_end = point.code == 0;
            program.generate_row();
        }
        program.end_sequence(u64::from(s.record.len));
    }
    dwarf.unit.line_program = program;

    let root = dwarf.unit.root();
    let producer = dwarf.strings.add(format!("kiln {}", env!("CARGO_PKG_VERSION")));
    let name = dwarf.strings.add(wasm_file.as_bytes());
    let comp_dir = dwarf.strings.add(".");
    let entry = dwarf.unit.get_mut(root);
    entry.set(gimli::DW_AT_producer, AttributeValue::StringRef(producer));
    entry.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
    entry.set(gimli::DW_AT_comp_dir, AttributeValue::StringRef(comp_dir));
    entry.set(gimli::DW_AT_language, AttributeValue::Language(gimli::DW_LANG_C99));
    entry.set(gimli::DW_AT_low_pc, AttributeValue::Address(Address::Constant(code.base as u64)));
    entry.set(gimli::DW_AT_high_pc, AttributeValue::Udata(code.tables.code_len() as u64));
    for s in symbols {
        let sub = dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let name = dwarf.strings.add(s.name.as_bytes());
        let entry = dwarf.unit.get_mut(sub);
        entry.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
        entry.set(gimli::DW_AT_external, AttributeValue::Flag(true));
        entry.set(gimli::DW_AT_low_pc, AttributeValue::Address(Address::Constant(s.start as u64)));
        entry.set(gimli::DW_AT_high_pc, AttributeValue::Udata(u64::from(s.record.len)));
    }
    let mut sections = Sections::new(EndianVec::new(LittleEndian));
    dwarf.write(&mut sections).ok()?;
    let mut out = Vec::new();
    sections
        .for_each(|id, w| -> Result<(), ()> {
            if !w.slice().is_empty() {
                out.push((id.name(), w.slice().to_vec()));
            }
            Ok(())
        })
        .ok()?;
    Some(out)
}

/// The ELF file around `dwarf`, with `.text` and the symbols of `symbols`.
fn elf_file(
    code: &CodeMeta,
    symbols: &[CodeSymbol],
    dwarf: &[(&'static str, Vec<u8>)],
) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut w = Writer::new(object::Endianness::Little, true, &mut buf);
    w.reserve_file_header();
    w.reserve_null_section_index();
    let text_name = w.add_section_name(b".text");
    let text = w.reserve_section_index();
    let debug: Vec<_> = dwarf
        .iter()
        .map(|(name, bytes)| {
            (w.add_section_name(name.as_bytes()), w.reserve_section_index(), bytes)
        })
        .collect();
    w.reserve_symtab_section_index();
    w.reserve_strtab_section_index();
    w.reserve_shstrtab_section_index();
    w.reserve_null_symbol_index();
    let names: Vec<_> = symbols.iter().map(|s| w.add_string(s.name.as_bytes())).collect();
    for _ in symbols {
        w.reserve_symbol_index(Some(text));
    }
    let offsets: Vec<usize> = debug.iter().map(|(_, _, b)| w.reserve(b.len(), 1)).collect();
    w.reserve_symtab();
    w.reserve_strtab();
    w.reserve_shstrtab();
    w.reserve_section_headers();

    let e_machine = if cfg!(target_arch = "aarch64") { elf::EM_AARCH64 } else { elf::EM_X86_64 };
    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_EXEC,
        e_machine,
        e_entry: 0,
        e_flags: 0,
    })
    .ok()?;
    for (_, _, bytes) in &debug {
        w.write(bytes);
    }
    w.write_null_symbol();
    for (s, name) in symbols.iter().zip(&names) {
        w.write_symbol(&Sym {
            name: Some(*name),
            section: Some(text),
            st_info: (elf::STB_GLOBAL << 4) | elf::STT_FUNC,
            st_other: elf::STV_DEFAULT,
            st_shndx: 0,
            st_value: s.start as u64,
            st_size: u64::from(s.record.len),
        });
    }
    w.write_strtab();
    w.write_shstrtab();
    w.write_null_section_header();
    w.write_section_header(&SectionHeader {
        name: Some(text_name),
        sh_type: elf::SHT_NOBITS,
        sh_flags: u64::from(elf::SHF_ALLOC | elf::SHF_EXECINSTR),
        sh_addr: code.base as u64,
        sh_offset: 0,
        sh_size: code.tables.code_len() as u64,
        sh_link: 0,
        sh_info: 0,
        sh_addralign: 16,
        sh_entsize: 0,
    });
    for ((name, _, bytes), offset) in debug.iter().zip(&offsets) {
        w.write_section_header(&SectionHeader {
            name: Some(*name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: 0,
            sh_addr: 0,
            sh_offset: *offset as u64,
            sh_size: bytes.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 1,
            sh_entsize: 0,
        });
    }
    w.write_symtab_section_header(1);
    w.write_strtab_section_header();
    w.write_shstrtab_section_header();
    Some(buf)
}
