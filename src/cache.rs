//! The compilation cache (wazero's `CompilationCache`): natively compiled modules kept in
//! memory and, optionally, as artifacts in a directory, so a module binary is compiled once
//! per machine. Configured with [`crate::RuntimeConfig::with_compilation_cache`]; shared by
//! every runtime given a clone.
//!
//! An entry is keyed by SHA-256 over the module binary's SHA-256, the Kiln version, the
//! artifact format and ABI versions, the target, this host's CPU features (cached code is
//! compiled for the host CPU, `--cpu native`), the compiler's settings fingerprint and the
//! runtime's core features. A directory entry that fails to load (corrupted, truncated,
//! written by an incompatible Kiln) or whose header does not match the key (stale) is
//! removed and rebuilt: the cache never turns a compilable module into an error. Entries
//! are written to a temporary file and renamed into place, so concurrent processes never
//! see a partial entry. Entries are Kiln's own compiler output, so they load without a
//! signature, whatever the runtime's signature policy.

use crate::error::Error;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How a cache answered so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Modules served from memory.
    pub memory_hits: u64,
    /// Modules loaded from the directory.
    pub disk_hits: u64,
    /// Modules compiled because no usable entry existed.
    pub misses: u64,
    /// Directory entries removed because they were corrupted or stale.
    pub evictions: u64,
}

/// A compilation cache in memory, optionally backed by a directory. Cheap to clone (clones
/// share the cache).
#[derive(Clone, Default)]
pub struct CompilationCache {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    dir: Option<PathBuf>,
    memory: Mutex<HashMap<[u8; 32], crate::CompiledModule>>,
    stats: Mutex<CacheStats>,
}

impl std::fmt::Debug for CompilationCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompilationCache")
            .field("dir", &self.inner.dir)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl CompilationCache {
    /// A cache in memory only (for the life of the process; unbounded).
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache in memory backed by the directory `dir` (created if missing).
    ///
    /// # Errors
    /// [`Error::Artifact`] with [`crate::ArtifactError::Io`] when the directory cannot be
    /// created.
    pub fn with_directory(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| {
            crate::ArtifactError::Io(format!(
                "cannot create cache directory {}: {e}",
                dir.display()
            ))
        })?;
        Ok(Self { inner: Arc::new(Inner { dir: Some(dir.to_path_buf()), ..Inner::default() }) })
    }

    /// The backing directory, if any.
    pub fn directory(&self) -> Option<&Path> {
        self.inner.dir.as_deref()
    }

    /// Counts of hits, misses and evictions since the cache was created.
    pub fn stats(&self) -> CacheStats {
        *lock(&self.inner.stats)
    }

    /// Forgets the modules held in memory (the directory is kept), so the next lookups go
    /// to the directory.
    pub fn clear_memory(&self) {
        lock(&self.inner.memory).clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(feature = "compiler")]
mod lookup {
    use super::*;
    use crate::aot::{AotOptions, CpuTarget};
    use crate::runtime::Runtime;
    use crate::{CompiledModule, atomic_file};
    use kiln_runtime_support::artifact::{self, ABI_VERSION, CpuFeatures, FORMAT_VERSION};

    impl CompilationCache {
        fn count(&self, f: impl FnOnce(&mut CacheStats)) {
            f(&mut lock(&self.inner.stats));
        }

        /// The module for `wasm` in `rt`: from memory, from the directory, or compiled
        /// (natively, for this host's CPU) and stored.
        pub(crate) fn get_or_compile(
            &self,
            rt: &Runtime,
            wasm: &[u8],
        ) -> Result<CompiledModule, Error> {
            let opts = AotOptions {
                cpu: CpuTarget::Native,
                features: rt.config().features,
                custom_sections: rt.config().custom_sections,
                interruption: rt.config().interruption(),
                fuel: rt.config().fuel(),
                listeners: rt.config().function_listeners(),
                ..AotOptions::default()
            };
            let settings = opts.compiler_settings()?;
            let fingerprint = settings.settings_fingerprint();
            let wasm_sha = artifact::sha256(wasm);
            let mut key_text = Vec::new();
            key_text.extend_from_slice(b"kiln compilation cache\0");
            key_text.extend_from_slice(&wasm_sha);
            for part in [
                env!("CARGO_PKG_VERSION").to_string(),
                settings.target.to_string(),
                format!("format {FORMAT_VERSION} abi {ABI_VERSION}"),
                format!("cpu {:#x}", CpuFeatures::host().0),
                format!("settings {fingerprint:#x}"),
                format!("features {:#x} custom {}", opts.features.bits(), opts.custom_sections),
            ] {
                key_text.extend_from_slice(part.as_bytes());
                key_text.push(0);
            }
            let key = artifact::sha256(&key_text);
            if let Some(m) = lock(&self.inner.memory).get(&key) {
                self.count(|s| s.memory_hits += 1);
                return Ok(m.clone());
            }
            let path = self.inner.dir.as_ref().map(|d| {
                let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
                d.join(format!("{hex}.kiln"))
            });
            if let Some(p) = path.as_ref().filter(|p| p.exists()) {
                match rt.load_own_artifact(p) {
                    Ok(m)
                        if m.artifact_header().is_some_and(|h| {
                            h.settings_fingerprint == fingerprint && h.wasm_sha256 == wasm_sha
                        }) =>
                    {
                        self.count(|s| s.disk_hits += 1);
                        lock(&self.inner.memory).insert(key, m.clone());
                        return Ok(m);
                    }
                    // Corrupted, incompatible or stale: drop it and rebuild below.
                    _ => {
                        let _ = std::fs::remove_file(p);
                        self.count(|s| s.evictions += 1);
                    }
                }
            }
            self.count(|s| s.misses += 1);
            let bytes = crate::aot::compile_artifact(wasm, &opts)?;
            // A directory that cannot be written only costs the on-disk copy.
            let stored = path.filter(|p| atomic_file::write_atomically(p, &bytes).is_ok());
            let module = match stored {
                Some(p) => rt.load_own_artifact(&p)?,
                None => rt.load_own_artifact_bytes(&bytes)?,
            };
            lock(&self.inner.memory).insert(key, module.clone());
            Ok(module)
        }
    }
}
