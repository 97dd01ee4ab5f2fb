//! `poll_oneoff`: waits for clock timeouts and for descriptors to become readable or
//! writable.
//!
//! Files and an embedder's stdio readers and writers are always ready (as POSIX `poll`
//! reports regular files). Sockets, listeners and stdio streams on host descriptors (a
//! stdin pipe waits for data) are polled for real with the host's `poll(2)`, bounded by the
//! earliest clock timeout. As in wasmtime, the event of a file or a stdio stream carries 1
//! byte, a socket's what it holds, and a clock event 1 for a relative timeout and 0 for an
//! absolute one (in its unused `nbytes`); only a socket's event reports a hang-up. With only clocks to wait for, the instance's sleeper runs (fake by default:
//! it advances the fake clocks and returns at once). When some subscription is ready at
//! once, nothing waits: the ready descriptors and any clock already due are reported.
//!
//! Errno choices (the whole call fails, as in wasmtime): `EINVAL` for no subscriptions,
//! an unknown subscription tag, an unknown clock id, clock flag bits witx does not define,
//! or an absolute time on a CPU-time clock; `EBADF` for an unknown descriptor, a directory,
//! reading stdout or stderr, or writing stdin.

use super::abi::{Abi, clockid, poll};
use super::ctx::WasiCtx;
use super::errno::{Errno, WasiResult};
use super::fs_table::Desc;
use super::guest_memory::GuestMemory;
use std::os::fd::{AsFd, BorrowedFd};

struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

/// `poll_oneoff(in, out, nsubscriptions, nevents_ptr)`, reading clock subscriptions as
/// `abi` lays them out.
pub(crate) fn poll_oneoff(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    input: u32,
    output: u32,
    nsubs: u32,
    nevents: u32,
    abi: Abi,
) -> WasiResult {
    if nsubs == 0 {
        return Err(Errno::EINVAL);
    }
    let subs = mem.read(input, nsubs.checked_mul(poll::SUBSCRIPTION_SIZE).ok_or(Errno::EFAULT)?)?;
    mem.check(output, u64::from(nsubs) * u64::from(poll::EVENT_SIZE))?;
    mem.check(nevents, 4)?;

    let mut events = Vec::new();
    // (userdata, remaining ns, its event's nbytes) for each pending clock.
    let mut clocks: Vec<(u64, u64, u64)> = Vec::new();
    // (userdata, kind, fd, whether a stdio stream) for each host descriptor to poll.
    let mut sockets: Vec<(u64, u8, BorrowedFd<'_>, bool)> = Vec::new();
    let fds = &cx.fds;
    for (i, s) in subs.chunks_exact(poll::SUBSCRIPTION_SIZE as usize).enumerate() {
        let u64_at = |o: usize| u64::from_le_bytes(s[o..o + 8].try_into().unwrap_or_default());
        let u32_at = |o: usize| u32::from_le_bytes(s[o..o + 4].try_into().unwrap_or_default());
        let userdata = u64_at(0);
        let kind = s[8];
        let event =
            |error: Errno, nbytes: u64, flags: u16| Event { userdata, error, kind, nbytes, flags };
        match kind {
            poll::EVENTTYPE_CLOCK => {
                let (id, timeout, flags) = match abi {
                    Abi::Preview1 => (u32_at(16), u64_at(24), u16::from_le_bytes([s[40], s[41]])),
                    // wasmtime reads a preview0 clock as witx lays it out (an `identifier`
                    // first, so its flags at 48) but steps through the array 48 bytes at a
                    // time: the flags are the first bytes of the next subscription (or
                    // past the array, for the last one).
                    Abi::Preview0 => {
                        let at = u64::from(input) + i as u64 * 48 + 48;
                        let at = u32::try_from(at).map_err(|_| Errno::EFAULT)?;
                        let b = mem.read(at, 2)?;
                        (u32_at(24), u64_at(32), u16::from_le_bytes([b[0], b[1]]))
                    }
                };
                // wasmtime refuses flag bits witx does not define, and an absolute time on
                // the CPU-time clocks (it can wait for those only relatively).
                let abstime = flags & poll::SUBCLOCK_ABSTIME != 0;
                if flags & !poll::SUBCLOCK_ABSTIME != 0
                    || (abstime
                        && matches!(id, clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID))
                {
                    return Err(Errno::EINVAL);
                }
                let remaining = if abstime {
                    cx.clocks.now(id).map(|now| timeout.saturating_sub(now))
                } else {
                    cx.clocks.resolution(id).map(|_| timeout)
                };
                // wasmtime's event of a relative timeout carries 1 in its (unused)
                // `fd_readwrite.nbytes`, an absolute one 0.
                clocks.push((userdata, remaining?, u64::from(!abstime)));
            }
            poll::EVENTTYPE_FD_READ | poll::EVENTTYPE_FD_WRITE => {
                let fd = u32_at(16);
                match &fds.get_ref(fd)?.desc {
                    Desc::Socket(sock) => sockets.push((userdata, kind, sock.as_fd(), false)),
                    Desc::Listener(l) => sockets.push((userdata, kind, l.as_fd(), false)),
                    // Reading an output stream or writing the input one: the whole call
                    // fails, as in wasmtime (a host `poll(2)` would wait for ever).
                    Desc::Stream(st) if st.input != (kind == poll::EVENTTYPE_FD_READ) => {
                        return Err(Errno::EBADF);
                    }
                    Desc::Stream(st) if st.host_fd().is_some() => {
                        sockets.extend(st.host_fd().map(|fd| (userdata, kind, fd, true)));
                    }
                    // A file or a ready stream: its event carries 1 byte (as wasmtime reports).
                    Desc::File(_) | Desc::Stream(_) => events.push(event(Errno::SUCCESS, 1, 0)),
                    Desc::Dir(_) => return Err(Errno::EBADF),
                }
            }
            _ => return Err(Errno::EINVAL),
        }
    }

    let ready_now = !events.is_empty() || clocks.iter().any(|&(_, r, _)| r == 0);
    let wait = if ready_now { Some(0) } else { clocks.iter().map(|&(_, r, _)| r).min() };
    let mut fired_socket = false;
    if !sockets.is_empty() {
        let mut pfds: Vec<rustix::event::PollFd<'_>> = sockets
            .iter()
            .map(|&(_, kind, fd, _)| {
                let flags = if kind == poll::EVENTTYPE_FD_READ {
                    rustix::event::PollFlags::IN
                } else {
                    rustix::event::PollFlags::OUT
                };
                rustix::event::PollFd::from_borrowed_fd(fd, flags)
            })
            .collect();
        let ts = wait.map(|ns| rustix::event::Timespec {
            tv_sec: (ns / 1_000_000_000) as i64,
            tv_nsec: (ns % 1_000_000_000) as _,
        });
        loop {
            match rustix::event::poll(&mut pfds, ts.as_ref()) {
                Ok(_) => break,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        for (p, &(userdata, kind, fd, stream)) in pfds.iter().zip(&sockets) {
            let rev = p.revents();
            if rev.is_empty() {
                continue;
            }
            fired_socket = true;
            let hup = rev.intersects(rustix::event::PollFlags::HUP | rustix::event::PollFlags::ERR);
            // A ready stdio stream carries 1 byte, as in wasmtime; a socket what it holds.
            let nbytes = if stream {
                1
            } else if kind == poll::EVENTTYPE_FD_READ {
                rustix::io::ioctl_fionread(fd).unwrap_or(0)
            } else {
                0
            };
            // wasmtime reports no hang-up on stdio streams (a stdin pipe at its end).
            let flags = if hup && !stream { poll::EVENT_FD_READWRITE_HANGUP } else { 0 };
            events.push(Event { userdata, error: Errno::SUCCESS, kind, nbytes, flags });
        }
        // Due clocks fire when the poll timed out, or when nothing had to wait.
        if let Some(w) = wait
            && (!fired_socket || w == 0)
        {
            fire_clocks(&mut events, &clocks, w);
        }
    } else if let Some(w) = wait {
        if w > 0 {
            cx.clocks.sleep(w);
        }
        fire_clocks(&mut events, &clocks, w);
    }

    let mut out = Vec::with_capacity(events.len() * poll::EVENT_SIZE as usize);
    for e in &events {
        let mut b = [0u8; poll::EVENT_SIZE as usize];
        b[0..8].copy_from_slice(&e.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&e.error.0.to_le_bytes());
        b[10] = e.kind;
        b[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&b);
    }
    mem.write(output, &out)?;
    mem.write_u32(nevents, events.len() as u32)
}

fn fire_clocks(events: &mut Vec<Event>, clocks: &[(u64, u64, u64)], elapsed: u64) {
    for &(userdata, remaining, nbytes) in clocks {
        if remaining <= elapsed {
            events.push(Event {
                userdata,
                error: Errno::SUCCESS,
                kind: poll::EVENTTYPE_CLOCK,
                nbytes,
                flags: 0,
            });
        }
    }
}
