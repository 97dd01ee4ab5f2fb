//! `kiln-spectest`: runs the spec suite (or, with `--dir`, any folder of `.wast` scripts)
//! and prints the failures and the per-file table, one column group per engine (each set's
//! default engines, [`kiln_spectest::SpecSet::engines`], unless `--engine` is given). Exits
//! 1 when any directive failed, 2 on a bad argument.

use clap::{Parser, ValueEnum};
use kiln_spectest::{
    ENGINES, FILE_TIMEOUT, RunOptions, SpecSet, SuiteReport, collect_scripts, features, report,
    run_script_file, run_suite_filtered,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs WebAssembly spec-format scripts on Kiln's engines.
#[derive(Parser)]
#[command(name = "kiln-spectest")]
struct Args {
    /// Run on this engine (repeatable; default: each set's engines, the interpreter and the
    /// compiler).
    #[arg(long, value_enum)]
    engine: Vec<EngineArg>,
    /// Which spec suite sets to run.
    #[arg(long, value_enum, default_value = "all", conflicts_with = "dir")]
    set: SetArg,
    /// Run the `*.wast` scripts in this folder (and its subfolders) instead of the spec
    /// suite (repeatable); the skip list does not apply.
    #[arg(long, value_name = "PATH")]
    dir: Vec<PathBuf>,
    /// Features for `--dir` runs: v1, v2, v3, all, or a comma list of proposal names.
    #[arg(long, value_name = "LIST", default_value = "v3", value_parser = features::parse, requires = "dir")]
    features: kiln::CoreFeatures,
    /// Run only the files whose name contains this text.
    #[arg(long, value_name = "SUBSTR")]
    filter: Option<String>,
    /// Print every directive and its outcome.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum EngineArg {
    #[value(alias = "interp")]
    Interpreter,
    Compiler,
    Auto,
}

#[derive(Clone, Copy, ValueEnum)]
enum SetArg {
    V1,
    V2,
    Simd,
    RelaxedSimd,
    ExtendedConst,
    TailCall,
    FunctionReferences,
    /// WebAssembly 3.0 (not part of `all` until every 3.0 proposal lands).
    WasmV3,
    MultiMemory,
    Memory64,
    Exceptions,
    LegacyExceptions,
    Threads,
    All,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let chosen: Vec<kiln::Engine> = args
        .engine
        .iter()
        .map(|e| match e {
            EngineArg::Interpreter => kiln::Engine::Interpreter,
            EngineArg::Compiler => kiln::Engine::Compiler,
            EngineArg::Auto => kiln::Engine::Auto,
        })
        .collect();
    let engines_of = |set: SpecSet| if chosen.is_empty() { set.engines() } else { &chosen[..] };
    let accept = |name: &str| args.filter.as_deref().is_none_or(|f| name.contains(f));
    let mut suites = Vec::new();
    if args.dir.is_empty() {
        let sets = match args.set {
            SetArg::V1 => vec![SpecSet::V1],
            SetArg::V2 => vec![SpecSet::V2],
            SetArg::Simd => vec![SpecSet::Simd],
            SetArg::RelaxedSimd => vec![SpecSet::RelaxedSimd],
            SetArg::ExtendedConst => vec![SpecSet::ExtendedConst],
            SetArg::TailCall => vec![SpecSet::TailCall],
            SetArg::FunctionReferences => vec![SpecSet::FunctionReferences],
            SetArg::WasmV3 => vec![SpecSet::V3],
            SetArg::MultiMemory => vec![SpecSet::MultiMemory],
            SetArg::Memory64 => vec![SpecSet::Memory64],
            SetArg::Exceptions => vec![SpecSet::Exceptions],
            SetArg::LegacyExceptions => vec![SpecSet::LegacyExceptions],
            SetArg::Threads => vec![SpecSet::Threads],
            SetArg::All => SpecSet::ALL.to_vec(),
        };
        for &set in &sets {
            let per_set: Vec<SuiteReport> = engines_of(set)
                .iter()
                .map(|&engine| {
                    let opts = RunOptions { verbose: args.verbose, ..RunOptions::new(engine) };
                    // Each set's default engines run the files that run on them by default;
                    // an engine named with --engine runs every file.
                    let default_file =
                        |_: &str| !chosen.is_empty() || set.engines().contains(&engine);
                    let suite =
                        run_suite_filtered(opts, set, |name| accept(name) && default_file(name));
                    print_failures(&suite);
                    suite
                })
                .collect();
            println!("\n== {} ==", set.dir());
            print!("{}", report::table(&per_set));
            suites.extend(per_set);
        }
        if sets.len() > 1 {
            println!("\n== total ==");
            let (p, f, s) = suites
                .iter()
                .fold((0, 0, 0), |(a, b, c), x| (a + x.passed(), b + x.failed(), c + x.skipped()));
            println!("{}", report::totals_line(p, f, s));
        }
    } else {
        let scripts = match collect_scripts(&args.dir) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let engines = if chosen.is_empty() { &ENGINES[..] } else { &chosen[..] };
        for &engine in engines {
            let opts = RunOptions {
                features: args.features,
                verbose: args.verbose,
                ..RunOptions::new(engine)
            };
            let files = scripts
                .iter()
                .filter(|p| accept(&p.display().to_string()))
                .map(|p| run_script_file(opts, p, Some(FILE_TIMEOUT)))
                .collect();
            let suite = SuiteReport { engine, files };
            print_failures(&suite);
            suites.push(suite);
        }
        println!();
        print!("{}", report::table(&suites));
    }
    let failed: usize = suites.iter().map(|s| s.failed()).sum();
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn print_failures(suite: &SuiteReport) {
    for f in suite.failures() {
        println!("FAIL [{}] {f}", report::engine_name(suite.engine));
    }
}
