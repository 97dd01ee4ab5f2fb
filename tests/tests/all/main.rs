//! Kiln's cross-crate integration tests, linked into one test binary (one link instead of
//! one per file). Each module is one area; run one with `cargo test -p kiln-tests -- <module>::`.

mod aarch64_exec;
mod api;
mod artifacts;
mod c_kernels;
mod compiled_exceptions;
mod compiled_memory;
mod cpp_stdlib;
mod cross;
mod dwarf_backtrace;
mod embedding;
mod example_host_string;
mod exceptions;
mod fuel;
mod fuzz_regressions;
mod host_functions;
mod interruption;
mod lazy_translation;
mod listeners;
mod malformed;
mod memories;
mod memory_image;
mod mixed_engines;
mod object_load;
mod relaxed_simd;
mod signatures;
mod simd_kernels;
mod threads;
mod traps;
mod type_system;
mod v128_api;
mod verify_once;
mod wasi;
mod wasi_diff;
mod wasm3_calls;
