//! Real WASI programs as whole processes: native, wasmtime (precompiled), Kiln from an
//! artifact, and the Kiln interpreter, as one table with ratios to wasmtime; plus startup of
//! the real programs precompiled (Yosys `-V`, Flite speaking one word, Lua `-e ''`,
//! speedtest1 at its smallest size, hello world): wasmtime, Kiln's first load of an artifact
//! (payload hashed) and later loads (verified once), with ratios and both artifact sizes;
//! plus Kiln's interpreter beside wasmi (its CLI, crate `wasmi_cli`, which fetch-programs.sh
//! installs): the same startup cases from the `.wasm` and the full runs, wall time and peak
//! memory (the child's `ru_maxrss`, as GNU time reports it), as ratios Kiln interpreter / wasmi
//! in one table.
//!
//! ```text
//! scripts/fetch-programs.sh --with-wasmi && cargo build --release -p kiln-cli
//! cargo run -p kiln-bench --release --bin programs [-- --samples N] [--filter NAME]
//!     [--kiln PATH] [--no-interpreter] [--no-wasmi] [--startup-samples N] [--startup-only]
//!     [--interpreter-only]
//! ```
//!
//! `--interpreter-only` measures Kiln's interpreter and wasmi alone (the last table).
//!
//! Each cell is the median wall time, spawn to exit, of N runs of the workload's whole
//! processes (minigzip has two: compress, then decompress); compiling the precompiled forms
//! (`wasmtime compile`, `kiln compile --cpu native`: both for this host's CPU features)
//! happens once, outside the timing, and has its own table. The engines a ratio compares
//! (wasmtime and Kiln's artifact; Kiln's interpreter and wasmi) run in turn, one run of each
//! per round, so that a slow spell of the host weighs on both sides of the ratio. Every
//! run's output is checked against the workload's golden file; a failing or
//! wrong run turns its cell into a numbered error, listed under the tables, and the other
//! cells still run. Workloads and command lines: kiln_tests::programs.

use kiln_tests::programs::{self, Engine, Prepared, Programs, Tools, Workload, engine};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// Longest any one process may take.
const TIMEOUT: Duration = Duration::from_secs(900);

struct Options {
    samples: usize,
    startup_samples: usize,
    filter: Option<String>,
    kiln: Option<PathBuf>,
    interpreter: bool,
    wasmi: bool,
    startup_only: bool,
    interpreter_only: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: programs [--samples N] [--startup-samples N] [--filter NAME] [--kiln PATH] \
         [--no-interpreter] [--no-wasmi] [--startup-only] [--interpreter-only]"
    );
    std::process::exit(2);
}

fn parse_args() -> Options {
    let mut o = Options {
        samples: 3,
        startup_samples: 20,
        filter: None,
        kiln: None,
        interpreter: true,
        wasmi: true,
        startup_only: false,
        interpreter_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--samples" => {
                o.samples = value().parse().ok().filter(|&n| n > 0).unwrap_or_else(|| usage())
            }
            "--startup-samples" => {
                o.startup_samples =
                    value().parse().ok().filter(|&n| n > 0).unwrap_or_else(|| usage())
            }
            "--filter" => o.filter = Some(value()),
            "--kiln" => o.kiln = Some(PathBuf::from(value())),
            "--no-interpreter" => o.interpreter = false,
            "--no-wasmi" => o.wasmi = false,
            "--startup-only" => o.startup_only = true,
            "--interpreter-only" => o.interpreter_only = true,
            "--bench" => {} // passed by `cargo bench`
            _ => usage(),
        }
    }
    o
}

/// The `kiln` binary beside this benchmark's own (same profile), if it was built.
fn default_kiln() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let candidate = exe.parent()?.join("kiln");
    candidate.exists().then_some(candidate)
}

/// A table cell: a median time or the number of an error listed under the tables.
#[derive(Clone, Copy)]
enum Cell {
    Time(Duration),
    Error(usize),
    Skipped,
}

impl Cell {
    fn time(&self) -> Option<Duration> {
        match self {
            Cell::Time(t) => Some(*t),
            _ => None,
        }
    }

    fn show(&self) -> String {
        match self {
            Cell::Time(t) => fmt_time(*t),
            Cell::Error(n) => format!("error [{n}]"),
            Cell::Skipped => "-".into(),
        }
    }
}

fn fmt_time(t: Duration) -> String {
    let s = t.as_secs_f64();
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

fn ratio(a: &Cell, b: &Cell) -> String {
    match (a.time(), b.time()) {
        (Some(a), Some(b)) if !b.is_zero() => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()),
        _ => "-".into(),
    }
}

fn fmt_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// Collects errors and hands out their footnote numbers.
#[derive(Default)]
struct Errors(Vec<String>);

impl Errors {
    fn add(&mut self, what: &str, e: String) -> Cell {
        self.0.push(format!("{what}: {e}"));
        Cell::Error(self.0.len())
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs the workload `samples` times on each prepared engine of `engines`, in turn
/// ([`kiln_bench::in_turn`]), checking every output. For each engine, the median wall time
/// and the largest peak resident set size (bytes), or the cell of its preparation's or its
/// first run's failure.
fn measure_in_turn<const N: usize>(
    engines: [&Result<Prepared, Cell>; N],
    tools: &Tools,
    w: Workload,
    samples: usize,
    errors: &mut Errors,
) -> [(Cell, Option<u64>); N] {
    let label = |p: &Prepared| format!("{} / {}", w.name(), p.engine.label());
    let prepared = engines.map(|p| p.as_ref().ok());
    let names: Vec<String> = prepared.iter().flatten().map(|p| label(p)).collect();
    if !names.is_empty() {
        eprintln!("{}: {samples} samples each, in turn ...", names.join(", "));
    }
    let results = kiln_bench::in_turn(&prepared, samples, |p| {
        let run = engine::run_workload(p, tools, w, TIMEOUT)?;
        programs::check_golden(w, &run.observed, p.engine.label())?;
        Ok((run.elapsed, run.peak_rss))
    });
    let mut cells = engines.into_iter().zip(results).map(|(e, r)| match (e, r) {
        (Err(Cell::Error(n)), _) => (Cell::Error(*n), None),
        (Ok(p), Some(Err(err))) => (errors.add(&label(p), err), None),
        (Ok(_), Some(Ok(runs))) => {
            (Cell::Time(median(runs.iter().map(|r| r.0).collect())), runs.iter().map(|r| r.1).max())
        }
        _ => (Cell::Skipped, None),
    });
    std::array::from_fn(|_| cells.next().expect("one result per engine"))
}

/// A row of the interpreter table: Kiln's interpreter and wasmi on one case, wall time and
/// peak memory.
struct VsWasmi {
    what: String,
    interp: (Cell, Option<u64>),
    wasmi: (Cell, Option<u64>),
}

struct Row {
    name: &'static str,
    native: Cell,
    wasmtime: Cell,
    artifact: Cell,
    interp: Cell,
    vs_wasmi: VsWasmi,
    wasm_bytes: u64,
    wasmtime_compile: Option<(Duration, u64)>,
    kiln_compile: Option<(Duration, u64)>,
}

fn bench_workload(
    w: Workload,
    tools: &Tools,
    o: &Options,
    scratch: &std::path::Path,
    errors: &mut Errors,
) -> Row {
    let label = |e: Engine| format!("{} / {}", w.name(), e.label());
    let prepare = |e: Engine, errors: &mut Errors| {
        eprintln!("{}: preparing ...", label(e));
        engine::prepare(e, tools, w.program(), scratch, TIMEOUT)
            .map_err(|err| errors.add(&label(e), err))
    };
    let others = !o.interpreter_only;
    let skipped = || Err(Cell::Skipped);
    let native = if others && w.has_native() { prepare(Engine::Native, errors) } else { skipped() };
    let [native] = measure_in_turn([&native], tools, w, o.samples, errors);
    // The compiled pair and the interpreted pair each run in turn.
    let wt = if others { prepare(Engine::WasmtimePrecompiled, errors) } else { skipped() };
    let art = if others { prepare(Engine::KilnArtifactNative, errors) } else { skipped() };
    let [wasmtime, artifact] = measure_in_turn([&wt, &art], tools, w, o.samples, errors);
    let ki = if o.interpreter { prepare(Engine::KilnInterpreter, errors) } else { skipped() };
    let wi = if o.interpreter && o.wasmi { prepare(Engine::Wasmi, errors) } else { skipped() };
    let [interp, wasmi] = measure_in_turn([&ki, &wi], tools, w, o.samples, errors);
    let compiled = |p: &Result<Prepared, Cell>| {
        p.as_ref().ok().and_then(|p| Some((p.compile_time?, p.module_bytes)))
    };
    Row {
        name: w.name(),
        native: native.0,
        wasmtime: wasmtime.0,
        artifact: artifact.0,
        interp: interp.0,
        vs_wasmi: VsWasmi { what: format!("{} (run)", w.name()), interp, wasmi },
        wasm_bytes: std::fs::metadata(tools.programs.wasm(w.program()))
            .map(|m| m.len())
            .unwrap_or(0),
        wasmtime_compile: compiled(&wt),
        kiln_compile: compiled(&art),
    }
}

/// One startup case: a real program with arguments that make it start, do almost nothing
/// and exit, so the process's time is its startup (loading the precompiled module,
/// instantiating it, running `_start` briefly).
struct StartupCase {
    program: &'static str,
    args: &'static [&'static str],
}

/// The startup cases: Yosys's version, Flite speaking one word without writing audio, Lua
/// running an empty chunk, SQLite's speedtest1 at its smallest size, and a hello world.
const STARTUP: [StartupCase; 5] = [
    StartupCase { program: "yosys", args: &["-V"] },
    StartupCase { program: "flite", args: &["-t", "hello", "-o", "none"] },
    StartupCase { program: "lua", args: &["-e", ""] },
    StartupCase { program: "speedtest1", args: &["--memdb", "--size", "1"] },
    StartupCase { program: "hello", args: &[] },
];

/// How long to wait after writing an artifact before its first load, so that the load may
/// record the file as verified (Kiln records only files whose last change is at least
/// `kiln_loader::verified::RACY_MARGIN`, 100 ms, old).
const SETTLE: Duration = Duration::from_millis(300);

/// The user plus system CPU time of this process's terminated and waited-for children.
fn children_cpu() -> Duration {
    // SAFETY: an all-zero `rusage` is a valid value, and getrusage only writes into it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a `rusage` this function owns.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// The wall time of `cmd`, spawn to exit, with stdio discarded (no polling: the wait
/// blocks until the process exits), and its CPU time (user plus system).
fn time_process(mut cmd: Command) -> Result<(Duration, Duration), String> {
    use std::process::Stdio;
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    let cpu = children_cpu();
    let start = std::time::Instant::now();
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let took = start.elapsed();
    if !status.success() {
        return Err(format!("{cmd:?} exited with {status}"));
    }
    Ok((took, children_cpu().saturating_sub(cpu)))
}

/// One row of the startup table: wall and CPU times.
struct StartupRow {
    program: &'static str,
    wasmtime: [Cell; 2],
    first: [Cell; 2],
    later: [Cell; 2],
    sizes: Option<(u64, u64)>,
}

/// Startup of the [`STARTUP`] cases as whole processes: `wasmtime run --allow-precompiled`
/// on a `.cwasm`, and `kiln run` on a `.kiln` artifact, both for its first load (no
/// verify-once record: the payload is hashed, then recorded) and for later loads (the
/// record lets the load skip the hash). Each sample runs the three in turn; the records
/// live in a scratch `XDG_CACHE_HOME`. Medians of `samples`.
fn startup_table(
    tools: &Tools,
    samples: usize,
    scratch: &std::path::Path,
    errors: &mut Errors,
) -> Vec<StartupRow> {
    let xdg = scratch.join("startup-xdg");
    let records = xdg.join("kiln").join("verified");
    let mut rows = Vec::new();
    for case in &STARTUP {
        let what = |e: &str| format!("startup {} / {e}", case.program);
        let prepared =
            engine::prepare(Engine::WasmtimePrecompiled, tools, case.program, scratch, TIMEOUT)
                .and_then(|w| {
                    Ok((
                        w,
                        engine::prepare(
                            Engine::KilnArtifactNative,
                            tools,
                            case.program,
                            scratch,
                            TIMEOUT,
                        )?,
                    ))
                });
        let (wt, art) = match prepared {
            Ok(p) => p,
            Err(e) => {
                let cell = errors.add(&what("prepare"), e);
                let n = match cell {
                    Cell::Error(n) => n,
                    _ => 0,
                };
                rows.push(StartupRow {
                    program: case.program,
                    wasmtime: [Cell::Error(n), Cell::Error(n)],
                    first: [Cell::Error(n), Cell::Error(n)],
                    later: [Cell::Error(n), Cell::Error(n)],
                    sizes: None,
                });
                continue;
            }
        };
        std::thread::sleep(SETTLE);
        let wasmtime_cmd = || {
            let mut c = Command::new(tools.programs.wasmtime());
            c.args(["run", "--allow-precompiled"]).arg(&wt.module).args(case.args);
            c
        };
        let kiln_cmd = || -> Result<Command, String> {
            let mut c = Command::new(tools.kiln.as_ref().ok_or("no kiln binary")?);
            c.env("XDG_CACHE_HOME", &xdg).arg("run").arg(&art.module).args(case.args);
            Ok(c)
        };
        eprintln!("startup {}: {samples} samples ...", case.program);
        let (mut w, mut f, mut l) = (Vec::new(), Vec::new(), Vec::new());
        let mut failure = [None, None, None];
        for _ in 0..samples {
            match time_process(wasmtime_cmd()) {
                Ok(t) => w.push(t),
                Err(e) => failure[0] = Some(e),
            }
            let _ = std::fs::remove_dir_all(&records);
            match kiln_cmd().and_then(time_process) {
                Ok(t) => f.push(t),
                Err(e) => failure[1] = Some(e),
            }
            match kiln_cmd().and_then(time_process) {
                Ok(t) => l.push(t),
                Err(e) => failure[2] = Some(e),
            }
        }
        let mut cell = |v: Vec<(Duration, Duration)>, fail: Option<String>, label: &str| match fail
        {
            Some(e) => {
                let c = errors.add(&what(label), e);
                let n = match c {
                    Cell::Error(n) => n,
                    _ => 0,
                };
                [Cell::Error(n), Cell::Error(n)]
            }
            None if v.is_empty() => [Cell::Skipped, Cell::Skipped],
            None => [
                Cell::Time(median(v.iter().map(|t| t.0).collect())),
                Cell::Time(median(v.iter().map(|t| t.1).collect())),
            ],
        };
        let [fw, ff, fl] = failure;
        rows.push(StartupRow {
            program: case.program,
            wasmtime: cell(w, fw, "wasmtime"),
            first: cell(f, ff, "kiln first load"),
            later: cell(l, fl, "kiln later loads"),
            sizes: Some((art.module_bytes, wt.module_bytes)),
        });
    }
    let _ = std::fs::remove_dir_all(&xdg);
    rows
}

/// Startup of the [`STARTUP`] cases from the `.wasm` as whole processes: `kiln run
/// --interpreter prog.wasm ARGS` and `wasmi prog.wasm ARGS` (its default, lazy
/// translation), in turn; median wall time and the largest peak memory of `samples` runs.
fn interp_startup(tools: &Tools, samples: usize, errors: &mut Errors) -> Vec<VsWasmi> {
    let mut rows = Vec::new();
    for case in &STARTUP {
        let wasm = tools.programs.wasm(case.program);
        let kiln_cmd = || -> Result<Command, String> {
            let mut c = Command::new(tools.kiln.as_ref().ok_or("no kiln binary")?);
            c.args(["run", "--interpreter"]).arg(&wasm).args(case.args);
            Ok(c)
        };
        let wasmi_cmd = || -> Result<Command, String> {
            let path = tools.programs.wasmi();
            if !path.exists() {
                return Err(format!(
                    "no wasmi CLI at {} (scripts/fetch-programs.sh --with-wasmi installs it)",
                    path.display()
                ));
            }
            let mut c = Command::new(path);
            c.arg(&wasm).args(case.args);
            Ok(c)
        };
        eprintln!("interpreter startup {}: {samples} samples ...", case.program);
        let mut runs = [(Vec::new(), 0u64, None), (Vec::new(), 0u64, None)];
        for _ in 0..samples {
            for (i, cmd) in [kiln_cmd(), wasmi_cmd()].into_iter().enumerate() {
                match cmd.and_then(run_quiet) {
                    Ok(x) => {
                        runs[i].0.push(x.0);
                        runs[i].1 = runs[i].1.max(x.1);
                    }
                    Err(e) => runs[i].2 = Some(e),
                }
            }
        }
        let [k, w] = runs.map(|(times, peak, failure)| match failure {
            Some(e) => (Err(e), None),
            None if times.is_empty() => (Ok(Cell::Skipped), None),
            None => (Ok(Cell::Time(median(times))), Some(peak)),
        });
        let mut cell = |r: (Result<Cell, String>, Option<u64>), label: &str| {
            (
                r.0.unwrap_or_else(|e| {
                    errors.add(&format!("interpreter startup {} / {label}", case.program), e)
                }),
                r.1,
            )
        };
        rows.push(VsWasmi {
            what: format!(
                "{} {} (startup)",
                case.program,
                case.args
                    .iter()
                    .map(|a| if a.is_empty() { "''" } else { a })
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            interp: cell(k, "kiln-interpreter"),
            wasmi: cell(w, "wasmi"),
        });
    }
    rows
}

/// Runs `cmd` under GNU time with stdio discarded, blocking until it exits; its wall time
/// and peak memory ([`engine::peak_memory_command`]).
fn run_quiet(cmd: Command) -> Result<(Duration, u64), String> {
    use std::process::Stdio;
    let report = engine::peak_report_path();
    let mut cmd = engine::peak_memory_command(&cmd, &report);
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    let start = std::time::Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let exited = engine::wait_blocking(&mut child)?;
    let took = start.elapsed();
    if !exited.status.success() {
        return Err(format!("{cmd:?} exited with {}", exited.status));
    }
    Ok((took, engine::read_peak_report(&report)?))
}

fn print_vs_wasmi(tools: &Tools, rows: &[&VsWasmi], samples: usize, startup_samples: usize) {
    let version = Command::new(tools.programs.wasmi())
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "version unknown".into(), |v| v.trim().to_string());
    println!(
        "\nKiln's interpreter beside wasmi ({version}), whole processes from the .wasm: \
         `kiln run --interpreter` and `wasmi` (lazy translation); wall time (median of \
         {startup_samples} for startup, of {samples} for runs, the two in turn) and peak memory (largest \
         ru_maxrss under GNU time)"
    );
    println!(
        "| case | kiln interp | wasmi | interp/wasmi | kiln peak | wasmi peak | peak interp/wasmi |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let peak = |p: Option<u64>| p.map_or("-".into(), fmt_size);
    for r in rows {
        let peak_ratio = match (r.interp.1, r.wasmi.1) {
            (Some(k), Some(w)) if w > 0 => format!("{:.2}", k as f64 / w as f64),
            _ => "-".into(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {peak_ratio} |",
            r.what,
            fmt_ms(&r.interp.0),
            fmt_ms(&r.wasmi.0),
            ratio(&r.interp.0, &r.wasmi.0),
            peak(r.interp.1),
            peak(r.wasmi.1),
        );
    }
}

/// A time with more digits than [`fmt_time`] (startup times are a few ms).
fn fmt_ms(c: &Cell) -> String {
    match c {
        Cell::Time(t) => format!("{:.2} ms", t.as_secs_f64() * 1000.0),
        other => other.show(),
    }
}

fn print_startup(rows: &[StartupRow], samples: usize) {
    println!(
        "\nstartup as whole processes, median of {samples}: `wasmtime run --allow-precompiled app.cwasm`, \
         `kiln run app.kiln` on its first load (payload hashed and recorded) and on later loads; \
         wall time, with the ratios of CPU time (user + system) in parentheses"
    );
    println!(
        "| program | wasmtime | kiln first load | first/wasmtime | kiln later loads | later/wasmtime | .cwasm | .kiln | .kiln/.cwasm |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let (kb, wb) = match r.sizes {
            Some((k, w)) => (fmt_size(k), fmt_size(w)),
            None => ("-".into(), "-".into()),
        };
        let size_ratio =
            r.sizes.map_or("-".into(), |(k, w)| format!("{:.3}", k as f64 / w.max(1) as f64));
        println!(
            "| {} | {} | {} | {} ({}) | {} | {} ({}) | {wb} | {kb} | {size_ratio} |",
            r.program,
            fmt_ms(&r.wasmtime[0]),
            fmt_ms(&r.first[0]),
            ratio(&r.first[0], &r.wasmtime[0]),
            ratio(&r.first[1], &r.wasmtime[1]),
            fmt_ms(&r.later[0]),
            ratio(&r.later[0], &r.wasmtime[0]),
            ratio(&r.later[1], &r.wasmtime[1]),
        );
    }
}

fn main() {
    let o = parse_args();
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a debug build; use `cargo run -p kiln-bench --release --bin programs`"
        );
    }
    let programs = match Programs::locate() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let kiln = o.kiln.clone().or_else(default_kiln);
    if kiln.is_none() {
        eprintln!(
            "note: no kiln binary beside this one; build it with `cargo build --release -p kiln-cli` or pass --kiln"
        );
    }
    let tools = Tools { programs, kiln };
    let scratch = match programs::scratch_dir("bench-programs") {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut errors = Errors::default();
    let rows: Vec<Row> = Workload::ALL
        .into_iter()
        .filter(|_| !o.startup_only)
        .filter(|w| o.filter.as_deref().is_none_or(|f| w.name().contains(f)))
        .map(|w| bench_workload(w, &tools, &o, &scratch, &mut errors))
        .collect();
    let startup = if o.interpreter_only {
        Vec::new()
    } else {
        startup_table(&tools, o.startup_samples, &scratch, &mut errors)
    };
    let interp_startup = if o.interpreter && o.wasmi {
        interp_startup(&tools, o.startup_samples, &mut errors)
    } else {
        Vec::new()
    };

    println!("{}", tools.programs.versions().unwrap_or_default().trim_end());
    if !rows.is_empty() && !o.interpreter_only {
        println!("median of {} runs, wall time of the whole process(es)\n", o.samples);
        println!(
            "| program | native | wasmtime | kiln artifact | kiln interp | native/wasmtime | kiln artifact/wasmtime | kiln interp/wasmtime |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for r in &rows {
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                r.name,
                r.native.show(),
                r.wasmtime.show(),
                r.artifact.show(),
                r.interp.show(),
                ratio(&r.native, &r.wasmtime),
                ratio(&r.artifact, &r.wasmtime),
                ratio(&r.interp, &r.wasmtime)
            );
        }
        println!("\n| program | .wasm | wasmtime compile | .cwasm | kiln compile | .kiln |");
        println!("|---|---:|---:|---:|---:|---:|");
        let compile = |c: &Option<(Duration, u64)>| match c {
            Some((t, b)) => (fmt_time(*t), fmt_size(*b)),
            None => ("-".into(), "-".into()),
        };
        for r in &rows {
            let (wt, wb) = compile(&r.wasmtime_compile);
            let (kt, kb) = compile(&r.kiln_compile);
            println!("| {} | {} | {wt} | {wb} | {kt} | {kb} |", r.name, fmt_size(r.wasm_bytes));
        }
    }
    if !o.interpreter_only {
        print_startup(&startup, o.startup_samples);
    }
    if o.interpreter && o.wasmi {
        let vs: Vec<&VsWasmi> =
            interp_startup.iter().chain(rows.iter().map(|r| &r.vs_wasmi)).collect();
        print_vs_wasmi(&tools, &vs, o.samples, o.startup_samples);
    }
    if !errors.0.is_empty() {
        println!("\nerrors:");
        for (i, e) in errors.0.iter().enumerate() {
            let first = e.lines().next().unwrap_or("");
            let more = e.lines().skip(1).take(6).collect::<Vec<_>>().join("\n      ");
            println!("[{}] {first}{}{more}", i + 1, if more.is_empty() { "" } else { "\n      " });
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
