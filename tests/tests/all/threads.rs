//! Threads through the public API: shared memories used by instances of runtimes on
//! different OS threads (each thread its own [`Runtime`]), synchronising through atomics
//! and `memory.atomic.wait32`/`memory.atomic.notify`, on each engine and mixed; a compiled
//! artifact with atomics; growth seen across runtimes; a module's own shared memory
//! outliving its runtime; and the typed errors and traps of bad inputs.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{
    CoreFeatures, Engine, Error, Imports, MemoryType, ModuleConfig, Runtime, RuntimeConfig,
    SharedMemory, TrapCode,
};
use std::sync::Arc;

fn features() -> CoreFeatures {
    CoreFeatures::V2.union(CoreFeatures::THREADS)
}

fn runtime(engine: Engine) -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(engine).with_core_features(features()))
}

/// A futex-style lock at address 0 (0 free, 1 held, 2 held with waiters), a counter at 8
/// incremented non-atomically under the lock, and one at 16 incremented with
/// `i64.atomic.rmw.add`; `work(n)` does both `n` times. Also a ping-pong on a turn word at
/// 32 (`pingpong(first, m)`, returns how many waiters its notifies woke, or -1 when a wait
/// timed out).
const WORKER: &str = r#"
(module
  (import "env" "mem" (memory 1 1 shared))
  (func $lock
    (local $c i32)
    (local.set $c (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 0) (i32.const 1)))
    (if (local.get $c)
      (then
        (if (i32.ne (local.get $c) (i32.const 2))
          (then (local.set $c (i32.atomic.rmw.xchg (i32.const 0) (i32.const 2)))))
        (block $done
          (loop $again
            (br_if $done (i32.eqz (local.get $c)))
            (drop (memory.atomic.wait32 (i32.const 0) (i32.const 2) (i64.const -1)))
            (local.set $c (i32.atomic.rmw.xchg (i32.const 0) (i32.const 2)))
            (br $again))))))
  (func $unlock
    (if (i32.ne (i32.atomic.rmw.sub (i32.const 0) (i32.const 1)) (i32.const 1))
      (then
        (i32.atomic.store (i32.const 0) (i32.const 0))
        (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))))
  (func (export "work") (param $n i32)
    (loop $l
      (call $lock)
      (i64.store (i32.const 8) (i64.add (i64.load (i32.const 8)) (i64.const 1)))
      (call $unlock)
      (drop (i64.atomic.rmw.add (i32.const 16) (i64.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func $await (param $v i32) (result i32)
    (local $cur i32)
    (loop $l
      (local.set $cur (i32.atomic.load (i32.const 32)))
      (if (i32.ne (local.get $cur) (local.get $v))
        (then
          ;; 10 s: a lost wake-up shows as a timeout, not a hang.
          (if (i32.eq (memory.atomic.wait32 (i32.const 32) (local.get $cur) (i64.const 10000000000))
                      (i32.const 2))
            (then (return (i32.const 0))))
          (br $l))))
    (i32.const 1))
  (func (export "pingpong") (param $first i32) (param $m i32) (result i32)
    (local $i i32) (local $woken i32) (local $turn i32)
    (loop $l
      (local.set $turn (i32.add (i32.shl (local.get $i) (i32.const 1)) (local.get $first)))
      (if (i32.eqz (call $await (local.get $turn))) (then (return (i32.const -1))))
      (i32.atomic.store (i32.const 32) (i32.add (local.get $turn) (i32.const 1)))
      (local.set $woken
        (i32.add (local.get $woken) (memory.atomic.notify (i32.const 32) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $m))))
    (local.get $woken)))
"#;

/// The engines of `threads` threads: each alone, then alternating.
fn engine_mixes(threads: usize) -> Vec<Vec<Engine>> {
    let alternate = (0..threads)
        .map(|i| if i % 2 == 0 { Engine::Interpreter } else { Engine::Compiler })
        .collect();
    vec![vec![Engine::Interpreter; threads], vec![Engine::Compiler; threads], alternate]
}

/// Runs `f(runtime, instance)` on one new OS thread per engine in `engines`, each with its
/// own runtime and an instance of [`WORKER`] importing `mem`; returns their results.
fn on_threads<T: Send + 'static>(
    engines: &[Engine],
    mem: &SharedMemory,
    f: impl Fn(usize, &kiln::Instance) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let f = Arc::new(f);
    let wasm = wat::parse_str(WORKER).unwrap();
    let threads: Vec<_> = engines
        .iter()
        .enumerate()
        .map(|(i, &engine)| {
            let (mem, f, wasm) = (mem.clone(), f.clone(), wasm.clone());
            std::thread::spawn(move || {
                let rt = runtime(engine);
                let module = rt.compile(&wasm).unwrap();
                assert_eq!(module.is_native(), engine == Engine::Compiler);
                let imports = Imports::new().define("env", "mem", mem);
                let inst =
                    rt.instantiate(&module, ModuleConfig::new().with_imports(imports)).unwrap();
                f(i, &inst)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn a_lock_in_shared_memory_counts_exactly_across_threads_and_runtimes() {
    const THREADS: usize = 4;
    const N: i32 = 20_000;
    for engines in engine_mixes(THREADS) {
        let mem = SharedMemory::new(1, 1).unwrap();
        on_threads(&engines, &mem, |_, inst| {
            inst.typed_func::<i32, ()>("work").unwrap().call(N).unwrap();
        });
        let total = THREADS as u64 * N as u64;
        assert_eq!(mem.read_u64_le(8).unwrap(), total, "{engines:?}: the counter under the lock");
        assert_eq!(mem.read_u64_le(16).unwrap(), total, "{engines:?}: the atomic counter");
        assert_eq!(mem.read_u32_le(0).unwrap(), 0, "{engines:?}: the lock is free");
    }
}

#[test]
fn wait_and_notify_hand_a_turn_back_and_forth() {
    const M: i32 = 2_000;
    for engines in engine_mixes(2) {
        let mem = SharedMemory::new(1, 1).unwrap();
        let woken = on_threads(&engines, &mem, |i, inst| {
            let pingpong = inst.typed_func::<(i32, i32), i32>("pingpong").unwrap();
            pingpong.call((i as i32, M)).unwrap()
        });
        assert!(woken.iter().all(|&w| w >= 0), "{engines:?}: no wait timed out: {woken:?}");
        assert!(woken.iter().sum::<i32>() <= 2 * M, "{engines:?}: {woken:?}");
        assert_eq!(mem.read_u32_le(32).unwrap(), 2 * M as u32, "{engines:?}");
    }
}

/// `memory.atomic.wait32` parks a thread until another runtime's `notify` (or the host's)
/// wakes it; the notify reports one woken waiter.
#[test]
fn a_waiter_is_woken_by_another_runtime() {
    const WAT: &str = r#"(module
      (import "env" "mem" (memory 1 1 shared))
      (func (export "wait") (result i32)
        (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
      (func (export "notify") (result i32)
        (memory.atomic.notify (i32.const 64) (i32.const 1))))"#;
    for (waiter_engine, notifier_engine) in [
        (Engine::Interpreter, Engine::Compiler),
        (Engine::Compiler, Engine::Interpreter),
        (Engine::Compiler, Engine::Compiler),
    ] {
        let mem = SharedMemory::new(1, 1).unwrap();
        let instantiate = move |engine: Engine, mem: &SharedMemory| {
            let rt = runtime(engine);
            let imports = Imports::new().define("env", "mem", mem.clone());
            let m = rt.compile(&wat::parse_str(WAT).unwrap()).unwrap();
            let inst = rt.instantiate(&m, ModuleConfig::new().with_imports(imports)).unwrap();
            (rt, inst)
        };
        let m2 = mem.clone();
        let waiter = std::thread::spawn(move || {
            let (_rt, inst) = instantiate(waiter_engine, &m2);
            inst.typed_func::<(), i32>("wait").unwrap().call(()).unwrap()
        });
        let (_rt, inst) = instantiate(notifier_engine, &mem);
        let notify = inst.typed_func::<(), i32>("notify").unwrap();
        // Until the waiter is parked, a notify wakes nobody.
        let mut woken = 0;
        for _ in 0..10_000 {
            woken = notify.call(()).unwrap();
            if woken == 1 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(woken, 1, "{waiter_engine:?} woken by {notifier_engine:?}");
        assert_eq!(waiter.join().unwrap(), 0, "the waiter reports `ok`");
    }
    // The host notifies too.
    let mem = SharedMemory::new(1, 1).unwrap();
    assert_eq!(mem.atomic_notify(64, 1).unwrap(), 0);
    assert!(
        matches!(mem.atomic_notify(66, 1), Err(Error::Trap(t)) if t.code() == TrapCode::UnalignedAtomic)
    );
}

/// Results of wait with no waiter to wake it: 1 (not equal) and 2 (timed out); notify of
/// an unshared memory gives 0 and a wait on it traps.
#[test]
fn wait_results_and_unshared_memories() {
    let shared = r#"(module
      (memory 1 1 shared)
      (func (export "wait32") (param i32 i32 i64) (result i32)
        (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
      (func (export "wait64") (param i32 i64 i64) (result i32)
        (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2))))"#;
    let unshared = r#"(module
      (memory 1 1)
      (func (export "wait") (result i32)
        (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
      (func (export "notify") (result i32)
        (memory.atomic.notify (i32.const 0) (i32.const 5))))"#;
    for engine in [Engine::Interpreter, Engine::Compiler] {
        let rt = runtime(engine);
        let inst = rt.instantiate_wasm(&wat::parse_str(shared).unwrap()).unwrap();
        let wait32 = inst.typed_func::<(i32, i32, i64), i32>("wait32").unwrap();
        let wait64 = inst.typed_func::<(i32, i64, i64), i32>("wait64").unwrap();
        assert_eq!(wait32.call((0, 1, -1)).unwrap(), 1, "{engine:?}: not equal");
        assert_eq!(wait64.call((8, 1, 0)).unwrap(), 1, "{engine:?}: not equal");
        let start = std::time::Instant::now();
        assert_eq!(wait32.call((0, 0, 20_000_000)).unwrap(), 2, "{engine:?}: timed out");
        assert!(start.elapsed() >= std::time::Duration::from_millis(20), "{engine:?}");
        assert_eq!(wait64.call((8, 0, 0)).unwrap(), 2, "{engine:?}: timed out");
        let trap = wait32.call((2, 0, 0)).unwrap_err();
        assert_eq!(
            trap.as_trap().map(|t| t.code()),
            Some(TrapCode::UnalignedAtomic),
            "{engine:?}: {trap}"
        );
        let trap = wait64.call((65536, 0, 0)).unwrap_err();
        assert_eq!(
            trap.as_trap().map(|t| t.code()),
            Some(TrapCode::MemoryOutOfBounds),
            "{engine:?}: {trap}"
        );

        let inst = rt.instantiate_wasm(&wat::parse_str(unshared).unwrap()).unwrap();
        let trap = inst.typed_func::<(), i32>("wait").unwrap().call(()).unwrap_err();
        assert_eq!(
            trap.as_trap().map(|t| t.code()),
            Some(TrapCode::ExpectedSharedMemory),
            "{engine:?}"
        );
        assert!(trap.to_string().starts_with("wasm trap: expected shared memory"), "{trap}");
        assert_eq!(inst.typed_func::<(), i32>("notify").unwrap().call(()).unwrap(), 0);
    }
}

/// Every access width and operation, unaligned and out-of-bounds accesses, on both
/// engines alike (the spec suite checks the values; this checks the traps' order).
#[test]
fn unaligned_and_out_of_bounds_atomics_trap() {
    let wat = r#"(module
      (memory 1 1 shared)
      (func (export "load64") (param i32) (result i64) (i64.atomic.load offset=4 (local.get 0)))
      (func (export "rmw16") (param i32) (result i32)
        (i32.atomic.rmw16.add_u (local.get 0) (i32.const 1)))
      (func (export "cas8") (param i32) (result i64)
        (i64.atomic.rmw8.cmpxchg_u (local.get 0) (i64.const 0) (i64.const 7))))"#;
    for engine in [Engine::Interpreter, Engine::Compiler] {
        let rt = runtime(engine);
        let inst = rt.instantiate_wasm(&wat::parse_str(wat).unwrap()).unwrap();
        let load64 = inst.typed_func::<i32, i64>("load64").unwrap();
        let rmw16 = inst.typed_func::<i32, i32>("rmw16").unwrap();
        let cas8 = inst.typed_func::<i32, i64>("cas8").unwrap();
        let code = |r: Result<i64, Error>| r.unwrap_err().as_trap().map(|t| t.code());
        assert_eq!(load64.call(4).unwrap(), 0);
        assert_eq!(code(load64.call(0)), Some(TrapCode::UnalignedAtomic), "{engine:?}");
        assert_eq!(code(load64.call(65532)), Some(TrapCode::MemoryOutOfBounds), "{engine:?}");
        // Unaligned and out of bounds: the alignment is checked first.
        assert_eq!(code(load64.call(65533)), Some(TrapCode::UnalignedAtomic), "{engine:?}");
        assert_eq!(code(load64.call(-4)), Some(TrapCode::MemoryOutOfBounds), "{engine:?}");
        assert_eq!(rmw16.call(65534).unwrap(), 0);
        assert_eq!(rmw16.call(65534).unwrap(), 1);
        let t = rmw16.call(3).unwrap_err();
        assert_eq!(t.as_trap().map(|t| t.code()), Some(TrapCode::UnalignedAtomic), "{engine:?}");
        assert!(t.to_string().starts_with("wasm trap: unaligned atomic"), "{t}");
        assert_eq!(cas8.call(65535).unwrap(), 0, "{engine:?}: any byte is aligned");
        assert_eq!(cas8.call(65535).unwrap(), 7, "{engine:?}");
        assert_eq!(code(cas8.call(65536)), Some(TrapCode::MemoryOutOfBounds), "{engine:?}");
    }
}

/// A shared memory must declare a maximum; an unshared memory does not satisfy a shared
/// import (nor the other way round); the threads feature is needed.
#[test]
fn bad_shared_memories_are_refused_with_typed_errors() {
    let rt = runtime(Engine::Auto);
    let e = rt.compile(&wat::parse_str("(module (memory 1 shared))").unwrap()).unwrap_err();
    assert!(
        matches!(&e, Error::Compile(c) if c.message.contains("shared memory must have maximum")),
        "{e}"
    );
    let v2 = Runtime::with_config(RuntimeConfig::new().with_core_features(CoreFeatures::V2));
    let e = v2.compile(&wat::parse_str("(module (memory 1 2 shared))").unwrap()).unwrap_err();
    assert!(matches!(e, Error::Compile(_)), "{e}");
    let e = SharedMemory::with_type(MemoryType::new(kiln::Limits { min: 1, max: Some(2) }));
    assert!(matches!(e, Err(Error::Resource(_))));
    assert!(matches!(SharedMemory::new(3, 2), Err(Error::Resource(_))));
    assert!(matches!(SharedMemory::new(1, 65537), Err(Error::Resource(_))));

    let importer = rt
        .compile(&wat::parse_str(r#"(module (import "env" "mem" (memory 1 2 shared)))"#).unwrap())
        .unwrap();
    let unshared = rt
        .instantiate_wasm(&wat::parse_str(r#"(module (memory (export "m") 1 2))"#).unwrap())
        .unwrap()
        .exported_memory("m")
        .unwrap();
    assert!(unshared.shared().is_none());
    let imports = Imports::new().define("env", "mem", unshared);
    let e = rt.instantiate(&importer, ModuleConfig::new().with_imports(imports)).unwrap_err();
    assert!(
        matches!(&e, Error::Link(l) if l.kind == kiln::LinkErrorKind::IncompatibleImportType),
        "{e}"
    );
    let imports = Imports::new().define("env", "mem", SharedMemory::new(1, 4).unwrap());
    let e = rt.instantiate(&importer, ModuleConfig::new().with_imports(imports)).unwrap_err();
    assert!(matches!(e, Error::Link(_)), "a maximum above the import's: {e}");
    let plain = rt
        .compile(&wat::parse_str(r#"(module (import "env" "mem" (memory 1 2)))"#).unwrap())
        .unwrap();
    let imports = Imports::new().define("env", "mem", SharedMemory::new(1, 2).unwrap());
    let e = rt.instantiate(&plain, ModuleConfig::new().with_imports(imports)).unwrap_err();
    assert!(matches!(e, Error::Link(_)), "{e}");
}

/// A module's own shared memory, exported as a `Memory`, becomes a `SharedMemory` that
/// instances of other runtimes import (no `WrongRuntime`), and it outlives the runtime
/// that made it; growth by one runtime is seen by the others.
#[test]
fn a_modules_shared_memory_crosses_runtimes_and_outlives_its_own() {
    let definer = r#"(module
      (memory (export "mem") 1 4 shared)
      (data (i32.const 100) "\2a")
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;
    let user = r#"(module
      (import "env" "mem" (memory 1 4 shared))
      (func (export "size") (result i32) (memory.size))
      (func (export "add") (param i32 i32) (result i32)
        (i32.atomic.rmw.add (local.get 0) (local.get 1))))"#;
    for (a, b) in [
        (Engine::Interpreter, Engine::Compiler),
        (Engine::Compiler, Engine::Interpreter),
        (Engine::Compiler, Engine::Compiler),
    ] {
        let shared = {
            let rt_a = runtime(a);
            let inst = rt_a.instantiate_wasm(&wat::parse_str(definer).unwrap()).unwrap();
            let memory = inst.exported_memory("mem").unwrap();
            assert!(memory.ty().shared);
            let shared = memory.shared().expect("a shared memory");
            // Grown in runtime A, seen through the handle.
            assert_eq!(inst.typed_func::<i32, i32>("grow").unwrap().call(1).unwrap(), 1);
            assert_eq!(shared.size(), 2);
            // Runtime B on another thread imports it through a host module export of A's
            // `Memory` handle.
            let extern_ = kiln::Extern::Memory(memory.clone());
            std::thread::spawn(move || {
                let rt_b = runtime(b);
                rt_b.host_module("env").export("mem", &extern_).instantiate().unwrap();
                let inst = rt_b.instantiate_wasm(&wat::parse_str(user).unwrap()).unwrap();
                assert_eq!(inst.typed_func::<(), i32>("size").unwrap().call(()).unwrap(), 2);
                assert_eq!(
                    inst.typed_func::<(i32, i32), i32>("add").unwrap().call((100, 1)).unwrap(),
                    42
                );
            })
            .join()
            .unwrap();
            shared
            // Runtime A, its instance and the `Memory` handle are dropped here.
        };
        let rt_c = runtime(b);
        let imports = Imports::new().define("env", "mem", shared.clone());
        let m = rt_c.compile(&wat::parse_str(user).unwrap()).unwrap();
        let inst = rt_c.instantiate(&m, ModuleConfig::new().with_imports(imports)).unwrap();
        let add = inst.typed_func::<(i32, i32), i32>("add").unwrap();
        assert_eq!(
            add.call((100, 0)).unwrap(),
            43,
            "{a:?} -> {b:?}: the memory outlived runtime A"
        );
        assert_eq!(shared.grow(1).unwrap(), 2);
        assert_eq!(inst.typed_func::<(), i32>("size").unwrap().call(()).unwrap(), 3);
        assert!(shared.grow(2).is_err(), "over the maximum");
        assert_eq!(shared.ty(), MemoryType::new_shared(3, 4));
    }
}

/// An artifact (the `kiln compile` path) with atomics, wait and notify loads and runs
/// against a shared memory, and its metadata keeps the memory's sharedness.
#[test]
fn a_compiled_artifact_with_atomics_runs() {
    let wasm = wat::parse_str(WORKER).unwrap();
    let options = AotOptions { features: features(), ..AotOptions::default() };
    let blob = compile_artifact(&wasm, &options).unwrap();
    let mem = SharedMemory::new(1, 1).unwrap();
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (blob, mem) = (blob.clone(), mem.clone());
            std::thread::spawn(move || {
                let rt = runtime(Engine::Compiler);
                let m = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
                assert!(m.is_from_artifact() && m.is_native());
                let import = &m.imports()[0];
                assert!(matches!(import.ty, kiln::ExternType::Memory(t) if t.shared));
                let imports = Imports::new().define("env", "mem", mem);
                let inst = rt.instantiate(&m, ModuleConfig::new().with_imports(imports)).unwrap();
                inst.typed_func::<i32, ()>("work").unwrap().call(5_000).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(mem.read_u64_le(8).unwrap(), 15_000);
    assert_eq!(mem.read_u64_le(16).unwrap(), 15_000);
}
