//! Runs one workload once on one engine, for counting the instructions of the run alone
//! with callgrind: `once <kiln|wasmtime> <workload filter> [arg]`, under
//!
//! ```text
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='once::measured_call' \
//!     target/release/once kiln sieve
//! ```
//!
//! Compilation and instantiation happen before [`measured_call`], so only the call is
//! counted. The workload runs at full scale unless `arg` is given.

use kiln_bench::{Runner, Scale, WasmtimeRunner, workloads};
use std::process::ExitCode;

/// The one call whose instructions are counted.
#[inline(never)]
fn measured_call(runner: &mut dyn Runner, arg: i32) -> Result<i32, String> {
    runner.call(std::hint::black_box(arg))
}

fn run(engine: &str, filter: &str, arg: Option<i32>) -> Result<i32, String> {
    let w = workloads(Scale::Full)?
        .into_iter()
        .find(|w| w.name.contains(filter))
        .ok_or_else(|| format!("no workload matches `{filter}`"))?;
    let mut runner: Box<dyn Runner> = match engine {
        "kiln" => Box::new(kiln_bench::KilnRunner::with_config(&w, kiln::RuntimeConfig::compiler())?),
        "wasmtime" => Box::new(WasmtimeRunner::new(&wasmtime::Engine::default(), &w)?),
        other => return Err(format!("unknown engine `{other}` (kiln or wasmtime)")),
    };
    measured_call(runner.as_mut(), arg.unwrap_or(w.arg))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = match args.get(2).map(|a| a.parse::<i32>()) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            eprintln!("error: bad arg: {e}");
            return ExitCode::from(2);
        }
    };
    let (Some(engine), Some(filter)) = (args.first(), args.get(1)) else {
        eprintln!("usage: once <kiln|wasmtime> <workload filter> [arg]");
        return ExitCode::from(2);
    };
    match run(engine, filter, arg) {
        Ok(r) => {
            println!("{r}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
