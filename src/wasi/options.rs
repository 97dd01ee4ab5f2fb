//! What a [`crate::ModuleConfig`] grants a WASI guest beyond args, environment and stdio:
//! mounts, clocks, randomness and preopened sockets. Everything defaults to the sandbox.

use super::clock::{SleepSource, TimeSource};
use super::fs_config::FSConfig;
use super::random::RandSource;
use std::net::TcpListener;

/// The WASI grants of one module configuration (set through `ModuleConfig::with_*`).
pub(crate) struct WasiOptions {
    pub fs: FSConfig,
    pub walltime: TimeSource,
    pub nanotime: TimeSource,
    pub sleep: SleepSource,
    pub rand: RandSource,
    pub listeners: Vec<TcpListener>,
}

impl Default for WasiOptions {
    fn default() -> Self {
        Self {
            fs: FSConfig::new(),
            walltime: TimeSource::Fake,
            nanotime: TimeSource::Fake,
            sleep: SleepSource::Fake,
            rand: RandSource::default(),
            listeners: Vec::new(),
        }
    }
}
