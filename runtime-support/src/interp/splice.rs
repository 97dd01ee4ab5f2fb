//! Rebuilding a function's code with some instructions replaced by runs of instructions,
//! branch targets renumbered: what loop rotation ([`super::rotate`]) and tail duplication
//! ([`super::tail_dup`]) share.

use super::ir::Op;

/// Which instructions of `code` are `BrTable` entries (they stay where they are: the table
/// reads them by position).
pub fn table_entries(code: &[Op]) -> Vec<bool> {
    let mut entry = vec![false; code.len()];
    for (i, op) in code.iter().enumerate() {
        if let Op::BrTable { len, .. } = *op {
            for e in entry.iter_mut().skip(i + 1).take(len as usize + 1) {
                *e = true;
            }
        }
    }
    entry
}

/// Replaces each instruction `i` of `code` (absolute branch targets; `offsets` parallel)
/// whose `runs[i]` is `Some(run)` by `run`: instructions with their wasm offsets, whose
/// branch targets are indices of the old code. Every branch target is then renumbered; a
/// target that was a replaced instruction becomes the start of its run.
pub fn splice(code: &mut Vec<Op>, offsets: &mut Vec<u32>, runs: Vec<Option<Vec<(Op, u32)>>>) {
    let n = code.len();
    let mut out = Vec::with_capacity(n + 16);
    let mut out_offsets = Vec::with_capacity(n + 16);
    let mut map = vec![0u32; n + 1];
    for (i, run) in runs.into_iter().enumerate() {
        map[i] = out.len() as u32;
        match run {
            Some(run) => {
                for (op, offset) in run {
                    out.push(op);
                    out_offsets.push(offset);
                }
            }
            None => {
                out.push(code[i]);
                out_offsets.push(offsets[i]);
            }
        }
    }
    map[n] = out.len() as u32;
    for op in &mut out {
        if let Some(t) = op.target_mut() {
            *t = map[*t as usize];
        }
    }
    *code = out;
    *offsets = out_offsets;
}
