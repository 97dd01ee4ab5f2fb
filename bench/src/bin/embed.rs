//! What an embedding server pays per request, Kiln (compiled) beside wasmtime with its
//! default (on-demand) instance allocator and with its pooling allocator, in one run:
//!
//! - `small: instantiate+call+drop`: a fresh runtime (Kiln) or store (wasmtime), an
//!   instance of a small module (one page of memory, a table, a mutable global, two
//!   functions) compiled once beforehand, one call, and dropping it all;
//! - `lua: instantiate+drop`: the same with Lua 5.4 built for WASI (`.programs/wasm/lua.wasm`),
//!   its 1 MiB+ data segments and WASI imports included (Kiln registers its
//!   `wasi_snapshot_preview1` in each runtime, timed; wasmtime's imports are trapping stubs in
//!   a `Linker` built once, untimed), without running `_start`;
//! - the same two `on N threads`: every logical CPU runs the loop at once (Kiln: one
//!   `CompiledModule` shared by all threads, a runtime per iteration; wasmtime: one `Engine`,
//!   `Module` and `Linker` shared, a `Store` per iteration), timed as wall time over all
//!   iterations of all threads, so the figure is the inverse of the throughput;
//! - `host->wasm call`: a typed call of an exported `(i32) -> i32` function;
//! - `wasm->host call`: a wasm loop calling an imported `(i32) -> i32` host function.
//!
//! Medians over many repetitions (the threaded rows: the median of 5 rounds), in µs per
//! iteration or ns per call, with the ratio Kiln / peer (below 1.0: Kiln is faster).
//!
//! ```text
//! cargo run -p kiln-bench --release --bin embed [-- --iters N]
//! ```
//!
//! Lua's row needs `.programs` (`scripts/fetch-programs.sh`; `$KILN_PROGRAMS_DIR` overrides
//! the directory); without it the row says so.

use std::time::{Duration, Instant};

/// The small module: an accumulator in a mutable global, a table holding its function.
const SMALL: &str = r#"(module
  (import "env" "h" (func $h (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $acc (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $inc)
  (func $inc (export "inc") (param i32) (result i32)
    (global.set $acc (i32.add (global.get $acc) (local.get 0)))
    (global.get $acc))
  (func (export "call_host") (param $n i32) (result i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (call $h (local.get $s)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s)))"#;

/// Host calls per sample of the `wasm->host` row, typed calls per sample of `host->wasm`.
const CALLS: u32 = 100_000;

fn usage() -> ! {
    eprintln!("usage: embed [--iters N]");
    std::process::exit(2);
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn kiln_runtime() -> kiln::Runtime {
    let rt = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
    rt.host_module("env").func("h", |x: i32| x.wrapping_add(1)).instantiate().expect("env");
    rt
}

fn wasmtime_engine(pooling: bool) -> wasmtime::Engine {
    let mut config = wasmtime::Config::new();
    if pooling {
        let mut pool = wasmtime::PoolingAllocationConfig::default();
        pool.total_memories(64).total_tables(64).total_core_instances(64);
        config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
    }
    wasmtime::Engine::new(&config).expect("wasmtime engine")
}

fn wasmtime_linker(engine: &wasmtime::Engine) -> wasmtime::Linker<()> {
    let mut linker = wasmtime::Linker::new(engine);
    linker.func_wrap("env", "h", |x: i32| x.wrapping_add(1)).expect("env.h");
    linker
}

/// One row: Kiln's and the two wasmtime configurations' medians.
struct Row {
    name: String,
    unit: &'static str,
    kiln: f64,
    default: f64,
    pooling: f64,
}

fn print(rows: &[Row]) {
    println!(
        "| workload | unit | Kiln | wasmtime | wasmtime pooling | Kiln/wasmtime | Kiln/pooling |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            r.name,
            r.unit,
            r.kiln,
            r.default,
            r.pooling,
            r.kiln / r.default,
            r.kiln / r.pooling
        );
    }
}

/// One iteration of an instantiation workload on one engine.
type Job = Box<dyn Fn() -> Result<(), String> + Send + Sync>;

/// The median time of one call of each of `jobs`, over `iters` rounds that run them in turn.
fn single_thread(jobs: &[Job; 3], iters: usize) -> Result<[f64; 3], String> {
    let mut times =
        [Vec::with_capacity(iters), Vec::with_capacity(iters), Vec::with_capacity(iters)];
    for _ in 0..iters {
        for (job, t) in jobs.iter().zip(&mut times) {
            let start = Instant::now();
            job()?;
            t.push(start.elapsed());
        }
    }
    Ok(times.map(|t| median(t).as_secs_f64() * 1e6))
}

/// Wall time per iteration, in µs, of `threads` threads each calling `job` `iters` times at
/// once: the median of 5 rounds.
fn all_threads(job: &Job, threads: usize, iters: usize) -> Result<f64, String> {
    let mut rounds = Vec::new();
    for _ in 0..5 {
        let barrier = std::sync::Barrier::new(threads + 1);
        let wall = std::thread::scope(|s| -> Result<Duration, String> {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| -> Result<(), String> {
                        barrier.wait();
                        (0..iters).try_for_each(|_| job())
                    })
                })
                .collect();
            barrier.wait();
            let start = Instant::now();
            for h in handles {
                h.join().map_err(|_| "a benchmark thread panicked".to_string())??;
            }
            Ok(start.elapsed())
        })?;
        rounds.push(wall / (threads * iters) as u32);
    }
    Ok(median(rounds).as_secs_f64() * 1e6)
}

/// The instantiation rows of `name`: single-threaded, then on all logical CPUs.
fn instantiation_rows(name: &str, jobs: [Job; 3], iters: usize) -> Result<Vec<Row>, String> {
    let [kiln, default, pooling] = single_thread(&jobs, iters)?;
    let mut rows = vec![Row { name: name.into(), unit: "µs", kiln, default, pooling }];
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = (iters / threads).max(10);
    let [k, d, p] = [0, 1, 2].map(|i| all_threads(&jobs[i], threads, per_thread));
    rows.push(Row {
        name: format!("{name}, on {threads} threads"),
        unit: "µs",
        kiln: k?,
        default: d?,
        pooling: p?,
    });
    Ok(rows)
}

fn small_rows(iters: usize) -> Result<Vec<Row>, String> {
    let wasm = wat::parse_str(SMALL).map_err(|e| e.to_string())?;
    let base = kiln_runtime();
    let module = base.compile(&wasm).map_err(|e| e.to_string())?;
    let engines = [wasmtime_engine(false), wasmtime_engine(true)];
    let wmods = engines
        .iter()
        .map(|e| wasmtime::Module::new(e, &wasm).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let linkers: Vec<_> = engines.iter().map(wasmtime_linker).collect();

    // Instantiate + call + drop.
    let kiln_module = module.clone();
    let kiln_job: Job = Box::new(move || {
        let rt = kiln_runtime();
        let inst =
            rt.instantiate(&kiln_module, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
        let r = inst.typed_func::<i32, i32>("inc").and_then(|f| f.call(2));
        drop(std::hint::black_box((r, inst, rt)));
        Ok(())
    });
    let wasmtime_job = |i: usize| -> Job {
        let (engine, module, linker) = (engines[i].clone(), wmods[i].clone(), linkers[i].clone());
        Box::new(move || {
            let mut store = wasmtime::Store::new(&engine, ());
            let inst = linker.instantiate(&mut store, &module).map_err(|e| e.to_string())?;
            let f =
                inst.get_typed_func::<i32, i32>(&mut store, "inc").map_err(|e| e.to_string())?;
            let r = f.call(&mut store, 2).map_err(|e| e.to_string())?;
            drop(std::hint::black_box((r, inst, store)));
            Ok(())
        })
    };
    let jobs = [kiln_job, wasmtime_job(0), wasmtime_job(1)];
    let mut rows = instantiation_rows("small: instantiate+call+drop", jobs, iters)?;

    // Calls, in one long-lived instance each.
    let rt = kiln_runtime();
    let inst = rt.instantiate(&module, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
    let inc = inst.typed_func::<i32, i32>("inc").map_err(|e| e.to_string())?;
    let call_host = inst.typed_func::<i32, i32>("call_host").map_err(|e| e.to_string())?;
    let mut stores = Vec::new();
    for i in 0..2 {
        let mut store = wasmtime::Store::new(&engines[i], ());
        let inst = linkers[i].instantiate(&mut store, &wmods[i]).map_err(|e| e.to_string())?;
        let inc = inst.get_typed_func::<i32, i32>(&mut store, "inc").map_err(|e| e.to_string())?;
        let host =
            inst.get_typed_func::<i32, i32>(&mut store, "call_host").map_err(|e| e.to_string())?;
        stores.push((store, inc, host));
    }
    let samples = (iters / 100).max(5);
    let (mut k_in, mut k_out) = (Vec::new(), Vec::new());
    let (mut w_in, mut w_out) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for _ in 0..samples {
        let t = Instant::now();
        for _ in 0..CALLS {
            std::hint::black_box(inc.call(1).map_err(|e| e.to_string())?);
        }
        k_in.push(t.elapsed());
        let t = Instant::now();
        let got = call_host.call(CALLS as i32).map_err(|e| e.to_string())?;
        k_out.push(t.elapsed());
        if got != CALLS as i32 {
            return Err(format!("Kiln's host loop returned {got}"));
        }
        for (i, (store, inc, host)) in stores.iter_mut().enumerate() {
            let t = Instant::now();
            for _ in 0..CALLS {
                std::hint::black_box(inc.call(&mut *store, 1).map_err(|e| e.to_string())?);
            }
            w_in[i].push(t.elapsed());
            let t = Instant::now();
            let got = host.call(&mut *store, CALLS as i32).map_err(|e| e.to_string())?;
            w_out[i].push(t.elapsed());
            if got != CALLS as i32 {
                return Err(format!("wasmtime's host loop returned {got}"));
            }
        }
    }
    let per_call = |d: Duration| d.as_secs_f64() * 1e9 / f64::from(CALLS);
    let [w_in0, w_in1] = w_in;
    let [w_out0, w_out1] = w_out;
    rows.push(Row {
        name: "host->wasm call".into(),
        unit: "ns",
        kiln: per_call(median(k_in)),
        default: per_call(median(w_in0)),
        pooling: per_call(median(w_in1)),
    });
    rows.push(Row {
        name: "wasm->host call".into(),
        unit: "ns",
        kiln: per_call(median(k_out)),
        default: per_call(median(w_out0)),
        pooling: per_call(median(w_out1)),
    });
    Ok(rows)
}

fn lua_rows(iters: usize) -> Result<Vec<Row>, String> {
    let dir = std::env::var_os("KILN_PROGRAMS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(".programs"));
    let path = dir.join("wasm/lua.wasm");
    let wasm = std::fs::read(&path)
        .map_err(|e| format!("{}: {e} (run scripts/fetch-programs.sh)", path.display()))?;
    let base = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
    let module = base.compile(&wasm).map_err(|e| e.to_string())?;
    let engines = [wasmtime_engine(false), wasmtime_engine(true)];
    let mut wmods = Vec::new();
    let mut linkers = Vec::new();
    for e in &engines {
        let m = wasmtime::Module::new(e, &wasm).map_err(|e| e.to_string())?;
        let mut linker = wasmtime::Linker::<()>::new(e);
        linker.define_unknown_imports_as_traps(&m).map_err(|e| e.to_string())?;
        wmods.push(m);
        linkers.push(linker);
    }
    let kiln_job: Job = Box::new(move || {
        let rt = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
        kiln::wasi::instantiate(&rt).map_err(|e| e.to_string())?;
        let config = kiln::ModuleConfig::new().with_start_functions(Vec::<String>::new());
        let inst = rt.instantiate(&module, config).map_err(|e| e.to_string())?;
        drop(std::hint::black_box((inst, rt)));
        Ok(())
    });
    let wasmtime_job = |i: usize| -> Job {
        let (engine, module, linker) = (engines[i].clone(), wmods[i].clone(), linkers[i].clone());
        Box::new(move || {
            let mut store = wasmtime::Store::new(&engine, ());
            let inst = linker.instantiate(&mut store, &module).map_err(|e| e.to_string())?;
            drop(std::hint::black_box((inst, store)));
            Ok(())
        })
    };
    let jobs = [kiln_job, wasmtime_job(0), wasmtime_job(1)];
    instantiation_rows("lua: instantiate+drop", jobs, (iters / 4).max(10))
}

fn main() {
    let mut iters = 20_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--iters" => {
                iters = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    let mut rows = match small_rows(iters) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("embed: {e}");
            std::process::exit(1);
        }
    };
    match lua_rows(iters) {
        Ok(lua) => {
            rows.splice(2..2, lua);
        }
        Err(e) => eprintln!("embed: lua rows skipped: {e}"),
    }
    print(&rows);
}
