//! Relocatable objects (`kiln compile --emit obj`) load like blobs: compile a wat module,
//! the C kernels and a C program with DWARF to ELF objects, load them (from a file and
//! from bytes), and check they behave exactly like the interpreted modules, traps and
//! backtraces included; and every truncated, bit-flipped, re-targeted or structurally
//! broken object gets a typed error without anything being mapped executable.

#![cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]

use kiln::aot::{AotOptions, Emit, compile_artifact};
use kiln::{
    ArtifactError, ArtifactFallback, ArtifactPart, Error, ModuleConfig, Runtime, RuntimeConfig, Val,
};
use kiln_runtime_support::artifact::sha256;
use kiln_runtime_support::vm::code_memory::executable_mappings_on_this_thread;
use object::read::elf::ElfFile64;
use object::{LittleEndian, Object, ObjectSection};
use std::ops::Range;

const PROGRAM: &str = r#"(module $prog
  (import "env" "scale" (func $scale (param i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 16) "hello, object")
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $fib $via_host)
  (type $t (func (param i32) (result i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $via_host (export "via_host") (param i32) (result i32)
    (i32.add (call $scale (local.get 0)) (global.get $g)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 1) (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "divide") (param i32) (result i32) (call $inner (local.get 0))))"#;

fn wasm() -> Vec<u8> {
    wat::parse_str(PROGRAM).unwrap()
}

fn obj_options() -> AotOptions {
    AotOptions { emit: Emit::Obj, ..AotOptions::default() }
}

fn object_of(wasm: &[u8]) -> Vec<u8> {
    compile_artifact(wasm, &obj_options()).unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-object-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn runtime(config: RuntimeConfig) -> Runtime {
    let rt = Runtime::with_config(config);
    rt.host_module("env").func("scale", |x: i32| x * 3).instantiate().unwrap();
    rt
}

/// Calls every export of PROGRAM and returns what each gave, as text (traps with their
/// backtraces).
fn exercise(rt: &Runtime, module: &kiln::CompiledModule) -> Vec<String> {
    let inst = rt.instantiate(module, ModuleConfig::new().with_name("")).unwrap();
    let call = |name: &str, args: &[Val]| -> String {
        match inst.exported_function(name).unwrap().call(args) {
            Ok(v) => format!("{v:?}"),
            Err(e) => e.to_string(),
        }
    };
    let mem = inst.exported_memory("mem").unwrap();
    let mut data = vec![0u8; 13];
    mem.read(16, &mut data).unwrap();
    vec![
        call("fib", &[Val::I32(20)]),
        call("via_host", &[Val::I32(5)]),
        call("indirect", &[Val::I32(0), Val::I32(10)]),
        call("indirect", &[Val::I32(1), Val::I32(2)]),
        call("indirect", &[Val::I32(5), Val::I32(2)]),
        call("load8", &[Val::I32(17)]),
        call("load8", &[Val::I32(70000)]),
        call("divide", &[Val::I32(0)]),
        String::from_utf8(data).unwrap(),
    ]
}

#[test]
fn a_wat_object_behaves_like_the_interpreter() {
    let wasm = wasm();
    let interp = runtime(RuntimeConfig::interpreter());
    let expected = exercise(&interp, &interp.compile(&wasm).unwrap());
    let obj = object_of(&wasm);
    assert!(obj.starts_with(b"\x7fELF") && kiln::is_artifact(&obj));

    let rt = runtime(RuntimeConfig::new());
    // From a file.
    let path = tmp("prog.o");
    std::fs::write(&path, &obj).unwrap();
    let before = executable_mappings_on_this_thread();
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    assert_eq!(executable_mappings_on_this_thread(), before + 1, "one executable mapping");
    assert!(m.is_from_artifact() && m.is_native());
    assert!(
        !m.engine_module().compiled().unwrap().memory().is_file_backed(),
        "relocated code is a copy"
    );
    let got = exercise(&rt, &m);
    assert_eq!(got, expected);
    assert_eq!(got[0], "[I32(6765)]");
    assert_eq!(got[1], "[I32(22)]");
    assert_eq!(got[2], "[I32(55)]", "call_indirect to $fib");
    assert_eq!(got[8], "hello, object");
    assert!(got[7].starts_with("wasm trap: integer divide by zero"), "{}", got[7]);
    assert!(got[7].contains("(func[5] (i32) -> (i32))"), "inner frame named: {}", got[7]);

    // From bytes, and round trips: the header names this binary and serializing gives the
    // object back, which loads again.
    let m = kiln_tests::load_own_bytes(&rt, &obj).unwrap();
    assert_eq!(exercise(&rt, &m), expected);
    let header = m.artifact_header().unwrap();
    assert_eq!(header.wasm_sha256, sha256(&wasm));
    assert_eq!(
        header.target,
        kiln::aot::AotOptions::default().compiler_settings().unwrap().target.to_string()
    );
    assert!(!header.settings.epoch_interruption);
    assert_eq!(m.serialize().unwrap(), obj);
    assert_eq!(kiln::artifact_header(&obj).unwrap(), header);
}

#[test]
fn objects_link_with_other_engines() {
    // An object-loaded provider exports a function and memory that an interpreted module
    // imports, and an object-loaded user imports from it too.
    let provider = wat::parse_str(
        r#"(module (memory (export "mem") 1)
             (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#,
    )
    .unwrap();
    let user = wat::parse_str(
        r#"(module (import "p" "add" (func $add (param i32 i32) (result i32)))
             (import "p" "mem" (memory 1))
             (func (export "go") (result i32)
               (i32.store (i32.const 0) (call $add (i32.const 40) (i32.const 2)))
               (i32.load (i32.const 0))))"#,
    )
    .unwrap();
    let rt = Runtime::new();
    let p = kiln_tests::load_own_bytes(&rt, &object_of(&provider)).unwrap();
    rt.instantiate(&p, ModuleConfig::new().with_name("p")).unwrap();
    let u = kiln_tests::load_own_bytes(&rt, &object_of(&user)).unwrap();
    let inst = rt.instantiate(&u, ModuleConfig::new().with_name("u")).unwrap();
    assert_eq!(inst.typed_func::<(), i32>("go").unwrap().call(()).unwrap(), 42);
    let interp_user = Runtime::with_config(RuntimeConfig::interpreter()).compile(&user).unwrap();
    let inst = rt.instantiate(&interp_user, ModuleConfig::new().with_name("u2")).unwrap();
    assert_eq!(inst.typed_func::<(), i32>("go").unwrap().call(()).unwrap(), 42);
}

#[test]
fn c_kernels_from_an_object_match_the_interpreter() {
    let wasm = kiln_tests::kernels_wasm().unwrap_or_else(|e| panic!("{e}"));
    let obj = object_of(&wasm);
    let path = tmp("kernels.o");
    std::fs::write(&path, &obj).unwrap();
    let rt = Runtime::new();
    let native =
        rt.instantiate(&kiln_tests::load_own(&rt, &path).unwrap(), ModuleConfig::new()).unwrap();
    let irt = Runtime::with_config(RuntimeConfig::interpreter());
    let interp = irt.instantiate(&irt.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap();
    let cases: &[(&str, Option<u32>)] = &[
        ("crc32_check", None),
        ("sha256_check", None),
        ("sum_to", Some(100)),
        ("quicksort_bench", Some(500)),
        ("crc32_bench", Some(1)),
        ("sha256_bench", Some(1)),
        ("mandelbrot", Some(16)),
        ("nbody", Some(100)),
    ];
    for (name, arg) in cases {
        let args: Vec<Val> = arg.iter().map(|a| Val::I32(*a as i32)).collect();
        let a = native.exported_function(name).unwrap().call(&args).unwrap();
        let b = interp.exported_function(name).unwrap().call(&args).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{name}({arg:?})");
    }
    // Known check values, so both engines agreeing is not agreeing on a wrong answer.
    let call0 = |name: &str| native.typed_func::<(), u32>(name).unwrap().call(()).unwrap();
    assert_eq!(call0("crc32_check"), 0xCBF4_3926);
    assert_eq!(call0("sha256_check"), 0xba78_16bf);
    assert_eq!(
        native.typed_func::<u32, u32>("nbody").unwrap().call(1000).unwrap() as i32,
        -169_087_605
    );
}

#[test]
fn traps_in_object_code_carry_the_interpreters_backtrace() {
    let wasm = kiln_tests::dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let rt = Runtime::new();
    let native = rt
        .instantiate(
            &kiln_tests::load_own_bytes(&rt, &object_of(&wasm)).unwrap(),
            ModuleConfig::new(),
        )
        .unwrap();
    let irt = Runtime::with_config(RuntimeConfig::interpreter());
    let interp = irt.instantiate(&irt.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap();
    let cases: &[(&str, &[Val], &str)] = &[
        ("run_divide", &[Val::I32(7), Val::I32(0)], "divide"),
        ("run_load", &[Val::I32(-8)], "load_at"),
        ("run_trap", &[Val::I32(1)], "fail"),
    ];
    for (export, args, inner) in cases {
        let trap = |inst: &kiln::Instance| match inst.call(export, args) {
            Err(Error::Trap(t)) => t,
            other => panic!("{export}: expected a trap, got {other:?}"),
        };
        let (a, b) = (trap(&native), trap(&interp));
        assert_eq!(a.to_string(), b.to_string(), "{export}: same message and backtrace");
        assert_eq!(a.code(), b.code());
        let bt = a.backtrace();
        assert_eq!(bt[0].func_name.as_deref(), Some(*inner), "{a}");
        assert_eq!(bt[1].func_name.as_deref(), Some(*export), "{a}");
        let source =
            bt[0].source.as_ref().unwrap_or_else(|| panic!("{export}: no source line: {a}"));
        assert!(source.file.ends_with("dwarf_traps.c"), "{source}");
        assert_eq!(
            bt.iter().map(|f| f.wasm_offset).collect::<Vec<_>>(),
            b.backtrace().iter().map(|f| f.wasm_offset).collect::<Vec<_>>()
        );
    }
}

#[test]
fn corrupted_source_lines_load_and_fail_on_first_use() {
    let wasm = kiln_tests::dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let obj = object_of(&wasm);
    let lines = section(&obj, ".kiln.lines");
    assert!(!lines.is_empty(), "clang -g line information travels in .kiln.lines");
    let rt = Runtime::new();
    let divide = |m: &kiln::CompiledModule| {
        let inst = rt.instantiate(m, ModuleConfig::new().with_name("")).unwrap();
        match inst.call("run_divide", &[Val::I32(7), Val::I32(0)]) {
            Err(Error::Trap(t)) => t,
            other => panic!("expected a trap, got {other:?}"),
        }
    };
    let m = kiln_tests::load_own_bytes(&rt, &obj).unwrap();
    assert_eq!(m.artifact_debug_info(), Some(Ok(())));
    assert!(divide(&m).backtrace()[0].source.is_some());
    assert_eq!(kiln::inspect_artifact(&obj).unwrap().debug_info, Ok(lines.len() as u64));
    for i in [lines.start, lines.start + lines.len() / 2, lines.end - 1] {
        let mut b = obj.clone();
        b[i] ^= 0x20;
        let corrupt = ArtifactError::Corrupt {
            part: ArtifactPart::DebugInfo,
            detail: "debug info checksum mismatch".into(),
        };
        let m = kiln_tests::load_own_bytes(&rt, &b).unwrap();
        let t = divide(&m);
        assert!(
            t.backtrace().iter().all(|f| f.source.is_none() && f.wasm_offset.is_some()),
            "flip at {i}: {t}"
        );
        assert_eq!(m.artifact_debug_info(), Some(Err(corrupt.clone())));
        assert_eq!(kiln::inspect_artifact(&b).unwrap().debug_info, Err(corrupt));
    }
}

#[test]
fn load_artifact_or_wasm_takes_an_object() {
    let wasm = wasm();
    let rt = runtime(RuntimeConfig::new());
    let path = tmp("fallback.o");
    std::fs::write(&path, object_of(&wasm)).unwrap();
    let m = kiln_tests::load_own_or_wasm(&rt, &path, &wasm, ArtifactFallback::Fail).unwrap();
    assert!(m.is_from_artifact());
    assert_eq!(exercise(&rt, &m)[1], "[I32(22)]");
    let other = wat::parse_str(PROGRAM.replace("(i32.const 7)", "(i32.const 8)")).unwrap();
    let e = kiln_tests::load_own_or_wasm(&rt, &path, &other, ArtifactFallback::Fail).unwrap_err();
    assert!(matches!(e, Error::Artifact(ArtifactError::WasmMismatch)), "{e}");
    let m = kiln_tests::load_own_or_wasm(&rt, &path, &other, ArtifactFallback::Interpret).unwrap();
    assert!(!m.is_native());
    assert_eq!(exercise(&rt, &m)[1], "[I32(23)]");
}

// ---------------------------------------------------------------------------------------
// Robustness: every broken or incompatible object gets a typed error, and nothing of it is
// mapped executable.

/// Loads `bytes` and returns the artifact error, asserting nothing was mapped executable.
fn refused(rt: &Runtime, bytes: &[u8]) -> ArtifactError {
    let before = executable_mappings_on_this_thread();
    let result = kiln_tests::load_own_bytes(rt, bytes);
    assert_eq!(
        executable_mappings_on_this_thread(),
        before,
        "a refused object mapped code executable"
    );
    match result {
        Err(Error::Artifact(e)) => e,
        Err(other) => panic!("expected an artifact error, got {other}"),
        Ok(_) => panic!("a broken object loaded"),
    }
}

/// The file range of section `name` of `obj`.
fn section(obj: &[u8], name: &str) -> Range<usize> {
    let elf = ElfFile64::<LittleEndian>::parse(obj).unwrap();
    let s = elf.section_by_name(name).unwrap_or_else(|| panic!("no section {name}"));
    let (offset, size) = s.file_range().unwrap();
    offset as usize..(offset + size) as usize
}

/// Offsets to flip in `r`: every byte of a small range, else its ends and every 37th.
fn positions(r: Range<usize>) -> Vec<usize> {
    if r.len() <= 512 {
        r.collect()
    } else {
        r.clone().step_by(37).chain([r.start + 1, r.end - 1]).collect()
    }
}

/// Whether the error for a flip at an offset into a section is the expected one.
type Expectation = fn(&ArtifactError, usize) -> bool;

fn corrupt_part(e: &ArtifactError) -> Option<ArtifactPart> {
    match e {
        ArtifactError::Corrupt { part, .. } => Some(*part),
        _ => None,
    }
}

#[test]
fn truncated_objects_are_refused_at_every_length() {
    let rt = runtime(RuntimeConfig::new());
    let obj = object_of(&wasm());
    let mut lengths: Vec<usize> = vec![0, 1, 2, 3, 4, 63, 64, 65, obj.len() - 1];
    for name in [
        ".text",
        ".kiln.meta",
        ".kiln.traps",
        ".kiln.metadata",
        ".kiln.data",
        ".rela.text",
        ".symtab",
    ] {
        let r = section(&obj, name);
        lengths.extend([r.start, r.start + 1, r.end.saturating_sub(1), r.end]);
    }
    lengths.extend((0..obj.len()).step_by(97));
    for len in lengths.into_iter().filter(|l| *l < obj.len()) {
        match refused(&rt, &obj[..len]) {
            ArtifactError::Truncated { found, expected } => {
                assert_eq!(found, len as u64);
                assert!(expected > found, "length {len}");
            }
            other => panic!("length {len}: {other:?}"),
        }
    }
    // Through the file path too.
    let path = tmp("truncated.o");
    std::fs::write(&path, &obj[..obj.len() / 2]).unwrap();
    let before = executable_mappings_on_this_thread();
    let e = kiln_tests::load_own(&rt, &path).unwrap_err();
    assert_eq!(executable_mappings_on_this_thread(), before);
    assert!(matches!(e, Error::Artifact(ArtifactError::Truncated { .. })), "{e}");
}

#[test]
fn flipped_bytes_in_every_loaded_part_are_detected() {
    let rt = runtime(RuntimeConfig::new());
    let obj = object_of(&wasm());
    let meta = section(&obj, ".kiln.meta");
    let expectations: [(&str, Expectation); 7] = [
        (".text", |e, _| {
            *e == ArtifactError::Corrupt {
                part: ArtifactPart::Payload,
                detail: "`.text` checksum mismatch".into(),
            }
        }),
        (".kiln.meta", |e, i| match i {
            0..8 => *e == ArtifactError::BadMagic,
            8..12 => matches!(e, ArtifactError::FormatVersion { .. }),
            _ => corrupt_part(e) == Some(ArtifactPart::Header),
        }),
        (".kiln.traps", |e, _| corrupt_part(e) == Some(ArtifactPart::Tables)),
        (".kiln.addrmap", |e, _| corrupt_part(e) == Some(ArtifactPart::Tables)),
        (".kiln.metadata", |e, _| corrupt_part(e) == Some(ArtifactPart::Metadata)),
        (".kiln.data", |e, _| corrupt_part(e) == Some(ArtifactPart::Payload)),
        // Sites, types, symbols and addends of the relocations alike.
        (".rela.text", |e, _| corrupt_part(e) == Some(ArtifactPart::Relocations)),
    ];
    let mut checked = 0;
    for (name, ok) in expectations {
        let r = section(&obj, name);
        assert!(!r.is_empty(), "{name} is empty");
        for i in positions(r.clone()) {
            let mut b = obj.clone();
            b[i] ^= 0x20;
            let e = refused(&rt, &b);
            let rel = if name == ".kiln.meta" { i - meta.start } else { i - r.start };
            assert!(ok(&e, rel), "flip at {name}+{rel}: {e:?}");
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked} flips checked");
    // The ELF identity: magic, class, data encoding, machine.
    for (i, want) in [(0, "magic"), (3, "magic"), (4, "class"), (5, "data"), (18, "machine")] {
        let mut b = obj.clone();
        b[i] ^= 0x01;
        let e = refused(&rt, &b);
        match want {
            "magic" => assert_eq!(e, ArtifactError::BadMagic, "byte {i}"),
            _ => assert_eq!(corrupt_part(&e), Some(ArtifactPart::ObjectFile), "{want}: {e:?}"),
        }
    }
}

/// `obj` with every occurrence of section name `from` in the section-name table renamed
/// `to` (same length).
fn rename_section(obj: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let r = section(obj, ".shstrtab");
    let mut b = obj.to_vec();
    let table = &mut b[r];
    let needle = format!("{from}\0");
    let at = table.windows(needle.len()).position(|w| w == needle.as_bytes()).unwrap();
    table[at..at + from.len()].copy_from_slice(to.as_bytes());
    b
}

#[test]
fn structural_damage_and_foreign_objects_get_typed_errors() {
    let rt = runtime(RuntimeConfig::new());
    let obj = object_of(&wasm());

    // An ELF object that is not Kiln's (no `.kiln.meta`) is not a Kiln artifact.
    assert_eq!(
        refused(&rt, &rename_section(&obj, ".kiln.meta", ".kiln.mota")),
        ArtifactError::BadMagic
    );
    // A missing or duplicated Kiln section.
    let e = refused(&rt, &rename_section(&obj, ".kiln.data", ".kiln.dat_"));
    assert_eq!(corrupt_part(&e), Some(ArtifactPart::ObjectFile), "{e:?}");
    assert!(e.to_string().contains("no .kiln.data section"), "{e}");
    let e = refused(&rt, &rename_section(&obj, ".kiln.traps", ".kiln.meta\0"));
    assert_eq!(corrupt_part(&e), Some(ArtifactPart::ObjectFile), "{e:?}");

    // Relocations: an unknown type, and a symbol index out of range (RELA entries are
    // r_offset u64, r_info u64 = symbol << 32 | type, r_addend i64).
    let rela = section(&obj, ".rela.text");
    assert!(rela.len() >= 24 && rela.len().is_multiple_of(24));
    let mut b = obj.clone();
    b[rela.start + 8..rela.start + 12].copy_from_slice(&0x7fffu32.to_le_bytes());
    let e = refused(&rt, &b);
    assert_eq!(corrupt_part(&e), Some(ArtifactPart::Relocations), "{e:?}");
    assert!(e.to_string().contains("unknown relocation type 32767"), "{e}");
    let mut b = obj.clone();
    b[rela.start + 12..rela.start + 16].copy_from_slice(&0x00ff_ffffu32.to_le_bytes());
    let e = refused(&rt, &b);
    assert_eq!(corrupt_part(&e), Some(ArtifactPart::Relocations), "{e:?}");

    // Not an artifact at all, and a plain blob still goes the blob way.
    assert_eq!(refused(&rt, &wasm()), ArtifactError::BadMagic);
    assert!(
        kiln_tests::load_own_bytes(
            &rt,
            &compile_artifact(&wasm(), &AotOptions::default()).unwrap()
        )
        .is_ok()
    );
}

#[test]
fn incompatible_objects_name_what_differs() {
    let rt = runtime(RuntimeConfig::new());
    // A real object for the other architecture.
    let other = if cfg!(target_arch = "x86_64") {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    let foreign =
        compile_artifact(&wasm(), &AotOptions { target: Some(other.into()), ..obj_options() })
            .unwrap();
    match refused(&rt, &foreign) {
        ArtifactError::Target { found, expected } => {
            assert_eq!(found, other);
            assert_eq!(expected, format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS));
        }
        e => panic!("{e:?}"),
    }
    // `kiln inspect` still describes it.
    let s = kiln::inspect_artifact(&foreign).unwrap();
    assert!(s.is_object && s.loadable_here.is_err());
    assert_eq!(s.header.target, other);
    assert_eq!(s.exports.len(), 6);

    // Settings: a runtime without guard regions, and code with interruption checks.
    let obj = object_of(&wasm());
    match refused(&runtime(RuntimeConfig::interpreter()), &obj) {
        ArtifactError::Settings { found, expected } => {
            assert_eq!(found.bounds_checks, kiln::BoundsMode::GuardPages);
            assert_eq!(expected.bounds_checks, kiln::BoundsMode::Explicit);
        }
        e => panic!("{e:?}"),
    }
    let interruptible =
        compile_artifact(&wasm(), &AotOptions { interruption: true, ..obj_options() }).unwrap();
    let e = refused(&rt, &interruptible);
    assert!(e.to_string().contains("epoch interruption: on in the artifact, off here"), "{e}");
    let irt = runtime(RuntimeConfig::new().with_interruption(true));
    let m = kiln_tests::load_own_bytes(&irt, &interruptible).unwrap();
    assert_eq!(exercise(&irt, &m)[0], "[I32(6765)]");
}

// ---------------------------------------------------------------------------------------
// The loader's link step against GNU ld, for both architectures (whatever the host): the
// relocated `.text` equals what `ld` makes of the object with `.text` at address 0.

/// Runs `tool args`, failing the test when it is missing or fails (the binutils come from
/// scripts/setup-deps.sh, as for tests/tests/cross.rs).
fn run_tool(tool: &str, args: &[&str]) {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (from scripts/setup-deps.sh): {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn relocated_text_matches_gnu_ld_on_both_architectures() {
    let wasm = kiln_tests::kernels_wasm().unwrap_or_else(|e| panic!("{e}"));
    let dwarf = kiln_tests::dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let x86_tools = if cfg!(target_arch = "x86_64") { "" } else { "x86_64-linux-gnu-" };
    let arm_tools = if cfg!(target_arch = "aarch64") { "" } else { "aarch64-linux-gnu-" };
    for (target, tools) in
        [("x86_64-unknown-linux-gnu", x86_tools), ("aarch64-unknown-linux-gnu", arm_tools)]
    {
        for (name, module) in [("kernels", &wasm), ("dwarf_traps", &dwarf)] {
            let obj = compile_artifact(
                module,
                &AotOptions { target: Some(target.into()), ..obj_options() },
            )
            .unwrap();
            let v = kiln_loader::object::verify(
                &obj,
                &kiln_runtime_support::artifact::Checks::integrity(),
            )
            .unwrap_or_else(|e| panic!("{target} {name}: {e}"));
            let ours = v.linked_text().unwrap();
            let (o, elf, bin) = (
                tmp(&format!("{name}-{target}.o")),
                tmp(&format!("{name}-{target}.elf")),
                tmp(&format!("{name}-{target}.bin")),
            );
            std::fs::write(&o, &obj).unwrap();
            let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
            run_tool(&format!("{tools}ld"), &["-Ttext=0", "-e", "0", "-o", &s(&elf), &s(&o)]);
            run_tool(
                &format!("{tools}objcopy"),
                &["-O", "binary", "--only-section=.text", &s(&elf), &s(&bin)],
            );
            let theirs = std::fs::read(&bin).unwrap();
            assert_eq!(ours.len(), theirs.len(), "{target} {name}");
            assert!(
                ours == theirs,
                "{target} {name}: the loader's relocated .text differs from ld's"
            );
            assert_ne!(
                ours,
                obj[section(&obj, ".text")].to_vec(),
                "{target} {name}: relocations changed the code"
            );
        }
    }
}
