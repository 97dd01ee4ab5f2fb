//! Exception handling: `throw`, `throw_ref`, `try_table` and the legacy `try`, `catch`,
//! `catch_all`, `delegate` and `rethrow`.
//!
//! Nothing is emitted for entering or leaving a handler's body: each `try_table` and legacy
//! `try` becomes a [`HandlerRegion`] over the wasm byte range of its body, which the
//! unwinder reads only when something throws. A caught exception's values are written by
//! the unwinder into the slots the values would have on the operand stack at the
//! handler's entry height (a `try_table`'s clause) or at the start of the legacy catch
//! block, then execution continues at the clause's landing. A `try_table` clause lands on a
//! pad, emitted after the function's code, that moves the values to the target label's
//! slots and branches there (or returns, for the function's label), exactly as a `br` from
//! that stack state would; a legacy clause lands at the start of its catch block.
//! Every clause has an [`Op::Landing`] in a table at the very end of the code (after the
//! pads), so the loop rotation and the peephole pass renumber landings like any branch.
//!
//! Invariants: regions are numbered in the order they open and listed in the order they
//! close, innermost first. A legacy `try` nested `d` deep in other legacy `try`s keeps the
//! exception its handler is running in the exception slot `d` (after the constant slots),
//! read by `rethrow`; the function is translated again with those slots when the first
//! pass finds it needs them.

use super::Translator;
use super::control::Kind;
use super::stack::{Entry, Operands, is_wide};
use crate::interp::ir::{CatchClause, HandlerRegion, Op, RegionAction, Slot};
use wasmparser::{BlockType, Catch, TryTable};

/// Where a catch clause lands.
#[derive(Clone, Copy, Debug)]
pub(super) enum Landing {
    /// A label of the function (a legacy catch block's start).
    Label(usize),
    /// A pad emitted after the code ([`Pad`], by index).
    Pad(usize),
}

/// One catch clause while translating.
#[derive(Clone, Copy, Debug)]
pub(super) struct ClauseBuild {
    tag: Option<u32>,
    payload: bool,
    dst: Slot,
    exnref: Option<Slot>,
    landing: Landing,
}

/// One handler region while translating.
#[derive(Debug, Default)]
pub(super) struct RegionBuild {
    start: u32,
    end: Option<u32>,
    clauses: Vec<ClauseBuild>,
    /// `Some` for a legacy `delegate`: the region (by opening number) it delegates to.
    delegate: Option<Option<usize>>,
    /// Whether a legacy `rethrow` names this `try`'s catch blocks (they then keep the
    /// exception in the exception slot).
    rethrown: bool,
    /// Whether this is a legacy `try` (its clauses' `exnref` goes to the exception slot
    /// only when rethrown).
    legacy: bool,
}

/// Where a pad goes after moving the values.
#[derive(Clone, Copy, Debug)]
enum PadTarget {
    /// A return from the function (the clause names the function's label).
    Return,
    /// A branch to `label` with its `n` values placed from height `h`.
    Branch { n: usize, h: usize, label: usize },
}

/// A landing pad to emit after the function's code: the operand stack as the unwinder
/// leaves it (the handler's stack below its entry height, then the clause's values).
#[derive(Debug)]
pub(super) struct Pad {
    stack: Operands,
    target: PadTarget,
}

impl Translator<'_> {
    /// `throw`: the payload is materialized into consecutive slots.
    pub(super) fn throw(&mut self, tag: u32) {
        let n = self.info.tag_type(tag).params().len();
        let args = self.take_args(n);
        self.emit(Op::Throw { tag, args });
        self.set_unreachable();
    }

    /// `throw_ref`.
    pub(super) fn throw_ref(&mut self) {
        let t = self.top();
        let src = self.slot(t);
        self.pop();
        self.emit(Op::ThrowRef { src });
        self.set_unreachable();
    }

    /// Opens a region at the current operator; returns its number.
    fn open_region(&mut self, legacy: bool) -> usize {
        self.regions.push(RegionBuild { start: self.offset, legacy, ..RegionBuild::default() });
        self.regions.len() - 1
    }

    /// Ends region `r`'s covered range at the current operator (once).
    fn close_region(&mut self, r: usize) {
        if self.regions[r].end.is_none() {
            self.regions[r].end = Some(self.offset);
            self.region_order.push(r);
        }
    }

    /// `try_table`: a block whose clauses' targets are resolved outside it.
    pub(super) fn try_table(&mut self, t: &TryTable) {
        let targets: Vec<(Catch, PadTarget)> = t
            .catches
            .iter()
            .map(|c| {
                let label = match *c {
                    Catch::One { label, .. }
                    | Catch::OneRef { label, .. }
                    | Catch::All { label }
                    | Catch::AllRef { label } => label,
                };
                let c2 = &self.ctrls[self.ctrls.len() - 1 - label as usize];
                let target = if c2.kind == Kind::Func {
                    PadTarget::Return
                } else {
                    PadTarget::Branch {
                        n: c2.branch_arity() as usize,
                        h: c2.height as usize,
                        label: c2.label,
                    }
                };
                (*c, target)
            })
            .collect();
        self.push_ctrl(Kind::TryTable, t.ty);
        let h = self.ctrls.last().expect("just pushed").height as usize;
        let region = self.open_region(false);
        self.ctrls.last_mut().expect("just pushed").region = Some(region);
        let mut below = self.stack.clone();
        below.truncate(h);
        for (c, target) in targets {
            let (tag, is_ref) = match c {
                Catch::One { tag, .. } => (Some(tag), false),
                Catch::OneRef { tag, .. } => (Some(tag), true),
                Catch::All { .. } => (None, false),
                Catch::AllRef { .. } => (None, true),
            };
            let mut stack = below.clone();
            let dst = stack.end();
            if let Some(tag) = tag {
                for &ty in self.info.tag_type(tag).params() {
                    stack.push(Entry::Temp, is_wide(ty));
                }
            }
            let exnref = is_ref.then(|| {
                let s = stack.end();
                stack.push(Entry::Temp, false);
                s
            });
            self.max_height = self.max_height.max(stack.end() - self.stack_base);
            self.pads.push(Pad { stack, target });
            let landing = Landing::Pad(self.pads.len() - 1);
            self.regions[region].clauses.push(ClauseBuild {
                tag,
                payload: tag.is_some(),
                dst,
                exnref,
                landing,
            });
        }
    }

    /// The exception slot of the legacy `try` nested `depth` deep (slot 0 in a first pass
    /// that has none yet: that translation is made again).
    fn exn_slot(&mut self, depth: u32) -> Slot {
        self.exn_needed = self.exn_needed.max(depth + 1);
        if depth < self.exn_slots { self.num_locals + self.consts.len() as u32 + depth } else { 0 }
    }

    /// Legacy `try`.
    pub(super) fn try_(&mut self, blockty: BlockType) {
        self.push_ctrl(Kind::Try, blockty);
        let slot = self.exn_slot(self.exn_depth);
        self.exn_depth += 1;
        let region = self.open_region(true);
        let c = self.ctrls.last_mut().expect("just pushed");
        c.region = Some(region);
        c.exn_slot = slot;
    }

    /// Legacy `catch` (`tag`) and `catch_all` (`None`): the `try` body (or the previous
    /// catch block) jumps to the end; the catch block starts with the payload in its slots.
    pub(super) fn catch(&mut self, tag: Option<u32>) {
        let c = self.ctrls.last().expect("validated");
        let (reachable, n, label) = (!c.unreachable, c.results.len(), c.label);
        if reachable {
            self.materialize_top(n);
            self.emit_branch(Op::Br { target: 0 }, label);
        }
        let c = self.ctrls.last_mut().expect("validated");
        let (h, region, exn_slot) = (c.height as usize, c.region, c.exn_slot);
        c.kind = Kind::Catch;
        c.unreachable = false;
        let region = region.expect("a legacy try has a region");
        self.close_region(region);
        self.stack.truncate(h);
        let dst = self.own(h);
        let start = self.new_label();
        self.bind(start);
        if let Some(tag) = tag {
            let params = self.info.tag_type(tag).params();
            self.push_temps(params);
        }
        self.regions[region].clauses.push(ClauseBuild {
            tag,
            payload: tag.is_some(),
            dst,
            exnref: Some(exn_slot),
            landing: Landing::Label(start),
        });
    }

    /// Legacy `delegate`: closes the `try`; an exception its body does not catch goes on at
    /// the handler of the frame `relative_depth` levels out of it (or the caller).
    pub(super) fn delegate(&mut self, relative_depth: u32) {
        let region = self.ctrls.last().and_then(|c| c.region).expect("validated: a try");
        let outer = &self.ctrls[..self.ctrls.len() - 1];
        let from = outer.len() - 1 - relative_depth as usize;
        let target = outer[..=from].iter().rev().find_map(|c| match c.kind {
            Kind::TryTable | Kind::Try => c.region,
            _ => None,
        });
        self.close_region(region);
        self.regions[region].delegate = Some(target);
        self.end();
    }

    /// Legacy `rethrow` of the exception of the catch block `relative_depth` levels out.
    pub(super) fn rethrow(&mut self, relative_depth: u32) {
        let c = &self.ctrls[self.ctrls.len() - 1 - relative_depth as usize];
        let (src, region) = (c.exn_slot, c.region.expect("validated: a catch block"));
        self.regions[region].rethrown = true;
        self.emit(Op::ThrowRef { src });
        self.set_unreachable();
    }

    /// At the `end` of a frame: closes a `try_table`'s or `try`'s region.
    pub(super) fn end_region(&mut self, kind: Kind, region: Option<usize>) {
        if matches!(kind, Kind::Try | Kind::Catch) {
            self.exn_depth -= 1;
        }
        if let Some(r) = region {
            self.close_region(r);
        }
    }

    /// After the function's code: emits the pads and the landing table, and returns the
    /// regions with each clause's landing as its position in that table (counted from the
    /// table's start; [`fix_landings`] makes them code indices once the code is final).
    pub(super) fn finish_handlers(&mut self) -> Vec<HandlerRegion> {
        if self.regions.is_empty() {
            return Vec::new();
        }
        let mut pad_labels = Vec::with_capacity(self.pads.len());
        for pad in std::mem::take(&mut self.pads) {
            self.stack = pad.stack;
            let label = match pad.target {
                PadTarget::Branch { n, h, label } if !self.needs_copy(n, h) => label,
                PadTarget::Branch { n, h, label } => {
                    let start = self.new_label();
                    self.bind(start);
                    self.copy_top_to(n, h);
                    self.emit_branch(Op::Br { target: 0 }, label);
                    start
                }
                PadTarget::Return => {
                    let start = self.new_label();
                    self.bind(start);
                    self.emit_return();
                    start
                }
            };
            pad_labels.push(label);
        }
        // Final numbering: regions in closing order.
        let mut number = vec![0u32; self.regions.len()];
        for (i, &r) in self.region_order.iter().enumerate() {
            number[r] = i as u32;
        }
        let mut out = Vec::with_capacity(self.region_order.len());
        let mut next_landing = 0u32;
        for &r in &self.region_order.clone() {
            let reg = &self.regions[r];
            let (start, end) = (reg.start, reg.end.expect("closed"));
            let action = match reg.delegate {
                Some(target) => RegionAction::Delegate(target.map(|t| number[t])),
                None => {
                    let (legacy, rethrown) = (reg.legacy, reg.rethrown);
                    let clauses: Vec<ClauseBuild> = reg.clauses.clone();
                    let mut built = Vec::with_capacity(clauses.len());
                    for c in clauses {
                        let label = match c.landing {
                            Landing::Label(l) => l,
                            Landing::Pad(p) => pad_labels[p],
                        };
                        self.emit_branch(Op::Landing { target: 0 }, label);
                        built.push(CatchClause {
                            tag: c.tag,
                            payload: c.payload,
                            dst: c.dst,
                            exnref: if legacy && !rethrown { None } else { c.exnref },
                            landing: next_landing,
                        });
                        next_landing += 1;
                    }
                    RegionAction::Catch(built.into_boxed_slice())
                }
            };
            out.push(HandlerRegion { start, end, action });
        }
        out
    }
}

/// Turns each clause's landing-table position into its code index: the table is the last
/// `n` instructions of the final code (of `len` instructions).
pub(super) fn fix_landings(handlers: &mut [HandlerRegion], len: usize) {
    let n: u32 = handlers
        .iter()
        .map(|r| match &r.action {
            RegionAction::Catch(c) => c.len() as u32,
            RegionAction::Delegate(_) => 0,
        })
        .sum();
    let first = len as u32 - n;
    for r in handlers {
        if let RegionAction::Catch(clauses) = &mut r.action {
            for c in clauses.iter_mut() {
                c.landing += first;
            }
        }
    }
}
