//! `v128` loads and stores on memory 0: whole vectors, extending, splatting and zeroing
//! loads, and single lanes. Every access is bounds-checked against memory 0's current
//! length and traps `out of bounds memory access` as a whole (nothing is written then).

use super::int::{
    i16x8_extend_low_i8x16_s_of, i16x8_extend_low_i8x16_u_of, i32x4_extend_low_i16x8_s_of,
    i32x4_extend_low_i16x8_u_of, i64x2_extend_low_i32x4_s_of, i64x2_extend_low_i32x4_u_of,
};
use super::*;

/// Load handlers: `dst = f(bytes)`, `bytes` the `$n` bytes at `addr + offset`.
macro_rules! v_load {
    ($($name:ident = $var:ident, $n:literal, |$b:ident| $e:expr;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { dst, addr, offset } {
            // SAFETY: slots lie inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let ea = get(fp, addr) as u32 as u64 + offset as u64;
                if ea + $n > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let $b = std::ptr::read_unaligned(mem.add(ea as usize) as *const [u8; $n]);
                set_v(fp, dst, $e);
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

/// The `v128` whose low 64 bits are `b` (little-endian) and high 64 bits zero.
#[inline(always)]
fn low64(b: [u8; 8]) -> Vector {
    Vector::from_bits(u64::from_le_bytes(b) as u128)
}

v_load! {
    v128_load = V128Load, 16, |b| Vector::from_le_bytes(b);
    v128_load8x8_s = V128Load8x8S, 8, |b| i16x8_extend_low_i8x16_s_of(low64(b));
    v128_load8x8_u = V128Load8x8U, 8, |b| i16x8_extend_low_i8x16_u_of(low64(b));
    v128_load16x4_s = V128Load16x4S, 8, |b| i32x4_extend_low_i16x8_s_of(low64(b));
    v128_load16x4_u = V128Load16x4U, 8, |b| i32x4_extend_low_i16x8_u_of(low64(b));
    v128_load32x2_s = V128Load32x2S, 8, |b| i64x2_extend_low_i32x4_s_of(low64(b));
    v128_load32x2_u = V128Load32x2U, 8, |b| i64x2_extend_low_i32x4_u_of(low64(b));
    v128_load8_splat = V128Load8Splat, 1, |b| Vector::from_u8x16([b[0]; 16]);
    v128_load16_splat = V128Load16Splat, 2, |b| Vector::from_u16x8([u16::from_le_bytes(b); 8]);
    v128_load32_splat = V128Load32Splat, 4, |b| Vector::from_u32x4([u32::from_le_bytes(b); 4]);
    v128_load64_splat = V128Load64Splat, 8, |b| Vector::from_u64x2([u64::from_le_bytes(b); 2]);
    v128_load32_zero = V128Load32Zero, 4, |b| Vector::from_bits(u32::from_le_bytes(b) as u128);
    v128_load64_zero = V128Load64Zero, 8, |b| low64(b);
}

/// Lane load handlers: lane `lane` of the v128 at `vec` becomes the `$t` at
/// `addr + offset`.
macro_rules! v_load_lane {
    ($($name:ident = $var:ident, $t:ty, $get:ident, $from:ident, $n:literal;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { vec, addr, offset, lane } {
            // SAFETY: as in `v_load!`.
            unsafe {
                let ea = get(fp, addr) as u32 as u64 + offset as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let x = <$t>::from_le(std::ptr::read_unaligned(mem.add(ea as usize) as *const $t));
                let mut lanes = get_v(fp, vec).$get();
                lanes[lane as usize % $n] = x;
                set_v(fp, vec, Vector::$from(lanes));
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

v_load_lane! {
    v128_load8_lane = V128Load8Lane, u8, u8x16, from_u8x16, 16;
    v128_load16_lane = V128Load16Lane, u16, u16x8, from_u16x8, 8;
    v128_load32_lane = V128Load32Lane, u32, u32x4, from_u32x4, 4;
    v128_load64_lane = V128Load64Lane, u64, u64x2, from_u64x2, 2;
}

handler!(fn v128_store(pc, fp, mem, len, st) = V128Store { addr, value, offset } {
    // SAFETY: as in `v_load!`.
    unsafe {
        let ea = get(fp, addr) as u32 as u64 + offset as u64;
        if ea + 16 > len {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        }
        let bytes = get_v(fp, value).to_le_bytes();
        std::ptr::write_unaligned(mem.add(ea as usize) as *mut [u8; 16], bytes);
        dispatch(pc.add(1), fp, mem, len, st)
    }
});

/// Lane store handlers: lane `lane` of `value` to `addr + offset`.
macro_rules! v_store_lane {
    ($($name:ident = $var:ident, $t:ty, $get:ident, $n:literal;)*) => {$(
        handler!(fn $name(pc, fp, mem, len, st) = $var { addr, value, offset, lane } {
            // SAFETY: as in `v_load!`.
            unsafe {
                let ea = get(fp, addr) as u32 as u64 + offset as u64;
                if ea + size_of::<$t>() as u64 > len {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                }
                let x = get_v(fp, value).$get()[lane as usize % $n].to_le();
                std::ptr::write_unaligned(mem.add(ea as usize) as *mut $t, x);
                dispatch(pc.add(1), fp, mem, len, st)
            }
        });
    )*};
}

v_store_lane! {
    v128_store8_lane = V128Store8Lane, u8, u8x16, 16;
    v128_store16_lane = V128Store16Lane, u16, u16x8, 8;
    v128_store32_lane = V128Store32Lane, u32, u32x4, 4;
    v128_store64_lane = V128Store64Lane, u64, u64x2, 2;
}
