//! Clocks: `clock_res_get`, `clock_time_get`, and the sleeping `poll_oneoff` does.
//!
//! Sandboxed by default, as in wazero: unless the embedder enables the host's clocks
//! ([`crate::WasiConfig::with_sys_walltime`], [`crate::WasiConfig::with_sys_nanotime`],
//! [`crate::WasiConfig::with_sys_nanosleep`]) the guest sees deterministic fake clocks:
//! the wall clock starts at 2022-01-01T00:00:00Z and the monotonic clock at 0 ns, each
//! advances 1 ms per read, and sleeping returns at once after advancing both by the time
//! asked for. The CPU-time clocks follow the monotonic clock's choice: the host's process
//! and thread CPU time when `with_sys_nanotime` is set, else the fake monotonic clock.

use super::abi::clockid;
use super::errno::{Errno, WasiResult};
use super::guest_memory::GuestMemory;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The fake wall clock's start: 2022-01-01T00:00:00Z in ns since the Unix epoch (wazero's
/// `FakeEpochNanos`).
pub const FAKE_EPOCH_NANOS: u64 = 1_640_995_200_000_000_000;
/// How far each read of a fake clock advances it, in ns (1 ms).
pub const FAKE_TICK_NANOS: u64 = 1_000_000;
/// Resolution the fake clocks report, in ns (1 µs).
pub const FAKE_RESOLUTION_NANOS: u64 = 1_000;

/// Where a clock's readings come from.
#[derive(Default)]
pub(crate) enum TimeSource {
    /// Deterministic: starts at a fixed value, advances [`FAKE_TICK_NANOS`] per read.
    #[default]
    Fake,
    /// The host's clock.
    System,
    /// An embedder's function returning ns, with its resolution in ns.
    Custom(Box<dyn FnMut() -> u64 + Send>, u64),
}

/// How the guest sleeps.
#[derive(Default)]
pub(crate) enum SleepSource {
    /// Return at once, advancing the fake clocks by the duration.
    #[default]
    Fake,
    /// `std::thread::sleep`.
    System,
    /// An embedder's function taking ns.
    Custom(Box<dyn FnMut(u64) + Send>),
}

/// One instance's clocks.
pub(crate) struct Clocks {
    walltime: TimeSource,
    nanotime: TimeSource,
    sleep: SleepSource,
    fake_wall: u64,
    fake_mono: u64,
    start: Instant,
}

impl Clocks {
    pub(crate) fn new(walltime: TimeSource, nanotime: TimeSource, sleep: SleepSource) -> Self {
        Self {
            walltime,
            nanotime,
            sleep,
            fake_wall: FAKE_EPOCH_NANOS,
            fake_mono: 0,
            start: Instant::now(),
        }
    }

    /// The resolution of clock `id` in ns, `EINVAL` for an unknown id. The CPU-time
    /// clocks stand for the monotonic one (what a `poll_oneoff` clock subscription on them
    /// waits for).
    pub(crate) fn resolution(&self, id: u32) -> WasiResult<u64> {
        let src = match id {
            clockid::REALTIME => &self.walltime,
            clockid::MONOTONIC | clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => {
                &self.nanotime
            }
            _ => return Err(Errno::EINVAL),
        };
        Ok(match src {
            TimeSource::Fake => FAKE_RESOLUTION_NANOS,
            TimeSource::System => {
                let cid = if id == clockid::REALTIME {
                    rustix::time::ClockId::Realtime
                } else {
                    rustix::time::ClockId::Monotonic
                };
                timespec_nanos(rustix::time::clock_getres(cid)).max(1)
            }
            TimeSource::Custom(_, res) => *res,
        })
    }

    /// Reads clock `id` in ns (realtime: since the Unix epoch; the others: since an
    /// unspecified start), `EINVAL` for an unknown id.
    pub(crate) fn now(&mut self, id: u32) -> WasiResult<u64> {
        match id {
            clockid::REALTIME => Ok(match &mut self.walltime {
                TimeSource::Fake => {
                    self.fake_wall += FAKE_TICK_NANOS;
                    self.fake_wall - FAKE_TICK_NANOS
                }
                TimeSource::System => SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0),
                TimeSource::Custom(f, _) => f(),
            }),
            clockid::MONOTONIC | clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => {
                Ok(self.monotonic())
            }
            _ => Err(Errno::EINVAL),
        }
    }

    fn monotonic(&mut self) -> u64 {
        match &mut self.nanotime {
            TimeSource::Fake => {
                self.fake_mono += FAKE_TICK_NANOS;
                self.fake_mono - FAKE_TICK_NANOS
            }
            TimeSource::System => self.start.elapsed().as_nanos() as u64,
            TimeSource::Custom(f, _) => f(),
        }
    }

    /// Sleeps `nanos` ns (or, with the fake sleeper, advances the fake clocks by it).
    pub(crate) fn sleep(&mut self, nanos: u64) {
        match &mut self.sleep {
            SleepSource::Fake => {
                self.fake_mono = self.fake_mono.saturating_add(nanos);
                self.fake_wall = self.fake_wall.saturating_add(nanos);
            }
            SleepSource::System => std::thread::sleep(Duration::from_nanos(nanos)),
            SleepSource::Custom(f) => f(nanos),
        }
    }
}

fn timespec_nanos(t: rustix::time::Timespec) -> u64 {
    (t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec as u64)
}

/// `EBADF` for the CPU-time clocks, which are not provided (as in wasmtime): a guest's
/// `clock()` and `CLOCK_PROCESS_CPUTIME_ID` report failure rather than a wrong time.
fn provided(id: u32) -> WasiResult {
    match id {
        clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => Err(Errno::EBADF),
        _ => Ok(()),
    }
}

/// `clock_res_get(id, resolution_ptr)`: writes the resolution (u64 ns). `EINVAL` for an
/// unknown clock id, `EBADF` for the CPU-time clocks.
pub(crate) fn res_get(clocks: &Clocks, mem: &GuestMemory, id: u32, out: u32) -> WasiResult {
    provided(id)?;
    let res = clocks.resolution(id)?;
    mem.write_u64(out, res)
}

/// `clock_time_get(id, precision, time_ptr)`: writes the time (u64 ns). The precision
/// hint is accepted and ignored (the clock is always read at its best). `EINVAL` for an
/// unknown clock id, `EBADF` for the CPU-time clocks.
pub(crate) fn time_get(clocks: &mut Clocks, mem: &GuestMemory, id: u32, out: u32) -> WasiResult {
    mem.check(out, 8)?;
    provided(id)?;
    let t = clocks.now(id)?;
    mem.write_u64(out, t)
}
