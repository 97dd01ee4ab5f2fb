//! Tests of the translator's refusals (the spec suite covers the translated operators).
//!
//! Kiln's decoder rejects the refused proposals before translation, so these tests hand
//! the translator raw function bodies (for a function of a decoded module) directly.

use super::Translator;
use crate::error::CompileError;
use crate::interp::ir::{CompiledFunc, Op};
use crate::module::{DecodeOptions, ModuleInfo, decode};

/// A module with one function `[] -> [i32]`, whose body the tests replace.
fn module() -> ModuleInfo {
    let wasm = wat::parse_str("(module (func (result i32) (i32.const 0)))").expect("valid wat");
    decode(&wasm, DecodeOptions { features: Default::default(), keep_custom_sections: false })
        .expect("valid module")
}

/// Translates `code` (operators, ending in `end`; no locals) as function 0 of [`module`].
fn translate(code: &[u8]) -> Result<CompiledFunc, CompileError> {
    let info = module();
    let mut bytes = vec![0x00]; // no local declarations
    bytes.extend_from_slice(code);
    let body = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(&bytes, 0));
    Translator::new(&info, 0, &[], 0, Default::default()).translate(&body).map(|(func, _, _)| func)
}

const I32_CONST_1: [u8; 2] = [0x41, 0x01];
const RETURN: u8 = 0x0f;
const END: u8 = 0x0b;

const GC: &str = "the interpreter does not support GC yet";
/// `ref.i31` (GC).
const REF_I31: [u8; 2] = [0xfb, 0x1c];

/// A GC operator is refused by its proposal.
#[test]
fn gc_operators_are_refused_by_proposal() {
    let code = [I32_CONST_1.as_slice(), &REF_I31, &[END]].concat();
    let e = translate(&code).map(drop).expect_err("GC is not translated");
    assert!(e.unsupported, "{e}");
    assert_eq!(e.message, GC);
}

/// `atomic.fence` is translated (threads).
#[test]
fn atomic_fence_is_translated() {
    let code = [[0xfe, 0x03, 0x00].as_slice(), &I32_CONST_1, &[END]].concat();
    let func = translate(&code).expect("atomic.fence translates");
    assert!(func.code.iter().any(|i| matches!(i.op, Op::AtomicFence)));
}

/// Unreachable code is skipped, but an operator of a refused proposal is refused there
/// too, so that a block it might open cannot go unnoticed.
#[test]
fn refusals_reach_into_unreachable_code() {
    let mut code = I32_CONST_1.to_vec();
    code.push(RETURN);
    code.extend_from_slice(&REF_I31);
    code.extend_from_slice(&[0x41, 0x02, END]);
    let e = translate(&code).map(drop).expect_err("GC is refused in dead code as well");
    assert_eq!(e.message, GC);
    assert_eq!(e.offset, Some(4), "the offset of ref.i31");
    // Dead code of the translated proposals, nested blocks included, is skipped up to the
    // end of its own block, after which code is live again.
    let code = [
        [0x02, 0x7f].as_slice(), // block (result i32)
        &I32_CONST_1,
        &[0x0c, 0x00], // br 0
        // dead: block (loop (i32.const 0) (if (then (br 2)) (else nop)))
        &[0x02, 0x40, 0x03, 0x40, 0x41, 0x00, 0x04, 0x40, 0x0c, 0x02, 0x05, 0x01, END, END, END],
        &[END],
        &[0x41, 0x02, 0x6a, END], // i32.const 2; i32.add
    ]
    .concat();
    let func = translate(&code).expect("dead code with nested blocks translates");
    assert!(
        func.code
            .iter()
            .any(|i| matches!(i.op, Op::I32AddImm { imm: 2, .. } | Op::I32AddImm2 { i1: 2, .. })),
        "the add after the block is translated: {:?}",
        func.code.iter().map(|i| i.op).collect::<Vec<_>>()
    );
}
