//! Function listeners (`RuntimeConfig::with_function_listener_factory`, `kiln::listener`)
//! on both engines: the same module run on the interpreter, compiled in process and loaded
//! from an artifact records the same events (`before` with parameters and the listened
//! stack, `after` with results, `abort` for frames unwound by a trap, a host error or an
//! exception), equal to the list written here, host functions included; code compiled
//! without a factory carries no listener hook; the setting is checked when an artifact is
//! loaded and when a module is instantiated.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{
    Abort, Engine, Error, FunctionDefinition, FunctionListener, FunctionListenerFactory,
    ModuleConfig, Runtime, RuntimeConfig, StackIterator, Trap, Val,
};
use std::sync::{Arc, Mutex};

const MODULE: &str = r#"
(module $lm
  (import "host" "call_leaf" (func $call_leaf (param i32) (result i32)))
  (import "host" "fail" (func $fail))
  (tag $e (param i32))
  (func $leaf (export "leaf") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $boom (param i32) (result i32) unreachable)
  (func $mid (param i32) (result i32) (call $boom (i32.add (local.get 0) (i32.const 1))))
  (func $trap (export "trap") (param i32) (result i32) (call $mid (local.get 0)))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $through (param i32) (call $thrower (i32.mul (local.get 0) (i32.const 2))))
  (func $catch (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $through (local.get 0)))
      (i32.const -1)))
  (func $escape (export "escape") (param i32) (call $through (local.get 0)))
  (func $via_host (export "via_host") (param i32) (result i32)
    (i32.add (call $call_leaf (local.get 0)) (i32.const 100)))
  (func $host_error (export "host_error") (call $fail))
  (func $tail (export "tail") (param i32) (result i32) (return_call $leaf (local.get 0)))
  (func $unlisted (export "unlisted") (param i32) (result i32) (call $leaf (local.get 0))))
"#;

/// Every call the test makes, in order, each followed by the events it must record.
const EXPECTED: &[&str] = &[
    "leaf(1)",
    "> leaf(1) [leaf]",
    "< leaf -> (2)",
    "fac(3)",
    "> fac(3) [fac]",
    "> fac(2) [fac<fac]",
    "> fac(1) [fac<fac<fac]",
    "< fac -> (1)",
    "< fac -> (2)",
    "< fac -> (6)",
    "trap(5)",
    "> trap(5) [trap]",
    "> mid(5) [mid<trap]",
    "> boom(6) [boom<mid<trap]",
    "! boom: trap Unreachable",
    "! mid: trap Unreachable",
    "! trap: trap Unreachable",
    "catch(4)",
    "> catch(4) [catch]",
    "> through(4) [through<catch]",
    "> thrower(8) [thrower<through<catch]",
    "! thrower: exception",
    "! through: exception",
    "< catch -> (8)",
    "escape(3)",
    "> escape(3) [escape]",
    "> through(3) [through<escape]",
    "> thrower(6) [thrower<through<escape]",
    "! thrower: exception",
    "! through: exception",
    "! escape: exception",
    "via_host(7)",
    "> via_host(7) [via_host]",
    "> call_leaf(7) [call_leaf<via_host]",
    "> leaf(7) [leaf<call_leaf<via_host]",
    "< leaf -> (8)",
    "< call_leaf -> (8)",
    "< via_host -> (108)",
    "host_error()",
    "> host_error() [host_error]",
    "> fail() [fail<host_error]",
    "! fail: trap HostError",
    "! host_error: trap HostError",
    "tail(9)",
    "> tail(9) [tail]",
    "> leaf(9) [leaf<tail]",
    "< leaf -> (10)",
    "< tail -> (10)",
    "unlisted(1)",
    "> leaf(1) [leaf]",
    "< leaf -> (2)",
];

fn vals(v: &[Val]) -> String {
    let parts: Vec<String> = v
        .iter()
        .map(|v| match v {
            Val::I32(x) => x.to_string(),
            Val::I64(x) => x.to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    parts.join(", ")
}

fn name(def: &FunctionDefinition) -> &str {
    def.name().unwrap_or("?")
}

/// Records every event as a line.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }
}

impl FunctionListener for Recorder {
    fn before(&self, def: &FunctionDefinition, params: &[Val], stack: &mut StackIterator<'_>) {
        assert!(def.module_name().is_some());
        assert_eq!(def.func_type().params().len(), params.len());
        let frames: Vec<&str> = stack.map(name).collect();
        self.push(format!("> {}({}) [{}]", name(def), vals(params), frames.join("<")));
    }

    fn after(&self, def: &FunctionDefinition, results: &[Val]) {
        self.push(format!("< {} -> ({})", name(def), vals(results)));
    }

    fn abort(&self, def: &FunctionDefinition, reason: &Abort<'_>) {
        let why = match reason {
            Abort::Trap(t) => format!("trap {:?}", t.code()),
            Abort::Exit(code) => format!("exit {code}"),
            Abort::Exception => "exception".to_string(),
            other => format!("{other:?}"),
        };
        self.push(format!("! {}: {why}", name(def)));
    }
}

/// Listens to every function but `unlisted`, and records which functions it was asked
/// about.
struct Factory(Arc<Recorder>, Mutex<Vec<String>>);

impl FunctionListenerFactory for Factory {
    fn new_listener(&self, def: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>> {
        let kind = if def.is_host() { "host" } else { "wasm" };
        self.1.lock().unwrap().push(format!("{} {} {kind}", def.index(), def.debug_name()));
        if def.name() == Some("unlisted") { None } else { Some(self.0.clone()) }
    }
}

fn native() -> bool {
    cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))
}

/// A runtime of `engine` listening with a fresh recorder, with the host module.
fn runtime(engine: Engine) -> (Runtime, Arc<Recorder>, Arc<Factory>) {
    let recorder = Arc::new(Recorder::default());
    let factory = Arc::new(Factory(recorder.clone(), Mutex::default()));
    let config =
        RuntimeConfig::new().with_engine(engine).with_function_listener_factory(factory.clone());
    let rt = Runtime::with_config(config);
    rt.host_module("host")
        .func("call_leaf", |caller: kiln::Caller<'_>, x: i32| -> i32 {
            let Some(kiln::Extern::Func(leaf)) = caller.get_export("leaf") else {
                panic!("leaf is exported")
            };
            leaf.call(&[x.into()]).unwrap()[0].i32().unwrap()
        })
        .func("fail", || -> Result<(), Trap> { Err(Trap::host("host refuses")) })
        .instantiate()
        .unwrap();
    (rt, recorder, factory)
}

/// Makes every call of [`EXPECTED`] and returns the recorded lines.
fn run(rt: &Runtime, module: &kiln::CompiledModule, recorder: &Recorder) -> Vec<String> {
    let inst = rt.instantiate(module, ModuleConfig::new()).unwrap();
    let calls: &[(&str, &[Val])] = &[
        ("leaf", &[Val::I32(1)]),
        ("fac", &[Val::I64(3)]),
        ("trap", &[Val::I32(5)]),
        ("catch", &[Val::I32(4)]),
        ("escape", &[Val::I32(3)]),
        ("via_host", &[Val::I32(7)]),
        ("host_error", &[]),
        ("tail", &[Val::I32(9)]),
        ("unlisted", &[Val::I32(1)]),
    ];
    for (f, args) in calls {
        recorder.push(format!("{f}({})", vals(args)));
        let r = inst.call(f, args);
        match *f {
            "trap" | "host_error" => assert!(matches!(r, Err(Error::Trap(_))), "{f}: {r:?}"),
            "escape" => assert!(matches!(r, Err(Error::Exception(_))), "{f}: {r:?}"),
            "fac" => assert_eq!(r.unwrap()[0].i64(), Some(6)),
            "catch" => assert_eq!(r.unwrap()[0].i32(), Some(8)),
            _ => drop(r.unwrap()),
        }
    }
    std::mem::take(&mut *recorder.0.lock().unwrap())
}

#[test]
fn listeners_record_the_same_events_on_every_engine() {
    let wasm = wat::parse_str(MODULE).unwrap();
    let mut runs = Vec::new();

    let (rt, rec, factory) = runtime(Engine::Interpreter);
    let module = rt.compile(&wasm).unwrap();
    runs.push(("interpreter", run(&rt, &module, &rec)));
    // Asked once per host function when the host module was registered (by position),
    // then once per defined function (indices after the two imports).
    let names = [
        "leaf",
        "fac",
        "boom",
        "mid",
        "trap",
        "thrower",
        "through",
        "catch",
        "escape",
        "via_host",
        "host_error",
        "tail",
        "unlisted",
    ];
    let mut expected = vec!["0 host.call_leaf host".to_string(), "1 host.fail host".to_string()];
    expected.extend(names.iter().enumerate().map(|(i, n)| format!("{} lm.{n} wasm", i + 2)));
    assert_eq!(*factory.1.lock().unwrap(), expected);

    if native() {
        let (rt, rec, _) = runtime(Engine::Compiler);
        let module = rt.compile(&wasm).unwrap();
        runs.push(("compiled", run(&rt, &module, &rec)));

        let artifact =
            compile_artifact(&wasm, &AotOptions { listeners: true, ..AotOptions::default() })
                .unwrap();
        let (rt, rec, _) = runtime(Engine::Compiler);
        // SAFETY: compiled by this process just now.
        let module = unsafe { rt.load_artifact_bytes_unsigned(&artifact) }.unwrap();
        runs.push(("artifact", run(&rt, &module, &rec)));
    }
    for (engine, events) in &runs {
        assert_eq!(events, EXPECTED, "{engine}");
    }
}

/// A runtime with a factory that listens to nothing, and one without a factory: the same
/// results.
#[test]
fn unlistened_functions_run_alike() {
    struct Nobody;
    impl FunctionListenerFactory for Nobody {
        fn new_listener(&self, _: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>> {
            None
        }
    }
    let wasm = wat::parse_str(
        r#"(module (func $f (export "f") (param i64) (result i64)
             (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
               (else (i64.add (local.get 0) (call $f (i64.sub (local.get 0) (i64.const 1))))))))"#,
    )
    .unwrap();
    let mut engines = vec![Engine::Interpreter];
    if native() {
        engines.push(Engine::Compiler);
    }
    for engine in engines {
        for config in [
            RuntimeConfig::new().with_engine(engine),
            RuntimeConfig::new()
                .with_engine(engine)
                .with_function_listener_factory(Arc::new(Nobody)),
        ] {
            let rt = Runtime::with_config(config);
            let f = rt.instantiate_wasm(&wasm).unwrap().typed_func::<i64, i64>("f").unwrap();
            assert_eq!(f.call(100).unwrap(), 5050, "{engine:?}");
        }
    }
}

/// Without a factory the code carries no listener hook: the interpreter's translation has
/// no listener instruction and the compiler's IR calls no listener builtin; with one, both
/// have a hook at the entry and before the return.
#[test]
fn code_without_listeners_has_no_hooks() {
    use kiln_runtime_support::interp::{Checks, InterpModule, Translation};
    use kiln_runtime_support::module::decode::DecodeOptions;
    use kiln_runtime_support::vm::builtins::Builtin;
    let wasm = wat::parse_str(
        r#"(module (func (export "f") (param i32) (result i32)
             (i32.add (local.get 0) (i32.const 1))))"#,
    )
    .unwrap();
    let info = Arc::new(
        kiln_runtime_support::module::decode(
            &wasm,
            DecodeOptions { features: kiln::CoreFeatures::V3, keep_custom_sections: false },
        )
        .unwrap(),
    );
    for listeners in [false, true] {
        let checks = Checks { listeners, ..Checks::default() };
        let module =
            InterpModule::new(info.clone(), kiln::CoreFeatures::V3, checks, Translation::Eager)
                .unwrap();
        let listing = module.disassemble(0).unwrap();
        let hooks =
            listing.matches("listener_before").count() + listing.matches("listener_after").count();
        assert_eq!(hooks, if listeners { 2 } else { 0 }, "{listing}");

        let settings =
            AotOptions { listeners, ..AotOptions::default() }.compiler_settings().unwrap();
        let ir = kiln_compiler::function_ir(&info, &settings, 0).unwrap();
        // Builtins are called through the builtins table; the function makes no other call.
        let calls = ir.matches("call_indirect").count();
        assert_eq!(calls, if listeners { 2 } else { 0 }, "{ir}");
        for b in [Builtin::ListenerBefore, Builtin::ListenerAfter] {
            let load = format!("+{}", b.offset());
            assert_eq!(ir.contains(&load), listeners, "{b:?} in\n{ir}");
        }
    }
}

/// Listener hooks are a code setting: an artifact compiled without them is refused by a
/// runtime with a factory, one compiled with them by a runtime without, naming the
/// difference.
#[test]
fn artifacts_record_listeners_in_their_code_settings() {
    if !native() {
        return;
    }
    let wasm = wat::parse_str(MODULE).unwrap();
    let plain = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let hooked =
        compile_artifact(&wasm, &AotOptions { listeners: true, ..AotOptions::default() }).unwrap();
    assert!(kiln::artifact_header(&hooked).unwrap().settings.listeners);
    assert!(!kiln::artifact_header(&plain).unwrap().settings.listeners);
    let (listening, _, _) = runtime(Engine::Compiler);
    // SAFETY: compiled by this process just now.
    let refused = unsafe { listening.load_artifact_bytes_unsigned(&plain) }.unwrap_err();
    assert!(
        matches!(refused, Error::Artifact(kiln::ArtifactError::Settings { .. })),
        "{refused:?}"
    );
    assert!(
        refused.to_string().contains("function listeners: off in the artifact, on here"),
        "{refused}"
    );
    let without = Runtime::with_config(RuntimeConfig::compiler());
    // SAFETY: compiled by this process just now.
    let refused = unsafe { without.load_artifact_bytes_unsigned(&hooked) }.unwrap_err();
    assert!(
        refused.to_string().contains("function listeners: on in the artifact, off here"),
        "{refused}"
    );
    // A module compiled in process with listeners serializes with the setting.
    let compiled = listening.compile(&wasm).unwrap();
    let bytes = compiled.serialize().unwrap();
    assert!(kiln::artifact_header(&bytes).unwrap().settings.listeners);
}

/// Counts events: calls entered, returned and aborted (by reason), and checks that each
/// `before` sees one more listened frame than there are frames running.
#[derive(Default)]
struct Counter {
    running: std::sync::atomic::AtomicUsize,
    entered: std::sync::atomic::AtomicUsize,
    returned: std::sync::atomic::AtomicUsize,
    reasons: Mutex<std::collections::BTreeMap<String, usize>>,
}

impl FunctionListener for Counter {
    fn before(&self, _: &FunctionDefinition, _: &[Val], stack: &mut StackIterator<'_>) {
        use std::sync::atomic::Ordering::Relaxed;
        let running = self.running.fetch_add(1, Relaxed);
        assert_eq!(stack.len(), running + 1);
        self.entered.fetch_add(1, Relaxed);
    }

    fn after(&self, _: &FunctionDefinition, _: &[Val]) {
        use std::sync::atomic::Ordering::Relaxed;
        self.running.fetch_sub(1, Relaxed);
        self.returned.fetch_add(1, Relaxed);
    }

    fn abort(&self, _: &FunctionDefinition, reason: &Abort<'_>) {
        self.running.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let key = match reason {
            Abort::Trap(t) => format!("trap {:?}", t.code()),
            Abort::Exit(code) => format!("exit {code}"),
            other => format!("{other:?}"),
        };
        *self.reasons.lock().unwrap().entry(key).or_default() += 1;
    }
}

struct CountAll(Arc<Counter>);

impl FunctionListenerFactory for CountAll {
    fn new_listener(&self, _: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>> {
        Some(self.0.clone())
    }
}

/// Unbounded recursion until `call stack exhausted`: every listened frame entered is
/// aborted, innermost first, with that trap; the runtime is usable afterwards. A WASI
/// `proc_exit` aborts the frames with the exit code.
#[test]
fn exhausted_stacks_and_exits_abort_every_frame() {
    let wasm = wat::parse_str(
        r#"(module $deep
             (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             (func $down (export "down") (param i32) (result i32)
               (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
             (func $quit (export "quit") (param i32) (call $exit (local.get 0)))
             (func (export "quit_nested") (param i32) (call $quit (local.get 0))))"#,
    )
    .unwrap();
    let mut engines = vec![Engine::Interpreter];
    if native() {
        engines.push(Engine::Compiler);
    }
    for engine in engines {
        let counter = Arc::new(Counter::default());
        let rt = Runtime::with_config(
            RuntimeConfig::new()
                .with_engine(engine)
                .with_function_listener_factory(Arc::new(CountAll(counter.clone()))),
        );
        kiln::wasi::instantiate(&rt).unwrap();
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        use std::sync::atomic::Ordering::Relaxed;
        match inst.call("down", &[Val::I32(0)]) {
            Err(Error::Trap(t)) => assert_eq!(t.code(), kiln::TrapCode::CallStackExhausted),
            other => panic!("{engine:?}: {other:?}"),
        }
        let entered = counter.entered.load(Relaxed);
        assert!(entered > 1000, "{engine:?}: {entered}");
        assert_eq!(counter.returned.load(Relaxed), 0);
        assert_eq!(counter.running.load(Relaxed), 0);
        assert_eq!(
            *counter.reasons.lock().unwrap(),
            [("trap CallStackExhausted".to_string(), entered)].into(),
            "{engine:?}"
        );
        counter.reasons.lock().unwrap().clear();
        match inst.call("quit_nested", &[Val::I32(3)]) {
            Err(Error::Exit(e)) => assert_eq!(e.code, 3),
            other => panic!("{engine:?}: {other:?}"),
        }
        // `proc_exit`, a listened host function, and the two wasm frames.
        assert_eq!(*counter.reasons.lock().unwrap(), [("exit 3".to_string(), 3)].into());
        assert_eq!(counter.running.load(Relaxed), 0);
    }
}

/// A listener that panics in `before` or `after` traps the wasm that called it (on both
/// engines) instead of taking the host down; the runtime runs on afterwards.
#[test]
fn a_panicking_listener_traps() {
    struct Panicky(bool);
    impl FunctionListener for Panicky {
        fn before(&self, def: &FunctionDefinition, _: &[Val], _: &mut StackIterator<'_>) {
            if self.0 && def.name() == Some("inner") {
                panic!("before {}", def.name().unwrap());
            }
        }
        fn after(&self, def: &FunctionDefinition, _: &[Val]) {
            if !self.0 && def.name() == Some("inner") {
                panic!("after {}", def.name().unwrap());
            }
        }
    }
    struct Factory(bool);
    impl FunctionListenerFactory for Factory {
        fn new_listener(&self, _: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>> {
            Some(Arc::new(Panicky(self.0)))
        }
    }
    let wasm = wat::parse_str(
        r#"(module (func $inner (result i32) (i32.const 7))
             (func (export "outer") (result i32) (call $inner))
             (func (export "other") (result i32) (i32.const 1)))"#,
    )
    .unwrap();
    let mut engines = vec![Engine::Interpreter];
    if native() {
        engines.push(Engine::Compiler);
    }
    for engine in engines {
        for in_before in [true, false] {
            let rt = Runtime::with_config(
                RuntimeConfig::new()
                    .with_engine(engine)
                    .with_function_listener_factory(Arc::new(Factory(in_before))),
            );
            let inst = rt.instantiate_wasm(&wasm).unwrap();
            let which = if in_before { "before inner" } else { "after inner" };
            match inst.call("outer", &[]) {
                Err(Error::Trap(t)) => {
                    assert_eq!(t.code(), kiln::TrapCode::HostError, "{engine:?}");
                    assert!(
                        t.to_string().contains(&format!("function listener panicked: {which}")),
                        "{engine:?}: {t}"
                    );
                }
                other => panic!("{engine:?}: {other:?}"),
            }
            assert_eq!(inst.call("other", &[]).unwrap()[0].i32(), Some(1), "{engine:?}");
        }
    }
}

/// Exceptions crossing engines in one runtime: listened frames of the engine the exception
/// leaves are aborted when it leaves them, the catching engine's frames go on.
#[test]
fn exceptions_crossing_engines_abort_the_frames_they_leave() {
    if !native() {
        return;
    }
    let recorder = Arc::new(Recorder::default());
    let factory: Arc<dyn FunctionListenerFactory> =
        Arc::new(Factory(recorder.clone(), Mutex::default()));
    let interp = Runtime::with_config(
        RuntimeConfig::interpreter().with_function_listener_factory(factory.clone()),
    );
    let rt =
        Runtime::with_config(RuntimeConfig::compiler().with_function_listener_factory(factory));
    let compile_interp = |src: &str| interp.compile(&wat::parse_str(src).unwrap()).unwrap();
    // Interpreted: the tag and a thrower.
    let a = compile_interp(
        r#"(module $lm (tag $e (export "e") (param i32))
             (func $thrower (export "thrower") (param i32) (throw $e (local.get 0))))"#,
    );
    rt.instantiate(&a, ModuleConfig::new().with_name("a")).unwrap();
    // Compiled: calls the thrower; one function catches.
    let b = rt
        .compile(
            &wat::parse_str(
                r#"(module $lm (import "a" "e" (tag $e (param i32)))
                     (import "a" "thrower" (func $thrower (param i32)))
                     (func $c_through (export "c_through") (param i32) (call $thrower (local.get 0)))
                     (func $c_catch (export "c_catch") (param i32) (result i32)
                       (block $h (result i32)
                         (try_table (catch $e $h) (call $c_through (local.get 0)))
                         (i32.const -1))))"#,
            )
            .unwrap(),
        )
        .unwrap();
    let b = rt.instantiate(&b, ModuleConfig::new().with_name("b")).unwrap();
    // Interpreted: catches what the compiled function lets through.
    let c = compile_interp(
        r#"(module $lm (import "a" "e" (tag $e (param i32)))
             (import "b" "c_through" (func $c_through (param i32)))
             (func $i_catch (export "i_catch") (param i32) (result i32)
               (block $h (result i32)
                 (try_table (catch $e $h) (call $c_through (local.get 0)))
                 (i32.const -1))))"#,
    );
    let c = rt.instantiate(&c, ModuleConfig::new().with_name("c")).unwrap();
    assert_eq!(c.call("i_catch", &[Val::I32(5)]).unwrap()[0].i32(), Some(5));
    assert_eq!(b.call("c_catch", &[Val::I32(6)]).unwrap()[0].i32(), Some(6));
    let events = std::mem::take(&mut *recorder.0.lock().unwrap());
    assert_eq!(
        events,
        [
            "> i_catch(5) [i_catch]",
            "> c_through(5) [c_through<i_catch]",
            "> thrower(5) [thrower<c_through<i_catch]",
            "! thrower: exception",
            "! c_through: exception",
            "< i_catch -> (5)",
            "> c_catch(6) [c_catch]",
            "> c_through(6) [c_through<c_catch]",
            "> thrower(6) [thrower<c_through<c_catch]",
            "! thrower: exception",
            "! c_through: exception",
            "< c_catch -> (6)",
        ]
    );
}

/// A listener that calls wasm of its own runtime gets a trap from that call (on both
/// engines), not a crash.
#[test]
fn a_listener_calling_its_own_runtime_gets_a_trap() {
    struct Reenter(Mutex<Option<kiln::Func>>, Mutex<Vec<String>>);
    impl FunctionListener for Reenter {
        fn before(&self, def: &FunctionDefinition, _: &[Val], _: &mut StackIterator<'_>) {
            if def.name() == Some("outer")
                && let Some(f) = self.0.lock().unwrap().clone()
            {
                let r = f.call(&[]);
                self.1.lock().unwrap().push(format!("{:?}", r.map_err(|e| e.to_string())));
            }
        }
        fn after(&self, _: &FunctionDefinition, _: &[Val]) {}
    }
    struct Factory(Arc<Reenter>);
    impl FunctionListenerFactory for Factory {
        fn new_listener(&self, _: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>> {
            Some(self.0.clone())
        }
    }
    let wasm = wat::parse_str(
        r#"(module (func $inner (export "inner") (result i32) (i32.const 7))
             (func $outer (export "outer") (result i32) (call $inner)))"#,
    )
    .unwrap();
    let mut engines = vec![Engine::Interpreter];
    if native() {
        engines.push(Engine::Compiler);
    }
    for engine in engines {
        let listener = Arc::new(Reenter(Mutex::default(), Mutex::default()));
        let rt = Runtime::with_config(
            RuntimeConfig::new()
                .with_engine(engine)
                .with_function_listener_factory(Arc::new(Factory(listener.clone()))),
        );
        let inst = rt.instantiate_wasm(&wasm).unwrap();
        *listener.0.lock().unwrap() = inst.exported_function("inner");
        assert_eq!(inst.call("outer", &[]).unwrap()[0].i32(), Some(7), "{engine:?}");
        let seen = listener.1.lock().unwrap().clone();
        assert_eq!(seen.len(), 1, "{engine:?}");
        assert!(seen[0].contains("a function listener called wasm of its own runtime"), "{seen:?}");
        assert_eq!(inst.call("inner", &[]).unwrap()[0].i32(), Some(7), "{engine:?}");
    }
}

/// Host functions of host modules and of WASI are listened, with host definitions, on both
/// engines; a host function that is called directly from the host is listened too, and one
/// made by `Func::wrap` outside a host module is not.
#[test]
fn host_functions_are_listened() {
    let wasm = wat::parse_str(
        r#"(module $app
             (import "wasi_snapshot_preview1" "fd_write"
               (func $fd_write (param i32 i32 i32 i32) (result i32)))
             (import "env" "twice" (func $twice (param i64) (result i64)))
             (memory (export "memory") 1)
             (data (i32.const 16) "hi\n")
             (func $main (export "main") (result i64)
               ;; one iovec at 0: 3 bytes at 16; the count written goes to 8
               (i32.store (i32.const 0) (i32.const 16))
               (i32.store (i32.const 4) (i32.const 3))
               (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
               (call $twice (i64.load32_u (i32.const 8)))))"#,
    )
    .unwrap();
    let mut engines = vec![Engine::Interpreter];
    if native() {
        engines.push(Engine::Compiler);
    }
    for engine in engines {
        let recorder = Arc::new(Recorder::default());
        let factory = Arc::new(Factory(recorder.clone(), Mutex::default()));
        let rt = Runtime::with_config(
            RuntimeConfig::new()
                .with_engine(engine)
                .with_function_listener_factory(factory.clone()),
        );
        kiln::wasi::instantiate(&rt).unwrap();
        let twice = kiln::Func::wrap(&rt, |x: i64| x * 2);
        let wrapped = kiln::Func::wrap(&rt, |x: i64| x + 1);
        rt.host_module("env")
            .export("twice", &kiln::Extern::Func(twice.clone()))
            .func("unlisted", |x: i64| x)
            .instantiate()
            .unwrap();
        let asked = factory.1.lock().unwrap().clone();
        assert!(asked.contains(&"0 wasi_snapshot_preview1.args_get host".to_string()), "{asked:?}");
        assert!(asked.iter().any(|a| a.ends_with(" wasi_snapshot_preview1.fd_write host")));
        assert!(asked.iter().any(|a| a.ends_with(" wasi_unstable.fd_write host")));
        assert!(
            asked.ends_with(&["0 env.twice host".to_string(), "1 env.unlisted host".to_string()])
        );

        let inst = rt
            .instantiate(&rt.compile(&wasm).unwrap(), ModuleConfig::new().with_stdout(Vec::new()))
            .unwrap();
        assert_eq!(inst.call("main", &[]).unwrap()[0].i64(), Some(6), "{engine:?}");
        assert_eq!(
            std::mem::take(&mut *recorder.0.lock().unwrap()),
            [
                "> main() [main]",
                "> fd_write(1, 0, 1, 8) [fd_write<main]",
                "< fd_write -> (0)",
                "> twice(3) [twice<main]",
                "< twice -> (6)",
                "< main -> (6)",
            ],
            "{engine:?}"
        );
        // Called from the host: listened alone; `Func::wrap` outside a host module: not.
        assert_eq!(twice.call(&[Val::I64(5)]).unwrap()[0].i64(), Some(10));
        assert_eq!(wrapped.call(&[Val::I64(5)]).unwrap()[0].i64(), Some(6));
        assert_eq!(
            std::mem::take(&mut *recorder.0.lock().unwrap()),
            ["> twice(5) [twice]", "< twice -> (10)"],
            "{engine:?}"
        );
    }
}

/// Listener hooks are a code setting of in-process modules too: a module compiled by a
/// runtime without a factory is refused by one with a factory, and the other way round, on
/// both engines, with `Error::IncompatibleModule` naming the setting.
#[test]
fn modules_compiled_without_listeners_are_refused_by_listening_runtimes() {
    let wasm =
        wat::parse_str(r#"(module $m (func $f (export "f") (result i32) (i32.const 1)))"#).unwrap();
    let mut engines = vec![Engine::Interpreter];
    if native() {
        engines.push(Engine::Compiler);
    }
    for engine in engines {
        let (listening, recorder, _) = runtime(engine);
        let plain = Runtime::with_config(RuntimeConfig::new().with_engine(engine));
        let unhooked = plain.compile(&wasm).unwrap();
        let hooked = listening.compile(&wasm).unwrap();
        for (rt, module, text) in [
            (&listening, &unhooked, "function listeners: off in the module, on here"),
            (&plain, &hooked, "function listeners: on in the module, off here"),
        ] {
            match rt.instantiate(module, ModuleConfig::new()) {
                Err(e @ Error::IncompatibleModule { .. }) => {
                    assert!(e.to_string().contains(text), "{engine:?}: {e}")
                }
                other => panic!("{engine:?}: {other:?}"),
            }
        }
        let inst = listening.instantiate(&hooked, ModuleConfig::new()).unwrap();
        assert_eq!(inst.call("f", &[]).unwrap()[0].i32(), Some(1));
        assert_eq!(recorder.0.lock().unwrap().len(), 2, "{engine:?}");
    }
}
