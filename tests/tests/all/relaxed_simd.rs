//! Relaxed SIMD gives the same bits on every engine: each relaxed instruction, on inputs
//! that reach every case where the relaxed-SIMD spec allows several results (NaNs, signed
//! zeros, out-of-range conversions, swizzle indices of 16 and more, dot products with bytes
//! above 127, non-uniform lane-select masks), run by the interpreter, by code compiled in
//! process at the x86-64-v2 or armv8.0 baseline (`RuntimeConfig::with_cpu`) and by an artifact compiled for this CPU
//! (`--cpu native`), which must agree bit for bit (NaN payloads aside, for the arithmetic
//! ones). Spot checks pin the documented semantics. The aarch64 code of the same module runs
//! the same operands under qemu (`aarch64_exec::relaxed_simd_matches_the_interpreter`).

use kiln::aot::{AotOptions, CpuTarget, compile_artifact};
use kiln::{CoreFeatures, Engine, Instance, Runtime, RuntimeConfig, V128, Val};

/// `(export name, operand count, lane shape of a float result whose NaN lanes may differ
/// in payload)`, one function per relaxed instruction.
pub(crate) const OPS: &[(&str, usize, Option<Shape>)] = &[
    ("i8x16.relaxed_swizzle", 2, None),
    ("i32x4.relaxed_trunc_f32x4_s", 1, None),
    ("i32x4.relaxed_trunc_f32x4_u", 1, None),
    ("i32x4.relaxed_trunc_f64x2_s_zero", 1, None),
    ("i32x4.relaxed_trunc_f64x2_u_zero", 1, None),
    ("f32x4.relaxed_madd", 3, Some(Shape::F32)),
    ("f32x4.relaxed_nmadd", 3, Some(Shape::F32)),
    ("f64x2.relaxed_madd", 3, Some(Shape::F64)),
    ("f64x2.relaxed_nmadd", 3, Some(Shape::F64)),
    ("i8x16.relaxed_laneselect", 3, None),
    ("i16x8.relaxed_laneselect", 3, None),
    ("i32x4.relaxed_laneselect", 3, None),
    ("i64x2.relaxed_laneselect", 3, None),
    ("f32x4.relaxed_min", 2, None),
    ("f32x4.relaxed_max", 2, None),
    ("f64x2.relaxed_min", 2, None),
    ("f64x2.relaxed_max", 2, None),
    ("i16x8.relaxed_q15mulr_s", 2, None),
    ("i16x8.relaxed_dot_i8x16_i7x16_s", 2, None),
    ("i32x4.relaxed_dot_i8x16_i7x16_add_s", 3, None),
];

#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    F32,
    F64,
}

/// One export per relaxed instruction, named after it, taking its operands.
pub(crate) fn wat() -> String {
    let mut m = String::from("(module\n");
    for (name, arity, _) in OPS {
        let params = "(param v128) ".repeat(*arity);
        let gets: String = (0..*arity).map(|i| format!(" (local.get {i})")).collect();
        m += &format!("  (func (export \"{name}\") {params}(result v128) ({name}{gets}))\n");
    }
    m + ")"
}

pub(crate) fn features() -> CoreFeatures {
    CoreFeatures::V2.union(CoreFeatures::RELAXED_SIMD)
}

/// The operands: float lanes at every special value (each vector a rotation of the list,
/// so every pair of specials meets in some lane), and byte patterns.
pub(crate) fn inputs() -> Vec<V128> {
    let f32s = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7fa0_0001),
        f32::INFINITY,
        f32::NEG_INFINITY,
        2147483648.0,
        -2147483904.0,
        4294967296.0,
        1e-45,
        f32::MAX,
    ];
    let f64s = [
        0.0,
        -0.0,
        1.0,
        -2.5,
        f64::NAN,
        f64::from_bits(0xfff4_0000_0000_0001),
        f64::INFINITY,
        -2147483649.0,
        4294967296.0,
        5e-324,
    ];
    let mut v: Vec<V128> = (0..f32s.len())
        .map(|k| V128::from_f32x4(std::array::from_fn(|i| f32s[(k + i) % f32s.len()])))
        .collect();
    v.extend(
        (0..f64s.len())
            .map(|k| V128::from_f64x2(std::array::from_fn(|i| f64s[(k + 3 * i) % f64s.len()]))),
    );
    for seed in [0x80u8, 0x7f, 0xff, 0x01, 0x0f, 0x10, 0x93] {
        v.push(V128::from_u8x16(std::array::from_fn(|i| {
            seed.wrapping_mul(i as u8 + 1).rotate_left(i as u32)
        })));
    }
    v.push(V128::from_u8x16([0xff; 16]));
    v.push(V128::from_i16x8([i16::MIN, i16::MAX, -1, 1, 0x4000, -0x4000, 0, i16::MIN]));
    v
}

/// Results agree: exactly, or, lane by lane for `shape`, both NaN.
fn same(a: V128, b: V128, shape: Option<Shape>) -> bool {
    match shape {
        _ if a == b => true,
        None => false,
        Some(Shape::F32) => a
            .f32x4()
            .iter()
            .zip(b.f32x4())
            .all(|(x, y)| x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan()),
        Some(Shape::F64) => a
            .f64x2()
            .iter()
            .zip(b.f64x2())
            .all(|(x, y)| x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan()),
    }
}

fn instances() -> Vec<(&'static str, Instance)> {
    let wasm = wat::parse_str(wat()).unwrap();
    let runtime = |engine| {
        Runtime::with_config(
            RuntimeConfig::new()
                .with_engine(engine)
                .with_cpu(CpuTarget::Baseline)
                .with_core_features(features()),
        )
    };
    let instantiate = |rt: &Runtime, m| rt.instantiate(&m, kiln::ModuleConfig::new()).unwrap();
    let rt = runtime(Engine::Interpreter);
    let mut v = vec![("interpreter", instantiate(&rt, rt.compile(&wasm).unwrap()))];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        let rt = runtime(Engine::Compiler);
        let m = rt.compile(&wasm).unwrap();
        assert!(m.is_native());
        v.push(("compiled (baseline)", instantiate(&rt, m)));
        let options =
            AotOptions { cpu: CpuTarget::Native, features: features(), ..Default::default() };
        let artifact = compile_artifact(&wasm, &options).unwrap();
        // SAFETY: the artifact was just compiled by this process's own compiler.
        let m = unsafe { rt.load_artifact_bytes_unsigned(&artifact) }.unwrap();
        v.push(("artifact (--cpu native)", instantiate(&rt, m)));
    }
    v
}

fn call(inst: &Instance, name: &str, args: &[V128]) -> V128 {
    let args: Vec<Val> = args.iter().map(|&a| a.into()).collect();
    inst.call(name, &args).unwrap()[0].v128().unwrap()
}

/// The operand lists `ops` gets for an instruction of `arity` operands: every input, every
/// pair of inputs, and for three operands every pair with a few third operands.
pub(crate) fn operand_lists(arity: usize) -> Vec<Vec<V128>> {
    let inputs = inputs();
    let thirds = [inputs[0], inputs[4], inputs[20], inputs[inputs.len() - 1]];
    let mut operands: Vec<Vec<V128>> = Vec::new();
    for &a in &inputs {
        if arity == 1 {
            operands.push(vec![a]);
            continue;
        }
        for &b in &inputs {
            if arity == 2 {
                operands.push(vec![a, b]);
            } else {
                operands.extend(thirds.iter().map(|&c| vec![a, b, c]));
            }
        }
    }
    operands
}

#[test]
fn every_engine_gives_the_same_bits() {
    let engines = instances();
    let mut checked = 0;
    for &(name, arity, shape) in OPS {
        for args in &operand_lists(arity) {
            let (first, reference) = (&engines[0].0, call(&engines[0].1, name, args));
            for (engine, inst) in &engines[1..] {
                let r = call(inst, name, args);
                assert!(
                    same(r, reference, shape),
                    "{name}{args:x?}: {first} gives {reference:x?}, {engine} gives {r:x?}"
                );
                checked += 1;
            }
        }
    }
    if engines.len() > 1 {
        assert!(checked > 50_000, "{checked}");
    }
}

/// The documented choices (the relaxed-SIMD table of the interpreter's IR docs), on every
/// engine.
#[test]
fn the_documented_semantics() {
    let f32x4 = |l: [f32; 4]| V128::from_f32x4(l);
    let nan = f32::NAN;
    for (engine, inst) in instances() {
        // min/max: the second operand when either is NaN or both are zeros.
        let r = call(
            &inst,
            "f32x4.relaxed_min",
            &[f32x4([nan, 1.0, 0.0, -0.0]), f32x4([2.0, nan, -0.0, 0.0])],
        );
        assert_eq!(r.f32x4()[0], 2.0, "{engine}");
        assert!(r.f32x4()[1].is_nan(), "{engine}");
        assert_eq!(r.u32x4()[2..], [0x8000_0000, 0], "{engine}");
        let r = call(
            &inst,
            "f32x4.relaxed_max",
            &[f32x4([nan, 1.0, 0.0, -0.0]), f32x4([2.0, nan, -0.0, 0.0])],
        );
        assert_eq!(r.f32x4()[0], 2.0, "{engine}");
        assert_eq!(r.u32x4()[2..], [0x8000_0000, 0], "{engine}");
        // madd is unfused: (1 + 2^-23) * (1 - 2^-23) rounds to 1 before the -1 is added.
        let e = f32::EPSILON;
        let r = call(
            &inst,
            "f32x4.relaxed_madd",
            &[f32x4([1.0 + e; 4]), f32x4([1.0 - e; 4]), f32x4([-1.0; 4])],
        );
        assert_eq!(r.f32x4(), [0.0; 4], "{engine}");
        // Dot: the second operand's bytes are unsigned, pair sums saturate.
        let a = V128::from_i8x16([-128; 16]);
        let b = V128::from_u8x16([255; 16]);
        let r = call(&inst, "i16x8.relaxed_dot_i8x16_i7x16_s", &[a, b]);
        assert_eq!(r.i16x8(), [i16::MIN; 8], "{engine}");
        let r =
            call(&inst, "i32x4.relaxed_dot_i8x16_i7x16_add_s", &[a, b, V128::from_i32x4([1; 4])]);
        assert_eq!(r.i32x4(), [2 * i16::MIN as i32 + 1; 4], "{engine}");
        // Swizzle: indices of 16 and more select 0; truncation saturates, NaN to 0.
        let r = call(
            &inst,
            "i8x16.relaxed_swizzle",
            &[
                V128::from_u8x16([7; 16]),
                V128::from_u8x16([0, 16, 200, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            ],
        );
        assert_eq!(r.u8x16()[..4], [7, 0, 0, 7], "{engine}");
        let r = call(&inst, "i32x4.relaxed_trunc_f32x4_s", &[f32x4([nan, 3e9, -3e9, -1.5])]);
        assert_eq!(r.i32x4(), [0, i32::MAX, i32::MIN, -1], "{engine}");
        // Lane select is bitwise.
        let m = V128::from_u32x4([0xffff_0000; 4]);
        let r = call(
            &inst,
            "i32x4.relaxed_laneselect",
            &[V128::from_u32x4([0x1111_1111; 4]), V128::from_u32x4([0x2222_2222; 4]), m],
        );
        assert_eq!(r.u32x4(), [0x1111_2222; 4], "{engine}");
    }
}
