//! The runner itself: each directive kind passes when Kiln behaves as the file expects and
//! fails, with file:line, when it does not.

use kiln_spectest::skip::Skip;
use kiln_spectest::{RunOptions, run_script};

fn run(src: &str) -> kiln_spectest::FileReport {
    run_script(RunOptions::new(kiln::Engine::Interpreter), "selftest.wast", src)
}

#[test]
fn passing_directives_pass() {
    let r = run(r#"
(module $m
  (import "spectest" "global_i32" (global $g i32))
  (import "spectest" "print_i32" (func $print (param i32)))
  (global (export "g") i32 (global.get $g))
  (func (export "add") (param i32 i32) (result i32) (local.get 0) (local.get 1) (i32.add))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $rec (export "rec") (call $rec))
  (func (export "print") (call $print (i32.const 1))))
(register "m" $m)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke $m "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (f32.const nan:arithmetic))
(assert_return (invoke "id" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (get "g") (i32.const 666))
(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "rec") "call stack exhausted")
(invoke "print")
(module (import "m" "add" (func (param i32 i32) (result i32))))
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_unlinkable (module (import "m" "nope" (func))) "unknown import")
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
"#);
    assert_eq!(r.failures.iter().map(|f| f.to_string()).collect::<Vec<_>>(), Vec::<String>::new());
    assert_eq!((r.passed, r.failed, r.skipped), (17, 0, 0));
}

#[test]
fn wrong_expectations_fail_with_location() {
    let r = run(r#"(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "f") (result f32) (f32.const 1))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "trap") unreachable))
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "f") (f32.const nan:canonical))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00\00") "anything")
(assert_unlinkable (module) "unknown import")
(invoke "missing")
(module (import "nowhere" "f" (func)))
"#);
    let lines: Vec<usize> = r.failures.iter().map(|f| f.line).collect();
    assert_eq!(lines, (6..=15).collect::<Vec<_>>(), "{:#?}", r.failures);
    assert_eq!((r.passed, r.failed), (1, 10));
    assert!(r.failures[0].message.contains("i32:1"), "{}", r.failures[0]);
    assert_eq!(r.failures[0].kind, "assert_return");
    assert!(r.failures[0].to_string().starts_with("selftest.wast:6: assert_return"));
}

#[test]
fn features_are_applied() {
    let src = r#"(module (func (export "e") (param i32) (result i32) (i32.extend8_s (local.get 0))))
(assert_return (invoke "e" (i32.const 0x80)) (i32.const -128))
"#;
    let v2 = run_script(RunOptions::new(kiln::Engine::Interpreter), "f.wast", src);
    assert_eq!((v2.passed, v2.failed), (2, 0), "{:#?}", v2.failures);
    let v1 = RunOptions {
        features: kiln::CoreFeatures::V1,
        ..RunOptions::new(kiln::Engine::Interpreter)
    };
    let r = run_script(v1, "f.wast", src);
    assert_eq!((r.passed, r.failed), (0, 2), "{:#?}", r.failures);
    assert_eq!(r.failures[0].kind, "module");
}

#[test]
fn module_definitions_instances_and_binary_modules() {
    let r = run(r#"
(module definition $counter
  (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
(module instance $a $counter)
(module instance $b $counter)
(assert_return (invoke $a "next") (i32.const 1))
(assert_return (invoke $a "next") (i32.const 2))
(assert_return (invoke $b "next") (i32.const 1))
(module instance $counter)
(assert_return (invoke "next") (i32.const 1))
(module $bin binary "\00asm\01\00\00\00" "\01\05\01\60\00\01\7f" "\03\02\01\00"
  "\07\07\01\03" "two" "\00\00" "\0a\06\01\04\00\41\02\0b")
(assert_return (invoke $bin "two") (i32.const 2))
(module quote "(func (export \"three\") (result i32) (i32.const 3))")
(assert_return (invoke "three") (i32.const 3))
(assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")
"#);
    assert_eq!(r.failures.iter().map(|f| f.to_string()).collect::<Vec<_>>(), Vec::<String>::new());
    assert_eq!((r.passed, r.failed), (13, 0));
}

#[test]
fn a_script_that_does_not_parse_is_one_failure_at_its_line() {
    let r = run("(module)\n\n(assert_return (invoke \"f\") (i32.const one))\n(module)\n");
    assert_eq!((r.passed, r.failed), (0, 1), "{:#?}", r.failures);
    assert_eq!((r.failures[0].line, r.failures[0].kind), (3, "parse"));
    assert!(
        r.failures[0].message.starts_with("cannot parse the script at column 40: "),
        "{}",
        r.failures[0]
    );
    let r = run("(assert_frobnicated (module))");
    assert_eq!((r.failures[0].line, r.failures[0].kind), (1, "parse"));
}

#[test]
fn components_and_unsupported_directives_fail() {
    let r = run(r#"(component)
(assert_invalid (component (core module) (core module $m)) "x")
(module (func (export "f")))
(assert_exception (invoke "f"))
"#);
    assert_eq!((r.passed, r.failed), (1, 3), "{:#?}", r.failures);
    assert!(r.failures[0].message.contains("components are not supported"), "{}", r.failures[0]);
    assert!(r.failures[1].message.contains("components are not supported"), "{}", r.failures[1]);
    assert_eq!(r.failures[2].kind, "assert_exception");
}

#[test]
fn skips_apply_only_when_given() {
    static SKIPS: &[Skip] =
        &[Skip { file: "s.wast", line: 2, engine: None, reason: "test of the skip list" }];
    let src = "(module (func (export \"one\") (result i32) (i32.const 1)))\n\
               (assert_return (invoke \"one\") (i32.const 2))\n";
    let opts = RunOptions::new(kiln::Engine::Interpreter);
    let r = run_script(opts, "s.wast", src);
    assert_eq!((r.passed, r.failed, r.skipped), (1, 1, 0));
    let r = run_script(RunOptions { skips: SKIPS, ..opts }, "s.wast", src);
    assert_eq!((r.passed, r.failed, r.skipped), (1, 0, 1));
}

#[test]
fn assertions_after_a_failed_module_do_not_run_against_an_earlier_one() {
    let r = run(r#"(module $m (func (export "f") (result i32) (i32.const 1)))
(module $m (func (export "f") (result i32) (i64.const 2)))
(assert_return (invoke "f") (i32.const 1))
(assert_return (invoke $m "f") (i32.const 1))
"#);
    let kinds: Vec<(usize, &str)> = r.failures.iter().map(|f| (f.line, f.kind)).collect();
    assert_eq!(kinds, [(2, "module"), (3, "assert_return"), (4, "assert_return")]);
    assert_eq!(r.failures[1].message, "no current module");
    assert_eq!(r.failures[2].message, "no module named $m");
}
