//! Fused f64 handlers (made by `fuse::peephole`): an arithmetic op feeding a second one, or
//! feeding a compare-and-branch. Each op rounds on its own, exactly as the separate
//! instructions would (no fused multiply-add); the intermediate `t` is written to its slot.

// `!(x < y)` on floats is the point of the `Not*` branches: it is true for NaN operands,
// which `x >= y` is not.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::*;

/// Chain handlers: `t = f(a, b)` (written), then `dst = g(t, c)`, with `c` read after `t`
/// is written (so `c` may be `t`).
macro_rules! chain {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $first:expr, |$t:ident, $c:ident| $second:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { t, a, b, c, dst } {
            // SAFETY: translated slots lie inside the current frame; `pc` is not the last
            // instruction (every function ends in `Return`).
            unsafe {
                let $x = f64::of(get(fp, a as Slot));
                let $y = f64::of(get(fp, b as Slot));
                let $t: f64 = $first;
                set(fp, t as Slot, $t.bits());
                let $c = f64::of(get(fp, c as Slot));
                set(fp, dst as Slot, ($second).bits());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Chain-then-multiply handlers: as [`chain!`] with result `d`, then `e = d * f`, with `f`
/// read after `d` is written.
macro_rules! chain_mul {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $first:expr, |$t:ident, $c:ident| $second:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { t, a, b, c, d, e, f } {
            // SAFETY: as in `chain!`.
            unsafe {
                let $x = f64::of(get(fp, a as Slot));
                let $y = f64::of(get(fp, b as Slot));
                let $t: f64 = $first;
                set(fp, t as Slot, $t.bits());
                let $c = f64::of(get(fp, c as Slot));
                let v: f64 = $second;
                set(fp, d as Slot, v.bits());
                let w = v * f64::of(get(fp, f as Slot));
                set(fp, e as Slot, w.bits());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

/// Op-then-branch handlers: `t = f(a, b)` (written), then jump to `target` when
/// `test(t, c)` holds, with `c` read after `t` is written.
macro_rules! op_branch {
    ($($name:ident = $var:ident, |$x:ident, $y:ident| $first:expr, |$t:ident, $c:ident| $test:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { t, a, b, c, target } {
            // SAFETY: translated slots lie inside the frame; the target and the next
            // instruction belong to the current function.
            unsafe {
                let $x = f64::of(get(fp, a as Slot));
                let $y = f64::of(get(fp, b as Slot));
                let $t: f64 = $first;
                set(fp, t as Slot, $t.bits());
                let $c = f64::of(get(fp, c as Slot));
                if $test {
                    dispatch(jump(pc, target), fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

chain! {
    f64_add_add = F64AddAdd, |x, y| x + y, |t, c| t + c;
    f64_add_sub = F64AddSub, |x, y| x + y, |t, c| t - c;
    f64_add_rsub = F64AddRSub, |x, y| x + y, |t, c| c - t;
    f64_add_mul = F64AddMul, |x, y| x + y, |t, c| t * c;
    f64_sub_add = F64SubAdd, |x, y| x - y, |t, c| t + c;
    f64_sub_sub = F64SubSub, |x, y| x - y, |t, c| t - c;
    f64_sub_rsub = F64SubRSub, |x, y| x - y, |t, c| c - t;
    f64_sub_mul = F64SubMul, |x, y| x - y, |t, c| t * c;
    f64_mul_add = F64MulAdd, |x, y| x * y, |t, c| t + c;
    f64_mul_sub = F64MulSub, |x, y| x * y, |t, c| t - c;
    f64_mul_rsub = F64MulRSub, |x, y| x * y, |t, c| c - t;
    f64_mul_mul = F64MulMul, |x, y| x * y, |t, c| t * c;
}

chain_mul! {
    f64_add_add_mul = F64AddAddMul, |x, y| x + y, |t, c| t + c;
    f64_add_sub_mul = F64AddSubMul, |x, y| x + y, |t, c| t - c;
    f64_add_rsub_mul = F64AddRSubMul, |x, y| x + y, |t, c| c - t;
    f64_add_mul_mul = F64AddMulMul, |x, y| x + y, |t, c| t * c;
    f64_sub_add_mul = F64SubAddMul, |x, y| x - y, |t, c| t + c;
    f64_sub_sub_mul = F64SubSubMul, |x, y| x - y, |t, c| t - c;
    f64_sub_rsub_mul = F64SubRSubMul, |x, y| x - y, |t, c| c - t;
    f64_sub_mul_mul = F64SubMulMul, |x, y| x - y, |t, c| t * c;
    f64_mul_add_mul = F64MulAddMul, |x, y| x * y, |t, c| t + c;
    f64_mul_sub_mul = F64MulSubMul, |x, y| x * y, |t, c| t - c;
    f64_mul_rsub_mul = F64MulRSubMul, |x, y| x * y, |t, c| c - t;
    f64_mul_mul_mul = F64MulMulMul, |x, y| x * y, |t, c| t * c;
}

op_branch! {
    f64_add_br_lt = F64AddBrLt, |x, y| x + y, |t, c| t < c;
    f64_add_br_gt = F64AddBrGt, |x, y| x + y, |t, c| t > c;
    f64_add_br_le = F64AddBrLe, |x, y| x + y, |t, c| t <= c;
    f64_add_br_ge = F64AddBrGe, |x, y| x + y, |t, c| t >= c;
    f64_add_br_not_lt = F64AddBrNotLt, |x, y| x + y, |t, c| !(t < c);
    f64_add_br_not_gt = F64AddBrNotGt, |x, y| x + y, |t, c| !(t > c);
    f64_add_br_not_le = F64AddBrNotLe, |x, y| x + y, |t, c| !(t <= c);
    f64_add_br_not_ge = F64AddBrNotGe, |x, y| x + y, |t, c| !(t >= c);
    f64_sub_br_lt = F64SubBrLt, |x, y| x - y, |t, c| t < c;
    f64_sub_br_gt = F64SubBrGt, |x, y| x - y, |t, c| t > c;
    f64_sub_br_le = F64SubBrLe, |x, y| x - y, |t, c| t <= c;
    f64_sub_br_ge = F64SubBrGe, |x, y| x - y, |t, c| t >= c;
    f64_sub_br_not_lt = F64SubBrNotLt, |x, y| x - y, |t, c| !(t < c);
    f64_sub_br_not_gt = F64SubBrNotGt, |x, y| x - y, |t, c| !(t > c);
    f64_sub_br_not_le = F64SubBrNotLe, |x, y| x - y, |t, c| !(t <= c);
    f64_sub_br_not_ge = F64SubBrNotGe, |x, y| x - y, |t, c| !(t >= c);
    f64_mul_br_lt = F64MulBrLt, |x, y| x * y, |t, c| t < c;
    f64_mul_br_gt = F64MulBrGt, |x, y| x * y, |t, c| t > c;
    f64_mul_br_le = F64MulBrLe, |x, y| x * y, |t, c| t <= c;
    f64_mul_br_ge = F64MulBrGe, |x, y| x * y, |t, c| t >= c;
    f64_mul_br_not_lt = F64MulBrNotLt, |x, y| x * y, |t, c| !(t < c);
    f64_mul_br_not_gt = F64MulBrNotGt, |x, y| x * y, |t, c| !(t > c);
    f64_mul_br_not_le = F64MulBrNotLe, |x, y| x * y, |t, c| !(t <= c);
    f64_mul_br_not_ge = F64MulBrNotGe, |x, y| x * y, |t, c| !(t >= c);
}
