//! Translation of validated wasm function bodies into the interpreter's slot form.
//!
//! The translator keeps a virtual operand stack whose entries say where each value is: in
//! its own stack slot (`Temp`), still in a local (`Local`, after `local.get`, so no copy is
//! made), or a known constant (`Const`, used as an immediate where an instruction has one).
//! A `Local` entry is copied into its own slot before that local changes and at every
//! block boundary, so no path can observe a stale alias. A `local.set` right after the
//! instruction that computed its value rewrites that instruction to write the local directly.

use super::InterpModule;
use super::fuse::{fuse_compare, fuse_eqz_compare, negate_branch, peephole};
use super::ir::{CompiledFunc, Op, Slot};
use super::rotate::rotate_loops;
use crate::error::CompileError;
use crate::module::ModuleInfo;
use std::collections::HashMap;
use wasmparser::{BlockType, Operator};

/// Translates every defined function of `info`. With `interruptible`, every function entry
/// and loop header checks the store's epoch deadline ([`Op::CheckInterrupt`]), so an
/// embedder can stop runaway code; without it the code carries no check at all.
///
/// # Errors
/// [`CompileError`] if a body uses an instruction the interpreter does not implement
/// (SIMD and post-2.0 proposals) or is too large for the interpreter's slot numbering.
pub fn translate_module(
    info: &ModuleInfo,
    interruptible: bool,
) -> Result<InterpModule, CompileError> {
    let mut funcs = Vec::with_capacity(info.bodies.len());
    for (i, body) in info.bodies.iter().enumerate() {
        let func_index = info.num_imported_funcs + i as u32;
        let reader = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(
            &info.wasm[body.range.clone()],
            body.range.start as u64,
        ));
        let (func, loop_consts) =
            Translator::new(info, func_index, &[], interruptible).translate(&reader)?;
        // Constants used as operands inside loops get slots of their own, filled once per
        // call, so loops do not rematerialize them: translate such functions again with
        // those slots assigned.
        let func = if loop_consts.is_empty() {
            func
        } else {
            Translator::new(info, func_index, &loop_consts, interruptible).translate(&reader)?.0
        };
        funcs.push(func);
    }
    Ok(InterpModule { funcs })
}

/// The most constants one function keeps in slots of their own (each costs a store per call).
const MAX_CONST_SLOTS: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Entry {
    Temp,
    Local(u32),
    Const(u64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

#[derive(Default)]
struct Label {
    pc: Option<u32>,
    patches: Vec<u32>,
}

struct Ctrl {
    kind: Kind,
    height: u32,
    params: u32,
    results: u32,
    label: usize,
    else_label: Option<usize>,
    unreachable: bool,
}

impl Ctrl {
    fn branch_arity(&self) -> u32 {
        if self.kind == Kind::Loop { self.params } else { self.results }
    }
}

struct Translator<'a> {
    info: &'a ModuleInfo,
    func_index: u32,
    code: Vec<Op>,
    offsets: Vec<u32>,
    stack: Vec<Entry>,
    ctrls: Vec<Ctrl>,
    labels: Vec<Label>,
    num_params: u32,
    num_locals: u32,
    /// Constants with slots of their own (`num_locals..stack_base`), by value.
    const_slots: HashMap<u64, Slot>,
    consts: Vec<u64>,
    /// First operand-stack slot: after the locals and the constant slots.
    stack_base: u32,
    /// Enclosing `loop`s of the current position.
    loop_depth: u32,
    /// Constants materialized inside loops, in first-use order (requests for pass two).
    loop_consts: Vec<u64>,
    max_height: u32,
    offset: u32,
    last_result: Option<usize>,
    /// The position at which a label was last bound (branches may land there).
    last_bind: Option<usize>,
    skip_depth: u32,
    func_results: u32,
    /// Whether to emit interruption checks at the entry and at loop headers.
    interruptible: bool,
}

fn unsupported(offset: u32, what: impl std::fmt::Display) -> CompileError {
    CompileError::unsupported(offset as usize, format!("the interpreter does not support {what}"))
}

impl<'a> Translator<'a> {
    fn new(info: &'a ModuleInfo, func_index: u32, consts: &[u64], interruptible: bool) -> Self {
        Self {
            info,
            func_index,
            code: Vec::new(),
            offsets: Vec::new(),
            stack: Vec::new(),
            ctrls: Vec::new(),
            labels: Vec::new(),
            num_params: 0,
            num_locals: 0,
            const_slots: HashMap::new(),
            consts: consts.to_vec(),
            stack_base: 0,
            loop_depth: 0,
            loop_consts: Vec::new(),
            max_height: 0,
            offset: 0,
            last_result: None,
            last_bind: None,
            skip_depth: 0,
            func_results: 0,
            interruptible,
        }
    }

    /// Translates the body; also returns the constants that pass one had to materialize
    /// inside loops (empty when this translation already had constant slots).
    fn translate(
        mut self,
        body: &wasmparser::FunctionBody<'_>,
    ) -> Result<(CompiledFunc, Vec<u64>), CompileError> {
        let err = CompileError::from_wasmparser;
        let ty = self.info.func_type(self.func_index);
        self.num_params = ty.params().len() as u32;
        let mut locals = self.num_params as u64;
        for l in body.get_locals_reader().map_err(err)? {
            locals += l.map_err(err)?.0 as u64;
        }
        if locals > (u32::MAX / 4) as u64 {
            return Err(unsupported(body.range().start as u32, "a function with this many locals"));
        }
        self.num_locals = locals as u32;
        for (k, v) in self.consts.iter().enumerate() {
            self.const_slots.insert(*v, self.num_locals + k as u32);
        }
        self.stack_base = self.num_locals + self.consts.len() as u32;
        self.func_results = ty.results().len() as u32;
        let label = self.new_label();
        self.ctrls.push(Ctrl {
            kind: Kind::Func,
            height: 0,
            params: 0,
            results: ty.results().len() as u32,
            label,
            else_label: None,
            unreachable: false,
        });
        let mut reader = body.get_operators_reader().map_err(err)?;
        if self.interruptible {
            self.offset = reader.original_position() as u32;
            self.emit(Op::CheckInterrupt);
        }
        while !reader.eof() {
            self.offset = reader.original_position() as u32;
            let op = reader.read().map_err(err)?;
            self.op(op)?;
        }
        let frame_size = self.stack_base as u64 + self.max_height as u64;
        if frame_size > (u32::MAX / 4) as u64 {
            return Err(unsupported(self.offset, "a function with this large a frame"));
        }
        rotate_loops(&mut self.code, &mut self.offsets);
        peephole(&mut self.code, &mut self.offsets);
        let func = CompiledFunc {
            func_index: self.func_index,
            code: super::exec::thread(self.code),
            offsets: self.offsets.into_boxed_slice(),
            num_params: self.num_params,
            num_locals: self.num_locals,
            consts: self.consts.into_boxed_slice(),
            frame_size: frame_size as u32,
        };
        Ok((func, self.loop_consts))
    }

    // ---------------------------------------------------------------- emission helpers

    fn emit(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.offsets.push(self.offset);
        self.last_result = None;
        self.code.len() - 1
    }

    fn emit_result(&mut self, op: Op) {
        let i = self.emit(op);
        self.last_result = Some(i);
    }

    fn new_label(&mut self) -> usize {
        self.labels.push(Label::default());
        self.labels.len() - 1
    }

    fn bind(&mut self, label: usize) {
        let pc = self.code.len() as u32;
        let patches = std::mem::take(&mut self.labels[label].patches);
        for p in patches {
            self.set_target(p as usize, pc);
        }
        self.labels[label].pc = Some(pc);
        self.last_result = None;
        self.last_bind = Some(pc as usize);
    }

    fn set_target(&mut self, at: usize, pc: u32) {
        match self.code[at].target_mut() {
            Some(target) => *target = pc,
            None => unreachable!("patching a non-branch {:?}", self.code[at]),
        }
    }

    /// Emits a branch-type instruction whose target is `label`.
    fn emit_branch(&mut self, op: Op, label: usize) {
        let at = self.emit(op);
        match self.labels[label].pc {
            Some(pc) => self.set_target(at, pc),
            None => self.labels[label].patches.push(at as u32),
        }
    }

    fn own(&self, height: usize) -> Slot {
        self.stack_base + height as u32
    }

    fn push(&mut self, e: Entry) {
        self.stack.push(e);
        self.max_height = self.max_height.max(self.stack.len() as u32);
    }

    fn pop(&mut self) -> Entry {
        self.stack.pop().unwrap_or(Entry::Temp)
    }

    fn top(&self) -> usize {
        self.stack.len() - 1
    }

    fn emit_const(&mut self, dst: Slot, v: u64) {
        if v >> 32 == 0 {
            self.emit(Op::Const32 { dst, value: v as u32 });
        } else {
            self.emit(Op::Const64 { dst, value: v });
        }
    }

    /// Moves entry `i` into its own slot.
    fn materialize(&mut self, i: usize) {
        let dst = self.own(i);
        match self.stack[i] {
            Entry::Temp => {}
            Entry::Local(x) => {
                self.emit(Op::Copy { dst, src: x });
            }
            Entry::Const(v) => self.emit_const(dst, v),
        }
        self.stack[i] = Entry::Temp;
    }

    /// The slot holding entry `i` (a constant is first put into its own slot).
    fn slot(&mut self, i: usize) -> Slot {
        match self.stack[i] {
            Entry::Temp => self.own(i),
            Entry::Local(x) => x,
            Entry::Const(v) => {
                if let Some(&s) = self.const_slots.get(&v) {
                    return s;
                }
                if self.loop_depth > 0
                    && self.consts.is_empty()
                    && !self.loop_consts.contains(&v)
                    && self.loop_consts.len() < MAX_CONST_SLOTS
                {
                    self.loop_consts.push(v);
                }
                self.materialize(i);
                self.own(i)
            }
        }
    }

    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for i in len - n..len {
            self.materialize(i);
        }
    }

    fn materialize_locals(&mut self) {
        for i in 0..self.stack.len() {
            if matches!(self.stack[i], Entry::Local(_)) {
                self.materialize(i);
            }
        }
    }

    fn preserve_local(&mut self, x: u32, below: usize) {
        for i in 0..below {
            if self.stack[i] == Entry::Local(x) {
                self.materialize(i);
            }
        }
    }

    /// Copies the top `n` entries to the slots starting at stack height `target`.
    fn copy_top_to(&mut self, n: usize, target: usize) {
        let len = self.stack.len();
        for i in 0..n {
            let src_h = len - n + i;
            let dst = self.own(target + i);
            match self.stack[src_h] {
                Entry::Temp => {
                    if src_h != target + i {
                        self.emit(Op::Copy { dst, src: self.own(src_h) });
                    }
                }
                Entry::Local(x) => {
                    self.emit(Op::Copy { dst, src: x });
                }
                Entry::Const(v) => self.emit_const(dst, v),
            }
        }
    }

    fn needs_copy(&self, n: usize, target: usize) -> bool {
        let len = self.stack.len();
        (0..n).any(|i| {
            let src_h = len - n + i;
            !(self.stack[src_h] == Entry::Temp && src_h == target + i)
        })
    }

    /// Emits the function return: results to slots `0..n`, then `Return`.
    fn emit_return(&mut self) {
        let n = self.func_results as usize;
        let len = self.stack.len();
        for i in len - n..len {
            if matches!(self.stack[i], Entry::Local(x) if (x as usize) < n) {
                self.materialize(i);
            }
        }
        for i in 0..n {
            let dst = i as Slot;
            match self.stack[len - n + i] {
                Entry::Temp => {
                    self.emit(Op::Copy { dst, src: self.own(len - n + i) });
                }
                Entry::Local(x) => {
                    if x != dst {
                        self.emit(Op::Copy { dst, src: x });
                    }
                }
                Entry::Const(v) => self.emit_const(dst, v),
            }
        }
        self.emit(Op::Return);
    }

    /// Pops the i32 branch condition on top of the stack and returns the branch that jumps
    /// when it is non-zero (or zero, with `negate`). When the instruction just emitted
    /// computed the condition with an i32 comparison, that instruction is replaced by a
    /// fused compare-and-branch.
    fn pop_cond(&mut self, negate: bool) -> Op {
        let t = self.top();
        if self.stack[t] == Entry::Temp && self.last_result == Some(self.code.len() - 1) {
            let last = *self.code.last().expect("last_result names an instruction");
            let own = self.own(t);
            let writes_cond = last.clone().dst_mut().is_some_and(|d| *d == own);
            // `eqz` of a comparison just made into the same temp (no branch lands between
            // them): test the comparison itself, with the opposite sense.
            let len = self.code.len();
            if let (true, Op::I32Eqz { src, .. }, true) =
                (writes_cond, last, len >= 2 && self.last_bind != Some(len - 1))
            {
                let prev = self.code[len - 2];
                let prev_writes_src =
                    src == own && prev.clone().dst_mut().is_some_and(|d| *d == own);
                if let (true, Some(fused)) = (prev_writes_src, fuse_eqz_compare(prev, negate)) {
                    self.code.truncate(len - 2);
                    self.offsets.truncate(len - 2);
                    self.last_result = None;
                    self.pop();
                    return fused;
                }
            }
            if let (true, Some(fused)) = (writes_cond, fuse_compare(last, negate)) {
                self.code.pop();
                self.offsets.pop();
                self.last_result = None;
                self.pop();
                return fused;
            }
        }
        let cond = self.slot(t);
        self.pop();
        if negate { Op::BrIfEqz { cond, target: 0 } } else { Op::BrIfNez { cond, target: 0 } }
    }

    /// Emits an unconditional branch to the frame `depth` levels out. The operand stack's
    /// state is left as it was: what the branch materializes (a return moves locals it
    /// would overwrite into their own slots) happens on the branch's path only, and a
    /// `br_if`'s fall-through or the next `br_table` stub never ran it.
    fn emit_br(&mut self, depth: u32) {
        let saved = self.stack.clone();
        self.emit_br_from(depth);
        self.stack = saved;
    }

    fn emit_br_from(&mut self, depth: u32) {
        let c = &self.ctrls[self.ctrls.len() - 1 - depth as usize];
        if c.kind == Kind::Func {
            self.emit_return();
            return;
        }
        let (n, h, label, kind) = (c.branch_arity() as usize, c.height as usize, c.label, c.kind);
        if kind == Kind::Loop && n == 0 && self.rotate_loop(label) {
            return;
        }
        self.copy_top_to(n, h);
        self.emit_branch(Op::Br { target: 0 }, label);
    }

    /// Loop rotation at a back edge: when the loop starts with a conditional exit, emit that
    /// test negated so the back edge jumps straight into the body, followed by the exit
    /// jump. Saves one dispatch per iteration. Returns false when the loop's first
    /// instruction is no conditional branch to a label of an enclosing open block.
    fn rotate_loop(&mut self, loop_label: usize) -> bool {
        let Some(head) = self.labels[loop_label].pc else { return false };
        let Some(&first) = self.code.get(head as usize) else { return false };
        let Some(negated) = negate_branch(first) else { return false };
        // The exit label: an open block's label still waiting for `head` to be patched.
        let exit =
            self.ctrls.iter().map(|c| c.label).find(|&l| self.labels[l].patches.contains(&head));
        let Some(exit) = exit else { return false };
        let at = self.emit(negated);
        self.set_target(at, head + 1);
        self.emit_branch(Op::Br { target: 0 }, exit);
        true
    }

    fn set_unreachable(&mut self) {
        let c = self.ctrls.last_mut().expect("a control frame is open");
        c.unreachable = true;
        let h = c.height as usize;
        self.stack.truncate(h);
    }

    fn block_arity(&self, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(t) => {
                let ft = &self.info.types[t as usize];
                (ft.params().len() as u32, ft.results().len() as u32)
            }
        }
    }

    fn push_ctrl(&mut self, kind: Kind, bt: BlockType) -> usize {
        let (params, results) = self.block_arity(bt);
        self.materialize_locals();
        self.materialize_top(params as usize);
        let label = self.new_label();
        self.ctrls.push(Ctrl {
            kind,
            height: self.stack.len() as u32 - params,
            params,
            results,
            label,
            else_label: None,
            unreachable: false,
        });
        label
    }

    // ---------------------------------------------------------------- operator helpers

    fn unop(&mut self, make: fn(Slot, Slot) -> Op) {
        let t = self.top();
        let src = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(make(self.own(t), src));
    }

    fn binop(&mut self, make: fn(Slot, Slot, Slot) -> Op) {
        let t = self.top();
        let b = self.slot(t);
        let a = self.slot(t - 1);
        self.pop();
        self.stack[t - 1] = Entry::Temp;
        self.emit_result(make(self.own(t - 1), a, b));
    }

    /// A binary i32 operation with an immediate form; `commutes` allows a constant left
    /// operand to be used as the immediate.
    fn binop_imm32(
        &mut self,
        make: fn(Slot, Slot, Slot) -> Op,
        imm: fn(Slot, Slot, i32) -> Op,
        commutes: bool,
    ) {
        let t = self.top();
        let (ea, eb) = (self.stack[t - 1], self.stack[t]);
        let pick = match (ea, eb) {
            (_, Entry::Const(c)) if !matches!(ea, Entry::Const(_)) => Some((t - 1, c)),
            (Entry::Const(c), _) if commutes && !matches!(eb, Entry::Const(_)) => Some((t, c)),
            _ => None,
        };
        match pick {
            Some((other, c)) => {
                let a = self.slot(other);
                self.pop();
                self.stack[t - 1] = Entry::Temp;
                self.emit_result(imm(self.own(t - 1), a, c as u32 as i32));
            }
            None => self.binop(make),
        }
    }

    /// A rotate of `bits`-bit values: by a constant amount it becomes `imm` (a left rotate by
    /// the amount modulo `bits`, negated first for a right rotate), else `make`.
    fn rotate(
        &mut self,
        bits: u64,
        right: bool,
        make: fn(Slot, Slot, Slot) -> Op,
        imm: fn(Slot, Slot, i32) -> Op,
    ) {
        let t = self.top();
        if let (Entry::Const(c), false) =
            (self.stack[t], matches!(self.stack[t - 1], Entry::Const(_)))
        {
            let amount = if right { bits.wrapping_sub(c) } else { c } & (bits - 1);
            self.stack[t] = Entry::Const(amount);
            self.binop_imm32(make, imm, false)
        } else {
            self.binop(make)
        }
    }

    /// Like [`Self::binop_imm32`] for i64 operations: the constant must fit in an i32.
    fn binop_imm64(
        &mut self,
        make: fn(Slot, Slot, Slot) -> Op,
        imm: fn(Slot, Slot, i32) -> Op,
        commutes: bool,
    ) {
        let t = self.top();
        let fits = |e: Entry| matches!(e, Entry::Const(c) if c as i64 == c as i64 as i32 as i64);
        let (ea, eb) = (self.stack[t - 1], self.stack[t]);
        let pick = if fits(eb) && !matches!(ea, Entry::Const(_)) {
            Some(t - 1)
        } else if commutes && fits(ea) && !matches!(eb, Entry::Const(_)) {
            Some(t)
        } else {
            None
        };
        match pick {
            Some(other) => {
                let Entry::Const(c) = self.stack[if other == t { t - 1 } else { t }] else {
                    unreachable!()
                };
                let a = self.slot(other);
                self.pop();
                self.stack[t - 1] = Entry::Temp;
                self.emit_result(imm(self.own(t - 1), a, c as i64 as i32));
            }
            None => self.binop(make),
        }
    }

    fn load(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        memarg: wasmparser::MemArg,
    ) -> Result<(), CompileError> {
        self.check_memarg(memarg)?;
        let t = self.top();
        if memarg.offset == 0
            && self.stack[t] == Entry::Temp
            && self.last_result == Some(self.code.len() - 1)
        {
            // The address was just computed by an add into this temp: fuse it.
            let own = self.own(t);
            let wide = match make(0, 0, 0) {
                Op::I32Load { .. } => Some(false),
                Op::I64Load { .. } => Some(true),
                _ => None,
            };
            let fused = match (*self.code.last().expect("last_result names an instruction"), wide) {
                (Op::I32Add { dst, a, b }, Some(false)) if dst == own => {
                    Some(Op::I32LoadAdd { dst, a, b })
                }
                (Op::I32Add { dst, a, b }, Some(true)) if dst == own => {
                    Some(Op::I64LoadAdd { dst, a, b })
                }
                (Op::I32AddImm { dst, a, imm }, Some(false)) if dst == own => {
                    Some(Op::I32LoadAddImm { dst, a, imm })
                }
                (Op::I32AddImm { dst, a, imm }, Some(true)) if dst == own => {
                    Some(Op::I64LoadAddImm { dst, a, imm })
                }
                _ => None,
            };
            if let Some(op) = fused {
                self.code.pop();
                self.offsets.pop();
                self.emit_result(op);
                return Ok(());
            }
        }
        let addr = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(make(self.own(t), addr, memarg.offset as u32));
        Ok(())
    }

    fn store(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        memarg: wasmparser::MemArg,
    ) -> Result<(), CompileError> {
        self.check_memarg(memarg)?;
        let t = self.top();
        let value = self.slot(t);
        let addr = self.slot(t - 1);
        self.pop();
        self.pop();
        self.emit(make(addr, value, memarg.offset as u32));
        Ok(())
    }

    /// A store with a constant-value form `imm`: used when the value is a constant that
    /// fits (any constant for `narrow` stores, which keep only its low bits; else one that
    /// sign-extends from an i32).
    fn store_imm(
        &mut self,
        make: fn(Slot, Slot, u32) -> Op,
        imm: fn(Slot, i32, u32) -> Op,
        narrow: bool,
        memarg: wasmparser::MemArg,
    ) -> Result<(), CompileError> {
        let t = self.top();
        match self.stack[t] {
            Entry::Const(c) if narrow || c as i64 == c as i32 as i64 => {
                self.check_memarg(memarg)?;
                let addr = self.slot(t - 1);
                self.pop();
                self.pop();
                self.emit(imm(addr, c as i32, memarg.offset as u32));
                Ok(())
            }
            _ => self.store(make, memarg),
        }
    }

    fn check_memarg(&self, memarg: wasmparser::MemArg) -> Result<(), CompileError> {
        if memarg.target != wasmparser::MemArgTarget::Memory(0) || memarg.offset > u32::MAX as u64 {
            return Err(unsupported(self.offset, "multiple or 64-bit memories"));
        }
        Ok(())
    }

    /// Materializes the top `n` entries, pops them, and returns the base slot they were in.
    fn take_args(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let base = self.own(self.stack.len() - n);
        self.stack.truncate(self.stack.len() - n);
        base
    }

    fn push_temps(&mut self, n: usize) {
        for _ in 0..n {
            self.push(Entry::Temp);
        }
    }

    // ---------------------------------------------------------------- the operators

    fn op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        use Operator as O;
        if self.ctrls.last().is_some_and(|c| c.unreachable) {
            match op {
                O::Block { .. } | O::Loop { .. } | O::If { .. } => {
                    self.skip_depth += 1;
                    return Ok(());
                }
                O::End if self.skip_depth > 0 => {
                    self.skip_depth -= 1;
                    return Ok(());
                }
                O::Else if self.skip_depth > 0 => return Ok(()),
                O::Else | O::End => {}
                _ => return Ok(()),
            }
        }
        match op {
            O::Unreachable => {
                self.emit(Op::Unreachable);
                self.set_unreachable();
            }
            O::Nop => {}
            O::Block { blockty } => {
                self.push_ctrl(Kind::Block, blockty);
            }
            O::Loop { blockty } => {
                self.loop_depth += 1;
                let label = self.push_ctrl(Kind::Loop, blockty);
                self.bind(label);
                if self.interruptible {
                    self.emit(Op::CheckInterrupt);
                }
            }
            O::If { blockty } => {
                let (params, _) = self.block_arity(blockty);
                // Everything that must survive on both paths is settled before the branch.
                let len = self.stack.len();
                for i in 0..len - 1 {
                    if matches!(self.stack[i], Entry::Local(_)) || i >= len - 1 - params as usize {
                        self.materialize(i);
                    }
                }
                let branch = self.pop_cond(true);
                let else_label = self.new_label();
                self.emit_branch(branch, else_label);
                self.push_ctrl(Kind::If, blockty);
                self.ctrls.last_mut().expect("just pushed").else_label = Some(else_label);
            }
            O::Else => {
                let reachable = !self.ctrls.last().expect("validated").unreachable;
                if reachable {
                    let n = self.ctrls.last().expect("validated").results as usize;
                    self.materialize_top(n);
                    let label = self.ctrls.last().expect("validated").label;
                    self.emit_branch(Op::Br { target: 0 }, label);
                }
                let c = self.ctrls.last_mut().expect("validated");
                c.kind = Kind::Else;
                c.unreachable = false;
                let (h, p, el) = (c.height as usize, c.params as usize, c.else_label.take());
                if let Some(el) = el {
                    self.bind(el);
                }
                self.stack.truncate(h);
                self.push_temps(p);
            }
            O::End => {
                let reachable = !self.ctrls.last().expect("validated").unreachable;
                let c = self.ctrls.pop().expect("validated");
                if c.kind == Kind::Func {
                    if reachable {
                        self.emit_return();
                    }
                    self.bind(c.label);
                    return Ok(());
                }
                if reachable {
                    self.materialize_top(c.results as usize);
                }
                if c.kind == Kind::Loop {
                    self.loop_depth -= 1;
                }
                if let Some(el) = c.else_label {
                    self.bind(el);
                }
                if c.kind != Kind::Loop {
                    self.bind(c.label);
                }
                self.stack.truncate(c.height as usize);
                self.push_temps(c.results as usize);
            }
            O::Br { relative_depth } => {
                self.emit_br(relative_depth);
                self.set_unreachable();
            }
            O::BrIf { relative_depth } => {
                let c = &self.ctrls[self.ctrls.len() - 1 - relative_depth as usize];
                let (kind, n, h, label) =
                    (c.kind, c.branch_arity() as usize, c.height as usize, c.label);
                // Whether the branch needs copies is decided with the condition popped.
                let top = self.pop();
                let direct = kind != Kind::Func && !self.needs_copy(n, h);
                self.stack.push(top);
                if direct {
                    let branch = self.pop_cond(false);
                    self.emit_branch(branch, label);
                } else {
                    let branch = self.pop_cond(true);
                    let skip = self.new_label();
                    self.emit_branch(branch, skip);
                    self.emit_br(relative_depth);
                    self.bind(skip);
                }
            }
            O::BrTable { targets } => {
                let t = self.top();
                let index = self.slot(t);
                self.pop();
                let mut depths = Vec::with_capacity(targets.len() as usize + 1);
                for d in targets.targets() {
                    depths.push(d.map_err(CompileError::from_wasmparser)?);
                }
                depths.push(targets.default());
                self.emit(Op::BrTable { index, len: targets.len() });
                let mut stubs = Vec::new();
                for &d in &depths {
                    let c = &self.ctrls[self.ctrls.len() - 1 - d as usize];
                    let (kind, n, h, label) =
                        (c.kind, c.branch_arity() as usize, c.height as usize, c.label);
                    if kind != Kind::Func && !self.needs_copy(n, h) {
                        self.emit_branch(Op::Br { target: 0 }, label);
                    } else {
                        let stub = self.new_label();
                        self.emit_branch(Op::Br { target: 0 }, stub);
                        stubs.push((stub, d));
                    }
                }
                for (stub, d) in stubs {
                    self.bind(stub);
                    self.emit_br(d);
                }
                self.set_unreachable();
            }
            O::Return => {
                self.emit_return();
                self.set_unreachable();
            }
            O::Call { function_index } => {
                let ty = self.info.func_type(function_index);
                let (np, nr) = (ty.params().len(), ty.results().len());
                let base = self.take_args(np);
                if self.info.is_imported_func(function_index) {
                    self.emit(Op::CallImport { func: function_index, base });
                } else {
                    self.emit(Op::Call { func: function_index, base });
                }
                self.push_temps(nr);
            }
            O::CallIndirect { type_index, table_index } => {
                let ty = &self.info.types[type_index as usize];
                let (np, nr) = (ty.params().len(), ty.results().len());
                let base = self.take_args(np + 1);
                self.emit(Op::CallIndirect { table: table_index, ty: type_index, base });
                self.push_temps(nr);
            }
            O::Drop => {
                self.pop();
            }
            O::Select | O::TypedSelect { .. } => {
                let t = self.top();
                let cond = self.slot(t);
                let b = self.slot(t - 1);
                let a = self.slot(t - 2);
                self.pop();
                self.pop();
                self.stack[t - 2] = Entry::Temp;
                let dst = self.own(t - 2);
                self.emit(Op::Select { dst, a, b });
                self.emit(Op::Aux { slot: cond });
            }
            O::LocalGet { local_index } => self.push(Entry::Local(local_index)),
            O::LocalSet { local_index } | O::LocalTee { local_index } => {
                let tee = matches!(op, O::LocalTee { .. });
                let t = self.top();
                if self.stack[t] == Entry::Local(local_index) {
                    if !tee {
                        self.pop();
                    }
                    return Ok(());
                }
                let before = self.code.len();
                self.preserve_local(local_index, t);
                let retarget = self.code.len() == before
                    && self.stack[t] == Entry::Temp
                    && self.last_result == Some(self.code.len() - 1);
                if retarget {
                    let own = self.own(t);
                    let dst =
                        self.code.last_mut().and_then(Op::dst_mut).expect("last_result has a dst");
                    debug_assert_eq!(*dst, own);
                    *dst = local_index;
                    self.last_result = None;
                    if tee {
                        self.stack[t] = Entry::Local(local_index);
                    } else {
                        self.pop();
                    }
                } else {
                    match self.stack[t] {
                        Entry::Const(v) => self.emit_const(local_index, v),
                        e => {
                            let src = if let Entry::Local(x) = e { x } else { self.own(t) };
                            self.emit(Op::Copy { dst: local_index, src });
                        }
                    }
                    if !tee {
                        self.pop();
                    }
                }
            }
            O::GlobalGet { global_index } => {
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::GlobalGet { dst, global: global_index });
            }
            O::GlobalSet { global_index } => {
                let t = self.top();
                let src = self.slot(t);
                self.pop();
                self.emit(Op::GlobalSet { src, global: global_index });
            }
            O::TableGet { table } => {
                let t = self.top();
                let index = self.slot(t);
                self.stack[t] = Entry::Temp;
                self.emit_result(Op::TableGet { dst: self.own(t), index, table });
            }
            O::TableSet { table } => {
                let t = self.top();
                let value = self.slot(t);
                let index = self.slot(t - 1);
                self.pop();
                self.pop();
                self.emit(Op::TableSet { index, value, table });
            }
            O::TableSize { table } => {
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let base = self.take_args(2);
                self.emit(Op::TableGrow { base, table });
                self.push(Entry::Temp);
            }
            O::TableFill { table } => {
                let base = self.take_args(3);
                self.emit(Op::TableFill { base, table });
            }
            O::TableCopy { dst_table, src_table } => {
                let base = self.take_args(3);
                self.emit(Op::TableCopy { base, dst_table, src_table });
            }
            O::TableInit { elem_index, table } => {
                let base = self.take_args(3);
                self.emit(Op::TableInit { base, table, segment: elem_index });
            }
            O::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop { segment: elem_index });
            }

            O::I32Load { memarg } | O::F32Load { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load { dst, addr, offset }, memarg)?
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load { dst, addr, offset }, memarg)?
            }
            O::I32Load8S { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load8S { dst, addr, offset }, memarg)?
            }
            O::I32Load8U { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load8U { dst, addr, offset }, memarg)?
            }
            O::I32Load16S { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load16S { dst, addr, offset }, memarg)?
            }
            O::I32Load16U { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load16U { dst, addr, offset }, memarg)?
            }
            O::I64Load8S { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load8S { dst, addr, offset }, memarg)?
            }
            O::I64Load8U { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load8U { dst, addr, offset }, memarg)?
            }
            O::I64Load16S { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load16S { dst, addr, offset }, memarg)?
            }
            O::I64Load16U { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load16U { dst, addr, offset }, memarg)?
            }
            O::I64Load32S { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load32S { dst, addr, offset }, memarg)?
            }
            O::I64Load32U { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load32U { dst, addr, offset }, memarg)?
            }
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => self
                .store_imm(
                    |addr, value, offset| Op::I32Store { addr, value, offset },
                    |addr, value, offset| Op::I32StoreImm { addr, value, offset },
                    true,
                    memarg,
                )?,
            O::I64Store { memarg } | O::F64Store { memarg } => self.store_imm(
                |addr, value, offset| Op::I64Store { addr, value, offset },
                |addr, value, offset| Op::I64StoreImm { addr, value, offset },
                false,
                memarg,
            )?,
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => self.store_imm(
                |addr, value, offset| Op::I32Store8 { addr, value, offset },
                |addr, value, offset| Op::I32Store8Imm { addr, value, offset },
                true,
                memarg,
            )?,
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => self.store_imm(
                |addr, value, offset| Op::I32Store16 { addr, value, offset },
                |addr, value, offset| Op::I32Store16Imm { addr, value, offset },
                true,
                memarg,
            )?,
            O::MemorySize { mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::MemorySize { dst });
            }
            O::MemoryGrow { mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let t = self.top();
                let delta = self.slot(t);
                self.stack[t] = Entry::Temp;
                self.emit_result(Op::MemoryGrow { dst: self.own(t), delta });
            }
            O::MemoryFill { mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let base = self.take_args(3);
                self.emit(Op::MemoryFill { base });
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                if dst_mem != 0 || src_mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let base = self.take_args(3);
                self.emit(Op::MemoryCopy { base });
            }
            O::MemoryInit { data_index, mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let base = self.take_args(3);
                self.emit(Op::MemoryInit { base, segment: data_index });
            }
            O::DataDrop { data_index } => {
                self.emit(Op::DataDrop { segment: data_index });
            }

            O::I32Const { value } => self.push(Entry::Const(value as u32 as u64)),
            O::I64Const { value } => self.push(Entry::Const(value as u64)),
            O::F32Const { value } => self.push(Entry::Const(value.bits() as u64)),
            O::F64Const { value } => self.push(Entry::Const(value.bits())),
            O::RefNull { .. } => self.push(Entry::Const(0)),
            O::RefIsNull => self.unop(|dst, src| Op::I64Eqz { dst, src }),
            O::RefFunc { function_index } => {
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::RefFunc { dst, func: function_index });
            }

            O::I32Eqz => self.unop(|dst, src| Op::I32Eqz { dst, src }),
            O::I32Eq => self.binop_imm32(
                |dst, a, b| Op::I32Eq { dst, a, b },
                |dst, a, imm| Op::I32EqImm { dst, a, imm },
                true,
            ),
            O::I32Ne => self.binop_imm32(
                |dst, a, b| Op::I32Ne { dst, a, b },
                |dst, a, imm| Op::I32NeImm { dst, a, imm },
                true,
            ),
            O::I32LtS => self.binop_imm32(
                |dst, a, b| Op::I32LtS { dst, a, b },
                |dst, a, imm| Op::I32LtSImm { dst, a, imm },
                false,
            ),
            O::I32LtU => self.binop_imm32(
                |dst, a, b| Op::I32LtU { dst, a, b },
                |dst, a, imm| Op::I32LtUImm { dst, a, imm },
                false,
            ),
            O::I32GtS => self.binop_imm32(
                |dst, a, b| Op::I32GtS { dst, a, b },
                |dst, a, imm| Op::I32GtSImm { dst, a, imm },
                false,
            ),
            O::I32GtU => self.binop_imm32(
                |dst, a, b| Op::I32GtU { dst, a, b },
                |dst, a, imm| Op::I32GtUImm { dst, a, imm },
                false,
            ),
            O::I32LeS => self.binop_imm32(
                |dst, a, b| Op::I32LeS { dst, a, b },
                |dst, a, imm| Op::I32LeSImm { dst, a, imm },
                false,
            ),
            O::I32LeU => self.binop_imm32(
                |dst, a, b| Op::I32LeU { dst, a, b },
                |dst, a, imm| Op::I32LeUImm { dst, a, imm },
                false,
            ),
            O::I32GeS => self.binop_imm32(
                |dst, a, b| Op::I32GeS { dst, a, b },
                |dst, a, imm| Op::I32GeSImm { dst, a, imm },
                false,
            ),
            O::I32GeU => self.binop_imm32(
                |dst, a, b| Op::I32GeU { dst, a, b },
                |dst, a, imm| Op::I32GeUImm { dst, a, imm },
                false,
            ),
            O::I32Clz => self.unop(|dst, src| Op::I32Clz { dst, src }),
            O::I32Ctz => self.unop(|dst, src| Op::I32Ctz { dst, src }),
            O::I32Popcnt => self.unop(|dst, src| Op::I32Popcnt { dst, src }),
            O::I32Add => self.binop_imm32(
                |dst, a, b| Op::I32Add { dst, a, b },
                |dst, a, imm| Op::I32AddImm { dst, a, imm },
                true,
            ),
            O::I32Sub => {
                let t = self.top();
                if let (Entry::Const(c), false) =
                    (self.stack[t], matches!(self.stack[t - 1], Entry::Const(_)))
                {
                    self.stack[t] = Entry::Const((c as u32).wrapping_neg() as u64);
                    self.binop_imm32(
                        |dst, a, b| Op::I32Add { dst, a, b },
                        |dst, a, imm| Op::I32AddImm { dst, a, imm },
                        false,
                    )
                } else {
                    self.binop(|dst, a, b| Op::I32Sub { dst, a, b })
                }
            }
            O::I32Mul => self.binop_imm32(
                |dst, a, b| Op::I32Mul { dst, a, b },
                |dst, a, imm| Op::I32MulImm { dst, a, imm },
                true,
            ),
            O::I32DivS => self.binop(|dst, a, b| Op::I32DivS { dst, a, b }),
            O::I32DivU => self.binop(|dst, a, b| Op::I32DivU { dst, a, b }),
            O::I32RemS => self.binop(|dst, a, b| Op::I32RemS { dst, a, b }),
            O::I32RemU => self.binop(|dst, a, b| Op::I32RemU { dst, a, b }),
            O::I32And => self.binop_imm32(
                |dst, a, b| Op::I32And { dst, a, b },
                |dst, a, imm| Op::I32AndImm { dst, a, imm },
                true,
            ),
            O::I32Or => self.binop_imm32(
                |dst, a, b| Op::I32Or { dst, a, b },
                |dst, a, imm| Op::I32OrImm { dst, a, imm },
                true,
            ),
            O::I32Xor => self.binop_imm32(
                |dst, a, b| Op::I32Xor { dst, a, b },
                |dst, a, imm| Op::I32XorImm { dst, a, imm },
                true,
            ),
            O::I32Shl => self.binop_imm32(
                |dst, a, b| Op::I32Shl { dst, a, b },
                |dst, a, imm| Op::I32ShlImm { dst, a, imm },
                false,
            ),
            O::I32ShrS => self.binop_imm32(
                |dst, a, b| Op::I32ShrS { dst, a, b },
                |dst, a, imm| Op::I32ShrSImm { dst, a, imm },
                false,
            ),
            O::I32ShrU => self.binop_imm32(
                |dst, a, b| Op::I32ShrU { dst, a, b },
                |dst, a, imm| Op::I32ShrUImm { dst, a, imm },
                false,
            ),
            O::I32Rotl => self.rotate(
                32,
                false,
                |dst, a, b| Op::I32Rotl { dst, a, b },
                |dst, a, imm| Op::I32RotlImm { dst, a, imm },
            ),
            O::I32Rotr => self.rotate(
                32,
                true,
                |dst, a, b| Op::I32Rotr { dst, a, b },
                |dst, a, imm| Op::I32RotlImm { dst, a, imm },
            ),

            O::I64Eqz => self.unop(|dst, src| Op::I64Eqz { dst, src }),
            O::I64Eq => self.binop_imm64(
                |dst, a, b| Op::I64Eq { dst, a, b },
                |dst, a, imm| Op::I64EqImm { dst, a, imm },
                true,
            ),
            O::I64Ne => self.binop_imm64(
                |dst, a, b| Op::I64Ne { dst, a, b },
                |dst, a, imm| Op::I64NeImm { dst, a, imm },
                true,
            ),
            O::I64LtS => self.binop_imm64(
                |dst, a, b| Op::I64LtS { dst, a, b },
                |dst, a, imm| Op::I64LtSImm { dst, a, imm },
                false,
            ),
            O::I64LtU => self.binop_imm64(
                |dst, a, b| Op::I64LtU { dst, a, b },
                |dst, a, imm| Op::I64LtUImm { dst, a, imm },
                false,
            ),
            O::I64GtS => self.binop_imm64(
                |dst, a, b| Op::I64GtS { dst, a, b },
                |dst, a, imm| Op::I64GtSImm { dst, a, imm },
                false,
            ),
            O::I64GtU => self.binop_imm64(
                |dst, a, b| Op::I64GtU { dst, a, b },
                |dst, a, imm| Op::I64GtUImm { dst, a, imm },
                false,
            ),
            O::I64LeS => self.binop_imm64(
                |dst, a, b| Op::I64LeS { dst, a, b },
                |dst, a, imm| Op::I64LeSImm { dst, a, imm },
                false,
            ),
            O::I64LeU => self.binop_imm64(
                |dst, a, b| Op::I64LeU { dst, a, b },
                |dst, a, imm| Op::I64LeUImm { dst, a, imm },
                false,
            ),
            O::I64GeS => self.binop_imm64(
                |dst, a, b| Op::I64GeS { dst, a, b },
                |dst, a, imm| Op::I64GeSImm { dst, a, imm },
                false,
            ),
            O::I64GeU => self.binop_imm64(
                |dst, a, b| Op::I64GeU { dst, a, b },
                |dst, a, imm| Op::I64GeUImm { dst, a, imm },
                false,
            ),
            O::I64Clz => self.unop(|dst, src| Op::I64Clz { dst, src }),
            O::I64Ctz => self.unop(|dst, src| Op::I64Ctz { dst, src }),
            O::I64Popcnt => self.unop(|dst, src| Op::I64Popcnt { dst, src }),
            O::I64Add => self.binop_imm64(
                |dst, a, b| Op::I64Add { dst, a, b },
                |dst, a, imm| Op::I64AddImm { dst, a, imm },
                true,
            ),
            O::I64Sub => {
                let t = self.top();
                match (self.stack[t], self.stack[t - 1]) {
                    (Entry::Const(c), a)
                        if !matches!(a, Entry::Const(_)) && c as i64 != i64::MIN =>
                    {
                        self.stack[t] = Entry::Const((c as i64).wrapping_neg() as u64);
                        self.binop_imm64(
                            |dst, a, b| Op::I64Add { dst, a, b },
                            |dst, a, imm| Op::I64AddImm { dst, a, imm },
                            false,
                        )
                    }
                    _ => self.binop(|dst, a, b| Op::I64Sub { dst, a, b }),
                }
            }
            O::I64Mul => self.binop_imm64(
                |dst, a, b| Op::I64Mul { dst, a, b },
                |dst, a, imm| Op::I64MulImm { dst, a, imm },
                true,
            ),
            O::I64DivS => self.binop(|dst, a, b| Op::I64DivS { dst, a, b }),
            O::I64DivU => self.binop(|dst, a, b| Op::I64DivU { dst, a, b }),
            O::I64RemS => self.binop(|dst, a, b| Op::I64RemS { dst, a, b }),
            O::I64RemU => self.binop(|dst, a, b| Op::I64RemU { dst, a, b }),
            O::I64And => self.binop_imm64(
                |dst, a, b| Op::I64And { dst, a, b },
                |dst, a, imm| Op::I64AndImm { dst, a, imm },
                true,
            ),
            O::I64Or => self.binop_imm64(
                |dst, a, b| Op::I64Or { dst, a, b },
                |dst, a, imm| Op::I64OrImm { dst, a, imm },
                true,
            ),
            O::I64Xor => self.binop_imm64(
                |dst, a, b| Op::I64Xor { dst, a, b },
                |dst, a, imm| Op::I64XorImm { dst, a, imm },
                true,
            ),
            O::I64Shl => self.binop_imm64(
                |dst, a, b| Op::I64Shl { dst, a, b },
                |dst, a, imm| Op::I64ShlImm { dst, a, imm },
                false,
            ),
            O::I64ShrS => self.binop_imm64(
                |dst, a, b| Op::I64ShrS { dst, a, b },
                |dst, a, imm| Op::I64ShrSImm { dst, a, imm },
                false,
            ),
            O::I64ShrU => self.binop_imm64(
                |dst, a, b| Op::I64ShrU { dst, a, b },
                |dst, a, imm| Op::I64ShrUImm { dst, a, imm },
                false,
            ),
            O::I64Rotl => self.rotate(
                64,
                false,
                |dst, a, b| Op::I64Rotl { dst, a, b },
                |dst, a, imm| Op::I64RotlImm { dst, a, imm },
            ),
            O::I64Rotr => self.rotate(
                64,
                true,
                |dst, a, b| Op::I64Rotr { dst, a, b },
                |dst, a, imm| Op::I64RotlImm { dst, a, imm },
            ),

            O::F32Eq => self.binop(|dst, a, b| Op::F32Eq { dst, a, b }),
            O::F32Ne => self.binop(|dst, a, b| Op::F32Ne { dst, a, b }),
            O::F32Lt => self.binop(|dst, a, b| Op::F32Lt { dst, a, b }),
            O::F32Gt => self.binop(|dst, a, b| Op::F32Gt { dst, a, b }),
            O::F32Le => self.binop(|dst, a, b| Op::F32Le { dst, a, b }),
            O::F32Ge => self.binop(|dst, a, b| Op::F32Ge { dst, a, b }),
            O::F32Abs => self.unop(|dst, src| Op::F32Abs { dst, src }),
            O::F32Neg => self.unop(|dst, src| Op::F32Neg { dst, src }),
            O::F32Ceil => self.unop(|dst, src| Op::F32Ceil { dst, src }),
            O::F32Floor => self.unop(|dst, src| Op::F32Floor { dst, src }),
            O::F32Trunc => self.unop(|dst, src| Op::F32Trunc { dst, src }),
            O::F32Nearest => self.unop(|dst, src| Op::F32Nearest { dst, src }),
            O::F32Sqrt => self.unop(|dst, src| Op::F32Sqrt { dst, src }),
            O::F32Add => self.binop(|dst, a, b| Op::F32Add { dst, a, b }),
            O::F32Sub => self.binop(|dst, a, b| Op::F32Sub { dst, a, b }),
            O::F32Mul => self.binop(|dst, a, b| Op::F32Mul { dst, a, b }),
            O::F32Div => self.binop(|dst, a, b| Op::F32Div { dst, a, b }),
            O::F32Min => self.binop(|dst, a, b| Op::F32Min { dst, a, b }),
            O::F32Max => self.binop(|dst, a, b| Op::F32Max { dst, a, b }),
            O::F32Copysign => self.binop(|dst, a, b| Op::F32Copysign { dst, a, b }),

            O::F64Eq => self.binop(|dst, a, b| Op::F64Eq { dst, a, b }),
            O::F64Ne => self.binop(|dst, a, b| Op::F64Ne { dst, a, b }),
            O::F64Lt => self.binop(|dst, a, b| Op::F64Lt { dst, a, b }),
            O::F64Gt => self.binop(|dst, a, b| Op::F64Gt { dst, a, b }),
            O::F64Le => self.binop(|dst, a, b| Op::F64Le { dst, a, b }),
            O::F64Ge => self.binop(|dst, a, b| Op::F64Ge { dst, a, b }),
            O::F64Abs => self.unop(|dst, src| Op::F64Abs { dst, src }),
            O::F64Neg => self.unop(|dst, src| Op::F64Neg { dst, src }),
            O::F64Ceil => self.unop(|dst, src| Op::F64Ceil { dst, src }),
            O::F64Floor => self.unop(|dst, src| Op::F64Floor { dst, src }),
            O::F64Trunc => self.unop(|dst, src| Op::F64Trunc { dst, src }),
            O::F64Nearest => self.unop(|dst, src| Op::F64Nearest { dst, src }),
            O::F64Sqrt => self.unop(|dst, src| Op::F64Sqrt { dst, src }),
            O::F64Add => self.binop(|dst, a, b| Op::F64Add { dst, a, b }),
            O::F64Sub => self.binop(|dst, a, b| Op::F64Sub { dst, a, b }),
            O::F64Mul => self.binop(|dst, a, b| Op::F64Mul { dst, a, b }),
            O::F64Div => self.binop(|dst, a, b| Op::F64Div { dst, a, b }),
            O::F64Min => self.binop(|dst, a, b| Op::F64Min { dst, a, b }),
            O::F64Max => self.binop(|dst, a, b| Op::F64Max { dst, a, b }),
            O::F64Copysign => self.binop(|dst, a, b| Op::F64Copysign { dst, a, b }),

            // Value-preserving at the bit level in the slot representation.
            O::I32WrapI64
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64 => {}
            O::I32TruncF32S => self.unop(|dst, src| Op::I32TruncF32S { dst, src }),
            O::I32TruncF32U => self.unop(|dst, src| Op::I32TruncF32U { dst, src }),
            O::I32TruncF64S => self.unop(|dst, src| Op::I32TruncF64S { dst, src }),
            O::I32TruncF64U => self.unop(|dst, src| Op::I32TruncF64U { dst, src }),
            O::I64ExtendI32S => self.unop(|dst, src| Op::I64ExtendI32S { dst, src }),
            O::I64ExtendI32U => self.unop(|dst, src| Op::I64ExtendI32U { dst, src }),
            O::I64TruncF32S => self.unop(|dst, src| Op::I64TruncF32S { dst, src }),
            O::I64TruncF32U => self.unop(|dst, src| Op::I64TruncF32U { dst, src }),
            O::I64TruncF64S => self.unop(|dst, src| Op::I64TruncF64S { dst, src }),
            O::I64TruncF64U => self.unop(|dst, src| Op::I64TruncF64U { dst, src }),
            O::F32ConvertI32S => self.unop(|dst, src| Op::F32ConvertI32S { dst, src }),
            O::F32ConvertI32U => self.unop(|dst, src| Op::F32ConvertI32U { dst, src }),
            O::F32ConvertI64S => self.unop(|dst, src| Op::F32ConvertI64S { dst, src }),
            O::F32ConvertI64U => self.unop(|dst, src| Op::F32ConvertI64U { dst, src }),
            O::F32DemoteF64 => self.unop(|dst, src| Op::F32DemoteF64 { dst, src }),
            O::F64ConvertI32S => self.unop(|dst, src| Op::F64ConvertI32S { dst, src }),
            O::F64ConvertI32U => self.unop(|dst, src| Op::F64ConvertI32U { dst, src }),
            O::F64ConvertI64S => self.unop(|dst, src| Op::F64ConvertI64S { dst, src }),
            O::F64ConvertI64U => self.unop(|dst, src| Op::F64ConvertI64U { dst, src }),
            O::F64PromoteF32 => self.unop(|dst, src| Op::F64PromoteF32 { dst, src }),
            O::I32Extend8S => self.unop(|dst, src| Op::I32Extend8S { dst, src }),
            O::I32Extend16S => self.unop(|dst, src| Op::I32Extend16S { dst, src }),
            O::I64Extend8S => self.unop(|dst, src| Op::I64Extend8S { dst, src }),
            O::I64Extend16S => self.unop(|dst, src| Op::I64Extend16S { dst, src }),
            O::I64Extend32S => self.unop(|dst, src| Op::I64Extend32S { dst, src }),
            O::I32TruncSatF32S => self.unop(|dst, src| Op::I32TruncSatF32S { dst, src }),
            O::I32TruncSatF32U => self.unop(|dst, src| Op::I32TruncSatF32U { dst, src }),
            O::I32TruncSatF64S => self.unop(|dst, src| Op::I32TruncSatF64S { dst, src }),
            O::I32TruncSatF64U => self.unop(|dst, src| Op::I32TruncSatF64U { dst, src }),
            O::I64TruncSatF32S => self.unop(|dst, src| Op::I64TruncSatF32S { dst, src }),
            O::I64TruncSatF32U => self.unop(|dst, src| Op::I64TruncSatF32U { dst, src }),
            O::I64TruncSatF64S => self.unop(|dst, src| Op::I64TruncSatF64S { dst, src }),
            O::I64TruncSatF64U => self.unop(|dst, src| Op::I64TruncSatF64U { dst, src }),
            other => {
                return Err(unsupported(self.offset, format_args!("the instruction {other:?}")));
            }
        }
        Ok(())
    }
}
