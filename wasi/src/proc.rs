//! `proc_exit`, `proc_raise`, `sched_yield`.

use super::errno::{Errno, WasiResult};
use kiln_runtime_support::{ExitError, Unwind};

/// `proc_exit(rval)`: ends the instance. The call unwinds out of wasm as an exit carrying
/// `rval` (the facade's `Error::Exit`; its `Runtime::instantiate` treats exit code 0 from a
/// start function as success).
pub(crate) fn exit(code: u32) -> Unwind {
    Unwind::Exit(ExitError { code })
}

/// `proc_raise(sig)`: always `ENOTSUP`, as wasmtime answers. Preview1 lets a host refuse it,
/// and Kiln does:
/// delivering a host signal to the whole runtime process on a guest's request would break
/// the sandbox, and there is no per-instance signal model to emulate (wasi-libc's `raise`
/// does not call it either: it ends the program itself for fatal signals).
pub(crate) fn raise(_sig: u8) -> WasiResult {
    Err(Errno::ENOTSUP)
}

/// `sched_yield()`: yields the host thread.
pub(crate) fn sched_yield() -> WasiResult {
    std::thread::yield_now();
    Ok(())
}
