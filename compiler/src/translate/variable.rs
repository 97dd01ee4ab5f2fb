//! Parametric and variable instructions: `drop`, `select`, locals and globals (globals are
//! addressed through the VMContext, see [`super::env`]).

use super::Translator;
use cranelift_codegen::ir::InstBuilder;
use kiln_runtime_support::CompileError;

impl Translator<'_, '_> {
    /// `drop`.
    pub(super) fn drop_(&mut self) -> Result<(), CompileError> {
        self.pop();
        Ok(())
    }

    /// `select` of `n` values (`select` and `select (result t)` select one): the first `n`
    /// operands when the condition is not zero, else the second `n`.
    pub(super) fn select(&mut self, n: usize) -> Result<(), CompileError> {
        let c = self.pop();
        let ys = self.popn(n);
        let xs = self.popn(n);
        for (x, y) in xs.into_iter().zip(ys) {
            let v = self.b.ins().select(c, x, y);
            self.push(v);
        }
        Ok(())
    }

    /// `local.get`.
    pub(super) fn local_get(&mut self, index: u32) -> Result<(), CompileError> {
        let v = self.b.use_var(self.locals[index as usize]);
        self.push(v);
        Ok(())
    }

    /// `local.set`.
    pub(super) fn local_set(&mut self, index: u32) -> Result<(), CompileError> {
        let v = self.pop();
        self.b.def_var(self.locals[index as usize], v);
        Ok(())
    }

    /// `local.tee`.
    pub(super) fn local_tee(&mut self, index: u32) -> Result<(), CompileError> {
        let v = self.peekn(1)[0];
        self.b.def_var(self.locals[index as usize], v);
        Ok(())
    }

    /// `global.get`.
    pub(super) fn global_get(&mut self, index: u32) -> Result<(), CompileError> {
        let v = self.load_global(index);
        self.push(v);
        Ok(())
    }

    /// `global.set`.
    pub(super) fn global_set(&mut self, index: u32) -> Result<(), CompileError> {
        let v = self.pop();
        self.store_global(index, v);
        Ok(())
    }
}
