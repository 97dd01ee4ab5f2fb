//! Linear-memory reservations kept for reuse, process-wide.
//!
//! Reserving a memory costs an `mmap` of its whole address range (4 GiB plus a guard
//! region for compiled code) and an `mprotect` of its accessible pages, its first writes
//! allocate page tables, and releasing it costs an `munmap` that frees them again: several
//! microseconds per instance, which dominate instantiating a small module. A released
//! reservation is instead emptied (its pages discarded with `MADV_DONTNEED`, so they read
//! as zeros again; pages mapped from an artifact's memory image are replaced by fresh
//! anonymous ones) and kept, up to [`MAX_FREE`] of them; the next memory with the same
//! reservation size takes it, changing the protection of only the pages whose
//! accessibility differs. Kept reservations hold address space and page tables, no memory.

use std::sync::Mutex;

/// Most reservations kept (4 GiB + 2 GiB guard each with the default compiled style: 96 GiB
/// of the 128 TiB user address space).
pub const MAX_FREE: usize = 16;

/// An emptied reservation: `reserved` bytes at `ptr`, the first `accessible` read+write
/// (all zero), the rest inaccessible.
struct Free {
    ptr: usize,
    reserved: usize,
    accessible: usize,
}

static FREE: Mutex<Vec<Free>> = Mutex::new(Vec::new());

fn free_list() -> std::sync::MutexGuard<'static, Vec<Free>> {
    FREE.lock().unwrap_or_else(|p| p.into_inner())
}

/// A kept reservation of exactly `reserved` bytes with its first `accessible` bytes
/// read+write and zero and the rest inaccessible, if one is kept and its protection can be
/// adjusted.
pub fn take(reserved: usize, accessible: usize) -> Option<*mut u8> {
    let r = {
        let mut list = free_list();
        let i = list.iter().position(|f| f.reserved == reserved)?;
        list.swap_remove(i)
    };
    let ptr = r.ptr as *mut u8;
    let rc = if r.accessible > accessible {
        // SAFETY: the range lies inside the reservation, which this call now owns.
        unsafe {
            libc::mprotect(ptr.add(accessible).cast(), r.accessible - accessible, libc::PROT_NONE)
        }
    } else if r.accessible < accessible {
        // SAFETY: as above.
        unsafe {
            libc::mprotect(
                ptr.add(r.accessible).cast(),
                accessible - r.accessible,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        }
    } else {
        0
    };
    if rc != 0 {
        // SAFETY: the reservation is ours and nothing refers to it.
        unsafe { libc::munmap(ptr.cast(), reserved) };
        return None;
    }
    Some(ptr)
}

/// Empties the reservation of `reserved` bytes at `ptr` whose first `accessible` bytes are
/// read+write (of which some were mapped from a file when `file_backed`), and keeps it for
/// [`take`], or unmaps it when [`MAX_FREE`] are kept or emptying fails.
///
/// # Safety
/// The caller owns the reservation (an `mmap` of `reserved` bytes at `ptr`, as
/// [`super::memory`] makes them) and gives it up: nothing may use it afterwards.
pub unsafe fn give(ptr: *mut u8, reserved: usize, accessible: usize, file_backed: bool) {
    let emptied = accessible == 0
        || if file_backed {
            // SAFETY: replaces exactly the accessible pages of the caller's reservation with
            // fresh zero pages (private file mappings would re-read the file on MADV_DONTNEED).
            let p = unsafe {
                libc::mmap(
                    ptr.cast(),
                    accessible,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_FIXED,
                    -1,
                    0,
                )
            };
            p != libc::MAP_FAILED
        } else {
            // SAFETY: private anonymous pages of the caller's reservation; discarding them makes
            // them read as zeros again.
            unsafe { libc::madvise(ptr.cast(), accessible, libc::MADV_DONTNEED) == 0 }
        };
    if emptied {
        let mut list = free_list();
        if list.len() < MAX_FREE {
            list.push(Free { ptr: ptr as usize, reserved, accessible });
            return;
        }
    }
    // SAFETY: the caller gave up the reservation.
    unsafe { libc::munmap(ptr.cast(), reserved) };
}

#[cfg(test)]
mod tests {
    use super::super::memory::{LinearMemory, MemoryStyle};
    use crate::types::{Limits, MemoryType, WASM_PAGE_SIZE};

    /// The permissions (`rw-p`, `---p`, ...) of the mapping holding `addr`.
    fn perms(addr: usize) -> String {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        for l in maps.lines() {
            let mut f = l.split_whitespace();
            let (range, perms) = (f.next().unwrap(), f.next().unwrap());
            let (a, b) = range.split_once('-').unwrap();
            let (a, b) =
                (usize::from_str_radix(a, 16).unwrap(), usize::from_str_radix(b, 16).unwrap());
            if (a..b).contains(&addr) {
                return perms.to_string();
            }
        }
        panic!("{addr:#x} is not mapped");
    }

    fn memory(min: u64, style: MemoryStyle) -> LinearMemory {
        LinearMemory::new(&MemoryType::new(Limits { min, max: Some(100) }), style).unwrap()
    }

    #[test]
    fn reused_reservations_are_zeroed_and_protected_to_the_new_size() {
        // A reservation size no other test uses, so this test gets its own back.
        let style = MemoryStyle {
            guard_bytes: 3 << 20,
            min_reserve_bytes: 7 << 20,
            ..MemoryStyle::default()
        };
        let page = WASM_PAGE_SIZE as usize;
        let mut m = memory(3, style);
        m.grow(2).unwrap();
        let (ptr, len) = (m.base(), m.size_bytes());
        // SAFETY: the memory's accessible bytes are read+write.
        unsafe { std::slice::from_raw_parts_mut(ptr, len).fill(0xa5) };
        drop(m);

        // Smaller: zeros, and the pages past the new size inaccessible again.
        let m = memory(2, style);
        assert_eq!(m.base(), ptr, "the kept reservation is reused");
        // SAFETY: as above.
        assert!(unsafe { std::slice::from_raw_parts(m.base(), 2 * page) }.iter().all(|b| *b == 0));
        assert_eq!(perms(ptr as usize + page), "rw-p");
        assert_eq!(perms(ptr as usize + 2 * page), "---p");
        assert_eq!(perms(ptr as usize + 4 * page), "---p");
        drop(m);

        // Larger: the new pages accessible and zero.
        let mut m = memory(6, style);
        assert_eq!(m.base(), ptr);
        assert_eq!(perms(ptr as usize + 5 * page), "rw-p");
        assert_eq!(perms(ptr as usize + 6 * page), "---p");
        // SAFETY: as above.
        assert!(unsafe { std::slice::from_raw_parts(m.base(), 6 * page) }.iter().all(|b| *b == 0));
        assert_eq!(m.grow(1), Some(6));
        assert_eq!(perms(ptr as usize + 6 * page), "rw-p");
    }
}
