//! Runs every spec set ([`SpecSet::ALL`]: 1.0, 2.0, SIMD, relaxed SIMD) on each of its
//! default engines ([`SpecSet::engines`]); fails on any failure (assertions in the skip list
//! are not run); the interpreter both with lazy translation (the default) and eager.

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

/// The SIMD sets: the interpreter passes them; until the compiler lowers SIMD they are not
/// among the compiler's default sets, and the compiled engine refuses their modules with the
/// typed unsupported error (the compiler's SIMD work turns this test around).
#[test]
fn simd_sets_run_on_the_interpreter_and_the_compiler_refuses_them() {
    for set in [SpecSet::Simd, SpecSet::RelaxedSimd] {
        assert_eq!(set.engines(), &[kiln::Engine::Interpreter]);
        assert!(set.files().len() >= 7, "{}", set.dir());
    }
    assert!(skip::SKIPS.is_empty());
    let suite = kiln_spectest::run_suite_filtered(
        RunOptions::new(kiln::Engine::Compiler),
        SpecSet::Simd,
        |name| name == "simd_splat.wast",
    );
    let failures: Vec<String> = suite.failures().map(|f| f.to_string()).collect();
    let (modules, rest): (Vec<&String>, Vec<&String>) =
        failures.iter().partition(|f| f.contains(": module: "));
    assert!(!modules.is_empty(), "{failures:?}");
    for f in modules {
        assert!(f.ends_with("compile failed: compile error: SIMD is not supported yet"), "{f}");
    }
    assert!(rest.iter().all(|f| f.ends_with(": no current module")), "{rest:?}");
}
