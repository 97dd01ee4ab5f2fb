//! `WasiConfig`: everything a WASI guest is granted, set through the facade's
//! `ModuleConfig::with_*` methods. Everything defaults to the sandbox.

use super::clock::{SleepSource, TimeSource};
use super::fs_config::FSConfig;
use super::random::RandSource;
use super::stdio::StdioSource;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::fd::OwnedFd;

/// What one instance's WASI guest sees: args, environment, stdio, mounted directories,
/// clocks, random source and preopened TCP listeners. The default is the sandbox: no args,
/// no environment, stdin empty, stdout and stderr discarded, no filesystem, fake
/// deterministic clocks, a deterministic random source, no sockets.
#[derive(Default)]
pub struct WasiConfig {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) stdin: Option<StdioSource>,
    pub(crate) stdout: Option<StdioSource>,
    pub(crate) stderr: Option<StdioSource>,
    pub(crate) fs: FSConfig,
    pub(crate) walltime: TimeSource,
    pub(crate) nanotime: TimeSource,
    pub(crate) sleep: SleepSource,
    pub(crate) rand: RandSource,
    pub(crate) listeners: Vec<TcpListener>,
    pub(crate) logging: super::logging::HostLogging,
}

impl WasiConfig {
    /// The sandbox (see [`WasiConfig`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs this instance's WASI calls of the scopes in `logging`, with their arguments
    /// and results, to the host process's standard error (see [`crate::HostLogging`]).
    pub fn with_host_logging(mut self, logging: super::logging::HostLogging) -> Self {
        self.logging = logging;
        self
    }

    /// Command-line arguments (`args_get`), program name first.
    pub fn with_args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Adds an environment variable (`environ_get`).
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Standard input from a reader, seen as a stream of unknown type (not a terminal).
    pub fn with_stdin(mut self, r: impl Read + Send + 'static) -> Self {
        self.stdin = Some(StdioSource::Reader(Box::new(r)));
        self
    }

    /// Standard output to a writer, seen as a stream of unknown type (not a terminal).
    pub fn with_stdout(mut self, w: impl Write + Send + 'static) -> Self {
        self.stdout = Some(StdioSource::Writer(Box::new(w)));
        self
    }

    /// Standard error to a writer, seen as a stream of unknown type (not a terminal).
    pub fn with_stderr(mut self, w: impl Write + Send + 'static) -> Self {
        self.stderr = Some(StdioSource::Writer(Box::new(w)));
        self
    }

    /// Standard input read directly from host descriptor `fd`, of its real kind: a
    /// terminal is a character device (`isatty(0)` is true), a regular file a regular
    /// file, anything else (a pipe) of unknown type; `poll_oneoff` waits until it is
    /// readable.
    pub fn with_stdin_fd(mut self, fd: impl Into<OwnedFd>) -> Self {
        self.stdin = Some(StdioSource::Host(fd.into()));
        self
    }

    /// Standard output written directly to host descriptor `fd`, of its real kind.
    pub fn with_stdout_fd(mut self, fd: impl Into<OwnedFd>) -> Self {
        self.stdout = Some(StdioSource::Host(fd.into()));
        self
    }

    /// Standard error written directly to host descriptor `fd`, of its real kind.
    pub fn with_stderr_fd(mut self, fd: impl Into<OwnedFd>) -> Self {
        self.stderr = Some(StdioSource::Host(fd.into()));
        self
    }

    /// The directories the guest may access (default: none).
    pub fn with_fs_config(mut self, fs: FSConfig) -> Self {
        self.fs = fs;
        self
    }

    /// The host's wall clock for `clock_time_get(realtime)` (default: a fake clock starting
    /// at 2022-01-01 that advances 1 ms per read).
    pub fn with_sys_walltime(mut self) -> Self {
        self.walltime = TimeSource::System;
        self
    }

    /// A custom wall clock: `clock` returns ns since the Unix epoch; `resolution` in ns.
    pub fn with_walltime(
        mut self,
        clock: impl FnMut() -> u64 + Send + 'static,
        resolution: u64,
    ) -> Self {
        self.walltime = TimeSource::Custom(Box::new(clock), resolution.max(1));
        self
    }

    /// The host's monotonic clock (default: a fake clock starting at 0, advancing 1 ms per
    /// read).
    pub fn with_sys_nanotime(mut self) -> Self {
        self.nanotime = TimeSource::System;
        self
    }

    /// A custom monotonic clock in ns, with its resolution in ns.
    pub fn with_nanotime(
        mut self,
        clock: impl FnMut() -> u64 + Send + 'static,
        resolution: u64,
    ) -> Self {
        self.nanotime = TimeSource::Custom(Box::new(clock), resolution.max(1));
        self
    }

    /// Really sleep in `poll_oneoff` (default: advance the fake clocks and return at once).
    pub fn with_sys_nanosleep(mut self) -> Self {
        self.sleep = SleepSource::System;
        self
    }

    /// A custom sleeper, called with the ns to sleep.
    pub fn with_nanosleep(mut self, sleep: impl FnMut(u64) + Send + 'static) -> Self {
        self.sleep = SleepSource::Custom(Box::new(sleep));
        self
    }

    /// `random_get` reads from `source` (default: a fixed deterministic sequence).
    pub fn with_rand_source(mut self, source: impl Read + Send + 'static) -> Self {
        self.rand = RandSource::Custom(Box::new(source));
        self
    }

    /// `random_get` reads the host's CSPRNG.
    pub fn with_sys_rand(mut self) -> Self {
        self.rand = RandSource::System;
        self
    }

    /// Hands the guest a listening socket as a preopened descriptor (after stdio and the
    /// mounts), for `sock_accept`.
    pub fn with_tcp_listener(mut self, listener: TcpListener) -> Self {
        self.listeners.push(listener);
        self
    }

    /// The configured arguments.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// The configured environment.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }
}
