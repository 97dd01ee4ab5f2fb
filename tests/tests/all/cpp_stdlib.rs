//! A C++ program over libc++ (tests/c/cpp_stdlib.cpp: vtables, `std::function`, templates,
//! containers, `std::regex`, iostreams, float formatting), built with `zig c++` at `-O2`
//! and at `-O0` (two code shapes: register-allocated locals, and everything through the
//! shadow stack), through the public API: it gives wasmtime's output
//! (tests/c/cpp_stdlib.expected, checked against a live wasmtime run here) on the
//! interpreter, on the compiled engine and from an artifact loaded from a file; at a larger
//! scale (output not in the golden file) the engines agree with each other.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{CompiledModule, Runtime, RuntimeConfig};
use kiln_tests::wasi_command::run_command;
use std::path::PathBuf;
use std::process::Command;

/// The program built at optimization level `opt` (`-O2`, `-O0`).
fn path(opt: &str) -> PathBuf {
    kiln_tests::cpp_stdlib_wasm(opt).unwrap_or_else(|e| panic!("{e}"))
}

fn wasm(opt: &str) -> Vec<u8> {
    std::fs::read(path(opt)).unwrap()
}

fn expected() -> String {
    let p = kiln_tests::c_dir().join("cpp_stdlib.expected");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Runs the module `load` gives (in a runtime made from `config`) with `args` after the
/// program name; its stdout.
fn run_module(
    config: RuntimeConfig,
    load: impl FnOnce(&Runtime) -> CompiledModule,
    args: &[&str],
) -> String {
    let argv: Vec<&str> = std::iter::once("cpp_stdlib").chain(args.iter().copied()).collect();
    run_command(config, load, &argv)
}

fn run(config: RuntimeConfig, opt: &str, args: &[&str]) -> String {
    run_module(config, |rt| rt.compile(&wasm(opt)).unwrap(), args)
}

#[test]
fn the_expected_output_is_wasmtimes_at_both_levels() {
    let wasmtime =
        kiln_tests::programs::Programs::default_wasmtime().unwrap_or_else(|e| panic!("{e}"));
    for opt in ["-O2", "-O0"] {
        let out = Command::new(&wasmtime).arg(path(opt)).output().expect("wasmtime runs");
        assert!(out.status.success(), "wasmtime {opt}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected(), "{opt}");
    }
    assert!(expected().starts_with("scale 1\nshapes: "), "{}", expected());
}

#[test]
fn the_interpreter_gives_wasmtimes_output() {
    for opt in ["-O2", "-O0"] {
        assert_eq!(run(RuntimeConfig::interpreter(), opt, &[]), expected(), "{opt}");
    }
}

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
#[test]
fn the_compiled_engine_gives_wasmtimes_output() {
    for opt in ["-O2", "-O0"] {
        assert_eq!(run(RuntimeConfig::compiler(), opt, &[]), expected(), "{opt}");
    }
}

/// An artifact of the `-O2` build, written to a file and mapped from it, gives wasmtime's
/// output, and at scale 3 the same output as the interpreter.
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
#[test]
fn an_artifact_gives_wasmtimes_output_and_agrees_with_the_interpreter_at_scale() {
    let dir = std::env::temp_dir().join(format!("kiln-cpp-stdlib-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let blob = compile_artifact(&wasm("-O2"), &AotOptions::default()).unwrap();
    let file = dir.join("cpp_stdlib.kiln");
    kiln::write_atomically(&file, &blob).unwrap();
    let load = |rt: &Runtime| {
        let m = kiln_tests::load_own(rt, &file).unwrap();
        assert!(m.is_from_artifact() && m.is_native());
        m
    };
    assert_eq!(run_module(RuntimeConfig::new(), load, &[]), expected());
    let scaled = run_module(RuntimeConfig::new(), load, &["3"]);
    assert!(scaled.starts_with("scale 3\n"), "{scaled}");
    assert_ne!(scaled, expected());
    assert_eq!(run(RuntimeConfig::interpreter(), "-O2", &["3"]), scaled);
    let _ = std::fs::remove_dir_all(dir);
}
