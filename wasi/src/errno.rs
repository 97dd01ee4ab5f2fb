//! WASI preview1 error numbers (`errno` in `wasi_snapshot_preview1.witx`) and the mapping
//! from host I/O errors to them.

use std::fmt;
use std::io;

/// A WASI preview1 error number: the `u16` every `wasi_snapshot_preview1` function
/// returns (0 is success). Constants are named as in the witx (`EBADF`, `ENOENT`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(pub u16);

macro_rules! errnos {
    ($($name:ident = $n:literal, $text:literal;)*) => {
        impl Errno {
            $(#[doc = $text] pub const $name: Errno = Errno($n);)*

            /// The witx name (`"EBADF"`), or `None` for a number preview1 does not define.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($n => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    SUCCESS = 0, "No error occurred.";
    E2BIG = 1, "Argument list too long.";
    EACCES = 2, "Permission denied.";
    EADDRINUSE = 3, "Address in use.";
    EADDRNOTAVAIL = 4, "Address not available.";
    EAFNOSUPPORT = 5, "Address family not supported.";
    EAGAIN = 6, "Resource unavailable, or operation would block.";
    EALREADY = 7, "Connection already in progress.";
    EBADF = 8, "Bad file descriptor.";
    EBADMSG = 9, "Bad message.";
    EBUSY = 10, "Device or resource busy.";
    ECANCELED = 11, "Operation canceled.";
    ECHILD = 12, "No child processes.";
    ECONNABORTED = 13, "Connection aborted.";
    ECONNREFUSED = 14, "Connection refused.";
    ECONNRESET = 15, "Connection reset.";
    EDEADLK = 16, "Resource deadlock would occur.";
    EDESTADDRREQ = 17, "Destination address required.";
    EDOM = 18, "Mathematics argument out of domain of function.";
    EDQUOT = 19, "Reserved.";
    EEXIST = 20, "File exists.";
    EFAULT = 21, "Bad address.";
    EFBIG = 22, "File too large.";
    EHOSTUNREACH = 23, "Host is unreachable.";
    EIDRM = 24, "Identifier removed.";
    EILSEQ = 25, "Illegal byte sequence.";
    EINPROGRESS = 26, "Operation in progress.";
    EINTR = 27, "Interrupted function.";
    EINVAL = 28, "Invalid argument.";
    EIO = 29, "I/O error.";
    EISCONN = 30, "Socket is connected.";
    EISDIR = 31, "Is a directory.";
    ELOOP = 32, "Too many levels of symbolic links.";
    EMFILE = 33, "File descriptor value too large.";
    EMLINK = 34, "Too many links.";
    EMSGSIZE = 35, "Message too large.";
    EMULTIHOP = 36, "Reserved.";
    ENAMETOOLONG = 37, "Filename too long.";
    ENETDOWN = 38, "Network is down.";
    ENETRESET = 39, "Connection aborted by network.";
    ENETUNREACH = 40, "Network unreachable.";
    ENFILE = 41, "Too many files open in system.";
    ENOBUFS = 42, "No buffer space available.";
    ENODEV = 43, "No such device.";
    ENOENT = 44, "No such file or directory.";
    ENOEXEC = 45, "Executable file format error.";
    ENOLCK = 46, "No locks available.";
    ENOLINK = 47, "Reserved.";
    ENOMEM = 48, "Not enough space.";
    ENOMSG = 49, "No message of the desired type.";
    ENOPROTOOPT = 50, "Protocol not available.";
    ENOSPC = 51, "No space left on device.";
    ENOSYS = 52, "Function not supported.";
    ENOTCONN = 53, "The socket is not connected.";
    ENOTDIR = 54, "Not a directory or a symbolic link to a directory.";
    ENOTEMPTY = 55, "Directory not empty.";
    ENOTRECOVERABLE = 56, "State not recoverable.";
    ENOTSOCK = 57, "Not a socket.";
    ENOTSUP = 58, "Not supported, or operation not supported on socket.";
    ENOTTY = 59, "Inappropriate I/O control operation.";
    ENXIO = 60, "No such device or address.";
    EOVERFLOW = 61, "Value too large to be stored in data type.";
    EOWNERDEAD = 62, "Previous owner died.";
    EPERM = 63, "Operation not permitted.";
    EPIPE = 64, "Broken pipe.";
    EPROTO = 65, "Protocol error.";
    EPROTONOSUPPORT = 66, "Protocol not supported.";
    EPROTOTYPE = 67, "Protocol wrong type for socket.";
    ERANGE = 68, "Result too large.";
    EROFS = 69, "Read-only file system.";
    ESPIPE = 70, "Invalid seek.";
    ESRCH = 71, "No such process.";
    ESTALE = 72, "Reserved.";
    ETIMEDOUT = 73, "Connection timed out.";
    ETXTBSY = 74, "Text file busy.";
    EXDEV = 75, "Cross-device link.";
    ENOTCAPABLE = 76, "Extension: Capabilities insufficient.";
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<rustix::io::Errno> for Errno {
    fn from(e: rustix::io::Errno) -> Self {
        from_host_errno(e.raw_os_error())
    }
}

impl From<io::Error> for Errno {
    /// Host errors carry the host's errno when they come from a system call; cap-std's own
    /// refusal of a path that would leave its directory (`..` past the root, an absolute
    /// path, a symlink pointing outside) has none and kind `PermissionDenied`: that is
    /// `EPERM`, as wasmtime answers.
    fn from(e: io::Error) -> Self {
        if let Some(raw) = e.raw_os_error() {
            return from_host_errno(raw);
        }
        use io::ErrorKind as K;
        match e.kind() {
            K::PermissionDenied => Errno::EPERM,
            K::NotFound => Errno::ENOENT,
            K::AlreadyExists => Errno::EEXIST,
            K::InvalidInput | K::InvalidData | K::InvalidFilename => Errno::EINVAL,
            K::WouldBlock => Errno::EAGAIN,
            K::Interrupted => Errno::EINTR,
            K::BrokenPipe => Errno::EPIPE,
            K::ConnectionRefused => Errno::ECONNREFUSED,
            K::ConnectionReset => Errno::ECONNRESET,
            K::ConnectionAborted => Errno::ECONNABORTED,
            K::NotConnected => Errno::ENOTCONN,
            K::AddrInUse => Errno::EADDRINUSE,
            K::AddrNotAvailable => Errno::EADDRNOTAVAIL,
            K::TimedOut => Errno::ETIMEDOUT,
            K::IsADirectory => Errno::EISDIR,
            K::NotADirectory => Errno::ENOTDIR,
            K::DirectoryNotEmpty => Errno::ENOTEMPTY,
            K::ReadOnlyFilesystem => Errno::EROFS,
            K::StorageFull => Errno::ENOSPC,
            K::FileTooLarge => Errno::EFBIG,
            K::Unsupported => Errno::ENOTSUP,
            K::OutOfMemory => Errno::ENOMEM,
            K::UnexpectedEof | K::WriteZero => Errno::EIO,
            _ => Errno::EIO,
        }
    }
}

/// Maps a host (Linux/POSIX) errno to the WASI one of the same meaning.
fn from_host_errno(raw: i32) -> Errno {
    use rustix::io::Errno as H;
    let h = H::from_raw_os_error(raw);
    let table: &[(H, Errno)] = &[
        (H::TOOBIG, Errno::E2BIG),
        (H::ACCESS, Errno::EACCES),
        (H::ADDRINUSE, Errno::EADDRINUSE),
        (H::ADDRNOTAVAIL, Errno::EADDRNOTAVAIL),
        (H::AFNOSUPPORT, Errno::EAFNOSUPPORT),
        (H::AGAIN, Errno::EAGAIN),
        (H::ALREADY, Errno::EALREADY),
        (H::BADF, Errno::EBADF),
        (H::BADMSG, Errno::EBADMSG),
        (H::BUSY, Errno::EBUSY),
        (H::CANCELED, Errno::ECANCELED),
        (H::CHILD, Errno::ECHILD),
        (H::CONNABORTED, Errno::ECONNABORTED),
        (H::CONNREFUSED, Errno::ECONNREFUSED),
        (H::CONNRESET, Errno::ECONNRESET),
        (H::DEADLK, Errno::EDEADLK),
        (H::DESTADDRREQ, Errno::EDESTADDRREQ),
        (H::DOM, Errno::EDOM),
        (H::DQUOT, Errno::EDQUOT),
        (H::EXIST, Errno::EEXIST),
        (H::FAULT, Errno::EFAULT),
        (H::FBIG, Errno::EFBIG),
        (H::HOSTUNREACH, Errno::EHOSTUNREACH),
        (H::IDRM, Errno::EIDRM),
        (H::ILSEQ, Errno::EILSEQ),
        (H::INPROGRESS, Errno::EINPROGRESS),
        (H::INTR, Errno::EINTR),
        (H::INVAL, Errno::EINVAL),
        (H::IO, Errno::EIO),
        (H::ISCONN, Errno::EISCONN),
        (H::ISDIR, Errno::EISDIR),
        (H::LOOP, Errno::ELOOP),
        (H::MFILE, Errno::EMFILE),
        (H::MLINK, Errno::EMLINK),
        (H::MSGSIZE, Errno::EMSGSIZE),
        (H::MULTIHOP, Errno::EMULTIHOP),
        (H::NAMETOOLONG, Errno::ENAMETOOLONG),
        (H::NETDOWN, Errno::ENETDOWN),
        (H::NETRESET, Errno::ENETRESET),
        (H::NETUNREACH, Errno::ENETUNREACH),
        (H::NFILE, Errno::ENFILE),
        (H::NOBUFS, Errno::ENOBUFS),
        (H::NODEV, Errno::ENODEV),
        (H::NOENT, Errno::ENOENT),
        (H::NOEXEC, Errno::ENOEXEC),
        (H::NOLCK, Errno::ENOLCK),
        (H::NOLINK, Errno::ENOLINK),
        (H::NOMEM, Errno::ENOMEM),
        (H::NOMSG, Errno::ENOMSG),
        (H::NOPROTOOPT, Errno::ENOPROTOOPT),
        (H::NOSPC, Errno::ENOSPC),
        (H::NOSYS, Errno::ENOSYS),
        (H::NOTCONN, Errno::ENOTCONN),
        (H::NOTDIR, Errno::ENOTDIR),
        (H::NOTEMPTY, Errno::ENOTEMPTY),
        (H::NOTRECOVERABLE, Errno::ENOTRECOVERABLE),
        (H::NOTSOCK, Errno::ENOTSOCK),
        (H::NOTSUP, Errno::ENOTSUP),
        (H::OPNOTSUPP, Errno::ENOTSUP),
        (H::NOTTY, Errno::ENOTTY),
        (H::NXIO, Errno::ENXIO),
        (H::OVERFLOW, Errno::EOVERFLOW),
        (H::OWNERDEAD, Errno::EOWNERDEAD),
        (H::PERM, Errno::EPERM),
        (H::PIPE, Errno::EPIPE),
        (H::PROTO, Errno::EPROTO),
        (H::PROTONOSUPPORT, Errno::EPROTONOSUPPORT),
        (H::PROTOTYPE, Errno::EPROTOTYPE),
        (H::RANGE, Errno::ERANGE),
        (H::ROFS, Errno::EROFS),
        (H::SPIPE, Errno::ESPIPE),
        (H::SRCH, Errno::ESRCH),
        (H::STALE, Errno::ESTALE),
        (H::TIMEDOUT, Errno::ETIMEDOUT),
        (H::TXTBSY, Errno::ETXTBSY),
        (H::XDEV, Errno::EXDEV),
    ];
    table.iter().find(|(host, _)| *host == h).map_or(Errno::EIO, |(_, w)| *w)
}

/// What every WASI function body returns: success or the errno to hand back.
pub(crate) type WasiResult<T = ()> = Result<T, Errno>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_host_mapping() {
        assert_eq!(Errno::EBADF.name(), Some("EBADF"));
        assert_eq!(Errno(9999).name(), None);
        assert_eq!(
            Errno::from(io::Error::from_raw_os_error(rustix::io::Errno::NOENT.raw_os_error())),
            Errno::ENOENT
        );
        assert_eq!(
            Errno::from(io::Error::new(io::ErrorKind::PermissionDenied, "escape")),
            Errno::EPERM
        );
        assert_eq!(Errno::from(rustix::io::Errno::ROFS), Errno::EROFS);
    }
}
