//! One instance's WASI state, built from its [`WasiConfig`] when it is instantiated: args,
//! environment, the fd table (stdio, mounts, listeners), clocks and the random source.

use super::clock::Clocks;
use super::config::WasiConfig;
use super::fs_table::{Desc, DirDesc, Entry, FdTable};
use super::random::RandSource;
use super::stdio::Stream;
use std::cell::RefCell;
use std::path::PathBuf;

/// The WASI state of one instance. The facade keeps it, in a [`RefCell`], in the
/// instance's host-data slot ([`kiln_runtime_support::instance::HostData`]), where the
/// WASI functions find it through their caller.
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) fds: FdTable,
    pub(crate) clocks: Clocks,
    pub(crate) rand: RandSource,
    pub(crate) logging: super::logging::HostLogging,
}

/// What goes in an instance's host-data slot: its WASI state.
pub type WasiState = RefCell<WasiCtx>;

/// Why a [`WasiConfig`] cannot become a guest's state.
#[derive(Debug)]
pub enum SetupError {
    /// A mounted host directory cannot be opened.
    Mount {
        /// The host directory.
        host_path: PathBuf,
        /// Why it cannot be opened.
        source: std::io::Error,
    },
    /// Args or environment a guest cannot be given (a NUL byte, `=` in a name).
    InvalidConfig(String),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Mount { host_path, source } => {
                write!(f, "cannot mount {}: {source}", host_path.display())
            }
            SetupError::InvalidConfig(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for SetupError {}

impl WasiCtx {
    /// Builds the state `config` grants: stdio, then each mounted directory (opened now)
    /// and each listener as preopened descriptors.
    ///
    /// # Errors
    /// [`SetupError::Mount`] when a mounted host directory cannot be opened,
    /// [`SetupError::InvalidConfig`] for args or environment containing NUL (or `=` in a
    /// name).
    pub fn new(config: WasiConfig) -> Result<WasiCtx, SetupError> {
        super::args::validate(&config.args, &config.env).map_err(SetupError::InvalidConfig)?;
        let mut fds = FdTable::default();
        fds.push_preopened(Entry::new(Desc::Stream(Stream::input(config.stdin))));
        for out in [config.stdout, config.stderr] {
            fds.push_preopened(Entry::new(Desc::Stream(Stream::output(out))));
        }
        for m in &config.fs.mounts {
            let dir = cap_std::fs::Dir::open_ambient_dir(&m.host, cap_std::ambient_authority())
                .map_err(|source| SetupError::Mount { host_path: m.host.clone(), source })?;
            let desc = Desc::Dir(DirDesc {
                dir,
                preopen: Some(m.guest.clone()),
                read_only: m.read_only,
                listing: None,
            });
            fds.push_preopened(Entry::new(desc));
        }
        for l in config.listeners {
            fds.push_preopened(Entry::new(Desc::Listener(l)));
        }
        Ok(WasiCtx {
            args: config.args,
            env: config.env,
            fds,
            clocks: Clocks::new(config.walltime, config.nanotime, config.sleep),
            rand: config.rand,
            logging: {
                config.logging.activate();
                config.logging
            },
        })
    }
}
