//! The `fd_*` functions: operations on an open file descriptor.
//!
//! What a descriptor may do follows from its kind and the access it was opened with, as
//! in wasmtime (rights are reported, never enforced). Errno choices (each function says
//! which apply):
//! - `EBADF`: no such descriptor; reading from a descriptor not open for reading or
//!   writing to one not open for writing (stdin written, stdout read); a file operation
//!   on a directory (read, write, seek, tell, advise, allocate, set_size, sync, set_flags);
//!   a file operation other than reading, writing, seeking and `fd_fdstat_get`/
//!   `fd_filestat_get` on a stdio stream.
//! - `ESPIPE`: seeking, `fd_tell`, `fd_pread`, `fd_pwrite` on a stream (stdio) or socket.
//! - `EINVAL`: a seek before position 0, `fd_filestat_set_size` on a file not open for
//!   writing, `sync`/`dsync`/`rsync` in `fd_fdstat_set_flags`.
//! - `ENOTSUP`: `fd_allocate` (not provided, as in wasmtime), `fd_fdstat_set_rights` on a
//!   file or directory (rights cannot be changed).
//! - `EROFS`: changing a file or directory of a read-only mount.

use super::abi::{Abi, DIRENT_SIZE, FDSTAT_SIZE, advice, fdflags, whence};
use super::ctx::WasiCtx;
use super::errno::{Errno, WasiResult};
use super::filestat::{Filestat, decode_times};
use super::fs_table::{Desc, DirDesc, Entry, FileDesc, Listed, file_type_of};
use super::guest_memory::{GuestMemory, MAX_IO, iovecs_len};
use std::io::{Read, Seek, SeekFrom, Write};
use std::num::NonZeroU64;

/// The file behind `e` for a file-only operation: `EBADF` on a directory or anything else
/// but a stream, `on_stream` on a stream or socket.
fn file_of(e: &mut Entry, on_stream: Errno) -> WasiResult<&mut FileDesc> {
    match &mut e.desc {
        Desc::File(f) => Ok(f),
        Desc::Stream(_) | Desc::Socket(_) => Err(on_stream),
        _ => Err(Errno::EBADF),
    }
}

/// `fd_advise(fd, offset, len, advice)`: `posix_fadvise` on a file. `EINVAL` for an
/// unknown advice, `EBADF` on anything but a file.
pub(crate) fn advise(cx: &mut WasiCtx, fd: u32, offset: u64, len: u64, adv: u8) -> WasiResult {
    let a = match adv {
        advice::NORMAL => rustix::fs::Advice::Normal,
        advice::SEQUENTIAL => rustix::fs::Advice::Sequential,
        advice::RANDOM => rustix::fs::Advice::Random,
        advice::WILLNEED => rustix::fs::Advice::WillNeed,
        advice::DONTNEED => rustix::fs::Advice::DontNeed,
        advice::NOREUSE => rustix::fs::Advice::NoReuse,
        _ => return Err(Errno::EINVAL),
    };
    let f = file_of(cx.fds.get(fd)?, Errno::EBADF)?;
    Ok(rustix::fs::fadvise(&f.file, offset, NonZeroU64::new(len), a)?)
}

/// `fd_allocate(fd, offset, len)`: `ENOTSUP` on a file (wasmtime does not provide it
/// either: preview1 dropped it from later WASI), `EBADF` on anything else.
pub(crate) fn allocate(cx: &mut WasiCtx, fd: u32, _offset: u64, _len: u64) -> WasiResult {
    file_of(cx.fds.get(fd)?, Errno::EBADF)?;
    Err(Errno::ENOTSUP)
}

/// `fd_close(fd)`: closes any descriptor, preopened directories included.
pub(crate) fn close(cx: &mut WasiCtx, fd: u32) -> WasiResult {
    cx.fds.remove(fd).map(drop)
}

/// `fd_datasync(fd)`: `fdatasync` on a file; `EBADF` on anything else.
pub(crate) fn datasync(cx: &mut WasiCtx, fd: u32) -> WasiResult {
    let f = file_of(cx.fds.get(fd)?, Errno::EBADF)?;
    Ok(rustix::fs::fdatasync(&f.file)?)
}

/// `fd_sync(fd)`: `fsync` on a file; `EBADF` on anything else.
pub(crate) fn sync(cx: &mut WasiCtx, fd: u32) -> WasiResult {
    let f = file_of(cx.fds.get(fd)?, Errno::EBADF)?;
    Ok(rustix::fs::fsync(&f.file)?)
}

/// `fd_fdstat_get(fd, fdstat_ptr)`: writes the descriptor's type, flags and rights (those
/// `abi` defines).
pub(crate) fn fdstat_get(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    out: u32,
    abi: Abi,
) -> WasiResult {
    mem.check(out, FDSTAT_SIZE as u64)?;
    let e = cx.fds.get(fd)?;
    let (base, inheriting) = e.rights();
    let (base, inheriting) = (base & abi.rights(), inheriting & abi.rights());
    let mut b = [0u8; FDSTAT_SIZE];
    b[0] = e.filetype();
    b[2..4].copy_from_slice(&e.flags.to_le_bytes());
    b[8..16].copy_from_slice(&base.to_le_bytes());
    b[16..24].copy_from_slice(&inheriting.to_le_bytes());
    mem.write(out, &b)
}

/// `fd_fdstat_set_flags(fd, flags)`: sets `append` and `nonblock` on files and sockets
/// (`nonblock` only on sockets). `EINVAL` for unknown bits and for `dsync`, `rsync` or
/// `sync` (Linux cannot change them on an open file); `EBADF` on a directory or stream.
pub(crate) fn fdstat_set_flags(cx: &mut WasiCtx, fd: u32, flags: u16) -> WasiResult {
    if flags & !fdflags::ALL != 0 {
        return Err(Errno::EINVAL);
    }
    let e = cx.fds.get(fd)?;
    let nonblock = flags & fdflags::NONBLOCK != 0;
    match &mut e.desc {
        Desc::File(f) => {
            if flags & !(fdflags::APPEND | fdflags::NONBLOCK) != 0 {
                return Err(Errno::EINVAL);
            }
            let mut of = rustix::fs::fcntl_getfl(&f.file)?;
            of.set(rustix::fs::OFlags::APPEND, flags & fdflags::APPEND != 0);
            of.set(rustix::fs::OFlags::NONBLOCK, nonblock);
            rustix::fs::fcntl_setfl(&f.file, of)?;
        }
        Desc::Socket(s) => {
            if flags & !fdflags::NONBLOCK != 0 {
                return Err(Errno::EINVAL);
            }
            s.set_nonblocking(nonblock)?;
        }
        Desc::Listener(l) => {
            if flags & !fdflags::NONBLOCK != 0 {
                return Err(Errno::EINVAL);
            }
            l.set_nonblocking(nonblock)?;
        }
        Desc::Stream(_) | Desc::Dir(_) => return Err(Errno::EBADF),
    }
    e.flags = flags;
    Ok(())
}

/// `fd_fdstat_set_rights(fd, base, inheriting)`: rights cannot be changed (they are not
/// enforced): `ENOTSUP` on a file or directory, `EBADF` on anything else.
pub(crate) fn fdstat_set_rights(cx: &mut WasiCtx, fd: u32, _base: u64, _inh: u64) -> WasiResult {
    match cx.fds.get(fd)?.desc {
        Desc::File(_) | Desc::Dir(_) => Err(Errno::ENOTSUP),
        _ => Err(Errno::EBADF),
    }
}

/// `fd_filestat_get(fd, filestat_ptr)`: the file's attributes. A stdio stream reports its
/// type (a host regular file its real attributes), everything else 0.
pub(crate) fn filestat_get(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    out: u32,
    abi: Abi,
) -> WasiResult {
    mem.check(out, abi.filestat_size() as u64)?;
    let e = cx.fds.get(fd)?;
    let st = match &e.desc {
        Desc::File(f) => Filestat::from_metadata(&f.file.metadata()?),
        Desc::Dir(d) => Filestat::from_metadata(&d.dir.dir_metadata()?),
        Desc::Stream(s) => s.filestat(),
        Desc::Socket(s) => {
            Filestat::from_stat(&rustix::fs::fstat(s)?, super::abi::filetype::SOCKET_STREAM)
        }
        Desc::Listener(l) => {
            Filestat::from_stat(&rustix::fs::fstat(l)?, super::abi::filetype::SOCKET_STREAM)
        }
    };
    st.write(mem, out, abi)
}

/// `fd_filestat_set_size(fd, size)`: truncates or extends a file. `EROFS` on a read-only
/// mount, `EINVAL` when not open for writing, `EBADF` on anything but a file, `EINVAL` past
/// `i64::MAX` (a negative `off_t`, as wasmtime answers).
pub(crate) fn filestat_set_size(cx: &mut WasiCtx, fd: u32, size: u64) -> WasiResult {
    let f = file_of(cx.fds.get(fd)?, Errno::EBADF)?;
    if f.read_only_mount {
        return Err(Errno::EROFS);
    }
    if !f.writable {
        return Err(Errno::EINVAL);
    }
    if size > i64::MAX as u64 {
        return Err(Errno::EINVAL);
    }
    Ok(f.file.set_len(size)?)
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`: sets access and modification
/// times (ns since the epoch, or now). `EINVAL` for bad flags (checked first), `EROFS` on
/// a read-only mount, `EBADF` on a stream, a socket or (unless nothing is to be set) a
/// preopened directory.
pub(crate) fn filestat_set_times(
    cx: &mut WasiCtx,
    fd: u32,
    atim: u64,
    mtim: u64,
    flags: u16,
) -> WasiResult {
    let (a, m) = decode_times(atim, mtim, flags)?;
    let e = cx.fds.get(fd)?;
    let ts =
        rustix::fs::Timestamps { last_access: a.to_timespec(), last_modification: m.to_timespec() };
    match &e.desc {
        Desc::File(f) if f.read_only_mount => Err(Errno::EROFS),
        Desc::File(f) => Ok(rustix::fs::futimens(&f.file, &ts)?),
        Desc::Dir(DirDesc { preopen: Some(_), .. }) if flags == 0 => Ok(()),
        Desc::Dir(DirDesc { preopen: Some(_), .. }) => Err(Errno::EBADF),
        Desc::Dir(d) if d.read_only => Err(Errno::EROFS),
        Desc::Dir(d) => {
            use cap_fs_ext::DirExt;
            Ok(d.dir.set_times(".", a.to_spec(), m.to_spec())?)
        }
        _ => Err(Errno::EBADF),
    }
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread_ptr)`: reads at `offset` without moving
/// the file position. `EBADF` when not open for reading (stdout, a directory), `ESPIPE`
/// on stdin or a socket, `EINVAL` for an offset past `i64::MAX` (on a file, before its
/// access mode, as wasmtime checks).
pub(crate) fn pread(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    iovs: u32,
    n: u32,
    offset: u64,
    out: u32,
) -> WasiResult {
    let iovs = mem.iovecs(iovs, n)?;
    mem.check(out, 4)?;
    let e = cx.fds.get(fd)?;
    let f = match &mut e.desc {
        // wasmtime converts the offset before it looks at the file's access mode.
        Desc::File(_) if offset > i64::MAX as u64 => return Err(Errno::EINVAL),
        Desc::File(f) if f.readable => f,
        Desc::Stream(s) if s.input => return Err(Errno::ESPIPE),
        Desc::Socket(_) => return Err(Errno::ESPIPE),
        _ => return Err(Errno::EBADF),
    };
    let mut buf = vec![0u8; iovecs_len(&iovs).min(MAX_IO)];
    let mut got = 0;
    while got < buf.len() {
        let n = rustix::io::pread(&f.file, &mut buf[got..], offset + got as u64)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    mem.scatter(&iovs, &buf[..got])?;
    mem.write_u32(out, got as u32)
}

/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten_ptr)`: writes at `offset` without
/// moving the file position (at the end on a file opened with `append`, as `pwrite(2)`
/// does on Linux). `EBADF` when not open for writing (stdin, a directory), `ESPIPE` on
/// stdout, stderr or a socket, `EINVAL` for an offset past `i64::MAX` (on a file, before
/// its access mode, as wasmtime checks).
pub(crate) fn pwrite(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    iovs: u32,
    n: u32,
    offset: u64,
    out: u32,
) -> WasiResult {
    let iovs = mem.iovecs(iovs, n)?;
    mem.check(out, 4)?;
    let data = mem.gather(&iovs, MAX_IO)?;
    let e = cx.fds.get(fd)?;
    let f = match &mut e.desc {
        // wasmtime converts the offset before it looks at the file's access mode.
        Desc::File(_) if offset > i64::MAX as u64 => return Err(Errno::EINVAL),
        Desc::File(f) if f.writable => f,
        Desc::Stream(s) if !s.input => return Err(Errno::ESPIPE),
        Desc::Socket(_) => return Err(Errno::ESPIPE),
        _ => return Err(Errno::EBADF),
    };
    let mut done = 0;
    while done < data.len() {
        match rustix::io::pwrite(&f.file, &data[done..], offset + done as u64)? {
            0 => break,
            n => done += n,
        }
    }
    mem.write_u32(out, done as u32)
}

/// `fd_prestat_get(fd, prestat_ptr)`: for a preopened mount, writes tag 0 (`dir`) and
/// the length of its guest path. `EBADF` for any other descriptor (this is how guests
/// find the end of the preopens).
pub(crate) fn prestat_get(cx: &mut WasiCtx, mem: &GuestMemory, fd: u32, out: u32) -> WasiResult {
    let name = preopen_name(cx.fds.get(fd)?, Errno::EBADF)?;
    mem.check(out, 8)?;
    let mut b = [0u8; 8];
    b[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
    mem.write(out, &b)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: writes the mount's guest path (no NUL).
/// `ENAMETOOLONG` when `path_len` is too small, `ENOTDIR` on any open descriptor that is
/// not a preopen (as wasmtime answers), `EBADF` when `fd` is not open.
pub(crate) fn prestat_dir_name(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    path: u32,
    len: u32,
) -> WasiResult {
    let name = preopen_name(cx.fds.get(fd)?, Errno::ENOTDIR)?;
    if (len as usize) < name.len() {
        return Err(Errno::ENAMETOOLONG);
    }
    mem.write(path, name.as_bytes())
}

/// A preopen's guest path; `otherwise` for any other descriptor.
fn preopen_name(e: &mut Entry, otherwise: Errno) -> WasiResult<String> {
    match &e.desc {
        Desc::Dir(DirDesc { preopen: Some(p), .. }) => Ok(p.clone()),
        _ => Err(otherwise),
    }
}

/// `fd_read(fd, iovs, iovs_len, nread_ptr)`: reads from the current position (files),
/// the stream, or the socket. `EBADF` when not open for reading or on a directory,
/// `EAGAIN` on a non-blocking socket with nothing to read, `ENOTCONN` on a
/// listener.
pub(crate) fn read(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    iovs: u32,
    n: u32,
    out: u32,
) -> WasiResult {
    let iovs = mem.iovecs(iovs, n)?;
    mem.check(out, 4)?;
    let e = cx.fds.get(fd)?;
    let want = iovecs_len(&iovs).min(MAX_IO);
    let mut buf = vec![0u8; want];
    let got = match &mut e.desc {
        Desc::Stream(s) if !s.input => return Err(Errno::EBADF),
        Desc::Dir(_) => return Err(Errno::EBADF),
        Desc::Listener(_) => return Err(Errno::ENOTCONN),
        Desc::File(f) if !f.readable => return Err(Errno::EBADF),
        _ if want == 0 => 0,
        Desc::Stream(s) => s.read(&mut buf)?,
        Desc::File(FileDesc { file, parked: Some(p), .. }) => {
            let at = i64::try_from(*p).map_err(|_| Errno::EINVAL)? as u64;
            let n = rustix::io::pread(&*file, &mut buf, at)?;
            *p = at + n as u64;
            n
        }
        Desc::File(f) => read_retrying(&mut f.file, &mut buf)?,
        Desc::Socket(s) => read_retrying(s, &mut buf)?,
    };
    mem.scatter(&iovs, &buf[..got])?;
    mem.write_u32(out, got as u32)
}

fn read_retrying(r: &mut dyn Read, buf: &mut [u8]) -> WasiResult<usize> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
}

/// `fd_write(fd, iovs, iovs_len, nwritten_ptr)`: writes at the current position (at
/// the end with `append`), to the stream (flushed), or to the socket. `EBADF` when not
/// open for writing (stdin, files opened read-only, every file of a read-only mount) or
/// on a directory, `ENOTCONN` on a listener.
pub(crate) fn write(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    iovs: u32,
    n: u32,
    out: u32,
) -> WasiResult {
    let iovs = mem.iovecs(iovs, n)?;
    mem.check(out, 4)?;
    let data = mem.gather(&iovs, MAX_IO)?;
    let e = cx.fds.get(fd)?;
    let append = e.flags & fdflags::APPEND != 0;
    let n = match &mut e.desc {
        Desc::Stream(s) if s.input => return Err(Errno::EBADF),
        Desc::Dir(_) => return Err(Errno::EBADF),
        Desc::Listener(_) => return Err(Errno::ENOTCONN),
        Desc::File(f) if !f.writable => return Err(Errno::EBADF),
        // At a parked position (not appending): `pwrite` there, as wasmtime writes.
        Desc::File(FileDesc { file, parked: Some(p), .. }) if !append => {
            let at = i64::try_from(*p).map_err(|_| Errno::EINVAL)? as u64;
            let n = rustix::io::pwrite(&*file, &data, at)?;
            *p = at + n as u64;
            n
        }
        Desc::File(f) => {
            // Appending moves the host's position to the end: the guest's too.
            f.parked = None;
            f.file.write_all(&data)?;
            data.len()
        }
        Desc::Stream(s) => {
            s.write_all(&data)?;
            data.len()
        }
        // A socket may take part of the data (as `send` does).
        Desc::Socket(s) => s.write(&data)?,
    };
    mem.write_u32(out, n as u32)
}

/// `fd_readdir(fd, buf, buf_len, cookie, bufused_ptr)`: fills `buf` with `dirent`
/// records (each a 24-byte header and the name), starting at entry `cookie` (0: the
/// beginning, `.` and `..` first). The last record is cut off when it does not fit,
/// so `bufused == buf_len` means "call again". Each record's `d_next` is the cookie of
/// the entry after it. The listing is read from the host when cookie 0 is asked for and
/// served from memory for later cookies. `..` reports the directory's own inode (a
/// mount's parent is outside the sandbox). `EBADF` when `fd` is not a directory.
pub(crate) fn readdir(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    buf: u32,
    len: u32,
    cookie: u64,
    out: u32,
) -> WasiResult {
    mem.check(buf, u64::from(len))?;
    mem.check(out, 4)?;
    let e = cx.fds.get(fd)?;
    let Desc::Dir(d) = &mut e.desc else { return Err(Errno::EBADF) };
    if cookie == 0 || d.listing.is_none() {
        d.listing = Some(list(&d.dir)?);
    }
    let listing = d.listing.as_deref().unwrap_or_default();
    let mut bytes = Vec::new();
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, ent) in listing.iter().enumerate().skip(start) {
        if bytes.len() >= len as usize {
            break;
        }
        let mut h = [0u8; DIRENT_SIZE];
        h[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        h[8..16].copy_from_slice(&ent.ino.to_le_bytes());
        h[16..20].copy_from_slice(&(ent.name.len() as u32).to_le_bytes());
        h[20] = ent.filetype;
        bytes.extend_from_slice(&h);
        bytes.extend_from_slice(&ent.name);
    }
    bytes.truncate(len as usize);
    mem.write(buf, &bytes)?;
    mem.write_u32(out, bytes.len() as u32)
}

fn list(dir: &cap_std::fs::Dir) -> WasiResult<Vec<Listed>> {
    use cap_fs_ext::MetadataExt;
    use std::os::unix::ffi::OsStringExt;
    let own = dir.dir_metadata()?.ino();
    let dirtype = super::abi::filetype::DIRECTORY;
    let mut out = vec![
        Listed { name: b".".to_vec(), ino: own, filetype: dirtype },
        Listed { name: b"..".to_vec(), ino: own, filetype: dirtype },
    ];
    for ent in dir.entries()? {
        let ent = ent?;
        let filetype = ent.file_type().map(|t| file_type_of(&t))?;
        let ino = std::os::unix::fs::DirEntryExt::ino(&ent);
        out.push(Listed { name: ent.file_name().into_vec(), ino, filetype });
    }
    Ok(out)
}

/// `fd_renumber(fd, to)`: moves `fd` to number `to`, closing what `to` held. `EBADF`
/// unless both are open.
pub(crate) fn renumber(cx: &mut WasiCtx, fd: u32, to: u32) -> WasiResult {
    cx.fds.renumber(fd, to)
}

/// `fd_seek(fd, offset, whence, newoffset_ptr)`: moves a file's position and writes
/// the new one: any position from 0 to `u64::MAX`, as wasmtime allows (one the host cannot
/// take is kept here: [`FileDesc::parked`]). `EINVAL` for an unknown whence, then `ESPIPE`
/// on a stream or socket, `EBADF` on a directory, then `EINVAL` for a position before 0 or
/// past `u64::MAX`.
pub(crate) fn seek(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    offset: i64,
    wh: u8,
    out: u32,
) -> WasiResult {
    mem.check(out, 8)?;
    if wh > whence::END {
        return Err(Errno::EINVAL);
    }
    let f = file_of(cx.fds.get(fd)?, Errno::ESPIPE)?;
    let base = match wh {
        whence::SET if offset < 0 => return Err(Errno::EINVAL),
        whence::SET => 0,
        whence::CUR => position(f)?,
        _ => f.file.metadata()?.len(),
    };
    let target = base.checked_add_signed(offset).ok_or(Errno::EINVAL)?;
    f.parked = None;
    let refused = |f: &mut FileDesc| {
        f.parked = Some(target);
        Ok(target)
    };
    let pos = if target > i64::MAX as u64 {
        refused(f)
    } else {
        match f.file.seek(SeekFrom::Start(target)) {
            Ok(p) => Ok(p),
            Err(e) => match Errno::from(e) {
                Errno::EINVAL => refused(f),
                e => Err(e),
            },
        }
    }?;
    mem.write_u64(out, pos)
}

/// The guest's position in `f`: the parked one ([`FileDesc::parked`]) or the host's.
fn position(f: &mut FileDesc) -> WasiResult<u64> {
    match f.parked {
        Some(p) => Ok(p),
        None => Ok(f.file.stream_position()?),
    }
}

/// `fd_tell(fd, offset_ptr)`: a file's position. `ESPIPE` on a stream or socket,
/// `EBADF` on a directory.
pub(crate) fn tell(cx: &mut WasiCtx, mem: &GuestMemory, fd: u32, out: u32) -> WasiResult {
    mem.check(out, 8)?;
    let f = file_of(cx.fds.get(fd)?, Errno::ESPIPE)?;
    let pos = position(f)?;
    mem.write_u64(out, pos)
}
