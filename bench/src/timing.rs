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

/// How long a workload is called untimed before its samples are taken. On the VMs here a
/// core that was idle runs slower for a few hundred milliseconds: samples taken at once
/// after compiling read up to 1.9x the steady time (the utf8 SIMD kernel compiled by Kiln:
/// 12-16 ms a call averaged over its first 40 calls, 11.8 ms after them).
pub const WARM_UP: Duration = Duration::from_millis(300);

/// Calls the workload untimed for at least [`WARM_UP`] (at least once); its checksum.
fn warm_up(runner: &mut dyn Runner, w: &Workload) -> Result<i32, String> {
    let started = Instant::now();
    let result = runner.call(w.arg)?;
    while started.elapsed() < WARM_UP {
        check(w, runner.call(w.arg)?, result)?;
    }
    Ok(result)
}

fn check(w: &Workload, r: i32, result: i32) -> Result<(), String> {
    if r == result { Ok(()) } else { Err(format!("{}: returned {r} after {result}", w.name)) }
}

/// One timed sample: `w.iters` calls, the time per call.
fn sample(runner: &mut dyn Runner, w: &Workload, result: i32) -> Result<Duration, String> {
    let start = Instant::now();
    for _ in 0..w.iters {
        let r = std::hint::black_box(runner.call(std::hint::black_box(w.arg))?);
        check(w, r, result)?;
    }
    Ok(start.elapsed() / w.iters.max(1))
}

fn summary(mut per_call: Vec<Duration>, result: i32) -> Timing {
    per_call.sort();
    Timing {
        median: per_call[per_call.len() / 2],
        min: per_call[0],
        max: per_call[per_call.len() - 1],
        result,
    }
}

/// Warms the workload up ([`WARM_UP`]), then takes `samples` timed samples of `w.iters`
/// calls each.
///
/// # Errors
/// When a call fails, or returns different checksums on different calls.
pub fn time(runner: &mut dyn Runner, w: &Workload, samples: usize) -> Result<Timing, String> {
    let result = warm_up(runner, w)?;
    let per_call =
        (0..samples.max(1)).map(|_| sample(runner, w, result)).collect::<Result<_, _>>()?;
    Ok(summary(per_call, result))
}

/// [`time`] for several engines side by side: each is warmed up, then the samples are taken
/// in rounds, one per engine in turn, so that a slow spell of the machine (seconds long on
/// these VMs, up to 1.4x) falls on every engine alike instead of on whichever engine's
/// samples it met.
///
/// # Errors
/// As [`time`]; the engine's index names it.
pub fn time_interleaved(
    runners: &mut [&mut dyn Runner],
    w: &Workload,
    samples: usize,
) -> Result<Vec<Timing>, (usize, String)> {
    time_interleaved_with(runners, w, samples, &mut || Ok(()))
}

/// [`time_interleaved`], calling `each_round` at the end of every round: where an engine
/// that does not run in this process takes its sample of the round.
///
/// # Errors
/// As [`time_interleaved`]; an error of `each_round` has the index `runners.len()`.
pub fn time_interleaved_with(
    runners: &mut [&mut dyn Runner],
    w: &Workload,
    samples: usize,
    each_round: &mut dyn FnMut() -> Result<(), String>,
) -> Result<Vec<Timing>, (usize, String)> {
    let mut results = Vec::with_capacity(runners.len());
    for (i, r) in runners.iter_mut().enumerate() {
        results.push(warm_up(*r, w).map_err(|e| (i, e))?);
    }
    let mut per_call = vec![Vec::with_capacity(samples.max(1)); runners.len()];
    for _ in 0..samples.max(1) {
        for (i, r) in runners.iter_mut().enumerate() {
            per_call[i].push(sample(*r, w, results[i]).map_err(|e| (i, e))?);
        }
        each_round().map_err(|e| (runners.len(), e))?;
    }
    Ok(per_call.into_iter().zip(results).map(|(p, r)| summary(p, r)).collect())
}

/// The timing of several samples taken apart (each a [`Timing`] of one sample): their
/// median, fastest and slowest.
///
/// # Errors
/// When there are none, or their checksums differ.
pub fn combine(samples: &[Timing]) -> Result<Timing, String> {
    let first = samples.first().ok_or("no samples")?;
    if let Some(t) = samples.iter().find(|t| t.result != first.result) {
        return Err(format!("returned {} in one sample and {} in another", t.result, first.result));
    }
    Ok(summary(samples.iter().map(|t| t.median).collect(), first.result))
}
