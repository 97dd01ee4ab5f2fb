//! Runs one benchmark workload on one engine, untimed, for profilers such as callgrind:
//!
//! ```text
//! one <kiln|wasmi> <workload-name filter> [arg] [calls]
//! ```
//!
//! The workload is compiled and instantiated once, then called `calls` times (default its
//! benchmark `iters`) with `arg` (default its benchmark argument); prints the checksum and
//! the fastest and median call times in milliseconds.

use kiln_bench::{KilnRunner, Runner, Scale, WasmiRunner, workloads};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: one <kiln|wasmi> <workload-name filter> [arg] [calls]");
        return ExitCode::from(2);
    }
    let ws = match workloads(Scale::Full) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(w) = ws.iter().find(|w| w.name.contains(args[1].as_str())) else {
        eprintln!("error: no workload matches {:?}", args[1]);
        return ExitCode::FAILURE;
    };
    let arg = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(w.arg);
    let calls = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(w.iters);
    let runner: Result<Box<dyn Runner>, String> = match args[0].as_str() {
        "kiln" => KilnRunner::new(w).map(|r| Box::new(r) as Box<dyn Runner>),
        "wasmi" => WasmiRunner::new(w).map(|r| Box::new(r) as Box<dyn Runner>),
        other => Err(format!("unknown engine {other:?} (kiln or wasmi)")),
    };
    let mut runner = match runner {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut result = 0;
    let mut times = Vec::with_capacity(calls as usize);
    for _ in 0..calls {
        let start = std::time::Instant::now();
        match runner.call(std::hint::black_box(arg)) {
            Ok(r) => result = r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let (min, median) =
        (times.first().copied().unwrap_or(0.0), times.get(times.len() / 2).copied().unwrap_or(0.0));
    println!(
        "{} {}({arg}) x{calls} = {result}  min {min:.3} ms  median {median:.3} ms",
        w.name, w.export
    );
    ExitCode::SUCCESS
}
