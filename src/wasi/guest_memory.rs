//! Bounds-checked access to the calling instance's memory 0 for WASI functions: every
//! pointer the guest passes is checked, and a range outside the memory (or a caller with
//! no memory) is `EFAULT`, never a panic.

use super::errno::{Errno, WasiResult};
use crate::memory::Memory;

/// The caller's memory as WASI sees it (wasm32: pointers and lengths are `u32`).
pub(crate) struct GuestMemory {
    mem: Option<Memory>,
}

impl GuestMemory {
    pub(crate) fn new(mem: Option<Memory>) -> Self {
        Self { mem }
    }

    fn mem(&self) -> WasiResult<&Memory> {
        self.mem.as_ref().ok_or(Errno::EFAULT)
    }

    /// Reads `len` bytes at `ptr`.
    pub(crate) fn read(&self, ptr: u32, len: u32) -> WasiResult<Vec<u8>> {
        let m = self.mem()?;
        if u64::from(ptr) + u64::from(len) > m.data_size() {
            return Err(Errno::EFAULT);
        }
        m.read_vec(u64::from(ptr), len as usize).map_err(|_| Errno::EFAULT)
    }

    /// Writes `bytes` at `ptr`.
    pub(crate) fn write(&self, ptr: u32, bytes: &[u8]) -> WasiResult {
        self.mem()?.write(u64::from(ptr), bytes).map_err(|_| Errno::EFAULT)
    }

    /// Checks that `[ptr, ptr + len)` is inside the memory, without copying.
    pub(crate) fn check(&self, ptr: u32, len: u64) -> WasiResult {
        match u64::from(ptr).checked_add(len) {
            Some(end) if end <= self.mem()?.data_size() => Ok(()),
            _ => Err(Errno::EFAULT),
        }
    }

    pub(crate) fn write_u32(&self, ptr: u32, v: u32) -> WasiResult {
        self.mem()?.write_u32_le(u64::from(ptr), v).map_err(|_| Errno::EFAULT)
    }

    pub(crate) fn write_u64(&self, ptr: u32, v: u64) -> WasiResult {
        self.mem()?.write_u64_le(u64::from(ptr), v).map_err(|_| Errno::EFAULT)
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
