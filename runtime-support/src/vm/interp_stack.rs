//! The interpreter's value stack (8-byte slots), one per store.
//!
//! It is reserved only when the store first instantiates a module that runs on the
//! interpreter ([`InterpStack::ensure`]), so a store that only runs compiled code never pays
//! for it. It is an anonymous private mapping, not a heap allocation: the kernel hands out
//! zeroed pages as the stack first touches them, so reserving the default 8 MiB costs one
//! `mmap` call whatever its size (a zeroed heap allocation of that size would be cleared
//! eagerly once the allocator serves it from its heap). Once reserved it never moves or
//! shrinks until the store is dropped, so interpreter frames may hold pointers into it.

use crate::error::ResourceError;

/// See the module documentation.
#[derive(Debug)]
pub struct InterpStack {
    ptr: *mut u64,
    /// Slots it holds once reserved.
    slots: usize,
    reserved: bool,
}

impl InterpStack {
    /// A stack of `slots` 8-byte slots, not reserved yet ([`InterpStack::len`] is 0).
    pub fn new(slots: usize) -> Self {
        Self { ptr: std::ptr::NonNull::dangling().as_ptr(), slots, reserved: false }
    }

    /// Reserves the stack if it is not yet; a reserved stack stays where it is.
    ///
    /// # Errors
    /// [`ResourceError`] when the host refuses the mapping.
    pub fn ensure(&mut self) -> Result<(), ResourceError> {
        if self.reserved || self.slots == 0 {
            return Ok(());
        }
        let bytes = self.slots.checked_mul(8).ok_or_else(|| ResourceError {
            message: format!("an interpreter stack of {} slots is too large", self.slots),
        })?;
        // SAFETY: a new anonymous private mapping at an address of the kernel's choosing; it
        // aliases nothing.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(ResourceError {
                message: format!(
                    "cannot reserve an interpreter stack of {bytes} bytes: {}",
                    std::io::Error::last_os_error()
                ),
            });
        }
        self.ptr = p.cast();
        self.reserved = true;
        Ok(())
    }

    /// Address of slot 0 (dangling, with [`InterpStack::len`] 0, until reserved).
    pub fn as_mut_ptr(&mut self) -> *mut u64 {
        self.ptr
    }

    /// Slots available: the configured number once reserved, 0 before.
    pub fn len(&self) -> usize {
        if self.reserved { self.slots } else { 0 }
    }

    /// Whether no slot is available (not reserved yet, or configured with none).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for InterpStack {
    fn drop(&mut self) {
        if self.reserved {
            // SAFETY: the mapping is ours and nothing runs on it once the store is dropped.
            unsafe { libc::munmap(self.ptr.cast(), self.slots * 8) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_on_demand_zeroed_and_stable() {
        let mut s = InterpStack::new(1 << 16);
        assert_eq!(s.len(), 0);
        s.ensure().unwrap();
        let p = s.as_mut_ptr();
        assert_eq!(s.len(), 1 << 16);
        // SAFETY: the stack holds 1 << 16 slots.
        unsafe {
            assert_eq!(*p.add((1 << 16) - 1), 0);
            *p.add(5) = 7;
        }
        s.ensure().unwrap();
        assert_eq!(s.as_mut_ptr(), p, "a reserved stack does not move");
        // SAFETY: as above.
        assert_eq!(unsafe { *p.add(5) }, 7);
    }
}
