//! Handlers of forwarded operands (see `interp::forward`): one operand is the result of
//! the instruction just before, passed along in the `reg` register instead of read back
//! from its slot. Each still writes its own result to its slot and passes it on in `reg`.

use super::*;

/// Loads from memory 0 at `reg + offset`: `dst = conv(value)`.
macro_rules! load_r {
    ($($name:ident = $var:ident, $t:ty, |$v:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, offset } {
            // SAFETY: `dst` lies inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, reg as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let $v = <$t>::from_le(std::ptr::read_unaligned(p));
                let v = $e;
                set(fp, dst, v);
                N::next(pc.add(1), fp, mem, len, st, v)
            }
        });
    )*};
}

load_r! {
    i32_load_r = I32LoadR, u32, |v| v as u64;
    i64_load_r = I64LoadR, u64, |v| v;
    i32_load8_u_r = I32Load8UR, u8, |v| v as u64;
    i64_load32_u_r = I64Load32UR, u32, |v| v as u64;
    i32_load8_s_r = I32Load8SR, u8, |v| v as i8 as i32 as u32 as u64;
    i32_load16_s_r = I32Load16SR, u16, |v| v as i16 as i32 as u32 as u64;
    i32_load16_u_r = I32Load16UR, u16, |v| v as u64;
}

handler!(fn i32_load_then_add_imm_r(pc, fp, mem, len, st, reg) = I32LoadThenAddImmR { t, dst, offset, imm } {
    // SAFETY: `t` and `dst` lie inside the frame; the access is bounds-checked against
    // memory 0's current length.
    unsafe {
        let Some(p) = in_memory0::<u32>(mem, len, reg as u32, offset) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        let v = u32::from_le(std::ptr::read_unaligned(p));
        set(fp, t as Slot, v as u64);
        let r = v.wrapping_add(imm as u32) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

/// The bits of a forwarded instruction's other operand: slot `$f` of the frame (`slot`), or
/// immediate `$f` sign-extended (`imm`).
macro_rules! operand {
    ($fp:ident, $f:ident, slot) => {
        get($fp, $f)
    };
    ($fp:ident, $f:ident, imm) => {
        $f as i64 as u64
    };
}

/// Operations of `reg` and a slot (`b: slot`) or an immediate (`imm: imm`):
/// `dst = f(reg, operand)`.
macro_rules! binary_r {
    ($($name:ident = $var:ident { $field:ident: $kind:ident }, |$x:ident, $y:ident: $t:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, $field } {
            // SAFETY: `dst` (and a slot operand) lie inside the frame.
            unsafe {
                let ($x, $y) = (reg as $t, operand!(fp, $field, $kind) as $t);
                let v = $e as u64;
                set(fp, dst, v);
                N::next(pc.add(1), fp, mem, len, st, v)
            }
        });
    )*};
}

binary_r! {
    i64_add_r = I64AddR { b: slot }, |a, b: u64| a.wrapping_add(b);
    i64_sub_r = I64SubR { b: slot }, |a, b: u64| a.wrapping_sub(b);
    i64_and_r = I64AndR { b: slot }, |a, b: u64| a & b;
    i64_or_r = I64OrR { b: slot }, |a, b: u64| a | b;
    i64_xor_r = I64XorR { b: slot }, |a, b: u64| a ^ b;
    i64_shl_r = I64ShlR { b: slot }, |a, b: u64| a.wrapping_shl(b as u32);
    i64_shr_u_r = I64ShrUR { b: slot }, |a, b: u64| a.wrapping_shr(b as u32);
    i32_add_r = I32AddR { b: slot }, |a, b: u32| a.wrapping_add(b);
    i32_sub_r = I32SubR { b: slot }, |a, b: u32| a.wrapping_sub(b);
    i32_mul_r = I32MulR { b: slot }, |a, b: u32| a.wrapping_mul(b);
    i32_and_r = I32AndR { b: slot }, |a, b: u32| a & b;
    i32_or_r = I32OrR { b: slot }, |a, b: u32| a | b;
    i32_xor_r = I32XorR { b: slot }, |a, b: u32| a ^ b;
    i32_shl_r = I32ShlR { b: slot }, |a, b: u32| a.wrapping_shl(b);
    i32_shr_u_r = I32ShrUR { b: slot }, |a, b: u32| a.wrapping_shr(b);
    i32_shr_s_r = I32ShrSR { b: slot }, |a, b: u32| (a as i32).wrapping_shr(b) as u32;
    i64_add_imm_r = I64AddImmR { imm: imm }, |a, b: u64| a.wrapping_add(b);
    i64_and_imm_r = I64AndImmR { imm: imm }, |a, b: u64| a & b;
    i64_shl_imm_r = I64ShlImmR { imm: imm }, |a, b: u64| a.wrapping_shl(b as u32);
    i64_shr_u_imm_r = I64ShrUImmR { imm: imm }, |a, b: u64| a.wrapping_shr(b as u32);
    i32_or_imm_r = I32OrImmR { imm: imm }, |a, b: u32| a | b;
    i32_xor_imm_r = I32XorImmR { imm: imm }, |a, b: u32| a ^ b;
    i32_mul_imm_r = I32MulImmR { imm: imm }, |a, b: u32| a.wrapping_mul(b);
    i32_shr_s_imm_r = I32ShrSImmR { imm: imm }, |a, b: u32| (a as i32).wrapping_shr(b) as u32;
    i32_add_imm_r = I32AddImmR { imm: imm }, |a, b: u32| a.wrapping_add(b);
    i32_and_imm_r = I32AndImmR { imm: imm }, |a, b: u32| a & b;
    i32_shr_u_imm_r = I32ShrUImmR { imm: imm }, |a, b: u32| a.wrapping_shr(b);
    i32_shl_imm_r = I32ShlImmR { imm: imm }, |a, b: u32| a.wrapping_shl(b);
    i32_rsub_r = I32RsubR { a: slot }, |r, a: u32| a.wrapping_sub(r);
}

/// Operations of `reg` and a slot `b` that may trap: `dst = f(reg, b)`.
macro_rules! binary_r_try {
    ($($name:ident = $var:ident, |$x:ident, $y:ident: $t:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, b } {
            // SAFETY: `dst` and `b` lie inside the frame.
            unsafe {
                let ($x, $y) = (reg as $t, get(fp, b) as $t);
                let v = match $e {
                    Ok(v) => v as u64,
                    Err(code) => return trap(pc, st, code),
                };
                set(fp, dst, v);
                N::next(pc.add(1), fp, mem, len, st, v)
            }
        });
    )*};
}

binary_r_try! {
    i32_div_u_r = I32DivUR, |a, b: u32| a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero);
    i32_rem_u_r = I32RemUR, |a, b: u32| a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero);
}

handler!(fn i32_div_u_const_r(pc, fp, mem, len, st, reg) = I32DivUConstR { dst, m, shift } {
    // SAFETY: `dst` lies inside the frame.
    unsafe {
        let r = const_divisor::quotient(reg as u32, m, shift) as u64;
        set(fp, dst, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_rem_u_const_r(pc, fp, mem, len, st, reg) = I32RemUConstR { dst, m, d, shift } {
    // SAFETY: `dst` lies inside the frame.
    unsafe {
        let x = reg as u32;
        let r = const_divisor::remainder(x, m, d, shift) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

/// Operations of `reg` alone: `dst = f(reg)`, passed on as the result type's
/// [`Bits::forward`] says.
macro_rules! unary_r {
    ($($name:ident = $var:ident, |$x:ident: $t:ty| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst } {
            // SAFETY: `dst` lies inside the frame.
            unsafe {
                let $x = <$t as Bits>::of(reg);
                let r = $e;
                set(fp, dst, Bits::bits(r));
                N::next(pc.add(1), fp, mem, len, st, Bits::forward(r))
            }
        });
    )*};
}

unary_r! {
    i64_extend_i32_u_r = I64ExtendI32UR, |x: u32| x as u64;
    i64_eqz_r = I64EqzR, |x: u64| x == 0;
    f32_convert_i32_s_r = F32ConvertI32SR, |x: i32| x as f32;
    f64_convert_i32_s_r = F64ConvertI32SR, |x: i32| x as f64;
}

/// Stores of a constant to memory 0 at `reg + offset` (the address forwarded).
macro_rules! store_imm_r {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { value, offset } {
            // SAFETY: the access is bounds-checked against memory 0's current length.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, reg as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                std::ptr::write_unaligned(p, (value as i64 as $t).to_le());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

store_imm_r! {
    i32_store_imm_r = I32StoreImmR, u32;
    i32_store8_imm_r = I32Store8ImmR, u8;
    i32_store16_imm_r = I32Store16ImmR, u16;
}

handler!(fn global_set_r(pc, fp, mem, len, st, reg) = GlobalSetR { global } {
    // SAFETY: the current instance is live and `global` is one of its globals (validated).
    unsafe {
        (**(*st).cache.globals.add(global as usize)).set(crate::vm::ValRaw::from_bits(reg));
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn i32_shr_u_and_imm_r(pc, fp, mem, len, st, reg) = I32ShrUAndImmR { t, shift, dst, mask } {
    // SAFETY: `t` and `dst` lie inside the frame.
    unsafe {
        let v = (reg as u32) >> shift;
        set(fp, t as Slot, v as u64);
        let r = (v & mask as u32) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn i32_shr_u_and_add_r(pc, fp, mem, len, st, reg) = I32ShrUAndAddR { t, shift, mask, dst, b } {
    // SAFETY: `t`, `b` and `dst` lie inside the frame.
    unsafe {
        let v = ((reg as u32) >> shift) & mask as u32;
        set(fp, t as Slot, v as u64);
        // `b` is read after `t` is written, as the add reads it (it may be `t`).
        let r = v.wrapping_add(get(fp, b as Slot) as u32) as u64;
        set(fp, dst as Slot, r);
        N::next(pc.add(1), fp, mem, len, st, r)
    }
});

handler!(fn br_if_nez_r(pc, fp, mem, len, st, reg) = BrIfNezR { target } {
    // SAFETY: branch targets lie inside the current function.
    unsafe {
        if reg as u32 != 0 {
            dispatch(jump(pc, target), fp, mem, len, st, 0)
        } else {
            N::next(pc.add(1), fp, mem, len, st, 0)
        }
    }
});

handler!(fn br_if_eqz_r(pc, fp, mem, len, st, reg) = BrIfEqzR { target } {
    // SAFETY: branch targets lie inside the current function.
    unsafe {
        if reg as u32 == 0 {
            dispatch(jump(pc, target), fp, mem, len, st, 0)
        } else {
            N::next(pc.add(1), fp, mem, len, st, 0)
        }
    }
});

handler!(fn br_table_r(pc, fp, mem, len, st, reg) = BrTableR { len: entries } {
    // SAFETY: as in `br_table`.
    unsafe {
        let entry = pc.add(1 + (reg as u32).min(entries) as usize);
        let Op::Br { target } = (*entry).op else { std::hint::unreachable_unchecked() };
        dispatch_with((*entry).handler, jump(entry, target), fp, mem, len, st, 0)
    }
});

handler!(fn br_table_at_r(pc, fp, mem, len, st, reg) = BrTableAtR { len: entries, table } {
    // SAFETY: as in `br_table_at`.
    unsafe {
        let entry = jump(pc, table).add(1 + (reg as u32).min(entries) as usize);
        let Op::Br { target } = (*entry).op else { std::hint::unreachable_unchecked() };
        dispatch_with((*entry).handler, jump(entry, target), fp, mem, len, st, 0)
    }
});

/// Stores of `reg` to memory 0 at `addr + offset`.
macro_rules! store_r {
    ($($name:ident = $var:ident, $t:ty;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { addr, offset } {
            // SAFETY: `addr` lies inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                std::ptr::write_unaligned(p, (reg as $t).to_le());
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

store_r! {
    i32_store_r = I32StoreR, u32;
    i64_store_r = I64StoreR, u64;
    i32_store8_r = I32Store8R, u8;
    i32_store16_r = I32Store16R, u16;
}

/// Compare-and-branch handlers on `reg` and a slot (`b: slot`) or the immediate
/// (`imm: imm`): jump to `target` when `f(reg, operand)` holds.
macro_rules! branch_r {
    ($($name:ident = $var:ident { $field:ident: $kind:ident }, |$x:ident: $t:ty, $y:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { $field, target } {
            // SAFETY: slots lie inside the frame; the target and the next instruction
            // belong to the current function.
            unsafe {
                let $x = reg as $t;
                let $y = operand!(fp, $field, $kind) as $t;
                if $e {
                    dispatch(jump(pc, target), fp, mem, len, st, 0)
                } else {
                    N::next(pc.add(1), fp, mem, len, st, 0)
                }
            }
        });
    )*};
}

branch_r! {
    br_i32_eq_r = BrI32EqR { b: slot }, |x: u32, y| x == y;
    br_i32_ne_r = BrI32NeR { b: slot }, |x: u32, y| x != y;
    br_i32_lt_s_r = BrI32LtSR { b: slot }, |x: i32, y| x < y;
    br_i32_lt_u_r = BrI32LtUR { b: slot }, |x: u32, y| x < y;
    br_i32_gt_s_r = BrI32GtSR { b: slot }, |x: i32, y| x > y;
    br_i32_gt_u_r = BrI32GtUR { b: slot }, |x: u32, y| x > y;
    br_i32_le_s_r = BrI32LeSR { b: slot }, |x: i32, y| x <= y;
    br_i32_le_u_r = BrI32LeUR { b: slot }, |x: u32, y| x <= y;
    br_i32_ge_s_r = BrI32GeSR { b: slot }, |x: i32, y| x >= y;
    br_i32_ge_u_r = BrI32GeUR { b: slot }, |x: u32, y| x >= y;
    br_i32_eq_imm_r = BrI32EqImmR { imm: imm }, |x: u32, y| x == y;
    br_i32_ne_imm_r = BrI32NeImmR { imm: imm }, |x: u32, y| x != y;
    br_i32_lt_s_imm_r = BrI32LtSImmR { imm: imm }, |x: i32, y| x < y;
    br_i32_lt_u_imm_r = BrI32LtUImmR { imm: imm }, |x: u32, y| x < y;
    br_i32_gt_s_imm_r = BrI32GtSImmR { imm: imm }, |x: i32, y| x > y;
    br_i32_gt_u_imm_r = BrI32GtUImmR { imm: imm }, |x: u32, y| x > y;
    br_i32_le_s_imm_r = BrI32LeSImmR { imm: imm }, |x: i32, y| x <= y;
    br_i32_le_u_imm_r = BrI32LeUImmR { imm: imm }, |x: u32, y| x <= y;
    br_i32_ge_s_imm_r = BrI32GeSImmR { imm: imm }, |x: i32, y| x >= y;
    br_i32_ge_u_imm_r = BrI32GeUImmR { imm: imm }, |x: u32, y| x >= y;
    br_i32_and_nez_r = BrI32AndNezR { b: slot }, |x: u32, y| x & y != 0;
    br_i32_and_eqz_r = BrI32AndEqzR { b: slot }, |x: u32, y| x & y == 0;
    br_i32_and_imm_nez_r = BrI32AndImmNezR { imm: imm }, |x: u32, y| x & y != 0;
    br_i32_and_imm_eqz_r = BrI32AndImmEqzR { imm: imm }, |x: u32, y| x & y == 0;
}
