//! `kiln wast`: runs WebAssembly spec-format `.wast` scripts, as `wasmtime wast` does, with
//! the runner the spec suite uses (`kiln_spectest::runner`): every directive, the
//! `spectest` host module, `register`.

use clap::Args;
use kiln::{CoreFeatures, Engine};
use kiln_spectest::{RunOptions, collect_scripts, features, run_script_file};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kiln wast`.
#[derive(Args)]
pub struct WastArgs {
    /// Scripts to run; a directory stands for the `*.wast` files under it, sorted by path.
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
    /// Run on the interpreter.
    #[arg(long, conflicts_with = "compiler")]
    interpreter: bool,
    /// Run on the compiled engine (an error on a host it does not support); the default
    /// engine is the compiler where it is available, else the interpreter.
    #[arg(long)]
    compiler: bool,
    /// The features modules may use: v1, v2, v3 (the default), all (every feature Kiln has a flag for), or a
    /// comma list of those and proposal names (e.g. `v1,bulk-memory`). Names of proposals
    /// Kiln does not implement yet are accepted; modules using them are refused as usual.
    #[arg(long, value_name = "LIST", default_value = "v3", value_parser = features::parse)]
    features: CoreFeatures,
    /// Print every directive and its outcome as it runs.
    #[arg(short, long)]
    verbose: bool,
}

/// Runs the scripts one after the other, each in a fresh runtime, printing each file's
/// counts as it finishes, its failures (`FAIL file:line: directive: what differed`), then
/// `N passed, N failed`. Exits 1 when anything failed, a file that cannot be read or parsed
/// included.
pub fn wast(a: WastArgs) -> Result<ExitCode, String> {
    let scripts = collect_scripts(&a.paths).map_err(|e| e.to_string())?;
    let engine = if a.interpreter {
        Engine::Interpreter
    } else if a.compiler {
        Engine::Compiler
    } else {
        Engine::Auto
    };
    let opts = RunOptions { features: a.features, verbose: a.verbose, ..RunOptions::new(engine) };
    let (mut passed, mut failed) = (0, 0);
    for path in &scripts {
        let report = run_script_file(opts, path, None);
        println!("{}", report.summary());
        for f in &report.failures {
            println!("FAIL {f}");
        }
        passed += report.passed;
        failed += report.failed;
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
