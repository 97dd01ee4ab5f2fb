//! Handlers specialized for their successor.
//!
//! Every handler ends by continuing with the next instruction; the plain handler loads that
//! instruction's handler and jumps to it, an indirect jump the processor has to predict. One
//! jump site per handler sees every instruction that can follow it, so the prediction fails
//! often (on SQLite's speedtest1 a third of `i32.load`'s profile samples fell on its first
//! two instructions, where a mispredicted jump into it is paid). A handler
//! specialized for successor `X` (`handlers::a::<next_is::X>`) instead runs `X`'s handler as
//! part of its own code: no jump between the two, and the jump after `X` has a site of its
//! own for each pair, which the processor predicts from the pair. [`thread`](super::thread)
//! gives an instruction its specialized handler when its successor is the next
//! instruction (for a `br`, its target) and the pair is listed below.
//!
//! The lists are the scalar instructions executed most often, as counted over the real
//! programs the tests build (SQLite's speedtest1, Lua, Flite, zlib's minigzip) and two of
//! the SIMD kernels (dot product, UTF-8 validation), each program weighing the same, plus
//! the three that decode Lua's instructions before its `br_table`, and the i64 compare-and-
//! branches of Lua's table indexing with the load before them: the prefixes (which
//! instructions get specialized handlers) cover 72% of the instructions they execute, the
//! successors they are specialized for (the prefixes and the other successors) 92%. Each
//! pair is a function in the binary (about 170 bytes), so the lists are kept to those
//! counts; an instruction or pair not listed keeps its plain handler.
//!
//! Handlers hand over by tail calls, which the compiler makes only when nothing of the
//! handler's frame outlives the call. A `v128` handler works on 16-byte temporaries in its
//! frame; inlined into another handler, they kept the compiler from making the pair's last
//! call a tail call, so every pass through the pair took native stack until it overflowed.
//! So no `v128` instruction is listed, and `exec::tests` runs the pairs of typical loops
//! for longer than the native stack would last without tail calls.

use super::super::ir::{Instr, Op};
use super::State;
use super::dispatch::{Exit, Handler, Indirect, Next};
use super::handlers;

/// Generates [`next_is`] (a continuation per successor) and [`specialized`] from the lists
/// (`name = Variant`, as in `for_each_op!`): the prefixes, which are successors too, and
/// the other successors.
macro_rules! specialize {
    (
        prefixes: [$($p:ident = $P:ident),* $(,)?],
        other_successors: [$($o:ident = $O:ident),* $(,)?] $(,)?
    ) => {
        specialize!(@lists [$($p = $P),*], [$($p = $P,)* $($o = $O),*]);
    };
    (@lists [$($p:ident = $P:ident),*], $successors:tt) => {
        specialize!(@next_is $successors);

        /// The handler of `op` specialized for `next`, its successor (the next instruction,
        /// or a `br`'s target), if the pair is listed.
        pub fn specialized(op: &Op, next: &Op) -> Option<Handler> {
            match op {
                $( Op::$P { .. } => specialize!(@after $p, next, $successors), )*
                _ => None,
            }
        }
    };
    (@next_is [$($s:ident = $S:ident),* $(,)?]) => {
        /// The continuations that call one successor's handler directly.
        #[allow(non_camel_case_types)]
        mod next_is {
            use super::*;
            $(
                #[doc = concat!("Continues with `", stringify!($s), "`.")]
                pub struct $s;
                impl Next for $s {
                    #[inline(always)]
                    unsafe fn next(
                        pc: *const Instr,
                        fp: *mut u64,
                        mem: *mut u8,
                        mem_len: u64,
                        st: *mut State,
                        reg: u64,
                    ) -> Exit {
                        // SAFETY: per the contract, `pc` is an instruction of this kind.
                        unsafe { handlers::$s::<Indirect>(pc, fp, mem, mem_len, st, reg) }
                    }
                }
            )*
        }
    };
    (@after $p:ident, $next:expr, [$($s:ident = $S:ident),* $(,)?]) => {
        match $next {
            $( Op::$S { .. } => Some(handlers::$p::<next_is::$s> as Handler), )*
            _ => None,
        }
    };
}

specialize! {
    prefixes: [
        i32_load = I32Load, const32 = Const32, i32_add_imm = I32AddImm, i32_xor_r = I32XorR,
        i32_load8_u = I32Load8U, i32_and_imm = I32AndImm, i32_add_r = I32AddR,
        i32_add_imm_r = I32AddImmR, i32_shl_imm = I32ShlImm, i32_shl_imm_r = I32ShlImmR, br = Br,
        br_if_eqz = BrIfEqz, copy = Copy, i32_shr_u_imm_r = I32ShrUImmR, i32_add = I32Add,
        i32_store = I32Store, i32_store16_r = I32Store16R, i32_rem_u_const_r = I32RemUConstR,
        br_if_nez_r = BrIfNezR, br_i32_gt_s_imm_r = BrI32GtSImmR, i32_store_r = I32StoreR,
        i32_load8_s = I32Load8S, copy2 = Copy2, i32_load8_u_add_imm = I32Load8UAddImm,
        br_i32_lt_s_imm = BrI32LtSImm, br_i32_ne_imm_r = BrI32NeImmR, i32_load8_u_r = I32Load8UR,
        i32_add_br_lt_u = I32AddBrLtU, br_if_eqz_r = BrIfEqzR, i64_load = I64Load,
        i32_shr_u_and_add = I32ShrUAndAdd, i32_and_imm_r = I32AndImmR, i32_or_r = I32OrR,
        i32_add_imm_br_nez = I32AddImmBrNez, i32_add_imm2 = I32AddImm2, i32_load16_u = I32Load16U,
        i32_rsub_imm = I32RsubImm, i32_sub = I32Sub, f32_mul = F32Mul,
        f32_convert_i32_s_r = F32ConvertI32SR, i32_shr_u_and_add_r = I32ShrUAndAddR,
        i32_and_shl_imm = I32AndShlImm, i32_load_then_add_imm_r = I32LoadThenAddImmR,
        i64_load32_u_r = I64Load32UR,
    ],
    other_successors: [
        br_table_at_r = BrTableAtR, i32_load_then_add_imm = I32LoadThenAddImm,
        i32_shl_shr_s_imm = I32ShlShrSImm, ret_slot = ReturnSlot, i32_rsub_r = I32RsubR,
        br_i32_eq_imm_r = BrI32EqImmR, br_if_nez = BrIfNez,
        i32_store8 = I32Store8, select_i32_lt_u = SelectI32LtU,
        i32_load16_u_r = I32Load16UR, br_i32_ne_r = BrI32NeR, br_i32_lt_u = BrI32LtU,
        i32_store16 = I32Store16, call = Call, i32_and = I32And, br_i32_le_u_r = BrI32LeUR,
        i32_load_r = I32LoadR, i32_load16_s_r = I32Load16SR, i32_and_r = I32AndR,
        br_i32_ge_u = BrI32GeU, i32_store8_r = I32Store8R, i64_store_r = I64StoreR,
        br_i32_eq_r = BrI32EqR, br_i32_lt_s_imm_r = BrI32LtSImmR, i32_shr_s_imm = I32ShrSImm,
        i32_extend8_s = I32Extend8S, i32_shl = I32Shl, call_copy = CallCopy, i32_eq_imm = I32EqImm,
        br_i32_lt_u_imm = BrI32LtUImm, i32_shr_s = I32ShrS, i32_mul_r = I32MulR, ret = Return,
        i64_store = I64Store, global_set_r = GlobalSetR, br_i32_gt_u_imm = BrI32GtUImm,
        i32_load8_u_add = I32Load8UAdd, select_i32_gt_s_imm = SelectI32GtSImm,
        i32_load_add = I32LoadAdd, br_table_r = BrTableR, i32_xor = I32Xor,
        br_i32_and_imm_eqz_r = BrI32AndImmEqzR, br_i32_lt_u_r = BrI32LtUR,
        i32_shr_u_imm = I32ShrUImm, i32_store8_imm_r = I32Store8ImmR, i32_mul_imm_r = I32MulImmR,
        i32_load16_u_add = I32Load16UAdd, i32_store_imm = I32StoreImm, i32_load16_s = I32Load16S,
        i32_shr_s_imm_r = I32ShrSImmR, br_i32_ge_u_r = BrI32GeUR, br_i32_gt_u_r = BrI32GtUR,
        i32_shl_add_imm = I32ShlAddImm, br_i64_ge_u = BrI64GeU, br_i64_nez = BrI64Nez,
        br_i64_eq_imm = BrI64EqImm,
    ],
}
