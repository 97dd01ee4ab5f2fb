//! The SIMD kernels (tests/c/simd_kernels.c: `wasm_simd128.h` intrinsics, built with
//! `-O3 -msimd128`) through the public API: they give wasmtime's output
//! (tests/c/simd_kernels.expected, made with wasmtime and checked against a live wasmtime
//! run here) on the interpreter, on the compiled engine, on the default engine, and from
//! artifacts compiled for the baseline CPU and for this one (`--cpu native`), loaded from a
//! file.

use kiln::aot::{AotOptions, CpuTarget, compile_artifact};
use kiln::{CompiledModule, CoreFeatures, Engine, Runtime, RuntimeConfig};
use kiln_tests::wasi_command::run_command;
use std::process::Command;

fn wasm() -> Vec<u8> {
    kiln_tests::simd_kernels_wasm().unwrap_or_else(|e| panic!("{e}"))
}

fn expected() -> String {
    let p = kiln_tests::c_dir().join("simd_kernels.expected");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Runs the kernels (with `args` after the program name) on `config`; the module's
/// stdout.
fn run(config: RuntimeConfig, args: &[&str]) -> String {
    run_module(config, |rt| rt.compile(&wasm()).unwrap(), args)
}

/// Runs the module `load` gives (in a runtime made from `config`) with `args`; its stdout.
fn run_module(
    config: RuntimeConfig,
    load: impl FnOnce(&Runtime) -> CompiledModule,
    args: &[&str],
) -> String {
    let argv: Vec<&str> = std::iter::once("simd_kernels").chain(args.iter().copied()).collect();
    run_command(config, load, &argv)
}

#[test]
fn the_kernels_use_simd() {
    let no_simd = RuntimeConfig::interpreter()
        .with_core_features(CoreFeatures::V2.difference(CoreFeatures::SIMD));
    let e = Runtime::with_config(no_simd).compile(&wasm()).map(drop).expect_err("needs SIMD");
    assert!(e.to_string().contains("SIMD support is not enabled"), "{e}");
}

#[test]
fn the_expected_output_is_wasmtimes() {
    let wasmtime =
        kiln_tests::programs::Programs::default_wasmtime().unwrap_or_else(|e| panic!("{e}"));
    wasm();
    let out = Command::new(wasmtime)
        .arg(kiln_tests::simd_kernels_path())
        .output()
        .expect("wasmtime runs");
    assert!(out.status.success(), "wasmtime: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected());
    assert!(expected().ends_with("all kernels ok\n"));
}

#[test]
fn the_interpreter_gives_wasmtimes_output() {
    assert_eq!(run(RuntimeConfig::interpreter(), &[]), expected());
    assert_eq!(run(RuntimeConfig::interpreter(), &["3"]), expected(), "three rounds");
}

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
#[test]
fn the_compiled_engine_gives_wasmtimes_output() {
    assert_eq!(run(RuntimeConfig::compiler(), &[]), expected());
    assert_eq!(run(RuntimeConfig::compiler(), &["3"]), expected(), "three rounds");
}

/// The default engine (`Engine::Auto`) compiles the module where the compiler exists and
/// interprets it elsewhere; the output is wasmtime's either way.
#[test]
fn the_default_engine_gives_wasmtimes_output() {
    assert_eq!(RuntimeConfig::new().engine(), Engine::Auto);
    assert_eq!(run(RuntimeConfig::new(), &[]), expected());
}

/// `kiln::aot` artifacts of the kernels, for the baseline CPU and for this one, written to a
/// file and mapped from it, give wasmtime's output.
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
#[test]
fn artifacts_give_wasmtimes_output() {
    let dir = std::env::temp_dir().join(format!("kiln-simd-kernels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for cpu in [CpuTarget::Baseline, CpuTarget::Native] {
        let blob = compile_artifact(&wasm(), &AotOptions { cpu, ..Default::default() }).unwrap();
        let path = dir.join(format!("simd_kernels-{cpu:?}.kiln"));
        kiln::write_atomically(&path, &blob).unwrap();
        let load = |rt: &Runtime| {
            let m = kiln_tests::load_own(rt, &path).unwrap();
            assert!(m.is_from_artifact() && m.is_native());
            m
        };
        assert_eq!(run_module(RuntimeConfig::new(), load, &["2"]), expected(), "{cpu:?}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
