//! Kiln's compiled engine beside wasmtime (and Kiln's interpreter): compile time, artifact
//! size, load-plus-instantiate time from an artifact file, and run time, as ratios to
//! wasmtime.
//!
//! ```text
//! cargo run -p kiln-bench --release --bin aot [-- --samples N] [--filter NAME] [--smoke]
//! ```
//!
//! - compile: median wall time to compile the module to a serializable artifact (Kiln:
//!   `kiln::aot::compile_artifact`, which is what `kiln compile` does; wasmtime:
//!   `Engine::precompile_module`), default settings, all cores.
//! - artifact: bytes of Kiln's blob and of wasmtime's `.cwasm`.
//! - load + instantiate: from the artifact file on disk to a callable instance, in a fresh
//!   store (Kiln: `Runtime::with_config` + `Runtime::load_artifact` + `instantiate`;
//!   wasmtime: `Store::new` + `Module::deserialize_file` + `Instance::new`), median of many.
//! - run: median per call of each workload (as in the `interp` benchmark) on Kiln compiled
//!   (loaded from the artifact), Kiln interpreted, and wasmtime, their samples taken in
//!   rounds across the three (`kiln_bench::time_interleaved`).
//!
//! Every engine must return the same checksum, or the run aborts.

use kiln_bench::{
    KernelArgs, Runner, Scale, Timing, WasmtimeRunner, Workload, fmt_ms, time_interleaved,
    workloads,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Median of `n` timings of `f`.
fn median_of(
    n: usize,
    mut f: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    let mut v = (0..n.max(1)).map(|_| f()).collect::<Result<Vec<_>, _>>()?;
    v.sort();
    Ok(v[v.len() / 2])
}

/// Kiln compiled, loaded from an artifact file.
struct KilnArtifactRunner {
    _runtime: kiln::Runtime,
    func: kiln::TypedFunc<i32, i32>,
}

impl KilnArtifactRunner {
    fn load(path: &Path, export: &str) -> Result<Self, String> {
        let runtime = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
        // SAFETY: the benchmark loads only the artifact it just compiled and wrote.
        let module = unsafe { runtime.load_artifact_unsigned(path) }.map_err(|e| e.to_string())?;
        let instance =
            runtime.instantiate(&module, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
        let func = instance.typed_func::<i32, i32>(export).map_err(|e| e.to_string())?;
        Ok(Self { _runtime: runtime, func })
    }
}

impl Runner for KilnArtifactRunner {
    fn call(&mut self, arg: i32) -> Result<i32, String> {
        self.func.call(arg).map_err(|e| e.to_string())
    }
}

/// Compile-and-load figures of one module.
struct ModuleRow {
    name: String,
    compile: [Duration; 2],
    size: [usize; 2],
    load: [Duration; 2],
}

/// Run-time figures of one workload: Kiln compiled, Kiln interpreted, wasmtime.
struct RunRow {
    name: String,
    t: [Timing; 3],
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-12)
}

fn geomean(v: impl Iterator<Item = f64>) -> f64 {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x.ln(), n + 1));
    (s / n.max(1) as f64).exp()
}

struct Artifacts {
    kiln: PathBuf,
    wasmtime: PathBuf,
}

fn module_row(
    name: &str,
    w: &Workload,
    engine: &wasmtime::Engine,
    dir: &Path,
    samples: usize,
) -> Result<(ModuleRow, Artifacts), String> {
    let opts = kiln::aot::AotOptions::default();
    let kc = median_of(samples, || {
        let t = Instant::now();
        std::hint::black_box(
            kiln::aot::compile_artifact(&w.wasm, &opts).map_err(|e| e.to_string())?,
        );
        Ok(t.elapsed())
    })?;
    let wc = median_of(samples, || {
        let t = Instant::now();
        std::hint::black_box(engine.precompile_module(&w.wasm).map_err(|e| e.to_string())?);
        Ok(t.elapsed())
    })?;
    let kbytes = kiln::aot::compile_artifact(&w.wasm, &opts).map_err(|e| e.to_string())?;
    let wbytes = engine.precompile_module(&w.wasm).map_err(|e| e.to_string())?;
    let stem: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let art = Artifacts {
        kiln: dir.join(format!("{stem}.kiln")),
        wasmtime: dir.join(format!("{stem}.cwasm")),
    };
    std::fs::write(&art.kiln, &kbytes).map_err(|e| e.to_string())?;
    std::fs::write(&art.wasmtime, &wbytes).map_err(|e| e.to_string())?;
    let loads = samples.max(1) * 20;
    let kl = median_of(loads, || {
        let t = Instant::now();
        let r = KilnArtifactRunner::load(&art.kiln, &w.export)?;
        let d = t.elapsed();
        drop(std::hint::black_box(r));
        Ok(d)
    })?;
    let wl = median_of(loads, || {
        let t = Instant::now();
        // SAFETY: the file was just written by `Engine::precompile_module` of this engine and
        // nothing modifies it while it is mapped.
        let module = unsafe { wasmtime::Module::deserialize_file(engine, &art.wasmtime) }
            .map_err(|e| e.to_string())?;
        let r = WasmtimeRunner::instantiate(engine, &module, &w.export)?;
        let d = t.elapsed();
        drop(std::hint::black_box(r));
        Ok(d)
    })?;
    Ok((
        ModuleRow {
            name: name.to_string(),
            compile: [kc, wc],
            size: [kbytes.len(), wbytes.len()],
            load: [kl, wl],
        },
        art,
    ))
}

fn run_row(
    w: &Workload,
    art: &Artifacts,
    engine: &wasmtime::Engine,
    samples: usize,
) -> Result<RunRow, String> {
    let mut kc = KilnArtifactRunner::load(&art.kiln, &w.export)
        .map_err(|e| format!("kiln compiled: {e}"))?;
    let mut ki = kiln_bench::KilnRunner::new(w).map_err(|e| format!("kiln interp: {e}"))?;
    // SAFETY: as in `module_row`.
    let module = unsafe { wasmtime::Module::deserialize_file(engine, &art.wasmtime) }
        .map_err(|e| e.to_string())?;
    let mut wt = WasmtimeRunner::instantiate(engine, &module, &w.export)?;
    // Samples in rounds across the three engines, so that a slow spell of the machine falls
    // on all of them alike (`time_interleaved`).
    const NAMES: [&str; 3] = ["kiln compiled", "kiln interp", "wasmtime"];
    let mut runners: [&mut dyn Runner; 3] = [&mut kc, &mut ki, &mut wt];
    let t: [Timing; 3] = time_interleaved(&mut runners, w, samples)
        .map_err(|(i, e)| format!("{}: {e}", NAMES[i]))?
        .try_into()
        .expect("one timing per runner");
    if t[0].result != t[2].result || t[1].result != t[2].result {
        return Err(format!(
            "RESULT MISMATCH in {}: kiln compiled {}, kiln interp {}, wasmtime {}",
            w.name, t[0].result, t[1].result, t[2].result
        ));
    }
    Ok(RunRow { name: w.name.clone(), t })
}

/// The module a workload runs (the C kernels share one module).
fn module_name(w: &Workload) -> String {
    if w.name.ends_with("(C)") { "kernels.c (C)".to_string() } else { w.name.clone() }
}

fn main() {
    let KernelArgs { samples, filter, scale } = KernelArgs::parse("aot");
    if let Err(e) = run(samples, filter.as_deref(), scale) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(samples: usize, filter: Option<&str>, scale: Scale) -> Result<(), String> {
    let ws: Vec<Workload> = workloads(scale)?
        .into_iter()
        .filter(|w| filter.is_none_or(|f| w.name.contains(f)))
        .collect();
    let engine = wasmtime::Engine::default();
    let dir = std::env::temp_dir().join(format!("kiln-bench-aot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut modules: BTreeMap<String, (ModuleRow, Artifacts)> = BTreeMap::new();
    let mut runs = Vec::new();
    for w in &ws {
        let m = module_name(w);
        if !modules.contains_key(&m) {
            eprintln!("compiling and loading {m} ...");
            let r = module_row(&m, w, &engine, &dir, samples).map_err(|e| format!("{m}: {e}"))?;
            modules.insert(m.clone(), r);
        }
        eprintln!("running {} ({}({}), {samples} samples) ...", w.name, w.export, w.arg);
        runs.push(
            run_row(w, &modules[&m].1, &engine, samples).map_err(|e| format!("{}: {e}", w.name))?,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);

    println!("### Compile and load (ratios: Kiln / wasmtime; below 1 = Kiln smaller or faster)\n");
    println!(
        "| module | compile kiln (ms) | compile wasmtime (ms) | ratio | artifact kiln (KiB) | artifact wasmtime (KiB) | ratio | load+instantiate kiln (µs) | wasmtime (µs) | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (m, _) in modules.values() {
        println!(
            "| {} | {} | {} | {:.2} | {:.1} | {:.1} | {:.2} | {:.1} | {:.1} | {:.2} |",
            m.name,
            fmt_ms(m.compile[0]),
            fmt_ms(m.compile[1]),
            ratio(m.compile[0], m.compile[1]),
            m.size[0] as f64 / 1024.0,
            m.size[1] as f64 / 1024.0,
            m.size[0] as f64 / m.size[1].max(1) as f64,
            m.load[0].as_secs_f64() * 1e6,
            m.load[1].as_secs_f64() * 1e6,
            ratio(m.load[0], m.load[1]),
        );
    }
    println!("\n### Run time (median ms per call; ratios to wasmtime)\n");
    println!(
        "| workload | kiln compiled | kiln interp | wasmtime | compiled/wasmtime | interp/wasmtime |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for r in &runs {
        println!(
            "| {} | {} | {} | {} | {:.2} | {:.2} |",
            r.name,
            fmt_ms(r.t[0].median),
            fmt_ms(r.t[1].median),
            fmt_ms(r.t[2].median),
            ratio(r.t[0].median, r.t[2].median),
            ratio(r.t[1].median, r.t[2].median),
        );
    }
    println!(
        "| geometric mean | | | | {:.2} | {:.2} |",
        geomean(runs.iter().map(|r| ratio(r.t[0].median, r.t[2].median))),
        geomean(runs.iter().map(|r| ratio(r.t[1].median, r.t[2].median))),
    );
    Ok(())
}
