//! wasm-smith configurations: exactly the features the differential target runs Kiln
//! with ([`KILN_FEATURES`]: WebAssembly 2.0 with SIMD, relaxed SIMD, tail calls, extended
//! constants, multi-memory, memory64, exception handling and threads), and wider ones for
//! the validator target.

use crate::rng::Rng;
use arbitrary::Unstructured;
use wasm_smith::{Config, Module};

/// How a generated module may behave when run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shape {
    /// wasm-smith's `ensure_termination`: every loop and call decrements a fuel global and
    /// traps `unreachable` at zero, so every call ends.
    pub terminates: bool,
    /// wasm-smith's `canonicalize_nans`: every float result is canonicalized, so NaN bits
    /// (also in memory) are deterministic.
    pub canonical_nans: bool,
    /// wasm-smith's `disallow_traps`: the module traps only by running out of fuel.
    pub no_traps: bool,
}

/// The features generated modules use and every engine of the differential target runs
/// with. Relaxed SIMD is in, but its results are implementation-defined: a module that uses
/// it is compared among Kiln's engines only (which must agree bit for bit), not with
/// wasmtime. Typed function references are out: wasm-smith generates them only in its GC
/// mode, whose struct and array types Kiln does not implement yet (the spec suite covers
/// them). Threads are in without `memory.atomic.wait32/64` (a single-threaded caller that
/// waits on a shared memory may block forever): modules that use them are not run.
pub const KILN_FEATURES: kiln::CoreFeatures = kiln::CoreFeatures::V2
    .union(kiln::CoreFeatures::RELAXED_SIMD)
    .union(kiln::CoreFeatures::TAIL_CALL)
    .union(kiln::CoreFeatures::EXTENDED_CONST)
    .union(kiln::CoreFeatures::MULTI_MEMORY)
    .union(kiln::CoreFeatures::MEMORY64)
    .union(kiln::CoreFeatures::EXCEPTIONS)
    .union(kiln::CoreFeatures::THREADS);

/// A configuration for [`KILN_FEATURES`], no imports, small limits.
pub fn kiln_config(rng: &mut Rng, shape: Shape) -> Config {
    let simd = rng.chance(1, 2);
    Config {
        // KILN_FEATURES.
        bulk_memory_enabled: true,
        reference_types_enabled: true,
        multi_value_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        simd_enabled: simd,
        relaxed_simd_enabled: simd && rng.chance(1, 4),
        threads_enabled: rng.chance(1, 4),
        shared_everything_threads_enabled: false,
        tail_call_enabled: rng.chance(1, 2),
        exceptions_enabled: rng.chance(1, 3),
        gc_enabled: false,
        memory64_enabled: rng.chance(1, 4),
        wide_arithmetic_enabled: false,
        extended_const_enabled: rng.chance(1, 2),
        custom_page_sizes_enabled: false,
        custom_descriptors_enabled: false,
        compact_imports_enabled: false,
        max_memories: rng.range(1, 3) as usize,
        max_memory64_bytes: 40 * 65536,
        max_tables: rng.range(1, 4) as usize,
        // No imports: every engine instantiates the module alone.
        max_imports: 0,
        min_funcs: 1,
        max_funcs: rng.range(1, 40) as usize,
        min_exports: 1,
        export_everything: rng.chance(3, 4),
        max_memory32_bytes: 40 * 65536,
        max_table_elements: 1000,
        max_instructions: rng.range(10, 400) as usize,
        max_nesting_depth: rng.range(2, 12) as usize,
        canonicalize_nans: shape.canonical_nans,
        disallow_traps: shape.no_traps,
        allow_start_export: rng.chance(1, 2),
        ..Config::default()
    }
}

/// Generates a module from `config` with `len` bytes of entropy; `None` if wasm-smith
/// could not (not enough entropy for a required item).
pub fn generate(rng: &mut Rng, config: Config, len: usize, shape: Shape) -> Option<Vec<u8>> {
    let entropy = rng.bytes(len);
    let mut u = Unstructured::new(&entropy);
    let mut module = Module::new(config, &mut u).ok()?;
    if shape.terminates {
        module.ensure_termination(rng.range(100, 20_000) as u32).ok()?;
    }
    Some(module.to_bytes())
}

/// A configuration with wider features than Kiln's (SIMD, threads, tail calls, GC ...),
/// and arbitrary imports, so the validator target sees modules Kiln must reject.
pub fn wide_config(rng: &mut Rng) -> Config {
    Config {
        max_funcs: rng.range(0, 30) as usize,
        max_instructions: rng.range(5, 200) as usize,
        max_memories: rng.range(1, 3) as usize,
        max_tables: rng.range(1, 3) as usize,
        gc_enabled: rng.chance(1, 4),
        memory64_enabled: rng.chance(1, 4),
        custom_page_sizes_enabled: rng.chance(1, 8),
        generate_custom_sections: rng.chance(1, 4),
        allow_invalid_funcs: rng.chance(1, 4),
        ..Config::default()
    }
}

/// What a generated module uses that changes how it can be compared.
#[derive(Clone, Copy, Debug, Default)]
pub struct Uses {
    /// A relaxed SIMD instruction: results are implementation-defined, so wasmtime is not
    /// the reference (Kiln's engines must still agree with each other).
    pub relaxed_simd: bool,
    /// `memory.atomic.wait32/64`: a single caller may block forever on a shared memory.
    pub atomic_wait: bool,
}

/// Scans a valid module for what [`Uses`] records. Relaxed SIMD is found by validating
/// without the proposal (what fails then is exactly a relaxed instruction).
pub fn uses(wasm: &[u8]) -> Uses {
    use wasmparser::{Operator, Parser, Payload, Validator, WasmFeatures};
    let mut u = Uses::default();
    let all = WasmFeatures::all();
    u.relaxed_simd = Validator::new_with_features(all).validate_all(wasm).is_ok()
        && Validator::new_with_features(all.difference(WasmFeatures::RELAXED_SIMD))
            .validate_all(wasm)
            .is_err();
    for payload in Parser::new(0).parse_all(wasm) {
        let Ok(Payload::CodeSectionEntry(body)) = payload else { continue };
        let Ok(mut ops) = body.get_operators_reader() else { continue };
        while let Ok(op) = ops.read() {
            if matches!(
                op,
                Operator::MemoryAtomicWait32 { .. } | Operator::MemoryAtomicWait64 { .. }
            ) {
                u.atomic_wait = true;
                return u;
            }
        }
    }
    u
}
