//! Operators of proposals the compiler does not translate are refused with an `unsupported`
//! error that names the proposal and the operator, in reachable and unreachable code alike,
//! never a panic. The decoder rejects such modules first (they use features outside those it
//! validates), so these tests write the operators into a validated module's function body
//! by hand, in place of operators of the same length.

use crate::{TARGETS, module, settings};
use kiln_compiler::{BoundsChecks, compile_module};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::module::{ModuleBytes, ModuleInfo};
use std::sync::Arc;

/// `wat` (one function) with the bytes of its body (locals, operators, `end`) replaced by
/// `body`, which must have the same length; also returns the body's offset in the module.
fn with_body(wat: &str, body: &[u8]) -> (ModuleInfo, usize) {
    let mut info = module(wat);
    let range = info.bodies[0].range.clone();
    assert_eq!(range.len(), body.len(), "the replacement must keep the body's length");
    let mut bytes = info.wasm.to_vec();
    bytes[range.clone()].copy_from_slice(body);
    let len = bytes.len();
    info.wasm = ModuleBytes::slice(Arc::new(bytes), 0..len).unwrap();
    (info, range.start)
}

/// The error compiling `info` for every target (the same for each).
fn refusal(info: &ModuleInfo) -> CompileError {
    let [x86_64, aarch64] = TARGETS.map(|target| {
        compile_module(info, &settings(target, BoundsChecks::GuardPages)).unwrap_err()
    });
    assert_eq!(x86_64, aarch64, "both targets refuse alike");
    x86_64
}

const GC: &str = "garbage collection (GC) is not supported yet (operator RefI31)";

#[test]
fn gc_operators_are_refused() {
    // nop; nop; nop  ->  ref.i31; nop
    let (info, _) = with_body("(module (func nop nop nop))", &[0, 0xfb, 0x1c, 0x01, 0x0b]);
    let e = refusal(&info);
    assert!(e.unsupported);
    assert_eq!(e.message, GC);
}

#[test]
fn refused_operators_in_unreachable_code_are_refused_too() {
    // unreachable; nop; nop; nop  ->  unreachable; ref.i31; nop
    let (info, start) =
        with_body("(module (func unreachable nop nop nop))", &[0, 0, 0xfb, 0x1c, 0x01, 0x0b]);
    let e = refusal(&info);
    assert!(e.unsupported);
    assert_eq!(e.message, GC);
    assert_eq!(e.offset, Some(start + 2));

    // Supported operators in unreachable code still compile, SIMD ones too.
    let info = module(
        "(module (func (result i32) unreachable (block (result i32) i32.const 1)
           i8x16.splat i8x16.popcnt drop))",
    );
    compile_module(&info, &settings(TARGETS[0], BoundsChecks::GuardPages)).unwrap();
}
