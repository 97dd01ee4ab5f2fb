//! Linear memories (spec 4.2.8): a reserved virtual address range, the accessible prefix
//! read-write, the rest inaccessible. Reservations are reused through
//! [`super::reservation_pool`].

use super::reservation_pool::MappedImage;
use super::vmcontext::VMMemoryDefinition;
use crate::error::ResourceError;
use crate::types::{IndexType, MemoryType, WASM_PAGE_SIZE};

/// How a memory reserves address space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryStyle {
    /// Largest number of pages any memory may reach (the embedder's limit). A 32-bit
    /// memory is also capped at 65536 pages (4 GiB) by its index type.
    pub limit_pages: u64,
    /// Reserve address space for the maximum (or the limit) up front, so the memory never
    /// moves when it grows.
    pub reserve_to_max: bool,
    /// Inaccessible bytes reserved after the maximum of a 32-bit memory (guard region for
    /// compiled code). 64-bit memories have none: compiled code checks their bounds.
    pub guard_bytes: u64,
    /// Address space a 32-bit memory reserves at least (before the guard), whatever its
    /// size and maximum: 4 GiB for compiled code that relies on guard pages instead of
    /// bounds checks (DESIGN.md principle 4); 0 otherwise. 64-bit memories reserve only
    /// what they need (and may move when they grow).
    pub min_reserve_bytes: u64,
}

impl Default for MemoryStyle {
    fn default() -> Self {
        Self {
            limit_pages: crate::types::WASM32_MAX_PAGES,
            reserve_to_max: false,
            guard_bytes: 0,
            min_reserve_bytes: 0,
        }
    }
}

/// One linear memory. Owns its mapping; keeps the [`VMMemoryDefinition`] it is bound to up
/// to date when it grows or moves.
#[derive(Debug)]
pub struct LinearMemory {
    ptr: *mut u8,
    reserved: usize,
    len: usize,
    max_pages: u64,
    declared_max: Option<u64>,
    index_type: IndexType,
    style: MemoryStyle,
    def: *mut VMMemoryDefinition,
    /// The memory image mapped from a file into the accessible pages, if any.
    image: Option<MappedImage>,
}

fn host_page() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 { p as usize } else { 4096 }
}

/// The byte size of `pages` pages, saturating at the largest `usize`.
fn bytes(pages: u64) -> usize {
    usize::try_from(pages.saturating_mul(WASM_PAGE_SIZE)).unwrap_or(usize::MAX)
}

fn too_large(ty: &MemoryType) -> ResourceError {
    ResourceError { message: format!("a memory of {} pages does not fit this host", ty.limits.min) }
}

/// Maps `reserved` bytes inaccessible, then makes the first `accessible` read-write.
fn map(reserved: usize, accessible: usize) -> Result<*mut u8, ResourceError> {
    // SAFETY: an anonymous private mapping at an address of the kernel's choosing touches no
    // existing memory.
    let ptr = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            reserved,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if ptr == libc::MAP_FAILED {
        return Err(ResourceError {
            message: format!("cannot reserve {reserved} bytes for a linear memory"),
        });
    }
    if accessible > 0 {
        // SAFETY: [ptr, ptr+accessible) lies in the mapping just created.
        let rc = unsafe { libc::mprotect(ptr, accessible, libc::PROT_READ | libc::PROT_WRITE) };
        if rc != 0 {
            // SAFETY: unmapping the mapping just created, which nothing else refers to.
            unsafe { libc::munmap(ptr, reserved) };
            return Err(ResourceError {
                message: format!("cannot commit {accessible} bytes of linear memory"),
            });
        }
    }
    Ok(ptr.cast())
}

impl LinearMemory {
    /// Creates a memory of type `ty` under `style`, bound to no definition yet.
    ///
    /// # Errors
    /// [`ResourceError`] when the minimum exceeds the limit or the host refuses the mapping.
    pub fn new(ty: &MemoryType, style: MemoryStyle) -> Result<Self, ResourceError> {
        Self::for_image(ty, style, None)
    }

    /// [`Self::new`] for a memory that [`Self::map_image`] will give the memory image of
    /// id `image` ([`super::MemoryImage::id`]): a kept reservation that still holds that
    /// image is preferred, and mapping it again is then skipped.
    ///
    /// # Errors
    /// As [`Self::new`].
    pub fn for_image(
        ty: &MemoryType,
        style: MemoryStyle,
        image: Option<u64>,
    ) -> Result<Self, ResourceError> {
        let limit = style.limit_pages.min(ty.max_pages());
        if ty.limits.min > limit {
            return Err(ResourceError {
                message: format!(
                    "memory minimum of {} pages exceeds the limit of {limit} pages",
                    ty.limits.min
                ),
            });
        }
        let style = match ty.index_type {
            IndexType::I32 => style,
            IndexType::I64 => MemoryStyle { guard_bytes: 0, min_reserve_bytes: 0, ..style },
        };
        let max_pages = ty.limits.max.unwrap_or(limit).min(limit);
        let len = ty
            .limits
            .min
            .checked_mul(WASM_PAGE_SIZE)
            .and_then(|b| usize::try_from(b).ok())
            .ok_or_else(|| too_large(ty))?;
        let want = if style.reserve_to_max { bytes(max_pages) } else { len };
        let want = want.max(style.min_reserve_bytes as usize);
        let reserved = want
            .max(len)
            .checked_add(style.guard_bytes as usize)
            .and_then(|r| r.checked_next_multiple_of(host_page()))
            .ok_or_else(|| too_large(ty))?
            .max(host_page());
        let (ptr, image) = match super::reservation_pool::take(reserved, len, image) {
            Some(taken) => taken,
            None => (map(reserved, len)?, None),
        };
        Ok(Self {
            ptr,
            reserved,
            len,
            max_pages,
            declared_max: ty.limits.max,
            index_type: ty.index_type,
            style,
            def: std::ptr::null_mut(),
            image,
        })
    }

    /// Maps `image` copy-on-write over the bytes it initializes (instead of copying data
    /// segments there).
    ///
    /// # Errors
    /// [`ResourceError`] when the image does not fit the memory or the host refuses the
    /// mapping (the memory must then not be used: its pages there may be inaccessible).
    pub fn map_image(&mut self, image: &super::MemoryImage) -> Result<(), ResourceError> {
        let decl = image.decl();
        let mapped =
            MappedImage { id: image.id(), offset: decl.offset as usize, len: decl.len as usize };
        if self.image == Some(mapped) {
            // A kept reservation that already holds the image, reset to it.
            return Ok(());
        }
        debug_assert!(self.image.is_none(), "a new memory holds no other image");
        // SAFETY: `ptr..ptr+len` is this memory's read+write range, which `&mut self`
        // borrows exclusively.
        unsafe { image.map_into(self.ptr, self.len)? };
        self.image = Some(mapped);
        Ok(())
    }

    /// Binds this memory to `def` and writes its current base and length there.
    ///
    /// # Safety
    /// `def` must stay valid for writes for as long as this memory lives or until it is
    /// rebound.
    pub unsafe fn bind(&mut self, def: *mut VMMemoryDefinition) {
        self.def = def;
        self.publish();
    }

    fn publish(&self) {
        if !self.def.is_null() {
            // SAFETY: `bind`'s contract keeps `def` valid while bound.
            unsafe {
                // Written only when it changes: a shared memory's base (which never
                // changes) is read by other threads without synchronization.
                if (*self.def).base != self.ptr {
                    (*self.def).base = self.ptr;
                }
                (*self.def).current_length.store(self.len, std::sync::atomic::Ordering::Release);
            }
        }
    }

    /// Current size in pages of 64 KiB.
    pub fn size_pages(&self) -> u64 {
        self.len as u64 / WASM_PAGE_SIZE
    }

    /// Current size in bytes.
    pub fn size_bytes(&self) -> usize {
        self.len
    }

    /// The maximum number of pages this memory may reach (its type's maximum capped by the
    /// embedder's limit).
    pub fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// The maximum the memory's type declares, in pages, if any.
    pub fn declared_max(&self) -> Option<u64> {
        self.declared_max
    }

    /// The memory's index type (`i64` for a 64-bit memory).
    pub fn index_type(&self) -> IndexType {
        self.index_type
    }

    /// Address of byte 0 (changes when a growth has to move the memory).
    pub fn base(&self) -> *mut u8 {
        self.ptr
    }

    /// Grows by `delta` pages (spec `memory.grow`). Returns the previous size in pages, or
    /// `None` when the result would exceed the maximum or the host refuses the memory; the
    /// memory is then unchanged.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.size_pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        if delta == 0 {
            return Some(old);
        }
        let new_len = usize::try_from(new.checked_mul(WASM_PAGE_SIZE)?).ok()?;
        if new_len.checked_add(self.style.guard_bytes as usize)? <= self.reserved {
            // SAFETY: [ptr+len, ptr+new_len) lies inside our reservation.
            let rc = unsafe {
                libc::mprotect(
                    self.ptr.add(self.len).cast(),
                    new_len - self.len,
                    libc::PROT_READ | libc::PROT_WRITE,
                )
            };
            if rc != 0 {
                return None;
            }
        } else {
            let reserved = new_len
                .max(self.len.saturating_mul(2))
                .min(bytes(self.max_pages))
                .max(new_len)
                .checked_add(self.style.guard_bytes as usize)?
                .checked_next_multiple_of(host_page())?;
            let to = map(reserved, 0).ok()?;
            // SAFETY: `to` is a fresh reservation of `reserved >= new_len` bytes; nothing
            // refers to the old pages once the memory has moved (compiled code reloads the
            // base of a memory that may move).
            unsafe { self.relocate(to, reserved, new_len) }?;
        }
        self.len = new_len;
        self.publish();
        Some(old)
    }

    /// Moves the memory into the fresh inaccessible reservation `to` (`reserved` bytes),
    /// with its first `new_len` bytes accessible, and releases the old reservation. On Linux
    /// the pages move with `mremap` (no copy, and pages never touched stay uncommitted, which
    /// matters for a 64-bit memory of gigabytes); where that is not possible (another OS, or
    /// accessible bytes that span mappings of different kinds, such as a memory image mapped
    /// from a file) they are copied.
    ///
    /// Returns `None` when the host refuses to make the new bytes accessible; the memory
    /// then keeps its length and contents (possibly at the new address) and `to` is
    /// released or in use by it.
    ///
    /// # Safety
    /// `to` must be a fresh `PROT_NONE` reservation of `reserved >= new_len >= self.len`
    /// bytes that nothing else uses, and nothing may use the old pages afterwards.
    unsafe fn relocate(&mut self, to: *mut u8, reserved: usize, new_len: usize) -> Option<()> {
        #[cfg(target_os = "linux")]
        if self.len > 0 {
            // SAFETY: moves this memory's own accessible pages over the start of `to`, which
            // the caller reserved for it (MREMAP_FIXED replaces that part of the mapping).
            let moved = unsafe {
                libc::mremap(
                    self.ptr.cast(),
                    self.len,
                    self.len,
                    libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                    to.cast::<libc::c_void>(),
                )
            };
            if moved != libc::MAP_FAILED {
                // SAFETY: the old reservation's remaining (inaccessible) tail is this
                // memory's own; [to+len, to+new_len) lies in the fresh reservation.
                let rc = unsafe {
                    libc::munmap(self.ptr.add(self.len).cast(), self.reserved - self.len);
                    libc::mprotect(
                        to.add(self.len).cast(),
                        new_len - self.len,
                        libc::PROT_READ | libc::PROT_WRITE,
                    )
                };
                self.ptr = to;
                self.reserved = reserved;
                if rc != 0 {
                    self.publish();
                    return None;
                }
                return Some(());
            }
        }
        // SAFETY: [to, to+new_len) lies in the fresh reservation.
        let rc = unsafe { libc::mprotect(to.cast(), new_len, libc::PROT_READ | libc::PROT_WRITE) };
        if rc != 0 {
            // SAFETY: the fresh reservation, which nothing refers to.
            unsafe { libc::munmap(to.cast(), reserved) };
            return None;
        }
        // SAFETY: both ranges are mapped readable/writable for `len` bytes and distinct; the
        // old reservation is this memory's own.
        unsafe {
            std::ptr::copy_nonoverlapping(self.ptr, to, self.len);
            libc::munmap(self.ptr.cast(), self.reserved);
        }
        self.ptr = to;
        self.reserved = reserved;
        self.image = None;
        Some(())
    }
}

impl Drop for LinearMemory {
    fn drop(&mut self) {
        // SAFETY: we own the reservation; nothing refers to it once the memory is dropped.
        unsafe { super::reservation_pool::give(self.ptr, self.reserved, self.len, self.image) };
    }
}
