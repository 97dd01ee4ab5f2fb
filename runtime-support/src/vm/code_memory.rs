//! Executable memory for compiled code: map, copy, relocate, then flip to read+execute
//! (W^X: the pages are never writable and executable at once; DESIGN.md principle 2).

use crate::error::ResourceError;

/// How a relocation in code is patched (all are PC-relative, so code stays
/// position-independent once its in-module references are resolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRelocKind {
    /// x86_64 rel32 (`call`, `lea [rip+..]`): `target + addend - site` as a little-endian
    /// `i32`.
    X86PcRel4,
    /// aarch64 `bl`: `(target + addend - site) >> 2` into the low 26 bits.
    Arm64Call,
    /// aarch64 `adrp`: the 4 KiB page delta into immlo/immhi.
    Arm64AdrPrelPgHi21,
    /// aarch64 `add #lo12`: the low 12 bits of the target into bits 10-21.
    Arm64AddAbsLo12Nc,
}

/// One relocation of a code image; offsets are relative to the image's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeReloc {
    /// Offset of the patched bytes.
    pub offset: u32,
    /// How to patch.
    pub kind: CodeRelocKind,
    /// Offset of the referenced code.
    pub target: u32,
    /// Added to the target's address.
    pub addend: i64,
}

/// A read+execute mapping holding one module's code.
#[derive(Debug)]
pub struct CodeMemory {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is immutable (read+execute) once constructed and owned by this value;
// sharing its address between threads is sound.
unsafe impl Send for CodeMemory {}
// SAFETY: as above; no interior mutability.
unsafe impl Sync for CodeMemory {}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 { p as usize } else { 4096 }
}

fn patch(text: &mut [u8], r: &CodeReloc, base: usize) -> Result<(), String> {
    let site = r.offset as usize;
    let width = 4;
    if site + width > text.len() {
        return Err(format!("relocation at {site:#x} lies outside the code"));
    }
    let pc = (base + site) as i64;
    let target = (base as i64) + i64::from(r.target) + r.addend;
    let field = &mut text[site..site + 4];
    let old = u32::from_le_bytes(field.try_into().expect("4 bytes"));
    let new = match r.kind {
        CodeRelocKind::X86PcRel4 => {
            let delta = i32::try_from(target - pc).map_err(|_| "rel32 out of range".to_string())?;
            delta as u32
        }
        CodeRelocKind::Arm64Call => {
            let delta = target - pc;
            if delta % 4 != 0 || !(-(1 << 27)..(1 << 27)).contains(&delta) {
                return Err("bl target out of range".into());
            }
            (old & !0x03ff_ffff) | ((delta >> 2) as u32 & 0x03ff_ffff)
        }
        CodeRelocKind::Arm64AdrPrelPgHi21 => {
            let pages = (target >> 12) - (pc >> 12);
            if !(-(1 << 20)..(1 << 20)).contains(&pages) {
                return Err("adrp target out of range".into());
            }
            let imm = pages as u32 & 0x1f_ffff;
            (old & !((0x3 << 29) | (0x7_ffff << 5))) | ((imm & 0x3) << 29) | ((imm >> 2) << 5)
        }
        CodeRelocKind::Arm64AddAbsLo12Nc => (old & !(0xfff << 10)) | (((target as u32) & 0xfff) << 10),
    };
    field.copy_from_slice(&new.to_le_bytes());
    Ok(())
}

impl CodeMemory {
    /// Maps `text` executable after applying `relocs`.
    ///
    /// # Errors
    /// [`ResourceError`] when the host refuses the mapping or a relocation does not fit.
    pub fn new(text: &[u8], relocs: &[CodeReloc]) -> Result<Self, ResourceError> {
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
        let mem = CodeMemory { ptr: ptr.cast(), len };
        // SAFETY: the mapping is `len >= text.len()` bytes, readable and writable, and ours.
        let dst = unsafe { std::slice::from_raw_parts_mut(mem.ptr, text.len()) };
        dst.copy_from_slice(text);
        for r in relocs {
            patch(dst, r, mem.ptr as usize).map_err(|m| err(format!("code relocation: {m}")))?;
        }
        // SAFETY: the mapping is ours; from here on it is read+execute only (W^X).
        let rc = unsafe { libc::mprotect(mem.ptr.cast(), len, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            return Err(err("cannot make code executable".into()));
        }
        #[cfg(target_arch = "aarch64")]
        clear_icache(mem.ptr, text.len());
        Ok(mem)
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
