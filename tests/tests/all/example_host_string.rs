//! Runs the facade's `host_string` example (examples/host_string.rs) as a program and
//! checks what it prints.
//!
//! `cargo test --workspace` builds the facade's examples next to the test binaries
//! (`target/<profile>/examples/`), so this runs the real example binary. When it is missing
//! or older than the sources (for example under `cargo test -p kiln-tests`, which does not
//! build the facade's examples), the test builds it with `cargo build --example`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// `target/<profile>` of the running test binary (`target/<profile>/deps/<test>`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("test binary lives in target/<profile>/deps")
        .to_path_buf()
}

/// The newest modification time of the files under `path`.
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path).ok()?.filter_map(|e| e.ok()).filter_map(|e| newest(&e.path())).max()
}

/// Whether `exe` exists and is newer than every source the example is built from.
fn is_fresh(exe: &Path) -> bool {
    let Some(built) = std::fs::metadata(exe).ok().and_then(|m| m.modified().ok()) else {
        return false;
    };
    let root = kiln_tests::workspace_root();
    ["examples", "src", "runtime-support", "loader", "compiler", "Cargo.toml", "Cargo.lock"]
        .iter()
        .filter_map(|p| newest(&root.join(p)))
        .all(|t| t <= built)
}

#[test]
fn host_string_example_prints_the_guest_string() {
    let profile_dir = profile_dir();
    let exe =
        profile_dir.join("examples").join(format!("host_string{}", std::env::consts::EXE_SUFFIX));
    if !is_fresh(&exe) {
        let dir_name = profile_dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("profile directory name")
            .to_string();
        // Cargo names the `dev` profile's directory `debug`.
        let profile = if dir_name == "debug" { "dev".to_string() } else { dir_name };
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let build = Command::new(&cargo)
            .current_dir(kiln_tests::workspace_root())
            .args([
                "build",
                "--quiet",
                "-p",
                "kiln",
                "--example",
                "host_string",
                "--profile",
                &profile,
            ])
            .arg("--target-dir")
            .arg(profile_dir.parent().expect("target directory"))
            .status()
            .expect("run cargo build --example host_string");
        assert!(build.success(), "cargo build --example host_string failed: {build}");
    }

    let out = Command::new(&exe).output().unwrap_or_else(|e| panic!("run {}: {e}", exe.display()));
    assert!(
        out.status.success(),
        "{} failed ({}): {}",
        exe.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Hello from wasm\n");
}
