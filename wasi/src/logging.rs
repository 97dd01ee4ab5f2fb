//! Host logging: each WASI call of an instance, with its arguments and its result, written
//! to the host process's standard error, as wazero's `--hostlogging` does. An instance's
//! [`HostLogging`] ([`crate::WasiConfig::with_host_logging`]) names the scopes logged;
//! the default logs nothing.
//!
//! A logged call prints two lines, the call and its result:
//!
//! ```text
//! ==> wasi_snapshot_preview1.fd_write(fd=1,iovs=1048560,n=1,out=1048556)
//! <== errno=SUCCESS
//! ```
//!
//! Arguments are printed by the names of their declarations in `functions.rs`, 32-bit
//! ones unsigned; `proc_exit` prints `<== exit`. Cost when off: one relaxed atomic load
//! per call while no instance in the process logs anything.

use super::ctx::WasiState;
use super::errno::Errno;
use kiln_runtime_support::types::ValType;
use kiln_runtime_support::vm::{CallerCtx, ValRaw};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether any instance in this process was set up with a scope to log.
static ANY: AtomicBool = AtomicBool::new(false);

/// A group of WASI functions that is logged or not as a whole (wazero's scopes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum LogScope {
    /// `fd_*` and `path_*`.
    Filesystem = 1 << 0,
    /// `clock_*`.
    Clock = 1 << 1,
    /// `random_get`.
    Random = 1 << 2,
    /// `args_*`, `environ_*`, `proc_*` and `sched_yield`.
    Proc = 1 << 3,
    /// `sock_*`.
    Sock = 1 << 4,
    /// `poll_oneoff`.
    Poll = 1 << 5,
}

impl LogScope {
    /// Every scope, in the order of their names in [`HostLogging::parse`].
    pub const ALL: [LogScope; 6] = [
        LogScope::Filesystem,
        LogScope::Clock,
        LogScope::Random,
        LogScope::Proc,
        LogScope::Sock,
        LogScope::Poll,
    ];

    /// The scope's name on the command line (`filesystem`, `clock`, ...).
    pub fn name(self) -> &'static str {
        match self {
            LogScope::Filesystem => "filesystem",
            LogScope::Clock => "clock",
            LogScope::Random => "random",
            LogScope::Proc => "proc",
            LogScope::Sock => "sock",
            LogScope::Poll => "poll",
        }
    }

    /// The scope of the WASI function `function` (a preview1 name).
    pub fn of(function: &str) -> LogScope {
        match function.split('_').next().unwrap_or("") {
            "fd" | "path" => LogScope::Filesystem,
            "clock" => LogScope::Clock,
            "random" => LogScope::Random,
            "sock" => LogScope::Sock,
            "poll" => LogScope::Poll,
            _ => LogScope::Proc,
        }
    }
}

/// The set of [`LogScope`]s an instance logs (empty by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostLogging(u8);

impl HostLogging {
    /// Logs nothing.
    pub const NONE: HostLogging = HostLogging(0);

    /// `self` with `scope` added.
    pub fn with(self, scope: LogScope) -> HostLogging {
        HostLogging(self.0 | scope as u8)
    }

    /// Whether `scope` is logged.
    pub fn contains(self, scope: LogScope) -> bool {
        self.0 & scope as u8 != 0
    }

    /// Whether nothing is logged.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Parses a comma-separated list of scope names (`filesystem,clock,random,proc,sock,
    /// poll`, or `all`).
    ///
    /// # Errors
    /// A message naming an unknown scope and the known ones.
    pub fn parse(list: &str) -> Result<HostLogging, String> {
        let mut out = HostLogging::NONE;
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if name == "all" {
                out = LogScope::ALL.iter().fold(out, |o, s| o.with(*s));
                continue;
            }
            let scope = LogScope::ALL.iter().find(|s| s.name() == name).ok_or_else(|| {
                let known: Vec<_> = LogScope::ALL.iter().map(|s| s.name()).collect();
                format!("unknown host logging scope `{name}` (known: {}, all)", known.join(", "))
            })?;
            out = out.with(*scope);
        }
        Ok(out)
    }

    /// Notes that an instance logs `self` (so calls start checking).
    pub(crate) fn activate(self) {
        if !self.is_empty() {
            ANY.store(true, Ordering::Relaxed);
        }
    }
}

/// Before a call of `function` with argument `names` in `slots`: prints the call and
/// returns `true` when the calling instance logs the function's scope.
pub(crate) fn enter(
    caller: &CallerCtx<'_>,
    module: &str,
    function: &str,
    names: &[&str],
    types: &[ValType],
    slots: &[ValRaw],
) -> bool {
    if !ANY.load(Ordering::Relaxed) || caller.instance.is_null() {
        return false;
    }
    // SAFETY: a non-null caller instance is live for the duration of the call.
    let instance = unsafe { &*caller.instance };
    let Some(state) = instance.host_data::<WasiState>() else { return false };
    let Ok(cx) = state.try_borrow() else { return false };
    if !cx.logging.contains(LogScope::of(function)) {
        return false;
    }
    let mut line = format!("==> {module}.{function}(");
    for (i, name) in names.iter().enumerate() {
        let bits = slots.get(i).map_or(0, |v| v.bits());
        let wide = types.get(i) == Some(&ValType::I64);
        let value = if wide { bits } else { bits as u32 as u64 };
        let _ = write!(line, "{}{name}={value}", if i > 0 { "," } else { "" });
    }
    line.push(')');
    eprintln!("{line}");
    true
}

/// After a logged call: prints its errno (`errno` functions) or `exit`.
pub(crate) fn exit(returns_errno: bool, slots: &[ValRaw]) {
    if returns_errno {
        let errno = Errno(slots.first().map_or(0, |v| v.bits() as u16));
        match errno.name() {
            Some(name) => eprintln!("<== errno={name}"),
            None => eprintln!("<== errno={}", errno.0),
        }
    } else {
        eprintln!("<== exit");
    }
}
