//! Compiled code calling host functions and interpreted functions (as imports and through
//! shared tables), and interpreted code calling compiled functions, in one runtime.

use kiln::{Engine, Error, ModuleConfig, Runtime, RuntimeConfig, TrapCode, Val};

fn compiler_runtime() -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(Engine::Compiler))
}

fn interp_module(wat: &str) -> kiln::CompiledModule {
    let rt = Runtime::with_config(RuntimeConfig::new().with_engine(Engine::Interpreter));
    rt.compile(&wat::parse_str(wat).unwrap()).unwrap()
}

const INTERP: &str = r#"
(module
  (table (export "tab") 4 funcref)
  (elem (i32.const 0) $twice $boom)
  (func $twice (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $boom (export "boom") (param i32) (result i32) unreachable))
"#;

const COMPILED: &str = r#"
(module
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (import "interp" "twice" (func $twice (param i32) (result i32)))
  (import "interp" "boom" (func $boom (param i32) (result i32)))
  (import "interp" "tab" (table 4 funcref))
  (type $i2i (func (param i32) (result i32)))
  (elem (i32.const 2) $inc $add_one)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $add_one (param i32) (result i32) (call $add (local.get 0) (i32.const 1)))
  (func (export "host") (param i32) (result i32) (call $add (local.get 0) (i32.const 40)))
  (func (export "interp") (param i32) (result i32) (call $twice (local.get 0)))
  (func (export "indirect") (param $index i32) (param $arg i32) (result i32)
    (call_indirect (type $i2i) (local.get 1) (local.get 0)))
  (func (export "interp_trap") (result i32) (call $boom (i32.const 0))))
"#;

fn setup() -> (Runtime, kiln::Instance) {
    let rt = compiler_runtime();
    rt.host_module("host").func("add", |a: i32, b: i32| a + b).instantiate().unwrap();
    rt.instantiate(&interp_module(INTERP), ModuleConfig::new().with_name("interp")).unwrap();
    let inst = rt.instantiate_wasm(&wat::parse_str(COMPILED).unwrap()).unwrap();
    (rt, inst)
}

fn i32_of(r: Result<Vec<Val>, Error>) -> i32 {
    match r.unwrap().as_slice() {
        [Val::I32(v)] => *v,
        other => panic!("expected one i32, got {other:?}"),
    }
}

#[test]
fn compiled_calls_host_and_interpreted_imports() {
    let (_rt, inst) = setup();
    assert_eq!(i32_of(inst.call("host", &[2.into()])), 42);
    assert_eq!(i32_of(inst.call("interp", &[21.into()])), 42);
}

#[test]
fn compiled_call_indirect_through_a_shared_table_reaches_every_engine() {
    let (_rt, inst) = setup();
    // 0: interpreted $twice, 2: compiled $inc, 3: compiled function calling the host.
    assert_eq!(i32_of(inst.call("indirect", &[0.into(), 5.into()])), 10);
    assert_eq!(i32_of(inst.call("indirect", &[2.into(), 5.into()])), 6);
    assert_eq!(i32_of(inst.call("indirect", &[3.into(), 5.into()])), 6);
    match inst.call("indirect", &[1.into(), 5.into()]) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::Unreachable),
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn interpreted_code_calls_compiled_functions_through_the_shared_table() {
    let rt = compiler_runtime();
    rt.host_module("host").func("add", |a: i32, b: i32| a + b).instantiate().unwrap();
    let interp =
        rt.instantiate(&interp_module(INTERP), ModuleConfig::new().with_name("interp")).unwrap();
    let _compiled = rt.instantiate_wasm(&wat::parse_str(COMPILED).unwrap()).unwrap();
    let caller = interp_module(
        r#"(module
          (import "interp" "tab" (table 4 funcref))
          (type $i2i (func (param i32) (result i32)))
          (func (export "go") (param i32 i32) (result i32)
            (call_indirect (type $i2i) (local.get 1) (local.get 0))))"#,
    );
    let c = rt.instantiate(&caller, ModuleConfig::new()).unwrap();
    assert_eq!(i32_of(c.call("go", &[2.into(), 5.into()])), 6);
    assert_eq!(i32_of(c.call("go", &[3.into(), 5.into()])), 6);
    drop(interp);
}

#[test]
fn traps_in_interpreted_callees_propagate_through_compiled_frames() {
    let (_rt, inst) = setup();
    match inst.call("interp_trap", &[]) {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code(), TrapCode::Unreachable);
            let names: Vec<_> = t.backtrace().iter().map(|f| f.func_index).collect();
            assert!(names.len() >= 2, "{t}");
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}
