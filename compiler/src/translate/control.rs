//! Structured control flow: the control stack, blocks with block parameters for results,
//! branches (including `br_table` with values), `return`, `unreachable`, and skipping code
//! that cannot be reached.

use super::{Translator, err_at};
use crate::abi::POINTER;
use crate::traps;
use cranelift_codegen::ir::{self, Block, BlockArg, InstBuilder, JumpTableData, Value, types};
use kiln_runtime_support::CompileError;
use std::collections::HashMap;
use wasmparser::{BlockType, BrTable};

/// What kind of construct a control frame is.
pub(crate) enum FrameKind {
    /// The function body; its exit is the return block.
    Function,
    /// `block`.
    Block,
    /// `loop`: branches go to `header`.
    Loop {
        /// The loop header (parameters: the loop's params).
        header: Block,
    },
    /// `if`: `else_block` runs when the condition is zero.
    If {
        /// The block the false edge goes to.
        else_block: Block,
        /// The values of the `if`'s parameters, for the else arm.
        params: Vec<Value>,
        /// Whether an `else` was seen.
        has_else: bool,
    },
    /// `try_table`: its clauses (exception handling).
    TryTable(super::exceptions::TryTableClauses),
    /// Legacy `try`, in its body or a catch block.
    LegacyTry(super::exceptions::LegacyFrame),
}

/// One entry of the control stack.
pub(crate) struct Frame {
    /// The construct.
    pub kind: FrameKind,
    /// The block after the construct (parameters: its results).
    pub dest: Block,
    /// Number of parameters.
    pub num_params: usize,
    /// Number of results.
    pub num_results: usize,
    /// Operand stack height below the parameters.
    pub base: usize,
    /// Whether anything branches to (or falls through to) `dest`.
    pub dest_reachable: bool,
}

impl Frame {
    /// The block a branch to this frame goes to, and how many values it carries.
    fn branch_target(&self) -> (Block, usize) {
        match self.kind {
            FrameKind::Loop { header } => (header, self.num_params),
            _ => (self.dest, self.num_results),
        }
    }
}

/// The Cranelift type of a wasm value type in a function body.
pub(crate) fn val_type(ty: wasmparser::ValType) -> ir::Type {
    match ty {
        wasmparser::ValType::I32 => types::I32,
        wasmparser::ValType::I64 => types::I64,
        wasmparser::ValType::F32 => types::F32,
        wasmparser::ValType::F64 => types::F64,
        wasmparser::ValType::Ref(_) => POINTER,
        wasmparser::ValType::V128 => types::I8X16,
    }
}

/// Block arguments from values.
pub(crate) fn block_args(values: &[Value]) -> Vec<BlockArg> {
    values.iter().map(|&v| BlockArg::Value(v)).collect()
}

impl Translator<'_, '_> {
    /// Pushes the outermost frame, whose exit returns from the function.
    pub(super) fn push_function_frame(&mut self, results: Vec<ir::Type>) {
        let dest = self.b.create_block();
        for &t in &results {
            self.b.append_block_param(dest, t);
        }
        self.control.push(Frame {
            kind: FrameKind::Function,
            dest,
            num_params: 0,
            num_results: results.len(),
            base: 0,
            dest_reachable: false,
        });
    }

    pub(super) fn block_type(
        &self,
        bt: BlockType,
    ) -> Result<(Vec<ir::Type>, Vec<ir::Type>), CompileError> {
        Ok(match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(t) => (vec![], vec![val_type(t)]),
            BlockType::FuncType(i) => {
                let ft = &self.env.module.types[i as usize];
                (
                    ft.params().iter().map(|&t| crate::abi::clif_type(t)).collect(),
                    ft.results().iter().map(|&t| crate::abi::clif_type(t)).collect(),
                )
            }
        })
    }

    pub(super) fn new_block_with(&mut self, tys: &[ir::Type]) -> Block {
        let b = self.b.create_block();
        for &t in tys {
            self.b.append_block_param(b, t);
        }
        b
    }

    /// Jumps to `block` with the top `n` operands (not popped).
    fn jump_with_top(&mut self, block: Block, n: usize) {
        let args = block_args(self.peekn(n));
        self.b.ins().jump(block, &args);
    }

    /// Marks that `dest` of frame `depth` (relative) is a branch target now.
    pub(super) fn branch_to(&mut self, depth: u32) -> (Block, usize) {
        let i = self.control.len() - 1 - depth as usize;
        let frame = &mut self.control[i];
        if !matches!(frame.kind, FrameKind::Loop { .. }) {
            frame.dest_reachable = true;
        }
        frame.branch_target()
    }

    /// `block`.
    pub(super) fn block(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        self.open_frame(blockty, FrameKind::Block)
    }

    /// Pushes a frame of kind `kind` for a block of type `blockty` (`block`, and the
    /// exception-handling blocks `try_table` and `try`).
    pub(super) fn open_frame(
        &mut self,
        blockty: BlockType,
        kind: FrameKind,
    ) -> Result<(), CompileError> {
        let (params, results) = self.block_type(blockty)?;
        let dest = self.new_block_with(&results);
        self.control.push(Frame {
            kind,
            dest,
            num_params: params.len(),
            num_results: results.len(),
            base: self.stack.len() - params.len(),
            dest_reachable: false,
        });
        Ok(())
    }

    /// `loop`: the header takes the loop's parameters; the epoch check, when compiled in,
    /// runs at every iteration.
    pub(super) fn loop_(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        let (params, results) = self.block_type(blockty)?;
        let header = self.new_block_with(&params);
        let dest = self.new_block_with(&results);
        self.jump_with_top(header, params.len());
        let base = self.stack.len() - params.len();
        self.stack.truncate(base);
        self.b.switch_to_block(header);
        self.stack.extend_from_slice(self.b.block_params(header));
        self.control.push(Frame {
            kind: FrameKind::Loop { header },
            dest,
            num_params: params.len(),
            num_results: results.len(),
            base,
            dest_reachable: false,
        });
        self.entry_checks();
        Ok(())
    }

    /// `if`: the then-arm follows; the else-arm (or the implicit one) starts at `else`/`end`.
    pub(super) fn if_(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        let (params, results) = self.block_type(blockty)?;
        let cond = self.pop();
        let dest = self.new_block_with(&results);
        let then_block = self.b.create_block();
        let else_block = self.b.create_block();
        // The parameters are cast to their canonical types before the branch, so the values
        // the else-arm starts from dominate it (a cast inside the then-arm would not).
        let saved = self.peekn(params.len()).to_vec();
        self.b.ins().brif(cond, then_block, &[], else_block, &[]);
        self.b.switch_to_block(then_block);
        self.b.seal_block(then_block);
        self.control.push(Frame {
            kind: FrameKind::If { else_block, params: saved, has_else: false },
            dest,
            num_params: params.len(),
            num_results: results.len(),
            base: self.stack.len() - params.len(),
            dest_reachable: false,
        });
        Ok(())
    }

    /// `br`.
    pub(super) fn br(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        let (target, n) = self.branch_to(relative_depth);
        self.jump_with_top(target, n);
        self.reachable = false;
        Ok(())
    }

    /// `br_if`.
    pub(super) fn br_if(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        let cond = self.pop();
        let (target, n) = self.branch_to(relative_depth);
        let args = block_args(self.peekn(n));
        let next = self.b.create_block();
        self.b.ins().brif(cond, target, &args, next, &[]);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
        Ok(())
    }

    /// `br_on_null`: branches when the reference on top is null (dropping it, the branch
    /// carries the values below it), else leaves it on the stack.
    pub(super) fn br_on_null(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        let r = self.pop();
        let (target, n) = self.branch_to(relative_depth);
        let args = block_args(self.peekn(n));
        let next = self.b.create_block();
        self.b.ins().brif(r, next, &[], target, &args);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
        self.push(r);
        Ok(())
    }

    /// `br_on_non_null`: branches with the reference on top (the branch's last value) when
    /// it is not null, else drops it.
    pub(super) fn br_on_non_null(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        let (target, n) = self.branch_to(relative_depth);
        let args = block_args(self.peekn(n));
        let r = self.pop();
        let next = self.b.create_block();
        self.b.ins().brif(r, target, &args, next, &[]);
        self.b.switch_to_block(next);
        self.b.seal_block(next);
        Ok(())
    }

    /// `br_table`.
    pub(super) fn br_table(&mut self, targets: &BrTable<'_>) -> Result<(), CompileError> {
        let index = self.pop();
        let mut depths = Vec::with_capacity(targets.len() as usize);
        for t in targets.targets() {
            depths.push(t.map_err(super::wasm_err)?);
        }
        self.br_table_to(index, &depths, targets.default());
        self.reachable = false;
        Ok(())
    }

    /// `unreachable`.
    pub(super) fn unreachable_(&mut self) -> Result<(), CompileError> {
        self.b.ins().trap(traps::UNREACHABLE);
        self.reachable = false;
        Ok(())
    }

    /// `return`.
    pub(super) fn return_(&mut self) -> Result<(), CompileError> {
        let n = self.control[0].num_results;
        let results = self.peekn(n).to_vec();
        self.listener_after(&results);
        self.b.ins().return_(&results);
        self.reachable = false;
        Ok(())
    }

    fn br_table_to(&mut self, index: Value, depths: &[u32], default: u32) {
        // All targets take the same number of values (validation). They are brought to
        // their canonical types here, before the branch, so the edge blocks below share
        // values that dominate them all (`peekn` in one edge block would otherwise cast in
        // that block, and the next edge block would use the cast).
        let n = self.control[self.control.len() - 1 - default as usize].branch_target().1;
        self.peekn(n);
        let mut targets: HashMap<u32, Block> = HashMap::new();
        let mut edge = |t: &mut Self, depth: u32| -> Block {
            if let Some(&b) = targets.get(&depth) {
                return b;
            }
            let (target, n) = t.branch_to(depth);
            let b = if n == 0 {
                target
            } else {
                // An edge block per distinct target forwards the values as block args.
                let e = t.b.create_block();
                targets.insert(depth, e);
                e
            };
            targets.insert(depth, b);
            b
        };
        let default_block = edge(self, default);
        let blocks: Vec<Block> = depths.iter().map(|&d| edge(self, d)).collect();
        let default_call = self.b.func.dfg.block_call(default_block, &[]);
        let calls: Vec<_> = blocks.iter().map(|&b| self.b.func.dfg.block_call(b, &[])).collect();
        let jt = self.b.create_jump_table(JumpTableData::new(default_call, &calls));
        self.b.ins().br_table(index, jt);
        // Fill the edge blocks.
        let mut seen: Vec<u32> = Vec::new();
        for &depth in depths.iter().chain(std::iter::once(&default)) {
            if seen.contains(&depth) {
                continue;
            }
            seen.push(depth);
            let (target, n) = self.control[self.control.len() - 1 - depth as usize].branch_target();
            if n == 0 {
                continue;
            }
            let e = targets[&depth];
            self.b.switch_to_block(e);
            self.b.seal_block(e);
            self.jump_with_top(target, n);
        }
    }

    /// `else`: the then-arm (if reachable) jumps to the end; the else-arm starts with the
    /// `if`'s parameters.
    pub(super) fn else_(&mut self) -> Result<(), CompileError> {
        let offset = self.offset;
        let frame =
            self.control.last_mut().ok_or_else(|| err_at(offset, "else outside if".into()))?;
        let FrameKind::If { else_block, ref params, ref mut has_else } = frame.kind else {
            return Err(err_at(offset, "else outside if".into()));
        };
        *has_else = true;
        let params = params.clone();
        let (dest, n, base) = (frame.dest, frame.num_results, frame.base);
        if self.reachable {
            frame.dest_reachable = true;
            self.jump_with_top(dest, n);
        }
        self.stack.truncate(base);
        self.stack.extend_from_slice(&params);
        self.b.switch_to_block(else_block);
        self.b.seal_block(else_block);
        self.reachable = true;
        Ok(())
    }

    /// `end` of the innermost frame: its continuation becomes current (reachable when
    /// anything branches or falls through to it); the function's `end` returns.
    pub(super) fn end(&mut self) -> Result<(), CompileError> {
        let offset = self.offset;
        let mut frame =
            self.control.pop().ok_or_else(|| err_at(offset, "end outside a block".into()))?;
        if self.reachable {
            frame.dest_reachable = true;
            self.jump_with_top(frame.dest, frame.num_results);
        }
        match frame.kind {
            FrameKind::If { else_block, ref params, has_else: false } => {
                // The implicit else passes the parameters through (params == results).
                self.b.switch_to_block(else_block);
                self.b.seal_block(else_block);
                let args = block_args(params);
                self.b.ins().jump(frame.dest, &args);
                frame.dest_reachable = true;
            }
            FrameKind::Loop { header } => self.b.seal_block(header),
            _ => {}
        }
        if let FrameKind::TryTable(t) = &mut frame.kind {
            let t = std::mem::take(t);
            self.fill_try_table_landings(t);
        }
        self.stack.truncate(frame.base);
        if frame.dest_reachable {
            self.b.switch_to_block(frame.dest);
            self.b.seal_block(frame.dest);
            self.stack.extend_from_slice(self.b.block_params(frame.dest));
            self.reachable = true;
            if let FrameKind::Function = frame.kind {
                let results = self.b.block_params(frame.dest).to_vec();
                self.listener_after(&results);
                self.b.ins().return_(&results);
                self.reachable = false;
            }
        } else {
            self.reachable = false;
        }
        Ok(())
    }
}
