//! Tail duplication of switch dispatch: an unconditional `Br` whose target leads, through
//! straight-line code and further `Br`s, to a `BrTable` is replaced by a copy of that code
//! ending in a [`BrTableAt`](Op::BrTableAt) that reads the original table's entries.
//!
//! This is the shape of every interpreter compiled to wasm (Lua's `luaV_execute`, SQLite's
//! VDBE loop, CPython's eval loop): each case ends with a `br` to the code that fetches and
//! decodes the next opcode, often through a second `br` to the loop head, and that code
//! ends in the `br_table` of the switch. Copying it into each case removes one or two
//! dispatches per interpreted opcode, and the copy's `br_table_at` and the case's last
//! instructions can fuse and forward operands as the original's do. The table itself is not
//! copied, so a copy costs at most [`MAX_COPY`] + 1 instructions.
//!
//! Runs on absolute branch targets after [`super::rotate`] and before
//! [`super::fuse::peephole`]; copies keep their wasm offsets (backtraces are unchanged) and
//! contain no call or throw (so exception regions, keyed by wasm offset, are unchanged too).

use super::ir::Op;
use super::rotate::copyable;
use super::splice::{splice, table_entries};

/// Most instructions copied per duplicated dispatch (not counting the `Br`s followed).
const MAX_COPY: usize = 12;
/// Most `Br`s followed from the replaced one to the table.
const MAX_HOPS: usize = 4;

/// Replaces every `Br` of `code` (absolute branch targets; `offsets` parallel) that is not a
/// `BrTable` entry and whose target reaches a `BrTable` as described in the module docs.
pub fn duplicate_dispatch(code: &mut Vec<Op>, offsets: &mut Vec<u32>) {
    if !code.iter().any(|op| matches!(op, Op::BrTable { .. })) {
        return;
    }
    let table_entry = table_entries(code);
    let mut runs: Vec<Option<Vec<(Op, u32)>>> = vec![None; code.len()];
    let mut any = false;
    for j in 0..code.len() {
        if let Op::Br { target } = code[j]
            && !table_entry[j]
            && let Some(run) = dispatch_run(code, target as usize)
        {
            // The copy's `BrTableAt` names the old `BrTable`, renumbered with the rest.
            let (&table, body) = run.split_last().expect("a run ends in its table");
            let Op::BrTable { index, len } = code[table] else {
                unreachable!("a dispatch run ends in a BrTable")
            };
            let copy = body.iter().map(|&p| (code[p], offsets[p]));
            let at = Op::BrTableAt { index, len, table: table as u32 };
            runs[j] = Some(copy.chain([(at, offsets[table])]).collect());
            any = true;
        }
    }
    if any {
        splice(code, offsets, runs);
    }
}

/// The instructions executed from `start` up to and including the first `BrTable` (its
/// index last), leaving out the `Br`s followed; `None` when another kind of instruction
/// that cannot be copied comes first, or the run is longer than [`MAX_COPY`] or
/// [`MAX_HOPS`] allow.
fn dispatch_run(code: &[Op], start: usize) -> Option<Vec<usize>> {
    let mut run = Vec::new();
    let (mut p, mut hops) = (start, 0);
    loop {
        match *code.get(p)? {
            Op::BrTable { .. } => {
                run.push(p);
                return Some(run);
            }
            Op::Br { target } => {
                hops += 1;
                if hops > MAX_HOPS {
                    return None;
                }
                p = target as usize;
            }
            op if copyable(op) && run.len() < MAX_COPY => {
                run.push(p);
                p += 1;
            }
            _ => return None,
        }
    }
}
