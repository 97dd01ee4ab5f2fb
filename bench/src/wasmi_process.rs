//! wasmi timed in a process of its own: the `wasmi-kernel` binary (src/bin/wasmi_kernel.rs)
//! beside the running benchmark.
//!
//! Why a process: wasmi's time on a kernel moved by up to 40% between two builds of one
//! benchmark binary (mandelbrot 24 and 41 ms) with the code of both engines linked into it,
//! because where wasmi's dispatch code lands moved with every change to Kiln. `wasmi-kernel`
//! links wasmi and nothing of Kiln, so its code is placed the same way until wasmi, its
//! source or the toolchain changes, and the ratios move only when Kiln's times do.
//!
//! The protocol: `wasmi-kernel FILE EXPORT ARG ITERS SAMPLES` runs [`crate::time`] on the
//! module in FILE and prints one line, `RESULT MEDIAN_NS MIN_NS MAX_NS`.

use crate::timing::{combine, time_interleaved_with};
use crate::{Runner, Timing, Workload};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The `wasmi-kernel` binary beside the running one.
///
/// # Errors
/// When it is not there, with the command that builds it.
pub fn wasmi_kernel_exe() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("the running binary's path: {e}"))?;
    let dir = exe.parent().ok_or("the running binary has no directory")?;
    // A benchmark run by `cargo bench` or a test lives in `deps/`; the binaries are above it.
    let candidates = [dir.join("wasmi-kernel"), dir.join("../wasmi-kernel")];
    candidates.into_iter().find(|p| p.exists()).ok_or_else(|| {
        format!(
            "wasmi runs in a process of its own, the `wasmi-kernel` binary, which is not in {}: \
             build it with `cargo build -p kiln-bench --release --bin wasmi-kernel`",
            dir.display()
        )
    })
}

/// Times `w` on wasmi in a `wasmi-kernel` process, as [`crate::time`] does in process:
/// warmed up for [`crate::WARM_UP`], then `samples` samples of `w.iters` calls.
///
/// # Errors
/// When `wasmi-kernel` is missing or fails (its message), or its output is not the
/// protocol's line.
pub fn time_in_wasmi_process(w: &Workload, samples: usize) -> Result<Timing, String> {
    let exe = wasmi_kernel_exe()?;
    let file = std::env::temp_dir().join(format!(
        "kiln-bench-{}-{}.wasm",
        std::process::id(),
        w.name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    std::fs::write(&file, &w.wasm).map_err(|e| format!("{}: {e}", file.display()))?;
    let out = Command::new(&exe)
        .arg(&file)
        .arg(&w.export)
        .arg(w.arg.to_string())
        .arg(w.iters.to_string())
        .arg(samples.to_string())
        .output();
    let _ = std::fs::remove_file(&file);
    let out = out.map_err(|e| format!("{}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} ({}): {}",
            exe.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let line = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = line.split_whitespace().collect();
    let bad = || format!("{}: unexpected output {:?}", exe.display(), line.trim());
    let [result, median, min, max] = fields[..] else { return Err(bad()) };
    let ns = |s: &str| s.parse::<u64>().map(Duration::from_nanos).map_err(|_| bad());
    Ok(Timing {
        result: result.parse().map_err(|_| bad())?,
        median: ns(median)?,
        min: ns(min)?,
        max: ns(max)?,
    })
}

/// `runners` timed in rounds ([`crate::time_interleaved`]) with wasmi in the same rounds: at
/// the end of each, a `wasmi-kernel` process warms up and takes one sample
/// ([`time_in_wasmi_process`]), so that a slow spell of the machine weighs on wasmi's
/// column as on the others. The in-process engines' timings, then wasmi's.
///
/// # Errors
/// As [`crate::time_interleaved`]; wasmi's errors have the index `runners.len()`.
pub fn time_interleaved_with_wasmi(
    runners: &mut [&mut dyn Runner],
    w: &Workload,
    samples: usize,
) -> Result<(Vec<Timing>, Timing), (usize, String)> {
    let mut wasmi = Vec::with_capacity(samples);
    let timed = time_interleaved_with(runners, w, samples, &mut || {
        wasmi.push(time_in_wasmi_process(w, 1)?);
        Ok(())
    })?;
    let wasmi = combine(&wasmi).map_err(|e| (runners.len(), e))?;
    Ok((timed, wasmi))
}
