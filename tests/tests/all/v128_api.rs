//! `v128` through the public API, on every engine: [`V128`] lanes, `Val::V128`, typed and
//! untyped calls, host functions taking and returning `V128`, `v128` globals (defined,
//! imported, exported, initialized by `v128.const` and `global.get`), compiled and
//! interpreted modules calling each other with `v128` values, and which engine runs a module
//! that uses SIMD.

use kiln::*;

/// The engines every test runs on: the interpreter everywhere, the compiler where it exists.
fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Interpreter];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(Engine::Compiler);
    }
    v
}

fn runtime_on(engine: Engine) -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(engine))
}

const MODULE: &str = r#"
(module
  (import "host" "twist" (func $twist (param v128 i32) (result v128)))
  (import "host" "untyped" (func $untyped (param f64 v128) (result v128 f64)))
  (import "host" "seed" (global $seed v128))
  (global $acc (export "acc") (mut v128) (global.get $seed))
  (global (export "k") v128 (v128.const i32x4 1 2 3 4))
  (func (export "id") (param v128) (result v128) (local.get 0))
  (func (export "twist") (param v128 i32) (result v128)
    (call $twist (local.get 0) (local.get 1)))
  (func (export "untyped") (param f64 v128) (result v128 f64)
    (call $untyped (local.get 0) (local.get 1)))
  (func (export "store") (param v128) (global.set $acc (local.get 0)))
  (func (export "load") (result v128) (global.get $acc))
  (func (export "pair") (param i64 v128 f32) (result v128 i64 f32)
    (local.get 1) (local.get 0) (local.get 2)))
"#;

const SEED: V128 = V128::from_bits(0x1111_2222_3333_4444_5555_6666_7777_8888);

/// Rotates the i32 lanes by one and adds `n` to each.
fn twist(v: V128, n: i32) -> V128 {
    let [a, b, c, d] = v.i32x4();
    V128::from_i32x4([b, c, d, a].map(|x| x.wrapping_add(n)))
}

fn instance(rt: &Runtime) -> Instance {
    rt.host_module("host")
        .func("twist", twist)
        .func_untyped(
            "untyped",
            FuncType::new([ValType::F64, ValType::V128], [ValType::V128, ValType::F64]),
            |_, args, results| {
                let (Some(x), Some(v)) = (args[0].f64(), args[1].v128()) else {
                    return Err(Error::TypeMismatch("untyped arguments".into()));
                };
                results[0] = Val::V128(V128::from_f64x2(v.f64x2().map(|l| l * x)));
                results[1] = Val::F64(-x);
                Ok(())
            },
        )
        .global("seed", Val::V128(SEED), false)
        .instantiate()
        .unwrap();
    rt.instantiate_wasm(&wat::parse_str(MODULE).unwrap()).unwrap()
}

#[test]
fn lanes_read_and_build_little_endian() {
    let v = V128::from_i32x4([1, -2, 3, -4]);
    assert_eq!(v.i32x4(), [1, -2, 3, -4]);
    assert_eq!(v.u32x4()[1], 0xffff_fffe);
    assert_eq!(v.i16x8(), [1, 0, -2, -1, 3, 0, -4, -1]);
    assert_eq!(v.u8x16()[..4], [1, 0, 0, 0]);
    assert_eq!(v.i64x2()[0], (-2i64 << 32) | 1);
    assert_eq!(V128::from(7u128).bits(), 7);
    assert_eq!(u128::from(V128::from_u64x2([1, 2])), (2u128 << 64) | 1);
    let f = V128::from_f32x4([1.5, f32::NAN, -0.0, f32::INFINITY]);
    assert_eq!(f.f32x4()[0], 1.5);
    assert_eq!(f.f32x4()[2].to_bits(), 0x8000_0000);
    assert_eq!(V128::from_f64x2([2.0, -1.0]).f64x2(), [2.0, -1.0]);
    assert_eq!(V128::from_le_bytes(v.to_le_bytes()), v);
    assert_eq!(Val::from(v).ty(), ValType::V128);
    assert_eq!(Val::default_for(ValType::V128).v128(), Some(V128::default()));
}

#[test]
fn typed_and_untyped_calls_carry_v128() {
    for engine in engines() {
        typed_and_untyped_calls_on(engine);
    }
}

fn typed_and_untyped_calls_on(engine: Engine) {
    let rt = runtime_on(engine);
    let inst = instance(&rt);
    let v = V128::from_u32x4([10, 20, 30, 40]);

    let id = inst.typed_func::<V128, V128>("id").unwrap();
    assert_eq!(id.call(v).unwrap(), v);
    assert_eq!(id.call(SEED).unwrap(), SEED);
    let id1 = inst.typed_func::<(V128,), V128>("id").unwrap();
    assert_eq!(id1.call((v,)).unwrap(), v);

    // Through a host function, both ways.
    let tw = inst.typed_func::<(V128, i32), V128>("twist").unwrap();
    assert_eq!(tw.call((v, 1)).unwrap().u32x4(), [21, 31, 41, 11]);

    // Mixed with scalars, several results.
    let pair = inst.typed_func::<(i64, V128, f32), (V128, i64, f32)>("pair").unwrap();
    assert_eq!(pair.call((-5, v, 2.5)).unwrap(), (v, -5, 2.5));

    // Untyped, through an untyped host function.
    let r =
        inst.call("untyped", &[Val::F64(2.0), Val::V128(V128::from_f64x2([1.5, -3.0]))]).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].v128().map(V128::f64x2), Some([3.0, -6.0]));
    assert_eq!(r[1].f64(), Some(-2.0));

    // Types are checked: a v128 is not an i64 (nor a pair of them).
    assert!(matches!(inst.typed_func::<i64, i64>("id"), Err(Error::TypeMismatch(_))));
    let f = inst.exported_function("id").unwrap();
    assert_eq!(f.ty(), &FuncType::new([ValType::V128], [ValType::V128]));
    assert!(matches!(f.call(&[Val::I64(1)]), Err(Error::TypeMismatch(_))));
}

#[test]
fn globals_hold_v128() {
    for engine in engines() {
        globals_on(engine);
    }
}

fn globals_on(engine: Engine) {
    let rt = runtime_on(engine);
    let inst = instance(&rt);
    let k = inst.exported_global("k").unwrap();
    assert_eq!(k.ty(), GlobalType { content: ValType::V128, mutable: false });
    assert_eq!(k.get().v128().unwrap().i32x4(), [1, 2, 3, 4]);

    // Initialized from the imported host global.
    let acc = inst.exported_global("acc").unwrap();
    assert_eq!(acc.get().v128(), Some(SEED));
    let load = inst.typed_func::<(), V128>("load").unwrap();
    assert_eq!(load.call(()).unwrap(), SEED);

    // Set from the host, read by wasm; set by wasm, read from the host.
    let a = V128::from_i8x16(std::array::from_fn(|i| -(i as i8)));
    acc.set(Val::V128(a)).unwrap();
    assert_eq!(load.call(()).unwrap(), a);
    let b = V128::from_f32x4([0.5, 1.5, 2.5, 3.5]);
    inst.typed_func::<V128, ()>("store").unwrap().call(b).unwrap();
    assert_eq!(acc.get().v128(), Some(b));

    assert!(matches!(acc.set(Val::I64(0)), Err(Error::TypeMismatch(_))));
    assert!(matches!(k.set(Val::V128(a)), Err(Error::ImmutableGlobal)));
}

/// A module whose exports take, return and forward `v128` values, on either engine.
const PEER: &str = r#"
(module
  (import "other" "swap" (func $swap (param v128 i32) (result i32 v128)))
  (import "other" "tab" (table 2 funcref))
  (type $swap (func (param v128 i32) (result i32 v128)))
  (elem (i32.const 1) $own)
  (func $own (param v128 i32) (result i32 v128)
    (i32.add (local.get 1) (i32.const 100))
    (i8x16.add (local.get 0) (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)))
  (func (export "swap") (param v128 i32) (result i32 v128)
    (local.get 1) (i32x4.mul (local.get 0) (local.get 0)))
  (func (export "via_import") (param v128 i32) (result i32 v128)
    (call $swap (local.get 0) (local.get 1)))
  (func (export "via_table") (param v128 i32 i32) (result i32 v128)
    (call_indirect (type $swap) (local.get 0) (local.get 1) (local.get 2))))
"#;

/// The first module of a pair: exports `swap` and the table the second one fills.
const FIRST: &str = r#"
(module
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $swap)
  (func $swap (export "swap") (param v128 i32) (result i32 v128)
    (local.get 1) (f32x4.neg (local.get 0))))
"#;

/// Compiled and interpreted modules call each other with `v128` arguments and results:
/// through imports and through a shared table, in every direction.
#[test]
fn engines_pass_v128_to_each_other() {
    let v = V128::from_i32x4([1, -2, 3, -4]);
    for first in engines() {
        for second in engines() {
            let rt = runtime_on(Engine::Interpreter);
            let compile =
                |engine, wat| runtime_on(engine).compile(&wat::parse_str(wat).unwrap()).unwrap();
            rt.instantiate(&compile(first, FIRST), ModuleConfig::new().with_name("other")).unwrap();
            let peer = rt.instantiate(&compile(second, PEER), ModuleConfig::new()).unwrap();
            let swap = |name: &str, args: &[Val]| -> (i32, V128) {
                let r =
                    peer.call(name, args).unwrap_or_else(|e| panic!("{first:?} {second:?}: {e}"));
                (r[0].i32().unwrap(), r[1].v128().unwrap())
            };
            let neg = V128::from_f32x4(v.f32x4().map(|x| -x));
            assert_eq!(swap("swap", &[v.into(), 7.into()]), (7, V128::from_i32x4([1, 4, 9, 16])));
            assert_eq!(swap("via_import", &[v.into(), 7.into()]), (7, neg));
            assert_eq!(swap("via_table", &[v.into(), 7.into(), 0.into()]), (7, neg));
            let plus_one = V128::from_i8x16(v.i8x16().map(|x| x.wrapping_add(1)));
            assert_eq!(swap("via_table", &[v.into(), 7.into(), 1.into()]), (107, plus_one));
        }
    }
}

/// SIMD is in the default features (WebAssembly 2.0): both engines run SIMD modules, and the
/// default engine compiles them natively where the compiler exists. Without the feature
/// they are invalid.
#[test]
fn engines_and_features_for_simd_modules() {
    let wasm = wat::parse_str(MODULE).unwrap();
    assert!(CoreFeatures::default().contains(CoreFeatures::SIMD));
    assert!(CoreFeatures::V2.contains(CoreFeatures::SIMD));
    assert!(!CoreFeatures::V2.contains(CoreFeatures::RELAXED_SIMD));

    let interp = Runtime::with_config(RuntimeConfig::interpreter());
    assert!(!interp.compile(&wasm).unwrap().is_native());

    let native =
        cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")));
    if native {
        let compiled = Runtime::with_config(RuntimeConfig::compiler()).compile(&wasm).unwrap();
        assert!(compiled.is_native());
    }
    let auto = Runtime::with_config(RuntimeConfig::new());
    let module = auto.compile(&wasm).unwrap();
    assert_eq!(module.is_native(), native, "Auto compiles a SIMD module where it can");
    let inst = instance(&auto);
    let v = V128::from_u16x8([1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(inst.typed_func::<V128, V128>("id").unwrap().call(v).unwrap(), v);

    let no_simd = Runtime::with_config(
        RuntimeConfig::interpreter()
            .with_core_features(CoreFeatures::V2.difference(CoreFeatures::SIMD)),
    );
    match no_simd.compile(&wasm) {
        Err(Error::Compile(e)) => assert!(!e.unsupported, "invalid, not unsupported: {e}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}
