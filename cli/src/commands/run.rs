//! `kiln run`.

use crate::values;
use clap::Args;
use kiln::{CompilationCache, Engine, Error, ModuleConfig, Runtime, RuntimeConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kiln run`.
#[derive(Args)]
pub struct RunArgs {
    /// The module (.wasm) or artifact (.kiln, recognized by its magic) to run.
    module: PathBuf,
    /// Call this exported function instead of `_start`, printing its results.
    #[arg(long)]
    invoke: Option<String>,
    /// Run on the interpreter (a .wasm only).
    #[arg(long)]
    interpreter: bool,
    /// Cache compiled modules as artifacts in this directory.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Arguments for the invoked function.
    #[arg(allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs the module; the exit code is 0 on success, 1 on any error or trap.
pub fn run(a: RunArgs) -> Result<ExitCode, String> {
    let engine = if a.interpreter { Engine::Interpreter } else { Engine::Auto };
    let mut config = RuntimeConfig::new().with_engine(engine);
    if let Some(dir) = &a.cache_dir {
        config = config.with_compilation_cache(CompilationCache::with_directory(dir).map_err(describe)?);
    }
    let rt = Runtime::with_config(config);
    let module = if super::is_artifact_file(&a.module)? {
        if a.interpreter {
            return Err(format!("{} is a compiled artifact; --interpreter needs the .wasm", a.module.display()));
        }
        rt.load_artifact(&a.module)
    } else {
        rt.compile(&super::read_module(&a.module)?)
    }
    .map_err(|e| format!("{}: {e}", a.module.display()))?;
    let start: Vec<String> = if a.invoke.is_some() { Vec::new() } else { vec!["_start".to_string()] };
    let instance = rt.instantiate(&module, ModuleConfig::new().with_start_functions(start)).map_err(describe)?;
    let Some(name) = a.invoke else {
        return Ok(ExitCode::SUCCESS);
    };
    let func = instance.exported_function(&name).ok_or_else(|| format!("no exported function \"{name}\""))?;
    let params = func.ty().params();
    if params.len() != a.args.len() {
        return Err(format!("\"{name}\" takes {} arguments ({}), {} given", params.len(), func.ty(), a.args.len()));
    }
    let args = a.args.iter().zip(params).map(|(t, ty)| values::parse(t, *ty)).collect::<Result<Vec<_>, _>>()?;
    let results = func.call(&args).map_err(describe)?;
    for r in &results {
        println!("{}", values::format(r));
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(e: Error) -> String {
    e.to_string()
}
