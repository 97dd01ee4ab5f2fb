//! The process-wide registry of loaded compiled code: sorted address ranges, so a program
//! counter maps to its module's code metadata (DESIGN.md principle 5, the hot path).

use crate::vm::CodeMeta;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

/// Loaded code by start address.
static REGISTRY: RwLock<BTreeMap<usize, Arc<CodeMeta>>> = RwLock::new(BTreeMap::new());

/// Registers loaded code.
pub fn register(meta: Arc<CodeMeta>) {
    let mut r = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    r.insert(meta.base, meta);
}

/// Unregisters the code starting at `base`.
pub fn unregister(base: usize) {
    let mut r = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    r.remove(&base);
}

/// Runs `f` on the code containing `pc`, if any. Does not allocate (usable from the
/// signal handler).
pub fn with_code<R>(pc: usize, f: impl FnOnce(&CodeMeta) -> R) -> Option<R> {
    let r = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    let (_, meta) = r.range(..=pc).next_back()?;
    (pc < meta.base + meta.len).then(|| f(meta))
}

/// The code containing `pc`, if any.
pub fn lookup(pc: usize) -> Option<Arc<CodeMeta>> {
    let r = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    let (_, meta) = r.range(..=pc).next_back()?;
    (pc < meta.base + meta.len).then(|| meta.clone())
}
