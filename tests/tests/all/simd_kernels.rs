//! The SIMD kernels (tests/c/simd_kernels.c: `wasm_simd128.h` intrinsics, built with
//! `-O3 -msimd128`) through the public API: they give wasmtime's output
//! (tests/c/simd_kernels.expected, made with wasmtime and checked against a live wasmtime
//! run here) on the interpreter, on the compiled engine and on the default engine.

use kiln::{CoreFeatures, Engine, ModuleConfig, Runtime, RuntimeConfig};
use std::cell::RefCell;
use std::io::Write;
use std::process::Command;
use std::rc::Rc;

/// A stdout that the test can read back.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

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
    let rt = Runtime::with_config(config);
    kiln::wasi::instantiate(&rt).unwrap();
    let module = rt.compile(&wasm()).unwrap();
    let out = Capture::default();
    let argv = std::iter::once("simd_kernels").chain(args.iter().copied());
    rt.instantiate(&module, ModuleConfig::new().with_args(argv).with_stdout(out.clone()))
        .unwrap_or_else(|e| panic!("simd_kernels fails: {e}"));
    String::from_utf8(out.0.borrow().clone()).unwrap()
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
