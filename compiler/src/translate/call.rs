//! Calls: direct calls to defined functions (relocated `call`), calls to imported functions
//! (through their `VMFunctionImport`), and `call_indirect` (checked through a table).

use super::Translator;
use crate::abi::{POINTER, offsets};
use crate::traps;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I32;
use cranelift_codegen::ir::{Inst, InstBuilder, Value};
use kiln_runtime_support::CompileError;

impl Translator<'_, '_> {
    /// `(callee_vmctx, caller_vmctx, args...)` with the popped wasm arguments.
    fn call_args(&mut self, callee_vmctx: Value, num_params: usize) -> Vec<Value> {
        let mut args = Vec::with_capacity(num_params + 2);
        args.push(callee_vmctx);
        args.push(self.vmctx);
        args.extend(self.popn(num_params));
        args
    }

    fn push_results(&mut self, call: Inst) {
        let results = self.b.inst_results(call).to_vec();
        self.stack.extend(results);
    }

    /// `call`: defined functions directly (a relocated call), imported ones through their
    /// `VMFunctionImport`.
    pub(super) fn call(&mut self, func: u32) -> Result<(), CompileError> {
        let module = self.env.module;
        let ty = module.functions[func as usize];
        let num_params = module.types[ty as usize].params().len();
        let call = if module.is_imported_func(func) {
            let off = self.env.offsets.imported_func(func) as i32;
            let flags = self.vmctx_invariant_flags();
            let code =
                self.b.ins().load(POINTER, flags, self.vmctx, off + offsets::IMPORT_WASM_CALL);
            let callee_vmctx =
                self.b.ins().load(POINTER, flags, self.vmctx, off + offsets::IMPORT_VMCTX);
            let sig = self.wasm_sig(ty);
            let args = self.call_args(callee_vmctx, num_params);
            self.b.ins().call_indirect(sig, code, &args)
        } else {
            let fref = self.func_ref(func);
            let args = self.call_args(self.vmctx, num_params);
            self.b.ins().call(fref, &args)
        };
        self.push_results(call);
        Ok(())
    }

    /// `call_indirect`: checks the element against the table's size, null and the expected
    /// signature, then calls its wasm-call entry, or the wasm-to-array trampoline of the
    /// signature when the callee has no native code.
    pub(super) fn call_indirect(&mut self, ty: u32, table: u32) -> Result<(), CompileError> {
        let index = self.pop();
        let addr = self.table_element_addr(table, index, traps::UNDEFINED_ELEMENT);
        let flags = self.table_flags();
        let funcref = self.b.ins().load(POINTER, flags, addr, 0);
        self.b.ins().trapz(funcref, traps::UNINITIALIZED_ELEMENT);

        let flags = self.vmctx_invariant_flags();
        let type_ids = self.b.ins().load(POINTER, flags, self.vmctx, offsets::HEADER_TYPE_IDS);
        let expected = self.b.ins().load(I32, flags, type_ids, (ty * 4) as i32);
        let vm = self.vmctx_flags();
        let actual = self.b.ins().load(I32, vm, funcref, offsets::FUNCREF_TYPE_ID);
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, expected, actual);
        self.b.ins().trapnz(mismatch, traps::INDIRECT_CALL_TYPE_MISMATCH);

        let code = self.b.ins().load(POINTER, vm, funcref, offsets::FUNCREF_WASM_CALL);
        let sig = self.wasm_sig(ty);
        let num_params = self.env.module.types[ty as usize].params().len();
        let wasm_args = self.popn(num_params);
        let result_types: Vec<_> =
            self.b.func.dfg.signatures[sig].returns.iter().map(|r| r.value_type).collect();

        // Native callee: call its wasm-call entry. No native code (host or interpreted
        // function): call this module's wasm-to-array trampoline of the signature with the
        // funcref itself (see the trampoline module).
        let native = self.b.create_block();
        let array = self.b.create_block();
        let done = self.b.create_block();
        for &t in &result_types {
            self.b.append_block_param(done, t);
        }
        self.b.set_cold_block(array);
        self.b.ins().brif(code, native, &[], array, &[]);

        self.b.switch_to_block(native);
        self.b.seal_block(native);
        let callee_vmctx = self.b.ins().load(POINTER, vm, funcref, offsets::FUNCREF_VMCTX);
        let mut args = vec![callee_vmctx, self.vmctx];
        args.extend_from_slice(&wasm_args);
        let call = self.b.ins().call_indirect(sig, code, &args);
        let results: Vec<_> = self.b.inst_results(call).iter().map(|&v| v.into()).collect();
        self.b.ins().jump(done, &results);

        self.b.switch_to_block(array);
        self.b.seal_block(array);
        let tramp = self.wasm_to_array_ref(ty);
        args[0] = funcref;
        let call = self.b.ins().call(tramp, &args);
        let results: Vec<_> = self.b.inst_results(call).iter().map(|&v| v.into()).collect();
        self.b.ins().jump(done, &results);

        self.b.switch_to_block(done);
        self.b.seal_block(done);
        let results = self.b.block_params(done).to_vec();
        self.stack.extend(results);
        Ok(())
    }
}
