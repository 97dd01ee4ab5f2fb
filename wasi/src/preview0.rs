//! `wasi_unstable` (preview0), the ABI before `wasi_snapshot_preview1`, which wasmtime
//! and wazero's CLI still run. It has the functions of preview1 but `sock_accept`, with
//! the same names, signatures and errno values, and differs in a few layouts and values
//! (from `wasi_unstable.witx`):
//! - `filestat`: `nlink` is a `u32` (at offset 20), so `size`, `atim`, `mtim`, `ctim`
//!   follow at 24..56 and the record is 56 bytes (`fd_filestat_get`, `path_filestat_get`);
//! - `whence`: `cur` = 0, `end` = 1, `set` = 2 (`fd_seek`);
//! - `rights`: there is no `sock_accept` right (`fd_fdstat_get`);
//! - `subscription_clock` starts with a `u64` `identifier`, so its clock id is at offset 24
//!   of the subscription, its timeout at 32 and its flags at 48 (`poll_oneoff`; as wasmtime
//!   reads them, subscriptions stay 48 bytes apart).
//!
//! Only those five functions are declared again here; [`preview0`] takes every other one
//! from the preview1 table.

use super::abi::{Abi, whence};
use super::errno::{Errno, WasiResult};
use super::functions::PREVIEW1;
use super::host_func::{HostFunc, wasi_functions};
use super::{fd, path, poll};

/// The import module name of preview0: `wasi_unstable`.
pub const PREVIEW0_MODULE_NAME: &str = "wasi_unstable";

wasi_functions! { PREVIEW0_ONLY:
    fn fd_filestat_get(fd: u32, out: u32) -> errno =
        |cx, m| fd::filestat_get(cx, m, fd, out, Abi::Preview0);
    fn fd_seek(fd: u32, offset: i64, whence: u8, out: u32) -> errno =
        |cx, m| fd::seek(cx, m, fd, offset, whence_from_preview0(whence)?, out);
    fn path_filestat_get(fd: u32, flags: u32, p: u32, len: u32, out: u32) -> errno =
        |cx, m| path::filestat_get(cx, m, fd, flags, p, len, out, Abi::Preview0);
    fn fd_fdstat_get(fd: u32, out: u32) -> errno =
        |cx, m| fd::fdstat_get(cx, m, fd, out, Abi::Preview0);
    fn poll_oneoff(input: u32, output: u32, n: u32, out: u32) -> errno =
        |cx, m| poll::poll_oneoff(cx, m, input, output, n, out, Abi::Preview0);
}

/// A preview0 `whence` as the preview1 value of the same meaning; `EINVAL` for an
/// unknown one.
fn whence_from_preview0(w: u8) -> WasiResult<u8> {
    match w {
        0 => Ok(whence::CUR),
        1 => Ok(whence::END),
        2 => Ok(whence::SET),
        _ => Err(Errno::EINVAL),
    }
}

/// The functions of `wasi_unstable`, in the preview1 table's order: each preview1 function
/// but `sock_accept`, with the preview0 versions of those whose layouts differ.
pub fn preview0() -> impl Iterator<Item = &'static HostFunc> {
    PREVIEW1
        .iter()
        .filter(|f| f.name != "sock_accept")
        .map(|f| PREVIEW0_ONLY.iter().find(|p| p.name == f.name).unwrap_or(f))
}
