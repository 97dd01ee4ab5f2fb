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
