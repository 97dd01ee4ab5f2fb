//! The interpreter's instruction set.
//!
//! Operands are frame slots: `Slot` is the index of an 8-byte cell relative to the current
//! frame's base. A frame holds the function's parameters and locals (slots `0..num_locals`)
//! followed by its operand stack (one slot per stack height). Calls place the callee's
//! frame on top of the caller's arguments, so arguments and results are never copied.
//! Integers and floats occupy the low bits of a slot; `i32`/`f32` readers ignore the upper
//! 32 bits. References are raw pointers or handles (0 is null).
//!
//! Instruction targets (`target`) are indices into the function's instruction array while
//! translating; [`super::exec::thread`] turns them into offsets relative to the branching
//! instruction (as `i32` bits) when it pairs each instruction with its handler.

use super::exec::Handler;

/// A frame slot index.
pub type Slot = u32;

/// One interpreter instruction (16 bytes).
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum Op {
    // ---- control ----
    Unreachable,
    /// Interruption check (function entries and loop headers, only in modules translated
    /// with interruption on): traps `interrupted` when the store's epoch deadline is reached.
    CheckInterrupt,
    Br {
        target: u32,
    },
    BrIfNez {
        cond: Slot,
        target: u32,
    },
    BrIfEqz {
        cond: Slot,
        target: u32,
    },
    /// Followed by `len + 1` `Br` instructions: the targets, default last.
    BrTable {
        index: Slot,
        len: u32,
    },
    // Fused i32 compare-and-branch: jump to `target` when `a <op> b` holds.
    BrI32Eq {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32Ne {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32LtS {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32LtU {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32GtS {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32GtU {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32LeS {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32LeU {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32GeS {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32GeU {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrI32EqImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32NeImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32LtSImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32LtUImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32GtSImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32GtUImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32LeSImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32LeUImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32GeSImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    BrI32GeUImm {
        a: Slot,
        imm: i32,
        target: u32,
    },
    // Fused float compare-and-branch: jump when the comparison holds (`Not*`: when it
    // does not, NaN operands included).
    BrF32Eq {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32Ne {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32Lt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32Gt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32Le {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32Ge {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32NotLt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32NotGt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32NotLe {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF32NotGe {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64Eq {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64Ne {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64Lt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64Gt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64Le {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64Ge {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64NotLt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64NotGt {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64NotLe {
        a: Slot,
        b: Slot,
        target: u32,
    },
    BrF64NotGe {
        a: Slot,
        b: Slot,
        target: u32,
    },
    /// Results are already in slots `0..n`.
    Return,
    /// Call defined function `func` with its frame at `base`.
    Call {
        func: u32,
        base: Slot,
    },
    /// Call imported function `func` with arguments (and results) at `base`.
    CallImport {
        func: u32,
        base: Slot,
    },
    /// Call through `table` expecting module type `ty`; the element index is in slot
    /// `base + params(ty)`.
    CallIndirect {
        table: u32,
        ty: u32,
        base: Slot,
    },
    /// Extra operand of the preceding instruction.
    Aux {
        slot: Slot,
    },
    /// `Copy { dst: 0, src }` then `Return`: the single result moved into slot 0.
    ReturnSlot {
        src: Slot,
    },

    // ---- fused pairs (made by `fuse::peephole`; 16-bit slots and immediates) ----
    /// `d1 = s1; d2 = s2`, in that order (two `Copy`s).
    Copy2 {
        d1: u16,
        s1: u16,
        d2: u16,
        s2: u16,
    },
    /// `d1 = a1 + i1; d2 = a2 + i2` (i32, wrapping), in that order (two `I32AddImm`s).
    I32AddImm2 {
        d1: u16,
        a1: u16,
        i1: i16,
        d2: u16,
        a2: u16,
        i2: i16,
    },
    /// `t = a << shift; dst = t + imm` (i32; `shift` below 32).
    I32ShlAddImm {
        t: u16,
        a: u16,
        shift: u8,
        dst: u16,
        imm: i32,
    },
    /// `t = i32.load(addr + offset); acc = acc + t` (i32, wrapping); traps as the load.
    I32LoadAcc {
        t: u16,
        addr: u16,
        acc: u16,
        offset: u32,
    },
    /// `t = i32.load8_u(addr + offset); acc = acc + t` (i32, wrapping); traps as the load.
    I32Load8UAcc {
        t: u16,
        addr: u16,
        acc: u16,
        offset: u32,
    },
    /// `t = f64.load(addr + offset); acc = acc + t` (f64); traps as the load.
    F64LoadAcc {
        t: u16,
        addr: u16,
        acc: u16,
        offset: u32,
    },
    // f64 op whose result is stored: `dst = a <op> b` (f64), then `f64.store(addr + offset,
    // dst)`; traps as the store (after `dst` is written).
    F64AddStore {
        dst: u16,
        a: u16,
        b: u16,
        addr: u16,
        offset: u32,
    },
    F64SubStore {
        dst: u16,
        a: u16,
        b: u16,
        addr: u16,
        offset: u32,
    },
    F64MulStore {
        dst: u16,
        a: u16,
        b: u16,
        addr: u16,
        offset: u32,
    },
    /// `t = i32.load(addr + offset)`, then jump to `target` when `t <s b`; traps as the load.
    I32LoadBrLtS {
        t: u16,
        addr: u16,
        b: u16,
        offset: u32,
        target: u32,
    },
    /// `t = i32.load(addr + offset)`, then jump to `target` when `t >s b`; traps as the load.
    I32LoadBrGtS {
        t: u16,
        addr: u16,
        b: u16,
        offset: u32,
        target: u32,
    },
    // Loop ends: `x = x + y` (i32, wrapping; `y` a slot or, in `*Imm*` forms, the immediate
    // `imm`), then jump to `target` when the new `x` compares with slot `b` (or immediate
    // `cmp`, or zero) as named.
    I32AddBrNe {
        x: u16,
        y: u16,
        b: u16,
        target: u32,
    },
    I32AddBrLtU {
        x: u16,
        y: u16,
        b: u16,
        target: u32,
    },
    I32AddBrLtS {
        x: u16,
        y: u16,
        b: u16,
        target: u32,
    },
    I32AddImmBrNe {
        x: u16,
        imm: i16,
        b: u16,
        target: u32,
    },
    I32AddImmBrLtU {
        x: u16,
        imm: i16,
        b: u16,
        target: u32,
    },
    I32AddImmBrLtS {
        x: u16,
        imm: i16,
        b: u16,
        target: u32,
    },
    I32AddImmBrNeImm {
        x: u16,
        imm: i16,
        cmp: i16,
        target: u32,
    },
    I32AddImmBrNez {
        x: u16,
        imm: i16,
        target: u32,
    },
    // f64 chains: `t = a <op1> b; dst = t <op2> c`, each op rounded on its own exactly as
    // the two separate instructions (no fused multiply-add). `Sub` is `t - c`, `RSub` is
    // `c - t`; `Add`/`Mul` as the second op take `t` first whichever side the wasm had it
    // (wasm leaves the NaN payload of a two-NaN result open). `t` is written before `c` is
    // read, so `c` may be `t`.
    F64AddAdd {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64AddSub {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64AddRSub {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64AddMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64SubAdd {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64SubSub {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64SubRSub {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64SubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64MulAdd {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64MulSub {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64MulRSub {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    F64MulMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        dst: u16,
    },
    // f64 chains whose result a multiplication reads: as the chain above (`d` its result),
    // then `e = d * f` (`f` read after `d` is written, so it may be `d`).
    F64AddAddMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64AddSubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64AddRSubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64AddMulMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64SubAddMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64SubSubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64SubRSubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64SubMulMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64MulAddMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64MulSubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64MulRSubMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    F64MulMulMul {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        d: u16,
        e: u16,
        f: u16,
    },
    // f64 operation feeding a compare-and-branch: `t = a <op> b` (written), then jump to
    // `target` when `t <cmp> c` holds (`Not*`: when it does not, NaN operands included).
    F64AddBrLt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrGt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrLe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrGe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrNotLt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrNotGt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrNotLe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64AddBrNotGe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrLt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrGt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrLe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrGe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrNotLt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrNotGt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrNotLe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64SubBrNotGe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrLt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrGt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrLe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrGe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrNotLt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrNotGt {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrNotLe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },
    F64MulBrNotGe {
        t: u16,
        a: u16,
        b: u16,
        c: u16,
        target: u32,
    },

    // ---- moves and constants ----
    Copy {
        dst: Slot,
        src: Slot,
    },
    Const32 {
        dst: Slot,
        value: u32,
    },
    Const64 {
        dst: Slot,
        value: u64,
    },
    /// `dst = cond != 0 ? a : b`, with `cond` in the following `Aux`.
    Select {
        dst: Slot,
        a: Slot,
        b: Slot,
    },

    // ---- variables and references ----
    GlobalGet {
        dst: Slot,
        global: u32,
    },
    GlobalSet {
        src: Slot,
        global: u32,
    },
    RefFunc {
        dst: Slot,
        func: u32,
    },

    // ---- memory 0 ----
    I32Load {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    /// `i32.load` (offset 0) from the 32-bit wrapping sum `a + b`.
    I32LoadAdd {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    /// `i64.load` (offset 0) from the 32-bit wrapping sum `a + b`.
    I64LoadAdd {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    /// `i32.load` (offset 0) from the 32-bit wrapping sum `a + imm`.
    I32LoadAddImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    /// `i64.load` (offset 0) from the 32-bit wrapping sum `a + imm`.
    I64LoadAddImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32Load8S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load8U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load16S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Load16U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load8S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load8U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load16S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load16U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load32S {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I64Load32U {
        dst: Slot,
        addr: Slot,
        offset: u32,
    },
    I32Store {
        addr: Slot,
        value: Slot,
        offset: u32,
    },
    I64Store {
        addr: Slot,
        value: Slot,
        offset: u32,
    },
    I32Store8 {
        addr: Slot,
        value: Slot,
        offset: u32,
    },
    I32Store16 {
        addr: Slot,
        value: Slot,
        offset: u32,
    },
    // Stores of a constant (`value` sign-extended to 64 bits, then truncated to the width).
    I32StoreImm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    I64StoreImm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    I32Store8Imm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    I32Store16Imm {
        addr: Slot,
        value: i32,
        offset: u32,
    },
    MemorySize {
        dst: Slot,
    },
    MemoryGrow {
        dst: Slot,
        delta: Slot,
    },
    /// Operands (dst, value, len) in `base..base+3`.
    MemoryFill {
        base: Slot,
    },
    /// Operands (dst, src, len) in `base..base+3`.
    MemoryCopy {
        base: Slot,
    },
    /// Operands (dst, src, len) in `base..base+3`.
    MemoryInit {
        base: Slot,
        segment: u32,
    },
    DataDrop {
        segment: u32,
    },

    // ---- tables ----
    TableGet {
        dst: Slot,
        index: Slot,
        table: u32,
    },
    TableSet {
        index: Slot,
        value: Slot,
        table: u32,
    },
    TableSize {
        dst: Slot,
        table: u32,
    },
    /// Operands (init, delta) in `base..base+2`; result in `base`.
    TableGrow {
        base: Slot,
        table: u32,
    },
    /// Operands (index, value, len) in `base..base+3`.
    TableFill {
        base: Slot,
        table: u32,
    },
    /// Operands (dst, src, len) in `base..base+3`.
    TableCopy {
        base: Slot,
        dst_table: u32,
        src_table: u32,
    },
    /// Operands (dst, src, len) in `base..base+3`.
    TableInit {
        base: Slot,
        table: u32,
        segment: u32,
    },
    ElemDrop {
        segment: u32,
    },

    // ---- i32 ----
    I32Eqz {
        dst: Slot,
        src: Slot,
    },
    I32Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Clz {
        dst: Slot,
        src: Slot,
    },
    I32Ctz {
        dst: Slot,
        src: Slot,
    },
    I32Popcnt {
        dst: Slot,
        src: Slot,
    },
    I32Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32DivS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32DivU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32RemS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32RemU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32And {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Or {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Xor {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Rotl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I32Rotr {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    // i32 with an immediate right operand
    I32EqImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32NeImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32LeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32GeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32AddImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32MulImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32AndImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32OrImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32XorImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShrSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I32ShrUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    /// Rotate left by a constant (`rotr` by `c` becomes `rotl` by `32 - c`).
    I32RotlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },

    // ---- i64 ----
    I64Eqz {
        dst: Slot,
        src: Slot,
    },
    I64Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GtS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GtU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64LeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GeS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64GeU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Clz {
        dst: Slot,
        src: Slot,
    },
    I64Ctz {
        dst: Slot,
        src: Slot,
    },
    I64Popcnt {
        dst: Slot,
        src: Slot,
    },
    I64Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64DivS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64DivU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64RemS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64RemU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64And {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Or {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Xor {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Shl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64ShrS {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64ShrU {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Rotl {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64Rotr {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    I64EqImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64NeImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GtSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GtUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64LeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GeSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64GeUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64AddImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64MulImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64AndImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64OrImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64XorImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShrSImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    I64ShrUImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },
    /// Rotate left by a constant (`rotr` by `c` becomes `rotl` by `64 - c`).
    I64RotlImm {
        dst: Slot,
        a: Slot,
        imm: i32,
    },

    // ---- f32 ----
    F32Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Lt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Gt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Le {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Ge {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Abs {
        dst: Slot,
        src: Slot,
    },
    F32Neg {
        dst: Slot,
        src: Slot,
    },
    F32Ceil {
        dst: Slot,
        src: Slot,
    },
    F32Floor {
        dst: Slot,
        src: Slot,
    },
    F32Trunc {
        dst: Slot,
        src: Slot,
    },
    F32Nearest {
        dst: Slot,
        src: Slot,
    },
    F32Sqrt {
        dst: Slot,
        src: Slot,
    },
    F32Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Div {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Min {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Max {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F32Copysign {
        dst: Slot,
        a: Slot,
        b: Slot,
    },

    // ---- f64 ----
    F64Eq {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Ne {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Lt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Gt {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Le {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Ge {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Abs {
        dst: Slot,
        src: Slot,
    },
    F64Neg {
        dst: Slot,
        src: Slot,
    },
    F64Ceil {
        dst: Slot,
        src: Slot,
    },
    F64Floor {
        dst: Slot,
        src: Slot,
    },
    F64Trunc {
        dst: Slot,
        src: Slot,
    },
    F64Nearest {
        dst: Slot,
        src: Slot,
    },
    F64Sqrt {
        dst: Slot,
        src: Slot,
    },
    F64Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Sub {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Mul {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Div {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Min {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Max {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    F64Copysign {
        dst: Slot,
        a: Slot,
        b: Slot,
    },

    // ---- conversions ----
    I32TruncF32S {
        dst: Slot,
        src: Slot,
    },
    I32TruncF32U {
        dst: Slot,
        src: Slot,
    },
    I32TruncF64S {
        dst: Slot,
        src: Slot,
    },
    I32TruncF64U {
        dst: Slot,
        src: Slot,
    },
    I64ExtendI32S {
        dst: Slot,
        src: Slot,
    },
    I64ExtendI32U {
        dst: Slot,
        src: Slot,
    },
    I64TruncF32S {
        dst: Slot,
        src: Slot,
    },
    I64TruncF32U {
        dst: Slot,
        src: Slot,
    },
    I64TruncF64S {
        dst: Slot,
        src: Slot,
    },
    I64TruncF64U {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI32S {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI32U {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI64S {
        dst: Slot,
        src: Slot,
    },
    F32ConvertI64U {
        dst: Slot,
        src: Slot,
    },
    F32DemoteF64 {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI32S {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI32U {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI64S {
        dst: Slot,
        src: Slot,
    },
    F64ConvertI64U {
        dst: Slot,
        src: Slot,
    },
    F64PromoteF32 {
        dst: Slot,
        src: Slot,
    },
    I32Extend8S {
        dst: Slot,
        src: Slot,
    },
    I32Extend16S {
        dst: Slot,
        src: Slot,
    },
    I64Extend8S {
        dst: Slot,
        src: Slot,
    },
    I64Extend16S {
        dst: Slot,
        src: Slot,
    },
    I64Extend32S {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF32S {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF32U {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF64S {
        dst: Slot,
        src: Slot,
    },
    I32TruncSatF64U {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF32S {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF32U {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF64S {
        dst: Slot,
        src: Slot,
    },
    I64TruncSatF64U {
        dst: Slot,
        src: Slot,
    },
}

impl Op {
    /// The branch target of a branch instruction.
    pub fn target_mut(&mut self) -> Option<&mut u32> {
        use Op::*;
        match self {
            Br { target }
            | BrIfNez { target, .. }
            | BrIfEqz { target, .. }
            | BrI32Eq { target, .. }
            | BrI32Ne { target, .. }
            | BrI32LtS { target, .. }
            | BrI32LtU { target, .. }
            | BrI32GtS { target, .. }
            | BrI32GtU { target, .. }
            | BrI32LeS { target, .. }
            | BrI32LeU { target, .. }
            | BrI32GeS { target, .. }
            | BrI32GeU { target, .. }
            | BrI32EqImm { target, .. }
            | BrI32NeImm { target, .. }
            | BrI32LtSImm { target, .. }
            | BrI32LtUImm { target, .. }
            | BrI32GtSImm { target, .. }
            | BrI32GtUImm { target, .. }
            | BrI32LeSImm { target, .. }
            | BrI32LeUImm { target, .. }
            | BrI32GeSImm { target, .. }
            | BrI32GeUImm { target, .. } => Some(target),
            I32AddBrNe { target, .. }
            | I32AddBrLtU { target, .. }
            | I32AddBrLtS { target, .. }
            | I32AddImmBrNe { target, .. }
            | I32AddImmBrLtU { target, .. }
            | I32AddImmBrLtS { target, .. }
            | I32AddImmBrNeImm { target, .. }
            | I32AddImmBrNez { target, .. }
            | I32LoadBrLtS { target, .. }
            | I32LoadBrGtS { target, .. } => Some(target),
            F64AddBrLt { target, .. }
            | F64AddBrGt { target, .. }
            | F64AddBrLe { target, .. }
            | F64AddBrGe { target, .. }
            | F64AddBrNotLt { target, .. }
            | F64AddBrNotGt { target, .. }
            | F64AddBrNotLe { target, .. }
            | F64AddBrNotGe { target, .. }
            | F64SubBrLt { target, .. }
            | F64SubBrGt { target, .. }
            | F64SubBrLe { target, .. }
            | F64SubBrGe { target, .. }
            | F64SubBrNotLt { target, .. }
            | F64SubBrNotGt { target, .. }
            | F64SubBrNotLe { target, .. }
            | F64SubBrNotGe { target, .. }
            | F64MulBrLt { target, .. }
            | F64MulBrGt { target, .. }
            | F64MulBrLe { target, .. }
            | F64MulBrGe { target, .. }
            | F64MulBrNotLt { target, .. }
            | F64MulBrNotGt { target, .. }
            | F64MulBrNotLe { target, .. }
            | F64MulBrNotGe { target, .. } => Some(target),
            BrF32Eq { target, .. }
            | BrF32Ne { target, .. }
            | BrF32Lt { target, .. }
            | BrF32Gt { target, .. }
            | BrF32Le { target, .. }
            | BrF32Ge { target, .. }
            | BrF32NotLt { target, .. }
            | BrF32NotGt { target, .. }
            | BrF32NotLe { target, .. }
            | BrF32NotGe { target, .. }
            | BrF64Eq { target, .. }
            | BrF64Ne { target, .. }
            | BrF64Lt { target, .. }
            | BrF64Gt { target, .. }
            | BrF64Le { target, .. }
            | BrF64Ge { target, .. }
            | BrF64NotLt { target, .. }
            | BrF64NotGt { target, .. }
            | BrF64NotLe { target, .. }
            | BrF64NotGe { target, .. } => Some(target),
            _ => None,
        }
    }

    /// The slot this instruction writes as its single result, if it has one (used to
    /// retarget a result straight into a local).
    pub fn dst_mut(&mut self) -> Option<&mut Slot> {
        use Op::*;
        match self {
            Copy { dst, .. }
            | Const32 { dst, .. }
            | Const64 { dst, .. }
            | GlobalGet { dst, .. }
            | RefFunc { dst, .. }
            | I32Load { dst, .. }
            | I64Load { dst, .. }
            | I32LoadAdd { dst, .. }
            | I64LoadAdd { dst, .. }
            | I32LoadAddImm { dst, .. }
            | I64LoadAddImm { dst, .. }
            | I32Load8S { dst, .. }
            | I32Load8U { dst, .. }
            | I32Load16S { dst, .. }
            | I32Load16U { dst, .. }
            | I64Load8S { dst, .. }
            | I64Load8U { dst, .. }
            | I64Load16S { dst, .. }
            | I64Load16U { dst, .. }
            | I64Load32S { dst, .. }
            | I64Load32U { dst, .. }
            | MemorySize { dst }
            | MemoryGrow { dst, .. }
            | TableGet { dst, .. }
            | TableSize { dst, .. } => Some(dst),
            I32Eqz { dst, .. }
            | I32Eq { dst, .. }
            | I32Ne { dst, .. }
            | I32LtS { dst, .. }
            | I32LtU { dst, .. }
            | I32GtS { dst, .. }
            | I32GtU { dst, .. }
            | I32LeS { dst, .. }
            | I32LeU { dst, .. }
            | I32GeS { dst, .. }
            | I32GeU { dst, .. }
            | I32Clz { dst, .. }
            | I32Ctz { dst, .. }
            | I32Popcnt { dst, .. }
            | I32Add { dst, .. }
            | I32Sub { dst, .. }
            | I32Mul { dst, .. }
            | I32DivS { dst, .. }
            | I32DivU { dst, .. }
            | I32RemS { dst, .. }
            | I32RemU { dst, .. }
            | I32And { dst, .. }
            | I32Or { dst, .. }
            | I32Xor { dst, .. }
            | I32Shl { dst, .. }
            | I32ShrS { dst, .. }
            | I32ShrU { dst, .. }
            | I32Rotl { dst, .. }
            | I32Rotr { dst, .. }
            | I32EqImm { dst, .. }
            | I32NeImm { dst, .. }
            | I32LtSImm { dst, .. }
            | I32LtUImm { dst, .. }
            | I32GtSImm { dst, .. }
            | I32GtUImm { dst, .. }
            | I32LeSImm { dst, .. }
            | I32LeUImm { dst, .. }
            | I32GeSImm { dst, .. }
            | I32GeUImm { dst, .. }
            | I32AddImm { dst, .. }
            | I32MulImm { dst, .. }
            | I32AndImm { dst, .. }
            | I32OrImm { dst, .. }
            | I32XorImm { dst, .. }
            | I32ShlImm { dst, .. }
            | I32ShrSImm { dst, .. }
            | I32ShrUImm { dst, .. }
            | I32RotlImm { dst, .. } => Some(dst),
            I64Eqz { dst, .. }
            | I64Eq { dst, .. }
            | I64Ne { dst, .. }
            | I64LtS { dst, .. }
            | I64LtU { dst, .. }
            | I64GtS { dst, .. }
            | I64GtU { dst, .. }
            | I64LeS { dst, .. }
            | I64LeU { dst, .. }
            | I64GeS { dst, .. }
            | I64GeU { dst, .. }
            | I64Clz { dst, .. }
            | I64Ctz { dst, .. }
            | I64Popcnt { dst, .. }
            | I64Add { dst, .. }
            | I64Sub { dst, .. }
            | I64Mul { dst, .. }
            | I64DivS { dst, .. }
            | I64DivU { dst, .. }
            | I64RemS { dst, .. }
            | I64RemU { dst, .. }
            | I64And { dst, .. }
            | I64Or { dst, .. }
            | I64Xor { dst, .. }
            | I64Shl { dst, .. }
            | I64ShrS { dst, .. }
            | I64ShrU { dst, .. }
            | I64Rotl { dst, .. }
            | I64Rotr { dst, .. }
            | I64EqImm { dst, .. }
            | I64NeImm { dst, .. }
            | I64LtSImm { dst, .. }
            | I64LtUImm { dst, .. }
            | I64GtSImm { dst, .. }
            | I64GtUImm { dst, .. }
            | I64LeSImm { dst, .. }
            | I64LeUImm { dst, .. }
            | I64GeSImm { dst, .. }
            | I64GeUImm { dst, .. }
            | I64AddImm { dst, .. }
            | I64MulImm { dst, .. }
            | I64AndImm { dst, .. }
            | I64OrImm { dst, .. }
            | I64XorImm { dst, .. }
            | I64ShlImm { dst, .. }
            | I64ShrSImm { dst, .. }
            | I64ShrUImm { dst, .. }
            | I64RotlImm { dst, .. } => Some(dst),
            F32Eq { dst, .. }
            | F32Ne { dst, .. }
            | F32Lt { dst, .. }
            | F32Gt { dst, .. }
            | F32Le { dst, .. }
            | F32Ge { dst, .. }
            | F32Abs { dst, .. }
            | F32Neg { dst, .. }
            | F32Ceil { dst, .. }
            | F32Floor { dst, .. }
            | F32Trunc { dst, .. }
            | F32Nearest { dst, .. }
            | F32Sqrt { dst, .. }
            | F32Add { dst, .. }
            | F32Sub { dst, .. }
            | F32Mul { dst, .. }
            | F32Div { dst, .. }
            | F32Min { dst, .. }
            | F32Max { dst, .. }
            | F32Copysign { dst, .. } => Some(dst),
            F64Eq { dst, .. }
            | F64Ne { dst, .. }
            | F64Lt { dst, .. }
            | F64Gt { dst, .. }
            | F64Le { dst, .. }
            | F64Ge { dst, .. }
            | F64Abs { dst, .. }
            | F64Neg { dst, .. }
            | F64Ceil { dst, .. }
            | F64Floor { dst, .. }
            | F64Trunc { dst, .. }
            | F64Nearest { dst, .. }
            | F64Sqrt { dst, .. }
            | F64Add { dst, .. }
            | F64Sub { dst, .. }
            | F64Mul { dst, .. }
            | F64Div { dst, .. }
            | F64Min { dst, .. }
            | F64Max { dst, .. }
            | F64Copysign { dst, .. } => Some(dst),
            I32TruncF32S { dst, .. }
            | I32TruncF32U { dst, .. }
            | I32TruncF64S { dst, .. }
            | I32TruncF64U { dst, .. }
            | I64ExtendI32S { dst, .. }
            | I64ExtendI32U { dst, .. }
            | I64TruncF32S { dst, .. }
            | I64TruncF32U { dst, .. }
            | I64TruncF64S { dst, .. }
            | I64TruncF64U { dst, .. }
            | F32ConvertI32S { dst, .. }
            | F32ConvertI32U { dst, .. }
            | F32ConvertI64S { dst, .. }
            | F32ConvertI64U { dst, .. }
            | F32DemoteF64 { dst, .. }
            | F64ConvertI32S { dst, .. }
            | F64ConvertI32U { dst, .. }
            | F64ConvertI64S { dst, .. }
            | F64ConvertI64U { dst, .. }
            | F64PromoteF32 { dst, .. }
            | I32Extend8S { dst, .. }
            | I32Extend16S { dst, .. }
            | I64Extend8S { dst, .. }
            | I64Extend16S { dst, .. }
            | I64Extend32S { dst, .. }
            | I32TruncSatF32S { dst, .. }
            | I32TruncSatF32U { dst, .. }
            | I32TruncSatF64S { dst, .. }
            | I32TruncSatF64U { dst, .. }
            | I64TruncSatF32S { dst, .. }
            | I64TruncSatF32U { dst, .. }
            | I64TruncSatF64S { dst, .. }
            | I64TruncSatF64U { dst, .. } => Some(dst),
            _ => None,
        }
    }
}

/// One function translated for the interpreter.
#[derive(Debug)]
pub struct CompiledFunc {
    /// The function index in its module.
    pub func_index: u32,
    /// The instructions, each paired with its handler (branch targets relative).
    pub code: Box<[Instr]>,
    /// The wasm byte offset of each instruction (for backtraces), parallel to `code`.
    pub offsets: Box<[u32]>,
    /// Parameters.
    pub num_params: u32,
    /// Parameters plus declared locals.
    pub num_locals: u32,
    /// Values of the constant slots `num_locals..num_locals + consts.len()`, written when
    /// the frame is entered.
    pub consts: Box<[u64]>,
    /// Slots the frame needs: locals plus the maximum operand-stack height.
    pub frame_size: u32,
}

/// One threaded instruction: the handler that executes it and its operands.
#[derive(Clone, Copy, Debug)]
pub struct Instr {
    /// Executes `op` (always the handler of `op`'s variant).
    pub handler: Handler,
    /// The instruction; a branch's `target` is relative to this instruction.
    pub op: Op,
}

const _: () = assert!(std::mem::size_of::<Op>() == 16);
const _: () = assert!(std::mem::size_of::<Instr>() == 24);
