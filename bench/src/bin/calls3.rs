//! The calls of WebAssembly 3.0 on Kiln's compiled engine beside wasmtime: exceptions
//! thrown and caught through 10 frames, a state machine of tail calls, and a `call_ref`
//! loop (issue 12's benchmark).
//!
//! ```text
//! cargo run -p kiln-bench --release --bin calls3 [-- --samples N] [--filter NAME] [--smoke]
//! ```
//!
//! Each workload is compiled and instantiated once per engine outside the timing (Kiln:
//! `Engine::Compiler`; wasmtime 48: default Cranelift settings with exceptions, tail calls
//! and typed function references enabled), called once to warm up and check its result,
//! then timed over N samples (default 5); the table shows the median per call and Kiln's
//! time over wasmtime's (below 1: Kiln is faster). The engines must return the same
//! checksum, or the run aborts.

use kiln_bench::{KernelArgs, KilnRunner, Scale, Timing, WasmtimeRunner, Workload, fmt_ms, time};

/// `run(n)`: `n` times, throws `$e` 10 frames down and catches it at the top; the sum of
/// the payloads.
const THROW_CATCH_WAT: &str = r#"
(module
  (tag $e (param i32))
  (func $down (param $d i32) (param $x i32)
    (if (i32.eqz (local.get $d)) (then (throw $e (local.get $x))))
    (call $down (i32.sub (local.get $d) (i32.const 1)) (i32.add (local.get $x) (i32.const 1))))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $h (result i32)
          (try_table (catch $e $h) (call $down (i32.const 10) (local.get $i)))
          (unreachable))
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum)))
"#;

/// `run(n)`: `n` steps of a three-state machine whose transitions are tail calls.
const TAIL_STATES_WAT: &str = r#"
(module
  (func $a (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $b (i32.sub (local.get $n) (i32.const 1))
        (i32.add (local.get $acc) (i32.const 3))))))
  (func $b (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $c (i32.sub (local.get $n) (i32.const 1))
        (i32.xor (local.get $acc) (local.get $n))))))
  (func $c (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (if (result i32) (i32.and (local.get $n) (i32.const 1))
          (then (return_call $a (i32.sub (local.get $n) (i32.const 1))
            (i32.mul (local.get $acc) (i32.const 5))))
          (else (return_call $b (i32.sub (local.get $n) (i32.const 1))
            (i32.add (local.get $acc) (i32.const 7))))))))
  (func (export "run") (param $n i32) (result i32)
    (call $a (local.get $n) (i32.const 1))))
"#;

/// `run(n)`: `n` calls through typed function references, alternating two callees.
const CALL_REF_WAT: &str = r#"
(module
  (type $t (func (param i32) (result i32)))
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $mix (type $t) (i32.xor (i32.mul (local.get 0) (i32.const 3)) (i32.const 0x55)))
  (elem declare func $inc $mix)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32) (local $f (ref null $t)) (local $g (ref null $t))
    (local.set $f (ref.func $inc))
    (local.set $g (ref.func $mix))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x
          (call_ref $t (local.get $x)
            (select (result (ref null $t)) (local.get $f) (local.get $g)
              (i32.and (local.get $i) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $x)))
"#;

/// The workloads at `scale`.
fn workloads(scale: Scale) -> Result<Vec<Workload>, String> {
    let full = scale == Scale::Full;
    let pick = |big: i32, small: i32| if full { big } else { small };
    let w = |name: &str, wat: &str, arg: i32| -> Result<Workload, String> {
        Ok(Workload {
            name: name.into(),
            wasm: wat::parse_str(wat).map_err(|e| e.to_string())?,
            export: "run".into(),
            arg,
            iters: 1,
        })
    };
    Ok(vec![
        w("throw/catch through 10 frames", THROW_CATCH_WAT, pick(200_000, 100))?,
        w("tail-call state machine", TAIL_STATES_WAT, pick(100_000_000, 1000))?,
        w("call_ref loop", CALL_REF_WAT, pick(100_000_000, 1000))?,
    ])
}

/// Kiln compiled and wasmtime on `w`.
fn run(engine: &wasmtime::Engine, w: &Workload, samples: usize) -> Result<[Timing; 2], String> {
    let features = kiln::CoreFeatures::V2
        .union(kiln::CoreFeatures::EXCEPTIONS)
        .union(kiln::CoreFeatures::TAIL_CALL)
        .union(kiln::CoreFeatures::FUNCTION_REFERENCES);
    let config = kiln::RuntimeConfig::compiler().with_core_features(features);
    let mut kiln = KilnRunner::with_config(w, config).map_err(|e| format!("kiln: {e}"))?;
    let mut wt = WasmtimeRunner::new(engine, w).map_err(|e| format!("wasmtime: {e}"))?;
    let tk = time(&mut kiln, w, samples).map_err(|e| format!("kiln: {e}"))?;
    let tw = time(&mut wt, w, samples).map_err(|e| format!("wasmtime: {e}"))?;
    if tk.result != tw.result {
        return Err(format!(
            "RESULT MISMATCH: kiln returned {}, wasmtime returned {}",
            tk.result, tw.result
        ));
    }
    Ok([tk, tw])
}

fn main() {
    let KernelArgs { samples, filter, scale } = KernelArgs::parse("calls3");
    let mut config = wasmtime::Config::new();
    config.wasm_exceptions(true).wasm_tail_call(true).wasm_function_references(true);
    let engine = match wasmtime::Engine::new(&config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: wasmtime: {e}");
            std::process::exit(1);
        }
    };
    let ws = workloads(scale).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let mut rows = Vec::new();
    for w in ws.iter().filter(|w| filter.as_deref().is_none_or(|f| w.name.contains(f))) {
        eprintln!("running {} ({}({}), {samples} samples) ...", w.name, w.export, w.arg);
        match run(&engine, w, samples) {
            Ok(t) => rows.push((w, t)),
            Err(e) => {
                eprintln!("\nerror: {}: {e}", w.name);
                std::process::exit(1);
            }
        }
    }
    println!(
        "Kiln compiled vs wasmtime 48 ({} samples, median time per call; {} logical CPUs, {} build)\n",
        samples,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    println!("| workload | arg | result | kiln compiled (ms) | wasmtime (ms) | kiln/wasmtime |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut logs = 0.0;
    for (w, [k, t]) in &rows {
        let ratio = k.median.as_secs_f64() / t.median.as_secs_f64().max(1e-12);
        logs += ratio.ln();
        println!(
            "| {} | {} | {} | {} | {} | {ratio:.2} |",
            w.name,
            w.arg,
            k.result,
            fmt_ms(k.median),
            fmt_ms(t.median)
        );
    }
    let geo = (logs / rows.len().max(1) as f64).exp();
    println!("| geometric mean | | | | | {geo:.2} |");
}
