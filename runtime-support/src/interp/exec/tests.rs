//! Tests of the dispatch machinery itself (the spec suite covers the instructions).

use crate::engine::{Code, Module};
use crate::instance::{Extern, instantiate};
use crate::module::{DecodeOptions, decode};
use crate::vm::{Store, StoreConfig, ValRaw};
use std::sync::Arc;

/// Iterations of the long loop: enough that one leaked native stack frame per executed
/// instruction would overflow any thread's stack when handlers tail-call each other.
const ITERATIONS: u32 = if cfg!(kiln_tail_dispatch) { 50_000_000 } else { 1_000_000 };

/// A loop of `n` iterations, each executing a few instructions and a call and return,
/// runs in constant native stack: handlers hand over by jumps, not nested calls.
#[test]
fn long_loop_does_not_grow_the_native_stack() {
    let wat = r#"
        (module
          (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "count") (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (call $inc (local.get $acc)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $acc)))
    "#;
    let wasm = wat::parse_str(wat).expect("valid wat");
    let info = decode(&wasm, DecodeOptions { features: Default::default(), keep_custom_sections: false })
        .expect("valid module");
    let code = Code::Interpreted(super::super::translate_module(&info, false).expect("translates"));
    let module = Arc::new(Module { info: Arc::new(info), code });
    let store = Store::new(StoreConfig::default());
    let no_imports = |_: &str, _: &str| None;
    let inst = instantiate(&store, module, &no_imports, None).expect("instantiates");
    // SAFETY: the instance is owned by `store`, which is alive.
    let Some(Extern::Func(f)) = (unsafe { &*inst }).get_export("count") else { panic!("count is exported") };
    let mut slots = [ValRaw::from_bits(ITERATIONS as u64)];
    // SAFETY: `f` is a live funcref of `store` taking and returning one i32.
    unsafe { crate::call::invoke(&store, f, &mut slots) }.expect("runs to completion");
    assert_eq!(slots[0].bits() as u32, ITERATIONS);
}
