//! Kiln compiled beside wasmtime, call by call: `pair [--rounds N] [--filter NAME]`.
//!
//! On a loaded machine the `aot` benchmark's medians drift between the engines' runs, which
//! are seconds apart. Here each round times one call on Kiln (an artifact at the default,
//! baseline CPU level, loaded as `aot` loads it) and then one on wasmtime (default engine),
//! so both see the same load; it prints the median of the per-round ratios and the ratio of
//! the fastest calls.

use kiln_bench::{Runner, WasmtimeRunner, Workload, workloads};
use std::time::{Duration, Instant};

/// Kiln compiled, loaded from an artifact file.
struct KilnArtifact {
    _runtime: kiln::Runtime,
    func: kiln::TypedFunc<i32, i32>,
}

impl KilnArtifact {
    fn new(w: &Workload) -> Result<Self, String> {
        let bytes = kiln::aot::compile_artifact(&w.wasm, &kiln::aot::AotOptions::default())
            .map_err(|e| e.to_string())?;
        let path = std::env::temp_dir().join(format!("kiln-pair-{}.kiln", std::process::id()));
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        let runtime = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
        // SAFETY: the benchmark loads only the artifact it just compiled and wrote.
        let module = unsafe { runtime.load_artifact_unsigned(&path) }.map_err(|e| e.to_string());
        let _ = std::fs::remove_file(&path);
        let instance =
            runtime.instantiate(&module?, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
        let func = instance.typed_func::<i32, i32>(&w.export).map_err(|e| e.to_string())?;
        Ok(Self { _runtime: runtime, func })
    }
}

impl Runner for KilnArtifact {
    fn call(&mut self, arg: i32) -> Result<i32, String> {
        self.func.call(arg).map_err(|e| e.to_string())
    }
}

/// Times `w.iters` calls.
fn sample(r: &mut dyn Runner, w: &Workload, expect: i32) -> Result<Duration, String> {
    let t = Instant::now();
    for _ in 0..w.iters {
        let got = std::hint::black_box(r.call(std::hint::black_box(w.arg))?);
        if got != expect {
            return Err(format!("{}: returned {got}, expected {expect}", w.name));
        }
    }
    Ok(t.elapsed())
}

fn run(rounds: usize, filter: Option<&str>) -> Result<(), String> {
    let engine = wasmtime::Engine::default();
    println!("| workload | kiln min (ms) | wasmtime min (ms) | min ratio | median of ratios |");
    println!("|---|---:|---:|---:|---:|");
    for w in workloads(kiln_bench::Scale::Full)?
        .into_iter()
        .filter(|w| filter.is_none_or(|f| w.name.contains(f)))
    {
        let mut k = KilnArtifact::new(&w)?;
        let mut wt = WasmtimeRunner::new(&engine, &w)?;
        let expect = wt.call(w.arg)?;
        if k.call(w.arg)? != expect {
            return Err(format!("{}: kiln and wasmtime disagree", w.name));
        }
        let (mut ks, mut ws, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds.max(1) {
            let a = sample(&mut k, &w, expect)?;
            let b = sample(&mut wt, &w, expect)?;
            ratios.push(a.as_secs_f64() / b.as_secs_f64().max(1e-12));
            ks.push(a);
            ws.push(b);
        }
        ratios.sort_by(f64::total_cmp);
        let (kmin, wmin) = (*ks.iter().min().unwrap(), *ws.iter().min().unwrap());
        let per = |d: Duration| d.as_secs_f64() * 1e3 / f64::from(w.iters.max(1));
        println!(
            "| {} | {:.3} | {:.3} | {:.2} | {:.2} |",
            w.name,
            per(kmin),
            per(wmin),
            kmin.as_secs_f64() / wmin.as_secs_f64().max(1e-12),
            ratios[ratios.len() / 2]
        );
    }
    Ok(())
}

fn main() {
    let mut rounds = 41usize;
    let mut filter = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--rounds", Some(v)) if v.parse::<usize>().is_ok() => rounds = v.parse().unwrap(),
            ("--filter", Some(v)) => filter = Some(v),
            _ => {
                eprintln!("usage: pair [--rounds N] [--filter NAME]");
                std::process::exit(2);
            }
        }
    }
    if let Err(e) = run(rounds, filter.as_deref()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
