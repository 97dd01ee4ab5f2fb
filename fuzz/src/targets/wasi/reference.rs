//! The `wasi` target's cases compared with wasmtime, the reference runtime.
//!
//! A case is a call sequence like the host-driven cases' (same functions, same argument
//! roles; see [`super::Guest::reference`] for the inputs left out), compiled into a program:
//! its memory image is a data segment, its `_start` makes the calls with constant arguments
//! and, after each, writes a 12-byte record to stdout: the errno (`u32`, little-endian) and
//! the call's main output when it returned 0 (`u64`: a count, an offset or a descriptor,
//! [`reported_output`]), else 0. The program runs under Kiln (interpreter or compiler) and
//! under the wasmtime CLI, each over its own copy of the tree, with the same arguments,
//! environment and preopens (`mount` at the case's guest path, then `ro` at `/ro`;
//! wasmtime's CLI has no read-only preopen, so here `ro` is writable on both), stdin on
//! `/dev/null`, stderr on a file.
//!
//! Compared: every record, how the program ended (exit code, or a trap), and the trees
//! afterwards (every entry's path, kind, permission bits, size, contents and link target;
//! not times, which differ between any two runs). Two differences are Kiln's by design and
//! accepted:
//! - An argument wasmtime cannot convert (a flag or enum value witx does not define, a
//!   pointer outside memory or misaligned, a path that is not UTF-8) traps on wasmtime;
//!   Kiln returns an errno the guest can handle (`wasi/src/differences.md`, `badflags`).
//!   Such a case runs on Kiln up to and including that call, which must fail; then the
//!   records and trees are compared.
//! - Kiln checks a call's flags and pointers before its descriptor and its file system
//!   operation, and checks a buffer's whole range; wasmtime checks each where it uses it,
//!   and only the bytes it touches. So where Kiln answers `EINVAL` and wasmtime another
//!   error, or Kiln `EFAULT` and wasmtime anything, the comparison goes on (an effect
//!   wasmtime had shows in a later record or in the trees).
//! - `fd_read` into no buffers: Kiln reads 0 bytes, wasmtime answers `EINTR` on its stdio
//!   streams (whatever number `fd_renumber` gave them).
//! - Reads and writes get at most one iovec: given several, wasmtime moves only the first
//!   non-empty buffer (a short read or write, which preview1 allows), Kiln moves them all.
//!
//! `poll_oneoff` is left out: its results depend on timing.
//!
//! The wasmtime CLI is the one `scripts/fetch-wasmtime.sh` installs (`.programs/`, or
//! `$KILN_PROGRAMS_DIR`); without it a case fails with a `setup` finding that says so.

use super::{
    FUNCTIONS, Guest, MEMORY_PAGES, files_with_secret, make_tree, memory_image, write_imports,
};
use crate::finding::{Finding, Input, set_current_input};
use crate::rng::Rng;
use kiln::{Error, FSConfig, ModuleConfig, Runtime, RuntimeConfig};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The program's memory: the input pages, then one page for scratch output and the report.
const PAGES: u32 = MEMORY_PAGES as u32 + 1;
/// Where `random_get` and `fd_readdir` write (inputs never point here).
pub(super) const SCRATCH_AT: u32 = MEMORY_PAGES as u32 * 65536;
/// The scratch area's length in bytes; a buffer may run 4 KiB past it.
pub(super) const SCRATCH_LEN: u32 = 32768;
/// The report record (12 bytes), its iovec (8) and `fd_write`'s count (4).
const REPORT_AT: u32 = PAGES * 65536 - 64;
/// Pointers that lie wholly or partly outside memory.
pub(super) const WILD_POINTERS: [u32; 5] =
    [u32::MAX, 0x8000_0000, PAGES * 65536, PAGES * 65536 - 3, 0xFFFF_FFF8];
/// The wasmtime process is killed after this long (a case takes a few milliseconds).
const WASMTIME_TIMEOUT: Duration = Duration::from_secs(30);
/// `EINVAL`.
const EINVAL: u32 = 28;
/// `EFAULT`.
const EFAULT: u32 = 21;
/// `EINTR`.
const EINTR: u32 = 27;
/// What wasmtime (wiggle) prints when it cannot convert a call's argument and traps.
const ARGUMENT_ERRORS: [&str; 9] = [
    "Int conversion error",
    "Invalid flag value",
    "Invalid enum value",
    "Pointer out of bounds",
    "Pointer not aligned",
    "Invalid UTF-8",
    "Integer overflow",
    "Slice length mismatch",
    "exceeds limit",
];

/// The output a call reports when it returns 0: where it lies relative to the call's first
/// `o` pointer and its width in bytes. Outputs that differ between runtimes by nature
/// (times, inode numbers, a descriptor's kind for stdio) are not reported.
fn reported_output(name: &str) -> Option<(u32, u32)> {
    Some(match name {
        "args_sizes_get" | "environ_sizes_get" => (0, 4),
        "fd_read" | "fd_write" | "fd_pread" | "fd_pwrite" => (0, 4),
        "fd_seek" | "fd_tell" => (0, 8),
        "fd_prestat_get" => (4, 4),
        "path_open" | "path_readlink" | "sock_accept" => (0, 4),
        _ => return None,
    })
}

/// One call of the program.
struct Call {
    name: &'static str,
    /// Each argument as its wasm constant (`i32.const N` or `i64.const N`).
    args: Vec<String>,
    /// The first `o` argument.
    out: Option<u32>,
}

/// How a run ended.
#[derive(Debug, PartialEq)]
enum Ending {
    Exit(u32),
    Trap(String),
}

/// What a run showed.
struct Observed {
    stdout: Vec<u8>,
    ending: Ending,
    tree: BTreeMap<String, String>,
    /// For wasmtime: the kind of argument error it trapped on ([`ARGUMENT_ERRORS`]).
    argument_error: Option<&'static str>,
}

/// Runs the case of `seed` as a program under Kiln and under wasmtime and compares them.
///
/// # Errors
/// `differs` (a record, the ending or the trees differ), `leak` (the secret reached a file
/// under the mounts), or `setup`.
pub fn run(seed: u64) -> Result<(), Finding> {
    let mut rng = Rng::new(seed, 3);
    let image = memory_image(&mut rng);
    let guest_path = *rng.pick(&["/", "/sandbox", "."]);
    let interpreter = rng.chance(1, 2);
    let mut guest = Guest { rng, fds: vec![0, 2, 3, 4], reference: true, outs: 0 };
    let calls = generate(&mut guest);
    let wat = program(&image, &calls);
    set_current_input(wat.as_bytes(), "wat");
    let input = || Some(Input { bytes: wat.clone().into_bytes(), ext: "wat" });
    let wasm = wat::parse_str(&wat).map_err(|e| Finding::new(format!("setup: wat: {e}"), None))?;

    let (kiln_root, wasmtime_root) = (make_root(seed, "-kiln")?, make_root(seed, "-wasmtime")?);
    let result = (|| {
        let reference = run_wasmtime(&wasmtime_root, &wasm, guest_path)?;
        // A trap on an argument ends the comparison at that call: Kiln runs the calls up
        // to and including it.
        let trapped_at = reference.argument_error.map(|_| reference.stdout.len() / 12);
        let kiln = match trapped_at {
            Some(k) if k < calls.len() => {
                let wat = program(&image, &calls[..=k]);
                let wasm = wat::parse_str(&wat)
                    .map_err(|e| Finding::new(format!("setup: wat: {e}"), None))?;
                run_kiln(&kiln_root, &wasm, guest_path, interpreter)?
            }
            _ => run_kiln(&kiln_root, &wasm, guest_path, interpreter)?,
        };
        compare(&calls, &kiln, &reference, input)?;
        let mut leaked = Vec::new();
        files_with_secret(&kiln_root.join("mount"), &mut leaked);
        if !leaked.is_empty() {
            return Err(Finding::new(format!("leak: the secret reached {leaked:?}"), input()));
        }
        Ok(())
    })();
    for root in [&kiln_root, &wasmtime_root] {
        let _ = std::fs::remove_dir_all(root);
        let _ = std::fs::remove_file(root.with_extension("stderr"));
    }
    result
}

fn make_root(seed: u64, tag: &str) -> Result<PathBuf, Finding> {
    make_tree(seed, tag).map_err(|e| Finding::new(format!("setup: tree: {e}"), None))
}

/// The calls of a case: up to 40, the last possibly `proc_exit`.
fn generate(guest: &mut Guest) -> Vec<Call> {
    let steps = guest.rng.range(1, 40);
    let mut calls = Vec::new();
    while calls.len() < steps as usize {
        let (name, roles) = *guest.rng.pick(&FUNCTIONS);
        if name == "poll_oneoff" {
            continue;
        }
        let (mut pending, mut out, mut args) = (None, None, Vec::new());
        guest.outs = 0;
        for r in roles.chars() {
            if "LRT".contains(r) {
                args.push(format!("i64.const {}", guest.arg_i64(r, name) as i64));
            } else {
                let v = if name == "proc_exit" {
                    guest.rng.below(4) as u32
                } else {
                    guest.arg_i32(name, r, &mut pending)
                };
                if r == 'o' && out.is_none() {
                    out = Some(v);
                }
                args.push(format!("i32.const {}", v as i32));
            }
        }
        calls.push(Call { name, args, out });
        if name == "proc_exit" {
            break;
        }
    }
    calls
}

/// The program's text.
fn program(image: &[u8], calls: &[Call]) -> String {
    let mut w = String::from("(module\n");
    write_imports(&mut w);
    let _ = writeln!(w, "  (memory (export \"memory\") {PAGES})");
    w.push_str("  (data (i32.const 0) \"");
    for b in image {
        let _ = write!(w, "\\{b:02x}");
    }
    w.push_str("\")\n");
    let r = REPORT_AT;
    let _ = writeln!(
        w,
        "  (func $report (param $errno i32) (param $value i64)\n    \
         (i32.store (i32.const {r}) (local.get $errno))\n    \
         (i64.store (i32.const {}) (local.get $value))\n    \
         (i32.store (i32.const {}) (i32.const {r}))\n    \
         (i32.store (i32.const {}) (i32.const 12))\n    \
         (drop (call $fd_write (i32.const 1) (i32.const {}) (i32.const 1) (i32.const {}))))",
        r + 4,
        r + 16,
        r + 20,
        r + 16,
        r + 24
    );
    w.push_str("  (func (export \"_start\") (local $e i32)\n");
    for c in calls {
        let args: String = c.args.iter().map(|a| format!(" ({a})")).collect();
        let call = format!("(call ${}{args})", c.name);
        if c.name == "proc_exit" {
            let _ = writeln!(w, "    {call}");
            continue;
        }
        let value = match (reported_output(c.name), c.out) {
            (Some((offset, width)), Some(at)) => {
                let load = if width == 8 { "i64.load" } else { "i64.load32_u" };
                format!(
                    "(if (result i64) (i32.eqz (local.get $e)) (then ({load} offset={offset} \
                     (i32.const {at}))) (else (i64.const 0)))"
                )
            }
            _ => "(i64.const 0)".to_string(),
        };
        let _ = writeln!(w, "    (local.set $e {call})\n    (call $report (local.get $e) {value})");
    }
    w.push_str("  ))\n");
    w
}

/// A `Write` into a buffer the test keeps.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const ARGS: [&str; 3] = ["guest.wasm", "--flag", "x"];

/// A file beside `root` for a run's stderr, in append mode: the guest may seek or truncate
/// its stderr, and wasmtime's report of a trap must still come last.
fn stdio_file(root: &Path, name: &str) -> Result<std::fs::File, Finding> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(root.with_extension(name))
        .map_err(|e| Finding::new(format!("setup: {name}: {e}"), None))
}

fn dev_null() -> Result<std::fs::File, Finding> {
    std::fs::File::open("/dev/null")
        .map_err(|e| Finding::new(format!("setup: /dev/null: {e}"), None))
}

fn run_kiln(
    root: &Path,
    wasm: &[u8],
    guest_path: &str,
    interpreter: bool,
) -> Result<Observed, Finding> {
    let setup = |what: &str, e: Error| Finding::new(format!("setup: {what}: {e}"), None);
    let config = if interpreter { RuntimeConfig::interpreter() } else { RuntimeConfig::compiler() };
    let rt = Runtime::with_config(config);
    kiln::wasi::instantiate(&rt).map_err(|e| setup("wasi", e))?;
    let module = rt.compile(wasm).map_err(|e| setup("compile", e))?;
    let stdout = Captured::default();
    let fs = FSConfig::new()
        .with_dir_mount(root.join("mount"), guest_path)
        .with_dir_mount(root.join("ro"), "/ro");
    let cfg = ModuleConfig::new()
        .with_args(ARGS)
        .with_env("K", "v")
        .with_fs_config(fs)
        .with_stdin_fd(dev_null()?)
        .with_stdout(stdout.clone())
        .with_stderr_fd(stdio_file(root, "stderr")?);
    let ending = match rt.instantiate(&module, cfg) {
        Ok(_) => Ending::Exit(0),
        Err(Error::Exit(e)) => Ending::Exit(e.code),
        Err(Error::Trap(t)) => Ending::Trap(t.to_string()),
        Err(e) => return Err(setup("instantiate", e)),
    };
    drop(rt);
    let stdout = std::mem::take(&mut *stdout.0.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(Observed { stdout, ending, tree: describe(root), argument_error: None })
}

/// The wasmtime CLI `scripts/fetch-wasmtime.sh` installs.
fn wasmtime_cli() -> Result<PathBuf, Finding> {
    let programs = std::env::var_os("KILN_PROGRAMS_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.programs"), PathBuf::from);
    let cli = programs.join("wasmtime/wasmtime_cli/wasmtime");
    if cli.exists() {
        Ok(cli)
    } else {
        Err(Finding::new(
            format!(
                "setup: the reference runtime {} is missing: run scripts/fetch-wasmtime.sh",
                cli.display()
            ),
            None,
        ))
    }
}

fn run_wasmtime(root: &Path, wasm: &[u8], guest_path: &str) -> Result<Observed, Finding> {
    use std::process::{Command, Stdio};
    let setup = |what: &str, e: std::io::Error| Finding::new(format!("setup: {what}: {e}"), None);
    let dir = root.with_extension("bin");
    std::fs::create_dir_all(&dir).map_err(|e| setup("program dir", e))?;
    std::fs::write(dir.join(ARGS[0]), wasm).map_err(|e| setup("program", e))?;
    let mut child = Command::new(wasmtime_cli()?)
        .current_dir(&dir)
        .env_remove("RUST_BACKTRACE")
        .args(["run", "-C", "cache=n", "--env", "K=v", "--dir"])
        .arg(format!("{}::{guest_path}", root.join("mount").display()))
        .arg("--dir")
        .arg(format!("{}::/ro", root.join("ro").display()))
        .args(ARGS)
        .stdin(Stdio::from(dev_null()?))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(stdio_file(root, "stderr")?))
        .spawn()
        .map_err(|e| setup("wasmtime", e))?;
    let mut pipe = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = pipe.read_to_end(&mut out);
        out
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| setup("wasmtime", e))? {
            Some(s) => break s,
            None if start.elapsed() > WASMTIME_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Finding::new("setup: wasmtime did not end in 30 s", None));
            }
            None => std::thread::sleep(Duration::from_millis(1)),
        }
    };
    let stdout = reader.join().unwrap_or_default();
    let stderr = std::fs::read(root.with_extension("stderr")).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr);
    let _ = std::fs::remove_dir_all(&dir);
    // The guest may have written anything to stderr before wasmtime's own report.
    let ending = match status.code() {
        Some(c) if !stderr.contains("Error: failed to run main module") => Ending::Exit(c as u32),
        _ => Ending::Trap(
            stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("killed").to_string(),
        ),
    };
    let argument_error = match ending {
        Ending::Trap(_) => ARGUMENT_ERRORS.into_iter().find(|e| stderr.contains(e)),
        Ending::Exit(_) => None,
    };
    Ok(Observed { stdout, ending, tree: describe(root), argument_error })
}

/// Every entry under `root`: relative path -> kind, permission bits, size, contents' hash or
/// link target (with `root` written as `ROOT`).
fn describe(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(md) = std::fs::symlink_metadata(&p) else { continue };
            use std::os::unix::fs::MetadataExt;
            let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            let ft = md.file_type();
            let desc = if ft.is_symlink() {
                let target = std::fs::read_link(&p).map(|t| t.display().to_string());
                let target =
                    target.unwrap_or_default().replace(&root.display().to_string(), "ROOT");
                format!("symlink -> {target}")
            } else if ft.is_dir() {
                format!("dir {:o}", md.mode() & 0o7777)
            } else {
                let hash = std::fs::read(&p).map(|b| crate::rng::fnv(&b)).unwrap_or(0);
                format!("file {:o} {} bytes {hash:x}", md.mode() & 0o7777, md.len())
            };
            out.insert(rel, desc);
            if ft.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// One 12-byte record: errno, output.
fn record(bytes: &[u8], i: usize) -> Option<(u32, u64)> {
    let r = bytes.get(12 * i..12 * i + 12)?;
    Some((
        u32::from_le_bytes(r[..4].try_into().expect("4 bytes")),
        u64::from_le_bytes(r[4..].try_into().expect("8 bytes")),
    ))
}

fn compare(
    calls: &[Call],
    kiln: &Observed,
    reference: &Observed,
    input: impl Fn() -> Option<Input>,
) -> Result<(), Finding> {
    let show = |i: usize| {
        calls.get(i).map_or_else(String::new, |c| format!("{}({})", c.name, c.args.join(", ")))
    };
    let mut truncated = false;
    for (i, call) in calls.iter().enumerate() {
        match (record(&kiln.stdout, i), record(&reference.stdout, i)) {
            (Some(k), Some(w)) if k == w => {}
            (Some((0, 0)), Some((EINTR, 0)))
                if call.name == "fd_read" && call.args[2] == "i32.const 0" =>
            {
                // wasmtime's stdio streams answer a read into no buffers with EINTR (the
                // stream may be under another number after `fd_renumber`).
                crate::stats::note("compared with wasmtime: a read into no buffers");
            }
            (Some((k, _)), Some((w, _))) if (k == EINVAL && w != 0) || k == EFAULT => {
                // Kiln checks flags and whole pointer ranges first.
                crate::stats::note(
                    "compared with wasmtime: Kiln's EINVAL or EFAULT, another answer",
                );
            }
            (Some((k, kv)), Some((w, wv))) => {
                return Err(Finding::new(
                    format!(
                        "differs: step {i}, {}: Kiln errno {k} output {kv}, wasmtime errno {w} \
                         output {wv}",
                        show(i)
                    ),
                    input(),
                ));
            }
            (Some((k, _)), None) if k != 0 && reference.argument_error.is_some() => {
                crate::stats::note("compared with wasmtime up to its trap on an argument");
                truncated = true;
                break;
            }
            (None, None) => break,
            (k, w) => {
                return Err(Finding::new(
                    format!(
                        "differs: step {i}, {}: Kiln {k:?} ({:?}), wasmtime {w:?} ({:?}, {})",
                        show(i),
                        kiln.ending,
                        reference.ending,
                        reference.argument_error.unwrap_or("")
                    ),
                    input(),
                ));
            }
        }
    }
    let same_ending = match (&kiln.ending, &reference.ending) {
        _ if truncated => kiln.ending == Ending::Exit(0),
        (Ending::Exit(k), Ending::Exit(w)) => k == w,
        (Ending::Trap(_), Ending::Trap(_)) => true,
        _ => false,
    };
    if !same_ending {
        return Err(Finding::new(
            format!("differs: ending: Kiln {:?}, wasmtime {:?}", kiln.ending, reference.ending),
            input(),
        ));
    }
    if kiln.tree != reference.tree {
        let mut diff = String::new();
        for (k, v) in &kiln.tree {
            if reference.tree.get(k) != Some(v) {
                let _ = write!(diff, " {k}: Kiln {v}, wasmtime {:?};", reference.tree.get(k));
            }
        }
        for (k, v) in &reference.tree {
            if !kiln.tree.contains_key(k) {
                let _ = write!(diff, " {k}: Kiln none, wasmtime {v};");
            }
        }
        return Err(Finding::new(format!("differs: trees:{diff}"), input()));
    }
    crate::stats::note("compared with wasmtime: same records, ending and tree");
    Ok(())
}
