//! The `path_*` functions: operations on a path relative to a directory descriptor.
//!
//! Every path is resolved by `cap-std` beneath its directory descriptor, so no path can
//! reach outside the mount it starts in. Errno choices beyond the host's own answers:
//! - `ENOTCAPABLE`: the path leaves its directory (`..` past the mount root, an absolute
//!   path, a symbolic link pointing outside, including one created by the guest), or
//!   the descriptor lacks the right the operation needs; `path_symlink` with an absolute
//!   target.
//! - `EROFS`: the operation would change a read-only mount (create, write or truncate
//!   through `path_open`, mkdir, rmdir, unlink, rename, link, symlink, set times).
//! - `ENOTDIR`: the descriptor is not a directory.
//! - `ENOENT`: an empty path.
//! - `EINVAL`: unknown `oflags` bits.
//! - `EILSEQ`: a path that is not UTF-8.

use super::abi::{LOOKUP_SYMLINK_FOLLOW, fdflags, oflags, rights};
use super::ctx::WasiCtx;
use super::errno::{Errno, WasiResult};
use super::filestat::{Filestat, decode_times};
use super::fs_table::{Desc, DirDesc, Entry, FileDesc};
use super::guest_memory::GuestMemory;
use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
};

/// The directory behind `fd` after checking `needed` rights: `EBADF` if no such
/// descriptor, `ENOTDIR` if not a directory, `ENOTCAPABLE` without the rights.
fn dir_of(cx: &WasiCtx, fd: u32, needed: u64) -> WasiResult<(&DirDesc, &Entry)> {
    let e = cx.fds.get_ref(fd)?;
    let Desc::Dir(d) = &e.desc else { return Err(Errno::ENOTDIR) };
    e.require(needed)?;
    Ok((d, e))
}

/// Like [`dir_of`] for an operation that changes the mount: `EROFS` on a read-only one.
fn writable_dir_of(cx: &WasiCtx, fd: u32, needed: u64) -> WasiResult<&DirDesc> {
    let (d, _) = dir_of(cx, fd, needed)?;
    if d.read_only {
        return Err(Errno::EROFS);
    }
    Ok(d)
}

fn path(mem: &GuestMemory, ptr: u32, len: u32) -> WasiResult<String> {
    let p = mem.read_path(ptr, len)?;
    if p.is_empty() {
        return Err(Errno::ENOENT);
    }
    Ok(p)
}

/// `path_create_directory(fd, path, path_len)`: `mkdir`.
pub(crate) fn create_directory(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    p: u32,
    len: u32,
) -> WasiResult {
    let p = path(mem, p, len)?;
    let d = writable_dir_of(cx, fd, rights::PATH_CREATE_DIRECTORY)?;
    Ok(d.dir.create_dir(p)?)
}

/// `path_filestat_get(fd, flags, path, path_len, filestat_ptr)`: `stat` (with
/// `symlink_follow`) or `lstat`.
pub(crate) fn filestat_get(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    flags: u32,
    p: u32,
    len: u32,
    out: u32,
) -> WasiResult {
    let p = path(mem, p, len)?;
    mem.check(out, super::abi::FILESTAT_SIZE as u64)?;
    let (d, _) = dir_of(cx, fd, rights::PATH_FILESTAT_GET)?;
    let m = if flags & LOOKUP_SYMLINK_FOLLOW != 0 {
        d.dir.metadata(p)?
    } else {
        d.dir.symlink_metadata(p)?
    };
    Filestat::from_metadata(&m).write(mem, out)
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`: sets
/// access and modification times (ns since the epoch, or now), following a final
/// symbolic link with `symlink_follow`. `EINVAL` for bad flags.
#[allow(clippy::too_many_arguments)]
pub(crate) fn filestat_set_times(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    flags: u32,
    p: u32,
    len: u32,
    atim: u64,
    mtim: u64,
    fst: u16,
) -> WasiResult {
    let p = path(mem, p, len)?;
    let (a, m) = decode_times(atim, mtim, fst)?;
    let d = writable_dir_of(cx, fd, rights::PATH_FILESTAT_SET_TIMES)?;
    if flags & LOOKUP_SYMLINK_FOLLOW != 0 {
        Ok(d.dir.set_times(p, a.to_spec(), m.to_spec())?)
    } else {
        Ok(d.dir.set_symlink_times(p, a.to_spec(), m.to_spec())?)
    }
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path,
/// new_path_len)`: a hard link. With `symlink_follow` a final symbolic link in
/// `old_path` is resolved (inside the mount) first.
#[allow(clippy::too_many_arguments)]
pub(crate) fn link(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    old_fd: u32,
    old_flags: u32,
    old: u32,
    old_len: u32,
    new_fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let old = path(mem, old, old_len)?;
    let new = path(mem, new, new_len)?;
    let src = writable_dir_of(cx, old_fd, rights::PATH_LINK_SOURCE)?;
    let dst = writable_dir_of(cx, new_fd, rights::PATH_LINK_TARGET)?;
    if old_flags & LOOKUP_SYMLINK_FOLLOW != 0 {
        let resolved = src.dir.canonicalize(&old)?;
        Ok(src.dir.hard_link(resolved, &dst.dir, new)?)
    } else {
        Ok(src.dir.hard_link(old, &dst.dir, new)?)
    }
}

/// `path_open(fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting,
/// fdflags, fd_ptr)`: opens or creates a file or directory and writes its new
/// descriptor. The access mode comes from the rights asked for, as wasi-libc encodes
/// `O_RDONLY`/`O_WRONLY`/`O_RDWR`: write access when any of `fd_write`, `fd_allocate`,
/// `fd_filestat_set_size` is asked for (or `append`), read access otherwise or with
/// `fd_read`/`fd_readdir`. The new descriptor's rights are those asked for, limited by
/// the directory's inheriting rights and by what the object supports. Without
/// `symlink_follow` a final symbolic link is not followed (`ELOOP`). `EROFS` on a
/// read-only mount when asked to create, truncate or write; `EISDIR` when opening a
/// directory for writing; `ENOTDIR` with `oflags::directory` on a non-directory;
/// `EEXIST` with `creat|excl` on an existing path.
#[allow(clippy::too_many_arguments)]
pub(crate) fn open(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    dirflags: u32,
    p: u32,
    len: u32,
    of: u16,
    base: u64,
    inheriting: u64,
    fdf: u16,
    out: u32,
) -> WasiResult {
    let p = path(mem, p, len)?;
    mem.check(out, 4)?;
    if of & !oflags::ALL != 0 || fdf & !fdflags::ALL != 0 {
        return Err(Errno::EINVAL);
    }
    let mut needed = rights::PATH_OPEN;
    if of & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if of & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let (d, parent) = dir_of(cx, fd, needed)?;
    let append = fdf & fdflags::APPEND != 0;
    let (creat, trunc) = (of & oflags::CREAT != 0, of & oflags::TRUNC != 0);
    let writing = base & (rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE)
        != 0
        || append;
    let reading = base & (rights::FD_READ | rights::FD_READDIR) != 0 || !writing;
    if d.read_only && (writing || creat || trunc) {
        return Err(Errno::EROFS);
    }
    let follow = if dirflags & LOOKUP_SYMLINK_FOLLOW != 0 {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    };
    let read_only = d.read_only;
    let parent_inheriting = parent.inheriting;

    let entry = if of & oflags::DIRECTORY != 0 {
        let dir = if follow == FollowSymlinks::Yes {
            d.dir.open_dir(&p)?
        } else {
            d.dir.open_dir_nofollow(&p)?
        };
        // A directory cannot be opened for writing (as `open(O_DIRECTORY|O_RDWR)`).
        if writing {
            return Err(Errno::EISDIR);
        }
        dir_entry(dir, read_only, base, inheriting, parent_inheriting)
    } else {
        // Creating or truncating needs write access on the host whatever the rights ask
        // for (POSIX allows `O_CREAT|O_RDONLY`; std's `OpenOptions` does not); the guest's
        // descriptor still only writes when its rights say so. `append` is set after
        // opening, so that `trunc` with `append` works as `open(2)` has it.
        let mut opts = cap_std::fs::OpenOptions::new();
        opts.read(reading)
            .write(writing || creat || trunc)
            .create(creat)
            .create_new(creat && of & oflags::EXCL != 0)
            .truncate(trunc);
        opts.follow(follow).maybe_dir(!(writing || creat || trunc));
        opts.sync(fdf & fdflags::SYNC != 0)
            .dsync(fdf & fdflags::DSYNC != 0)
            .rsync(fdf & fdflags::RSYNC != 0);
        opts.nonblock(fdf & fdflags::NONBLOCK != 0);
        let file = d.dir.open_with(&p, &opts)?;
        if append {
            let mut fl = rustix::fs::fcntl_getfl(&file)?;
            fl.insert(rustix::fs::OFlags::APPEND);
            rustix::fs::fcntl_setfl(&file, fl)?;
        }
        if file.metadata()?.is_dir() {
            let dir = cap_std::fs::Dir::from_std_file(file.into_std());
            dir_entry(dir, read_only, base, inheriting, parent_inheriting)
        } else {
            let mut r = base & parent_inheriting & rights::FILE;
            if !reading {
                r &= !rights::FD_READ;
            }
            // The access mode shows in the rights (wasi-libc derives `O_ACCMODE` from
            // them); other write-like rights stay, and their calls answer `EBADF`.
            if !writing {
                r &= !rights::FD_WRITE;
            }
            let desc = Desc::File(FileDesc {
                file,
                readable: r & rights::FD_READ != 0,
                writable: writing,
                read_only_mount: read_only,
            });
            let mut e = Entry::new(desc, r, 0);
            e.flags = fdf;
            e
        }
    };
    let new_fd = cx.fds.push(entry)?;
    mem.write_u32(out, new_fd)
}

fn dir_entry(
    dir: cap_std::fs::Dir,
    read_only: bool,
    base: u64,
    inheriting: u64,
    parent_inheriting: u64,
) -> Entry {
    let desc = Desc::Dir(DirDesc { dir, preopen: None, read_only, listing: None });
    Entry::new(desc, base & parent_inheriting & rights::DIRECTORY, inheriting & parent_inheriting)
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused_ptr)`: the target of a
/// symbolic link, cut to `buf_len` bytes (no NUL), as POSIX `readlink`. `EINVAL` when
/// the path is not a symbolic link.
#[allow(clippy::too_many_arguments)]
pub(crate) fn readlink(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    p: u32,
    len: u32,
    buf: u32,
    buf_len: u32,
    out: u32,
) -> WasiResult {
    use std::os::unix::ffi::OsStrExt;
    let p = path(mem, p, len)?;
    mem.check(buf, u64::from(buf_len))?;
    mem.check(out, 4)?;
    let (d, _) = dir_of(cx, fd, rights::PATH_READLINK)?;
    let target = d.dir.read_link_contents(p)?;
    let bytes = target.as_os_str().as_bytes();
    let n = bytes.len().min(buf_len as usize);
    mem.write(buf, &bytes[..n])?;
    mem.write_u32(out, n as u32)
}

/// `path_remove_directory(fd, path, path_len)`: `rmdir`. `ENOTEMPTY` when not empty,
/// `ENOTDIR` when not a directory.
pub(crate) fn remove_directory(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    p: u32,
    len: u32,
) -> WasiResult {
    let p = path(mem, p, len)?;
    let d = writable_dir_of(cx, fd, rights::PATH_REMOVE_DIRECTORY)?;
    Ok(d.dir.remove_dir(p)?)
}

/// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`: `rename`,
/// possibly between two directory descriptors (of the same host filesystem; `EXDEV`
/// otherwise).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rename(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    old: u32,
    old_len: u32,
    new_fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let old = path(mem, old, old_len)?;
    let new = path(mem, new, new_len)?;
    let src = writable_dir_of(cx, fd, rights::PATH_RENAME_SOURCE)?;
    let dst = writable_dir_of(cx, new_fd, rights::PATH_RENAME_TARGET)?;
    Ok(src.dir.rename(old, &dst.dir, new)?)
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: creates symbolic
/// link `new_path` holding `old_path`. A relative target that points outside the mount
/// can be created but never followed (`ENOTCAPABLE` then); an absolute target is refused
/// at once with `ENOTCAPABLE`.
pub(crate) fn symlink(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    old: u32,
    old_len: u32,
    fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let old = path(mem, old, old_len)?;
    let new = path(mem, new, new_len)?;
    let d = writable_dir_of(cx, fd, rights::PATH_SYMLINK)?;
    Ok(d.dir.symlink(old, new)?)
}

/// `path_unlink_file(fd, path, path_len)`: `unlink` (a symbolic link itself, not its
/// target). `EISDIR` on a directory.
pub(crate) fn unlink_file(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    p: u32,
    len: u32,
) -> WasiResult {
    let p = path(mem, p, len)?;
    let d = writable_dir_of(cx, fd, rights::PATH_UNLINK_FILE)?;
    Ok(d.dir.remove_file(p)?)
}
