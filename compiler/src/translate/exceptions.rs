//! Exception handling: `throw`, `throw_ref`, `try_table` and the legacy `try`, `catch`,
//! `catch_all`, `delegate` and `rethrow` (see [`kiln_runtime_support::vm::handler_table`]
//! for the tables the unwinder reads).
//!
//! Nothing runs on entering or leaving a handler: every catch clause of a `try_table` or a
//! legacy `try` gets a landing block taking the `exnref`, and every call inside the handler
//! becomes a Cranelift `try_call` whose exception table lists the frame's VMContext, then
//! the clauses of every handler around the call, innermost first (a legacy `delegate`
//! skips to the handlers outside its label; a legacy `catch` block is not covered by its
//! own `try`). Calls outside handlers stay plain calls.
//!
//! A landing block asks the runtime for the payload ([`Builtin::ExnCatch`], which also
//! releases an exception no reference to it remains of) and branches to the clause's label
//! with it (`try_table`), or starts the catch block (legacy). A `throw` creates the
//! exception ([`Builtin::ExnNew`]) and first tries the function's own handlers in order,
//! comparing tags with [`Builtin::ExnIs`]; when none catches, [`Builtin::Throw`] unwinds
//! the compiled frames above with the function's frame pointer, and if no frame up to the
//! host-to-wasm entry catches it, the function traps with the exception pending, which the
//! entry hands on.
//!
//! The catch clauses of a legacy `try` follow its body, so the function's legacy `try`s are
//! read once ahead ([`LegacyTry`]) when the first one is translated.

use super::control::{Frame, FrameKind};
use super::{Translator, wasm_err};
use crate::abi::{POINTER, clif_type};
use crate::traps;
use cranelift_codegen::entity::EntityRef;
use cranelift_codegen::ir::{
    self, Block, BlockArg, ExceptionTableData, ExceptionTableItem, ExceptionTag, InstBuilder,
    StackSlotData, StackSlotKind, Value,
};
use kiln_runtime_support::CompileError;
use kiln_runtime_support::vm::builtins::Builtin;
use std::collections::HashMap;
use wasmparser::{BinaryReader, BlockType, Catch, FunctionBody, Operator, TryTable};

/// Size of one `ValRaw` slot of a payload, in bytes.
const SLOT: u32 = 16;

/// What the function's binary says about one legacy `try`, ahead of translating its body.
#[derive(Clone, Debug, Default)]
pub(crate) struct LegacyTry {
    /// Its `catch` (`Some(tag)`) and `catch_all` (`None`) clauses, in order.
    catches: Vec<Option<u32>>,
    /// Whether a `rethrow` names one of its catch blocks (its exceptions stay referenced).
    rethrown: bool,
    /// For a `try` ended by `delegate`, its label (counted from outside the `try`).
    delegate: Option<u32>,
}

/// A catch clause of a `try_table` or legacy `try` while its handler is open.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clause {
    /// The tag caught (`None`: all).
    pub tag: Option<u32>,
    /// The landing block (one parameter: the `exnref`).
    pub landing: Block,
}

/// The clauses of a `try_table`, with what each does with the exception.
#[derive(Clone, Debug, Default)]
pub(crate) struct TryTableClauses {
    /// The clauses.
    pub clauses: Vec<Clause>,
    /// Per clause: whether it passes the `exnref` on, and its label (relative to the
    /// frames outside the `try_table`).
    pub targets: Vec<(bool, u32)>,
}

/// A legacy `try` frame's state.
#[derive(Clone, Debug)]
pub(crate) struct LegacyFrame {
    /// Its clauses (empty for a `try` ended by `delegate`).
    pub clauses: Vec<Clause>,
    /// For a `try` ended by `delegate`, the label it delegates to.
    pub delegate: Option<u32>,
    /// Whether its exceptions stay referenced (a `rethrow` names a catch block).
    pub keep: bool,
    /// The next clause whose catch block starts.
    pub next: usize,
    /// In a catch block: the exception it handles (for `rethrow`).
    pub exn: Option<Value>,
}

impl Translator<'_, '_> {
    /// The clauses that catch an exception thrown at the current point, innermost first.
    pub(super) fn handler_clauses(&self) -> Vec<Clause> {
        let mut out: Vec<Clause> = Vec::new();
        let mut i = self.control.len();
        while i > 0 {
            i -= 1;
            match &self.control[i].kind {
                FrameKind::TryTable(t) => out.extend_from_slice(&t.clauses),
                FrameKind::LegacyTry(l) if l.exn.is_none() => {
                    if let Some(d) = l.delegate {
                        // Exceptions of the body go on at the handlers outside label `d`.
                        i -= d as usize;
                        continue;
                    }
                    out.extend_from_slice(&l.clauses);
                }
                _ => {}
            }
            if out.iter().any(|c| c.tag.is_none()) {
                break;
            }
        }
        if let Some(all) = out.iter().position(|c| c.tag.is_none()) {
            out.truncate(all + 1);
        }
        out
    }

    /// Emits a call to `callee` (a direct `FuncRef` or an indirect code address with
    /// `sig`) with `args`: a `try_call` with the handlers around it when there are any,
    /// else a plain call. Returns the results.
    pub(super) fn emit_plain_call(
        &mut self,
        callee: Result<ir::FuncRef, (ir::SigRef, Value)>,
        args: &[Value],
    ) -> Vec<Value> {
        let clauses = self.handler_clauses();
        if clauses.is_empty() {
            let call = match callee {
                Ok(f) => self.b.ins().call(f, args),
                Err((sig, code)) => self.b.ins().call_indirect(sig, code, args),
            };
            return self.b.inst_results(call).to_vec();
        }
        let sig = match callee {
            Ok(f) => self.b.func.dfg.ext_funcs[f].signature,
            Err((sig, _)) => sig,
        };
        let returns: Vec<ir::Type> =
            self.b.func.dfg.signatures[sig].returns.iter().map(|r| r.value_type).collect();
        let normal = self.b.create_block();
        for &t in &returns {
            self.b.append_block_param(normal, t);
        }
        let rets: Vec<BlockArg> = (0..returns.len() as u32).map(BlockArg::TryCallRet).collect();
        let normal_call = self.b.func.dfg.block_call(normal, &rets);
        let mut items = vec![ExceptionTableItem::Context(self.vmctx)];
        for c in clauses {
            let call = self.b.func.dfg.block_call(c.landing, &[BlockArg::TryCallExn(0)]);
            items.push(match c.tag {
                Some(t) => ExceptionTableItem::Tag(ExceptionTag::new(t as usize), call),
                None => ExceptionTableItem::Default(call),
            });
        }
        let table = ExceptionTableData::new(sig, normal_call, items);
        let et = self.b.func.dfg.exception_tables.push(table);
        match callee {
            Ok(f) => self.b.ins().try_call(f, args, et),
            Err((_, code)) => self.b.ins().try_call_indirect(code, args, et),
        };
        self.b.switch_to_block(normal);
        self.b.seal_block(normal);
        self.b.block_params(normal).to_vec()
    }

    /// A block taking an `exnref`.
    fn landing_block(&mut self) -> Block {
        let b = self.b.create_block();
        self.b.append_block_param(b, POINTER);
        b
    }

    /// Throws exception `exn` (non-null) from the current point: the function's own
    /// handlers in order, then the unwinder (see the module docs).
    fn throw_exn(&mut self, exn: Value) {
        for c in self.handler_clauses() {
            match c.tag {
                None => {
                    self.b.ins().jump(c.landing, &[BlockArg::Value(exn)]);
                    self.reachable = false;
                    return;
                }
                Some(t) => {
                    let tag = self.i32_const(t);
                    let hit = self.call_builtin(Builtin::ExnIs, &[exn, tag])[0];
                    let next = self.b.create_block();
                    self.b.ins().brif(hit, c.landing, &[BlockArg::Value(exn)], next, &[]);
                    self.b.switch_to_block(next);
                    self.b.seal_block(next);
                }
            }
        }
        let fp = self.b.ins().get_frame_pointer(POINTER);
        self.call_builtin(Builtin::Throw, &[exn, fp]);
        self.b.ins().trap(traps::UNWIND_PENDING);
        self.reachable = false;
    }

    /// `throw`: a new exception of `tag` with the popped payload.
    pub(super) fn throw(&mut self, tag: u32) -> Result<(), CompileError> {
        let params = self.env.module.tag_type(tag).params().to_vec();
        let values = self.popn(params.len());
        let slot = self.payload_slot(params.len());
        let flags = ir::MemFlagsData::trusted();
        for (i, v) in values.into_iter().enumerate() {
            self.b.ins().store(flags, v, slot, (i as u32 * SLOT) as i32);
        }
        let tag_v = self.i32_const(tag);
        let exn = self.call_builtin(Builtin::ExnNew, &[tag_v, slot])[0];
        self.throw_exn(exn);
        Ok(())
    }

    /// `throw_ref`: traps on null, else throws the exception again.
    pub(super) fn throw_ref(&mut self) -> Result<(), CompileError> {
        let exn = self.pop();
        self.b.ins().trapz(exn, traps::NULL_EXCEPTION_REFERENCE);
        self.throw_exn(exn);
        Ok(())
    }

    /// The address of a fresh stack area of `n` payload slots (a null pointer for none).
    fn payload_slot(&mut self, n: usize) -> Value {
        if n == 0 {
            return self.b.ins().iconst(POINTER, 0);
        }
        let ss = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            n as u32 * SLOT,
            4,
        ));
        self.b.ins().stack_addr(POINTER, ss, 0)
    }

    /// In a landing block: what a clause of `tag` receives of exception `exn` (its payload
    /// when it names a tag), releasing the exception unless `keep`.
    fn catch_values(&mut self, exn: Value, tag: Option<u32>, keep: bool) -> Vec<Value> {
        let params = match tag {
            Some(t) => self.env.module.tag_type(t).params().to_vec(),
            None => Vec::new(),
        };
        if let Some(depth) = self.listener_depth {
            let depth = self.b.use_var(depth);
            self.call_builtin(Builtin::ListenerUnwind, &[depth]);
        }
        let slot = self.payload_slot(params.len());
        let keep = self.i32_const(u32::from(keep));
        self.call_builtin(Builtin::ExnCatch, &[exn, slot, keep]);
        let flags = ir::MemFlagsData::trusted();
        params
            .iter()
            .enumerate()
            .map(|(i, &t)| self.b.ins().load(clif_type(t), flags, slot, (i as u32 * SLOT) as i32))
            .collect()
    }

    /// `try_table`: a block whose clauses land in blocks filled at its `end`.
    pub(super) fn try_table(&mut self, t: &TryTable) -> Result<(), CompileError> {
        let mut clauses = Vec::with_capacity(t.catches.len());
        let mut targets = Vec::with_capacity(t.catches.len());
        for c in &t.catches {
            let (tag, is_ref, label) = match *c {
                Catch::One { tag, label } => (Some(tag), false, label),
                Catch::OneRef { tag, label } => (Some(tag), true, label),
                Catch::All { label } => (None, false, label),
                Catch::AllRef { label } => (None, true, label),
            };
            let landing = self.landing_block();
            clauses.push(Clause { tag, landing });
            targets.push((is_ref, label));
        }
        self.open_frame(t.ty, FrameKind::TryTable(TryTableClauses { clauses, targets }))
    }

    /// At a `try_table`'s `end` (its frame popped, the current block filled): each landing
    /// block takes the clause's values and branches to its label.
    pub(super) fn fill_try_table_landings(&mut self, t: TryTableClauses) {
        for (c, (is_ref, label)) in t.clauses.iter().zip(t.targets) {
            self.b.switch_to_block(c.landing);
            self.b.seal_block(c.landing);
            let exn = self.b.block_params(c.landing)[0];
            let mut values = self.catch_values(exn, c.tag, is_ref);
            if is_ref {
                values.push(exn);
            }
            let (target, _) = self.branch_to(label);
            let args: Vec<BlockArg> = values.into_iter().map(BlockArg::Value).collect();
            self.b.ins().jump(target, &args);
        }
    }

    /// The legacy `try`s of the function, by the offset of their `try` operator.
    fn scan_legacy_tries(&self) -> Result<HashMap<usize, LegacyTry>, CompileError> {
        let range = self.body_range.clone();
        let body = FunctionBody::new(BinaryReader::new(
            &self.env.module.wasm[range.clone()],
            range.start as u64,
        ));
        let mut ops = body.get_operators_reader().map_err(wasm_err)?;
        let mut open: Vec<Option<usize>> = Vec::new();
        let mut tries: HashMap<usize, LegacyTry> = HashMap::new();
        while !ops.eof() {
            let at = ops.original_position() as usize;
            match ops.read().map_err(wasm_err)? {
                Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::TryTable { .. } => open.push(None),
                Operator::Try { .. } => {
                    open.push(Some(at));
                    tries.insert(at, LegacyTry::default());
                }
                Operator::Catch { tag_index } => {
                    if let Some(Some(t)) = open.last() {
                        tries.entry(*t).or_default().catches.push(Some(tag_index));
                    }
                }
                Operator::CatchAll => {
                    if let Some(Some(t)) = open.last() {
                        tries.entry(*t).or_default().catches.push(None);
                    }
                }
                Operator::Rethrow { relative_depth } => {
                    let i = open.len().checked_sub(1 + relative_depth as usize);
                    if let Some(Some(t)) = i.and_then(|i| open.get(i)) {
                        tries.entry(*t).or_default().rethrown = true;
                    }
                }
                Operator::Delegate { relative_depth } => {
                    if let Some(Some(t)) = open.pop() {
                        tries.entry(t).or_default().delegate = Some(relative_depth);
                    }
                }
                Operator::End => {
                    open.pop();
                }
                _ => {}
            }
        }
        Ok(tries)
    }

    /// Legacy `try`.
    pub(super) fn legacy_try(&mut self, blockty: BlockType) -> Result<(), CompileError> {
        if self.legacy_tries.is_none() {
            self.legacy_tries = Some(self.scan_legacy_tries()?);
        }
        let info = self
            .legacy_tries
            .as_ref()
            .and_then(|m| m.get(&self.offset()))
            .cloned()
            .unwrap_or_default();
        let clauses = info
            .catches
            .iter()
            .map(|&tag| Clause { tag, landing: self.landing_block() })
            .collect::<Vec<_>>();
        let frame = LegacyFrame {
            clauses,
            delegate: info.delegate,
            keep: info.rethrown,
            next: 0,
            exn: None,
        };
        self.open_frame(blockty, FrameKind::LegacyTry(frame))
    }

    /// Legacy `catch` (`Some(tag)`) and `catch_all` (`None`): the body or the previous catch
    /// block ends; the next clause's landing block starts the catch block.
    pub(super) fn legacy_catch(&mut self, tag: Option<u32>) -> Result<(), CompileError> {
        let offset = self.offset();
        let (dest, n, base, clause, keep) = match self.control.last_mut() {
            Some(Frame { kind: FrameKind::LegacyTry(l), dest, num_results, base, .. }) => {
                let clause = l.clauses.get(l.next).copied().filter(|c| c.tag == tag);
                let clause = clause.ok_or_else(|| {
                    super::err_at(offset, "catch clauses differ from the ones read ahead".into())
                })?;
                l.next += 1;
                (*dest, *num_results, *base, clause, l.keep)
            }
            _ => return Err(super::err_at(offset, "catch outside try".into())),
        };
        if self.reachable {
            if let Some(f) = self.control.last_mut() {
                f.dest_reachable = true;
            }
            let args = super::control::block_args(self.peekn(n));
            self.b.ins().jump(dest, &args);
        }
        self.stack.truncate(base);
        self.b.switch_to_block(clause.landing);
        self.b.seal_block(clause.landing);
        let exn = self.b.block_params(clause.landing)[0];
        let values = self.catch_values(exn, tag, keep);
        self.stack.extend(values);
        if let Some(Frame { kind: FrameKind::LegacyTry(l), .. }) = self.control.last_mut() {
            l.exn = Some(exn);
        }
        self.reachable = true;
        Ok(())
    }

    /// Legacy `delegate`: ends the `try`, whose body's exceptions go on at the handlers
    /// outside label `relative_depth` (counted from outside the `try`).
    /// (The delegation applied while the body was translated: the label was read ahead into
    /// the frame, which [`Self::handler_clauses`] follows.)
    pub(super) fn delegate(&mut self) -> Result<(), CompileError> {
        self.end()
    }

    /// Legacy `rethrow` of the exception of the catch block `relative_depth` labels out.
    pub(super) fn rethrow(&mut self, relative_depth: u32) -> Result<(), CompileError> {
        let i = self.control.len() - 1 - relative_depth as usize;
        let exn = match &self.control[i].kind {
            FrameKind::LegacyTry(LegacyFrame { exn: Some(e), .. }) => *e,
            _ => return Err(super::err_at(self.offset(), "rethrow outside a catch block".into())),
        };
        self.throw_exn(exn);
        Ok(())
    }
}
