//! Differential WASI testing against the wasmtime CLI (the reference): the programs in
//! `tests/wasi/diff/` call every preview1 function family with the flags, rights, whence
//! values, lookup flags, fst flags and errno paths that matter, printing one line per call.
//! Each program runs under wasmtime and under Kiln (interpreter, compiler, and a compiled
//! artifact), each on a fresh copy of the same directory tree, with stdin a pipe that
//! receives data after a while and stdout and stderr pipes. Their standard output, exit
//! status and resulting directory trees must be equal, except for the differences listed
//! in the table of deliberate differences (`wasi/src/differences.md`, part of the
//! `kiln::wasi` docs): an unlisted difference fails, and so does a listed one that no longer
//! occurs.

use kiln::{Error, FSConfig, ModuleConfig, Runtime, RuntimeConfig};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The table of deliberate differences.
const DIFFERENCES: &str = include_str!("../../../wasi/src/differences.md");

/// Each program with the argument lists it runs with (one run each).
const PROGRAMS: &[(&str, &[&[&str]])] = &[
    ("open", &[&[]]),
    ("fdops", &[&[]]),
    ("paths", &[&[]]),
    ("readdir", &[&[]]),
    ("poll", &[&[]]),
    ("misc", &[&[], &["two words", "--flag", "ünïcödé"]]),
    (
        "badflags",
        &[&["0"], &["1"], &["2"], &["3"], &["4"], &["5"], &["6"], &["7"], &["8"], &["9"], &["10"]],
    ),
    ("stdio", &[&[]]),
    ("grid", &[&[]]),
];

/// The programs that also run as `wasi_unstable` (preview0) modules: their imports renamed
/// ([`as_preview0`]), so each call speaks the preview0 ABI, its layouts read through the
/// program's preview1 structures (the same on both runtimes). Each of these runs is
/// named `p0 <program>`.
const PREVIEW0: &[&str] = &["open", "fdops", "paths", "readdir", "poll"];

/// The programs that run with stdin read from a regular file and stdout written to one
/// (the others get pipes).
const FILE_STDIO: &[&str] = &["stdio"];

/// What the guest's stdin pipe receives, after [`STDIN_DELAY`].
const STDIN_DATA: &[u8] = b"stdin data\n";
const STDIN_DELAY: Duration = Duration::from_millis(300);

/// One run's observable result.
struct Observed {
    /// Standard output, one entry per line, then `exit N` or `trap`.
    lines: Vec<String>,
    /// The directory tree afterwards, one line per entry.
    tree: Vec<String>,
}

/// The directory tree every run starts from: `sandbox/` (mounted as `/sandbox`),
/// `other/` (mounted as `/other`) and `outside/` (not mounted; symbolic links point at it).
fn fixture(root: &Path) {
    use std::os::unix::fs::symlink;
    let sb = root.join("sandbox");
    for d in ["sandbox/dir/sub", "sandbox/emptydir", "other/odir", "outside"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(sb.join("file.txt"), "hello world\n").unwrap();
    std::fs::write(sb.join("empty"), "").unwrap();
    std::fs::write(sb.join("dir/a.txt"), "a").unwrap();
    for i in 1..=40 {
        std::fs::write(sb.join(format!("dir/sub/f{i}")), i.to_string()).unwrap();
    }
    for (link, target) in [
        ("link_file", "file.txt"),
        ("link_dir", "dir"),
        ("dangling", "missing"),
        ("loop1", "loop2"),
        ("loop2", "loop1"),
        ("self", "self"),
        ("escape", "../outside"),
        ("abs", "/etc/passwd"),
        ("dotdot", ".."),
    ] {
        symlink(target, sb.join(link)).unwrap();
    }
    std::fs::write(root.join("other/o.txt"), "other\n").unwrap();
}

/// Every entry under `root`'s `sandbox/`, `other/` and `outside/`, sorted: path, kind,
/// size, permission bits, and the contents of files or the target of links.
fn tree(root: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let mode = m.permissions().mode() & 0o7777;
            if m.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.push(format!("{rel} link -> {}", t.display()));
            } else if m.is_dir() {
                out.push(format!("{rel} dir {mode:o}"));
                walk(base, &p, out);
            } else {
                let data = std::fs::read(&p).unwrap();
                out.push(format!("{rel} file {mode:o} {:?}", String::from_utf8_lossy(&data)));
            }
        }
    }
    let mut out = Vec::new();
    for d in ["sandbox", "other", "outside"] {
        walk(root, &root.join(d), &mut out);
    }
    out.sort();
    out
}

/// For a run with file stdio: the file stdin reads (holding [`STDIN_DATA`]) and the file
/// stdout goes to, beside the fixture.
fn stdio_files(root: &Path) -> (PathBuf, PathBuf) {
    let (i, o) = (root.join("stdin.txt"), root.join("stdout.txt"));
    std::fs::write(&i, STDIN_DATA).unwrap();
    (i, o)
}

/// A fresh directory holding a copy of the fixture.
fn fresh_root(label: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let p = std::env::temp_dir().join(format!(
        "kiln-wasi-diff-{}-{label}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&p);
    fixture(&p);
    p
}

fn lines_of(stdout: &[u8], ending: String) -> Vec<String> {
    let text = String::from_utf8_lossy(stdout);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.push(ending);
    lines
}

/// Writes [`STDIN_DATA`] to `w` after [`STDIN_DELAY`], then closes it.
fn feed_stdin(mut w: impl Write + Send + 'static) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(STDIN_DELAY);
        // The guest may have ended without reading: a broken pipe is fine.
        let _ = w.write_all(STDIN_DATA);
    })
}

fn wasmtime_path() -> PathBuf {
    let p = kiln_tests::programs::Programs::default_root()
        .join("wasmtime")
        .join("wasmtime_cli")
        .join("wasmtime");
    assert!(
        p.exists(),
        "the reference runtime {} is missing: run scripts/fetch-programs.sh (or set \
         KILN_PROGRAMS_DIR)",
        p.display()
    );
    p
}

/// Runs `wasm_file` under the wasmtime CLI.
fn run_wasmtime(name: &str, wasm_file: &Path, args: &[&str]) -> Observed {
    use std::process::{Command, Stdio};
    let root = fresh_root("wasmtime");
    let files = FILE_STDIO.contains(&name).then(|| stdio_files(&root));
    let (stdin, stdout) = match &files {
        Some((i, o)) => (
            Stdio::from(std::fs::File::open(i).unwrap()),
            Stdio::from(std::fs::File::create(o).unwrap()),
        ),
        None => (Stdio::piped(), Stdio::piped()),
    };
    let mut child = Command::new(wasmtime_path())
        .arg("run")
        .arg("--dir")
        .arg(format!("{}::/sandbox", root.join("sandbox").display()))
        .arg("--dir")
        .arg(format!("{}::/other", root.join("other").display()))
        .arg(wasm_file)
        .args(args)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run wasmtime");
    let feeder = child.stdin.take().map(feed_stdin);
    let mut out = child.wait_with_output().unwrap();
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    if let Some((_, o)) = &files {
        out.stdout = std::fs::read(o).unwrap();
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ending = if stderr.contains("wasm backtrace") {
        "trap".to_string()
    } else {
        format!("exit {}", out.status.code().unwrap_or(-1))
    };
    let observed = Observed { lines: lines_of(&out.stdout, ending), tree: tree(&root) };
    let _ = std::fs::remove_dir_all(&root);
    observed
}

/// How Kiln runs a program.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Interpreter,
    Compiler,
    Artifact,
}

/// Runs `wasm` under Kiln in `mode`, through the embedding API with the grants `kiln run`
/// gives.
fn run_kiln(mode: Mode, name: &str, wasm: &[u8], args: &[&str]) -> Observed {
    let root = fresh_root(&format!("{mode:?}"));
    let rt = Runtime::with_config(match mode {
        Mode::Interpreter => RuntimeConfig::interpreter(),
        Mode::Compiler | Mode::Artifact => RuntimeConfig::compiler(),
    });
    kiln::wasi::instantiate(&rt).unwrap();
    let module = match mode {
        Mode::Artifact => {
            let bytes =
                kiln::aot::compile_artifact(wasm, &kiln::aot::AotOptions::default()).unwrap();
            let path = root.join(format!("{name}.kiln"));
            std::fs::write(&path, bytes).unwrap();
            // SAFETY: the artifact was written a moment ago by this process's own compiler, into
            // a directory only this test uses.
            let m = unsafe { rt.load_artifact_unsigned(&path) }.unwrap();
            assert!(m.is_from_artifact());
            m
        }
        _ => rt.compile(wasm).unwrap(),
    };
    let files = FILE_STDIO.contains(&name).then(|| stdio_files(&root));
    let (stdin_r, stdin_w) = std::io::pipe().unwrap();
    let (mut stdout_r, stdout_w) = std::io::pipe().unwrap();
    let (mut stderr_r, stderr_w) = std::io::pipe().unwrap();
    let (stdin, stdout): (std::os::fd::OwnedFd, std::os::fd::OwnedFd) = match &files {
        Some((i, o)) => {
            // The pipes stay unused: closing the write end lets the reader finish.
            drop((stdin_r, stdout_w));
            (std::fs::File::open(i).unwrap().into(), std::fs::File::create(o).unwrap().into())
        }
        None => (stdin_r.into(), stdout_w.into()),
    };
    let feeder = feed_stdin(stdin_w);
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        stdout_r.read_to_end(&mut v).unwrap();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        stderr_r.read_to_end(&mut v).unwrap();
        v
    });
    let program = format!("{name}.wasm");
    let config = ModuleConfig::new()
        .with_args(std::iter::once(program.as_str()).chain(args.iter().copied()))
        .with_stdin_fd(stdin)
        .with_stdout_fd(stdout)
        .with_stderr_fd(stderr_w)
        .with_sys_walltime()
        .with_sys_nanotime()
        .with_sys_nanosleep()
        .with_sys_rand()
        .with_fs_config(
            FSConfig::new()
                .with_dir_mount(root.join("sandbox"), "/sandbox")
                .with_dir_mount(root.join("other"), "/other"),
        );
    let ending = match rt.instantiate(&module, config) {
        Ok(_) => "exit 0".to_string(),
        Err(Error::Exit(e)) => format!("exit {}", e.code),
        Err(Error::Trap(_)) => "trap".to_string(),
        Err(e) => panic!("{name} on Kiln ({mode:?}): {e}"),
    };
    // The runtime holds the guest's descriptors: dropping it closes the pipes.
    drop(module);
    drop(rt);
    let mut stdout = out_reader.join().unwrap();
    let _stderr = err_reader.join().unwrap();
    feeder.join().unwrap();
    if let Some((_, o)) = &files {
        stdout = std::fs::read(o).unwrap();
    }
    let observed = Observed { lines: lines_of(&stdout, ending), tree: tree(&root) };
    let _ = std::fs::remove_dir_all(&root);
    observed
}

/// `wasm` with every import from `wasi_snapshot_preview1` imported from `wasi_unstable`
/// instead: the import section rewritten, every other byte kept.
fn as_preview0(wasm: &[u8]) -> Vec<u8> {
    fn leb(b: &[u8], pos: &mut usize) -> u32 {
        let (mut v, mut shift) = (0u32, 0);
        loop {
            let byte = b[*pos];
            *pos += 1;
            v |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return v;
            }
            shift += 7;
        }
    }
    fn put_leb(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    fn name<'a>(b: &'a [u8], pos: &mut usize) -> &'a [u8] {
        let len = leb(b, pos) as usize;
        *pos += len;
        &b[*pos - len..*pos]
    }
    fn limits(b: &[u8], pos: &mut usize) {
        let flags = b[*pos];
        *pos += 1;
        leb(b, pos);
        if flags & 1 != 0 {
            leb(b, pos);
        }
    }
    let mut out = wasm[..8].to_vec();
    let mut pos = 8;
    while pos < wasm.len() {
        let id = wasm[pos];
        pos += 1;
        let size = leb(wasm, &mut pos) as usize;
        let body = &wasm[pos..pos + size];
        pos += size;
        if id != 2 {
            out.push(id);
            put_leb(&mut out, size as u32);
            out.extend_from_slice(body);
            continue;
        }
        let mut p = 0;
        let count = leb(body, &mut p);
        let mut section = Vec::new();
        put_leb(&mut section, count);
        for _ in 0..count {
            let module = name(body, &mut p);
            let field_start = p;
            name(body, &mut p);
            match body[p] {
                0x00 => {
                    p += 1;
                    leb(body, &mut p);
                }
                0x01 => {
                    p += 2;
                    limits(body, &mut p);
                }
                0x02 => {
                    p += 1;
                    limits(body, &mut p);
                }
                0x03 => p += 3,
                k => panic!("import kind {k} in a test program"),
            }
            let module: &[u8] =
                if module == b"wasi_snapshot_preview1" { b"wasi_unstable" } else { module };
            put_leb(&mut section, module.len() as u32);
            section.extend_from_slice(module);
            section.extend_from_slice(&body[field_start..p]);
        }
        out.push(2);
        put_leb(&mut out, section.len() as u32);
        out.extend_from_slice(&section);
    }
    out
}

/// `line` with every number of 16 digits or more replaced by `<time>`: a preview0 run reads
/// its `filestat`s through preview1 structures, so host timestamps land in fields the
/// program prints.
fn hide_times(line: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() >= 16 {
            out.push_str("<time>");
        } else {
            out.push_str(&digits);
        }
        digits.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// The runs of `a` and `b` that differ: pairs of (lines only in `a`, lines only in `b`),
/// from a longest-common-subsequence alignment.
fn hunks(a: &[String], b: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] =
                if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let mut cur: (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            if !cur.0.is_empty() || !cur.1.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            cur.1.push(b[j].clone());
            j += 1;
        } else {
            cur.0.push(a[i].clone());
            i += 1;
        }
    }
    if !cur.0.is_empty() || !cur.1.is_empty() {
        out.push(cur);
    }
    out
}

/// One row of the table: the run, what wasmtime printed, what Kiln printed (lines joined
/// with ` / `).
#[derive(Debug)]
struct Listed {
    run: String,
    wasmtime: String,
    kiln: String,
}

/// The rows of the markdown table in [`DIFFERENCES`] (`| run | wasmtime | Kiln | why |`).
fn listed() -> Vec<Listed> {
    DIFFERENCES
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            assert!(cells.len() == 4, "a row of differences.md needs 4 cells: {l}");
            let code = |c: &str| c.trim_matches('`').replace("\\|", "|");
            Listed { run: code(cells[0]), wasmtime: code(cells[1]), kiln: code(cells[2]) }
        })
        .collect()
}

#[test]
fn kiln_matches_wasmtime_on_every_call() {
    let table = listed();
    let mut used = vec![false; table.len()];
    let mut problems = Vec::new();
    let (mut runs, mut calls, mut listed_seen) = (0, 0, 0);
    let scratch = std::env::temp_dir().join(format!("kiln-wasi-diff-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut plan: Vec<(String, &str, Vec<u8>, &[&str])> = Vec::new();
    for (name, arg_lists) in PROGRAMS {
        let wasm = kiln_tests::build_wasi_program(&format!("diff/{name}.c"))
            .unwrap_or_else(|e| panic!("{e}"));
        for args in *arg_lists {
            let run =
                std::iter::once(*name).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
            plan.push((run, name, wasm.clone(), args));
        }
        if PREVIEW0.contains(name) {
            plan.push((format!("p0 {name}"), name, as_preview0(&wasm), &[]));
        }
    }
    for (run, name, wasm, args) in &plan {
        let wasm_file = scratch.join(format!("{name}.wasm"));
        std::fs::write(&wasm_file, wasm).unwrap();
        let mut reference = run_wasmtime(name, &wasm_file, args);
        if run.starts_with("p0 ") {
            reference.lines = reference.lines.iter().map(|l| hide_times(l)).collect();
        }
        runs += 1;
        calls += reference.lines.len() - 1;
        for mode in [Mode::Interpreter, Mode::Compiler, Mode::Artifact] {
            let mut kiln = run_kiln(mode, name, wasm, args);
            if run.starts_with("p0 ") {
                kiln.lines = kiln.lines.iter().map(|l| hide_times(l)).collect();
            }
            for (w, k) in hunks(&reference.lines, &kiln.lines) {
                let (w, k) = (w.join(" / "), k.join(" / "));
                match table.iter().position(|r| &r.run == run && r.wasmtime == w && r.kiln == k) {
                    Some(i) => {
                        used[i] = true;
                        listed_seen += 1;
                    }
                    None => problems.push(format!(
                        "{run} on Kiln ({mode:?}): unlisted difference\n  wasmtime: {w}\n  \
                         Kiln:     {k}"
                    )),
                }
            }
            for (w, k) in hunks(&reference.tree, &kiln.tree) {
                problems.push(format!(
                    "{run} on Kiln ({mode:?}): the directory trees differ\n  wasmtime: {}\n  \
                     Kiln:     {}",
                    w.join(" / "),
                    k.join(" / ")
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    for (row, used) in table.iter().zip(&used) {
        if !used {
            problems.push(format!("listed difference no longer occurs: {row:?}"));
        }
    }
    println!(
        "WASI differential suite: {} programs, {runs} runs, {calls} calls compared with \
         wasmtime on each of the interpreter, the compiler and an artifact ({} in all), \
         {listed_seen} listed differences seen, {} rows in the table",
        PROGRAMS.len(),
        calls * 3,
        table.len()
    );
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(calls > 700, "the suite compared only {calls} calls");
}
