//! WebAssembly 3.0's calls and constants on both engines, through the public API:
//! extended constant expressions, tail calls (constant stack space, across engines and into
//! host functions) and typed function references.

use kiln::{CoreFeatures, Engine, Runtime, RuntimeConfig, Val};

const ENGINES: [Engine; 2] = [Engine::Interpreter, Engine::Compiler];

fn runtime(engine: Engine, features: CoreFeatures) -> Runtime {
    Runtime::with_config(
        RuntimeConfig::new()
            .with_engine(engine)
            .with_core_features(CoreFeatures::V2.union(features)),
    )
}

fn i64_of(v: Vec<Val>) -> i64 {
    match v.as_slice() {
        [Val::I64(v)] => *v,
        other => panic!("expected one i64, got {other:?}"),
    }
}

fn i32_of(v: Vec<Val>) -> i32 {
    match v.as_slice() {
        [Val::I32(v)] => *v,
        other => panic!("expected one i32, got {other:?}"),
    }
}

#[test]
fn extended_constant_expressions_in_globals_segments_and_tables() {
    let wat = r#"(module
      (import "env" "base" (global $base i32))
      (global $off i32 (i32.add (global.get $base) (i32.const 16)))
      (global (export "derived") i64 (i64.sub (i64.mul (i64.const 6) (i64.const 7)) (i64.const 2)))
      (memory (export "mem") 1)
      (data (i32.sub (i32.mul (global.get $base) (i32.const 200)) (i32.const 100)) "kiln")
      (table 8 funcref)
      (elem (i32.add (i32.const 1) (global.get $base)) $f)
      (func $f (result i32) (i32.const 99))
      (func (export "off") (result i32) (global.get $off))
      (func (export "elem") (param i32) (result i32) (call_indirect (result i32) (local.get 0))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    for engine in ENGINES {
        let rt = runtime(engine, CoreFeatures::EXTENDED_CONST);
        rt.host_module("env").global("base", Val::I32(3), false).instantiate().unwrap();
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        assert_eq!(i32_of(inst.call("off", &[]).unwrap()), 19, "{engine:?}");
        assert_eq!(i64_of(vec![inst.exported_global("derived").unwrap().get()]), 40, "{engine:?}");
        let mem = inst.exported_memory("mem").unwrap();
        assert_eq!(mem.read_vec(500, 4).unwrap(), b"kiln", "{engine:?}");
        assert_eq!(i32_of(inst.call("elem", &[Val::I32(4)]).unwrap()), 99, "{engine:?}");
    }
}

fn trap_code(r: Result<Vec<Val>, kiln::Error>) -> kiln::TrapCode {
    match r {
        Err(kiln::Error::Trap(t)) => t.code(),
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// Tail-recursive counting loops through each tail-call instruction: `return_call` to
/// itself, `return_call_indirect` through a table and `return_call_ref` through a typed
/// function reference in a global, alternating between two functions.
const TAIL_LOOPS: &str = r#"(module
  (type $loop (func (param i64 i64) (result i64)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $even_i $odd_i)
  (global $odd (ref $loop) (ref.func $odd_r))
  (elem declare func $even_r)
  (func $count (export "count") (type $loop)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))
                                (i64.add (local.get 1) (i64.const 1))))))
  (func $even_i (export "indirect") (type $loop)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_indirect $t (type $loop) (i64.sub (local.get 0) (i64.const 1))
                                  (i64.add (local.get 1) (i64.const 2)) (i32.const 1)))))
  (func $odd_i (type $loop)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_indirect $t (type $loop) (i64.sub (local.get 0) (i64.const 1))
                                  (i64.sub (local.get 1) (i64.const 1)) (i32.const 0)))))
  (func $even_r (export "by_ref") (type $loop)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_ref $loop (i64.sub (local.get 0) (i64.const 1))
                             (i64.add (local.get 1) (i64.const 3)) (global.get $odd)))))
  (func $odd_r (type $loop)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_ref $loop (i64.sub (local.get 0) (i64.const 1))
                             (i64.add (local.get 1) (i64.const 1)) (ref.func $even_r))))))"#;

const TAIL_FEATURES: CoreFeatures =
    CoreFeatures::TAIL_CALL.union(CoreFeatures::FUNCTION_REFERENCES);

#[test]
fn a_tail_recursive_loop_of_100_million_iterations_runs_in_constant_stack() {
    let wasm = wat::parse_str(TAIL_LOOPS).unwrap();
    for engine in ENGINES {
        let rt = runtime(engine, TAIL_FEATURES);
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        let n = 100_000_000i64;
        let got = i64_of(inst.call("count", &[Val::I64(n), Val::I64(0)]).unwrap());
        assert_eq!(got, n, "{engine:?}");
        // Far deeper than any stack allows for plain calls; 2 + (-1) and 3 + 1 per pair.
        let m = 2_000_000i64;
        let got = i64_of(inst.call("indirect", &[Val::I64(m), Val::I64(0)]).unwrap());
        assert_eq!(got, m / 2, "{engine:?}");
        let got = i64_of(inst.call("by_ref", &[Val::I64(m), Val::I64(0)]).unwrap());
        assert_eq!(got, m * 2, "{engine:?}");
    }
}

#[test]
fn a_tail_calling_module_runs_from_an_artifact() {
    use kiln::aot::{AotOptions, compile_artifact};
    let wasm = wat::parse_str(TAIL_LOOPS).unwrap();
    let options =
        AotOptions { features: CoreFeatures::V2.union(TAIL_FEATURES), ..AotOptions::default() };
    let blob = compile_artifact(&wasm, &options).unwrap();
    let rt = runtime(Engine::Compiler, TAIL_FEATURES);
    let m = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
    assert!(m.is_from_artifact() && m.is_native());
    let inst = rt.instantiate(&m, kiln::ModuleConfig::new()).unwrap();
    let n = 100_000_000i64;
    assert_eq!(i64_of(inst.call("count", &[Val::I64(n), Val::I64(0)]).unwrap()), n);
    let m = 1_000_000i64;
    assert_eq!(i64_of(inst.call("indirect", &[Val::I64(m), Val::I64(0)]).unwrap()), m / 2);
    assert_eq!(i64_of(inst.call("by_ref", &[Val::I64(m), Val::I64(0)]).unwrap()), m * 2);
}

/// Tail calls whose callee is a host function or runs on the other engine: directly
/// (`return_call` of an import), through a table and through a function reference.
#[test]
fn tail_calls_across_engines_and_into_host_functions() {
    let callee = r#"(module
      (import "host" "add" (func $add (param i32 i32) (result i32)))
      (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
      (func (export "tail_host") (param i32) (result i32)
        (return_call $add (local.get 0) (i32.const 1))))"#;
    let caller = r#"(module
      (type $i2i (func (param i32) (result i32)))
      (import "host" "add" (func $add (param i32 i32) (result i32)))
      (import "callee" "triple" (func $triple (type $i2i)))
      (import "callee" "tail_host" (func $tail_host (type $i2i)))
      (table 1 funcref)
      (elem (i32.const 0) $triple)
      (elem declare func $triple)
      (func (export "to_host") (param i32) (result i32)
        (return_call $add (local.get 0) (i32.const 100)))
      (func (export "to_other") (param i32) (result i32) (return_call $triple (local.get 0)))
      (func (export "to_other_indirect") (param i32) (result i32)
        (return_call_indirect (type $i2i) (local.get 0) (i32.const 0)))
      (func (export "to_other_ref") (param i32) (result i32)
        (return_call_ref $i2i (local.get 0) (ref.func $triple)))
      (func (export "chain") (param i32) (result i32) (return_call $tail_host (local.get 0))))"#;
    let (callee, caller) = (wat::parse_str(callee).unwrap(), wat::parse_str(caller).unwrap());
    for callee_engine in ENGINES {
        for caller_engine in ENGINES {
            let rt = runtime(caller_engine, TAIL_FEATURES);
            rt.host_module("host").func("add", |a: i32, b: i32| a + b).instantiate().unwrap();
            let other = runtime(callee_engine, TAIL_FEATURES);
            let callee_module = other.compile(&callee).unwrap();
            rt.instantiate(&callee_module, kiln::ModuleConfig::new().with_name("callee")).unwrap();
            let inst = rt.instantiate_wasm(&caller).unwrap();
            let at = format!("caller {caller_engine:?}, callee {callee_engine:?}");
            assert_eq!(i32_of(inst.call("to_host", &[Val::I32(1)]).unwrap()), 101, "{at}");
            assert_eq!(i32_of(inst.call("to_other", &[Val::I32(5)]).unwrap()), 15, "{at}");
            let got = i32_of(inst.call("to_other_indirect", &[Val::I32(6)]).unwrap());
            assert_eq!(got, 18, "{at}");
            assert_eq!(i32_of(inst.call("to_other_ref", &[Val::I32(7)]).unwrap()), 21, "{at}");
            assert_eq!(i32_of(inst.call("chain", &[Val::I32(41)]).unwrap()), 42, "{at}");
        }
    }
}

/// Typed function references: `call_ref` through a non-nullable local, a nullable typed
/// global and a typed table with an initializer expression; `br_on_null`,
/// `br_on_non_null`, `ref.as_non_null`; the null traps; typed references crossing the API.
#[test]
fn typed_function_references_on_both_engines() {
    let wat = r#"(module
      (type $i2i (func (param i32) (result i32)))
      (func $inc (export "inc") (type $i2i) (i32.add (local.get 0) (i32.const 1)))
      (func $dbl (type $i2i) (i32.mul (local.get 0) (i32.const 2)))
      (elem declare func $inc $dbl)
      (global $g (mut (ref null $i2i)) (ref.null $i2i))
      (table $t 3 (ref $i2i) (ref.func $dbl))
      (func (export "local") (param i32) (result i32) (local $f (ref $i2i))
        (local.set $f (ref.func $inc))
        (call_ref $i2i (local.get 0) (local.get $f)))
      (func (export "table") (param i32 i32) (result i32)
        (call_ref $i2i (local.get 0) (table.get $t (local.get 1))))
      (func (export "set_global") (global.set $g (ref.func $inc)))
      (func (export "global") (param i32) (result i32)
        (call_ref $i2i (local.get 0) (global.get $g)))
      (func (export "or_default") (param i32) (result i32)
        (block $null
          (return (call_ref $i2i (local.get 0) (br_on_null $null (global.get $g)))))
        (i32.const -1))
      (func (export "non_null") (param i32) (result i32)
        (local.get 0)
        (block $found (result (ref $i2i))
          (br_on_non_null $found (global.get $g))
          (return (i32.const -2)))
        (call_ref $i2i))
      (func (export "as_non_null") (result i32)
        (drop (ref.as_non_null (global.get $g))) (i32.const 0))
      (func (export "apply") (param (ref $i2i) i32) (result i32)
        (call_ref $i2i (local.get 1) (local.get 0))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    for engine in ENGINES {
        let rt = runtime(engine, CoreFeatures::FUNCTION_REFERENCES);
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        let call = |name: &str, args: &[Val]| inst.call(name, args);
        assert_eq!(i32_of(call("local", &[Val::I32(1)]).unwrap()), 2, "{engine:?}");
        assert_eq!(i32_of(call("table", &[Val::I32(5), Val::I32(2)]).unwrap()), 10, "{engine:?}");
        assert_eq!(
            trap_code(call("global", &[Val::I32(1)])),
            kiln::TrapCode::NullFunctionReference
        );
        assert_eq!(i32_of(call("or_default", &[Val::I32(1)]).unwrap()), -1, "{engine:?}");
        assert_eq!(i32_of(call("non_null", &[Val::I32(1)]).unwrap()), -2, "{engine:?}");
        assert_eq!(trap_code(call("as_non_null", &[])), kiln::TrapCode::NullReference);
        call("set_global", &[]).unwrap();
        assert_eq!(i32_of(call("global", &[Val::I32(1)]).unwrap()), 2, "{engine:?}");
        assert_eq!(i32_of(call("or_default", &[Val::I32(2)]).unwrap()), 3, "{engine:?}");
        assert_eq!(i32_of(call("non_null", &[Val::I32(3)]).unwrap()), 4, "{engine:?}");
        assert_eq!(i32_of(call("as_non_null", &[]).unwrap()), 0, "{engine:?}");

        // A function of the right type passes as a (ref $i2i); null does not.
        let inc = inst.exported_function("inc").unwrap();
        let apply = inst.exported_function("apply").unwrap();
        let got = apply.call(&[Val::FuncRef(Some(inc)), Val::I32(9)]).unwrap();
        assert_eq!(i32_of(got), 10, "{engine:?}");
        let err = apply.call(&[Val::FuncRef(None), Val::I32(9)]).unwrap_err();
        assert!(matches!(err, kiln::Error::TypeMismatch(_)), "{engine:?}: {err:?}");
        let other_type = inst.exported_function("set_global").unwrap();
        let err = apply.call(&[Val::FuncRef(Some(other_type)), Val::I32(9)]).unwrap_err();
        assert!(matches!(err, kiln::Error::TypeMismatch(_)), "{engine:?}: {err:?}");
    }
}

/// An endless tail-call loop has no `loop` and no growing stack: the function-entry
/// interruption check stops it, on both engines.
#[test]
fn an_endless_tail_call_loop_can_be_interrupted() {
    let wasm = wat::parse_str(
        r#"(module
          (type $v (func (param i32)))
          (table 1 funcref)
          (elem (i32.const 0) $spin_indirect)
          (func $spin (export "spin") (param i32) (return_call $spin (i32.add (local.get 0) (i32.const 1))))
          (func $spin_indirect (export "spin_indirect") (param i32)
            (return_call_indirect (type $v) (local.get 0) (i32.const 0))))"#,
    )
    .unwrap();
    for engine in ENGINES {
        for export in ["spin", "spin_indirect"] {
            let rt = Runtime::with_config(
                RuntimeConfig::new()
                    .with_engine(engine)
                    .with_core_features(CoreFeatures::V2.union(TAIL_FEATURES))
                    .with_interruption(true),
            );
            let inst = rt.instantiate_wasm(&wasm).unwrap();
            let handle = rt.interrupt_handle();
            let stopper = std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                handle.interrupt();
            });
            let code = trap_code(inst.call(export, &[Val::I32(0)]));
            assert_eq!(code, kiln::TrapCode::Interrupted, "{export} on {engine:?}");
            stopper.join().unwrap();
        }
    }
}
