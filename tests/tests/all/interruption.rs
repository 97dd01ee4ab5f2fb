//! Interruption (`RuntimeConfig::with_interruption` + `InterruptHandle`) on every engine:
//! loops, recursion without loops, calls through host functions; an interruption stays in
//! force (also one that arrives between calls) until `Runtime::reset_interrupt`.

use kiln::{Engine, Error, Runtime, RuntimeConfig, TrapCode};
use std::time::{Duration, Instant};

fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Interpreter];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(Engine::Compiler);
    }
    v
}

const SPIN: &str = r#"
(module
  (import "host" "tick" (func $tick))
  (global $n (mut i32) (i32.const 0))
  (func (export "spin") (loop (br 0)))
  ;; Exponential recursion with no loop (fib(60) runs for hours): only the function-entry
  ;; check can stop it.
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "spin_host") (loop (call $tick) (br 0)))
  (func (export "count") (param i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $i)))
"#;

fn interrupt_after(rt: &Runtime, ms: u64) {
    let h = rt.interrupt_handle();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(ms));
        h.interrupt();
    });
}

fn expect_interrupted(r: Result<Vec<kiln::Val>, Error>, what: &str, engine: Engine) {
    match r {
        Err(Error::Trap(t)) => {
            assert_eq!(t.code(), TrapCode::Interrupted, "{what} on {engine:?}: {t}");
            assert!(t.to_string().contains("interrupted"), "{what} on {engine:?}: {t}");
        }
        other => panic!("{what} on {engine:?}: expected an interrupted trap, got {other:?}"),
    }
}

#[test]
fn interrupt_stops_loops_recursion_and_host_loops_then_calls_run_again() {
    for engine in engines() {
        let rt =
            Runtime::with_config(RuntimeConfig::new().with_engine(engine).with_interruption(true));
        rt.host_module("host").func("tick", || {}).instantiate().unwrap();
        let inst = rt.instantiate_wasm(&wat::parse_str(SPIN).unwrap()).unwrap();
        for (name, args) in
            [("spin", vec![]), ("fib", vec![kiln::Val::I32(60)]), ("spin_host", vec![])]
        {
            let f = inst.exported_function(name).unwrap();
            rt.reset_interrupt();
            let start = Instant::now();
            interrupt_after(&rt, 50);
            expect_interrupted(f.call(&args), name, engine);
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{name} on {engine:?} took {:?}",
                start.elapsed()
            );
        }
        // The interruption stays in force until reset; then calls complete again.
        let count = inst.typed_func::<i32, i32>("count").unwrap();
        expect_interrupted(count.call(1_000_000).map(|v| vec![v.into()]), "count", engine);
        rt.reset_interrupt();
        assert_eq!(count.call(1_000_000).unwrap(), 1_000_000, "{engine:?}");
    }
}

#[test]
fn without_interruption_config_code_has_no_checks_and_interrupt_is_a_no_op() {
    for engine in engines() {
        let rt = Runtime::with_config(RuntimeConfig::new().with_engine(engine));
        rt.host_module("host").func("tick", || {}).instantiate().unwrap();
        let inst = rt.instantiate_wasm(&wat::parse_str(SPIN).unwrap()).unwrap();
        rt.interrupt_handle().interrupt();
        let count = inst.typed_func::<i32, i32>("count").unwrap();
        assert_eq!(count.call(5_000_000).unwrap(), 5_000_000, "{engine:?}");
    }
}

/// An interrupt that arrives while no wasm runs is not lost: the next call traps at its
/// first check, and so does every call until the runtime is reset.
#[test]
fn interrupt_between_calls_stops_the_next_calls_until_reset() {
    for engine in engines() {
        let rt =
            Runtime::with_config(RuntimeConfig::new().with_engine(engine).with_interruption(true));
        rt.host_module("host").func("tick", || {}).instantiate().unwrap();
        let inst = rt.instantiate_wasm(&wat::parse_str(SPIN).unwrap()).unwrap();
        let h = rt.interrupt_handle();
        let count = inst.typed_func::<i32, i32>("count").unwrap();
        assert_eq!(count.call(100).unwrap(), 100, "{engine:?}");
        h.interrupt();
        h.interrupt();
        for _ in 0..2 {
            expect_interrupted(count.call(100).map(|v| vec![v.into()]), "count", engine);
        }
        rt.reset_interrupt();
        assert_eq!(count.call(100).unwrap(), 100, "{engine:?}");
    }
}
