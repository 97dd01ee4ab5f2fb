//! The file table of a DWARF line program that Kiln writes (the compiler's ELF objects and
//! the debugger images of loaded code, [`crate::vm::gdb_jit`]): source paths as the module's
//! DWARF names them, each split once into a directory and a file entry.

use gimli::write::{DirectoryId, FileId, LineProgram, LineString};
use std::collections::HashMap;

/// The files added to one line program, by path.
#[derive(Default)]
pub struct LineFiles {
    by_path: HashMap<String, FileId>,
}

impl LineFiles {
    /// The file entry of `path` in `program` (`dir/name`; a path without a directory goes
    /// in the program's default directory), added on first use.
    pub fn get(&mut self, program: &mut LineProgram, path: &str) -> FileId {
        if let Some(&id) = self.by_path.get(path) {
            return id;
        }
        let (dir, name) = match path.rfind('/') {
            Some(i) if i + 1 < path.len() => (&path[..i.max(1)], &path[i + 1..]),
            _ => ("", path),
        };
        let dir: DirectoryId = if dir.is_empty() {
            program.default_directory()
        } else {
            program.add_directory(LineString::String(dir.as_bytes().to_vec()))
        };
        let id = program.add_file(LineString::String(name.as_bytes().to_vec()), dir, None);
        self.by_path.insert(path.to_string(), id);
        id
    }
}
