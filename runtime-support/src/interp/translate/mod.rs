//! Translation of validated wasm function bodies into the interpreter's slot form.
//!
//! One [`Translator`] per function body visits its operators once: every operator wasmparser
//! knows is either translated ([`visit`], and [`simd`] for SIMD and relaxed SIMD) or
//! refused by its proposal ([`proposals`]), and
//! unreachable code is skipped ([`dead_code`]). The translator keeps a model of the operand
//! stack ([`stack`]) and of the enclosing blocks ([`control`]) and emits [`Op`]s with
//! absolute branch targets; the operators are translated by kind ([`blocks`], [`control`],
//! [`variables`], [`calls`], [`memory`], [`tables`], [`numeric`]), choosing between slot,
//! immediate and fused forms. Loop rotation, tail duplication of switch dispatch, the peephole
//! pass and operand forwarding then rewrite the code,
//! and [`super::exec::thread`] pairs each instruction with its handler.
//!
//! Invariants shared by the parts: the code emitted so far is correct for every path that
//! reaches the current position, given that each operand-stack entry's value is where its
//! [`stack::Entry`] says. `last_result` names the last instruction only while that
//! instruction computed the top entry into the entry's own slot and nothing was emitted or
//! bound since, so that it may still be rewritten: retargeted into a local, or fused with
//! the branch or load that consumes its result.

mod atomics;
mod blocks;
mod calls;
mod control;
mod dead_code;
mod exceptions;
mod memory;
mod numeric;
mod proposals;
mod simd;
mod stack;
mod tables;
mod variables;
mod visit;

#[cfg(test)]
mod tests;

use super::forward::forward_results;
use super::fuse::peephole;
use super::ir::{CompiledFunc, InstrOffsets, Op, Slot};
use super::rotate::rotate_loops;
use super::tail_dup::duplicate_dispatch;
use crate::error::CompileError;
use crate::module::ModuleInfo;
use crate::types::ValType;
use control::{Ctrl, Kind, Label};
use dead_code::DeadCode;
use stack::{Operands, is_wide, width};
use std::collections::HashMap;

/// Translates function `func_index` of `info` (a defined function). Its entry and loop
/// headers carry `checks`: the store's epoch deadline ([`Op::CheckInterrupt`]), so an
/// embedder can stop runaway code, and fuel ([`Op::CheckFuel`]); without them the code
/// carries no check at all.
/// [`super::InterpModule`] decides when each function is translated.
///
/// # Errors
/// [`CompileError`] (marked unsupported) if the body uses an operator of a proposal the
/// interpreter does not translate (the post-2.0 proposals other than relaxed SIMD; the
/// message names the proposal) or is too large for the interpreter's slot numbering or
/// constant pool.
pub(super) fn translate_function(
    info: &ModuleInfo,
    func_index: u32,
    checks: super::Checks,
) -> Result<CompiledFunc, CompileError> {
    let body = &info.bodies[(func_index - info.num_imported_funcs) as usize];
    let reader = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(
        &info.wasm[body.range.clone()],
        body.range.start as u64,
    ));
    let (func, loop_consts, exn_slots) =
        Translator::new(info, func_index, &[], 0, checks).translate(&reader)?;
    // Constants used as operands inside loops get slots of their own, filled once per
    // call, so loops do not rematerialize them, and legacy `try`s get exception slots:
    // translate such functions again with those slots assigned.
    if loop_consts.is_empty() && exn_slots == 0 {
        Ok(func)
    } else {
        let t = Translator::new(info, func_index, &loop_consts, exn_slots, checks);
        Ok(t.translate(&reader)?.0)
    }
}

/// The translation state of one function body.
struct Translator<'a> {
    info: &'a ModuleInfo,
    /// The function's index in its module.
    func_index: u32,
    /// The instructions emitted so far (absolute branch targets).
    code: Vec<Op>,
    /// The wasm byte offset of each instruction, parallel to `code`.
    offsets: Vec<u32>,
    /// The operand-stack model, one entry per stack position ([`stack`]).
    stack: Operands,
    /// The open control frames, innermost last ([`control`]).
    ctrls: Vec<Ctrl<'a>>,
    /// Every label made so far, by number.
    labels: Vec<Label>,
    /// Slots of the parameters.
    num_params: u32,
    /// Slots of the parameters plus the declared locals.
    num_locals: u32,
    /// The first slot and `v128`-ness of every local (parameters first), when some local is
    /// a `v128`; empty when every local takes one slot (local `i` is slot `i`).
    local_slots: Vec<(Slot, bool)>,
    /// `v128` constants and `i8x16.shuffle` lane masks, by pool index
    /// ([`CompiledFunc::v128_consts`]).
    v128_consts: Vec<u128>,
    /// The pool index of each value in `v128_consts`.
    v128_index: HashMap<u128, u16>,
    /// Constants with slots of their own (`num_locals..stack_base`), by value.
    const_slots: HashMap<u64, Slot>,
    /// Values of the constant slots, in slot order.
    consts: Vec<u64>,
    /// First operand-stack slot: after the locals and the constant slots.
    stack_base: u32,
    /// Enclosing `loop`s of the current position.
    loop_depth: u32,
    /// Constants materialized inside loops, in first-use order (requests for pass two).
    loop_consts: Vec<u64>,
    /// The most slots the operand stack has taken so far.
    max_height: u32,
    /// The wasm byte offset of the operator being translated.
    offset: u32,
    /// The instruction that computed the top entry into its own slot, while it may still be
    /// rewritten (see the module docs).
    last_result: Option<usize>,
    /// The position at which a label was last bound (branches may land there).
    last_bind: Option<usize>,
    /// Blocks opened inside the unreachable code being skipped ([`dead_code`]).
    skip_depth: u32,
    /// The function's result count.
    func_results: u32,
    /// The checks to emit at the entry and at loop headers.
    checks: super::Checks,
    /// Handler regions by opening number ([`exceptions`]).
    regions: Vec<exceptions::RegionBuild>,
    /// Region numbers in closing order (innermost first).
    region_order: Vec<usize>,
    /// Landing pads to emit after the code.
    pads: Vec<exceptions::Pad>,
    /// Exception slots this translation has (after the constant slots).
    exn_slots: u32,
    /// Exception slots the body needs (the deepest nesting of legacy `try`s).
    exn_needed: u32,
    /// Open legacy `try` frames.
    exn_depth: u32,
}

/// The error for a body the interpreter cannot translate (`what` it does not support).
fn unsupported(offset: u32, what: impl std::fmt::Display) -> CompileError {
    CompileError::unsupported(offset as usize, format!("the interpreter does not support {what}"))
}

impl<'a> Translator<'a> {
    pub(super) fn new(
        info: &'a ModuleInfo,
        func_index: u32,
        consts: &[u64],
        exn_slots: u32,
        checks: super::Checks,
    ) -> Self {
        Self {
            info,
            func_index,
            code: Vec::new(),
            offsets: Vec::new(),
            stack: Operands::default(),
            ctrls: Vec::new(),
            labels: Vec::new(),
            num_params: 0,
            num_locals: 0,
            local_slots: Vec::new(),
            v128_consts: Vec::new(),
            v128_index: HashMap::new(),
            const_slots: HashMap::new(),
            consts: consts.to_vec(),
            stack_base: 0,
            loop_depth: 0,
            loop_consts: Vec::new(),
            max_height: 0,
            offset: 0,
            last_result: None,
            last_bind: None,
            skip_depth: 0,
            func_results: 0,
            checks,
            regions: Vec::new(),
            region_order: Vec::new(),
            pads: Vec::new(),
            exn_slots,
            exn_needed: 0,
            exn_depth: 0,
        }
    }

    /// Translates the body; also returns the constants that pass one had to materialize
    /// inside loops (empty when this translation already had constant slots) and the
    /// exception slots the body needs (0 when it has no legacy `try`).
    pub(super) fn translate(
        mut self,
        body: &wasmparser::FunctionBody<'_>,
    ) -> Result<(CompiledFunc, Vec<u64>, u32), CompileError> {
        let err = CompileError::from_wasmparser;
        let ty = self.info.func_type(self.func_index);
        let mut locals: Vec<(u32, ValType)> = ty.params().iter().map(|&t| (1, t)).collect();
        for l in body.get_locals_reader().map_err(err)? {
            let (n, t) = l.map_err(err)?;
            let t = ValType::from_wasmparser(t).unwrap_or(ValType::FUNCREF);
            locals.push((n, t));
        }
        let params = ty.params().len();
        let slot_count = |runs: &[(u32, ValType)]| -> u64 {
            runs.iter().map(|&(n, t)| n as u64 * width(is_wide(t)) as u64).sum()
        };
        let num_locals = slot_count(&locals);
        if num_locals > (u32::MAX / 4) as u64 {
            return Err(unsupported(body.range().start as u32, "a function with this many locals"));
        }
        self.num_params = slot_count(&locals[..params]) as u32;
        self.num_locals = num_locals as u32;
        if locals.iter().any(|&(_, t)| is_wide(t)) {
            let mut next = 0;
            for &(n, t) in &locals {
                for _ in 0..n {
                    self.local_slots.push((next, is_wide(t)));
                    next += width(is_wide(t));
                }
            }
        }
        for (k, v) in self.consts.iter().enumerate() {
            self.const_slots.insert(*v, self.num_locals + k as u32);
        }
        self.stack_base = self.num_locals + self.consts.len() as u32 + self.exn_slots;
        self.stack = Operands::new(self.stack_base);
        self.func_results = ty.results().len() as u32;
        let label = self.new_label();
        self.ctrls.push(Ctrl {
            kind: Kind::Func,
            height: 0,
            params: &[],
            results: ty.results(),
            label,
            else_label: None,
            unreachable: false,
            region: None,
            exn_slot: 0,
        });
        let mut reader = body.get_operators_reader().map_err(err)?;
        self.offset = reader.original_position() as u32;
        if self.checks.listeners {
            self.emit(Op::ListenerBefore);
        }
        self.emit_checks();
        while !reader.eof() {
            self.offset = reader.original_position() as u32;
            if self.ctrls.last().is_some_and(|c| c.unreachable) {
                reader.visit_operator(&mut DeadCode(&mut self)).map_err(err)??;
            } else {
                reader.visit_operator(&mut self).map_err(err)??;
            }
        }
        let mut handlers = self.finish_handlers();
        let frame_size = self.stack_base as u64 + self.max_height as u64;
        if frame_size > (u32::MAX / 4) as u64 {
            return Err(unsupported(self.offset, "a function with this large a frame"));
        }
        rotate_loops(&mut self.code, &mut self.offsets);
        duplicate_dispatch(&mut self.code, &mut self.offsets);
        peephole(&mut self.code, &mut self.offsets);
        forward_results(&mut self.code);
        exceptions::fix_landings(&mut handlers, self.code.len());
        let func = CompiledFunc {
            func_index: self.func_index,
            code: super::exec::thread(self.code),
            offsets: InstrOffsets::new(self.offsets),
            num_params: self.num_params,
            num_locals: self.num_locals,
            consts: self.consts.into_boxed_slice(),
            v128_consts: self.v128_consts.into_boxed_slice(),
            wide_sig: ty.params().iter().chain(ty.results()).any(|&t| is_wide(t)),
            frame_size: frame_size as u32,
            handlers: handlers.into_boxed_slice(),
        };
        Ok((func, self.loop_consts, self.exn_needed))
    }

    pub(super) fn emit(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.offsets.push(self.offset);
        self.last_result = None;
        self.code.len() - 1
    }

    pub(super) fn emit_result(&mut self, op: Op) {
        let i = self.emit(op);
        self.last_result = Some(i);
    }

    /// The first slot of local `index` and whether it is a `v128`.
    pub(super) fn local(&self, index: u32) -> (Slot, bool) {
        match self.local_slots.get(index as usize) {
            Some(&l) => l,
            None => (index, false),
        }
    }

    /// The pool index of `v128` constant `v` (added when new).
    ///
    /// # Errors
    /// When the function has more distinct constants than an instruction can index.
    pub(super) fn v128_const(&mut self, v: u128) -> Result<u16, CompileError> {
        if let Some(&i) = self.v128_index.get(&v) {
            return Ok(i);
        }
        let i = u16::try_from(self.v128_consts.len()).map_err(|_| {
            unsupported(self.offset, "a function with this many distinct v128 constants")
        })?;
        self.v128_consts.push(v);
        self.v128_index.insert(v, i);
        Ok(i)
    }
}
