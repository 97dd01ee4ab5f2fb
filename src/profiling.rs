//! Profiler support: naming compiled wasm functions for Linux `perf`.
//!
//! [`ProfilingStrategy::PerfMap`] writes the perf map, `/tmp/perf-<pid>.map`
//! ([`perf_map_path`]): one line per compiled function (`wasm[<module>]::<function>`) for
//! code compiled in process and for artifacts alike, so `perf record` then `perf report`
//! show wasm function names instead of bare addresses. The map belongs to the process:
//! once turned on, code that any runtime loads afterwards is recorded. The interpreter's
//! functions have no native code of their own (perf shows the interpreter's handlers).

/// Which profiler to tell about compiled code ([`crate::RuntimeConfig::with_profiling`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProfilingStrategy {
    /// No profiler support (the default).
    #[default]
    None,
    /// The perf map (`/tmp/perf-<pid>.map`), read by `perf report`.
    PerfMap,
}

/// Turns `strategy` on for the rest of the process ([`ProfilingStrategy::None`] does
/// nothing; nothing turns a strategy off).
///
/// # Errors
/// The I/O error when the perf map cannot be created or opened for appending.
pub fn enable(strategy: ProfilingStrategy) -> std::io::Result<()> {
    match strategy {
        ProfilingStrategy::None => Ok(()),
        ProfilingStrategy::PerfMap => kiln_runtime_support::vm::perf_map::enable(),
    }
}

/// The perf map's path for this process, `/tmp/perf-<pid>.map`.
pub fn perf_map_path() -> std::path::PathBuf {
    kiln_runtime_support::vm::perf_map::path()
}
