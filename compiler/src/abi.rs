//! The compiled-code ABI: Cranelift signatures of wasm functions and builtins, and the
//! fixed offsets of the VMContext header and the structures it points to.

use cranelift_codegen::ir::{self, AbiParam, ArgumentPurpose, Signature, types};
use cranelift_codegen::isa::CallConv;
use kiln_runtime_support::types::{FuncType, ValType};
use kiln_runtime_support::vm::builtins::{Builtin, BuiltinType};
use kiln_runtime_support::vm::{
    VMContextHeader, VMFuncRef, VMFunctionImport, VMMemoryDefinition, VMStoreContext,
    VMTableDefinition,
};
use std::mem::offset_of;

/// The pointer type (both supported targets are 64-bit).
pub const POINTER: ir::Type = types::I64;
/// Size of a pointer in bytes.
pub const POINTER_BYTES: u8 = 8;

/// The Cranelift type of a wasm value type (references are pointers).
pub fn clif_type(ty: ValType) -> ir::Type {
    match ty {
        ValType::I32 => types::I32,
        ValType::I64 => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
        ValType::Ref(_) => POINTER,
    }
}

/// The calling convention of the wasm-call entries (compiled functions and wasm-to-array
/// trampolines): Cranelift's `tail`, the only one whose `return_call` and
/// `return_call_indirect` replace the caller's frame (callees pop their own stack
/// arguments). Only compiled code calls wasm-call entries; the array-call side (the
/// trampolines' array ends, builtins) keeps the platform's convention.
pub const WASM_CALL_CONV: CallConv = CallConv::Tail;

/// The signature of a compiled wasm function, in [`WASM_CALL_CONV`]:
/// `(callee_vmctx, caller_vmctx, params...) -> results`.
pub fn wasm_signature(ty: &FuncType) -> Signature {
    let mut sig = Signature::new(WASM_CALL_CONV);
    sig.params.push(AbiParam::special(POINTER, ArgumentPurpose::VMContext));
    sig.params.push(AbiParam::new(POINTER));
    sig.params.extend(ty.params().iter().map(|&t| AbiParam::new(clif_type(t))));
    sig.returns.extend(ty.results().iter().map(|&t| AbiParam::new(clif_type(t))));
    sig
}

/// The signature of a builtin: `(vmctx, params...) -> results`.
pub fn builtin_signature(b: Builtin, call_conv: CallConv) -> Signature {
    let conv = |t: &BuiltinType| {
        AbiParam::new(match t {
            BuiltinType::I32 => types::I32,
            BuiltinType::I64 => types::I64,
            BuiltinType::Ptr => POINTER,
        })
    };
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(POINTER));
    sig.params.extend(b.params().iter().map(conv));
    sig.returns.extend(b.results().iter().map(conv));
    sig
}

/// Offsets inside the VMContext header and the structures it refers to.
pub mod offsets {
    use super::*;

    /// `VMContextHeader::store` (`*mut VMStoreContext`).
    pub const HEADER_STORE: i32 = offset_of!(VMContextHeader, store) as i32;
    /// `VMContextHeader::builtins` (the builtins table).
    pub const HEADER_BUILTINS: i32 = offset_of!(VMContextHeader, builtins) as i32;
    /// `VMContextHeader::type_ids` (`*const u32`, by module type index).
    pub const HEADER_TYPE_IDS: i32 = offset_of!(VMContextHeader, type_ids) as i32;
    /// `VMStoreContext::stack_limit`.
    pub const STORE_STACK_LIMIT: i32 = offset_of!(VMStoreContext, stack_limit) as i32;
    /// `VMStoreContext::epoch_deadline`.
    pub const STORE_EPOCH_DEADLINE: i32 = offset_of!(VMStoreContext, epoch_deadline) as i32;
    /// `VMStoreContext::epoch_counter`.
    pub const STORE_EPOCH_COUNTER: i32 = offset_of!(VMStoreContext, epoch_counter) as i32;
    /// `VMStoreContext::fuel`.
    pub const STORE_FUEL: i32 = offset_of!(VMStoreContext, fuel) as i32;
    /// `VMMemoryDefinition::base`.
    pub const MEMORY_BASE: i32 = offset_of!(VMMemoryDefinition, base) as i32;
    /// `VMMemoryDefinition::current_length`.
    pub const MEMORY_LENGTH: i32 = offset_of!(VMMemoryDefinition, current_length) as i32;
    /// `VMTableDefinition::base`.
    pub const TABLE_BASE: i32 = offset_of!(VMTableDefinition, base) as i32;
    /// `VMTableDefinition::current_elements`.
    pub const TABLE_ELEMENTS: i32 = offset_of!(VMTableDefinition, current_elements) as i32;
    /// `VMFunctionImport::wasm_call`.
    pub const IMPORT_WASM_CALL: i32 = offset_of!(VMFunctionImport, wasm_call) as i32;
    /// `VMFunctionImport::vmctx`.
    pub const IMPORT_VMCTX: i32 = offset_of!(VMFunctionImport, vmctx) as i32;
    /// `VMFuncRef::array_call`.
    pub const FUNCREF_ARRAY_CALL: i32 = offset_of!(VMFuncRef, array_call) as i32;
    /// `VMFuncRef::wasm_call`.
    pub const FUNCREF_WASM_CALL: i32 = offset_of!(VMFuncRef, wasm_call) as i32;
    /// `VMFuncRef::type_id` (u32).
    pub const FUNCREF_TYPE_ID: i32 = offset_of!(VMFuncRef, type_id) as i32;
    /// `VMFuncRef::vmctx`.
    pub const FUNCREF_VMCTX: i32 = offset_of!(VMFuncRef, vmctx) as i32;
}
