//! Times one workload on wasmi, in a process that links nothing of Kiln (see the kiln-bench
//! library's `wasmi_process` module for why and for the protocol):
//!
//! ```text
//! wasmi-kernel FILE EXPORT ARG ITERS SAMPLES
//! ```
//!
//! prints `RESULT MEDIAN_NS MIN_NS MAX_NS`, the times per call.

// Only `time` is used here: the rest of timing.rs times several engines of one benchmark.
#[allow(dead_code)]
#[path = "../timing.rs"]
mod timing;
#[path = "../wasmi_runner.rs"]
mod wasmi_runner;

use std::process::ExitCode;

fn run(args: &[String]) -> Result<String, String> {
    let [file, export, arg, iters, samples] = args else {
        return Err("usage: wasmi-kernel FILE EXPORT ARG ITERS SAMPLES".into());
    };
    let number = |what: &str, s: &str| s.parse::<i64>().map_err(|e| format!("{what} {s:?}: {e}"));
    let w = timing::Workload {
        name: export.clone(),
        wasm: std::fs::read(file).map_err(|e| format!("{file}: {e}"))?,
        export: export.clone(),
        arg: i32::try_from(number("ARG", arg)?).map_err(|e| format!("ARG: {e}"))?,
        iters: u32::try_from(number("ITERS", iters)?).map_err(|e| format!("ITERS: {e}"))?,
    };
    let samples =
        usize::try_from(number("SAMPLES", samples)?).map_err(|e| format!("SAMPLES: {e}"))?;
    let mut runner = wasmi_runner::WasmiRunner::new(&w)?;
    let t = timing::time(&mut runner, &w, samples)?;
    Ok(format!("{} {} {} {}", t.result, t.median.as_nanos(), t.min.as_nanos(), t.max.as_nanos()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasmi-kernel: {e}");
            ExitCode::FAILURE
        }
    }
}
