//! The interpreter's execution loop.

use super::InterpModule;
use super::ir::{CompiledFunc, Op};
use crate::error::Unwind;
use crate::instance::{INTERP_FUNC_MAGIC, InstanceData, InterpFuncContext};
use crate::trap::{FrameInfo, Trap, TrapCode};
use crate::vm::*;

/// A suspended caller: where to resume when the callee returns.
#[derive(Clone, Copy)]
struct Frame {
    pc: *const Op,
    fp: *mut u64,
    func: *const CompiledFunc,
    inst: *mut InstanceData,
}

thread_local! {
    /// Frame stacks of finished runs, reused so that calls allocate nothing once warm.
    static FRAME_POOL: std::cell::RefCell<Vec<Vec<Frame>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Per-instance values the loop keeps at hand; reloaded when the instance changes.
struct InstCache {
    inst: *mut InstanceData,
    funcs: *const CompiledFunc,
    num_imported_funcs: u32,
    globals: *const *mut VMGlobalDefinition,
    mem_def: *mut VMMemoryDefinition,
}

impl InstCache {
    /// # Safety
    /// `inst` must be a live instance running on the interpreter.
    unsafe fn new(inst: *mut InstanceData) -> Self {
        // SAFETY: per the contract.
        let i = unsafe { &*inst };
        let funcs = i.module.interp().map(|m| m.funcs.as_ptr()).unwrap_or(std::ptr::null());
        Self {
            inst,
            funcs,
            num_imported_funcs: i.module.info.num_imported_funcs,
            globals: i.globals.as_ptr(),
            mem_def: i.memories.first().map(|m| m.def).unwrap_or(std::ptr::null_mut()),
        }
    }

    #[inline(always)]
    fn memory(&self) -> (*mut u8, u64) {
        if self.mem_def.is_null() {
            (std::ptr::null_mut(), 0)
        } else {
            // SAFETY: memory definitions of a live instance stay valid while it lives.
            unsafe { ((*self.mem_def).base, (*self.mem_def).current_length as u64) }
        }
    }
}

/// The array-call entry of every interpreted function (see [`ArrayCallFn`]).
///
/// # Safety
/// `callee` must point to an [`InterpFuncContext`] of a live instance; `args` must point to
/// `len >= max(params, results)` slots.
pub unsafe extern "C" fn array_call_entry(
    callee: *mut VMOpaqueContext,
    _caller: *mut VMContext,
    args: *mut ValRaw,
    len: usize,
) -> bool {
    // SAFETY: per this function's contract.
    let ctx = unsafe { &*(callee as *const InterpFuncContext) };
    debug_assert_eq!(ctx.magic, INTERP_FUNC_MAGIC);
    // SAFETY: the context's instance is live (owned by its store, which outlives calls).
    let store = unsafe { (*ctx.instance).store() };
    // SAFETY: per this function's contract.
    let slots = unsafe { std::slice::from_raw_parts_mut(args, len) };
    match execute(store, ctx.instance, ctx.func_index, slots) {
        Ok(()) => true,
        Err(u) => {
            store.set_pending_unwind(u);
            false
        }
    }
}

fn is_interp(f: ArrayCallFn) -> bool {
    std::ptr::fn_addr_eq(f, array_call_entry as ArrayCallFn)
}

/// Runs `func_index` of `inst` with arguments from `slots`, leaving results there.
fn execute(store: &Store, inst: *mut InstanceData, func_index: u32, slots: &mut [ValRaw]) -> Result<(), Unwind> {
    if !crate::native_stack::has_headroom() {
        return Err(TrapCode::CallStackExhausted.into());
    }
    // SAFETY: `inst` is live (see `array_call_entry`).
    let cache = unsafe { InstCache::new(inst) };
    // SAFETY: the instance runs on the interpreter, so `funcs` covers its defined functions.
    let func = unsafe { &*cache.funcs.add((func_index - cache.num_imported_funcs) as usize) };
    let top = store.interp_top.get();
    // SAFETY: the stack box is only resized never; we take its bounds, not a reference.
    let (stack_base, stack_len) = unsafe {
        let s = &mut *store.interp_stack.get();
        (s.as_mut_ptr(), s.len())
    };
    if top + func.frame_size as usize > stack_len || store.call_depth.get() >= store.config().max_call_depth {
        return Err(TrapCode::CallStackExhausted.into());
    }
    // SAFETY: `top + frame_size <= stack_len`, checked above.
    let fp = unsafe { stack_base.add(top) };
    for (i, v) in slots.iter().take(func.num_params as usize).enumerate() {
        // SAFETY: i < num_params <= frame_size.
        unsafe { *fp.add(i) = v.bits() };
    }
    // SAFETY: [num_params, num_locals) lies inside the frame.
    unsafe { std::ptr::write_bytes(fp.add(func.num_params as usize), 0, (func.num_locals - func.num_params) as usize) };
    let saved_depth = store.call_depth.get();
    let mut frames = FRAME_POOL.with(|p| p.borrow_mut().pop()).unwrap_or_default();
    let result = {
        // SAFETY: the frame is set up; the stack bounds are the store's.
        unsafe { run(store, cache, func, fp, stack_base.add(stack_len), &mut frames) }
    };
    frames.clear();
    FRAME_POOL.with(|p| p.borrow_mut().push(frames));
    store.interp_top.set(top);
    store.call_depth.set(saved_depth);
    result?;
    // SAFETY: the interpreted function's type has this many results; they are in the frame.
    let nresults = unsafe { (&*inst).module.info.func_type(func_index).results().len() };
    for (i, v) in slots.iter_mut().take(nresults).enumerate() {
        // SAFETY: i < nresults <= frame_size.
        *v = ValRaw::from_bits(unsafe { *fp.add(i) });
    }
    Ok(())
}

fn frame_info(inst: *mut InstanceData, func: *const CompiledFunc, pc: *const Op) -> FrameInfo {
    // SAFETY: frames refer to live instances and their translated functions.
    let (inst, func) = unsafe { (&*inst, &*func) };
    // SAFETY: `pc` points into (or one past) `func.code` and is past the current instruction.
    let index = unsafe { pc.offset_from(func.code.as_ptr()) } as usize;
    let info = &inst.module.info;
    FrameInfo {
        module: inst.name.clone(),
        func_index: func.func_index,
        func_name: info.names.functions.get(&func.func_index).cloned(),
        signature: info.func_type(func.func_index).to_string(),
        wasm_offset: func.offsets.get(index.saturating_sub(1)).copied(),
    }
}

fn with_backtrace(mut u: Unwind, frames: &[Frame], cur: Frame) -> Unwind {
    if let Unwind::Trap(t) = &mut u {
        t.push_frame(frame_info(cur.inst, cur.func, cur.pc));
        for f in frames.iter().rev() {
            t.push_frame(frame_info(f.inst, f.func, f.pc));
        }
    }
    u
}

/// Calls a non-interpreted function through its array-call entry with the arguments at
/// `args` (interpreter slots), writing its results back there.
///
/// # Safety
/// `args` must cover `max(params, results)` slots of the current frame region; `callee`
/// and `vmctx` must form a valid array-call pair for a function of type `ty`.
#[allow(clippy::too_many_arguments)]
unsafe fn call_out(
    store: &Store,
    caller: *mut InstanceData,
    array_call: ArrayCallFn,
    vmctx: *mut VMOpaqueContext,
    ty: &crate::types::FuncType,
    args: *mut u64,
    stack_base: *mut u64,
    depth: usize,
) -> Result<(), Unwind> {
    let (np, nr) = (ty.params().len(), ty.results().len());
    let n = np.max(nr);
    let mut small = [ValRaw::default(); 8];
    let mut big;
    let buf: &mut [ValRaw] = if n <= small.len() {
        &mut small[..n]
    } else {
        big = vec![ValRaw::default(); n];
        &mut big
    };
    for (i, b) in buf.iter_mut().take(np).enumerate() {
        // SAFETY: per the contract, `args` covers `n` slots.
        *b = ValRaw::from_bits(unsafe { *args.add(i) });
    }
    let saved_top = store.interp_top.get();
    // SAFETY: both point into the same stack allocation.
    let top = unsafe { args.add(n).offset_from(stack_base) } as usize;
    store.interp_top.set(top);
    store.call_depth.set(depth);
    // SAFETY: per the contract; the caller's VMContext is live.
    let ok = unsafe { array_call(vmctx, (*caller).vmctx(), buf.as_mut_ptr(), n) };
    store.interp_top.set(saved_top);
    if !ok {
        return Err(store
            .take_pending_unwind()
            .unwrap_or_else(|| Unwind::Trap(Trap::host("call unwound without a reason"))));
    }
    for (i, b) in buf.iter().take(nr).enumerate() {
        // SAFETY: per the contract, `args` covers `n` slots.
        unsafe { *args.add(i) = b.bits() };
    }
    Ok(())
}

macro_rules! f32_of {
    ($v:expr) => {
        f32::from_bits($v as u32)
    };
}
macro_rules! f64_of {
    ($v:expr) => {
        f64::from_bits($v)
    };
}

/// A rounding operator (`ceil`, `floor`, `trunc`, `nearest`) on f32 bits: a NaN operand
/// gives a quiet NaN (the host's libm may pass signalling NaNs through unchanged).
fn f32_round(bits: u64, f: fn(f32) -> f32) -> u64 {
    let x = f32::from_bits(bits as u32);
    if x.is_nan() { (bits as u32 | 0x0040_0000) as u64 } else { f(x).to_bits() as u64 }
}
/// As [`f32_round`], for f64.
fn f64_round(bits: u64, f: fn(f64) -> f64) -> u64 {
    let x = f64::from_bits(bits);
    if x.is_nan() { bits | 0x0008_0000_0000_0000 } else { f(x).to_bits() }
}

fn wasm_min_f32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        return f32::from_bits(0x7fc0_0000);
    }
    if a == b { f32::from_bits(a.to_bits() | b.to_bits()) } else { a.min(b) }
}
fn wasm_max_f32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        return f32::from_bits(0x7fc0_0000);
    }
    if a == b { f32::from_bits(a.to_bits() & b.to_bits()) } else { a.max(b) }
}
fn wasm_min_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::from_bits(0x7ff8_0000_0000_0000);
    }
    if a == b { f64::from_bits(a.to_bits() | b.to_bits()) } else { a.min(b) }
}
fn wasm_max_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::from_bits(0x7ff8_0000_0000_0000);
    }
    if a == b { f64::from_bits(a.to_bits() & b.to_bits()) } else { a.max(b) }
}

/// Float-to-int truncation with the spec's traps: NaN is an invalid conversion; a value
/// whose truncation is outside `(lo, hi)` (exclusive bounds, as floats) overflows.
macro_rules! trunc {
    ($x:expr, $lo:expr, $hi:expr, $t:ty) => {{
        let x = $x;
        if x.is_nan() {
            Err(TrapCode::InvalidConversionToInteger)
        } else if !(x > $lo && x < $hi) {
            Err(TrapCode::IntegerOverflow)
        } else {
            Ok(x as $t)
        }
    }};
}

/// The main loop. Returns when the entry frame returns.
///
/// # Safety
/// `fp` must be a frame for `func` inside `[.., stack_end)` with arguments and zeroed locals.
#[allow(clippy::too_many_lines)]
unsafe fn run(
    store: &Store,
    mut cache: InstCache,
    func: &CompiledFunc,
    mut fp: *mut u64,
    stack_end: *mut u64,
    frames: &mut Vec<Frame>,
) -> Result<(), Unwind> {
    // SAFETY: the store's stack box outlives the run.
    let stack_base = unsafe { (*store.interp_stack.get()).as_mut_ptr() };
    let max_depth = store.config().max_call_depth;
    let base_depth = store.call_depth.get();
    let mut cur: *const CompiledFunc = func;
    let mut pc: *const Op = func.code.as_ptr();
    let (mut mem_base, mut mem_len) = cache.memory();

    // Slot access. SAFETY (for every use): the translator only emits slot indices below the
    // function's `frame_size`, and every frame is checked to fit the stack when entered.
    macro_rules! r {
        ($s:expr) => {
            unsafe { *fp.add($s as usize) }
        };
    }
    macro_rules! w {
        ($s:expr, $v:expr) => {{
            let v: u64 = $v;
            unsafe { *fp.add($s as usize) = v }
        }};
    }
    macro_rules! trap {
        ($code:expr) => {{
            let u: Unwind = Trap::new($code).into();
            let cur_frame = Frame { pc, fp, func: cur, inst: cache.inst };
            return Err(with_backtrace(u, frames, cur_frame));
        }};
    }
    macro_rules! unwind {
        ($u:expr) => {{
            let cur_frame = Frame { pc, fp, func: cur, inst: cache.inst };
            return Err(with_backtrace($u, frames, cur_frame));
        }};
    }
    macro_rules! try_trap {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => trap!(code),
            }
        };
    }
    macro_rules! load {
        ($dst:expr, $addr:expr, $off:expr, $t:ty, $conv:expr) => {{
            let ea = r!($addr) as u32 as u64 + $off as u64;
            if ea + std::mem::size_of::<$t>() as u64 > mem_len {
                trap!(TrapCode::MemoryOutOfBounds)
            }
            // SAFETY: [ea, ea+size) was just checked to lie inside the memory.
            let v = <$t>::from_le(unsafe { std::ptr::read_unaligned(mem_base.add(ea as usize) as *const $t) });
            w!($dst, $conv(v));
        }};
    }
    macro_rules! store_mem {
        ($addr:expr, $val:expr, $off:expr, $t:ty) => {{
            let ea = r!($addr) as u32 as u64 + $off as u64;
            if ea + std::mem::size_of::<$t>() as u64 > mem_len {
                trap!(TrapCode::MemoryOutOfBounds)
            }
            let v = (r!($val) as $t).to_le();
            // SAFETY: [ea, ea+size) was just checked to lie inside the memory.
            unsafe { std::ptr::write_unaligned(mem_base.add(ea as usize) as *mut $t, v) };
        }};
    }
    macro_rules! i32bin {
        ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = r!($a) as u32;
            let $y = r!($b) as u32;
            w!($dst, ($e) as u32 as u64);
        }};
    }
    macro_rules! i32imm {
        ($dst:expr, $a:expr, $imm:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = r!($a) as u32;
            let $y = $imm as u32;
            w!($dst, ($e) as u32 as u64);
        }};
    }
    macro_rules! i64bin {
        ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = r!($a);
            let $y = r!($b);
            w!($dst, ($e) as u64);
        }};
    }
    macro_rules! i64imm {
        ($dst:expr, $a:expr, $imm:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = r!($a);
            let $y = $imm as i64 as u64;
            w!($dst, ($e) as u64);
        }};
    }
    macro_rules! f32bin {
        ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = f32_of!(r!($a));
            let $y = f32_of!(r!($b));
            w!($dst, ($e).to_bits() as u64);
        }};
    }
    macro_rules! f32cmp {
        ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = f32_of!(r!($a));
            let $y = f32_of!(r!($b));
            w!($dst, ($e) as u64);
        }};
    }
    macro_rules! f64bin {
        ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = f64_of!(r!($a));
            let $y = f64_of!(r!($b));
            w!($dst, ($e).to_bits());
        }};
    }
    macro_rules! f64cmp {
        ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
            let $x = f64_of!(r!($a));
            let $y = f64_of!(r!($b));
            w!($dst, ($e) as u64);
        }};
    }
    macro_rules! un {
        ($dst:expr, $src:expr, |$x:ident| $e:expr) => {{
            let $x = r!($src);
            w!($dst, $e);
        }};
    }
    macro_rules! jump {
        ($target:expr) => {
            // SAFETY: branch targets are instruction indices of the current function.
            pc = unsafe { (*cur).code.as_ptr().add($target as usize) }
        };
    }
    // Enters interpreted function `index` of `callee_inst` with its frame at `new_fp`.
    macro_rules! enter {
        ($callee_inst:expr, $index:expr, $new_fp:expr) => {{
            let callee_inst: *mut InstanceData = $callee_inst;
            let new_fp: *mut u64 = $new_fp;
            let depth = base_depth + frames.len() + 1;
            let switching = callee_inst != cache.inst;
            let callee_cache = if switching {
                // SAFETY: the callee instance is live and interpreted.
                Some(unsafe { InstCache::new(callee_inst) })
            } else {
                None
            };
            let (funcs, nimp) = match &callee_cache {
                Some(c) => (c.funcs, c.num_imported_funcs),
                None => (cache.funcs, cache.num_imported_funcs),
            };
            // SAFETY: `index` is a defined function of the callee's (interpreted) module.
            let callee = unsafe { &*funcs.add(($index - nimp) as usize) };
            // SAFETY: pointer comparison within/at the end of the stack allocation.
            let fits = unsafe { new_fp.add(callee.frame_size as usize) } <= stack_end;
            if !fits || depth >= max_depth {
                trap!(TrapCode::CallStackExhausted)
            }
            // SAFETY: the callee frame fits in the stack (checked just above).
            unsafe {
                std::ptr::write_bytes(
                    new_fp.add(callee.num_params as usize),
                    0,
                    (callee.num_locals - callee.num_params) as usize,
                )
            };
            frames.push(Frame { pc, fp, func: cur, inst: cache.inst });
            if let Some(c) = callee_cache {
                cache = c;
                (mem_base, mem_len) = cache.memory();
            }
            fp = new_fp;
            cur = callee;
            pc = callee.code.as_ptr();
        }};
    }
    // Calls a function given by (array_call, vmctx) of module type `ty`, args at `base`.
    macro_rules! call_any {
        ($array_call:expr, $vmctx:expr, $ty:expr, $base:expr) => {{
            let array_call: ArrayCallFn = $array_call;
            let vmctx: *mut VMOpaqueContext = $vmctx;
            // SAFETY: `base` is a slot of the current frame.
            let new_fp = unsafe { fp.add($base as usize) };
            if is_interp(array_call) {
                // SAFETY: interpreted functions' contexts are `InterpFuncContext`s.
                let ctx = unsafe { &*(vmctx as *const InterpFuncContext) };
                enter!(ctx.instance, ctx.func_index, new_fp);
            } else {
                let depth = base_depth + frames.len() + 1;
                // SAFETY: the array-call pair comes from a funcref or import of type `ty`;
                // the argument slots lie in the current frame's operand stack.
                let res = unsafe { call_out(store, cache.inst, array_call, vmctx, $ty, new_fp, stack_base, depth) };
                store.call_depth.set(base_depth);
                if let Err(u) = res {
                    unwind!(u)
                }
                (mem_base, mem_len) = cache.memory();
            }
        }};
    }

    loop {
        // SAFETY: `pc` always points at an instruction of the current function: every
        // function ends in `Return` and branch targets are validated instruction indices.
        let op = unsafe { *pc };
        // SAFETY: as above; at worst one past the final `Return`, never dereferenced.
        pc = unsafe { pc.add(1) };
        match op {
            Op::Unreachable => trap!(TrapCode::Unreachable),
            Op::Br { target } => jump!(target),
            Op::BrIfNez { cond, target } => {
                if r!(cond) as u32 != 0 {
                    jump!(target)
                }
            }
            Op::BrIfEqz { cond, target } => {
                if r!(cond) as u32 == 0 {
                    jump!(target)
                }
            }
            Op::BrI32Eq { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if x == y {
                    jump!(target)
                }
            }
            Op::BrI32Ne { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if x != y {
                    jump!(target)
                }
            }
            Op::BrI32LtS { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if (x as i32) < (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32LtU { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if x < y {
                    jump!(target)
                }
            }
            Op::BrI32GtS { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if (x as i32) > (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32GtU { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if x > y {
                    jump!(target)
                }
            }
            Op::BrI32LeS { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if (x as i32) <= (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32LeU { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if x <= y {
                    jump!(target)
                }
            }
            Op::BrI32GeS { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if (x as i32) >= (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32GeU { a, b, target } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if x >= y {
                    jump!(target)
                }
            }
            Op::BrI32EqImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if x == y {
                    jump!(target)
                }
            }
            Op::BrI32NeImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if x != y {
                    jump!(target)
                }
            }
            Op::BrI32LtSImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if (x as i32) < (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32LtUImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if x < y {
                    jump!(target)
                }
            }
            Op::BrI32GtSImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if (x as i32) > (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32GtUImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if x > y {
                    jump!(target)
                }
            }
            Op::BrI32LeSImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if (x as i32) <= (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32LeUImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if x <= y {
                    jump!(target)
                }
            }
            Op::BrI32GeSImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if (x as i32) >= (y as i32) {
                    jump!(target)
                }
            }
            Op::BrI32GeUImm { a, imm, target } => {
                let (x, y) = (r!(a) as u32, imm as u32);
                if x >= y {
                    jump!(target)
                }
            }
            Op::BrTable { index, len } => {
                let i = (r!(index) as u32).min(len);
                // SAFETY: `len + 1` `Br` entries follow the `BrTable`.
                let entry = unsafe { *pc.add(i as usize) };
                match entry {
                    Op::Br { target } => jump!(target),
                    _ => unreachable!("br_table entries are Br"),
                }
            }
            Op::Return => match frames.pop() {
                None => return Ok(()),
                Some(f) => {
                    pc = f.pc;
                    fp = f.fp;
                    cur = f.func;
                    if f.inst != cache.inst {
                        // SAFETY: frames refer to live interpreted instances.
                        cache = unsafe { InstCache::new(f.inst) };
                    }
                    (mem_base, mem_len) = cache.memory();
                }
            },
            Op::Call { func, base } => {
                // SAFETY: `base` is a slot of the current frame.
                let new_fp = unsafe { fp.add(base as usize) };
                enter!(cache.inst, func, new_fp);
            }
            Op::CallImport { func, base } => {
                // SAFETY: `func` is an imported function of the live current instance.
                let (imp, inst) = unsafe { (*(*cache.inst).func_import(func), &*cache.inst) };
                call_any!(imp.array_call, imp.vmctx, inst.module.info.func_type(func), base);
            }
            Op::CallIndirect { table, ty, base } => {
                // SAFETY: the current instance is live.
                let inst = unsafe { &*cache.inst };
                let fty = &inst.module.info.types[ty as usize];
                let index = r!(base + fty.params().len() as u32) as u32 as usize;
                let def = inst.tables[table as usize].def;
                // SAFETY: table definitions of a live instance are valid.
                let (tbase, tlen) = unsafe { ((*def).base, (*def).current_elements) };
                if index >= tlen {
                    trap!(TrapCode::UndefinedElement)
                }
                // SAFETY: index < tlen.
                let raw = unsafe { *tbase.add(index) };
                if raw == 0 {
                    trap!(TrapCode::UninitializedElement)
                }
                // SAFETY: non-null funcref table elements point to live funcrefs.
                let fr = unsafe { *(raw as *const VMFuncRef) };
                if fr.type_id != inst.type_id(ty) {
                    trap!(TrapCode::IndirectCallTypeMismatch)
                }
                call_any!(fr.array_call, fr.vmctx, fty, base);
            }
            Op::Aux { .. } => {}

            Op::Copy { dst, src } => w!(dst, r!(src)),
            Op::Const32 { dst, value } => w!(dst, value as u64),
            Op::Const64 { dst, value } => w!(dst, value),
            Op::Select { dst, a, b } => {
                // SAFETY: a `Select` is always followed by its `Aux`.
                let Op::Aux { slot } = (unsafe { *pc }) else { unreachable!("select is followed by aux") };
                // SAFETY: as above.
                pc = unsafe { pc.add(1) };
                let v = if r!(slot) as u32 != 0 { r!(a) } else { r!(b) };
                w!(dst, v);
            }
            Op::GlobalGet { dst, global } => {
                // SAFETY: validated global index; global storage lives with its owner.
                w!(dst, unsafe { (**cache.globals.add(global as usize)).get().bits() })
            }
            Op::GlobalSet { src, global } => {
                let v = ValRaw::from_bits(r!(src));
                // SAFETY: as above.
                unsafe { (**cache.globals.add(global as usize)).set(v) }
            }
            Op::RefFunc { dst, func } => {
                // SAFETY: the current instance is live.
                w!(dst, unsafe { (*cache.inst).funcref(func) } as u64)
            }

            Op::I32Load { dst, addr, offset } => load!(dst, addr, offset, u32, |v: u32| v as u64),
            Op::I64Load { dst, addr, offset } => load!(dst, addr, offset, u64, |v: u64| v),
            Op::I32Load8S { dst, addr, offset } => load!(dst, addr, offset, u8, |v: u8| v as i8 as i32 as u32 as u64),
            Op::I32Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, |v: u8| v as u64),
            Op::I32Load16S { dst, addr, offset } => load!(dst, addr, offset, u16, |v: u16| v as i16 as i32 as u32 as u64),
            Op::I32Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, |v: u16| v as u64),
            Op::I64Load8S { dst, addr, offset } => load!(dst, addr, offset, u8, |v: u8| v as i8 as i64 as u64),
            Op::I64Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, |v: u8| v as u64),
            Op::I64Load16S { dst, addr, offset } => load!(dst, addr, offset, u16, |v: u16| v as i16 as i64 as u64),
            Op::I64Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, |v: u16| v as u64),
            Op::I64Load32S { dst, addr, offset } => load!(dst, addr, offset, u32, |v: u32| v as i32 as i64 as u64),
            Op::I64Load32U { dst, addr, offset } => load!(dst, addr, offset, u32, |v: u32| v as u64),
            Op::I32Store { addr, value, offset } => store_mem!(addr, value, offset, u32),
            Op::I64Store { addr, value, offset } => store_mem!(addr, value, offset, u64),
            Op::I32Store8 { addr, value, offset } => store_mem!(addr, value, offset, u8),
            Op::I32Store16 { addr, value, offset } => store_mem!(addr, value, offset, u16),
            Op::MemorySize { dst } => w!(dst, mem_len / crate::types::WASM_PAGE_SIZE),
            Op::MemoryGrow { dst, delta } => {
                // SAFETY: the current instance is live and has memory 0 (validated).
                let mp = unsafe { (&*cache.inst).memories[0].memory };
                // SAFETY: memory objects are store-owned and not otherwise borrowed here.
                let m = unsafe { &mut *mp };
                let r = m.grow(r!(delta) as u32 as u64).map(|old| old as u32).unwrap_or(u32::MAX);
                (mem_base, mem_len) = cache.memory();
                w!(dst, r as u64);
            }
            Op::MemoryFill { base } => {
                let (d, v, n) = (r!(base) as u32 as u64, r!(base + 1) as u8, r!(base + 2) as u32 as u64);
                if d + n > mem_len {
                    trap!(TrapCode::MemoryOutOfBounds)
                }
                // SAFETY: [d, d+n) was just checked to lie inside the memory.
                unsafe { std::ptr::write_bytes(mem_base.add(d as usize), v, n as usize) };
            }
            Op::MemoryCopy { base } => {
                let (d, s, n) = (r!(base) as u32 as u64, r!(base + 1) as u32 as u64, r!(base + 2) as u32 as u64);
                if d + n > mem_len || s + n > mem_len {
                    trap!(TrapCode::MemoryOutOfBounds)
                }
                // SAFETY: both ranges were just checked to lie inside the memory.
                unsafe { std::ptr::copy(mem_base.add(s as usize), mem_base.add(d as usize), n as usize) };
            }
            Op::MemoryInit { base, segment } => {
                let (d, s, n) = (r!(base) as u32 as u64, r!(base + 1) as u32 as u64, r!(base + 2) as u32 as u64);
                // SAFETY: the current instance is live.
                let inst = unsafe { &*cache.inst };
                let seg = if inst.dropped_data[segment as usize].get() {
                    &[][..]
                } else {
                    &inst.module.info.wasm[inst.module.info.data[segment as usize].bytes.clone()]
                };
                if s + n > seg.len() as u64 || d + n > mem_len {
                    trap!(TrapCode::MemoryOutOfBounds)
                }
                // SAFETY: both ranges were just checked.
                unsafe { std::ptr::copy_nonoverlapping(seg.as_ptr().add(s as usize), mem_base.add(d as usize), n as usize) };
            }
            Op::DataDrop { segment } => {
                // SAFETY: the current instance is live.
                unsafe { (*cache.inst).dropped_data[segment as usize].set(true) }
            }
            Op::TableGet { dst, index, table } => {
                // SAFETY: the current instance is live.
                let v = try_trap!(unsafe { &*cache.inst }.table_get(table, r!(index) as u32));
                w!(dst, v as u64);
            }
            Op::TableSet { index, value, table } => {
                // SAFETY: the current instance is live.
                try_trap!(unsafe { &*cache.inst }.table_set(table, r!(index) as u32, r!(value) as usize));
            }
            Op::TableSize { dst, table } => {
                // SAFETY: the current instance is live; its table refs are valid.
                w!(dst, unsafe { (*(&*cache.inst).tables[table as usize].def).current_elements } as u64)
            }
            Op::TableGrow { base, table } => {
                // SAFETY: the current instance is live.
                let r = unsafe { &*cache.inst }.table_grow(table, r!(base + 1) as u32, r!(base) as usize);
                w!(base, r.unwrap_or(u32::MAX) as u64);
            }
            Op::TableFill { base, table } => {
                // SAFETY: the current instance is live.
                try_trap!(unsafe { &*cache.inst }.table_fill(table, r!(base) as u32, r!(base + 1) as usize, r!(base + 2) as u32));
            }
            Op::TableCopy { base, dst_table, src_table } => {
                // SAFETY: the current instance is live.
                try_trap!(unsafe { &*cache.inst }.table_copy(dst_table, src_table, r!(base) as u32, r!(base + 1) as u32, r!(base + 2) as u32));
            }
            Op::TableInit { base, table, segment } => {
                // SAFETY: the current instance is live.
                try_trap!(unsafe { &*cache.inst }.table_init(table, segment, r!(base) as u32, r!(base + 1) as u32, r!(base + 2) as u32));
            }
            Op::ElemDrop { segment } => {
                // SAFETY: the current instance is live.
                unsafe { (*cache.inst).dropped_elems[segment as usize].set(true) }
            }

            Op::I32Eqz { dst, src } => un!(dst, src, |x| (x as u32 == 0) as u64),
            Op::I32Eq { dst, a, b } => i32bin!(dst, a, b, |x, y| x == y),
            Op::I32Ne { dst, a, b } => i32bin!(dst, a, b, |x, y| x != y),
            Op::I32LtS { dst, a, b } => i32bin!(dst, a, b, |x, y| (x as i32) < (y as i32)),
            Op::I32LtU { dst, a, b } => i32bin!(dst, a, b, |x, y| x < y),
            Op::I32GtS { dst, a, b } => i32bin!(dst, a, b, |x, y| (x as i32) > (y as i32)),
            Op::I32GtU { dst, a, b } => i32bin!(dst, a, b, |x, y| x > y),
            Op::I32LeS { dst, a, b } => i32bin!(dst, a, b, |x, y| (x as i32) <= (y as i32)),
            Op::I32LeU { dst, a, b } => i32bin!(dst, a, b, |x, y| x <= y),
            Op::I32GeS { dst, a, b } => i32bin!(dst, a, b, |x, y| (x as i32) >= (y as i32)),
            Op::I32GeU { dst, a, b } => i32bin!(dst, a, b, |x, y| x >= y),
            Op::I32Clz { dst, src } => un!(dst, src, |x| (x as u32).leading_zeros() as u64),
            Op::I32Ctz { dst, src } => un!(dst, src, |x| (x as u32).trailing_zeros() as u64),
            Op::I32Popcnt { dst, src } => un!(dst, src, |x| (x as u32).count_ones() as u64),
            Op::I32Add { dst, a, b } => i32bin!(dst, a, b, |x, y| x.wrapping_add(y)),
            Op::I32Sub { dst, a, b } => i32bin!(dst, a, b, |x, y| x.wrapping_sub(y)),
            Op::I32Mul { dst, a, b } => i32bin!(dst, a, b, |x, y| x.wrapping_mul(y)),
            Op::I32DivS { dst, a, b } => {
                let (x, y) = (r!(a) as i32, r!(b) as i32);
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                if x == i32::MIN && y == -1 {
                    trap!(TrapCode::IntegerOverflow)
                }
                w!(dst, (x / y) as u32 as u64);
            }
            Op::I32DivU { dst, a, b } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                w!(dst, (x / y) as u64);
            }
            Op::I32RemS { dst, a, b } => {
                let (x, y) = (r!(a) as i32, r!(b) as i32);
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                w!(dst, x.wrapping_rem(y) as u32 as u64);
            }
            Op::I32RemU { dst, a, b } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                w!(dst, (x % y) as u64);
            }
            Op::I32And { dst, a, b } => i32bin!(dst, a, b, |x, y| x & y),
            Op::I32Or { dst, a, b } => i32bin!(dst, a, b, |x, y| x | y),
            Op::I32Xor { dst, a, b } => i32bin!(dst, a, b, |x, y| x ^ y),
            Op::I32Shl { dst, a, b } => i32bin!(dst, a, b, |x, y| x.wrapping_shl(y)),
            Op::I32ShrS { dst, a, b } => i32bin!(dst, a, b, |x, y| (x as i32).wrapping_shr(y)),
            Op::I32ShrU { dst, a, b } => i32bin!(dst, a, b, |x, y| x.wrapping_shr(y)),
            Op::I32Rotl { dst, a, b } => i32bin!(dst, a, b, |x, y| x.rotate_left(y % 32)),
            Op::I32Rotr { dst, a, b } => i32bin!(dst, a, b, |x, y| x.rotate_right(y % 32)),
            Op::I32EqImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x == y),
            Op::I32NeImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x != y),
            Op::I32LtSImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| (x as i32) < (y as i32)),
            Op::I32LtUImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x < y),
            Op::I32GtSImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| (x as i32) > (y as i32)),
            Op::I32GtUImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x > y),
            Op::I32LeSImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| (x as i32) <= (y as i32)),
            Op::I32LeUImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x <= y),
            Op::I32GeSImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| (x as i32) >= (y as i32)),
            Op::I32GeUImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x >= y),
            Op::I32AddImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x.wrapping_add(y)),
            Op::I32MulImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x.wrapping_mul(y)),
            Op::I32AndImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x & y),
            Op::I32OrImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x | y),
            Op::I32XorImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x ^ y),
            Op::I32ShlImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x.wrapping_shl(y)),
            Op::I32ShrSImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| (x as i32).wrapping_shr(y)),
            Op::I32ShrUImm { dst, a, imm } => i32imm!(dst, a, imm, |x, y| x.wrapping_shr(y)),

            Op::I64Eqz { dst, src } => un!(dst, src, |x| (x == 0) as u64),
            Op::I64Eq { dst, a, b } => i64bin!(dst, a, b, |x, y| x == y),
            Op::I64Ne { dst, a, b } => i64bin!(dst, a, b, |x, y| x != y),
            Op::I64LtS { dst, a, b } => i64bin!(dst, a, b, |x, y| (x as i64) < (y as i64)),
            Op::I64LtU { dst, a, b } => i64bin!(dst, a, b, |x, y| x < y),
            Op::I64GtS { dst, a, b } => i64bin!(dst, a, b, |x, y| (x as i64) > (y as i64)),
            Op::I64GtU { dst, a, b } => i64bin!(dst, a, b, |x, y| x > y),
            Op::I64LeS { dst, a, b } => i64bin!(dst, a, b, |x, y| (x as i64) <= (y as i64)),
            Op::I64LeU { dst, a, b } => i64bin!(dst, a, b, |x, y| x <= y),
            Op::I64GeS { dst, a, b } => i64bin!(dst, a, b, |x, y| (x as i64) >= (y as i64)),
            Op::I64GeU { dst, a, b } => i64bin!(dst, a, b, |x, y| x >= y),
            Op::I64Clz { dst, src } => un!(dst, src, |x| x.leading_zeros() as u64),
            Op::I64Ctz { dst, src } => un!(dst, src, |x| x.trailing_zeros() as u64),
            Op::I64Popcnt { dst, src } => un!(dst, src, |x| x.count_ones() as u64),
            Op::I64Add { dst, a, b } => i64bin!(dst, a, b, |x, y| x.wrapping_add(y)),
            Op::I64Sub { dst, a, b } => i64bin!(dst, a, b, |x, y| x.wrapping_sub(y)),
            Op::I64Mul { dst, a, b } => i64bin!(dst, a, b, |x, y| x.wrapping_mul(y)),
            Op::I64DivS { dst, a, b } => {
                let (x, y) = (r!(a) as i64, r!(b) as i64);
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                if x == i64::MIN && y == -1 {
                    trap!(TrapCode::IntegerOverflow)
                }
                w!(dst, (x / y) as u64);
            }
            Op::I64DivU { dst, a, b } => {
                let (x, y) = (r!(a), r!(b));
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                w!(dst, x / y);
            }
            Op::I64RemS { dst, a, b } => {
                let (x, y) = (r!(a) as i64, r!(b) as i64);
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                w!(dst, x.wrapping_rem(y) as u64);
            }
            Op::I64RemU { dst, a, b } => {
                let (x, y) = (r!(a), r!(b));
                if y == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                }
                w!(dst, x % y);
            }
            Op::I64And { dst, a, b } => i64bin!(dst, a, b, |x, y| x & y),
            Op::I64Or { dst, a, b } => i64bin!(dst, a, b, |x, y| x | y),
            Op::I64Xor { dst, a, b } => i64bin!(dst, a, b, |x, y| x ^ y),
            Op::I64Shl { dst, a, b } => i64bin!(dst, a, b, |x, y| x.wrapping_shl(y as u32)),
            Op::I64ShrS { dst, a, b } => i64bin!(dst, a, b, |x, y| (x as i64).wrapping_shr(y as u32)),
            Op::I64ShrU { dst, a, b } => i64bin!(dst, a, b, |x, y| x.wrapping_shr(y as u32)),
            Op::I64Rotl { dst, a, b } => i64bin!(dst, a, b, |x, y| x.rotate_left((y % 64) as u32)),
            Op::I64Rotr { dst, a, b } => i64bin!(dst, a, b, |x, y| x.rotate_right((y % 64) as u32)),
            Op::I64EqImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x == y),
            Op::I64NeImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x != y),
            Op::I64LtSImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| (x as i64) < (y as i64)),
            Op::I64LtUImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x < y),
            Op::I64GtSImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| (x as i64) > (y as i64)),
            Op::I64GtUImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x > y),
            Op::I64LeSImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| (x as i64) <= (y as i64)),
            Op::I64LeUImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x <= y),
            Op::I64GeSImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| (x as i64) >= (y as i64)),
            Op::I64GeUImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x >= y),
            Op::I64AddImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x.wrapping_add(y)),
            Op::I64MulImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x.wrapping_mul(y)),
            Op::I64AndImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x & y),
            Op::I64OrImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x | y),
            Op::I64XorImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x ^ y),
            Op::I64ShlImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x.wrapping_shl(y as u32)),
            Op::I64ShrSImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| (x as i64).wrapping_shr(y as u32)),
            Op::I64ShrUImm { dst, a, imm } => i64imm!(dst, a, imm, |x, y| x.wrapping_shr(y as u32)),

            Op::F32Eq { dst, a, b } => f32cmp!(dst, a, b, |x, y| x == y),
            Op::F32Ne { dst, a, b } => f32cmp!(dst, a, b, |x, y| x != y),
            Op::F32Lt { dst, a, b } => f32cmp!(dst, a, b, |x, y| x < y),
            Op::F32Gt { dst, a, b } => f32cmp!(dst, a, b, |x, y| x > y),
            Op::F32Le { dst, a, b } => f32cmp!(dst, a, b, |x, y| x <= y),
            Op::F32Ge { dst, a, b } => f32cmp!(dst, a, b, |x, y| x >= y),
            Op::F32Abs { dst, src } => un!(dst, src, |x| (x as u32 & 0x7fff_ffff) as u64),
            Op::F32Neg { dst, src } => un!(dst, src, |x| (x as u32 ^ 0x8000_0000) as u64),
            Op::F32Ceil { dst, src } => un!(dst, src, |x| f32_round(x, f32::ceil)),
            Op::F32Floor { dst, src } => un!(dst, src, |x| f32_round(x, f32::floor)),
            Op::F32Trunc { dst, src } => un!(dst, src, |x| f32_round(x, f32::trunc)),
            Op::F32Nearest { dst, src } => un!(dst, src, |x| f32_round(x, f32::round_ties_even)),
            Op::F32Sqrt { dst, src } => un!(dst, src, |x| f32_of!(x).sqrt().to_bits() as u64),
            Op::F32Add { dst, a, b } => f32bin!(dst, a, b, |x, y| x + y),
            Op::F32Sub { dst, a, b } => f32bin!(dst, a, b, |x, y| x - y),
            Op::F32Mul { dst, a, b } => f32bin!(dst, a, b, |x, y| x * y),
            Op::F32Div { dst, a, b } => f32bin!(dst, a, b, |x, y| x / y),
            Op::F32Min { dst, a, b } => f32bin!(dst, a, b, |x, y| wasm_min_f32(x, y)),
            Op::F32Max { dst, a, b } => f32bin!(dst, a, b, |x, y| wasm_max_f32(x, y)),
            Op::F32Copysign { dst, a, b } => {
                let (x, y) = (r!(a) as u32, r!(b) as u32);
                w!(dst, ((x & 0x7fff_ffff) | (y & 0x8000_0000)) as u64);
            }

            Op::F64Eq { dst, a, b } => f64cmp!(dst, a, b, |x, y| x == y),
            Op::F64Ne { dst, a, b } => f64cmp!(dst, a, b, |x, y| x != y),
            Op::F64Lt { dst, a, b } => f64cmp!(dst, a, b, |x, y| x < y),
            Op::F64Gt { dst, a, b } => f64cmp!(dst, a, b, |x, y| x > y),
            Op::F64Le { dst, a, b } => f64cmp!(dst, a, b, |x, y| x <= y),
            Op::F64Ge { dst, a, b } => f64cmp!(dst, a, b, |x, y| x >= y),
            Op::F64Abs { dst, src } => un!(dst, src, |x| x & 0x7fff_ffff_ffff_ffff),
            Op::F64Neg { dst, src } => un!(dst, src, |x| x ^ 0x8000_0000_0000_0000),
            Op::F64Ceil { dst, src } => un!(dst, src, |x| f64_round(x, f64::ceil)),
            Op::F64Floor { dst, src } => un!(dst, src, |x| f64_round(x, f64::floor)),
            Op::F64Trunc { dst, src } => un!(dst, src, |x| f64_round(x, f64::trunc)),
            Op::F64Nearest { dst, src } => un!(dst, src, |x| f64_round(x, f64::round_ties_even)),
            Op::F64Sqrt { dst, src } => un!(dst, src, |x| f64_of!(x).sqrt().to_bits()),
            Op::F64Add { dst, a, b } => f64bin!(dst, a, b, |x, y| x + y),
            Op::F64Sub { dst, a, b } => f64bin!(dst, a, b, |x, y| x - y),
            Op::F64Mul { dst, a, b } => f64bin!(dst, a, b, |x, y| x * y),
            Op::F64Div { dst, a, b } => f64bin!(dst, a, b, |x, y| x / y),
            Op::F64Min { dst, a, b } => f64bin!(dst, a, b, |x, y| wasm_min_f64(x, y)),
            Op::F64Max { dst, a, b } => f64bin!(dst, a, b, |x, y| wasm_max_f64(x, y)),
            Op::F64Copysign { dst, a, b } => {
                let (x, y) = (r!(a), r!(b));
                w!(dst, (x & 0x7fff_ffff_ffff_ffff) | (y & 0x8000_0000_0000_0000));
            }

            Op::I32TruncF32S { dst, src } => {
                let v = try_trap!(trunc!(f32_of!(r!(src)), -2147483904.0f32, 2147483648.0f32, i32));
                w!(dst, v as u32 as u64)
            }
            Op::I32TruncF32U { dst, src } => {
                let v = try_trap!(trunc!(f32_of!(r!(src)), -1.0f32, 4294967296.0f32, u32));
                w!(dst, v as u64)
            }
            Op::I32TruncF64S { dst, src } => {
                let v = try_trap!(trunc!(f64_of!(r!(src)), -2147483649.0f64, 2147483648.0f64, i32));
                w!(dst, v as u32 as u64)
            }
            Op::I32TruncF64U { dst, src } => {
                let v = try_trap!(trunc!(f64_of!(r!(src)), -1.0f64, 4294967296.0f64, u32));
                w!(dst, v as u64)
            }
            Op::I64ExtendI32S { dst, src } => un!(dst, src, |x| x as i32 as i64 as u64),
            Op::I64ExtendI32U { dst, src } => un!(dst, src, |x| x as u32 as u64),
            Op::I64TruncF32S { dst, src } => {
                let v = try_trap!(trunc!(f32_of!(r!(src)), -9223373136366403584.0f32, 9223372036854775808.0f32, i64));
                w!(dst, v as u64)
            }
            Op::I64TruncF32U { dst, src } => {
                let v = try_trap!(trunc!(f32_of!(r!(src)), -1.0f32, 18446744073709551616.0f32, u64));
                w!(dst, v)
            }
            Op::I64TruncF64S { dst, src } => {
                let v = try_trap!(trunc!(f64_of!(r!(src)), -9223372036854777856.0f64, 9223372036854775808.0f64, i64));
                w!(dst, v as u64)
            }
            Op::I64TruncF64U { dst, src } => {
                let v = try_trap!(trunc!(f64_of!(r!(src)), -1.0f64, 18446744073709551616.0f64, u64));
                w!(dst, v)
            }
            Op::F32ConvertI32S { dst, src } => un!(dst, src, |x| (x as i32 as f32).to_bits() as u64),
            Op::F32ConvertI32U { dst, src } => un!(dst, src, |x| (x as u32 as f32).to_bits() as u64),
            Op::F32ConvertI64S { dst, src } => un!(dst, src, |x| (x as i64 as f32).to_bits() as u64),
            Op::F32ConvertI64U { dst, src } => un!(dst, src, |x| (x as f32).to_bits() as u64),
            Op::F32DemoteF64 { dst, src } => un!(dst, src, |x| (f64_of!(x) as f32).to_bits() as u64),
            Op::F64ConvertI32S { dst, src } => un!(dst, src, |x| (x as i32 as f64).to_bits()),
            Op::F64ConvertI32U { dst, src } => un!(dst, src, |x| (x as u32 as f64).to_bits()),
            Op::F64ConvertI64S { dst, src } => un!(dst, src, |x| (x as i64 as f64).to_bits()),
            Op::F64ConvertI64U { dst, src } => un!(dst, src, |x| (x as f64).to_bits()),
            Op::F64PromoteF32 { dst, src } => un!(dst, src, |x| (f32_of!(x) as f64).to_bits()),
            Op::I32Extend8S { dst, src } => un!(dst, src, |x| x as i8 as i32 as u32 as u64),
            Op::I32Extend16S { dst, src } => un!(dst, src, |x| x as i16 as i32 as u32 as u64),
            Op::I64Extend8S { dst, src } => un!(dst, src, |x| x as i8 as i64 as u64),
            Op::I64Extend16S { dst, src } => un!(dst, src, |x| x as i16 as i64 as u64),
            Op::I64Extend32S { dst, src } => un!(dst, src, |x| x as i32 as i64 as u64),
            Op::I32TruncSatF32S { dst, src } => un!(dst, src, |x| f32_of!(x) as i32 as u32 as u64),
            Op::I32TruncSatF32U { dst, src } => un!(dst, src, |x| f32_of!(x) as u32 as u64),
            Op::I32TruncSatF64S { dst, src } => un!(dst, src, |x| f64_of!(x) as i32 as u32 as u64),
            Op::I32TruncSatF64U { dst, src } => un!(dst, src, |x| f64_of!(x) as u32 as u64),
            Op::I64TruncSatF32S { dst, src } => un!(dst, src, |x| f32_of!(x) as i64 as u64),
            Op::I64TruncSatF32U { dst, src } => un!(dst, src, |x| f32_of!(x) as u64),
            Op::I64TruncSatF64S { dst, src } => un!(dst, src, |x| f64_of!(x) as i64 as u64),
            Op::I64TruncSatF64U { dst, src } => un!(dst, src, |x| f64_of!(x) as u64),
        }
    }
}

impl InterpModule {
    /// Number of translated functions.
    pub fn num_funcs(&self) -> usize {
        self.funcs.len()
    }

    /// A listing of defined function `defined_index`'s instructions, one per line with its
    /// index and wasm offset (for inspecting the translation).
    pub fn disassemble(&self, defined_index: usize) -> Option<String> {
        let f = self.funcs.get(defined_index)?;
        let mut out = format!(
            "func[{}] params={} locals={} frame={}\n",
            f.func_index, f.num_params, f.num_locals, f.frame_size
        );
        for (i, (op, off)) in f.code.iter().zip(f.offsets.iter()).enumerate() {
            out.push_str(&format!("{i:5} @{off:#06x}  {op:?}\n"));
        }
        Some(out)
    }
}
