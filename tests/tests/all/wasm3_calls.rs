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
