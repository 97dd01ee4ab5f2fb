//! Unsigned 32-bit division by a constant as a multiply and shifts.
//!
//! C compilers leave `x / c` and `x % c` for a constant `c` to the engine when they target
//! WebAssembly (which has no high-half multiply), so every program's decimal formatting,
//! hashing modulo a table size and random-number scaling reaches the interpreter as
//! `i32.div_u` or `i32.rem_u` by a constant: a hardware division, 20 or more cycles. The
//! translator turns those into [`Op::I32DivUConst`](super::ir::Op::I32DivUConst) and
//! [`Op::I32RemUConst`](super::ir::Op::I32RemUConst), which compute the same result
//! exactly with the multiplier and shift from [`magic`]:
//!
//! `x / d == (((x * m) >> 32) + x) >> shift` for every `u32` `x`,
//!
//! where `m + 2^32` is Granlund and Montgomery's multiplier `floor(2^(32 + l) / d) + 1` for
//! `l = ceil(log2 d)` ("Division by invariant integers using multiplication", 1994, theorem
//! 4.2: `2^(32 + l) <= (m + 2^32) * d <= 2^(32 + l) + 2^l` makes the quotient exact), which
//! lies in `[2^32, 2^33)`; the sum cannot overflow 64 bits.

/// The multiplier `m` and `shift` that divide a `u32` by `d` (not 0) with [`quotient`].
pub fn magic(d: u32) -> (u32, u8) {
    debug_assert!(d != 0, "division by zero has no multiplier");
    let l = 32 - (d - 1).leading_zeros();
    let m = (1u128 << (32 + l)) / d as u128 + 1;
    ((m - (1 << 32)) as u32, l as u8)
}

/// `x / d` for the `(m, shift)` that [`magic`] gives for `d`.
#[inline(always)]
pub fn quotient(x: u32, m: u32, shift: u8) -> u32 {
    ((((x as u64 * m as u64) >> 32) + x as u64) >> shift) as u32
}

/// `x % d` for the `(m, shift)` that [`magic`] gives for `d`: `x - (x / d) * d`.
#[inline(always)]
pub fn remainder(x: u32, m: u32, d: u32, shift: u8) -> u32 {
    x.wrapping_sub(quotient(x, m, shift).wrapping_mul(d))
}

#[cfg(test)]
mod tests {
    use super::{magic, quotient};

    /// Every divisor up to 70,000, the powers of two and their neighbours and the largest
    /// divisors, each against dividends at the edges (0, 1, around multiples of `d`,
    /// around powers of two, the largest) and pseudo-random ones.
    #[test]
    fn quotients_are_exact() {
        let mut divisors: Vec<u32> = (1..70_000).collect();
        for k in 16..32 {
            let p = 1u32 << k;
            divisors.extend([p - 1, p, p + 1]);
        }
        divisors.extend([u32::MAX, u32::MAX - 1, 0x8000_0001, 1_000_000_007, 86_400]);
        let mut seed = 0x9e37_79b9_u32;
        for d in divisors {
            let (m, shift) = magic(d);
            let mut xs = vec![0, 1, d - 1, d, d.wrapping_add(1), u32::MAX, u32::MAX - 1];
            xs.extend([u32::MAX / d * d, (u32::MAX / d * d).wrapping_sub(1)]);
            xs.extend((0..32).map(|k| 1u32 << k).flat_map(|p| [p - 1, p]));
            for _ in 0..16 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                xs.push(seed);
            }
            for x in xs {
                assert_eq!(quotient(x, m, shift), x / d, "{x} / {d} (m = {m}, shift = {shift})");
            }
        }
    }
}
