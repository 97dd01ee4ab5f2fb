//! The interpreter's translation policy through the public API: lazily (the default), a
//! module compiles without translating any function and each function is translated on its
//! first call, by any instance; eagerly (`RuntimeConfig::with_eager_translation`), all at
//! compile time. Invalid code is a compile error either way, even in a function never
//! called; a function the interpreter cannot translate fails the compile when eager and
//! traps on its first call when lazy, with the same message.

use kiln::{Engine, Error, Instance, ModuleConfig, Runtime, RuntimeConfig};

fn runtime(eager: bool) -> Runtime {
    Runtime::with_config(
        RuntimeConfig::new().with_engine(Engine::Interpreter).with_eager_translation(eager),
    )
}

/// Calls `name` of `instance` without arguments; its i32 result.
fn call(instance: &Instance, name: &str) -> i32 {
    let results = instance.call(name, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
    results[0].i32().expect("an i32 result")
}

/// Four defined functions: `used` calls `$helper` directly and `$indirect` through the
/// table; `unused` is exported but never called.
const MODULE: &str = r#"
(module
  (type $v2i (func (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $indirect)
  (func $helper (result i32) (i32.const 40))
  (func $indirect (result i32) (i32.const 2))
  (func (export "used") (result i32)
    (i32.add (call $helper) (call_indirect (type $v2i) (i32.const 0))))
  (func (export "unused") (result i32)
    (local $i i32)
    (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                 (i32.const 10))))
    (local.get $i)))
"#;

#[test]
fn functions_are_translated_on_their_first_call() {
    let rt = runtime(false);
    let module = rt.compile(&wat::parse_str(MODULE).unwrap()).unwrap();
    assert_eq!(module.translated_functions(), Some(0), "compiling translates nothing");
    let a = rt.instantiate(&module, ModuleConfig::new().with_name("a")).unwrap();
    assert_eq!(module.translated_functions(), Some(0), "instantiating translates nothing");
    assert_eq!(call(&a, "used"), 42);
    // `used`, then `$helper` by `call` and `$indirect` by `call_indirect`: not `unused`.
    assert_eq!(module.translated_functions(), Some(3));
    // A second instance shares the translations; its first call of `unused` adds one.
    let b = rt.instantiate(&module, ModuleConfig::new().with_name("b")).unwrap();
    assert_eq!(call(&b, "used"), 42);
    assert_eq!(module.translated_functions(), Some(3));
    assert_eq!(call(&b, "unused"), 10);
    assert_eq!(module.translated_functions(), Some(4));
    assert_eq!(call(&a, "unused"), 10);
    assert_eq!(module.translated_functions(), Some(4));
}

#[test]
fn eager_translation_translates_every_function_at_compile_time() {
    let rt = runtime(true);
    assert!(rt.config().eager_translation());
    let module = rt.compile(&wat::parse_str(MODULE).unwrap()).unwrap();
    assert_eq!(module.translated_functions(), Some(4));
    let a = rt.instantiate(&module, ModuleConfig::new()).unwrap();
    assert_eq!(call(&a, "used"), 42);
    assert_eq!(module.translated_functions(), Some(4));
}

/// Invalid code in a function that is never called is a compile error in both modes, with
/// the same message and offset.
#[test]
fn invalid_code_in_an_uncalled_function_fails_the_compile_in_both_modes() {
    let wasm = wat::parse_str(
        r#"(module
             (func (export "fine") (result i32) (i32.const 1))
             (func (export "never") (result i32) (i64.const 1)))"#,
    );
    // wat checks no types, so the module parses; the validator refuses the i64 result.
    let wasm = wasm.unwrap();
    let errors: Vec<_> = [false, true]
        .map(|eager| match runtime(eager).compile(&wasm) {
            Err(Error::Compile(e)) => e,
            other => panic!("eager={eager}: expected a compile error, got {other:?}"),
        })
        .into();
    assert!(errors[0].message.contains("type mismatch"), "{}", errors[0].message);
    assert_eq!(errors[0], errors[1]);
}

/// A module whose function `big` has more distinct `v128` constants than the interpreter's
/// constant pool can index (65,536), and a function `small` that is fine.
fn too_many_constants() -> Vec<u8> {
    let mut body = String::new();
    for i in 0..=u32::from(u16::MAX) + 1 {
        body.push_str(&format!("(drop (v128.const i32x4 {i} 0 0 0))\n"));
    }
    wat::parse_str(format!(
        r#"(module
             (func (export "small") (result i32) (i32.const 7))
             (func (export "big") {body}))"#
    ))
    .unwrap()
}

/// What the interpreter cannot translate is a compile error when translation is eager; when
/// lazy, the module compiles and instantiates, its other functions run, and the function
/// traps on its first call with the same message (and on every later call).
#[test]
fn untranslatable_functions_fail_the_compile_when_eager_and_trap_when_called_lazily() {
    let wasm = too_many_constants();
    let eager = match runtime(true).compile(&wasm) {
        Err(Error::Compile(e)) => e,
        other => panic!("expected a compile error, got {other:?}"),
    };
    assert!(eager.unsupported, "{eager:?}");
    assert!(eager.message.contains("v128 constants"), "{}", eager.message);

    let rt = runtime(false);
    let module = rt.compile(&wasm).unwrap();
    let instance = rt.instantiate(&module, ModuleConfig::new()).unwrap();
    assert_eq!(call(&instance, "small"), 7);
    for _ in 0..2 {
        match instance.call("big", &[]) {
            Err(Error::Trap(t)) => {
                assert!(t.message().contains(&eager.message), "{} vs {}", t.message(), eager);
                assert!(t.message().contains("function 1"), "{}", t.message());
            }
            other => panic!("expected a trap, got {other:?}"),
        }
    }
}

/// `Runtime::compile_owned` (the module keeps the given binary rather than a copy) compiles
/// what `compile` does, lazily translated on the interpreter, and refuses what it refuses.
#[test]
fn compile_owned_keeps_the_binary_and_translates_lazily() {
    let rt = runtime(false);
    let module = rt.compile_owned(wat::parse_str(MODULE).unwrap()).unwrap();
    assert_eq!(module.translated_functions(), Some(0));
    let a = rt.instantiate(&module, ModuleConfig::new()).unwrap();
    assert_eq!(call(&a, "used"), 42);
    assert_eq!(module.translated_functions(), Some(3));
    let invalid = wat::parse_str(r#"(module (func (result i32) (i64.const 1)))"#).unwrap();
    match (rt.compile(&invalid), rt.compile_owned(invalid)) {
        (Err(Error::Compile(a)), Err(Error::Compile(b))) => assert_eq!(a, b),
        other => panic!("expected two compile errors, got {other:?}"),
    }
}
