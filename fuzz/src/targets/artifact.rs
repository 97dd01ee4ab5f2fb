//! `artifact`: artifacts of small wasm-smith modules — `.kiln` blobs and `--emit obj`
//! ELF objects, for x86_64 and aarch64 — mutated at random (bit flips, bytes and words
//! set, truncation, insertion, deletion, splices; [`crate::mutate`]) and loaded
//! (`Runtime::load_artifact_bytes`), inspected (`kiln::inspect_artifact`) and their
//! headers read (`kiln::artifact_header`). Each must give a typed [`kiln::Error::Artifact`]
//! or, when the load succeeds, the same behaviour as the unmutated artifact (every export
//! called on the same arguments, the exported state compared byte for byte); never a
//! panic or crash. An artifact for another target must never load.
//!
//! # Bytes no check covers
//!
//! A mutation confined to these loads and behaves the same. Found by reading the loader
//! and measured by the survey (`KILN_FUZZ_SURVEY=FILE` appends, for every mutant that
//! loaded, the section of each run of bytes that differs from the original): in a
//! 3-minute survey (seeds 700000.., 72,814 artifacts, 573,712 mutants, 39,611 loaded) the
//! loaded mutants differed from their originals only in the places below.
//!
//! - **Blobs**: no mutant loaded. Every byte is under the header checksum, the payload
//!   digest or the zero-padding check, except the DWARF section (the module's own
//!   `.debug_*` custom sections, outside the payload digest by design): its digest is
//!   checked on first use, so a corrupted one loads and its first read answers
//!   `ArtifactError::Corrupt` for the DWARF part. The generated modules carry no DWARF,
//!   so the survey could not hit it.
//! - **Objects**: the parts of the ELF file the loader does not read or does not trust:
//!   - the ELF header's `e_ident` bytes 7..16 (OS ABI, ABI version, padding), `e_version`
//!     (20..24), `e_entry` (24..32), `e_phoff` (32..40), `e_flags` (48..52), `e_ehsize`,
//!     `e_phentsize` and `e_phnum` (52..58): a relocatable file has no program headers;
//!   - section headers of sections the loader does not use, and bytes between sections
//!     or after the last one (appending bytes also loads);
//!   - `.symtab`, `.strtab` and `.shstrtab` where the change keeps the names and symbols
//!     the loader resolves (`.text`, the `.kiln.*` sections, the code items' symbols);
//!   - the native code's debug sections `.debug_info`, `.debug_abbrev`, `.debug_line`,
//!     `.debug_str` and their relocations (`.rela.debug_*`), which tools read and the
//!     loader never applies; and `.kiln.wasmdwarf`, checked on first use as in a blob.
//!
//!   `.text`, `.rela.text`, and every `.kiln.*` section the loader reads are covered by the
//!   digests sealed in `.kiln.meta`: no mutant touching them loaded.

use crate::compare::{kiln_outcomes_agree, state_difference};
use crate::engines::kiln::{self as kiln_engine, KilnInstance, Path};
use crate::exec::{ExportState, Instance, Outcome, V};
use crate::finding::{Finding, Input, set_current_input};
use crate::mutate::mutate;
use crate::rng::Rng;
use crate::smith::{Shape, generate, kiln_config};
use kiln::aot::{AotOptions, Emit};
use kiln::{Error, ModuleConfig, Runtime};
use std::io::Write;

/// How many mutants each case loads.
const MUTANTS: usize = 8;

/// What a module did: the outcome of each call, and the exported state after all of them.
type Behaviour = (Vec<Outcome>, Vec<(String, ExportState)>);

fn behaviour(rt: &Runtime, module: &kiln::CompiledModule, seed: u64) -> Result<Behaviour, String> {
    let cfg = ModuleConfig::new().with_name("").with_start_functions(Vec::<String>::new());
    let inst = match rt.instantiate(module, cfg) {
        Ok(i) => i,
        Err(e) => return Ok((vec![Outcome::Error(format!("instantiate: {e}"))], Vec::new())),
    };
    let mut k = KilnInstance::from_parts(inst);
    let mut rng = Rng::new(seed, 9);
    let mut outcomes = Vec::new();
    for e in module.exports() {
        let kiln::ExternType::Func(ft) = &e.ty else { continue };
        let args: Vec<V> = ft
            .params()
            .iter()
            .map(|t| match *t {
                kiln::ValType::I32 => V::I32(rng.interesting_u32() as i32),
                kiln::ValType::I64 => V::I64(rng.interesting_u64() as i64),
                kiln::ValType::F32 => V::F32(rng.interesting_f32_bits()),
                kiln::ValType::F64 => V::F64(rng.interesting_f64_bits()),
                kiln::ValType::V128 => V::V128(rng.interesting_v128()),
                kiln::ValType::EXTERNREF => V::ExternRef(None),
                kiln::ValType::EXNREF => V::ExnRef(false),
                _ => V::FuncRef(false),
            })
            .collect();
        outcomes.push(k.call(&e.name, &args));
    }
    Ok((outcomes, k.snapshot()))
}

/// The section of `artifact` holding byte `at`, for the survey.
fn section_at(artifact: &[u8], at: usize) -> String {
    if let Ok(h) = kiln::artifact_header(artifact)
        && !kiln_loader_is_object(artifact)
    {
        if at < kiln_runtime_support::artifact::HEADER_SIZE {
            return format!("header+{at}");
        }
        for s in kiln::Section::ALL {
            if h.sections.range(s).contains(&at) {
                return format!("{s:?}");
            }
        }
        return "padding".into();
    }
    use object::{Object, ObjectSection};
    let Ok(file) = object::File::parse(artifact) else { return "unparsed".into() };
    if at < 64 {
        return format!("elf-header+{at}");
    }
    for s in file.sections() {
        if let Some((off, len)) = s.file_range()
            && (off as usize..(off + len) as usize).contains(&at)
        {
            return s.name().unwrap_or("?").to_string();
        }
    }
    "elf-other (section headers, symbol or relocation entries, padding)".into()
}

fn kiln_loader_is_object(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
}

/// Appends the sections of the bytes that differ between `original` and a `mutant` that
/// loaded (one line per differing run of bytes; a length change is one line naming where
/// the two first differ).
fn survey(original: &[u8], mutant: &[u8], ext: &str) {
    let Some(path) = std::env::var_os("KILN_FUZZ_SURVEY") else { return };
    let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) else {
        return;
    };
    let first = original.iter().zip(mutant).position(|(a, b)| a != b);
    if original.len() != mutant.len() {
        let at = first.unwrap_or(original.len().min(mutant.len()));
        let _ = writeln!(
            f,
            "{ext}\t{}\tlength {} -> {}",
            section_at(original, at),
            original.len(),
            mutant.len()
        );
        return;
    }
    let mut at = 0;
    while at < original.len() {
        if original[at] == mutant[at] {
            at += 1;
            continue;
        }
        let start = at;
        while at < original.len() && original[at] != mutant[at] {
            at += 1;
        }
        let _ = writeln!(f, "{ext}\t{}\tbytes {start}..{at}", section_at(original, start));
    }
}

/// Runs the case of `seed`.
///
/// # Errors
/// `untyped-error`, `loaded-foreign`, `accepted-corrupt` (a mutant loaded and behaved
/// differently) or `panic`.
pub fn run(seed: u64) -> Result<(), Finding> {
    let mut rng = Rng::new(seed, 1);
    let shape = Shape { terminates: true, canonical_nans: true, no_traps: false };
    let mut config = kiln_config(&mut rng, shape);
    config.max_funcs = config.max_funcs.min(12);
    let len = rng.range(64, 4096) as usize;
    let Some(wasm) = generate(&mut rng, config, len, shape) else { return Ok(()) };
    let emit = if rng.chance(1, 2) { Emit::Blob } else { Emit::Obj };
    let ext = if emit == Emit::Blob { "kiln" } else { "o" };
    let foreign = rng.chance(1, 4);
    let opts = AotOptions {
        emit,
        target: foreign.then(|| "aarch64-unknown-linux-gnu".to_string()),
        ..AotOptions::default()
    };
    set_current_input(&wasm, "wasm");
    let Ok(original) = kiln::aot::compile_artifact(&wasm, &opts) else { return Ok(()) };
    let rt = Runtime::with_config(kiln_engine::config(Path::Compiled, false));
    let baseline = if foreign {
        None
    } else {
        // SAFETY: `original` was just written by this process's own compiler.
        let m = unsafe { rt.load_artifact_bytes_unsigned(&original) }.map_err(|e| {
            Finding::new(format!("rejects-own: {e}"), Some(Input { bytes: original.clone(), ext }))
        })?;
        Some(behaviour(&rt, &m, seed).map_err(|e| Finding::new(e, None))?)
    };
    for _ in 0..MUTANTS {
        let mut mutant = original.clone();
        let muts = mutate(&mut rng, &mut mutant, &wasm, 3);
        set_current_input(&mutant, ext);
        let input = || Some(Input { bytes: mutant.clone(), ext });
        let _ = kiln::artifact_header(&mutant);
        match kiln::inspect_artifact(&mutant) {
            Ok(_) | Err(Error::Artifact(_)) => {}
            Err(e) => {
                return Err(Finding::new(
                    format!("untyped-error: inspect: {e:?}; {muts:?}"),
                    input(),
                ));
            }
        }
        // Each mutant loads into a fresh runtime (as a real embedder would).
        let rt = Runtime::with_config(kiln_engine::config(Path::Compiled, false));
        // SAFETY: what this target tests: the loader's checks (header, digests over every
        // byte that is mapped executable or steers the loader) refuse a mutant of our own
        // compiler's output unless the mutation touched only bytes no check covers, which
        // are never executed.
        match unsafe { rt.load_artifact_bytes_unsigned(&mutant) } {
            Err(Error::Artifact(_)) => crate::stats::note("mutant rejected"),
            Err(e) => {
                return Err(Finding::new(format!("untyped-error: load: {e:?}; {muts:?}"), input()));
            }
            Ok(m) => {
                let Some((b_out, b_state)) = &baseline else {
                    return Err(Finding::new(format!("loaded-foreign: {muts:?}"), input()));
                };
                let (out, state) =
                    behaviour(&rt, &m, seed).map_err(|e| Finding::new(e, input()))?;
                // Two runs out of stack (or time) agree: the limit is the same, only the
                // backtraces' text may differ.
                let same_calls = out.len() == b_out.len()
                    && out.iter().zip(b_out).all(|(a, b)| {
                        kiln_outcomes_agree(a, b)
                            || matches!((a, b), (Outcome::Exhausted(_), Outcome::Exhausted(_)))
                    });
                let diff = state_difference(&state, b_state, true);
                if !same_calls || diff.is_some() {
                    return Err(Finding::new(
                        format!(
                            "accepted-corrupt: {muts:?}: calls {out:?} vs {b_out:?}; state {}",
                            diff.unwrap_or_default()
                        ),
                        input(),
                    ));
                }
                crate::stats::note("mutant loaded, same behaviour");
                survey(&original, &mutant, ext);
            }
        }
    }
    Ok(())
}
