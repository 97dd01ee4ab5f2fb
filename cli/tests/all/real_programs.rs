//! Real WASI programs through the `kiln` CLI: Yosys, Flite, zlib's minigzip, Lua 5.4 and
//! SQLite's speedtest1, each run on all three paths — interpreted (`kiln run
//! --interpreter app.wasm`), compiled in process (`kiln run app.wasm`) and precompiled
//! (`kiln compile app.wasm -o app.kiln`, then `kiln run app.kiln` in a fresh process) —
//! and checked against golden files made with wasmtime (tests/programs/golden/). The same
//! workloads also run under wasmtime here, which keeps the golden files honest.
//!
//! minigzip, Lua and speedtest1 also run rebuilt with `-O3 -msimd128`
//! (kiln_tests::programs::simd128), which makes them use SIMD, on the same paths and under
//! wasmtime, with the same golden files.
//!
//! The programs come from `scripts/fetch-programs.sh` (run by `scripts/setup-deps.sh`);
//! without them every test here fails and says to run it. Workloads, command lines and
//! output filters: kiln_tests::programs.

use kiln_tests::programs::{self, Engine, Programs, Tools, Workload, engine, simd128};
use std::path::PathBuf;
use std::time::Duration;

/// Longest any one process may take: a hung guest fails its test instead of stalling CI.
/// (Under wasmtime the slowest step is compiling Yosys, 20-45 s on a busy 2-core machine;
/// the Kiln interpreter needed 15 s for the Lua workload.)
const TIMEOUT: Duration = Duration::from_secs(300);

fn tools() -> Tools {
    let programs = Programs::locate().unwrap_or_else(|e| panic!("{e}"));
    Tools { programs, kiln: Some(PathBuf::from(env!("CARGO_BIN_EXE_kiln"))) }
}

/// Which build of a program runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    /// The fetched `wasm/<program>.wasm`.
    Fetched,
    /// The `-O3 -msimd128` rebuild.
    Simd128,
}

/// Runs `workload` under `engine` and compares its observation with the golden file.
fn check(workload: Workload, engine: Engine) {
    check_build(workload, engine, Build::Fetched);
}

/// [`check`] with the given build of the program.
fn check_build(workload: Workload, engine: Engine, build: Build) {
    let tools = tools();
    let scratch = programs::scratch_dir(&format!("{}-{}-module", workload.name(), engine.label()))
        .unwrap_or_else(|e| panic!("{e}"));
    let wasm = match build {
        Build::Fetched => tools.programs.wasm(workload.program()),
        Build::Simd128 => simd128_module(&tools, workload),
    };
    let prepared =
        engine::prepare_module(engine, &tools, workload.program(), &wasm, &scratch, TIMEOUT)
            .unwrap_or_else(|e| panic!("{e}"));
    let run = engine::run_workload(&prepared, &tools, workload, TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    programs::check_golden(workload, &run.observed, engine.label())
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "{}{} under {}: {:.2} s{}",
        workload.name(),
        if build == Build::Simd128 { " (-O3 -msimd128)" } else { "" },
        engine.label(),
        run.elapsed.as_secs_f64(),
        prepared
            .compile_time
            .map(|t| format!(" (+ {:.2} s compile)", t.as_secs_f64()))
            .unwrap_or_default()
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

macro_rules! program_tests {
    ($($module:ident => $workload:expr;)*) => {$(
        mod $module {
            use super::*;

            #[test]
            fn wasmtime_reference_matches_golden() {
                check($workload, Engine::Wasmtime);
            }

            #[test]
            fn kiln_interpreter() {
                check($workload, Engine::KilnInterpreter);
            }

            #[test]
            fn kiln_compiled_in_process() {
                check($workload, Engine::KilnCompiled);
            }

            #[test]
            fn kiln_precompiled_artifact() {
                check($workload, Engine::KilnArtifact);
            }
        }
    )*};
}

program_tests! {
    yosys => Workload::Yosys;
    flite => Workload::Flite;
    minigzip => Workload::Minigzip;
    lua => Workload::Lua;
    speedtest1 => Workload::Speedtest1;
}

/// The `-O3 -msimd128` build of `workload`'s program, checked to need SIMD (it does not
/// validate without the feature).
fn simd128_module(tools: &Tools, workload: Workload) -> PathBuf {
    let path = simd128::simd128_wasm(&tools.programs, workload).unwrap_or_else(|e| panic!("{e}"));
    let wasm = std::fs::read(&path).unwrap();
    let no_simd = kiln::RuntimeConfig::interpreter()
        .with_core_features(kiln::CoreFeatures::V2.difference(kiln::CoreFeatures::SIMD));
    let e = kiln::Runtime::with_config(no_simd).compile(&wasm).map(drop).expect_err("uses SIMD");
    assert!(e.to_string().contains("SIMD support is not enabled"), "{e}");
    path
}

macro_rules! simd128_program_tests {
    ($($module:ident => $workload:expr;)*) => {$(
        mod $module {
            use super::*;

            #[test]
            fn wasmtime_reference_matches_golden() {
                check_build($workload, Engine::Wasmtime, Build::Simd128);
            }

            #[test]
            fn kiln_interpreter() {
                check_build($workload, Engine::KilnInterpreter, Build::Simd128);
            }

            #[test]
            fn kiln_compiled_in_process() {
                check_build($workload, Engine::KilnCompiled, Build::Simd128);
            }

            #[test]
            fn kiln_precompiled_artifact() {
                check_build($workload, Engine::KilnArtifact, Build::Simd128);
            }
        }
    )*};
}

/// The `-O3 -msimd128` rebuilds ([`simd128::WORKLOADS`]).
mod simd128_builds {
    use super::*;

    #[test]
    fn every_rebuilt_workload_is_tested() {
        assert_eq!(
            simd128::WORKLOADS,
            [Workload::Minigzip, Workload::Lua, Workload::Speedtest1],
            "add the new workload to simd128_program_tests! below"
        );
    }

    simd128_program_tests! {
        minigzip => Workload::Minigzip;
        lua => Workload::Lua;
        speedtest1 => Workload::Speedtest1;
    }
}
