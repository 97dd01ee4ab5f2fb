//! Bounds-checked access to the calling instance's memory 0 for WASI functions: every
//! pointer the guest passes is checked, and a range outside the memory (or a caller with
//! no memory) is `EFAULT`, never a panic.

use super::errno::{Errno, WasiResult};
use kiln_runtime_support::instance::MemoryRef;

/// The caller's memory as WASI sees it (wasm32: pointers and lengths are `u32`).
pub(crate) struct GuestMemory {
    mem: Option<MemoryRef>,
}

impl GuestMemory {
    /// The memory behind `mem` (`None`: the caller has no memory, every access is
    /// `EFAULT`). The memory must stay alive while this value is used: a WASI call runs
    /// within the call of the instance that owns it.
    pub(crate) fn new(mem: Option<MemoryRef>) -> Self {
        Self { mem }
    }

    /// The memory's base and current length in bytes, read afresh (a call never grows
    /// the memory, but nothing here assumes it).
    fn span(&self) -> WasiResult<(*mut u8, u64)> {
        let m = self.mem.ok_or(Errno::EFAULT)?;
        // SAFETY: a memory ref points to a store-owned definition that lives as long as the
        // store, and the calling instance (which uses that store) is running.
        Ok(unsafe { ((*m.def).base, (*m.def).length() as u64) })
    }

    /// The address of `[ptr, ptr + len)`, `EFAULT` when it is not inside the memory.
    fn at(&self, ptr: u32, len: usize) -> WasiResult<*mut u8> {
        let (base, size) = self.span()?;
        match u64::from(ptr).checked_add(len as u64) {
            // SAFETY: the range lies inside the memory's accessible bytes.
            Some(end) if end <= size => Ok(unsafe { base.add(ptr as usize) }),
            _ => Err(Errno::EFAULT),
        }
    }

    /// Reads `len` bytes at `ptr`.
    pub(crate) fn read(&self, ptr: u32, len: u32) -> WasiResult<Vec<u8>> {
        let p = self.at(ptr, len as usize)?;
        let mut v = vec![0u8; len as usize];
        // SAFETY: `at` checked the range; `v` is a fresh host buffer.
        unsafe { std::ptr::copy_nonoverlapping(p, v.as_mut_ptr(), v.len()) };
        Ok(v)
    }

    /// Writes `bytes` at `ptr`.
    pub(crate) fn write(&self, ptr: u32, bytes: &[u8]) -> WasiResult {
        let p = self.at(ptr, bytes.len())?;
        // SAFETY: `at` checked the range; `bytes` is host memory, or guest memory copied
        // with `copy` semantics (overlap allowed).
        unsafe { std::ptr::copy(bytes.as_ptr(), p, bytes.len()) };
        Ok(())
    }

    /// Checks that `[ptr, ptr + len)` is inside the memory, without copying.
    pub(crate) fn check(&self, ptr: u32, len: u64) -> WasiResult {
        match u64::from(ptr).checked_add(len) {
            Some(end) if end <= self.span()?.1 => Ok(()),
            _ => Err(Errno::EFAULT),
        }
    }

    pub(crate) fn write_u32(&self, ptr: u32, v: u32) -> WasiResult {
        self.write(ptr, &v.to_le_bytes())
    }

    pub(crate) fn write_u64(&self, ptr: u32, v: u64) -> WasiResult {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Reads a UTF-8 path of `len` bytes at `ptr`: `EFAULT` out of bounds, `EILSEQ` when
    /// not UTF-8, `EINVAL` when it contains NUL.
    pub(crate) fn read_path(&self, ptr: u32, len: u32) -> WasiResult<String> {
        let bytes = self.read(ptr, len)?;
        let s = String::from_utf8(bytes).map_err(|_| Errno::EILSEQ)?;
        if s.contains('\0') {
            return Err(Errno::EINVAL);
        }
        Ok(s)
    }

    /// Reads an `iovec`/`ciovec` array of `count` entries (`{buf: u32, buf_len: u32}`, 8
    /// bytes each) at `ptr`, checking that every buffer is inside the memory.
    pub(crate) fn iovecs(&self, ptr: u32, count: u32) -> WasiResult<Vec<(u32, u32)>> {
        let raw = self.read(ptr, count.checked_mul(8).ok_or(Errno::EFAULT)?)?;
        raw.chunks_exact(8)
            .map(|c| {
                let buf = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                let len = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
                self.check(buf, u64::from(len))?;
                Ok((buf, len))
            })
            .collect()
    }

    /// Gathers the bytes of a `ciovec` array (for writes), at most `limit` of them (a
    /// larger request becomes a short write, as POSIX allows).
    pub(crate) fn gather(&self, iovs: &[(u32, u32)], limit: usize) -> WasiResult<Vec<u8>> {
        let mut out = Vec::with_capacity(iovecs_len(iovs).min(limit));
        for &(buf, len) in iovs {
            if out.len() >= limit {
                break;
            }
            let take = (len as usize).min(limit - out.len());
            out.extend_from_slice(&self.read(buf, take as u32)?);
        }
        Ok(out)
    }

    /// Scatters `data` over an `iovec` array (for reads), in order.
    pub(crate) fn scatter(&self, iovs: &[(u32, u32)], mut data: &[u8]) -> WasiResult {
        for &(buf, len) in iovs {
            if data.is_empty() {
                break;
            }
            let n = (len as usize).min(data.len());
            self.write(buf, &data[..n])?;
            data = &data[n..];
        }
        Ok(())
    }
}

/// The most bytes one read or write moves; a larger request is a short read or write,
/// which POSIX allows and wasi-libc handles.
pub(crate) const MAX_IO: usize = 16 << 20;

/// The total capacity in bytes of an `iovec` array.
pub(crate) fn iovecs_len(iovs: &[(u32, u32)]) -> usize {
    iovs.iter().map(|&(_, l)| l as usize).sum()
}
