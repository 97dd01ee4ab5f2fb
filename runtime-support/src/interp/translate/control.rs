//! Control frames, labels and branches.
//!
//! Every open block, loop, `if` and the function body itself has a [`Ctrl`] frame, and
//! every frame a [`Label`] that branches to it jump to (a loop's label is its head, any other
//! frame's label its end). A label is bound to one position once; a branch to a label not
//! bound yet is recorded in its `patches` and patched when it is bound.
//!
//! Invariants: a frame's `height` is the operand-stack height at its entry, below its
//! parameters. At a branch to a frame, the branch's values (the loop's parameters, else the
//! frame's results) are first copied to the slots of stack heights `height..`, so every
//! path into a label leaves them in the same slots. Once a frame's code is unreachable
//! (after `br`, `return`, `unreachable`, ...), its stack is cut back to its height and
//! nothing is emitted until its `else` or `end`. A branch to the function frame is a
//! return.

use super::super::fuse::{fuse_compare, fuse_eqz_compare, negate_branch};
use super::Translator;
use super::stack::{Entry, width};
use crate::error::CompileError;
use crate::interp::ir::{Op, Slot};
use crate::types::ValType;
use wasmparser::{BlockType, BrTable};

/// What kind of construct a control frame is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
    /// A `try_table` (a block to branches; its region catches).
    TryTable,
    /// A legacy `try`'s body.
    Try,
    /// A legacy `try`'s `catch` or `catch_all` block.
    Catch,
}

/// A branch target: bound to an instruction index, or still waiting for one.
#[derive(Default)]
pub(super) struct Label {
    pub(super) pc: Option<u32>,
    pub(super) patches: Vec<u32>,
}

/// One open block, loop, `if`/`else` or the function body, with its parameter and result
/// types.
pub(super) struct Ctrl<'a> {
    pub(super) kind: Kind,
    pub(super) height: u32,
    pub(super) params: &'a [ValType],
    pub(super) results: &'a [ValType],
    pub(super) label: usize,
    pub(super) else_label: Option<usize>,
    pub(super) unreachable: bool,
    /// The handler region of a `try_table` or legacy `try` (by opening number).
    pub(super) region: Option<usize>,
    /// A legacy `try`'s exception slot (see [`super::exceptions`]).
    pub(super) exn_slot: Slot,
}

impl Ctrl<'_> {
    pub(super) fn branch_arity(&self) -> u32 {
        (if self.kind == Kind::Loop { self.params } else { self.results }).len() as u32
    }
}

/// A one-value type list of `ty` (a block type's single result).
fn single(ty: wasmparser::ValType) -> &'static [ValType] {
    use wasmparser::ValType as W;
    match ty {
        W::I32 => &[ValType::I32],
        W::I64 => &[ValType::I64],
        W::F32 => &[ValType::F32],
        W::F64 => &[ValType::F64],
        W::V128 => &[ValType::V128],
        // Only the slot width of a reference matters here: one slot, whatever its type.
        W::Ref(_) => &[ValType::FUNCREF],
    }
}

impl<'a> Translator<'a> {
    pub(super) fn new_label(&mut self) -> usize {
        self.labels.push(Label::default());
        self.labels.len() - 1
    }

    pub(super) fn bind(&mut self, label: usize) {
        let pc = self.code.len() as u32;
        let patches = std::mem::take(&mut self.labels[label].patches);
        for p in patches {
            self.set_target(p as usize, pc);
        }
        self.labels[label].pc = Some(pc);
        self.last_result = None;
        self.last_bind = Some(pc as usize);
    }

    pub(super) fn set_target(&mut self, at: usize, pc: u32) {
        match self.code[at].target_mut() {
            Some(target) => *target = pc,
            None => unreachable!("patching a non-branch {:?}", self.code[at]),
        }
    }

    /// Emits a branch-type instruction whose target is `label`.
    pub(super) fn emit_branch(&mut self, op: Op, label: usize) {
        let at = self.emit(op);
        match self.labels[label].pc {
            Some(pc) => self.set_target(at, pc),
            None => self.labels[label].patches.push(at as u32),
        }
    }

    /// Emits the function return: results to the slots from 0 up, then `Return`.
    pub(super) fn emit_return(&mut self) {
        let n = self.func_results as usize;
        let len = self.stack.len();
        let result_slots: Slot = (len - n..len).map(|h| width(self.stack.wide(h))).sum();
        for i in len - n..len {
            if matches!(self.stack[i], Entry::Local(x) if x < result_slots) {
                self.materialize(i);
            }
        }
        let mut dst: Slot = 0;
        for h in len - n..len {
            let wide = self.stack.wide(h);
            match self.stack[h] {
                Entry::Temp => self.emit_copy(dst, self.own(h), wide),
                Entry::Local(x) => {
                    if x != dst {
                        self.emit_copy(dst, x, wide);
                    }
                }
                Entry::Const(v) => self.emit_const(dst, v),
            }
            dst += width(wide);
        }
        if self.checks.listeners {
            self.emit(Op::ListenerAfter);
        }
        self.emit(Op::Return);
    }

    /// Pops the i32 branch condition on top of the stack and returns the branch that jumps
    /// when it is non-zero (or zero, with `negate`). When the instruction just emitted
    /// computed the condition with an i32 comparison, that instruction is replaced by a
    /// fused compare-and-branch.
    pub(super) fn pop_cond(&mut self, negate: bool) -> Op {
        let t = self.top();
        if self.stack[t] == Entry::Temp && self.last_result == Some(self.code.len() - 1) {
            let last = *self.code.last().expect("last_result names an instruction");
            let own = self.own(t);
            let writes_cond = last.dst() == Some(own);
            // `eqz` of a comparison just made into the same temp (no branch lands between
            // them): test the comparison itself, with the opposite sense.
            let len = self.code.len();
            if let (true, Op::I32Eqz { src, .. }, true) =
                (writes_cond, last, len >= 2 && self.last_bind != Some(len - 1))
            {
                let prev = self.code[len - 2];
                let prev_writes_src = src == own && prev.dst() == Some(own);
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
    pub(super) fn emit_br(&mut self, depth: u32) {
        let saved = self.stack.clone();
        self.emit_br_from(depth);
        self.stack = saved;
    }

    /// [`Self::emit_br`] without restoring the operand stack's state.
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
    pub(super) fn rotate_loop(&mut self, loop_label: usize) -> bool {
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

    pub(super) fn set_unreachable(&mut self) {
        let c = self.ctrls.last_mut().expect("a control frame is open");
        c.unreachable = true;
        let h = c.height as usize;
        self.stack.truncate(h);
    }

    /// The parameter and result types of block type `bt`.
    pub(super) fn block_types(&self, bt: BlockType) -> (&'a [ValType], &'a [ValType]) {
        match bt {
            BlockType::Empty => (&[], &[]),
            BlockType::Type(t) => (&[], single(t)),
            BlockType::FuncType(t) => {
                let ft = &self.info.types[t as usize];
                (ft.params(), ft.results())
            }
        }
    }

    pub(super) fn push_ctrl(&mut self, kind: Kind, bt: BlockType) -> usize {
        let (params, results) = self.block_types(bt);
        self.materialize_locals();
        self.materialize_top(params.len());
        let label = self.new_label();
        self.ctrls.push(Ctrl {
            kind,
            height: (self.stack.len() - params.len()) as u32,
            params,
            results,
            label,
            else_label: None,
            unreachable: false,
            region: None,
            exn_slot: 0,
        });
        label
    }
}

/// The branch operators.
impl Translator<'_> {
    /// `br`.
    pub(super) fn br(&mut self, relative_depth: u32) {
        self.emit_br(relative_depth);
        self.set_unreachable();
    }

    /// `br_if`: a conditional branch straight to the label when no values need copying,
    /// else a branch around an unconditional one that copies them.
    pub(super) fn br_if(&mut self, relative_depth: u32) {
        let c = &self.ctrls[self.ctrls.len() - 1 - relative_depth as usize];
        let (kind, n, h, label) = (c.kind, c.branch_arity() as usize, c.height as usize, c.label);
        // Whether the branch needs copies is decided with the condition popped.
        let (top, wide) = self.stack.pop().expect("validated: a condition");
        let direct = kind != Kind::Func && !self.needs_copy(n, h);
        self.push_typed(top, wide);
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

    /// `br_table`: a `BrTable` followed by one `Br` per target (default last); a target
    /// whose values need copying gets a stub after the table that copies them and branches.
    ///
    /// # Errors
    /// A malformed target list.
    pub(super) fn br_table(&mut self, targets: BrTable<'_>) -> Result<(), CompileError> {
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
        Ok(())
    }

    /// `return`.
    pub(super) fn return_(&mut self) {
        self.emit_return();
        self.set_unreachable();
    }
}

// ---- WebAssembly 3.0: typed function references ----
impl Translator<'_> {
    /// Pushes an i32 temp that is 1 when the reference on top of the stack (below it) is
    /// null, and returns the branch (from [`Self::pop_cond`]) that jumps when it is non-zero
    /// (or zero, with `negate`).
    fn null_test(&mut self, negate: bool) -> Op {
        let t = self.top();
        let r = self.slot(t);
        let cond = self.push_temp(ValType::I32);
        self.emit_result(Op::I64Eqz { dst: cond, src: r });
        self.pop_cond(negate)
    }

    /// `br_on_null`: branches to the label, without the reference, when the reference on
    /// top is null; else goes on with it.
    pub(super) fn br_on_null(&mut self, relative_depth: u32) {
        let when_non_null = self.null_test(true);
        let skip = self.new_label();
        self.emit_branch(when_non_null, skip);
        let (e, wide) = self.stack.pop().expect("validated: a reference");
        self.emit_br(relative_depth);
        self.push_typed(e, wide);
        self.bind(skip);
    }

    /// `br_on_non_null`: branches to the label, with the reference, when the reference on
    /// top is not null; else drops it and goes on.
    pub(super) fn br_on_non_null(&mut self, relative_depth: u32) {
        let when_null = self.null_test(false);
        let skip = self.new_label();
        self.emit_branch(when_null, skip);
        self.emit_br(relative_depth);
        self.bind(skip);
        self.pop();
    }

    /// `ref.as_non_null`: traps when the reference on top is null.
    pub(super) fn ref_as_non_null(&mut self) {
        let t = self.top();
        let src = self.slot(t);
        self.emit(Op::RefAsNonNull { src });
    }
}
