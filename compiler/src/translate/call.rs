//! Calls: direct calls to defined functions (relocated `call`), calls to imported functions
//! (through their `VMFunctionImport`), `call_indirect` (checked through a table) and
//! `call_ref` (through a typed function reference), each in two forms: a plain call, whose
//! results go on the operand stack, and a tail call (`return_call`, `return_call_indirect`,
//! `return_call_ref`), which replaces this function's frame by the callee's (Cranelift's
//! `return_call`/`return_call_indirect`, which the `tail` calling convention of every
//! wasm-call entry allows, see [`crate::abi::WASM_CALL_CONV`]), so a chain of tail calls
//! runs in constant stack space.

use super::Translator;
use crate::abi::{POINTER, offsets};
use crate::traps;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I32;
use cranelift_codegen::ir::{BlockArg, FuncRef, InstBuilder, SigRef, Value};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::vm::builtins::Builtin;

/// Whether a call returns here or replaces the caller's frame.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CallKind {
    /// `call`, `call_indirect`, `call_ref`: the results are pushed.
    Plain,
    /// `return_call`, `return_call_indirect`, `return_call_ref`: the callee returns to this
    /// function's caller; what follows is unreachable.
    Tail,
}

impl Translator<'_, '_> {
    /// `(callee_vmctx, caller_vmctx, args...)` with the popped wasm arguments.
    fn call_args(&mut self, callee_vmctx: Value, num_params: usize) -> Vec<Value> {
        let mut args = Vec::with_capacity(num_params + 2);
        args.push(callee_vmctx);
        args.push(self.vmctx);
        args.extend(self.popn(num_params));
        args
    }

    /// Emits a direct call to `callee`; a plain call returns its results.
    fn emit_direct(&mut self, kind: CallKind, callee: FuncRef, args: &[Value]) -> Vec<Value> {
        match kind {
            CallKind::Plain => self.emit_plain_call(Ok(callee), args),
            CallKind::Tail => {
                self.b.ins().return_call(callee, args);
                Vec::new()
            }
        }
    }

    /// Emits a call through code address `code`; a plain call returns its results.
    fn emit_indirect(
        &mut self,
        kind: CallKind,
        sig: SigRef,
        code: Value,
        args: &[Value],
    ) -> Vec<Value> {
        match kind {
            CallKind::Plain => self.emit_plain_call(Err((sig, code)), args),
            CallKind::Tail => {
                self.b.ins().return_call_indirect(sig, code, args);
                Vec::new()
            }
        }
    }

    /// After a call: a plain call's results go on the operand stack; after a tail call the
    /// rest of the block is unreachable.
    fn finish_call(&mut self, kind: CallKind, results: Vec<Value>) {
        match kind {
            CallKind::Plain => self.stack.extend(results),
            CallKind::Tail => self.reachable = false,
        }
    }

    /// `call` and `return_call`: defined functions directly (a relocated call), imported
    /// ones through their `VMFunctionImport`.
    pub(super) fn call(&mut self, kind: CallKind, func: u32) -> Result<(), CompileError> {
        let module = self.env.module;
        let ty = module.functions[func as usize];
        let num_params = module.types[ty as usize].params().len();
        let results = if module.is_imported_func(func) {
            let off = self.env.offsets.imported_func(func) as i32;
            let flags = self.vmctx_invariant_flags();
            let code =
                self.b.ins().load(POINTER, flags, self.vmctx, off + offsets::IMPORT_WASM_CALL);
            let callee_vmctx =
                self.b.ins().load(POINTER, flags, self.vmctx, off + offsets::IMPORT_VMCTX);
            let sig = self.wasm_sig(ty);
            let args = self.call_args(callee_vmctx, num_params);
            self.emit_indirect(kind, sig, code, &args)
        } else {
            let fref = self.func_ref(func);
            let args = self.call_args(self.vmctx, num_params);
            self.emit_direct(kind, fref, &args)
        };
        self.finish_call(kind, results);
        Ok(())
    }

    /// `call_indirect` and `return_call_indirect`: checks the element against the table's
    /// size, null (the load of its type id is the trap site) and the expected signature,
    /// then calls it ([`Self::call_funcref`]).
    pub(super) fn call_indirect(
        &mut self,
        kind: CallKind,
        ty: u32,
        table: u32,
    ) -> Result<(), CompileError> {
        let index = self.pop();
        let addr = self.table_element_addr(table, index, traps::UNDEFINED_ELEMENT);
        let flags = self.table_flags();
        let funcref = self.b.ins().load(POINTER, flags, addr, 0);

        let flags = self.vmctx_invariant_flags();
        let type_ids = self.b.ins().load(POINTER, flags, self.vmctx, offsets::HEADER_TYPE_IDS);
        let expected = self.b.ins().load(I32, flags, type_ids, (ty * 4) as i32);
        // A null element faults on this first load through it (as in `call_funcref`).
        let vm = self.vmctx_flags().with_trap_code(Some(traps::UNINITIALIZED_ELEMENT));
        let actual = self.b.ins().load(I32, vm, funcref, offsets::FUNCREF_TYPE_ID);
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, expected, actual);
        let is_final = self.env.module.type_decls.get(ty as usize).is_none_or(|d| d.is_final);
        if is_final {
            // No type can declare a final type its supertype: only equal ids match.
            self.b.ins().trapnz(mismatch, traps::INDIRECT_CALL_TYPE_MISMATCH);
        } else {
            // Another id may still be a declared subtype: ask the runtime (cold path).
            let slow = self.b.create_block();
            let cont = self.b.create_block();
            self.b.set_cold_block(slow);
            self.b.ins().brif(mismatch, slow, &[], cont, &[]);
            self.b.switch_to_block(slow);
            self.b.seal_block(slow);
            self.call_builtin(Builtin::TypeCheck, &[actual, expected]);
            self.b.ins().jump(cont, &[]);
            self.b.switch_to_block(cont);
            self.b.seal_block(cont);
        }
        self.call_funcref(kind, ty, funcref, None);
        Ok(())
    }

    /// `call_ref` and `return_call_ref`: calls the reference ([`Self::call_funcref`]),
    /// trapping `null function reference` when it is null; validation guarantees its type
    /// is a subtype of `ty`.
    pub(super) fn call_ref(&mut self, kind: CallKind, ty: u32) -> Result<(), CompileError> {
        let funcref = self.pop();
        self.call_funcref(kind, ty, funcref, Some(traps::NULL_FUNCTION_REFERENCE));
        Ok(())
    }

    /// Calls `funcref` (a `*const VMFuncRef`) of type `ty` with the popped arguments: its
    /// wasm-call entry when it has native code; otherwise (host and interpreted functions)
    /// this module's wasm-to-array trampoline of the signature, with the funcref itself as
    /// first argument (see the trampoline module). With `null_trap`, `funcref` may be null:
    /// the first load through it is then a trap site with that code (a null pointer's page
    /// is never mapped, so the load faults), which costs no check; without, it is not null.
    fn call_funcref(
        &mut self,
        kind: CallKind,
        ty: u32,
        funcref: Value,
        null_trap: Option<cranelift_codegen::ir::TrapCode>,
    ) {
        let vm = self.vmctx_flags();
        let first = match null_trap {
            Some(code) => vm.with_trap_code(Some(code)),
            None => vm,
        };
        let code = self.b.ins().load(POINTER, first, funcref, offsets::FUNCREF_WASM_CALL);
        let sig = self.wasm_sig(ty);
        let num_params = self.env.module.types[ty as usize].params().len();
        let wasm_args = self.popn(num_params);
        let result_types: Vec<_> =
            self.b.func.dfg.signatures[sig].returns.iter().map(|r| r.value_type).collect();

        let native = self.b.create_block();
        let array = self.b.create_block();
        let done = (kind == CallKind::Plain).then(|| self.b.create_block());
        if let Some(done) = done {
            for &t in &result_types {
                self.b.append_block_param(done, t);
            }
        }
        self.b.set_cold_block(array);
        self.b.ins().brif(code, native, &[], array, &[]);

        self.b.switch_to_block(native);
        self.b.seal_block(native);
        let callee_vmctx = self.b.ins().load(POINTER, vm, funcref, offsets::FUNCREF_VMCTX);
        let mut args = vec![callee_vmctx, self.vmctx];
        args.extend_from_slice(&wasm_args);
        let results = self.emit_indirect(kind, sig, code, &args);
        if let Some(done) = done {
            let results: Vec<BlockArg> = results.into_iter().map(BlockArg::Value).collect();
            self.b.ins().jump(done, &results);
        }

        self.b.switch_to_block(array);
        self.b.seal_block(array);
        let tramp = self.wasm_to_array_ref(ty);
        args[0] = funcref;
        let results = self.emit_direct(kind, tramp, &args);
        let results = match done {
            Some(done) => {
                let results: Vec<BlockArg> = results.into_iter().map(BlockArg::Value).collect();
                self.b.ins().jump(done, &results);
                self.b.switch_to_block(done);
                self.b.seal_block(done);
                self.b.block_params(done).to_vec()
            }
            None => Vec::new(),
        };
        self.finish_call(kind, results);
    }
}
