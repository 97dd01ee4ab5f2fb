//! Relocatable ELF objects (`kiln compile --emit obj`, DESIGN.md principle 3), written with
//! cranelift-object.
//!
//! An object holds, for x86_64 or aarch64 by the settings' target triple:
//! - `.text`: every code item (see
//!   [`ItemKind`](kiln_runtime_support::artifact::object_meta::ItemKind)) — the defined functions, then per defined
//!   function its array-to-wasm body and array-call entry, then one wasm-to-array
//!   trampoline per distinct signature — each a local `STT_FUNC` symbol:
//!   `wasm_func_<index>[_<name>]` ([`function_symbol`]), `wasm_array_to_wasm_<index>`,
//!   `wasm_array_entry_<index>`, `wasm_to_array_type_<type index>`;
//! - the relocations of calls between them (`R_X86_64_PLT32`/`R_AARCH64_CALL26`,
//!   `R_AARCH64_ADR_PREL_PG_HI21` + `R_AARCH64_ADD_ABS_LO12_NC`), against those symbols.
//!   Runtime builtins and imports are reached through the VMContext, so there are no
//!   undefined symbols;
//! - the Kiln sections ([`kiln_runtime_support::artifact::object_sections`]): `.kiln.meta`
//!   (the blob header's verification facts, the item table and the SHA-256 of every part the
//!   loader uses, sealed), `.kiln.traps` (trap sites), `.kiln.addrmap` (address map),
//!   `.kiln.metadata` (the module's metadata, as in a blob) and `.kiln.data` (the
//!   initialized-data image), `.kiln.lines` (the source-line table) and `.kiln.sig` (the signature slot, zero until
//!   `kiln compile --sign` fills it), so the loader can verify, link and instantiate the
//!   object;
//! - DWARF (`.debug_info`, `.debug_abbrev`, `.debug_line`, `.debug_str`): see
//!   [`dwarf`](self#dwarf) below.
//!
//! # DWARF
//! One compile unit named after the module, a `DW_TAG_subprogram` per code item, and a line
//! program mapping every instruction to its source: when the wasm module carries DWARF
//! (custom sections `.debug_info`, `.debug_line`, ...), the original file, line and column
//! of the wasm instruction; otherwise (or for instructions it does not cover) the file
//! `<module name>.wasm` with the wasm instruction's byte offset in the module as the line.

mod dwarf;
mod items;

pub use items::function_symbol;

use crate::artifact::{code_settings, cpu_requirements, producer};
use crate::code::{CompiledCode, RelocKind, RelocTarget};
use crate::link::reloc_kind;
use crate::settings::{CompilerSettings, error};
use crate::trampoline::{Trampolines, compile_trampolines, wasm_to_array_type};
use ::object::write::{Object, StandardSection};
use ::object::{SectionKind, SymbolKind};
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::Signature;
use cranelift_module::{FuncId, Linkage, Module, ModuleReloc, ModuleRelocTarget};
use cranelift_object::{ObjectBuilder, ObjectModule};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::artifact::object_meta::{ItemRecord, ObjectMeta, PartDigests};
use kiln_runtime_support::artifact::object_relocs::ObjectReloc;
use kiln_runtime_support::artifact::object_sections::{
    ADDRESS_MAP_SECTION, DATA_SECTION, LINES_SECTION, META_SECTION, METADATA_SECTION,
    ObjectContents, SIGNATURE_SECTION, TRAPS_SECTION, encode_sections,
};
use kiln_runtime_support::artifact::object_tables::{AddressRecord, TrapRecord};
use kiln_runtime_support::artifact::signature::SLOT_SIZE;
use kiln_runtime_support::artifact::{
    ABI_VERSION, ArtifactMetadata, metadata, sha256, source_lines,
};
use kiln_runtime_support::module::ModuleInfo;
use target_lexicon::BinaryFormat;

/// Compiles every function and trampoline of `info` ([`crate::compile_module`],
/// [`compile_trampolines`]) and writes them as a relocatable ELF object (see the module
/// docs). This is what `kiln compile --emit obj` writes.
///
/// # Errors
/// [`CompileError`] when the target is not an ELF x86_64/aarch64 triple, when compilation
/// fails, or when the object cannot be written.
pub fn emit_object(
    info: &ModuleInfo,
    settings: &CompilerSettings,
) -> Result<Vec<u8>, CompileError> {
    let code = crate::compile_module(info, settings)?;
    let trampolines = compile_trampolines(info, settings)?;
    write_object(info, settings, &code, &trampolines)
}

/// Writes already compiled code of `info` (compiled with `settings`) as a relocatable ELF
/// object (see the module docs).
///
/// # Errors
/// [`CompileError`] when the target is not an ELF x86_64/aarch64 triple, when a relocation
/// names code the module does not define, or when the object cannot be written.
pub fn write_object(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    code: &CompiledCode,
    trampolines: &Trampolines,
) -> Result<Vec<u8>, CompileError> {
    if settings.target.binary_format != BinaryFormat::Elf {
        return Err(error(format!(
            "objects are ELF only; target {} has binary format {}",
            settings.target, settings.target.binary_format
        )));
    }
    let isa = settings.build_isa()?;
    let call_conv = isa.default_call_conv();
    let module_name = module_name(info);
    let builder = ObjectBuilder::new(
        isa,
        format!("{module_name}.wasm"),
        cranelift_module::default_libcall_names(),
    )
    .map_err(|e| error(format!("object writer: {e}")))?;
    let mut module = ObjectModule::new(builder);

    let items = items::items(info, code, trampolines);
    let positions = items::target_positions(&items);
    let ids = items
        .iter()
        .map(|item| {
            module
                .declare_function(&item.symbol, Linkage::Local, &Signature::new(call_conv))
                .map_err(|e| error(format!("declaring {}: {e}", item.symbol)))
        })
        .collect::<Result<Vec<FuncId>, _>>()?;
    for (item, &id) in items.iter().zip(&ids) {
        let relocs = item
            .code
            .relocations
            .iter()
            .map(|r| {
                let target = ids[items::resolve(&positions, item, r.target)?];
                Ok(ModuleReloc {
                    offset: r.offset,
                    kind: match r.kind {
                        RelocKind::X86CallPcRel4 => Reloc::X86CallPCRel4,
                        RelocKind::Arm64Call => Reloc::Arm64Call,
                        RelocKind::Arm64AdrPrelPgHi21 => Reloc::Aarch64AdrPrelPgHi21,
                        RelocKind::Arm64AddAbsLo12Nc => Reloc::Aarch64AddAbsLo12Nc,
                    },
                    name: ModuleRelocTarget::from(target),
                    addend: r.addend,
                })
            })
            .collect::<Result<Vec<_>, CompileError>>()?;
        module
            .define_function_bytes(id, u64::from(item.code.alignment), &item.code.code, &relocs)
            .map_err(|e| error(format!("defining {}: {e}", item.symbol)))?;
    }

    let mut product = module.finish();
    let symbols: Vec<_> = ids.iter().map(|&id| product.function_symbol(id)).collect();
    let obj: &mut Object<'static> = &mut product.object;
    let mut records = Vec::with_capacity(items.len());
    let mut traps = Vec::new();
    let mut address_map = Vec::new();
    let mut handlers = kiln_runtime_support::vm::HandlerTable::default();
    for (i, (item, &sym)) in items.iter().zip(&symbols).enumerate() {
        let size = item.code.code.len() as u64;
        let symbol = obj.symbol_mut(sym);
        symbol.size = size;
        symbol.kind = SymbolKind::Text;
        let text_offset = u32::try_from(symbol.value)
            .map_err(|_| error(format!("{}: .text exceeds 4 GiB", item.symbol)))?;
        records.push(ItemRecord {
            kind: item.kind,
            index: item.index,
            text_offset,
            size: size as u32,
        });
        item.code.push_handlers(text_offset, &mut handlers);
        let item_number = i as u32;
        traps.extend(item.code.trap_sites.iter().map(|t| TrapRecord {
            item: item_number,
            offset: t.code_offset,
            code: t.code,
        }));
        address_map.extend(item.code.address_map.iter().map(|e| AddressRecord {
            item: item_number,
            code_start: e.code_start,
            code_end: e.code_end,
            wasm_offset: e.wasm_offset,
        }));
    }
    // The relocations as the loader reads them back: site in `.text`, target item.
    let mut relocations = Vec::new();
    for (item, record) in items.iter().zip(&records) {
        for r in &item.code.relocations {
            relocations.push(ObjectReloc {
                site: record.text_offset + r.offset,
                kind: reloc_kind(r.kind),
                target_item: items::resolve(&positions, item, r.target)? as u32,
                addend: r.addend,
            });
        }
    }
    relocations.sort_by_key(|r| r.site);
    crate::code::sort_handlers(&mut handlers);
    let wasm_to_array = (0..info.types.len() as u32)
        .map(|ty| {
            let target = RelocTarget::WasmToArray(wasm_to_array_type(info, ty));
            positions.get(&target).map(|&i| i as u32).ok_or_else(|| {
                error(format!("internal error: no wasm-to-array trampoline for type {ty}"))
            })
        })
        .collect::<Result<Vec<u32>, _>>()?;
    let (cpu_level, cpu_features) = cpu_requirements(settings)?;
    let metadata::SplitModule { module, data, .. } = metadata::split_module(info, None);
    let lines = source_lines::encode(info, address_map.iter().map(|a| a.wasm_offset));
    let text_id = obj.section_id(StandardSection::Text);
    let text = obj.section(text_id).data().to_vec();
    let sections = encode_sections(ObjectContents {
        meta: ObjectMeta {
            abi_version: ABI_VERSION,
            target: settings.target.to_string(),
            cpu_level,
            cpu_features,
            settings_fingerprint: settings.settings_fingerprint(),
            settings: code_settings(settings),
            wasm_sha256: sha256(&info.wasm),
            digests: PartDigests::default(),
            kiln_version: String::new(),
            num_imported_funcs: info.num_imported_funcs,
            num_defined_funcs: info.num_defined_funcs(),
            items: records.clone(),
            wasm_to_array,
        },
        text: &text,
        relocations: &relocations,
        traps: &traps,
        address_map: &address_map,
        metadata: &ArtifactMetadata { producer: producer(), module, memory_image: None, handlers },
        data: &data,
        source_lines: &lines,
    })
    .map_err(error)?;
    for (name, bytes) in [
        (META_SECTION, sections.meta),
        (TRAPS_SECTION, sections.traps),
        (ADDRESS_MAP_SECTION, sections.address_map),
        (METADATA_SECTION, sections.metadata),
        (DATA_SECTION, sections.data),
        (LINES_SECTION, sections.source_lines),
        // Unsigned: `kiln compile --sign` fills the slot in the written file.
        (SIGNATURE_SECTION, vec![0; SLOT_SIZE]),
    ] {
        let section = obj.add_section(Vec::new(), name.into(), SectionKind::ReadOnlyData);
        obj.set_section_data(section, bytes, 8);
    }

    dwarf::write_dwarf(obj, info, &module_name, &items, &symbols, &records)?;

    obj.write().map_err(|e| error(format!("writing the object: {e}")))
}

/// The module's name for the object's file symbol and DWARF compile unit: the name
/// section's module name without a `.wasm` suffix (linkers name modules after their
/// output file), else `module`.
fn module_name(info: &ModuleInfo) -> String {
    let name = info.names.module.as_deref().unwrap_or("");
    let name = name.strip_suffix(".wasm").unwrap_or(name);
    if name.is_empty() { "module".to_string() } else { name.to_string() }
}
