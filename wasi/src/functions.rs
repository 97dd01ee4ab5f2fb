//! The `wasi_snapshot_preview1` functions, each declared once: name, typed arguments and
//! body. The import table ([`PREVIEW1`]) and the list of names ([`FUNCTIONS`]) are derived
//! from these declarations; `wasi_unstable` ([`crate::preview0`]) is derived from them too.

use super::abi::Abi;
use super::host_func::wasi_functions;
use super::{args, clock, fd, path, poll, proc, random, sock};

wasi_functions! { PREVIEW1, FUNCTIONS:
    fn args_get(argv: u32, buf: u32) -> errno = |cx, m| args::get(&cx.args, m, argv, buf);
    fn args_sizes_get(argc: u32, size: u32) -> errno =
        |cx, m| args::sizes_get(&cx.args, m, argc, size);
    fn environ_get(envp: u32, buf: u32) -> errno =
        |cx, m| args::get(&args::environ_strings(&cx.env), m, envp, buf);
    fn environ_sizes_get(n: u32, size: u32) -> errno =
        |cx, m| args::sizes_get(&args::environ_strings(&cx.env), m, n, size);
    fn clock_res_get(id: u32, out: u32) -> errno = |cx, m| clock::res_get(&cx.clocks, m, id, out);
    fn clock_time_get(id: u32, precision: u64, out: u32) -> errno =
        |cx, m| clock::time_get(&mut cx.clocks, m, id, out);
    fn fd_advise(fd: u32, offset: u64, len: u64, advice: u8) -> errno =
        |cx, _| fd::advise(cx, fd, offset, len, advice);
    fn fd_allocate(fd: u32, offset: u64, len: u64) -> errno =
        |cx, _| fd::allocate(cx, fd, offset, len);
    fn fd_close(fd: u32) -> errno = |cx, _| fd::close(cx, fd);
    fn fd_datasync(fd: u32) -> errno = |cx, _| fd::datasync(cx, fd);
    fn fd_fdstat_get(fd: u32, out: u32) -> errno =
        |cx, m| fd::fdstat_get(cx, m, fd, out, Abi::Preview1);
    fn fd_fdstat_set_flags(fd: u32, flags: u16) -> errno =
        |cx, _| fd::fdstat_set_flags(cx, fd, flags);
    fn fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) -> errno =
        |cx, _| fd::fdstat_set_rights(cx, fd, base, inheriting);
    fn fd_filestat_get(fd: u32, out: u32) -> errno =
        |cx, m| fd::filestat_get(cx, m, fd, out, Abi::Preview1);
    fn fd_filestat_set_size(fd: u32, size: u64) -> errno =
        |cx, _| fd::filestat_set_size(cx, fd, size);
    fn fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, flags: u16) -> errno =
        |cx, _| fd::filestat_set_times(cx, fd, atim, mtim, flags);
    fn fd_pread(fd: u32, iovs: u32, n: u32, offset: u64, out: u32) -> errno =
        |cx, m| fd::pread(cx, m, fd, iovs, n, offset, out);
    fn fd_prestat_get(fd: u32, out: u32) -> errno = |cx, m| fd::prestat_get(cx, m, fd, out);
    fn fd_prestat_dir_name(fd: u32, path: u32, len: u32) -> errno =
        |cx, m| fd::prestat_dir_name(cx, m, fd, path, len);
    fn fd_pwrite(fd: u32, iovs: u32, n: u32, offset: u64, out: u32) -> errno =
        |cx, m| fd::pwrite(cx, m, fd, iovs, n, offset, out);
    fn fd_read(fd: u32, iovs: u32, n: u32, out: u32) -> errno =
        |cx, m| fd::read(cx, m, fd, iovs, n, out);
    fn fd_readdir(fd: u32, buf: u32, len: u32, cookie: u64, out: u32) -> errno =
        |cx, m| fd::readdir(cx, m, fd, buf, len, cookie, out);
    fn fd_renumber(fd: u32, to: u32) -> errno = |cx, _| fd::renumber(cx, fd, to);
    fn fd_seek(fd: u32, offset: i64, whence: u8, out: u32) -> errno =
        |cx, m| fd::seek(cx, m, fd, offset, whence, out);
    fn fd_sync(fd: u32) -> errno = |cx, _| fd::sync(cx, fd);
    fn fd_tell(fd: u32, out: u32) -> errno = |cx, m| fd::tell(cx, m, fd, out);
    fn fd_write(fd: u32, iovs: u32, n: u32, out: u32) -> errno =
        |cx, m| fd::write(cx, m, fd, iovs, n, out);
    fn path_create_directory(fd: u32, p: u32, len: u32) -> errno =
        |cx, m| path::create_directory(cx, m, fd, p, len);
    fn path_filestat_get(fd: u32, flags: u32, p: u32, len: u32, out: u32) -> errno =
        |cx, m| path::filestat_get(cx, m, fd, flags, p, len, out, Abi::Preview1);
    fn path_filestat_set_times(
        fd: u32, flags: u32, p: u32, len: u32, atim: u64, mtim: u64, fst: u16,
    ) -> errno = |cx, m| path::filestat_set_times(cx, m, fd, flags, p, len, atim, mtim, fst);
    fn path_link(
        old_fd: u32, old_flags: u32, old: u32, old_len: u32, new_fd: u32, new: u32, new_len: u32,
    ) -> errno = |cx, m| path::link(cx, m, old_fd, old_flags, old, old_len, new_fd, new, new_len);
    fn path_open(
        fd: u32, dirflags: u32, p: u32, len: u32, oflags: u16, base: u64, inheriting: u64,
        fdflags: u16, out: u32,
    ) -> errno =
        |cx, m| path::open(cx, m, fd, dirflags, p, len, oflags, base, inheriting, fdflags, out);
    fn path_readlink(fd: u32, p: u32, len: u32, buf: u32, buf_len: u32, out: u32) -> errno =
        |cx, m| path::readlink(cx, m, fd, p, len, buf, buf_len, out);
    fn path_remove_directory(fd: u32, p: u32, len: u32) -> errno =
        |cx, m| path::remove_directory(cx, m, fd, p, len);
    fn path_rename(
        fd: u32, old: u32, old_len: u32, new_fd: u32, new: u32, new_len: u32,
    ) -> errno = |cx, m| path::rename(cx, m, fd, old, old_len, new_fd, new, new_len);
    fn path_symlink(old: u32, old_len: u32, fd: u32, new: u32, new_len: u32) -> errno =
        |cx, m| path::symlink(cx, m, old, old_len, fd, new, new_len);
    fn path_unlink_file(fd: u32, p: u32, len: u32) -> errno =
        |cx, m| path::unlink_file(cx, m, fd, p, len);
    fn poll_oneoff(input: u32, output: u32, n: u32, out: u32) -> errno =
        |cx, m| poll::poll_oneoff(cx, m, input, output, n, out, Abi::Preview1);
    fn proc_exit(code: u32) -> exit = |_, _| proc::exit(code);
    fn proc_raise(sig: u8) -> errno = |_, _| proc::raise(sig);
    fn sched_yield() -> errno = |_, _| proc::sched_yield();
    fn random_get(buf: u32, len: u32) -> errno = |cx, m| random::get(&mut cx.rand, m, buf, len);
    fn sock_accept(fd: u32, flags: u16, out: u32) -> errno =
        |cx, m| sock::accept(cx, m, fd, flags, out);
    fn sock_recv(
        fd: u32, iovs: u32, n: u32, flags: u16, out_len: u32, out_flags: u32,
    ) -> errno = |cx, m| sock::recv(cx, m, fd, iovs, n, flags, out_len, out_flags);
    fn sock_send(fd: u32, iovs: u32, n: u32, flags: u16, out: u32) -> errno =
        |cx, m| sock::send(cx, m, fd, iovs, n, flags, out);
    fn sock_shutdown(fd: u32, how: u8) -> errno = |cx, _| sock::shutdown(cx, fd, how);
}
