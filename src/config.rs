//! Runtime and module configuration, after wazero's `RuntimeConfig` and `ModuleConfig`.

use crate::wasi::FSConfig;
use crate::wasi::clock::{SleepSource, TimeSource};
use crate::wasi::options::WasiOptions;
use crate::wasi::random::RandSource;
use kiln_runtime_support::CoreFeatures;
use std::io::{Read, Write};

/// Which engine runs modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Engine {
    /// The compiler when it is built in and supports the host, else the interpreter; also
    /// the interpreter for a module the compiler refuses as unsupported (one that uses SIMD,
    /// until the compiler lowers it).
    #[default]
    Auto,
    /// Ahead-of-time compiled native code (Cranelift). Compiling fails with
    /// [`crate::Error::EngineUnavailable`] when the compiler is not available.
    Compiler,
    /// The bundled interpreter: runs any module at once, on any host.
    Interpreter,
}

/// How a [`crate::Runtime`] compiles and runs modules. Built with `with_*` methods:
///
/// ```
/// let config = kiln::RuntimeConfig::interpreter().with_memory_limit_pages(256);
/// let runtime = kiln::Runtime::with_config(config);
/// # drop(runtime);
/// ```
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    pub(crate) engine: Engine,
    pub(crate) features: CoreFeatures,
    pub(crate) memory_limit_pages: u32,
    pub(crate) memory_capacity_from_max: bool,
    pub(crate) custom_sections: bool,
    pub(crate) max_call_depth: usize,
    pub(crate) interpreter_stack_slots: usize,
    pub(crate) interruption: bool,
    pub(crate) cache: Option<crate::CompilationCache>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            engine: Engine::Auto,
            features: CoreFeatures::V2,
            memory_limit_pages: 65536,
            memory_capacity_from_max: false,
            custom_sections: false,
            max_call_depth: 50_000,
            interpreter_stack_slots: 1 << 20,
            interruption: false,
            cache: None,
        }
    }
}

impl RuntimeConfig {
    /// The default configuration: [`Engine::Auto`], Core 2.0 features, 65536-page (4 GiB)
    /// memory limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// The default configuration on the interpreter.
    pub fn interpreter() -> Self {
        Self::default().with_engine(Engine::Interpreter)
    }

    /// The default configuration on the compiler.
    pub fn compiler() -> Self {
        Self::default().with_engine(Engine::Compiler)
    }

    /// Selects the engine.
    pub fn with_engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// The engine selected.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Selects the core features modules may use (like wazero's `WithCoreFeatures`);
    /// default [`CoreFeatures::V2`].
    pub fn with_core_features(mut self, features: CoreFeatures) -> Self {
        self.features = features;
        self
    }

    /// The most pages of 64 KiB any memory may have (default and cap: 65536, 4 GiB). A
    /// module whose memory minimum is larger fails to instantiate; `memory.grow` beyond it
    /// returns -1.
    pub fn with_memory_limit_pages(mut self, pages: u32) -> Self {
        self.memory_limit_pages = pages.min(65536);
        self
    }

    /// Reserve each memory's maximum (or the limit) up front, so growth never moves it
    /// (wazero's `WithMemoryCapacityFromMax`). Default off.
    pub fn with_memory_capacity_from_max(mut self, on: bool) -> Self {
        self.memory_capacity_from_max = on;
        self
    }

    /// Keep custom sections in compiled modules ([`crate::CompiledModule::custom_sections`]).
    /// Default off (the `name` section is always read).
    pub fn with_custom_sections(mut self, on: bool) -> Self {
        self.custom_sections = on;
        self
    }

    /// The most nested wasm calls on the interpreter before a `call stack exhausted` trap
    /// (default 50,000). Compiled code is bounded by the native stack of the calling thread
    /// instead (it traps `call stack exhausted` before the stack overflows), not by this count.
    pub fn with_max_call_depth(mut self, depth: usize) -> Self {
        self.max_call_depth = depth.max(1);
        self
    }

    /// Compile interruption checks into every function entry and loop header, on both
    /// engines (wasmtime's epoch interruption; wazero's `WithCloseOnContextDone`), so that
    /// [`crate::InterruptHandle::interrupt`] stops running wasm with a trap whose code is
    /// [`crate::TrapCode::Interrupted`] (message `interrupted`). Default off: code then carries
    /// no check at all; on, a check costs one load and compare per loop iteration.
    pub fn with_interruption(mut self, on: bool) -> Self {
        self.interruption = on;
        self
    }

    /// Whether interruption checks are compiled in ([`RuntimeConfig::with_interruption`]).
    pub fn interruption(&self) -> bool {
        self.interruption
    }

    /// Caches natively compiled modules (wazero's `WithCompilationCache`): with a cache,
    /// [`crate::Runtime::compile`] on the compiler engine returns the module compiled
    /// before for the same binary and settings, from memory or from the cache's directory,
    /// and stores what it compiles. Modules run on the interpreter are not cached.
    pub fn with_compilation_cache(mut self, cache: crate::CompilationCache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// The compilation cache, if one is configured.
    pub fn compilation_cache(&self) -> Option<&crate::CompilationCache> {
        self.cache.as_ref()
    }

    /// Size of the interpreter's value stack in 8-byte slots (default 1 Mi slots, 8 MiB);
    /// exceeding it traps with `call stack exhausted`.
    pub fn with_interpreter_stack_slots(mut self, slots: usize) -> Self {
        self.interpreter_stack_slots = slots.max(1024);
        self
    }
}

/// Per-instantiation settings, after wazero's `ModuleConfig`: the instance's name, the
/// start functions to run, and what a WASI guest sees (args, environment, stdio, mounted
/// directories, clocks, randomness, preopened sockets). A WASI guest is sandboxed by
/// default: no filesystem, stdio discarded, fake deterministic clocks, a deterministic
/// random source, until each is granted here (see [`crate::wasi`]).
pub struct ModuleConfig {
    pub(crate) name: Option<String>,
    pub(crate) start_functions: Vec<String>,
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) stdin: Option<Box<dyn Read>>,
    pub(crate) stdout: Option<Box<dyn Write>>,
    pub(crate) stderr: Option<Box<dyn Write>>,
    pub(crate) wasi: WasiOptions,
}

impl Default for ModuleConfig {
    fn default() -> Self {
        Self {
            name: None,
            start_functions: vec!["_start".to_string()],
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            wasi: WasiOptions::default(),
        }
    }
}

impl std::fmt::Debug for ModuleConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleConfig")
            .field("name", &self.name)
            .field("start_functions", &self.start_functions)
            .field("args", &self.args)
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

impl ModuleConfig {
    /// Defaults: the name from the module's name section, start function `_start`, no
    /// args, no environment, stdio discarded.
    pub fn new() -> Self {
        Self::default()
    }

    /// The name the instance is registered under, so later modules can import from it.
    /// An empty name instantiates anonymously (not importable).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Exported functions called, in order, after instantiation, when exported (default
    /// `["_start"]`; empty to call none).
    pub fn with_start_functions<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.start_functions = names.into_iter().map(Into::into).collect();
        self
    }

    /// Command-line arguments a WASI guest sees (`args_get`), program name first.
    pub fn with_args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Adds an environment variable a WASI guest sees (`environ_get`).
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The guest's standard input (default: empty).
    pub fn with_stdin(mut self, r: impl Read + 'static) -> Self {
        self.stdin = Some(Box::new(r));
        self
    }

    /// The guest's standard output (default: discarded).
    pub fn with_stdout(mut self, w: impl Write + 'static) -> Self {
        self.stdout = Some(Box::new(w));
        self
    }

    /// The guest's standard error (default: discarded).
    pub fn with_stderr(mut self, w: impl Write + 'static) -> Self {
        self.stderr = Some(Box::new(w));
        self
    }

    /// The directories the guest may access (default: none). See [`FSConfig`].
    pub fn with_fs_config(mut self, fs: FSConfig) -> Self {
        self.wasi.fs = fs;
        self
    }

    /// The guest's `clock_time_get(realtime)` reads the host's wall clock (wazero's
    /// `WithSysWalltime`). Default: a fake clock starting at 2022-01-01T00:00:00Z that
    /// advances 1 ms per read.
    pub fn with_sys_walltime(mut self) -> Self {
        self.wasi.walltime = TimeSource::System;
        self
    }

    /// The guest's wall clock is `clock`, returning ns since the Unix epoch, with
    /// `resolution` in ns (wazero's `WithWalltime`).
    pub fn with_walltime(mut self, clock: impl FnMut() -> u64 + 'static, resolution: u64) -> Self {
        self.wasi.walltime = TimeSource::Custom(Box::new(clock), resolution.max(1));
        self
    }

    /// The guest's monotonic clock (and the CPU-time clocks) read the host's (wazero's
    /// `WithSysNanotime`). Default: a fake clock starting at 0 that advances 1 ms per read.
    pub fn with_sys_nanotime(mut self) -> Self {
        self.wasi.nanotime = TimeSource::System;
        self
    }

    /// The guest's monotonic clock is `clock`, returning ns, with `resolution` in ns
    /// (wazero's `WithNanotime`).
    pub fn with_nanotime(mut self, clock: impl FnMut() -> u64 + 'static, resolution: u64) -> Self {
        self.wasi.nanotime = TimeSource::Custom(Box::new(clock), resolution.max(1));
        self
    }

    /// `poll_oneoff` clock subscriptions really sleep (wazero's `WithSysNanosleep`).
    /// Default: they return at once, advancing the fake clocks by the time asked for.
    pub fn with_sys_nanosleep(mut self) -> Self {
        self.wasi.sleep = SleepSource::System;
        self
    }

    /// `poll_oneoff` clock subscriptions call `sleep(ns)` (wazero's `WithNanosleep`).
    pub fn with_nanosleep(mut self, sleep: impl FnMut(u64) + 'static) -> Self {
        self.wasi.sleep = SleepSource::Custom(Box::new(sleep));
        self
    }

    /// `random_get` reads from `source` (wazero's `WithRandSource`); a source that ends
    /// before filling a request makes `random_get` return `EIO`. Default: a fixed
    /// deterministic sequence.
    pub fn with_rand_source(mut self, source: impl Read + 'static) -> Self {
        self.wasi.rand = RandSource::Custom(Box::new(source));
        self
    }

    /// `random_get` reads the host's cryptographically secure source (`getrandom(2)`).
    pub fn with_sys_rand(mut self) -> Self {
        self.wasi.rand = RandSource::System;
        self
    }

    /// Hands the guest a listening TCP socket as a preopened file descriptor (numbered
    /// after stdio and the mounted directories, in the order added), usable with
    /// `sock_accept`. Like wasmtime's `--tcplisten`.
    pub fn with_tcp_listener(mut self, listener: std::net::TcpListener) -> Self {
        self.wasi.listeners.push(listener);
        self
    }

    /// The configured name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
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
