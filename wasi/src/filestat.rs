//! The `filestat` record (`fd_filestat_get`, `path_filestat_get`) and the timestamp
//! arguments of `*_filestat_set_times`.

use super::abi::{Abi, FILESTAT_SIZE, fstflags};
use super::errno::{Errno, WasiResult};
use super::fs_table::file_type_of;
use super::guest_memory::GuestMemory;
use cap_fs_ext::{OsMetadataExt, SystemTimeSpec};
use std::time::{Duration, UNIX_EPOCH};

/// A `filestat`: times in ns since the Unix epoch.
#[derive(Default)]
pub(crate) struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

fn nanos(sec: i64, nsec: i64) -> u64 {
    (sec.max(0) as u64).saturating_mul(1_000_000_000).saturating_add(nsec.max(0) as u64)
}

impl Filestat {
    pub(crate) fn from_metadata(m: &cap_std::fs::Metadata) -> Self {
        Filestat {
            dev: m.dev(),
            ino: m.ino(),
            filetype: file_type_of(&m.file_type()),
            nlink: m.nlink(),
            size: m.len(),
            atim: nanos(m.atime(), m.atime_nsec()),
            mtim: nanos(m.mtime(), m.mtime_nsec()),
            ctim: nanos(m.ctime(), m.ctime_nsec()),
        }
    }

    // The `stat` field types differ between architectures (`st_nlink` is u32 on aarch64).
    #[allow(clippy::unnecessary_cast)]
    pub(crate) fn from_stat(s: &rustix::fs::Stat, filetype: u8) -> Self {
        Filestat {
            dev: s.st_dev as u64,
            ino: s.st_ino as u64,
            filetype,
            nlink: s.st_nlink as u64,
            size: (s.st_size as i64).max(0) as u64,
            atim: nanos(s.st_atime as i64, s.st_atime_nsec as i64),
            mtim: nanos(s.st_mtime as i64, s.st_mtime_nsec as i64),
            ctim: nanos(s.st_ctime as i64, s.st_ctime_nsec as i64),
        }
    }

    /// Only the type known, everything else 0 (a stream that is not a host file).
    pub(crate) fn of_type(filetype: u8) -> Self {
        Filestat { filetype, ..Default::default() }
    }

    /// Writes the record at `ptr` in `abi`'s layout (preview0: a 32-bit `nlink`, so
    /// everything after it 8 bytes earlier).
    pub(crate) fn write(&self, mem: &GuestMemory, ptr: u32, abi: Abi) -> WasiResult {
        let mut b = [0u8; FILESTAT_SIZE];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        let rest = match abi {
            Abi::Preview1 => {
                b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
                32
            }
            Abi::Preview0 => {
                let nlink = u32::try_from(self.nlink).unwrap_or(u32::MAX);
                b[20..24].copy_from_slice(&nlink.to_le_bytes());
                24
            }
        };
        for (i, v) in [self.size, self.atim, self.mtim, self.ctim].into_iter().enumerate() {
            b[rest + 8 * i..rest + 8 * i + 8].copy_from_slice(&v.to_le_bytes());
        }
        mem.write(ptr, &b[..abi.filestat_size()])
    }
}

/// One timestamp to set: unchanged, now, or a time in ns since the epoch.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TimeSet {
    Omit,
    Now,
    At(u64),
}

/// Decodes the `fstflags` of a set-times call: `EINVAL` for unknown bits or for asking
/// both a time and "now" for the same timestamp.
pub(crate) fn decode_times(atim: u64, mtim: u64, flags: u16) -> WasiResult<(TimeSet, TimeSet)> {
    use fstflags::*;
    if flags & !(ATIM | ATIM_NOW | MTIM | MTIM_NOW) != 0
        || flags & (ATIM | ATIM_NOW) == (ATIM | ATIM_NOW)
        || flags & (MTIM | MTIM_NOW) == (MTIM | MTIM_NOW)
    {
        return Err(Errno::EINVAL);
    }
    let pick = |set: u16, now: u16, t: u64| {
        if flags & now != 0 {
            TimeSet::Now
        } else if flags & set != 0 {
            TimeSet::At(t)
        } else {
            TimeSet::Omit
        }
    };
    Ok((pick(ATIM, ATIM_NOW, atim), pick(MTIM, MTIM_NOW, mtim)))
}

impl TimeSet {
    pub(crate) fn to_spec(self) -> Option<SystemTimeSpec> {
        match self {
            TimeSet::Omit => None,
            TimeSet::Now => Some(SystemTimeSpec::SymbolicNow),
            TimeSet::At(ns) => Some(SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(
                UNIX_EPOCH + Duration::from_nanos(ns),
            ))),
        }
    }

    pub(crate) fn to_timespec(self) -> rustix::fs::Timespec {
        match self {
            TimeSet::Omit => rustix::fs::Timespec { tv_sec: 0, tv_nsec: rustix::fs::UTIME_OMIT },
            TimeSet::Now => rustix::fs::Timespec { tv_sec: 0, tv_nsec: rustix::fs::UTIME_NOW },
            TimeSet::At(ns) => rustix::fs::Timespec {
                tv_sec: (ns / 1_000_000_000) as i64,
                tv_nsec: (ns % 1_000_000_000) as _,
            },
        }
    }
}
