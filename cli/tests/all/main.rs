//! The `kiln` binary's integration tests, linked into one test binary: the subcommands and
//! their errors (`cli`), gdb and perf's jitdump on compiled code (`debugging`), the real WASI
//! programs (`real_programs`), `kiln wast` (`wast`) and the guest's view of the stdio it is
//! given (`wasi_stdio`).

mod cli;
mod debugging;
mod real_programs;
mod wasi_stdio;
mod wast;

use std::path::PathBuf;
use std::process::Command;

/// Runs the `kiln` binary with `args`: its exit code (-1 when killed by a signal), stdout
/// and stderr.
fn kiln(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiln")).args(args).output().expect("kiln runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh, empty directory for one test, named by `label` (unique per test) and the
/// process id.
fn temp_dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-cli-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
