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
    /// Run every directive, also those of the spec suite's files that its skip list names
    /// (by default they are skipped, as in the spec-suite run, and each such file's reason
    /// is printed as `SKIP file: N directives: reason`).
    #[arg(long)]
    no_skip_list: bool,
    /// Print every directive and its outcome as it runs.
    #[arg(short, long)]
    verbose: bool,
}

/// Runs the scripts one after the other, each in a fresh runtime, printing each file's
/// counts as it finishes, its failures (`FAIL file:line: directive: what differed`) and, for
/// a spec-suite file its skip list names (`kiln_spectest::skip`), what was skipped and why,
/// then `N passed, N failed` (`, N skipped` when some were). Exits 1 when anything failed,
/// a file that cannot be read or parsed included.
pub fn wast(a: WastArgs) -> Result<ExitCode, String> {
    let scripts = collect_scripts(&a.paths).map_err(|e| e.to_string())?;
    let engine = if a.interpreter {
        Engine::Interpreter
    } else if a.compiler {
        Engine::Compiler
    } else {
        Engine::Auto
    };
    let skips = if a.no_skip_list { &[] } else { kiln_spectest::skip::SKIPS };
    let opts =
        RunOptions { features: a.features, verbose: a.verbose, skips, ..RunOptions::new(engine) };
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for path in &scripts {
        let report = run_script_file(opts, path, None);
        println!("{}", report.summary());
        for f in &report.failures {
            println!("FAIL {f}");
        }
        if report.skipped > 0 {
            let why = kiln_spectest::skip::reasons(skips, &report.file, opts.engine).join("; ");
            println!("SKIP {}: {} directives: {why}", report.file, report.skipped);
        }
        passed += report.passed;
        failed += report.failed;
        skipped += report.skipped;
    }
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
