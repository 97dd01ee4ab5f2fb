//! One module per subcommand.

pub mod compile;
pub mod inspect;
pub mod keygen;
pub mod run;
pub mod wast;

/// Reads a module file, naming the path in the error. A file that is neither a wasm
/// binary nor a Kiln artifact is read as WebAssembly text (`.wat`) and converted to binary,
/// as `wasmtime` does; compile errors then give offsets in that binary.
pub fn read_module(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.starts_with(b"\0asm") || kiln::is_artifact(&bytes) || !looks_like_text(&bytes) {
        return Ok(bytes);
    }
    wat::parse_bytes(&bytes).map(|b| b.into_owned()).map_err(|mut e| {
        // One line: `path:line:col: message` instead of wat's multi-line snippet.
        e.set_path(path);
        let text = e.to_string();
        let message = text.lines().next().unwrap_or("").trim();
        match text.lines().find_map(|l| l.trim().strip_prefix("--> ")) {
            Some(at) => format!("{at}: invalid WebAssembly text: {message}"),
            None => format!("{}: invalid WebAssembly text: {message}", path.display()),
        }
    })
}

/// Whether `bytes` start, after whitespace and comments, like a WebAssembly text module.
fn looks_like_text(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut rest = text.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix(";;") {
            rest = r.split_once('\n').map_or("", |(_, after)| after).trim_start();
        } else if rest.starts_with("(;") {
            rest = rest.split_once(";)").map_or("", |(_, after)| after).trim_start();
        } else {
            return rest.starts_with('(');
        }
    }
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
