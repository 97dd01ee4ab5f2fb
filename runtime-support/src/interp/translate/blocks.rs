//! The structured-control operators: `block`, `loop`, `if`, `else` and `end`.
//!
//! Invariants: on entry to a block every operand-stack entry that aliases a local is
//! materialized and the block's parameters are in their own slots (see
//! [`Translator::push_ctrl`]), and at its `else` and `end` its results are in their own
//! slots; so the code on either side of a block boundary agrees on where every value is,
//! whichever path reached it. An `if` settles everything that must survive on both paths
//! before its branch.

use super::Translator;
use super::control::Kind;
use super::stack::Entry;
use crate::interp::ir::Op;
use wasmparser::BlockType;

impl Translator<'_> {
    /// `block`.
    pub(super) fn block(&mut self, blockty: BlockType) {
        self.push_ctrl(Kind::Block, blockty);
    }

    /// `loop`: its label is bound at its head (followed by the interruption and fuel checks
    /// the module is translated with).
    pub(super) fn loop_(&mut self, blockty: BlockType) {
        self.loop_depth += 1;
        let label = self.push_ctrl(Kind::Loop, blockty);
        self.bind(label);
        self.emit_checks();
    }

    /// The checks of a function entry or loop header (see [`super::super::Checks`]).
    pub(super) fn emit_checks(&mut self) {
        if self.checks.interruption {
            self.emit(Op::CheckInterrupt);
        }
        if self.checks.fuel {
            self.emit(Op::CheckFuel);
        }
    }

    /// `if`: a branch to the `else` part (or the end) when the condition is zero.
    pub(super) fn if_(&mut self, blockty: BlockType) {
        let params = self.block_types(blockty).0.len();
        // Everything that must survive on both paths is settled before the branch.
        let len = self.stack.len();
        for i in 0..len - 1 {
            if matches!(self.stack[i], Entry::Local(_)) || i >= len - 1 - params {
                self.materialize(i);
            }
        }
        let branch = self.pop_cond(true);
        let else_label = self.new_label();
        self.emit_branch(branch, else_label);
        self.push_ctrl(Kind::If, blockty);
        self.ctrls.last_mut().expect("just pushed").else_label = Some(else_label);
    }

    /// `else`: the `then` part jumps to the end; the `else` part starts with the `if`'s
    /// parameters back in their slots.
    pub(super) fn else_(&mut self) {
        let reachable = !self.ctrls.last().expect("validated").unreachable;
        if reachable {
            let n = self.ctrls.last().expect("validated").results.len();
            self.materialize_top(n);
            let label = self.ctrls.last().expect("validated").label;
            self.emit_branch(Op::Br { target: 0 }, label);
        }
        let c = self.ctrls.last_mut().expect("validated");
        c.kind = Kind::Else;
        c.unreachable = false;
        let (h, p, el) = (c.height as usize, c.params, c.else_label.take());
        if let Some(el) = el {
            self.bind(el);
        }
        self.stack.truncate(h);
        self.push_temps(p);
    }

    /// `end`: closes the innermost frame (the function body's returns).
    pub(super) fn end(&mut self) {
        let reachable = !self.ctrls.last().expect("validated").unreachable;
        let c = self.ctrls.pop().expect("validated");
        if c.kind == Kind::Func {
            if reachable {
                self.emit_return();
            }
            self.bind(c.label);
            return;
        }
        if reachable {
            self.materialize_top(c.results.len());
        }
        self.end_region(c.kind, c.region);
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
        self.push_temps(c.results);
    }
}
