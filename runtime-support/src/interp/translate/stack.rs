//! The operand-stack model.
//!
//! Each wasm operand-stack position `h` has its own frame slot ([`Translator::own`]): the
//! positions are laid out upwards from `stack_base`, each taking the slots of its value's
//! type (one for scalars and references, two for a `v128`; see [`crate::interp::ir`]), so a
//! position's own slot depends only on the types below it, which validation makes the same
//! on every path. A value need not be in its own slot: its [`Entry`] says where it is.
//!
//! Invariants: a `Temp` entry's value is in its own slot. A `Local(x)` entry's value is
//! the current value of the local whose first slot is `x`: such an entry is copied into its
//! own slot before that local is written ([`Translator::preserve_local`]) and at every
//! block boundary ([`Translator::materialize_locals`]), so no path observes a stale alias.
//! A `Const` entry (scalars only) has no slot until an instruction needs one
//! ([`Translator::slot`]): it then gets its constant slot (filled once per call, when a
//! first pass asked for one) or is materialized into its own slot. The entries a block
//! hands over at its boundaries are all `Temp`, so every path into a label leaves its
//! values in the same slots.

use super::Translator;
use crate::interp::ir::{Op, Slot};
use crate::types::ValType;
use std::ops::{Index, IndexMut};

/// The most constants one function keeps in slots of their own (each costs a store per call).
const MAX_CONST_SLOTS: usize = 32;

/// Where the value of one operand-stack entry is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Entry {
    Temp,
    /// In the local whose first slot is this.
    Local(Slot),
    Const(u64),
}

/// One operand-stack position: where its value is, its own slot, and whether it is a
/// `v128` (two slots).
#[derive(Clone, Copy, Debug)]
struct Position {
    entry: Entry,
    own: Slot,
    wide: bool,
}

/// The operand stack: one [`Position`] per height. Indexing gives the [`Entry`].
#[derive(Clone, Debug, Default)]
pub(super) struct Operands {
    positions: Vec<Position>,
    /// The own slot of height 0.
    base: Slot,
}

impl Index<usize> for Operands {
    type Output = Entry;
    fn index(&self, h: usize) -> &Entry {
        &self.positions[h].entry
    }
}

impl IndexMut<usize> for Operands {
    fn index_mut(&mut self, h: usize) -> &mut Entry {
        &mut self.positions[h].entry
    }
}

impl Operands {
    pub(super) fn new(base: Slot) -> Self {
        Self { positions: Vec::new(), base }
    }

    pub(super) fn len(&self) -> usize {
        self.positions.len()
    }

    pub(super) fn truncate(&mut self, h: usize) {
        self.positions.truncate(h);
    }

    /// Whether the value at height `h` is a `v128`.
    pub(super) fn wide(&self, h: usize) -> bool {
        self.positions[h].wide
    }

    /// The own slot of height `h` (at most the current height: the next push's slot).
    pub(super) fn own(&self, h: usize) -> Slot {
        match self.positions.get(h) {
            Some(p) => p.own,
            None => self.end(),
        }
    }

    /// One past the last slot of the stack.
    pub(super) fn end(&self) -> Slot {
        self.positions.last().map_or(self.base, |p| p.own + width(p.wide))
    }

    pub(super) fn push(&mut self, entry: Entry, wide: bool) {
        let own = self.end();
        self.positions.push(Position { entry, own, wide });
    }

    pub(super) fn pop(&mut self) -> Option<(Entry, bool)> {
        self.positions.pop().map(|p| (p.entry, p.wide))
    }
}

/// The number of 8-byte slots a value takes: 2 for a `v128`, else 1.
pub(super) fn width(wide: bool) -> u32 {
    if wide { 2 } else { 1 }
}

/// Whether values of type `ty` take two slots.
pub(super) fn is_wide(ty: ValType) -> bool {
    ty == ValType::V128
}

impl Translator<'_> {
    pub(super) fn own(&self, height: usize) -> Slot {
        self.stack.own(height)
    }

    /// Pushes a scalar (or reference) entry.
    pub(super) fn push(&mut self, e: Entry) {
        self.push_typed(e, false);
    }

    /// Pushes an entry; `wide` for a `v128`.
    pub(super) fn push_typed(&mut self, e: Entry, wide: bool) {
        self.stack.push(e, wide);
        self.max_height = self.max_height.max(self.stack.end() - self.stack_base);
    }

    /// Pushes a `Temp` for a value of type `ty` and returns its own slot.
    pub(super) fn push_temp(&mut self, ty: ValType) -> Slot {
        let dst = self.stack.end();
        self.push_typed(Entry::Temp, is_wide(ty));
        dst
    }

    pub(super) fn pop(&mut self) -> Entry {
        self.stack.pop().map_or(Entry::Temp, |(e, _)| e)
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

    /// Emits a copy of a value of `wide`-ness from `src` to `dst`.
    pub(super) fn emit_copy(&mut self, dst: Slot, src: Slot, wide: bool) {
        if wide {
            self.emit(Op::Copy128 { dst, src });
        } else {
            self.emit(Op::Copy { dst, src });
        }
    }

    /// Moves entry `i` into its own slot.
    pub(super) fn materialize(&mut self, i: usize) {
        let dst = self.own(i);
        match self.stack[i] {
            Entry::Temp => {}
            Entry::Local(x) => self.emit_copy(dst, x, self.stack.wide(i)),
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

    pub(super) fn preserve_local(&mut self, x: Slot, below: usize) {
        for i in 0..below {
            if self.stack[i] == Entry::Local(x) {
                self.materialize(i);
            }
        }
    }

    /// The slots the top `n` entries take when placed from stack height `target` up: each
    /// entry's destination, in order.
    fn placed_from(&self, n: usize, target: usize) -> impl Iterator<Item = Slot> + '_ {
        let len = self.stack.len();
        let mut next = self.own(target);
        (len - n..len).map(move |h| {
            let dst = next;
            next += width(self.stack.wide(h));
            dst
        })
    }

    /// Copies the top `n` entries to the slots starting at stack height `target` (their
    /// slots as [`Self::placed_from`] gives them).
    pub(super) fn copy_top_to(&mut self, n: usize, target: usize) {
        let len = self.stack.len();
        let mut dst = self.own(target);
        for src_h in len - n..len {
            let wide = self.stack.wide(src_h);
            match self.stack[src_h] {
                Entry::Temp => {
                    let src = self.own(src_h);
                    if src != dst {
                        self.emit_copy(dst, src, wide);
                    }
                }
                Entry::Local(x) => self.emit_copy(dst, x, wide),
                Entry::Const(v) => self.emit_const(dst, v),
            }
            dst += width(wide);
        }
    }

    pub(super) fn needs_copy(&self, n: usize, target: usize) -> bool {
        let len = self.stack.len();
        self.placed_from(n, target).enumerate().any(|(i, dst)| {
            let src_h = len - n + i;
            !(self.stack[src_h] == Entry::Temp && self.own(src_h) == dst)
        })
    }

    /// Materializes the top `n` entries, pops them, and returns the base slot they were in.
    pub(super) fn take_args(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let base = self.own(self.stack.len() - n);
        self.stack.truncate(self.stack.len() - n);
        base
    }

    /// Pushes a `Temp` for each of `types`.
    pub(super) fn push_temps(&mut self, types: &[ValType]) {
        for &t in types {
            self.push_temp(t);
        }
    }
}
