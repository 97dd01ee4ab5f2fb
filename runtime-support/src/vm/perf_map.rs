//! The perf map: Linux `perf`'s text file of symbols for code it finds no symbol table for,
//! `/tmp/perf-<pid>.map`, one line per symbol: `<start address hex> <size hex> <name>`.
//!
//! Once [`enable`]d (by a runtime configured with perf-map profiling; the file belongs to
//! the process, so this is process-wide), every module whose native code is loaded
//! afterwards, compiled in process or mapped from an artifact, appends a line per wasm
//! function, named `wasm[<module>]::<function>` (the name section's names, or
//! `func[<index>]`), and one for its trampolines. `perf report` then names compiled wasm
//! functions. perf consults the map only for anonymous executable memory, so while the map
//! is on the loader copies an artifact's code into fresh pages instead of mapping the file. Code that is unloaded leaves its lines behind (perf reads the file after the
//! process ends; a later module may reuse the addresses and appends its own lines, which
//! perf takes over the earlier ones).

use super::code_symbols;
use super::compiled_code::CodeMeta;
use std::fmt::Write as _;
use std::fs::File;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);
static FILE: Mutex<Option<File>> = Mutex::new(None);

/// The perf map's path for this process: `/tmp/perf-<pid>.map`.
pub fn path() -> std::path::PathBuf {
    std::path::PathBuf::from(format!("/tmp/perf-{}.map", std::process::id()))
}

/// Turns the perf map on for the rest of the process: code loaded from now on is written
/// to [`path`].
///
/// # Errors
/// The I/O error when the file cannot be created or opened for appending.
pub fn enable() -> std::io::Result<()> {
    let mut file = FILE.lock().unwrap_or_else(|p| p.into_inner());
    if file.is_none() {
        *file = Some(std::fs::OpenOptions::new().create(true).append(true).open(path())?);
    }
    ENABLED.store(true, Ordering::Release);
    Ok(())
}

/// Whether [`enable`] was called in this process.
pub fn is_enabled() -> bool {
    ENABLED.load(Ordering::Acquire)
}

/// Appends the symbols of `code` when the perf map is on (nothing otherwise). A write
/// error turns the map off: profiling never fails a load.
pub(super) fn record(code: &CodeMeta) {
    if !is_enabled() {
        return;
    }
    let module = code_symbols::module_name(code);
    let mut text = String::new();
    for s in code_symbols::symbols(code) {
        // Names are one line each: perf splits on the first two spaces only.
        let _ = writeln!(text, "{:x} {:x} wasm[{module}]::{}", s.start, s.record.len, s.name);
    }
    let mut file = FILE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(f) = file.as_mut()
        && f.write_all(text.as_bytes()).is_err()
    {
        *file = None;
        ENABLED.store(false, Ordering::Release);
    }
}
