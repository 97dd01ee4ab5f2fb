//! Kiln's own scripts for what the proposal suites leave out: 64-bit tables
//! (`tests/scripts/table64.wast`) and a 64-bit memory beside a 32-bit one at addresses and
//! offsets beyond 4 GiB (`tests/scripts/memory64_multi.wast`), on both engines.

use kiln::{CoreFeatures, Engine};
use kiln_spectest::{RunOptions, run_script};

const SCRIPTS: [(&str, &str); 2] = [
    ("table64.wast", include_str!("../scripts/table64.wast")),
    ("memory64_multi.wast", include_str!("../scripts/memory64_multi.wast")),
];

#[test]
fn memory64_and_table64_scripts_pass_on_both_engines() {
    let features = CoreFeatures::V2.union(CoreFeatures::MEMORY64).union(CoreFeatures::MULTI_MEMORY);
    for engine in [Engine::Interpreter, Engine::Compiler] {
        for (name, text) in SCRIPTS {
            let report = run_script(RunOptions { features, ..RunOptions::new(engine) }, name, text);
            let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
            assert_eq!(failures, Vec::<String>::new(), "{name} on {engine:?}");
            assert!(report.passed > 45, "{name} on {engine:?}: {}", report.passed);
        }
    }
}

#[test]
fn without_the_features_the_scripts_modules_are_invalid() {
    for (name, text) in SCRIPTS {
        let report = run_script(RunOptions::new(Engine::Interpreter), name, text);
        let first = report.failures.first().map(|f| f.to_string()).unwrap_or_default();
        assert!(first.contains(": module: compile failed: "), "{name}: {first}");
    }
}
