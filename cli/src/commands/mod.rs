//! One module per subcommand.

pub mod inspect;
pub mod run;

/// Reads a module file, naming the path in the error.
pub fn read_module(path: &std::path::Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}
