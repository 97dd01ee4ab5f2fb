//! Exception handling compiles for every target with Cranelift's IR verifier on: calls
//! inside handlers become `try_call`s with handler tables (tags innermost first, the
//! VMContext saved as the frame's context), calls outside stay plain calls.

use crate::{TARGETS, settings};
use kiln_compiler::{BoundsChecks, compile_module, function_ir};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::module::{DecodeOptions, ModuleInfo, decode};
use kiln_runtime_support::vm::handler_table::CATCH_ALL;

fn module(wat: &str) -> ModuleInfo {
    let wasm = wat::parse_str(wat).unwrap();
    let features = CoreFeatures::V2.union(CoreFeatures::EXCEPTIONS);
    decode(&wasm, DecodeOptions { features, keep_custom_sections: false }).unwrap()
}

fn compile_everywhere(info: &ModuleInfo) -> Vec<kiln_compiler::CompiledCode> {
    TARGETS
        .iter()
        .map(|t| {
            let s = settings(t, BoundsChecks::GuardPages);
            compile_module(info, &s).unwrap_or_else(|e| {
                let ir: Vec<String> = (info.num_imported_funcs..info.functions.len() as u32)
                    .map(|f| function_ir(info, &s, f).unwrap_or_else(|e| e.to_string()))
                    .collect();
                panic!("{t}: {e}\n{}", ir.join("\n"))
            })
        })
        .collect()
}

#[test]
fn calls_in_handlers_get_handler_tables_and_others_do_not() {
    let info = module(
        r#"(module
          (tag $a (param i32)) (tag $b)
          (func $g (param i32))
          (func (export "f") (param i32) (result i32)
            (call $g (local.get 0))
            (block $outer
              (block $h (result i32)
                (try_table (catch $a $h) (catch_all $outer)
                  (call $g (local.get 0))
                  (try_table (catch $b $outer) (call $g (i32.const 2))))
                (i32.const -1))
              (return))
            (i32.const 7)))"#,
    );
    for code in compile_everywhere(&info) {
        let f = code.function(1).unwrap();
        assert_eq!(f.handlers.len(), 2, "two calls inside handlers, one outside");
        let tags = |i: usize| f.handlers[i].clauses.iter().map(|c| c.tag).collect::<Vec<_>>();
        assert_eq!(tags(0), [0, CATCH_ALL]);
        assert_eq!(tags(1), [1, 0, CATCH_ALL], "innermost first");
        assert!(f.call_returns.len() >= 3);
        assert!(code.function(0).unwrap().handlers.is_empty());
    }
}

#[test]
fn throws_legacy_handlers_and_rethrow_compile() {
    let info = module(
        r#"(module
          (tag $a (param i32 f64 i64 v128 externref))
          (tag $b)
          (func $g)
          (func (export "t") (param i32) (result i32)
            (block $h (result i32 f64 i64 v128 externref)
              (try_table (catch $a $h)
                (throw $a (local.get 0) (f64.const 1) (i64.const 2) (v128.const i64x2 3 4)
                  (ref.null extern)))
              (unreachable))
            (drop) (drop) (drop) (drop))
          (func (export "r") (param exnref)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw_ref (local.get 0)))
              (return))
            (throw_ref))
          (func (export "legacy") (result i32)
            try (result i32)
              try
                (call $g)
              delegate 0
              (i32.const 0)
            catch $b
              try (result i32)
                (throw $b)
              catch_all
                (rethrow 1)
              end
            catch_all
              (i32.const 2)
            end)
          (func (export "unreachable_try") (result i32)
            (unreachable)
            try
              (throw $b)
            catch $b
            end
            (i32.const 1)))"#,
    );
    compile_everywhere(&info);
}
