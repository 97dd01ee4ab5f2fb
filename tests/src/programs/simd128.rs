//! The Debian-source programs (zlib's minigzip, Lua, SQLite's speedtest1) built with
//! `-O3 -msimd128`, so clang's auto-vectoriser emits SIMD. `scripts/fetch-programs.sh` builds
//! them beside the `-O2` builds, from the same sources, shims and other flags, as
//! `wasm/<program>-simd128.wasm`; they give the same observations as the `-O2` builds (the
//! golden files of `tests/programs/golden/`).

use super::{Programs, Workload};
use std::path::PathBuf;

/// The workloads whose program fetch-programs.sh also builds with `-O3 -msimd128`.
pub const WORKLOADS: [Workload; 3] = [Workload::Minigzip, Workload::Lua, Workload::Speedtest1];

/// The path of the `-O3 -msimd128` build of `w`'s program (one of [`WORKLOADS`]).
///
/// # Errors
/// When `w` is not one of [`WORKLOADS`], or the build is missing (run
/// scripts/fetch-programs.sh).
pub fn simd128_wasm(programs: &Programs, w: Workload) -> Result<PathBuf, String> {
    if !WORKLOADS.contains(&w) {
        return Err(format!("{} has no -msimd128 build", w.name()));
    }
    let path = programs.root().join("wasm").join(format!("{}-simd128.wasm", w.program()));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} is missing: run scripts/fetch-programs.sh", path.display()))
    }
}
