//! Artifacts end to end: compile to a `.kiln` blob, write it, load it (mapped from the file
//! or from bytes), and check it behaves exactly like the interpreted module.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{ModuleConfig, Runtime, RuntimeConfig, Val};

const PROGRAM: &str = r#"(module $prog
  (import "env" "scale" (func $scale (param i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 16) "hello, artifact")
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $fib $via_host)
  (type $t (func (param i32) (result i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $via_host (export "via_host") (param i32) (result i32)
    (i32.add (call $scale (local.get 0)) (global.get $g)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 1) (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "divide") (param i32) (result i32) (call $inner (local.get 0))))"#;

fn wasm() -> Vec<u8> {
    wat::parse_str(PROGRAM).unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-artifacts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn runtime(config: RuntimeConfig) -> Runtime {
    let rt = Runtime::with_config(config);
    rt.host_module("env").func("scale", |x: i32| x * 3).instantiate().unwrap();
    rt
}

/// Calls every export of PROGRAM and returns what each gave, as text.
fn exercise(rt: &Runtime, module: &kiln::CompiledModule) -> Vec<String> {
    let inst = rt.instantiate(module, ModuleConfig::new().with_name("")).unwrap();
    let call = |name: &str, args: &[Val]| -> String {
        match inst.exported_function(name).unwrap().call(args) {
            Ok(v) => format!("{v:?}"),
            Err(e) => e.to_string(),
        }
    };
    let mem = inst.exported_memory("mem").unwrap();
    let mut data = vec![0u8; 15];
    mem.read(16, &mut data).unwrap();
    vec![
        call("fib", &[Val::I32(20)]),
        call("via_host", &[Val::I32(5)]),
        call("indirect", &[Val::I32(0), Val::I32(10)]),
        call("indirect", &[Val::I32(1), Val::I32(2)]),
        call("load8", &[Val::I32(17)]),
        call("divide", &[Val::I32(0)]),
        String::from_utf8(data).unwrap(),
    ]
}

#[test]
fn round_trip_through_a_file_behaves_like_the_interpreter() {
    let wasm = wasm();
    let interp = runtime(RuntimeConfig::interpreter());
    let expected = exercise(&interp, &interp.compile(&wasm).unwrap());
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    assert!(kiln::is_artifact(&blob));
    let path = tmp("prog.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = runtime(RuntimeConfig::new());
    let m = rt.load_artifact(&path).unwrap();
    assert!(m.is_from_artifact() && m.is_native());
    let code = m.engine_module().compiled().unwrap();
    assert!(code.memory().is_file_backed(), "code is mapped from the file, not copied");
    let got = exercise(&rt, &m);
    assert_eq!(got, expected);
    assert_eq!(got[0], "[I32(6765)]");
    assert_eq!(got[1], "[I32(22)]");
    assert_eq!(got[6], "hello, artifact");
    assert!(got[5].starts_with("wasm trap: integer divide by zero"), "{}", got[5]);
    // The same backtrace as the interpreter's (compared above), naming the inner frame.
    assert!(got[5].contains("wasm backtrace:") && got[5].contains("(func[5] (i32) -> (i32))"), "{}", got[5]);
}
