//! Real WASI programs through the `kiln` CLI: Yosys, Yosys built with wasm exception handling
//! (`yosys-eh`, the real program that needs the exceptions feature), Flite, zlib's minigzip, Lua 5.4 and
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

/// [`TIMEOUT`] for `yosys-eh`, a 67 MB module: compiling it takes wasmtime and Kiln each
/// 1.5-2 CPU-minutes, which is several wall-clock minutes on a busy 2-core machine.
const LARGE_MODULE_TIMEOUT: Duration = Duration::from_secs(900);

/// The longest one process of `workload` may take.
fn timeout(workload: Workload) -> Duration {
    match workload {
        Workload::YosysExceptions => LARGE_MODULE_TIMEOUT,
        _ => TIMEOUT,
    }
}

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
    let limit = timeout(workload);
    let prepared =
        engine::prepare_module(engine, &tools, workload.program(), &wasm, &scratch, limit)
            .unwrap_or_else(|e| panic!("{e}"));
    let run =
        engine::run_workload(&prepared, &tools, workload, limit).unwrap_or_else(|e| panic!("{e}"));
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

/// `yosys-eh` (66 MB) on the paths issue 12 names: the interpreter, and `kiln compile`
/// then `kiln run` of the artifact, each against the golden output that
/// `make-program-goldens` made with the pinned wasmtime. Its wasmtime run and an in-process
/// compile are left out of the suite on purpose: each compiles the whole module again
/// (wasmtime about 6 minutes on a 2-core machine, Kiln in process about 3), which the
/// artifact test already does once.
mod yosys_eh {
    use super::*;

    #[test]
    fn kiln_interpreter() {
        check(Workload::YosysExceptions, Engine::KilnInterpreter);
    }

    #[test]
    fn kiln_precompiled_artifact() {
        check(Workload::YosysExceptions, Engine::KilnArtifact);
    }
}

program_tests! {
    yosys => Workload::Yosys;
    flite => Workload::Flite;
    minigzip => Workload::Minigzip;
    lua => Workload::Lua;
    speedtest1 => Workload::Speedtest1;
}

/// `yosys-eh` is a program that needs exception handling, and its workload throws and catches
/// C++ exceptions (the golden-output tests above are `yosys_eh::*`).
mod yosys_eh_exceptions {
    use super::*;
    use std::process::{Command, Stdio};
    use wasmparser::{Operator, Parser, Payload};

    /// Exception-handling instructions in a module's function bodies.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct EhCounts {
        try_table: usize,
        throw_ref: usize,
        throw: usize,
        /// The legacy form's `try`, `catch`, `catch_all`, `delegate` and `rethrow`.
        legacy: usize,
    }

    /// Counts `wasm`'s exception-handling instructions, and returns the byte offsets of its
    /// `throw`s.
    fn scan(wasm: &[u8]) -> (EhCounts, Vec<usize>) {
        let mut counts = EhCounts::default();
        let mut throws = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            let Payload::CodeSectionEntry(body) = payload.expect("yosys-eh parses") else {
                continue;
            };
            let mut ops = body.get_operators_reader().expect("a function body");
            while !ops.eof() {
                let (op, offset) = ops.read_with_offset().expect("an instruction");
                match op {
                    Operator::TryTable { .. } => counts.try_table += 1,
                    Operator::ThrowRef => counts.throw_ref += 1,
                    Operator::Throw { .. } => {
                        counts.throw += 1;
                        throws.push(usize::try_from(offset).expect("an offset in memory"));
                    }
                    Operator::Try { .. }
                    | Operator::Catch { .. }
                    | Operator::CatchAll
                    | Operator::Delegate { .. }
                    | Operator::Rethrow { .. } => counts.legacy += 1,
                    _ => {}
                }
            }
        }
        (counts, throws)
    }

    fn yosys_eh_wasm(tools: &Tools) -> Vec<u8> {
        std::fs::read(tools.programs.wasm("yosys-eh")).unwrap_or_else(|e| panic!("yosys-eh: {e}"))
    }

    /// The module uses the standard (3.0) form of exception handling throughout, as the
    /// pinned package's build does, and does not validate without the feature.
    #[test]
    fn module_needs_exception_handling() {
        let wasm = yosys_eh_wasm(&tools());
        let (counts, _) = scan(&wasm);
        assert_eq!(
            counts,
            EhCounts { try_table: 84_543, throw_ref: 55_850, throw: 1, legacy: 0 },
            "not the pinned @yowasp/yosys build (scripts/fetch-programs.sh)"
        );
        let no_eh = kiln::RuntimeConfig::interpreter()
            .with_core_features(kiln::CoreFeatures::V3.difference(kiln::CoreFeatures::EXCEPTIONS));
        let e = kiln::Runtime::with_config(no_eh)
            .compile(&wasm)
            .map(drop)
            .expect_err("uses exception handling");
        assert!(e.to_string().contains("exception"), "{e}");
    }

    /// The workload throws at run time: with its only `throw` (in libunwind's
    /// `_Unwind_RaiseException`, which `__cxa_throw` calls) replaced by `unreachable`, the
    /// run stops at the first failing command, in the pass that throws, called from the
    /// shell's command loop that catches it. (Unpatched, the shell reports the error and
    /// runs the following commands: the golden file `yosys-eh.txt`.)
    #[test]
    fn workload_throws_from_the_failing_pass() {
        let tools = tools();
        let mut wasm = yosys_eh_wasm(&tools);
        let (_, throws) = scan(&wasm);
        let [at] = throws[..] else { panic!("expected one throw, found {throws:?}") };
        // `throw` is 0x08 and a LEB128 tag index: unreachable (0x00), then a nop (0x01) for
        // each byte of the index, keeps every offset in the module.
        let len = 1 + wasm[at + 1..].iter().position(|b| b & 0x80 == 0).expect("LEB128 ends") + 1;
        wasm[at] = 0x00;
        wasm[at + 1..at + len].fill(0x01);

        let scratch = programs::scratch_dir("yosys-eh-trap-on-throw").unwrap();
        let module = scratch.join("yosys-eh-trap-on-throw.wasm");
        std::fs::write(&module, &wasm).unwrap();
        let steps = Workload::YosysExceptions.prepare(&tools.programs, &scratch).unwrap();
        let [step] = &steps[..] else { panic!("one step") };
        let stdin = std::fs::File::open(scratch.join(step.stdin.as_ref().unwrap())).unwrap();
        let mut cmd = Command::new(tools.kiln.as_ref().unwrap());
        cmd.arg("run").arg("--interpreter").arg("--dir").arg(format!("{}::/", scratch.display()));
        for (host, guest) in &step.dirs {
            cmd.arg("--dir").arg(format!("{}::{guest}", host.display()));
        }
        let out = cmd
            .arg(&module)
            .args(&step.args)
            .stdin(Stdio::from(stdin))
            .output()
            .expect("kiln runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "the patched throw did not trap:\n{stderr}");
        let expected = [
            "ERROR: Module `nonexistent' not found!",
            "unreachable",
            "_Unwind_RaiseException",
            "__cxa_throw",
            "HierarchyPass::execute",
            "Yosys::shell",
        ];
        let mut rest = &stderr[..];
        for what in expected {
            let at = rest.find(what).unwrap_or_else(|| {
                panic!("no {what:?} (in this order) in the trap report:\n{stderr}")
            });
            rest = &rest[at + what.len()..];
        }
        let _ = std::fs::remove_dir_all(&scratch);
    }
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
