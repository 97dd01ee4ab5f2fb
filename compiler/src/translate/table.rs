//! Tables and references: `table.get`/`set`/`size` inline, `table.grow`/`fill`/`copy`/
//! `init` and `elem.drop` through builtins, `ref.null`/`ref.is_null`/`ref.func` inline.
//!
//! A reference is a pointer-sized raw value: a `*const VMFuncRef` for funcrefs, an
//! externref handle for externrefs, 0 for null. `ref.func f` is the address of this
//! instance's `VMFuncRef` for `f` in its VMContext.

use super::Translator;
use crate::abi::{POINTER, offsets};
use crate::traps;
use cranelift_codegen::ir::InstBuilder;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I32;
use kiln_runtime_support::vm::builtins::Builtin;
use wasmparser::Operator;

impl Translator<'_, '_> {
    /// Handles table and reference operators; returns `false` for other operators.
    pub(super) fn table_operator(&mut self, op: &Operator<'_>) -> bool {
        use Operator as O;
        match *op {
            O::TableGet { table } => {
                let index = self.pop();
                let addr = self.table_element_addr(table, index, traps::TABLE_OUT_OF_BOUNDS);
                let flags = self.table_flags();
                let v = self.b.ins().load(POINTER, flags, addr, 0);
                self.push(v);
            }
            O::TableSet { table } => {
                let v = self.pop();
                let index = self.pop();
                let addr = self.table_element_addr(table, index, traps::TABLE_OUT_OF_BOUNDS);
                let flags = self.table_flags();
                self.b.ins().store(flags, v, addr, 0);
            }
            O::TableSize { table } => {
                let (p, off) = self.table_definition(table);
                let flags = self.vmctx_flags();
                let n = self.b.ins().load(POINTER, flags, p, off + offsets::TABLE_ELEMENTS);
                let n = self.b.ins().ireduce(I32, n);
                self.push(n);
            }
            O::TableGrow { table } => {
                let delta = self.pop();
                let init = self.pop();
                let t = self.i32_const(table);
                let r = self.call_builtin(Builtin::TableGrow, &[t, init, delta]);
                self.push(r[0]);
            }
            O::TableFill { table } => {
                let [dst, val, len] = self.popn(3).try_into().expect("3 operands");
                let t = self.i32_const(table);
                self.call_builtin(Builtin::TableFill, &[t, dst, val, len]);
            }
            O::TableCopy { dst_table, src_table } => {
                let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
                let dt = self.i32_const(dst_table);
                let st = self.i32_const(src_table);
                self.call_builtin(Builtin::TableCopy, &[dt, st, dst, src, len]);
            }
            O::TableInit { elem_index, table } => {
                let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
                let t = self.i32_const(table);
                let e = self.i32_const(elem_index);
                self.call_builtin(Builtin::TableInit, &[t, e, dst, src, len]);
            }
            O::ElemDrop { elem_index } => {
                let e = self.i32_const(elem_index);
                self.call_builtin(Builtin::ElemDrop, &[e]);
            }
            O::RefNull { .. } => {
                let v = self.b.ins().iconst(POINTER, 0);
                self.push(v);
            }
            O::RefIsNull => {
                let r = self.pop();
                let c = self.b.ins().icmp_imm_u(IntCC::Equal, r, 0);
                let v = self.bool_to_i32(c);
                self.push(v);
            }
            O::RefFunc { function_index } => {
                let off = self.env.offsets.funcref(function_index);
                let v = self.b.ins().iadd_imm_u(self.vmctx, i64::from(off));
                self.push(v);
            }
            _ => return false,
        }
        true
    }
}
