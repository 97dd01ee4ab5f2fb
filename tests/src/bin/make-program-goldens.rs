//! Makes the real programs' golden files, `tests/programs/golden/<workload>.txt`, with the
//! reference runtime.
//!
//! ```text
//! scripts/fetch-programs.sh
//! cargo run -p kiln-tests --release --bin make-program-goldens [-- WORKLOAD...]
//! ```
//!
//! For each workload (default: all) it runs the precompiled wasmtime twice and requires the
//! two observations to be identical (so the golden file holds nothing nondeterministic),
//! runs the native build where there is one and requires the same observation, and only
//! then writes the golden file. It prints the wall times it saw.

use kiln_tests::programs::{self, Engine, Programs, Tools, Workload, engine};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(900);

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&wanted) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(wanted: &[String]) -> Result<(), String> {
    let tools = Tools { programs: Programs::locate()?, kiln: None };
    for name in wanted {
        if !Workload::ALL.iter().any(|w| w.name() == name) {
            return Err(format!("unknown workload {name:?}"));
        }
    }
    let scratch = programs::scratch_dir("goldens")?;
    for w in Workload::ALL {
        if !wanted.is_empty() && !wanted.iter().any(|n| n == w.name()) {
            continue;
        }
        let wt =
            engine::prepare(Engine::WasmtimePrecompiled, &tools, w.program(), &scratch, TIMEOUT)?;
        let first = engine::run_workload(&wt, &tools, w, TIMEOUT)?;
        let second = engine::run_workload(&wt, &tools, w, TIMEOUT)?;
        if first.observed != second.observed {
            return Err(format!(
                "{}: two wasmtime runs observed different outputs:\n{}\n---\n{}",
                w.name(),
                first.observed,
                second.observed
            ));
        }
        let mut line = format!(
            "{:<11} wasmtime compile {:>7.2} s, run {:>6.2} s / {:>6.2} s",
            w.name(),
            wt.compile_time.unwrap_or_default().as_secs_f64(),
            first.elapsed.as_secs_f64(),
            second.elapsed.as_secs_f64()
        );
        if w.has_native() {
            let native = engine::prepare(Engine::Native, &tools, w.program(), &scratch, TIMEOUT)?;
            let n = engine::run_workload(&native, &tools, w, TIMEOUT)?;
            if n.observed != first.observed {
                return Err(format!(
                    "{}: the native build observed something else than wasmtime:\n{}\n---\n{}",
                    w.name(),
                    n.observed,
                    first.observed
                ));
            }
            line.push_str(&format!(", native {:>6.2} s", n.elapsed.as_secs_f64()));
        }
        let path = programs::golden_path(w);
        std::fs::create_dir_all(path.parent().expect("has a parent"))
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        std::fs::write(&path, &first.observed)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("{line}; wrote {}", path.display());
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
