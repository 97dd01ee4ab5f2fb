//! Exception handlers in compiled code, through the public API: compiled `try_table`s and
//! legacy `try`s catching what an interpreted module, a host function and compiled code
//! throw (payloads checked), after many compiled frames, through `call_indirect`,
//! `call_ref` and `return_call`; an artifact loaded from a file catching; a corrupted
//! handler table in an artifact refused with a typed error.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{
    CoreFeatures, Engine, Error, Exception, FuncType, ModuleConfig, Runtime, RuntimeConfig, Tag,
    TrapCode, Val, ValType,
};
use kiln_runtime_support::artifact::ArtifactError;

fn features() -> CoreFeatures {
    CoreFeatures::V2
        .union(CoreFeatures::EXCEPTIONS)
        .union(CoreFeatures::TAIL_CALL)
        .union(CoreFeatures::FUNCTION_REFERENCES)
}

fn runtime(engine: Engine) -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(engine).with_core_features(features()))
}

fn compile(rt: &Runtime, wat: &str, native: bool) -> kiln::CompiledModule {
    let m = rt.compile(&wat::parse_str(wat).unwrap()).unwrap();
    assert_eq!(m.is_native(), native);
    m
}

fn one(r: Result<Vec<Val>, Error>) -> Val {
    let v = r.unwrap();
    assert_eq!(v.len(), 1, "{v:?}");
    v[0].clone()
}

fn i64_of(r: Result<Vec<Val>, Error>) -> i64 {
    match one(r) {
        Val::I64(v) => v,
        other => panic!("expected an i64, got {other:?}"),
    }
}

/// Interpreted: throws `$t` with `(x, x + 1)`.
const INTERP_THROWER: &str = r#"
(module
  (import "host" "t" (tag $t (param i32 i64)))
  (func (export "thrower") (param i32)
    (throw $t (local.get 0) (i64.add (i64.extend_i32_s (local.get 0)) (i64.const 1)))))
"#;

/// Compiled: catches `$t` around calls into the interpreted module, the host and itself,
/// directly and through a table, with `try_table` and legacy `try`: `a * 1000 + b`.
const COMPILED_CATCHER: &str = r#"
(module
  (import "host" "t" (tag $t (param i32 i64)))
  (import "host" "throw" (func $host-throw (param i32)))
  (import "interp" "thrower" (func $interp-throw (param i32)))
  (type $v (func (param i32)))
  (table 3 funcref)
  (elem (i32.const 0) $interp-throw $host-throw $own-throw)
  (func $own-throw (param i32)
    (throw $t (local.get 0) (i64.extend_i32_s (i32.mul (local.get 0) (i32.const 3)))))
  (func $combine (param i32 i64) (result i64)
    (i64.add (i64.mul (i64.extend_i32_s (local.get 0)) (i64.const 1000)) (local.get 1)))
  (func (export "catch_interp") (param i32) (result i64)
    (block $h (result i32 i64)
      (try_table (catch $t $h) (call $interp-throw (local.get 0)))
      (return (i64.const -1)))
    (call $combine))
  (func (export "catch_host") (param i32) (result i64)
    (block $h (result i32 i64)
      (try_table (catch $t $h) (call $host-throw (local.get 0)))
      (return (i64.const -1)))
    (call $combine))
  (func (export "catch_table") (param i32 i32) (result i64)
    (block $h (result i32 i64)
      (try_table (catch $t $h) (call_indirect (type $v) (local.get 1) (local.get 0)))
      (return (i64.const -1)))
    (call $combine))
  (func (export "legacy_catch") (param i32 i32) (result i64)
    try (result i64)
      (call_indirect (type $v) (local.get 1) (local.get 0))
      (i64.const -1)
    catch $t
      (call $combine)
    end)
  (func (export "catch_all_ref_rethrow") (param i32) (result i64)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $interp-throw (local.get 0)))
      (return (i64.const -1)))
    (throw_ref))
  (func (export "keep_ref") (param i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $host-throw (local.get 0)))
      (unreachable))))
"#;

struct Setup {
    tag: Tag,
    catcher: kiln::Instance,
}

/// The host module, the interpreted thrower and the compiled catcher in one compiling
/// runtime (the interpreted module comes from an interpreter runtime).
fn setup() -> Setup {
    let rt = runtime(Engine::Compiler);
    let tag = Tag::new(&rt, FuncType::new([ValType::I32, ValType::I64], [])).unwrap();
    let thrown = tag.clone();
    rt.host_module("host")
        .tag("t", &tag)
        .func("throw", move |x: i32| -> Result<(), Error> {
            let payload = vec![Val::I32(x), Val::I64(x as i64 * 100)];
            Err(Error::Exception(Exception::new(&thrown, payload)?))
        })
        .instantiate()
        .unwrap();
    let interp = compile(&runtime(Engine::Interpreter), INTERP_THROWER, false);
    rt.instantiate(&interp, ModuleConfig::new().with_name("interp")).unwrap();
    let catcher = compile(&rt, COMPILED_CATCHER, true);
    let catcher = rt.instantiate(&catcher, ModuleConfig::new()).unwrap();
    Setup { tag, catcher }
}

#[test]
fn compiled_handlers_catch_from_interpreted_host_and_compiled_throwers() {
    let s = setup();
    let c = &s.catcher;
    for i in [7, -3, 0, 100_000] {
        let x = i64::from(i);
        assert_eq!(i64_of(c.call("catch_interp", &[i.into()])), x * 1000 + x + 1);
        assert_eq!(i64_of(c.call("catch_host", &[i.into()])), x * 1000 + x * 100);
        assert_eq!(i64_of(c.call("catch_table", &[0.into(), i.into()])), x * 1000 + x + 1);
        assert_eq!(i64_of(c.call("catch_table", &[1.into(), i.into()])), x * 1000 + x * 100);
        assert_eq!(i64_of(c.call("catch_table", &[2.into(), i.into()])), x * 1000 + x * 3);
        assert_eq!(i64_of(c.call("legacy_catch", &[0.into(), i.into()])), x * 1000 + x + 1);
        assert_eq!(i64_of(c.call("legacy_catch", &[1.into(), i.into()])), x * 1000 + x * 100);
        assert_eq!(i64_of(c.call("legacy_catch", &[2.into(), i.into()])), x * 1000 + x * 3);
    }
    // Many times over: catching reuses the exception arena and the stack stays balanced.
    for i in 0..20_000 {
        let x = i64::from(i);
        let second = [x + 1, x * 100, x * 3][(i % 3) as usize];
        let got = i64_of(c.call("catch_table", &[(i % 3).into(), i.into()]));
        assert_eq!(got, x * 1000 + second);
    }
    // Out of range of the table: a trap, not an exception, passes the handlers.
    match c.call("catch_table", &[3.into(), 1.into()]) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::UndefinedElement),
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn compiled_catch_ref_hands_the_same_exception_on() {
    let s = setup();
    match s.catcher.call("catch_all_ref_rethrow", &[5.into()]) {
        Err(Error::Exception(e)) => {
            assert_eq!(e.tag(), &s.tag);
            assert!(matches!(e.payload(), [Val::I32(5), Val::I64(6)]), "{:?}", e.payload());
        }
        other => panic!("expected an exception, got {other:?}"),
    }
    let Val::ExnRef(Some(exn)) = one(s.catcher.call("keep_ref", &[4.into()])) else {
        panic!("expected an exnref")
    };
    assert!(matches!(exn.exception().payload(), [Val::I32(4), Val::I64(400)]));
}

/// `depth` compiled frames between the handler and the throw; the payload is computed on
/// the way down so each frame matters.
const DEEP: &str = r#"
(module
  (tag $e (param i64 f64))
  (tag $other (param i64))
  (func $down (param $n i32) (param $acc i64)
    (if (i32.eqz (local.get $n))
      (then (throw $e (local.get $acc) (f64.convert_i64_s (local.get $acc)))))
    ;; a handler of another tag in every frame, which the exception passes
    (block $skip (result i64)
      (try_table (catch $other $skip)
        (call $down (i32.sub (local.get $n) (i32.const 1))
          (i64.add (i64.mul (local.get $acc) (i64.const 3)) (i64.extend_i32_u (local.get $n)))))
      (return))
    (drop))
  (func (export "deep") (param i32) (result i64 f64)
    (block $h (result i64 f64)
      (try_table (catch $e $h) (call $down (local.get 0) (i64.const 1)))
      (return (i64.const -1) (f64.const -1)))))
"#;

#[test]
fn compiled_catch_after_ten_compiled_frames() {
    let rt = runtime(Engine::Compiler);
    let inst = rt.instantiate(&compile(&rt, DEEP, true), ModuleConfig::new()).unwrap();
    let irt = runtime(Engine::Interpreter);
    let iinst = irt.instantiate(&compile(&irt, DEEP, false), ModuleConfig::new()).unwrap();
    for n in [0, 1, 10, 30] {
        let mut acc = 1i64;
        for k in (1..=n).rev() {
            acc = acc * 3 + i64::from(k);
        }
        assert_eq!(deep(&inst, n), (acc, acc as f64), "depth {n}");
        assert_eq!(deep(&iinst, n), (acc, acc as f64), "depth {n}, interpreter");
    }
}

/// `deep(n)`'s payload.
fn deep(inst: &kiln::Instance, n: i32) -> (i64, f64) {
    match inst.call("deep", &[n.into()]).unwrap()[..] {
        [Val::I64(a), Val::F64(b)] => (a, b),
        ref other => panic!("{other:?}"),
    }
}

/// Throws through `call_indirect`, `call_ref` and `return_call` chains in compiled code. A
/// `return_call` inside a `try_table` leaves the handler: the caller's handler catches.
const TAIL: &str = r#"
(module
  (tag $e (param i32))
  (type $v (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $thrower $bouncer)
  (elem declare func $thrower)
  (func $thrower (param i32) (result i32) (throw $e (i32.add (local.get 0) (i32.const 1))))
  (func $bouncer (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (return_call $thrower (i32.const 100))))
    (return_call_indirect (type $v) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))
  (func $leaves (param i32) (result i32)
    (block $inner (result i32)
      (try_table (result i32) (catch $e $inner)
        (return_call $bouncer (local.get 0))))
    (i32.const -1000)
    (i32.add))
  (func (export "via_indirect") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_indirect (type $v) (local.get 0) (i32.const 1)))
      (return))
    (i32.const 1000) (i32.add))
  (func (export "via_ref") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_ref $v (local.get 0) (ref.func $thrower)))
      (return))
    (i32.const 2000) (i32.add))
  (func (export "via_tail") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (call $leaves (local.get 0)))
      (return))
    (i32.const 3000) (i32.add)))
"#;

#[test]
fn exceptions_through_call_indirect_call_ref_and_return_call_in_compiled_code() {
    let rt = runtime(Engine::Compiler);
    let inst = rt.instantiate(&compile(&rt, TAIL, true), ModuleConfig::new()).unwrap();
    let i32_of = |name: &str, x: i32| match one(inst.call(name, &[x.into()])) {
        Val::I32(v) => v,
        other => panic!("{other:?}"),
    };
    // The bouncer tail-calls itself x times, then the thrower with 100.
    assert_eq!(i32_of("via_indirect", 0), 1000 + 101);
    assert_eq!(i32_of("via_indirect", 50_000), 1000 + 101);
    assert_eq!(i32_of("via_ref", 41), 2000 + 42);
    // `$leaves`'s own handler is gone once it tail-calls: the caller's catches.
    assert_eq!(i32_of("via_tail", 5), 3000 + 101);
}

#[test]
fn an_artifact_loaded_from_a_file_catches() {
    let options = AotOptions { features: features(), ..AotOptions::default() };
    let options = &options;
    let blob = compile_artifact(&wat::parse_str(DEEP).unwrap(), options).unwrap();
    let dir = std::env::temp_dir().join(format!("kiln-compiled-exceptions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("deep.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = runtime(Engine::Compiler);
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    assert!(m.is_native());
    let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
    let fresh = rt.instantiate(&compile(&rt, DEEP, true), ModuleConfig::new()).unwrap();
    assert_eq!(deep(&inst, 10), deep(&fresh, 10));
    assert_eq!(deep(&inst, 2).0, (3 + 2) * 3 + 1);
    // The relocatable object carries the handler table too.
    let obj_options = AotOptions { emit: kiln::aot::Emit::Obj, ..options.clone() };
    let obj = compile_artifact(&wat::parse_str(DEEP).unwrap(), &obj_options).unwrap();
    let obj_path = dir.join("deep.o");
    std::fs::write(&obj_path, &obj).unwrap();
    let m = kiln_tests::load_own(&rt, &obj_path).unwrap();
    let from_obj = rt.instantiate(&m, ModuleConfig::new()).unwrap();
    assert_eq!(deep(&from_obj, 10), deep(&fresh, 10));

    // The handler table travels in the metadata: the artifact has one, and a corrupted
    // one (sealed again, so every digest passes) is refused with a typed error naming it.
    let v = kiln_runtime_support::artifact::verify_integrity(&blob).unwrap();
    let meta = v.metadata().unwrap();
    assert!(!meta.handlers.is_empty());
    type Edit = fn(&mut kiln_runtime_support::vm::HandlerTable);
    let cases: [(&str, Edit); 4] = [
        ("landing pad", |h| h.clauses[0].landing = u32::MAX - 1),
        ("tag", |h| h.clauses[0].tag = 7),
        ("clauses", |h| h.call_sites[0].num_clauses = 1000),
        ("sorted", |h| {
            let first = h.call_sites[0];
            h.call_sites.push(first);
        }),
    ];
    for (what, edit) in cases {
        let mut bad = meta.clone();
        edit(&mut bad.handlers);
        let path = dir.join("bad.kiln");
        std::fs::write(&path, kiln_tests::rewrite_artifact(&blob, &bad)).unwrap();
        match kiln_tests::load_own(&rt, &path) {
            Err(Error::Artifact(ArtifactError::Corrupt { detail, .. })) => {
                assert!(detail.contains("handlers") && detail.contains(what), "{what}: {detail}")
            }
            other => panic!("{what}: expected a corrupt-artifact error, got {other:?}"),
        }
    }
}

#[test]
fn auto_engine_compiles_exception_handling() {
    let wasm = wat::parse_str(
        r#"(module (tag $e) (func (export "f") (result i32)
             (block $h (try_table (catch $e $h) (throw $e))) (i32.const 1)))"#,
    )
    .unwrap();
    let auto = runtime(Engine::Auto);
    let m = auto.compile(&wasm).unwrap();
    assert!(m.is_native());
    let inst = auto.instantiate(&m, ModuleConfig::new()).unwrap();
    assert!(matches!(inst.call("f", &[]).unwrap()[..], [Val::I32(1)]));
    // Without the feature, the module is invalid (not unsupported).
    let v2 = Runtime::with_config(
        RuntimeConfig::new().with_engine(Engine::Compiler).with_core_features(CoreFeatures::V2),
    );
    assert!(matches!(v2.compile(&wasm), Err(Error::Compile(e)) if !e.unsupported));
}

#[test]
fn compiled_to_interpreted_to_compiled_and_back() {
    // A compiled thrower, an interpreted module without handlers calling it, and a compiled
    // catcher calling the interpreted module: the exception leaves the inner compiled code
    // through its entry, passes the interpreted frame, and comes back into compiled code
    // through a wasm-to-array trampoline, where the unwinder finds the handler.
    let rt = runtime(Engine::Compiler);
    let thrower = r#"(module
      (tag (export "e") (param i64 f32))
      (func (export "throw") (param i64) (throw 0 (local.get 0) (f32.const 2.5))))"#;
    let thrower = rt.instantiate(&compile(&rt, thrower, true), ModuleConfig::new().with_name("c1"));
    thrower.unwrap();
    let middle = r#"(module
      (import "c1" "throw" (func $t (param i64)))
      (func (export "pass") (param i64) (result i32)
        (call $t (i64.mul (local.get 0) (i64.const 2))) (i32.const -1)))"#;
    let middle = compile(&runtime(Engine::Interpreter), middle, false);
    rt.instantiate(&middle, ModuleConfig::new().with_name("interp")).unwrap();
    let outer = r#"(module
      (import "c1" "e" (tag $e (param i64 f32)))
      (import "interp" "pass" (func $pass (param i64) (result i32)))
      (func (export "run") (param i64) (result i64)
        (block $h (result i64 f32)
          (try_table (catch $e $h) (drop (call $pass (local.get 0))))
          (return (i64.const -1)))
        (i64.trunc_f32_s) (i64.add)))"#;
    let outer = rt.instantiate(&compile(&rt, outer, true), ModuleConfig::new()).unwrap();
    for x in [0i64, 21, -8] {
        assert_eq!(i64_of(outer.call("run", &[x.into()])), x * 2 + 2);
    }
}
