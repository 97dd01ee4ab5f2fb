//! The fuzz targets. Each runs one case from a seed; those whose input is a module can
//! replay a (shrunk) module with the seed's other choices.

use crate::finding::Finding;

pub mod api;
pub mod artifact;
pub mod differential;
pub mod validate;
pub mod wasi;

/// Re-runs a seed's case on another input: `Err` with a message whose kind tag (up to the
/// first colon) says how it failed.
pub type Replay = fn(&[u8], u64) -> Result<(), String>;

/// A fuzz target.
pub struct Target {
    /// The name on the command line.
    pub name: &'static str,
    /// Runs the case of `seed`.
    pub run: fn(u64) -> Result<(), Finding>,
    /// Re-runs the case of `seed` on another input (a shrunk module); `Err` with a message
    /// whose kind tag says how it failed.
    pub replay: Option<Replay>,
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target { name: "differential", run: differential::run, replay: Some(differential::replay) },
    Target { name: "validate", run: validate::run, replay: Some(validate::replay) },
    Target { name: "artifact", run: artifact::run, replay: None },
    Target { name: "wasi", run: wasi::run, replay: None },
    Target { name: "api", run: api::run, replay: None },
];
