//! Runs one workload once on one engine, for counting the instructions of the run alone
//! with callgrind: `once <kiln|wasmtime> <workload filter> [arg]`, under
//!
//! ```text
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='once::measured_call' \
//!     target/release/once kiln sieve
//! ```
//!
//! Compilation and instantiation happen before [`measured_call`], so only the call is
//! counted. The workload runs at full scale unless `arg` is given. `kiln` compiles in
//! process (baseline CPU level, as the `aot` benchmark's artifacts); `kiln-native` loads an
//! artifact compiled for this host's CPU features (`kiln compile --cpu native`), as
//! wasmtime's default engine compiles.

use kiln_bench::{Runner, Scale, WasmtimeRunner, workloads};
use std::process::ExitCode;

/// The one call whose instructions are counted.
#[inline(never)]
fn measured_call(runner: &mut dyn Runner, arg: i32) -> Result<i32, String> {
    runner.call(std::hint::black_box(arg))
}

fn run(engine: &str, filter: &str, arg: Option<i32>) -> Result<i32, String> {
    let w = workloads(Scale::Full)?
        .into_iter()
        .find(|w| w.name.contains(filter))
        .ok_or_else(|| format!("no workload matches `{filter}`"))?;
    let mut runner: Box<dyn Runner> = match engine {
        "kiln" => {
            Box::new(kiln_bench::KilnRunner::with_config(&w, kiln::RuntimeConfig::compiler())?)
        }
        "kiln-native" => Box::new(native_artifact(&w)?),
        "wasmtime" => Box::new(WasmtimeRunner::new(&wasmtime::Engine::default(), &w)?),
        other => return Err(format!("unknown engine `{other}` (kiln, kiln-native or wasmtime)")),
    };
    measured_call(runner.as_mut(), arg.unwrap_or(w.arg))
}

/// `w` compiled to an artifact for this host's CPU, loaded and instantiated.
fn native_artifact(w: &kiln_bench::Workload) -> Result<NativeRunner, String> {
    let opts = kiln::aot::AotOptions { cpu: kiln::aot::CpuTarget::Native, ..Default::default() };
    let bytes = kiln::aot::compile_artifact(&w.wasm, &opts).map_err(|e| e.to_string())?;
    let path = std::env::temp_dir().join(format!("kiln-once-{}.kiln", std::process::id()));
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    let runtime = kiln::Runtime::with_config(kiln::RuntimeConfig::compiler());
    // SAFETY: the benchmark loads only the artifact it just compiled and wrote.
    let module = unsafe { runtime.load_artifact_unsigned(&path) }.map_err(|e| e.to_string());
    let _ = std::fs::remove_file(&path);
    let instance =
        runtime.instantiate(&module?, kiln::ModuleConfig::new()).map_err(|e| e.to_string())?;
    let func = instance.typed_func::<i32, i32>(&w.export).map_err(|e| e.to_string())?;
    Ok(NativeRunner { _runtime: runtime, func })
}

/// A Kiln artifact compiled for the host CPU.
struct NativeRunner {
    _runtime: kiln::Runtime,
    func: kiln::TypedFunc<i32, i32>,
}

impl Runner for NativeRunner {
    fn call(&mut self, arg: i32) -> Result<i32, String> {
        self.func.call(arg).map_err(|e| e.to_string())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = match args.get(2).map(|a| a.parse::<i32>()) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            eprintln!("error: bad arg: {e}");
            return ExitCode::from(2);
        }
    };
    let (Some(engine), Some(filter)) = (args.first(), args.get(1)) else {
        eprintln!("usage: once <kiln|kiln-native|wasmtime> <workload filter> [arg]");
        return ExitCode::from(2);
    };
    match run(engine, filter, arg) {
        Ok(r) => {
            println!("{r}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
