//! `v128` lane access, splats, shuffles and bitwise operations.

use super::*;

/// Lane extraction handlers: `dst = f(src, lane)` (a scalar).
macro_rules! extract {
    ($($name:ident = $var:ident, |$x:ident, $l:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, src, lane } {
            // SAFETY: as in `v_unary!`.
            unsafe {
                let $x = get_v(fp, src);
                let $l = lane as usize;
                set(fp, dst, Bits::bits($e));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

extract! {
    i8x16_extract_lane_s = I8x16ExtractLaneS, |v, l| v.i8x16()[l % 16] as i32;
    i8x16_extract_lane_u = I8x16ExtractLaneU, |v, l| v.u8x16()[l % 16] as u32;
    i16x8_extract_lane_s = I16x8ExtractLaneS, |v, l| v.i16x8()[l % 8] as i32;
    i16x8_extract_lane_u = I16x8ExtractLaneU, |v, l| v.u16x8()[l % 8] as u32;
    i32x4_extract_lane = I32x4ExtractLane, |v, l| v.u32x4()[l % 4];
    i64x2_extract_lane = I64x2ExtractLane, |v, l| v.u64x2()[l % 2];
}

/// Lane replacement handlers: `dst = vec` with lane `lane` set to `f(value)`.
macro_rules! replace {
    ($($name:ident = $var:ident, $get:ident, $from:ident, $n:literal, |$x:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, vec, value, lane } {
            // SAFETY: as in `v_unary!`.
            unsafe {
                let mut lanes = get_v(fp, vec).$get();
                let $x = get(fp, value);
                lanes[lane as usize % $n] = $e;
                set_v(fp, dst, Vector::$from(lanes));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

replace! {
    i8x16_replace_lane = I8x16ReplaceLane, u8x16, from_u8x16, 16, |x| x as u8;
    i16x8_replace_lane = I16x8ReplaceLane, u16x8, from_u16x8, 8, |x| x as u16;
    i32x4_replace_lane = I32x4ReplaceLane, u32x4, from_u32x4, 4, |x| x as u32;
    i64x2_replace_lane = I64x2ReplaceLane, u64x2, from_u64x2, 2, |x| x;
}

/// Splat handlers: every lane of `dst` is `f(src)` (a scalar).
macro_rules! splat {
    ($($name:ident = $var:ident, |$x:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, src } {
            // SAFETY: as in `v_unary!`.
            unsafe {
                let $x = get(fp, src);
                set_v(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

splat! {
    i8x16_splat = I8x16Splat, |x| Vector::from_u8x16([x as u8; 16]);
    i16x8_splat = I16x8Splat, |x| Vector::from_u16x8([x as u16; 8]);
    i32x4_splat = I32x4Splat, |x| Vector::from_u32x4([x as u32; 4]);
    i64x2_splat = I64x2Splat, |x| Vector::from_u64x2([x; 2]);
}

handler!(fn i8x16_shuffle(pc, fp, mem, len, st, reg) = I8x16Shuffle { dst, a, b, lanes } {
    // SAFETY: as in `v_unary!`; `lanes` is an entry of the running function's constant
    // pool (made by the translator with the instruction).
    unsafe {
        let func = &*(*st).func;
        let m = Vector::from_bits(*func.v128_consts.get_unchecked(lanes as usize));
        set_v(fp, dst, get_v(fp, a).shuffle(get_v(fp, b), m));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

v_binary! {
    i8x16_swizzle = I8x16Swizzle, |a, s| a.swizzle(s);
    v128_and = V128And, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), |x, y| x & y));
    v128_andnot = V128AndNot, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), |x, y| x & !y));
    v128_or = V128Or, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), |x, y| x | y));
    v128_xor = V128Xor, |a, b| Vector::from_u64x2(zip(a.u64x2(), b.u64x2(), |x, y| x ^ y));
}

v_unary! {
    v128_not = V128Not, |a| Vector::from_u64x2(map(a.u64x2(), |x| !x));
}

v_ternary! {
    v128_bitselect = V128Bitselect, |a, b, c| {
        Vector::from_u64x2(zip3(a.u64x2(), b.u64x2(), c.u64x2(), |x, y, m| (x & m) | (y & !m)))
    };
}

v_test! {
    v128_any_true = V128AnyTrue, |a| a.any();
}
