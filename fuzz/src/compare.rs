//! Comparing Kiln's results with the reference's, with the spec's float nondeterminism
//! (Core spec 4.3.3, "NaN propagation"): an operation whose result is NaN may return any
//! canonical NaN when its NaN inputs are canonical (or it has none), and any arithmetic
//! NaN (quiet bit set) otherwise. Which rule applied is not known from the outside, so two
//! quiet NaNs compare equal whatever their sign and payload; a signalling NaN can only come
//! from a bitwise operation (load, `copysign`, `neg`, `abs`, `reinterpret`, a constant)
//! whose result is exact, so it must match bit for bit.
//!
//! With `canonicalize_nans` (wasm-smith rewrites every float result to the canonical NaN)
//! everything is exact, including NaNs written to memory. Without it, a memory difference
//! is accepted only where both sides hold a quiet NaN at the differing position (as an
//! `f32` or `f64` at some alignment covering it).

use crate::exec::{ExportState, Outcome, V};

const F32_QUIET: u32 = 0x0040_0000;
const F64_QUIET: u64 = 0x0008_0000_0000_0000;

fn f32_is_nan(b: u32) -> bool {
    b & 0x7F80_0000 == 0x7F80_0000 && b & 0x007F_FFFF != 0
}
fn f64_is_nan(b: u64) -> bool {
    b & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 && b & 0x000F_FFFF_FFFF_FFFF != 0
}

/// Whether Kiln's value `k` is allowed where the reference returned `r`.
pub fn value_matches(k: &V, r: &V) -> bool {
    match (k, r) {
        (V::F32(a), V::F32(b)) if f32_is_nan(*a) && f32_is_nan(*b) => {
            a == b || (a & F32_QUIET != 0 && b & F32_QUIET != 0)
        }
        (V::F64(a), V::F64(b)) if f64_is_nan(*a) && f64_is_nan(*b) => {
            a == b || (a & F64_QUIET != 0 && b & F64_QUIET != 0)
        }
        _ => k == r,
    }
}

/// Whether Kiln's outcome `k` matches the reference's `r` (neither exhausted).
pub fn outcome_matches(k: &Outcome, r: &Outcome) -> bool {
    match (k, r) {
        (Outcome::Ok(a), Outcome::Ok(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| value_matches(x, y))
        }
        (Outcome::Trap(a), Outcome::Trap(b)) => a.same_as(*b),
        (Outcome::Exception(a), Outcome::Exception(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| value_matches(x, y))
        }
        (Outcome::Error(_), Outcome::Error(_)) => true,
        _ => false,
    }
}

/// Whether two Kiln outcomes agree exactly (Kiln's engines must agree with each other on
/// the trap code too; values still under the NaN rule, as the interpreter's float
/// operations may pick other NaNs than Cranelift's).
pub fn kiln_outcomes_agree(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Outcome::Trap(x), Outcome::Trap(y)) => x == y,
        _ => outcome_matches(a, b),
    }
}

/// Whether a byte difference at `i` is explained by two quiet NaNs.
fn nan_explains(k: &[u8], r: &[u8], i: usize) -> bool {
    let word = |m: &[u8], at: usize, n: usize| -> Option<u64> {
        let s = m.get(at..at + n)?;
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(s);
        Some(u64::from_le_bytes(b))
    };
    (0..4).any(|d| {
        i.checked_sub(d).is_some_and(|at| {
            matches!((word(k, at, 4), word(r, at, 4)), (Some(a), Some(b))
                if f32_is_nan(a as u32) && f32_is_nan(b as u32)
                    && a as u32 & F32_QUIET != 0 && b as u32 & F32_QUIET != 0)
        })
    }) || (0..8).any(|d| {
        i.checked_sub(d).is_some_and(|at| {
            matches!((word(k, at, 8), word(r, at, 8)), (Some(a), Some(b))
                if f64_is_nan(a) && f64_is_nan(b) && a & F64_QUIET != 0 && b & F64_QUIET != 0)
        })
    })
}

/// The first difference between Kiln's exported state `k` and the reference's `r`, if
/// any. `exact_memory` when NaNs were canonicalized.
pub fn state_difference(
    k: &[(String, ExportState)],
    r: &[(String, ExportState)],
    exact_memory: bool,
) -> Option<String> {
    if k.len() != r.len() {
        return Some(format!("{} exports vs {}", k.len(), r.len()));
    }
    for ((kn, ks), (rn, rs)) in k.iter().zip(r) {
        if kn != rn {
            return Some(format!("export {kn:?} vs {rn:?}"));
        }
        match (ks, rs) {
            (ExportState::Func, ExportState::Func) => {}
            (ExportState::Memory(a), ExportState::Memory(b)) => {
                if a.len() != b.len() {
                    return Some(format!("memory {kn:?}: {} bytes vs {}", a.len(), b.len()));
                }
                if let Some(i) = (a != b)
                    .then(|| {
                        (0..a.len())
                            .find(|&i| a[i] != b[i] && (exact_memory || !nan_explains(a, b, i)))
                    })
                    .flatten()
                {
                    let hi = (i + 8).min(a.len());
                    return Some(format!(
                        "memory {kn:?} differs at {i}: {:02x?} vs {:02x?}",
                        &a[i..hi],
                        &b[i..hi]
                    ));
                }
            }
            (ExportState::Global(a), ExportState::Global(b)) => {
                if !value_matches(a, b) {
                    return Some(format!("global {kn:?}: {a:?} vs {b:?}"));
                }
            }
            (ExportState::Table(a), ExportState::Table(b)) => {
                if a != b {
                    let i =
                        a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                    return Some(format!(
                        "table {kn:?}: {} elements vs {}, first difference at {i}",
                        a.len(),
                        b.len()
                    ));
                }
            }
            _ => return Some(format!("export {kn:?} has another kind")),
        }
    }
    None
}
