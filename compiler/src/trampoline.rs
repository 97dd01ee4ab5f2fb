//! Trampolines between the array-call and wasm-call conventions (DESIGN.md principle 1).
//!
//! Per defined function, two array-side trampolines:
//! - the *array-to-wasm body* ([`compile_array_to_wasm_trampoline`]), an
//!   [`kiln_runtime_support::vm::ArrayCallFn`]
//!   `(callee_vmctx, caller_vmctx, values: *mut ValRaw, len) -> bool` that loads the wasm
//!   arguments from `values[..params]` (16-byte slots, value in the low bytes), calls the
//!   function directly (a [`crate::Relocation`] to it), stores the results into
//!   `values[..results]` and returns `true`. It does not protect the call: traps unwind past
//!   it.
//! - the *array-call entry* ([`compile_array_entry_trampoline`]), what the function's
//!   `VMFuncRef::array_call` points to: it calls the [`Builtin::EnterWasm`] builtin of the
//!   callee's builtins table with `(callee_vmctx, caller_vmctx, values, len, body)`, `body`
//!   being the address of the function's array-to-wasm body. The runtime's entry
//!   records where to resume when the call traps and returns `false` in that case.
//!
//! Per signature, one wasm-side trampoline, the *wasm-to-array* trampoline
//! ([`compile_wasm_to_array_trampoline`]): it has the wasm-call signature of its type,
//! `(funcref: *const VMFuncRef, caller_vmctx, params...) -> results`, but its first
//! argument is the address of a `VMFuncRef`, not a VMContext. It spills the arguments into
//! a `ValRaw` array on its stack, calls `funcref.array_call(funcref.vmctx, caller_vmctx,
//! values, len)` and returns the results read back from the array. When the call returns
//! `false`, it calls the [`Builtin::UnwindPending`] builtin with its frame pointer (an
//! exception the callee ended with may be caught by a compiled frame above, where the
//! builtin resumes), then traps with [`crate::traps::UNWIND_PENDING`]. Compiled code uses it for callees
//! without native code (host and interpreted functions): the runtime stores it in an
//! import's `VMFunctionImport::wasm_call` with `vmctx` = the importing instance's own
//! `VMFuncRef` copy of the import, and `call_indirect` calls it directly (a relocation to
//! [`crate::RelocTarget::WasmToArray`]) when the funcref's `wasm_call` is null. One is
//! emitted for every distinct function type of the module ([`wasm_to_array_type`] picks
//! the representative type index).

use crate::abi::{self, POINTER, clif_type, offsets};
use crate::code::CompiledFunction;
use crate::compile::{NS_ARRAY_ENTRY, NS_ARRAY_TO_WASM, NS_FUNCTION, NS_WASM_TO_ARRAY, finish};
use crate::settings::CompilerSettings;
use crate::traps;
use cranelift_codegen::Context;
use cranelift_codegen::ir::{
    AbiParam, ExtFuncData, ExternalName, Function, InstBuilder, MemFlagsData, Signature,
    StackSlotData, StackSlotKind, UserExternalName, UserFuncName, types,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::builtins::Builtin;

/// Size of one `ValRaw` slot.
const SLOT: i32 = 16;

/// Every trampoline a module needs, compiled with one ISA.
#[derive(Clone, Debug, Default)]
pub struct Trampolines {
    /// Array-to-wasm bodies, one per defined function, in function order.
    pub array_to_wasm: Vec<CompiledFunction>,
    /// Array-call entries, one per defined function, in function order.
    pub array_entries: Vec<CompiledFunction>,
    /// Wasm-to-array trampolines, one per distinct signature; `func_index` holds the
    /// representative type index ([`wasm_to_array_type`]).
    pub wasm_to_array: Vec<CompiledFunction>,
}

/// The type index whose wasm-to-array trampoline serves module type `ty`: the first type
/// index with the same signature.
pub fn wasm_to_array_type(info: &ModuleInfo, ty: u32) -> u32 {
    let t = &info.types[ty as usize];
    info.types.iter().position(|u| u == t).unwrap_or(ty as usize) as u32
}

/// Compiles every trampoline of `info` (see the module docs).
///
/// # Errors
/// When the settings do not describe a supported target or code generation fails.
pub fn compile_trampolines(
    info: &ModuleInfo,
    settings: &CompilerSettings,
) -> Result<Trampolines, CompileError> {
    let isa = settings.build_isa()?;
    let mut ctx = Context::new();
    let mut out = Trampolines::default();
    for f in info.num_imported_funcs..info.functions.len() as u32 {
        out.array_to_wasm.push(array_to_wasm(&*isa, &mut ctx, info, f)?);
        out.array_entries.push(array_entry(&*isa, &mut ctx, f)?);
    }
    for ty in 0..info.types.len() as u32 {
        if wasm_to_array_type(info, ty) == ty {
            out.wasm_to_array.push(wasm_to_array(&*isa, &mut ctx, info, ty)?);
        }
    }
    Ok(out)
}

fn check_defined(info: &ModuleInfo, func_index: u32) -> Result<(), CompileError> {
    if info.is_imported_func(func_index) || func_index as usize >= info.functions.len() {
        return Err(crate::settings::error(format!(
            "function {func_index} is not a defined function"
        )));
    }
    Ok(())
}

fn array_call_signature(isa: &dyn TargetIsa) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.extend([AbiParam::new(POINTER); 4]);
    sig.returns.push(AbiParam::new(types::I8));
    sig
}

/// Compiles the array-to-wasm body trampoline of function `func_index` (defined in
/// `info`). The result's relocations name `func_index`; its `func_index` field is
/// `func_index` too.
///
/// # Errors
/// When the function is imported or the settings do not describe a supported target.
pub fn compile_array_to_wasm_trampoline(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    func_index: u32,
) -> Result<CompiledFunction, CompileError> {
    check_defined(info, func_index)?;
    let isa = settings.build_isa()?;
    array_to_wasm(&*isa, &mut Context::new(), info, func_index)
}

fn array_to_wasm(
    isa: &dyn TargetIsa,
    ctx: &mut Context,
    info: &ModuleInfo,
    func_index: u32,
) -> Result<CompiledFunction, CompileError> {
    let ty = info.func_type(func_index);
    let mut func = Function::with_name_signature(
        UserFuncName::user(NS_ARRAY_TO_WASM, func_index),
        array_call_signature(isa),
    );
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);

    let callee_sig = b.import_signature(abi::wasm_signature(ty));
    let name =
        b.func.declare_imported_user_function(UserExternalName::new(NS_FUNCTION, func_index));
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

    finish(isa, ctx, func, func_index)
}

/// Compiles the array-call entry trampoline of defined function `func_index` (see the
/// module docs). Its relocation names [`crate::RelocTarget::ArrayToWasm`]`(func_index)`.
///
/// # Errors
/// When the function is imported or the settings do not describe a supported target.
pub fn compile_array_entry_trampoline(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    func_index: u32,
) -> Result<CompiledFunction, CompileError> {
    check_defined(info, func_index)?;
    let isa = settings.build_isa()?;
    array_entry(&*isa, &mut Context::new(), func_index)
}

fn array_entry(
    isa: &dyn TargetIsa,
    ctx: &mut Context,
    func_index: u32,
) -> Result<CompiledFunction, CompileError> {
    let mut func = Function::with_name_signature(
        UserFuncName::user(NS_ARRAY_ENTRY, func_index),
        array_call_signature(isa),
    );
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let enter_sig =
        b.import_signature(abi::builtin_signature(Builtin::EnterWasm, isa.default_call_conv()));
    let body_sig = b.import_signature(array_call_signature(isa));
    let name =
        b.func.declare_imported_user_function(UserExternalName::new(NS_ARRAY_TO_WASM, func_index));
    let body = b.import_function(ExtFuncData {
        name: ExternalName::user(name),
        signature: body_sig,
        colocated: true,
        patchable: false,
    });

    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let p = b.block_params(entry).to_vec();
    let flags = MemFlagsData::trusted().with_readonly();
    let table = b.ins().load(POINTER, flags, p[0], offsets::HEADER_BUILTINS);
    let slot = Builtin::EnterWasm.offset() as i32;
    let enter = b.ins().load(POINTER, flags, table, slot);
    let body_addr = b.ins().func_addr(POINTER, body);
    let call = b.ins().call_indirect(enter_sig, enter, &[p[0], p[1], p[2], p[3], body_addr]);
    let r = b.inst_results(call)[0];
    let ok = b.ins().ireduce(types::I8, r);
    b.ins().return_(&[ok]);
    b.finalize(isa.frontend_config());
    finish(isa, ctx, func, func_index)
}

/// Compiles the wasm-to-array trampoline of module type `ty` (see the module docs). The
/// result's `func_index` field holds `ty`.
///
/// # Errors
/// When `ty` is not a type of `info` or the settings do not describe a supported target.
pub fn compile_wasm_to_array_trampoline(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    ty: u32,
) -> Result<CompiledFunction, CompileError> {
    if ty as usize >= info.types.len() {
        return Err(crate::settings::error(format!("type {ty} does not exist")));
    }
    let isa = settings.build_isa()?;
    wasm_to_array(&*isa, &mut Context::new(), info, ty)
}

fn wasm_to_array(
    isa: &dyn TargetIsa,
    ctx: &mut Context,
    info: &ModuleInfo,
    ty_index: u32,
) -> Result<CompiledFunction, CompileError> {
    let ty = &info.types[ty_index as usize];
    let sig = abi::wasm_signature(ty);
    let mut func =
        Function::with_name_signature(UserFuncName::user(NS_WASM_TO_ARRAY, ty_index), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let array_sig = b.import_signature(array_call_signature(isa));

    let len = ty.params().len().max(ty.results().len()).max(1);
    let slot = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        (len * SLOT as usize) as u32,
        4,
    ));
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let p = b.block_params(entry).to_vec();
    let (funcref, caller_vmctx) = (p[0], p[1]);
    let values = b.ins().stack_addr(POINTER, slot, 0);
    let flags = MemFlagsData::trusted();
    for (i, &v) in p[2..].iter().enumerate() {
        b.ins().store(flags, v, values, i as i32 * SLOT);
    }
    let array_call = b.ins().load(POINTER, flags, funcref, offsets::FUNCREF_ARRAY_CALL);
    let callee_vmctx = b.ins().load(POINTER, flags, funcref, offsets::FUNCREF_VMCTX);
    let len = b.ins().iconst(POINTER, len as i64);
    let call =
        b.ins().call_indirect(array_sig, array_call, &[callee_vmctx, caller_vmctx, values, len]);
    let ok = b.inst_results(call)[0];
    // The callee unwound: an exception may still be caught by compiled frames above
    // (the `unwind_pending` builtin resumes there); anything else traps with the reason
    // pending.
    let unwound = b.create_block();
    let returned = b.create_block();
    b.set_cold_block(unwound);
    b.ins().brif(ok, returned, &[], unwound, &[]);
    b.switch_to_block(unwound);
    b.seal_block(unwound);
    let unwind_sig =
        b.import_signature(abi::builtin_signature(Builtin::UnwindPending, isa.default_call_conv()));
    let ro = MemFlagsData::trusted().with_readonly();
    let table = b.ins().load(POINTER, ro, caller_vmctx, offsets::HEADER_BUILTINS);
    let unwind = b.ins().load(POINTER, ro, table, Builtin::UnwindPending.offset() as i32);
    let fp = b.ins().get_frame_pointer(POINTER);
    b.ins().call_indirect(unwind_sig, unwind, &[caller_vmctx, fp]);
    b.ins().trap(traps::UNWIND_PENDING);
    b.switch_to_block(returned);
    b.seal_block(returned);
    let results: Vec<_> = ty
        .results()
        .iter()
        .enumerate()
        .map(|(i, &t)| b.ins().load(clif_type(t), flags, values, i as i32 * SLOT))
        .collect();
    b.ins().return_(&results);
    b.finalize(isa.frontend_config());
    finish(isa, ctx, func, ty_index)
}
