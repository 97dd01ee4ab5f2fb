//! The operators.

use super::control::Kind;
use super::stack::Entry;
use super::{Translator, unsupported};
use crate::error::CompileError;
use crate::interp::ir::Op;
use wasmparser::Operator;

impl Translator<'_> {
    pub(super) fn op(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        use Operator as O;
        if self.ctrls.last().is_some_and(|c| c.unreachable) {
            match op {
                O::Block { .. } | O::Loop { .. } | O::If { .. } => {
                    self.skip_depth += 1;
                    return Ok(());
                }
                O::End if self.skip_depth > 0 => {
                    self.skip_depth -= 1;
                    return Ok(());
                }
                O::Else if self.skip_depth > 0 => return Ok(()),
                O::Else | O::End => {}
                _ => return Ok(()),
            }
        }
        match op {
            O::Unreachable => {
                self.emit(Op::Unreachable);
                self.set_unreachable();
            }
            O::Nop => {}
            O::Block { blockty } => {
                self.push_ctrl(Kind::Block, blockty);
            }
            O::Loop { blockty } => {
                self.loop_depth += 1;
                let label = self.push_ctrl(Kind::Loop, blockty);
                self.bind(label);
                if self.interruptible {
                    self.emit(Op::CheckInterrupt);
                }
            }
            O::If { blockty } => {
                let (params, _) = self.block_arity(blockty);
                // Everything that must survive on both paths is settled before the branch.
                let len = self.stack.len();
                for i in 0..len - 1 {
                    if matches!(self.stack[i], Entry::Local(_)) || i >= len - 1 - params as usize {
                        self.materialize(i);
                    }
                }
                let branch = self.pop_cond(true);
                let else_label = self.new_label();
                self.emit_branch(branch, else_label);
                self.push_ctrl(Kind::If, blockty);
                self.ctrls.last_mut().expect("just pushed").else_label = Some(else_label);
            }
            O::Else => {
                let reachable = !self.ctrls.last().expect("validated").unreachable;
                if reachable {
                    let n = self.ctrls.last().expect("validated").results as usize;
                    self.materialize_top(n);
                    let label = self.ctrls.last().expect("validated").label;
                    self.emit_branch(Op::Br { target: 0 }, label);
                }
                let c = self.ctrls.last_mut().expect("validated");
                c.kind = Kind::Else;
                c.unreachable = false;
                let (h, p, el) = (c.height as usize, c.params as usize, c.else_label.take());
                if let Some(el) = el {
                    self.bind(el);
                }
                self.stack.truncate(h);
                self.push_temps(p);
            }
            O::End => {
                let reachable = !self.ctrls.last().expect("validated").unreachable;
                let c = self.ctrls.pop().expect("validated");
                if c.kind == Kind::Func {
                    if reachable {
                        self.emit_return();
                    }
                    self.bind(c.label);
                    return Ok(());
                }
                if reachable {
                    self.materialize_top(c.results as usize);
                }
                if c.kind == Kind::Loop {
                    self.loop_depth -= 1;
                }
                if let Some(el) = c.else_label {
                    self.bind(el);
                }
                if c.kind != Kind::Loop {
                    self.bind(c.label);
                }
                self.stack.truncate(c.height as usize);
                self.push_temps(c.results as usize);
            }
            O::Br { relative_depth } => {
                self.emit_br(relative_depth);
                self.set_unreachable();
            }
            O::BrIf { relative_depth } => {
                let c = &self.ctrls[self.ctrls.len() - 1 - relative_depth as usize];
                let (kind, n, h, label) =
                    (c.kind, c.branch_arity() as usize, c.height as usize, c.label);
                // Whether the branch needs copies is decided with the condition popped.
                let top = self.pop();
                let direct = kind != Kind::Func && !self.needs_copy(n, h);
                self.stack.push(top);
                if direct {
                    let branch = self.pop_cond(false);
                    self.emit_branch(branch, label);
                } else {
                    let branch = self.pop_cond(true);
                    let skip = self.new_label();
                    self.emit_branch(branch, skip);
                    self.emit_br(relative_depth);
                    self.bind(skip);
                }
            }
            O::BrTable { targets } => {
                let t = self.top();
                let index = self.slot(t);
                self.pop();
                let mut depths = Vec::with_capacity(targets.len() as usize + 1);
                for d in targets.targets() {
                    depths.push(d.map_err(CompileError::from_wasmparser)?);
                }
                depths.push(targets.default());
                self.emit(Op::BrTable { index, len: targets.len() });
                let mut stubs = Vec::new();
                for &d in &depths {
                    let c = &self.ctrls[self.ctrls.len() - 1 - d as usize];
                    let (kind, n, h, label) =
                        (c.kind, c.branch_arity() as usize, c.height as usize, c.label);
                    if kind != Kind::Func && !self.needs_copy(n, h) {
                        self.emit_branch(Op::Br { target: 0 }, label);
                    } else {
                        let stub = self.new_label();
                        self.emit_branch(Op::Br { target: 0 }, stub);
                        stubs.push((stub, d));
                    }
                }
                for (stub, d) in stubs {
                    self.bind(stub);
                    self.emit_br(d);
                }
                self.set_unreachable();
            }
            O::Return => {
                self.emit_return();
                self.set_unreachable();
            }
            O::Call { function_index } => {
                let ty = self.info.func_type(function_index);
                let (np, nr) = (ty.params().len(), ty.results().len());
                let base = self.take_args(np);
                if self.info.is_imported_func(function_index) {
                    self.emit(Op::CallImport { func: function_index, base });
                } else {
                    self.emit(Op::Call { func: function_index, base });
                }
                self.push_temps(nr);
            }
            O::CallIndirect { type_index, table_index } => {
                let ty = &self.info.types[type_index as usize];
                let (np, nr) = (ty.params().len(), ty.results().len());
                let base = self.take_args(np + 1);
                self.emit(Op::CallIndirect { table: table_index, ty: type_index, base });
                self.push_temps(nr);
            }
            O::Drop => {
                self.pop();
            }
            O::Select | O::TypedSelect { .. } => {
                let t = self.top();
                let cond = self.slot(t);
                let b = self.slot(t - 1);
                let a = self.slot(t - 2);
                self.pop();
                self.pop();
                self.stack[t - 2] = Entry::Temp;
                let dst = self.own(t - 2);
                self.emit(Op::Select { dst, a, b });
                self.emit(Op::Aux { slot: cond });
            }
            O::LocalGet { local_index } => self.push(Entry::Local(local_index)),
            O::LocalSet { local_index } | O::LocalTee { local_index } => {
                let tee = matches!(op, O::LocalTee { .. });
                let t = self.top();
                if self.stack[t] == Entry::Local(local_index) {
                    if !tee {
                        self.pop();
                    }
                    return Ok(());
                }
                let before = self.code.len();
                self.preserve_local(local_index, t);
                let retarget = self.code.len() == before
                    && self.stack[t] == Entry::Temp
                    && self.last_result == Some(self.code.len() - 1);
                if retarget {
                    let own = self.own(t);
                    let dst =
                        self.code.last_mut().and_then(Op::dst_mut).expect("last_result has a dst");
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
                            self.emit(Op::Copy { dst: local_index, src });
                        }
                    }
                    if !tee {
                        self.pop();
                    }
                }
            }
            O::GlobalGet { global_index } => {
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::GlobalGet { dst, global: global_index });
            }
            O::GlobalSet { global_index } => {
                let t = self.top();
                let src = self.slot(t);
                self.pop();
                self.emit(Op::GlobalSet { src, global: global_index });
            }
            O::TableGet { table } => {
                let t = self.top();
                let index = self.slot(t);
                self.stack[t] = Entry::Temp;
                self.emit_result(Op::TableGet { dst: self.own(t), index, table });
            }
            O::TableSet { table } => {
                let t = self.top();
                let value = self.slot(t);
                let index = self.slot(t - 1);
                self.pop();
                self.pop();
                self.emit(Op::TableSet { index, value, table });
            }
            O::TableSize { table } => {
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let base = self.take_args(2);
                self.emit(Op::TableGrow { base, table });
                self.push(Entry::Temp);
            }
            O::TableFill { table } => {
                let base = self.take_args(3);
                self.emit(Op::TableFill { base, table });
            }
            O::TableCopy { dst_table, src_table } => {
                let base = self.take_args(3);
                self.emit(Op::TableCopy { base, dst_table, src_table });
            }
            O::TableInit { elem_index, table } => {
                let base = self.take_args(3);
                self.emit(Op::TableInit { base, table, segment: elem_index });
            }
            O::ElemDrop { elem_index } => {
                self.emit(Op::ElemDrop { segment: elem_index });
            }

            O::I32Load { memarg } | O::F32Load { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load { dst, addr, offset }, memarg)?
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load { dst, addr, offset }, memarg)?
            }
            O::I32Load8S { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load8S { dst, addr, offset }, memarg)?
            }
            O::I32Load8U { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load8U { dst, addr, offset }, memarg)?
            }
            O::I32Load16S { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load16S { dst, addr, offset }, memarg)?
            }
            O::I32Load16U { memarg } => {
                self.load(|dst, addr, offset| Op::I32Load16U { dst, addr, offset }, memarg)?
            }
            O::I64Load8S { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load8S { dst, addr, offset }, memarg)?
            }
            O::I64Load8U { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load8U { dst, addr, offset }, memarg)?
            }
            O::I64Load16S { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load16S { dst, addr, offset }, memarg)?
            }
            O::I64Load16U { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load16U { dst, addr, offset }, memarg)?
            }
            O::I64Load32S { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load32S { dst, addr, offset }, memarg)?
            }
            O::I64Load32U { memarg } => {
                self.load(|dst, addr, offset| Op::I64Load32U { dst, addr, offset }, memarg)?
            }
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => self
                .store_imm(
                    |addr, value, offset| Op::I32Store { addr, value, offset },
                    |addr, value, offset| Op::I32StoreImm { addr, value, offset },
                    true,
                    memarg,
                )?,
            O::I64Store { memarg } | O::F64Store { memarg } => self.store_imm(
                |addr, value, offset| Op::I64Store { addr, value, offset },
                |addr, value, offset| Op::I64StoreImm { addr, value, offset },
                false,
                memarg,
            )?,
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => self.store_imm(
                |addr, value, offset| Op::I32Store8 { addr, value, offset },
                |addr, value, offset| Op::I32Store8Imm { addr, value, offset },
                true,
                memarg,
            )?,
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => self.store_imm(
                |addr, value, offset| Op::I32Store16 { addr, value, offset },
                |addr, value, offset| Op::I32Store16Imm { addr, value, offset },
                true,
                memarg,
            )?,
            O::MemorySize { mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::MemorySize { dst });
            }
            O::MemoryGrow { mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let t = self.top();
                let delta = self.slot(t);
                self.stack[t] = Entry::Temp;
                self.emit_result(Op::MemoryGrow { dst: self.own(t), delta });
            }
            O::MemoryFill { mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let base = self.take_args(3);
                self.emit(Op::MemoryFill { base });
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                if dst_mem != 0 || src_mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let base = self.take_args(3);
                self.emit(Op::MemoryCopy { base });
            }
            O::MemoryInit { data_index, mem } => {
                if mem != 0 {
                    return Err(unsupported(self.offset, "multiple memories"));
                }
                let base = self.take_args(3);
                self.emit(Op::MemoryInit { base, segment: data_index });
            }
            O::DataDrop { data_index } => {
                self.emit(Op::DataDrop { segment: data_index });
            }

            O::I32Const { value } => self.push(Entry::Const(value as u32 as u64)),
            O::I64Const { value } => self.push(Entry::Const(value as u64)),
            O::F32Const { value } => self.push(Entry::Const(value.bits() as u64)),
            O::F64Const { value } => self.push(Entry::Const(value.bits())),
            O::RefNull { .. } => self.push(Entry::Const(0)),
            O::RefIsNull => self.unop(|dst, src| Op::I64Eqz { dst, src }),
            O::RefFunc { function_index } => {
                let dst = self.own(self.stack.len());
                self.push(Entry::Temp);
                self.emit_result(Op::RefFunc { dst, func: function_index });
            }

            O::I32Eqz => self.unop(|dst, src| Op::I32Eqz { dst, src }),
            O::I32Eq => self.binop_imm32(
                |dst, a, b| Op::I32Eq { dst, a, b },
                |dst, a, imm| Op::I32EqImm { dst, a, imm },
                true,
            ),
            O::I32Ne => self.binop_imm32(
                |dst, a, b| Op::I32Ne { dst, a, b },
                |dst, a, imm| Op::I32NeImm { dst, a, imm },
                true,
            ),
            O::I32LtS => self.binop_imm32(
                |dst, a, b| Op::I32LtS { dst, a, b },
                |dst, a, imm| Op::I32LtSImm { dst, a, imm },
                false,
            ),
            O::I32LtU => self.binop_imm32(
                |dst, a, b| Op::I32LtU { dst, a, b },
                |dst, a, imm| Op::I32LtUImm { dst, a, imm },
                false,
            ),
            O::I32GtS => self.binop_imm32(
                |dst, a, b| Op::I32GtS { dst, a, b },
                |dst, a, imm| Op::I32GtSImm { dst, a, imm },
                false,
            ),
            O::I32GtU => self.binop_imm32(
                |dst, a, b| Op::I32GtU { dst, a, b },
                |dst, a, imm| Op::I32GtUImm { dst, a, imm },
                false,
            ),
            O::I32LeS => self.binop_imm32(
                |dst, a, b| Op::I32LeS { dst, a, b },
                |dst, a, imm| Op::I32LeSImm { dst, a, imm },
                false,
            ),
            O::I32LeU => self.binop_imm32(
                |dst, a, b| Op::I32LeU { dst, a, b },
                |dst, a, imm| Op::I32LeUImm { dst, a, imm },
                false,
            ),
            O::I32GeS => self.binop_imm32(
                |dst, a, b| Op::I32GeS { dst, a, b },
                |dst, a, imm| Op::I32GeSImm { dst, a, imm },
                false,
            ),
            O::I32GeU => self.binop_imm32(
                |dst, a, b| Op::I32GeU { dst, a, b },
                |dst, a, imm| Op::I32GeUImm { dst, a, imm },
                false,
            ),
            O::I32Clz => self.unop(|dst, src| Op::I32Clz { dst, src }),
            O::I32Ctz => self.unop(|dst, src| Op::I32Ctz { dst, src }),
            O::I32Popcnt => self.unop(|dst, src| Op::I32Popcnt { dst, src }),
            O::I32Add => self.binop_imm32(
                |dst, a, b| Op::I32Add { dst, a, b },
                |dst, a, imm| Op::I32AddImm { dst, a, imm },
                true,
            ),
            O::I32Sub => {
                let t = self.top();
                if let (Entry::Const(c), false) =
                    (self.stack[t], matches!(self.stack[t - 1], Entry::Const(_)))
                {
                    self.stack[t] = Entry::Const((c as u32).wrapping_neg() as u64);
                    self.binop_imm32(
                        |dst, a, b| Op::I32Add { dst, a, b },
                        |dst, a, imm| Op::I32AddImm { dst, a, imm },
                        false,
                    )
                } else {
                    self.binop(|dst, a, b| Op::I32Sub { dst, a, b })
                }
            }
            O::I32Mul => self.binop_imm32(
                |dst, a, b| Op::I32Mul { dst, a, b },
                |dst, a, imm| Op::I32MulImm { dst, a, imm },
                true,
            ),
            O::I32DivS => self.binop(|dst, a, b| Op::I32DivS { dst, a, b }),
            O::I32DivU => self.binop(|dst, a, b| Op::I32DivU { dst, a, b }),
            O::I32RemS => self.binop(|dst, a, b| Op::I32RemS { dst, a, b }),
            O::I32RemU => self.binop(|dst, a, b| Op::I32RemU { dst, a, b }),
            O::I32And => self.binop_imm32(
                |dst, a, b| Op::I32And { dst, a, b },
                |dst, a, imm| Op::I32AndImm { dst, a, imm },
                true,
            ),
            O::I32Or => self.binop_imm32(
                |dst, a, b| Op::I32Or { dst, a, b },
                |dst, a, imm| Op::I32OrImm { dst, a, imm },
                true,
            ),
            O::I32Xor => self.binop_imm32(
                |dst, a, b| Op::I32Xor { dst, a, b },
                |dst, a, imm| Op::I32XorImm { dst, a, imm },
                true,
            ),
            O::I32Shl => self.binop_imm32(
                |dst, a, b| Op::I32Shl { dst, a, b },
                |dst, a, imm| Op::I32ShlImm { dst, a, imm },
                false,
            ),
            O::I32ShrS => self.binop_imm32(
                |dst, a, b| Op::I32ShrS { dst, a, b },
                |dst, a, imm| Op::I32ShrSImm { dst, a, imm },
                false,
            ),
            O::I32ShrU => self.binop_imm32(
                |dst, a, b| Op::I32ShrU { dst, a, b },
                |dst, a, imm| Op::I32ShrUImm { dst, a, imm },
                false,
            ),
            O::I32Rotl => self.rotate(
                32,
                false,
                |dst, a, b| Op::I32Rotl { dst, a, b },
                |dst, a, imm| Op::I32RotlImm { dst, a, imm },
            ),
            O::I32Rotr => self.rotate(
                32,
                true,
                |dst, a, b| Op::I32Rotr { dst, a, b },
                |dst, a, imm| Op::I32RotlImm { dst, a, imm },
            ),

            O::I64Eqz => self.unop(|dst, src| Op::I64Eqz { dst, src }),
            O::I64Eq => self.binop_imm64(
                |dst, a, b| Op::I64Eq { dst, a, b },
                |dst, a, imm| Op::I64EqImm { dst, a, imm },
                true,
            ),
            O::I64Ne => self.binop_imm64(
                |dst, a, b| Op::I64Ne { dst, a, b },
                |dst, a, imm| Op::I64NeImm { dst, a, imm },
                true,
            ),
            O::I64LtS => self.binop_imm64(
                |dst, a, b| Op::I64LtS { dst, a, b },
                |dst, a, imm| Op::I64LtSImm { dst, a, imm },
                false,
            ),
            O::I64LtU => self.binop_imm64(
                |dst, a, b| Op::I64LtU { dst, a, b },
                |dst, a, imm| Op::I64LtUImm { dst, a, imm },
                false,
            ),
            O::I64GtS => self.binop_imm64(
                |dst, a, b| Op::I64GtS { dst, a, b },
                |dst, a, imm| Op::I64GtSImm { dst, a, imm },
                false,
            ),
            O::I64GtU => self.binop_imm64(
                |dst, a, b| Op::I64GtU { dst, a, b },
                |dst, a, imm| Op::I64GtUImm { dst, a, imm },
                false,
            ),
            O::I64LeS => self.binop_imm64(
                |dst, a, b| Op::I64LeS { dst, a, b },
                |dst, a, imm| Op::I64LeSImm { dst, a, imm },
                false,
            ),
            O::I64LeU => self.binop_imm64(
                |dst, a, b| Op::I64LeU { dst, a, b },
                |dst, a, imm| Op::I64LeUImm { dst, a, imm },
                false,
            ),
            O::I64GeS => self.binop_imm64(
                |dst, a, b| Op::I64GeS { dst, a, b },
                |dst, a, imm| Op::I64GeSImm { dst, a, imm },
                false,
            ),
            O::I64GeU => self.binop_imm64(
                |dst, a, b| Op::I64GeU { dst, a, b },
                |dst, a, imm| Op::I64GeUImm { dst, a, imm },
                false,
            ),
            O::I64Clz => self.unop(|dst, src| Op::I64Clz { dst, src }),
            O::I64Ctz => self.unop(|dst, src| Op::I64Ctz { dst, src }),
            O::I64Popcnt => self.unop(|dst, src| Op::I64Popcnt { dst, src }),
            O::I64Add => self.binop_imm64(
                |dst, a, b| Op::I64Add { dst, a, b },
                |dst, a, imm| Op::I64AddImm { dst, a, imm },
                true,
            ),
            O::I64Sub => {
                let t = self.top();
                match (self.stack[t], self.stack[t - 1]) {
                    (Entry::Const(c), a)
                        if !matches!(a, Entry::Const(_)) && c as i64 != i64::MIN =>
                    {
                        self.stack[t] = Entry::Const((c as i64).wrapping_neg() as u64);
                        self.binop_imm64(
                            |dst, a, b| Op::I64Add { dst, a, b },
                            |dst, a, imm| Op::I64AddImm { dst, a, imm },
                            false,
                        )
                    }
                    _ => self.binop(|dst, a, b| Op::I64Sub { dst, a, b }),
                }
            }
            O::I64Mul => self.binop_imm64(
                |dst, a, b| Op::I64Mul { dst, a, b },
                |dst, a, imm| Op::I64MulImm { dst, a, imm },
                true,
            ),
            O::I64DivS => self.binop(|dst, a, b| Op::I64DivS { dst, a, b }),
            O::I64DivU => self.binop(|dst, a, b| Op::I64DivU { dst, a, b }),
            O::I64RemS => self.binop(|dst, a, b| Op::I64RemS { dst, a, b }),
            O::I64RemU => self.binop(|dst, a, b| Op::I64RemU { dst, a, b }),
            O::I64And => self.binop_imm64(
                |dst, a, b| Op::I64And { dst, a, b },
                |dst, a, imm| Op::I64AndImm { dst, a, imm },
                true,
            ),
            O::I64Or => self.binop_imm64(
                |dst, a, b| Op::I64Or { dst, a, b },
                |dst, a, imm| Op::I64OrImm { dst, a, imm },
                true,
            ),
            O::I64Xor => self.binop_imm64(
                |dst, a, b| Op::I64Xor { dst, a, b },
                |dst, a, imm| Op::I64XorImm { dst, a, imm },
                true,
            ),
            O::I64Shl => self.binop_imm64(
                |dst, a, b| Op::I64Shl { dst, a, b },
                |dst, a, imm| Op::I64ShlImm { dst, a, imm },
                false,
            ),
            O::I64ShrS => self.binop_imm64(
                |dst, a, b| Op::I64ShrS { dst, a, b },
                |dst, a, imm| Op::I64ShrSImm { dst, a, imm },
                false,
            ),
            O::I64ShrU => self.binop_imm64(
                |dst, a, b| Op::I64ShrU { dst, a, b },
                |dst, a, imm| Op::I64ShrUImm { dst, a, imm },
                false,
            ),
            O::I64Rotl => self.rotate(
                64,
                false,
                |dst, a, b| Op::I64Rotl { dst, a, b },
                |dst, a, imm| Op::I64RotlImm { dst, a, imm },
            ),
            O::I64Rotr => self.rotate(
                64,
                true,
                |dst, a, b| Op::I64Rotr { dst, a, b },
                |dst, a, imm| Op::I64RotlImm { dst, a, imm },
            ),

            O::F32Eq => self.binop(|dst, a, b| Op::F32Eq { dst, a, b }),
            O::F32Ne => self.binop(|dst, a, b| Op::F32Ne { dst, a, b }),
            O::F32Lt => self.binop(|dst, a, b| Op::F32Lt { dst, a, b }),
            O::F32Gt => self.binop(|dst, a, b| Op::F32Gt { dst, a, b }),
            O::F32Le => self.binop(|dst, a, b| Op::F32Le { dst, a, b }),
            O::F32Ge => self.binop(|dst, a, b| Op::F32Ge { dst, a, b }),
            O::F32Abs => self.unop(|dst, src| Op::F32Abs { dst, src }),
            O::F32Neg => self.unop(|dst, src| Op::F32Neg { dst, src }),
            O::F32Ceil => self.unop(|dst, src| Op::F32Ceil { dst, src }),
            O::F32Floor => self.unop(|dst, src| Op::F32Floor { dst, src }),
            O::F32Trunc => self.unop(|dst, src| Op::F32Trunc { dst, src }),
            O::F32Nearest => self.unop(|dst, src| Op::F32Nearest { dst, src }),
            O::F32Sqrt => self.unop(|dst, src| Op::F32Sqrt { dst, src }),
            O::F32Add => self.binop(|dst, a, b| Op::F32Add { dst, a, b }),
            O::F32Sub => self.binop(|dst, a, b| Op::F32Sub { dst, a, b }),
            O::F32Mul => self.binop(|dst, a, b| Op::F32Mul { dst, a, b }),
            O::F32Div => self.binop(|dst, a, b| Op::F32Div { dst, a, b }),
            O::F32Min => self.binop(|dst, a, b| Op::F32Min { dst, a, b }),
            O::F32Max => self.binop(|dst, a, b| Op::F32Max { dst, a, b }),
            O::F32Copysign => self.binop(|dst, a, b| Op::F32Copysign { dst, a, b }),

            O::F64Eq => self.binop(|dst, a, b| Op::F64Eq { dst, a, b }),
            O::F64Ne => self.binop(|dst, a, b| Op::F64Ne { dst, a, b }),
            O::F64Lt => self.binop(|dst, a, b| Op::F64Lt { dst, a, b }),
            O::F64Gt => self.binop(|dst, a, b| Op::F64Gt { dst, a, b }),
            O::F64Le => self.binop(|dst, a, b| Op::F64Le { dst, a, b }),
            O::F64Ge => self.binop(|dst, a, b| Op::F64Ge { dst, a, b }),
            O::F64Abs => self.unop(|dst, src| Op::F64Abs { dst, src }),
            O::F64Neg => self.unop(|dst, src| Op::F64Neg { dst, src }),
            O::F64Ceil => self.unop(|dst, src| Op::F64Ceil { dst, src }),
            O::F64Floor => self.unop(|dst, src| Op::F64Floor { dst, src }),
            O::F64Trunc => self.unop(|dst, src| Op::F64Trunc { dst, src }),
            O::F64Nearest => self.unop(|dst, src| Op::F64Nearest { dst, src }),
            O::F64Sqrt => self.unop(|dst, src| Op::F64Sqrt { dst, src }),
            O::F64Add => self.binop(|dst, a, b| Op::F64Add { dst, a, b }),
            O::F64Sub => self.binop(|dst, a, b| Op::F64Sub { dst, a, b }),
            O::F64Mul => self.binop(|dst, a, b| Op::F64Mul { dst, a, b }),
            O::F64Div => self.binop(|dst, a, b| Op::F64Div { dst, a, b }),
            O::F64Min => self.binop(|dst, a, b| Op::F64Min { dst, a, b }),
            O::F64Max => self.binop(|dst, a, b| Op::F64Max { dst, a, b }),
            O::F64Copysign => self.binop(|dst, a, b| Op::F64Copysign { dst, a, b }),

            // Value-preserving at the bit level in the slot representation.
            O::I32WrapI64
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64 => {}
            O::I32TruncF32S => self.unop(|dst, src| Op::I32TruncF32S { dst, src }),
            O::I32TruncF32U => self.unop(|dst, src| Op::I32TruncF32U { dst, src }),
            O::I32TruncF64S => self.unop(|dst, src| Op::I32TruncF64S { dst, src }),
            O::I32TruncF64U => self.unop(|dst, src| Op::I32TruncF64U { dst, src }),
            O::I64ExtendI32S => self.unop(|dst, src| Op::I64ExtendI32S { dst, src }),
            O::I64ExtendI32U => self.unop(|dst, src| Op::I64ExtendI32U { dst, src }),
            O::I64TruncF32S => self.unop(|dst, src| Op::I64TruncF32S { dst, src }),
            O::I64TruncF32U => self.unop(|dst, src| Op::I64TruncF32U { dst, src }),
            O::I64TruncF64S => self.unop(|dst, src| Op::I64TruncF64S { dst, src }),
            O::I64TruncF64U => self.unop(|dst, src| Op::I64TruncF64U { dst, src }),
            O::F32ConvertI32S => self.unop(|dst, src| Op::F32ConvertI32S { dst, src }),
            O::F32ConvertI32U => self.unop(|dst, src| Op::F32ConvertI32U { dst, src }),
            O::F32ConvertI64S => self.unop(|dst, src| Op::F32ConvertI64S { dst, src }),
            O::F32ConvertI64U => self.unop(|dst, src| Op::F32ConvertI64U { dst, src }),
            O::F32DemoteF64 => self.unop(|dst, src| Op::F32DemoteF64 { dst, src }),
            O::F64ConvertI32S => self.unop(|dst, src| Op::F64ConvertI32S { dst, src }),
            O::F64ConvertI32U => self.unop(|dst, src| Op::F64ConvertI32U { dst, src }),
            O::F64ConvertI64S => self.unop(|dst, src| Op::F64ConvertI64S { dst, src }),
            O::F64ConvertI64U => self.unop(|dst, src| Op::F64ConvertI64U { dst, src }),
            O::F64PromoteF32 => self.unop(|dst, src| Op::F64PromoteF32 { dst, src }),
            O::I32Extend8S => self.unop(|dst, src| Op::I32Extend8S { dst, src }),
            O::I32Extend16S => self.unop(|dst, src| Op::I32Extend16S { dst, src }),
            O::I64Extend8S => self.unop(|dst, src| Op::I64Extend8S { dst, src }),
            O::I64Extend16S => self.unop(|dst, src| Op::I64Extend16S { dst, src }),
            O::I64Extend32S => self.unop(|dst, src| Op::I64Extend32S { dst, src }),
            O::I32TruncSatF32S => self.unop(|dst, src| Op::I32TruncSatF32S { dst, src }),
            O::I32TruncSatF32U => self.unop(|dst, src| Op::I32TruncSatF32U { dst, src }),
            O::I32TruncSatF64S => self.unop(|dst, src| Op::I32TruncSatF64S { dst, src }),
            O::I32TruncSatF64U => self.unop(|dst, src| Op::I32TruncSatF64U { dst, src }),
            O::I64TruncSatF32S => self.unop(|dst, src| Op::I64TruncSatF32S { dst, src }),
            O::I64TruncSatF32U => self.unop(|dst, src| Op::I64TruncSatF32U { dst, src }),
            O::I64TruncSatF64S => self.unop(|dst, src| Op::I64TruncSatF64S { dst, src }),
            O::I64TruncSatF64U => self.unop(|dst, src| Op::I64TruncSatF64U { dst, src }),
            other => {
                return Err(unsupported(self.offset, format_args!("the instruction {other:?}")));
            }
        }
        Ok(())
    }
}
