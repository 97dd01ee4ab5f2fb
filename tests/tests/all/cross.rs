//! Cross-compilation to relocatable objects: the C kernels (`tests/c/kernels.c`) and the
//! DWARF-carrying trap program (`tests/c/dwarf_traps.c`, built with `-g`) compiled with
//! `kiln_compiler::emit_object` for `x86_64-unknown-linux-gnu` and
//! `aarch64-unknown-linux-gnu`, checked with the `object` crate and with GNU binutils:
//! `aarch64-linux-gnu-objdump -d` and `aarch64-linux-gnu-addr2line` on the aarch64
//! objects, `readelf`, `objdump -d` and `addr2line` on the x86_64 ones.
//!
//! The binutils come from `scripts/setup-deps.sh`; a missing tool fails the test.

use kiln_compiler::{CompilerSettings, emit_object};
use kiln_runtime_support::artifact::object_meta::{ItemKind, ObjectMeta};
use kiln_runtime_support::artifact::object_sections::{META_SECTION, TRAPS_SECTION};
use kiln_runtime_support::artifact::object_tables::decode_traps;
use kiln_runtime_support::module::{DecodeOptions, ModuleInfo, decode};
use kiln_runtime_support::{CoreFeatures, TrapCode};
use kiln_tests::{dwarf_traps_wasm, kernels_wasm, marked_line, target_dir};
use object::read::elf::ElfFile64;
use object::{Architecture, Object, ObjectSection, ObjectSymbol, SymbolKind};
use std::path::PathBuf;
use std::process::Command;

const X86_64: &str = "x86_64-unknown-linux-gnu";
const AARCH64: &str = "aarch64-unknown-linux-gnu";

fn module(wasm: &[u8]) -> ModuleInfo {
    decode(wasm, DecodeOptions { features: CoreFeatures::V2, keep_custom_sections: false }).unwrap()
}

/// Compiles `wasm` for `target` and writes the object under the target directory.
fn emit(wasm: &[u8], name: &str, target: &str) -> (ModuleInfo, PathBuf, Vec<u8>) {
    let info = module(wasm);
    let settings = CompilerSettings::for_target_name(target).unwrap();
    let bytes = emit_object(&info, &settings).unwrap_or_else(|e| panic!("{name} {target}: {e}"));
    let dir = target_dir().join("kiln-objects");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{target}.o"));
    std::fs::write(&path, &bytes).unwrap();
    (info, path, bytes)
}

/// Runs a binutils tool; a missing tool, a failing run or a warning fails the test.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): run scripts/setup-deps.sh to install binutils")
    });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{tool} {args:?}: {}\n{stderr}", out.status);
    assert!(stderr.trim().is_empty(), "{tool} {args:?} warned:\n{stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// Checks the object with the `object` crate and returns the names of its function
/// symbols, in function order.
fn check_structure(info: &ModuleInfo, bytes: &[u8], arch: Architecture) -> Vec<String> {
    let elf = ElfFile64::<object::Endianness>::parse(bytes).unwrap();
    assert_eq!(elf.architecture(), arch);
    assert_eq!(elf.kind(), object::ObjectKind::Relocatable);
    for name in [
        ".text",
        META_SECTION,
        TRAPS_SECTION,
        ".debug_info",
        ".debug_abbrev",
        ".debug_line",
        ".debug_str",
    ] {
        let section = elf.section_by_name(name).unwrap_or_else(|| panic!("{arch:?}: no {name}"));
        assert!(section.size() > 0, "{arch:?}: {name} is empty");
    }
    let (meta, _) =
        ObjectMeta::decode(elf.section_by_name(META_SECTION).unwrap().data().unwrap()).unwrap();
    let functions: Vec<_> = meta.items.iter().filter(|r| r.kind == ItemKind::Function).collect();
    assert_eq!(functions.len() as u32, info.num_defined_funcs());
    let text = elf.section_by_name(".text").unwrap();
    let mut names = Vec::new();
    for (i, f) in functions.iter().enumerate() {
        assert_eq!(f.index, info.num_imported_funcs + i as u32);
        let matching: Vec<_> = elf
            .symbols()
            .filter(|s| {
                s.kind() == SymbolKind::Text
                    && s.section_index() == Some(text.index())
                    && s.address() == u64::from(f.text_offset)
                    && s.size() == u64::from(f.size)
            })
            .collect();
        assert_eq!(matching.len(), 1, "{arch:?}: one symbol for function {}", f.index);
        let name = matching[0].name().unwrap().to_string();
        assert!(name.starts_with(&format!("wasm_func_{}", f.index)), "{name}");
        names.push(name);
    }
    assert!(text.relocations().count() > 0, "{arch:?}: calls are relocated");
    names
}

fn kernels() -> Vec<u8> {
    kernels_wasm().unwrap_or_else(|e| panic!("{e}"))
}

fn dwarf_traps() -> Vec<u8> {
    dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn aarch64_objects_disassemble_with_binutils() {
    for (name, wasm) in [("kernels", kernels()), ("dwarf_traps", dwarf_traps())] {
        let (info, path, bytes) = emit(&wasm, name, AARCH64);
        let symbols = check_structure(&info, &bytes, Architecture::Aarch64);
        let listing = run("aarch64-linux-gnu-objdump", &["-d", path.to_str().unwrap()]);
        assert!(listing.contains("file format elf64-littleaarch64"), "{listing}");
        for s in &symbols {
            assert!(listing.contains(&format!("<{s}>:")), "{name}: objdump shows no {s}");
        }
        assert!(!listing.contains("(bad)"), "{name}: undecodable instructions:\n{listing}");
        // The kernels module's exports show up by name.
        if name == "kernels" {
            assert!(symbols.iter().any(|s| s.ends_with("_crc32_bench")), "{symbols:?}");
        }
    }
}

#[test]
fn x86_64_objects_work_with_readelf_objdump_and_addr2line() {
    for (name, wasm) in [("kernels", kernels()), ("dwarf_traps", dwarf_traps())] {
        let (info, path, bytes) = emit(&wasm, name, X86_64);
        let symbols = check_structure(&info, &bytes, Architecture::X86_64);
        let headers = run("readelf", &["-S", "-W", path.to_str().unwrap()]);
        for section in [".kiln.meta", ".kiln.traps", ".debug_line", ".rela.text"] {
            assert!(headers.contains(section), "readelf -S shows no {section}:\n{headers}");
        }
        let lines = run("readelf", &["-wl", path.to_str().unwrap()]);
        let expected_file = format!("{name}.c");
        assert!(lines.contains(&expected_file), "readelf -wl names no {expected_file}:\n{lines}");
        let listing = run("objdump", &["-d", path.to_str().unwrap()]);
        for s in &symbols {
            assert!(listing.contains(&format!("<{s}>:")), "{name}: objdump shows no {s}");
        }
        // No "(bad)" check here: x86_64 functions end with their constant pools (float
        // constants), which objdump decodes as instructions.
    }
}

/// The `.text` offset of the first trap site with `code` in defined function `func`.
fn trap_address(bytes: &[u8], func: u32, code: TrapCode) -> u64 {
    let elf = ElfFile64::<object::Endianness>::parse(bytes).unwrap();
    let (meta, _) =
        ObjectMeta::decode(elf.section_by_name(META_SECTION).unwrap().data().unwrap()).unwrap();
    let traps = decode_traps(elf.section_by_name(TRAPS_SECTION).unwrap().data().unwrap()).unwrap();
    let item =
        meta.items.iter().position(|r| r.kind == ItemKind::Function && r.index == func).unwrap();
    let t = traps.iter().find(|t| t.item == item as u32 && t.code == code).unwrap();
    u64::from(meta.items[item].text_offset + t.offset)
}

/// addr2line maps the trapping instructions of the `-g` C program to their C source
/// lines, on both targets (the object's DWARF carries the module's own DWARF through).
#[test]
fn addr2line_maps_object_code_to_c_source_lines() {
    let wasm = dwarf_traps();
    let info = module(&wasm);
    let func = |n: &str| info.func_names().find(|(_, v)| *v == n).unwrap().0;
    let cases = [
        ("divide", TrapCode::IntegerDivideByZero, "divide"),
        ("load_at", TrapCode::MemoryOutOfBounds, "load"),
        ("fail", TrapCode::Unreachable, "trap"),
    ];
    for (target, tool) in [(X86_64, "addr2line"), (AARCH64, "aarch64-linux-gnu-addr2line")] {
        let (_, path, bytes) = emit(&wasm, "dwarf_traps", target);
        for (f, code, marker) in cases {
            let address = format!("{:#x}", trap_address(&bytes, func(f), code));
            let out = run(tool, &["-f", "-e", path.to_str().unwrap(), &address]);
            let expected = format!("dwarf_traps.c:{}", marked_line("dwarf_traps.c", marker));
            let mut lines = out.lines();
            assert!(lines.next().unwrap_or("").contains(f), "{target} {f}: {out}");
            let location = lines.next().unwrap_or("");
            assert!(location.contains(&expected), "{target} {f}: `{location}` is not {expected}");
        }
    }
}

/// `wasm` without its `.debug_*` custom sections.
fn strip_dwarf(wasm: &[u8]) -> Vec<u8> {
    fn leb(bytes: &[u8], at: &mut usize) -> usize {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let b = bytes[*at];
            *at += 1;
            value |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                return value;
            }
        }
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at);
        let payload = at;
        at += size;
        if id == 0 {
            let mut name_at = payload;
            let len = leb(wasm, &mut name_at);
            if wasm[name_at..name_at + len].starts_with(b".debug_") {
                continue;
            }
        }
        out.extend_from_slice(&wasm[start..at]);
    }
    out
}

/// Without DWARF in the module, addr2line reports `<module>.wasm:<wasm offset>`: the
/// line is the byte offset of the wasm instruction the code came from.
#[test]
fn addr2line_falls_back_to_wasm_offsets() {
    let wasm = strip_dwarf(&kernels());
    assert!(module(&kernels()).dwarf.has_line_info(), "the C build carries DWARF");
    assert!(!module(&wasm).dwarf.has_line_info());
    let info = module(&wasm);
    let (_, path, bytes) = emit(&wasm, "kernels-nodwarf", X86_64);
    let elf = ElfFile64::<object::Endianness>::parse(&*bytes).unwrap();
    let (meta, _) =
        ObjectMeta::decode(elf.section_by_name(META_SECTION).unwrap().data().unwrap()).unwrap();
    let traps = decode_traps(elf.section_by_name(TRAPS_SECTION).unwrap().data().unwrap()).unwrap();
    let mut checked = 0;
    for t in traps.iter().filter(|t| t.code == TrapCode::MemoryOutOfBounds).take(20) {
        let item = meta.items[t.item as usize];
        if item.kind != ItemKind::Function {
            continue;
        }
        let address = format!("{:#x}", item.text_offset + t.offset);
        let out = run("addr2line", &["-e", path.to_str().unwrap(), &address]);
        let (file, line) = out.trim().rsplit_once(':').unwrap();
        assert!(file.ends_with("kernels.wasm"), "{out}");
        let offset: usize = line.parse().unwrap();
        let body = &info.bodies[(item.index - info.num_imported_funcs) as usize].range;
        assert!(body.contains(&offset), "{out}: outside the body {body:?}");
        // A memory access: a load (0x28..=0x35) or store (0x36..=0x3e) opcode.
        assert!((0x28..=0x3e).contains(&wasm[offset]), "{out}: opcode {:#x}", wasm[offset]);
        checked += 1;
    }
    assert!(checked > 5, "only {checked} memory trap sites checked");
}
