//! `kiln run`: runs a WASI command (its `_start`) or calls one exported function.
//!
//! A command gets what a command-line user expects: the host's clocks and random source,
//! inherited stdin/stdout/stderr, the arguments after the module, and only the
//! directories (`--dir`, `--dir-ro`), environment variables (`--env`) and sockets
//! (`--tcplisten`) granted on the command line. The process exits with the guest's exit
//! code.

use crate::values;
use clap::Args;
use kiln::{
    CompilationCache, Engine, Error, FSConfig, ModuleConfig, Runtime, RuntimeConfig, TrapCode,
};
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Arguments of `kiln run`.
#[derive(Args)]
pub struct RunArgs {
    /// The module (.wasm) or artifact (.kiln blob or .o object from `kiln compile --emit obj`,
    /// recognized by its magic) to run.
    module: PathBuf,
    /// Call this exported function instead of `_start`, printing its results (after
    /// `_initialize`, when the module exports one).
    #[arg(long)]
    invoke: Option<String>,
    /// Run on the interpreter (a .wasm only).
    #[arg(long)]
    interpreter: bool,
    /// The features a .wasm may use: v1, v2, v3, all, or a comma list of those and proposal
    /// names (e.g. `v2,multi-memory,memory64`), as `kiln wast --features`.
    #[arg(long, value_name = "LIST", default_value = "v3", value_parser = kiln_spectest::features::parse)]
    features: kiln::CoreFeatures,
    /// Cache compiled modules as artifacts in this directory.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Stop the guest after this much wall-clock time (e.g. `500ms`, `10s`, `2m`), with an
    /// error and exit code 124. An artifact must be compiled with `kiln compile --interruptible`.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// Give the guest N units of fuel: each function call and loop iteration consumes one,
    /// and running out stops it with the trap `all fuel consumed` (exit code 1). An
    /// artifact must be compiled with `kiln compile --fuel`.
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// The most linear memory each memory of the guest may have, in bytes with an optional
    /// unit (`64MiB`, `1GiB`, `65536`); rounded down to whole 64 KiB pages.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Grant read-write access to host directory HOST, seen by the guest as GUEST
    /// (default: the same path as on the host). Repeatable.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Grant read-only access to host directory HOST, seen by the guest as GUEST. Repeatable.
    #[arg(long = "dir-ro", value_name = "HOST[::GUEST]")]
    dirs_ro: Vec<String>,
    /// Set environment variable KEY to VALUE in the guest, or pass KEY through from the
    /// host environment (skipped when the host has no KEY). Repeatable.
    #[arg(long = "env", value_name = "KEY[=VALUE]")]
    envs: Vec<String>,
    /// Listen on TCP address ADDR (e.g. 127.0.0.1:8080) and hand the guest the listener as
    /// a preopened socket (the descriptor after stdio and the directories). Repeatable.
    #[arg(long = "tcplisten", value_name = "ADDR")]
    tcp_listen: Vec<String>,
    /// Require the artifact to be signed by the key in this public key file (NAME.pub from
    /// `kiln keygen`); repeatable, any of the keys will do. Without it, the artifact named
    /// on the command line runs whoever signed it, like a native binary.
    #[arg(long = "trust-key", value_name = "KEY")]
    trust_keys: Vec<PathBuf>,
    /// Functions the module imports from a module nothing provides become functions that
    /// trap when called (wasmtime's `-W unknown-imports-trap=y`), so a module that imports a
    /// host function it never calls still runs. Other missing imports stay link errors.
    #[arg(long)]
    trap_unknown_imports: bool,
    /// Tell a profiler about compiled code (for `.wasm` compiled in process and for
    /// artifacts): `perfmap` writes `/tmp/perf-<pid>.map`, so `perf record -- kiln run
    /// --profile=perfmap app.wasm` then `perf report` names the compiled wasm functions;
    /// `jitdump` writes `/tmp/jit-<pid>.dump` for `perf record -k mono`, `perf inject --jit`
    /// and `perf report`/`perf annotate` (names, code and source lines).
    #[arg(long, value_name = "PROFILER")]
    profile: Option<Profiler>,
    /// Register compiled code with a debugger (GDB's JIT interface): run under `gdb --args
    /// kiln run -g app.wasm` to see wasm function names and, for modules built with `-g`,
    /// C source lines in backtraces, and to break on wasm functions.
    #[arg(short = 'g', long)]
    debug_info: bool,
    /// Log the WASI calls of these scopes, with arguments and results, to stderr (wazero's
    /// `--hostlogging`): a comma list of filesystem, clock, random, proc, sock, poll, or
    /// all.
    #[arg(long = "hostlogging", value_name = "SCOPES", value_parser = kiln::wasi::HostLogging::parse)]
    host_logging: Option<kiln::wasi::HostLogging>,
    /// Arguments for the program (after the module, optionally after `--`), or for the
    /// invoked function.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs the module. The exit code is the guest's `proc_exit` code (capped at 255), 0
/// when it returns normally, 1 on any other error or trap.
/// `--trap-unknown-imports`: for every module name the module imports functions from that
/// the runtime has no module for, a host module whose functions trap with
/// `unknown import: MODULE::NAME has not been defined` when called.
fn define_unknown_imports_as_traps(
    rt: &Runtime,
    module: &kiln::CompiledModule,
) -> Result<(), Error> {
    let mut missing: Vec<(String, Vec<(String, kiln::FuncType)>)> = Vec::new();
    for import in module.imports() {
        let kiln::ExternType::Func(ty) = import.ty else { continue };
        // Any module the runtime has, WASI's host modules included, provides its own
        // functions (a function it lacks stays a link error).
        if rt.has_module(&import.module) {
            continue;
        }
        let field = (import.name, ty);
        match missing.iter_mut().find(|(m, _)| *m == import.module) {
            Some((_, fields)) => fields.push(field),
            None => missing.push((import.module, vec![field])),
        }
    }
    for (name, fields) in missing {
        let mut host = rt.host_module(&name);
        for (field, ty) in fields {
            let what = format!("unknown import: `{name}::{field}` has not been defined");
            host = host.func_untyped(&field, ty, move |_, _, _| {
                Err(Error::Trap(kiln::Trap::host(what.clone())))
            });
        }
        host.instantiate()?;
    }
    Ok(())
}

pub fn run(a: RunArgs) -> Result<ExitCode, String> {
    let artifact = super::is_artifact_file(&a.module)?;
    if artifact && a.interpreter {
        return Err(format!(
            "{} is a compiled artifact; --interpreter needs the .wasm",
            a.module.display()
        ));
    }
    // An artifact compiled with interruption checks needs a runtime with interruption on.
    let interruptible_artifact = artifact && artifact_is_interruptible(&a.module);
    let rt = Runtime::with_config(runtime_config(&a, interruptible_artifact)?);
    if let Some(fuel) = a.fuel {
        rt.set_fuel(fuel);
    }
    kiln::wasi::instantiate(&rt).map_err(describe)?;
    let module = if artifact {
        let loaded = if a.trust_keys.is_empty() {
            // SAFETY: the user named this artifact on the command line to run it, vouching
            // for it as for a native binary they run (without --trust-key, no signature is
            // asked for).
            unsafe { rt.load_artifact_unsigned(&a.module) }
        } else {
            rt.load_artifact(&a.module)
        };
        loaded.map_err(|e| {
            let hint = if a.timeout.is_some() && !interruptible_artifact {
                " (--timeout needs an artifact compiled with `kiln compile --interruptible`)"
            } else if a.fuel.is_some() {
                " (--fuel needs an artifact compiled with `kiln compile --fuel`)"
            } else {
                ""
            };
            format!("{}: {e}{hint}", a.module.display())
        })?
    } else {
        rt.compile_owned(super::read_module(&a.module)?)
            .map_err(|e| format!("{}: {e}", a.module.display()))?
    };
    if a.trap_unknown_imports {
        define_unknown_imports_as_traps(&rt, &module).map_err(describe)?;
    }
    let config = module_config(&a)?;
    if let Some(limit) = a.timeout {
        let handle = rt.interrupt_handle();
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            handle.interrupt();
        });
    }
    let instance = match rt.instantiate(&module, config) {
        Ok(i) => i,
        Err(e) => return finish_with_error(e, &a),
    };
    let Some(name) = a.invoke.clone() else {
        return Ok(ExitCode::SUCCESS);
    };
    let func = instance
        .exported_function(&name)
        .ok_or_else(|| format!("no exported function \"{name}\""))?;
    let params = func.ty().params();
    if params.len() != a.args.len() {
        return Err(format!(
            "\"{name}\" takes {} arguments ({}), {} given",
            params.len(),
            func.ty(),
            a.args.len()
        ));
    }
    let args = a
        .args
        .iter()
        .zip(params)
        .map(|(t, ty)| values::parse(t, *ty))
        .collect::<Result<Vec<_>, _>>()?;
    let results = match func.call(&args) {
        Ok(r) => r,
        Err(e) => return finish_with_error(e, &a),
    };
    for r in &results {
        println!("{}", values::format(r));
    }
    Ok(ExitCode::SUCCESS)
}

/// The exit code for a run that ended in `e`: the guest's exit code for `proc_exit`, 124
/// (as `timeout(1)`) when `--timeout` interrupted it, else an error message and 1.
fn finish_with_error(e: Error, a: &RunArgs) -> Result<ExitCode, String> {
    match e {
        Error::Exit(e) => Ok(exit_code(e.code)),
        Error::Trap(t) if t.code() == TrapCode::Interrupted && a.timeout.is_some() => {
            let limit = a.timeout.unwrap_or_default();
            eprintln!(
                "error: {} did not finish within --timeout {limit:?}; stopped it",
                a.module.display()
            );
            Ok(ExitCode::from(124))
        }
        e => Err(describe(e)),
    }
}

/// The runtime configuration the flags ask for; interruption is on for `--timeout` and
/// for an artifact compiled with interruption checks (`interruptible_artifact`).
/// The profilers `--profile` names.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Profiler {
    /// Linux perf's map of JIT symbols, `/tmp/perf-<pid>.map`.
    Perfmap,
    /// perf's jitdump, `/tmp/jit-<pid>.dump`.
    Jitdump,
}

fn runtime_config(a: &RunArgs, interruptible_artifact: bool) -> Result<RuntimeConfig, String> {
    let engine = if a.interpreter { Engine::Interpreter } else { Engine::Auto };
    let interruption = a.timeout.is_some() || interruptible_artifact;
    let mut config = RuntimeConfig::new()
        .with_engine(engine)
        .with_interruption(interruption)
        .with_fuel(a.fuel.is_some())
        .with_core_features(a.features);
    for k in &a.trust_keys {
        config = config.with_trusted_key(super::keygen::read_public_key(k)?);
    }
    if let Some(bytes) = a.max_memory {
        config = config.with_memory_limit_pages(bytes / 65536);
    }
    if let Some(dir) = &a.cache_dir {
        config =
            config.with_compilation_cache(CompilationCache::with_directory(dir).map_err(describe)?);
    }
    if let Some(profiler) = a.profile {
        use kiln::profiling::{ProfilingStrategy, enable, jitdump_path, perf_map_path};
        let (strategy, name, path) = match profiler {
            Profiler::Perfmap => (ProfilingStrategy::PerfMap, "perfmap", perf_map_path()),
            Profiler::Jitdump => (ProfilingStrategy::JitDump, "jitdump", jitdump_path()),
        };
        enable(strategy).map_err(|e| format!("--profile={name}: {}: {e}", path.display()))?;
        config = config.with_profiling(strategy);
    }
    config = config.with_debug_info(a.debug_info);
    Ok(config)
}

/// Whether the artifact at `path` carries interruption checks (false when its header does
/// not decode; loading it reports why). A blob's header is its first bytes; an object's
/// facts live in its `.kiln.meta` section, so an object is read whole.
fn artifact_is_interruptible(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    if (&mut file).take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.starts_with(b"\x7fELF") && file.read_to_end(&mut head).is_err() {
        return false;
    }
    kiln::artifact_header(&head).is_ok_and(|h| h.settings.epoch_interruption)
}

/// `--timeout`: a number with a unit, `ms`, `s`, `m` or `h` (e.g. `500ms`, `10s`, `1.5s`).
fn parse_duration(s: &str) -> Result<Duration, String> {
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("`{s}` is not a duration like 500ms or 10s"))?;
    let secs = match unit.trim() {
        "ms" => n / 1e3,
        "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "" => return Err(format!("`{s}` needs a unit: ms, s, m or h")),
        u => return Err(format!("unknown unit `{u}` in `{s}`: use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(secs).map_err(|_| format!("`{s}` is out of range"))
}

/// `--max-memory`: bytes, optionally with a unit (`KiB`, `MiB`, `GiB`, or `K`/`M`/`G` as
/// the same binary units).
fn parse_size(s: &str) -> Result<u64, String> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("`{s}` is not a size like 64MiB or 1GiB"))?;
    let mult: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "KiB" | "k" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        u => return Err(format!("unknown unit `{u}` in `{s}`: use KiB, MiB or GiB")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("`{s}` is too large"))
}

/// The module configuration: the command-line grants.
fn module_config(a: &RunArgs) -> Result<ModuleConfig, String> {
    let start: Vec<&str> = if a.invoke.is_some() { vec!["_initialize"] } else { vec!["_start"] };
    let program = a.module.to_string_lossy().into_owned();
    let mut config = ModuleConfig::new()
        .with_start_functions(start)
        .with_args(std::iter::once(program).chain(a.args.iter().cloned()))
        .with_stdin_fd(dup(std::io::stdin().as_fd())?)
        .with_stdout_fd(dup(std::io::stdout().as_fd())?)
        .with_stderr_fd(dup(std::io::stderr().as_fd())?)
        .with_sys_walltime()
        .with_sys_nanotime()
        .with_sys_nanosleep()
        .with_sys_rand();
    let mut fs = FSConfig::new();
    for d in &a.dirs {
        let (host, guest) = split_dir(d);
        fs = fs.with_dir_mount(host, guest);
    }
    for d in &a.dirs_ro {
        let (host, guest) = split_dir(d);
        fs = fs.with_read_only_dir_mount(host, guest);
    }
    config = config.with_fs_config(fs);
    if let Some(logging) = a.host_logging {
        config = config.with_host_logging(logging);
    }
    for e in &a.envs {
        match e.split_once('=') {
            Some((k, v)) => config = config.with_env(k, v),
            None => {
                if let Some(v) = std::env::var_os(e) {
                    let v = v
                        .into_string()
                        .map_err(|_| format!("--env {e}: the host value is not UTF-8"))?;
                    config = config.with_env(e.as_str(), v);
                }
            }
        }
    }
    for addr in &a.tcp_listen {
        let l =
            std::net::TcpListener::bind(addr).map_err(|e| format!("--tcplisten {addr}: {e}"))?;
        config = config.with_tcp_listener(l);
    }
    Ok(config)
}

/// A descriptor of its own for one of the process's standard streams: the guest reads
/// and writes it directly and sees its real kind (terminal, pipe, file).
fn dup(fd: std::os::fd::BorrowedFd<'_>) -> Result<std::os::fd::OwnedFd, String> {
    fd.try_clone_to_owned().map_err(|e| format!("cannot duplicate a standard stream: {e}"))
}

/// `HOST::GUEST`, or `HOST` seen under the same path.
fn split_dir(spec: &str) -> (&str, &str) {
    spec.split_once("::").unwrap_or((spec, spec))
}

fn exit_code(code: u32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(u8::MAX))
}

fn describe(e: Error) -> String {
    e.to_string()
}
