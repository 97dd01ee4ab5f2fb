//! `kiln-fuzz load`: limits under load (issue 14, item 4).
//!
//! ```text
//! kiln-fuzz load [--threads N] [--minutes M | --iters N] [--seed S]
//! ```
//!
//! Every thread owns its runtimes: each iteration creates a [`Runtime`] (engines
//! alternate: interpreter, compiler), compiles the [`MODULE`], instantiates it, calls it so
//! that every limit is reached once, checks each outcome, and drops everything. Limits and
//! what must hold:
//! - memory: the runtime's limit is [`LIMIT_PAGES`] pages (64 KiB each); `memory.grow`
//!   within the limit succeeds, past it returns -1, and instantiating a module whose minimum
//!   is above the limit is a typed [`Error`], not an allocation;
//! - table: `table.grow` past the table's declared maximum returns -1;
//! - stack: unbounded recursion traps with [`TrapCode::CallStackExhausted`];
//! - time: an endless loop is stopped by [`kiln::InterruptHandle::interrupt`] from another
//!   thread (every [`INTERRUPT_AFTER`] until the call returns) and traps with
//!   [`TrapCode::Interrupted`];
//! - results: a checksum over memory the guest filled equals the host's.
//!
//! Nothing may leak: the process's resident set size (`/proc/self/statm`) is sampled after
//! a warm-up (the first tenth of the run) and at the end; the run fails when it grew by more
//! than [`RSS_SLACK_BYTES`]. The run ends with one line per limit, the RSS figures and
//! `load: N iterations, N failures`; the exit status is 1 on any failure.

use kiln::{Engine, Error, Runtime, RuntimeConfig, TrapCode, Val};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The memory limit of every runtime, in 64 KiB pages.
pub const LIMIT_PAGES: u64 = 16;
/// How long the endless loop runs before another thread interrupts it.
pub const INTERRUPT_AFTER: Duration = Duration::from_millis(2);
/// How much the resident set may grow between the end of the warm-up and the end, in bytes.
pub const RSS_SLACK_BYTES: u64 = 16 << 20;

/// The module every iteration runs (the memory starts at 1 page, the table at 1 element
/// with a maximum of 4).
pub const MODULE: &str = r#"
(module
  (memory (export "mem") 1)
  (table 1 4 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "table_grow") (param i32) (result i32)
    (table.grow (ref.null func) (local.get 0)))
  (func $deep (export "deep") (param i64) (result i64)
    (i64.add (call $deep (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
  (func (export "spin") (loop (br 0)))
  ;; Fills bytes [0, n) with i * seed (mod 256) and returns their sum.
  (func (export "fill_sum") (param $n i32) (param $seed i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (local.get $i) (i32.mul (local.get $i) (local.get $seed)))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum)))
"#;

/// A module whose minimum memory is above [`LIMIT_PAGES`].
const TOO_BIG: &str = r#"(module (memory 17))"#;

/// The checks, in the order of [`Counters`].
const CHECKS: [&str; 7] = [
    "memory.grow within the limit",
    "memory.grow past the limit returns -1",
    "instantiation above the limit refused",
    "table.grow past the maximum returns -1",
    "recursion traps: call stack exhausted",
    "endless loop interrupted",
    "checksum equals the host's",
];

/// Per-check pass counts, shared by the threads.
#[derive(Default)]
struct Counters {
    passed: [AtomicU64; CHECKS.len()],
    iterations: AtomicU64,
    failures: Mutex<Vec<String>>,
}

impl Counters {
    fn check(&self, index: usize, ok: Result<(), String>, engine: Engine, iteration: u64) {
        match ok {
            Ok(()) => {
                self.passed[index].fetch_add(1, Ordering::Relaxed);
            }
            Err(what) => self
                .failures
                .lock()
                .unwrap()
                .push(format!("iteration {iteration} on {engine:?}: {}: {what}", CHECKS[index])),
        }
    }
}

/// Runs the load test; returns the process exit status.
pub fn run(threads: usize, seed: u64, iters: u64, deadline: Option<Instant>) -> i32 {
    let compiled =
        cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")));
    let engines: &[Engine] =
        if compiled { &[Engine::Interpreter, Engine::Compiler] } else { &[Engine::Interpreter] };
    let wasm = Arc::new(wat::parse_str(MODULE).expect("MODULE is valid text"));
    let too_big = Arc::new(wat::parse_str(TOO_BIG).expect("TOO_BIG is valid text"));
    let counters = Arc::new(Counters::default());
    let start = Instant::now();
    let warm_up = deadline.map(|d| start + (d - start) / 10);
    let rss_warm = Arc::new(Mutex::new(None::<u64>));
    let rss_start = rss_bytes();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (wasm, too_big, counters, rss_warm) =
                (wasm.clone(), too_big.clone(), counters.clone(), rss_warm.clone());
            let engines = engines.to_vec();
            std::thread::spawn(move || {
                let per_thread = iters.div_ceil(threads as u64);
                for i in 0..per_thread {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        break;
                    }
                    if t == 0 && warm_up.is_some_and(|w| Instant::now() >= w) {
                        rss_warm.lock().unwrap().get_or_insert_with(rss_bytes);
                    }
                    let iteration = seed + (t as u64) * per_thread + i;
                    let engine = engines[(iteration as usize) % engines.len()];
                    iterate(engine, iteration, &wasm, &too_big, &counters);
                    counters.iterations.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let mut crashed = 0;
    for h in handles {
        if h.join().is_err() {
            crashed += 1;
        }
    }
    let rss_end = rss_bytes();
    let rss_warm = rss_warm.lock().unwrap().unwrap_or(rss_start);
    let iterations = counters.iterations.load(Ordering::Relaxed);
    let mut failures = std::mem::take(&mut *counters.failures.lock().unwrap());
    if crashed > 0 {
        failures.push(format!("{crashed} threads panicked"));
    }
    let growth = rss_end.saturating_sub(rss_warm);
    if growth > RSS_SLACK_BYTES {
        failures.push(format!(
            "resident set grew by {} KiB after the warm-up (slack {} KiB)",
            growth >> 10,
            RSS_SLACK_BYTES >> 10
        ));
    }
    for f in failures.iter().take(20) {
        println!("FAIL {f}");
    }
    println!(
        "load: {threads} threads, {:.1} s, engines {engines:?}, memory limit {LIMIT_PAGES} pages",
        start.elapsed().as_secs_f64()
    );
    for (name, passed) in CHECKS.iter().zip(&counters.passed) {
        println!("  {name}: {} passed", passed.load(Ordering::Relaxed));
    }
    println!(
        "  RSS: {} KiB at start, {} KiB after the warm-up, {} KiB at the end",
        rss_start >> 10,
        rss_warm >> 10,
        rss_end >> 10
    );
    println!("load: {iterations} iterations, {} failures", failures.len());
    i32::from(!failures.is_empty())
}

/// One iteration: a fresh runtime on `engine`, every limit reached once, all dropped.
fn iterate(engine: Engine, iteration: u64, wasm: &[u8], too_big: &[u8], counters: &Counters) {
    let config = RuntimeConfig::new()
        .with_engine(engine)
        .with_memory_limit_pages(LIMIT_PAGES)
        .with_max_call_depth(2_000)
        .with_interruption(true);
    let rt = Runtime::with_config(config);
    let check = |index, ok| counters.check(index, ok, engine, iteration);
    let instance = match rt.instantiate_wasm(wasm) {
        Ok(i) => i,
        Err(e) => {
            check(0, Err(format!("instantiation failed: {e}")));
            return;
        }
    };
    let call_i32 = |name: &str, args: &[Val]| -> Result<i32, String> {
        match instance.call(name, args).map_err(|e| e.to_string())?.as_slice() {
            [Val::I32(v)] => Ok(*v),
            other => Err(format!("{name} returned {other:?}")),
        }
    };
    let within = (LIMIT_PAGES - 1) as i32;
    check(0, expect(call_i32("grow", &[Val::I32(within)]), 1));
    check(1, expect(call_i32("grow", &[Val::I32(1)]), -1));
    check(
        2,
        match rt.instantiate_wasm(too_big) {
            Err(Error::Resource(_)) | Err(Error::Link(_)) => Ok(()),
            other => Err(format!("expected a typed limit error, got {:?}", other.map(|_| ()))),
        },
    );
    check(3, expect(call_i32("table_grow", &[Val::I32(4)]), -1));
    check(4, expect_trap(instance.call("deep", &[Val::I64(0)]), TrapCode::CallStackExhausted));
    // The timer interrupts every INTERRUPT_AFTER until the call has returned; an interrupt
    // stays tripped until it is reset, so one that lands before the call starts is not
    // lost, and the runtime is reset once the timer has stopped.
    let handle = rt.interrupt_handle();
    let returned = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let timer = {
        let returned = returned.clone();
        std::thread::spawn(move || {
            while !returned.load(Ordering::Acquire) {
                std::thread::sleep(INTERRUPT_AFTER);
                handle.interrupt();
            }
        })
    };
    check(5, expect_trap(instance.call("spin", &[]), TrapCode::Interrupted));
    returned.store(true, Ordering::Release);
    timer.join().expect("the timer thread does not panic");
    rt.reset_interrupt();
    let n = 4096 + (iteration % 4096) as i32;
    let guest_seed = (iteration % 251) as i32 + 1;
    let host: i32 = (0..n).map(|i| i.wrapping_mul(guest_seed) & 0xff).sum();
    check(6, expect(call_i32("fill_sum", &[Val::I32(n), Val::I32(guest_seed)]), host));
}

fn expect(got: Result<i32, String>, want: i32) -> Result<(), String> {
    match got {
        Ok(v) if v == want => Ok(()),
        Ok(v) => Err(format!("got {v}, expected {want}")),
        Err(e) => Err(e),
    }
}

fn expect_trap(got: Result<Vec<Val>, Error>, code: TrapCode) -> Result<(), String> {
    match got {
        Err(Error::Trap(t)) if t.code() == code => Ok(()),
        other => Err(format!("expected the trap {code:?}, got {other:?}")),
    }
}

/// The process's resident set size in bytes (`/proc/self/statm`, second field, in pages);
/// 0 where that file does not exist.
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    // SAFETY: sysconf has no preconditions; it only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * page.max(0) as u64
}
