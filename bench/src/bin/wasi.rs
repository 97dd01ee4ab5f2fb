//! The cost of a WASI call, Kiln (compiled) beside wasmtime: a guest making 1,000,000 small
//! `fd_write` calls to stdout on `/dev/null`, and one making 100,000 `path_open` +
//! `fd_close` pairs on a file of a preopened directory. Both runtimes run as command-line
//! processes (`kiln run`, `wasmtime run`; the wasmtime-wasi crate of the workspace's
//! wasmtime version is not a dependency), each with the same module, stdio and directory;
//! a guest that makes no call measures the start-up, which is taken off. Best of several
//! runs; printed as ns per call with the ratio Kiln / wasmtime (below 1.0: Kiln is faster).
//!
//! ```text
//! cargo build --release -p kiln-cli
//! cargo run -p kiln-bench --release --bin wasi [-- --runs N]
//! ```
//!
//! The `kiln` binary is `$KILN_BIN`, else `target/release/kiln`; wasmtime is the fetched
//! CLI (`$KILN_PROGRAMS_DIR/wasmtime/wasmtime_cli/wasmtime`, see scripts/fetch-programs.sh).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `fd_write` calls in the write guest.
const WRITES: u32 = 1_000_000;
/// `path_open` + `fd_close` pairs in the open guest.
const OPENS: u32 = 100_000;

/// A command module whose `_start` runs `body` `count` times (with `$i` counting down),
/// importing `fd_write`, `path_open` and `fd_close`; memory holds a 16-byte message at 64,
/// its iovec at 0 and the file name "f" at 128. A call that fails ends the guest with
/// `proc_exit(1)`, so every timed call is a successful one.
fn guest(count: u32, body: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
          (import "wasi_snapshot_preview1" "fd_write"
            (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "path_open"
            (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "\40\00\00\00\10\00\00\00")
          (data (i32.const 64) "0123456789abcde\n")
          (data (i32.const 128) "f")
          (func $check (param i32) (if (local.get 0) (then (call $proc_exit (i32.const 1)))))
          (func (export "_start") (local $i i32)
            (local.set $i (i32.const {count}))
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $i)))
                {body}
                (local.set $i (i32.sub (local.get $i) (i32.const 1)))
                (br $next)))))"#
    ))
    .expect("the benchmark guests are valid wat")
}

/// The three guests: (label, calls, module).
fn guests() -> Vec<(&'static str, u32, Vec<u8>)> {
    let write = "(call $check (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) \
                 (i32.const 32)))";
    // path_open(3, follow, "f", 1 byte, no oflags, fd_read, 0, no fdflags, fd at 48), then
    // fd_close of the new descriptor.
    let open = "(call $check (call $path_open (i32.const 3) (i32.const 1) (i32.const 128) \
                (i32.const 1) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) \
                (i32.const 48))) (call $check (call $fd_close (i32.load (i32.const 48))))";
    vec![
        ("start-up (no call)", 0, guest(0, "")),
        ("fd_write 16 B to /dev/null", WRITES, guest(WRITES, write)),
        ("path_open + fd_close", OPENS, guest(OPENS, open)),
    ]
}

/// Runs `program run --dir DIR::/ module` with stdio on /dev/null; its wall time.
fn run_once(program: &Path, module: &Path, dir: &Path) -> Result<Duration, String> {
    let devnull = || std::fs::File::options().read(true).write(true).open("/dev/null");
    let t = Instant::now();
    let status = Command::new(program)
        .arg("run")
        .arg("--dir")
        .arg(format!("{}::/", dir.display()))
        .arg(module)
        .stdin(Stdio::from(devnull().map_err(|e| e.to_string())?))
        .stdout(Stdio::from(devnull().map_err(|e| e.to_string())?))
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let elapsed = t.elapsed();
    if !status.success() {
        return Err(format!("{} run {} failed: {status}", program.display(), module.display()));
    }
    Ok(elapsed)
}

/// The best of `runs` runs.
fn best(program: &Path, module: &Path, dir: &Path, runs: usize) -> Result<Duration, String> {
    (0..runs).map(|_| run_once(program, module, dir)).try_fold(Duration::MAX, |b, t| Ok(b.min(t?)))
}

fn kiln_bin() -> PathBuf {
    std::env::var_os("KILN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| kiln_tests::target_dir().join("release").join("kiln"))
}

fn main() -> Result<(), String> {
    let mut runs = 5;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).ok_or("--runs N")?,
            _ => return Err(format!("unknown argument {a}; usage: wasi [--runs N]")),
        }
    }
    let kiln = kiln_bin();
    let wasmtime = kiln_tests::programs::Programs::default_root()
        .join("wasmtime")
        .join("wasmtime_cli")
        .join("wasmtime");
    for (p, hint) in [
        (&kiln, "build it with `cargo build --release -p kiln-cli` or set KILN_BIN"),
        (&wasmtime, "run scripts/fetch-programs.sh or set KILN_PROGRAMS_DIR"),
    ] {
        if !p.exists() {
            return Err(format!("{} is missing: {hint}", p.display()));
        }
    }
    let dir = std::env::temp_dir().join(format!("kiln-bench-wasi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("f"), "a file to open\n").map_err(|e| e.to_string())?;

    let mut rows = Vec::new();
    let mut startup: Option<(Duration, Duration)> = None;
    for (label, calls, wasm) in guests() {
        let module = dir.join(format!("guest-{calls}.wasm"));
        std::fs::write(&module, wasm).map_err(|e| e.to_string())?;
        // Interleave the runtimes so that both see the same machine load.
        let (mut k, mut w) = (Duration::MAX, Duration::MAX);
        for _ in 0..runs {
            k = k.min(best(&kiln, &module, &dir, 1)?);
            w = w.min(best(&wasmtime, &module, &dir, 1)?);
        }
        match startup {
            None => {
                startup = Some((k, w));
                rows.push(format!(
                    "{label:<28} {:>12.2} ms {:>12.2} ms {:>8.2}x",
                    k.as_secs_f64() * 1e3,
                    w.as_secs_f64() * 1e3,
                    k.as_secs_f64() / w.as_secs_f64()
                ));
            }
            Some((k0, w0)) => {
                let per = |t: Duration, t0: Duration| {
                    t.saturating_sub(t0).as_secs_f64() * 1e9 / f64::from(calls)
                };
                let (kn, wn) = (per(k, k0), per(w, w0));
                rows.push(format!(
                    "{label:<28} {kn:>12.1} ns {wn:>12.1} ns {:>8.2}x   ({calls} calls; whole \
                     runs {:.0} ms / {:.0} ms)",
                    kn / wn,
                    k.as_secs_f64() * 1e3,
                    w.as_secs_f64() * 1e3
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("WASI call cost, best of {runs} runs, start-up taken off the per-call figures");
    println!("{:<28} {:>15} {:>15} {:>9}", "guest", "Kiln (compiled)", "wasmtime", "ratio");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
