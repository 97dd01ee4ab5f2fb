//! Table and element-segment operators.
//!
//! Invariants: `table.get`/`table.set`/`table.size` take their operands from wherever the
//! stack entries are; the operators with three operands (and `table.grow`) have them
//! materialized into consecutive slots at `base`, where `table.grow` also leaves its result.
//! The `i64` indices, sizes and lengths of a 64-bit table (memory64) are first narrowed to
//! the `u32` the table instructions read ([`Translator::table_index`]), which keeps every
//! out-of-bounds value out of bounds.

use super::Translator;
use super::stack::Entry;
use crate::interp::ir::Op;

impl Translator<'_> {
    /// Whether table `table` is a 64-bit table.
    fn table64(&self, table: u32) -> bool {
        self.info.tables[table as usize].ty.index_type.is_64()
    }

    /// When `wide` (the operand at height `h` is an `i64` index, size or length of a 64-bit
    /// table), narrows it to `min(value, 2^32 - 1)` ([`Op::TableIndex64`]; a constant
    /// folds), the `u32` the table instructions read.
    pub(super) fn table_index(&mut self, wide: bool, h: usize) {
        if !wide {
            return;
        }
        match self.stack[h] {
            Entry::Const(v) => self.stack[h] = Entry::Const(v.min(u32::MAX as u64)),
            _ => {
                let src = self.slot(h);
                self.stack[h] = Entry::Temp;
                self.emit(Op::TableIndex64 { dst: self.own(h), src });
            }
        }
    }

    /// `table.get`.
    pub(super) fn table_get(&mut self, table: u32) {
        self.table_index(self.table64(table), self.top());
        let t = self.top();
        let index = self.slot(t);
        self.stack[t] = Entry::Temp;
        self.emit_result(Op::TableGet { dst: self.own(t), index, table });
    }

    /// `table.set`.
    pub(super) fn table_set(&mut self, table: u32) {
        self.table_index(self.table64(table), self.top() - 1);
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
        let wide = self.table64(table);
        self.table_index(wide, self.top());
        let base = self.take_args(2);
        self.emit(Op::TableGrow { base, table });
        if wide {
            // The old size (below 2^31) or -1, as an `i64`.
            self.emit(Op::I64Extend32S { dst: base, src: base });
        }
        self.push(Entry::Temp);
    }

    /// `table.fill`.
    pub(super) fn table_fill(&mut self, table: u32) {
        let (wide, t) = (self.table64(table), self.top());
        self.table_index(wide, t - 2);
        self.table_index(wide, t);
        let base = self.take_args(3);
        self.emit(Op::TableFill { base, table });
    }

    /// `table.copy` (the length is an `i64` when both tables are 64-bit).
    pub(super) fn table_copy(&mut self, dst_table: u32, src_table: u32) {
        let (d, s, t) = (self.table64(dst_table), self.table64(src_table), self.top());
        self.table_index(d, t - 2);
        self.table_index(s, t - 1);
        self.table_index(d && s, t);
        let base = self.take_args(3);
        self.emit(Op::TableCopy { base, dst_table, src_table });
    }

    /// `table.init` of element segment `elem_index`.
    pub(super) fn table_init(&mut self, elem_index: u32, table: u32) {
        self.table_index(self.table64(table), self.top() - 2);
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
