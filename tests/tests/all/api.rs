//! The embedding API: configuration, module metadata, instances, memories, globals,
//! tables, typed and untyped calls, and their typed errors.

use kiln::*;

fn rt() -> Runtime {
    Runtime::with_config(RuntimeConfig::interpreter())
}

const MODULE: &str = r#"
(module $m
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (memory (export "mem") 1 3)
  (global $g (export "counter") (mut i64) (i64.const 40))
  (global (export "pi") f64 (f64.const 3.25))
  (table (export "tab") 2 10 funcref)
  (elem (i32.const 1) $swap)
  (data (i32.const 16) "kiln")
  (func $swap (export "swap") (param i32 f32) (result f32 i32) (local.get 1) (local.get 0))
  (func (export "bump") (result i64)
    (global.set $g (i64.add (global.get $g) (i64.const 2)))
    (global.get $g))
  (func (export "sum") (param i32 i32 i32) (result i32)
    (call $add (local.get 0) (call $add (local.get 1) (local.get 2))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)"#;

fn setup(rt: &Runtime) -> Instance {
    rt.host_module("env").func("add", |a: i32, b: i32| a.wrapping_add(b)).instantiate().unwrap();
    rt.instantiate_wasm(&wat::parse_str(MODULE).unwrap()).unwrap()
}

#[test]
fn module_metadata() {
    let rt = Runtime::with_config(RuntimeConfig::interpreter().with_custom_sections(true));
    let mut wasm = wat::parse_str(MODULE).unwrap();
    // A custom section appended by hand: id 0, size, name "meta", payload "xyz".
    wasm.extend_from_slice(&[0, 8, 4, b'm', b'e', b't', b'a', b'x', b'y', b'z']);
    let m = rt.compile(&wasm).unwrap();
    assert_eq!(m.name(), Some("m"));
    let imports = m.imports();
    assert_eq!(imports.len(), 1);
    assert_eq!((imports[0].module.as_str(), imports[0].name.as_str()), ("env", "add"));
    assert_eq!(
        imports[0].ty,
        ExternType::Func(FuncType::new([ValType::I32, ValType::I32], [ValType::I32]))
    );
    let names: Vec<_> = m.exports().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["mem", "counter", "pi", "tab", "swap", "bump", "sum", "grow"]);
    let customs: Vec<_> = m.custom_sections().filter(|(n, _)| *n == "meta").collect();
    assert_eq!(customs, [("meta", &b"xyz"[..])]);
}

#[test]
fn calls_typed_and_untyped() {
    let rt = rt();
    let inst = setup(&rt);
    let sum = inst.typed_func::<(i32, i32, i32), i32>("sum").unwrap();
    assert_eq!(sum.call((1, 2, 3)).unwrap(), 6);
    let swap = inst.typed_func::<(i32, f32), (f32, i32)>("swap").unwrap();
    assert_eq!(swap.call((7, 1.5)).unwrap(), (1.5, 7));
    let r = inst.call("swap", &[Val::I32(3), Val::F32(-0.5)]).unwrap();
    assert_eq!((r[0].f32(), r[1].i32()), (Some(-0.5), Some(3)));
    // Wrong arity or types are typed errors, not panics.
    assert!(matches!(inst.call("swap", &[Val::I32(3)]), Err(Error::TypeMismatch(_))));
    assert!(matches!(
        inst.call("swap", &[Val::F32(3.0), Val::I32(1)]),
        Err(Error::TypeMismatch(_))
    ));
    assert!(matches!(inst.typed_func::<i32, i32>("swap"), Err(Error::TypeMismatch(_))));
    assert!(matches!(inst.call("nope", &[]), Err(Error::NotFound { .. })));
}

#[test]
fn memory_access_is_bounds_checked() {
    let rt = rt();
    let inst = setup(&rt);
    let mem = inst.exported_memory("mem").unwrap();
    assert_eq!(mem.size(), 1);
    assert_eq!(mem.read_vec(16, 4).unwrap(), b"kiln");
    mem.write_u32_le(100, 0xdead_beef).unwrap();
    assert_eq!(mem.read_u32_le(100).unwrap(), 0xdead_beef);
    assert_eq!(mem.read_u8(100).unwrap(), 0xef);
    mem.write_f64_le(200, 2.5).unwrap();
    assert_eq!(mem.read_f64_le(200).unwrap(), 2.5);
    assert!(matches!(mem.read_u64_le(65532), Err(Error::OutOfBounds { .. })));
    assert!(matches!(mem.write(u64::MAX, b"x"), Err(Error::OutOfBounds { .. })));
    assert_eq!(mem.grow(1).unwrap(), 1);
    assert_eq!(inst.call("grow", &[1.into()]).unwrap()[0].i32(), Some(2));
    assert_eq!(mem.size(), 3);
    // Past the declared maximum of 3 pages: -1 from wasm, an error from the API.
    assert_eq!(inst.call("grow", &[1.into()]).unwrap()[0].i32(), Some(-1));
    assert!(matches!(mem.grow(1), Err(Error::Resource(_))));
    // Data written before growth is still there after the memory moved.
    assert_eq!(mem.read_u32_le(100).unwrap(), 0xdead_beef);
}

#[test]
fn globals_and_tables() {
    let rt = rt();
    let inst = setup(&rt);
    let g = inst.exported_global("counter").unwrap();
    assert_eq!(g.get().i64(), Some(40));
    assert_eq!(inst.call("bump", &[]).unwrap()[0].i64(), Some(42));
    g.set(Val::I64(100)).unwrap();
    assert_eq!(inst.call("bump", &[]).unwrap()[0].i64(), Some(102));
    assert!(matches!(g.set(Val::I32(1)), Err(Error::TypeMismatch(_))));
    let pi = inst.exported_global("pi").unwrap();
    assert_eq!(pi.get().f64(), Some(3.25));
    assert!(matches!(pi.set(Val::F64(1.0)), Err(Error::ImmutableGlobal)));

    let tab = inst.exported_table("tab").unwrap();
    assert_eq!(tab.size(), 2);
    assert!(matches!(tab.get(0), Some(Val::FuncRef(None))));
    let Some(Val::FuncRef(Some(f))) = tab.get(1) else { panic!("element 1 is $swap") };
    assert_eq!(f.call(&[Val::I32(1), Val::F32(2.0)]).unwrap()[1].i32(), Some(1));
    assert_eq!(tab.grow(3, Val::FuncRef(Some(f.clone()))).unwrap(), 2);
    assert!(matches!(tab.get(4), Some(Val::FuncRef(Some(_)))));
    assert!(tab.get(5).is_none());
    assert!(matches!(tab.set(9, Val::FuncRef(None)), Err(Error::OutOfBounds { .. })));
    assert!(matches!(tab.grow(100, Val::FuncRef(None)), Err(Error::Resource(_))));
}

#[test]
fn link_errors_name_the_import() {
    let rt = rt();
    let wasm = wat::parse_str(MODULE).unwrap();
    match rt.instantiate_wasm(&wasm) {
        Err(Error::Link(e)) => {
            assert_eq!(e.kind, LinkErrorKind::UnknownImport);
            assert_eq!((e.module.as_str(), e.name.as_str()), ("env", "add"));
        }
        other => panic!("expected a link error, got {other:?}"),
    }
    rt.host_module("env").func("add", |a: i64| a).instantiate().unwrap();
    match rt.instantiate_wasm(&wasm) {
        Err(Error::Link(e)) => assert_eq!(e.kind, LinkErrorKind::IncompatibleImportType),
        other => panic!("expected a link error, got {other:?}"),
    }
}

#[test]
fn named_instances_link_and_names_are_unique() {
    let rt = rt();
    let a = wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 7))"#).unwrap();
    let b = wat::parse_str(
        r#"(module (import "a" "f" (func $f (result i32))) (func (export "g") (result i32) (i32.mul (call $f) (i32.const 6))))"#,
    )
    .unwrap();
    let ma = rt.compile(&a).unwrap();
    rt.instantiate(&ma, ModuleConfig::new().with_name("a")).unwrap();
    assert!(matches!(
        rt.instantiate(&ma, ModuleConfig::new().with_name("a")),
        Err(Error::DuplicateModuleName(_))
    ));
    let ib = rt.instantiate(&rt.compile(&b).unwrap(), ModuleConfig::new().with_name("b")).unwrap();
    assert_eq!(ib.call("g", &[]).unwrap()[0].i32(), Some(42));
    assert_eq!(rt.module("b").unwrap().call("g", &[]).unwrap()[0].i32(), Some(42));
}

#[test]
fn start_functions_run_in_order() {
    let rt = rt();
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let c2 = calls.clone();
    rt.host_module("env")
        .func("note", move |x: i32| c2.lock().unwrap().push(x))
        .instantiate()
        .unwrap();
    let wasm = wat::parse_str(
        r#"(module (import "env" "note" (func $note (param i32)))
             (start $s) (func $s (call $note (i32.const 1)))
             (func (export "_start") (call $note (i32.const 2)))
             (func (export "init") (call $note (i32.const 3))))"#,
    )
    .unwrap();
    let m = rt.compile(&wasm).unwrap();
    rt.instantiate(&m, ModuleConfig::new()).unwrap();
    assert_eq!(*calls.lock().unwrap(), [1, 2]);
    calls.lock().unwrap().clear();
    rt.instantiate(&m, ModuleConfig::new().with_start_functions(["init", "_start"])).unwrap();
    assert_eq!(*calls.lock().unwrap(), [1, 3, 2]);
}

#[test]
fn features_and_limits() {
    // Core 1.0 rejects a 2.0 instruction (SIMD included: see `v128_api` for SIMD modules).
    let v1 =
        Runtime::with_config(RuntimeConfig::interpreter().with_core_features(CoreFeatures::V1));
    let sext =
        wat::parse_str(r#"(module (func (param i32) (result i32) (i32.extend8_s (local.get 0))))"#)
            .unwrap();
    assert!(matches!(v1.compile(&sext), Err(Error::Compile(_))));
    assert!(rt().compile(&sext).is_ok());
    let simd = wat::parse_str(r#"(module (func (result v128) (v128.const i64x2 1 2)))"#).unwrap();
    assert!(rt().compile(&simd).is_ok());
    assert!(matches!(v1.compile(&simd), Err(Error::Compile(e)) if !e.unsupported));
    // Memory limit in pages.
    let small = Runtime::with_config(RuntimeConfig::interpreter().with_memory_limit_pages(2));
    let big = wat::parse_str(r#"(module (memory 3))"#).unwrap();
    assert!(matches!(small.instantiate_wasm(&big), Err(Error::Resource(_))));
    let growy = wat::parse_str(
        r#"(module (memory 1) (func (export "g") (result i32) (memory.grow (i32.const 2))))"#,
    )
    .unwrap();
    let inst = small.instantiate_wasm(&growy).unwrap();
    assert_eq!(inst.call("g", &[]).unwrap()[0].i32(), Some(-1));
    // Capacity reserved from the maximum up front: growth keeps the base address.
    let fixed =
        Runtime::with_config(RuntimeConfig::interpreter().with_memory_capacity_from_max(true));
    let wasm = wat::parse_str(r#"(module (memory (export "m") 1 4) (func (export "g") (result i32) (memory.grow (i32.const 3))))"#).unwrap();
    let inst = fixed.instantiate_wasm(&wasm).unwrap();
    assert_eq!(inst.call("g", &[]).unwrap()[0].i32(), Some(1));
    assert_eq!(inst.exported_memory("m").unwrap().size(), 4);
    // Compiler engine: the same limits apply to compiled code (memory.grow builtin).
    let c = Runtime::with_config(RuntimeConfig::compiler().with_memory_limit_pages(2));
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        let inst = c.instantiate_wasm(&growy).unwrap();
        assert_eq!(inst.call("g", &[]).unwrap()[0].i32(), Some(-1));
    } else {
        assert!(matches!(c.compile(&growy), Err(Error::EngineUnavailable(_))));
    }
}

#[test]
fn caller_reads_guest_memory_and_exports() {
    let rt = rt();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let s2 = seen.clone();
    rt.host_module("env")
        .func("log", move |caller: Caller<'_>, ptr: u32, len: u32| -> Result<(), Error> {
            let mem = caller.memory().expect("caller has memory");
            let bytes = mem.read_vec(ptr as u64, len as usize)?;
            s2.lock().unwrap().push_str(&String::from_utf8_lossy(&bytes));
            let v = caller.get_export("answer").and_then(|e| match e {
                Extern::Global(g) => g.get().i32(),
                _ => None,
            });
            s2.lock().unwrap().push_str(&format!(" {}", v.unwrap_or(-1)));
            Ok(())
        })
        .instantiate()
        .unwrap();
    let wasm = wat::parse_str(
        r#"(module (import "env" "log" (func $log (param i32 i32)))
             (memory 1) (data (i32.const 8) "hi there")
             (global (export "answer") i32 (i32.const 42))
             (func (export "go") (call $log (i32.const 8) (i32.const 8))))"#,
    )
    .unwrap();
    rt.instantiate_wasm(&wasm).unwrap().call("go", &[]).unwrap();
    assert_eq!(*seen.lock().unwrap(), "hi there 42");
    // A host function reading out of bounds gets an error the guest sees as a trap.
    let bad = wat::parse_str(
        r#"(module (import "env" "log" (func $log (param i32 i32))) (memory 1)
             (func (export "go") (call $log (i32.const 65530) (i32.const 100))))"#,
    )
    .unwrap();
    let r = rt.instantiate_wasm(&bad).unwrap().call("go", &[]);
    assert!(matches!(r, Err(Error::Trap(ref t)) if t.code() == TrapCode::HostError), "{r:?}");
}

#[test]
fn externrefs_round_trip() {
    let rt = rt();
    let wasm = wat::parse_str(
        r#"(module (table $t (export "t") 2 externref)
             (func (export "put") (param externref) (table.set $t (i32.const 0) (local.get 0)))
             (func (export "get") (result externref) (table.get $t (i32.const 0)))
             (func (export "isnull") (param externref) (result i32) (ref.is_null (local.get 0))))"#,
    )
    .unwrap();
    let inst = rt.instantiate_wasm(&wasm).unwrap();
    let r = ExternRef::new(String::from("host value"));
    inst.call("put", &[Val::ExternRef(Some(r.clone()))]).unwrap();
    let back = inst.call("get", &[]).unwrap();
    let Val::ExternRef(Some(b)) = &back[0] else { panic!("expected a reference") };
    assert!(b.ptr_eq(&r));
    assert_eq!(b.downcast_ref::<String>().map(String::as_str), Some("host value"));
    assert_eq!(inst.call("isnull", &[Val::ExternRef(None)]).unwrap()[0].i32(), Some(1));
}

/// A value given with `ModuleConfig::with_data` is what the instance's host functions see
/// through `Caller::data`; another instance sees its own.
#[test]
fn host_functions_see_their_callers_data() {
    struct Counter(std::cell::Cell<i32>);
    let rt = kiln::Runtime::new();
    rt.host_module("env")
        .func("bump", |caller: kiln::Caller<'_>| -> i32 {
            let Some(c) = caller.data::<Counter>() else { return -1 };
            c.0.set(c.0.get() + 1);
            c.0.get()
        })
        .instantiate()
        .unwrap();
    let wasm = wat::parse_str(
        r#"(module (import "env" "bump" (func $bump (result i32)))
             (func (export "bump") (result i32) (call $bump)))"#,
    )
    .unwrap();
    let module = rt.compile(&wasm).unwrap();
    let config = |start: i32| {
        kiln::ModuleConfig::new().with_name("").with_data(Counter(std::cell::Cell::new(start)))
    };
    let a = rt.instantiate(&module, config(0)).unwrap();
    let b = rt.instantiate(&module, config(100)).unwrap();
    let (fa, fb) =
        (a.typed_func::<(), i32>("bump").unwrap(), b.typed_func::<(), i32>("bump").unwrap());
    assert_eq!(fa.call(()).unwrap(), 1);
    assert_eq!(fa.call(()).unwrap(), 2);
    assert_eq!(fb.call(()).unwrap(), 101);
    let plain = rt.instantiate(&module, kiln::ModuleConfig::new().with_name("")).unwrap();
    assert_eq!(plain.typed_func::<(), i32>("bump").unwrap().call(()).unwrap(), -1);
}
