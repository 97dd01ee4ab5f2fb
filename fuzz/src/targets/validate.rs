//! `validate`: modules valid and invalid — wasm-smith modules with Kiln's features and with
//! wider ones (SIMD, threads, GC, memory64, invalid function bodies ...), wasm-mutate'd
//! modules, and byte-mutated modules — compiled by Kiln under a random Kiln feature set.
//! Kiln must accept exactly what wasmparser's validator accepts with the same features
//! (minus SIMD, which Kiln rejects until it is implemented), answer everything else with
//! [`kiln::Error::Compile`], and never panic.

use crate::finding::{Finding, Input, set_current_input};
use crate::mutate::mutate;
use crate::rng::Rng;
use crate::smith::{Shape, generate, kiln_config, wide_config};
use kiln::{CoreFeatures, Error, Runtime, RuntimeConfig};
use wasmparser::WasmFeatures;

/// The Kiln features a case compiles under: mostly Core 2.0, sometimes 1.0, sometimes a
/// random subset of 2.0's proposals, sometimes 2.0 with every 3.0 proposal Kiln has.
fn features_of(seed: u64) -> CoreFeatures {
    let mut rng = Rng::new(seed, 2);
    match rng.below(5) {
        4 => CoreFeatures::V2
            .union(CoreFeatures::RELAXED_SIMD)
            .union(CoreFeatures::TAIL_CALL)
            .union(CoreFeatures::EXTENDED_CONST)
            .union(CoreFeatures::FUNCTION_REFERENCES)
            .union(CoreFeatures::MULTI_MEMORY)
            .union(CoreFeatures::MEMORY64),
        0 => CoreFeatures::V1,
        1 => {
            let all = [
                CoreFeatures::MUTABLE_GLOBAL,
                CoreFeatures::NONTRAPPING_FLOAT_TO_INT,
                CoreFeatures::SIGN_EXTENSION,
                CoreFeatures::MULTI_VALUE,
                CoreFeatures::BULK_MEMORY,
                CoreFeatures::REFERENCE_TYPES,
            ];
            all.iter().fold(CoreFeatures::V1.difference(CoreFeatures::V1), |acc, f| {
                if rng.chance(1, 2) { acc.union(*f) } else { acc }
            })
        }
        _ => CoreFeatures::V2,
    }
}

/// The wasmparser features that define validity for Kiln's `f`: the spec's feature names
/// mapped one to one (wasmparser's `WASM1` is the MVP plus mutable globals), except typed
/// function references, which bring the 3.0 type system: wasmparser validates that (the
/// bottom types `nofunc`/`noextern`, recursion groups, declared subtypes, `global.get` of
/// any immutable global in a constant expression) under its GC switch, so the reference
/// turns GC on with them, and what only GC has (struct and array types, GC operators) Kiln
/// refuses as unsupported, which the target allows.
fn reference_features(f: CoreFeatures) -> WasmFeatures {
    let mut w = WasmFeatures::MVP;
    let pairs = [
        (CoreFeatures::MUTABLE_GLOBAL, WasmFeatures::MUTABLE_GLOBAL),
        (CoreFeatures::NONTRAPPING_FLOAT_TO_INT, WasmFeatures::SATURATING_FLOAT_TO_INT),
        (CoreFeatures::SIGN_EXTENSION, WasmFeatures::SIGN_EXTENSION),
        (CoreFeatures::MULTI_VALUE, WasmFeatures::MULTI_VALUE),
        (CoreFeatures::BULK_MEMORY, WasmFeatures::BULK_MEMORY),
        (CoreFeatures::REFERENCE_TYPES, WasmFeatures::REFERENCE_TYPES),
        (CoreFeatures::SIMD, WasmFeatures::SIMD),
        (CoreFeatures::RELAXED_SIMD, WasmFeatures::RELAXED_SIMD),
        (CoreFeatures::TAIL_CALL, WasmFeatures::TAIL_CALL),
        (CoreFeatures::EXTENDED_CONST, WasmFeatures::EXTENDED_CONST),
        (CoreFeatures::FUNCTION_REFERENCES, WasmFeatures::FUNCTION_REFERENCES | WasmFeatures::GC),
        (CoreFeatures::MULTI_MEMORY, WasmFeatures::MULTI_MEMORY),
        (CoreFeatures::MEMORY64, WasmFeatures::MEMORY64),
    ];
    for (k, p) in pairs {
        if f.contains(k) {
            w |= p;
        }
    }
    w
}

/// Generates the input of `seed`.
pub fn input_of(seed: u64) -> Option<Vec<u8>> {
    let mut rng = Rng::new(seed, 1);
    let shape = Shape::default();
    let len = rng.range(16, 8 * 1024) as usize;
    match rng.below(4) {
        0 => {
            let c = kiln_config(&mut rng, shape);
            generate(&mut rng, c, len, shape)
        }
        1 => {
            let c = wide_config(&mut rng);
            generate(&mut rng, c, len, shape)
        }
        2 => {
            let c = kiln_config(&mut rng, shape);
            let wasm = generate(&mut rng, c, len, shape)?;
            let mut m = wasm_mutate::WasmMutate::default();
            m.seed(rng.next_u64()).fuel(1000).preserve_semantics(rng.chance(1, 2));
            let mutated = m.run(&wasm).ok().and_then(|mut out| out.next()).and_then(Result::ok);
            mutated.or(Some(wasm))
        }
        _ => {
            let c =
                if rng.chance(1, 2) { kiln_config(&mut rng, shape) } else { wide_config(&mut rng) };
            let mut wasm = generate(&mut rng, c, len, shape)?;
            let donor = wasm.clone();
            mutate(&mut rng, &mut wasm, &donor, 4);
            Some(wasm)
        }
    }
}

/// Runs the case of `seed`.
///
/// # Errors
/// A finding when Kiln and the validator disagree or Kiln fails untyped.
pub fn run(seed: u64) -> Result<(), Finding> {
    let Some(bytes) = input_of(seed) else { return Ok(()) };
    set_current_input(&bytes, "wasm");
    check(&bytes, seed).map_err(|m| Finding::new(m, Some(Input { bytes, ext: "wasm" })))
}

/// Re-runs the case of `seed` on `bytes`.
///
/// # Errors
/// As [`check`].
pub fn replay(bytes: &[u8], seed: u64) -> Result<(), String> {
    check(bytes, seed)
}

/// Compiles `bytes` on Kiln's interpreter, translating every function (and, for one case in
/// four, on its compiler) and compares with the validator.
///
/// # Errors
/// `accepts-invalid`, `rejects-valid` (other than refused as unsupported) or
/// `untyped-error`, with details.
pub fn check(bytes: &[u8], seed: u64) -> Result<(), String> {
    let features = features_of(seed);
    let mut validator = wasmparser::Validator::new_with_features(reference_features(features));
    let expected = validator.validate_all(bytes).map_err(|e| e.to_string());
    // Eager translation: the interpreter's translator sees every function body at compile
    // time, as with lazy translation it would see only the bodies a run calls.
    let mut configs = vec![RuntimeConfig::interpreter().with_eager_translation(true)];
    if Rng::new(seed, 4).chance(1, 4) {
        configs.push(RuntimeConfig::compiler());
    }
    for config in configs {
        let engine = config.engine();
        let rt = Runtime::with_config(config.with_core_features(features));
        match (rt.compile(bytes), &expected) {
            (Ok(_), Ok(_)) => crate::stats::note("valid, accepted"),
            (Err(Error::Compile(_)), Err(_)) => crate::stats::note("invalid, rejected"),
            // Valid only through what Kiln does not model (GC's struct and array types and
            // operators, under the reference's GC switch): refused as unsupported, typed.
            (Err(Error::Compile(e)), Ok(_)) if e.unsupported => {
                crate::stats::note("valid, refused as unsupported")
            }
            (Ok(_), Err(e)) => {
                return Err(format!(
                    "accepts-invalid: {engine:?} under {features:?}; validator: {e}"
                ));
            }
            (Err(Error::Compile(e)), Ok(_)) => {
                return Err(format!("rejects-valid: {engine:?} under {features:?}: {e}"));
            }
            (Err(e), _) => return Err(format!("untyped-error: {engine:?}: {e:?}")),
        }
    }
    Ok(())
}
