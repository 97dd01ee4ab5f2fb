//! Decoding and validation with wasmparser into [`ModuleInfo`].

use super::validate_body::Bodies;
use super::*;
use crate::error::CompileError;
use crate::features::CoreFeatures;
use crate::types::{IndexType, Limits, ValType};
use wasmparser::{Parser, Payload, Validator};

/// Options for [`decode`].
#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    /// The features the module may use.
    pub features: CoreFeatures,
    /// Whether to keep custom sections (other than `name`, always decoded).
    pub keep_custom_sections: bool,
}

/// Decodes and validates a module binary (spec 5, "Binary Format", and 3, "Validation").
///
/// # Errors
/// [`CompileError`] with the byte offset when the binary is malformed or invalid (a feature
/// outside `options.features` is invalid), and with `unsupported` set when it uses
/// something Kiln does not model (e.g. GC's struct and array types).
pub fn decode(wasm: &[u8], options: DecodeOptions) -> Result<ModuleInfo, CompileError> {
    decode_bytes(ModuleBytes::from(wasm), options)
}

/// As [`decode`], keeping `wasm` itself (not a copy) as the module's bytes
/// ([`ModuleInfo::wasm`]), so that a large module's binary is in memory once.
///
/// # Errors
/// As [`decode`].
pub fn decode_bytes(wasm: ModuleBytes, options: DecodeOptions) -> Result<ModuleInfo, CompileError> {
    decode_with(wasm, options.features, options.keep_custom_sections)
}

fn limits(min: u64, max: Option<u64>) -> Limits {
    Limits { min, max }
}

fn val_type(t: wasmparser::ValType, offset: usize) -> Result<ValType, CompileError> {
    ValType::from_wasmparser(t)
        .ok_or_else(|| CompileError::unsupported(offset, format!("unsupported value type {t:?}")))
}

fn table_type(t: &wasmparser::TableType, offset: usize) -> Result<TableType, CompileError> {
    let element = RefType::from_wasmparser(t.element_type).ok_or_else(|| {
        CompileError::unsupported(
            offset,
            format!("unsupported table element type {:?}", t.element_type),
        )
    })?;
    Ok(TableType {
        element,
        limits: limits(t.initial, t.maximum),
        index_type: IndexType::of(t.table64),
    })
}

fn memory_type(m: &wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        limits: limits(m.initial, m.maximum),
        index_type: IndexType::of(m.memory64),
        shared: m.shared,
    }
}

fn decode_with(
    bytes: ModuleBytes,
    features: CoreFeatures,
    keep_custom: bool,
) -> Result<ModuleInfo, CompileError> {
    let mut validator = Validator::new_with_features(features.to_wasmparser());
    // The parser reads `shared` while `info` owns `bytes` (both the same bytes).
    let shared = bytes.clone();
    let wasm: &[u8] = &shared;
    let mut info = ModuleInfo {
        wasm: bytes,
        types: Vec::new(),
        type_decls: Vec::new(),
        imports: Vec::new(),
        functions: Vec::new(),
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        tags: Vec::new(),
        exports: Vec::new(),
        start: None,
        elements: Vec::new(),
        data: Vec::new(),
        bodies: Vec::new(),
        names: Names::default(),
        custom_sections: Vec::new(),
        dwarf: WasmDwarf::default(),
        num_imported_funcs: 0,
        num_imported_tables: 0,
        num_imported_memories: 0,
        num_imported_globals: 0,
        num_imported_tags: 0,
        export_index: OnceLock::new(),
        shared_type_ids: OnceLock::new(),
    };
    let mut bodies = Bodies::default();
    let read = read_payloads(wasm, features, keep_custom, &mut validator, &mut bodies, &mut info);
    // A queued body's error comes first: its body precedes whatever `read` failed on.
    bodies.finish()?;
    read?;
    Ok(info)
}

/// Reads and validates every payload of `wasm` into `info`, handing function bodies to
/// `bodies`.
fn read_payloads<'a>(
    wasm: &'a [u8],
    features: CoreFeatures,
    keep_custom: bool,
    validator: &mut Validator,
    bodies: &mut Bodies<'a>,
    info: &mut ModuleInfo,
) -> Result<(), CompileError> {
    let err = CompileError::from_wasmparser;
    // Parse with the validator's features: wasmparser's default (all features) would,
    // e.g., read memory limits as 64-bit LEB128s and accept overlong 32-bit encodings.
    let mut parser = Parser::new(0);
    parser.set_features(features.to_wasmparser());
    for payload in parser.parse_all(wasm) {
        let payload = payload.map_err(err)?;
        match validator.payload(&payload).map_err(err)? {
            wasmparser::ValidPayload::Func(func, body) => bodies.add(func, body)?,
            wasmparser::ValidPayload::End(_) => {}
            _ => {}
        }
        match payload {
            Payload::TypeSection(reader) => {
                let offset = reader.range().start as usize;
                for group in reader {
                    let group = group.map_err(err)?;
                    let first = info.types.len();
                    for sub in group.types() {
                        let wasmparser::CompositeInnerType::Func(ft) = &sub.composite_type.inner
                        else {
                            return Err(CompileError::unsupported(
                                offset,
                                "the GC proposal's struct and array types are not supported yet",
                            ));
                        };
                        if sub.composite_type.shared {
                            return Err(CompileError::unsupported(
                                offset,
                                "shared types (shared-everything threads) are not supported",
                            ));
                        }
                        let list = |ts: &[wasmparser::ValType]| {
                            ts.iter().map(|t| val_type(*t, offset)).collect::<Result<Vec<_>, _>>()
                        };
                        info.types.push(FuncType::new(list(ft.params())?, list(ft.results())?));
                        let supertype = match sub.supertype_idxs.first() {
                            Some(i) => Some(i.as_module_index().ok_or_else(|| {
                                CompileError::unsupported(offset, "unexpected supertype index")
                            })?),
                            None => None,
                        };
                        info.type_decls.push(TypeDecl {
                            rec_group_len: 0,
                            supertype,
                            is_final: sub.is_final,
                        });
                    }
                    if let Some(d) = info.type_decls.get_mut(first) {
                        d.rec_group_len = (info.types.len() - first) as u32;
                    }
                }
            }
            Payload::ImportSection(reader) => {
                let offset = reader.range().start as usize;
                for import in reader.into_imports() {
                    let import = import.map_err(err)?;
                    let index = match import.ty {
                        wasmparser::TypeRef::Func(ty) | wasmparser::TypeRef::FuncExact(ty) => {
                            info.functions.push(ty);
                            info.num_imported_funcs += 1;
                            EntityIndex::Func(info.functions.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Table(t) => {
                            info.tables.push(TableDecl { ty: table_type(&t, offset)?, init: None });
                            info.num_imported_tables += 1;
                            EntityIndex::Table(info.tables.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Memory(m) => {
                            info.memories.push(memory_type(&m));
                            info.num_imported_memories += 1;
                            EntityIndex::Memory(info.memories.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Global(g) => {
                            let ty = GlobalType {
                                content: val_type(g.content_type, offset)?,
                                mutable: g.mutable,
                            };
                            info.globals.push(GlobalDecl { ty, init: None });
                            info.num_imported_globals += 1;
                            EntityIndex::Global(info.globals.len() as u32 - 1)
                        }
                        wasmparser::TypeRef::Tag(t) => {
                            info.tags.push(t.func_type_idx);
                            info.num_imported_tags += 1;
                            EntityIndex::Tag(info.tags.len() as u32 - 1)
                        }
                    };
                    info.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        index,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    info.functions.push(ty.map_err(err)?);
                }
            }
            Payload::TableSection(reader) => {
                let offset = reader.range().start as usize;
                for table in reader {
                    let table = table.map_err(err)?;
                    let init = match &table.init {
                        wasmparser::TableInit::RefNull => None,
                        wasmparser::TableInit::Expr(e) => Some(ConstExpr::decode(e)?),
                    };
                    info.tables.push(TableDecl { ty: table_type(&table.ty, offset)?, init });
                }
            }
            Payload::MemorySection(reader) => {
                for m in reader {
                    let m = m.map_err(err)?;
                    info.memories.push(memory_type(&m));
                }
            }
            Payload::TagSection(reader) => {
                for t in reader {
                    info.tags.push(t.map_err(err)?.func_type_idx);
                }
            }
            Payload::GlobalSection(reader) => {
                let offset = reader.range().start as usize;
                for g in reader {
                    let g = g.map_err(err)?;
                    let ty = GlobalType {
                        content: val_type(g.ty.content_type, offset)?,
                        mutable: g.ty.mutable,
                    };
                    let init = ConstExpr::decode(&g.init_expr)?;
                    info.globals.push(GlobalDecl { ty, init: Some(init) });
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e.map_err(err)?;
                    let index = match e.kind {
                        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                            EntityIndex::Func(e.index)
                        }
                        wasmparser::ExternalKind::Table => EntityIndex::Table(e.index),
                        wasmparser::ExternalKind::Memory => EntityIndex::Memory(e.index),
                        wasmparser::ExternalKind::Global => EntityIndex::Global(e.index),
                        wasmparser::ExternalKind::Tag => EntityIndex::Tag(e.index),
                    };
                    info.exports.push(Export { name: e.name.to_string(), index });
                }
            }
            Payload::StartSection { func, .. } => info.start = Some(func),
            Payload::ElementSection(reader) => {
                let offset = reader.range().start as usize;
                for e in reader {
                    let e = e.map_err(err)?;
                    let mode = match &e.kind {
                        wasmparser::ElementKind::Passive => ElementMode::Passive,
                        wasmparser::ElementKind::Declared => ElementMode::Declared,
                        wasmparser::ElementKind::Active { table_index, offset_expr } => {
                            ElementMode::Active {
                                table: table_index.unwrap_or(0),
                                offset: ConstExpr::decode(offset_expr)?,
                            }
                        }
                    };
                    let (ty, items) = match e.items {
                        wasmparser::ElementItems::Functions(r) => {
                            let funcs = r.into_iter().collect::<Result<_, _>>().map_err(err)?;
                            (RefType::FUNCREF, ElementItems::Functions(funcs))
                        }
                        wasmparser::ElementItems::Expressions(rt, r) => {
                            let ty = RefType::from_wasmparser(rt).ok_or_else(|| {
                                CompileError::unsupported(
                                    offset,
                                    format!("unsupported element type {rt:?}"),
                                )
                            })?;
                            let mut exprs = Vec::new();
                            for ex in r {
                                exprs.push(ConstExpr::decode(&ex.map_err(err)?)?);
                            }
                            let funcs: Option<Box<[u32]>> =
                                exprs.iter().map(ConstExpr::as_ref_func).collect();
                            let items = match funcs {
                                Some(funcs) => ElementItems::Functions(funcs),
                                None => ElementItems::Expressions(exprs),
                            };
                            (ty, items)
                        }
                    };
                    info.elements.push(ElementSegment { mode, ty, items });
                }
            }
            Payload::DataSection(reader) => {
                for d in reader {
                    let d = d.map_err(err)?;
                    let mode = match &d.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active { memory_index, offset_expr } => {
                            DataMode::Active {
                                memory: *memory_index,
                                offset: ConstExpr::decode(offset_expr)?,
                            }
                        }
                    };
                    let start = d.data.as_ptr() as usize - wasm.as_ptr() as usize;
                    info.data.push(DataSegment { mode, bytes: start..start + d.data.len() });
                }
            }
            Payload::CodeSectionStart { unchecked_range, size, .. } => {
                info.dwarf.code_section_start = Some(unchecked_range.start as usize);
                bodies.code_section(size);
            }
            Payload::CodeSectionEntry(body) => {
                let r = body.range();
                info.bodies.push(FuncBody { range: r.start as usize..r.end as usize });
            }
            Payload::CustomSection(section) => {
                let start = section.data_offset() as usize;
                if section.name() == "name" {
                    info.names = Names::decode(section.data(), start);
                }
                if section.name().starts_with(".debug_") {
                    info.dwarf.sections.push(CustomSection {
                        name: section.name().to_string(),
                        data: start..start + section.data().len(),
                    });
                }
                if keep_custom {
                    info.custom_sections.push(CustomSection {
                        name: section.name().to_string(),
                        data: start..start + section.data().len(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_items_of_functions_decode_as_indices_in_both_binary_forms() {
        let wasm = wat::parse_str(
            r#"(module (table 4 funcref) (func $a) (func $b)
                 (elem (i32.const 0) func $a $b)
                 (elem (i32.const 2) funcref (ref.func $b) (ref.func $a))
                 (elem (i32.const 2) funcref (ref.null func) (ref.func $a))
                 (elem declare func $b))"#,
        )
        .unwrap();
        let options = DecodeOptions { features: Default::default(), keep_custom_sections: false };
        let info = decode(&wasm, options).unwrap();
        let items: Vec<_> = info.elements.iter().map(|e| &e.items).collect();
        assert_eq!(*items[0], ElementItems::Functions([0, 1].into()));
        assert_eq!(*items[1], ElementItems::Functions([1, 0].into()), "expressions, all ref.func");
        match items[2] {
            ElementItems::Expressions(e) => {
                assert_eq!(e.len(), 2);
                assert_eq!(e[1].as_ref_func(), Some(0));
                assert_eq!(e[0].as_ref_func(), None, "ref.null stays an expression");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(*items[3], ElementItems::Functions([1].into()));
    }

    /// A module of `funcs` functions of about 10 KiB each (over [`PARALLEL_MIN`] in all),
    /// where the functions in `invalid` add with nothing on the stack.
    fn large_module(funcs: usize, invalid: &[usize]) -> Vec<u8> {
        use std::fmt::Write;
        let mut wat = String::from("(module");
        for f in 0..funcs {
            wat.push_str(" (func");
            for _ in 0..10_000 {
                wat.push_str(" nop");
            }
            if invalid.contains(&f) {
                wat.push_str(" i32.add drop");
            }
            write!(wat, ") (export \"f{f}\" (func {f}))").unwrap();
        }
        wat.push(')');
        let wasm = wat::parse_str(&wat).unwrap();
        assert!(wasm.len() > super::super::validate_body::PARALLEL_MIN as usize);
        wasm
    }

    fn decode_default(wasm: &[u8]) -> Result<ModuleInfo, CompileError> {
        decode(wasm, DecodeOptions { features: Default::default(), keep_custom_sections: false })
    }

    #[test]
    fn a_large_code_section_reports_its_first_invalid_body() {
        let valid = decode_default(&large_module(80, &[])).unwrap();
        assert_eq!(valid.bodies.len(), 80);
        let e = decode_default(&large_module(80, &[71, 9, 40])).unwrap_err();
        assert!(e.message.contains("type mismatch"), "{e:?}");
        // Functions 0 to 8 are the same in both modules, so function 9 starts where it
        // does in the valid one; its add follows 10,000 nops and adds 2 bytes.
        let body = &valid.bodies[9].range;
        let offset = e.offset.unwrap();
        assert!(offset > body.start + 10_000 && offset <= body.end + 2, "{offset} in {body:?}");
    }

    #[test]
    fn a_large_code_section_reports_a_body_before_a_later_malformed_section() {
        let mut wasm = large_module(70, &[55]);
        // A data section (id 11) of one byte: an unterminated LEB128 count.
        wasm.extend_from_slice(&[11, 1, 0xff]);
        let e = decode_default(&wasm).unwrap_err();
        assert!(e.message.contains("type mismatch"), "{e:?}");
        let valid = large_module(70, &[]);
        let mut tail = valid.clone();
        tail.extend_from_slice(&[11, 1, 0xff]);
        let e = decode_default(&tail).unwrap_err();
        assert!(!e.message.contains("type mismatch"), "the malformed section itself: {e:?}");
        assert!(e.offset.unwrap() >= valid.len(), "{e:?}");
    }
}
