//! `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown` on TCP listeners the
//! embedder preopened ([`crate::WasiConfig::with_tcp_listener`]) and the connections
//! accepted from them. Preview1 has no way to create, bind or connect a socket.
//!
//! Errno choices: `ENOTSOCK` for a descriptor that is not a socket of the right kind
//! (`sock_accept` on a connection, `sock_recv`/`sock_send`/`sock_shutdown` on a
//! listener or a file), `EAGAIN` when a non-blocking socket has nothing to accept or
//! receive, `EINVAL` for unknown flag bits (`sock_accept`'s and `sock_send`'s after the
//! descriptor, as wasmtime checks); `ENOTCONN` for `sock_shutdown` on a connection already
//! shut down.

use super::abi::{fdflags, sock};
use super::ctx::WasiCtx;
use super::errno::{Errno, WasiResult};
use super::fs_table::{Desc, Entry};
use super::guest_memory::{GuestMemory, MAX_IO, iovecs_len};
use std::net::Shutdown;

/// `sock_accept(fd, flags, fd_ptr)`: accepts a connection on a listener and writes its
/// new descriptor; `flags` may hold `fdflags::nonblock` for the new connection.
pub(crate) fn accept(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    flags: u16,
    out: u32,
) -> WasiResult {
    mem.check(out, 4)?;
    let e = cx.fds.get(fd)?;
    let Desc::Listener(l) = &e.desc else { return Err(Errno::ENOTSOCK) };
    // The descriptor first, as wasmtime checks (flags that are fdflags but not
    // `nonblock` on a file are `ENOTSOCK` there too).
    if flags & !fdflags::NONBLOCK != 0 {
        return Err(Errno::EINVAL);
    }
    let (stream, _) = l.accept()?;
    stream.set_nonblocking(flags & fdflags::NONBLOCK != 0)?;
    let mut entry = Entry::new(Desc::Socket(stream));
    entry.flags = flags;
    let new_fd = cx.fds.push(entry)?;
    mem.write_u32(out, new_fd)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen_ptr, ro_flags_ptr)`:
/// receives into the iovecs; `recv_peek` leaves the data queued, `recv_waitall` waits
/// until the buffers are full (or the peer closes). `ro_flags` is always 0 (a stream
/// socket never truncates).
#[allow(clippy::too_many_arguments)]
pub(crate) fn recv(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    iovs: u32,
    n: u32,
    ri: u16,
    out_len: u32,
    out_flags: u32,
) -> WasiResult {
    if ri & !(sock::RECV_PEEK | sock::RECV_WAITALL) != 0 {
        return Err(Errno::EINVAL);
    }
    let iovs = mem.iovecs(iovs, n)?;
    mem.check(out_len, 4)?;
    mem.check(out_flags, 2)?;
    let e = cx.fds.get(fd)?;
    let Desc::Socket(s) = &e.desc else { return Err(Errno::ENOTSOCK) };
    let mut flags = rustix::net::RecvFlags::empty();
    if ri & sock::RECV_PEEK != 0 {
        flags |= rustix::net::RecvFlags::PEEK;
    }
    if ri & sock::RECV_WAITALL != 0 {
        flags |= rustix::net::RecvFlags::WAITALL;
    }
    let mut buf = vec![0u8; iovecs_len(&iovs).min(MAX_IO)];
    let got = loop {
        match rustix::net::recv(s, &mut buf[..], flags) {
            Ok((_, n)) => break n.min(buf.len()),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    };
    mem.scatter(&iovs, &buf[..got])?;
    mem.write_u32(out_len, got as u32)?;
    mem.write(out_flags, &0u16.to_le_bytes())
}

/// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen_ptr)`: sends the iovecs
/// (possibly part of them). `si_flags` has no defined bits: nonzero is `EINVAL`.
pub(crate) fn send(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    iovs: u32,
    n: u32,
    si: u16,
    out: u32,
) -> WasiResult {
    let iovs = mem.iovecs(iovs, n)?;
    mem.check(out, 4)?;
    let data = mem.gather(&iovs, MAX_IO)?;
    let e = cx.fds.get(fd)?;
    let Desc::Socket(s) = &e.desc else { return Err(Errno::ENOTSOCK) };
    // After the descriptor, as wasmtime checks.
    if si != 0 {
        return Err(Errno::EINVAL);
    }
    let sent = loop {
        match rustix::net::send(s, &data, rustix::net::SendFlags::NOSIGNAL) {
            Ok(n) => break n,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    };
    mem.write_u32(out, sent as u32)
}

/// `sock_shutdown(fd, how)`: shuts down reading (`rd`), writing (`wr`) or both.
/// `EINVAL` when `how` is neither.
pub(crate) fn shutdown(cx: &mut WasiCtx, fd: u32, how: u8) -> WasiResult {
    let e = cx.fds.get(fd)?;
    let Desc::Socket(s) = &e.desc else { return Err(Errno::ENOTSOCK) };
    let how = match how {
        sock::SHUT_RD => Shutdown::Read,
        sock::SHUT_WR => Shutdown::Write,
        h if h == sock::SHUT_RD | sock::SHUT_WR => Shutdown::Both,
        _ => return Err(Errno::EINVAL),
    };
    Ok(s.shutdown(how)?)
}
