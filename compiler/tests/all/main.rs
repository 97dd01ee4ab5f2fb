//! The compiler's integration tests, linked into one test binary. Release mode:
//! `cargo test -p kiln-compiler --release --test all`.

mod exceptions;
mod explicit_bounds;
mod object;
mod refused;
mod simd;
mod spec_compile;
mod unit;

use kiln_compiler::{BoundsChecks, CompilerSettings};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::module::{DecodeOptions, ModuleInfo, decode};

/// The targets the compiler supports.
const TARGETS: [&str; 2] = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"];

/// Decodes and validates `wasm` (a binary, or the text format) with the Core 2.0 features.
fn module(wasm: impl AsRef<[u8]>) -> ModuleInfo {
    let wasm = wat::parse_bytes(wasm.as_ref()).unwrap();
    decode(&wasm, DecodeOptions { features: CoreFeatures::V2, keep_custom_sections: false })
        .unwrap()
}

/// Default settings for `target` with bounds checks `bounds` and Cranelift's IR verifier on.
fn settings(target: &str, bounds: BoundsChecks) -> CompilerSettings {
    let mut s = CompilerSettings::for_target_name(target).unwrap();
    s.bounds_checks = bounds;
    s.verify_ir = true;
    s
}
