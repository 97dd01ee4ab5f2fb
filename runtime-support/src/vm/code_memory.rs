//! Executable memory for compiled code (W^X: pages are never writable and executable at
//! once; DESIGN.md principle 2). Code arrives already linked (position-independent, no
//! relocations left), so it is either mapped read+execute straight from an artifact file
//! ([`CodeMemory::map_file`]) or copied into fresh pages that are then flipped to
//! read+execute ([`CodeMemory::copy`]).
//!
//! Every executable mapping is counted per thread ([`executable_mappings_on_this_thread`]),
//! so tests can prove that a rejected artifact mapped nothing executable.

use crate::error::ResourceError;
use std::cell::Cell;

thread_local! {
    static EXEC_MAPPINGS: Cell<u64> = const { Cell::new(0) };
}

/// How many executable mappings this thread has created so far (mappings are counted when
/// they become executable, not when they are dropped).
pub fn executable_mappings_on_this_thread() -> u64 {
    EXEC_MAPPINGS.with(Cell::get)
}

fn count_mapping() {
    EXEC_MAPPINGS.with(|c| c.set(c.get() + 1));
}

/// A read+execute mapping holding one module's code.
#[derive(Debug)]
pub struct CodeMemory {
    ptr: *mut u8,
    len: usize,
    file_backed: bool,
}

// SAFETY: the mapping is immutable (read+execute) once constructed and owned by this value;
// sharing its address between threads is sound.
unsafe impl Send for CodeMemory {}
// SAFETY: as above; no interior mutability.
unsafe impl Sync for CodeMemory {}

/// The host's page size in bytes.
pub fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 { p as usize } else { 4096 }
}

impl CodeMemory {
    /// Copies `text` (linked, position-independent code) into fresh pages and makes them
    /// read+execute.
    ///
    /// # Errors
    /// [`ResourceError`] when the host refuses the mapping or the protection change.
    pub fn copy(text: &[u8]) -> Result<Self, ResourceError> {
        let err = |message: String| ResourceError { message };
        let len = text.len().next_multiple_of(page_size()).max(page_size());
        // SAFETY: an anonymous private mapping at a kernel-chosen address touches no
        // existing memory.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(err(format!("cannot map {len} bytes of code")));
        }
        let mem = CodeMemory { ptr: ptr.cast(), len, file_backed: false };
        // SAFETY: the mapping is `len >= text.len()` bytes, readable and writable, and ours.
        let dst = unsafe { std::slice::from_raw_parts_mut(mem.ptr, text.len()) };
        dst.copy_from_slice(text);
        // SAFETY: the mapping is ours; from here on it is read+execute only (W^X).
        let rc = unsafe { libc::mprotect(mem.ptr.cast(), len, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            return Err(err("cannot make code executable".into()));
        }
        #[cfg(target_arch = "aarch64")]
        clear_icache(mem.ptr, text.len());
        count_mapping();
        Ok(mem)
    }

    /// Maps `len` bytes of `file` at byte `offset` read+execute, private, straight from the
    /// file: the pages stay clean and are shared with every other process mapping the same
    /// artifact. `offset` must be a multiple of [`page_size`].
    ///
    /// The caller must have verified those bytes (the artifact's payload checksum) first;
    /// the file should not be modified while mapped (artifacts are written to a temporary
    /// file and renamed into place, so a rewrite gets a new file).
    ///
    /// # Errors
    /// [`ResourceError`] when `offset` is not page-aligned, `len` is 0 or the host refuses
    /// the mapping.
    pub fn map_file(file: &std::fs::File, offset: u64, len: usize) -> Result<Self, ResourceError> {
        use std::os::fd::AsRawFd;
        let err = |message: String| ResourceError { message };
        if !offset.is_multiple_of(page_size() as u64) || len == 0 {
            return Err(err(format!("code at file offset {offset:#x} ({len} bytes) cannot be mapped")));
        }
        let off = libc::off_t::try_from(offset).map_err(|_| err("code offset too large".into()))?;
        // SAFETY: a new private read+execute mapping of an open file at a kernel-chosen
        // address; it aliases no Rust object. Bytes past the file's end (none here: the
        // caller checked the section lies in the file) would read as zero or fault.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_EXEC,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                off,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(err(format!(
                "cannot map {len} bytes of code from the artifact: {}",
                std::io::Error::last_os_error()
            )));
        }
        count_mapping();
        Ok(CodeMemory { ptr: ptr.cast(), len, file_backed: true })
    }

    /// Address of the code's first byte.
    pub fn base(&self) -> *const u8 {
        self.ptr
    }

    /// Length of the mapping in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the mapping is empty (never: at least one page is mapped).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the pages are mapped from a file (`true`) or were copied (`false`).
    pub fn is_file_backed(&self) -> bool {
        self.file_backed
    }
}

#[cfg(target_arch = "aarch64")]
fn clear_icache(ptr: *mut u8, len: usize) {
    unsafe extern "C" {
        fn __clear_cache(start: *mut libc::c_char, end: *mut libc::c_char);
    }
    // SAFETY: [ptr, ptr+len) is the freshly written code; clearing caches has no other effect.
    unsafe { __clear_cache(ptr.cast(), ptr.add(len).cast()) };
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: we own the mapping; the owner unregisters the code before dropping it and
        // no wasm of it runs any more.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}
