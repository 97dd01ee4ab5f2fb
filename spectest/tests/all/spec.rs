//! Runs the 1.0 and 2.0 spec suites on every engine in [`kiln_spectest::ENGINES`]; fails on
//! any failure (assertions in the skip list are not run).

use kiln_spectest::{ENGINES, RunOptions, SpecSet, report, run_suite};

fn run(engine: kiln::Engine) {
    let opts = RunOptions::new(engine);
    let mut suites = Vec::new();
    for set in [SpecSet::V1, SpecSet::V2] {
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

#[test]
fn spec_suite_compiler() {
    assert!(ENGINES.contains(&kiln::Engine::Compiler));
    run(kiln::Engine::Compiler);
}
