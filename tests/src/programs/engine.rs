//! The engines a workload runs under, each as a separate process: the native build, the
//! wasmtime CLI (JIT or precompiled), the `kiln` CLI's three paths (interpreted, compiled in
//! process, precompiled artifact), and the wasmi CLI (the interpreter Kiln's is compared
//! with). Every process runs under GNU time (`/usr/bin/time`), which reports its peak
//! memory (see [`peak_memory_command`]).
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
//! wasmi                   wasmi --dir . prog.wasm ARGS...        (current directory HOST)
//! ```
//!
//! The wasmi CLI preopens a directory under the path it was given, so it runs in HOST with
//! `.` preopened (the workloads name their files relative to `/`); it cannot preopen a host
//! directory under another guest path, so steps with further directories (Yosys's `/share`)
//! fail under it with a message saying so.

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
    /// `kiln compile --cpu native prog.wasm -o prog.kiln` once (every feature of this CPU,
    /// as `wasmtime compile` targets it), then `kiln run prog.kiln` in a fresh process.
    KilnArtifactNative,
    /// `wasmi prog.wasm` (the `wasmi_cli` crate's binary: wasmi 2, lazy translation, its default).
    Wasmi,
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
            Engine::KilnArtifactNative => "kiln-artifact-native",
            Engine::Wasmi => "wasmi",
        }
    }

    fn is_kiln(self) -> bool {
        matches!(
            self,
            Engine::KilnInterpreter
                | Engine::KilnCompiled
                | Engine::KilnArtifact
                | Engine::KilnArtifactNative
        )
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
    /// The process's peak resident set size in bytes ([`peak_memory_command`]).
    pub peak_rss: u64,
}

/// One successful run of a workload.
#[derive(Clone, Debug)]
pub struct WorkloadRun {
    /// The observation text, to compare with the golden file.
    pub observed: String,
    /// Summed wall time of the workload's processes.
    pub elapsed: Duration,
    /// The largest peak resident set size of the workload's processes, in bytes.
    pub peak_rss: u64,
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
        Engine::Wasmi => {
            if !p.wasmi().exists() {
                return Err(format!(
                    "no wasmi CLI at {} (scripts/fetch-programs.sh --with-wasmi installs it)",
                    p.wasmi().display()
                ));
            }
            (wasm, None)
        }
        Engine::WasmtimePrecompiled => {
            let out = out_dir.join(format!("{program}.cwasm"));
            let mut cmd = Command::new(p.wasmtime());
            cmd.arg("compile").arg(&wasm).arg("-o").arg(&out);
            let took = run_compile(cmd, &format!("wasmtime compile {program}"), timeout)?;
            (out, Some(took))
        }
        Engine::KilnArtifact | Engine::KilnArtifactNative => {
            let native = engine == Engine::KilnArtifactNative;
            let out =
                out_dir.join(format!("{program}{}.kiln", if native { ".native" } else { "" }));
            let mut cmd = Command::new(kiln_binary(tools)?);
            cmd.arg("compile").arg(&wasm).arg("-o").arg(&out);
            if native {
                cmd.args(["--cpu", "native"]);
            }
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
    let mut peak_rss = 0;
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
        peak_rss = peak_rss.max(out.peak_rss);
        outputs.push(out);
    }
    let observed = workload.observe(&work, &outputs)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(WorkloadRun { observed, elapsed, peak_rss })
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
        Engine::KilnInterpreter
        | Engine::KilnCompiled
        | Engine::KilnArtifact
        | Engine::KilnArtifactNative => {
            let mut c = Command::new(kiln_binary(tools)?);
            c.arg("run");
            if prepared.engine == Engine::KilnInterpreter {
                c.arg("--interpreter");
            }
            add_dirs(&mut c, step, work);
            c.arg(&prepared.module);
            c
        }
        Engine::Wasmi => {
            if let Some((_, guest)) = step.dirs.first() {
                return Err(format!(
                    "the wasmi CLI cannot preopen a host directory as the guest's {guest} \
                     (it preopens each directory under its host path)"
                ));
            }
            let mut c = Command::new(tools.programs.wasmi());
            c.current_dir(work).arg("--dir").arg(".").arg(&prepared.module);
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
    cmd: Command,
    stdin: Option<std::fs::File>,
    timeout: Duration,
) -> Result<StepOutput, String> {
    let shown = abbreviate(&format!("{cmd:?}"));
    let report = peak_report_path();
    let mut cmd = peak_memory_command(&cmd, &report);
    cmd.stdin(stdin.map_or_else(Stdio::null, Stdio::from))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
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
    let exit = wait_with_usage(&mut child, start, timeout);
    let elapsed = start.elapsed();
    let stdout = out_reader.join().expect("reader thread").unwrap_or_default();
    let stderr = err_reader.join().expect("reader thread").unwrap_or_default();
    let tail = || {
        let from = stderr.len().saturating_sub(STDERR_QUOTE);
        String::from_utf8_lossy(&stderr[from..]).into_owned()
    };
    let peak = read_peak_report(&report);
    match exit {
        Ok(x) if x.status.success() => Ok(StepOutput { stdout, stderr, elapsed, peak_rss: peak? }),
        Ok(x) => Err(format!("{shown} exited with {}; stderr:\n{}", x.status, tail())),
        Err(e) => Err(format!("{shown} {e}; stderr:\n{}", tail())),
    }
}

/// GNU time, which runs a command as its own child and reports that child's peak memory.
const GNU_TIME: &str = "/usr/bin/time";

/// `cmd` (program, arguments, directory and environment) run under GNU time, which writes
/// the command's peak resident set size in KiB to `report` ([`read_peak_report`]). The
/// peak memory `wait4` reports for a child of this process is no use: Linux carries the
/// high-water mark of the forking process (this one, tens of MiB) over `exec` into it. GNU
/// time is small, so the high-water mark its child inherits is a few MiB at most.
pub fn peak_memory_command(cmd: &Command, report: &Path) -> Command {
    let mut wrapped = Command::new(GNU_TIME);
    wrapped.arg("-q").arg("-f").arg("%M").arg("-o").arg(report);
    wrapped.arg(cmd.get_program()).args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => wrapped.env(k, v),
            None => wrapped.env_remove(k),
        };
    }
    wrapped
}

/// A fresh path for a [`peak_memory_command`] report, in the temporary directory.
pub fn peak_report_path() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("kiln-peak-{}-{n}", std::process::id()))
}

/// The peak memory in bytes from a [`peak_memory_command`] report (which it removes).
///
/// # Errors
/// When the report is missing (GNU time is not installed: Debian package `time`) or does
/// not end in a number.
pub fn read_peak_report(report: &Path) -> Result<u64, String> {
    let text = std::fs::read_to_string(report).map_err(|e| {
        format!("no peak-memory report from {GNU_TIME} at {}: {e}", report.display())
    })?;
    let _ = std::fs::remove_file(report);
    let kib: u64 = text
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| format!("{GNU_TIME} reported no peak memory: {text:?}"))?;
    Ok(kib * 1024)
}

/// How a child process ended and what it used, as `wait4` reports it.
#[derive(Clone, Copy, Debug)]
pub struct Exited {
    /// Its exit status.
    pub status: std::process::ExitStatus,
    /// Its user plus system CPU time.
    pub cpu: Duration,
    /// Its peak resident set size in bytes (`ru_maxrss`, which Linux counts in KiB; it
    /// includes the forking process's, see [`peak_memory_command`]).
    pub peak_rss: u64,
}

/// Waits for `child` (spawned at `start`) with `wait4`, polling every few milliseconds, and
/// kills it once it has run longer than `timeout`.
///
/// # Errors
/// When it times out (it is killed and reaped) or `wait4` fails.
pub fn wait_with_usage(
    child: &mut std::process::Child,
    start: Instant,
    timeout: Duration,
) -> Result<Exited, String> {
    let mut killed = false;
    loop {
        if let Some(exited) = wait4(child, libc::WNOHANG)? {
            if killed {
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            return Ok(exited);
        }
        if !killed && start.elapsed() > timeout {
            let _ = child.kill();
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(if killed { 1 } else { 5 }));
    }
}

/// Blocks until `child` exits (no polling, so its exit is seen at once: for timing short
/// processes) and returns what `wait4` reports.
///
/// # Errors
/// When `wait4` fails.
pub fn wait_blocking(child: &mut std::process::Child) -> Result<Exited, String> {
    loop {
        if let Some(exited) = wait4(child, 0)? {
            return Ok(exited);
        }
    }
}

/// One `wait4` on `child` with `flags`: `None` when it has not exited yet (`WNOHANG`) or the
/// wait was interrupted.
fn wait4(child: &std::process::Child, flags: libc::c_int) -> Result<Option<Exited>, String> {
    use std::os::unix::process::ExitStatusExt;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("process id: {e}"))?;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value, and wait4 only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is this process's own unreaped child (std's `Child` never waited for it:
    // the functions of this module are its only waiters), and both pointers are to locals.
    let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
    if r == pid {
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        return Ok(Some(Exited {
            status: std::process::ExitStatus::from_raw(status),
            cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
            peak_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        }));
    }
    if r < 0 {
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("cannot wait for the process: {e}"));
        }
    }
    Ok(None)
}
