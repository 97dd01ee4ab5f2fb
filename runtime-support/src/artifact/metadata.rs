//! The metadata section: what instantiation needs besides the code (types, imports,
//! exports, globals, tables, memories, segments, names), so an artifact instantiates
//! without its .wasm. It is the module's [`ModuleInfo`] minus what only the interpreter and
//! the compiler read (function bodies); data segments and kept custom sections point into
//! the artifact's data image instead of the module binary.

use crate::module::{ConstExpr, ConstOp, DataMode, ElementMode, EntityIndex, ModuleInfo};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// The decoded metadata section.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ArtifactMetadata {
    /// Who compiled it, e.g. `kiln-compiler 0.1.0, cranelift 0.135.8` (informational).
    pub producer: String,
    /// The module, with data and custom-section ranges relative to the data image.
    pub module: ModuleInfo,
}

/// Splits `info` into the metadata to serialize and the data image (every data segment's
/// bytes, then every kept custom section's, then the module's own `.debug_*` sections,
/// concatenated), with ranges rewritten to index the image. Wasm offsets (address maps,
/// the DWARF's Code-section start) keep referring to the original module binary.
pub fn split_module(info: &ModuleInfo) -> (ModuleInfo, Vec<u8>) {
    let mut m = info.clone();
    let mut image = Vec::new();
    let mut take = |r: &Range<usize>| {
        let start = image.len();
        image.extend_from_slice(&info.wasm[r.clone()]);
        start..image.len()
    };
    for d in &mut m.data {
        d.bytes = take(&d.bytes);
    }
    for c in m.custom_sections.iter_mut().chain(m.dwarf.sections.iter_mut()) {
        c.data = take(&c.data);
    }
    m.bodies = Vec::new();
    m.wasm = Arc::from(&[][..]);
    (m, image)
}

/// Puts a decoded module back together with its data image, after checking every index
/// and range in it, so that a module loaded from an artifact cannot make instantiation
/// index out of bounds.
///
/// # Errors
/// A message naming the first inconsistency.
pub fn join_module(mut m: ModuleInfo, data: Arc<[u8]>) -> Result<ModuleInfo, String> {
    let bad = |what: &str| Err(format!("metadata: {what}"));
    let nfuncs = m.functions.len();
    if m.functions.iter().any(|t| *t as usize >= m.types.len()) {
        return bad("a function has an unknown type");
    }
    if m.num_imported_funcs as usize > nfuncs
        || m.num_imported_tables as usize > m.tables.len()
        || m.num_imported_memories as usize > m.memories.len()
        || m.num_imported_globals as usize > m.globals.len()
    {
        return bad("more imports than entities");
    }
    let in_space = |i: &EntityIndex| match *i {
        EntityIndex::Func(f) => (f as usize) < nfuncs,
        EntityIndex::Table(t) => (t as usize) < m.tables.len(),
        EntityIndex::Memory(x) => (x as usize) < m.memories.len(),
        EntityIndex::Global(g) => (g as usize) < m.globals.len(),
    };
    if !m.imports.iter().all(|i| in_space(&i.index)) || !m.exports.iter().all(|e| in_space(&e.index)) {
        return bad("an import or export names an entity that does not exist");
    }
    if m.start.is_some_and(|s| s as usize >= nfuncs) {
        return bad("unknown start function");
    }
    let expr_ok = |e: &ConstExpr| {
        e.ops.iter().all(|op| match *op {
            ConstOp::RefFunc(f) => (f as usize) < nfuncs,
            ConstOp::GlobalGet(g) => (g as usize) < m.globals.len(),
            _ => true,
        })
    };
    let globals_ok = m.globals.iter().all(|g| g.init.as_ref().is_none_or(expr_ok));
    let tables_ok = m.tables.iter().all(|t| t.init.as_ref().is_none_or(expr_ok));
    let elems_ok = m.elements.iter().all(|e| {
        e.items.iter().all(expr_ok)
            && match &e.mode {
                ElementMode::Active { table, offset } => (*table as usize) < m.tables.len() && expr_ok(offset),
                _ => true,
            }
    });
    if !(globals_ok && tables_ok && elems_ok) {
        return bad("a constant expression or segment names an entity that does not exist");
    }
    let in_data = |r: &Range<usize>| r.start <= r.end && r.end <= data.len();
    for d in &m.data {
        let target_ok = match &d.mode {
            DataMode::Active { memory, offset } => (*memory as usize) < m.memories.len() && expr_ok(offset),
            DataMode::Passive => true,
        };
        if !target_ok || !in_data(&d.bytes) {
            return bad("a data segment lies outside the data image or targets no memory");
        }
    }
    if !m.custom_sections.iter().chain(&m.dwarf.sections).all(|c| in_data(&c.data)) {
        return bad("a custom or DWARF section lies outside the data image");
    }
    m.bodies = Vec::new();
    m.wasm = data;
    Ok(m)
}
