//! # kiln-fuzz
//!
//! Kiln's fuzz targets, as a plain binary on stable Rust driven by seeds:
//!
//! ```text
//! kiln-fuzz TARGET [--seed N] [--iters N | --minutes N] [--in-process]
//! ```
//!
//! Every case is a pure function of its seed: `--seed N --iters 1 --in-process` replays
//! case `N`. Cases run in child processes (see [`driver`]) so a crash or hang is reported
//! with its seed. A failing case is shrunk (wasm-shrink, for module inputs) and saved under
//! `fuzz/regressions/` (or `$KILN_FUZZ_OUT`) as `TARGET-SEED.{wasm,kiln,o}` plus a `.txt`
//! saying what failed and how to replay it. The run ends with
//! `TARGET: N executions, N findings`; the exit status is 1 when there were findings.
//!
//! Targets ([`targets`]):
//! - `differential`: wasm-smith modules with exactly Kiln's features, run on Kiln's
//!   interpreter, compiled in process, compiled to an artifact and reloaded, and on
//!   wasmtime; results, traps and exported state compared ([`compare`]).
//! - `validate`: generated, wasm-mutate'd and byte-mutated modules: Kiln accepts exactly
//!   what wasmparser accepts with Kiln's features, rejects the rest with a typed error.
//! - `artifact`: artifacts (blob and object, x86_64 and aarch64) mutated at random: a
//!   typed error or the same behaviour; the bytes no check covers are listed in
//!   [`targets::artifact`].
//! - `wasi`: random WASI call sequences over a sandboxed tree: no panic, nothing outside
//!   the mount read or changed.
//! - `api`: random sequences of embedding-API calls across runtimes: no panic, no crash.
//!
//! `kiln-fuzz load [--threads N] [--minutes M]` is the limits-under-load test ([`load`]):
//! threads with runtimes of their own reach every limit in a loop; RSS must stay flat.

pub mod compare;
pub mod driver;
pub mod engines;
pub mod exec;
pub mod finding;
pub mod load;
pub mod mutate;
pub mod poison;
pub mod rng;
pub mod smith;
pub mod stats;
pub mod targets;
pub mod typed_refs;

use clap::Parser;

#[global_allocator]
static ALLOC: poison::PoisonOnFree = poison::PoisonOnFree;
use std::time::{Duration, Instant};

/// Command line.
#[derive(Parser, Debug)]
#[command(name = "kiln-fuzz", about = "Kiln's fuzz targets, driven by seeds")]
struct Args {
    /// The target: differential, validate, artifact, wasi or api (or `print FILE`, or `load`).
    target: String,
    /// The first seed; case `i` of the run uses seed `seed + i`.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How many cases to run (default: unlimited with --minutes, else 100).
    #[arg(long)]
    iters: Option<u64>,
    /// Run for this many minutes.
    #[arg(long)]
    minutes: Option<f64>,
    /// Run for this many seconds (as --minutes).
    #[arg(long, hide = true)]
    seconds: Option<f64>,
    /// Run the cases in this process (no crash isolation): for replaying one seed.
    #[arg(long)]
    in_process: bool,
    /// Internal: this process is a child of the supervisor.
    #[arg(long, hide = true)]
    child: bool,
    /// Replay the case of --seed on this module (`.wasm` or `.wat`) instead of generating
    /// one (targets with inputs: differential, validate).
    #[arg(long)]
    input: Option<String>,
    /// For `load`: how many threads (default: the number of CPUs).
    #[arg(long)]
    threads: Option<usize>,
    /// For `print`: the module file to print as text.
    file: Option<String>,
}

fn main() {
    let args = Args::parse();
    if args.target == "print" {
        // `kiln-fuzz print FILE.wasm`: the module as text, for reading a saved finding.
        let path = args.file.as_deref().unwrap_or_default();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match wasmprinter::print_bytes(&bytes) {
            Ok(t) => println!("{t}"),
            Err(e) => eprintln!("{path}: {e}"),
        }
        return;
    }
    if args.target == "load" {
        // `kiln-fuzz load`: limits under load, not a seeded fuzz target (see [`load`]).
        let threads = args.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        });
        let secs = args.seconds.or(args.minutes.map(|m| m * 60.0));
        let deadline = secs.map(|s| Instant::now() + Duration::from_secs_f64(s.max(0.0)));
        let iters = args.iters.unwrap_or(if deadline.is_some() { u64::MAX } else { 1000 });
        std::process::exit(load::run(threads.max(1), args.seed, iters, deadline));
    }
    let Some(target) = targets::TARGETS.iter().find(|t| t.name == args.target) else {
        let names: Vec<&str> = targets::TARGETS.iter().map(|t| t.name).collect();
        eprintln!("unknown target {:?}; targets: {}", args.target, names.join(", "));
        std::process::exit(2);
    };
    if let Some(path) = &args.input {
        // Replays the case of --seed on a saved (or hand-reduced, `.wat`) input.
        let Some(replay) = target.replay else {
            eprintln!("{} cannot replay an input file", target.name);
            std::process::exit(2);
        };
        let bytes = wat::parse_file(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match replay(&bytes, args.seed) {
            Ok(()) => println!("{}: {path} passes", target.name),
            Err(m) => {
                println!("{}: {path} fails: {m}", target.name);
                std::process::exit(1);
            }
        }
        return;
    }
    let secs = args.seconds.or(args.minutes.map(|m| m * 60.0));
    let deadline = secs.map(|s| Instant::now() + Duration::from_secs_f64(s.max(0.0)));
    let iters = args.iters.unwrap_or(if deadline.is_some() { u64::MAX } else { 100 });
    let (_, findings) = if args.child || args.in_process {
        driver::install_panic_hook();
        driver::run_here(target, args.seed, iters, deadline, args.child)
    } else {
        driver::supervise(target, args.seed, iters, deadline)
    };
    // A child reports its findings on stdout; its exit status says only whether it ran to
    // the end (anything else is a crash the supervisor reports).
    std::process::exit(if findings > 0 && !args.child { 1 } else { 0 });
}
