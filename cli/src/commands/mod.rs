//! One module per subcommand.

pub mod compile;
pub mod inspect;
pub mod run;

/// Reads a module file, naming the path in the error.
pub fn read_module(path: &std::path::Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Whether the file at `path` starts like a Kiln artifact, blob or ELF object (reads only
/// its first bytes).
pub fn is_artifact_file(path: &std::path::Path) -> Result<bool, String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut head))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(kiln::is_artifact(&head))
}
