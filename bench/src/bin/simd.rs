//! The SIMD kernels (tests/c/simd_kernels.c, `wasm_simd128.h` intrinsics built with
//! `-O3 -msimd128`) on four engines in one run: Kiln compiled beside wasmtime, and Kiln's
//! interpreter beside wasmi 2.0 (its `simd` feature, run in a process of its own by the
//! `wasmi-kernel` binary: see `kiln_bench::time_in_wasmi_process`), printed as ratios.
//!
//! ```text
//! cargo build -p kiln-bench --release --bin wasmi-kernel   # once
//! cargo run -p kiln-bench --release --bin simd [-- --samples N] [--rounds N] [--smoke]
//!     [--program-samples N] [--no-programs]
//! ```
//!
//! Each kernel is the export `bench_<kernel>(rounds)` of the benchmark build of the kernels
//! (`kiln_tests::simd_kernels_bench_wasm`): generated data, the SIMD version, and the
//! scalar version it is checked against (auto-vectorised by `-O3 -msimd128`), `rounds`
//! times. Every engine compiles and instantiates the module outside the timing (Kiln
//! compiled in process for this host's CPU features, as wasmtime's default configuration
//! compiles; a fifth column, Kiln at the x86-64-v2 / armv8.0 baseline that `kiln compile`
//! targets by default, shows what portable code costs), is warmed up (called untimed for
//! `kiln_bench::WARM_UP`, its results checked), then timed over N samples (default 5), taken
//! in rounds across the engines, wasmi's sample of each round in a `wasmi-kernel` process of
//! its own (`time_interleaved_with_wasmi`), so that the machine's slow spells fall on all of
//! them alike; the table shows the median per call.
//! All engines must return the same value, or the run aborts.
//!
//! A second table runs the real programs rebuilt with `-O3 -msimd128`
//! (`kiln_tests::programs::simd128`: minigzip, Lua, speedtest1) as whole processes:
//! `kiln run` of a `kiln compile --cpu native` artifact beside `wasmtime run` of a
//! `wasmtime compile` artifact (both for this host's CPU), and `kiln run --interpreter` beside the wasmi CLI (when
//! `scripts/fetch-programs.sh --with-wasmi` installed it), each the median wall time of
//! `--program-samples` runs (default 3, the four engines in turn) with every output checked
//! against the workload's golden file. It needs the fetched programs and the `kiln` binary
//! beside this one (`cargo build --release -p kiln-cli`); `--no-programs` leaves it out.

use kiln_bench::{
    KilnRunner, Runner, Timing, WasmtimeRunner, Workload, fmt_ms, time_interleaved_with_wasmi,
};
use kiln_tests::programs::{self, Engine, Programs, Tools, engine, simd128};
use std::time::Duration;

/// Longest any one program process may take.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(900);

/// The program engines, in table order: the two precompiled, then the two interpreters.
const PROGRAM_ENGINES: [Engine; 4] = [
    Engine::KilnArtifactNative,
    Engine::WasmtimePrecompiled,
    Engine::KilnInterpreter,
    Engine::Wasmi,
];

/// The median wall time of `samples` checked runs of `w`'s `-O3 -msimd128` build on each of
/// [`PROGRAM_ENGINES`] (an error where the engine is unavailable or a run failed). The
/// engines run in turn, one run of each per round, so that a slow spell of a shared host
/// weighs on both sides of each ratio; an engine that fails is not run again.
fn program_row(
    tools: &Tools,
    w: programs::Workload,
    samples: usize,
) -> Result<Vec<Result<Duration, String>>, String> {
    let wasm = simd128::simd128_wasm(&tools.programs, w)?;
    let out = programs::scratch_dir(&format!("simd128-bench-{}", w.name()))?;
    let prepared: Vec<Result<_, String>> = PROGRAM_ENGINES
        .iter()
        .map(|&e| engine::prepare_module(e, tools, w.program(), &wasm, &out, PROGRAM_TIMEOUT))
        .collect();
    let ready: Vec<_> = prepared.iter().map(|p| p.as_ref().ok()).collect();
    let results = kiln_bench::in_turn(&ready, samples, |p| {
        let run = engine::run_workload(p, tools, w, PROGRAM_TIMEOUT)?;
        programs::check_golden(w, &run.observed, p.engine.label())?;
        Ok(run.elapsed)
    });
    Ok(prepared
        .into_iter()
        .zip(results)
        .map(|(p, r)| {
            let mut times = p.and_then(|_| r.expect("a prepared engine has results"))?;
            times.sort();
            Ok(times[times.len() / 2])
        })
        .collect())
}

/// Prints the `-msimd128` programs table (see the module docs).
fn programs_table(samples: usize) -> Result<(), String> {
    let programs = Programs::locate()?;
    let kiln = std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.join("kiln")))
        .filter(|k| k.exists());
    let tools = Tools { programs, kiln };
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for w in simd128::WORKLOADS {
        eprintln!("running {} -O3 -msimd128 ({samples} samples per engine, in turn) ...", w.name());
        let cells = program_row(&tools, w, samples)?;
        let mut show = |c: &Result<Duration, String>, what: Engine| match c {
            Ok(t) => format!("{:.1}", t.as_secs_f64() * 1000.0),
            Err(e) => {
                errors.push(format!("{} on {}: {e}", w.name(), what.label()));
                format!("error [{}]", errors.len())
            }
        };
        let shown: Vec<String> =
            cells.iter().zip(PROGRAM_ENGINES).map(|(c, e)| show(c, e)).collect();
        let r = |a: usize, b: usize| match (&cells[a], &cells[b]) {
            (Ok(a), Ok(b)) => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64().max(1e-12)),
            _ => "-".into(),
        };
        lines.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            w.name(),
            shown[0],
            shown[1],
            r(0, 1),
            shown[2],
            shown[3],
            r(2, 3)
        ));
    }
    println!(
        "\nReal programs built with -O3 -msimd128 (whole processes, median wall time of \
         {samples} runs, the engines in turn, outputs checked)\n"
    );
    println!(
        "| program | Kiln artifact (ms) | wasmtime precompiled (ms) | Kiln / wasmtime | \
         Kiln interpreter (ms) | wasmi (ms) | interpreter / wasmi |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for l in lines {
        println!("{l}");
    }
    for (i, e) in errors.iter().enumerate() {
        println!("\n[{}] {e}", i + 1);
    }
    Ok(())
}

fn usage() -> ! {
    eprintln!(
        "usage: simd [--samples N] [--rounds N] [--smoke] [--program-samples N] [--no-programs]"
    );
    std::process::exit(2);
}

/// The engines, in table order: the two compilers, then the two interpreters.
/// Then Kiln compiled for the baseline CPU.
const ENGINES: [&str; 5] =
    ["Kiln compiled", "wasmtime", "Kiln interpreter", "wasmi", "Kiln baseline"];

fn run(w: &Workload, samples: usize) -> Result<[Timing; 5], String> {
    let engine = wasmtime::Engine::default();
    let baseline_cpu = kiln::RuntimeConfig::compiler().with_cpu(kiln::CpuTarget::Baseline);
    let mut compiled = KilnRunner::with_config(w, kiln::RuntimeConfig::compiler())?;
    let mut wasmtime = WasmtimeRunner::new(&engine, w)?;
    let mut interpreter = KilnRunner::new(w)?;
    let mut baseline = KilnRunner::with_config(w, baseline_cpu)?;
    // The samples in rounds (`time_interleaved_with_wasmi`): the in-process engines', then
    // one of wasmi in a process of its own. Their columns in `ENGINES`.
    const COLUMNS: [usize; 5] = [0, 1, 2, 4, 3];
    let mut runners: [&mut dyn Runner; 4] =
        [&mut compiled, &mut wasmtime, &mut interpreter, &mut baseline];
    let (timed, wasmi) = time_interleaved_with_wasmi(&mut runners, w, samples)
        .map_err(|(i, e)| format!("{}: {}: {e}", w.name, ENGINES[COLUMNS[i]]))?;
    let [compiled, wasmtime, interpreter, baseline]: [Timing; 4] =
        timed.try_into().expect("one timing per runner");
    let t = [compiled, wasmtime, interpreter, wasmi, baseline];
    if let Some((i, x)) = t.iter().enumerate().find(|(_, x)| x.result != t[0].result) {
        return Err(format!(
            "RESULT MISMATCH in {}: {} returned {}, {} returned {}",
            w.name, ENGINES[0], t[0].result, ENGINES[i], x.result
        ));
    }
    Ok(t)
}

fn ratio(a: &Timing, b: &Timing) -> f64 {
    a.median.as_secs_f64() / b.median.as_secs_f64().max(1e-12)
}

fn geomean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x.ln(), n + 1));
    (s / n.max(1) as f64).exp()
}

fn main() {
    let mut samples = 5usize;
    let mut rounds = 20i32;
    let mut program_samples = 3usize;
    let mut with_programs = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = || args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage());
        match a.as_str() {
            "--samples" => samples = number(),
            "--rounds" => rounds = number() as i32,
            "--smoke" => (samples, rounds, program_samples) = (1, 1, 1),
            "--program-samples" => program_samples = number().max(1),
            "--no-programs" => with_programs = false,
            "--bench" => {} // passed by `cargo bench`
            _ => usage(),
        }
    }
    let wasm = kiln_tests::simd_kernels_bench_wasm().unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1);
    });
    let mut rows = Vec::new();
    for kernel in kiln_tests::SIMD_KERNELS {
        let w = Workload {
            name: kernel.to_string(),
            wasm: wasm.clone(),
            export: format!("bench_{kernel}"),
            arg: rounds,
            iters: 1,
        };
        eprintln!("running {kernel} ({rounds} rounds, {samples} samples) ...");
        match run(&w, samples) {
            Ok(t) => rows.push((kernel, t)),
            Err(e) => {
                eprintln!("\nerror: {e}");
                std::process::exit(1);
            }
        }
    }
    println!(
        "SIMD kernels, {rounds} rounds per call ({samples} samples, median time per call; {} \
         logical CPUs, {} build)\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    println!(
        "| kernel | result | {} (ms) | {} (ms) | compiled / wasmtime | {} / wasmtime | {} \
         (ms) | {} (ms) | interpreter / wasmi |",
        ENGINES[0], ENGINES[1], ENGINES[4], ENGINES[2], ENGINES[3]
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (kernel, t) in &rows {
        println!(
            "| {kernel} | {} | {} | {} | {:.2} | {:.2} | {} | {} | {:.2} |",
            t[0].result,
            fmt_ms(t[0].median),
            fmt_ms(t[1].median),
            ratio(&t[0], &t[1]),
            ratio(&t[4], &t[1]),
            fmt_ms(t[2].median),
            fmt_ms(t[3].median),
            ratio(&t[2], &t[3])
        );
    }
    println!(
        "| geometric mean | | | | {:.2} | {:.2} | | | {:.2} |",
        geomean(rows.iter().map(|(_, t)| ratio(&t[0], &t[1]))),
        geomean(rows.iter().map(|(_, t)| ratio(&t[4], &t[1]))),
        geomean(rows.iter().map(|(_, t)| ratio(&t[2], &t[3])))
    );
    if with_programs && let Err(e) = programs_table(program_samples) {
        eprintln!("\nerror: -msimd128 programs: {e}");
        std::process::exit(1);
    }
}
