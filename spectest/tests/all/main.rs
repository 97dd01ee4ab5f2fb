//! The spectest crate's integration tests, linked into one test binary: the runner's
//! directives (`runner`), scripts on disk and `kiln-spectest --dir` (`scripts`), the spec
//! suite on every engine (`spec`), and Kiln's own memory64 and table64 scripts (`memories`).

mod memories;
mod runner;
mod scripts;
mod spec;

use std::path::PathBuf;

/// A fresh, empty directory for one test, named by `label` (unique per test) and the
/// process id.
fn temp_dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-spectest-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
