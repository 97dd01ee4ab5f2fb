//! `emit_object`: relocatable ELF objects for x86_64 and aarch64, read back with the
//! `object` crate (sections, symbols, relocations, `.kiln.meta`, `.kiln.traps`) and gimli
//! (the DWARF line table maps code to wasm offsets).

use crate::{module, settings};
use gimli::{EndianSlice, LittleEndian};
use kiln_compiler::{BoundsChecks, emit_object};
use kiln_runtime_support::TrapCode;
use kiln_runtime_support::artifact::object_meta::{ItemKind, ObjectMeta};
use kiln_runtime_support::artifact::object_sections::{META_SECTION, TRAPS_SECTION};
use kiln_runtime_support::artifact::object_tables::decode_traps;
use object::read::elf::ElfFile64;
use object::{Architecture, Object, ObjectSection, ObjectSymbol, RelocationTarget, SymbolKind};
use std::collections::HashMap;

const WAT: &str = r#"
(module $demo
  (type $un (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $double $half)
  (func $double (type $un) local.get 0 i32.const 2 i32.mul)
  (func $half (type $un) i32.const 7 local.get 0 i32.rem_s local.get 0 i32.div_s)
  (func $"weird name!" (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_u)
  (func $main (export "main") (param i32) (result i32)
    local.get 0 call $double
    local.get 0 local.get 0 call_indirect (type $un)
    i32.add)
  (func (param i32) (result i32) local.get 0 i32.load unreachable)
  (memory 1))
"#;

fn section<'a>(elf: &ElfFile64<'a>, name: &str) -> &'a [u8] {
    elf.section_by_name(name).unwrap_or_else(|| panic!("no section {name}")).data().unwrap()
}

fn check_object(target: &str, arch: Architecture) {
    let wasm = wat::parse_str(WAT).unwrap();
    let info = module(&wasm);
    let bytes = emit_object(&info, &settings(target, BoundsChecks::GuardPages)).unwrap();
    let elf = ElfFile64::<object::Endianness>::parse(&*bytes).unwrap();
    assert_eq!(elf.architecture(), arch, "{target}");
    assert_eq!(elf.kind(), object::ObjectKind::Relocatable);

    // One text symbol per code item, named after the name section.
    let text = elf.section_by_name(".text").unwrap();
    let symbols: HashMap<String, (u64, u64)> = elf
        .symbols()
        .filter(|s| s.kind() == SymbolKind::Text && s.section_index() == Some(text.index()))
        .map(|s| (s.name().unwrap().to_string(), (s.address(), s.size())))
        .collect();
    for name in [
        "wasm_func_0_double",
        "wasm_func_1_half",
        "wasm_func_2_weird_name_",
        "wasm_func_3_main",
        "wasm_func_4",
        "wasm_array_to_wasm_3",
        "wasm_array_entry_3",
        "wasm_to_array_type_0",
        "wasm_to_array_type_1",
    ] {
        let (_, size) = symbols
            .get(name)
            .unwrap_or_else(|| panic!("{target}: no symbol {name} in {symbols:?}"));
        assert!(*size > 0, "{name} has a size");
    }
    // 5 functions, 5 + 5 array trampolines, 2 distinct signatures.
    assert_eq!(symbols.len(), 17, "{symbols:?}");

    // `.kiln.meta` agrees with the symbol table.
    let (meta, _) = ObjectMeta::decode(section(&elf, META_SECTION)).unwrap();
    assert_eq!(meta.items.len(), 17);
    assert_eq!((meta.num_imported_funcs, meta.num_defined_funcs), (0, 5));
    assert_eq!(
        meta.settings_fingerprint,
        settings(target, BoundsChecks::GuardPages).settings_fingerprint()
    );
    let main =
        meta.items.iter().position(|r| r.kind == ItemKind::Function && r.index == 3).unwrap();
    assert_eq!(
        (u64::from(meta.items[main].text_offset), u64::from(meta.items[main].size)),
        symbols["wasm_func_3_main"]
    );

    // Relocations: `main` calls `double` directly and the array-to-wasm body calls `main`.
    let by_address: HashMap<u64, String> =
        symbols.iter().map(|(n, (a, _))| (*a, n.clone())).collect();
    let mut calls = Vec::new();
    for (offset, reloc) in text.relocations() {
        let RelocationTarget::Symbol(sym) = reloc.target() else {
            panic!("{target}: reloc target")
        };
        let sym = elf.symbol_by_index(sym).unwrap();
        let from = symbols
            .iter()
            .find(|(_, (a, s))| (*a..a + s).contains(&offset))
            .map(|(n, _)| n.clone())
            .unwrap();
        calls.push((from, sym.name().unwrap().to_string()));
        assert!(by_address.contains_key(&sym.address()));
    }
    for (from, to) in [
        ("wasm_func_3_main", "wasm_func_0_double"),
        ("wasm_array_to_wasm_3", "wasm_func_3_main"),
        ("wasm_array_entry_3", "wasm_array_to_wasm_3"),
    ] {
        assert!(
            calls.contains(&(from.to_string(), to.to_string())),
            "{target}: no relocation {from} -> {to} in {calls:?}"
        );
    }
    assert!(elf.symbols().all(|s| !s.is_undefined() || s.index().0 == 0), "no undefined symbols");

    // `.kiln.traps`: the division traps, the unreachable, the memory access, the
    // call_indirect checks and the stack checks.
    let traps = decode_traps(section(&elf, TRAPS_SECTION)).unwrap();
    let codes_of = |func: u32| -> Vec<TrapCode> {
        let item = meta
            .items
            .iter()
            .position(|r| r.kind == ItemKind::Function && r.index == func)
            .unwrap();
        traps.iter().filter(|t| t.item == item as u32).map(|t| t.code).collect()
    };
    assert!(codes_of(1).contains(&TrapCode::IntegerDivideByZero));
    assert!(codes_of(1).contains(&TrapCode::IntegerOverflow));
    assert!(codes_of(2).contains(&TrapCode::IntegerDivideByZero));
    assert!(codes_of(3).contains(&TrapCode::IndirectCallTypeMismatch));
    assert!(codes_of(3).contains(&TrapCode::UndefinedElement));
    assert!(codes_of(4).contains(&TrapCode::MemoryOutOfBounds));
    assert!(codes_of(4).contains(&TrapCode::Unreachable));
    let mut sorted = traps.clone();
    sorted.sort_by_key(|t| (t.item, t.offset));
    assert_eq!(sorted, traps, "sorted by item and offset");
    for t in &traps {
        assert!(t.offset < meta.items[t.item as usize].size);
    }

    // DWARF: the line table maps every function's code into its wasm body.
    for name in [".debug_info", ".debug_abbrev", ".debug_line", ".debug_str"] {
        assert!(!section(&elf, name).is_empty(), "{target}: {name}");
    }
    let rows = line_rows(&elf);
    for (i, body) in info.bodies.iter().enumerate() {
        let item = &meta.items[i];
        let lines: Vec<u64> = rows
            .iter()
            .filter(|(addr, _, _)| {
                (item.text_offset..item.text_offset + item.size).contains(&(*addr as u32))
            })
            .map(|(_, _, line)| *line)
            .collect();
        assert!(!lines.is_empty(), "{target}: function {i} has line rows");
        for line in lines {
            assert!(
                (body.range.start as u64..body.range.end as u64).contains(&line),
                "{target}: function {i}: line {line} outside its body {:?}",
                body.range
            );
        }
    }
    assert!(rows.iter().all(|(_, file, _)| file == "demo.wasm"));
}

/// `(address, file, line)` of every row of the object's line program; addresses are
/// `.text` offsets (the relocations against local symbols are applied by hand: the
/// addend is the symbol's offset in `.text` plus the relocation's addend).
fn line_rows(elf: &ElfFile64<'_>) -> Vec<(u64, String, u64)> {
    let mut line = section(elf, ".debug_line").to_vec();
    let debug_line = elf.section_by_name(".debug_line").unwrap();
    for (offset, reloc) in debug_line.relocations() {
        let RelocationTarget::Symbol(sym) = reloc.target() else { panic!() };
        let value = elf.symbol_by_index(sym).unwrap().address() as i64 + reloc.addend();
        let o = offset as usize;
        match reloc.size() {
            64 => line[o..o + 8].copy_from_slice(&(value as u64).to_le_bytes()),
            32 => line[o..o + 4].copy_from_slice(&(value as u32).to_le_bytes()),
            s => panic!("relocation size {s}"),
        }
    }
    let program = gimli::DebugLine::new(&line, LittleEndian)
        .program(gimli::DebugLineOffset(0), 8, None, None)
        .unwrap();
    let mut rows = program.rows();
    let mut out = Vec::new();
    while let Some((header, row)) = rows.next_row().unwrap() {
        if row.end_sequence() {
            continue;
        }
        let file = row.file(header).unwrap();
        let gimli::AttributeValue::String(name) = file.path_name() else { panic!() };
        let name: EndianSlice<'_, LittleEndian> = name;
        out.push((row.address(), name.to_string_lossy().into_owned(), row.line().unwrap().get()));
    }
    out
}

#[test]
fn x86_64_object_has_symbols_relocations_tables_and_dwarf() {
    check_object("x86_64-unknown-linux-gnu", Architecture::X86_64);
}

#[test]
fn aarch64_object_has_symbols_relocations_tables_and_dwarf() {
    check_object("aarch64-unknown-linux-gnu", Architecture::Aarch64);
}

#[test]
fn non_elf_and_unsupported_targets_are_errors() {
    let info = module(WAT);
    let err =
        emit_object(&info, &settings("x86_64-apple-darwin", BoundsChecks::GuardPages)).unwrap_err();
    assert!(err.message.contains("ELF"), "{err}");
    let err =
        emit_object(&info, &settings("riscv64gc-unknown-linux-gnu", BoundsChecks::GuardPages))
            .unwrap_err();
    assert!(err.message.contains("unsupported target"), "{err}");
}

#[test]
fn module_without_functions_gives_an_empty_object() {
    let info = module("(module (memory 1))");
    let bytes = emit_object(&info, &settings("x86_64-unknown-linux-gnu", BoundsChecks::GuardPages))
        .unwrap();
    let elf = ElfFile64::<object::Endianness>::parse(&*bytes).unwrap();
    let (meta, _) = ObjectMeta::decode(section(&elf, META_SECTION)).unwrap();
    assert!(meta.items.is_empty());
    assert!(decode_traps(section(&elf, TRAPS_SECTION)).unwrap().is_empty());
}

#[test]
fn malformed_module_dwarf_falls_back_to_wasm_offsets() {
    let wasm = wat::parse_str(
        r#"(module $broken
          (@custom ".debug_info" "\04\00\00\00\ff\ff")
          (@custom ".debug_line" "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")
          (func (param i32) (result i32) local.get 0 local.get 0 i32.div_u))"#,
    )
    .unwrap();
    let info = module(&wasm);
    assert!(info.dwarf.has_line_info());
    for target in ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"] {
        let bytes = emit_object(&info, &settings(target, BoundsChecks::GuardPages)).unwrap();
        let elf = ElfFile64::<object::Endianness>::parse(&*bytes).unwrap();
        let rows = line_rows(&elf);
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|(_, file, _)| file == "broken.wasm"), "{rows:?}");
    }
}
