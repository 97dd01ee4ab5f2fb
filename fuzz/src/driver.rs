//! Runs a target's cases from seeds, in child processes so that a crash (a signal, an
//! abort, a stack overflow) or a hang is reported with its seed instead of killing the
//! run. A child runs consecutive seeds and reports each on stdout before running it:
//!
//! ```text
//! @kiln-fuzz start SEED
//! @kiln-fuzz finding SEED MESSAGE
//! ```
//!
//! The parent restarts a child that died after the seed it was running, and kills one
//! that printed nothing for [`HANG_SECS`] seconds of its own watching while the child was
//! not stopped: the parent counts the seconds it polls, so a run paused with `SIGSTOP`
//! (the parent with it, or the child alone) and continued is not taken for a hang.

use crate::finding::{Finding, Input, kind_of, take_current_input};
use crate::targets::Target;
use std::io::{BufRead, BufReader, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A case that runs this long without finishing is a hang (seconds the parent watched
/// while the child was not stopped).
pub const HANG_SECS: u64 = 180;

const TAG: &str = "@kiln-fuzz";

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Installs a panic hook that records the message (with its location) for the finding
/// instead of printing it.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic".into());
        let loc =
            info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        *PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{msg}{loc}"));
    }));
}

/// Runs one case, turning a panic into a finding.
pub fn run_case(target: &Target, seed: u64) -> Option<Finding> {
    take_current_input();
    match catch_unwind(AssertUnwindSafe(|| (target.run)(seed))) {
        Ok(Ok(())) => None,
        Ok(Err(f)) => Some(f),
        Err(_) => {
            let msg = PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()).take();
            Some(Finding::new(format!("panic: {}", msg.unwrap_or_default()), take_current_input()))
        }
    }
}

/// Whether `input` still fails the way `kind` says (for shrinking): replays it, a panic
/// counting as the `panic` kind.
fn still_fails(target: &Target, seed: u64, input: &[u8], kind: &str) -> bool {
    let Some(replay) = target.replay else { return false };
    match catch_unwind(AssertUnwindSafe(|| replay(input, seed))) {
        Ok(Ok(())) => false,
        Ok(Err(m)) => kind_of(&m) == kind,
        Err(_) => kind == "panic",
    }
}

/// Shrinks a wasm input with wasm-shrink while it keeps failing the same way.
fn shrink(target: &Target, seed: u64, input: &Input, kind: &str) -> Option<Vec<u8>> {
    if input.ext != "wasm"
        || target.replay.is_none()
        || !still_fails(target, seed, &input.bytes, kind)
    {
        return None;
    }
    let info = wasm_shrink::WasmShrink::default()
        .attempts(
            std::env::var("KILN_FUZZ_SHRINK_ATTEMPTS")
                .ok()
                .and_then(|a| a.parse().ok())
                .unwrap_or(300),
        )
        .seed(seed)
        .run(input.bytes.clone(), |candidate| Ok(still_fails(target, seed, candidate, kind)));
    match info {
        Ok(info) => Some(info.output),
        Err(e) => {
            eprintln!("{}: seed {seed}: shrinking failed: {e:#}", target.name);
            None
        }
    }
}

/// Where findings are saved: `$KILN_FUZZ_OUT`, else `fuzz/regressions/` of this crate.
pub fn out_dir() -> PathBuf {
    std::env::var_os("KILN_FUZZ_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions"))
}

/// Saves a finding's input and description as `TARGET-SEED.EXT` and `TARGET-SEED.txt`.
pub fn save(target: &str, seed: u64, message: &str, input: Option<&Input>) -> PathBuf {
    let dir = out_dir();
    let _ = std::fs::create_dir_all(&dir);
    let stem = format!("{target}-{seed}");
    if let Some(i) = input {
        let _ = std::fs::write(dir.join(format!("{stem}.{}", i.ext)), &i.bytes);
        if i.ext == "wasm"
            && let Ok(text) = wasmprinter::print_bytes(&i.bytes)
        {
            let _ = std::fs::write(dir.join(format!("{stem}.wat")), text);
        }
    }
    let txt = dir.join(format!("{stem}.txt"));
    let _ = std::fs::write(
        &txt,
        format!(
            "target: {target}\nseed: {seed}\nfinding: {message}\nreplay: kiln-fuzz {target} --seed {seed} --iters 1 --in-process\n"
        ),
    );
    txt
}

/// Runs seeds `seed..` in this process (a child, or `--in-process`): at most `iters`
/// cases, until `deadline`. Returns (executions, findings).
pub fn run_here(
    target: &Target,
    seed: u64,
    iters: u64,
    deadline: Option<Instant>,
    quiet: bool,
) -> (u64, u64) {
    let mut findings = 0;
    let mut execs = 0;
    let out = std::io::stdout();
    for s in seed..seed.saturating_add(iters) {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        {
            let mut o = out.lock();
            let _ = writeln!(o, "{TAG} start {s}");
            let _ = o.flush();
        }
        execs += 1;
        if let Some(f) = run_case(target, s) {
            findings += 1;
            let shrunk = f.input.as_ref().and_then(|i| shrink(target, s, i, f.kind()));
            let input = match (shrunk, &f.input) {
                (Some(bytes), Some(i)) => Some(Input { bytes, ext: i.ext }),
                (None, i) => i.clone(),
                (Some(_), None) => None,
            };
            let txt = save(target.name, s, &f.message, input.as_ref());
            let mut o = out.lock();
            let _ = writeln!(o, "{TAG} finding {s} {} ({})", f.message, txt.display());
            let _ = o.flush();
        }
    }
    crate::stats::print(target.name);
    if !quiet {
        println!("{}: {execs} executions, {findings} findings", target.name);
    }
    (execs, findings)
}

/// Whether process `pid` is stopped (by a signal or a tracer), from its state in
/// `/proc/PID/stat` (the field after the parenthesised command name); false when unknown.
fn stopped(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| matches!(state, 'T' | 't'))
    })
}

/// Runs seeds `seed..` in child processes until `iters` cases have run or `deadline`
/// passes, restarting after crashes and hangs. Returns (executions, findings).
pub fn supervise(target: &Target, seed: u64, iters: u64, deadline: Option<Instant>) -> (u64, u64) {
    let exe = std::env::current_exe().expect("own executable");
    let end = seed.saturating_add(iters);
    let mut next = seed;
    let mut execs = 0u64;
    let mut findings = 0u64;
    while next < end && deadline.is_none_or(|d| Instant::now() < d) {
        let mut cmd = Command::new(&exe);
        cmd.arg(target.name)
            .arg("--child")
            .arg("--seed")
            .arg(next.to_string())
            .arg("--iters")
            .arg((end - next).to_string());
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(Instant::now()).as_secs_f64();
            cmd.arg("--seconds").arg(format!("{left:.1}"));
        }
        let mut child =
            cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("spawn child");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut running: Option<u64> = None;
        let mut hung = false;
        let mut quiet_secs = 0;
        loop {
            match rx.recv_timeout(Duration::from_secs(1)) {
                Ok(line) => {
                    quiet_secs = 0;
                    let Some(rest) = line.strip_prefix(TAG) else { continue };
                    let mut parts = rest.trim().splitn(3, ' ');
                    match (parts.next(), parts.next().and_then(|s| s.parse::<u64>().ok())) {
                        (Some("start"), Some(s)) => {
                            running = Some(s);
                            execs += 1;
                        }
                        (Some("finding"), Some(s)) => {
                            findings += 1;
                            println!(
                                "{}: finding at seed {s}: {}",
                                target.name,
                                parts.next().unwrap_or("")
                            );
                        }
                        _ => {}
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if !stopped(child.id()) {
                        quiet_secs += 1;
                    }
                    if quiet_secs >= HANG_SECS {
                        hung = true;
                        let _ = child.kill();
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let status = child.wait().expect("wait for child");
        if status.success() && !hung {
            break;
        }
        let s = running.unwrap_or(next);
        let what = if hung {
            format!("hang: no progress for {HANG_SECS} s")
        } else {
            use std::os::unix::process::ExitStatusExt;
            match status.signal() {
                Some(sig) => format!("crash: killed by signal {sig}"),
                None => format!("crash: exited with {status}"),
            }
        };
        findings += 1;
        let txt = save(target.name, s, &what, None);
        println!("{}: finding at seed {s}: {what} ({})", target.name, txt.display());
        next = s + 1;
    }
    println!("{}: {execs} executions, {findings} findings", target.name);
    (execs, findings)
}
