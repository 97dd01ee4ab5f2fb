//! Runs every spec set ([`SpecSet::ALL`]: 1.0, 2.0, SIMD, relaxed SIMD, extended-const,
//! tail-call, function-references, 3.0, multi-memory, memory64, exceptions, legacy
//! exceptions) on each of its default engines
//! ([`SpecSet::engines`]); fails on any failure (assertions in the skip list are not run);
//! the interpreter both with lazy translation (the default) and eager.

use kiln_spectest::{ENGINES, RunOptions, SpecSet, report, run_suite, skip};

fn run(engine: kiln::Engine) {
    run_with(RunOptions::new(engine));
}

fn run_with(opts: RunOptions) {
    let engine = opts.engine;
    let mut suites = Vec::new();
    for set in SpecSet::ALL.into_iter().filter(|s| s.engines().contains(&engine)) {
        let suite = run_suite(opts, set);
        println!("\n== {} ==", set.dir());
        print!("{}", report::table(std::slice::from_ref(&suite)));
        suites.push(suite);
    }
    let failures: Vec<String> =
        suites.iter().flat_map(|s| s.failures()).map(|f| f.to_string()).collect();
    for f in &failures {
        println!("FAIL [{}] {f}", report::engine_name(engine));
    }
    let passed: usize = suites.iter().map(|s| s.passed()).sum();
    assert!(passed > 0, "no directive ran");
    assert!(
        failures.is_empty(),
        "{} spec directives failed on the {}:\n{}",
        failures.len(),
        report::engine_name(engine),
        failures.join("\n")
    );
}

#[test]
fn spec_suite_interpreter() {
    run(kiln::Engine::Interpreter);
}

/// The interpreter with every function translated when its module is compiled (the test
/// above translates each on its first call, the default).
#[test]
fn spec_suite_interpreter_eager_translation() {
    run_with(RunOptions { eager_translation: true, ..RunOptions::new(kiln::Engine::Interpreter) });
}

#[test]
fn spec_suite_compiler() {
    assert!(ENGINES.contains(&kiln::Engine::Compiler));
    run(kiln::Engine::Compiler);
}

/// Every set, the SIMD, exception-handling and 3.0 ones included, runs on both engines (the
/// two tests above then run all of them); the skip list names only `wasm-v3` directives
/// that need GC, for both engines.
#[test]
fn every_set_runs_on_both_engines_with_only_gc_skipped() {
    for set in SpecSet::ALL {
        assert_eq!(set.engines(), &ENGINES, "{}", set.dir());
        assert!(!set.files().is_empty(), "{}", set.dir());
    }
    assert!(SpecSet::ALL.contains(&SpecSet::V3));
    assert!(!skip::SKIPS.is_empty());
    assert!(skip::SKIPS.iter().all(|s| s.reason == "GC: later issue"
        && s.engine.is_none()
        && s.file.starts_with("wasm-v3/")));
}
