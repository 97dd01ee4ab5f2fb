//! Scripts on disk: the `.wast` files a command line names (directories are searched for
//! them), each read and run as one script.

use crate::report::FileReport;
use crate::runner::{RunOptions, run_script_isolated};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A path on the command line that names no script.
#[derive(Debug)]
pub enum ScriptPathError {
    /// The path does not exist, or it or a directory under it cannot be read.
    Unreadable {
        /// The path.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// A directory that holds no `.wast` file.
    NoScripts {
        /// The directory.
        dir: PathBuf,
    },
}

impl std::fmt::Display for ScriptPathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable { path, error } => {
                write!(f, "cannot read {}: {error}", path.display())
            }
            Self::NoScripts { dir } => write!(f, "{} holds no .wast files", dir.display()),
        }
    }
}

impl std::error::Error for ScriptPathError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unreadable { error, .. } => Some(error),
            Self::NoScripts { .. } => None,
        }
    }
}

/// The scripts `paths` name, in order: a file is taken as it is (whatever its extension); a
/// directory stands for the `*.wast` files in it and its subdirectories (symbolic links to
/// directories are not followed), sorted by path.
///
/// # Errors
/// [`ScriptPathError`] for the first path that does not exist or cannot be read, or a
/// directory without a `.wast` file.
pub fn collect_scripts(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ScriptPathError> {
    let mut scripts = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|error| ScriptPathError::Unreadable { path: path.clone(), error })?;
        if !meta.is_dir() {
            scripts.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        walk(path, &mut found)?;
        if found.is_empty() {
            return Err(ScriptPathError::NoScripts { dir: path.clone() });
        }
        found.sort();
        scripts.extend(found);
    }
    Ok(scripts)
}

/// Adds the `*.wast` files under `dir` to `found`.
fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), ScriptPathError> {
    let unreadable = |error| ScriptPathError::Unreadable { path: dir.to_path_buf(), error };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(unreadable)?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "wast") && path.is_file() {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads the script at `path` and runs it as [`run_script_isolated`] does, named by its
/// path. A file that cannot be read (or is not UTF-8) is one failure of kind `read`.
pub fn run_script_file(opts: RunOptions, path: &Path, timeout: Option<Duration>) -> FileReport {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => run_script_isolated(opts, name, text, timeout),
        Err(e) => {
            let mut report = FileReport::new(name);
            report.fail(0, "read", format!("cannot read the file: {e}"));
            report
        }
    }
}
