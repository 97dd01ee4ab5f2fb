//! Tables and references: `table.get`/`set`/`size` inline, `table.grow`/`fill`/`copy`/
//! `init` and `elem.drop` through builtins, `ref.null`/`ref.is_null`/`ref.as_non_null`/
//! `ref.func` inline.
//!
//! A reference is a pointer-sized raw value: a `*const VMFuncRef` for funcrefs, an
//! externref handle for externrefs, 0 for null. `ref.func f` is the address of this
//! instance's `VMFuncRef` for `f` in its VMContext.

use super::Translator;
use crate::abi::{POINTER, offsets};
use crate::traps;
use cranelift_codegen::ir::InstBuilder;
use cranelift_codegen::ir::condcodes::IntCC;
use kiln_runtime_support::CompileError;
use kiln_runtime_support::vm::builtins::Builtin;

impl Translator<'_, '_> {
    /// `table.get`.
    pub(super) fn table_get(&mut self, table: u32) -> Result<(), CompileError> {
        let index = self.pop();
        let addr = self.table_element_addr(table, index, traps::TABLE_OUT_OF_BOUNDS);
        let flags = self.table_flags();
        let v = self.b.ins().load(POINTER, flags, addr, 0);
        self.push(v);
        Ok(())
    }

    /// `table.set`.
    pub(super) fn table_set(&mut self, table: u32) -> Result<(), CompileError> {
        let v = self.pop();
        let index = self.pop();
        let addr = self.table_element_addr(table, index, traps::TABLE_OUT_OF_BOUNDS);
        let flags = self.table_flags();
        self.b.ins().store(flags, v, addr, 0);
        Ok(())
    }

    /// `table.size`.
    pub(super) fn table_size(&mut self, table: u32) -> Result<(), CompileError> {
        let (p, off) = self.table_definition(table);
        let flags = self.vmctx_flags();
        let n = self.b.ins().load(POINTER, flags, p, off + offsets::TABLE_ELEMENTS);
        let n = self.narrow_to_index(n, self.table64(table));
        self.push(n);
        Ok(())
    }

    /// Whether table `table` is a 64-bit table (memory64).
    fn table64(&self, table: u32) -> bool {
        self.env.module.tables[table as usize].ty.index_type.is_64()
    }

    /// `table.grow` (a builtin).
    pub(super) fn table_grow(&mut self, table: u32) -> Result<(), CompileError> {
        let delta = self.pop();
        let delta = self.extend_to_i64(delta);
        let init = self.pop();
        let t = self.i32_const(table);
        let r = self.call_builtin(Builtin::TableGrow, &[t, init, delta]);
        let r = self.narrow_to_index(r[0], self.table64(table));
        self.push(r);
        Ok(())
    }

    /// `table.fill` (a builtin).
    pub(super) fn table_fill(&mut self, table: u32) -> Result<(), CompileError> {
        let [dst, val, len] = self.popn(3).try_into().expect("3 operands");
        let (dst, len) = (self.extend_to_i64(dst), self.extend_to_i64(len));
        let t = self.i32_const(table);
        self.call_builtin(Builtin::TableFill, &[t, dst, val, len]);
        Ok(())
    }

    /// `table.copy` (a builtin).
    pub(super) fn table_copy(
        &mut self,
        dst_table: u32,
        src_table: u32,
    ) -> Result<(), CompileError> {
        let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
        let (dst, src, len) =
            (self.extend_to_i64(dst), self.extend_to_i64(src), self.extend_to_i64(len));
        let dt = self.i32_const(dst_table);
        let st = self.i32_const(src_table);
        self.call_builtin(Builtin::TableCopy, &[dt, st, dst, src, len]);
        Ok(())
    }

    /// `table.init` (a builtin).
    pub(super) fn table_init(&mut self, elem_index: u32, table: u32) -> Result<(), CompileError> {
        let [dst, src, len] = self.popn(3).try_into().expect("3 operands");
        let dst = self.extend_to_i64(dst);
        let t = self.i32_const(table);
        let e = self.i32_const(elem_index);
        self.call_builtin(Builtin::TableInit, &[t, e, dst, src, len]);
        Ok(())
    }

    /// `elem.drop` (a builtin).
    pub(super) fn elem_drop(&mut self, elem_index: u32) -> Result<(), CompileError> {
        let e = self.i32_const(elem_index);
        self.call_builtin(Builtin::ElemDrop, &[e]);
        Ok(())
    }

    /// `ref.null`: 0, whatever the heap type.
    pub(super) fn ref_null(&mut self) -> Result<(), CompileError> {
        let v = self.b.ins().iconst(POINTER, 0);
        self.push(v);
        Ok(())
    }

    /// `ref.is_null`.
    pub(super) fn ref_is_null(&mut self) -> Result<(), CompileError> {
        let r = self.pop();
        let c = self.b.ins().icmp_imm_u(IntCC::Equal, r, 0);
        let v = self.bool_to_i32(c);
        self.push(v);
        Ok(())
    }

    /// `ref.as_non_null`: traps with `null reference` on null, else leaves the reference.
    pub(super) fn ref_as_non_null(&mut self) -> Result<(), CompileError> {
        let r = *self.peekn(1).first().expect("operand stack underflow (module was validated)");
        self.b.ins().trapz(r, traps::NULL_REFERENCE);
        Ok(())
    }

    /// `ref.func`: the address of this instance's `VMFuncRef` of the function.
    pub(super) fn ref_func(&mut self, function_index: u32) -> Result<(), CompileError> {
        let off = self.env.offsets.funcref(function_index);
        let v = self.b.ins().iadd_imm_u(self.vmctx, i64::from(off));
        self.push(v);
        Ok(())
    }
}
