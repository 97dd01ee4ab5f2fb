//! Profiler and debugger support: naming compiled wasm functions for Linux `perf`, and
//! registering compiled code with `gdb`/`lldb`.
//!
//! - [`ProfilingStrategy::PerfMap`] writes the perf map, `/tmp/perf-<pid>.map`
//!   ([`perf_map_path`]): one line per compiled function (`wasm[<module>]::<function>`), so
//!   `perf record` then `perf report` show wasm function names instead of bare addresses.
//! - [`ProfilingStrategy::JitDump`] writes perf's jitdump, `/tmp/jit-<pid>.dump`
//!   ([`jitdump_path`]): each compiled function's name, address, machine code and source
//!   lines. `perf record -k mono`, then `perf inject --jit`, then `perf report` name the
//!   functions, and `perf annotate` disassembles them with their source lines.
//! - Debug info ([`crate::RuntimeConfig::with_debug_info`]) registers an in-memory symbol
//!   file per module through GDB's JIT interface (function symbols and DWARF with the
//!   module's source lines at the code's real addresses).
//!
//! All three cover code compiled in process and artifacts alike, and belong to the process:
//! once turned on, code that any runtime loads afterwards is recorded. The interpreter's
//! functions have no native code of their own (profilers show the interpreter's handlers).

use kiln_runtime_support::vm::{gdb_jit, jitdump, perf_map};

/// Which profiler to tell about compiled code ([`crate::RuntimeConfig::with_profiling`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProfilingStrategy {
    /// No profiler support (the default).
    #[default]
    None,
    /// The perf map (`/tmp/perf-<pid>.map`), read by `perf report`.
    PerfMap,
    /// perf's jitdump (`/tmp/jit-<pid>.dump`), read by `perf inject --jit`.
    JitDump,
}

/// Turns `strategy` on for the rest of the process ([`ProfilingStrategy::None`] does
/// nothing; nothing turns a strategy off).
///
/// # Errors
/// The I/O error when the perf map or the jitdump cannot be created, written or (the
/// jitdump) mapped.
pub fn enable(strategy: ProfilingStrategy) -> std::io::Result<()> {
    match strategy {
        ProfilingStrategy::None => Ok(()),
        ProfilingStrategy::PerfMap => perf_map::enable(),
        ProfilingStrategy::JitDump => jitdump::enable(),
    }
}

/// Turns debugger registration (GDB's JIT interface) on for the rest of the process
/// ([`crate::RuntimeConfig::with_debug_info`] calls it).
pub fn enable_debugger_registration() {
    gdb_jit::enable();
}

/// The perf map's path for this process, `/tmp/perf-<pid>.map`.
pub fn perf_map_path() -> std::path::PathBuf {
    perf_map::path()
}

/// The jitdump's path for this process, `/tmp/jit-<pid>.dump`.
pub fn jitdump_path() -> std::path::PathBuf {
    jitdump::path()
}
