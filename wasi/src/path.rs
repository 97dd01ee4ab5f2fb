//! The `path_*` functions: operations on a path relative to a directory descriptor.
//!
//! Every path is resolved by `cap-std` beneath its directory descriptor, so no path can
//! reach outside the mount it starts in. Errno choices beyond the host's own answers (as
//! wasmtime answers):
//! - `EPERM`: the path leaves its directory (`..` past the mount root, an absolute path,
//!   a symbolic link pointing outside, including one created by the guest);
//!   `path_symlink` with an absolute target; `path_readlink` of a link holding an
//!   absolute path.
//! - `EROFS`: the operation would change a read-only mount (create, write or truncate
//!   through `path_open`, mkdir, rmdir, unlink, rename, link, symlink, set times).
//! - `ENOTDIR`: the descriptor is a file, not a directory; a trailing slash on a path
//!   naming something that is not a directory.
//! - `EBADF`: the descriptor is a stdio stream or socket.
//! - `ENOENT`: an empty path.
//! - `EINVAL`: unknown `oflags` bits; `oflags::directory` with `creat`, `excl` or `trunc`;
//!   `path_link` asked to follow symbolic links.
//! - `ENOTSUP`: `path_open` with the `dsync`, `rsync` or `sync` fdflags.
//! - `EILSEQ`: a path that is not UTF-8.
//!
//! The order of checks is wasmtime's:
//! - the directory descriptors first (`EBADF`, `ENOTDIR`, `EROFS`), then the paths;
//!   `path_open` reads its path before it looks up the descriptor, and
//!   `path_filestat_set_times` checks its time flags before both;
//! - a call's path strings are all read (`EFAULT`, `EILSEQ`) before any is found empty
//!   (`ENOENT`), and `path_link` refuses `symlink_follow` (`EINVAL`) in between;
//!   `path_open` checks all its flags (`EROFS`, `ENOTSUP`, `EINVAL`) before the path;
//! - in `path_rename`, a last component `.` or `..` in either path is the host's `EBUSY`
//!   before a trailing slash on a file in the other (`rename(2)` looks at the kinds of the
//!   last components before it looks them up);
//! - in `path_link` and `path_rename`, a path that leaves its mount is `EPERM` before an
//!   empty path or a trailing slash on a file in the other;
//! - `path_symlink` refuses an absolute target, then resolves the new path (`EPERM` when it
//!   leaves the mount, `ENOTDIR`, `ELOOP`) before it finds the target empty.

use super::abi::{Abi, LOOKUP_SYMLINK_FOLLOW, fdflags, oflags, rights};
use super::ctx::WasiCtx;
use super::errno::{Errno, WasiResult};
use super::filestat::{Filestat, decode_times};
use super::fs_table::{Desc, DirDesc, Entry, FileDesc};
use super::guest_memory::GuestMemory;
use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OpenOptionsSyncExt,
};

/// The directory behind `fd`: `EBADF` if no such descriptor or a stream or socket,
/// `ENOTDIR` for a file.
fn dir_of(cx: &WasiCtx, fd: u32) -> WasiResult<&DirDesc> {
    match &cx.fds.get_ref(fd)?.desc {
        Desc::Dir(d) => Ok(d),
        Desc::File(_) => Err(Errno::ENOTDIR),
        _ => Err(Errno::EBADF),
    }
}

/// Like [`dir_of`] for an operation that changes the mount: `EROFS` on a read-only one.
fn writable_dir_of(cx: &WasiCtx, fd: u32) -> WasiResult<&DirDesc> {
    let d = dir_of(cx, fd)?;
    if d.read_only {
        return Err(Errno::EROFS);
    }
    Ok(d)
}

/// Whether `lookupflags` asks to follow a final symbolic link; `EINVAL` for unknown bits.
fn follows(lookupflags: u32) -> WasiResult<bool> {
    if lookupflags & !LOOKUP_SYMLINK_FOLLOW != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(lookupflags != 0)
}

fn path(mem: &GuestMemory, ptr: u32, len: u32) -> WasiResult<String> {
    nonempty(mem.read_path(ptr, len)?)
}

/// `p`, or `ENOENT` when it is empty.
fn nonempty(p: String) -> WasiResult<String> {
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
    let d = writable_dir_of(cx, fd)?;
    let p = path(mem, p, len)?;
    Ok(d.dir.create_dir(p)?)
}

/// `path_filestat_get(fd, flags, path, path_len, filestat_ptr)`: `stat` (with
/// `symlink_follow`) or `lstat`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn filestat_get(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    fd: u32,
    flags: u32,
    p: u32,
    len: u32,
    out: u32,
    abi: Abi,
) -> WasiResult {
    let d = dir_of(cx, fd)?;
    let p = path(mem, p, len)?;
    mem.check(out, abi.filestat_size() as u64)?;
    let m = if follows(flags)? { d.dir.metadata(p)? } else { d.dir.symlink_metadata(p)? };
    Filestat::from_metadata(&m).write(mem, out, abi)
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
    let (a, m) = decode_times(atim, mtim, fst)?;
    let d = writable_dir_of(cx, fd)?;
    let p = path(mem, p, len)?;
    if follows(flags)? {
        Ok(d.dir.set_times(p, a.to_spec(), m.to_spec())?)
    } else {
        Ok(d.dir.set_symlink_times(p, a.to_spec(), m.to_spec())?)
    }
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path,
/// new_path_len)`: a hard link (to a symbolic link itself, never its target). `EINVAL`
/// with `symlink_follow`, as wasmtime answers.
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
    let src = writable_dir_of(cx, old_fd)?;
    let dst = writable_dir_of(cx, new_fd)?;
    let (old, new) = (mem.read_path(old, old_len)?, mem.read_path(new, new_len)?);
    if follows(old_flags)? {
        return Err(Errno::EINVAL);
    }
    let old = nonempty(old)?;
    // wasmtime opens the old path's parent with the path's trailing slash, so a slash after
    // a file answers before anything about the new path.
    not_dir_with_slash(&src.dir, &old)?;
    let new = nonempty(new).map_err(|e| resolution_first(e, &[(src, &old)]))?;
    Ok(src.dir.hard_link(old, &dst.dir, new)?)
}

/// Whether `p` resolves outside `d`'s mount: cap-std refuses it (`EPERM`).
fn leaves_mount(d: &DirDesc, p: &str) -> bool {
    d.dir.symlink_metadata(p).is_err_and(|e| Errno::from(e) == Errno::EPERM)
}

/// `e`, a fault Kiln finds in the spelling of a path (empty, a trailing slash on a file),
/// unless one of the call's other `paths` leaves its mount: then `EPERM`, as wasmtime
/// answers (it checks every path of the call for that before anything else).
fn escape_first(e: Errno, paths: &[(&DirDesc, &str)]) -> Errno {
    if paths.iter().any(|(d, p)| leaves_mount(d, p)) { Errno::EPERM } else { e }
}

/// As [`escape_first`], and then the first of `paths` whose parent directory does not
/// resolve answers for `e` (`ENOENT` when it is missing, `ENOTDIR` when it is a file): the
/// order in which wasmtime's `path_rename` meets faults, opening both parents before it
/// looks at the last components.
fn resolution_first(e: Errno, paths: &[(&DirDesc, &str)]) -> Errno {
    escape_first(paths.iter().find_map(|(d, p)| parent_fault(d, p)).unwrap_or(e), paths)
}

/// What opening the parent directory of `p` under `d` answers, if it fails.
fn parent_fault(d: &DirDesc, p: &str) -> Option<Errno> {
    let last = p.trim_end_matches('/');
    let parent = &last[..last.rfind('/')?];
    match d.dir.metadata(if parent.is_empty() { "/" } else { parent }) {
        Err(e) => Some(Errno::from(e)),
        Ok(m) if !m.is_dir() => Some(Errno::ENOTDIR),
        Ok(_) => None,
    }
}

/// Whether the last component of `p` (trailing slashes aside) is `.` or `..`.
fn dot_last(p: &str) -> bool {
    matches!(p.trim_end_matches('/').rsplit('/').next(), Some("." | ".."))
}

/// `ENOTDIR` when `p` ends in `/` but names something that exists and is not a directory
/// (nor a symbolic link to one), as `rename(2)` and `link(2)` answer; cap-std resolves
/// such a path to the file itself.
fn not_dir_with_slash(dir: &cap_std::fs::Dir, p: &str) -> WasiResult {
    if p.ends_with('/')
        && let Ok(m) = dir.metadata(p.trim_end_matches('/'))
        && !m.is_dir()
    {
        return Err(Errno::ENOTDIR);
    }
    Ok(())
}

/// `path_open(fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting,
/// fdflags, fd_ptr)`: opens or creates a file or directory and writes its new
/// descriptor. The access mode comes from the rights asked for, as wasi-libc encodes
/// `O_RDONLY`/`O_WRONLY`/`O_RDWR` and as wasmtime reads them: write access with
/// `fd_write` (or `creat`, or `trunc`), read access with `fd_read` or when not asked to
/// write. The other rights asked for are ignored (rights are not enforced); the new
/// descriptor reports the rights of its access mode. Without `symlink_follow` a final
/// symbolic link is not followed (`ELOOP`). In wasmtime's order: `EROFS` on a read-only
/// mount when asked to create, truncate or write; `ENOTSUP` for the `dsync`, `rsync` and
/// `sync` fdflags; `EINVAL` for `directory` with `creat`, `excl` or `trunc`; then the path
/// (`ENOENT` when empty); `EISDIR` when opening a directory for writing; `ENOTDIR` with
/// `oflags::directory` on a non-directory; `EEXIST` with `creat|excl` on an existing path.
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
    // wasmtime reads `path_open`'s path before it looks up the descriptor.
    let p = mem.read_path(p, len)?;
    let d = dir_of(cx, fd)?;
    mem.check(out, 4)?;
    if of & !oflags::ALL != 0 || fdf & !fdflags::ALL != 0 {
        return Err(Errno::EINVAL);
    }
    if dirflags & !LOOKUP_SYMLINK_FOLLOW != 0
        || base & !rights::ALL != 0
        || inheriting & !rights::ALL != 0
    {
        return Err(Errno::EINVAL);
    }
    // Then wasmtime's order: the mount's permission, the sync flags, the flags that make no
    // sense with `directory`, and only then the path itself (empty: `ENOENT`).
    let (creat, trunc) = (of & oflags::CREAT != 0, of & oflags::TRUNC != 0);
    // The access mode, as wasmtime derives it: write with `fd_write`, read with `fd_read`
    // or when not writing; creating or truncating opens for writing too.
    let asked_write = base & rights::FD_WRITE != 0;
    let reading = base & rights::FD_READ != 0 || !asked_write;
    let writing = asked_write || creat || trunc;
    if d.read_only && writing {
        return Err(Errno::EROFS);
    }
    if fdf & (fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC) != 0 {
        return Err(Errno::ENOTSUP);
    }
    if of & oflags::DIRECTORY != 0 && of & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0 {
        return Err(Errno::EINVAL);
    }
    let p = nonempty(p)?;
    let follow = if dirflags & LOOKUP_SYMLINK_FOLLOW != 0 {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    };
    let read_only = d.read_only;

    let entry = if of & oflags::DIRECTORY != 0 {
        let dir = if follow == FollowSymlinks::Yes {
            d.dir.open_dir(&p)?
        } else {
            // A final symbolic link is not followed: `ELOOP`, as `O_NOFOLLOW` answers.
            if !p.ends_with('/')
                && d.dir.symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink())
            {
                return Err(Errno::ELOOP);
            }
            d.dir.open_dir_nofollow(&p)?
        };
        // A directory cannot be opened for writing (as `open(O_DIRECTORY|O_RDWR)`).
        if writing {
            return Err(Errno::EISDIR);
        }
        dir_entry(dir, read_only)
    } else {
        // std's `OpenOptions` refuses `O_CREAT` and `O_TRUNC` without write access, which
        // POSIX allows; here they imply it. `append` is set after opening, so that `trunc`
        // with `append` works as `open(2)` has it.
        let mut opts = cap_std::fs::OpenOptions::new();
        opts.read(reading).write(writing).create(creat).create_new(creat && of & oflags::EXCL != 0);
        opts.truncate(trunc);
        opts.follow(follow).maybe_dir(!writing);
        opts.nonblock(fdf & fdflags::NONBLOCK != 0);
        let file = d.dir.open_with(&p, &opts)?;
        if fdf & fdflags::APPEND != 0 {
            let mut fl = rustix::fs::fcntl_getfl(&file)?;
            fl.insert(rustix::fs::OFlags::APPEND);
            rustix::fs::fcntl_setfl(&file, fl)?;
        }
        if file.metadata()?.is_dir() {
            dir_entry(cap_std::fs::Dir::from_std_file(file.into_std()), read_only)
        } else {
            let desc = Desc::File(FileDesc {
                file,
                readable: reading,
                writable: writing,
                read_only_mount: read_only,
                parked: None,
            });
            let mut e = Entry::new(desc);
            e.flags = fdf;
            e
        }
    };
    let new_fd = cx.fds.push(entry)?;
    mem.write_u32(out, new_fd)
}

fn dir_entry(dir: cap_std::fs::Dir, read_only: bool) -> Entry {
    Entry::new(Desc::Dir(DirDesc { dir, preopen: None, read_only, listing: None }))
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused_ptr)`: the target of a
/// symbolic link, cut to `buf_len` bytes (no NUL), as POSIX `readlink`. `EINVAL` when
/// the path is not a symbolic link, `EPERM` when the link holds an absolute path.
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
    let d = dir_of(cx, fd)?;
    let p = path(mem, p, len)?;
    mem.check(buf, u64::from(buf_len))?;
    mem.check(out, 4)?;
    let target = d.dir.read_link_contents(p)?;
    if target.is_absolute() {
        return Err(Errno::EPERM);
    }
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
    let d = writable_dir_of(cx, fd)?;
    let p = path(mem, p, len)?;
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
    let src = writable_dir_of(cx, fd)?;
    let dst = writable_dir_of(cx, new_fd)?;
    let (old, new) = (mem.read_path(old, old_len)?, mem.read_path(new, new_len)?);
    let old = nonempty(old)?;
    let new = nonempty(new).map_err(|e| resolution_first(e, &[(src, &old)]))?;
    let slashes = || {
        if dot_last(&old) || dot_last(&new) {
            return Ok(()); // the host's `EBUSY` (or its own answer for `..`)
        }
        if new.ends_with('/')
            && let Ok(m) = src.dir.symlink_metadata(old.trim_end_matches('/'))
            && !m.is_dir()
        {
            return Err(Errno::ENOTDIR);
        }
        not_dir_with_slash(&src.dir, &old)
    };
    slashes().map_err(|e| resolution_first(e, &[(src, &old), (dst, &new)]))?;
    Ok(src.dir.rename(old, &dst.dir, new)?)
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: creates symbolic
/// link `new_path` holding `old_path`. A relative target that points outside the mount
/// can be created but never followed (`EPERM` then); an absolute target is refused
/// at once with `EPERM`.
pub(crate) fn symlink(
    cx: &mut WasiCtx,
    mem: &GuestMemory,
    old: u32,
    old_len: u32,
    fd: u32,
    new: u32,
    new_len: u32,
) -> WasiResult {
    let d = writable_dir_of(cx, fd)?;
    let (old, new) = (mem.read_path(old, old_len)?, mem.read_path(new, new_len)?);
    if old.starts_with('/') {
        return Err(Errno::EPERM);
    }
    // The new path is resolved before the target is looked at: with an empty target, a
    // new path that cannot be resolved answers for it.
    let new = nonempty(new)?;
    let unresolvable = |e| match d.dir.symlink_metadata(&new).map_err(Errno::from) {
        Err(r @ (Errno::EPERM | Errno::ENOTDIR | Errno::ELOOP)) => r,
        _ => not_dir_with_slash(&d.dir, &new).err().unwrap_or(e),
    };
    let old = nonempty(old).map_err(unresolvable)?;
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
    let d = writable_dir_of(cx, fd)?;
    let p = path(mem, p, len)?;
    Ok(d.dir.remove_file(p)?)
}
