//! A workload, the engine-neutral way to call it, and how a call is timed. Kept free of any
//! engine so that `wasmi-kernel` (src/bin/wasmi_kernel.rs) can include it without linking
//! Kiln or wasmtime.

use std::time::{Duration, Instant};

/// One benchmark: a module exporting `export: (i32) -> i32`, called with `arg`.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Short name for the table.
    pub name: String,
    /// The module binary.
    pub wasm: Vec<u8>,
    /// The exported function to call.
    pub export: String,
    /// Its argument (the work size).
    pub arg: i32,
    /// Calls per timed sample.
    pub iters: u32,
}

/// A workload loaded into one engine, ready to call.
pub trait Runner {
    /// Calls the workload's function once.
    ///
    /// # Errors
    /// The engine's error, as text.
    fn call(&mut self, arg: i32) -> Result<i32, String>;
}

/// The timing of one workload on one engine.
#[derive(Clone, Debug)]
pub struct Timing {
    /// Median time per call over the samples.
    pub median: Duration,
    /// Fastest sample, per call.
    pub min: Duration,
    /// Slowest sample, per call.
    pub max: Duration,
    /// The checksum returned.
    pub result: i32,
}

/// Calls the workload once untimed (warm-up, result check), then takes `samples` timed
/// samples of `w.iters` calls each.
///
/// # Errors
/// When a call fails, or returns different checksums on different calls.
pub fn time(runner: &mut dyn Runner, w: &Workload, samples: usize) -> Result<Timing, String> {
    let result = runner.call(w.arg)?;
    let mut per_call = Vec::with_capacity(samples);
    for _ in 0..samples.max(1) {
        let start = Instant::now();
        for _ in 0..w.iters {
            let r = std::hint::black_box(runner.call(std::hint::black_box(w.arg))?);
            if r != result {
                return Err(format!("{}: returned {r} after {result}", w.name));
            }
        }
        per_call.push(start.elapsed() / w.iters.max(1));
    }
    per_call.sort();
    Ok(Timing {
        median: per_call[per_call.len() / 2],
        min: per_call[0],
        max: per_call[per_call.len() - 1],
        result,
    })
}
