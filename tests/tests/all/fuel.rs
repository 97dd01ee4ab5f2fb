//! Limits on both engines: fuel (`RuntimeConfig::with_fuel`, `Runtime::set_fuel`/`fuel`): one unit
//! per function entry and loop iteration, the same count on either engine, the
//! `all fuel consumed` trap, refuelling, the code setting in artifact headers; and the
//! `ResourceLimiter`.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{Engine, Error, Runtime, RuntimeConfig, TrapCode};

fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Interpreter];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(Engine::Compiler);
    }
    v
}

const WORK: &str = r#"
(module
  (func $leaf (result i32) (i32.const 1))
  ;; `n` loop iterations, each calling $leaf: 1 (entry) + n (iterations) + n (calls) units.
  (func (export "count") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $leaf)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func (export "spin") (loop (br 0))))
"#;

fn runtime(engine: Engine) -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(engine).with_fuel(true))
}

fn expect_out_of_fuel<T: std::fmt::Debug>(r: Result<T, Error>, engine: Engine) {
    match r {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code(), TrapCode::OutOfFuel, "{engine:?}: {t}");
            assert_eq!(t.message(), "all fuel consumed", "{engine:?}");
        }
        other => panic!("{engine:?}: expected out of fuel, got {other:?}"),
    }
}

#[test]
fn fuel_is_consumed_per_call_and_iteration_the_same_on_both_engines() {
    let mut used = Vec::new();
    for engine in engines() {
        let rt = runtime(engine);
        let inst = rt.instantiate_wasm(&wat::parse_str(WORK).unwrap()).unwrap();
        let count = inst.typed_func::<i32, i32>("count").unwrap();
        assert_eq!(rt.fuel(), 0);
        expect_out_of_fuel(count.call(10), engine);
        rt.set_fuel(1_000);
        assert_eq!(count.call(10).unwrap(), 10, "{engine:?}");
        let spent = 1_000 - rt.fuel();
        // Entry, 11 loop headers (the last exits) and 10 calls of $leaf.
        assert_eq!(spent, 1 + 11 + 10, "{engine:?}");
        used.push(spent);
        // Not enough for 100 iterations: traps, and the fuel is 0 afterwards.
        rt.set_fuel(150);
        expect_out_of_fuel(count.call(100), engine);
        assert_eq!(rt.fuel(), 0, "{engine:?}");
        // An infinite loop stops when the fuel is gone.
        rt.set_fuel(1_000_000);
        expect_out_of_fuel(inst.call("spin", &[]), engine);
        // Refuelled, it runs again.
        rt.set_fuel(1_000);
        assert_eq!(count.call(3).unwrap(), 3, "{engine:?}");
    }
    assert!(used.windows(2).all(|w| w[0] == w[1]), "engines differ: {used:?}");
}

/// A host function can read and refuel while wasm runs.
#[test]
fn host_functions_can_refuel() {
    for engine in engines() {
        let rt = std::sync::Arc::new(runtime(engine));
        let rt2 = std::sync::Arc::downgrade(&rt);
        rt.host_module("host")
            .func("refuel", move || {
                if let Some(rt) = rt2.upgrade() {
                    rt.set_fuel(rt.fuel() + 100);
                }
            })
            .instantiate()
            .unwrap();
        let wasm = wat::parse_str(
            r#"(module (import "host" "refuel" (func $refuel))
                 (func (export "run") (param $n i32)
                   (loop $l (call $refuel)
                     (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"#,
        )
        .unwrap();
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        rt.set_fuel(10);
        // 500 iterations need far more than 10 units; each refuels by 100.
        inst.call("run", &[500.into()]).unwrap();
        assert!(rt.fuel() > 10_000, "{engine:?}: {}", rt.fuel());
    }
}

/// Fuel is a code setting: an artifact compiled without fuel checks is refused by a runtime
/// with fuel on (and one with them by a runtime without), naming the difference; one
/// compiled with them loads and consumes fuel.
#[test]
fn artifacts_record_fuel_in_their_code_settings() {
    if !cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        return;
    }
    let wasm = wat::parse_str(WORK).unwrap();
    let plain = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let fueled =
        compile_artifact(&wasm, &AotOptions { fuel: true, ..AotOptions::default() }).unwrap();
    let with_fuel = runtime(Engine::Compiler);
    let without = Runtime::with_config(RuntimeConfig::compiler());
    // SAFETY: compiled by this process just now.
    let refused = unsafe { with_fuel.load_artifact_bytes_unsigned(&plain) }.unwrap_err();
    let text = refused.to_string();
    assert!(matches!(refused, Error::Artifact(_)), "{refused:?}");
    assert!(text.contains("fuel: off in the artifact, on here"), "{text}");
    // SAFETY: compiled by this process just now.
    let refused = unsafe { without.load_artifact_bytes_unsigned(&fueled) }.unwrap_err();
    assert!(refused.to_string().contains("fuel: on in the artifact, off here"), "{refused}");
    // SAFETY: compiled by this process just now.
    let module = unsafe { with_fuel.load_artifact_bytes_unsigned(&fueled) }.unwrap();
    let inst = with_fuel.instantiate(&module, kiln::ModuleConfig::new()).unwrap();
    with_fuel.set_fuel(100);
    assert_eq!(inst.typed_func::<i32, i32>("count").unwrap().call(10).unwrap(), 10);
    assert_eq!(with_fuel.fuel(), 100 - 22);
    // The in-process compiled module serializes with its setting.
    let compiled = with_fuel.compile(&wasm).unwrap();
    let bytes = compiled.serialize().unwrap();
    assert!(kiln::artifact_header(&bytes).unwrap().settings.fuel);
}

/// Allows memories up to 4 pages, tables up to 10 elements, and 3 instances; counts calls.
#[derive(Default)]
struct Limits {
    asked: std::sync::atomic::AtomicUsize,
}

impl kiln::ResourceLimiter for Limits {
    fn memory_growing(&self, _current: u64, desired: u64) -> bool {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        desired <= 4
    }
    fn table_growing(&self, _current: u64, desired: u64) -> bool {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        desired <= 10
    }
    fn instantiating(&self, instances: usize) -> bool {
        instances < 3
    }
}

const GROWS: &str = r#"
(module
  (memory (export "memory") 1)
  (table (export "table") 2 funcref)
  (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_table") (param i32) (result i32)
    (table.grow (ref.null func) (local.get 0))))
"#;

/// A `ResourceLimiter` is consulted on memory and table growth from wasm and from the host,
/// on the memories and tables an instantiation creates, and on instantiation itself.
#[test]
fn resource_limiter_is_consulted_on_growth_and_instantiation() {
    for engine in engines() {
        let rt = Runtime::with_config(RuntimeConfig::new().with_engine(engine));
        let limits = std::sync::Arc::new(Limits::default());
        rt.set_resource_limiter(limits.clone());
        let inst = rt.instantiate_wasm(&wat::parse_str(GROWS).unwrap()).unwrap();
        let grow_memory = inst.typed_func::<i32, i32>("grow_memory").unwrap();
        let grow_table = inst.typed_func::<i32, i32>("grow_table").unwrap();
        assert_eq!(grow_memory.call(2).unwrap(), 1, "{engine:?}");
        assert_eq!(grow_memory.call(2).unwrap(), -1, "{engine:?}: 5 pages refused");
        assert_eq!(grow_memory.call(1).unwrap(), 3, "{engine:?}");
        assert_eq!(grow_table.call(8).unwrap(), 2, "{engine:?}");
        assert_eq!(grow_table.call(1).unwrap(), -1, "{engine:?}: 11 elements refused");
        let memory = inst.exported_memory("memory").unwrap();
        assert!(matches!(memory.grow(1), Err(Error::Resource(_))), "{engine:?}");
        let table = inst.exported_table("table").unwrap();
        assert!(matches!(table.grow(1, kiln::Val::FuncRef(None)), Err(Error::Resource(_))));
        assert!(limits.asked.load(std::sync::atomic::Ordering::Relaxed) >= 8);
        // An instance whose initial memory is over the limit is refused.
        let big = wat::parse_str("(module (memory 5))").unwrap();
        assert!(matches!(rt.instantiate_wasm(&big), Err(Error::Resource(_))), "{engine:?}");
        // Three instances at most.
        let _b = rt.instantiate_wasm(&wat::parse_str(GROWS).unwrap()).unwrap();
        let _c = rt.instantiate_wasm(&wat::parse_str(GROWS).unwrap()).unwrap();
        let r = rt.instantiate_wasm(&wat::parse_str(GROWS).unwrap());
        assert!(matches!(r, Err(Error::Resource(_))), "{engine:?}");
    }
}

/// The memories and tables a host module creates are asked for like an instance's: within
/// the limits they are made and grow under the limiter from wasm; over them the host
/// module's instantiation is a resource error naming what was refused.
#[test]
fn resource_limiter_is_consulted_on_host_module_memories_and_tables() {
    use kiln::{IndexType, Limits as Sizes, MemoryType, RefType, TableType};
    let memory = |min, max| MemoryType {
        limits: Sizes { min, max: Some(max) },
        index_type: IndexType::I32,
        shared: false,
    };
    let table = |min| TableType {
        element: RefType::FUNCREF,
        limits: Sizes { min, max: None },
        index_type: IndexType::I32,
    };
    for engine in engines() {
        let rt = Runtime::with_config(RuntimeConfig::new().with_engine(engine));
        let limits = std::sync::Arc::new(Limits::default());
        rt.set_resource_limiter(limits.clone());
        rt.host_module("env")
            .memory("memory", memory(2, 8))
            .table("table", table(3), kiln::Val::FuncRef(None))
            .instantiate()
            .unwrap();
        let importer = wat::parse_str(
            r#"(module
                 (import "env" "memory" (memory 1))
                 (import "env" "table" (table 1 funcref))
                 (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
        )
        .unwrap();
        let inst = rt.instantiate_wasm(&importer).unwrap();
        let grow = inst.typed_func::<i32, i32>("grow").unwrap();
        assert_eq!(grow.call(2).unwrap(), 2, "{engine:?}");
        assert_eq!(grow.call(1).unwrap(), -1, "{engine:?}: 5 pages refused by the limiter");
        let asked = limits.asked.load(std::sync::atomic::Ordering::Relaxed);
        assert!(asked >= 4, "{engine:?}: asked {asked} times");

        let r = rt.host_module("big_memory").memory("memory", memory(5, 8)).instantiate();
        match r {
            Err(Error::Resource(e)) => {
                assert!(e.to_string().contains("memory of 5 pages"), "{engine:?}: {e}")
            }
            other => panic!("{engine:?}: {other:?}"),
        }
        let r = rt
            .host_module("big_table")
            .table("table", table(11), kiln::Val::FuncRef(None))
            .instantiate();
        match r {
            Err(Error::Resource(e)) => {
                assert!(e.to_string().contains("table of 11 elements"), "{engine:?}: {e}")
            }
            other => panic!("{engine:?}: {other:?}"),
        }
    }
}
