//! The metadata section: what instantiation needs besides the code (types, imports,
//! exports, globals, tables, memories, segments, names), so an artifact instantiates
//! without its .wasm. It is the module's [`ModuleInfo`] minus what only the interpreter and
//! the compiler read (function bodies); data segments, kept custom sections and function
//! names (read in place) point into the artifact's data image instead of the module
//! binary.

use super::memory_image::{MemoryImageBytes, MemoryImageDecl};
use super::source_lines::SourceLines;
use crate::module::{
    ConstExpr, ConstOp, DataMode, ElementItems, ElementMode, EntityIndex, ModuleBytes, ModuleInfo,
};
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
    /// The memory image at the start of the data image, if the compiler wrote one
    /// ([`super::memory_image`]).
    pub memory_image: Option<MemoryImageDecl>,
    /// The exception handlers of the code's calls (offsets in the code section), verified
    /// by the loader before the code is used ([`crate::vm::HandlerTable::verify`]).
    pub handlers: crate::vm::HandlerTable,
}

/// What [`split_module`] makes of a module.
#[derive(Debug)]
pub struct SplitModule {
    /// The metadata to serialize.
    pub module: ModuleInfo,
    /// The data image: the memory image if there is one, then the bytes of every data
    /// segment outside it, then every kept custom section's, then the function names,
    /// concatenated; the metadata's segment, custom-section and name ranges index it.
    pub data: Vec<u8>,
    /// Where the memory image at the start of `data` goes, if there is one.
    pub memory_image: Option<MemoryImageDecl>,
}

/// Splits `info` into the metadata to serialize and the data image (starting with the memory
/// `image`, if given), with ranges rewritten to index it: an active segment inside the image
/// points at its place there. The module's DWARF is left out: what backtraces read from it
/// travels in the source-line table ([`super::source_lines`]). Wasm offsets (address maps)
/// keep referring to the original module binary.
pub fn split_module(info: &ModuleInfo, image: Option<&MemoryImageBytes>) -> SplitModule {
    let mut m = info.clone();
    let take = |image: &mut Vec<u8>, r: &Range<usize>| {
        let start = image.len();
        image.extend_from_slice(&info.wasm[r.clone()]);
        start..image.len()
    };
    let mut data = Vec::new();
    if let Some(image) = image {
        data.extend_from_slice(&image.bytes);
    }
    for (i, d) in m.data.iter_mut().enumerate() {
        let in_image =
            image.and_then(|img| Some((img.decl.offset, img.segments.get(i).copied()??)));
        d.bytes = match in_image {
            Some((image_offset, at)) => {
                let start = (at - image_offset) as usize;
                start..start + d.bytes.len()
            }
            None => take(&mut data, &d.bytes),
        };
    }
    for c in &mut m.custom_sections {
        c.data = take(&mut data, &c.data);
    }
    m.names.functions = info.names.functions.append_to(&info.wasm, &mut data);
    m.dwarf.sections = Vec::new();
    m.bodies = Vec::new();
    m.wasm = ModuleBytes::default();
    SplitModule { module: m, data, memory_image: image.map(|i| i.decl) }
}

/// Puts a decoded module back together with its data image and its source-line table
/// (verified on first use, not here), after checking every index and range in it, so that
/// a module loaded from an artifact cannot make instantiation or a backtrace index out of
/// bounds.
///
/// # Errors
/// A message naming the first inconsistency.
pub fn join_module(
    mut m: ModuleInfo,
    data: ModuleBytes,
    lines: Arc<SourceLines>,
) -> Result<ModuleInfo, String> {
    let bad = |what: &str| Err(format!("metadata: {what}"));
    let nfuncs = m.functions.len();
    if m.functions.iter().any(|t| *t as usize >= m.types.len()) {
        return bad("a function has an unknown type");
    }
    if m.tags.iter().any(|t| m.types.get(*t as usize).is_none_or(|ty| !ty.results().is_empty())) {
        return bad("a tag has an unknown type or a type with results");
    }
    if m.num_imported_funcs as usize > nfuncs
        || m.num_imported_tables as usize > m.tables.len()
        || m.num_imported_memories as usize > m.memories.len()
        || m.num_imported_globals as usize > m.globals.len()
        || m.num_imported_tags as usize > m.tags.len()
    {
        return bad("more imports than entities");
    }
    let in_space = |i: &EntityIndex| match *i {
        EntityIndex::Func(f) => (f as usize) < nfuncs,
        EntityIndex::Table(t) => (t as usize) < m.tables.len(),
        EntityIndex::Memory(x) => (x as usize) < m.memories.len(),
        EntityIndex::Global(g) => (g as usize) < m.globals.len(),
        EntityIndex::Tag(t) => (t as usize) < m.tags.len(),
    };
    if !m.imports.iter().all(|i| in_space(&i.index))
        || !m.exports.iter().all(|e| in_space(&e.index))
    {
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
        let items_ok = match &e.items {
            ElementItems::Functions(funcs) => funcs.iter().all(|f| (*f as usize) < nfuncs),
            ElementItems::Expressions(exprs) => exprs.iter().all(expr_ok),
        };
        items_ok
            && match &e.mode {
                ElementMode::Active { table, offset } => {
                    (*table as usize) < m.tables.len() && expr_ok(offset)
                }
                _ => true,
            }
    });
    if !(globals_ok && tables_ok && elems_ok) {
        return bad("a constant expression or segment names an entity that does not exist");
    }
    let in_data = |r: &Range<usize>| r.start <= r.end && r.end <= data.len();
    for d in &m.data {
        let target_ok = match &d.mode {
            DataMode::Active { memory, offset } => {
                (*memory as usize) < m.memories.len() && expr_ok(offset)
            }
            DataMode::Passive => true,
        };
        if !target_ok || !in_data(&d.bytes) {
            return bad("a data segment lies outside the data image or targets no memory");
        }
    }
    if !m.custom_sections.iter().all(|c| in_data(&c.data)) {
        return bad("a custom section lies outside the data image");
    }
    let names = &m.names.functions;
    if !in_data(&names.section) || !names.is_well_formed(names.section.len()) {
        return bad("the function names lie outside their section or are out of order");
    }
    if !m.dwarf.sections.is_empty() {
        return bad("an artifact carries .debug_ sections");
    }
    m.dwarf.attach(lines);
    m.bodies = Vec::new();
    m.wasm = data;
    Ok(m)
}
