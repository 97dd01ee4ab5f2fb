//! Executable memory for compiled code (W^X: pages are never writable and executable at
//! once; DESIGN.md principle 2). Code arrives already linked (position-independent, no
//! relocations left), so it is either made executable in place inside the read-only
//! private mapping of an artifact file ([`CodeMemory::protect_in_mapping`]: its pages stay
//! clean, file-backed and shared), or copied into fresh pages that are then flipped to
//! read+execute ([`CodeMemory::copy`]).
//!
//! Every executable mapping is counted per thread ([`executable_mappings_on_this_thread`]),
//! so tests can prove that a rejected artifact mapped nothing executable.

use super::code_tables::{SharedBytes, bytes_of};
use crate::error::ResourceError;
use std::cell::Cell;
use std::ops::Range;

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
pub struct CodeMemory {
    ptr: *mut u8,
    len: usize,
    file_backed: bool,
    /// For code made executable inside a larger mapping: that mapping, which owns (and
    /// finally unmaps) the pages; `None` when this value owns its mapping.
    owner: Option<SharedBytes>,
}

impl std::fmt::Debug for CodeMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeMemory")
            .field("ptr", &self.ptr)
            .field("len", &self.len)
            .field("file_backed", &self.file_backed)
            .field("in_shared_mapping", &self.owner.is_some())
            .finish()
    }
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
        let mem = CodeMemory { ptr: ptr.cast(), len, file_backed: false, owner: None };
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

    /// Makes bytes `range` of `mapping` read+execute in place, with one `mprotect`: for an
    /// artifact file mapped read-only and private (never writable, so W^X holds), whose
    /// code section is then executed from the very pages that were hashed. `range.start`
    /// must be page-aligned in memory; the protection covers whole pages, so the bytes
    /// after the range up to the next page boundary become executable too (in an
    /// artifact, the code section ends the file, so that is the zero tail past its end).
    /// The pages stay executable until `mapping` is unmapped (when its last owner, such as
    /// the returned value, is dropped).
    ///
    /// The caller must have verified those bytes (the artifact's payload checksum) first,
    /// and `mapping` must be a private read-only mapping of a file: it must never be made
    /// writable.
    ///
    /// # Errors
    /// [`ResourceError`] when the range is empty, outside the mapping or misaligned, or the
    /// host refuses the protection change.
    pub fn protect_in_mapping(
        mapping: SharedBytes,
        range: Range<usize>,
    ) -> Result<Self, ResourceError> {
        let err = |message: String| ResourceError { message };
        let bytes = bytes_of(&mapping);
        if range.is_empty() || range.end > bytes.len() {
            return Err(err(format!("code at {range:?} cannot be made executable")));
        }
        let ptr = bytes[range.clone()].as_ptr().cast_mut();
        if !(ptr as usize).is_multiple_of(page_size()) {
            return Err(err(format!("code at {range:?} is not page-aligned in memory")));
        }
        let len = range.len().next_multiple_of(page_size());
        // SAFETY: [ptr, ptr+len) lies in `mapping` (a mapping is whole pages, and the range
        // is inside it), which the returned value keeps alive; adding execute permission to
        // read-only pages invalidates no reference to them.
        let rc = unsafe { libc::mprotect(ptr.cast(), len, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            return Err(err(format!(
                "cannot make code executable: {}",
                std::io::Error::last_os_error()
            )));
        }
        count_mapping();
        Ok(CodeMemory { ptr, len, file_backed: true, owner: Some(mapping) })
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
        if self.owner.is_some() {
            // The pages belong to the shared mapping, unmapped with its last owner.
            return;
        }
        // SAFETY: we own the mapping; the owner unregisters the code before dropping it and
        // no wasm of it runs any more.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}
