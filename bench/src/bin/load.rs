//! Where Kiln's load-plus-instantiate time goes, phase by phase, for the `aot` benchmark's
//! modules: runtime creation, `Runtime::load_artifact`, `Runtime::instantiate`, the typed
//! export lookup, and dropping it all, as medians in µs over many repetitions, beside
//! wasmtime's `Store::new` + `Module::deserialize_file` + `Instance::new` (median, µs).
//!
//! ```text
//! cargo run -p kiln-bench --release --bin load [-- --iters N] [--filter NAME] [--only-kiln]
//! ```
//!
//! With `--only-kiln` it runs only Kiln's loop (a small driver for `valgrind --tool=callgrind`
//! or `strace -c`); with `--keep DIR` it leaves the artifacts (and the module binaries) in
//! `DIR`.
//!
//! With `--wasm PATH` (repeatable) it measures those modules instead (e.g. the real programs
//! of `.programs/wasm`): load + instantiate without running any start function, in a fresh
//! runtime with `wasi_snapshot_preview1` registered (Kiln; registration untimed) or a fresh
//! store with every import defined as a trapping stub (wasmtime's `Linker`, built once,
//! untimed), interleaving Kiln and wasmtime runs, median µs.

use kiln_bench::{Scale, WasmtimeRunner, workloads};
use std::path::Path;
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: load [--iters N] [--filter SUBSTRING] [--only-kiln] [--keep DIR] [--wasm PATH]..."
    );
    std::process::exit(2);
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e6
}

/// Per-phase timings of one Kiln load+instantiate.
#[inline(never)]
fn kiln_once(path: &Path, export: &str) -> Result<[Duration; 5], String> {
    let t0 = Instant::now();
    let runtime = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
    let t1 = Instant::now();
    // SAFETY: the benchmark loads only the artifact it just compiled and wrote.
    let module = unsafe { runtime.load_artifact_unsigned(path) }.map_err(|e| e.to_string())?;
    let t2 = Instant::now();
    let instance =
        runtime.instantiate(&module, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
    let t3 = Instant::now();
    let func = instance.typed_func::<i32, i32>(export).map_err(|e| e.to_string())?;
    let t4 = Instant::now();
    drop(std::hint::black_box((func, instance, module, runtime)));
    let t5 = Instant::now();
    Ok([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4])
}

fn main() {
    let mut iters = 2000usize;
    let mut filter: Option<String> = None;
    let mut only_kiln = false;
    let mut keep: Option<std::path::PathBuf> = None;
    let mut wasm: Vec<std::path::PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--iters" => {
                iters = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| usage())
            }
            "--filter" => filter = Some(args.next().unwrap_or_else(|| usage())),
            "--only-kiln" => only_kiln = true,
            "--keep" => keep = Some(args.next().unwrap_or_else(|| usage()).into()),
            "--wasm" => wasm.push(args.next().unwrap_or_else(|| usage()).into()),
            _ => usage(),
        }
    }
    let result = if wasm.is_empty() {
        run(iters.max(1), filter.as_deref(), only_kiln, keep)
    } else {
        run_files(iters.max(1), &wasm, only_kiln, keep)
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(
    iters: usize,
    filter: Option<&str>,
    only_kiln: bool,
    keep: Option<std::path::PathBuf>,
) -> Result<(), String> {
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("kiln-bench-load-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let engine = wasmtime::Engine::default();
    let mut seen = std::collections::BTreeSet::new();
    println!(
        "| module | runtime | load | instantiate | export | drop | kiln total | wasmtime (µs) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for w in
        workloads(Scale::Smoke)?.into_iter().filter(|w| filter.is_none_or(|f| w.name.contains(f)))
    {
        let name =
            if w.name.ends_with("(C)") { "kernels.c (C)".to_string() } else { w.name.clone() };
        if !seen.insert(name.clone()) {
            continue;
        }
        let stem: String =
            name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let kpath = dir.join(format!("{stem}.kiln"));
        let kbytes = kiln::aot::compile_artifact(&w.wasm, &kiln::aot::AotOptions::default())
            .map_err(|e| e.to_string())?;
        std::fs::write(&kpath, kbytes).map_err(|e| e.to_string())?;
        if keep.is_some() {
            std::fs::write(dir.join(format!("{stem}.wasm")), &w.wasm).map_err(|e| e.to_string())?;
        }
        let mut phases: [Vec<Duration>; 5] = Default::default();
        let mut totals = Vec::with_capacity(iters);
        for _ in 0..iters {
            let p = kiln_once(&kpath, &w.export)?;
            totals.push(p[..4].iter().sum());
            for (v, d) in phases.iter_mut().zip(p) {
                v.push(d);
            }
        }
        let wt = if only_kiln {
            f64::NAN
        } else {
            let wpath = dir.join(format!("{stem}.cwasm"));
            std::fs::write(&wpath, engine.precompile_module(&w.wasm).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let mut v = Vec::with_capacity(iters);
            for _ in 0..iters {
                let t = Instant::now();
                // SAFETY: the file was just written by this engine and is not modified.
                let m = unsafe { wasmtime::Module::deserialize_file(&engine, &wpath) }
                    .map_err(|e| e.to_string())?;
                let r = WasmtimeRunner::instantiate(&engine, &m, &w.export)?;
                v.push(t.elapsed());
                drop(std::hint::black_box(r));
            }
            median(v)
        };
        let [a, b, c, d, e] = phases.map(median);
        println!(
            "| {name} | {a:.1} | {b:.1} | {c:.1} | {d:.1} | {e:.1} | {:.1} | {wt:.1} |",
            median(totals)
        );
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// One Kiln load + instantiate of the artifact at `path` (no start function run), in a
/// runtime with WASI registered (untimed).
fn kiln_file_once(path: &Path) -> Result<Duration, String> {
    let runtime = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
    kiln::wasi::instantiate(&runtime).map_err(|e| e.to_string())?;
    let t = Instant::now();
    // SAFETY: the benchmark loads only the artifact it just compiled and wrote.
    let module = unsafe { runtime.load_artifact_unsigned(path) }.map_err(|e| e.to_string())?;
    let config = kiln::ModuleConfig::new().with_start_functions(Vec::<String>::new());
    let instance = runtime.instantiate(&module, config).map_err(|e| e.to_string())?;
    let d = t.elapsed();
    drop(std::hint::black_box((instance, module, runtime)));
    Ok(d)
}

fn run_files(
    iters: usize,
    files: &[std::path::PathBuf],
    only_kiln: bool,
    keep: Option<std::path::PathBuf>,
) -> Result<(), String> {
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("kiln-bench-load-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let engine = wasmtime::Engine::default();
    println!(
        "| module | wasm bytes | kiln artifact bytes | kiln load+instantiate (µs) | wasmtime (µs) | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for file in files {
        let wasm = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let kpath = dir.join(format!("{stem}.kiln"));
        if keep.is_none() || !kpath.exists() {
            let kbytes = kiln::aot::compile_artifact(&wasm, &kiln::aot::AotOptions::default())
                .map_err(|e| e.to_string())?;
            std::fs::write(&kpath, kbytes).map_err(|e| e.to_string())?;
        }
        let wpath = dir.join(format!("{stem}.cwasm"));
        if !only_kiln && (keep.is_none() || !wpath.exists()) {
            std::fs::write(&wpath, engine.precompile_module(&wasm).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        }
        let linker = if only_kiln {
            None
        } else {
            // SAFETY: the file was just written (or kept) by this engine and is not modified.
            let m = unsafe { wasmtime::Module::deserialize_file(&engine, &wpath) }
                .map_err(|e| e.to_string())?;
            let mut linker = wasmtime::Linker::<()>::new(&engine);
            linker.define_unknown_imports_as_traps(&m).map_err(|e| e.to_string())?;
            Some(linker)
        };
        let (mut k, mut w) = (Vec::with_capacity(iters), Vec::with_capacity(iters));
        for _ in 0..iters {
            k.push(kiln_file_once(&kpath)?);
            if let Some(linker) = &linker {
                let t = Instant::now();
                let mut store = wasmtime::Store::new(&engine, ());
                // SAFETY: as above.
                let m = unsafe { wasmtime::Module::deserialize_file(&engine, &wpath) }
                    .map_err(|e| e.to_string())?;
                let inst = linker.instantiate(&mut store, &m).map_err(|e| e.to_string())?;
                w.push(t.elapsed());
                drop(std::hint::black_box((inst, m, store)));
            }
        }
        let kb = std::fs::metadata(&kpath).map_err(|e| e.to_string())?.len();
        let (km, wm) = (median(k), if w.is_empty() { f64::NAN } else { median(w) });
        println!("| {stem} | {} | {kb} | {km:.1} | {wm:.1} | {:.2} |", wasm.len(), km / wm);
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
