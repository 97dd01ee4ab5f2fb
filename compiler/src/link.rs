//! Laying out a module's code and resolving its relocations at compile time (DESIGN.md
//! principle 3): functions first, then array-to-wasm bodies, array-call entries and
//! wasm-to-array trampolines, each aligned; every relocation targets code of the same module
//! and is PC-relative, so once applied the text is position-independent and needs no
//! patching when loaded at any page-aligned address (`adrp` page deltas assume 4 KiB-aligned
//! placement, which every page size satisfies).

use crate::code::{CompiledCode, CompiledFunction, RelocKind, RelocTarget, Relocation};
use crate::loop_layout;
use crate::settings::error;
use crate::trampoline::{Trampolines, wasm_to_array_type};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::artifact::object_relocs;
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::{CodeImage, CodeKind};
use std::collections::HashMap;

/// Minimum alignment of every function's first byte.
const FUNCTION_ALIGN: u32 = 16;

/// Lays out `code` and `trampolines` of `info` into one text with every relocation applied,
/// plus the tables (functions, trap sites, address map, entry points) of
/// [`kiln_runtime_support::vm::CodeTables`].
///
/// # Errors
/// When a relocation names code that was not compiled, lies outside its function, or its
/// target is out of the instruction's range (a module of more than 128 MiB of code on
/// aarch64, 2 GiB on x86_64).
pub fn link(
    info: &ModuleInfo,
    code: &CompiledCode,
    trampolines: &Trampolines,
) -> Result<CodeImage, CompileError> {
    let mut image = CodeImage::default();
    let place = |f: &CompiledFunction,
                 kind: CodeKind,
                 image: &mut CodeImage|
     -> Result<u32, CompileError> {
        let start = loop_layout::start(
            image.text.len(),
            f.required_alignment.max(FUNCTION_ALIGN),
            f.alignment,
            &f.loop_blocks,
        );
        image.text.resize(start, 0);
        image.text.extend_from_slice(&f.code);
        push_tables(image, kind, start as u32, f)?;
        f.push_handlers(start as u32, &mut image.handlers);
        Ok(start as u32)
    };
    let mut func_at = HashMap::new();
    let mut a2w_at = HashMap::new();
    let mut w2a_at = HashMap::new();
    let mut array_call = Vec::with_capacity(code.functions.len());
    let mut placed: Vec<(u32, &CompiledFunction)> = Vec::new();
    for f in &code.functions {
        let at = place(f, CodeKind::Wasm(f.func_index), &mut image)?;
        func_at.insert(f.func_index, at);
        placed.push((at, f));
    }
    for f in &trampolines.array_to_wasm {
        let at = place(f, CodeKind::Trampoline, &mut image)?;
        a2w_at.insert(f.func_index, at);
        placed.push((at, f));
    }
    for f in &trampolines.array_entries {
        let at = place(f, CodeKind::Trampoline, &mut image)?;
        array_call.push(at);
        placed.push((at, f));
    }
    for f in &trampolines.wasm_to_array {
        let at = place(f, CodeKind::Trampoline, &mut image)?;
        w2a_at.insert(f.func_index, at);
        placed.push((at, f));
    }
    let wasm_to_array = (0..info.types.len() as u32)
        .map(|ty| {
            w2a_at.get(&wasm_to_array_type(info, ty)).copied().ok_or_else(|| {
                error(format!("internal error: no wasm-to-array trampoline for type {ty}"))
            })
        })
        .collect::<Result<Vec<u32>, _>>()?;
    image.tables.set_entries(image.text.len() as u32, &array_call, &wasm_to_array);
    crate::code::sort_handlers(&mut image.handlers);

    for (at, f) in placed {
        for r in &f.relocations {
            let target = match r.target {
                RelocTarget::Function(i) => func_at.get(&i),
                RelocTarget::ArrayToWasm(i) => a2w_at.get(&i),
                RelocTarget::WasmToArray(ty) => w2a_at.get(&ty),
            }
            .copied()
            .ok_or_else(|| {
                error(format!("internal error: relocation to missing {:?}", r.target))
            })?;
            if r.offset as usize + 4 > f.code.len() {
                return Err(error(format!(
                    "internal error: relocation at {:#x} lies outside function {}",
                    r.offset, f.func_index
                )));
            }
            patch(&mut image.text, at + r.offset, r, target)?;
        }
    }
    Ok(image)
}

/// Appends `f`, placed at `start`, to the image's tables: its trap sites, and the answers of
/// its address map at them and at the byte before each call's return address (what a
/// backtrace looks up; [`kiln_runtime_support::vm::EncodedTables::push_function`]).
fn push_tables(
    image: &mut CodeImage,
    kind: CodeKind,
    start: u32,
    f: &CompiledFunction,
) -> Result<(), CompileError> {
    let map: Vec<(u32, u32, u32)> =
        f.address_map.iter().map(|e| (e.code_start, e.code_end, e.wasm_offset)).collect();
    image
        .tables
        .push_function(
            kind,
            start,
            f.code.len() as u32,
            f.trap_sites.iter().map(|s| (s.code_offset, s.code)),
            &map,
            f.call_returns.iter().map(|r| r.saturating_sub(1)),
        )
        .map_err(|e| error(format!("internal error: {e}")))
}

/// Applies relocation `r` at text offset `site`, pointing it at text offset `target`
/// ([`object_relocs::apply`], shared with the loader's link step for objects).
fn patch(text: &mut [u8], site: u32, r: &Relocation, target: u32) -> Result<(), CompileError> {
    object_relocs::apply(text, site, reloc_kind(r.kind), target, r.addend).map_err(error)
}

/// The shared relocation kind a compiler relocation is applied as.
pub(crate) fn reloc_kind(kind: RelocKind) -> object_relocs::RelocKind {
    match kind {
        RelocKind::X86CallPcRel4 => object_relocs::RelocKind::X86PcRel32,
        RelocKind::Arm64Call => object_relocs::RelocKind::Arm64Branch26,
        RelocKind::Arm64AdrPrelPgHi21 => object_relocs::RelocKind::Arm64AdrPrelPgHi21,
        RelocKind::Arm64AddAbsLo12Nc => object_relocs::RelocKind::Arm64AddAbsLo12Nc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_call_is_resolved_pc_relative() {
        // f0: e8 <rel32> at offset 1; f1 placed at 16.
        let call = Relocation {
            offset: 1,
            kind: RelocKind::X86CallPcRel4,
            target: RelocTarget::Function(1),
            addend: -4,
        };
        let mut text = vec![0xe8, 0, 0, 0, 0];
        text.resize(32, 0);
        patch(&mut text, 1, &call, 16).unwrap();
        assert_eq!(i32::from_le_bytes(text[1..5].try_into().unwrap()), 16 - 4 - 1);
    }

    #[test]
    fn arm64_branch_out_of_range_is_an_error() {
        let bl = Relocation {
            offset: 0,
            kind: RelocKind::Arm64Call,
            target: RelocTarget::Function(1),
            addend: 0,
        };
        let mut text = vec![0u8; 8];
        assert!(patch(&mut text, 0, &bl, 4).is_ok());
        assert_eq!(u32::from_le_bytes(text[0..4].try_into().unwrap()) & 0x03ff_ffff, 1);
        assert!(patch(&mut text, 0, &bl, 1 << 28).is_err());
    }

    #[test]
    fn the_compact_address_map_answers_every_backtrace_lookup_like_the_full_one() {
        let wasm = wat::parse_str(
            r#"(module
              (import "env" "host" (func $host (param i32) (result i32)))
              (type $t (func (param i32) (result i32)))
              (table 2 funcref)
              (memory 1)
              (func $f (param i32) (result i32)
                (local.get 0) (call $host) (i32.load (local.get 0)) (i32.add)
                (call_indirect (type $t) (local.get 0) (i32.const 1))
                (i32.div_s (i32.const 7))
                (call $f (i32.sub (local.get 0) (i32.const 1)))
                (i32.add) (memory.grow (i32.const 1)) (i32.add) (i32.add)))"#,
        )
        .unwrap();
        let options = kiln_runtime_support::module::DecodeOptions {
            features: kiln_runtime_support::CoreFeatures::V2,
            keep_custom_sections: false,
        };
        let info = kiln_runtime_support::module::decode(&wasm, options).unwrap();
        for target in ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"] {
            let settings = crate::CompilerSettings::for_target_name(target).unwrap();
            let code = crate::compile_module(&info, &settings).unwrap();
            let f = &code.functions[0];
            assert!(
                f.call_returns.len() >= 4,
                "{target}: calls to the import, indirect, itself and memory.grow"
            );
            assert!(!f.trap_sites.is_empty());
            let mut image = CodeImage { text: f.code.clone(), ..CodeImage::default() };
            push_tables(&mut image, CodeKind::Wasm(1), 0, f).unwrap();
            image.tables.set_entries(f.code.len() as u32, &[0], &[]);
            let encoded = image.tables.address_map.len();
            let (bytes, ranges) = image.tables.into_shared();
            let t = kiln_runtime_support::vm::CodeTables::new(
                bytes,
                ranges,
                f.code.len(),
                1,
                1,
                0,
                None,
            )
            .unwrap();
            assert!(encoded < 12 * f.address_map.len(), "{target}: {encoded} bytes");
            let full = |o: u32| {
                let i = f.address_map.partition_point(|e| e.code_start <= o);
                f.address_map[i - 1].wasm_offset
            };
            let queried = f
                .trap_sites
                .iter()
                .map(|t| t.code_offset)
                .chain(f.call_returns.iter().map(|r| r - 1));
            for o in queried {
                assert_eq!(t.wasm_location(o), Some((1, Some(full(o)))), "{target}: offset {o}");
            }
            for s in &f.trap_sites {
                assert_eq!(t.trap_at(s.code_offset), Some(s.code), "{target}");
            }
        }
    }
}
