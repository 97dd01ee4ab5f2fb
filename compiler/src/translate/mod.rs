//! Translation of one wasm function body to Cranelift IR.
//!
//! The translator walks wasmparser's operators once, keeping the wasm operand stack as a
//! vector of SSA values, locals as frontend [`Variable`]s, and an explicit control stack
//! (see [`control`]) whose frames own the Cranelift blocks that structured control flow
//! branches to; block results travel as block parameters.
//!
//! Operators are visited exhaustively through wasmparser's [`wasmparser::VisitOperator`]:
//! [`visit`] handles every operator of the proposals the compiler translates, one method
//! each, calling the family modules below; operators of other proposals are refused with a
//! typed error naming the proposal ([`proposal`]); code that cannot be reached is skipped by
//! [`unreachable`]. SIMD operators are lowered by [`simd`], which also describes how `v128`
//! values travel on the operand stack.

mod atomics;
mod call;
mod control;
mod env;
mod exceptions;
mod memory;
mod numeric;
mod proposal;
mod simd;
mod table;
mod unreachable;
mod variable;
mod visit;

use crate::abi::{self, clif_type};
use crate::settings::CompilerSettings;
use control::Frame;
use cranelift_codegen::ir::{
    self, ExtFuncData, ExternalName, FuncRef, Function, GlobalValueData, InstBuilder, MemFlagsData,
    SigRef, SourceLoc, UserExternalName, UserFuncName, Value,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig, TargetIsa};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::VMOffsets;
use kiln_runtime_support::vm::builtins::Builtin;
use std::collections::HashMap;
use wasmparser::{BinaryReader, FunctionBody};

/// What the translator needs to know about the module and the target.
pub(crate) struct ModuleEnv<'a> {
    /// The module.
    pub module: &'a ModuleInfo,
    /// Its VMContext layout.
    pub offsets: &'a VMOffsets,
    /// Code-changing settings.
    pub settings: &'a CompilerSettings,
    /// The target's frontend configuration (default call conv, pointer width).
    pub frontend: TargetFrontendConfig,
    /// Whether the target has x86's `pmaddubsw` (SSSE3), Cranelift's `x86_pmaddubsw`, which
    /// the relaxed dot products use (see [`simd`]).
    pub x86_pmaddubsw: bool,
}

impl<'a> ModuleEnv<'a> {
    /// The environment for compiling `module` with `isa`.
    pub fn new(
        module: &'a ModuleInfo,
        offsets: &'a VMOffsets,
        settings: &'a CompilerSettings,
        isa: &dyn TargetIsa,
    ) -> Self {
        let x86_pmaddubsw = isa.triple().architecture == target_lexicon::Architecture::X86_64
            && isa.isa_flags().iter().any(|f| f.name == "has_ssse3" && f.as_bool() == Some(true));
        Self { module, offsets, settings, frontend: isa.frontend_config(), x86_pmaddubsw }
    }
}

/// Translates defined function `func_index` of `env.module` into a Cranelift function.
pub(crate) fn translate_function(
    env: &ModuleEnv<'_>,
    func_index: u32,
    fctx: &mut FunctionBuilderContext,
) -> Result<Function, CompileError> {
    let module = env.module;
    let ty = module.func_type(func_index);
    let sig = abi::wasm_signature(ty);
    let mut func = Function::with_name_signature(UserFuncName::user(0, func_index), sig);

    let body_range = module.bodies[(func_index - module.num_imported_funcs) as usize].range.clone();
    let body = FunctionBody::new(BinaryReader::new(
        &module.wasm[body_range.clone()],
        body_range.start as u64,
    ));

    // Stack limit: vmctx -> store context -> stack_limit, checked in the prologue.
    let vmctx_gv = func.create_global_value(GlobalValueData::VMContext);
    let trusted = func.dfg.mem_flags.insert_unchecked(MemFlagsData::trusted().with_readonly());
    let store_gv = func.create_global_value(GlobalValueData::Load {
        base: vmctx_gv,
        offset: abi::offsets::HEADER_STORE.into(),
        global_type: abi::POINTER,
        flags: trusted,
    });
    let limit_gv = func.create_global_value(GlobalValueData::Load {
        base: store_gv,
        offset: abi::offsets::STORE_STACK_LIMIT.into(),
        global_type: abi::POINTER,
        flags: trusted,
    });
    func.stack_limit = Some(limit_gv);

    let regions = env::Regions::declare(&mut func);
    let mut t = Translator {
        regions,
        b: FunctionBuilder::new(&mut func, fctx),
        env,
        call_conv: env.frontend.default_call_conv,
        vmctx: Value::from_u32(0),
        locals: Vec::new(),
        stack: Vec::new(),
        control: Vec::new(),
        reachable: true,
        unreachable_depth: 0,
        offset: body_range.start,
        body_range: body_range.clone(),
        legacy_tries: None,
        func_refs: HashMap::new(),
        w2a_refs: HashMap::new(),
        wasm_sigs: HashMap::new(),
        builtin_sigs: HashMap::new(),
        func_index,
        listener_depth: None,
    };
    t.b.set_srcloc(SourceLoc::new(body_range.start as u32));
    t.prologue(ty.params(), ty.results(), &body)?;

    let mut ops = body.get_operators_reader().map_err(wasm_err)?;
    while !ops.eof() {
        t.offset = ops.original_position() as usize;
        t.b.set_srcloc(SourceLoc::new(t.offset as u32));
        if t.reachable {
            ops.visit_operator(&mut t).map_err(wasm_err)??;
        } else {
            ops.visit_operator(&mut unreachable::Unreachable(&mut t)).map_err(wasm_err)??;
        }
    }
    if !t.control.is_empty() {
        return Err(err_at(body_range.end, "function body ended inside a block".into()));
    }
    let frontend = env.frontend;
    t.b.finalize(frontend);
    Ok(func)
}

/// The state of one function's translation.
pub(crate) struct Translator<'a, 'f> {
    /// The IR builder.
    pub b: FunctionBuilder<'f>,
    /// Module and settings.
    pub env: &'a ModuleEnv<'a>,
    /// The call conv of every wasm function and builtin.
    pub call_conv: CallConv,
    /// This function's own VMContext (first parameter).
    pub vmctx: Value,
    /// The alias regions of the memory the function touches.
    pub regions: env::Regions,
    /// One variable per wasm local (parameters first).
    pub locals: Vec<Variable>,
    /// The wasm operand stack.
    pub stack: Vec<Value>,
    /// The control stack; the function body is the outermost frame.
    pub control: Vec<Frame>,
    /// Whether the current position is reachable.
    pub reachable: bool,
    /// Blocks opened in unreachable code, which are skipped as a whole.
    pub unreachable_depth: u32,
    /// Byte offset in the module binary of the operator being translated.
    offset: usize,
    /// The function body's range in the module binary.
    body_range: std::ops::Range<usize>,
    /// The function's legacy `try`s, read ahead at the first one.
    legacy_tries: Option<HashMap<usize, exceptions::LegacyTry>>,
    func_refs: HashMap<u32, FuncRef>,
    w2a_refs: HashMap<u32, FuncRef>,
    wasm_sigs: HashMap<u32, SigRef>,
    builtin_sigs: HashMap<Builtin, SigRef>,
    /// The function's index in the module.
    pub func_index: u32,
    /// With listeners: the store's listened-frame depth once this function was entered
    /// ([`Builtin::ListenerBefore`]), which its catch landing pads unwind to.
    pub listener_depth: Option<Variable>,
}

impl Translator<'_, '_> {
    fn prologue(
        &mut self,
        params: &[kiln_runtime_support::types::ValType],
        results: &[kiln_runtime_support::types::ValType],
        body: &FunctionBody<'_>,
    ) -> Result<(), CompileError> {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        self.b.seal_block(entry);
        let args = self.b.block_params(entry).to_vec();
        self.vmctx = args[0];
        for (i, &p) in params.iter().enumerate() {
            let var = self.b.declare_var(clif_type(p));
            self.b.def_var(var, args[2 + i]);
            self.locals.push(var);
        }
        let mut locals = body.get_locals_reader().map_err(wasm_err)?;
        for _ in 0..locals.get_count() {
            let (count, ty) = locals.read().map_err(wasm_err)?;
            let ty = control::val_type(ty);
            for _ in 0..count {
                let var = self.b.declare_var(ty);
                let zero = self.zero(ty);
                self.b.def_var(var, zero);
                self.locals.push(var);
            }
        }
        if self.env.settings.listeners {
            let params = args[2..].to_vec();
            let slot = self.listener_values(&params);
            let func = self.i32_const(self.func_index);
            let depth = self.call_builtin(Builtin::ListenerBefore, &[func, slot])[0];
            // All bits set: the listener panicked, its trap is pending.
            let failed = self.b.ins().icmp_imm_s(ir::condcodes::IntCC::Equal, depth, -1);
            self.b.ins().trapnz(failed, crate::traps::UNWIND_PENDING);
            let var = self.b.declare_var(ir::types::I64);
            self.b.def_var(var, depth);
            self.listener_depth = Some(var);
        }
        self.entry_checks();
        let results: Vec<ir::Type> = results.iter().map(|&t| clif_type(t)).collect();
        self.push_function_frame(results);
        Ok(())
    }

    /// `values` spilled to a fresh stack area of 16-byte `ValRaw` slots (value in the low
    /// bytes), for a listener builtin; its address (null for none).
    fn listener_values(&mut self, values: &[Value]) -> Value {
        if values.is_empty() {
            return self.b.ins().iconst(abi::POINTER, 0);
        }
        let ss = self.b.create_sized_stack_slot(ir::StackSlotData::new(
            ir::StackSlotKind::ExplicitSlot,
            values.len() as u32 * 16,
            4,
        ));
        let addr = self.b.ins().stack_addr(abi::POINTER, ss, 0);
        for (i, &v) in values.iter().enumerate() {
            self.b.ins().store(MemFlagsData::trusted(), v, addr, i as i32 * 16);
        }
        addr
    }

    /// With listeners, before a return of `results`: the [`Builtin::ListenerAfter`] hook.
    pub fn listener_after(&mut self, results: &[Value]) {
        if self.env.settings.listeners {
            let slot = self.listener_values(results);
            let func = self.i32_const(self.func_index);
            self.call_builtin(Builtin::ListenerAfter, &[func, slot]);
        }
    }

    /// A zero (or null) of type `ty`.
    pub fn zero(&mut self, ty: ir::Type) -> Value {
        match ty {
            ir::types::F32 => self.b.ins().f32const(0.0),
            ir::types::F64 => self.b.ins().f64const(0.0),
            _ if ty.is_vector() => self.vector_const(ty, 0),
            _ => self.b.ins().iconst(ty, 0),
        }
    }

    /// Pops one operand (a `v128` in its canonical type, see [`simd`]).
    pub fn pop(&mut self) -> Value {
        let v = self.stack.pop().expect("operand stack underflow (module was validated)");
        self.canonical(v)
    }

    /// Pops `n` operands, in push order (`v128`s in their canonical type).
    pub fn popn(&mut self, n: usize) -> Vec<Value> {
        let at = self.stack.len() - n;
        let mut values = self.stack.split_off(at);
        for v in &mut values {
            *v = self.canonical(*v);
        }
        values
    }

    /// The top `n` operands, in push order (`v128`s in their canonical type, which they
    /// keep on the stack).
    pub fn peekn(&mut self, n: usize) -> &[Value] {
        let at = self.stack.len() - n;
        for i in at..self.stack.len() {
            self.stack[i] = self.canonical(self.stack[i]);
        }
        &self.stack[at..]
    }

    /// Pushes one operand.
    pub fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// The signature reference of module type `ty`, imported into the function once.
    pub fn wasm_sig(&mut self, ty: u32) -> SigRef {
        if let Some(&s) = self.wasm_sigs.get(&ty) {
            return s;
        }
        let sig = abi::wasm_signature(&self.env.module.types[ty as usize]);
        let s = self.b.import_signature(sig);
        self.wasm_sigs.insert(ty, s);
        s
    }

    /// The function reference for a direct call to defined function `func`.
    pub fn func_ref(&mut self, func: u32) -> FuncRef {
        if let Some(&f) = self.func_refs.get(&func) {
            return f;
        }
        let signature = self.wasm_sig(self.env.module.functions[func as usize]);
        let name = self.b.func.declare_imported_user_function(UserExternalName::new(0, func));
        let f = self.b.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature,
            colocated: true,
            patchable: false,
        });
        self.func_refs.insert(func, f);
        f
    }

    /// The function reference for a direct call to the module's wasm-to-array trampoline
    /// of type `ty`'s signature (see [`crate::trampoline`]).
    pub fn wasm_to_array_ref(&mut self, ty: u32) -> FuncRef {
        let ty = crate::trampoline::wasm_to_array_type(self.env.module, ty);
        if let Some(&f) = self.w2a_refs.get(&ty) {
            return f;
        }
        let signature = self.wasm_sig(ty);
        let name = self.b.func.declare_imported_user_function(UserExternalName::new(
            crate::compile::NS_WASM_TO_ARRAY,
            ty,
        ));
        let f = self.b.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature,
            colocated: true,
            patchable: false,
        });
        self.w2a_refs.insert(ty, f);
        f
    }

    fn builtin_sig(&mut self, b: Builtin) -> SigRef {
        if let Some(&s) = self.builtin_sigs.get(&b) {
            return s;
        }
        let s = self.b.import_signature(abi::builtin_signature(b, self.call_conv));
        self.builtin_sigs.insert(b, s);
        s
    }

    /// The byte offset in the module binary of the operator being translated.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// A [`CompileError`] from a wasmparser error.
pub(crate) fn wasm_err(e: wasmparser::BinaryReaderError) -> CompileError {
    CompileError {
        offset: Some(e.offset() as usize),
        message: e.message().to_string(),
        unsupported: false,
    }
}

/// A [`CompileError`] at `offset`.
pub(crate) fn err_at(offset: usize, message: String) -> CompileError {
    CompileError { offset: Some(offset), message, unsupported: false }
}
