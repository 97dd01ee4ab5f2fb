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
//!
//! A reservation whose memory had a memory image mapped ([`super::MemoryImage`]) keeps that
//! mapping: `MADV_DONTNEED` on a private file mapping drops the pages written since, so
//! the range reads as the image again. The next memory for the same image takes it first
//! and skips mapping the image ([`take`] says what it holds); a memory without an image,
//! or for another one, gets zero pages there first. When the image is dropped, the
//! reservations that hold it get zero pages there ([`forget_image`]), so a kept reservation
//! never keeps a dropped module's file mapped.

use std::sync::Mutex;

/// Most reservations kept (4 GiB + 2 GiB guard each with the default compiled style: 96 GiB
/// of the 128 TiB user address space).
pub const MAX_FREE: usize = 16;

/// The part of a reservation mapped from a memory image's file (private, copy-on-write).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MappedImage {
    /// The image's process-unique id ([`super::MemoryImage::id`]).
    pub id: u64,
    /// Where the mapping starts in the reservation, in bytes (page-aligned).
    pub offset: usize,
    /// Its length, in bytes (whole pages).
    pub len: usize,
}

/// An emptied reservation: `reserved` bytes at `ptr`, the first `accessible` read+write
/// (all zero, except the range of `image`, which reads as that image), the rest
/// inaccessible.
struct Free {
    ptr: usize,
    reserved: usize,
    accessible: usize,
    image: Option<MappedImage>,
}

/// Replaces `len` bytes at `ptr` with fresh read+write zero pages.
///
/// # Safety
/// The range must be whole pages of a reservation the caller owns, which nothing uses.
unsafe fn zero_pages(ptr: *mut u8, len: usize) -> bool {
    // SAFETY: per the contract, MAP_FIXED replaces exactly the caller's pages.
    let p = unsafe {
        libc::mmap(
            ptr.cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_FIXED,
            -1,
            0,
        )
    };
    p != libc::MAP_FAILED
}

static FREE: Mutex<Vec<Free>> = Mutex::new(Vec::new());

fn free_list() -> std::sync::MutexGuard<'static, Vec<Free>> {
    FREE.lock().unwrap_or_else(|p| p.into_inner())
}

/// A kept reservation of exactly `reserved` bytes with its first `accessible` bytes
/// read+write and the rest inaccessible, if one is kept and its protection can be adjusted,
/// and what it holds: all zeros, or the memory image `image` (by id) mapped where it goes
/// and zeros elsewhere (the `MappedImage` returned). A reservation holding `image` is
/// preferred; one holding another image gets zero pages there first.
pub fn take(
    reserved: usize,
    accessible: usize,
    image: Option<u64>,
) -> Option<(*mut u8, Option<MappedImage>)> {
    let r = {
        let mut list = free_list();
        let fits = |f: &Free| f.reserved == reserved;
        let holds = |f: &Free| f.image.map(|m| m.id);
        let i = list
            .iter()
            .position(|f| fits(f) && image.is_some() && holds(f) == image)
            .or_else(|| list.iter().position(|f| fits(f) && f.image.is_none()))
            .or_else(|| list.iter().position(fits))?;
        list.swap_remove(i)
    };
    let ptr = r.ptr as *mut u8;
    let mut kept = r.image;
    if let Some(m) = r.image
        && (Some(m.id) != image || m.offset + m.len > accessible)
    {
        kept = None;
        // SAFETY: the image's range lies inside the reservation's accessible pages, which
        // this call now owns.
        if !unsafe { zero_pages(ptr.add(m.offset), m.len) } {
            // SAFETY: the reservation is ours and nothing refers to it.
            unsafe { libc::munmap(ptr.cast(), reserved) };
            return None;
        }
    }
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
    Some((ptr, kept))
}

/// Empties the reservation of `reserved` bytes at `ptr` whose first `accessible` bytes are
/// read+write (with `image` mapped in them, if any), and keeps it for [`take`], or unmaps
/// it when [`MAX_FREE`] are kept or emptying fails.
///
/// # Safety
/// The caller owns the reservation (an `mmap` of `reserved` bytes at `ptr`, as
/// [`super::memory`] makes them) and gives it up: nothing may use it afterwards.
pub unsafe fn give(ptr: *mut u8, reserved: usize, accessible: usize, image: Option<MappedImage>) {
    // SAFETY: the caller's accessible pages: private anonymous ones read as zeros again,
    // and the private file mapping of `image` as the file's contents (the image).
    let emptied = accessible == 0
        || unsafe { libc::madvise(ptr.cast(), accessible, libc::MADV_DONTNEED) } == 0;
    if emptied {
        let mut list = free_list();
        if list.len() < MAX_FREE {
            list.push(Free { ptr: ptr as usize, reserved, accessible, image });
            return;
        }
    }
    // SAFETY: the caller gave up the reservation.
    unsafe { libc::munmap(ptr.cast(), reserved) };
}

/// Gives zero pages to every kept reservation that holds the image `id`, which is being
/// dropped (or unmaps the reservation if that fails).
pub fn forget_image(id: u64) {
    let mut list = free_list();
    list.retain_mut(|f| {
        let Some(m) = f.image.filter(|m| m.id == id) else { return true };
        f.image = None;
        // SAFETY: the pool owns its kept reservations; the image's range lies inside the
        // accessible pages.
        if unsafe { zero_pages((f.ptr + m.offset) as *mut u8, m.len) } {
            return true;
        }
        // SAFETY: as above; the reservation is dropped from the list.
        unsafe { libc::munmap(f.ptr as *mut libc::c_void, f.reserved) };
        false
    });
}

#[cfg(test)]
mod tests {
    use super::super::memory::{LinearMemory, MemoryStyle};
    use crate::types::{Limits, MemoryType, WASM_PAGE_SIZE};

    /// The permissions (`rw-p`, `---p`, ...) and the name (empty for an anonymous one) of
    /// the mapping holding `addr`.
    fn mapping(addr: usize) -> (String, String) {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        for l in maps.lines() {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (a, b) = f[0].split_once('-').unwrap();
            let (a, b) =
                (usize::from_str_radix(a, 16).unwrap(), usize::from_str_radix(b, 16).unwrap());
            if (a..b).contains(&addr) {
                return (f[1].to_string(), f.get(5).copied().unwrap_or("").to_string());
            }
        }
        panic!("{addr:#x} is not mapped");
    }

    fn perms(addr: usize) -> String {
        mapping(addr).0
    }

    fn mapped_name(addr: usize) -> String {
        mapping(addr).1
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

    #[test]
    fn kept_reservations_keep_their_image_reset_and_lose_it_to_others_and_when_it_is_dropped() {
        use super::super::MemoryImage;
        use crate::artifact::memory_image::MemoryImageDecl;
        // A reservation size no other test uses.
        let style = MemoryStyle {
            guard_bytes: 5 << 20,
            min_reserve_bytes: 9 << 20,
            ..MemoryStyle::default()
        };
        let page = 4096;
        let decl = MemoryImageDecl { memory: 0, offset: 2 * page as u64, len: 3 * page as u64 };
        let bytes: Vec<u8> = (0..3 * page).map(|i| (i % 251) as u8 | 1).collect();
        let image = MemoryImage::in_memory(decl, &bytes).expect("memfd images on Linux");
        let ty = MemoryType::new(Limits { min: 2, max: Some(100) });
        let view = |m: &LinearMemory| {
            // SAFETY: the memory's accessible bytes are read+write, and nothing else uses it.
            unsafe { std::slice::from_raw_parts_mut(m.base(), m.size_bytes()) }
        };
        let expected = |v: &[u8]| {
            v[..2 * page].iter().all(|b| *b == 0)
                && v[2 * page..5 * page] == bytes[..]
                && v[5 * page..].iter().all(|b| *b == 0)
        };

        let mut m = LinearMemory::for_image(&ty, style, Some(image.id())).unwrap();
        m.map_image(&image).unwrap();
        let base = m.base();
        assert!(mapped_name(base as usize + 2 * page).contains("kiln-memory-image"));
        assert!(expected(view(&m)));
        view(&mut m).fill(0x5a);
        drop(m);

        // The same image again: the same reservation, the image still mapped and reset.
        let mut m = LinearMemory::for_image(&ty, style, Some(image.id())).unwrap();
        assert_eq!(m.base(), base, "the reservation holding the image is preferred");
        m.map_image(&image).unwrap();
        assert!(mapped_name(base as usize + 2 * page).contains("kiln-memory-image"));
        assert!(expected(view(&m)), "written pages read as the image and zeros again");
        view(&mut m).fill(0x5b);
        drop(m);

        // A memory without an image: zero pages where the image was.
        let m = LinearMemory::new(&ty, style).unwrap();
        assert_eq!(m.base(), base);
        assert_eq!(mapped_name(base as usize + 2 * page), "", "anonymous again");
        assert!(view(&m).iter().all(|b| *b == 0));
        drop(m);

        // Kept with the image, then the image is dropped: the reservation keeps no mapping
        // of its file.
        let mut m = LinearMemory::for_image(&ty, style, Some(image.id())).unwrap();
        m.map_image(&image).unwrap();
        drop(m);
        assert!(mapped_name(base as usize + 2 * page).contains("kiln-memory-image"));
        drop(image);
        assert_eq!(mapped_name(base as usize + 2 * page), "");
        let m = LinearMemory::new(&ty, style).unwrap();
        assert_eq!(m.base(), base);
        assert!(view(&m).iter().all(|b| *b == 0));
    }
}
