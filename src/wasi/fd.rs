//! The `fd_*` functions: operations on an open file descriptor.
//!
//! Errno choices beyond the host's own answers (each function says which apply):
//! - `EBADF`: no such descriptor; reading from a descriptor not open for reading or
//!   writing to one not open for writing (including stdout/stderr read, stdin written);
//!   a file-only operation on a directory where POSIX has no better answer.
//! - `EISDIR`: reading (`fd_read`, `fd_pread`) or truncating a directory.
//! - `ESPIPE`: seeking, `fd_pread`/`fd_pwrite`, `fd_advise`, `fd_allocate` on a stream
//!   (stdio) or socket.
//! - `ENOTDIR`: `fd_readdir` on something that is not a directory.
//! - `EROFS`: changing a file or directory of a read-only mount.
//! - `ENOTCAPABLE`: the descriptor lacks the right the operation needs (rights only
//!   shrink, through `fd_fdstat_set_rights` or when `path_open` asks for fewer).
//! - `ENOTSUP`: `fd_fdstat_set_flags` changing `dsync`/`rsync`/`sync` after opening
//!   (Linux cannot change them on an open file), or `nonblock` on a stdio stream.

use super::abi::{DIRENT_SIZE, FDSTAT_SIZE, advice, fdflags, rights, whence};
use super::ctx::WasiCtx;
use super::errno::{Errno, WasiResult};
use super::filestat::{Filestat, decode_times};
use super::fs_table::{Desc, DirDesc, Entry, FileDesc, Listed, file_type_of};
use super::guest_memory::{GuestMemory, MAX_IO, iovecs_len};
use std::io::{Read, Seek, SeekFrom, Write};
use std::num::NonZeroU64;

fn file_of(e: &mut Entry, on_dir: Errno, on_stream: Errno) -> WasiResult<&mut FileDesc> {
    match &mut e.desc {
        Desc::File(f) => Ok(f),
        Desc::Dir(_) => Err(on_dir),
        _ => Err(on_stream),
    }
}

/// The file behind `e` for a call that changes it and needs `right`: as [`file_of`], then
/// `EROFS` on a read-only mount, `EBADF` when not open for writing, `ENOTCAPABLE` without
/// the right (checked in that order).
fn file_to_change(
    e: &mut Entry,
    right: u64,
    on_dir: Errno,
    on_stream: Errno,
) -> WasiResult<&mut FileDesc> {
    let has = e.base & right != 0;
    let f = file_of(e, on_dir, on_stream)?;
    if f.read_only_mount {
        return Err(Errno::EROFS);
    }
    if !f.writable {
        return Err(Errno::EBADF);
    }
    if !has {
        return Err(Errno::ENOTCAPABLE);
    }
    Ok(f)
}

/// `fd_advise(fd, offset, len, advice)`: `posix_fadvise` on a file. `EINVAL` for an
/// unknown advice, `EBADF` on a directory, `ESPIPE` on a stream or socket.
pub(crate) fn advise(cx: &mut WasiCtx, fd: u32, offset: u64, len: u64, adv: u8) -> WasiResult {
    let e = cx.fds.get(fd)?;
    let a = match adv {
        advice::NORMAL => rustix::fs::Advice::Normal,
        advice::SEQUENTIAL => rustix::fs::Advice::Sequential,
        advice::RANDOM => rustix::fs::Advice::Random,
        advice::WILLNEED => rustix::fs::Advice::WillNeed,
        advice::DONTNEED => rustix::fs::Advice::DontNeed,
        advice::NOREUSE => rustix::fs::Advice::NoReuse,
        _ => return Err(Errno::EINVAL),
    };
    e.require(rights::FD_ADVISE)?;
    let f = file_of(e, Errno::EBADF, Errno::ESPIPE)?;
    Ok(rustix::fs::fadvise(&f.file, offset, NonZeroU64::new(len), a)?)
}

/// `fd_allocate(fd, offset, len)`: ensures `[offset, offset + len)` is allocated,
/// growing the file if needed (`posix_fallocate`). `EINVAL` for `len` 0, `EROFS` on a
/// read-only mount, `EBADF` when not open for writing or on a directory, `ESPIPE` on a
/// stream or socket.
pub(crate) fn allocate(cx: &mut WasiCtx, fd: u32, offset: u64, len: u64) -> WasiResult {
    let f = file_to_change(cx.fds.get(fd)?, rights::FD_ALLOCATE, Errno::EBADF, Errno::ESPIPE)?;
    if len == 0 || offset.checked_add(len).is_none_or(|end| end > i64::MAX as u64) {
        return Err(if len == 0 { Errno::EINVAL } else { Errno::EFBIG });
    }
    let size = f.file.metadata()?.len();
    if offset + len <= size {
        return Ok(());
    }
    match rustix::fs::fallocate(&f.file, rustix::fs::FallocateFlags::empty(), offset, len) {
        Ok(()) => Ok(()),
        // Filesystems without fallocate: extending the length allocates (sparsely).
        Err(rustix::io::Errno::OPNOTSUPP) => Ok(f.file.set_len(offset + len)?),
        Err(e) => Err(e.into()),
    }
}

/// `fd_close(fd)`: closes any descriptor, preopened directories included.
pub(crate) fn close(cx: &mut WasiCtx, fd: u32) -> WasiResult {
    cx.fds.remove(fd).map(drop)
}

/// `fd_datasync(fd)`: `fdatasync`. A stream is flushed; `EINVAL` on a socket.
pub(crate) fn datasync(cx: &mut WasiCtx, fd: u32) -> WasiResult {
    sync_impl(cx, fd, rights::FD_DATASYNC, true)
}

/// `fd_sync(fd)`: `fsync`. A stream is flushed; `EINVAL` on a socket.
pub(crate) fn sync(cx: &mut WasiCtx, fd: u32) -> WasiResult {
    sync_impl(cx, fd, rights::FD_SYNC, false)
}

fn sync_impl(cx: &mut WasiCtx, fd: u32, right: u64, data_only: bool) -> WasiResult {
    let e = cx.fds.get(fd)?;
    e.require(right)?;
    match &mut e.desc {
        Desc::File(f) if data_only => Ok(rustix::fs::fdatasync(&f.file)?),
        Desc::File(f) => Ok(rustix::fs::fsync(&f.file)?),
        Desc::Dir(d) => Ok(rustix::fs::fsync(&d.dir)?),
        Desc::Stream(s) => s.flush(),
        Desc::Socket(_) | Desc::Listener(_) => Err(Errno::EINVAL),
    }
}

/// `fd_fdstat_get(fd, fdstat_ptr)`: writes the descriptor's type, flags and rights.
pub(crate) fn fdstat_get(cx: &mut WasiCtx, mem: &GuestMemory, fd: u32, out: u32) -> WasiResult {
    mem.check(out, FDSTAT_SIZE as u64)?;
    let e = cx.fds.get(fd)?;
    let mut b = [0u8; FDSTAT_SIZE];
    b[0] = e.filetype();
    b[2..4].copy_from_slice(&e.flags.to_le_bytes());
    b[8..16].copy_from_slice(&e.base.to_le_bytes());
    b[16..24].copy_from_slice(&e.inheriting.to_le_bytes());
    mem.write(out, &b)
}

/// `fd_fdstat_set_flags(fd, flags)`: sets `append` and `nonblock` on files and sockets
/// (`nonblock` only on listeners). `EINVAL` for unknown bits; `ENOTSUP` to change
/// `dsync`/`rsync`/`sync` after opening, for `nonblock` on stdio, or for any flag on a
/// directory.
pub(crate) fn fdstat_set_flags(cx: &mut WasiCtx, fd: u32, flags: u16) -> WasiResult {
    if flags & !fdflags::ALL != 0 {
        return Err(Errno::EINVAL);
    }
    let e = cx.fds.get(fd)?;
    e.require(rights::FD_FDSTAT_SET_FLAGS)?;
    let sync_bits = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;
    let nonblock = flags & fdflags::NONBLOCK != 0;
    match &mut e.desc {
        Desc::File(f) => {
            if flags & sync_bits != e.flags & sync_bits {
                return Err(Errno::ENOTSUP);
            }
            let mut of = rustix::fs::fcntl_getfl(&f.file)?;
            of.set(rustix::fs::OFlags::APPEND, flags & fdflags::APPEND != 0);
            of.set(rustix::fs::OFlags::NONBLOCK, nonblock);
            rustix::fs::fcntl_setfl(&f.file, of)?;
        }
        Desc::Socket(s) => {
            if flags & !fdflags::NONBLOCK != 0 {
                return Err(Errno::ENOTSUP);
            }
            s.set_nonblocking(nonblock)?;
        }
        Desc::Listener(l) => {
            if flags & !fdflags::NONBLOCK != 0 {
                return Err(Errno::ENOTSUP);
            }
            l.set_nonblocking(nonblock)?;
        }
        Desc::Stream(s) if !s.input && flags & !fdflags::APPEND == 0 => {}
        Desc::Stream(_) | Desc::Dir(_) if flags == 0 => {}
        Desc::Stream(_) | Desc::Dir(_) => return Err(Errno::ENOTSUP),
    }
    e.flags = flags;
    Ok(())
}

/// `fd_fdstat_set_rights(fd, base, inheriting)`: drops rights. `ENOTCAPABLE` when asked
/// for a right the descriptor does not hold.
pub(crate) fn fdstat_set_rights(
    cx: &mut WasiCtx,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> WasiResult {
    let e = cx.fds.get(fd)?;
    if base & !e.base != 0 || inheriting & !e.inheriting != 0 {
        return Err(Errno::ENOTCAPABLE);
    }
    e.base = base;
    e.inheriting = inheriting;
    Ok(())
}

/// `fd_filestat_get(fd, filestat_ptr)`: the file's attributes. A stdio stream reports a
/// character device with everything else 0.
pub(crate) fn filestat_get(cx: &mut WasiCtx, mem: &GuestMemory, fd: u32, out: u32) -> WasiResult {
    mem.check(out, super::abi::FILESTAT_SIZE as u64)?;
    let e = cx.fds.get(fd)?;
    e.require(rights::FD_FILESTAT_GET)?;
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
    st.write(mem, out)
}

/// `fd_filestat_set_size(fd, size)`: truncates or extends a file. `EROFS` on a read-only
/// mount, `EBADF` when not open for writing, `EISDIR` on a directory, `EINVAL` on a
/// stream or socket, `EFBIG` past `i64::MAX`.
pub(crate) fn filestat_set_size(cx: &mut WasiCtx, fd: u32, size: u64) -> WasiResult {
    let f = file_to_change(
        cx.fds.get(fd)?,
        rights::FD_FILESTAT_SET_SIZE,
        Errno::EISDIR,
        Errno::EINVAL,
    )?;
    if size > i64::MAX as u64 {
        return Err(Errno::EFBIG);
    }
    Ok(f.file.set_len(size)?)
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`: sets access and modification
/// times (ns since the epoch, or now). `EINVAL` for bad flags, `EROFS` on a read-only
/// mount, `EBADF` on a stream or socket.
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
        Desc::File(f) if f.read_only_mount => return Err(Errno::EROFS),
        Desc::Dir(d) if d.read_only => return Err(Errno::EROFS),
        _ => e.require(rights::FD_FILESTAT_SET_TIMES)?,
    }
    match &e.desc {
        Desc::File(f) => Ok(rustix::fs::futimens(&f.file, &ts)?),
        Desc::Dir(d) => Ok(rustix::fs::futimens(&d.dir, &ts)?),
        _ => Err(Errno::EBADF),
    }
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread_ptr)`: reads at `offset` without moving
/// the file position. `EBADF` when not open for reading, `EISDIR` on a directory,
/// `ESPIPE` on a stream or socket, `EINVAL` for an offset past `i64::MAX`.
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
    if offset > i64::MAX as u64 {
        return Err(Errno::EINVAL);
    }
    let e = cx.fds.get(fd)?;
    e.require(rights::FD_READ | rights::FD_SEEK)?;
    let f = file_of(e, Errno::EISDIR, Errno::ESPIPE)?;
    if !f.readable {
        return Err(Errno::EBADF);
    }
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
/// moving the file position. `EBADF` when not open for writing (every file of a
/// read-only mount), `EISDIR` on a directory, `ESPIPE` on a stream or socket, `EINVAL`
/// for an offset past `i64::MAX`.
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
    if offset > i64::MAX as u64 {
        return Err(Errno::EINVAL);
    }
    let e = cx.fds.get(fd)?;
    e.require(rights::FD_WRITE | rights::FD_SEEK)?;
    let f = file_of(e, Errno::EISDIR, Errno::ESPIPE)?;
    if !f.writable {
        return Err(Errno::EBADF);
    }
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
    let name = preopen_name(cx.fds.get(fd)?)?;
    mem.check(out, 8)?;
    let mut b = [0u8; 8];
    b[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
    mem.write(out, &b)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: writes the mount's guest path (no NUL).
/// `ENAMETOOLONG` when `path_len` is too small, `EBADF` when `fd` is not a preopen.
pub(crate) fn prestat_dir_name(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    path: u32,
    len: u32,
) -> WasiResult {
    let name = preopen_name(cx.fds.get(fd)?)?;
    if (len as usize) < name.len() {
        return Err(Errno::ENAMETOOLONG);
    }
    mem.write(path, name.as_bytes())
}

fn preopen_name(e: &mut Entry) -> WasiResult<String> {
    match &e.desc {
        Desc::Dir(DirDesc { preopen: Some(p), .. }) => Ok(p.clone()),
        _ => Err(Errno::EBADF),
    }
}

/// `fd_read(fd, iovs, iovs_len, nread_ptr)`: reads from the current position (files),
/// the stream, or the socket. `EBADF` when not open for reading, `EISDIR` on a
/// directory, `EAGAIN` on a non-blocking socket with nothing to read, `ENOTCONN` on a
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
    let has = e.base & rights::FD_READ != 0;
    let mut buf = vec![0u8; want];
    let got = match &mut e.desc {
        Desc::Stream(s) if !s.input => return Err(Errno::EBADF),
        Desc::Dir(_) => return Err(Errno::EISDIR),
        Desc::Listener(_) => return Err(Errno::ENOTCONN),
        Desc::File(f) if !f.readable => return Err(Errno::EBADF),
        _ if !has => return Err(Errno::ENOTCAPABLE),
        _ if want == 0 => 0,
        Desc::Stream(s) => s.read(&mut buf)?,
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
    let has = e.base & rights::FD_WRITE != 0;
    let n = match &mut e.desc {
        Desc::Stream(s) if s.input => return Err(Errno::EBADF),
        Desc::Dir(_) => return Err(Errno::EBADF),
        Desc::Listener(_) => return Err(Errno::ENOTCONN),
        Desc::File(f) if !f.writable => return Err(Errno::EBADF),
        _ if !has => return Err(Errno::ENOTCAPABLE),
        Desc::File(f) => {
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
/// mount's parent is outside the sandbox). `ENOTDIR` when `fd` is not a directory.
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
    let has = e.base & rights::FD_READDIR != 0;
    let d = e.dir()?;
    if !has {
        return Err(Errno::ENOTCAPABLE);
    }
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
/// the new one. `EINVAL` for an unknown whence or a position before 0, `ESPIPE` on a
/// stream or socket, `EBADF` on a directory. Needs `fd_seek`, or only `fd_tell` for
/// `(0, cur)`.
pub(crate) fn seek(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    offset: i64,
    wh: u8,
    out: u32,
) -> WasiResult {
    mem.check(out, 8)?;
    let e = cx.fds.get(fd)?;
    let from = match wh {
        whence::SET if offset < 0 => return Err(Errno::EINVAL),
        whence::SET => SeekFrom::Start(offset as u64),
        whence::CUR => SeekFrom::Current(offset),
        whence::END => SeekFrom::End(offset),
        _ => return Err(Errno::EINVAL),
    };
    let needed = if offset == 0 && wh == whence::CUR { rights::FD_TELL } else { rights::FD_SEEK };
    let has = e.base & needed != 0;
    let f = file_of(e, Errno::EBADF, Errno::ESPIPE)?;
    if !has {
        return Err(Errno::ENOTCAPABLE);
    }
    let pos = f.file.seek(from)?;
    mem.write_u64(out, pos)
}

/// `fd_tell(fd, offset_ptr)`: a file's position. `ESPIPE` on a stream or socket,
/// `EBADF` on a directory.
pub(crate) fn tell(cx: &mut WasiCtx, mem: &GuestMemory, fd: u32, out: u32) -> WasiResult {
    mem.check(out, 8)?;
    let e = cx.fds.get(fd)?;
    let has = e.base & rights::FD_TELL != 0;
    let f = file_of(e, Errno::EBADF, Errno::ESPIPE)?;
    if !has {
        return Err(Errno::ENOTCAPABLE);
    }
    let pos = f.file.stream_position()?;
    mem.write_u64(out, pos)
}
