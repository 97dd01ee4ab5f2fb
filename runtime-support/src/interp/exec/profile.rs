//! An instruction profile of interpreted code, for finding where the interpreter spends its
//! time (only in builds made with `KILN_INTERP_PROFILE=1` in the environment, see
//! `build.rs`; never in a release).
//!
//! Such a build threads no specialized pairs, so every instruction goes through
//! [`super::dispatch::dispatch`], which counts it (in builds with `cfg(kiln_tail_dispatch)`,
//! optimized ones on x86_64 and aarch64; the trampoline loop of other builds counts
//! nothing): by kind, by (previous kind, kind) pair, by address, and the jumps back (to a
//! lower address: loops) by the kind that jumped and the kind jumped to. When an outermost
//! interpreted call returns, the profile so far is written to the file named by
//! `KILN_INTERP_PROFILE_OUT` (default `kiln-interp-profile.txt` in the working directory):
//! the most executed kinds and pairs, the jumps back, and the hottest instructions in
//! address order (so that a loop's instructions read as a block), each with its count and
//! disassembly.

use super::super::ir::{Instr, Op};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Default)]
struct Profile {
    total: u64,
    prev: &'static str,
    prev_pc: usize,
    backward: HashMap<(&'static str, &'static str), u64>,
    kinds: HashMap<&'static str, u64>,
    pairs: HashMap<(&'static str, &'static str), u64>,
    pcs: HashMap<usize, (u64, Op)>,
}

thread_local! {
    static PROFILE: RefCell<Profile> = RefCell::new(Profile::default());
}

/// Counts one execution of the instruction at `pc`.
///
/// # Safety
/// `pc` must point to a live instruction.
#[inline(never)]
pub unsafe fn count(pc: *const Instr) {
    // SAFETY: per the contract.
    let op = unsafe { (*pc).op };
    let name = op.name();
    PROFILE.with(|p| {
        let mut p = p.borrow_mut();
        p.total += 1;
        *p.kinds.entry(name).or_default() += 1;
        let prev = std::mem::replace(&mut p.prev, name);
        *p.pairs.entry((prev, name)).or_default() += 1;
        if (pc as usize) < std::mem::replace(&mut p.prev_pc, pc as usize) {
            *p.backward.entry((prev, name)).or_default() += 1;
        }
        p.pcs.entry(pc as usize).or_insert((0, op)).0 += 1;
    });
}

/// Writes the profile so far (see the module doc).
pub fn write() {
    let text = PROFILE.with(|p| report(&p.borrow()));
    let path = std::env::var("KILN_INTERP_PROFILE_OUT")
        .unwrap_or_else(|_| "kiln-interp-profile.txt".to_string());
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("kiln: cannot write the interpreter profile to {path}: {e}");
    }
}

fn report(p: &Profile) -> String {
    let pct = |n: u64| 100.0 * n as f64 / p.total.max(1) as f64;
    let mut out = format!("{} instructions executed\n\n## kinds\n", p.total);
    let mut kinds: Vec<_> = p.kinds.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1));
    for (k, n) in kinds.iter().take(80) {
        let _ = writeln!(out, "{:6.2}% {n:>14} {k}", pct(**n));
    }
    out.push_str("\n## pairs (previous, this)\n");
    let mut pairs: Vec<_> = p.pairs.iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(a.1));
    for ((a, b), n) in pairs.iter().take(120) {
        let _ = writeln!(out, "{:6.2}% {n:>14} {a} -> {b}", pct(**n));
    }
    out.push_str("\n## jumps back (from, to)\n");
    let mut back: Vec<_> = p.backward.iter().collect();
    back.sort_by(|a, b| b.1.cmp(a.1));
    for ((a, b), n) in back.iter().take(60) {
        let _ = writeln!(out, "{:6.2}% {n:>14} {a} -> {b}", pct(**n));
    }
    out.push_str("\n## hottest instructions, in address order (`...` marks a gap)\n");
    let mut pcs: Vec<_> = p.pcs.iter().collect();
    pcs.sort_by_key(|e| std::cmp::Reverse(e.1.0));
    pcs.truncate(300);
    pcs.sort_by_key(|e| *e.0);
    let size = std::mem::size_of::<Instr>();
    let mut last = 0usize;
    for (pc, (n, op)) in pcs {
        if *pc != last + size {
            out.push_str("   ...\n");
        }
        last = *pc;
        let _ = writeln!(out, "{:6.2}% {n:>14} {pc:#x} {op}", pct(*n));
    }
    out
}
