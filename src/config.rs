//! Runtime and module configuration, after wazero's `RuntimeConfig` and `ModuleConfig`.

use crate::wasi::{FSConfig, WasiConfig};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::artifact::{PublicKey, TrustedKeys};
use std::io::{Read, Write};
use std::sync::Arc;

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
    pub(crate) cpu: CpuTarget,
    pub(crate) features: CoreFeatures,
    pub(crate) memory_limit_pages: u64,
    pub(crate) memory_capacity_from_max: bool,
    pub(crate) custom_sections: bool,
    pub(crate) max_call_depth: usize,
    pub(crate) interpreter_stack_slots: usize,
    pub(crate) interruption: bool,
    pub(crate) fuel: bool,
    pub(crate) eager_translation: bool,
    pub(crate) cache: Option<crate::CompilationCache>,
    pub(crate) trusted_keys: TrustedKeys,
    pub(crate) verify_once: VerifyOnce,
    pub(crate) profiling: crate::profiling::ProfilingStrategy,
    pub(crate) debug_info: bool,
    pub(crate) listener_factory: ListenerFactorySlot,
}

/// The function listener factory of a configuration (`Debug` without showing it).
#[derive(Clone, Default)]
pub(crate) struct ListenerFactorySlot(
    pub(crate) Option<Arc<dyn crate::listener::FunctionListenerFactory>>,
);

impl std::fmt::Debug for ListenerFactorySlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Some(..)" } else { "None" })
    }
}

/// Where the records of artifact files already verified are kept
/// ([`RuntimeConfig::with_verify_once`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VerifyOnce {
    /// In the user's cache directory (`kiln_loader::VerifiedFiles::in_user_cache`).
    UserCache,
    /// In this directory.
    Dir(std::path::PathBuf),
    /// Nowhere: every load hashes the payload.
    Off,
}

/// Which CPU features compiled code may use ([`RuntimeConfig::with_cpu`],
/// [`crate::aot::AotOptions::cpu`], `kiln compile --cpu`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CpuTarget {
    /// A named baseline that runs on every CPU of the architecture: x86-64-v2 or armv8.0-a.
    /// The default of `kiln compile` and [`crate::aot`], whose artifacts are shipped.
    #[default]
    Baseline,
    /// Everything this host's CPU has (only for the host target); an artifact of such code
    /// refuses to load on a CPU that lacks one of them.
    Native,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            engine: Engine::Auto,
            cpu: CpuTarget::Native,
            features: CoreFeatures::V3,
            memory_limit_pages: 65536,
            memory_capacity_from_max: false,
            custom_sections: false,
            max_call_depth: 50_000,
            interpreter_stack_slots: 1 << 20,
            interruption: false,
            fuel: false,
            eager_translation: false,
            cache: None,
            trusted_keys: TrustedKeys::none(),
            verify_once: VerifyOnce::UserCache,
            profiling: crate::profiling::ProfilingStrategy::None,
            debug_info: false,
            listener_factory: ListenerFactorySlot::default(),
        }
    }
}

impl RuntimeConfig {
    /// The default configuration: [`Engine::Auto`], WebAssembly 3.0 without GC, plus
    /// threads ([`CoreFeatures::V3`]), compiled code for this host's CPU
    /// ([`CpuTarget::Native`]), a 65536-page (4 GiB) memory limit.
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

    /// Tells a profiler about compiled code (see [`crate::profiling`]): with
    /// [`ProfilingStrategy::PerfMap`](crate::profiling::ProfilingStrategy::PerfMap) or
    /// [`ProfilingStrategy::JitDump`](crate::profiling::ProfilingStrategy::JitDump), the
    /// runtime turns the process's perf map or jitdump on when it is created (best effort: a
    /// file that cannot be written is left off; [`crate::profiling::enable`] reports why).
    pub fn with_profiling(mut self, strategy: crate::profiling::ProfilingStrategy) -> Self {
        self.profiling = strategy;
        self
    }

    /// Registers compiled code with a debugger through GDB's JIT interface (LLDB reads it
    /// too; wasmtime's `Config::debug_info`): from the runtime's creation on, every module
    /// whose native code the process loads, compiled in process or from an artifact, gets an
    /// in-memory symbol file with its wasm function names and, for modules built with DWARF
    /// (`-g`), their source lines, so `gdb`'s `bt`, `break` and `list` work in compiled
    /// wasm. Process-wide once on; off by default (building the symbol files costs load
    /// time and memory). See [`crate::profiling`].
    pub fn with_debug_info(mut self, on: bool) -> Self {
        self.debug_info = on;
        self
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

    /// The CPU features the code this runtime compiles may use (wasmtime's `Config::target`
    /// and Cranelift's ISA flags): [`CpuTarget::Native`] by default, every feature of this
    /// host's CPU (AVX2, BMI, FMA, ... on x86_64), as wasmtime's and wazero's compilers do.
    /// Choose [`CpuTarget::Baseline`] (x86-64-v2, armv8.0-a) when the modules'
    /// [`CompiledModule::serialize`](crate::CompiledModule::serialize)d artifacts are to
    /// load on other machines: a native artifact records its CPU features in its header and
    /// is refused ([`Error::Artifact`](crate::Error::Artifact)) on a CPU that lacks one.
    /// Only the compiler reads this: artifacts keep the level they were compiled for
    /// (`kiln compile --cpu`, [`crate::aot::AotOptions::cpu`]), and the local
    /// [`CompilationCache`](crate::CompilationCache) always compiles for this host.
    pub fn with_cpu(mut self, cpu: CpuTarget) -> Self {
        self.cpu = cpu;
        self
    }

    /// The CPU features compiled code may use ([`RuntimeConfig::with_cpu`]).
    pub fn cpu(&self) -> CpuTarget {
        self.cpu
    }

    /// Selects the core features modules may use (like wazero's `WithCoreFeatures`);
    /// default [`CoreFeatures::V3`]. Take proposals out, or start from an earlier version and
    /// add them one by one, e.g.
    /// `CoreFeatures::V2.union(CoreFeatures::MULTI_MEMORY).union(CoreFeatures::MEMORY64)`.
    pub fn with_core_features(mut self, features: CoreFeatures) -> Self {
        self.features = features;
        self
    }

    /// The most pages of 64 KiB any memory may have (default 65536, 4 GiB). A module whose
    /// memory minimum is larger fails to instantiate; `memory.grow` beyond it returns -1.
    /// A 32-bit memory never has more than 65536 pages whatever the limit; a 64-bit memory
    /// (memory64) may have up to 2^48, so a limit above 65536 lets 64-bit memories grow
    /// beyond 4 GiB (address space and memory permitting).
    pub fn with_memory_limit_pages(mut self, pages: u64) -> Self {
        self.memory_limit_pages = pages.min(kiln_runtime_support::types::WASM64_MAX_PAGES);
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

    /// Compile fuel checks into every function entry and loop header, on both engines
    /// (wasmtime's fuel): each function call and each loop iteration consumes one unit of
    /// the runtime's fuel ([`crate::Runtime::set_fuel`], 0 at first), and running out traps
    /// with [`crate::TrapCode::OutOfFuel`] (message `all fuel consumed`). Both engines
    /// count the same units, so a workload consumes the same fuel on either. Default off:
    /// code then carries no check at all. It is a code setting: an artifact compiled
    /// without fuel (see [`crate::aot::AotOptions::fuel`]) is refused by a runtime with
    /// fuel on, and the other way round, with [`crate::ArtifactError`]'s settings mismatch.
    pub fn with_fuel(mut self, on: bool) -> Self {
        self.fuel = on;
        self
    }

    /// Whether fuel checks are compiled in ([`RuntimeConfig::with_fuel`]).
    pub fn fuel(&self) -> bool {
        self.fuel
    }

    /// Listens to function calls on both engines (wazero's
    /// `experimental.WithFunctionListenerFactory`): `factory` is asked once per defined
    /// function of every instance the runtime creates, and the listeners it returns see
    /// each call's parameters, results and call stack, and the frames unwound by traps,
    /// exits and exceptions (see [`crate::listener`]). Default: none, and then code
    /// carries no listener hook at all. It is a code setting: a module compiled by a
    /// runtime without a factory is not listened; an artifact compiled without listener
    /// hooks (see [`crate::aot::AotOptions::listeners`]) is refused by a runtime with a
    /// factory, and the other way round, with [`crate::ArtifactError`]'s settings mismatch.
    pub fn with_function_listener_factory(
        mut self,
        factory: Arc<dyn crate::listener::FunctionListenerFactory>,
    ) -> Self {
        self.listener_factory = ListenerFactorySlot(Some(factory));
        self
    }

    /// Whether a function listener factory is configured
    /// ([`RuntimeConfig::with_function_listener_factory`]), so code carries listener hooks.
    pub fn function_listeners(&self) -> bool {
        self.listener_factory.0.is_some()
    }

    /// The entry and loop-header checks code of this configuration carries.
    pub(crate) fn checks(&self) -> kiln_runtime_support::interp::Checks {
        kiln_runtime_support::interp::Checks {
            interruption: self.interruption,
            fuel: self.fuel,
            listeners: self.function_listeners(),
        }
    }

    /// Translate every function for the interpreter when the module is compiled, rather than
    /// each on its first call (default off: lazy, as wasmi's lazy translation). Either way
    /// [`crate::Runtime::compile`] validates every function body, so invalid code is a
    /// compile error even in a function never called, and so is an operator of a proposal
    /// the interpreter does not run (modules validated with features beyond
    /// [`kiln_runtime_support::interp::TRANSLATED_FEATURES`] are always translated eagerly).
    /// Lazily, compiling costs validation only and a function's translation is made on its
    /// first call and then shared by every instance; a function too large for the
    /// interpreter (too many locals, too deep an operand stack, too many distinct `v128`
    /// constants) then traps when first called instead of failing the compile. No effect on
    /// the compiler engine.
    pub fn with_eager_translation(mut self, on: bool) -> Self {
        self.eager_translation = on;
        self
    }

    /// Whether the interpreter translates every function at compile time
    /// ([`RuntimeConfig::with_eager_translation`]).
    pub fn eager_translation(&self) -> bool {
        self.eager_translation
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

    /// Requires artifacts to be signed, and trusts `key`'s signature (call again to trust
    /// several keys at once, e.g. while rotating keys). With at least one trusted key,
    /// [`crate::Runtime::load_artifact`] is safe to call: an artifact loads only when one of
    /// these keys signed it, and an unsigned, wrongly signed or altered one is refused with
    /// [`crate::ArtifactError::Signature`] or [`crate::ArtifactError::Corrupt`] before any
    /// of its bytes is mapped executable. Default: no key, no signature policy. The
    /// compilation cache's own files are not subject to it (this process's compiler wrote
    /// them).
    pub fn with_trusted_key(mut self, key: PublicKey) -> Self {
        self.trusted_keys.add(key);
        self
    }

    /// The keys whose signature artifacts must carry (empty: no signature policy).
    pub fn trusted_keys(&self) -> &TrustedKeys {
        &self.trusted_keys
    }

    /// Verify each artifact file once (default on): the first load of a file hashes its
    /// payload against the header's digest and records that in the user's cache directory
    /// (`$XDG_CACHE_HOME/kiln/verified`, else `~/.cache/kiln/verified`), keyed by the
    /// file's identity (device, inode, size, modification and change times); later loads
    /// of the unchanged file skip the hashing. Any change to the file moves its change time
    /// and makes the next load verify it in full again. The header, the signature and
    /// everything else that steers the loader are checked at every load. Off: every load
    /// hashes the payload. See `kiln_loader::verified`.
    pub fn with_verify_once(mut self, on: bool) -> Self {
        self.verify_once = if on { VerifyOnce::UserCache } else { VerifyOnce::Off };
        self
    }

    /// Verify each artifact file once, keeping the records in `dir` (created if missing)
    /// instead of the user's cache directory ([`RuntimeConfig::with_verify_once`]).
    pub fn with_verify_once_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.verify_once = VerifyOnce::Dir(dir.into());
        self
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
    pub(crate) wasi: WasiConfig,
    pub(crate) host_data: kiln_runtime_support::instance::HostData,
    pub(crate) imports: crate::imports::Imports,
}

impl Default for ModuleConfig {
    fn default() -> Self {
        Self {
            name: None,
            start_functions: vec!["_start".to_string()],
            wasi: WasiConfig::new(),
            host_data: Default::default(),
            imports: Default::default(),
        }
    }
}

impl std::fmt::Debug for ModuleConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModuleConfig")
            .field("name", &self.name)
            .field("start_functions", &self.start_functions)
            .field("args", &self.wasi.args())
            .field("env", &self.wasi.env())
            .finish_non_exhaustive()
    }
}

impl ModuleConfig {
    /// Defaults: the name from the module's name section, start function `_start`, no
    /// args, no environment, stdio discarded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives the instance typed state `value` (one value per type; a later one of the same
    /// type replaces it), which host functions it calls read with
    /// [`crate::Caller::data`]. The instance's WASI state is kept there too
    /// ([`crate::wasi::WasiState`]). `Send`, as the runtime may move between threads; it is
    /// only reached under the runtime's lock, so a `Cell` or `RefCell` inside is fine.
    pub fn with_data<T: std::any::Any + Send>(mut self, value: T) -> Self {
        self.host_data.insert(value);
        self
    }

    /// Imports for this instantiation only, resolved before the runtime's registered
    /// modules (see [`crate::Imports`]).
    pub fn with_imports(mut self, imports: crate::imports::Imports) -> Self {
        self.imports = imports;
        self
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
        self.wasi = self.wasi.with_args(args);
        self
    }

    /// Adds an environment variable a WASI guest sees (`environ_get`).
    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.wasi = self.wasi.with_env(key, value);
        self
    }

    /// The guest's standard input (default: empty). The guest sees a stream of unknown
    /// type (not a terminal); [`ModuleConfig::with_stdin_fd`] hands over a host descriptor
    /// instead.
    pub fn with_stdin(mut self, r: impl Read + Send + 'static) -> Self {
        self.wasi = self.wasi.with_stdin(r);
        self
    }

    /// The guest's standard output (default: discarded), seen as a stream of unknown type
    /// (not a terminal).
    pub fn with_stdout(mut self, w: impl Write + Send + 'static) -> Self {
        self.wasi = self.wasi.with_stdout(w);
        self
    }

    /// The guest's standard error (default: discarded), seen as a stream of unknown type
    /// (not a terminal).
    pub fn with_stderr(mut self, w: impl Write + Send + 'static) -> Self {
        self.wasi = self.wasi.with_stderr(w);
        self
    }

    /// Standard input read directly from host descriptor `fd` (for example the process's
    /// own stdin, a pipe or a file). The guest sees its real kind: a terminal is a
    /// character device (so `isatty(0)` is true), a regular file a regular file, anything
    /// else an unknown type; `poll_oneoff` waits until it is readable.
    pub fn with_stdin_fd(mut self, fd: impl Into<std::os::fd::OwnedFd>) -> Self {
        self.wasi = self.wasi.with_stdin_fd(fd);
        self
    }

    /// Standard output written directly to host descriptor `fd`, of its real kind (see
    /// [`ModuleConfig::with_stdin_fd`]): `isatty(1)` is true only for a terminal.
    pub fn with_stdout_fd(mut self, fd: impl Into<std::os::fd::OwnedFd>) -> Self {
        self.wasi = self.wasi.with_stdout_fd(fd);
        self
    }

    /// Standard error written directly to host descriptor `fd`, of its real kind (see
    /// [`ModuleConfig::with_stdin_fd`]).
    pub fn with_stderr_fd(mut self, fd: impl Into<std::os::fd::OwnedFd>) -> Self {
        self.wasi = self.wasi.with_stderr_fd(fd);
        self
    }

    /// The directories the guest may access (default: none). See [`FSConfig`].
    pub fn with_fs_config(mut self, fs: FSConfig) -> Self {
        self.wasi = self.wasi.with_fs_config(fs);
        self
    }

    /// The guest's `clock_time_get(realtime)` reads the host's wall clock (wazero's
    /// `WithSysWalltime`). Default: a fake clock starting at 2022-01-01T00:00:00Z that
    /// advances 1 ms per read.
    pub fn with_sys_walltime(mut self) -> Self {
        self.wasi = self.wasi.with_sys_walltime();
        self
    }

    /// The guest's wall clock is `clock`, returning ns since the Unix epoch, with
    /// `resolution` in ns (wazero's `WithWalltime`).
    pub fn with_walltime(
        mut self,
        clock: impl FnMut() -> u64 + Send + 'static,
        resolution: u64,
    ) -> Self {
        self.wasi = self.wasi.with_walltime(clock, resolution);
        self
    }

    /// The guest's monotonic clock (and the CPU-time clocks) read the host's (wazero's
    /// `WithSysNanotime`). Default: a fake clock starting at 0 that advances 1 ms per read.
    pub fn with_sys_nanotime(mut self) -> Self {
        self.wasi = self.wasi.with_sys_nanotime();
        self
    }

    /// The guest's monotonic clock is `clock`, returning ns, with `resolution` in ns
    /// (wazero's `WithNanotime`).
    pub fn with_nanotime(
        mut self,
        clock: impl FnMut() -> u64 + Send + 'static,
        resolution: u64,
    ) -> Self {
        self.wasi = self.wasi.with_nanotime(clock, resolution);
        self
    }

    /// `poll_oneoff` clock subscriptions really sleep (wazero's `WithSysNanosleep`).
    /// Default: they return at once, advancing the fake clocks by the time asked for.
    pub fn with_sys_nanosleep(mut self) -> Self {
        self.wasi = self.wasi.with_sys_nanosleep();
        self
    }

    /// `poll_oneoff` clock subscriptions call `sleep(ns)` (wazero's `WithNanosleep`).
    pub fn with_nanosleep(mut self, sleep: impl FnMut(u64) + Send + 'static) -> Self {
        self.wasi = self.wasi.with_nanosleep(sleep);
        self
    }

    /// `random_get` reads from `source` (wazero's `WithRandSource`); a source that ends
    /// before filling a request makes `random_get` return `EIO`. Default: a fixed
    /// deterministic sequence.
    pub fn with_rand_source(mut self, source: impl Read + Send + 'static) -> Self {
        self.wasi = self.wasi.with_rand_source(source);
        self
    }

    /// `random_get` reads the host's cryptographically secure source (`getrandom(2)`).
    pub fn with_sys_rand(mut self) -> Self {
        self.wasi = self.wasi.with_sys_rand();
        self
    }

    /// Logs the instance's WASI calls of the scopes in `logging` (wazero's host logging),
    /// with arguments and results, to the host process's standard error; see
    /// [`crate::wasi::HostLogging`].
    pub fn with_host_logging(mut self, logging: crate::wasi::HostLogging) -> Self {
        self.wasi = self.wasi.with_host_logging(logging);
        self
    }

    /// Hands the guest a listening TCP socket as a preopened file descriptor (numbered
    /// after stdio and the mounted directories, in the order added), usable with
    /// `sock_accept`. Like wasmtime's `--tcplisten`.
    pub fn with_tcp_listener(mut self, listener: std::net::TcpListener) -> Self {
        self.wasi = self.wasi.with_tcp_listener(listener);
        self
    }

    /// The configured name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The configured arguments.
    pub fn args(&self) -> &[String] {
        self.wasi.args()
    }

    /// The configured environment.
    pub fn env(&self) -> &[(String, String)] {
        self.wasi.env()
    }
}
