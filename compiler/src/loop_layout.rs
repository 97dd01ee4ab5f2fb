//! Where a function starts, chosen so that its innermost loops' header and latch blocks do
//! not straddle a 64-byte line.
//!
//! Cranelift does not align loops, so where a loop's blocks fall against 64-byte lines
//! depends on where its function starts. On CPUs that fetch (and cache decoded
//! instructions) by 64-byte line, as AMD's Zen cores do, a hot block that straddles two
//! lines costs an extra fetch on every iteration: the same machine code of a small loop was
//! measured 15-25% slower at some start offsets than at others. The linker places each
//! function with loops at the offset within a 64-byte line (in steps of its required
//! alignment, which the linker makes at least 16 bytes) that keeps the most header and latch blocks of its
//! innermost loops inside one line, the least padding among equals; a function without
//! loops starts at its preferred alignment, as before. The choice depends only on the code,
//! so artifacts stay reproducible.
//!
//! Loops are found on the machine code's layout ([`cranelift_codegen::CompiledCode`]'s
//! `bb_starts` and `bb_edges`, which the `machine_code_cfg_info` flag asks for): an edge to
//! a block at or before its source is a back edge, its target the loop's header, its
//! source a latch; a loop is innermost when no other loop's header lies inside its span.

use std::collections::BTreeMap;

/// The width of the lines a hot block should stay within, in bytes.
pub const LINE: u32 = 64;

/// The code ranges `[start, end)` (byte offsets in the function) of the header and latch
/// blocks of the innermost loops of a function whose blocks start at `bb_starts` (sorted,
/// the first at 0) with control-flow edges `bb_edges` (source block start, target block
/// start), and whose code is `code_len` bytes long. Blocks longer than [`LINE`] are left
/// out: no placement keeps them within a line.
pub fn loop_blocks(bb_starts: &[u32], bb_edges: &[(u32, u32)], code_len: u32) -> Vec<(u32, u32)> {
    // Each loop header and the latches that branch back to it.
    let mut loops: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(from, to) in bb_edges {
        if to <= from {
            loops.entry(to).or_default().push(from);
        }
    }
    let block_end = |start: u32| match bb_starts.binary_search(&start) {
        Ok(i) => bb_starts.get(i + 1).copied().unwrap_or(code_len),
        Err(_) => start,
    };
    let span_end = |latches: &Vec<u32>| latches.iter().map(|&l| block_end(l)).max().unwrap_or(0);
    let mut out = Vec::new();
    for (&header, latches) in &loops {
        let end = span_end(latches).max(header + 1);
        let encloses_another = loops.range(header + 1..end).next().is_some();
        if encloses_another {
            continue;
        }
        for start in std::iter::once(header).chain(latches.iter().copied()) {
            let end = block_end(start);
            if end > start && end - start <= LINE && !out.contains(&(start, end)) {
                out.push((start, end));
            }
        }
    }
    out.sort_unstable();
    out
}

/// The offset at or after `cur` at which to place a function that must be aligned to
/// `required` bytes, prefers `preferred` (both powers of two), and has the hot blocks
/// `blocks` (from [`loop_blocks`]).
pub fn start(cur: usize, required: u32, preferred: u32, blocks: &[(u32, u32)]) -> usize {
    let step = required as usize;
    if blocks.is_empty() || step >= LINE as usize {
        return cur.next_multiple_of(preferred.max(required) as usize);
    }
    let first = cur.next_multiple_of(step);
    let straddling = |at: usize| {
        blocks
            .iter()
            .filter(|&&(s, e)| {
                (at + s as usize) / LINE as usize != (at + e as usize - 1) / LINE as usize
            })
            .count()
    };
    (0..LINE as usize / step)
        .map(|k| first + k * step)
        .min_by_key(|&at| (straddling(at), at))
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::{loop_blocks, start};

    #[test]
    fn innermost_loops_give_their_header_and_latches() {
        // Blocks at 0, 10, 40, 60, 100, 130; an outer loop 10..=100 (latch 100 -> 10)
        // around an inner one 40..=60 (latch 60 -> 40, and a second latch 60 -> 40 does not
        // repeat it); a forward edge 0 -> 130 is no loop.
        let starts = [0, 10, 40, 60, 100, 130];
        let edges = [(0, 130), (10, 40), (60, 40), (60, 40), (60, 100), (100, 10)];
        assert_eq!(loop_blocks(&starts, &edges, 150), [(40, 60), (60, 100)]);
        // A self-loop is its own header and latch.
        assert_eq!(loop_blocks(&[0, 8, 20], &[(8, 8)], 30), [(8, 20)]);
        // A block longer than a line is left out.
        assert_eq!(loop_blocks(&[0, 100], &[(0, 0)], 200), []);
    }

    #[test]
    fn the_start_keeps_hot_blocks_within_a_line() {
        // A 24-byte header at offset 42 straddles a line when the function starts at 0 mod
        // 64 (42..66); at 16 it is 58..82, also straddling; at 32, 74..98: inside one line.
        assert_eq!(start(0, 16, 32, &[(42, 66)]), 32);
        // Ties keep the least padding: nothing straddles at the first candidate.
        assert_eq!(start(100, 16, 32, &[(0, 8)]), 112);
        // Without loops, the preferred alignment as before.
        assert_eq!(start(100, 16, 32, &[]), 128);
        // A required alignment of a line or more leaves no choice.
        assert_eq!(start(100, 64, 32, &[(42, 66)]), 128);
        // Candidates step by the required alignment.
        assert_eq!(start(1, 32, 32, &[(42, 66)]), 32);
    }
}
