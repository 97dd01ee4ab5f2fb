//! The runtime: compiles modules, instantiates them, and holds the namespace of named
//! modules that imports resolve against (wazero's `Runtime`).

use crate::config::{Engine, ModuleConfig, RuntimeConfig};
use crate::error::Error;
use crate::host::HostModuleBuilder;
use crate::instance::Instance;
use crate::module::CompiledModule;
use crate::wasi::{WasiCtx, WasiState};
use kiln_runtime_support::engine::{Code, Module};
use kiln_runtime_support::instance::{Extern as RawExtern, InstanceData};
use kiln_runtime_support::module::decode::DecodeOptions;
use kiln_runtime_support::vm::{
    HostFuncContext, HostModuleDecl, MemoryStyle, Namespace, Store, StoreConfig,
};
use std::cell::RefCell;
use std::sync::Arc;

/// Removes every name of `instance` from its store's namespace (for
/// [`Instance::close`]). Call with the store lock held.
pub(crate) fn unregister_instance(store: &Store, instance: *mut InstanceData) {
    store.namespaces().remove_instance(instance);
    // SAFETY: the caller's handle keeps the instance live; the lock is held. It stays live
    // while that handle does, so this frees nothing now unless it is unreachable otherwise.
    unsafe { store.release_instance(instance) };
}

/// Compiles and instantiates modules, and holds the namespace of named modules that
/// imports resolve against (wazero's `Runtime`).
///
/// A runtime and every handle into it ([`Instance`], [`crate::Func`], [`crate::Memory`],
/// ...) are `Send` and `Sync`: they can move to and be used from any thread. One thread at
/// a time runs in a runtime: each call into wasm, instantiation or host access takes the
/// runtime's lock for its duration (host functions that wasm calls run under it and may
/// call back in), so calls from several threads into one runtime take turns. For
/// parallelism give each thread its own runtime: a [`CompiledModule`] compiled or loaded
/// once instantiates in any number of them at once, sharing its code.
///
/// ```
/// let rt = kiln::Runtime::new();
/// let wasm = wat::parse_str(r#"(module (func (export "one") (result i32) i32.const 1))"#).unwrap();
/// let inst = rt.instantiate_wasm(&wasm).unwrap();
/// let one = inst.typed_func::<(), i32>("one").unwrap();
/// assert_eq!(one.call(()).unwrap(), 1);
/// ```
pub struct Runtime {
    config: RuntimeConfig,
    store: Arc<Store>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    /// A runtime with the default [`RuntimeConfig`].
    pub fn new() -> Self {
        Self::with_config(RuntimeConfig::default())
    }

    /// A runtime with `config`.
    pub fn with_config(config: RuntimeConfig) -> Self {
        // Best effort by design: profiling never stops a runtime (see `with_profiling`).
        let _ = crate::profiling::enable(config.profiling);
        if config.debug_info {
            crate::profiling::enable_debugger_registration();
        }
        let memory = MemoryStyle {
            limit_pages: config.memory_limit_pages,
            reserve_to_max: config.memory_capacity_from_max,
            guard_bytes: 0,
            min_reserve_bytes: 0,
        };
        let shared_memory = crate::reservation::memory_style(crate::Engine::Auto, memory);
        let memory = crate::reservation::memory_style(config.engine, memory);
        let store = Store::new(StoreConfig {
            memory,
            shared_memory,
            interp_stack_slots: config.interpreter_stack_slots,
            max_call_depth: config.max_call_depth,
            interruption: config.interruption,
        });
        if let Some(factory) = &config.listener_factory.0 {
            store.set_listener_factory(Some(Arc::new(crate::listener::Factory(factory.clone()))));
        }
        Self { config, store }
    }

    /// A handle that interrupts wasm running in this runtime from any thread (see
    /// [`RuntimeConfig::with_interruption`]; without it, interrupting has no effect).
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle { epoch: self.store.epoch().clone() }
    }

    /// How many instances the runtime holds now (named, referenced by a handle or an
    /// importer, or kept because their function references escaped; see [`Instance`]).
    pub fn instance_count(&self) -> usize {
        let _guard = self.store.lock();
        self.store.instance_count()
    }

    /// Sets the fuel left to `fuel` units (see [`RuntimeConfig::with_fuel`]; without it,
    /// fuel is not consumed and this has no effect on execution). A host function may call
    /// it to refuel wasm that is running.
    pub fn set_fuel(&self, fuel: u64) {
        let _guard = self.store.lock();
        self.store.set_fuel(fuel);
    }

    /// The fuel left, in units (see [`RuntimeConfig::with_fuel`]).
    pub fn fuel(&self) -> u64 {
        let _guard = self.store.lock();
        self.store.fuel()
    }

    /// Installs `limiter`, consulted from now on before any memory or table of this
    /// runtime grows (by wasm, by the host, or created by an instantiation) and before each
    /// instantiation (see [`kiln_runtime_support::vm::ResourceLimiter`]); replaces an
    /// earlier one.
    pub fn set_resource_limiter(&self, limiter: Arc<dyn crate::ResourceLimiter>) {
        let _guard = self.store.lock();
        self.store.set_limiter(Some(limiter));
    }

    /// Ends an interruption: wasm runs again until the next
    /// [`InterruptHandle::interrupt`]. An interruption stays in force, for every later call,
    /// until this is called, so one that arrives between two calls is not lost.
    pub fn reset_interrupt(&self) {
        let _guard = self.store.lock();
        self.store.reset_deadline();
    }

    /// The configuration this runtime was created with.
    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    pub(crate) fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub(crate) fn memory_style(&self) -> MemoryStyle {
        self.store.config().memory
    }

    /// Decodes, validates and compiles a module binary for this runtime's engine. With
    /// [`Engine::Auto`], a module the compiler refuses as unsupported (one that uses SIMD,
    /// until the compiler lowers it) runs on the interpreter instead.
    ///
    /// # Errors
    /// [`Error::Compile`] (with the byte offset) for malformed or invalid modules and, with
    /// [`Engine::Compiler`], for features the compiler does not support yet (SIMD: "SIMD is
    /// not supported yet"); [`Error::EngineUnavailable`] when the configured engine cannot
    /// run here.
    pub fn compile(&self, wasm: &[u8]) -> Result<CompiledModule, Error> {
        let engine = resolve_engine(self.config.engine);
        let compiled = self.compile_resolved(wasm, engine);
        match compiled {
            Err(Error::Compile(e))
                if e.unsupported
                    && self.config.engine == Engine::Auto
                    && engine == Engine::Compiler =>
            {
                self.compile_with_engine(wasm, Engine::Interpreter)
            }
            other => other,
        }
    }

    /// As [`Runtime::compile`], taking the binary by value: on the interpreter the module
    /// keeps `wasm` itself as its bytes (the interpreter translates functions from them on
    /// their first calls) instead of a copy, so a large module is in memory once, not twice
    /// while compiling. On the compiler it is the same as [`Runtime::compile`].
    ///
    /// # Errors
    /// As [`Runtime::compile`].
    pub fn compile_owned(&self, wasm: Vec<u8>) -> Result<CompiledModule, Error> {
        match resolve_engine(self.config.engine) {
            Engine::Interpreter => self.compile_bytes(wasm.into(), Engine::Interpreter),
            _ => self.compile(&wasm),
        }
    }

    /// Compiles `wasm` for `engine` (resolved), through the compilation cache when it has one.
    fn compile_resolved(&self, wasm: &[u8], engine: Engine) -> Result<CompiledModule, Error> {
        #[cfg(feature = "compiler")]
        if let Some(cache) = &self.config.cache
            && engine == Engine::Compiler
            && crate::reservation::native_code_supported()
        {
            return cache.get_or_compile(self, wasm);
        }
        self.compile_with_engine(wasm, engine)
    }

    /// Compiles `wasm` for `engine` (resolved: not [`Engine::Auto`]), bypassing the cache.
    pub(crate) fn compile_with_engine(
        &self,
        wasm: &[u8],
        engine: Engine,
    ) -> Result<CompiledModule, Error> {
        self.compile_bytes(wasm.into(), engine)
    }

    /// Compiles the module binary `wasm` for `engine` (resolved), keeping `wasm` as the
    /// module's bytes.
    fn compile_bytes(
        &self,
        wasm: kiln_runtime_support::module::ModuleBytes,
        engine: Engine,
    ) -> Result<CompiledModule, Error> {
        let info = kiln_runtime_support::module::decode_bytes(
            wasm,
            DecodeOptions {
                features: self.config.features,
                keep_custom_sections: self.config.custom_sections,
            },
        )?;
        let info = Arc::new(info);
        let checks = self.config.checks();
        // What interpreted code carries; native code's bounds checks are set below.
        let mut settings = crate::reservation::code_settings(&self.memory_style(), checks);
        let code = match engine {
            #[cfg(feature = "compiler")]
            Engine::Compiler if crate::reservation::native_code_supported() => {
                settings = crate::native::code_settings(checks);
                Code::Compiled(crate::native::compile(&info, self.config.cpu, checks)?)
            }
            Engine::Compiler => {
                return Err(Error::EngineUnavailable(
                    "the native compiler is not part of this build of Kiln or does not support this host; \
                     use Engine::Interpreter or Engine::Auto"
                        .to_string(),
                ));
            }
            Engine::Auto | Engine::Interpreter => {
                use kiln_runtime_support::interp::{InterpModule, Translation};
                let translation = if self.config.eager_translation {
                    Translation::Eager
                } else {
                    Translation::Lazy
                };
                Code::Interpreted(InterpModule::new(
                    info.clone(),
                    self.config.features,
                    checks,
                    translation,
                )?)
            }
        };
        Ok(CompiledModule {
            inner: Arc::new(Module { info, code }),
            artifact: None,
            settings,
            cpu: self.config.cpu,
        })
    }

    /// Instantiates `module`: resolves its imports against the modules registered in this
    /// runtime, initializes it, runs its start section, registers it under its name, and
    /// calls the configured start functions (default `_start`) when exported.
    ///
    /// # Errors
    /// [`Error::Link`] for unresolved or mistyped imports, [`Error::WrongRuntime`] or
    /// [`Error::Closed`] for an entity of [`ModuleConfig::with_imports`] of another runtime
    /// or a closed instance, [`Error::Resource`] for memories
    /// or tables over the limits, [`Error::Trap`] when a segment is out of bounds or a start
    /// function traps, [`Error::Exit`] when it exits with a nonzero code (WASI `proc_exit(0)`
    /// is success), [`Error::DuplicateModuleName`] if the name is taken, [`Error::Mount`]
    /// when a mounted directory cannot be opened, [`Error::InvalidConfig`] for args or
    /// environment a WASI guest cannot be given, [`Error::IncompatibleModule`] for a module
    /// compiled or loaded by a runtime with other code settings (fuel, epoch interruption,
    /// function listeners, or guard pages this runtime's memories lack).
    pub fn instantiate(
        &self,
        module: &CompiledModule,
        config: ModuleConfig,
    ) -> Result<Instance, Error> {
        let name = match config.name.as_deref() {
            Some("") => None,
            Some(n) => Some(n.to_string()),
            None => module.name().map(str::to_string),
        };
        module.check_settings(&self.code_settings())?;
        let _guard = self.store.lock();
        if let Some(n) = name.as_ref().filter(|n| self.store.namespaces().contains(n)) {
            return Err(Error::DuplicateModuleName(n.clone()));
        }
        let ModuleConfig { wasi, start_functions, mut host_data, imports, .. } = config;
        imports.check(&self.store)?;
        // The instance's WASI state goes in its host-data slot, where the WASI functions
        // find it (its start section may already call them).
        host_data.insert::<WasiState>(RefCell::new(WasiCtx::new(wasi)?));
        let data = kiln_runtime_support::instance::instantiate_with_host_data(
            &self.store,
            module.inner.clone(),
            &crate::imports::Resolver { imports: &imports, store: &self.store },
            name.clone(),
            host_data,
        )
        .map_err(|e| match e {
            kiln_runtime_support::InstantiationError::Start(u) => {
                Error::from_unwind(&self.store, u)
            }
            e => e.into(),
        })?;
        let instance = Instance::from_data(self.store.clone(), data);
        if let Some(n) = &name {
            self.register_namespace(n, Namespace::Instance(data))?;
        }
        for start in &start_functions {
            if let Some(f) = instance.exported_function(start) {
                match f.call(&[]) {
                    // WASI `proc_exit(0)` is a successful end of the program.
                    Err(Error::Exit(e)) if e.code == 0 => {}
                    r => drop(r?),
                }
            }
        }
        Ok(instance)
    }

    /// Compiles `wasm` and instantiates it with the default [`ModuleConfig`].
    ///
    /// # Errors
    /// As [`Runtime::compile`] and [`Runtime::instantiate`].
    pub fn instantiate_wasm(&self, wasm: &[u8]) -> Result<Instance, Error> {
        let module = self.compile(wasm)?;
        self.instantiate(&module, ModuleConfig::new())
    }

    /// Makes `instance`'s exports importable as module `name` (as the spec's `register`
    /// does), in addition to any name it already has.
    ///
    /// # Errors
    /// [`Error::DuplicateModuleName`] if the name is taken; [`Error::WrongRuntime`] if
    /// `instance` belongs to another runtime.
    pub fn register(&self, name: &str, instance: &Instance) -> Result<(), Error> {
        if !Arc::ptr_eq(instance.store(), &self.store) {
            return Err(Error::WrongRuntime);
        }
        if instance.is_closed() {
            return Err(Error::Closed);
        }
        let _guard = self.store.lock();
        self.register_namespace(name, Namespace::Instance(instance.handle.as_ptr()))
    }

    /// Whether anything is importable as module `name`: a registered or named wasm
    /// instance, or a host module (including WASI's, which [`Runtime::module`] does not
    /// return as they are no wasm instances).
    pub fn has_module(&self, name: &str) -> bool {
        let _guard = self.store.lock();
        self.store.namespaces().contains(name)
    }

    /// The instance registered as `name`, if it is a wasm instance.
    pub fn module(&self, name: &str) -> Option<Instance> {
        let _guard = self.store.lock();
        let data = self.store.namespaces().instance(name)?;
        Some(Instance::from_data(self.store.clone(), data))
    }

    /// Starts building a host module named `name`.
    pub fn host_module(&self, name: &str) -> HostModuleBuilder<'_> {
        HostModuleBuilder::new(self, name.to_string())
    }

    /// Registers a host module's `exports` as `name`.
    ///
    /// # Errors
    /// [`Error::DuplicateModuleName`] if the name is taken.
    /// Registers the host module `name` with `exports` (in the order they were added; a
    /// later export of a name replaces an earlier one). With a listener factory, its host
    /// functions are given their listeners ([`crate::listener`]).
    pub(crate) fn register_host(
        &self,
        name: &str,
        exports: Vec<(String, RawExtern)>,
    ) -> Result<(), Error> {
        let _guard = self.store.lock();
        if self.store.namespaces().contains(name) {
            return Err(Error::DuplicateModuleName(name.to_string()));
        }
        if let Some(factory) = self.store.listener_factory() {
            let funcs = exports.iter().filter_map(|(field, e)| match e {
                RawExtern::Func(f) => Some((field, *f)),
                _ => None,
            });
            for (index, (field, funcref)) in funcs.enumerate() {
                // SAFETY: exported funcrefs of this store are live while it is.
                let Some(host) = (unsafe { HostFuncContext::of_funcref(funcref) }) else {
                    continue;
                };
                if host.is_listened() {
                    continue;
                }
                if let Some(hooks) = factory.host_hooks(name, index as u32, field, &host.ty) {
                    host.listen(hooks);
                }
            }
        }
        self.register_namespace(name, Namespace::Host(exports.into_iter().collect()))
    }

    /// Registers the host module `decl`, declared once per process, as `name`: its
    /// functions are created in this runtime when an import first names them. With a
    /// listener factory, which is asked about every function at registration, they are all
    /// created now ([`Self::register_host`]).
    ///
    /// # Errors
    /// [`Error::DuplicateModuleName`] if the name is taken.
    pub(crate) fn register_declared(
        &self,
        name: &str,
        decl: &Arc<HostModuleDecl>,
    ) -> Result<(), Error> {
        if self.store.listener_factory().is_some() {
            if self.has_module(name) {
                return Err(Error::DuplicateModuleName(name.to_string()));
            }
            let exports = (0..decl.len() as u32)
                .map(|i| (decl.name(i).to_string(), RawExtern::Func(decl.create(&self.store, i))))
                .collect();
            return self.register_host(name, exports);
        }
        let _guard = self.store.lock();
        self.register_namespace(name, Namespace::declared(decl.clone()))
    }

    /// Registers `namespace` as `name`. Call with the store lock held.
    fn register_namespace(&self, name: &str, namespace: Namespace) -> Result<(), Error> {
        if !self.store.namespaces().insert(name, namespace) {
            return Err(Error::DuplicateModuleName(name.to_string()));
        }
        Ok(())
    }
}

/// The engine `engine` stands for in this build on this host: [`Engine::Auto`] is the
/// compiler where it runs (x86_64 and aarch64 Linux; it passes the whole spec suite there),
/// the interpreter elsewhere.
fn resolve_engine(engine: Engine) -> Engine {
    match engine {
        #[cfg(feature = "compiler")]
        Engine::Auto if crate::reservation::native_code_supported() => Engine::Compiler,
        Engine::Auto => Engine::Interpreter,
        e => e,
    }
}

/// Stops wasm running in a [`Runtime`] from another thread (or a timer): the running call,
/// and whatever it called, ends with a trap of code [`crate::TrapCode::Interrupted`] at its
/// next function entry or loop header. The interruption stays in force (later calls trap
/// too, so one that arrives between calls is not lost) until
/// [`Runtime::reset_interrupt`]. Needs [`RuntimeConfig::with_interruption`].
///
/// ```
/// use kiln::{Runtime, RuntimeConfig, TrapCode};
/// let rt = Runtime::with_config(RuntimeConfig::new().with_interruption(true));
/// let wasm = wat::parse_str(r#"(module (func (export "spin") (loop (br 0))))"#).unwrap();
/// let spin = rt.instantiate_wasm(&wasm).unwrap().exported_function("spin").unwrap();
/// let handle = rt.interrupt_handle();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(50));
///     handle.interrupt();
/// });
/// let err = spin.call(&[]).unwrap_err();
/// assert_eq!(err.as_trap().unwrap().code(), TrapCode::Interrupted);
/// rt.reset_interrupt();
/// ```
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    epoch: Arc<std::sync::atomic::AtomicU64>,
}

impl InterruptHandle {
    /// Interrupts the call running now (if any); safe to call from any thread, any number
    /// of times.
    pub fn interrupt(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}
