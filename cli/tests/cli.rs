//! The `kiln` binary: run with --invoke, inspect, and one-line errors with non-zero exits.

use std::process::Command;

fn kiln(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kiln")).args(args).output().expect("kiln runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn module_file(name: &str, wat: &str) -> String {
    let dir = std::env::temp_dir().join(format!("kiln-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

const FIB: &str = r#"(module $demo
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "div") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1))))"#;

#[test]
fn run_invoke_prints_results() {
    let m = module_file("fib.wasm", FIB);
    assert_eq!(kiln(&["run", &m, "--invoke", "fib", "20"]), (0, "6765\n".into(), String::new()));
    assert_eq!(kiln(&["run", "--interpreter", &m, "--invoke", "div", "-9", "2"]).1, "-4\n");
}

#[test]
fn errors_are_one_line_with_nonzero_exit() {
    let m = module_file("fib2.wasm", FIB);
    let (code, _, err) = kiln(&["run", &m, "--invoke", "div", "1", "0"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: wasm trap: integer divide by zero"), "{err}");
    let (code, _, err) = kiln(&["run", &m, "--invoke", "fib", "x"]);
    assert_eq!((code, err.as_str()), (1, "error: cannot parse \"x\" as i32\n"));
    let (code, _, err) = kiln(&["run", &m, "--invoke", "nope"]);
    assert_eq!((code, err.as_str()), (1, "error: no exported function \"nope\"\n"));
    let (code, _, err) = kiln(&["run", "/nonexistent.wasm"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: cannot read /nonexistent.wasm"), "{err}");
    let bad = std::env::temp_dir().join(format!("kiln-bad-{}.wasm", std::process::id()));
    std::fs::write(&bad, b"\0asm\x01\0\0\0\x01\xff").unwrap();
    let (code, _, err) = kiln(&["run", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, _, _) = kiln(&["frobnicate"]);
    assert_eq!(code, 2, "clap usage errors exit 2");
}

#[test]
fn inspect_lists_exports() {
    let m = module_file("fib3.wasm", FIB);
    let (code, out, _) = kiln(&["inspect", &m]);
    assert_eq!(code, 0);
    assert!(out.contains("name: demo"), "{out}");
    assert!(out.contains("functions: 2 defined, 0 imported"), "{out}");
    assert!(out.contains("  fib: func (i32) -> (i32)"), "{out}");
}

/// A WASI program from `tests/wasi/`, built once.
fn wasi_program(name: &str) -> String {
    kiln_tests::build_wasi_program(&format!("{name}.c")).unwrap_or_else(|e| panic!("{e}"));
    kiln_tests::cache_dir().join(format!("wasi-{name}.wasm")).to_string_lossy().into_owned()
}

fn wasi_expected(name: &str) -> String {
    std::fs::read_to_string(kiln_tests::wasi_dir().join(format!("{name}.expected"))).unwrap()
}

fn temp_dir(label: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kiln-cli-wasi-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn run_exits_with_the_guest_exit_code() {
    let m = wasi_program("exit");
    for engine in [&[][..], &["--interpreter"][..]] {
        let run = |args: &[&str]| kiln(&[&["run"], engine, &[m.as_str()], args].concat());
        assert_eq!(run(&["exit", "42"]), (42, "exiting with 42 via exit\n".into(), String::new()));
        assert_eq!(run(&["--", "return", "3"]).0, 3);
        assert_eq!(run(&["raw", "0"]), (0, "exiting with 0 via raw\n".into(), String::new()));
        assert_eq!(run(&["exit", "1000"]).0, 255, "codes above 255 are capped");
    }
}

#[test]
fn run_mounts_directories_with_dir_and_dir_ro() {
    let files = wasi_program("files");
    let sandbox = temp_dir("files");
    let spec = format!("{}::/sandbox", sandbox.display());
    let (code, out, err) = kiln(&["run", "--dir", &spec, &files]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, wasi_expected("files"));
    assert_eq!(std::fs::read(sandbox.join("log")).unwrap(), b"one\ntwo\n");

    let readonly = wasi_program("readonly");
    let (ro, rw) = (temp_dir("ro"), temp_dir("rw"));
    std::fs::write(ro.join("data"), "read-only data").unwrap();
    std::fs::create_dir(ro.join("dir")).unwrap();
    let ro_spec = format!("{}::/ro", ro.display());
    let rw_spec = format!("{}::/rw", rw.display());
    let (code, out, _) = kiln(&["run", "--interpreter", "--dir-ro", &ro_spec, "--dir", &rw_spec, &readonly]);
    assert_eq!(code, 0);
    assert_eq!(out, wasi_expected("readonly"));
    // Without a grant the guest sees no filesystem at all.
    let (code, out, _) = kiln(&["run", &files]);
    assert_eq!(code, 99);
    assert_eq!(out, "FAILED fd at line 10: ENOENT\n");
    for d in [sandbox, ro, rw] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn run_passes_env_and_args() {
    let m = wasi_program("args_env");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kiln"))
        .args(["run", "--env", "EMPTY=", "--env", "KILN_PASSED", "--env", "KILN_UNSET_ON_HOST", "--env", "X=a=b", &m])
        .args(["--", "", "héllo", "--dir", "-x"])
        .env("KILN_PASSED", "from host")
        .env_remove("KILN_UNSET_ON_HOST")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let want = [
        "argc 5",
        &format!("argv[0] ({} bytes): {m}", m.len()),
        "argv[1] (0 bytes): ",
        "argv[2] (6 bytes): h\\xc3\\xa9llo",
        "argv[3] (5 bytes): --dir",
        "argv[4] (2 bytes): -x",
        "environ 3",
        "EMPTY=",
        "KILN_PASSED=from host",
        "X=a=b",
        "getenv EMPTY: set, empty",
    ];
    let got: Vec<&str> = stdout.lines().take(want.len()).collect();
    assert_eq!(got, want);
}
