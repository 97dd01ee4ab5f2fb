//! The engines the differential target runs a module on: Kiln's interpreter, Kiln's
//! compiler in process, Kiln's compiler through an artifact, and wasmtime as the reference.
//! Both sides share the same limits so that a limit is hit at the same place, or the case
//! ends uncompared ([`crate::exec::Outcome::Exhausted`]).

pub mod kiln;
pub mod wasmtime;
pub mod watchdog;

/// The most pages any memory may have (Kiln's `with_memory_limit_pages`, wasmtime's
/// `StoreLimits::memory_size`): 16 MiB, so `memory.grow` fails at the same size on both.
pub const MEMORY_LIMIT_PAGES: u64 = 256;

/// The most elements a table may have: Kiln's fixed limit
/// (`kiln_runtime_support::vm::table::TABLE_ELEMENT_LIMIT`), mirrored in wasmtime's limits.
pub const TABLE_ELEMENT_LIMIT: usize = 10_000_000;

/// The wall-clock budget of one call on a Kiln engine when the module is not known to
/// terminate (interruption checks compiled in); wasmtime gets [`FUEL_PER_CALL`] instead.
pub const CALL_BUDGET: std::time::Duration = std::time::Duration::from_millis(1500);

/// wasmtime's fuel per call (about one unit per instruction) when the module is not known
/// to terminate.
pub const FUEL_PER_CALL: u64 = 20_000_000;
