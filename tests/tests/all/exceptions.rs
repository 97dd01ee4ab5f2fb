//! Exception handling through the public API: exceptions thrown and caught across an
//! interpreted module, a compiled module (without handlers of its own) and host functions,
//! with their payloads checked; uncaught exceptions reaching the host as
//! [`Error::Exception`] (not traps); `exnref` values at the API; tags as imports and exports.

use kiln::{
    CoreFeatures, Engine, Error, Exception, FuncType, ModuleConfig, Runtime, RuntimeConfig, Tag,
    TrapCode, Val, ValType,
};

fn features() -> CoreFeatures {
    CoreFeatures::V2.union(CoreFeatures::EXCEPTIONS)
}

fn runtime(engine: Engine) -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(engine).with_core_features(features()))
}

/// An interpreted module made by a separate interpreter runtime (a compiled module may be
/// instantiated in any runtime).
fn interp_module(wat: &str) -> kiln::CompiledModule {
    let m = runtime(Engine::Interpreter).compile(&wat::parse_str(wat).unwrap()).unwrap();
    assert!(!m.is_native());
    m
}

/// Throws `$t` with `(x, x + 1)`, or calls the host's thrower.
const INNER: &str = r#"
(module
  (import "host" "t" (tag $t (param i32 i64)))
  (import "host" "throw" (func $host-throw (param i32)))
  (func (export "thrower") (param i32)
    (throw $t (local.get 0) (i64.add (i64.extend_i32_s (local.get 0)) (i64.const 1))))
  (func (export "from_host") (param i32) (call $host-throw (local.get 0))))
"#;

/// Compiled, no exception handling of its own: its frames are passed through.
const MIDDLE: &str = r#"
(module
  (import "inner" "thrower" (func $thrower (param i32)))
  (import "inner" "from_host" (func $from-host (param i32)))
  (type $v (func (param i32)))
  (table 2 funcref)
  (elem (i32.const 0) $thrower $from-host)
  (func (export "via_interp") (param i32) (result i32)
    (call $thrower (local.get 0)) (i32.const -1))
  (func (export "via_host") (param i32) (result i32)
    (call $from-host (local.get 0)) (i32.const -1))
  (func (export "via_table") (param i32 i32) (result i32)
    (call_indirect (type $v) (local.get 1) (local.get 0)) (i32.const -1)))
"#;

/// Interpreted, catches `$t` around calls into the compiled module: `a * 1000 + b`.
const OUTER: &str = r#"
(module
  (import "host" "t" (tag $t (param i32 i64)))
  (import "middle" "via_interp" (func $via-interp (param i32) (result i32)))
  (import "middle" "via_host" (func $via-host (param i32) (result i32)))
  (import "middle" "via_table" (func $via-table (param i32 i32) (result i32)))
  (func $combine (param i32 i64) (result i64)
    (i64.add (i64.mul (i64.extend_i32_s (local.get 0)) (i64.const 1000)) (local.get 1)))
  (func (export "catch_interp") (param i32) (result i64)
    (block $h (result i32 i64)
      (try_table (catch $t $h) (drop (call $via-interp (local.get 0))))
      (return (i64.const -1)))
    (call $combine))
  (func (export "catch_host") (param i32) (result i64)
    (block $h (result i32 i64)
      (try_table (catch $t $h) (drop (call $via-host (local.get 0))))
      (return (i64.const -1)))
    (call $combine))
  (func (export "catch_table") (param i32 i32) (result i64)
    (block $h (result i32 i64)
      (try_table (catch $t $h) (drop (call $via-table (local.get 0) (local.get 1))))
      (return (i64.const -1)))
    (call $combine))
  (func (export "legacy_catch_host") (param i32) (result i64)
    try (result i64)
      (drop (call $via-host (local.get 0)))
      (i64.const -1)
    catch $t
      (call $combine)
    end)
  (func (export "rethrow_ref") (param i32) (result i32)
    (block $h (result i32 i64 exnref)
      (try_table (catch_ref $t $h) (drop (call $via-interp (local.get 0))))
      (unreachable))
    (throw_ref))
  (func (export "keep_ref") (param i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (drop (call $via-interp (local.get 0))))
      (unreachable))))
"#;

struct Setup {
    rt: Runtime,
    tag: Tag,
    outer: kiln::Instance,
    middle: kiln::Instance,
}

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
    rt.instantiate(&interp_module(INNER), ModuleConfig::new().with_name("inner")).unwrap();
    let middle = rt.compile(&wat::parse_str(MIDDLE).unwrap()).unwrap();
    assert!(middle.is_native(), "the middle module runs compiled");
    let middle = rt.instantiate(&middle, ModuleConfig::new().with_name("middle")).unwrap();
    let outer = rt.instantiate(&interp_module(OUTER), ModuleConfig::new()).unwrap();
    Setup { rt, tag, outer, middle }
}

fn i64_of(r: Result<Vec<Val>, Error>) -> i64 {
    match r.unwrap().as_slice() {
        [Val::I64(v)] => *v,
        other => panic!("expected one i64, got {other:?}"),
    }
}

#[test]
fn interpreted_throw_through_compiled_frames_is_caught_by_interpreted_handler() {
    let s = setup();
    assert_eq!(i64_of(s.outer.call("catch_interp", &[7.into()])), 7 * 1000 + 8);
    assert_eq!(i64_of(s.outer.call("catch_interp", &[(-3).into()])), -3 * 1000 - 2);
    // Many times over (the runtime-support unit tests check that the arena does not grow).
    for i in 0..10_000 {
        assert_eq!(i64_of(s.outer.call("catch_interp", &[i.into()])), i as i64 * 1001 + 1);
    }
}

#[test]
fn host_throw_through_compiled_frames_is_caught_by_interpreted_handlers() {
    let s = setup();
    assert_eq!(i64_of(s.outer.call("catch_host", &[5.into()])), 5 * 1000 + 500);
    assert_eq!(i64_of(s.outer.call("legacy_catch_host", &[6.into()])), 6 * 1000 + 600);
}

#[test]
fn exceptions_cross_compiled_call_indirect() {
    let s = setup();
    assert_eq!(i64_of(s.outer.call("catch_table", &[0.into(), 4.into()])), 4 * 1000 + 5);
    assert_eq!(i64_of(s.outer.call("catch_table", &[1.into(), 4.into()])), 4 * 1000 + 400);
}

#[test]
fn uncaught_exception_reaches_the_host_with_tag_payload_and_backtrace() {
    let s = setup();
    for (func, payload1) in [("via_interp", 10i64), ("via_host", 900)] {
        match s.middle.call(func, &[9.into()]) {
            Err(Error::Exception(e)) => {
                assert_eq!(e.tag(), &s.tag, "{func}");
                assert!(matches!(e.payload(), [Val::I32(9), Val::I64(p)] if *p == payload1));
                let text = e.to_string();
                assert!(text.contains("uncaught wasm exception: tag host.t"), "{text}");
                // The compiled frame it passed through is in the backtrace, after the
                // interpreted thrower's (innermost first).
                let funcs: Vec<u32> = e.backtrace().iter().map(|f| f.func_index).collect();
                let want: &[u32] = if func == "via_interp" { &[1, 2] } else { &[2, 3] };
                assert_eq!(funcs, want, "{text}");
                assert!(text.contains("wasm backtrace:"), "{text}");
            }
            other => panic!("{func}: expected an exception, got {other:?}"),
        }
    }
    // `throw_ref` of a caught exception: the same tag and payload again.
    match s.outer.call("rethrow_ref", &[3.into()]) {
        Err(Error::Exception(e)) => {
            assert_eq!(e.tag(), &s.tag);
            assert!(matches!(e.payload(), [Val::I32(3), Val::I64(4)]));
        }
        other => panic!("expected an exception, got {other:?}"),
    }
}

#[test]
fn exnref_results_reach_the_host_and_go_back_in() {
    let s = setup();
    let r = s.outer.call("keep_ref", &[11.into()]).unwrap();
    let [Val::ExnRef(Some(exn))] = r.as_slice() else { panic!("expected an exnref, got {r:?}") };
    let e = exn.exception();
    assert_eq!(e.tag(), &s.tag);
    assert!(matches!(e.payload(), [Val::I32(11), Val::I64(12)]));
    // Thrown again by wasm from the host's handle.
    let m = interp_module(
        r#"(module (func (export "rethrow") (param exnref) (throw_ref (local.get 0))))"#,
    );
    let inst = s.rt.instantiate(&m, ModuleConfig::new()).unwrap();
    match inst.call("rethrow", &[Val::ExnRef(Some(exn.clone()))]) {
        Err(Error::Exception(e)) => assert!(matches!(e.payload(), [Val::I32(11), Val::I64(12)])),
        other => panic!("expected an exception, got {other:?}"),
    }
    match inst.call("rethrow", &[Val::ExnRef(None)]) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::NullExceptionReference),
        other => panic!("expected a trap, got {other:?}"),
    }
    // An exnref of another runtime is refused.
    let other = runtime(Engine::Interpreter);
    let inst2 = other.instantiate(&m, ModuleConfig::new()).unwrap();
    assert!(matches!(
        inst2.call("rethrow", &[Val::ExnRef(Some(exn.clone()))]),
        Err(Error::WrongRuntime)
    ));
}

#[test]
fn tags_are_exported_imported_and_compared_by_identity() {
    let rt = runtime(Engine::Interpreter);
    let a = rt
        .instantiate(
            &interp_module(
                r#"(module (tag (export "e") (param f64)) (tag (export "f") (param f64))
                     (func (export "throw") (param f64) (throw 0 (local.get 0))))"#,
            ),
            ModuleConfig::new().with_name("a"),
        )
        .unwrap();
    let e = a.exported_tag("e").unwrap();
    assert_eq!(e.ty(), FuncType::new([ValType::F64], []));
    assert_ne!(e, a.exported_tag("f").unwrap(), "same type, different tags");
    assert_eq!(e.name().as_deref(), Some("a.e"));
    let b = rt
        .instantiate(
            &interp_module(
                r#"(module (import "a" "e" (tag $e (param f64))) (import "a" "throw" (func $t (param f64)))
                     (tag $mine (param f64))
                     (func (export "catch") (param f64) (result f64)
                       (block $h (result f64)
                         (try_table (catch $mine 0) (catch $e $h) (call $t (local.get 0)))
                         (f64.const -1))))"#,
            ),
            ModuleConfig::new(),
        )
        .unwrap();
    assert!(matches!(b.call("catch", &[Val::F64(2.5)]).unwrap()[..], [Val::F64(x)] if x == 2.5));
    // An import of the wrong tag type does not link.
    let bad = interp_module(r#"(module (import "a" "e" (tag (param i32))))"#);
    assert!(matches!(rt.instantiate(&bad, ModuleConfig::new()), Err(Error::Link(_))));
    // A host tag must have no results, and a payload must match its type.
    assert!(matches!(
        Tag::new(&rt, FuncType::new([], [ValType::I32])),
        Err(Error::TypeMismatch(_))
    ));
    assert!(matches!(Exception::new(&e, vec![Val::I32(1)]), Err(Error::TypeMismatch(_))));
}
