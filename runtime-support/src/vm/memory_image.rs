//! A memory image to map copy-on-write into new linear memories: from an artifact file (the
//! format side is [`crate::artifact::memory_image`]), or, for a module compiled in process,
//! from an anonymous in-memory file (`memfd_create`) holding the same bytes, so both kinds
//! of compiled module instantiate without copying their data segments.

use crate::artifact::memory_image::{IMAGE_PAGE, MemoryImageDecl};
use crate::error::ResourceError;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// An initialized-memory image in an open artifact file, ready to map into instances.
#[derive(Debug)]
pub struct MemoryImage {
    /// Process-unique, never reused: what kept reservations that hold the image name it by
    /// (`super::reservation_pool`).
    id: u64,
    file: Arc<File>,
    file_offset: u64,
    decl: MemoryImageDecl,
}

impl MemoryImage {
    /// The image `decl` (validated against the module) at byte `file_offset` of `file`,
    /// or `None` when it cannot be mapped here: the offset is not a multiple of
    /// [`IMAGE_PAGE`] or the host's page size is not [`IMAGE_PAGE`] (the segments are then
    /// copied).
    pub fn new(file: Arc<File>, file_offset: u64, decl: MemoryImageDecl) -> Option<Self> {
        let aligned = file_offset.is_multiple_of(IMAGE_PAGE)
            && crate::vm::code_memory::page_size() as u64 == IMAGE_PAGE;
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        aligned.then(|| Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            file,
            file_offset,
            decl,
        })
    }

    /// The image `bytes` for `decl` in a new anonymous in-memory file (`memfd_create`), or
    /// `None` when the host cannot make one or its page size is not [`IMAGE_PAGE`] (the
    /// segments are then copied at each instantiation, as before).
    pub fn in_memory(decl: MemoryImageDecl, bytes: &[u8]) -> Option<Self> {
        use std::io::Write;
        use std::os::fd::FromRawFd;
        if bytes.len() as u64 != decl.len {
            return None;
        }
        // SAFETY: the name is a NUL-terminated string; the flags are valid.
        let fd = unsafe { libc::memfd_create(c"kiln-memory-image".as_ptr(), libc::MFD_CLOEXEC) };
        if fd < 0 {
            return None;
        }
        // SAFETY: `fd` is a new descriptor this call owns; the `File` closes it.
        let mut file = unsafe { File::from_raw_fd(fd) };
        file.write_all(bytes).ok()?;
        Self::new(Arc::new(file), 0, decl)
    }

    /// Where the image goes.
    pub fn decl(&self) -> &MemoryImageDecl {
        &self.decl
    }

    /// The image's process-unique id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Maps the image read+write, private (copy-on-write), over bytes
    /// `decl.offset..decl.offset + decl.len` of the memory at `base`, whose accessible
    /// length is `len` bytes.
    ///
    /// # Errors
    /// [`ResourceError`] when the image does not fit `len` (the memory is then unchanged)
    /// or the host refuses the mapping (the range may then be left inaccessible, so
    /// instantiation must fail).
    ///
    /// # Safety
    /// `base..base + len` must be a read+write mapping owned by one linear memory that
    /// nothing else borrows while this runs (its contents there are replaced).
    pub unsafe fn map_into(&self, base: *mut u8, len: usize) -> Result<(), ResourceError> {
        let (offset, size) = (self.decl.offset as usize, self.decl.len as usize);
        if offset.checked_add(size).is_none_or(|end| end > len)
            || !(base as usize).is_multiple_of(IMAGE_PAGE as usize)
        {
            return Err(ResourceError { message: "memory image does not fit the memory".into() });
        }
        let file_offset = libc::off_t::try_from(self.file_offset)
            .map_err(|_| ResourceError { message: "memory image offset too large".into() })?;
        // SAFETY: the target range lies inside the caller's memory mapping (checked above),
        // page-aligned (base is page-aligned; offset is a multiple of the page size, checked
        // by `MemoryImageDecl::validate` and `new`); MAP_FIXED replaces exactly those pages
        // with a private mapping of the file, which the memory's munmap later removes with
        // the rest of the reservation.
        let p = unsafe {
            libc::mmap(
                base.add(offset).cast(),
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_FIXED,
                self.file.as_raw_fd(),
                file_offset,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(ResourceError {
                message: format!(
                    "cannot map the memory image: {}",
                    std::io::Error::last_os_error()
                ),
            });
        }
        Ok(())
    }
}

impl Drop for MemoryImage {
    fn drop(&mut self) {
        super::reservation_pool::forget_image(self.id);
    }
}
