//! Focused checks of the compiler's output: trap sites, relocations, multi-value returns,
//! settings and IR shape.

use crate::{TARGETS, module, settings};
use kiln_compiler::{
    BoundsChecks, CompiledCode, CompilerSettings, CpuLevel, RelocKind, compile_module, function_ir,
};
use kiln_runtime_support::TrapCode;
use kiln_runtime_support::module::ModuleInfo;

fn compile(wat: &str, target: &str, bounds: BoundsChecks) -> (ModuleInfo, CompiledCode) {
    let info = module(wat);
    let code = compile_module(&info, &settings(target, bounds)).unwrap();
    (info, code)
}

fn trap_codes(code: &CompiledCode, func: u32) -> Vec<TrapCode> {
    code.function(func).unwrap().trap_sites.iter().map(|t| t.code).collect()
}

#[test]
fn division_and_explicit_load_record_trap_sites() {
    let wat = r#"(module
        (memory 1)
        (func (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
        (func (param i32) (result i32) (i32.load offset=8 (local.get 0))))"#;
    for target in TARGETS {
        let (_, code) = compile(wat, target, BoundsChecks::Explicit);
        let div = trap_codes(&code, 0);
        assert!(div.contains(&TrapCode::IntegerDivideByZero), "{target}: {div:?}");
        assert!(div.contains(&TrapCode::IntegerOverflow), "{target}: {div:?}");
        let load = trap_codes(&code, 1);
        assert!(load.contains(&TrapCode::MemoryOutOfBounds), "{target}: {load:?}");

        // Trap sites are sorted and inside the code.
        for f in &code.functions {
            assert!(f.trap_sites.windows(2).all(|w| w[0].code_offset <= w[1].code_offset));
            assert!(f.trap_sites.iter().all(|t| (t.code_offset as usize) < f.code.len()));
        }
    }
}

#[test]
fn guard_page_load_is_a_trap_site_without_a_check() {
    let wat = r#"(module (memory 1)
        (func (param i32) (result i32) (i32.load (local.get 0))))"#;
    for target in TARGETS {
        let (info, code) = compile(wat, target, BoundsChecks::GuardPages);
        assert_eq!(trap_codes(&code, 0), vec![TrapCode::MemoryOutOfBounds], "{target}");
        let ir = function_ir(&info, &settings(target, BoundsChecks::GuardPages), 0).unwrap();
        assert!(!ir.contains("trapnz"), "{ir}");
        let ir = function_ir(&info, &settings(target, BoundsChecks::Explicit), 0).unwrap();
        assert!(ir.contains("trapnz"), "{ir}");
    }
}

#[test]
fn large_offsets_are_checked_even_with_guard_pages() {
    let wat = r#"(module (memory 1)
        (func (param i32) (result i32) (i32.load offset=0xffff0000 (local.get 0))))"#;
    let info = module(wat);
    let ir = function_ir(&info, &settings(TARGETS[0], BoundsChecks::GuardPages), 0).unwrap();
    assert!(ir.contains("trapnz"), "{ir}");
}

#[test]
fn fixed_size_table_is_checked_against_a_constant() {
    // A table whose type fixes its size: the index is compared with the size as a
    // constant, the element base is a hoistable invariant load, and a null element is
    // caught by the fault of the load of its type id (a trap site), not by a check.
    let call = r#"(type $t (func (result i32)))
        (func (param i32) (result i32) (call_indirect (type $t) (local.get 0))))"#;
    for target in TARGETS {
        let mut invariant_loads = Vec::new();
        for (table, fixed) in [("(table 5 5 funcref)", true), ("(table 5 funcref)", false)] {
            let wat = format!("(module {table} {call}");
            let ir =
                function_ir(&module(&wat), &settings(target, BoundsChecks::GuardPages), 0).unwrap();
            assert_eq!(ir.contains("iconst.i64 5"), fixed, "{table} on {target}: {ir}");
            assert!(!ir.contains("trapz"), "{table} on {target}: {ir}");
            invariant_loads.push(ir.matches("readonly can_move").count());
            let (_, code) = compile(&wat, target, BoundsChecks::GuardPages);
            let traps = trap_codes(&code, 0);
            assert!(traps.contains(&TrapCode::UninitializedElement), "{target}: {traps:?}");
            assert!(traps.contains(&TrapCode::UndefinedElement), "{target}: {traps:?}");
        }
        // The fixed table's base is one more invariant load.
        assert_eq!(invariant_loads[0], invariant_loads[1] + 1, "{target}");
    }
}

#[test]
fn direct_call_has_a_relocation() {
    let wat = r#"(module
        (import "env" "f" (func (param i32) (result i32)))
        (func $callee (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (func (param i32) (result i32)
            (call $callee (call 0 (local.get 0)))))"#;
    for (target, kind) in TARGETS.iter().zip([RelocKind::X86CallPcRel4, RelocKind::Arm64Call]) {
        let (_, code) = compile(wat, target, BoundsChecks::GuardPages);
        assert_eq!(code.functions.len(), 2);
        let caller = code.function(2).unwrap();
        // The import is called indirectly; only the defined callee is relocated.
        assert_eq!(caller.relocations.len(), 1, "{target}: {:?}", caller.relocations);
        let r = caller.relocations[0];
        assert_eq!(r.target, kiln_compiler::RelocTarget::Function(1));
        assert_eq!(r.kind, kind);
        assert!((r.offset as usize) < caller.code.len());
        assert!(code.function(1).unwrap().relocations.is_empty());
    }
}

#[test]
fn multi_value_function_and_blocks() {
    let wat = r#"(module
        (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
        (func $many (result i32 i64 f32 f64 i32 i64 f32 f64 i32)
            (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4)
            (i32.const 5) (i64.const 6) (f32.const 7) (f64.const 8) (i32.const 9))
        (func (param i32) (result i32 i32)
            (block (result i32 i32)
                (i32.const 1) (i32.const 2)
                (br_if 0 (local.get 0))
                (drop) (drop)
                (i32.const 9)
                (call $swap (i32.const 3) (i64.const 4))
                (drop)
                (i32.wrap_i64))
            (loop (param i32 i32) (result i32 i32)))
        (func (result i32)
            (call $many)
            (drop) (drop) (drop) (drop) (drop) (drop) (drop) (drop)))"#;
    for target in TARGETS {
        let (info, code) = compile(wat, target, BoundsChecks::GuardPages);
        assert_eq!(code.functions.len(), 4);
        let ir = function_ir(&info, &settings(target, BoundsChecks::GuardPages), 0).unwrap();
        assert!(ir.contains("-> i64, i32"), "{ir}");
        let ir = function_ir(&info, &settings(target, BoundsChecks::GuardPages), 1).unwrap();
        assert!(ir.contains("-> i32, i64, f32, f64, i32, i64, f32, f64, i32"), "{ir}");
    }
}

#[test]
fn call_indirect_checks_bounds_null_and_type() {
    let wat = r#"(module
        (type $t (func (param i32) (result i32)))
        (table 2 funcref)
        (func (param i32) (result i32) (call_indirect (type $t) (i32.const 7) (local.get 0))))"#;
    for target in TARGETS {
        let (_, code) = compile(wat, target, BoundsChecks::GuardPages);
        let codes = trap_codes(&code, 0);
        for c in [
            TrapCode::UndefinedElement,
            TrapCode::UninitializedElement,
            TrapCode::IndirectCallTypeMismatch,
        ] {
            assert!(codes.contains(&c), "{target}: {codes:?}");
        }
    }
}

#[test]
fn address_map_points_into_the_function_body() {
    let wat = r#"(module (func (param i32 i32) (result i32)
        (i32.mul (i32.add (local.get 0) (local.get 1)) (local.get 1))))"#;
    let info = module(wat);
    let code = compile_module(&info, &settings(TARGETS[0], BoundsChecks::GuardPages)).unwrap();
    let f = &code.functions[0];
    let body = &info.bodies[0].range;
    assert!(!f.address_map.is_empty());
    for e in &f.address_map {
        assert!(body.contains(&(e.wasm_offset as usize)), "{e:?} outside {body:?}");
        assert!(e.code_start <= e.code_end && e.code_end as usize <= f.code.len());
    }
    assert!(f.address_map.windows(2).all(|w| w[0].code_start <= w[1].code_start));
}

#[test]
fn stack_limit_and_epoch_checks() {
    let wat = r#"(module (func $f (param i32) (result i32)
        (loop (br_if 0 (local.get 0)))
        (call $f (local.get 0))))"#;
    let info = module(wat);
    let mut s = settings(TARGETS[0], BoundsChecks::GuardPages);
    let ir = function_ir(&info, &s, 0).unwrap();
    assert!(ir.contains("stack_limit"), "{ir}");
    assert!(!ir.contains("call_indirect"), "{ir}");
    s.epoch_interruption = true;
    let ir = function_ir(&info, &s, 0).unwrap();
    // Entry and loop header each call the EpochReached builtin on their slow path.
    assert_eq!(ir.matches("call_indirect").count(), 2, "{ir}");
    let code = compile_module(&info, &s).unwrap();
    assert!(trap_codes(&code, 0).contains(&TrapCode::Interrupted));
    assert!(trap_codes(&code, 0).contains(&TrapCode::CallStackExhausted));
}

#[test]
fn fingerprint_tracks_code_changing_settings() {
    let base = CompilerSettings::for_target_name(TARGETS[0]).unwrap();
    let fp = base.settings_fingerprint();
    assert_eq!(fp, base.clone().settings_fingerprint());
    let mut verify = base.clone();
    verify.verify_ir = !verify.verify_ir;
    assert_eq!(fp, verify.settings_fingerprint(), "the verifier does not change code");
    let mut variants = Vec::new();
    let mut s = base.clone();
    s.bounds_checks = BoundsChecks::Explicit;
    variants.push(s);
    let mut s = base.clone();
    s.epoch_interruption = true;
    variants.push(s);
    let mut s = base.clone();
    s.opt_level = kiln_compiler::OptLevel::None;
    variants.push(s);
    let mut s = base.clone();
    s.guard_bytes = 1 << 20;
    variants.push(s);
    variants.push(CompilerSettings::for_target_name(TARGETS[1]).unwrap());
    for v in &variants {
        assert_ne!(fp, v.settings_fingerprint(), "{v:?}");
    }
}

#[test]
fn native_cpu_needs_the_host_target() {
    let host = target_lexicon::Triple::host().to_string();
    let other = if host.starts_with("x86_64") { TARGETS[1] } else { TARGETS[0] };
    let mut s = CompilerSettings::for_target_name(other).unwrap();
    s.cpu = CpuLevel::Native;
    assert!(s.build_isa().is_err());
    let s = CompilerSettings { cpu: CpuLevel::Native, ..Default::default() };
    assert!(s.build_isa().is_ok());
}

#[test]
fn unsupported_target_is_an_error() {
    let s = CompilerSettings::for_target_name("riscv64gc-unknown-linux-gnu").unwrap();
    let info = module("(module (func))");
    assert!(compile_module(&info, &s).is_err());
}

/// The load of the memory base feeding the store in `ir` (the `iadd` operand of the store's
/// address), as text.
fn base_load_of_store(ir: &str) -> String {
    let line = |def: &str| {
        ir.lines()
            .find(|l| l.contains(&format!("{def} = ")))
            .unwrap_or_else(|| panic!("no definition of {def}:\n{ir}"))
            .to_string()
    };
    let store = ir.lines().find(|l| l.contains("istore8")).expect("a store");
    let store = store.split(';').next().unwrap();
    let addr = store.rsplit(", ").next().unwrap().trim();
    let add = line(addr);
    let base = add.split("iadd ").nth(1).unwrap().split(',').next().unwrap().trim();
    line(base)
}

#[test]
fn memory_base_is_invariant_only_with_guard_pages() {
    let wat = r#"(module (memory 1)
        (func (param i32)
            (loop
                (i32.store8 (local.get 0) (i32.const 0))
                (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#;
    let info = module(wat);
    for target in TARGETS {
        // Heap accesses and VMContext loads are in different alias regions.
        let ir = function_ir(&info, &settings(target, BoundsChecks::GuardPages), 0).unwrap();
        assert!(ir.contains("region1 = 1 \"heap\""), "{ir}");
        assert!(ir.contains("istore8 little region1"), "{ir}");
        // Guard pages: the base never moves, so its load may be hoisted out of the loop.
        let base = base_load_of_store(&ir);
        assert!(base.contains("load.i64 notrap aligned readonly can_move region0"), "{base}\n{ir}");

        // Explicit checks: a growth may move the memory, so the base is reloaded.
        let ir = function_ir(&info, &settings(target, BoundsChecks::Explicit), 0).unwrap();
        let base = base_load_of_store(&ir);
        assert!(base.contains("load.i64 notrap aligned region0"), "{base}\n{ir}");
        assert!(!base.contains("readonly"), "{base}\n{ir}");
    }
}
