//! Shared linear memories (threads proposal) as the embedder sees them: one memory used by
//! instances of several runtimes on several threads, as wasmtime's `SharedMemory`.

use crate::error::Error;
use crate::memory::rw;
use kiln_runtime_support::instance::MemoryRef;
use kiln_runtime_support::types::{MemoryType, WASM_PAGE_SIZE};
use kiln_runtime_support::vm::{self, MemoryStyle};

/// A shared linear memory (pages of 64 KiB; threads proposal): `Send + Sync`, tied to no
/// runtime. Import it into instances of any runtime (with [`crate::Imports::define`] or a
/// host module's [`crate::HostModuleBuilder::export_shared_memory`]) whose module imports a
/// `(memory min max shared)` it matches; a module's own shared memory is exported as a
/// [`crate::Memory`], which [`crate::Memory::shared`] turns into this handle.
///
/// The memory lives while any handle to it, or any instance or runtime using it, lives. It
/// never moves: its maximum is reserved up front (plus the guard region compiled code relies
/// on, address space only), and growth, from any thread, is serialized.
///
/// The accessors below read and write the bytes with plain copies: they do not
/// synchronize with wasm running on other threads (use atomics in wasm for that). Offsets,
/// sizes and page counts are `u64`, as [`crate::Memory`]'s.
#[derive(Clone, Debug)]
pub struct SharedMemory {
    pub(crate) inner: vm::SharedMemory,
}

impl SharedMemory {
    /// A new zeroed 32-bit shared memory of `min_pages`, growable to `max_pages` (pages of
    /// 64 KiB; at most 65536).
    ///
    /// # Errors
    /// [`Error::Resource`] when `min_pages > max_pages`, `max_pages` exceeds 65536, or the
    /// host refuses the reservation.
    pub fn new(min_pages: u64, max_pages: u64) -> Result<Self, Error> {
        Self::with_type(MemoryType::new_shared(min_pages, max_pages))
    }

    /// A new zeroed shared memory of type `ty` (32- or 64-bit; it must be shared and have a
    /// maximum).
    ///
    /// # Errors
    /// [`Error::Resource`] when the type is not shared, has no maximum, a minimum above its
    /// maximum or a maximum above its index type's, or the host refuses the reservation.
    pub fn with_type(ty: MemoryType) -> Result<Self, Error> {
        let resource =
            |message: String| Error::Resource(kiln_runtime_support::ResourceError { message });
        match ty.limits.max {
            Some(max) if ty.limits.min > max => {
                return Err(resource(format!(
                    "minimum of {} pages above the maximum of {max}",
                    ty.limits.min
                )));
            }
            Some(max) if max > ty.max_pages() => {
                return Err(resource(format!(
                    "maximum of {max} pages above the {} pages of a {}-bit memory",
                    ty.max_pages(),
                    if ty.index_type.is_64() { 64 } else { 32 }
                )));
            }
            _ => {}
        }
        // The reservation every engine may rely on (a shared memory can be imported by a
        // runtime of any configuration): native code's guard pages when this host has them.
        let style = crate::reservation::memory_style(
            crate::Engine::Auto,
            MemoryStyle { limit_pages: ty.max_pages(), ..MemoryStyle::default() },
        );
        Ok(SharedMemory { inner: vm::SharedMemory::new(&ty, style)? })
    }

    pub(crate) fn raw(&self) -> MemoryRef {
        MemoryRef::of_shared(&self.inner)
    }

    /// Whether `self` and `other` are handles to the same memory.
    pub fn same(&self, other: &SharedMemory) -> bool {
        std::ptr::eq(self.inner.as_ptr(), other.inner.as_ptr())
    }

    /// Current size in pages of 64 KiB.
    pub fn size(&self) -> u64 {
        self.inner.size_pages()
    }

    /// Current size in bytes.
    pub fn data_size(&self) -> u64 {
        self.size() * WASM_PAGE_SIZE
    }

    /// The memory's type: current size as minimum, declared maximum, index type, shared.
    pub fn ty(&self) -> MemoryType {
        self.inner.ty()
    }

    /// Grows by `delta` pages of 64 KiB (spec `memory.grow`), returning the previous size
    /// in pages; every instance using the memory sees the new size.
    ///
    /// # Errors
    /// [`Error::Resource`] when the memory would exceed its maximum.
    pub fn grow(&self, delta: u64) -> Result<u64, Error> {
        self.inner.grow(delta, |_, _| true).ok_or_else(|| {
            Error::Resource(kiln_runtime_support::ResourceError {
                message: format!(
                    "cannot grow shared memory of {} pages by {delta} pages",
                    self.size()
                ),
            })
        })
    }

    fn check(&self, offset: u64, len: usize) -> Result<*mut u8, Error> {
        let def = self.inner.def();
        // SAFETY: the definition lives as long as the memory; its base never changes and its
        // length only grows.
        let (base, size) = unsafe { ((*def).base, (*def).length() as u64) };
        match offset.checked_add(len as u64) {
            // SAFETY: offset + len <= size: inside the accessible pages, which stay so.
            Some(end) if end <= size => Ok(unsafe { base.add(offset as usize) }),
            _ => Err(Error::OutOfBounds { offset, len: len as u64 }),
        }
    }

    /// Copies `buf.len()` bytes starting at `offset` into `buf`.
    ///
    /// # Errors
    /// [`Error::OutOfBounds`] when the range passes the end of memory.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let p = self.check(offset, buf.len())?;
        // SAFETY: the range was checked; `buf` cannot overlap guest memory. Other threads
        // may write the bytes meanwhile (wasm memory is plain bytes; the copy then sees some
        // mix of old and new values).
        unsafe { std::ptr::copy(p, buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Copies `bytes` into memory at `offset`.
    ///
    /// # Errors
    /// [`Error::OutOfBounds`] when the range passes the end of memory.
    pub fn write(&self, offset: u64, bytes: &[u8]) -> Result<(), Error> {
        let p = self.check(offset, bytes.len())?;
        // SAFETY: the range was checked; as in `read` for other threads.
        unsafe { std::ptr::copy(bytes.as_ptr(), p, bytes.len()) };
        Ok(())
    }

    /// `memory.atomic.notify` from the host: wakes up to `count` threads waiting (in
    /// `memory.atomic.wait32/64`) on byte address `addr`; returns how many it woke.
    ///
    /// # Errors
    /// [`Error::Trap`] (`unaligned atomic`, `out of bounds memory access`) as the
    /// instruction would trap.
    pub fn atomic_notify(&self, addr: u64, count: u32) -> Result<u32, Error> {
        kiln_runtime_support::atomics::notify(&self.raw(), addr, 0, count)
            .map_err(|code| Error::Trap(kiln_runtime_support::Trap::new(code)))
    }

    rw!(read_u8, write_u8, u8, "a `u8`");
    rw!(read_u16_le, write_u16_le, u16, "a `u16`");
    rw!(read_u32_le, write_u32_le, u32, "a `u32`");
    rw!(read_u64_le, write_u64_le, u64, "a `u64`");
}
