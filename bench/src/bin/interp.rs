//! Kiln's interpreter beside wasmi on CPU-bound workloads; wasmi runs in a process of its
//! own, the `wasmi-kernel` binary (see `kiln_bench::time_in_wasmi_process`).
//!
//! ```text
//! cargo build -p kiln-bench --release --bin wasmi-kernel   # once
//! cargo run -p kiln-bench --release --bin interp [-- --samples N] [--filter NAME] [--smoke]
//! ```
//!
//! Each workload is compiled and instantiated once per engine outside the timing, called
//! untimed for `kiln_bench::WARM_UP` with its result checked, then timed over N samples
//! (default 5), taken in rounds with wasmi's (`kiln_bench::time_interleaved_with_wasmi`);
//! the table shows the median per call. The engines must return the same checksum, or the
//! run aborts.

use kiln_bench::{KernelArgs, run_workload, table, workloads};

fn main() {
    let KernelArgs { samples, filter, scale } = KernelArgs::parse("interp");
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a debug build; use `cargo run -p kiln-bench --release --bin interp`"
        );
    }
    let ws = match workloads(scale) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut rows = Vec::new();
    for w in ws.iter().filter(|w| filter.as_deref().is_none_or(|f| w.name.contains(f))) {
        eprintln!("running {} ({}({}), {samples} samples) ...", w.name, w.export, w.arg);
        match run_workload(w, samples) {
            Ok(row) => rows.push(row),
            Err(e) => {
                eprintln!("\nerror: {e}");
                std::process::exit(1);
            }
        }
    }
    println!(
        "Kiln interpreter vs wasmi 2.0 ({} samples, median time per call; {} logical CPUs, {} build)\n",
        samples,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    print!("{}", table(&rows));
}
