//! Variable and parametric operators: `local.*`, `global.*`, `drop` and `select`.
//!
//! Invariants: `local.get` copies nothing (the entry aliases the local, see [`super::stack`]);
//! a `v128` local or value moves with `Copy128` where a scalar one moves with `Copy`;
//! `local.set` and `local.tee` first preserve every entry that still aliases the local, then
//! either retarget the instruction that just computed the value to write the local directly
//! (when it is `last_result`, see [`super`]) or copy the value into the local.

use super::Translator;
use super::stack::{Entry, is_wide};
use crate::interp::fuse::fuse_select;
use crate::interp::ir::Op;

impl Translator<'_> {
    /// `local.get` of local `local_index`: an entry aliasing it.
    pub(super) fn local_get(&mut self, local_index: u32) {
        let (slot, wide) = self.local(local_index);
        self.push_typed(Entry::Local(slot), wide);
    }

    /// `local.set` (or, with `tee`, `local.tee`) of local `local_index`.
    pub(super) fn local_set(&mut self, local_index: u32, tee: bool) {
        let (local_index, wide) = self.local(local_index);
        let t = self.top();
        if self.stack[t] == Entry::Local(local_index) {
            if !tee {
                self.pop();
            }
            return;
        }
        let before = self.code.len();
        self.preserve_local(local_index, t);
        let retarget = self.code.len() == before
            && self.stack[t] == Entry::Temp
            && self.last_result == Some(self.code.len() - 1);
        if retarget {
            let own = self.own(t);
            let dst = self.code.last_mut().and_then(Op::dst_mut).expect("last_result has a dst");
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
                    self.emit_copy(local_index, src, wide);
                }
            }
            if !tee {
                self.pop();
            }
        }
    }

    /// `global.get`.
    pub(super) fn global_get(&mut self, global_index: u32) {
        let ty = self.info.globals[global_index as usize].ty.content;
        let dst = self.push_temp(ty);
        if is_wide(ty) {
            self.emit_result(Op::GlobalGet128 { dst, global: global_index });
        } else {
            self.emit_result(Op::GlobalGet { dst, global: global_index });
        }
    }

    /// `global.set`.
    pub(super) fn global_set(&mut self, global_index: u32) {
        let t = self.top();
        let src = self.slot(t);
        self.pop();
        if is_wide(self.info.globals[global_index as usize].ty.content) {
            self.emit(Op::GlobalSet128 { src, global: global_index });
        } else {
            self.emit(Op::GlobalSet { src, global: global_index });
        }
    }

    /// `select` (typed or not): `Select` with the condition in the following `Aux`, or
    /// one fused compare-and-select instruction in place of the i32 comparison just
    /// emitted when that computed the condition.
    pub(super) fn select(&mut self) {
        let t = self.top();
        let wide = self.stack.wide(t - 2);
        // The comparison is taken out before `a` and `b` are read: reading a constant may
        // write it to its stack slot, which the comparison does not read (its operands were
        // above `b` on the stack, or locals), so it moves after those writes unchanged.
        let compare = if wide { None } else { self.take_select_compare(t) };
        let cond = self.slot(t);
        let b = self.slot(t - 1);
        let a = self.slot(t - 2);
        self.pop();
        self.pop();
        self.stack[t - 2] = Entry::Temp;
        let dst = self.own(t - 2);
        if let Some((compare, offset)) = compare {
            if let Some(fused) = fuse_select(compare, dst, a, b) {
                self.emit_result(fused);
                return;
            }
            // A slot the fused form cannot hold: the comparison, then a plain select.
            self.code.push(compare);
            self.offsets.push(offset);
        }
        if wide {
            self.emit(Op::Select128 { dst, a, b });
        } else {
            self.emit(Op::Select { dst, a, b });
        }
        self.emit(Op::Aux { slot: cond });
    }

    /// Removes and returns (with its wasm offset) the instruction just emitted when it is an
    /// i32 comparison that computed the condition at stack position `t` into its temporary
    /// (which the select consumes, so nothing else reads the comparison's result).
    fn take_select_compare(&mut self, t: usize) -> Option<(Op, u32)> {
        if self.stack[t] != Entry::Temp || self.last_result != Some(self.code.len() - 1) {
            return None;
        }
        let last = *self.code.last()?;
        if last.dst() != Some(self.own(t)) || fuse_select(last, 0, 0, 0).is_none() {
            return None;
        }
        self.code.pop();
        self.last_result = None;
        Some((last, self.offsets.pop()?))
    }
}
