//! Array-to-wasm trampolines: the `array_call` entry of a compiled function
//! (DESIGN.md principle 1).
//!
//! A trampoline has the [`kiln_runtime_support::vm::ArrayCallFn`] signature
//! `(callee_vmctx, caller_vmctx, values: *mut ValRaw, len) -> bool`: it loads the wasm
//! arguments from `values[..params]` (16-byte slots, value in the low bytes), calls the
//! function's wasm-call entry directly (a [`crate::Relocation`] to the function), stores
//! the results into `values[..results]` and returns `true`. Traps never return through it:
//! the runtime unwinds past it to the host-to-wasm entry.

use crate::abi::{self, POINTER, clif_type};
use crate::code::CompiledFunction;
use crate::compile::finish;
use crate::settings::CompilerSettings;
use cranelift_codegen::Context;
use cranelift_codegen::ir::{
    AbiParam, ExtFuncData, ExternalName, Function, InstBuilder, MemFlagsData, Signature,
    UserExternalName, UserFuncName, types,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::module::ModuleInfo;

/// Size of one `ValRaw` slot.
const SLOT: i32 = 16;

/// Compiles the array-to-wasm trampoline of function `func_index` (defined in `info`).
/// The result's relocations name `func_index`; its `func_index` field is `func_index` too.
///
/// # Errors
/// When the function is imported or the settings do not describe a supported target.
pub fn compile_array_to_wasm_trampoline(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    func_index: u32,
) -> Result<CompiledFunction, CompileError> {
    if info.is_imported_func(func_index) || func_index as usize >= info.functions.len() {
        return Err(crate::settings::error(format!(
            "function {func_index} is not a defined function"
        )));
    }
    let isa = settings.build_isa()?;
    let call_conv = isa.default_call_conv();
    let ty = info.func_type(func_index);

    let mut sig = Signature::new(call_conv);
    sig.params.extend([AbiParam::new(POINTER); 4]);
    sig.returns.push(AbiParam::new(types::I8));
    let mut func = Function::with_name_signature(UserFuncName::user(1, func_index), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);

    let callee_sig = b.import_signature(abi::wasm_signature(ty, call_conv));
    let name = b
        .func
        .declare_imported_user_function(UserExternalName::new(0, func_index));
    let callee = b.import_function(ExtFuncData {
        name: ExternalName::user(name),
        signature: callee_sig,
        colocated: true,
        patchable: false,
    });

    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let params = b.block_params(entry).to_vec();
    let (callee_vmctx, caller_vmctx, values) = (params[0], params[1], params[2]);
    let flags = MemFlagsData::trusted();
    let mut args = vec![callee_vmctx, caller_vmctx];
    for (i, &t) in ty.params().iter().enumerate() {
        args.push(b.ins().load(clif_type(t), flags, values, i as i32 * SLOT));
    }
    let call = b.ins().call(callee, &args);
    let results = b.inst_results(call).to_vec();
    for (i, r) in results.into_iter().enumerate() {
        b.ins().store(flags, r, values, i as i32 * SLOT);
    }
    let ok = b.ins().iconst(types::I8, 1);
    b.ins().return_(&[ok]);
    b.finalize(isa.frontend_config());

    finish(&*isa, &mut Context::new(), func, func_index)
}
