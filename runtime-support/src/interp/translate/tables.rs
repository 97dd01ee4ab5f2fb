//! Table and element-segment operators.
//!
//! Invariants: `table.get`/`table.set`/`table.size` take their operands from wherever the
//! stack entries are; the operators with three operands (and `table.grow`) have them
//! materialized into consecutive slots at `base`, where `table.grow` also leaves its result.

use super::Translator;
use super::stack::Entry;
use crate::interp::ir::Op;

impl Translator<'_> {
    /// `table.get`.
    pub(super) fn table_get(&mut self, table: u32) {
        let t = self.top();
        let index = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(Op::TableGet { dst: self.own(t), index, table });
    }

    /// `table.set`.
    pub(super) fn table_set(&mut self, table: u32) {
        let t = self.top();
        let value = self.slot(t);
        let index = self.slot(t - 1);
        self.pop();
        self.pop();
        self.emit(Op::TableSet { index, value, table });
    }

    /// `table.size`.
    pub(super) fn table_size(&mut self, table: u32) {
        let dst = self.own(self.stack.len());
        self.push(Entry::Temp);
        self.emit_result(Op::TableSize { dst, table });
    }

    /// `table.grow`.
    pub(super) fn table_grow(&mut self, table: u32) {
        let base = self.take_args(2);
        self.emit(Op::TableGrow { base, table });
        self.push(Entry::Temp);
    }

    /// `table.fill`.
    pub(super) fn table_fill(&mut self, table: u32) {
        let base = self.take_args(3);
        self.emit(Op::TableFill { base, table });
    }

    /// `table.copy`.
    pub(super) fn table_copy(&mut self, dst_table: u32, src_table: u32) {
        let base = self.take_args(3);
        self.emit(Op::TableCopy { base, dst_table, src_table });
    }

    /// `table.init` of element segment `elem_index`.
    pub(super) fn table_init(&mut self, elem_index: u32, table: u32) {
        let base = self.take_args(3);
        self.emit(Op::TableInit { base, table, segment: elem_index });
    }

    /// `ref.func`.
    pub(super) fn ref_func(&mut self, function_index: u32) {
        let dst = self.own(self.stack.len());
        self.push(Entry::Temp);
        self.emit_result(Op::RefFunc { dst, func: function_index });
    }
}
