//! The WebAssembly 3.0 type system for function types on both engines, through the public
//! API: recursion groups (iso-recursive type equivalence across modules), declared
//! subtypes in `call_indirect` and in import matching, and the refusal of what only GC has.

use kiln::{CoreFeatures, Engine, Error, Runtime, RuntimeConfig, Val};

const ENGINES: [Engine; 2] = [Engine::Interpreter, Engine::Compiler];

fn runtime(engine: Engine) -> Runtime {
    Runtime::with_config(
        RuntimeConfig::new()
            .with_engine(engine)
            .with_core_features(CoreFeatures::V2.union(CoreFeatures::FUNCTION_REFERENCES)),
    )
}

fn i32_of(r: Result<Vec<Val>, Error>) -> i32 {
    match r.as_deref() {
        Ok([Val::I32(v)]) => *v,
        other => panic!("expected one i32, got {other:?}"),
    }
}

fn trap_code(r: Result<Vec<Val>, Error>) -> kiln::TrapCode {
    match r {
        Err(Error::Trap(t)) => t.code(),
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// `$mid` declares `$base` its supertype and `$leaf` declares `$mid`; `$other` has the same
/// parameters and results as all three but no supertype. The table holds one function of
/// each; `call_as_base` and `call_as_mid` call element `i` expecting `$base` / `$mid`.
const SUBTYPES: &str = r#"(module
  (type $base (sub (func (result i32))))
  (type $mid (sub $base (func (result i32))))
  (type $leaf (sub final $mid (func (result i32))))
  (type $other (func (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) func $b $m $l $o)
  (func $b (type $base) (i32.const 1))
  (func $m (type $mid) (i32.const 2))
  (func $l (type $leaf) (i32.const 3))
  (func $o (type $other) (i32.const 4))
  (func (export "call_as_base") (param i32) (result i32)
    (call_indirect (type $base) (local.get 0)))
  (func (export "call_as_mid") (param i32) (result i32)
    (call_indirect (type $mid) (local.get 0)))
  (func (export "call_as_other") (param i32) (result i32)
    (call_indirect (type $other) (local.get 0))))"#;

#[test]
fn call_indirect_accepts_declared_subtypes_only() {
    let wasm = wat::parse_str(SUBTYPES).unwrap();
    for engine in ENGINES {
        let rt = runtime(engine);
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        let call = |f: &str, i: i32| inst.call(f, &[Val::I32(i)]);
        // Expecting $base: itself and its transitive subtypes, not the look-alike $other.
        for (i, want) in [(0, 1), (1, 2), (2, 3)] {
            assert_eq!(i32_of(call("call_as_base", i)), want, "{engine:?} element {i}");
        }
        assert_eq!(trap_code(call("call_as_base", 3)), kiln::TrapCode::IndirectCallTypeMismatch);
        // Expecting $mid: not its supertype.
        assert_eq!(trap_code(call("call_as_mid", 0)), kiln::TrapCode::IndirectCallTypeMismatch);
        assert_eq!(i32_of(call("call_as_mid", 2)), 3, "{engine:?}");
        // Expecting the final $other: only itself.
        assert_eq!(i32_of(call("call_as_other", 3)), 4, "{engine:?}");
        assert_eq!(trap_code(call("call_as_other", 0)), kiln::TrapCode::IndirectCallTypeMismatch);
    }
}

/// Exports a function whose type lies in a two-type recursion group that refers to itself.
const REC_EXPORTER: &str = r#"(module
  (rec (type $f (func (param (ref null $g)) (result i32)))
       (type $g (func (param (ref null $f)) (result i32))))
  (func (export "f") (type $f) (i32.const 7)))"#;

#[test]
fn equivalent_recursion_groups_link_and_call_across_modules() {
    let exporter = wat::parse_str(REC_EXPORTER).unwrap();
    // The same group, written again by another module: the same type.
    let same = wat::parse_str(
        r#"(module
          (rec (type $f (func (param (ref null $g)) (result i32)))
               (type $g (func (param (ref null $f)) (result i32))))
          (import "m" "f" (func $imp (type $f)))
          (table 1 funcref)
          (elem (i32.const 0) func $imp)
          (func (export "direct") (result i32) (call $imp (ref.null $g)))
          (func (export "indirect") (result i32)
            (call_indirect (type $f) (ref.null $g) (i32.const 0))))"#,
    )
    .unwrap();
    // Alike parameters and results, but the group's second type differs: another type.
    let different = wat::parse_str(
        r#"(module
          (rec (type $f (func (param (ref null $g)) (result i32)))
               (type $g (func (param (ref null $f)) (result i64))))
          (import "m" "f" (func (type $f))))"#,
    )
    .unwrap();
    for exporter_engine in ENGINES {
        for engine in ENGINES {
            let rt = runtime(engine);
            // Compiled by a runtime of the exporter's engine, instantiated in this one.
            let m = runtime(exporter_engine).compile(&exporter).unwrap();
            rt.instantiate(&m, kiln::ModuleConfig::new().with_name("m")).unwrap();
            let user = rt.instantiate_wasm(&same).unwrap();
            assert_eq!(i32_of(user.call("direct", &[])), 7, "{exporter_engine:?}->{engine:?}");
            assert_eq!(i32_of(user.call("indirect", &[])), 7, "{exporter_engine:?}->{engine:?}");
            match rt.instantiate_wasm(&different) {
                Err(Error::Link(e)) => {
                    assert_eq!(e.kind, kiln::LinkErrorKind::IncompatibleImportType, "{e}")
                }
                other => panic!("{engine:?}: expected a link error, got {other:?}"),
            }
        }
    }
}

#[test]
fn function_imports_match_by_declared_subtyping() {
    let exporter = wat::parse_str(
        r#"(module
          (type $base (sub (func (result i32))))
          (type $sub (sub $base (func (result i32))))
          (func (export "base") (type $base) (i32.const 1))
          (func (export "sub") (type $sub) (i32.const 2)))"#,
    )
    .unwrap();
    let importer = |name: &str, ty: &str| {
        wat::parse_str(format!(
            r#"(module
              (type $base (sub (func (result i32))))
              (type $sub (sub $base (func (result i32))))
              (import "m" "{name}" (func $f (type {ty})))
              (func (export "run") (result i32) (call $f)))"#
        ))
        .unwrap()
    };
    for engine in ENGINES {
        let rt = runtime(engine);
        let m = rt.compile(&exporter).unwrap();
        rt.instantiate(&m, kiln::ModuleConfig::new().with_name("m")).unwrap();
        // A subtype satisfies an import of its supertype ...
        let inst = rt.instantiate_wasm(&importer("sub", "$base")).unwrap();
        assert_eq!(i32_of(inst.call("run", &[])), 2, "{engine:?}");
        let inst = rt.instantiate_wasm(&importer("base", "$base")).unwrap();
        assert_eq!(i32_of(inst.call("run", &[])), 1, "{engine:?}");
        // ... but not the other way round.
        match rt.instantiate_wasm(&importer("base", "$sub")) {
            Err(Error::Link(e)) => {
                assert_eq!(e.kind, kiln::LinkErrorKind::IncompatibleImportType, "{e}")
            }
            other => panic!("{engine:?}: expected a link error, got {other:?}"),
        }
    }
}

#[test]
fn constant_expressions_read_earlier_defined_globals() {
    let wasm = wat::parse_str(
        r#"(module
          (global $a i32 (i32.const 40))
          (global $b i32 (global.get $a))
          (memory 1)
          (data (global.get $a) "ok")
          (func (export "b") (result i32) (global.get $b))
          (func (export "at") (result i32) (i32.load16_u (i32.const 40))))"#,
    )
    .unwrap();
    for engine in ENGINES {
        let inst = runtime(engine).instantiate_wasm(&wasm).unwrap();
        assert_eq!(i32_of(inst.call("b", &[])), 40, "{engine:?}");
        assert_eq!(i32_of(inst.call("at", &[])), i32::from(u16::from_le_bytes(*b"ok")));
    }
}

#[test]
fn gc_types_and_operators_are_refused_when_compiled() {
    let struct_type = wat::parse_str("(module (type (struct (field i32))))").unwrap();
    // A GC operator on function references only, in a function never called: refused at
    // compile time all the same (the interpreter translates lazily).
    let gc_op = wat::parse_str(
        r#"(module (type $t (func))
          (func (param funcref) (result i32) (ref.test (ref $t) (local.get 0))))"#,
    )
    .unwrap();
    let gc_local = wat::parse_str("(module (func (local anyref)))").unwrap();
    for engine in ENGINES {
        let rt = runtime(engine);
        for (what, wasm) in [("struct", &struct_type), ("ref.test", &gc_op), ("anyref", &gc_local)]
        {
            match rt.compile(wasm) {
                Err(Error::Compile(e)) => {
                    assert!(e.unsupported, "{engine:?} {what}: {e}");
                    assert!(e.message.contains("GC"), "{engine:?} {what}: {e}");
                }
                other => panic!("{engine:?} {what}: expected a compile error, got {other:?}"),
            }
        }
    }
}
