//! Kiln's benchmarks: CPU-bound workloads run on Kiln and on a peer engine (wasmi), timed
//! and printed side by side as ratios.
//!
//! Every workload is a module exporting `run: (i32) -> i32` that computes a checksum of
//! work sized by its argument; both engines must return the same checksum.
//!
//! Run with `cargo run -p kiln-bench --release --bin interp` (see [`KernelArgs`]); wasmi
//! runs in a process of its own, the `wasmi-kernel` binary ([`time_in_wasmi_process`]).

#![warn(missing_docs)]

use std::time::Duration;

mod in_turn;
mod timing;
mod wasmi_process;
mod wasmi_runner;
mod wasmtime_runner;
pub use in_turn::in_turn;
pub use timing::{Runner, Timing, WARM_UP, Workload, time, time_interleaved};
pub use wasmi_process::{time_in_wasmi_process, time_interleaved_with_wasmi, wasmi_kernel_exe};
pub use wasmi_runner::WasmiRunner;
pub use wasmtime_runner::WasmtimeRunner;

/// Recursive Fibonacci: `run(n)` = fib(n). Call-heavy.
pub const FIB_WAT: &str = r#"
(module
  (func $fib (export "run") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
"#;

/// Sieve of Eratosthenes over one byte per number in linear memory: `run(n)` = the number
/// of primes below `n` (n capped at 2^20).
pub const SIEVE_WAT: &str = r#"
(module
  (memory 17)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (if (i32.gt_u (local.get $n) (i32.const 1048576)) (then (local.set $n (i32.const 1048576))))
    ;; mark 2..n as candidates
    (local.set $i (i32.const 0))
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (local.get $i) (i32.ge_u (local.get $i) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    ;; strike out multiples
    (local.set $i (i32.const 2))
    (block $done (loop $outer
      (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
      (if (i32.load8_u (local.get $i))
        (then
          (local.set $j (i32.mul (local.get $i) (local.get $i)))
          (block $inner_done (loop $inner
            (br_if $inner_done (i32.ge_u (local.get $j) (local.get $n)))
            (i32.store8 (local.get $j) (i32.const 0))
            (local.set $j (i32.add (local.get $j) (local.get $i)))
            (br $inner)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $outer)))
    ;; count
    (local.set $i (i32.const 0))
    (block $done (loop $cnt
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $count (i32.add (local.get $count) (i32.load8_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $cnt)))
    (local.get $count)))
"#;

/// Dense f64 matrix multiply C = A x B of `n` x `n` matrices (n capped at 128) in linear
/// memory: `run(n)` = the sum of C's elements weighted by column (j + 1), truncated to i32.
pub const MATMUL_WAT: &str = r#"
(module
  (memory 8)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $k i32) (local $nn i32)
    (local $b i32) (local $c i32) (local $row i32)
    (local $acc f64) (local $sum f64)
    (if (i32.gt_u (local.get $n) (i32.const 128)) (then (local.set $n (i32.const 128))))
    (local.set $nn (i32.mul (local.get $n) (local.get $n)))
    (local.set $b (i32.shl (local.get $nn) (i32.const 3)))
    (local.set $c (i32.shl (local.get $nn) (i32.const 4)))
    ;; A[i] = (i mod 7) - 2, B[i] = (i mod 5) / 2
    (local.set $i (i32.const 0))
    (block $done (loop $init
      (br_if $done (i32.ge_u (local.get $i) (local.get $nn)))
      (f64.store (i32.shl (local.get $i) (i32.const 3))
        (f64.convert_i32_s (i32.sub (i32.rem_u (local.get $i) (i32.const 7)) (i32.const 2))))
      (f64.store (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))
        (f64.mul (f64.convert_i32_u (i32.rem_u (local.get $i) (i32.const 5))) (f64.const 0.5)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $init)))
    ;; C = A x B
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.mul (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $acc (f64.const 0))
        (local.set $k (i32.const 0))
        (block $kdone (loop $kloop
          (br_if $kdone (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc
            (f64.add (local.get $acc)
              (f64.mul
                (f64.load (i32.shl (i32.add (local.get $row) (local.get $k)) (i32.const 3)))
                (f64.load (i32.add (local.get $b)
                  (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kloop)))
        (f64.store (i32.add (local.get $c) (i32.shl (i32.add (local.get $row) (local.get $j)) (i32.const 3)))
          (local.get $acc))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $acc) (f64.convert_i32_u (i32.add (local.get $j) (i32.const 1))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    (i32.trunc_sat_f64_s (local.get $sum))))
"#;

/// The options the kernel benchmarks (`interp`, `aot`, `calls3`) share.
#[derive(Clone, Debug)]
pub struct KernelArgs {
    /// Timed samples per workload (`--samples N`, default 5).
    pub samples: usize,
    /// Only workloads whose name contains this (`--filter SUBSTRING`).
    pub filter: Option<String>,
    /// `--smoke`: the small workload sizes.
    pub scale: Scale,
}

impl KernelArgs {
    /// Parses the process's arguments (`--bench`, which `cargo bench` passes, is ignored);
    /// anything else prints `usage: <bin> [--samples N] [--filter SUBSTRING] [--smoke]`
    /// and exits with status 2.
    pub fn parse(bin: &str) -> Self {
        let usage = || -> ! {
            eprintln!("usage: {bin} [--samples N] [--filter SUBSTRING] [--smoke]");
            std::process::exit(2);
        };
        let mut parsed = KernelArgs { samples: 5, filter: None, scale: Scale::Full };
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            match a.as_str() {
                "--samples" => {
                    parsed.samples =
                        args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage())
                }
                "--filter" => parsed.filter = Some(args.next().unwrap_or_else(|| usage())),
                "--smoke" => parsed.scale = Scale::Smoke,
                "--bench" => {}
                _ => usage(),
            }
        }
        parsed
    }
}

/// Size of the workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// The benchmark sizes: each call takes tens to hundreds of milliseconds.
    Full,
    /// Tiny sizes, for checking that everything runs and agrees (tests, CI).
    Smoke,
}

/// The workloads: fib, sieve and matmul in wat, and the C kernels from `tests/c/kernels.c`
/// built with `python3 -m ziglang cc -target wasm32-freestanding`.
///
/// # Errors
/// When the wat does not parse or the C kernels cannot be built (for example when
/// `python3 -m ziglang` is missing: run `scripts/setup-deps.sh`).
pub fn workloads(scale: Scale) -> Result<Vec<Workload>, String> {
    let full = scale == Scale::Full;
    let pick = |big: i32, small: i32| if full { big } else { small };
    let wat = |src: &str| wat::parse_str(src).map_err(|e| e.to_string());
    let kernels = kiln_tests::kernels_wasm()?;
    let mut w = vec![
        Workload {
            name: "fib (wat)".into(),
            wasm: wat(FIB_WAT)?,
            export: "run".into(),
            arg: pick(30, 15),
            iters: 1,
        },
        Workload {
            name: "sieve (wat)".into(),
            wasm: wat(SIEVE_WAT)?,
            export: "run".into(),
            arg: pick(1_000_000, 1000),
            iters: 1,
        },
        Workload {
            name: "matmul f64 (wat)".into(),
            wasm: wat(MATMUL_WAT)?,
            export: "run".into(),
            arg: pick(120, 8),
            iters: 1,
        },
    ];
    let c = |name: &str, export: &str, arg: i32| Workload {
        name: format!("{name} (C)"),
        wasm: kernels.clone(),
        export: export.into(),
        arg,
        iters: 1,
    };
    w.push(c("crc32", "crc32_bench", pick(16, 1)));
    w.push(c("sha256", "sha256_bench", pick(64, 1)));
    w.push(Workload {
        iters: if full { 10 } else { 1 },
        ..c("quicksort", "quicksort_bench", pick(16384, 100))
    });
    w.push(c("mandelbrot", "mandelbrot", pick(200, 8)));
    w.push(c("nbody", "nbody", pick(100_000, 100)));
    Ok(w)
}

/// Kiln (the interpreter by default) running one workload.
pub struct KilnRunner {
    // The instance and function borrow the runtime's store; keep the runtime alive.
    _runtime: kiln::Runtime,
    func: kiln::TypedFunc<i32, i32>,
}

impl KilnRunner {
    /// Compiles and instantiates `w` on Kiln's interpreter.
    ///
    /// # Errors
    /// Compilation, instantiation or export lookup failures, as text.
    pub fn new(w: &Workload) -> Result<Self, String> {
        Self::with_config(w, kiln::RuntimeConfig::interpreter())
    }

    /// Compiles and instantiates `w` on a Kiln runtime with `config` (any engine).
    ///
    /// # Errors
    /// Compilation, instantiation or export lookup failures, as text.
    pub fn with_config(w: &Workload, config: kiln::RuntimeConfig) -> Result<Self, String> {
        let runtime = kiln::Runtime::with_config(config);
        let module = runtime.compile(&w.wasm).map_err(|e| e.to_string())?;
        let instance =
            runtime.instantiate(&module, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
        let func = instance.typed_func::<i32, i32>(&w.export).map_err(|e| e.to_string())?;
        Ok(Self { _runtime: runtime, func })
    }
}

impl Runner for KilnRunner {
    fn call(&mut self, arg: i32) -> Result<i32, String> {
        self.func.call(arg).map_err(|e| e.to_string())
    }
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Row {
    /// The workload's name.
    pub name: String,
    /// Its argument.
    pub arg: i32,
    /// Kiln's interpreter.
    pub kiln: Timing,
    /// wasmi.
    pub wasmi: Timing,
}

impl Row {
    /// Kiln's median time divided by wasmi's (below 1: Kiln is faster).
    pub fn ratio(&self) -> f64 {
        self.kiln.median.as_secs_f64() / self.wasmi.median.as_secs_f64().max(1e-12)
    }
}

/// Runs `w` on both engines (compile and instantiate untimed), checks that they agree,
/// and times them.
///
/// # Errors
/// When either engine fails, or when their checksums differ.
pub fn run_workload(w: &Workload, samples: usize) -> Result<Row, String> {
    let mut kiln = KilnRunner::new(w).map_err(|e| format!("{}: kiln: {e}", w.name))?;
    let (tk, tw) = time_interleaved_with_wasmi(&mut [&mut kiln], w, samples)
        .map_err(|(i, e)| format!("{}: {}: {e}", w.name, ["kiln", "wasmi"][i]))?;
    let [tk]: [Timing; 1] = tk.try_into().expect("one timing per runner");
    if tk.result != tw.result {
        return Err(format!(
            "RESULT MISMATCH in {} ({}({})): kiln returned {} ({:#x}), wasmi returned {} ({:#x})",
            w.name, w.export, w.arg, tk.result, tk.result, tw.result, tw.result
        ));
    }
    Ok(Row { name: w.name.clone(), arg: w.arg, kiln: tk, wasmi: tw })
}

/// `d` in milliseconds with two decimals.
pub fn fmt_ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

/// The rows as a Markdown table, ready to paste into a report.
pub fn table(rows: &[Row]) -> String {
    let mut s = String::new();
    s.push_str("| workload | arg | result | kiln interp (ms) | wasmi (ms) | kiln/wasmi |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|\n");
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {:.2} |\n",
            r.name,
            r.arg,
            r.kiln.result,
            fmt_ms(r.kiln.median),
            fmt_ms(r.wasmi.median),
            r.ratio()
        ));
    }
    let geo = (rows.iter().map(|r| r.ratio().ln()).sum::<f64>() / rows.len().max(1) as f64).exp();
    s.push_str(&format!("| geometric mean | | | | | {geo:.2} |\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kiln's interpreter on `w` beside wasmi in this process: both checksums.
    fn both(w: &Workload) -> (i32, i32) {
        let mut kiln = KilnRunner::new(w).unwrap_or_else(|e| panic!("{}: kiln: {e}", w.name));
        let mut wasmi = WasmiRunner::new(w).unwrap_or_else(|e| panic!("{}: wasmi: {e}", w.name));
        let tk = time(&mut kiln, w, 1).unwrap_or_else(|e| panic!("{}: kiln: {e}", w.name));
        let tw = time(&mut wasmi, w, 1).unwrap_or_else(|e| panic!("{}: wasmi: {e}", w.name));
        (tk.result, tw.result)
    }

    /// Every workload, at smoke size, runs on both engines and they agree.
    #[test]
    fn smoke_workloads_agree_between_engines() {
        let ws = workloads(Scale::Smoke).unwrap_or_else(|e| panic!("{e}"));
        for w in &ws {
            let (kiln, wasmi) = both(w);
            assert_eq!(kiln, wasmi, "{}", w.name);
        }
        // Known answers.
        assert_eq!(both(&ws[0]).0, 610, "fib(15)");
        assert_eq!(both(&ws[1]).0, 168, "primes below 1000");
    }
}
