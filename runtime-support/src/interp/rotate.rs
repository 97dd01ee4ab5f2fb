//! Loop rotation: a loop's unconditional back edge (`Br` to an earlier instruction) is
//! replaced by a copy of the loop's first instructions, up to and including a conditional
//! branch that jumps inside the loop, followed by a `Br` to the instruction after the copied
//! prefix. Every path executes the same instructions in the same order as before; when the
//! copied branch is taken (its usual case: it skips part of the loop body rather than
//! leaving the loop), the `Br` of the back edge is no longer dispatched at all.
//!
//! Runs on absolute branch targets before [`super::fuse::peephole`], so a copied head can
//! fuse with the end of the loop body before it; copies keep their wasm offsets
//! (backtraces are unchanged).

use super::ir::Op;
use super::splice::{splice, table_entries};

/// Most instructions copied per rotated back edge.
const MAX_COPY: usize = 8;

/// Rotates every loop of `code` (absolute branch targets; `offsets` parallel) whose back
/// edge is a `Br` and whose head, within [`MAX_COPY`] instructions of straight-line code or
/// conditional branches, has a conditional branch to inside the loop.
pub fn rotate_loops(code: &mut Vec<Op>, offsets: &mut Vec<u32>) {
    // `Br`s that are `BrTable` entries stay where they are.
    let table_entry = table_entries(code);
    let mut runs: Vec<Option<Vec<(Op, u32)>>> = vec![None; code.len()];
    let mut any = false;
    for j in 0..code.len() {
        if let Op::Br { target } = code[j]
            && !table_entry[j]
            && (target as usize) <= j
            && let Some(prefix) = rotated_head(code, target as usize, j)
        {
            let after = *prefix.last().expect("a prefix ends in a branch") as u32 + 1;
            let copy = prefix.iter().map(|&p| (code[p], offsets[p]));
            runs[j] = Some(copy.chain([(Op::Br { target: after }, offsets[j])]).collect());
            any = true;
        }
    }
    if any {
        splice(code, offsets, runs);
    }
}

/// The indices of the head of the loop `h..=j` (back edge `Br` at `j`) to copy in place of
/// the back edge: straight-line instructions and conditional branches up to and including
/// the first conditional branch into the loop; `None` if there is none within
/// [`MAX_COPY`] instructions or an instruction that cannot be copied comes first.
fn rotated_head(code: &[Op], h: usize, j: usize) -> Option<Vec<usize>> {
    let mut prefix = Vec::new();
    for (p, &op) in code.iter().enumerate().take(j.min(h + MAX_COPY)).skip(h) {
        if !copyable(op) {
            return None;
        }
        prefix.push(p);
        if let Some(t) = op.target()
            && (h..=j).contains(&(t as usize))
        {
            return Some(prefix);
        }
    }
    None
}

/// Whether `op` may run from a copy: it neither ends the straight-line run unconditionally
/// nor reads the instructions after it (`Select`'s `Aux`, `BrTable`'s entries), and it is
/// no call (kept single so that call sites stay unique).
pub(super) fn copyable(op: Op) -> bool {
    !matches!(
        op,
        Op::Br { .. }
            | Op::BrTable { .. }
            | Op::Return
            | Op::ReturnSlot { .. }
            | Op::Unreachable
            | Op::Select { .. }
            | Op::Aux { .. }
            | Op::Call { .. }
            | Op::CallCopy { .. }
            | Op::CallIndirectCopy { .. }
            | Op::CallImport { .. }
            | Op::CallIndirect { .. }
            | Op::ReturnCall { .. }
            | Op::ReturnCallImport { .. }
            | Op::ReturnCallIndirect { .. }
            | Op::CallRef { .. }
            | Op::ReturnCallRef { .. }
            | Op::Throw { .. }
            | Op::ThrowRef { .. }
            | Op::Landing { .. }
    )
}
