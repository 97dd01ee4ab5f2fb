//! Real WASI programs through the `kiln` CLI: Yosys, Flite, zlib's minigzip, Lua 5.4 and
//! SQLite's speedtest1, each run on all three paths — interpreted (`kiln run
//! --interpreter app.wasm`), compiled in process (`kiln run app.wasm`) and precompiled
//! (`kiln compile app.wasm -o app.kiln`, then `kiln run app.kiln` in a fresh process) —
//! and checked against golden files made with wasmtime (tests/programs/golden/). The same
//! workloads also run under wasmtime here, which keeps the golden files honest.
//!
//! The programs come from `scripts/fetch-programs.sh` (run by `scripts/setup-deps.sh`);
//! without them every test here fails and says to run it. Workloads, command lines and
//! output filters: kiln_tests::programs.

use kiln_tests::programs::{self, Engine, Programs, Tools, Workload, engine};
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

/// Runs `workload` under `engine` and compares its observation with the golden file.
fn check(workload: Workload, engine: Engine) {
    let tools = tools();
    let scratch = programs::scratch_dir(&format!("{}-{}-module", workload.name(), engine.label()))
        .unwrap_or_else(|e| panic!("{e}"));
    let prepared = engine::prepare(engine, &tools, workload.program(), &scratch, TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = engine::run_workload(&prepared, &tools, workload, TIMEOUT)
        .unwrap_or_else(|e| panic!("{e}"));
    programs::check_golden(workload, &run.observed, engine.label())
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "{} under {}: {:.2} s{}",
        workload.name(),
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
