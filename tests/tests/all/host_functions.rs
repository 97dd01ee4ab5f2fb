//! Host functions (issue 15, item 3) on both engines: up to 16 parameters of every value
//! type (numbers, `v128`, `funcref`, `externref`), `Func::wrap`, imports given to one
//! instantiation (`Imports`), and host errors that keep their type.

use kiln::{
    Caller, Error, ExternRef, Func, Imports, ModuleConfig, Runtime, RuntimeConfig, TrapCode, V128,
    Val,
};

fn engines() -> Vec<(&'static str, RuntimeConfig)> {
    let mut v = vec![("interpreter", RuntimeConfig::interpreter())];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(("compiler", RuntimeConfig::compiler()));
    }
    v
}

const SIXTEEN: &str = r#"
(module
  (import "host" "all" (func $all
    (param i32 i64 f32 f64 v128 funcref externref i32 i64 f32 f64 v128 funcref externref i32 i64)
    (result i64 f64 v128 externref funcref)))
  (func $f (export "f") (result i32) (i32.const 42))
  (elem declare func $f)
  (func (export "run") (param externref) (result i64 f64 v128 externref funcref)
    (call $all
      (i32.const 1) (i64.const 2) (f32.const 3.5) (f64.const 4.25)
      (v128.const i32x4 5 6 7 8) (ref.func $f) (local.get 0)
      (i32.const -9) (i64.const 10) (f32.const 11.5) (f64.const 12.75)
      (v128.const i64x2 13 14) (ref.null func) (ref.null extern)
      (i32.const 15) (i64.const 16))))
"#;

type Results = (i64, f64, V128, Option<ExternRef>, Option<Func>);

/// The 16-parameter host function: checks every argument, returns sums, the xor of the
/// vectors and the references it was given.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn all(
    a: i32,
    b: i64,
    c: f32,
    d: f64,
    e: V128,
    f: Option<Func>,
    g: Option<ExternRef>,
    h: u32,
    i: u64,
    j: f32,
    k: f64,
    l: V128,
    m: Option<Func>,
    n: Option<ExternRef>,
    o: i32,
    p: i64,
) -> Result<Results, Error> {
    assert_eq!(
        (a, b, c, d, h, i, j, k, o, p),
        (1, 2, 3.5, 4.25, (-9i32) as u32, 10, 11.5, 12.75, 15, 16)
    );
    assert!(m.is_none() && n.is_none());
    let f = f.expect("a funcref");
    // Calling back into wasm from the host function.
    assert_eq!(f.call(&[])?[0].i32(), Some(42));
    let ints = a as i64 + b + h as i64 + i as i64 + o as i64 + p;
    let floats = c as f64 + d + j as f64 + k;
    Ok((ints, floats, V128::from_bits(e.bits() ^ l.bits()), g, Some(f)))
}

#[test]
fn sixteen_parameters_of_every_value_type() {
    for (engine, config) in engines() {
        let rt = Runtime::with_config(config);
        rt.host_module("host").func("all", all).instantiate().unwrap();
        let inst = rt.instantiate_wasm(&wat::parse_str(SIXTEEN).unwrap()).unwrap();
        let run = inst.typed_func::<Option<ExternRef>, Results>("run").unwrap();
        let token = ExternRef::new(String::from("token"));
        let (ints, floats, v, g, f) = run.call(Some(token.clone())).unwrap();
        assert_eq!(ints, 1 + 2 + (u32::MAX as i64 - 8) + 10 + 15 + 16, "{engine}");
        assert_eq!(floats, 3.5 + 4.25 + 11.5 + 12.75, "{engine}");
        let expect = (5u128 | 6 << 32 | 7 << 64 | 8 << 96) ^ (13u128 | 14 << 64);
        assert_eq!(v.bits(), expect, "{engine}");
        assert!(g.unwrap().ptr_eq(&token), "{engine}");
        assert_eq!(f.unwrap().call(&[]).unwrap()[0].i32(), Some(42), "{engine}");

        // The same closure wrapped as a Func, called from the host with 16 values.
        let wrapped = Func::wrap(&rt, all);
        assert_eq!(wrapped.ty().params().len(), 16);
        let fref = inst.exported_function("f").unwrap();
        let args = [
            Val::I32(1),
            Val::I64(2),
            Val::F32(3.5),
            Val::F64(4.25),
            Val::V128(V128::from_bits(5 | 6 << 32 | 7 << 64 | 8 << 96)),
            Val::FuncRef(Some(fref)),
            Val::ExternRef(Some(token.clone())),
            Val::I32(-9),
            Val::I64(10),
            Val::F32(11.5),
            Val::F64(12.75),
            Val::V128(V128::from_bits(13 | 14 << 64)),
            Val::FuncRef(None),
            Val::ExternRef(None),
            Val::I32(15),
            Val::I64(16),
        ];
        let out = wrapped.call(&args).unwrap();
        assert_eq!(out[0].i64(), Some(ints), "{engine}");
        assert!(matches!(&out[3], Val::ExternRef(Some(e)) if e.ptr_eq(&token)), "{engine}");
    }
}

#[derive(Debug)]
struct QuotaExceeded {
    tenant: u32,
}

impl std::fmt::Display for QuotaExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tenant {} is over quota", self.tenant)
    }
}

impl std::error::Error for QuotaExceeded {}

const CALLS_HOST: &str = r#"
(module
  (import "host" "check" (func $check (param i32) (result i32)))
  (func $inner (param i32) (result i32) (call $check (local.get 0)))
  (func (export "run") (param i32) (result i32) (call $inner (local.get 0))))
"#;

/// A host function's own error type reaches the embedder through the wasm that called it:
/// a host-error trap with the error's message and a wasm backtrace, and `downcast_ref`
/// gives the value back.
#[test]
fn host_errors_keep_their_type() {
    for (engine, config) in engines() {
        let rt = Runtime::with_config(config);
        rt.host_module("host")
            .func("check", |tenant: u32| -> Result<i32, Box<dyn std::error::Error + Send + Sync>> {
                if tenant > 3 {
                    return Err(Box::new(QuotaExceeded { tenant }));
                }
                Ok(tenant as i32)
            })
            .instantiate()
            .unwrap();
        let inst = rt.instantiate_wasm(&wat::parse_str(CALLS_HOST).unwrap()).unwrap();
        let run = inst.typed_func::<i32, i32>("run").unwrap();
        assert_eq!(run.call(2).unwrap(), 2);
        let err = run.call(7).unwrap_err();
        let trap = err.as_trap().expect("a trap");
        assert_eq!(trap.code(), TrapCode::HostError, "{engine}");
        assert_eq!(trap.message(), "tenant 7 is over quota", "{engine}");
        assert!(trap.backtrace().len() >= 2, "{engine}: {trap}");
        assert_eq!(err.downcast_ref::<QuotaExceeded>().map(|q| q.tenant), Some(7), "{engine}");
        assert!(err.downcast_ref::<std::io::Error>().is_none());
        // The chain: Error -> Trap -> the host's error.
        let source = std::error::Error::source(&err).and_then(std::error::Error::source);
        assert!(source.is_some_and(|s| s.is::<QuotaExceeded>()), "{engine}");

        // A host function returning a kiln::Error that is not a trap keeps it too.
        let rt = Runtime::with_config(RuntimeConfig::new().with_engine(rt.config().engine()));
        rt.host_module("host")
            .func("check", |caller: Caller<'_>, _: i32| -> Result<i32, Error> {
                caller.instance().unwrap().call("missing", &[])?;
                Ok(0)
            })
            .instantiate()
            .unwrap();
        let inst = rt.instantiate_wasm(&wat::parse_str(CALLS_HOST).unwrap()).unwrap();
        let err = inst.call("run", &[1.into()]).unwrap_err();
        assert!(
            matches!(err.downcast_ref::<Error>(), Some(Error::NotFound { kind: "func", .. })),
            "{engine}: {err:?}"
        );
    }
}

const NEEDS_K: &str = r#"
(module (import "env" "k" (func $k (result i32)))
  (import "env" "mem" (memory 1))
  (func (export "get") (result i32) (i32.add (call $k) (i32.load (i32.const 0)))))
"#;

/// `Imports` resolve one instantiation's imports before the runtime's namespace: the same
/// module instantiated twice with different host functions, and with another instance's
/// memory; entities of another runtime are refused.
#[test]
fn imports_per_instantiation() {
    for (engine, config) in engines() {
        let rt = Runtime::with_config(config.clone());
        // The namespace has an `env` whose `k` answers 1000 and a memory holding 0.
        let provider = rt
            .instantiate_wasm(
                &wat::parse_str(
                    r#"(module (memory (export "mem") 1) (data (i32.const 0) "\05")
                         (func (export "k") (result i32) (i32.const 1000)))"#,
                )
                .unwrap(),
            )
            .unwrap();
        rt.register("env", &provider).unwrap();
        let module = rt.compile(&wat::parse_str(NEEDS_K).unwrap()).unwrap();
        let get = |imports: Imports| {
            let inst = rt.instantiate(&module, ModuleConfig::new().with_imports(imports)).unwrap();
            inst.typed_func::<(), i32>("get").unwrap().call(()).unwrap()
        };
        assert_eq!(get(Imports::new()), 1005, "{engine}: all from the namespace");
        for k in [1, 2] {
            let imports = Imports::new().define("env", "k", Func::wrap(&rt, move || k));
            assert_eq!(get(imports), k + 5, "{engine}");
        }
        // Everything from another instance, given as a whole.
        let other = rt
            .instantiate_wasm(
                &wat::parse_str(
                    r#"(module (memory (export "mem") 1) (data (i32.const 0) "\07")
                         (func (export "k") (result i32) (i32.const 20)))"#,
                )
                .unwrap(),
            )
            .unwrap();
        assert_eq!(get(Imports::new().define_instance("env", &other)), 27, "{engine}");

        // The importer keeps an instance it imported from alive after its last handle.
        let importer = rt
            .instantiate(
                &module,
                ModuleConfig::new().with_imports(Imports::new().define_instance("env", &other)),
            )
            .unwrap();
        let before = rt.instance_count();
        drop(other);
        assert_eq!(rt.instance_count(), before, "{engine}");
        assert_eq!(importer.typed_func::<(), i32>("get").unwrap().call(()).unwrap(), 27);

        // Another runtime's function is refused.
        let elsewhere = Runtime::with_config(config);
        let foreign = Imports::new().define("env", "k", Func::wrap(&elsewhere, || 0));
        let r = rt.instantiate(&module, ModuleConfig::new().with_imports(foreign));
        assert!(matches!(r, Err(Error::WrongRuntime)), "{engine}");
        // A missing import is still a link error.
        let rt2 = Runtime::with_config(RuntimeConfig::new().with_engine(rt.config().engine()));
        let module2 = rt2.compile(&wat::parse_str(NEEDS_K).unwrap()).unwrap();
        let only_k = Imports::new().define("env", "k", Func::wrap(&rt2, || 0));
        let r = rt2.instantiate(&module2, ModuleConfig::new().with_imports(only_k));
        assert!(matches!(r, Err(Error::Link(_))), "{engine}");
    }
}
