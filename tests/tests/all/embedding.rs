//! Embedding in servers (issue 15): runtimes and handles that move and are shared across
//! threads, one `CompiledModule` instantiated on many threads at once, typed per-instance
//! host state (`Caller::data`), and the instance lifecycle (`Instance::close`, freeing on
//! drop, names reused), on both engines.

use kiln::{
    Caller, CompiledModule, Error, Func, Instance, Memory, ModuleConfig, Runtime, RuntimeConfig,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};

fn engines() -> Vec<(&'static str, RuntimeConfig)> {
    let mut v = vec![("interpreter", RuntimeConfig::interpreter())];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(("compiler", RuntimeConfig::compiler()));
    }
    v
}

/// Sums `n` squares through memory and asks the host for its per-instance seed.
const WORK: &str = r#"
(module
  (import "host" "seed" (func $seed (result i64)))
  (import "host" "log" (func $log (param i64)))
  (memory (export "memory") 1)
  (func (export "work") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (local.set $acc (call $seed))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i64.store (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 3))
          (i64.mul (i64.extend_i32_u (local.get $i)) (i64.extend_i32_u (local.get $i))))
        (local.set $acc (i64.add (local.get $acc)
          (i64.load (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (call $log (local.get $acc))
    (local.get $acc)))
"#;

fn sum_squares(n: u64) -> u64 {
    (0..n).map(|i| i * i).sum()
}

/// Per-instance host state: its seed, and what it logged.
struct Seed {
    seed: i64,
    logged: std::cell::Cell<i64>,
}

/// A runtime with the `host` module `WORK` imports; the functions read the calling
/// instance's [`Seed`] through `Caller::data`, and `log` also counts into `total`.
fn runtime(config: RuntimeConfig, total: Arc<AtomicU64>) -> Runtime {
    let rt = Runtime::with_config(config);
    rt.host_module("host")
        .func("seed", |caller: Caller<'_>| caller.data::<Seed>().map_or(-1, |s| s.seed))
        .func("log", move |caller: Caller<'_>, v: i64| {
            total.fetch_add(1, Ordering::Relaxed);
            if let Some(s) = caller.data::<Seed>() {
                s.logged.set(v);
            }
        })
        .instantiate()
        .unwrap();
    rt
}

fn seeded(seed: i64) -> ModuleConfig {
    ModuleConfig::new().with_data(Seed { seed, logged: std::cell::Cell::new(0) })
}

#[test]
fn runtime_and_handles_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Runtime>();
    check::<CompiledModule>();
    check::<Instance>();
    check::<Func>();
    check::<Memory>();
    check::<kiln::Table>();
    check::<kiln::Global>();
    check::<kiln::TypedFunc<i32, i64>>();
}

/// A runtime built on one thread, with an instance in it, moves to another thread and keeps
/// working there (its host functions, its instance's data and memory); then it comes back.
#[test]
fn runtime_moves_to_another_thread() {
    for (engine, config) in engines() {
        let total = Arc::new(AtomicU64::new(0));
        let rt = runtime(config, total.clone());
        let module = rt.compile(&wat::parse_str(WORK).unwrap()).unwrap();
        let inst = rt.instantiate(&module, seeded(7)).unwrap();
        let (rt, inst) = std::thread::spawn(move || {
            let work = inst.typed_func::<i32, i64>("work").unwrap();
            assert_eq!(work.call(100).unwrap() as u64, 7 + sum_squares(100), "{engine}");
            let second = rt.instantiate(&module, seeded(1000)).unwrap();
            assert_eq!(second.call("work", &[10.into()]).unwrap()[0].i64(), Some(1285));
            (rt, inst)
        })
        .join()
        .unwrap();
        // Back on this thread: the memory the other thread wrote (index 99 at 99*8).
        let mem = inst.exported_memory("memory").unwrap();
        assert_eq!(mem.read_u64_le(99 * 8).unwrap(), 99 * 99, "{engine}");
        assert_eq!(total.load(Ordering::Relaxed), 2, "{engine}");
        // The second, anonymous instance was freed when its handle went.
        assert_eq!(rt.instance_count(), 1, "{engine}");
    }
}

/// One `CompiledModule`, compiled once, instantiated in 8 runtimes on 8 threads that all
/// start together; each instance sees its own `Caller::data` and computes the right sum.
#[test]
fn one_compiled_module_instantiates_on_8_threads_at_once() {
    for (engine, config) in engines() {
        let module =
            Runtime::with_config(config.clone()).compile(&wat::parse_str(WORK).unwrap()).unwrap();
        let total = Arc::new(AtomicU64::new(0));
        let barrier = Arc::new(Barrier::new(8));
        let threads: Vec<_> = (0..8i64)
            .map(|t| {
                let (module, config, total, barrier) =
                    (module.clone(), config.clone(), total.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let rt = runtime(config, total);
                    barrier.wait();
                    let mut sums = Vec::new();
                    for round in 0..20i64 {
                        let seed = t * 1_000_000 + round;
                        let inst = rt.instantiate(&module, seeded(seed)).unwrap();
                        let n = 1000 + t as i32 * 100;
                        let got = inst.typed_func::<i32, i64>("work").unwrap().call(n).unwrap();
                        assert_eq!(got as u64, seed as u64 + sum_squares(n as u64));
                        sums.push(got);
                    }
                    sums
                })
            })
            .collect();
        for (t, th) in threads.into_iter().enumerate() {
            let sums = th.join().unwrap_or_else(|_| panic!("{engine}: thread {t} failed"));
            assert_eq!(sums.len(), 20);
        }
        assert_eq!(total.load(Ordering::Relaxed), 8 * 20, "{engine}");
    }
}

/// Calls into one runtime from several threads take turns: a counter the instance keeps in
/// a global ends exact.
#[test]
fn threads_sharing_one_runtime_take_turns() {
    for (engine, config) in engines() {
        let rt = Arc::new(Runtime::with_config(config));
        let wasm = wat::parse_str(
            r#"(module (global $n (mut i64) (i64.const 0))
                 (func (export "bump") (result i64)
                   (global.set $n (i64.add (global.get $n) (i64.const 1))) (global.get $n)))"#,
        )
        .unwrap();
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        let bump = inst.typed_func::<(), i64>("bump").unwrap();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let bump = bump.clone();
                std::thread::spawn(move || {
                    for _ in 0..2000 {
                        bump.call(()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(bump.call(()).unwrap(), 8001, "{engine}");
    }
}

const COUNTER: &str = r#"
(module (memory (export "memory") 1)
  (global $n (export "n") (mut i32) (i32.const 0))
  (table (export "table") 1 funcref)
  (func $get (export "get") (result i32) (global.get $n))
  (func (export "inc") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
"#;

/// `Instance::close` frees the name at once and makes every handle of the instance fail
/// with `Error::Closed`; a new instance takes the name.
#[test]
fn closed_instance_frees_its_name_and_its_handles_fail() {
    for (engine, config) in engines() {
        let rt = Runtime::with_config(config);
        let module = rt.compile(&wat::parse_str(COUNTER).unwrap()).unwrap();
        let named = || ModuleConfig::new().with_name("counter");
        let a = rt.instantiate(&module, named()).unwrap();
        let inc = a.typed_func::<(), i32>("inc").unwrap();
        let untyped = a.exported_function("inc").unwrap();
        let mem = a.exported_memory("memory").unwrap();
        let global = a.exported_global("n").unwrap();
        let table = a.exported_table("table").unwrap();
        assert_eq!(inc.call(()).unwrap(), 1);
        assert!(matches!(rt.instantiate(&module, named()), Err(Error::DuplicateModuleName(_))));

        a.close();
        assert!(a.is_closed());
        assert!(matches!(inc.call(()), Err(Error::Closed)), "{engine}");
        assert!(matches!(untyped.call(&[]), Err(Error::Closed)), "{engine}");
        assert!(matches!(a.call("get", &[]), Err(Error::Closed)), "{engine}");
        assert!(matches!(mem.read_u8(0), Err(Error::Closed)), "{engine}");
        assert!(matches!(mem.write_u8(0, 1), Err(Error::Closed)), "{engine}");
        assert!(matches!(mem.grow(1), Err(Error::Closed)), "{engine}");
        assert!(matches!(global.set(5.into()), Err(Error::Closed)), "{engine}");
        assert!(matches!(table.set(0, kiln::Val::FuncRef(None)), Err(Error::Closed)));
        assert!(matches!(rt.register("again", &a), Err(Error::Closed)), "{engine}");
        // Reads of what the handles keep alive still answer.
        assert_eq!(global.get().i32(), Some(1));
        assert_eq!(mem.size(), 1);
        assert!(rt.module("counter").is_none());
        a.close(); // twice: nothing

        let b = rt.instantiate(&module, named()).unwrap();
        assert_eq!(b.typed_func::<(), i32>("inc").unwrap().call(()).unwrap(), 1, "{engine}");
        assert_eq!(rt.module("counter").unwrap().name(), Some("counter"));
        // Extra names go too.
        rt.register("alias", &b).unwrap();
        b.close();
        assert!(rt.module("alias").is_none() && rt.module("counter").is_none());
        rt.instantiate(&module, ModuleConfig::new().with_name("alias")).unwrap();
    }
}

/// Anonymous instances are freed when their last handle goes; named ones when closed and
/// unreferenced; an instance that others imported from lives until they are freed, and its
/// functions keep working for them after it was closed.
#[test]
fn instances_are_freed_when_nothing_reaches_them() {
    for (engine, config) in engines() {
        let rt = Runtime::with_config(config);
        let module = rt.compile(&wat::parse_str(COUNTER).unwrap()).unwrap();
        let base = rt.instance_count();
        let anon: Vec<Instance> = (0..10)
            .map(|_| rt.instantiate(&module, ModuleConfig::new().with_name("")).unwrap())
            .collect();
        assert_eq!(rt.instance_count(), base + 10, "{engine}");
        let kept = anon[3].exported_function("inc").unwrap();
        drop(anon);
        assert_eq!(rt.instance_count(), base + 1, "{engine}: a Func keeps its instance");
        assert_eq!(kept.call(&[]).unwrap()[0].i32(), Some(1));
        drop(kept);
        assert_eq!(rt.instance_count(), base, "{engine}");

        // A provider closed while an importer uses it.
        let provider = rt.instantiate(&module, ModuleConfig::new().with_name("p")).unwrap();
        let importer_wasm = wat::parse_str(
            r#"(module (import "p" "inc" (func $inc (result i32)))
                 (import "p" "memory" (memory 1))
                 (func (export "twice") (result i32) (drop (call $inc)) (call $inc)))"#,
        )
        .unwrap();
        let importer = rt.instantiate_wasm(&importer_wasm).unwrap();
        provider.close();
        drop(provider);
        assert_eq!(rt.instance_count(), base + 2, "{engine}: the importer pins the provider");
        assert_eq!(importer.typed_func::<(), i32>("twice").unwrap().call(()).unwrap(), 2);
        drop(importer);
        assert_eq!(rt.instance_count(), base, "{engine}: both freed");
        assert!(rt.module("p").is_none());
    }
}

/// Handles of one runtime given to another are refused with a typed error.
#[test]
fn handles_of_another_runtime_are_refused() {
    let (a, b) = (Runtime::new(), Runtime::new());
    let wasm = wat::parse_str(COUNTER).unwrap();
    let ia = a.instantiate_wasm(&wasm).unwrap();
    assert!(matches!(b.register("x", &ia), Err(Error::WrongRuntime)));
    let ib = b.instantiate_wasm(&wasm).unwrap();
    let f = ia.exported_function("get").unwrap();
    let table = ib.exported_table("table").unwrap();
    assert!(matches!(table.set(0, kiln::Val::FuncRef(Some(f))), Err(Error::WrongRuntime)));
}

/// Resident set size in bytes (Linux `/proc/self/statm`, pages times the page size).
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64
}

const CYCLES: usize = 100_000;

/// The measurement, run alone in a child process (so other tests' allocations do not show
/// in its RSS): `CYCLES` instantiate + call + close cycles of a named module with a memory
/// of 1 page, in one runtime; prints the RSS after the first 1,000 cycles and at the end.
#[test]
#[ignore = "run by instantiate_call_close_cycles_keep_rss_flat in a child process"]
fn rss_cycles_child() {
    let Ok(engine) = std::env::var("KILN_RSS_ENGINE") else { return };
    let config =
        if engine == "compiler" { RuntimeConfig::compiler() } else { RuntimeConfig::interpreter() };
    let rt = Runtime::with_config(config);
    let module = rt.compile(&wat::parse_str(COUNTER).unwrap()).unwrap();
    let mut warm = 0;
    let start = std::time::Instant::now();
    for i in 0..CYCLES {
        let inst = rt.instantiate(&module, ModuleConfig::new().with_name("c")).unwrap();
        inst.exported_memory("memory").unwrap().write_u32_le(64, i as u32).unwrap();
        assert_eq!(inst.typed_func::<(), i32>("inc").unwrap().call(()).unwrap(), 1);
        inst.close();
        if i == 999 {
            warm = rss_bytes();
        }
    }
    let elapsed = start.elapsed();
    println!(
        "RSS engine={engine} after_1000={warm} after_{CYCLES}={} instances={} us_per_cycle={:.2}",
        rss_bytes(),
        rt.instance_count(),
        elapsed.as_secs_f64() * 1e6 / CYCLES as f64
    );
}

/// 100,000 instantiate/call/close cycles in one runtime keep RSS flat (within 16 MiB of
/// the figure after 1,000 cycles; each instance has a 64 KiB memory, so leaking them would
/// grow it by gigabytes) and leave no instance behind.
#[test]
fn instantiate_call_close_cycles_keep_rss_flat() {
    for (engine, _) in engines() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["embedding::rss_cycles_child", "--exact", "--ignored", "--nocapture"])
            .env("KILN_RSS_ENGINE", engine)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{engine}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
        let line = stdout.lines().find(|l| l.starts_with("RSS ")).expect("the child's figures");
        eprintln!("{line}");
        let field = |k: &str| -> u64 {
            let v = line.split_whitespace().find_map(|f| f.strip_prefix(k)).unwrap();
            v.parse::<f64>().unwrap() as u64
        };
        let (warm, end) = (field("after_1000="), field(&format!("after_{CYCLES}=")));
        assert_eq!(field("instances="), 0, "{engine}: {line}");
        assert!(end < warm + (16 << 20), "{engine}: RSS grew from {warm} to {end}");
    }
}
