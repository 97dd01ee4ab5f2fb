//! Standard input, output and error: an embedder's reader or writer, or a host file
//! descriptor (a terminal, a pipe, a file) whose real kind the guest sees.
//!
//! The `filetype` a stream reports (`fd_fdstat_get`, `fd_filestat_get`) is what
//! wasi-libc's `isatty` looks at: `character_device` only for a terminal; `regular_file` for
//! a host regular file; `unknown` for anything else (a pipe, a socket, `/dev/null`, an
//! embedder's reader or writer), as wasmtime reports a pipe.

use super::abi::filetype;
use super::errno::{Errno, WasiResult};
use super::filestat::Filestat;
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

/// What the embedder gave for one standard stream.
pub(crate) enum StdioSource {
    /// A reader (standard input only).
    Reader(Box<dyn Read + Send>),
    /// A writer (standard output or error only).
    Writer(Box<dyn Write + Send>),
    /// A host descriptor, read or written directly (no buffering in between).
    Host(OwnedFd),
}

enum StreamIo {
    Reader(Box<dyn Read + Send>),
    Writer(Box<dyn Write + Send>),
    Host(OwnedFd),
}

/// One of the guest's standard streams.
pub(crate) struct Stream {
    /// Standard input (reads) rather than output or error (writes).
    pub input: bool,
    io: StreamIo,
    /// The `filetype` it reports.
    pub filetype: u8,
}

impl Stream {
    /// Standard input from `src` (nothing: empty).
    pub(crate) fn input(src: Option<StdioSource>) -> Stream {
        Self::new(true, src.unwrap_or_else(|| StdioSource::Reader(Box::new(std::io::empty()))))
    }

    /// Standard output or error to `src` (nothing: discarded).
    pub(crate) fn output(src: Option<StdioSource>) -> Stream {
        Self::new(false, src.unwrap_or_else(|| StdioSource::Writer(Box::new(std::io::sink()))))
    }

    fn new(input: bool, src: StdioSource) -> Stream {
        let (io, filetype) = match src {
            StdioSource::Reader(r) => (StreamIo::Reader(r), filetype::UNKNOWN),
            StdioSource::Writer(w) => (StreamIo::Writer(w), filetype::UNKNOWN),
            StdioSource::Host(fd) => {
                let kind = host_kind(fd.as_fd());
                (StreamIo::Host(fd), kind)
            }
        };
        Stream { input, io, filetype }
    }

    /// The host descriptor behind the stream, if any (what `poll_oneoff` waits on).
    pub(crate) fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match &self.io {
            StreamIo::Host(fd) => Some(fd.as_fd()),
            _ => None,
        }
    }

    /// Reads into `buf` (standard input only; the caller checks), retrying interrupted
    /// reads. 0 at the end of input.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        loop {
            let r = match &mut self.io {
                StreamIo::Reader(r) => r.read(buf).map_err(Errno::from),
                StreamIo::Host(fd) => rustix::io::read(&*fd, &mut *buf).map_err(Errno::from),
                StreamIo::Writer(_) => return Err(Errno::EBADF),
            };
            match r {
                Err(Errno::EINTR) => continue,
                r => return r,
            }
        }
    }

    /// Writes all of `data` (output streams only; the caller checks).
    pub(crate) fn write_all(&mut self, mut data: &[u8]) -> WasiResult {
        match &mut self.io {
            StreamIo::Writer(w) => {
                w.write_all(data)?;
                Ok(w.flush()?)
            }
            StreamIo::Host(fd) => {
                while !data.is_empty() {
                    match rustix::io::write(&*fd, data) {
                        Ok(0) => return Err(Errno::EIO),
                        Ok(n) => data = &data[n..],
                        Err(rustix::io::Errno::INTR) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(())
            }
            StreamIo::Reader(_) => Err(Errno::EBADF),
        }
    }

    /// The `filestat` of the stream: a host regular file's real attributes; for anything
    /// else only the type (the rest 0, as wasmtime reports stdio).
    pub(crate) fn filestat(&self) -> Filestat {
        match &self.io {
            StreamIo::Host(fd) if self.filetype == filetype::REGULAR_FILE => {
                match rustix::fs::fstat(fd) {
                    Ok(st) => Filestat::from_stat(&st, filetype::REGULAR_FILE),
                    Err(_) => Filestat::of_type(self.filetype),
                }
            }
            _ => Filestat::of_type(self.filetype),
        }
    }
}

/// The `filetype` a host descriptor reports: a terminal is a character device, a regular
/// file a regular file, anything else (pipe, socket, other devices) unknown.
fn host_kind(fd: BorrowedFd<'_>) -> u8 {
    if rustix::termios::isatty(fd) {
        return filetype::CHARACTER_DEVICE;
    }
    match rustix::fs::fstat(fd) {
        Ok(st) if rustix::fs::FileType::from_raw_mode(st.st_mode).is_file() => {
            filetype::REGULAR_FILE
        }
        _ => filetype::UNKNOWN,
    }
}
