//! WASI preview1: the `wasi_snapshot_preview1` host module (like wazero's
//! `imports/wasi_snapshot_preview1`).
//!
//! [`instantiate`] registers the module in a [`Runtime`]; modules instantiated afterwards
//! can import its 46 functions ([`FUNCTIONS`]). Each call acts on the WASI state of the
//! instance that made it, built from that instance's [`crate::ModuleConfig`] when it was
//! instantiated: args, environment, stdio, mounted directories ([`FSConfig`]), clocks,
//! random source and preopened TCP listeners. The same host functions serve both engines.
//!
//! ```
//! use kiln::{ModuleConfig, Runtime};
//!
//! let rt = Runtime::new();
//! kiln::wasi::instantiate(&rt).unwrap();
//! let wasm = wat::parse_str(r#"
//!     (module
//!       (import "wasi_snapshot_preview1" "fd_write"
//!         (func $fd_write (param i32 i32 i32 i32) (result i32)))
//!       (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!       (memory (export "memory") 1)
//!       (data (i32.const 16) "hi\n")
//!       (func (export "_start")
//!         (i32.store (i32.const 0) (i32.const 16))   ;; iovec.buf
//!         (i32.store (i32.const 4) (i32.const 3))    ;; iovec.buf_len
//!         (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
//!         (call $exit (i32.const 3))))
//! "#).unwrap();
//! let module = rt.compile(&wasm).unwrap();
//! let out = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
//! # struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
//! # impl std::io::Write for Shared {
//! #     fn write(&mut self, b: &[u8]) -> std::io::Result<usize> { self.0.borrow_mut().extend_from_slice(b); Ok(b.len()) }
//! #     fn flush(&mut self) -> std::io::Result<()> { Ok(()) }
//! # }
//! let err = rt.instantiate(&module, ModuleConfig::new().with_stdout(Shared(out.clone()))).unwrap_err();
//! assert!(matches!(err, kiln::Error::Exit(kiln::ExitError { code: 3 })));
//! assert_eq!(&*out.borrow(), b"hi\n");
//! ```
//!
//! # Sandbox
//! Nothing is granted by default: no filesystem, stdin empty, stdout and stderr
//! discarded, fake deterministic clocks, a deterministic random source, no sockets.
//!
//! # Errno choices
//! Each call gives the errno, output and file-system effect wasmtime gives (checked
//! call by call by a differential suite against the wasmtime CLI), except for the
//! deliberate differences in the table below. Where preview1 leaves the answer to the
//! host, each function's module documents it (`fd`, `path`, `poll`, `sock`, `proc`). In
//! short: a pointer outside memory is `EFAULT` (checked before anything changes where the
//! function can); a path leaving its mount is `EPERM`; changing a read-only mount is
//! `EROFS`; writing to a descriptor not open for writing is `EBADF`; `proc_raise` is
//! `ENOSYS`. Rights are reported (by kind and access mode), never enforced.
//!
#![doc = include_str!("differences.md")]

mod abi;
mod args;
pub(crate) mod clock;
mod ctx;
mod errno;
mod fd;
mod filestat;
mod fs_config;
mod fs_table;
mod guest_memory;
pub(crate) mod options;
mod path;
mod poll;
mod proc;
pub(crate) mod random;
mod sock;
pub(crate) mod stdio;

pub use clock::{FAKE_EPOCH_NANOS, FAKE_RESOLUTION_NANOS, FAKE_TICK_NANOS};
pub use errno::Errno;
pub use fs_config::FSConfig;

pub(crate) use ctx::WasiCtx;

use crate::error::Error;
use crate::host::Caller;
use crate::runtime::Runtime;
use errno::WasiResult;
use guest_memory::GuestMemory;
use kiln_runtime_support::instance::InstanceData;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The import module name: `wasi_snapshot_preview1`.
pub const MODULE_NAME: &str = "wasi_snapshot_preview1";

/// The functions [`instantiate`] exports, as named in `wasi_snapshot_preview1.witx`.
pub const FUNCTIONS: [&str; 46] = [
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// Each instance's WASI state, by instance. A runtime owns one.
#[derive(Default)]
pub(crate) struct WasiRegistry {
    by_instance: RefCell<HashMap<usize, Rc<RefCell<WasiCtx>>>>,
    /// States of instances being instantiated (their start section may already call
    /// WASI before the instance is known); innermost last.
    pending: RefCell<Vec<Rc<RefCell<WasiCtx>>>>,
}

impl WasiRegistry {
    /// Holds `ctx` for the instance about to be created.
    pub(crate) fn begin(&self, ctx: WasiCtx) {
        self.pending.borrow_mut().push(Rc::new(RefCell::new(ctx)));
    }

    /// Files the pending state under `instance` (or drops it when instantiation failed).
    pub(crate) fn finish(&self, instance: Option<*mut InstanceData>) {
        let ctx = self.pending.borrow_mut().pop();
        if let (Some(ctx), Some(p)) = (ctx, instance) {
            self.by_instance.borrow_mut().insert(p as usize, ctx);
        }
    }

    fn lookup(&self, instance: *mut InstanceData) -> Option<Rc<RefCell<WasiCtx>>> {
        if instance.is_null() {
            return None;
        }
        if let Some(c) = self.by_instance.borrow().get(&(instance as usize)) {
            return Some(c.clone());
        }
        self.pending.borrow().last().cloned()
    }
}

/// Registers the `wasi_snapshot_preview1` host module in `runtime`, so that modules
/// instantiated later can import its functions ([`FUNCTIONS`]).
///
/// # Errors
/// [`Error::DuplicateModuleName`] if a module of that name is already registered.
pub fn instantiate(runtime: &Runtime) -> Result<(), Error> {
    let reg = runtime.wasi_registry();
    let mut b = runtime.host_module(MODULE_NAME);

    /// Runs a WASI function body against the caller's state and memory; its errno.
    fn call(
        reg: &WasiRegistry,
        caller: &Caller<'_>,
        f: impl FnOnce(&mut WasiCtx, &GuestMemory) -> WasiResult,
    ) -> i32 {
        // Without a calling instance (the host called the function directly) there is
        // no WASI state to act on.
        let Some(ctx) = reg.lookup(caller.instance_ptr()) else {
            return i32::from(Errno::ENOSYS.0);
        };
        let mem = GuestMemory::new(caller.memory());
        // WASI functions never call back into wasm, so the state is never borrowed twice.
        let Ok(mut cx) = ctx.try_borrow_mut() else { return i32::from(Errno::EBUSY.0) };
        match f(&mut cx, &mem) {
            Ok(()) => 0,
            Err(e) => i32::from(e.0),
        }
    }

    macro_rules! wasi_fn {
        ($name:literal, |$cx:pat_param, $mem:pat_param $(, $a:ident : $t:ty)*| $body:expr) => {
            b = b.func($name, {
                let reg = reg.clone();
                move |caller: Caller<'_>, $($a: $t),*| -> i32 {
                    call(&reg, &caller, |$cx: &mut WasiCtx, $mem: &GuestMemory| $body)
                }
            });
        };
    }

    wasi_fn!("args_get", |cx, m, argv: i32, buf: i32| args::get(
        &cx.args,
        m,
        argv as u32,
        buf as u32
    ));
    wasi_fn!("args_sizes_get", |cx, m, argc: i32, size: i32| args::sizes_get(
        &cx.args,
        m,
        argc as u32,
        size as u32
    ));
    wasi_fn!("environ_get", |cx, m, envp: i32, buf: i32| {
        args::get(&args::environ_strings(&cx.env), m, envp as u32, buf as u32)
    });
    wasi_fn!("environ_sizes_get", |cx, m, n: i32, size: i32| {
        args::sizes_get(&args::environ_strings(&cx.env), m, n as u32, size as u32)
    });
    wasi_fn!("clock_res_get", |cx, m, id: i32, out: i32| clock::res_get(
        &cx.clocks, m, id as u32, out as u32
    ));
    wasi_fn!("clock_time_get", |cx, m, id: i32, _precision: i64, out: i32| {
        clock::time_get(&mut cx.clocks, m, id as u32, out as u32)
    });
    wasi_fn!("fd_advise", |cx, _m, fd: i32, offset: i64, len: i64, advice: i32| {
        fd::advise(cx, fd as u32, offset as u64, len as u64, advice as u8)
    });
    wasi_fn!("fd_allocate", |cx, _m, fd: i32, offset: i64, len: i64| {
        fd::allocate(cx, fd as u32, offset as u64, len as u64)
    });
    wasi_fn!("fd_close", |cx, _m, fd: i32| fd::close(cx, fd as u32));
    wasi_fn!("fd_datasync", |cx, _m, fd: i32| fd::datasync(cx, fd as u32));
    wasi_fn!("fd_fdstat_get", |cx, m, fd: i32, out: i32| fd::fdstat_get(
        cx, m, fd as u32, out as u32
    ));
    wasi_fn!("fd_fdstat_set_flags", |cx, _m, fd: i32, flags: i32| {
        fd::fdstat_set_flags(cx, fd as u32, flags as u16)
    });
    wasi_fn!("fd_fdstat_set_rights", |cx, _m, fd: i32, base: i64, inheriting: i64| {
        fd::fdstat_set_rights(cx, fd as u32, base as u64, inheriting as u64)
    });
    wasi_fn!("fd_filestat_get", |cx, m, fd: i32, out: i32| fd::filestat_get(
        cx, m, fd as u32, out as u32
    ));
    wasi_fn!("fd_filestat_set_size", |cx, _m, fd: i32, size: i64| fd::filestat_set_size(
        cx,
        fd as u32,
        size as u64
    ));
    wasi_fn!("fd_filestat_set_times", |cx, _m, fd: i32, atim: i64, mtim: i64, flags: i32| {
        fd::filestat_set_times(cx, fd as u32, atim as u64, mtim as u64, flags as u16)
    });
    wasi_fn!("fd_pread", |cx, m, fd: i32, iovs: i32, n: i32, offset: i64, out: i32| {
        fd::pread(cx, m, fd as u32, iovs as u32, n as u32, offset as u64, out as u32)
    });
    wasi_fn!("fd_prestat_get", |cx, m, fd: i32, out: i32| fd::prestat_get(
        cx, m, fd as u32, out as u32
    ));
    wasi_fn!("fd_prestat_dir_name", |cx, m, fd: i32, path: i32, len: i32| {
        fd::prestat_dir_name(cx, m, fd as u32, path as u32, len as u32)
    });
    wasi_fn!("fd_pwrite", |cx, m, fd: i32, iovs: i32, n: i32, offset: i64, out: i32| {
        fd::pwrite(cx, m, fd as u32, iovs as u32, n as u32, offset as u64, out as u32)
    });
    wasi_fn!("fd_read", |cx, m, fd: i32, iovs: i32, n: i32, out: i32| {
        fd::read(cx, m, fd as u32, iovs as u32, n as u32, out as u32)
    });
    wasi_fn!("fd_readdir", |cx, m, fd: i32, buf: i32, len: i32, cookie: i64, out: i32| {
        fd::readdir(cx, m, fd as u32, buf as u32, len as u32, cookie as u64, out as u32)
    });
    wasi_fn!("fd_renumber", |cx, _m, fd: i32, to: i32| fd::renumber(cx, fd as u32, to as u32));
    wasi_fn!("fd_seek", |cx, m, fd: i32, offset: i64, whence: i32, out: i32| {
        fd::seek(cx, m, fd as u32, offset, whence as u8, out as u32)
    });
    wasi_fn!("fd_sync", |cx, _m, fd: i32| fd::sync(cx, fd as u32));
    wasi_fn!("fd_tell", |cx, m, fd: i32, out: i32| fd::tell(cx, m, fd as u32, out as u32));
    wasi_fn!("fd_write", |cx, m, fd: i32, iovs: i32, n: i32, out: i32| {
        fd::write(cx, m, fd as u32, iovs as u32, n as u32, out as u32)
    });
    wasi_fn!("path_create_directory", |cx, m, fd: i32, p: i32, len: i32| {
        path::create_directory(cx, m, fd as u32, p as u32, len as u32)
    });
    wasi_fn!("path_filestat_get", |cx, m, fd: i32, flags: i32, p: i32, len: i32, out: i32| {
        path::filestat_get(cx, m, fd as u32, flags as u32, p as u32, len as u32, out as u32)
    });
    wasi_fn!("path_filestat_set_times", |cx,
                                         m,
                                         fd: i32,
                                         flags: i32,
                                         p: i32,
                                         len: i32,
                                         atim: i64,
                                         mtim: i64,
                                         fst: i32| {
        path::filestat_set_times(
            cx,
            m,
            fd as u32,
            flags as u32,
            p as u32,
            len as u32,
            atim as u64,
            mtim as u64,
            fst as u16,
        )
    });
    wasi_fn!("path_link", |cx,
                           m,
                           old_fd: i32,
                           old_flags: i32,
                           old: i32,
                           old_len: i32,
                           new_fd: i32,
                           new: i32,
                           new_len: i32| {
        path::link(
            cx,
            m,
            old_fd as u32,
            old_flags as u32,
            old as u32,
            old_len as u32,
            new_fd as u32,
            new as u32,
            new_len as u32,
        )
    });
    wasi_fn!("path_open", |cx,
                           m,
                           fd: i32,
                           dirflags: i32,
                           p: i32,
                           len: i32,
                           oflags: i32,
                           base: i64,
                           inheriting: i64,
                           fdflags: i32,
                           out: i32| {
        path::open(
            cx,
            m,
            fd as u32,
            dirflags as u32,
            p as u32,
            len as u32,
            oflags as u16,
            base as u64,
            inheriting as u64,
            fdflags as u16,
            out as u32,
        )
    });
    wasi_fn!("path_readlink", |cx,
                               m,
                               fd: i32,
                               p: i32,
                               len: i32,
                               buf: i32,
                               buf_len: i32,
                               out: i32| {
        path::readlink(
            cx,
            m,
            fd as u32,
            p as u32,
            len as u32,
            buf as u32,
            buf_len as u32,
            out as u32,
        )
    });
    wasi_fn!("path_remove_directory", |cx, m, fd: i32, p: i32, len: i32| {
        path::remove_directory(cx, m, fd as u32, p as u32, len as u32)
    });
    wasi_fn!("path_rename", |cx,
                             m,
                             fd: i32,
                             old: i32,
                             old_len: i32,
                             new_fd: i32,
                             new: i32,
                             new_len: i32| {
        path::rename(
            cx,
            m,
            fd as u32,
            old as u32,
            old_len as u32,
            new_fd as u32,
            new as u32,
            new_len as u32,
        )
    });
    wasi_fn!("path_symlink", |cx, m, old: i32, old_len: i32, fd: i32, new: i32, new_len: i32| {
        path::symlink(cx, m, old as u32, old_len as u32, fd as u32, new as u32, new_len as u32)
    });
    wasi_fn!("path_unlink_file", |cx, m, fd: i32, p: i32, len: i32| {
        path::unlink_file(cx, m, fd as u32, p as u32, len as u32)
    });
    wasi_fn!("poll_oneoff", |cx, m, input: i32, output: i32, n: i32, out: i32| {
        poll::poll_oneoff(cx, m, input as u32, output as u32, n as u32, out as u32)
    });
    b = b.func("proc_exit", |code: i32| -> Result<(), Error> { Err(proc::exit(code as u32)) });
    wasi_fn!("proc_raise", |_cx, _m, sig: i32| proc::raise(sig as u8));
    wasi_fn!("sched_yield", |_cx, _m| proc::sched_yield());
    wasi_fn!("random_get", |cx, m, buf: i32, len: i32| random::get(
        &mut cx.rand,
        m,
        buf as u32,
        len as u32
    ));
    wasi_fn!("sock_accept", |cx, m, fd: i32, flags: i32, out: i32| {
        sock::accept(cx, m, fd as u32, flags as u16, out as u32)
    });
    wasi_fn!("sock_recv", |cx,
                           m,
                           fd: i32,
                           iovs: i32,
                           n: i32,
                           flags: i32,
                           out_len: i32,
                           out_flags: i32| {
        sock::recv(
            cx,
            m,
            fd as u32,
            iovs as u32,
            n as u32,
            flags as u16,
            out_len as u32,
            out_flags as u32,
        )
    });
    wasi_fn!("sock_send", |cx, m, fd: i32, iovs: i32, n: i32, flags: i32, out: i32| {
        sock::send(cx, m, fd as u32, iovs as u32, n as u32, flags as u16, out as u32)
    });
    wasi_fn!("sock_shutdown", |cx, _m, fd: i32, how: i32| sock::shutdown(cx, fd as u32, how as u8));

    b.instantiate()
}
