//! The interpreter's instruction set, declared once.
//!
//! [`for_each_op!`] lists every instruction, one line each: its handler's name (snake case,
//! also the name the disassembly prints), its [`Op`](super::Op) variant, and its operands
//! with their roles (see the role types in [`super`]: [`Dst`](super::Dst),
//! [`Out`](super::Out), [`Src`](super::Src), [`Base`](super::Base),
//! [`Slot16`](super::Slot16), [`Out16`](super::Out16), [`Target`](super::Target); any other
//! type is an immediate). Everything else is generated from it: the `Op` enum, its operand
//! accessors, names and `Display` ([`super`]), the producers that operand forwarding
//! (`interp::forward`) keys on, and the handler table (`exec::dispatch`), which names
//! `handlers::<name>` for every line, so an instruction without a handler does not compile.
//!
//! Adding an instruction: one line here, and its handler in `exec::handlers`. A result
//! declared `Out` (or `Out16`) is a promise that the handler passes that result on as its
//! value register (`dispatch(.., r)`); a plain `Dst` handler passes 0.

/// Calls macro `$m` with the whole instruction set: for each instruction, its doc
/// comments, then `name = Variant { operand: Role, ... };` (no braces without operands).
macro_rules! for_each_op {
    ($m:ident) => {
        $m! {
            // ---- control ----
            unreachable = Unreachable;
            /// Interruption check (function entries and loop headers, only in modules
            /// translated with interruption on): traps `interrupted` when the store's epoch
            /// deadline is reached.
            check_interrupt = CheckInterrupt;
            /// Fuel check (function entries and loop headers, only in modules translated
            /// with fuel on): consumes one unit of the store's fuel, trapping `all fuel
            /// consumed` when none is left.
            check_fuel = CheckFuel;
            /// Listener entry hook (first instruction of every function of a module
            /// translated with listeners on): when the instance's function is listened,
            /// pushes its frame on the store's listened stack and calls its `before` hook
            /// with the parameters (slots from 0 up).
            listener_before = ListenerBefore;
            /// Listener exit hook (before every `Return` of a module translated with
            /// listeners on): when the function is listened, pops its frame and calls its
            /// `after` hook with the results (already in the slots from 0 up).
            listener_after = ListenerAfter;
            br = Br { target: Target };
            br_if_nez = BrIfNez { cond: Src, target: Target };
            br_if_eqz = BrIfEqz { cond: Src, target: Target };
            /// Followed by `len + 1` `Br` instructions: the targets, default last.
            br_table = BrTable { index: Src, len: u32 };
            /// `br_table` on index `index` through the `len + 1` entries of the `BrTable` at
            /// `table`, which this instruction reads but does not branch to: the end of a
            /// copied dispatch sequence (`interp::tail_dup`).
            br_table_at = BrTableAt { index: Src, len: u32, table: Target };
            // Fused i32 compare-and-branch: jump to `target` when `a <op> b` holds.
            br_i32_eq = BrI32Eq { a: Src, b: Src, target: Target };
            br_i32_ne = BrI32Ne { a: Src, b: Src, target: Target };
            br_i32_lt_s = BrI32LtS { a: Src, b: Src, target: Target };
            br_i32_lt_u = BrI32LtU { a: Src, b: Src, target: Target };
            br_i32_gt_s = BrI32GtS { a: Src, b: Src, target: Target };
            br_i32_gt_u = BrI32GtU { a: Src, b: Src, target: Target };
            br_i32_le_s = BrI32LeS { a: Src, b: Src, target: Target };
            br_i32_le_u = BrI32LeU { a: Src, b: Src, target: Target };
            br_i32_ge_s = BrI32GeS { a: Src, b: Src, target: Target };
            br_i32_ge_u = BrI32GeU { a: Src, b: Src, target: Target };
            br_i32_eq_imm = BrI32EqImm { a: Src, imm: i32, target: Target };
            br_i32_ne_imm = BrI32NeImm { a: Src, imm: i32, target: Target };
            br_i32_lt_s_imm = BrI32LtSImm { a: Src, imm: i32, target: Target };
            br_i32_lt_u_imm = BrI32LtUImm { a: Src, imm: i32, target: Target };
            br_i32_gt_s_imm = BrI32GtSImm { a: Src, imm: i32, target: Target };
            br_i32_gt_u_imm = BrI32GtUImm { a: Src, imm: i32, target: Target };
            br_i32_le_s_imm = BrI32LeSImm { a: Src, imm: i32, target: Target };
            br_i32_le_u_imm = BrI32LeUImm { a: Src, imm: i32, target: Target };
            br_i32_ge_s_imm = BrI32GeSImm { a: Src, imm: i32, target: Target };
            br_i32_ge_u_imm = BrI32GeUImm { a: Src, imm: i32, target: Target };
            // Fused i64 compare-and-branch: jump to `target` when the comparison holds
            // (`eqz`/`nez`: when `cond` is zero or not; `imm`: the right operand, sign-extended).
            br_i64_eqz = BrI64Eqz { cond: Src, target: Target };
            br_i64_nez = BrI64Nez { cond: Src, target: Target };
            br_i64_eq = BrI64Eq { a: Src, b: Src, target: Target };
            br_i64_ne = BrI64Ne { a: Src, b: Src, target: Target };
            br_i64_lt_s = BrI64LtS { a: Src, b: Src, target: Target };
            br_i64_lt_u = BrI64LtU { a: Src, b: Src, target: Target };
            br_i64_gt_s = BrI64GtS { a: Src, b: Src, target: Target };
            br_i64_gt_u = BrI64GtU { a: Src, b: Src, target: Target };
            br_i64_le_s = BrI64LeS { a: Src, b: Src, target: Target };
            br_i64_le_u = BrI64LeU { a: Src, b: Src, target: Target };
            br_i64_ge_s = BrI64GeS { a: Src, b: Src, target: Target };
            br_i64_ge_u = BrI64GeU { a: Src, b: Src, target: Target };
            br_i64_eq_imm = BrI64EqImm { a: Src, imm: i32, target: Target };
            br_i64_ne_imm = BrI64NeImm { a: Src, imm: i32, target: Target };
            br_i64_lt_s_imm = BrI64LtSImm { a: Src, imm: i32, target: Target };
            br_i64_lt_u_imm = BrI64LtUImm { a: Src, imm: i32, target: Target };
            br_i64_gt_s_imm = BrI64GtSImm { a: Src, imm: i32, target: Target };
            br_i64_gt_u_imm = BrI64GtUImm { a: Src, imm: i32, target: Target };
            br_i64_le_s_imm = BrI64LeSImm { a: Src, imm: i32, target: Target };
            br_i64_le_u_imm = BrI64LeUImm { a: Src, imm: i32, target: Target };
            br_i64_ge_s_imm = BrI64GeSImm { a: Src, imm: i32, target: Target };
            br_i64_ge_u_imm = BrI64GeUImm { a: Src, imm: i32, target: Target };
            // Fused bit test and branch: jump to `target` when `a & b` (or `a & imm`) is non-zero
            // (`nez`) or zero (`eqz`).
            br_i32_and_nez = BrI32AndNez { a: Src, b: Src, target: Target };
            br_i32_and_eqz = BrI32AndEqz { a: Src, b: Src, target: Target };
            br_i32_and_imm_nez = BrI32AndImmNez { a: Src, imm: i32, target: Target };
            br_i32_and_imm_eqz = BrI32AndImmEqz { a: Src, imm: i32, target: Target };
            // Fused float compare-and-branch: jump when the comparison holds (`Not*`: when it
            // does not, NaN operands included).
            br_f32_eq = BrF32Eq { a: Src, b: Src, target: Target };
            br_f32_ne = BrF32Ne { a: Src, b: Src, target: Target };
            br_f32_lt = BrF32Lt { a: Src, b: Src, target: Target };
            br_f32_gt = BrF32Gt { a: Src, b: Src, target: Target };
            br_f32_le = BrF32Le { a: Src, b: Src, target: Target };
            br_f32_ge = BrF32Ge { a: Src, b: Src, target: Target };
            br_f32_not_lt = BrF32NotLt { a: Src, b: Src, target: Target };
            br_f32_not_gt = BrF32NotGt { a: Src, b: Src, target: Target };
            br_f32_not_le = BrF32NotLe { a: Src, b: Src, target: Target };
            br_f32_not_ge = BrF32NotGe { a: Src, b: Src, target: Target };
            br_f64_eq = BrF64Eq { a: Src, b: Src, target: Target };
            br_f64_ne = BrF64Ne { a: Src, b: Src, target: Target };
            br_f64_lt = BrF64Lt { a: Src, b: Src, target: Target };
            br_f64_gt = BrF64Gt { a: Src, b: Src, target: Target };
            br_f64_le = BrF64Le { a: Src, b: Src, target: Target };
            br_f64_ge = BrF64Ge { a: Src, b: Src, target: Target };
            br_f64_not_lt = BrF64NotLt { a: Src, b: Src, target: Target };
            br_f64_not_gt = BrF64NotGt { a: Src, b: Src, target: Target };
            br_f64_not_le = BrF64NotLe { a: Src, b: Src, target: Target };
            br_f64_not_ge = BrF64NotGe { a: Src, b: Src, target: Target };
            /// Results are already in slots `0..n`.
            ret = Return;
            /// Call defined function `func` with its frame at `base`.
            call = Call { func: u32, base: Base };
            /// Call imported function `func` with arguments (and results) at `base`.
            call_import = CallImport { func: u32, base: Base };
            /// Call through `table` expecting module type `ty`, its arguments in the `args`
            /// slots from `base` (a `v128` takes two) and the element index in slot
            /// `base + args`. (16 bits hold any table index and argument slot count: the
            /// validator allows 100 tables and 1,000 parameters.)
            call_indirect = CallIndirect { table: u16, args: u16, ty: u32, base: Base };
            /// `dst = src` (a copy into an argument slot, merged with the call after it),
            /// then `Call`.
            call_copy = CallCopy { func: u32, base: Base, dst: Slot16, src: Slot16 };
            /// `dst = src`, then `CallIndirect` (as `CallCopy`; the type index in 16 bits).
            call_indirect_copy = CallIndirectCopy {
                table: u16, args: u16, ty: u16, base: Base, dst: Slot16, src: Slot16
            };
            /// Extra operand of the preceding instruction.
            aux = Aux { slot: Src };
            /// `Copy { dst: 0, src }` then `Return`: the single result moved into slot 0.
            ret_slot = ReturnSlot { src: Src };

            // ---- WebAssembly 3.0 calls: tail calls, typed function references ----
            /// `return_call` of defined function `func`, arguments at `base`: they move to
            /// slot 0 and the callee's frame replaces the current one (constant stack).
            return_call = ReturnCall { func: u32, base: Base };
            /// `return_call` of imported function `func`, arguments at `base`: an
            /// interpreted callee replaces the current frame; any other is called out, its
            /// results moved to slot 0, then the current function returns.
            return_call_import = ReturnCallImport { func: u32, base: Base };
            /// `return_call_indirect` through `table` expecting module type `ty`; the element
            /// index is in slot `base + params(ty)`; as `ReturnCallImport` for the callee.
            return_call_indirect = ReturnCallIndirect { table: u32, ty: u32, base: Base };
            /// `call_ref` of module type `ty`; the function reference is in slot
            /// `base + params(ty)`; traps `null function reference` when it is null.
            call_ref = CallRef { ty: u32, base: Base };
            /// `return_call_ref` of module type `ty`: `CallRef`'s operands, `ReturnCallImport`'s
            /// replacement of the frame.
            return_call_ref = ReturnCallRef { ty: u32, base: Base };
            /// `ref.as_non_null`: traps `null reference` when slot `src` is null (the value
            /// stays where it is).
            ref_as_non_null = RefAsNonNull { src: Src };

            // ---- exception handling (the handler regions are in `CompiledFunc::handlers`) ----
            /// `throw` of module tag `tag`, its payload in the slots from `args` (a `v128`
            /// takes two).
            throw = Throw { tag: u32, args: Base };
            /// `throw_ref` (and the legacy `rethrow`): throws again the exception whose
            /// `exnref` is in slot `src`; traps `null exception reference` when it is null.
            throw_ref = ThrowRef { src: Src };
            /// A catch clause's entry in the table after the function's code (never
            /// executed: the unwinder reads `target`, where the handler continues).
            landing = Landing { target: Target };

            // ---- fused pairs (made by `fuse::peephole`; 16-bit slots and immediates) ----
            /// `d1 = s1; d2 = s2`, in that order (two `Copy`s).
            copy2 = Copy2 { d1: Slot16, s1: Slot16, d2: Slot16, s2: Slot16 };
            /// `d1 = a1 + i1; d2 = a2 + i2` (i32, wrapping), in that order (two `I32AddImm`s).
            i32_add_imm2 = I32AddImm2 {
                d1: Slot16, a1: Slot16, i1: i16, d2: Slot16, a2: Slot16, i2: i16
            };
            /// `t = a << shift; dst = t + imm` (i32; `shift` below 32).
            i32_shl_add_imm = I32ShlAddImm {
                t: Slot16, a: Slot16, shift: u8, dst: Slot16, imm: i32
            };
            /// `t = a >> shift` (i32, unsigned; `shift` below 32); `dst = t & mask`: a bit
            /// field, as instruction decoders read them.
            i32_shr_u_and_imm = I32ShrUAndImm {
                t: Slot16, a: Slot16, shift: u8, dst: Out16, mask: i32
            };
            /// `t = a & mask; dst = t << shift` (i32; `shift` below 32): a masked index scaled
            /// to a table's entry size.
            i32_and_shl_imm = I32AndShlImm {
                t: Slot16, a: Slot16, mask: i32, dst: Out16, shift: u8
            };
            /// `t = a << shl; dst = t >> shr` (i32, signed; shifts below 32): a signed bit
            /// field, or a sign extension where `shl == shr` (`(x << 16) >> 16` in code
            /// built without the sign-extension operators).
            i32_shl_shr_s_imm = I32ShlShrSImm { t: Slot16, a: Slot16, shl: u8, dst: Out16, shr: u8 };
            /// `t = a << shl; dst = t >> shr` (i32, unsigned; shifts below 32): an unsigned
            /// bit field.
            i32_shl_shr_u_imm = I32ShlShrUImm { t: Slot16, a: Slot16, shl: u8, dst: Out16, shr: u8 };
            /// `t = (a >> shift) & mask; dst = t + b` (i32; `shift` below 32): a bit field
            /// added to a base, as a bytecode interpreter finds an operand's register
            /// (`base + GETARG_B(i)`): an `I32ShrUAndImm` whose two results share `t`, and
            /// the add that reads it.
            i32_shr_u_and_add = I32ShrUAndAdd {
                t: Slot16, a: Slot16, shift: u8, mask: i32, dst: Out16, b: Slot16
            };
            // Forwarded operands (`interp::forward`): the operand named in the comment is
            // the result of the instruction just before, taken from the register the
            // handlers pass along instead of from its slot.
            /// `dst = i32.load(r + offset)`.
            i32_load_r = I32LoadR { dst: Out, offset: u32 };
            /// `dst = i64.load(r + offset)`.
            i64_load_r = I64LoadR { dst: Out, offset: u32 };
            /// `dst = i32.load8_u(r + offset)`.
            i32_load8_u_r = I32Load8UR { dst: Out, offset: u32 };
            /// `dst = i64.load32_u(r + offset)`.
            i64_load32_u_r = I64Load32UR { dst: Out, offset: u32 };
            /// `dst = r + b` (i32).
            i32_add_r = I32AddR { dst: Out, b: Src };
            /// `dst = r + imm` (i32).
            i32_add_imm_r = I32AddImmR { dst: Out, imm: i32 };
            /// `dst = r & imm` (i32).
            i32_and_imm_r = I32AndImmR { dst: Out, imm: i32 };
            /// `dst = r >> imm` (i32, unsigned).
            i32_shr_u_imm_r = I32ShrUImmR { dst: Out, imm: i32 };
            /// `dst = r << imm` (i32).
            i32_shl_imm_r = I32ShlImmR { dst: Out, imm: i32 };
            /// `t = r >> shift; dst = t & mask` (as `I32ShrUAndImm`).
            i32_shr_u_and_imm_r = I32ShrUAndImmR { t: Slot16, shift: u8, dst: Out16, mask: i32 };
            /// `t = (r >> shift) & mask; dst = t + b` (as `I32ShrUAndAdd`).
            i32_shr_u_and_add_r = I32ShrUAndAddR {
                t: Slot16, shift: u8, mask: i32, dst: Out16, b: Slot16
            };
            /// `br_if` on `r != 0`.
            br_if_nez_r = BrIfNezR { target: Target };
            /// `br_if` on `r == 0`.
            br_if_eqz_r = BrIfEqzR { target: Target };
            /// `br_table` on index `r`; followed by `len + 1` `Br` instructions as `BrTable`.
            br_table_r = BrTableR { len: u32 };
            /// `br_table_at` on index `r`.
            br_table_at_r = BrTableAtR { len: u32, table: Target };
            /// `t = i32.load(r + offset); dst = t + imm` (as `I32LoadThenAddImm`).
            i32_load_then_add_imm_r = I32LoadThenAddImmR {
                t: Slot16, dst: Out16, offset: u32, imm: i32
            };
            /// `dst = r sub b` (i32).
            i32_sub_r = I32SubR { dst: Out, b: Src };
            /// `dst = r mul b` (i32).
            i32_mul_r = I32MulR { dst: Out, b: Src };
            /// `dst = r and b` (i32).
            i32_and_r = I32AndR { dst: Out, b: Src };
            /// `dst = r or b` (i32).
            i32_or_r = I32OrR { dst: Out, b: Src };
            /// `dst = r xor b` (i32).
            i32_xor_r = I32XorR { dst: Out, b: Src };
            /// `dst = r shl b` (i32).
            i32_shl_r = I32ShlR { dst: Out, b: Src };
            /// `dst = r shr_u b` (i32).
            i32_shr_u_r = I32ShrUR { dst: Out, b: Src };
            /// `dst = r shr_s b` (i32).
            i32_shr_s_r = I32ShrSR { dst: Out, b: Src };
            /// `dst = r or imm` (i32).
            i32_or_imm_r = I32OrImmR { dst: Out, imm: i32 };
            /// `dst = r xor imm` (i32).
            i32_xor_imm_r = I32XorImmR { dst: Out, imm: i32 };
            /// `dst = r mul imm` (i32).
            i32_mul_imm_r = I32MulImmR { dst: Out, imm: i32 };
            /// `dst = r shr_s imm` (i32).
            i32_shr_s_imm_r = I32ShrSImmR { dst: Out, imm: i32 };
            /// `dst = r add b` (i64).
            i64_add_r = I64AddR { dst: Out, b: Src };
            /// `dst = r sub b` (i64).
            i64_sub_r = I64SubR { dst: Out, b: Src };
            /// `dst = r and b` (i64).
            i64_and_r = I64AndR { dst: Out, b: Src };
            /// `dst = r or b` (i64).
            i64_or_r = I64OrR { dst: Out, b: Src };
            /// `dst = r xor b` (i64).
            i64_xor_r = I64XorR { dst: Out, b: Src };
            /// `dst = r shl b` (i64).
            i64_shl_r = I64ShlR { dst: Out, b: Src };
            /// `dst = r shr_u b` (i64).
            i64_shr_u_r = I64ShrUR { dst: Out, b: Src };
            /// `dst = r add imm` (i64, `imm` sign-extended).
            i64_add_imm_r = I64AddImmR { dst: Out, imm: i32 };
            /// `dst = r and imm` (i64, `imm` sign-extended).
            i64_and_imm_r = I64AndImmR { dst: Out, imm: i32 };
            /// `dst = r shl imm` (i64, `imm` sign-extended).
            i64_shl_imm_r = I64ShlImmR { dst: Out, imm: i32 };
            /// `dst = r shr_u imm` (i64, `imm` sign-extended).
            i64_shr_u_imm_r = I64ShrUImmR { dst: Out, imm: i32 };
            /// `i32.store(addr + offset, r)`.
            i32_store_r = I32StoreR { addr: Src, offset: u32 };
            /// `i64.store(addr + offset, r)`.
            i64_store_r = I64StoreR { addr: Src, offset: u32 };
            /// `i32.store8(addr + offset, r)`.
            i32_store8_r = I32Store8R { addr: Src, offset: u32 };
            /// `i32.store16(addr + offset, r)`.
            i32_store16_r = I32Store16R { addr: Src, offset: u32 };
            /// `dst = i32.load8_s(r + offset)`.
            i32_load8_s_r = I32Load8SR { dst: Out, offset: u32 };
            /// `dst = i32.load16_s(r + offset)`.
            i32_load16_s_r = I32Load16SR { dst: Out, offset: u32 };
            /// `dst = i32.load16_u(r + offset)`.
            i32_load16_u_r = I32Load16UR { dst: Out, offset: u32 };
            /// `i32.store(r + offset, value)`: the address forwarded, a constant stored.
            i32_store_imm_r = I32StoreImmR { value: i32, offset: u32 };
            /// `i32.store8(r + offset, value)`.
            i32_store8_imm_r = I32Store8ImmR { value: i32, offset: u32 };
            /// `i32.store16(r + offset, value)`.
            i32_store16_imm_r = I32Store16ImmR { value: i32, offset: u32 };
            /// `global.set global r`.
            global_set_r = GlobalSetR { global: u32 };
            /// `dst = a - r` (i32): the forwarded value is the right operand.
            i32_rsub_r = I32RsubR { dst: Out, a: Src };
            /// `dst = r div_u b` (i32), trapping on a zero divisor.
            i32_div_u_r = I32DivUR { dst: Out, b: Src };
            /// `dst = r rem_u b` (i32), trapping on a zero divisor.
            i32_rem_u_r = I32RemUR { dst: Out, b: Src };
            /// `dst = r div_u d` (i32) for a constant `d`, as `i32_div_u_const`.
            i32_div_u_const_r = I32DivUConstR { dst: Out, m: u32, shift: u8 };
            /// `dst = r rem_u d` (i32) for a constant `d`, as `i32_rem_u_const`.
            i32_rem_u_const_r = I32RemUConstR { dst: Out16, m: u32, d: u32, shift: u8 };
            /// `dst = i64.extend_i32_u(r)`.
            i64_extend_i32_u_r = I64ExtendI32UR { dst: Out };
            /// `dst = i64.eqz(r)`.
            i64_eqz_r = I64EqzR { dst: Out };
            /// `dst = f32.convert_i32_s(r)`.
            f32_convert_i32_s_r = F32ConvertI32SR { dst: Dst };
            /// `dst = f64.convert_i32_s(r)`.
            f64_convert_i32_s_r = F64ConvertI32SR { dst: Dst };
            // Compare-and-branch on `r <op> b` (i32).
            br_i32_eq_r = BrI32EqR { b: Src, target: Target };
            br_i32_ne_r = BrI32NeR { b: Src, target: Target };
            br_i32_lt_s_r = BrI32LtSR { b: Src, target: Target };
            br_i32_lt_u_r = BrI32LtUR { b: Src, target: Target };
            br_i32_gt_s_r = BrI32GtSR { b: Src, target: Target };
            br_i32_gt_u_r = BrI32GtUR { b: Src, target: Target };
            br_i32_le_s_r = BrI32LeSR { b: Src, target: Target };
            br_i32_le_u_r = BrI32LeUR { b: Src, target: Target };
            br_i32_ge_s_r = BrI32GeSR { b: Src, target: Target };
            br_i32_ge_u_r = BrI32GeUR { b: Src, target: Target };
            // Compare-and-branch on `r <op> imm` (i32).
            br_i32_eq_imm_r = BrI32EqImmR { imm: i32, target: Target };
            br_i32_ne_imm_r = BrI32NeImmR { imm: i32, target: Target };
            br_i32_lt_s_imm_r = BrI32LtSImmR { imm: i32, target: Target };
            br_i32_lt_u_imm_r = BrI32LtUImmR { imm: i32, target: Target };
            br_i32_gt_s_imm_r = BrI32GtSImmR { imm: i32, target: Target };
            br_i32_gt_u_imm_r = BrI32GtUImmR { imm: i32, target: Target };
            br_i32_le_s_imm_r = BrI32LeSImmR { imm: i32, target: Target };
            br_i32_le_u_imm_r = BrI32LeUImmR { imm: i32, target: Target };
            br_i32_ge_s_imm_r = BrI32GeSImmR { imm: i32, target: Target };
            br_i32_ge_u_imm_r = BrI32GeUImmR { imm: i32, target: Target };
            // Bit test and branch on `r & b` (or `r & imm`) being non-zero or zero.
            br_i32_and_nez_r = BrI32AndNezR { b: Src, target: Target };
            br_i32_and_eqz_r = BrI32AndEqzR { b: Src, target: Target };
            br_i32_and_imm_nez_r = BrI32AndImmNezR { imm: i32, target: Target };
            br_i32_and_imm_eqz_r = BrI32AndImmEqzR { imm: i32, target: Target };
            /// `t = i32.load(addr + offset); acc = acc + t` (i32, wrapping); traps as the load.
            i32_load_acc = I32LoadAcc { t: Slot16, addr: Slot16, acc: Slot16, offset: u32 };
            /// `t = i32.load(addr + offset); dst = t + imm` (i32, wrapping); traps as the load.
            i32_load_then_add_imm = I32LoadThenAddImm {
                t: Slot16, addr: Slot16, dst: Out16, offset: u32, imm: i32
            };
            /// `t = i32.load8_u(addr + offset); acc = acc + t` (i32, wrapping); traps as the load.
            i32_load8_u_acc = I32Load8UAcc { t: Slot16, addr: Slot16, acc: Slot16, offset: u32 };
            /// `t = f64.load(addr + offset); acc = acc + t` (f64); traps as the load.
            f64_load_acc = F64LoadAcc { t: Slot16, addr: Slot16, acc: Slot16, offset: u32 };
            // f64 op whose result is stored: `dst = a <op> b` (f64), then `f64.store(addr + offset,
            // dst)`; traps as the store (after `dst` is written).
            f64_add_store = F64AddStore {
                dst: Slot16, a: Slot16, b: Slot16, addr: Slot16, offset: u32
            };
            f64_sub_store = F64SubStore {
                dst: Slot16, a: Slot16, b: Slot16, addr: Slot16, offset: u32
            };
            f64_mul_store = F64MulStore {
                dst: Slot16, a: Slot16, b: Slot16, addr: Slot16, offset: u32
            };
            /// `t = i32.load(addr + offset)`, then jump to `target` when `t <s b`; traps as the
            /// load.
            i32_load_br_lt_s = I32LoadBrLtS {
                t: Slot16, addr: Slot16, b: Slot16, offset: u32, target: Target
            };
            /// `t = i32.load(addr + offset)`, then jump to `target` when `t >s b`; traps as the
            /// load.
            i32_load_br_gt_s = I32LoadBrGtS {
                t: Slot16, addr: Slot16, b: Slot16, offset: u32, target: Target
            };
            // Loop ends: `x = x + y` (i32, wrapping; `y` a slot or, in `*Imm*` forms, the immediate
            // `imm`), then jump to `target` when the new `x` compares with slot `b` (or immediate
            // `cmp`, or zero) as named.
            i32_add_br_ne = I32AddBrNe { x: Slot16, y: Slot16, b: Slot16, target: Target };
            i32_add_br_lt_u = I32AddBrLtU { x: Slot16, y: Slot16, b: Slot16, target: Target };
            i32_add_br_lt_s = I32AddBrLtS { x: Slot16, y: Slot16, b: Slot16, target: Target };
            i32_add_imm_br_ne = I32AddImmBrNe { x: Slot16, imm: i16, b: Slot16, target: Target };
            i32_add_imm_br_lt_u = I32AddImmBrLtU { x: Slot16, imm: i16, b: Slot16, target: Target };
            i32_add_imm_br_lt_s = I32AddImmBrLtS { x: Slot16, imm: i16, b: Slot16, target: Target };
            i32_add_imm_br_ne_imm = I32AddImmBrNeImm {
                x: Slot16, imm: i16, cmp: i16, target: Target
            };
            i32_add_imm_br_nez = I32AddImmBrNez { x: Slot16, imm: i16, target: Target };
            // f64 chains: `t = a <op1> b; dst = t <op2> c`, each op rounded on its own exactly as
            // the two separate instructions (no fused multiply-add). `Sub` is `t - c`, `RSub` is
            // `c - t`; `Add`/`Mul` as the second op take `t` first whichever side the wasm had it
            // (wasm leaves the NaN payload of a two-NaN result open). `t` is written before `c` is
            // read, so `c` may be `t`.
            f64_add_add = F64AddAdd { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_add_sub = F64AddSub { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_add_rsub = F64AddRSub { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_add_mul = F64AddMul { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_sub_add = F64SubAdd { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_sub_sub = F64SubSub { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_sub_rsub = F64SubRSub { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_sub_mul = F64SubMul { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_mul_add = F64MulAdd { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_mul_sub = F64MulSub { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_mul_rsub = F64MulRSub { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            f64_mul_mul = F64MulMul { t: Slot16, a: Slot16, b: Slot16, c: Slot16, dst: Slot16 };
            // f64 chains whose result a multiplication reads: as the chain above (`d` its result),
            // then `e = d * f` (`f` read after `d` is written, so it may be `d`).
            f64_add_add_mul = F64AddAddMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_add_sub_mul = F64AddSubMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_add_rsub_mul = F64AddRSubMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_add_mul_mul = F64AddMulMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_sub_add_mul = F64SubAddMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_sub_sub_mul = F64SubSubMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_sub_rsub_mul = F64SubRSubMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_sub_mul_mul = F64SubMulMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_mul_add_mul = F64MulAddMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_mul_sub_mul = F64MulSubMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_mul_rsub_mul = F64MulRSubMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            f64_mul_mul_mul = F64MulMulMul {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, d: Slot16, e: Slot16, f: Slot16
            };
            // f64 operation feeding a compare-and-branch: `t = a <op> b` (written), then jump to
            // `target` when `t <cmp> c` holds (`Not*`: when it does not, NaN operands included).
            f64_add_br_lt = F64AddBrLt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_gt = F64AddBrGt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_le = F64AddBrLe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_ge = F64AddBrGe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_not_lt = F64AddBrNotLt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_not_gt = F64AddBrNotGt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_not_le = F64AddBrNotLe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_add_br_not_ge = F64AddBrNotGe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_lt = F64SubBrLt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_gt = F64SubBrGt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_le = F64SubBrLe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_ge = F64SubBrGe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_not_lt = F64SubBrNotLt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_not_gt = F64SubBrNotGt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_not_le = F64SubBrNotLe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_sub_br_not_ge = F64SubBrNotGe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_lt = F64MulBrLt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_gt = F64MulBrGt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_le = F64MulBrLe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_ge = F64MulBrGe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_not_lt = F64MulBrNotLt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_not_gt = F64MulBrNotGt {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_not_le = F64MulBrNotLe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };
            f64_mul_br_not_ge = F64MulBrNotGe {
                t: Slot16, a: Slot16, b: Slot16, c: Slot16, target: Target
            };

            // ---- moves and constants ----
            copy = Copy { dst: Out, src: Src };
            const32 = Const32 { dst: Dst, value: u32 };
            const64 = Const64 { dst: Dst, value: u64 };
            /// `dst = cond != 0 ? a : b`, with `cond` in the following `Aux`.
            select = Select { dst: Dst, a: Src, b: Src };
            // `select` fused with the i32 comparison that computed its condition (made while
            // translating, when the condition is the comparison just emitted, a temporary
            // nothing else reads): `dst = x <op> y ? a : b` (scalar values; `y` a slot or, in
            // `*_imm` forms, the immediate `imm`). The other comparisons are these with
            // `a` and `b` swapped or `x` and `y` mirrored. The `and` forms test a bit mask:
            // `dst = x & y != 0 ? a : b`.
            select_i32_eq = SelectI32Eq { dst: Dst, a: Slot16, b: Slot16, x: Slot16, y: Slot16 };
            select_i32_lt_s = SelectI32LtS { dst: Dst, a: Slot16, b: Slot16, x: Slot16, y: Slot16 };
            select_i32_lt_u = SelectI32LtU { dst: Dst, a: Slot16, b: Slot16, x: Slot16, y: Slot16 };
            select_i32_and = SelectI32And { dst: Dst, a: Slot16, b: Slot16, x: Slot16, y: Slot16 };
            select_i32_and_imm = SelectI32AndImm {
                dst: Dst, a: Slot16, b: Slot16, x: Slot16, imm: i32
            };
            select_i32_eq_imm = SelectI32EqImm {
                dst: Dst, a: Slot16, b: Slot16, x: Slot16, imm: i32
            };
            select_i32_lt_s_imm = SelectI32LtSImm {
                dst: Dst, a: Slot16, b: Slot16, x: Slot16, imm: i32
            };
            select_i32_gt_s_imm = SelectI32GtSImm {
                dst: Dst, a: Slot16, b: Slot16, x: Slot16, imm: i32
            };
            select_i32_lt_u_imm = SelectI32LtUImm {
                dst: Dst, a: Slot16, b: Slot16, x: Slot16, imm: i32
            };
            select_i32_gt_u_imm = SelectI32GtUImm {
                dst: Dst, a: Slot16, b: Slot16, x: Slot16, imm: i32
            };

            // ---- variables and references ----
            global_get = GlobalGet { dst: Out, global: u32 };
            global_set = GlobalSet { src: Src, global: u32 };
            ref_func = RefFunc { dst: Dst, func: u32 };

            // ---- memory 0 ----
            i32_load = I32Load { dst: Out, addr: Src, offset: u32 };
            i64_load = I64Load { dst: Out, addr: Src, offset: u32 };
            /// `i32.load` (offset 0) from the 32-bit wrapping sum `a + b`.
            i32_load_add = I32LoadAdd { dst: Dst, a: Src, b: Src };
            /// `i64.load` (offset 0) from the 32-bit wrapping sum `a + b`.
            i64_load_add = I64LoadAdd { dst: Dst, a: Src, b: Src };
            /// `i32.load` (offset 0) from the 32-bit wrapping sum `a + imm`.
            i32_load_add_imm = I32LoadAddImm { dst: Dst, a: Src, imm: i32 };
            /// `i64.load` (offset 0) from the 32-bit wrapping sum `a + imm`.
            i64_load_add_imm = I64LoadAddImm { dst: Dst, a: Src, imm: i32 };
            /// `i32.load8_u` (offset 0) from the 32-bit wrapping sum `a + b`.
            i32_load8_u_add = I32Load8UAdd { dst: Dst, a: Src, b: Src };
            /// `i32.load16_u` (offset 0) from the 32-bit wrapping sum `a + b`.
            i32_load16_u_add = I32Load16UAdd { dst: Dst, a: Src, b: Src };
            /// `i32.load8_u` (offset 0) from the 32-bit wrapping sum `a + imm`.
            i32_load8_u_add_imm = I32Load8UAddImm { dst: Dst, a: Src, imm: i32 };
            /// `i32.load16_u` (offset 0) from the 32-bit wrapping sum `a + imm`.
            i32_load16_u_add_imm = I32Load16UAddImm { dst: Dst, a: Src, imm: i32 };
            i32_load8_s = I32Load8S { dst: Out, addr: Src, offset: u32 };
            i32_load8_u = I32Load8U { dst: Out, addr: Src, offset: u32 };
            i32_load16_s = I32Load16S { dst: Out, addr: Src, offset: u32 };
            i32_load16_u = I32Load16U { dst: Out, addr: Src, offset: u32 };
            i64_load8_s = I64Load8S { dst: Dst, addr: Src, offset: u32 };
            i64_load8_u = I64Load8U { dst: Out, addr: Src, offset: u32 };
            i64_load16_s = I64Load16S { dst: Dst, addr: Src, offset: u32 };
            i64_load16_u = I64Load16U { dst: Out, addr: Src, offset: u32 };
            i64_load32_s = I64Load32S { dst: Out, addr: Src, offset: u32 };
            i64_load32_u = I64Load32U { dst: Out, addr: Src, offset: u32 };
            i32_store = I32Store { addr: Src, value: Src, offset: u32 };
            i64_store = I64Store { addr: Src, value: Src, offset: u32 };
            i32_store8 = I32Store8 { addr: Src, value: Src, offset: u32 };
            i32_store16 = I32Store16 { addr: Src, value: Src, offset: u32 };
            // Stores of a constant (`value` sign-extended to 64 bits, then truncated to the width).
            i32_store_imm = I32StoreImm { addr: Src, value: i32, offset: u32 };
            i64_store_imm = I64StoreImm { addr: Src, value: i32, offset: u32 };
            i32_store8_imm = I32Store8Imm { addr: Src, value: i32, offset: u32 };
            i32_store16_imm = I32Store16Imm { addr: Src, value: i32, offset: u32 };
            memory_size = MemorySize { dst: Dst };
            memory_grow = MemoryGrow { dst: Dst, delta: Src };
            /// Operands (dst, value, len) in `base..base+3`.
            memory_fill = MemoryFill { base: Base };
            /// Operands (dst, src, len) in `base..base+3`.
            memory_copy = MemoryCopy { base: Base };
            /// Operands (dst, src, len) in `base..base+3`.
            memory_init = MemoryInit { base: Base, segment: u32 };
            data_drop = DataDrop { segment: u32 };

            // ---- memories by index, and 64-bit addresses (multi-memory, memory64) ----
            // The instructions above address a 32-bit memory 0 through the hot `mem`/`len`
            // registers; these `*_m` forms address the memory their `memory` selector names
            // (see `MemSel`), with an `i32` or `i64` address as its index type says. An access
            // traps `out of bounds memory access` when `address + offset + size` exceeds the
            // memory's length (in full precision: nothing wraps).
            i32_load_m = I32LoadM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load_m = I64LoadM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i32_load8_s_m = I32Load8SM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i32_load8_u_m = I32Load8UM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i32_load16_s_m = I32Load16SM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i32_load16_u_m = I32Load16UM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load8_s_m = I64Load8SM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load8_u_m = I64Load8UM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load16_s_m = I64Load16SM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load16_u_m = I64Load16UM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load32_s_m = I64Load32SM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i64_load32_u_m = I64Load32UM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            i32_store_m = I32StoreM { addr: Src, value: Src, offset: u32, memory: MemSel };
            i64_store_m = I64StoreM { addr: Src, value: Src, offset: u32, memory: MemSel };
            i32_store8_m = I32Store8M { addr: Src, value: Src, offset: u32, memory: MemSel };
            i32_store16_m = I32Store16M { addr: Src, value: Src, offset: u32, memory: MemSel };
            /// `dst = addr + offset` (`i64`), trapping `out of bounds memory access` when the
            /// sum does not fit 64 bits: the part of a 64-bit memory's static offset of 2^32
            /// or more, added before the access (which then has offset 0).
            memory_offset64 = MemoryOffset64 { dst: Dst, addr: Src, offset: Src };
            /// `dst` = the size in pages (an `i32` or `i64` as the index type says).
            memory_size_m = MemorySizeM { dst: Dst, memory: MemSel };
            /// `dst` = the old size in pages, or -1 (of the index type) when it cannot grow.
            memory_grow_m = MemoryGrowM { dst: Dst, delta: Src, memory: MemSel };
            /// Operands (dst, value, len) in `base..base+3`.
            memory_fill_m = MemoryFillM { base: Base, memory: MemSel };
            /// Operands (dst, src, len) in `base..base+3`; `len` of the narrower index type.
            memory_copy_m = MemoryCopyM { base: Base, dst_memory: MemSel, src_memory: MemSel };
            /// Operands (dst, src, len) in `base..base+3`; `src` and `len` are `i32`.
            memory_init_m = MemoryInitM { base: Base, segment: u32, memory: MemSel };

            // ---- threads: atomic accesses (`crate::atomics`), on any memory, operands in
            // consecutive slots from `base`, the result (if any) into `base`. Each traps
            // `unaligned atomic` when `address + offset` is not a multiple of `width`, then
            // `out of bounds memory access`; each reloads memory 0's registers first, so a
            // thread sees another's growth of a shared memory 0 at its next atomic access.
            /// `dst = addr + offset` (`i64`) for an atomic access of `width` bytes, checked
            /// in the atomics' order: `unaligned atomic` when the sum (modulo 2^64) is not a
            /// multiple of `width`, then `out of bounds memory access` when it does not fit
            /// 64 bits: the part of a 64-bit memory's static offset of 2^32 or more (the
            /// access then has offset 0).
            atomic_offset64 = AtomicOffset64 { dst: Dst, addr: Src, offset: Src, width: u8 };
            /// `*.atomic.load*`: the `width`-byte value at `address + offset` (address in
            /// `base`), zero-extended.
            atomic_load = AtomicLoad { base: Base, offset: u32, memory: MemSel, width: u8 };
            /// `*.atomic.store*`: (address, value) in `base..base+2`.
            atomic_store = AtomicStore { base: Base, offset: u32, memory: MemSel, width: u8 };
            /// `*.atomic.rmw*.<op>`: (address, operand) in `base..base+2`; the old value.
            atomic_rmw = AtomicRmw {
                base: Base, offset: u32, memory: MemSel, width: u8, op: RmwOp
            };
            /// `*.atomic.rmw*.cmpxchg*`: (address, expected, replacement) in `base..base+3`;
            /// the old value.
            atomic_cmpxchg = AtomicCmpxchg { base: Base, offset: u32, memory: MemSel, width: u8 };
            /// `memory.atomic.wait32/64` (`width` 4/8): (address, expected, timeout in ns)
            /// in `base..base+3`; the `i32` result (0 woken, 1 not equal, 2 timed out).
            /// Traps `expected shared memory` on an unshared memory.
            memory_atomic_wait = MemoryAtomicWait {
                base: Base, offset: u32, memory: MemSel, width: u8
            };
            /// `memory.atomic.notify`: (address, count) in `base..base+2`; the number of
            /// waiters woken.
            memory_atomic_notify = MemoryAtomicNotify { base: Base, offset: u32, memory: MemSel };
            /// `atomic.fence`: a sequentially consistent fence.
            atomic_fence = AtomicFence;
            v128_load_m = V128LoadM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            v128_load8x8_s_m = V128Load8x8SM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            v128_load8x8_u_m = V128Load8x8UM { dst: Dst, addr: Src, offset: u32, memory: MemSel };
            v128_load16x4_s_m = V128Load16x4SM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load16x4_u_m = V128Load16x4UM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load32x2_s_m = V128Load32x2SM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load32x2_u_m = V128Load32x2UM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load8_splat_m = V128Load8SplatM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load16_splat_m = V128Load16SplatM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load32_splat_m = V128Load32SplatM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load64_splat_m = V128Load64SplatM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load32_zero_m = V128Load32ZeroM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load64_zero_m = V128Load64ZeroM {
                dst: Dst, addr: Src, offset: u32, memory: MemSel
            };
            v128_load8_lane_m = V128Load8LaneM {
                vec: Base, addr: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_load16_lane_m = V128Load16LaneM {
                vec: Base, addr: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_load32_lane_m = V128Load32LaneM {
                vec: Base, addr: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_load64_lane_m = V128Load64LaneM {
                vec: Base, addr: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_store_m = V128StoreM { addr: Src, value: Src, offset: u32, memory: MemSel };
            v128_store8_lane_m = V128Store8LaneM {
                addr: Src, value: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_store16_lane_m = V128Store16LaneM {
                addr: Src, value: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_store32_lane_m = V128Store32LaneM {
                addr: Src, value: Src, offset: u32, lane: u8, memory: MemSel
            };
            v128_store64_lane_m = V128Store64LaneM {
                addr: Src, value: Src, offset: u32, lane: u8, memory: MemSel
            };
            /// `dst = min(src, 2^32 - 1)`: an `i64` element index, size or length of a 64-bit
            /// table as the `u32` the table instructions read. Exact: no table reaches
            /// 2^32 - 1 elements (`vm::TABLE_ELEMENT_LIMIT`), so every such value is out of
            /// bounds (or too large a growth) before and after.
            table_index64 = TableIndex64 { dst: Dst, src: Src };

            // ---- tables ----
            table_get = TableGet { dst: Dst, index: Src, table: u32 };
            table_set = TableSet { index: Src, value: Src, table: u32 };
            table_size = TableSize { dst: Dst, table: u32 };
            /// Operands (init, delta) in `base..base+2`; result in `base`.
            table_grow = TableGrow { base: Base, table: u32 };
            /// Operands (index, value, len) in `base..base+3`.
            table_fill = TableFill { base: Base, table: u32 };
            /// Operands (dst, src, len) in `base..base+3`.
            table_copy = TableCopy { base: Base, dst_table: u32, src_table: u32 };
            /// Operands (dst, src, len) in `base..base+3`.
            table_init = TableInit { base: Base, table: u32, segment: u32 };
            elem_drop = ElemDrop { segment: u32 };

            // ---- i32 ----
            i32_eqz = I32Eqz { dst: Out, src: Src };
            i32_eq = I32Eq { dst: Out, a: Src, b: Src };
            i32_ne = I32Ne { dst: Out, a: Src, b: Src };
            i32_lt_s = I32LtS { dst: Out, a: Src, b: Src };
            i32_lt_u = I32LtU { dst: Out, a: Src, b: Src };
            i32_gt_s = I32GtS { dst: Out, a: Src, b: Src };
            i32_gt_u = I32GtU { dst: Out, a: Src, b: Src };
            i32_le_s = I32LeS { dst: Out, a: Src, b: Src };
            i32_le_u = I32LeU { dst: Out, a: Src, b: Src };
            i32_ge_s = I32GeS { dst: Out, a: Src, b: Src };
            i32_ge_u = I32GeU { dst: Out, a: Src, b: Src };
            i32_clz = I32Clz { dst: Out, src: Src };
            i32_ctz = I32Ctz { dst: Out, src: Src };
            i32_popcnt = I32Popcnt { dst: Out, src: Src };
            i32_add = I32Add { dst: Out, a: Src, b: Src };
            i32_sub = I32Sub { dst: Out, a: Src, b: Src };
            /// `dst = imm - a` (i32, wrapping): `i32.sub` from a constant (`0 - x` negates).
            i32_rsub_imm = I32RsubImm { dst: Out, a: Src, imm: i32 };
            i32_mul = I32Mul { dst: Out, a: Src, b: Src };
            i32_div_s = I32DivS { dst: Out, a: Src, b: Src };
            i32_div_u = I32DivU { dst: Out, a: Src, b: Src };
            i32_rem_s = I32RemS { dst: Out, a: Src, b: Src };
            i32_rem_u = I32RemU { dst: Out, a: Src, b: Src };
            i32_and = I32And { dst: Out, a: Src, b: Src };
            i32_or = I32Or { dst: Out, a: Src, b: Src };
            i32_xor = I32Xor { dst: Out, a: Src, b: Src };
            i32_shl = I32Shl { dst: Out, a: Src, b: Src };
            i32_shr_s = I32ShrS { dst: Out, a: Src, b: Src };
            i32_shr_u = I32ShrU { dst: Out, a: Src, b: Src };
            i32_rotl = I32Rotl { dst: Out, a: Src, b: Src };
            i32_rotr = I32Rotr { dst: Out, a: Src, b: Src };
            // i32 with an immediate right operand
            i32_eq_imm = I32EqImm { dst: Out, a: Src, imm: i32 };
            i32_ne_imm = I32NeImm { dst: Out, a: Src, imm: i32 };
            i32_lt_s_imm = I32LtSImm { dst: Out, a: Src, imm: i32 };
            i32_lt_u_imm = I32LtUImm { dst: Out, a: Src, imm: i32 };
            i32_gt_s_imm = I32GtSImm { dst: Out, a: Src, imm: i32 };
            i32_gt_u_imm = I32GtUImm { dst: Out, a: Src, imm: i32 };
            i32_le_s_imm = I32LeSImm { dst: Out, a: Src, imm: i32 };
            i32_le_u_imm = I32LeUImm { dst: Out, a: Src, imm: i32 };
            i32_ge_s_imm = I32GeSImm { dst: Out, a: Src, imm: i32 };
            i32_ge_u_imm = I32GeUImm { dst: Out, a: Src, imm: i32 };
            i32_add_imm = I32AddImm { dst: Out, a: Src, imm: i32 };
            i32_mul_imm = I32MulImm { dst: Out, a: Src, imm: i32 };
            i32_and_imm = I32AndImm { dst: Out, a: Src, imm: i32 };
            i32_or_imm = I32OrImm { dst: Out, a: Src, imm: i32 };
            i32_xor_imm = I32XorImm { dst: Out, a: Src, imm: i32 };
            i32_shl_imm = I32ShlImm { dst: Out, a: Src, imm: i32 };
            i32_shr_s_imm = I32ShrSImm { dst: Out, a: Src, imm: i32 };
            i32_shr_u_imm = I32ShrUImm { dst: Out, a: Src, imm: i32 };
            /// Rotate left by a constant (`rotr` by `c` becomes `rotl` by `32 - c`).
            i32_rotl_imm = I32RotlImm { dst: Out, a: Src, imm: i32 };
            /// `dst = a div_u d` (i32) for a constant `d` other than 0, as a multiply:
            /// `(m, shift)` is [`const_divisor::magic`](crate::interp::const_divisor::magic)`(d)`.
            i32_div_u_const = I32DivUConst { dst: Out, a: Src, m: u32, shift: u8 };
            /// `dst = a rem_u d` (i32) for a constant `d` other than 0: `a - (a div_u d) * d`,
            /// the quotient as in `i32_div_u_const` (16-bit slots).
            i32_rem_u_const = I32RemUConst { dst: Out16, a: Slot16, m: u32, d: u32, shift: u8 };

            // ---- i64 ----
            i64_eqz = I64Eqz { dst: Out, src: Src };
            i64_eq = I64Eq { dst: Out, a: Src, b: Src };
            i64_ne = I64Ne { dst: Out, a: Src, b: Src };
            i64_lt_s = I64LtS { dst: Out, a: Src, b: Src };
            i64_lt_u = I64LtU { dst: Out, a: Src, b: Src };
            i64_gt_s = I64GtS { dst: Out, a: Src, b: Src };
            i64_gt_u = I64GtU { dst: Out, a: Src, b: Src };
            i64_le_s = I64LeS { dst: Out, a: Src, b: Src };
            i64_le_u = I64LeU { dst: Out, a: Src, b: Src };
            i64_ge_s = I64GeS { dst: Out, a: Src, b: Src };
            i64_ge_u = I64GeU { dst: Out, a: Src, b: Src };
            i64_clz = I64Clz { dst: Dst, src: Src };
            i64_ctz = I64Ctz { dst: Dst, src: Src };
            i64_popcnt = I64Popcnt { dst: Dst, src: Src };
            i64_add = I64Add { dst: Out, a: Src, b: Src };
            i64_sub = I64Sub { dst: Out, a: Src, b: Src };
            /// `dst = imm - a` (i64, wrapping; `imm` sign-extended): `i64.sub` from a
            /// constant that fits 32 bits.
            i64_rsub_imm = I64RsubImm { dst: Out, a: Src, imm: i32 };
            i64_mul = I64Mul { dst: Out, a: Src, b: Src };
            i64_div_s = I64DivS { dst: Dst, a: Src, b: Src };
            i64_div_u = I64DivU { dst: Dst, a: Src, b: Src };
            i64_rem_s = I64RemS { dst: Dst, a: Src, b: Src };
            i64_rem_u = I64RemU { dst: Dst, a: Src, b: Src };
            i64_and = I64And { dst: Out, a: Src, b: Src };
            i64_or = I64Or { dst: Out, a: Src, b: Src };
            i64_xor = I64Xor { dst: Out, a: Src, b: Src };
            i64_shl = I64Shl { dst: Out, a: Src, b: Src };
            i64_shr_s = I64ShrS { dst: Out, a: Src, b: Src };
            i64_shr_u = I64ShrU { dst: Out, a: Src, b: Src };
            i64_rotl = I64Rotl { dst: Dst, a: Src, b: Src };
            i64_rotr = I64Rotr { dst: Dst, a: Src, b: Src };
            i64_eq_imm = I64EqImm { dst: Dst, a: Src, imm: i32 };
            i64_ne_imm = I64NeImm { dst: Dst, a: Src, imm: i32 };
            i64_lt_s_imm = I64LtSImm { dst: Dst, a: Src, imm: i32 };
            i64_lt_u_imm = I64LtUImm { dst: Dst, a: Src, imm: i32 };
            i64_gt_s_imm = I64GtSImm { dst: Dst, a: Src, imm: i32 };
            i64_gt_u_imm = I64GtUImm { dst: Dst, a: Src, imm: i32 };
            i64_le_s_imm = I64LeSImm { dst: Dst, a: Src, imm: i32 };
            i64_le_u_imm = I64LeUImm { dst: Dst, a: Src, imm: i32 };
            i64_ge_s_imm = I64GeSImm { dst: Dst, a: Src, imm: i32 };
            i64_ge_u_imm = I64GeUImm { dst: Dst, a: Src, imm: i32 };
            i64_add_imm = I64AddImm { dst: Out, a: Src, imm: i32 };
            i64_mul_imm = I64MulImm { dst: Dst, a: Src, imm: i32 };
            i64_and_imm = I64AndImm { dst: Out, a: Src, imm: i32 };
            i64_or_imm = I64OrImm { dst: Out, a: Src, imm: i32 };
            i64_xor_imm = I64XorImm { dst: Dst, a: Src, imm: i32 };
            i64_shl_imm = I64ShlImm { dst: Out, a: Src, imm: i32 };
            i64_shr_s_imm = I64ShrSImm { dst: Dst, a: Src, imm: i32 };
            i64_shr_u_imm = I64ShrUImm { dst: Out, a: Src, imm: i32 };
            /// Rotate left by a constant (`rotr` by `c` becomes `rotl` by `64 - c`).
            i64_rotl_imm = I64RotlImm { dst: Dst, a: Src, imm: i32 };

            // ---- f32 ----
            f32_eq = F32Eq { dst: Dst, a: Src, b: Src };
            f32_ne = F32Ne { dst: Dst, a: Src, b: Src };
            f32_lt = F32Lt { dst: Dst, a: Src, b: Src };
            f32_gt = F32Gt { dst: Dst, a: Src, b: Src };
            f32_le = F32Le { dst: Dst, a: Src, b: Src };
            f32_ge = F32Ge { dst: Dst, a: Src, b: Src };
            f32_abs = F32Abs { dst: Dst, src: Src };
            f32_neg = F32Neg { dst: Dst, src: Src };
            f32_ceil = F32Ceil { dst: Dst, src: Src };
            f32_floor = F32Floor { dst: Dst, src: Src };
            f32_trunc = F32Trunc { dst: Dst, src: Src };
            f32_nearest = F32Nearest { dst: Dst, src: Src };
            f32_sqrt = F32Sqrt { dst: Dst, src: Src };
            f32_add = F32Add { dst: Dst, a: Src, b: Src };
            f32_sub = F32Sub { dst: Dst, a: Src, b: Src };
            f32_mul = F32Mul { dst: Dst, a: Src, b: Src };
            f32_div = F32Div { dst: Dst, a: Src, b: Src };
            f32_min = F32Min { dst: Dst, a: Src, b: Src };
            f32_max = F32Max { dst: Dst, a: Src, b: Src };
            f32_copysign = F32Copysign { dst: Dst, a: Src, b: Src };

            // ---- f64 ----
            f64_eq = F64Eq { dst: Dst, a: Src, b: Src };
            f64_ne = F64Ne { dst: Dst, a: Src, b: Src };
            f64_lt = F64Lt { dst: Dst, a: Src, b: Src };
            f64_gt = F64Gt { dst: Dst, a: Src, b: Src };
            f64_le = F64Le { dst: Dst, a: Src, b: Src };
            f64_ge = F64Ge { dst: Dst, a: Src, b: Src };
            f64_abs = F64Abs { dst: Dst, src: Src };
            f64_neg = F64Neg { dst: Dst, src: Src };
            f64_ceil = F64Ceil { dst: Dst, src: Src };
            f64_floor = F64Floor { dst: Dst, src: Src };
            f64_trunc = F64Trunc { dst: Dst, src: Src };
            f64_nearest = F64Nearest { dst: Dst, src: Src };
            f64_sqrt = F64Sqrt { dst: Dst, src: Src };
            f64_add = F64Add { dst: Dst, a: Src, b: Src };
            f64_sub = F64Sub { dst: Dst, a: Src, b: Src };
            f64_mul = F64Mul { dst: Dst, a: Src, b: Src };
            f64_div = F64Div { dst: Dst, a: Src, b: Src };
            f64_min = F64Min { dst: Dst, a: Src, b: Src };
            f64_max = F64Max { dst: Dst, a: Src, b: Src };
            f64_copysign = F64Copysign { dst: Dst, a: Src, b: Src };

            // ---- conversions ----
            i32_trunc_f32_s = I32TruncF32S { dst: Dst, src: Src };
            i32_trunc_f32_u = I32TruncF32U { dst: Dst, src: Src };
            i32_trunc_f64_s = I32TruncF64S { dst: Dst, src: Src };
            i32_trunc_f64_u = I32TruncF64U { dst: Dst, src: Src };
            i64_extend_i32_s = I64ExtendI32S { dst: Out, src: Src };
            i64_extend_i32_u = I64ExtendI32U { dst: Out, src: Src };
            i64_trunc_f32_s = I64TruncF32S { dst: Dst, src: Src };
            i64_trunc_f32_u = I64TruncF32U { dst: Dst, src: Src };
            i64_trunc_f64_s = I64TruncF64S { dst: Dst, src: Src };
            i64_trunc_f64_u = I64TruncF64U { dst: Dst, src: Src };
            f32_convert_i32_s = F32ConvertI32S { dst: Dst, src: Src };
            f32_convert_i32_u = F32ConvertI32U { dst: Dst, src: Src };
            f32_convert_i64_s = F32ConvertI64S { dst: Dst, src: Src };
            f32_convert_i64_u = F32ConvertI64U { dst: Dst, src: Src };
            f32_demote_f64 = F32DemoteF64 { dst: Dst, src: Src };
            f64_convert_i32_s = F64ConvertI32S { dst: Dst, src: Src };
            f64_convert_i32_u = F64ConvertI32U { dst: Dst, src: Src };
            f64_convert_i64_s = F64ConvertI64S { dst: Dst, src: Src };
            f64_convert_i64_u = F64ConvertI64U { dst: Dst, src: Src };
            f64_promote_f32 = F64PromoteF32 { dst: Dst, src: Src };
            i32_extend8_s = I32Extend8S { dst: Out, src: Src };
            i32_extend16_s = I32Extend16S { dst: Out, src: Src };
            i64_extend8_s = I64Extend8S { dst: Dst, src: Src };
            i64_extend16_s = I64Extend16S { dst: Dst, src: Src };
            i64_extend32_s = I64Extend32S { dst: Dst, src: Src };
            i32_trunc_sat_f32_s = I32TruncSatF32S { dst: Dst, src: Src };
            i32_trunc_sat_f32_u = I32TruncSatF32U { dst: Dst, src: Src };
            i32_trunc_sat_f64_s = I32TruncSatF64S { dst: Dst, src: Src };
            i32_trunc_sat_f64_u = I32TruncSatF64U { dst: Dst, src: Src };
            i64_trunc_sat_f32_s = I64TruncSatF32S { dst: Dst, src: Src };
            i64_trunc_sat_f32_u = I64TruncSatF32U { dst: Dst, src: Src };
            i64_trunc_sat_f64_s = I64TruncSatF64S { dst: Dst, src: Src };
            i64_trunc_sat_f64_u = I64TruncSatF64U { dst: Dst, src: Src };

            // ---- v128 (two consecutive slots each, lane 0 in the first; see the module docs) ----
            /// `dst = src` (16 bytes).
            copy128 = Copy128 { dst: Dst, src: Src };
            /// `dst = cond != 0 ? a : b` (v128), with `cond` in the following `Aux`.
            select128 = Select128 { dst: Dst, a: Src, b: Src };
            /// `dst =` entry `index` of the function's `v128` constant pool.
            v128_const = V128Const { dst: Dst, index: u16 };
            global_get128 = GlobalGet128 { dst: Dst, global: u32 };
            global_set128 = GlobalSet128 { src: Src, global: u32 };
            // Loads: `dst = v128.load*(addr + offset)`, trapping when out of bounds.
            v128_load = V128Load { dst: Dst, addr: Src, offset: u32 };
            v128_load8x8_s = V128Load8x8S { dst: Dst, addr: Src, offset: u32 };
            v128_load8x8_u = V128Load8x8U { dst: Dst, addr: Src, offset: u32 };
            v128_load16x4_s = V128Load16x4S { dst: Dst, addr: Src, offset: u32 };
            v128_load16x4_u = V128Load16x4U { dst: Dst, addr: Src, offset: u32 };
            v128_load32x2_s = V128Load32x2S { dst: Dst, addr: Src, offset: u32 };
            v128_load32x2_u = V128Load32x2U { dst: Dst, addr: Src, offset: u32 };
            v128_load8_splat = V128Load8Splat { dst: Dst, addr: Src, offset: u32 };
            v128_load16_splat = V128Load16Splat { dst: Dst, addr: Src, offset: u32 };
            v128_load32_splat = V128Load32Splat { dst: Dst, addr: Src, offset: u32 };
            v128_load64_splat = V128Load64Splat { dst: Dst, addr: Src, offset: u32 };
            v128_load32_zero = V128Load32Zero { dst: Dst, addr: Src, offset: u32 };
            v128_load64_zero = V128Load64Zero { dst: Dst, addr: Src, offset: u32 };
            // Lane loads: lane `lane` of the v128 in `vec` (read and written in place) becomes the
            // value loaded from `addr + offset`.
            v128_load8_lane = V128Load8Lane { vec: Base, addr: Src, offset: u32, lane: u8 };
            v128_load16_lane = V128Load16Lane { vec: Base, addr: Src, offset: u32, lane: u8 };
            v128_load32_lane = V128Load32Lane { vec: Base, addr: Src, offset: u32, lane: u8 };
            v128_load64_lane = V128Load64Lane { vec: Base, addr: Src, offset: u32, lane: u8 };
            v128_store = V128Store { addr: Src, value: Src, offset: u32 };
            // Lane stores: lane `lane` of `value` to `addr + offset`.
            v128_store8_lane = V128Store8Lane { addr: Src, value: Src, offset: u32, lane: u8 };
            v128_store16_lane = V128Store16Lane { addr: Src, value: Src, offset: u32, lane: u8 };
            v128_store32_lane = V128Store32Lane { addr: Src, value: Src, offset: u32, lane: u8 };
            v128_store64_lane = V128Store64Lane { addr: Src, value: Src, offset: u32, lane: u8 };
            // Lanes (the float shapes' extract, replace and splat use the integer ones of their
            // width: they move bits).
            i8x16_extract_lane_s = I8x16ExtractLaneS { dst: Dst, src: Src, lane: u8 };
            i8x16_extract_lane_u = I8x16ExtractLaneU { dst: Dst, src: Src, lane: u8 };
            i16x8_extract_lane_s = I16x8ExtractLaneS { dst: Dst, src: Src, lane: u8 };
            i16x8_extract_lane_u = I16x8ExtractLaneU { dst: Dst, src: Src, lane: u8 };
            i32x4_extract_lane = I32x4ExtractLane { dst: Dst, src: Src, lane: u8 };
            i64x2_extract_lane = I64x2ExtractLane { dst: Dst, src: Src, lane: u8 };
            /// `dst = vec` with lane `lane` set to the scalar in `value`.
            i8x16_replace_lane = I8x16ReplaceLane { dst: Dst, vec: Src, value: Src, lane: u8 };
            i16x8_replace_lane = I16x8ReplaceLane { dst: Dst, vec: Src, value: Src, lane: u8 };
            i32x4_replace_lane = I32x4ReplaceLane { dst: Dst, vec: Src, value: Src, lane: u8 };
            i64x2_replace_lane = I64x2ReplaceLane { dst: Dst, vec: Src, value: Src, lane: u8 };
            i8x16_splat = I8x16Splat { dst: Dst, src: Src };
            i16x8_splat = I16x8Splat { dst: Dst, src: Src };
            i32x4_splat = I32x4Splat { dst: Dst, src: Src };
            i64x2_splat = I64x2Splat { dst: Dst, src: Src };
            /// Byte lane `i` of `dst` is byte `m[i]` of `a ++ b`, `m` the lane mask at entry
            /// `lanes` of the constant pool.
            i8x16_shuffle = I8x16Shuffle { dst: Dst, a: Src, b: Src, lanes: u16 };
            /// Also `i8x16.relaxed_swizzle` (see the relaxed semantics in the module docs).
            i8x16_swizzle = I8x16Swizzle { dst: Dst, a: Src, b: Src };
            // Bitwise
            v128_not = V128Not { dst: Dst, src: Src };
            v128_and = V128And { dst: Dst, a: Src, b: Src };
            v128_andnot = V128AndNot { dst: Dst, a: Src, b: Src };
            v128_or = V128Or { dst: Dst, a: Src, b: Src };
            v128_xor = V128Xor { dst: Dst, a: Src, b: Src };
            /// `dst = (a & c) | (b & !c)`, with `c` in the following `Aux`; also every
            /// `relaxed_laneselect`.
            v128_bitselect = V128Bitselect { dst: Dst, a: Src, b: Src };
            /// `dst = (src != 0) as i32`.
            v128_any_true = V128AnyTrue { dst: Dst, src: Src };
            // Comparisons: all-ones lanes where the comparison holds, else zero.
            i8x16_eq = I8x16Eq { dst: Dst, a: Src, b: Src };
            i8x16_ne = I8x16Ne { dst: Dst, a: Src, b: Src };
            i8x16_lt_s = I8x16LtS { dst: Dst, a: Src, b: Src };
            i8x16_lt_u = I8x16LtU { dst: Dst, a: Src, b: Src };
            i8x16_gt_s = I8x16GtS { dst: Dst, a: Src, b: Src };
            i8x16_gt_u = I8x16GtU { dst: Dst, a: Src, b: Src };
            i8x16_le_s = I8x16LeS { dst: Dst, a: Src, b: Src };
            i8x16_le_u = I8x16LeU { dst: Dst, a: Src, b: Src };
            i8x16_ge_s = I8x16GeS { dst: Dst, a: Src, b: Src };
            i8x16_ge_u = I8x16GeU { dst: Dst, a: Src, b: Src };
            i16x8_eq = I16x8Eq { dst: Dst, a: Src, b: Src };
            i16x8_ne = I16x8Ne { dst: Dst, a: Src, b: Src };
            i16x8_lt_s = I16x8LtS { dst: Dst, a: Src, b: Src };
            i16x8_lt_u = I16x8LtU { dst: Dst, a: Src, b: Src };
            i16x8_gt_s = I16x8GtS { dst: Dst, a: Src, b: Src };
            i16x8_gt_u = I16x8GtU { dst: Dst, a: Src, b: Src };
            i16x8_le_s = I16x8LeS { dst: Dst, a: Src, b: Src };
            i16x8_le_u = I16x8LeU { dst: Dst, a: Src, b: Src };
            i16x8_ge_s = I16x8GeS { dst: Dst, a: Src, b: Src };
            i16x8_ge_u = I16x8GeU { dst: Dst, a: Src, b: Src };
            i32x4_eq = I32x4Eq { dst: Dst, a: Src, b: Src };
            i32x4_ne = I32x4Ne { dst: Dst, a: Src, b: Src };
            i32x4_lt_s = I32x4LtS { dst: Dst, a: Src, b: Src };
            i32x4_lt_u = I32x4LtU { dst: Dst, a: Src, b: Src };
            i32x4_gt_s = I32x4GtS { dst: Dst, a: Src, b: Src };
            i32x4_gt_u = I32x4GtU { dst: Dst, a: Src, b: Src };
            i32x4_le_s = I32x4LeS { dst: Dst, a: Src, b: Src };
            i32x4_le_u = I32x4LeU { dst: Dst, a: Src, b: Src };
            i32x4_ge_s = I32x4GeS { dst: Dst, a: Src, b: Src };
            i32x4_ge_u = I32x4GeU { dst: Dst, a: Src, b: Src };
            i64x2_eq = I64x2Eq { dst: Dst, a: Src, b: Src };
            i64x2_ne = I64x2Ne { dst: Dst, a: Src, b: Src };
            i64x2_lt_s = I64x2LtS { dst: Dst, a: Src, b: Src };
            i64x2_gt_s = I64x2GtS { dst: Dst, a: Src, b: Src };
            i64x2_le_s = I64x2LeS { dst: Dst, a: Src, b: Src };
            i64x2_ge_s = I64x2GeS { dst: Dst, a: Src, b: Src };
            f32x4_eq = F32x4Eq { dst: Dst, a: Src, b: Src };
            f32x4_ne = F32x4Ne { dst: Dst, a: Src, b: Src };
            f32x4_lt = F32x4Lt { dst: Dst, a: Src, b: Src };
            f32x4_gt = F32x4Gt { dst: Dst, a: Src, b: Src };
            f32x4_le = F32x4Le { dst: Dst, a: Src, b: Src };
            f32x4_ge = F32x4Ge { dst: Dst, a: Src, b: Src };
            f64x2_eq = F64x2Eq { dst: Dst, a: Src, b: Src };
            f64x2_ne = F64x2Ne { dst: Dst, a: Src, b: Src };
            f64x2_lt = F64x2Lt { dst: Dst, a: Src, b: Src };
            f64x2_gt = F64x2Gt { dst: Dst, a: Src, b: Src };
            f64x2_le = F64x2Le { dst: Dst, a: Src, b: Src };
            f64x2_ge = F64x2Ge { dst: Dst, a: Src, b: Src };
            // Integer lanes. Shifts take the count (an i32) in `b`, modulo the lane width;
            // `all_true` and `bitmask` write an i32.
            i8x16_abs = I8x16Abs { dst: Dst, src: Src };
            i8x16_neg = I8x16Neg { dst: Dst, src: Src };
            i8x16_popcnt = I8x16Popcnt { dst: Dst, src: Src };
            i8x16_all_true = I8x16AllTrue { dst: Dst, src: Src };
            i8x16_bitmask = I8x16Bitmask { dst: Dst, src: Src };
            i8x16_narrow_i16x8_s = I8x16NarrowI16x8S { dst: Dst, a: Src, b: Src };
            i8x16_narrow_i16x8_u = I8x16NarrowI16x8U { dst: Dst, a: Src, b: Src };
            i8x16_shl = I8x16Shl { dst: Dst, a: Src, b: Src };
            i8x16_shr_s = I8x16ShrS { dst: Dst, a: Src, b: Src };
            i8x16_shr_u = I8x16ShrU { dst: Dst, a: Src, b: Src };
            i8x16_add = I8x16Add { dst: Dst, a: Src, b: Src };
            i8x16_add_sat_s = I8x16AddSatS { dst: Dst, a: Src, b: Src };
            i8x16_add_sat_u = I8x16AddSatU { dst: Dst, a: Src, b: Src };
            i8x16_sub = I8x16Sub { dst: Dst, a: Src, b: Src };
            i8x16_sub_sat_s = I8x16SubSatS { dst: Dst, a: Src, b: Src };
            i8x16_sub_sat_u = I8x16SubSatU { dst: Dst, a: Src, b: Src };
            i8x16_min_s = I8x16MinS { dst: Dst, a: Src, b: Src };
            i8x16_min_u = I8x16MinU { dst: Dst, a: Src, b: Src };
            i8x16_max_s = I8x16MaxS { dst: Dst, a: Src, b: Src };
            i8x16_max_u = I8x16MaxU { dst: Dst, a: Src, b: Src };
            i8x16_avgr_u = I8x16AvgrU { dst: Dst, a: Src, b: Src };
            i16x8_extadd_pairwise_i8x16_s = I16x8ExtAddPairwiseI8x16S { dst: Dst, src: Src };
            i16x8_extadd_pairwise_i8x16_u = I16x8ExtAddPairwiseI8x16U { dst: Dst, src: Src };
            i16x8_abs = I16x8Abs { dst: Dst, src: Src };
            i16x8_neg = I16x8Neg { dst: Dst, src: Src };
            /// Also `i16x8.relaxed_q15mulr_s`.
            i16x8_q15mulr_sat_s = I16x8Q15MulrSatS { dst: Dst, a: Src, b: Src };
            i16x8_all_true = I16x8AllTrue { dst: Dst, src: Src };
            i16x8_bitmask = I16x8Bitmask { dst: Dst, src: Src };
            i16x8_narrow_i32x4_s = I16x8NarrowI32x4S { dst: Dst, a: Src, b: Src };
            i16x8_narrow_i32x4_u = I16x8NarrowI32x4U { dst: Dst, a: Src, b: Src };
            i16x8_extend_low_i8x16_s = I16x8ExtendLowI8x16S { dst: Dst, src: Src };
            i16x8_extend_high_i8x16_s = I16x8ExtendHighI8x16S { dst: Dst, src: Src };
            i16x8_extend_low_i8x16_u = I16x8ExtendLowI8x16U { dst: Dst, src: Src };
            i16x8_extend_high_i8x16_u = I16x8ExtendHighI8x16U { dst: Dst, src: Src };
            i16x8_shl = I16x8Shl { dst: Dst, a: Src, b: Src };
            i16x8_shr_s = I16x8ShrS { dst: Dst, a: Src, b: Src };
            i16x8_shr_u = I16x8ShrU { dst: Dst, a: Src, b: Src };
            i16x8_add = I16x8Add { dst: Dst, a: Src, b: Src };
            i16x8_add_sat_s = I16x8AddSatS { dst: Dst, a: Src, b: Src };
            i16x8_add_sat_u = I16x8AddSatU { dst: Dst, a: Src, b: Src };
            i16x8_sub = I16x8Sub { dst: Dst, a: Src, b: Src };
            i16x8_sub_sat_s = I16x8SubSatS { dst: Dst, a: Src, b: Src };
            i16x8_sub_sat_u = I16x8SubSatU { dst: Dst, a: Src, b: Src };
            i16x8_mul = I16x8Mul { dst: Dst, a: Src, b: Src };
            i16x8_min_s = I16x8MinS { dst: Dst, a: Src, b: Src };
            i16x8_min_u = I16x8MinU { dst: Dst, a: Src, b: Src };
            i16x8_max_s = I16x8MaxS { dst: Dst, a: Src, b: Src };
            i16x8_max_u = I16x8MaxU { dst: Dst, a: Src, b: Src };
            i16x8_avgr_u = I16x8AvgrU { dst: Dst, a: Src, b: Src };
            i16x8_extmul_low_i8x16_s = I16x8ExtMulLowI8x16S { dst: Dst, a: Src, b: Src };
            i16x8_extmul_high_i8x16_s = I16x8ExtMulHighI8x16S { dst: Dst, a: Src, b: Src };
            i16x8_extmul_low_i8x16_u = I16x8ExtMulLowI8x16U { dst: Dst, a: Src, b: Src };
            i16x8_extmul_high_i8x16_u = I16x8ExtMulHighI8x16U { dst: Dst, a: Src, b: Src };
            i32x4_extadd_pairwise_i16x8_s = I32x4ExtAddPairwiseI16x8S { dst: Dst, src: Src };
            i32x4_extadd_pairwise_i16x8_u = I32x4ExtAddPairwiseI16x8U { dst: Dst, src: Src };
            i32x4_abs = I32x4Abs { dst: Dst, src: Src };
            i32x4_neg = I32x4Neg { dst: Dst, src: Src };
            i32x4_all_true = I32x4AllTrue { dst: Dst, src: Src };
            i32x4_bitmask = I32x4Bitmask { dst: Dst, src: Src };
            i32x4_extend_low_i16x8_s = I32x4ExtendLowI16x8S { dst: Dst, src: Src };
            i32x4_extend_high_i16x8_s = I32x4ExtendHighI16x8S { dst: Dst, src: Src };
            i32x4_extend_low_i16x8_u = I32x4ExtendLowI16x8U { dst: Dst, src: Src };
            i32x4_extend_high_i16x8_u = I32x4ExtendHighI16x8U { dst: Dst, src: Src };
            i32x4_shl = I32x4Shl { dst: Dst, a: Src, b: Src };
            i32x4_shr_s = I32x4ShrS { dst: Dst, a: Src, b: Src };
            i32x4_shr_u = I32x4ShrU { dst: Dst, a: Src, b: Src };
            i32x4_add = I32x4Add { dst: Dst, a: Src, b: Src };
            i32x4_sub = I32x4Sub { dst: Dst, a: Src, b: Src };
            i32x4_mul = I32x4Mul { dst: Dst, a: Src, b: Src };
            i32x4_min_s = I32x4MinS { dst: Dst, a: Src, b: Src };
            i32x4_min_u = I32x4MinU { dst: Dst, a: Src, b: Src };
            i32x4_max_s = I32x4MaxS { dst: Dst, a: Src, b: Src };
            i32x4_max_u = I32x4MaxU { dst: Dst, a: Src, b: Src };
            i32x4_dot_i16x8_s = I32x4DotI16x8S { dst: Dst, a: Src, b: Src };
            i32x4_extmul_low_i16x8_s = I32x4ExtMulLowI16x8S { dst: Dst, a: Src, b: Src };
            i32x4_extmul_high_i16x8_s = I32x4ExtMulHighI16x8S { dst: Dst, a: Src, b: Src };
            i32x4_extmul_low_i16x8_u = I32x4ExtMulLowI16x8U { dst: Dst, a: Src, b: Src };
            i32x4_extmul_high_i16x8_u = I32x4ExtMulHighI16x8U { dst: Dst, a: Src, b: Src };
            i64x2_abs = I64x2Abs { dst: Dst, src: Src };
            i64x2_neg = I64x2Neg { dst: Dst, src: Src };
            i64x2_all_true = I64x2AllTrue { dst: Dst, src: Src };
            i64x2_bitmask = I64x2Bitmask { dst: Dst, src: Src };
            i64x2_extend_low_i32x4_s = I64x2ExtendLowI32x4S { dst: Dst, src: Src };
            i64x2_extend_high_i32x4_s = I64x2ExtendHighI32x4S { dst: Dst, src: Src };
            i64x2_extend_low_i32x4_u = I64x2ExtendLowI32x4U { dst: Dst, src: Src };
            i64x2_extend_high_i32x4_u = I64x2ExtendHighI32x4U { dst: Dst, src: Src };
            i64x2_shl = I64x2Shl { dst: Dst, a: Src, b: Src };
            i64x2_shr_s = I64x2ShrS { dst: Dst, a: Src, b: Src };
            i64x2_shr_u = I64x2ShrU { dst: Dst, a: Src, b: Src };
            i64x2_add = I64x2Add { dst: Dst, a: Src, b: Src };
            i64x2_sub = I64x2Sub { dst: Dst, a: Src, b: Src };
            i64x2_mul = I64x2Mul { dst: Dst, a: Src, b: Src };
            i64x2_extmul_low_i32x4_s = I64x2ExtMulLowI32x4S { dst: Dst, a: Src, b: Src };
            i64x2_extmul_high_i32x4_s = I64x2ExtMulHighI32x4S { dst: Dst, a: Src, b: Src };
            i64x2_extmul_low_i32x4_u = I64x2ExtMulLowI32x4U { dst: Dst, a: Src, b: Src };
            i64x2_extmul_high_i32x4_u = I64x2ExtMulHighI32x4U { dst: Dst, a: Src, b: Src };
            // Float lanes.
            f32x4_ceil = F32x4Ceil { dst: Dst, src: Src };
            f32x4_floor = F32x4Floor { dst: Dst, src: Src };
            f32x4_trunc = F32x4Trunc { dst: Dst, src: Src };
            f32x4_nearest = F32x4Nearest { dst: Dst, src: Src };
            f32x4_abs = F32x4Abs { dst: Dst, src: Src };
            f32x4_neg = F32x4Neg { dst: Dst, src: Src };
            f32x4_sqrt = F32x4Sqrt { dst: Dst, src: Src };
            f32x4_add = F32x4Add { dst: Dst, a: Src, b: Src };
            f32x4_sub = F32x4Sub { dst: Dst, a: Src, b: Src };
            f32x4_mul = F32x4Mul { dst: Dst, a: Src, b: Src };
            f32x4_div = F32x4Div { dst: Dst, a: Src, b: Src };
            f32x4_min = F32x4Min { dst: Dst, a: Src, b: Src };
            f32x4_max = F32x4Max { dst: Dst, a: Src, b: Src };
            f32x4_pmin = F32x4PMin { dst: Dst, a: Src, b: Src };
            f32x4_pmax = F32x4PMax { dst: Dst, a: Src, b: Src };
            f64x2_ceil = F64x2Ceil { dst: Dst, src: Src };
            f64x2_floor = F64x2Floor { dst: Dst, src: Src };
            f64x2_trunc = F64x2Trunc { dst: Dst, src: Src };
            f64x2_nearest = F64x2Nearest { dst: Dst, src: Src };
            f64x2_abs = F64x2Abs { dst: Dst, src: Src };
            f64x2_neg = F64x2Neg { dst: Dst, src: Src };
            f64x2_sqrt = F64x2Sqrt { dst: Dst, src: Src };
            f64x2_add = F64x2Add { dst: Dst, a: Src, b: Src };
            f64x2_sub = F64x2Sub { dst: Dst, a: Src, b: Src };
            f64x2_mul = F64x2Mul { dst: Dst, a: Src, b: Src };
            f64x2_div = F64x2Div { dst: Dst, a: Src, b: Src };
            f64x2_min = F64x2Min { dst: Dst, a: Src, b: Src };
            f64x2_max = F64x2Max { dst: Dst, a: Src, b: Src };
            f64x2_pmin = F64x2PMin { dst: Dst, a: Src, b: Src };
            f64x2_pmax = F64x2PMax { dst: Dst, a: Src, b: Src };
            // Conversions (the saturating truncations are also the relaxed truncations).
            i32x4_trunc_sat_f32x4_s = I32x4TruncSatF32x4S { dst: Dst, src: Src };
            i32x4_trunc_sat_f32x4_u = I32x4TruncSatF32x4U { dst: Dst, src: Src };
            f32x4_convert_i32x4_s = F32x4ConvertI32x4S { dst: Dst, src: Src };
            f32x4_convert_i32x4_u = F32x4ConvertI32x4U { dst: Dst, src: Src };
            i32x4_trunc_sat_f64x2_s_zero = I32x4TruncSatF64x2SZero { dst: Dst, src: Src };
            i32x4_trunc_sat_f64x2_u_zero = I32x4TruncSatF64x2UZero { dst: Dst, src: Src };
            f64x2_convert_low_i32x4_s = F64x2ConvertLowI32x4S { dst: Dst, src: Src };
            f64x2_convert_low_i32x4_u = F64x2ConvertLowI32x4U { dst: Dst, src: Src };
            f32x4_demote_f64x2_zero = F32x4DemoteF64x2Zero { dst: Dst, src: Src };
            f64x2_promote_low_f32x4 = F64x2PromoteLowF32x4 { dst: Dst, src: Src };
            // Relaxed SIMD with an instruction of its own (the others reuse the deterministic
            // instruction named in the module docs' table). The ternary ones take `c` from the
            // following `Aux`.
            f32x4_relaxed_madd = F32x4RelaxedMadd { dst: Dst, a: Src, b: Src };
            f32x4_relaxed_nmadd = F32x4RelaxedNmadd { dst: Dst, a: Src, b: Src };
            f64x2_relaxed_madd = F64x2RelaxedMadd { dst: Dst, a: Src, b: Src };
            f64x2_relaxed_nmadd = F64x2RelaxedNmadd { dst: Dst, a: Src, b: Src };
            f32x4_relaxed_min = F32x4RelaxedMin { dst: Dst, a: Src, b: Src };
            f32x4_relaxed_max = F32x4RelaxedMax { dst: Dst, a: Src, b: Src };
            f64x2_relaxed_min = F64x2RelaxedMin { dst: Dst, a: Src, b: Src };
            f64x2_relaxed_max = F64x2RelaxedMax { dst: Dst, a: Src, b: Src };
            i16x8_relaxed_dot_i8x16_i7x16_s = I16x8RelaxedDotI8x16I7x16S { dst: Dst, a: Src, b: Src };
            i32x4_relaxed_dot_i8x16_i7x16_add_s = I32x4RelaxedDotI8x16I7x16AddS {
                dst: Dst, a: Src, b: Src
            };
        }
    };
}

pub(crate) use for_each_op;
