//! `kiln run` with the guest's stdio attached to a pipe, a regular file and a terminal (a
//! pseudo-terminal): the guest sees each for what it is (`fd_fdstat_get`, `isatty`), and a
//! real program that checks whether its output is a terminal — Debian's bzip2, which
//! refuses to write compressed data to one — gives wasmtime's bytes when its output goes to
//! a file and refuses, as under wasmtime, when it goes to a terminal.
//!
//! bzip2.wasm comes from `scripts/fetch-programs.sh` (Debian's bzip2 source, built for
//! wasm32-wasi), as does the wasmtime CLI; without them the bzip2 test fails and says so.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn kiln() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kiln"))
}

/// A scratch directory for one test, emptied first.
fn scratch(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-wasi-stdio-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The stdio probe (tests/wasi/diff/stdio.c): for fds 0-2 their fdstat, filestat type and
/// `isatty`, then one read of stdin.
fn probe(dir: &Path) -> PathBuf {
    let wasm = kiln_tests::build_wasi_program("diff/stdio.c").unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("stdio.wasm");
    std::fs::write(&path, wasm).unwrap();
    path
}

/// A pseudo-terminal pair: (controller, terminal).
fn openpty() -> (OwnedFd, OwnedFd) {
    let (mut controller, mut terminal) = (-1, -1);
    // SAFETY: openpty writes two descriptors to the given pointers; the name, termios and
    // window-size arguments may be null.
    let rc = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty failed: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(controller), OwnedFd::from_raw_fd(terminal)) }
}

/// Runs `cmd` with stdin, stdout and stderr on a pseudo-terminal and returns what it
/// wrote there and its exit code. `input` is typed on the terminal first.
fn run_on_terminal(mut cmd: Command, input: &[u8]) -> (String, i32) {
    let (controller, terminal) = openpty();
    cmd.stdin(Stdio::from(terminal.try_clone().unwrap()))
        .stdout(Stdio::from(terminal.try_clone().unwrap()))
        .stderr(Stdio::from(terminal));
    let mut child = cmd.spawn().unwrap();
    // The command holds the parent's copies of the terminal: close them, so that reading
    // ends when the child is done.
    drop(cmd);
    let mut file = std::fs::File::from(controller);
    file.write_all(input).unwrap();
    let status = child.wait().unwrap();
    // Everything the child wrote is in the terminal's buffer; reading past it ends with EIO
    // once no process holds the terminal open.
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match file.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&out).replace("\r\n", "\n"), status.code().unwrap_or(-1))
}

#[test]
fn stdio_on_a_pipe_is_of_unknown_type_and_not_a_terminal() {
    let dir = scratch("pipe");
    let wasm = probe(&dir);
    let mut child = kiln()
        .arg("run")
        .arg(&wasm)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"piped input\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for fd in 0..3 {
        assert!(text.contains(&format!("fd {fd} filestat: OK type 0\n")), "{text}");
        assert!(text.contains(&format!("fd {fd} isatty: 0\n")), "{text}");
    }
    assert!(text.contains("read stdin: OK 12 \"piped input|\""), "{text}");
}

#[test]
fn stdio_on_a_regular_file_is_a_regular_file_and_not_a_terminal() {
    let dir = scratch("file");
    let wasm = probe(&dir);
    std::fs::write(dir.join("in.txt"), "from a file\n").unwrap();
    let status = kiln()
        .arg("run")
        .arg(&wasm)
        .stdin(std::fs::File::open(dir.join("in.txt")).unwrap())
        .stdout(std::fs::File::create(dir.join("out.txt")).unwrap())
        .stderr(std::fs::File::create(dir.join("err.txt")).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(dir.join("out.txt")).unwrap();
    for fd in 0..3 {
        assert!(text.contains(&format!("fd {fd} filestat: OK type 4\n")), "{text}");
        assert!(text.contains(&format!("fd {fd} isatty: 0\n")), "{text}");
    }
    assert!(text.contains("read stdin: OK 12 \"from a file|\""), "{text}");
}

#[test]
fn stdio_on_a_terminal_is_a_character_device_and_a_terminal() {
    let dir = scratch("tty");
    let wasm = probe(&dir);
    let mut cmd = kiln();
    cmd.arg("run").arg(&wasm);
    let (text, code) = run_on_terminal(cmd, b"typed\n");
    assert_eq!(code, 0, "{text}");
    for fd in 0..3 {
        assert!(text.contains(&format!("fd {fd} filestat: OK type 2\n")), "{text}");
        assert!(text.contains(&format!("fd {fd} isatty: 1\n")), "{text}");
    }
    assert!(text.contains("read stdin: OK 6 \"typed|\""), "{text}");
}

/// bzip2.wasm and the wasmtime CLI from the fetched programs.
fn bzip2_and_wasmtime() -> (PathBuf, PathBuf) {
    let root = kiln_tests::programs::Programs::default_root();
    let bzip2 = root.join("wasm").join("bzip2.wasm");
    let wasmtime = root.join("wasmtime").join("wasmtime_cli").join("wasmtime");
    for p in [&bzip2, &wasmtime] {
        assert!(
            p.exists(),
            "{} is missing: run scripts/fetch-programs.sh (or set KILN_PROGRAMS_DIR)",
            p.display()
        );
    }
    (bzip2, wasmtime)
}

/// Runs `program run bzip2.wasm args` with stdin from `input` and stdout to `output`; its
/// exit code.
fn bzip2_to_file(program: &Path, bzip2: &Path, args: &[&str], input: &Path, output: &Path) -> i32 {
    Command::new(program)
        .arg("run")
        .arg(bzip2)
        .args(args)
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(std::fs::File::create(output).unwrap())
        .status()
        .unwrap()
        .code()
        .unwrap_or(-1)
}

#[test]
fn bzip2_compresses_to_a_file_as_under_wasmtime_and_refuses_a_terminal() {
    let (bzip2, wasmtime) = bzip2_and_wasmtime();
    let dir = scratch("bzip2");
    let input = dir.join("input.txt");
    let text: String = (0..2000).map(|i| format!("line {i}: the quick brown fox\n")).collect();
    std::fs::write(&input, &text).unwrap();
    let kiln_bin = PathBuf::from(env!("CARGO_BIN_EXE_kiln"));

    // stdout on a regular file: both compress, byte for byte alike.
    let (kiln_out, wasmtime_out) = (dir.join("kiln.bz2"), dir.join("wasmtime.bz2"));
    assert_eq!(bzip2_to_file(&kiln_bin, &bzip2, &["-c"], &input, &kiln_out), 0);
    assert_eq!(bzip2_to_file(&wasmtime, &bzip2, &["-c"], &input, &wasmtime_out), 0);
    let compressed = std::fs::read(&kiln_out).unwrap();
    assert!(compressed.starts_with(b"BZh9"), "not bzip2 data");
    assert!(compressed.len() < text.len() / 10);
    assert_eq!(compressed, std::fs::read(&wasmtime_out).unwrap(), "kiln and wasmtime differ");

    // And back.
    let back = dir.join("back.txt");
    assert_eq!(bzip2_to_file(&kiln_bin, &bzip2, &["-d", "-c"], &kiln_out, &back), 0);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), text);

    // stdout on a terminal: both refuse.
    for program in [&kiln_bin, &wasmtime] {
        let mut cmd = Command::new(program);
        cmd.arg("run").arg(&bzip2).arg("-c");
        let (said, code) = run_on_terminal(cmd, b"");
        assert_eq!(code, 1, "{}: {said}", program.display());
        assert!(
            said.contains("I won't write compressed data to a terminal."),
            "{}: {said}",
            program.display()
        );
    }
}
