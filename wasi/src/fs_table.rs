//! The guest's file descriptor table: what each WASI fd refers to, its rights and flags.

use super::abi::{filetype, rights};
use super::errno::{Errno, WasiResult};
use super::stdio::Stream;
use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};

/// A regular file (or other non-directory) opened through a mount.
pub(crate) struct FileDesc {
    pub file: cap_std::fs::File,
    pub readable: bool,
    pub writable: bool,
    /// Opened through a read-only mount: nothing may change it.
    pub read_only_mount: bool,
    /// The guest's file position when the host could not take it: `fd_seek` may set any
    /// position up to `u64::MAX` (wasmtime keeps positions itself), but the host refuses
    /// positions past its largest file size (16 TiB on ext4) and past `i64::MAX`. While
    /// parked, `fd_read` and `fd_write` work at this position (`pread`/`pwrite`: 0 bytes
    /// read, `EFBIG` written; `EINVAL` past `i64::MAX`); `None`: the host's position.
    pub parked: Option<u64>,
}

/// One directory entry as `fd_readdir` reports it.
pub(crate) struct Listed {
    pub name: Vec<u8>,
    pub ino: u64,
    pub filetype: u8,
}

/// A directory: a mount's root (a preopen) or one opened below it.
pub(crate) struct DirDesc {
    pub dir: cap_std::fs::Dir,
    /// The guest path of a preopened mount (`fd_prestat_dir_name`).
    pub preopen: Option<String>,
    pub read_only: bool,
    /// The listing `fd_readdir` serves cookies from, read again when cookie 0 is asked for.
    pub listing: Option<Vec<Listed>>,
}

/// What a file descriptor refers to.
pub(crate) enum Desc {
    Stream(Stream),
    File(FileDesc),
    Dir(DirDesc),
    Listener(TcpListener),
    Socket(TcpStream),
}

/// A file descriptor: its object and `fdflags`.
pub(crate) struct Entry {
    pub desc: Desc,
    pub flags: u16,
}

impl Entry {
    pub(crate) fn new(desc: Desc) -> Self {
        Self { desc, flags: 0 }
    }

    /// The `filetype` reported by `fd_fdstat_get`.
    pub(crate) fn filetype(&self) -> u8 {
        match &self.desc {
            Desc::Stream(s) => s.filetype,
            Desc::Dir(_) => filetype::DIRECTORY,
            Desc::Listener(_) | Desc::Socket(_) => filetype::SOCKET_STREAM,
            Desc::File(f) => {
                f.file.metadata().map(|m| file_type_of(&m.file_type())).unwrap_or(filetype::UNKNOWN)
            }
        }
    }

    /// The (base, inheriting) rights `fd_fdstat_get` reports: they follow from the kind
    /// of descriptor and the access it was opened with.
    pub(crate) fn rights(&self) -> (u64, u64) {
        let base = match &self.desc {
            Desc::Stream(s) if s.input => rights::FD_READ,
            Desc::Stream(_) => rights::FD_WRITE,
            Desc::Dir(DirDesc { preopen: Some(_), .. }) => {
                return (rights::PREOPEN, rights::PREOPEN_INHERITING);
            }
            Desc::Dir(_) => rights::DIRECTORY,
            Desc::File(f) if f.readable && f.writable => rights::FILE_READ_WRITE,
            Desc::File(f) if f.writable => rights::FILE_WRITE,
            Desc::File(_) => rights::FILE_READ,
            Desc::Listener(_) => return (rights::LISTENER, rights::SOCKET),
            Desc::Socket(_) => return (rights::SOCKET, 0),
        };
        (base, base)
    }
}

/// The preview1 `filetype` of a host file type.
pub(crate) fn file_type_of(t: &cap_std::fs::FileType) -> u8 {
    use cap_fs_ext::FileTypeExt;
    if t.is_dir() {
        filetype::DIRECTORY
    } else if t.is_file() {
        filetype::REGULAR_FILE
    } else if t.is_symlink() {
        filetype::SYMBOLIC_LINK
    } else if t.is_block_device() {
        filetype::BLOCK_DEVICE
    } else if t.is_char_device() {
        filetype::CHARACTER_DEVICE
    } else if t.is_socket() {
        filetype::SOCKET_STREAM
    } else {
        filetype::UNKNOWN
    }
}

/// The table: fd number to entry. New descriptors take the lowest free number, as POSIX
/// `open` does.
#[derive(Default)]
pub(crate) struct FdTable {
    entries: BTreeMap<u32, Entry>,
}

/// The most descriptors one guest may hold open (`EMFILE` beyond).
pub(crate) const MAX_FDS: usize = 1 << 16;

impl FdTable {
    /// Inserts at the lowest free number; `EMFILE` when the guest already holds
    /// [`MAX_FDS`] descriptors.
    pub(crate) fn push(&mut self, entry: Entry) -> WasiResult<u32> {
        if self.entries.len() >= MAX_FDS {
            return Err(Errno::EMFILE);
        }
        let mut fd = 0u32;
        for &k in self.entries.keys() {
            if k != fd {
                break;
            }
            fd += 1;
        }
        self.entries.insert(fd, entry);
        Ok(fd)
    }

    /// Inserts at the next number after the highest in use (setting up stdio, mounts and
    /// listeners, which the embedder bounds).
    pub(crate) fn push_preopened(&mut self, entry: Entry) {
        let fd = self.entries.keys().next_back().map_or(0, |k| k + 1);
        self.entries.insert(fd, entry);
    }

    /// The entry for `fd`, `EBADF` if none.
    pub(crate) fn get(&mut self, fd: u32) -> WasiResult<&mut Entry> {
        self.entries.get_mut(&fd).ok_or(Errno::EBADF)
    }

    /// The entry for `fd`, shared, `EBADF` if none.
    pub(crate) fn get_ref(&self, fd: u32) -> WasiResult<&Entry> {
        self.entries.get(&fd).ok_or(Errno::EBADF)
    }

    /// Removes `fd`, `EBADF` if none.
    pub(crate) fn remove(&mut self, fd: u32) -> WasiResult<Entry> {
        self.entries.remove(&fd).ok_or(Errno::EBADF)
    }

    /// Moves `from` to `to`, closing what `to` held. `EBADF` unless both are open.
    pub(crate) fn renumber(&mut self, from: u32, to: u32) -> WasiResult {
        if !self.entries.contains_key(&from) || !self.entries.contains_key(&to) {
            return Err(Errno::EBADF);
        }
        if from != to {
            let e = self.entries.remove(&from).ok_or(Errno::EBADF)?;
            self.entries.insert(to, e);
        }
        Ok(())
    }
}
