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

/// A module's code runs only in runtimes whose code settings it was made with: native code
/// with a memory that leaves bounds checks to guard pages is refused by an interpreter runtime (whose
/// memories have none: before this check a load 64 KiB past the end of a one-page memory
/// read zero there instead of trapping), and code without fuel or interruption checks by a
/// runtime metering fuel or interrupting. Interpreted modules run in compiler runtimes, as
/// above.
#[test]
fn modules_instantiate_only_in_runtimes_with_their_code_settings() {
    let wasm = wat::parse_str(
        r#"(module (memory 1)
             (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))"#,
    )
    .unwrap();
    let refused = |rt: &Runtime, module: &kiln::CompiledModule, text: &str| match rt
        .instantiate(module, ModuleConfig::new())
    {
        Err(e @ Error::IncompatibleModule { .. }) => {
            assert!(e.to_string().contains(text), "{e}")
        }
        other => panic!("{text}: {other:?}"),
    };
    let interp = Runtime::with_config(RuntimeConfig::new().with_engine(Engine::Interpreter));
    let fueled = Runtime::with_config(RuntimeConfig::new().with_fuel(true));
    let interrupting = Runtime::with_config(RuntimeConfig::new().with_interruption(true));
    let compiled = compiler_runtime().compile(&wasm).unwrap();
    let header = kiln::artifact_header(&compiled.serialize().unwrap()).unwrap();
    if header.settings.bounds_checks == kiln::BoundsMode::GuardPages {
        refused(&interp, &compiled, "bounds checks: guard pages (");
        refused(&interp, &compiled, "in the module, explicit here");
    } else {
        // Code with explicit bounds checks runs in any memory.
        interp.instantiate(&compiled, ModuleConfig::new()).unwrap();
    }
    refused(&fueled, &compiled, "fuel: off in the module, on here");
    refused(&interrupting, &compiled, "epoch interruption: off in the module, on here");
    // Native code without a memory runs anywhere its checks match.
    let memoryless = compiler_runtime()
        .compile(
            &wat::parse_str(r#"(module (func (export "f") (result i32) (i32.const 5)))"#).unwrap(),
        )
        .unwrap();
    let inst = interp.instantiate(&memoryless, ModuleConfig::new()).unwrap();
    assert_eq!(i32_of(inst.call("f", &[])), 5);
    let interpreted = interp.compile(&wasm).unwrap();
    refused(&fueled, &interpreted, "fuel: off in the module, on here");
    // Where the settings match, the out-of-bounds load traps on both.
    for (rt, module) in [(&compiler_runtime(), &compiled), (&interp, &interpreted)] {
        let inst = rt.instantiate(module, ModuleConfig::new()).unwrap();
        assert_eq!(i32_of(inst.call("peek", &[0xfffc.into()])), 0);
        match inst.call("peek", &[0x20000.into()]) {
            Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::MemoryOutOfBounds),
            other => panic!("{other:?}"),
        }
    }
}
