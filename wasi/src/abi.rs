//! The preview1 ABI: numeric values and in-memory layouts from
//! `wasi_snapshot_preview1.witx` (all little-endian, wasm32 pointers are `u32`).
//!
//! Rights are reported, never enforced (as in wasmtime): what a descriptor may do follows
//! from its kind and the access it was opened with, and `fd_fdstat_get` reports the rights
//! that go with them ([`rights::FILE_READ`], [`rights::DIRECTORY`], ...).

/// `filetype` (u8).
pub(crate) mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `fdflags` (u16).
pub(crate) mod fdflags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
    pub const ALL: u16 = APPEND | DSYNC | NONBLOCK | RSYNC | SYNC;
}

/// `oflags` (u16).
pub(crate) mod oflags {
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
    pub const ALL: u16 = CREAT | DIRECTORY | EXCL | TRUNC;
}

/// `lookupflags` (u32).
pub(crate) const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

/// `fstflags` (u16).
pub(crate) mod fstflags {
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
}

/// `rights` (u64).
pub(crate) mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;

    /// Every right preview1 defines.
    pub const ALL: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN
        | SOCK_ACCEPT;
    /// What a regular file open for reading and writing reports.
    pub const FILE_READ_WRITE: u64 = ALL;
    /// What a regular file open for reading only reports.
    pub const FILE_READ: u64 = ALL & !FD_WRITE;
    /// What a regular file open for writing only reports.
    pub const FILE_WRITE: u64 = ALL & !(FD_READ | FD_READDIR);
    /// What a directory opened with `path_open` reports (base and inheriting).
    pub const DIRECTORY: u64 =
        ALL & !(FD_SEEK | FD_WRITE | PATH_FILESTAT_SET_SIZE | FD_FILESTAT_SET_SIZE);
    /// What a preopened directory reports as its base rights.
    pub const PREOPEN: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE;
    /// What a preopened directory reports as its inheriting rights.
    pub const PREOPEN_INHERITING: u64 =
        ALL & !(PATH_FILESTAT_SET_SIZE | SOCK_SHUTDOWN | SOCK_ACCEPT);
    /// What a connected socket reports.
    pub const SOCKET: u64 = FD_READ
        | FD_WRITE
        | FD_FDSTAT_SET_FLAGS
        | FD_FILESTAT_GET
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN;
    /// What a listening socket reports.
    pub const LISTENER: u64 =
        FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE | SOCK_ACCEPT;
}

/// `whence` (u8).
pub(crate) mod whence {
    pub const SET: u8 = 0;
    pub const CUR: u8 = 1;
    pub const END: u8 = 2;
}

/// `advice` (u8).
pub(crate) mod advice {
    pub const NORMAL: u8 = 0;
    pub const SEQUENTIAL: u8 = 1;
    pub const RANDOM: u8 = 2;
    pub const WILLNEED: u8 = 3;
    pub const DONTNEED: u8 = 4;
    pub const NOREUSE: u8 = 5;
}

/// `clockid` (u32).
pub(crate) mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `eventtype` (u8) and the `subscription` / `event` layouts.
pub(crate) mod poll {
    pub const EVENTTYPE_CLOCK: u8 = 0;
    pub const EVENTTYPE_FD_READ: u8 = 1;
    pub const EVENTTYPE_FD_WRITE: u8 = 2;
    /// `subclockflags::subscription_clock_abstime`.
    pub const SUBCLOCK_ABSTIME: u16 = 1;
    /// `eventrwflags::fd_readwrite_hangup`.
    pub const EVENT_FD_READWRITE_HANGUP: u16 = 1;
    /// Size of `subscription` in bytes.
    pub const SUBSCRIPTION_SIZE: u32 = 48;
    /// Size of `event` in bytes.
    pub const EVENT_SIZE: u32 = 32;
}

/// Socket flags: `riflags` (u16), `roflags` (u16), `sdflags` (u8).
pub(crate) mod sock {
    pub const RECV_PEEK: u16 = 1 << 0;
    pub const RECV_WAITALL: u16 = 1 << 1;
    pub const SHUT_RD: u8 = 1 << 0;
    pub const SHUT_WR: u8 = 1 << 1;
}

/// Size of `filestat` in bytes: dev u64 @0, ino u64 @8, filetype u8 @16, nlink u64 @24,
/// size u64 @32, atim u64 @40, mtim u64 @48, ctim u64 @56.
pub(crate) const FILESTAT_SIZE: usize = 64;
/// Size of `fdstat` in bytes: filetype u8 @0, flags u16 @2, rights_base u64 @8,
/// rights_inheriting u64 @16.
pub(crate) const FDSTAT_SIZE: usize = 24;
/// Size of a `dirent` header (the name follows): d_next u64 @0, d_ino u64 @8,
/// d_namlen u32 @16, d_type u8 @20.
pub(crate) const DIRENT_SIZE: usize = 24;

/// Which WASI ABI a function speaks: preview1 (`wasi_snapshot_preview1`) or its
/// predecessor preview0 (`wasi_unstable`), which differ in a few layouts and values
/// (`filestat`, `whence`, the rights defined).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Abi {
    Preview1,
    Preview0,
}

/// Size of a preview0 `filestat` in bytes: dev u64 @0, ino u64 @8, filetype u8 @16,
/// nlink u32 @20, size u64 @24, atim u64 @32, mtim u64 @40, ctim u64 @48.
pub(crate) const FILESTAT_SIZE_PREVIEW0: usize = 56;

impl Abi {
    /// The rights this ABI defines (preview0 has no `sock_accept`).
    pub(crate) fn rights(self) -> u64 {
        match self {
            Abi::Preview1 => rights::ALL,
            Abi::Preview0 => rights::ALL & !rights::SOCK_ACCEPT,
        }
    }

    /// The size of a `filestat`.
    pub(crate) fn filestat_size(self) -> usize {
        match self {
            Abi::Preview1 => FILESTAT_SIZE,
            Abi::Preview0 => FILESTAT_SIZE_PREVIEW0,
        }
    }
}
