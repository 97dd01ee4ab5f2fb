//! SIMD through the compiler's public API: `v128` everywhere a value can go (parameters,
//! results, locals, globals, block parameters and results, `select`, `br_table`, direct and
//! indirect calls, trampolines) compiles for both targets in both bounds-check modes with
//! Cranelift's IR verifier on, and the relaxed instructions are lowered as the interpreter's
//! documented semantics say (no fused multiply-add; `pmaddubsw` only where x86 has it).

use crate::{TARGETS, module, settings};
use kiln_compiler::{BoundsChecks, compile_module, compile_trampolines, function_ir};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::module::{DecodeOptions, ModuleInfo, decode};

/// A module that moves `v128` values through every kind of place and edge.
const PLUMBING: &str = r#"
(module
  (type $vv (func (param v128 i32) (result v128 i32)))
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (table 2 funcref)
  (elem (i32.const 0) $pass $mix)
  (memory 1)
  (func $pass (type $vv) local.get 0 local.get 1)
  (func $mix (type $vv) (local $t v128) (local $f v128)
    (local.set $t (i32x4.add (local.get 0) (global.get $g)))
    (global.set $g (f32x4.mul (local.get $t) (local.get $t)))
    local.get $t
    block $out (param v128) (result v128)
      block $a (param v128) (result v128)
        local.get 1
        br_table $a $out
      end
      v128.const i64x2 0 0
      i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0
      local.get 1
      br_if $out
    end
    local.set $f
    (select (local.get $f) (local.get $t) (local.get 1))
    local.get 1
    if (param v128) (result v128)
      i32.const 7
      call $pass
      drop
    else
      i32.const 1
      i32.const 0
      call_indirect (type $vv)
      drop
    end
    local.set $f
    (v128.store offset=16 (i32.const 0) (local.get $f))
    (v128.load32_lane 2 (i32.const 4) (v128.load offset=16 (i32.const 0)))
    (i32x4.extract_lane 2 (local.get $t)))
  (func (export "run") (param v128) (result v128 i32)
    (call $mix (local.get 0) (i32.const 1))))
"#;

#[test]
fn v128_values_go_everywhere_on_both_targets() {
    let info = module(PLUMBING);
    for target in TARGETS {
        for bounds in [BoundsChecks::GuardPages, BoundsChecks::Explicit] {
            let s = settings(target, bounds);
            let code = compile_module(&info, &s).unwrap_or_else(|e| panic!("{target}: {e}"));
            assert_eq!(code.functions.len(), 3);
            let t = compile_trampolines(&info, &s).unwrap_or_else(|e| panic!("{target}: {e}"));
            assert_eq!(t.array_to_wasm.len(), 3);
            assert!(!t.wasm_to_array.is_empty());
        }
    }
    // The wasm signature carries v128 as an i8x16.
    let ir = function_ir(&info, &settings(TARGETS[0], BoundsChecks::GuardPages), 0).unwrap();
    assert!(ir.contains("i64 vmctx, i64, i8x16, i32) -> i8x16, i32"), "{ir}");
}

/// `br_table` to two targets that take a `v128` which is on the operand stack as another
/// vector type (`f32x4`): the cast to the canonical type happens once, before the branch, so
/// the two edge blocks do not share a value defined in one of them (found by the `validate`
/// fuzz target, seed 3203542; Cranelift's verifier: "uses value from non-dominating inst").
#[test]
fn br_table_edges_share_one_canonical_v128() {
    let info = module(
        r#"(module
          (func (export "f") (param i32 v128) (result v128)
            (block $a (result v128)
              (block $b (result v128)
                (f32x4.abs (local.get 1))
                (local.get 0)
                (br_table $b $a $a))
              (i8x16.neg))))"#,
    );
    for target in TARGETS {
        for bounds in [BoundsChecks::GuardPages, BoundsChecks::Explicit] {
            compile_module(&info, &settings(target, bounds))
                .unwrap_or_else(|e| panic!("{target}: {e}"));
        }
    }
}

/// An `if` whose `v128` parameter is on the operand stack as another vector type: the
/// cast to the canonical type happens before the branch, so the else-arm does not use a
/// value defined in the then-arm (found by the `artifact` fuzz target, seed 4033394).
#[test]
fn if_params_are_canonical_in_both_arms() {
    let info = module(
        r#"(module
          (func (export "f") (param i32 v128) (result v128)
            (f32x4.abs (local.get 1))
            (local.get 0)
            (if (param v128) (result v128)
              (then (i16x8.neg))
              (else (v128.not)))))"#,
    );
    for target in TARGETS {
        compile_module(&info, &settings(target, BoundsChecks::GuardPages))
            .unwrap_or_else(|e| panic!("{target}: {e}"));
    }
}

fn relaxed_module(body: &str, params: &str) -> ModuleInfo {
    let wat = format!("(module (func (export \"f\") {params} (result v128) {body}))");
    let wasm = wat::parse_str(&wat).unwrap();
    let features = CoreFeatures::V2.union(CoreFeatures::RELAXED_SIMD);
    decode(&wasm, DecodeOptions { features, keep_custom_sections: false }).unwrap()
}

#[test]
fn relaxed_madd_is_never_fused() {
    let info = relaxed_module(
        "(f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))",
        "(param v128 v128 v128)",
    );
    for target in TARGETS {
        let ir = function_ir(&info, &settings(target, BoundsChecks::GuardPages), 0).unwrap();
        assert!(ir.contains("fmul") && ir.contains("fadd") && !ir.contains("fma"), "{ir}");
        compile_module(&info, &settings(target, BoundsChecks::GuardPages)).unwrap();
    }
}

#[test]
fn relaxed_dot_uses_pmaddubsw_only_on_x86() {
    let info = relaxed_module(
        "(i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2))",
        "(param v128 v128 v128)",
    );
    for target in TARGETS {
        let s = settings(target, BoundsChecks::GuardPages);
        let ir = function_ir(&info, &s, 0).unwrap();
        let x86 = target.starts_with("x86_64");
        assert_eq!(ir.contains("x86_pmaddubsw"), x86, "{target}: {ir}");
        assert_eq!(ir.contains("sadd_sat"), !x86, "{target}: {ir}");
        compile_module(&info, &s).unwrap();
    }
}

/// SIMD operators whose x86 lowering gets shorter with AVX (VEX three-operand forms, no
/// register copies) and AVX-512 (`vpmullq`, `vpabsq`, `vpopcntb`, `vcvtudq2ps`).
const AVX_FRIENDLY: &str = r#"
(module
  (func (export "i64x2_mul") (param v128 v128) (result v128) (i64x2.mul (local.get 0) (local.get 1)))
  (func (export "i64x2_abs") (param v128) (result v128) (i64x2.abs (local.get 0)))
  (func (export "popcnt") (param v128) (result v128) (i8x16.popcnt (local.get 0)))
  (func (export "convert_u") (param v128) (result v128) (f32x4.convert_i32x4_u (local.get 0)))
  (func (export "axpy") (param v128 v128 v128) (result v128)
    (f32x4.add (f32x4.mul (local.get 0) (local.get 1))
               (f32x4.sub (local.get 2) (f32x4.mul (local.get 1) (local.get 2))))))
"#;

fn code_bytes(info: &ModuleInfo, s: &kiln_compiler::CompilerSettings) -> usize {
    compile_module(info, s).unwrap().functions.iter().map(|f| f.code.len()).sum()
}

/// `CpuLevel::Native` (`kiln compile --cpu native`) lets Cranelift use the host's vector
/// extensions: on an x86-64 host with AVX the SIMD code is smaller than at the x86-64-v2
/// baseline. (On other hosts native code must still compile.)
#[test]
fn native_cpu_gives_shorter_simd_code_with_avx() {
    use kiln_compiler::{CompilerSettings, CpuLevel};
    let info = module(AVX_FRIENDLY);
    let baseline = CompilerSettings { verify_ir: true, ..Default::default() };
    let native = CompilerSettings { cpu: CpuLevel::Native, ..baseline.clone() };
    let (b, n) = (code_bytes(&info, &baseline), code_bytes(&info, &native));
    eprintln!("SIMD code bytes: baseline {b}, native {n}");
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") {
        assert!(n < b, "native {n} bytes, baseline {b}");
    }
    assert!(n > 0);
}
