//! The engines a workload runs under, each as a separate process: the native build, the
//! wasmtime CLI (JIT or precompiled), and the `kiln` CLI's three paths (interpreted,
//! compiled in process, precompiled artifact).
//!
//! Command lines (HOST is the step's work directory, preopened as the guest's `/`):
//! ```text
//! native                  <native/prog> ARGS...            (current directory HOST)
//! wasmtime                wasmtime run --dir HOST::/ [--dir H::G] prog.wasm ARGS...
//! wasmtime-precompiled    wasmtime compile prog.wasm -o prog.cwasm   (once)
//!                         wasmtime run --allow-precompiled --dir HOST::/ ... prog.cwasm ARGS...
//! kiln-interpreter        kiln run --interpreter --dir HOST::/ [--dir H::G] prog.wasm ARGS...
//! kiln-compiled           kiln run --dir HOST::/ ... prog.wasm ARGS...
//! kiln-artifact           kiln compile prog.wasm -o prog.kiln        (once)
//!                         kiln run --dir HOST::/ ... prog.kiln ARGS...
//! ```

use super::{Programs, Workload, scratch_dir, workload::Step};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One way of running a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The gcc -O2 build (only for programs that have one).
    Native,
    /// `wasmtime run prog.wasm` (compiles at startup).
    Wasmtime,
    /// `wasmtime compile` once, then `wasmtime run --allow-precompiled prog.cwasm`.
    WasmtimePrecompiled,
    /// `kiln run --interpreter prog.wasm`.
    KilnInterpreter,
    /// `kiln run prog.wasm`: compiled in process.
    KilnCompiled,
    /// `kiln compile prog.wasm -o prog.kiln` once, then `kiln run prog.kiln` in a fresh
    /// process.
    KilnArtifact,
}

impl Engine {
    /// A short name for messages and file names (`kiln-artifact`, ...).
    pub fn label(self) -> &'static str {
        match self {
            Engine::Native => "native",
            Engine::Wasmtime => "wasmtime",
            Engine::WasmtimePrecompiled => "wasmtime-precompiled",
            Engine::KilnInterpreter => "kiln-interpreter",
            Engine::KilnCompiled => "kiln-compiled",
            Engine::KilnArtifact => "kiln-artifact",
        }
    }

    fn is_kiln(self) -> bool {
        matches!(self, Engine::KilnInterpreter | Engine::KilnCompiled | Engine::KilnArtifact)
    }
}

/// The programs plus the `kiln` binary to run them with.
#[derive(Clone, Debug)]
pub struct Tools {
    /// The fetched programs and wasmtime.
    pub programs: Programs,
    /// The `kiln` CLI binary; `None` when unavailable (Kiln engines then fail with a
    /// message saying so).
    pub kiln: Option<PathBuf>,
}

/// A program made ready for an engine: the file to execute, and what making it cost.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The engine.
    pub engine: Engine,
    /// The program (`yosys`, `lua`, ...).
    pub program: &'static str,
    /// The native executable, the `.wasm`, the wasmtime `.cwasm` or the Kiln artifact.
    pub module: PathBuf,
    /// Wall time of the ahead-of-time compile process, for the precompiled engines.
    pub compile_time: Option<Duration>,
    /// Size in bytes of `module`.
    pub module_bytes: u64,
}

/// What one step's process produced.
#[derive(Clone, Debug)]
pub struct StepOutput {
    /// Everything written to stdout.
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
    /// Wall time of the whole process, spawn to exit.
    pub elapsed: Duration,
}

/// One successful run of a workload.
#[derive(Clone, Debug)]
pub struct WorkloadRun {
    /// The observation text, to compare with the golden file.
    pub observed: String,
    /// Summed wall time of the workload's processes.
    pub elapsed: Duration,
}

/// Readies `program` for `engine`: checks the file exists, and for the precompiled engines
/// compiles it into `out_dir` (timed).
///
/// # Errors
/// When there is no native build, no `kiln` binary, or the compile process fails (its
/// exit status and stderr).
pub fn prepare(
    engine: Engine,
    tools: &Tools,
    program: &'static str,
    out_dir: &Path,
    timeout: Duration,
) -> Result<Prepared, String> {
    prepare_module(engine, tools, program, &tools.programs.wasm(program), out_dir, timeout)
}

/// As [`prepare`], for the wasm engines with the module `wasm` instead of the fetched
/// `wasm/<program>.wasm` (another build of the program, such as
/// [`super::simd128::simd128_wasm`]'s).
///
/// # Errors
/// As [`prepare`].
pub fn prepare_module(
    engine: Engine,
    tools: &Tools,
    program: &'static str,
    wasm: &Path,
    out_dir: &Path,
    timeout: Duration,
) -> Result<Prepared, String> {
    let p = &tools.programs;
    let wasm = wasm.to_path_buf();
    let (module, compile_time) = match engine {
        Engine::Native => (p.native(program), None),
        Engine::Wasmtime | Engine::KilnInterpreter | Engine::KilnCompiled => (wasm, None),
        Engine::WasmtimePrecompiled => {
            let out = out_dir.join(format!("{program}.cwasm"));
            let mut cmd = Command::new(p.wasmtime());
            cmd.arg("compile").arg(&wasm).arg("-o").arg(&out);
            let took = run_compile(cmd, &format!("wasmtime compile {program}"), timeout)?;
            (out, Some(took))
        }
        Engine::KilnArtifact => {
            let out = out_dir.join(format!("{program}.kiln"));
            let mut cmd = Command::new(kiln_binary(tools)?);
            cmd.arg("compile").arg(&wasm).arg("-o").arg(&out);
            let took = run_compile(cmd, &format!("kiln compile {program}"), timeout)?;
            (out, Some(took))
        }
    };
    if engine.is_kiln() {
        kiln_binary(tools)?;
    }
    let module_bytes = std::fs::metadata(&module)
        .map_err(|e| format!("{} for {}: {e}", module.display(), engine.label()))?
        .len();
    Ok(Prepared { engine, program, module, compile_time, module_bytes })
}

fn kiln_binary(tools: &Tools) -> Result<&Path, String> {
    tools
        .kiln
        .as_deref()
        .ok_or_else(|| "no kiln binary (build the kiln-cli crate first)".to_string())
}

fn run_compile(cmd: Command, what: &str, timeout: Duration) -> Result<Duration, String> {
    let out = run_process(cmd, None, timeout).map_err(|e| format!("{what}: {e}"))?;
    Ok(out.elapsed)
}

/// Runs `workload` once with a prepared program in a fresh work directory: sets up its
/// inputs, runs its steps in order, and returns its observation. The work directory is
/// removed afterwards when the run succeeded (kept for inspection otherwise).
///
/// # Errors
/// When setting up fails, a step's process fails (non-zero exit, crash, timeout: with its
/// stderr), or the outputs cannot be observed.
pub fn run_workload(
    prepared: &Prepared,
    tools: &Tools,
    workload: Workload,
    timeout: Duration,
) -> Result<WorkloadRun, String> {
    let work = scratch_dir(&format!("{}-{}", workload.name(), prepared.engine.label()))?;
    let steps = workload.prepare(&tools.programs, &work)?;
    let mut outputs = Vec::with_capacity(steps.len());
    let mut elapsed = Duration::ZERO;
    for (i, step) in steps.iter().enumerate() {
        let out = run_step(prepared, tools, step, &work, timeout).map_err(|e| {
            format!(
                "{} step {} of {} under {} ({}) failed: {e}\n(work directory kept: {})",
                workload.name(),
                i + 1,
                steps.len(),
                prepared.engine.label(),
                abbreviate(&step.args.join(" ")),
                work.display()
            )
        })?;
        elapsed += out.elapsed;
        outputs.push(out);
    }
    let observed = workload.observe(&work, &outputs)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(WorkloadRun { observed, elapsed })
}

/// Runs one step of a workload in `work` and returns its output; writes stdout to the
/// step's `stdout_to` file when it has one.
///
/// # Errors
/// When the process cannot start, exits non-zero, is killed by a signal, or runs past
/// `timeout`.
pub fn run_step(
    prepared: &Prepared,
    tools: &Tools,
    step: &Step,
    work: &Path,
    timeout: Duration,
) -> Result<StepOutput, String> {
    let mut cmd = match prepared.engine {
        Engine::Native => {
            let mut c = Command::new(&prepared.module);
            c.current_dir(work);
            c
        }
        Engine::Wasmtime | Engine::WasmtimePrecompiled => {
            let mut c = Command::new(tools.programs.wasmtime());
            c.arg("run");
            if prepared.engine == Engine::WasmtimePrecompiled {
                c.arg("--allow-precompiled");
            }
            add_dirs(&mut c, step, work);
            c.arg(&prepared.module);
            c
        }
        Engine::KilnInterpreter | Engine::KilnCompiled | Engine::KilnArtifact => {
            let mut c = Command::new(kiln_binary(tools)?);
            c.arg("run");
            if prepared.engine == Engine::KilnInterpreter {
                c.arg("--interpreter");
            }
            add_dirs(&mut c, step, work);
            c.arg(&prepared.module);
            c
        }
    };
    cmd.args(&step.args);
    let stdin = match &step.stdin {
        Some(name) => {
            let path = work.join(name);
            Some(
                std::fs::File::open(&path)
                    .map_err(|e| format!("cannot open stdin file {}: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let out = run_process(cmd, stdin, timeout)?;
    if let Some(name) = &step.stdout_to {
        let path = work.join(name);
        std::fs::write(&path, &out.stdout)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(out)
}

fn add_dirs(c: &mut Command, step: &Step, work: &Path) {
    c.arg("--dir").arg(format!("{}::/", work.display()));
    for (host, guest) in &step.dirs {
        c.arg("--dir").arg(format!("{}::{guest}", host.display()));
    }
}

/// The most characters of a command line a failure message quotes.
const COMMAND_QUOTE: usize = 300;

/// `text`, cut to [`COMMAND_QUOTE`] characters with an ellipsis when longer (Flite's
/// argument is a whole speech).
fn abbreviate(text: &str) -> String {
    match text.char_indices().nth(COMMAND_QUOTE) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_string(),
    }
}

/// The most stderr a failure message quotes (its tail), in bytes.
const STDERR_QUOTE: usize = 4000;

/// Spawns `cmd` with `stdin` (or nothing) as standard input and captures its output,
/// killing it after `timeout`.
///
/// # Errors
/// When it cannot start, exits non-zero or by a signal, or times out; the message quotes
/// the tail of stderr.
pub fn run_process(
    mut cmd: Command,
    stdin: Option<std::fs::File>,
    timeout: Duration,
) -> Result<StepOutput, String> {
    cmd.stdin(stdin.map_or_else(Stdio::null, Stdio::from))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let shown = abbreviate(&format!("{cmd:?}"));
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        out_pipe.read_to_end(&mut v).map(|_| v)
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        err_pipe.read_to_end(&mut v).map(|_| v)
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => break Err(format!("cannot wait for the process: {e}")),
        }
    };
    let elapsed = start.elapsed();
    let stdout = out_reader.join().expect("reader thread").unwrap_or_default();
    let stderr = err_reader.join().expect("reader thread").unwrap_or_default();
    let tail = || {
        let from = stderr.len().saturating_sub(STDERR_QUOTE);
        String::from_utf8_lossy(&stderr[from..]).into_owned()
    };
    match status {
        Ok(s) if s.success() => Ok(StepOutput { stdout, stderr, elapsed }),
        Ok(s) => Err(format!("{shown} exited with {s}; stderr:\n{}", tail())),
        Err(e) => Err(format!("{shown} {e}; stderr:\n{}", tail())),
    }
}
