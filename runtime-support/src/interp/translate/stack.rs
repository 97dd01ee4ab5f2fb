//! The operand-stack model.
//!
//! Each wasm operand-stack position `h` has its own frame slot, `stack_base + h`
//! ([`Translator::own`]), but a value need not be there: its [`Entry`] says where it is.
//!
//! Invariants: a `Temp` entry's value is in its own slot. A `Local(x)` entry's value is
//! local `x`'s current value: such an entry is copied into its own slot before local `x` is
//! written ([`Translator::preserve_local`]) and at every block boundary
//! ([`Translator::materialize_locals`]), so no path observes a stale alias. A `Const` entry
//! has no slot until an instruction needs one ([`Translator::slot`]): it then gets its
//! constant slot (filled once per call, when a first pass asked for one) or is materialized
//! into its own slot. The entries a block hands over at its boundaries are all `Temp`, so
//! every path into a label leaves its values in the same slots.

use super::Translator;
use crate::interp::ir::{Op, Slot};

/// The most constants one function keeps in slots of their own (each costs a store per call).
const MAX_CONST_SLOTS: usize = 32;

/// Where the value of one operand-stack entry is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Entry {
    Temp,
    Local(u32),
    Const(u64),
}

impl Translator<'_> {
    pub(super) fn own(&self, height: usize) -> Slot {
        self.stack_base + height as u32
    }

    pub(super) fn push(&mut self, e: Entry) {
        self.stack.push(e);
        self.max_height = self.max_height.max(self.stack.len() as u32);
    }

    pub(super) fn pop(&mut self) -> Entry {
        self.stack.pop().unwrap_or(Entry::Temp)
    }

    pub(super) fn top(&self) -> usize {
        self.stack.len() - 1
    }

    pub(super) fn emit_const(&mut self, dst: Slot, v: u64) {
        if v >> 32 == 0 {
            self.emit(Op::Const32 { dst, value: v as u32 });
        } else {
            self.emit(Op::Const64 { dst, value: v });
        }
    }

    /// Moves entry `i` into its own slot.
    pub(super) fn materialize(&mut self, i: usize) {
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
    pub(super) fn slot(&mut self, i: usize) -> Slot {
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

    pub(super) fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for i in len - n..len {
            self.materialize(i);
        }
    }

    pub(super) fn materialize_locals(&mut self) {
        for i in 0..self.stack.len() {
            if matches!(self.stack[i], Entry::Local(_)) {
                self.materialize(i);
            }
        }
    }

    pub(super) fn preserve_local(&mut self, x: u32, below: usize) {
        for i in 0..below {
            if self.stack[i] == Entry::Local(x) {
                self.materialize(i);
            }
        }
    }

    /// Copies the top `n` entries to the slots starting at stack height `target`.
    pub(super) fn copy_top_to(&mut self, n: usize, target: usize) {
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

    pub(super) fn needs_copy(&self, n: usize, target: usize) -> bool {
        let len = self.stack.len();
        (0..n).any(|i| {
            let src_h = len - n + i;
            !(self.stack[src_h] == Entry::Temp && src_h == target + i)
        })
    }

    /// Materializes the top `n` entries, pops them, and returns the base slot they were in.
    pub(super) fn take_args(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let base = self.own(self.stack.len() - n);
        self.stack.truncate(self.stack.len() - n);
        base
    }

    pub(super) fn push_temps(&mut self, n: usize) {
        for _ in 0..n {
            self.push(Entry::Temp);
        }
    }
}
