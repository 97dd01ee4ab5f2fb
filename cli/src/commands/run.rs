//! `kiln run`: runs a WASI command (its `_start`) or calls one exported function.
//!
//! A command gets what a command-line user expects: the host's clocks and random source,
//! inherited stdin/stdout/stderr, the arguments after the module, and only the
//! directories (`--dir`, `--dir-ro`), environment variables (`--env`) and sockets
//! (`--tcplisten`) granted on the command line. The process exits with the guest's exit
//! code.

use crate::values;
use clap::Args;
use kiln::{Engine, Error, FSConfig, ModuleConfig, Runtime, RuntimeConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kiln run`.
#[derive(Args)]
pub struct RunArgs {
    /// The module to run (.wasm).
    module: PathBuf,
    /// Call this exported function instead of `_start`, printing its results (after
    /// `_initialize`, when the module exports one).
    #[arg(long)]
    invoke: Option<String>,
    /// Run on the interpreter.
    #[arg(long)]
    interpreter: bool,
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
    /// Arguments for the program (after the module, optionally after `--`), or for the
    /// invoked function.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs the module. The exit code is the guest's `proc_exit` code (capped at 255), 0
/// when it returns normally, 1 on any other error or trap.
pub fn run(a: RunArgs) -> Result<ExitCode, String> {
    let wasm = super::read_module(&a.module)?;
    let rt = Runtime::with_config(runtime_config(&a));
    kiln::wasi::instantiate(&rt).map_err(describe)?;
    let module = rt.compile(&wasm).map_err(|e| format!("{}: {e}", a.module.display()))?;
    let config = module_config(&a)?;
    let instance = match rt.instantiate(&module, config) {
        Ok(i) => i,
        Err(Error::Exit(e)) => return Ok(exit_code(e.code)),
        Err(e) => return Err(describe(e)),
    };
    let Some(name) = a.invoke else {
        return Ok(ExitCode::SUCCESS);
    };
    let func = instance.exported_function(&name).ok_or_else(|| format!("no exported function \"{name}\""))?;
    let params = func.ty().params();
    if params.len() != a.args.len() {
        return Err(format!("\"{name}\" takes {} arguments ({}), {} given", params.len(), func.ty(), a.args.len()));
    }
    let args = a.args.iter().zip(params).map(|(t, ty)| values::parse(t, *ty)).collect::<Result<Vec<_>, _>>()?;
    let results = match func.call(&args) {
        Ok(r) => r,
        Err(Error::Exit(e)) => return Ok(exit_code(e.code)),
        Err(e) => return Err(describe(e)),
    };
    for r in &results {
        println!("{}", values::format(r));
    }
    Ok(ExitCode::SUCCESS)
}

/// The runtime configuration the flags ask for.
fn runtime_config(a: &RunArgs) -> RuntimeConfig {
    let engine = if a.interpreter { Engine::Interpreter } else { Engine::Auto };
    RuntimeConfig::new().with_engine(engine)
}

/// The module configuration: the command-line grants.
fn module_config(a: &RunArgs) -> Result<ModuleConfig, String> {
    let start: Vec<&str> = if a.invoke.is_some() { vec!["_initialize"] } else { vec!["_start"] };
    let program = a.module.to_string_lossy().into_owned();
    let mut config = ModuleConfig::new()
        .with_start_functions(start)
        .with_args(std::iter::once(program).chain(a.args.iter().cloned()))
        .with_stdin(std::io::stdin())
        .with_stdout(std::io::stdout())
        .with_stderr(std::io::stderr())
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
    for e in &a.envs {
        match e.split_once('=') {
            Some((k, v)) => config = config.with_env(k, v),
            None => {
                if let Some(v) = std::env::var_os(e) {
                    let v = v.into_string().map_err(|_| format!("--env {e}: the host value is not UTF-8"))?;
                    config = config.with_env(e.as_str(), v);
                }
            }
        }
    }
    for addr in &a.tcp_listen {
        let l = std::net::TcpListener::bind(addr).map_err(|e| format!("--tcplisten {addr}: {e}"))?;
        config = config.with_tcp_listener(l);
    }
    Ok(config)
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
