//! WASI preview1 for Kiln: the host functions of `wasi_snapshot_preview1` (and of its
//! predecessor `wasi_unstable`), as wasmtime-wasi, wasmi_wasi and wazero's
//! `imports/wasi_snapshot_preview1` provide them. The `kiln` facade re-exports this crate
//! as `kiln::wasi`, registers the functions as host modules (`kiln::wasi::instantiate`)
//! and builds each instance's state from its `ModuleConfig`.
//!
//! Each function is declared once (in `functions.rs`): name, typed arguments, body.
//! The import tables ([`PREVIEW1`], [`preview0`]) and the list of names ([`FUNCTIONS`])
//! are derived from those declarations; argument conversion lives in one place. A call
//! acts on the WASI state of the instance that made it ([`WasiCtx`], kept in the
//! instance's host-data slot as a [`WasiState`]) and on that instance's memory 0. The same
//! host functions serve both engines.
//!
//! # Where this crate sits
//! `kiln-wasi` depends on `kiln-runtime-support` only, never on the facade: the facade
//! depends on it and re-exports it, as DESIGN.md's dependency direction has it (the
//! compiler, the loader and WASI below the facade). That is possible because the WASI
//! functions use the engine-level host-function interface, which runtime-support already
//! holds and both engines call: each [`HostFunc`] is an array-call body over
//! `CallerCtx` and `ValRaw` slots. The facade turns the tables into host modules
//! (`kiln::wasi::instantiate`) and, when it instantiates a module, builds its [`WasiCtx`]
//! from the `ModuleConfig` (which holds a [`WasiConfig`]) and puts it in the instance's
//! host-data slot (`kiln_runtime_support::instance::HostData`, which the facade's `Caller`
//! exposes as `Caller::data`), where the functions find it through their caller. The
//! other direction (`kiln-wasi` on top of `kiln`, using `Caller` and `HostModuleBuilder`)
//! would have left `ModuleConfig`'s WASI settings and `kiln::wasi` without a home in the
//! facade, or needed the host-function API split out of the facade into a crate of its
//! own; runtime-support already is that crate.
//!
//! # Sandbox
//! Nothing is granted by default ([`WasiConfig`]): no filesystem, stdin empty, stdout and
//! stderr discarded, fake deterministic clocks, a deterministic random source, no sockets.
//!
//! # Errno choices
//! Each call gives the errno, output and file-system effect wasmtime gives (checked
//! call by call by a differential suite against the wasmtime CLI), except for the
//! deliberate differences in the table below. Where preview1 leaves the answer to the
//! host, each function's module documents it (`fd`, `path`, `poll`, `sock`, `proc`). In
//! short: a pointer outside memory is `EFAULT` (checked before anything changes where the
//! function can); a path leaving its mount is `EPERM`; changing a read-only mount is
//! `EROFS`; writing to a descriptor not open for writing is `EBADF`; `proc_raise` is
//! `ENOTSUP`. Rights are reported (by kind and access mode), never enforced.
//!
#![doc = include_str!("differences.md")]
#![warn(missing_docs)]

mod abi;
mod args;
mod clock;
mod config;
mod ctx;
mod errno;
mod fd;
mod filestat;
mod fs_config;
mod fs_table;
mod functions;
mod guest_memory;
mod host_func;
mod logging;
mod path;
mod poll;
mod preview0;
mod proc;
mod random;
mod sock;
mod stdio;

pub use clock::{FAKE_EPOCH_NANOS, FAKE_RESOLUTION_NANOS, FAKE_TICK_NANOS};
pub use config::WasiConfig;
pub use ctx::{SetupError, WasiCtx, WasiState};
pub use errno::Errno;
pub use fs_config::FSConfig;
pub use functions::{FUNCTIONS, PREVIEW1};
pub use host_func::HostFunc;
pub use logging::{HostLogging, LogScope};
pub use preview0::{PREVIEW0_MODULE_NAME, preview0};

/// The import module name of preview1: `wasi_snapshot_preview1`.
pub const MODULE_NAME: &str = "wasi_snapshot_preview1";
