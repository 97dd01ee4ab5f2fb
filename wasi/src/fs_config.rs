//! `FSConfig`: which host directories a WASI guest may see (wazero's `FSConfig`).

use std::path::PathBuf;

/// A host directory made visible to the guest as a preopened directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mount {
    pub host: PathBuf,
    pub guest: String,
    pub read_only: bool,
}

/// The directories a WASI guest may access, after wazero's `FSConfig`. Empty by default:
/// with no mounts the guest sees no filesystem at all. Each mount becomes a preopened
/// directory (file descriptors 3, 4, ... in the order added) that the guest cannot leave:
/// `..` past the mount's root, absolute paths and symbolic links pointing outside it are
/// refused with `EPERM`, as wasmtime refuses them (every access goes through `cap-std`).
///
/// ```
/// let fs = kiln_wasi::FSConfig::new()
///     .with_dir_mount("/tmp", "/tmp")
///     .with_read_only_dir_mount("/usr/share", "/share");
/// let config = kiln_wasi::WasiConfig::new().with_fs_config(fs);
/// # drop(config);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FSConfig {
    pub(crate) mounts: Vec<Mount>,
}

impl FSConfig {
    /// No mounts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Mounts host directory `host_dir` read-write at `guest_path` (the name the guest's
    /// `fd_prestat_dir_name` reports, e.g. `/`, `/data` or `.`). The directory is opened
    /// when a module is instantiated; a missing one fails instantiation with
    /// [`crate::SetupError::Mount`] (the facade's `Error::Mount`).
    pub fn with_dir_mount(
        mut self,
        host_dir: impl Into<PathBuf>,
        guest_path: impl Into<String>,
    ) -> Self {
        self.mounts.push(Mount {
            host: host_dir.into(),
            guest: guest_path.into(),
            read_only: false,
        });
        self
    }

    /// Mounts `host_dir` read-only at `guest_path`: reading works; anything that would
    /// change the mount (creating, writing, truncating, renaming, linking, removing files
    /// or directories, setting times) fails with `EROFS`.
    pub fn with_read_only_dir_mount(
        mut self,
        host_dir: impl Into<PathBuf>,
        guest_path: impl Into<String>,
    ) -> Self {
        self.mounts.push(Mount {
            host: host_dir.into(),
            guest: guest_path.into(),
            read_only: true,
        });
        self
    }
}
