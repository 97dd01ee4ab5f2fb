//! `args_get`, `args_sizes_get`, `environ_get`, `environ_sizes_get`: NUL-terminated
//! strings in one buffer plus an array of `u32` pointers into it.

use super::errno::{Errno, WasiResult};
use super::guest_memory::GuestMemory;

/// The strings a guest sees as its environment: `KEY=VALUE`.
pub(crate) fn environ_strings(env: &[(String, String)]) -> Vec<String> {
    env.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// `*_sizes_get(count_ptr, buf_size_ptr)`: the number of strings and the bytes they take
/// with their NUL terminators. `EFAULT` for pointers outside memory.
pub(crate) fn sizes_get(
    strings: &[String],
    mem: &GuestMemory,
    count_ptr: u32,
    size_ptr: u32,
) -> WasiResult {
    let size: usize = strings.iter().map(|s| s.len() + 1).sum();
    let count = u32::try_from(strings.len()).map_err(|_| Errno::E2BIG)?;
    let size = u32::try_from(size).map_err(|_| Errno::E2BIG)?;
    mem.check(count_ptr, 4)?;
    mem.check(size_ptr, 4)?;
    mem.write_u32(count_ptr, count)?;
    mem.write_u32(size_ptr, size)
}

/// `*_get(ptrs, buf)`: writes each string NUL-terminated into `buf` and its address into
/// the `u32` array at `ptrs`. `EFAULT` when either does not fit in memory (nothing is
/// written then).
pub(crate) fn get(strings: &[String], mem: &GuestMemory, ptrs: u32, buf: u32) -> WasiResult {
    let mut bytes = Vec::new();
    let mut addrs = Vec::with_capacity(strings.len() * 4);
    for s in strings {
        let addr = u32::try_from(u64::from(buf) + bytes.len() as u64).map_err(|_| Errno::EFAULT)?;
        addrs.extend_from_slice(&addr.to_le_bytes());
        bytes.extend_from_slice(s.as_bytes());
        bytes.push(0);
    }
    mem.check(ptrs, addrs.len() as u64)?;
    mem.check(buf, bytes.len() as u64)?;
    mem.write(buf, &bytes)?;
    mem.write(ptrs, &addrs)
}

/// Checks that args and environment can be handed to a guest: no NUL inside a string,
/// no `=` or empty name in an environment key.
pub(crate) fn validate(args: &[String], env: &[(String, String)]) -> Result<(), String> {
    if let Some(a) = args.iter().find(|a| a.contains('\0')) {
        return Err(format!("WASI argument {a:?} contains a NUL byte"));
    }
    for (k, v) in env {
        if k.is_empty() || k.contains('=') || k.contains('\0') {
            return Err(format!(
                "WASI environment variable name {k:?} is empty or contains '=' or NUL"
            ));
        }
        if v.contains('\0') {
            return Err(format!("WASI environment variable {k} has a value containing a NUL byte"));
        }
    }
    Ok(())
}
