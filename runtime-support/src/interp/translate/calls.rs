//! Calls.
//!
//! Invariants: a call's arguments are materialized into consecutive slots ending at the top
//! of the operand stack (for `call_indirect`, followed by the element index); the callee's
//! frame starts at the first of them (`base`), and its results are left in the same slots,
//! where they become `Temp` entries. A `v128` argument or result takes two slots.

use super::Translator;
use super::stack::is_wide;
use crate::interp::ir::Op;

impl Translator<'_> {
    /// `call` of a defined or an imported function.
    pub(super) fn call(&mut self, function_index: u32) {
        let ty = self.info.func_type(function_index);
        let base = self.take_args(ty.params().len());
        if self.info.is_imported_func(function_index) {
            self.emit(Op::CallImport { func: function_index, base });
        } else {
            self.emit(Op::Call { func: function_index, base });
        }
        self.push_temps(ty.results());
    }

    /// `call_indirect` through table `table_index`, expecting type `type_index`.
    pub(super) fn call_indirect(&mut self, type_index: u32, table_index: u32) {
        let wide = self.info.tables[table_index as usize].ty.index_type.is_64();
        self.table_index(wide, self.top());
        let ty = &self.info.types[type_index as usize];
        let base = self.take_args(ty.params().len() + 1);
        let args = ty.params().iter().map(|&t| if is_wide(t) { 2 } else { 1 }).sum::<usize>();
        // Validation bounds both (100 tables, 1,000 parameters).
        let (table, args) = (table_index as u16, args as u16);
        self.emit(Op::CallIndirect { table, args, ty: type_index, base });
        self.push_temps(ty.results());
    }
}

// ---- WebAssembly 3.0 calls: tail calls, typed function references ----
// With listeners on, a tail call is a call and a return, so that the caller's frame ends
// with its `after` hook (see `crate::vm::listener`).
impl Translator<'_> {
    /// `return_call` of a defined or an imported function; the rest of the block is
    /// unreachable.
    pub(super) fn return_call(&mut self, function_index: u32) {
        if self.checks.listeners {
            self.call(function_index);
            return self.return_();
        }
        let ty = self.info.func_type(function_index);
        let base = self.take_args(ty.params().len());
        if self.info.is_imported_func(function_index) {
            self.emit(Op::ReturnCallImport { func: function_index, base });
        } else {
            self.emit(Op::ReturnCall { func: function_index, base });
        }
        self.set_unreachable();
    }

    /// `return_call_indirect` through table `table_index`, expecting type `type_index`.
    pub(super) fn return_call_indirect(&mut self, type_index: u32, table_index: u32) {
        if self.checks.listeners {
            self.call_indirect(type_index, table_index);
            return self.return_();
        }
        let wide = self.info.tables[table_index as usize].ty.index_type.is_64();
        self.table_index(wide, self.top());
        let n = self.info.types[type_index as usize].params().len();
        let base = self.take_args(n + 1);
        self.emit(Op::ReturnCallIndirect { table: table_index, ty: type_index, base });
        self.set_unreachable();
    }

    /// `call_ref` of a function reference of type `type_index`.
    pub(super) fn call_ref(&mut self, type_index: u32) {
        let ty = &self.info.types[type_index as usize];
        let base = self.take_args(ty.params().len() + 1);
        self.emit(Op::CallRef { ty: type_index, base });
        self.push_temps(ty.results());
    }

    /// `return_call_ref` of a function reference of type `type_index`.
    pub(super) fn return_call_ref(&mut self, type_index: u32) {
        if self.checks.listeners {
            self.call_ref(type_index);
            return self.return_();
        }
        let n = self.info.types[type_index as usize].params().len();
        let base = self.take_args(n + 1);
        self.emit(Op::ReturnCallRef { ty: type_index, base });
        self.set_unreachable();
    }
}
