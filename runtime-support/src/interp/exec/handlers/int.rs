//! Integer arithmetic, comparison and bit handlers (i32 and i64).

use super::*;

/// Signed division with the spec's traps.
macro_rules! div_s {
    ($x:expr, $y:expr, $t:ty) => {{
        let (x, y) = ($x, $y);
        if y == 0 {
            Err(TrapCode::IntegerDivideByZero)
        } else if x == <$t>::MIN && y == -1 {
            Err(TrapCode::IntegerOverflow)
        } else {
            Ok(x / y)
        }
    }};
}

/// `op` unless the divisor is zero.
macro_rules! nonzero {
    ($y:expr, $e:expr) => {
        if $y == 0 { Err(TrapCode::IntegerDivideByZero) } else { Ok($e) }
    };
}

unary! {
    i32_eqz = I32Eqz, |x: u32| x == 0;
    i32_clz = I32Clz, |x: u32| x.leading_zeros();
    i32_ctz = I32Ctz, |x: u32| x.trailing_zeros();
    i32_popcnt = I32Popcnt, |x: u32| x.count_ones();
    i64_eqz = I64Eqz, |x: u64| x == 0;
    i64_clz = I64Clz, |x: u64| x.leading_zeros() as u64;
    i64_ctz = I64Ctz, |x: u64| x.trailing_zeros() as u64;
    i64_popcnt = I64Popcnt, |x: u64| x.count_ones() as u64;
}

binary! {
    i32_eq = I32Eq, |x: u32, y: u32| x == y;
    i32_ne = I32Ne, |x: u32, y: u32| x != y;
    i32_lt_s = I32LtS, |x: i32, y: i32| x < y;
    i32_lt_u = I32LtU, |x: u32, y: u32| x < y;
    i32_gt_s = I32GtS, |x: i32, y: i32| x > y;
    i32_gt_u = I32GtU, |x: u32, y: u32| x > y;
    i32_le_s = I32LeS, |x: i32, y: i32| x <= y;
    i32_le_u = I32LeU, |x: u32, y: u32| x <= y;
    i32_ge_s = I32GeS, |x: i32, y: i32| x >= y;
    i32_ge_u = I32GeU, |x: u32, y: u32| x >= y;
    i32_add = I32Add, |x: u32, y: u32| x.wrapping_add(y);
    i32_sub = I32Sub, |x: u32, y: u32| x.wrapping_sub(y);
    i32_mul = I32Mul, |x: u32, y: u32| x.wrapping_mul(y);
    i32_and = I32And, |x: u32, y: u32| x & y;
    i32_or = I32Or, |x: u32, y: u32| x | y;
    i32_xor = I32Xor, |x: u32, y: u32| x ^ y;
    i32_shl = I32Shl, |x: u32, y: u32| x.wrapping_shl(y);
    i32_shr_s = I32ShrS, |x: i32, y: u32| x.wrapping_shr(y);
    i32_shr_u = I32ShrU, |x: u32, y: u32| x.wrapping_shr(y);
    i32_rotl = I32Rotl, |x: u32, y: u32| x.rotate_left(y % 32);
    i32_rotr = I32Rotr, |x: u32, y: u32| x.rotate_right(y % 32);
    i64_eq = I64Eq, |x: u64, y: u64| x == y;
    i64_ne = I64Ne, |x: u64, y: u64| x != y;
    i64_lt_s = I64LtS, |x: i64, y: i64| x < y;
    i64_lt_u = I64LtU, |x: u64, y: u64| x < y;
    i64_gt_s = I64GtS, |x: i64, y: i64| x > y;
    i64_gt_u = I64GtU, |x: u64, y: u64| x > y;
    i64_le_s = I64LeS, |x: i64, y: i64| x <= y;
    i64_le_u = I64LeU, |x: u64, y: u64| x <= y;
    i64_ge_s = I64GeS, |x: i64, y: i64| x >= y;
    i64_ge_u = I64GeU, |x: u64, y: u64| x >= y;
    i64_add = I64Add, |x: u64, y: u64| x.wrapping_add(y);
    i64_sub = I64Sub, |x: u64, y: u64| x.wrapping_sub(y);
    i64_mul = I64Mul, |x: u64, y: u64| x.wrapping_mul(y);
    i64_and = I64And, |x: u64, y: u64| x & y;
    i64_or = I64Or, |x: u64, y: u64| x | y;
    i64_xor = I64Xor, |x: u64, y: u64| x ^ y;
    i64_shl = I64Shl, |x: u64, y: u64| x.wrapping_shl(y as u32);
    i64_shr_s = I64ShrS, |x: i64, y: u64| x.wrapping_shr(y as u32);
    i64_shr_u = I64ShrU, |x: u64, y: u64| x.wrapping_shr(y as u32);
    i64_rotl = I64Rotl, |x: u64, y: u64| x.rotate_left((y % 64) as u32);
    i64_rotr = I64Rotr, |x: u64, y: u64| x.rotate_right((y % 64) as u32);
}

binary_try! {
    i32_div_s = I32DivS, |x: i32, y: i32| div_s!(x, y, i32);
    i32_div_u = I32DivU, |x: u32, y: u32| nonzero!(y, x / y);
    i32_rem_s = I32RemS, |x: i32, y: i32| nonzero!(y, x.wrapping_rem(y));
    i32_rem_u = I32RemU, |x: u32, y: u32| nonzero!(y, x % y);
    i64_div_s = I64DivS, |x: i64, y: i64| div_s!(x, y, i64);
    i64_div_u = I64DivU, |x: u64, y: u64| nonzero!(y, x / y);
    i64_rem_s = I64RemS, |x: i64, y: i64| nonzero!(y, x.wrapping_rem(y));
    i64_rem_u = I64RemU, |x: u64, y: u64| nonzero!(y, x % y);
}

binary_imm! {
    i32_eq_imm = I32EqImm, |x: u32, y: u32| x == y;
    i32_ne_imm = I32NeImm, |x: u32, y: u32| x != y;
    i32_lt_s_imm = I32LtSImm, |x: i32, y: i32| x < y;
    i32_lt_u_imm = I32LtUImm, |x: u32, y: u32| x < y;
    i32_gt_s_imm = I32GtSImm, |x: i32, y: i32| x > y;
    i32_gt_u_imm = I32GtUImm, |x: u32, y: u32| x > y;
    i32_le_s_imm = I32LeSImm, |x: i32, y: i32| x <= y;
    i32_le_u_imm = I32LeUImm, |x: u32, y: u32| x <= y;
    i32_ge_s_imm = I32GeSImm, |x: i32, y: i32| x >= y;
    i32_ge_u_imm = I32GeUImm, |x: u32, y: u32| x >= y;
    i32_add_imm = I32AddImm, |x: u32, y: u32| x.wrapping_add(y);
    i32_rsub_imm = I32RsubImm, |x: u32, y: u32| y.wrapping_sub(x);
    i32_mul_imm = I32MulImm, |x: u32, y: u32| x.wrapping_mul(y);
    i32_and_imm = I32AndImm, |x: u32, y: u32| x & y;
    i32_or_imm = I32OrImm, |x: u32, y: u32| x | y;
    i32_xor_imm = I32XorImm, |x: u32, y: u32| x ^ y;
    i32_shl_imm = I32ShlImm, |x: u32, y: u32| x.wrapping_shl(y);
    i32_shr_s_imm = I32ShrSImm, |x: i32, y: u32| x.wrapping_shr(y);
    i32_shr_u_imm = I32ShrUImm, |x: u32, y: u32| x.wrapping_shr(y);
    i32_rotl_imm = I32RotlImm, |x: u32, y: u32| x.rotate_left(y);
    i64_eq_imm = I64EqImm, |x: u64, y: u64| x == y;
    i64_ne_imm = I64NeImm, |x: u64, y: u64| x != y;
    i64_lt_s_imm = I64LtSImm, |x: i64, y: i64| x < y;
    i64_lt_u_imm = I64LtUImm, |x: u64, y: u64| x < y;
    i64_gt_s_imm = I64GtSImm, |x: i64, y: i64| x > y;
    i64_gt_u_imm = I64GtUImm, |x: u64, y: u64| x > y;
    i64_le_s_imm = I64LeSImm, |x: i64, y: i64| x <= y;
    i64_le_u_imm = I64LeUImm, |x: u64, y: u64| x <= y;
    i64_ge_s_imm = I64GeSImm, |x: i64, y: i64| x >= y;
    i64_ge_u_imm = I64GeUImm, |x: u64, y: u64| x >= y;
    i64_add_imm = I64AddImm, |x: u64, y: u64| x.wrapping_add(y);
    i64_rsub_imm = I64RsubImm, |x: u64, y: u64| y.wrapping_sub(x);
    i64_mul_imm = I64MulImm, |x: u64, y: u64| x.wrapping_mul(y);
    i64_and_imm = I64AndImm, |x: u64, y: u64| x & y;
    i64_or_imm = I64OrImm, |x: u64, y: u64| x | y;
    i64_xor_imm = I64XorImm, |x: u64, y: u64| x ^ y;
    i64_shl_imm = I64ShlImm, |x: u64, y: u64| x.wrapping_shl(y as u32);
    i64_shr_s_imm = I64ShrSImm, |x: i64, y: u64| x.wrapping_shr(y as u32);
    i64_shr_u_imm = I64ShrUImm, |x: u64, y: u64| x.wrapping_shr(y as u32);
    i64_rotl_imm = I64RotlImm, |x: u64, y: u64| x.rotate_left(y as u32);
}

handler!(fn i32_div_u_const(pc, fp, mem, len, st, reg) = I32DivUConst { dst, a, m, shift } {
    // SAFETY: as in `unary!`.
    unsafe {
        let r = const_divisor::quotient(get(fp, a) as u32, m, shift) as u64;
        set(fp, dst, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_rem_u_const(pc, fp, mem, len, st, reg) = I32RemUConst { dst, a, m, d, shift } {
    // SAFETY: as in `unary!`.
    unsafe {
        let x = get(fp, a as Slot) as u32;
        let r = const_divisor::remainder(x, m, d, shift) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_add_imm2(pc, fp, mem, len, st, reg) = I32AddImm2 { d1, a1, i1, d2, a2, i2 } {
    // SAFETY: as in `unary!`.
    unsafe {
        set(fp, d1 as Slot, (get(fp, a1 as Slot) as u32).wrapping_add(i1 as i32 as u32) as u64);
        set(fp, d2 as Slot, (get(fp, a2 as Slot) as u32).wrapping_add(i2 as i32 as u32) as u64);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn i32_shr_u_and_imm(pc, fp, mem, len, st, reg) = I32ShrUAndImm { t, a, shift, dst, mask } {
    // SAFETY: as in `unary!`.
    unsafe {
        let v = (get(fp, a as Slot) as u32) >> shift;
        set(fp, t as Slot, v as u64);
        let r = (v & mask as u32) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_shr_u_and_add(pc, fp, mem, len, st, reg) = I32ShrUAndAdd { t, a, shift, mask, dst, b } {
    // SAFETY: as in `unary!`.
    unsafe {
        let v = ((get(fp, a as Slot) as u32) >> shift) & mask as u32;
        set(fp, t as Slot, v as u64);
        // `b` is read after `t` is written, as the add reads it (it may be `t`).
        let r = v.wrapping_add(get(fp, b as Slot) as u32) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_and_shl_imm(pc, fp, mem, len, st, reg) = I32AndShlImm { t, a, mask, dst, shift } {
    // SAFETY: as in `unary!`.
    unsafe {
        let v = get(fp, a as Slot) as u32 & mask as u32;
        set(fp, t as Slot, v as u64);
        let r = (v << shift) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_shl_add_imm(pc, fp, mem, len, st, reg) = I32ShlAddImm { t, a, shift, dst, imm } {
    // SAFETY: as in `unary!`.
    unsafe {
        let v = (get(fp, a as Slot) as u32) << shift;
        set(fp, t as Slot, v as u64);
        set(fp, dst as Slot, v.wrapping_add(imm as u32) as u64);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// Handlers computing `t = a << shl; dst = t >> shr` (i32), the right shift as `$t` (signed
/// or unsigned).
macro_rules! shl_shr {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { t, a, shl, dst, shr } {
            // SAFETY: as in `unary!`.
            unsafe {
                let v = (get(fp, a as Slot) as u32) << shl;
                set(fp, t as Slot, v as u64);
                let r = ((v as $t) >> shr) as u32 as u64;
                set(fp, dst as Slot, r);
                N::next(pc.add(1), fp, mem, len, st, r)
            }
        });
    )*};
}

shl_shr! {
    i32_shl_shr_s_imm = I32ShlShrSImm, i32;
    i32_shl_shr_u_imm = I32ShlShrUImm, u32;
}
