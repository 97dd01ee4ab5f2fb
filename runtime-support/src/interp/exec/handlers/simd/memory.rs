//! `v128` loads and stores: whole vectors, extending, splatting and zeroing loads, and
//! single lanes, on a 32-bit memory 0 through the `mem`/`len` registers and (the `*_m`
//! forms) on the memory a `MemSel` names. Every access is bounds-checked against the
//! memory's current length and traps `out of bounds memory access` as a whole (nothing is
//! written then).

use super::super::memory::access;
use super::int::{
    i16x8_extend_low_i8x16_s_of, i16x8_extend_low_i8x16_u_of, i32x4_extend_low_i16x8_s_of,
    i32x4_extend_low_i16x8_u_of, i64x2_extend_low_i32x4_s_of, i64x2_extend_low_i32x4_u_of,
};
use super::*;

/// Load handlers: `dst = f(bytes)`, `bytes` the `$n` bytes at `addr + offset`.
macro_rules! v_load {
    ($($name:ident, $name_m:ident = $var:ident, $var_m:ident, $n:literal, |$b:ident| $e:expr;)*) => {$(
        handler!(fn $name_m(pc, fp, mem, len, st, reg) = $var_m { dst, addr, offset, memory } {
            // SAFETY: slots lie inside the frame; `access` checks the bounds.
            unsafe {
                let Some(p) = access(st, mem, len, memory, get(fp, addr), offset, $n) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let $b = std::ptr::read_unaligned(p as *const [u8; $n]);
                set_v(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { dst, addr, offset } {
            // SAFETY: slots lie inside the frame; the access is bounds-checked against
            // memory 0's current length.
            unsafe {
                let Some(p) = in_memory0::<[u8; $n]>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let $b = std::ptr::read_unaligned(p);
                set_v(fp, dst, $e);
                N::next(pc.add(1), fp, mem, len, st, 0)
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
    v128_load, v128_load_m = V128Load, V128LoadM, 16, |b| Vector::from_le_bytes(b);
    v128_load8x8_s, v128_load8x8_s_m = V128Load8x8S, V128Load8x8SM, 8,
        |b| i16x8_extend_low_i8x16_s_of(low64(b));
    v128_load8x8_u, v128_load8x8_u_m = V128Load8x8U, V128Load8x8UM, 8,
        |b| i16x8_extend_low_i8x16_u_of(low64(b));
    v128_load16x4_s, v128_load16x4_s_m = V128Load16x4S, V128Load16x4SM, 8,
        |b| i32x4_extend_low_i16x8_s_of(low64(b));
    v128_load16x4_u, v128_load16x4_u_m = V128Load16x4U, V128Load16x4UM, 8,
        |b| i32x4_extend_low_i16x8_u_of(low64(b));
    v128_load32x2_s, v128_load32x2_s_m = V128Load32x2S, V128Load32x2SM, 8,
        |b| i64x2_extend_low_i32x4_s_of(low64(b));
    v128_load32x2_u, v128_load32x2_u_m = V128Load32x2U, V128Load32x2UM, 8,
        |b| i64x2_extend_low_i32x4_u_of(low64(b));
    v128_load8_splat, v128_load8_splat_m = V128Load8Splat, V128Load8SplatM, 1,
        |b| Vector::from_u8x16([b[0]; 16]);
    v128_load16_splat, v128_load16_splat_m = V128Load16Splat, V128Load16SplatM, 2,
        |b| Vector::from_u16x8([u16::from_le_bytes(b); 8]);
    v128_load32_splat, v128_load32_splat_m = V128Load32Splat, V128Load32SplatM, 4,
        |b| Vector::from_u32x4([u32::from_le_bytes(b); 4]);
    v128_load64_splat, v128_load64_splat_m = V128Load64Splat, V128Load64SplatM, 8,
        |b| Vector::from_u64x2([u64::from_le_bytes(b); 2]);
    v128_load32_zero, v128_load32_zero_m = V128Load32Zero, V128Load32ZeroM, 4,
        |b| Vector::from_bits(u32::from_le_bytes(b) as u128);
    v128_load64_zero, v128_load64_zero_m = V128Load64Zero, V128Load64ZeroM, 8, |b| low64(b);
}

/// Lane load handlers: lane `lane` of the v128 at `vec` becomes the `$t` at
/// `addr + offset`.
macro_rules! v_load_lane {
    ($($name:ident, $name_m:ident = $var:ident, $var_m:ident, $t:ty, $get:ident, $from:ident, $n:literal;)*) => {$(
        handler!(fn $name_m(pc, fp, mem, len, st, reg) = $var_m { vec, addr, offset, lane, memory } {
            // SAFETY: as in `v_load!`.
            unsafe {
                let size = size_of::<$t>() as u64;
                let Some(p) = access(st, mem, len, memory, get(fp, addr), offset, size) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let x = <$t>::from_le(std::ptr::read_unaligned(p as *const $t));
                let mut lanes = get_v(fp, vec).$get();
                lanes[lane as usize % $n] = x;
                set_v(fp, vec, Vector::$from(lanes));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { vec, addr, offset, lane } {
            // SAFETY: as in `v_load!`.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let x = <$t>::from_le(std::ptr::read_unaligned(p));
                let mut lanes = get_v(fp, vec).$get();
                lanes[lane as usize % $n] = x;
                set_v(fp, vec, Vector::$from(lanes));
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

v_load_lane! {
    v128_load8_lane, v128_load8_lane_m = V128Load8Lane, V128Load8LaneM, u8, u8x16, from_u8x16, 16;
    v128_load16_lane, v128_load16_lane_m = V128Load16Lane, V128Load16LaneM, u16, u16x8, from_u16x8, 8;
    v128_load32_lane, v128_load32_lane_m = V128Load32Lane, V128Load32LaneM, u32, u32x4, from_u32x4, 4;
    v128_load64_lane, v128_load64_lane_m = V128Load64Lane, V128Load64LaneM, u64, u64x2, from_u64x2, 2;
}

handler!(fn v128_store_m(pc, fp, mem, len, st, reg) = V128StoreM { addr, value, offset, memory } {
    // SAFETY: as in `v_load!`.
    unsafe {
        let Some(p) = access(st, mem, len, memory, get(fp, addr), offset, 16) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        std::ptr::write_unaligned(p as *mut [u8; 16], get_v(fp, value).to_le_bytes());
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

handler!(fn v128_store(pc, fp, mem, len, st, reg) = V128Store { addr, value, offset } {
    // SAFETY: as in `v_load!`.
    unsafe {
        let Some(p) = in_memory0::<[u8; 16]>(mem, len, get(fp, addr) as u32, offset) else {
            return trap(pc, st, TrapCode::MemoryOutOfBounds);
        };
        let bytes = get_v(fp, value).to_le_bytes();
        std::ptr::write_unaligned(p, bytes);
        N::next(pc.add(1), fp, mem, len, st, 0)
    }
});

/// Lane store handlers: lane `lane` of `value` to `addr + offset`.
macro_rules! v_store_lane {
    ($($name:ident, $name_m:ident = $var:ident, $var_m:ident, $t:ty, $get:ident, $n:literal;)*) => {$(
        handler!(fn $name_m(pc, fp, mem, len, st, reg) = $var_m { addr, value, offset, lane, memory } {
            // SAFETY: as in `v_load!`.
            unsafe {
                let size = size_of::<$t>() as u64;
                let Some(p) = access(st, mem, len, memory, get(fp, addr), offset, size) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let x = get_v(fp, value).$get()[lane as usize % $n].to_le();
                std::ptr::write_unaligned(p as *mut $t, x);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
        handler!(fn $name(pc, fp, mem, len, st, reg) = $var { addr, value, offset, lane } {
            // SAFETY: as in `v_load!`.
            unsafe {
                let Some(p) = in_memory0::<$t>(mem, len, get(fp, addr) as u32, offset) else {
                    return trap(pc, st, TrapCode::MemoryOutOfBounds);
                };
                let x = get_v(fp, value).$get()[lane as usize % $n].to_le();
                std::ptr::write_unaligned(p, x);
                N::next(pc.add(1), fp, mem, len, st, 0)
            }
        });
    )*};
}

v_store_lane! {
    v128_store8_lane, v128_store8_lane_m = V128Store8Lane, V128Store8LaneM, u8, u8x16, 16;
    v128_store16_lane, v128_store16_lane_m = V128Store16Lane, V128Store16LaneM, u16, u16x8, 8;
    v128_store32_lane, v128_store32_lane_m = V128Store32Lane, V128Store32LaneM, u32, u32x4, 4;
    v128_store64_lane, v128_store64_lane_m = V128Store64Lane, V128Store64LaneM, u64, u64x2, 2;
}
