//! Linear memory access from the host: size, grow, bounds-checked little-endian reads and
//! writes. Offsets, sizes and page counts are `u64`, for 64-bit memories (memory64) as
//! for 32-bit ones.

use crate::error::Error;
use crate::instance::check_open;
use kiln_runtime_support::instance::{InstanceHandle, MemoryRef};
use kiln_runtime_support::types::{MemoryType, WASM_PAGE_SIZE};
use kiln_runtime_support::vm::Store;
use std::sync::Arc;

/// A linear memory (pages of 64 KiB) of an instance or host module. `Send` and `Sync`;
/// each access takes the runtime's lock. It keeps its instance alive, so the sizes stay
/// readable after [`crate::Instance::close`]; reads, writes and growth then fail with
/// [`Error::Closed`].
#[derive(Clone)]
pub struct Memory {
    pub(crate) store: Arc<Store>,
    pub(crate) mem: MemoryRef,
    /// The instance that exported it (`None` for a host memory).
    pub(crate) owner: Option<InstanceHandle>,
}

// SAFETY: the memory is only reached under the store lock, and `owner` (or the store, for
// host memories) keeps it alive.
unsafe impl Send for Memory {}
// SAFETY: as above.
unsafe impl Sync for Memory {}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memory({} pages)", self.size())
    }
}

/// Typed little-endian accessors (`read_u32`/`write_u32` ...) over a type's `read` and
/// `write`; shared by [`Memory`] and [`crate::SharedMemory`].
macro_rules! rw {
    ($read:ident, $write:ident, $t:ty, $doc:literal) => {
        #[doc = concat!("Reads ", $doc, " at byte `offset` (little-endian).\n\n# Errors\n[`Error::OutOfBounds`] past the end of memory.")]
        pub fn $read(&self, offset: u64) -> Result<$t, Error> {
            let mut b = [0u8; std::mem::size_of::<$t>()];
            self.read(offset, &mut b)?;
            Ok(<$t>::from_le_bytes(b))
        }
        #[doc = concat!("Writes ", $doc, " at byte `offset` (little-endian).\n\n# Errors\n[`Error::OutOfBounds`] past the end of memory.")]
        pub fn $write(&self, offset: u64, v: $t) -> Result<(), Error> {
            self.write(offset, &v.to_le_bytes())
        }
    };
}
pub(crate) use rw;

impl Memory {
    fn def(&self) -> (*mut u8, u64) {
        let _guard = self.store.lock();
        // SAFETY: memory refs point to definitions that live as long as `owner` or `store`.
        unsafe { ((*self.mem.def).base, (*self.mem.def).length() as u64) }
    }

    /// Current size in pages of 64 KiB.
    pub fn size(&self) -> u64 {
        self.def().1 / WASM_PAGE_SIZE
    }

    /// Current size in bytes.
    pub fn data_size(&self) -> u64 {
        self.def().1
    }

    /// The memory's type: current size as minimum, declared maximum, index type (`i64` for
    /// a 64-bit memory).
    pub fn ty(&self) -> MemoryType {
        let _guard = self.store.lock();
        self.mem.ty()
    }

    /// Grows by `delta` pages of 64 KiB (spec `memory.grow`), returning the previous size
    /// in pages.
    ///
    /// # Errors
    /// [`Error::Resource`] when the memory would exceed its maximum or the runtime's limit,
    /// or the runtime's [`crate::ResourceLimiter`] refuses;
    /// [`Error::Closed`] when its instance was closed.
    pub fn grow(&self, delta: u64) -> Result<u64, Error> {
        let _guard = self.store.lock();
        check_open(self.owner.as_ref())?;
        // SAFETY: the lock is held; the memory object is not borrowed elsewhere during this
        // call.
        unsafe { self.mem.grow(&self.store, delta) }.ok_or_else(|| {
            Error::Resource(kiln_runtime_support::ResourceError {
                message: format!("cannot grow memory of {} pages by {delta} pages", self.size()),
            })
        })
    }

    /// A handle to this memory as a [`crate::SharedMemory`], usable by instances of any
    /// runtime, if it is shared (`(memory min max shared)`, threads proposal); `None` for an
    /// unshared memory.
    pub fn shared(&self) -> Option<crate::SharedMemory> {
        self.mem.shared_memory().map(|inner| crate::SharedMemory { inner })
    }

    fn check(&self, offset: u64, len: usize) -> Result<*mut u8, Error> {
        let (base, size) = self.def();
        match offset.checked_add(len as u64) {
            Some(end) if end <= size => {
                // SAFETY: offset < size, inside the accessible mapping.
                Ok(unsafe { base.add(offset as usize) })
            }
            _ => Err(Error::OutOfBounds { offset, len: len as u64 }),
        }
    }

    /// Copies `buf.len()` bytes starting at `offset` into `buf`.
    ///
    /// # Errors
    /// [`Error::OutOfBounds`] when the range passes the end of memory; [`Error::Closed`]
    /// when its instance was closed.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let _guard = self.store.lock();
        check_open(self.owner.as_ref())?;
        let p = self.check(offset, buf.len())?;
        // SAFETY: the range was checked; `buf` cannot overlap guest memory it doesn't own.
        unsafe { std::ptr::copy(p, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Copies `bytes` into memory at `offset`.
    ///
    /// # Errors
    /// [`Error::OutOfBounds`] when the range passes the end of memory; [`Error::Closed`]
    /// when its instance was closed.
    pub fn write(&self, offset: u64, bytes: &[u8]) -> Result<(), Error> {
        let _guard = self.store.lock();
        check_open(self.owner.as_ref())?;
        let p = self.check(offset, bytes.len())?;
        // SAFETY: the range was checked.
        unsafe { std::ptr::copy(bytes.as_ptr(), p, bytes.len()) };
        Ok(())
    }

    /// Reads `len` bytes at `offset` into a new vector.
    ///
    /// # Errors
    /// [`Error::OutOfBounds`] when the range passes the end of memory.
    pub fn read_vec(&self, offset: u64, len: usize) -> Result<Vec<u8>, Error> {
        let mut v = vec![0; len];
        self.read(offset, &mut v)?;
        Ok(v)
    }

    rw!(read_u8, write_u8, u8, "a `u8`");
    rw!(read_u16_le, write_u16_le, u16, "a `u16`");
    rw!(read_u32_le, write_u32_le, u32, "a `u32`");
    rw!(read_u64_le, write_u64_le, u64, "a `u64`");
    rw!(read_f32_le, write_f32_le, f32, "an `f32`");
    rw!(read_f64_le, write_f64_le, f64, "an `f64`");
}
