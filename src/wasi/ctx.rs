//! One instance's WASI state, built from its [`crate::ModuleConfig`] when it is
//! instantiated: args, environment, the fd table (stdio, mounts, listeners), clocks and
//! the random source.

use super::clock::Clocks;
use super::fs_table::{Desc, DirDesc, Entry, FdTable};
use super::random::RandSource;
use super::stdio::Stream;
use crate::config::ModuleConfig;
use crate::error::Error;

/// The WASI state of one instance.
pub(crate) struct WasiCtx {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub fds: FdTable,
    pub clocks: Clocks,
    pub rand: RandSource,
}

impl WasiCtx {
    /// Takes the WASI parts out of `config` (stdio, mounts, listeners are moved; args and
    /// environment copied) and opens the mounted directories.
    ///
    /// # Errors
    /// [`Error::Mount`] when a mounted host directory cannot be opened,
    /// [`Error::InvalidConfig`] for args or environment containing NUL (or `=` in a name).
    pub(crate) fn from_config(config: &mut ModuleConfig) -> Result<WasiCtx, Error> {
        super::args::validate(&config.args, &config.env).map_err(Error::InvalidConfig)?;
        let opts = std::mem::take(&mut config.wasi);
        let mut fds = FdTable::default();
        fds.push_preopened(Entry::new(Desc::Stream(Stream::input(config.stdin.take()))));
        for out in [config.stdout.take(), config.stderr.take()] {
            fds.push_preopened(Entry::new(Desc::Stream(Stream::output(out))));
        }
        for m in &opts.fs.mounts {
            let dir = cap_std::fs::Dir::open_ambient_dir(&m.host, cap_std::ambient_authority())
                .map_err(|source| Error::Mount { host_path: m.host.clone(), source })?;
            let desc = Desc::Dir(DirDesc {
                dir,
                preopen: Some(m.guest.clone()),
                read_only: m.read_only,
                listing: None,
            });
            fds.push_preopened(Entry::new(desc));
        }
        for l in opts.listeners {
            fds.push_preopened(Entry::new(Desc::Listener(l)));
        }
        Ok(WasiCtx {
            args: config.args.clone(),
            env: config.env.clone(),
            fds,
            clocks: Clocks::new(opts.walltime, opts.nanotime, opts.sleep),
            rand: opts.rand,
        })
    }
}
