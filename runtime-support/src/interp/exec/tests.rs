//! Tests of the dispatch machinery itself (the spec suite covers the instructions).

use crate::engine::{Code, Module};
use crate::instance::{Extern, instantiate};
use crate::interp::{InterpModule, Translation};
use crate::module::{DecodeOptions, decode};
use crate::vm::{Store, StoreConfig, ValRaw};
use std::sync::Arc;

/// Iterations of the long loop: enough that one leaked native stack frame per executed
/// instruction would overflow any thread's stack when handlers tail-call each other.
const ITERATIONS: u32 = if cfg!(kiln_tail_dispatch) { 50_000_000 } else { 1_000_000 };

/// A loop of `n` iterations, each executing a few instructions and a call and return,
/// runs in constant native stack: handlers hand over by jumps, not nested calls.
#[test]
fn long_loop_does_not_grow_the_native_stack() {
    let wat = r#"
        (module
          (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "count") (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (call $inc (local.get $acc)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $acc)))
    "#;
    let wasm = wat::parse_str(wat).expect("valid wat");
    let info =
        decode(&wasm, DecodeOptions { features: Default::default(), keep_custom_sections: false })
            .expect("valid module");
    let module = eager(info);
    let store = Store::new(StoreConfig::default());
    let no_imports = |_: &str, _: &str| None;
    let inst = instantiate(&store, module, &no_imports, None).expect("instantiates");
    // SAFETY: the instance is owned by `store`, which is alive.
    let Some(Extern::Func(f)) = (unsafe { &*inst }).get_export("count") else {
        panic!("count is exported")
    };
    let mut slots = [ValRaw::from_bits(ITERATIONS as u64)];
    // SAFETY: `f` is a live funcref of `store` taking and returning one i32.
    unsafe { crate::call::invoke(&store, f, &mut slots) }.expect("runs to completion");
    assert_eq!(slots[0].bits() as u32, ITERATIONS);
}

/// A loop of the instructions C code executes most (loads and stores of every width,
/// constants set before branches, adds, shifts, masks, compare-and-branch, `if`/`else`,
/// a call), which `specialize` runs as pairs, runs in constant native stack: each pair's
/// handler still hands over by a tail call. A million passes overflow a test thread's
/// 2 MiB stack if each takes more than 2 bytes of it (a call that is no tail call takes
/// at least its 8-byte return address).
#[test]
fn specialized_pairs_do_not_grow_the_native_stack() {
    let wat = r#"
        (module
          (memory 1)
          (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
          (func (export "mix") (param $n i32) (result i32)
            (local $acc i32) (local $p i32) (local $t i32)
            (loop $next
              (local.set $p (i32.and (i32.shl (local.get $n) (i32.const 2)) (i32.const 1020)))
              (local.set $t (i32.const 7))
              (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $p))))
              (local.set $acc (i32.add (local.get $acc) (i32.load8_u offset=1 (local.get $p))))
              (local.set $acc (i32.xor (local.get $acc) (i32.load16_u (local.get $p))))
              (local.set $acc (i32.add (local.get $acc) (i32.load8_s (local.get $p))))
              (i32.store (local.get $p) (i32.add (local.get $acc) (local.get $t)))
              (i32.store8 (i32.add (local.get $p) (i32.const 2)) (local.get $acc))
              (i32.store16 offset=4 (local.get $p) (local.get $acc))
              (if (i32.lt_s (local.get $acc) (i32.const 0))
                (then (local.set $t (i32.const 1)))
                (else (local.set $t (i32.const 2))))
              (local.set $acc (i32.shr_u (i32.add (local.get $acc) (local.get $t)) (i32.const 1)))
              (local.set $acc (call $inc (local.get $acc)))
              (i64.store offset=2048 (i32.const 0)
                (i64.add (i64.load offset=2048 (i32.const 0)) (i64.const 1)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (i32.wrap_i64 (i64.load offset=2048 (i32.const 0)))))
    "#;
    const PASSES: u32 = 1_000_000;
    let wasm = wat::parse_str(wat).expect("valid wat");
    let info =
        decode(&wasm, DecodeOptions { features: Default::default(), keep_custom_sections: false })
            .expect("valid module");
    let store = Store::new(StoreConfig::default());
    let no_imports = |_: &str, _: &str| None;
    let inst = instantiate(&store, eager(info), &no_imports, None).expect("instantiates");
    // SAFETY: the instance is owned by `store`, which is alive.
    let Some(Extern::Func(f)) = (unsafe { &*inst }).get_export("mix") else {
        panic!("mix is exported")
    };
    let mut slots = [ValRaw::from_bits(PASSES as u64)];
    // SAFETY: `f` is a live funcref of `store` taking and returning one i32.
    unsafe { crate::call::invoke(&store, f, &mut slots) }.expect("runs to completion");
    assert_eq!(slots[0].bits() as u32, PASSES, "the loop's own pass counter");
}

/// `info` with every function translated for the interpreter now.
fn eager(info: crate::module::ModuleInfo) -> Arc<Module> {
    let info = Arc::new(info);
    let code = Code::Interpreted(
        InterpModule::new(info.clone(), Default::default(), Default::default(), Translation::Eager)
            .expect("translates"),
    );
    Arc::new(Module { info, code })
}

/// A module instantiated on the interpreter, for calling exports and reading its listing.
struct Loaded {
    store: std::sync::Arc<Store>,
    module: Arc<Module>,
    inst: *mut crate::instance::InstanceData,
}

fn load(wat: &str) -> Loaded {
    let wasm = wat::parse_str(wat).expect("valid wat");
    let info =
        decode(&wasm, DecodeOptions { features: Default::default(), keep_custom_sections: false })
            .expect("valid module");
    let module = eager(info);
    let store = Store::new(StoreConfig::default());
    let no_imports = |_: &str, _: &str| None;
    let inst = instantiate(&store, module.clone(), &no_imports, None).expect("instantiates");
    Loaded { store, module, inst }
}

impl Loaded {
    /// Calls export `name` with `args` (slot bits); its first result, or the unwind.
    fn call(&self, name: &str, args: &[u64]) -> Result<u64, crate::error::Unwind> {
        // SAFETY: the instance is owned by `self.store`, which is alive.
        let Some(Extern::Func(f)) = (unsafe { &*self.inst }).get_export(name) else {
            panic!("{name} is exported")
        };
        let mut slots: Vec<ValRaw> = args.iter().map(|&a| ValRaw::from_bits(a)).collect();
        slots.resize(args.len().max(1), ValRaw::from_bits(0));
        // SAFETY: `f` is a live funcref of the store; the slots cover its params and results.
        unsafe { crate::call::invoke(&self.store, f, &mut slots) }?;
        Ok(slots[0].bits())
    }

    /// Calls `name` expecting an i32 result.
    fn i32(&self, name: &str, args: &[i32]) -> i32 {
        let args: Vec<u64> = args.iter().map(|&a| a as u32 as u64).collect();
        self.call(name, &args).unwrap_or_else(|e| panic!("{name}{args:?}: {e:?}")) as u32 as i32
    }

    /// The translation of every defined function.
    fn listing(&self) -> String {
        let m = self.module.interp().expect("interpreted");
        (0..m.num_funcs()).map(|i| m.disassemble(i).unwrap_or_default()).collect()
    }

    /// Asserts that the translation contains an instruction of variant `Op::<op>`.
    fn expect_op(&self, op: &str) {
        let m = self.module.interp().expect("interpreted");
        let found = (0..m.num_funcs() as u32)
            .filter_map(|i| m.func(i).ok())
            .flat_map(|f| f.code.iter())
            .any(|i| format!("{:?}", i.op).split_whitespace().next() == Some(op));
        assert!(found, "no {op} in the translation:\n{}", self.listing());
    }
}

/// Loop ends fused with their counter's add (`I32Add*Br*`): every form, with wrapping
/// counters, signed and unsigned bounds, negative steps and bounds on either side.
#[test]
fn fused_loop_ends() {
    let m = load(
        r#"(module
          ;; count up by a slot step while i <u n: iterations
          (func (export "add_lt_u") (param $i i32) (param $step i32) (param $n i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (local.get $step)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          ;; the bound on the left: n >s i
          (func (export "add_lt_s") (param $i i32) (param $step i32) (param $n i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.add (local.get $step) (local.get $i)))
              (br_if $l (i32.gt_s (local.get $n) (local.get $i))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          (func (export "add_ne") (param $i i32) (param $step i32) (param $n i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (local.get $step)))
              (br_if $l (i32.ne (local.get $n) (local.get $i))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          (func (export "imm_lt_u") (param $i i32) (param $n i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 3)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          (func (export "imm_lt_s") (param $i i32) (param $n i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.sub (local.get $i) (i32.const 2)))
              (br_if $l (i32.gt_s (local.get $i) (local.get $n)))
              (local.set $i (i32.add (local.get $i) (i32.const 0)))
              (local.set $i (i32.add (local.get $i) (i32.const 5)))
              (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          (func (export "imm_ne") (param $i i32) (param $n i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const -1)))
              (br_if $l (i32.ne (local.get $i) (local.get $n))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          (func (export "imm_ne_imm") (param $i i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 7)))
              (br_if $l (i32.ne (local.get $i) (i32.const -32768))))
            (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
          (func (export "imm_nez") (param $i i32) (result i32) (local $k i32)
            (loop $l
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $l (local.tee $i (i32.add (local.get $i) (i32.const -1)))))
            (local.get $k)))"#,
    );
    for op in [
        "I32AddBrLtU",
        "I32AddBrLtS",
        "I32AddBrNe",
        "I32AddImmBrLtU",
        "I32AddImmBrLtS",
        "I32AddImmBrNe",
        "I32AddImmBrNeImm",
        "I32AddImmBrNez",
    ] {
        m.expect_op(op);
    }
    // Reference semantics: the loop body runs once, then while the test holds.
    let run = |mut i: i32, step: i32, test: &dyn Fn(i32) -> bool| {
        let mut k = 0i32;
        loop {
            k += 1;
            i = i.wrapping_add(step);
            if !test(i) || k > 100_000 {
                break;
            }
        }
        k.wrapping_mul(1000).wrapping_add(i)
    };
    for (i, step, n) in [
        (0, 1, 10),
        (0, 4, 10),
        (5, 1, 3),
        (-5, 1, 3),
        (i32::MAX - 2, 1, i32::MAX),
        (-3, 1, 0),
        (10, -1, 0),
    ] {
        let lt_u = |v: i32| (v as u32) < (n as u32);
        let lt_s = |v: i32| v < n;
        let ne = |v: i32| v != n;
        assert_eq!(
            m.i32("add_lt_u", &[i, step, n]),
            run(i, step, &lt_u),
            "add_lt_u {i} {step} {n}"
        );
        assert_eq!(
            m.i32("add_lt_s", &[i, step, n]),
            run(i, step, &lt_s),
            "add_lt_s {i} {step} {n}"
        );
        assert_eq!(m.i32("imm_lt_u", &[i, n]), run(i, 3, &lt_u), "imm_lt_u {i} {n}");
        // `!=` loops only where the counter reaches the bound in a few steps.
        let d = n.wrapping_sub(i);
        if step != 0 && d % step == 0 && (1..1000).contains(&(d / step)) {
            assert_eq!(m.i32("add_ne", &[i, step, n]), run(i, step, &ne), "add_ne {i} {step} {n}");
        }
        if (1..1000).contains(&i.wrapping_sub(n)) {
            assert_eq!(m.i32("imm_ne", &[i, n]), run(i, -1, &ne), "imm_ne {i} {n}");
        }
    }
    assert_eq!(
        m.i32("add_ne", &[i32::MAX - 1, 1, i32::MIN + 1]),
        run(i32::MAX - 1, 1, &|v| v != i32::MIN + 1)
    );
    assert_eq!(
        m.i32("imm_ne", &[i32::MIN + 1, i32::MAX - 1]),
        run(i32::MIN + 1, -1, &|v| v != i32::MAX - 1)
    );
    // Unsigned bound with a counter wrapping past zero: -2 + 3 = 1 <u 10, and on.
    assert_eq!(m.i32("imm_lt_u", &[-2, 10]), run(-2, 3, &|v| (v as u32) < 10));
    // Signed bound with negative counters: down by 2 while > n, then up by 5 while < n.
    let imm_lt_s = |mut i: i32, n: i32| {
        let mut k = 0i32;
        loop {
            k += 1;
            i = i.wrapping_sub(2);
            if i > n {
                continue;
            }
            i = i.wrapping_add(5);
            if i < n {
                continue;
            }
            break;
        }
        k * 1000 + i
    };
    for (i, n) in [(0, -7), (-20, -7), (-100, 50), (3, 3)] {
        assert_eq!(m.i32("imm_lt_s", &[i, n]), imm_lt_s(i, n), "imm_lt_s {i} {n}");
    }
    // Equality with an immediate reached after wrapping past i32::MAX.
    let start = -32768 - 7 * 5;
    assert_eq!(m.i32("imm_ne_imm", &[start]), 5 * 1000 + -32768);
    // Count down to zero; from 0 it wraps and would run 2^32 times, so start small.
    assert_eq!(m.i32("imm_nez", &[1]), 1);
    assert_eq!(m.i32("imm_nez", &[37]), 37);
}

/// Fused pairs: two copies (`Copy2`, including a swap through a temporary and a copy that
/// reads the first one's destination), two constant adds (`I32AddImm2`), and a result copy
/// with `Return` (`ReturnSlot`).
#[test]
fn fused_pairs() {
    let m = load(
        r#"(module
          (func (export "rotate3") (param $a i64) (param $b i64) (param $c i64) (param $n i32) (result i64)
            (local $t i64)
            (block $done (loop $l
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $t (local.get $a))
              (local.set $a (local.get $b))
              (local.set $b (local.get $c))
              (local.set $c (local.get $t))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $l)))
            (i64.add (i64.mul (local.get $a) (i64.const 100))
              (i64.add (i64.mul (local.get $b) (i64.const 10)) (local.get $c))))
          (func (export "chain") (param $a f64) (result f64) (local $b f64) (local $c f64)
            (local.set $b (local.get $a))
            (local.set $c (local.get $b))
            (f64.add (local.get $b) (local.get $c)))
          (func (export "bumps") (param $p i32) (param $q i32) (param $n i32) (result i32)
            (loop $l
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (local.set $q (i32.add (local.get $q) (i32.const -3)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
            (i32.xor (local.get $p) (i32.mul (local.get $q) (i32.const 65536))))
          (func (export "bump_tee") (param $p i32) (result i32) (local $x i32) (local $y i32)
            (local.set $y (local.tee $x (i32.add (local.get $p) (i32.const -4))))
            (i32.add (i32.mul (local.get $x) (i32.const 3)) (local.get $y)))
          (func (export "ret") (param $a i32) (param $b i32) (result i32)
            (i32.add (local.get $a) (local.get $b))))"#,
    );
    for op in ["Copy2", "I32AddImm2", "ReturnSlot"] {
        m.expect_op(op);
    }
    for n in 0..7u64 {
        let mut v = [1u64, 2, 3];
        for _ in 0..n {
            v.rotate_left(1);
        }
        let want = v[0] * 100 + v[1] * 10 + v[2];
        assert_eq!(m.call("rotate3", &[1, 2, 3, n]).unwrap(), want, "rotate3 n={n}");
    }
    // Full 64-bit values survive the copies (NaN payload and sign bits included).
    let x = f64::from_bits(0x7ff8_0000_dead_beef);
    assert_eq!(m.call("chain", &[1.5f64.to_bits()]).unwrap(), 3.0f64.to_bits());
    assert!(f64::from_bits(m.call("chain", &[x.to_bits()]).unwrap()).is_nan());
    let big = 0xffff_ffff_0000_0001u64;
    assert_eq!(m.call("rotate3", &[big, 0, 0, 3]).unwrap(), big.wrapping_mul(100));
    for (p, q, n) in [(0, 0, 1), (100, 7, 5), (i32::MAX - 5, i32::MIN + 2, 3)] {
        let (mut pp, mut qq, mut nn) = (p, q, n);
        loop {
            pp = pp.wrapping_add(4);
            qq = qq.wrapping_add(-3);
            nn -= 1;
            if nn <= 0 {
                break;
            }
        }
        assert_eq!(m.i32("bumps", &[p, q, n]), pp ^ qq.wrapping_mul(65536), "bumps {p} {q} {n}");
    }
    assert_eq!(m.i32("bump_tee", &[10]), 6 * 3 + 6);
    assert_eq!(m.i32("bump_tee", &[i32::MIN]), (i32::MIN.wrapping_sub(4)).wrapping_mul(4));
    assert_eq!(m.i32("ret", &[-1, 2]), 1);
}

/// `eqz` of a comparison branches on the comparison itself, with the opposite sense (NaN
/// operands included), and a trap after fused pairs reports its own wasm offset.
#[test]
fn fused_eqz_compare_and_trap_offsets() {
    let m = load(
        r#"(module
          (memory 1)
          (func (export "not_le") (param $a f64) (param $b f64) (result i32)
            (block $yes
              (br_if $yes (i32.eqz (f64.le (local.get $a) (local.get $b))))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "not_lt_u") (param $a i32) (param $b i32) (result i32)
            (if (result i32) (i32.eqz (i32.lt_u (local.get $a) (local.get $b)))
              (then (i32.const 1)) (else (i32.const 0))))
          (func (export "trap_after") (param $a i32) (param $b i32) (result i32) (local $x i32) (local $y i32)
            (local.set $x (local.get $a))
            (local.set $y (local.get $b))
            (i32.load (i32.add (local.get $x) (local.get $y)))))"#,
    );
    m.expect_op("BrF64NotLe");
    let nan = f64::NAN.to_bits();
    for (a, b) in [(1.0f64, 2.0f64), (2.0, 1.0), (1.0, 1.0)] {
        assert_eq!(
            m.call("not_le", &[a.to_bits(), b.to_bits()]).unwrap(),
            a.partial_cmp(&b).is_none_or(|o| o.is_gt()) as u64,
            "not_le {a} {b}"
        );
    }
    assert_eq!(m.call("not_le", &[nan, 1.0f64.to_bits()]).unwrap(), 1);
    assert_eq!(m.call("not_le", &[1.0f64.to_bits(), nan]).unwrap(), 1);
    for (a, b) in [(1, 2), (2, 1), (-1, 1), (3, 3)] {
        assert_eq!(
            m.i32("not_lt_u", &[a, b]),
            ((a as u32) >= (b as u32)) as i32,
            "not_lt_u {a} {b}"
        );
    }
    m.expect_op("Copy2");
    assert_eq!(m.i32("trap_after", &[10, 20]), 0);
    let Err(crate::error::Unwind::Trap(t)) = m.call("trap_after", &[65534, 0]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
    // The offset is the `i32.load`'s (opcode 0x28), though the pairs before it were merged.
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(
        m.module.info.wasm[off as usize], 0x28,
        "the trapping instruction is i32.load (offset {off:#x})"
    );
}

/// `select` fused with the i32 comparison computing its condition (`SelectI32*`): every
/// comparison and a bit-mask `and`, with a slot and with a constant on the right, against
/// Rust's comparisons,
/// including the forms that swap `a` and `b` or mirror the operands; constants as the
/// selected values (written between the comparison and the select); a select whose result
/// goes to a local that is also its operand; and an i64 and an f64 selected.
#[test]
fn fused_compare_selects() {
    type Compare = fn(i32, i32) -> bool;
    const CMPS: [(&str, Compare); 11] = [
        ("eq", |x, y| x == y),
        ("ne", |x, y| x != y),
        ("lt_s", |x, y| x < y),
        ("lt_u", |x, y| (x as u32) < (y as u32)),
        ("gt_s", |x, y| x > y),
        ("gt_u", |x, y| (x as u32) > (y as u32)),
        ("le_s", |x, y| x <= y),
        ("le_u", |x, y| (x as u32) <= (y as u32)),
        ("ge_s", |x, y| x >= y),
        ("ge_u", |x, y| (x as u32) >= (y as u32)),
        ("and", |x, y| x & y != 0),
    ];
    const IMMS: [i32; 4] = [0, 7, -7, i32::MIN];
    let mut wat = String::from("(module\n");
    for (name, _) in CMPS {
        wat.push_str(&format!(
            "(func (export \"{name}\") (param i32 i32 i64 i64) (result i64)
               (select (local.get 2) (local.get 3) (i32.{name} (local.get 0) (local.get 1))))
             (func (export \"{name}_consts\") (param i32 i32) (result i32)
               (select (i32.const 100) (i32.const 200) (i32.{name} (local.get 0) (local.get 1))))\n"
        ));
        for (k, imm) in IMMS.iter().enumerate() {
            wat.push_str(&format!(
                "(func (export \"{name}_imm{k}\") (param i32 f64 f64) (result f64)
                   (select (local.get 1) (local.get 2) (i32.{name} (local.get 0) (i32.const {imm}))))\n"
            ));
        }
    }
    wat.push_str(
        "(func (export \"eqz\") (param i32 i32 i32) (result i32)
           (select (local.get 1) (local.get 2) (i32.eqz (local.get 0))))
         (func (export \"into_operand\") (param i32 i32) (result i32) (local i32)
           (local.set 2 (i32.const 9))
           (local.set 2 (select (local.get 2) (local.get 1) (i32.lt_s (local.get 0) (local.get 2))))
           (local.get 2)))",
    );
    let m = load(&wat);
    for op in ["SelectI32Eq", "SelectI32LtS", "SelectI32LtU", "SelectI32And", "SelectI32AndImm"] {
        m.expect_op(op);
    }
    for op in ["SelectI32LtSImm", "SelectI32GtSImm", "SelectI32LtUImm", "SelectI32GtUImm"] {
        m.expect_op(op);
    }
    assert!(!m.listing().contains(" select "), "every select fused:\n{}", m.listing());
    let values = [0, 1, -1, 7, -7, 8, i32::MAX, i32::MIN];
    let (a, b) = (0x1111_2222_3333_4444u64, 0x5555_6666_7777_8888u64);
    for (name, f) in CMPS {
        for x in values {
            for y in values {
                let args = [x as u32 as u64, y as u32 as u64, a, b];
                let want = if f(x, y) { a } else { b };
                assert_eq!(m.call(name, &args).unwrap(), want, "{name} {x} {y}");
                let want = if f(x, y) { 100 } else { 200 };
                assert_eq!(m.i32(&format!("{name}_consts"), &[x, y]), want, "{name} {x} {y}");
            }
            for (k, imm) in IMMS.iter().enumerate() {
                let (fa, fb) = (1.5f64.to_bits(), (-2.25f64).to_bits());
                let want = if f(x, *imm) { fa } else { fb };
                let got = m.call(&format!("{name}_imm{k}"), &[x as u32 as u64, fa, fb]).unwrap();
                assert_eq!(got, want, "{name} {x} {imm}");
            }
        }
    }
    for x in values {
        assert_eq!(m.i32("eqz", &[x, 3, 4]), if x == 0 { 3 } else { 4 }, "eqz {x}");
        assert_eq!(m.i32("into_operand", &[x, 42]), if x < 9 { 9 } else { 42 }, "{x}");
    }
}

/// Branches on a bit test (`BrI32And*`): `br_if` and `if` on `i32.and` of two slots and of a
/// slot and a constant, and on `i32.eqz` of it, each also with the tested value just loaded
/// (the forwarded `*R` forms), against Rust's `&`.
#[test]
fn fused_bit_test_branches() {
    let m = load(
        r#"(module
          (memory 1)
          (func (export "nez") (param i32 i32) (result i32)
            (block $b (br_if $b (i32.and (local.get 0) (local.get 1))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "eqz") (param i32 i32) (result i32)
            (block $b (br_if $b (i32.eqz (i32.and (local.get 0) (local.get 1))))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "imm_if") (param i32) (result i32)
            (if (result i32) (i32.and (local.get 0) (i32.const 0x8000))
              (then (i32.const 1)) (else (i32.const 0))))
          (func (export "imm_nez") (param i32) (result i32)
            (block $b (br_if $b (i32.and (local.get 0) (i32.const 6))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "imm_eqz") (param i32) (result i32)
            (block $b (br_if $b (i32.eqz (i32.and (local.get 0) (i32.const 6))))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "loaded_nez") (param i32 i32) (result i32)
            (i32.store (i32.const 16) (local.get 0))
            (block $b (br_if $b (i32.and (i32.load (i32.const 16)) (local.get 1)))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "loaded_eqz") (param i32 i32) (result i32)
            (i32.store (i32.const 16) (local.get 0))
            (block $b (br_if $b (i32.eqz (i32.and (local.get 1) (i32.load (i32.const 16)))))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "loaded_imm_nez") (param i32) (result i32)
            (i32.store (i32.const 16) (local.get 0))
            (block $b (br_if $b (i32.and (i32.load (i32.const 16)) (i32.const 0x80000001)))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "loaded_imm_eqz") (param i32) (result i32)
            (i32.store (i32.const 16) (local.get 0))
            (if (result i32) (i32.and (i32.load (i32.const 16)) (i32.const 0x70))
              (then (i32.const 1)) (else (i32.const 0)))))"#,
    );
    for op in ["BrI32AndNez", "BrI32AndEqz", "BrI32AndImmNez", "BrI32AndImmEqz"] {
        m.expect_op(op);
    }
    for op in ["BrI32AndNezR", "BrI32AndEqzR", "BrI32AndImmNezR", "BrI32AndImmEqzR"] {
        m.expect_op(op);
    }
    let values = [0, 1, 2, 6, 0x70, 0x8000, -1, i32::MIN, 0x7fff_fffe];
    for x in values {
        for y in values {
            let t = (x & y != 0) as i32;
            assert_eq!(m.i32("nez", &[x, y]), t, "nez {x} {y}");
            assert_eq!(m.i32("eqz", &[x, y]), 1 - t, "eqz {x} {y}");
            assert_eq!(m.i32("loaded_nez", &[x, y]), t, "loaded_nez {x} {y}");
            assert_eq!(m.i32("loaded_eqz", &[x, y]), 1 - t, "loaded_eqz {x} {y}");
        }
        assert_eq!(m.i32("imm_if", &[x]), (x & 0x8000 != 0) as i32, "imm_if {x}");
        assert_eq!(m.i32("imm_nez", &[x]), (x & 6 != 0) as i32, "imm_nez {x}");
        assert_eq!(m.i32("imm_eqz", &[x]), (x & 6 == 0) as i32, "imm_eqz {x}");
        let want = (x & 0x8000_0001u32 as i32 != 0) as i32;
        assert_eq!(m.i32("loaded_imm_nez", &[x]), want, "loaded_imm_nez {x}");
        assert_eq!(m.i32("loaded_imm_eqz", &[x]), (x & 0x70 != 0) as i32, "loaded_imm_eqz {x}");
    }
}

/// Loads from a computed address with the add fused in (`I32Load8UAdd`, `I32Load16UAdd`
/// and their constant forms): the sum wraps at 2^32, the load zero-extends, and an access
/// out of bounds traps with the load's wasm offset.
#[test]
fn fused_address_adds_of_narrow_loads() {
    let m = load(
        r#"(module
          (memory 1)
          (data (i32.const 0) "\01\02\03\04")
          (data (i32.const 65534) "\aa\bb")
          (func (export "u8") (param i32 i32) (result i32)
            (i32.load8_u (i32.add (local.get 0) (local.get 1))))
          (func (export "u16") (param i32 i32) (result i32)
            (i32.load16_u (i32.add (local.get 0) (local.get 1))))
          (func (export "u8i") (param i32) (result i32)
            (i32.load8_u (i32.add (local.get 0) (i32.const 3))))
          (func (export "u16i") (param i32) (result i32)
            (i32.load16_u (i32.add (local.get 0) (i32.const -2)))))"#,
    );
    for op in ["I32Load8UAdd", "I32Load16UAdd", "I32Load8UAddImm", "I32Load16UAddImm"] {
        m.expect_op(op);
    }
    assert_eq!(m.i32("u8", &[1, 2]), 4);
    assert_eq!(m.i32("u8", &[-1, 4]), 4, "the sum wraps");
    assert_eq!(m.i32("u8", &[65535, 0]), 0xbb, "zero-extended");
    assert_eq!(m.i32("u16", &[0, 1]), 0x0302);
    assert_eq!(m.i32("u16", &[65534, 0]), 0xbbaa);
    assert_eq!(m.i32("u8i", &[0]), 4);
    assert_eq!(m.i32("u16i", &[2]), 0x0201);
    assert_eq!(m.i32("u16i", &[0x1_0000]), 0xbbaa);
    for (f, args, opcode) in
        [("u16", vec![65535, 0], 0x2f), ("u8", vec![65536, 0], 0x2d), ("u16i", vec![0], 0x2f)]
    {
        let args: Vec<u64> = args.into_iter().map(|a: u32| a as u64).collect();
        let Err(crate::error::Unwind::Trap(t)) = m.call(f, &args) else {
            panic!("{f}: expected a trap")
        };
        assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds, "{f}");
        let off = t.backtrace()[0].wasm_offset.expect("an offset");
        assert_eq!(m.module.info.wasm[off as usize], opcode, "{f}: the load traps");
    }
}

/// Fused bit fields, scaled indexes and loaded entries (an instruction decoder's
/// `(i >> 7) & 0xff`, a jump table's `(i & 127) << 2` and `table[k] - 2`): `I32ShrUAndImm`,
/// `I32AndShlImm` and `I32LoadThenAddImm`, the intermediate kept (read again through
/// `local.tee`), shift counts taken modulo 32, the load's trap at its own offset.
#[test]
fn fused_bit_fields_and_scaled_indexes() {
    let m = load(
        r#"(module
          (func (export "field") (param $i i32) (result i32) (local $t i32)
            (i32.xor
              (i32.and (local.tee $t (i32.shr_u (local.get $i) (i32.const 39))) (i32.const 255))
              (i32.mul (local.get $t) (i32.const 3))))
          (memory 1)
          (data (i32.const 0) "\01\01\02\03\ff\ff\ff\ff")
          (func (export "entry") (param $p i32) (result i32) (local $t i32)
            (i32.xor
              (i32.add (local.tee $t (i32.load (local.get $p))) (i32.const -2))
              (i32.mul (local.get $t) (i32.const 7))))
          (func (export "scaled") (param $i i32) (result i32) (local $t i32)
            (i32.xor
              (i32.shl (local.tee $t (i32.and (local.get $i) (i32.const -129))) (i32.const 2))
              (i32.mul (local.get $t) (i32.const 5)))))"#,
    );
    for op in ["I32ShrUAndImm", "I32AndShlImm", "I32LoadThenAddImm"] {
        m.expect_op(op);
    }
    // A jump table's entry minus a constant (both results kept); out of bounds traps with
    // the load's offset.
    for (at, want) in [(0, 0x0302_0101u32 as i32 - 2), (4, (-1i32).wrapping_sub(2))] {
        assert_eq!(m.i32("entry", &[at]), want ^ (want + 2).wrapping_mul(7), "entry {at}");
    }
    let Err(crate::error::Unwind::Trap(t)) = m.call("entry", &[65534]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(m.module.info.wasm[off as usize], 0x28, "the trapping instruction is i32.load");
    for i in [0i32, 1, 0x7f, 0x80, 0x1234_5678, -1, i32::MIN, 0x0fff_ff80] {
        let t = (i as u32) >> 7;
        assert_eq!(m.i32("field", &[i]), ((t & 255) ^ t.wrapping_mul(3)) as i32, "field {i}");
        let t = i & -129;
        assert_eq!(m.i32("scaled", &[i]), (t << 2) ^ t.wrapping_mul(5), "scaled {i}");
    }
}

/// Fused address arithmetic and accumulating loads: `I32ShlAddImm` (both results kept),
/// `I32LoadAcc` / `I32Load8UAcc` (accumulator on either side, wrapping), and
/// out-of-bounds accumulating loads that trap with the load's wasm offset.
#[test]
fn fused_indexing_and_accumulating_loads() {
    let m = load(
        r#"(module
          (memory 1)
          (data (i32.const 0) "\01\02\03\fe\ff\ff\ff\7f\10\00\00\80")
          (data (i32.const 65528) "\05\00\00\00\07\00\00\00")
          (global $g (mut i32) (i32.const 0))
          (func (export "index") (param $i i32) (result i32) (local $t i32) (local $p i32)
            (local.set $p (i32.add (local.tee $t (i32.shl (local.get $i) (i32.const 34))) (i32.const -8)))
            (i32.xor (local.get $p) (i32.mul (local.get $t) (i32.const 3))))
          (func (export "sum8") (param $n i32) (result i32) (local $i i32) (local $s i32)
            (block $done (loop $l
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))
            (local.get $s))
          (func (export "sum32") (param $base i32) (param $n i32) (result i32) (local $s i32)
            (block $done (loop $l
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $s (i32.add (i32.load offset=4 (local.get $base)) (local.get $s)))
              (global.set $g (local.get $s))
              (local.set $base (i32.add (local.get $base) (i32.const 4)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $l)))
            (local.get $s))
          (func (export "partial") (result i32) (global.get $g)))"#,
    );
    for op in ["I32ShlAddImm", "I32Load8UAcc", "I32LoadAcc"] {
        m.expect_op(op);
    }
    for i in [0i32, 1, 5, -1, 0x4000_0001] {
        let t = i.wrapping_shl(34 % 32);
        assert_eq!(m.i32("index", &[i]), t.wrapping_add(-8) ^ t.wrapping_mul(3), "index {i}");
    }
    let bytes = [1u8, 2, 3, 0xfe, 0xff, 0xff, 0xff, 0x7f, 0x10, 0, 0, 0x80];
    for n in [0, 1, 4, 12, 20] {
        let want: i32 = bytes.iter().take(n).map(|&b| b as i32).sum();
        assert_eq!(m.i32("sum8", &[n as i32]), want, "sum8 {n}");
    }
    // Words at 4 and 8: 0x7fffffff + 0x80000010 wraps.
    assert_eq!(m.i32("sum32", &[0, 2]), 0x7fff_ffffi32.wrapping_add(0x8000_0010u32 as i32));
    // From 65524 the words at 65528 and 65532 are read, then 65536 is out of bounds.
    let Err(crate::error::Unwind::Trap(t)) = m.call("sum32", &[65524, 3]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(
        m.module.info.wasm[off as usize], 0x28,
        "the trapping instruction is i32.load (offset {off:#x})"
    );
    assert_eq!(m.i32("partial", &[]), 12, "the two loads before the trap ran");
    // `sum8` past the end traps too.
    let Err(crate::error::Unwind::Trap(t)) = m.call("sum8", &[65537]) else {
        panic!("expected a trap")
    };
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(
        m.module.info.wasm[off as usize], 0x2d,
        "the trapping instruction is i32.load8_u (offset {off:#x})"
    );
}

/// Search loops: a load fused with the signed comparison that branches on the loaded value
/// (`I32LoadBrLtS`, `I32LoadBrGtS`, both operand orders), with negative words and an
/// out-of-bounds load that traps with the load's offset.
#[test]
fn fused_load_branches() {
    let m = load(
        r#"(module
          (memory 1)
          ;; words: -5, -1, 0, 3, 7, 7, 100, -2147483648
          (data (i32.const 0) "\fb\ff\ff\ff\ff\ff\ff\ff\00\00\00\00\03\00\00\00\07\00\00\00\07\00\00\00\64\00\00\00\00\00\00\80")
          ;; first index from `i` whose word is not < pivot
          (func (export "up") (param $i i32) (param $pivot i32) (result i32) (local $v i32)
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_s (local.tee $v (i32.load (i32.shl (local.get $i) (i32.const 2)))) (local.get $pivot))))
            (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $v)))
          ;; last index down from `j` whose word is not > pivot (pivot on the left)
          (func (export "down") (param $j i32) (param $pivot i32) (result i32)
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (loop $l
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br_if $l (i32.lt_s (local.get $pivot) (i32.load offset=0 (i32.shl (local.get $j) (i32.const 2))))))
            (local.get $j))
          ;; the same with the comparisons the other way round
          (func (export "up2") (param $i i32) (param $pivot i32) (result i32)
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.gt_s (local.get $pivot) (i32.load offset=0 (i32.shl (local.get $i) (i32.const 2))))))
            (local.get $i))
          (func (export "down2") (param $j i32) (param $pivot i32) (result i32)
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (loop $l
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br_if $l (i32.gt_s (i32.load offset=4 (i32.shl (local.get $j) (i32.const 2))) (local.get $pivot))))
            (local.get $j)))"#,
    );
    m.expect_op("I32LoadBrLtS");
    m.expect_op("I32LoadBrGtS");
    let words = [-5i32, -1, 0, 3, 7, 7, 100, i32::MIN];
    let up = |i: usize, p: i32| {
        (i..words.len()).find(|&k| words[k] >= p).expect("a stop in the data") as i32
    };
    let down = |j: usize, p: i32, off: usize| {
        (0..=j)
            .rev()
            .find(|&k| words.get(k + off).copied().unwrap_or(0) <= p)
            .map_or(-1, |k| k as i32)
    };
    for (i, p) in [(0, -5), (0, -4), (0, 4), (2, 7), (3, 8), (6, 100), (0, 0)] {
        let k = up(i, p);
        let v = words[k as usize];
        assert_eq!(m.i32("up", &[i as i32, p]), k * 1000 + v, "up {i} {p}");
        assert_eq!(m.i32("up2", &[i as i32, p]), k, "up2 {i} {p}");
    }
    for (j, p) in [(6, 7), (6, 6), (7, 0), (4, -1), (5, 100), (3, -1)] {
        assert_eq!(m.i32("down", &[j, p]), down(j as usize, p, 0), "down {j} {p}");
        assert_eq!(m.i32("down2", &[j, p]), down(j as usize, p, 1), "down2 {j} {p}");
    }
    // Every word from index 2 down is > -2^31, so the search walks to index -1: address -4.
    let Err(crate::error::Unwind::Trap(t)) = m.call("down", &[2, i32::MIN as u32 as u64]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(
        m.module.info.wasm[off as usize], 0x28,
        "the trapping instruction is i32.load (offset {off:#x})"
    );
}

/// f64 values that stress the fused float instructions: signed zeros, infinities, NaNs
/// (with a payload), extremes that overflow or underflow, and values whose product rounds
/// differently in a fused multiply-add.
const F64_EDGES: [f64; 14] = [
    0.0,
    -0.0,
    1.0,
    -2.5,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1.0e308,
    -1.0e308,
    f64::MIN_POSITIVE,
    5.0e-324,
    1.0 + f64::EPSILON,
    1.0 - f64::EPSILON,
    -1.0,
];

/// An f64 operation computed the way a wasm instruction is specified (for expected values).
type F64Op = fn(f64, f64) -> f64;

/// An f64 comparison (for expected branch outcomes).
type F64Cmp = fn(f64, f64) -> bool;

/// Slot bits of `v`, or `None` for a NaN (any NaN is a valid result for a NaN operand).
fn f64_bits_or_nan(v: f64) -> Option<u64> {
    (!v.is_nan()).then_some(v.to_bits())
}

/// Fused f64 chains (`F64<Op1><Op2>`): every pair of add/sub/mul with the intermediate on
/// either side of the second op, over edge values, give bit for bit the results of the two
/// separately rounded ops (not a fused multiply-add); the intermediate is still written,
/// and the second op may read it twice.
#[test]
fn fused_f64_chains() {
    let ops: [(&str, &str, F64Op); 3] =
        [("add", "Add", |x, y| x + y), ("sub", "Sub", |x, y| x - y), ("mul", "Mul", |x, y| x * y)];
    let mut wat = String::from("(module\n");
    for (n1, _, _) in ops {
        for (n2, _, _) in ops {
            // t on the left of the second op, then on the right.
            wat += &format!(
                "(func (export \"{n1}_{n2}_l\") (param $a f64) (param $b f64) (param $c f64) (result f64)
                   (f64.{n2} (f64.{n1} (local.get $a) (local.get $b)) (local.get $c)))
                 (func (export \"{n1}_{n2}_r\") (param $a f64) (param $b f64) (param $c f64) (result f64)
                   (f64.{n2} (local.get $c) (f64.{n1} (local.get $a) (local.get $b))))\n"
            );
        }
    }
    // The intermediate kept in a local and read twice by the second op.
    wat += "(func (export \"tee_t\") (param $a f64) (param $b f64) (result f64) (local $t f64) (local $d f64)
              (local.set $d (f64.mul (local.tee $t (f64.sub (local.get $a) (local.get $b))) (local.get $t)))
              (local.get $t))
            (func (export \"tee_d\") (param $a f64) (param $b f64) (result f64) (local $t f64) (local $d f64)
              (local.set $d (f64.mul (local.tee $t (f64.sub (local.get $a) (local.get $b))) (local.get $t)))
              (local.get $d)))";
    let m = load(&wat);
    for (_, o1, _) in ops {
        for o2 in ["Add", "Sub", "RSub", "Mul"] {
            m.expect_op(&format!("F64{o1}{o2}"));
        }
    }
    for (n1, _, f1) in ops {
        for (n2, _, f2) in ops {
            for &a in &F64_EDGES {
                for &b in &F64_EDGES[..8] {
                    for &c in &[0.0, -0.0, -1.0, f64::INFINITY, f64::NAN, 1.0e308] {
                        let args = [a.to_bits(), b.to_bits(), c.to_bits()];
                        let t = f1(a, b);
                        for (side, want) in [("l", f2(t, c)), ("r", f2(c, t))] {
                            let got = f64::from_bits(
                                m.call(&format!("{n1}_{n2}_{side}"), &args).unwrap(),
                            );
                            assert_eq!(
                                f64_bits_or_nan(got),
                                f64_bits_or_nan(want),
                                "{n1}_{n2}_{side}({a:e}, {b:e}, {c:e})"
                            );
                        }
                    }
                }
            }
        }
    }
    // Rounded twice: (1 + e)(1 - e) rounds to 1, so adding -1 gives +0 (an FMA gives -e²).
    let (a, b) = (1.0 + f64::EPSILON, 1.0 - f64::EPSILON);
    let got = m.call("mul_add_l", &[a.to_bits(), b.to_bits(), (-1.0f64).to_bits()]).unwrap();
    assert_eq!(got, 0.0f64.to_bits());
    assert_eq!(got, (a * b + -1.0).to_bits());
    for (a, b) in [(3.0f64, 1.0f64), (-0.0, 0.0), (f64::INFINITY, 1.0), (1.0e308, -1.0e308)] {
        let t = a - b;
        assert_eq!(
            m.call("tee_t", &[a.to_bits(), b.to_bits()]).unwrap(),
            t.to_bits(),
            "tee_t {a} {b}"
        );
        assert_eq!(
            m.call("tee_d", &[a.to_bits(), b.to_bits()]).unwrap(),
            (t * t).to_bits(),
            "tee_d {a} {b}"
        );
    }
}

/// An f64 add/sub/mul feeding a compare-and-branch (`F64<Op>Br<Cmp>`): every comparison,
/// with the result on either side (mirrored) and negated by `eqz` (the `Not*` forms), jumps
/// exactly when the separate instructions would, NaN and signed zeros included; the result
/// is still written.
#[test]
fn fused_f64_op_branches() {
    let ops: [(&str, &str, F64Op); 3] =
        [("add", "Add", |x, y| x + y), ("sub", "Sub", |x, y| x - y), ("mul", "Mul", |x, y| x * y)];
    let cmps: [(&str, F64Cmp); 4] =
        [("lt", |x, y| x < y), ("gt", |x, y| x > y), ("le", |x, y| x <= y), ("ge", |x, y| x >= y)];
    let mut wat = String::from("(module\n");
    for (n1, _, _) in ops {
        for (c, _) in cmps {
            for (side, cond) in [
                (
                    "l",
                    format!(
                        "(f64.{c} (local.tee $t (f64.{n1} (local.get $a) (local.get $b))) (local.get $c))"
                    ),
                ),
                (
                    "r",
                    format!(
                        "(f64.{c} (local.get $c) (local.tee $t (f64.{n1} (local.get $a) (local.get $b))))"
                    ),
                ),
            ] {
                for (neg, cond) in [("", cond.clone()), ("not_", format!("(i32.eqz {cond})"))] {
                    // 2 when the branch is taken, else 0; plus 1 when `t` holds a NaN.
                    wat += &format!(
                        "(func (export \"{n1}_{neg}{c}_{side}\") (param $a f64) (param $b f64) (param $c f64) (result i32) (local $t f64) (local $r i32)
                           (block $yes
                             (br_if $yes {cond})
                             (local.set $r (i32.const 0))
                             (return (i32.add (local.get $r) (f64.ne (local.get $t) (local.get $t)))))
                           (i32.add (i32.const 2) (f64.ne (local.get $t) (local.get $t))))\n"
                    );
                }
            }
        }
    }
    wat += ")";
    let m = load(&wat);
    for (_, o1, _) in ops {
        for c in ["Lt", "Gt", "Le", "Ge", "NotLt", "NotGt", "NotLe", "NotGe"] {
            m.expect_op(&format!("F64{o1}Br{c}"));
        }
    }
    for (n1, _, f1) in ops {
        for (c, cmp) in cmps {
            for &a in &F64_EDGES {
                for &b in &F64_EDGES[..8] {
                    for &cv in &[0.0, -0.0, 1.0, -1.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
                        let t = f1(a, b);
                        let args = [a.to_bits(), b.to_bits(), cv.to_bits()];
                        for (side, holds) in [("l", cmp(t, cv)), ("r", cmp(cv, t))] {
                            for (neg, taken) in [("", holds), ("not_", !holds)] {
                                let name = format!("{n1}_{neg}{c}_{side}");
                                let want = 2 * taken as i32 + t.is_nan() as i32;
                                let got = m.call(&name, &args).unwrap() as u32 as i32;
                                assert_eq!(got, want, "{name}({a:e}, {b:e}, {cv:e})");
                            }
                        }
                    }
                }
            }
        }
    }
}

/// f64 loads added to an accumulator (`F64LoadAcc`, accumulator on either side): sums of
/// edge values (NaN, ±0, inf, overflow) match separate ops, the loaded value stays in its
/// slot, and an out-of-bounds load traps with the load's wasm offset.
#[test]
fn fused_f64_accumulating_loads() {
    let m = load(
        r#"(module
          (memory 1)
          (func (export "put") (param $i i32) (param $v f64) (f64.store (local.get $i) (local.get $v)))
          (func (export "sum") (param $base i32) (param $n i32) (param $s f64) (result f64)
            (block $done (loop $l
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $s (f64.add (local.get $s) (f64.load offset=8 (local.get $base))))
              (local.set $base (i32.add (local.get $base) (i32.const 8)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $l)))
            (local.get $s))
          (func (export "sum_r") (param $base i32) (param $n i32) (param $s f64) (result f64)
            (block $done (loop $l
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $s (f64.add (f64.load (local.get $base)) (local.get $s)))
              (local.set $base (i32.add (local.get $base) (i32.const 8)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $l)))
            (local.get $s))
          (func (export "last") (param $i i32) (result f64) (local $t f64) (local $s f64)
            (local.set $s (f64.add (local.get $s) (local.tee $t (f64.load (local.get $i)))))
            (local.get $t)))"#,
    );
    m.expect_op("F64LoadAcc");
    let sets: [&[f64]; 5] = [
        &[1.5, -0.25, 1.0e308, 1.0e308],
        &[-0.0, -0.0],
        &[f64::INFINITY, f64::NEG_INFINITY, 1.0],
        &[f64::NAN, 2.0],
        &[0.1, 0.2, 0.3, f64::MIN_POSITIVE, 5.0e-324],
    ];
    for vals in sets {
        for (i, v) in vals.iter().enumerate() {
            m.call("put", &[8 + 8 * i as u64, v.to_bits()]).unwrap();
        }
        let n = vals.len() as u64;
        for start in [0.0f64, -0.0] {
            let want = vals.iter().fold(start, |s, &v| s + v);
            let got = f64::from_bits(m.call("sum", &[0, n, start.to_bits()]).unwrap());
            assert_eq!(f64_bits_or_nan(got), f64_bits_or_nan(want), "sum {vals:?} from {start}");
            let want_r = vals.iter().fold(start, |s, &v| v + s);
            let got = f64::from_bits(m.call("sum_r", &[8, n, start.to_bits()]).unwrap());
            assert_eq!(
                f64_bits_or_nan(got),
                f64_bits_or_nan(want_r),
                "sum_r {vals:?} from {start}"
            );
        }
    }
    let nan = 0x7ff8_0000_dead_beefu64;
    m.call("put", &[16, nan]).unwrap();
    assert_eq!(m.call("last", &[16]).unwrap(), nan, "the loaded bits stay in their slot");
    assert_eq!(m.call("last", &[65528]).unwrap(), 0);
    let Err(crate::error::Unwind::Trap(t)) = m.call("last", &[65529]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(
        m.module.info.wasm[off as usize], 0x2b,
        "the trapping instruction is f64.load (offset {off:#x})"
    );
    let Err(crate::error::Unwind::Trap(t)) = m.call("sum", &[65528, 1, 0]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
}

/// f64 add/sub/mul whose result is stored (`F64{Add,Sub,Mul}Store`): the stored bits and
/// the result slot match separate ops (NaN, ±0, inf), and an out-of-bounds store traps with
/// the store's wasm offset after nothing was written.
#[test]
fn fused_f64_op_stores() {
    let m = load(
        r#"(module
          (memory 1)
          (func (export "get") (param $i i32) (result f64) (f64.load (local.get $i)))
          (func (export "add") (param $i i32) (param $a f64) (param $b f64) (result f64) (local $r f64)
            (f64.store offset=8 (local.get $i) (local.tee $r (f64.add (local.get $a) (local.get $b))))
            (local.get $r))
          (func (export "sub") (param $i i32) (param $a f64) (param $b f64) (result f64) (local $r f64)
            (f64.store offset=8 (local.get $i) (local.tee $r (f64.sub (local.get $a) (local.get $b))))
            (local.get $r))
          (func (export "mul") (param $i i32) (param $a f64) (param $b f64) (result f64) (local $r f64)
            (f64.store offset=8 (local.get $i) (local.tee $r (f64.mul (local.get $a) (local.get $b))))
            (local.get $r)))"#,
    );
    let ops: [(&str, &str, F64Op); 3] =
        [("add", "Add", |x, y| x + y), ("sub", "Sub", |x, y| x - y), ("mul", "Mul", |x, y| x * y)];
    for (name, op, f) in ops {
        m.expect_op(&format!("F64{op}Store"));
        for &a in &F64_EDGES {
            for &b in &F64_EDGES {
                let want = f64_bits_or_nan(f(a, b));
                let r = m.call(name, &[16, a.to_bits(), b.to_bits()]).unwrap();
                assert_eq!(f64_bits_or_nan(f64::from_bits(r)), want, "{name}({a:e}, {b:e})");
                assert_eq!(
                    m.call("get", &[24]).unwrap(),
                    r,
                    "{name}({a:e}, {b:e}) stores its result"
                );
            }
        }
        let Err(crate::error::Unwind::Trap(t)) =
            m.call(name, &[65521, 1.0f64.to_bits(), 2.0f64.to_bits()])
        else {
            panic!("expected a trap")
        };
        assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
        let off = t.backtrace()[0].wasm_offset.expect("an offset");
        assert_eq!(
            m.module.info.wasm[off as usize], 0x39,
            "the trapping instruction is f64.store (offset {off:#x})"
        );
        assert_eq!(m.call("get", &[65528]).unwrap(), 0, "a trapping store writes nothing");
    }
}

/// Loop rotation: a back-edge `Br` is replaced by a copy of the loop head up to its first
/// branch into the loop (the listing holds the head twice); results are unchanged (also for
/// loops the translator already rotated), a trap in a copied instruction reports the
/// original's wasm offset, and `br_table` entries that jump back stay in place.
#[test]
fn rotated_loops() {
    let m = load(
        r#"(module
          (memory 1)
          (data (i32.const 0) "\05\00\00\00\07\00\00\00\00\00\00\00\03\00\00\00\c8\00\00\00")
          (data (i32.const 65524) "\01\00\00\00\02\00\00\00\03\00\00\00")
          (func (export "collatz") (param $n i32) (result i32) (local $steps i32)
            (block $done
              (loop $l
                (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
                (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
                (if (i32.and (local.get $n) (i32.const 1))
                  (then
                    (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1)))
                    (br $l)))
                (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))
                (br $l)))
            (local.get $steps))
          (func (export "walk") (param $p i32) (result i32) (local $x i32) (local $s i32)
            (block $done
              (loop $l
                (local.set $x (i32.load (local.get $p)))
                (br_if $done (i32.eqz (local.get $x)))
                (if (i32.gt_u (local.get $x) (i32.const 100))
                  (then (return (i32.const 1000000))))
                (local.set $s (i32.add (local.get $s) (local.get $x)))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $l)))
            (local.get $s))
          (func (export "table") (param $n i32) (result i32) (local $k i32)
            (block $out
              (loop $l
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br_table $l $out (i32.eqz (local.get $n)))))
            (local.get $k)))"#,
    );
    let listing = m.listing();
    let loads = listing.matches(" i32_load ").count() + listing.matches(" i32_load_r ").count();
    assert_eq!(loads, 2, "walk's head is copied:\n{listing}");
    for n in [0, 1, 2, 3, 7, 27, 97, 871] {
        let (mut x, mut steps) = (n as u32, 0);
        while x > 1 {
            steps += 1;
            x = if x & 1 == 1 { x * 3 + 1 } else { x / 2 };
        }
        assert_eq!(m.i32("collatz", &[n]), steps, "collatz {n}");
    }
    assert_eq!(m.i32("walk", &[0]), 12);
    assert_eq!(m.i32("walk", &[4]), 7);
    assert_eq!(m.i32("walk", &[12]), 1000000);
    assert_eq!(m.i32("walk", &[16]), 1000000);
    // 1 + 2 + 3, then the load at 65536 (a copied instruction) is out of bounds.
    let Err(crate::error::Unwind::Trap(t)) = m.call("walk", &[65524]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
    let off = t.backtrace()[0].wasm_offset.expect("an offset");
    assert_eq!(
        m.module.info.wasm[off as usize], 0x28,
        "the trapping instruction is i32.load (offset {off:#x})"
    );
    for n in [1, 2, 10] {
        assert_eq!(m.i32("table", &[n]), n, "table {n}");
    }
}

/// f64 chains whose result a multiplication reads (`F64<Op1><Op2>Mul`): every chain, with
/// the product's other operand a slot on either side or the chain's result itself (a
/// square), matches three separately rounded ops over edge values.
#[test]
fn fused_f64_chain_muls() {
    let ops: [(&str, &str, F64Op); 3] =
        [("add", "Add", |x, y| x + y), ("sub", "Sub", |x, y| x - y), ("mul", "Mul", |x, y| x * y)];
    let mut wat = String::from("(module\n");
    for (n1, _, _) in ops {
        for (n2, _, _) in ops {
            wat += &format!(
                "(func (export \"{n1}_{n2}_l\") (param $a f64) (param $b f64) (param $c f64) (param $g f64) (result f64)
                   (f64.mul (f64.{n2} (f64.{n1} (local.get $a) (local.get $b)) (local.get $c)) (local.get $g)))
                 (func (export \"{n1}_{n2}_r\") (param $a f64) (param $b f64) (param $c f64) (param $g f64) (result f64)
                   (f64.mul (local.get $g) (f64.{n2} (local.get $c) (f64.{n1} (local.get $a) (local.get $b)))))
                 (func (export \"{n1}_{n2}_sq\") (param $a f64) (param $b f64) (param $c f64) (param $g f64) (result f64) (local $d f64)
                   (local.set $d (f64.{n2} (f64.{n1} (local.get $a) (local.get $b)) (local.get $c)))
                   (f64.mul (local.get $d) (local.get $d)))\n"
            );
        }
    }
    wat += ")";
    let m = load(&wat);
    for (_, o1, _) in ops {
        for o2 in ["Add", "Sub", "RSub", "Mul"] {
            m.expect_op(&format!("F64{o1}{o2}Mul"));
        }
    }
    let gs = [1.0, -0.0, f64::INFINITY, f64::NAN, 1.0e300];
    for (n1, _, f1) in ops {
        for (n2, _, f2) in ops {
            for &a in &F64_EDGES {
                for &b in &F64_EDGES[..8] {
                    for &c in &[0.0, -0.0, -1.0, f64::INFINITY, f64::NAN] {
                        for &g in &gs {
                            let args = [a.to_bits(), b.to_bits(), c.to_bits(), g.to_bits()];
                            let t = f1(a, b);
                            let (dl, dr) = (f2(t, c), f2(c, t));
                            for (side, want) in [("l", dl * g), ("r", g * dr), ("sq", dl * dl)] {
                                let got = f64::from_bits(
                                    m.call(&format!("{n1}_{n2}_{side}"), &args).unwrap(),
                                );
                                assert_eq!(
                                    f64_bits_or_nan(got),
                                    f64_bits_or_nan(want),
                                    "{n1}_{n2}_{side}({a:e}, {b:e}, {c:e}, {g:e})"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The listing names each instruction as declared and prints each operand by its role:
/// slots as `s<n>`, absolute branch targets as `@<n>`, immediates as numbers.
#[test]
fn disassembly_prints_names_and_operand_roles() {
    let m = load(
        r#"(module
          (global $g (mut i32) (i32.const 0))
          (func (export "f") (param i32) (result i32)
            (block $skip
              (br_if $skip (i32.eqz (local.get 0)))
              (global.set $g (i32.mul (local.get 0) (i32.const 7))))
            (i32.add (local.get 0) (global.get $g))))"#,
    );
    let listing = m.listing();
    let ops: Vec<&str> =
        listing.lines().skip(1).map(|l| l.trim_start().split_once("  ").unwrap().1).collect();
    assert_eq!(
        ops,
        [
            "br_if_eqz cond=s0 target=@3",
            "i32_mul_imm dst=s1 a=s0 imm=7",
            "global_set_r global=0",
            "global_get dst=s2 global=0",
            "i32_add_r dst=s1 b=s0",
            "ret_slot src=s1",
        ],
        "{listing}"
    );
    assert_eq!(m.i32("f", &[3]), 3 + 21);
    assert_eq!(m.i32("f", &[0]), 21, "the global keeps its value");
}

/// `v128` values take two consecutive slots: parameters, locals, results, operand-stack
/// entries, globals, `select`, block results and call arguments move them whole, and the
/// array-call entry converts them from and to 16-byte `ValRaw`s.
#[test]
fn v128_values_take_two_slots() {
    let m = load(
        r#"(module
          (global $g (mut v128) (v128.const i64x2 0 0))
          (func $id (param v128) (result v128) (local.get 0))
          (func (export "swap") (param v128 i32) (result i32 v128) (local.get 1) (local.get 0))
          (func (export "pick") (param v128 v128 i32) (result v128)
            (local $t v128)
            (local.set $t (select (local.get 0) (local.get 1) (local.get 2)))
            (global.set $g (local.get $t))
            (block (result v128) (br 0 (call $id (global.get $g))))))"#,
    );
    let swap = m.module.interp().expect("interpreted").disassemble(1).expect("swap");
    let ops: Vec<&str> =
        swap.lines().skip(1).map(|l| l.trim_start().split_once("  ").unwrap().1).collect();
    // v128 parameter in s0-s1, i32 in s2; results: i32 in s0, v128 in s1-s2 (the parameters
    // are saved first, since the results overwrite them).
    assert_eq!(
        ops,
        [
            "copy dst=s3 src=s2",
            "copy128 dst=s4 src=s0",
            "copy dst=s0 src=s3",
            "copy128 dst=s1 src=s4",
            "ret"
        ],
        "{swap}"
    );
    assert!(swap.starts_with("func[1] params=3 locals=3 frame=6"), "{swap}");

    let export = |name: &str| {
        // SAFETY: the instance is owned by `m.store`, which is alive.
        let Some(Extern::Func(f)) = (unsafe { &*m.inst }).get_export(name) else {
            panic!("{name} is exported")
        };
        f
    };
    let (a, b) = (0x0f0e0d0c_0b0a0908_07060504_03020100u128, u128::MAX / 3);
    let mut slots = [ValRaw::from_v128(a), ValRaw::from_bits(0xffff_ffff_0000_002a)];
    // SAFETY: a live funcref of the store; two slots cover its parameters and results.
    unsafe { crate::call::invoke(&m.store, export("swap"), &mut slots) }.expect("swap runs");
    assert_eq!((slots[0].bits() as u32, slots[1].v128()), (42, a));

    for (cond, want) in [(1, a), (0, b)] {
        let mut slots = [ValRaw::from_v128(a), ValRaw::from_v128(b), ValRaw::from_bits(cond)];
        // SAFETY: as above.
        unsafe { crate::call::invoke(&m.store, export("pick"), &mut slots) }.expect("pick runs");
        assert_eq!(slots[0].v128(), want, "select with condition {cond}");
        // SAFETY: the instance is live; global 0 is the v128 global.
        let g = unsafe { (*(&*m.inst).globals[0]).get().v128() };
        assert_eq!(g, want, "the global holds the selected value");
    }
}

/// Exceptions caught without a reference (`catch`, `catch_all`, a legacy catch that does
/// not rethrow) are released from the store's arena; ones caught by `catch_ref` stay (wasm
/// holds a reference).
#[test]
fn caught_exceptions_are_released_unless_referenced() {
    let wat = r#"
        (module
          (tag $e (param i32))
          (func $throw (param i32) (throw $e (local.get 0)))
          (func (export "loop") (param $n i32) (result i32) (local $sum i32)
            (loop $next
              (block $h (result i32)
                (try_table (catch $e $h) (call $throw (local.get $n)))
                (i32.const 0))
              (local.set $sum (i32.add (local.get $sum)))
              try
                (call $throw (i32.const 1))
              catch_all
              end
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $sum))
          (func (export "keep") (result i32)
            (block $h (result i32 exnref)
              (try_table (catch_ref $e $h) (call $throw (i32.const 5)))
              (unreachable))
            (drop)))
    "#;
    let wasm = wat::parse_str(wat).expect("valid wat");
    let features = crate::CoreFeatures::V2.union(crate::CoreFeatures::EXCEPTIONS);
    let info = decode(&wasm, DecodeOptions { features, keep_custom_sections: false })
        .expect("valid module");
    let module = eager(info);
    let store = Store::new(StoreConfig::default());
    let no_imports = |_: &str, _: &str| None;
    let inst = instantiate(&store, module, &no_imports, None).expect("instantiates");
    // SAFETY: the instance is owned by `store`, which is alive.
    let export = |name: &str| match unsafe { &*inst }.get_export(name) {
        Some(Extern::Func(f)) => f,
        _ => panic!("{name} is exported"),
    };
    let mut slots = [ValRaw::from_bits(1000)];
    // SAFETY: a live funcref of `store` taking and returning one i32.
    unsafe { crate::call::invoke(&store, export("loop"), &mut slots) }.expect("runs");
    assert_eq!(slots[0].bits() as u32, 1000 * 1001 / 2);
    assert_eq!(store.exceptions.borrow().live(), 0);
    let mut slots = [ValRaw::default()];
    // SAFETY: a live funcref of `store` returning one i32.
    unsafe { crate::call::invoke(&store, export("keep"), &mut slots) }.expect("runs");
    assert_eq!(slots[0].bits() as u32, 5);
    assert_eq!(store.exceptions.borrow().live(), 1);
}

/// A callee's declared locals start at zero on every call path of `call`: few locals (the
/// fast path zeroes 8 slots), more than 8 (the general path), and constant slots, each run
/// where an earlier callee left other values in the same stack slots.
#[test]
fn callee_locals_start_at_zero_over_a_dirty_stack() {
    let m = load(
        r#"(module
          (func $dirty (param i64) (result i64)
            (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local.set 1 (local.get 0)) (local.set 2 (local.get 0)) (local.set 3 (local.get 0))
            (local.set 4 (local.get 0)) (local.set 5 (local.get 0)) (local.set 6 (local.get 0))
            (local.set 7 (local.get 0)) (local.set 8 (local.get 0)) (local.set 9 (local.get 0))
            (local.set 10 (local.get 0)) (local.set 11 (local.get 0)) (local.set 12 (local.get 0))
            (i64.add (local.get 1) (local.get 12)))
          (func $few (param i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64)
            (i64.add (local.get 0)
              (i64.or (i64.or (i64.or (local.get 1) (local.get 2)) (i64.or (local.get 3) (local.get 4)))
                      (i64.or (i64.or (local.get 5) (local.get 6)) (i64.or (local.get 7) (local.get 8))))))
          (func $many (param i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (i64.add (local.get 0) (i64.or (local.get 1) (local.get 10))))
          (func $consts (param i64) (result i64) (local i64)
            (i64.add (i64.add (local.get 1) (i64.const 0x1234567890))
                     (i64.mul (local.get 0) (i64.const 0x2345678901))))
          (func (export "run") (result i32)
            (drop (call $dirty (i64.const -1)))
            (if (i64.ne (call $few (i64.const 7)) (i64.const 7)) (then (return (i32.const 1))))
            (drop (call $dirty (i64.const -1)))
            (if (i64.ne (call $many (i64.const 7)) (i64.const 7)) (then (return (i32.const 2))))
            (drop (call $dirty (i64.const -1)))
            (if (i64.ne (call $consts (i64.const 1)) (i64.const 0x3579be0191))
              (then (return (i32.const 3))))
            (i32.const 0)))"#,
    );
    assert_eq!(m.i32("run", &[]), 0);
}

/// Operand forwarding (`interp::forward`): consumers of their predecessor's result read it
/// from the register, give the results of the plain forms, trap at their own offsets, and
/// an instruction that a branch targets keeps reading its slot.
#[test]
fn forwarded_operands() {
    let m = load(
        r#"(module
          (memory 1)
          (data (i32.const 0) "\07\f3\10\00\2a\00\00\00\ff\ff\ff\ff")
          ;; A decoder's step: load an instruction, cut a bit field, index a table.
          (func (export "decode") (param $p i32) (result i32)
            (i32.load8_u offset=4
              (i32.shl (i32.and (i32.shr_u (i32.load (local.get $p)) (i32.const 4)) (i32.const 1))
                       (i32.const 2))))
          (func (export "fields") (param $p i32) (result i32)
            (i32.add (i32.and (i32.shr_u (i32.load8_u (local.get $p)) (i32.const 1)) (i32.const 3))
                     (i32.add (i32.load8_u offset=1 (local.get $p)) (i32.const 100))))
          (func (export "wide") (param $p i32) (result i64)
            (i64.add (i64.load32_u (i32.add (local.get $p) (i32.const 4)))
                     (i64.load (i32.and (local.get $p) (i32.const 8)))))
          (func (export "cmp") (param $x i32) (param $n i32) (result i32) (local $r i32)
            (block $a (br_if $a (i32.lt_u (i32.mul (local.get $x) (local.get $x)) (local.get $n)))
              (local.set $r (i32.or (local.get $r) (i32.const 1))))
            (block $b (br_if $b (i32.gt_s (local.get $n) (i32.mul (local.get $x) (local.get $x))))
              (local.set $r (i32.or (local.get $r) (i32.const 2))))
            (block $c (br_if $c (i32.ge_s (i32.add (local.get $x) (local.get $n)) (i32.const 5)))
              (local.set $r (i32.or (local.get $r) (i32.const 4))))
            (block $d (br_if $d (i32.eq (local.get $n) (i32.sub (local.get $x) (i32.const 3))))
              (local.set $r (i32.or (local.get $r) (i32.const 8))))
            (local.get $r))
          (func (export "stores") (param $p i32) (param $x i32) (result i64)
            (i32.store8 offset=16 (local.get $p) (i32.add (local.get $x) (i32.const 1)))
            (i32.store offset=20 (local.get $p) (i32.mul (local.get $x) (local.get $x)))
            (i64.store offset=24 (local.get $p) (i64.load (i32.const 0)))
            (i64.store offset=32 (local.get $p)
              (i64.extend_i32_u (i32.add (i32.rem_u (local.get $x) (i32.const 7)) (i32.const 1))))
            (i64.add (i64.load offset=32 (local.get $p))
              (i64.add (i64.add (i64.load8_u offset=16 (local.get $p))
                                (i64.load32_u offset=20 (local.get $p)))
                       (i64.load offset=24 (local.get $p)))))
          ;; Lua's dispatch: a jump table's entry, indexed by a masked and scaled opcode.
          (func (export "jump") (param $x i32) (result i32)
            (block $c (block $b (block $a
              (br_table $a $b $c
                (i32.add (i32.load (i32.shl (i32.and (local.get $x) (i32.const 1)) (i32.const 2)))
                         (i32.const -42))))
              (return (i32.const 10)))
              (return (i32.const 20)))
            (i32.const 30))
          ;; Each operator's left (or, commuted, right) operand is its predecessor's result.
          (func (export "chain") (param $x i32) (param $y i32) (result i32)
            (i32.shr_s
              (i32.mul
                (i32.xor
                  (i32.or
                    (i32.shr_s
                      (i32.shr_u
                        (i32.shl
                          (i32.xor
                            (i32.or (local.get $x)
                              (i32.and
                                (i32.mul (local.get $y)
                                  (i32.sub (i32.add (local.get $x) (local.get $y)) (local.get $y)))
                                (local.get $x)))
                            (local.get $y))
                          (local.get $y))
                        (local.get $x))
                      (local.get $y))
                    (i32.const 0x100))
                  (i32.const -0x55))
                (i32.const 0x1001))
              (i32.const 3)))
          (func (export "chain64") (param $x i64) (param $y i64) (result i64)
            (i64.shr_u
              (i64.shl
                (i64.and
                  (i64.add
                    (i64.shr_u
                      (i64.shl
                        (i64.xor
                          (i64.or (local.get $x)
                            (i64.and (local.get $y)
                              (i64.sub (i64.add (local.get $x) (local.get $y)) (local.get $y))))
                          (local.get $y))
                        (local.get $y))
                      (local.get $x))
                    (i64.const -0x1234))
                  (i64.const 0x7fff_ffff_fff0))
                (i64.const 3))
              (i64.const 1)))
          (func (export "masked") (param $p i32) (result i32)
            (i32.load (i32.and (local.get $p) (i32.const 4))))
          (func (export "switch") (param $x i32) (result i32)
            (block $c (block $b (block $a
              (br_table $a $b $c (i32.and (i32.add (local.get $x) (i32.const 1)) (i32.const 3))))
              (return (i32.const 10)))
              (return (i32.const 20)))
            (i32.const 30))
          (func (export "test") (param $x i32) (result i32)
            (if (result i32) (i32.eqz (i32.and (local.get $x) (i32.const 6)))
              (then (i32.const 1)) (else (i32.const 2))))
          (func (export "sum_test") (param $x i32) (result i32)
            (block $b (br_if $b (i32.add (local.get $x) (i32.const 1))) (return (i32.const 5)))
            (i32.const 7))
          ;; The loop's first instruction reads `$x`, written just before the loop: as a
          ;; branch target it must read the slot (the register then holds `$t`).
          (func (export "loop_head") (param $n i32) (result i32) (local $x i32) (local $s i32) (local $t i32)
            (local.set $x (i32.add (local.get $n) (i32.const 0)))
            (loop $l
              (local.set $s (i32.add (local.get $s) (local.get $x)))
              (local.set $x (i32.sub (local.get $x) (i32.const 1)))
              (local.set $t (i32.mul (local.get $x) (i32.const 7)))
              (br_if $l (local.get $x)))
            (i32.add (local.get $s) (local.get $t))))"#,
    );
    let listing = m.listing();
    for op in [
        "i32_load_r",
        "i32_load8_u_r",
        "i64_load32_u_r",
        "i64_load_r",
        "i32_add_r",
        "i32_add_imm_r",
        "i32_and_imm_r",
        "i32_shl_imm_r",
        "i32_shr_u_and_imm_r",
        "br_table_r",
        "br_if_nez_r",
        "br_i32_lt_u_r",
        "br_i32_lt_s_r",
        "br_i32_ge_s_imm_r",
        "br_i32_eq_r",
        "i32_store8_r",
        "i32_store_r",
        "i64_store_r",
    ] {
        assert!(listing.contains(&format!(" {op} ")), "{op} in\n{listing}");
    }
    let mem = [7u8, 0xf3, 0x10, 0, 0x2a, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
    let byte = |i: usize| mem.get(i).copied().unwrap_or(0) as u32;
    let word = |i: usize| (0..4).fold(0u32, |w, k| w | byte(i + k) << (8 * k));
    for p in 0..8 {
        let index = (((word(p) >> 4) & 1) << 2) as usize;
        assert_eq!(m.i32("decode", &[p as i32]) as u32, byte(index + 4), "decode {p}");
        let fields = ((byte(p) >> 1) & 3) + byte(p + 1) + 100;
        assert_eq!(m.i32("fields", &[p as i32]) as u32, fields, "fields {p}");
        assert_eq!(m.i32("masked", &[p as i32]) as u32, word(p & 4), "masked {p}");
    }
    let dword = |i: usize| (0..8).fold(0u64, |w, k| w | (byte(i + k) as u64) << (8 * k));
    let wide = m.call("wide", &[0]).ok().unwrap();
    assert_eq!(wide, word(4) as u64 + dword(0));
    for x in 0..8 {
        let want = [10, 20, 30, 30][((x + 1) & 3) as usize];
        assert_eq!(m.i32("switch", &[x]), want, "switch {x}");
        assert_eq!(m.i32("test", &[x]), if x & 6 == 0 { 1 } else { 2 }, "test {x}");
        assert_eq!(m.i32("sum_test", &[x - 4]), if x == 3 { 5 } else { 7 }, "sum_test {x}");
        assert_eq!(m.i32("jump", &[x]), if x & 1 == 1 { 10 } else { 30 }, "jump {x}");
    }
    for n in [1, 2, 5, 10] {
        assert_eq!(m.i32("loop_head", &[n]), n * (n + 1) / 2, "loop_head {n}");
    }
    for x in [-70000i32, -3, 0, 1, 2, 3, 4, 9, 46341, 70000] {
        for n in [-5, 0, 1, 4, 5, 9, 10, 100, i32::MIN, i32::MAX] {
            let sq = x.wrapping_mul(x);
            // Each bit is set when its branch is not taken.
            let want = ((sq as u32) >= n as u32) as i32
                | ((n <= sq) as i32) << 1
                | ((x.wrapping_add(n) < 5) as i32) << 2
                | ((n != x.wrapping_sub(3)) as i32) << 3;
            assert_eq!(m.i32("cmp", &[x, n]), want, "cmp {x} {n}");
        }
    }
    for (x, y) in [(0i32, 0i32), (1, 2), (-7, 3), (123456, -9), (i32::MIN, 31), (0x7f, 33)] {
        let t = x.wrapping_add(y).wrapping_sub(y);
        let t = x | (y.wrapping_mul(t) & x);
        let t = ((t ^ y).wrapping_shl(y as u32) as u32).wrapping_shr(x as u32) as i32;
        let t = ((t.wrapping_shr(y as u32) | 0x100) ^ -0x55).wrapping_mul(0x1001) >> 3;
        assert_eq!(m.i32("chain", &[x, y]), t, "chain {x} {y}");
    }
    for (x, y) in [(0u64, 0u64), (1, 2), (u64::MAX - 6, 3), (1 << 40, 65), (0x1234_5678_9abc, 7)] {
        let t = x.wrapping_add(y).wrapping_sub(y);
        let t = (x | (y & t)) ^ y;
        let t = t.wrapping_shl(y as u32).wrapping_shr(x as u32);
        let t = (t.wrapping_add(-0x1234i64 as u64) & 0x7fff_ffff_fff0).wrapping_shl(3) >> 1;
        assert_eq!(m.call("chain64", &[x, y]).ok().unwrap(), t, "chain64 {x} {y}");
    }
    for (p, x) in [(0u64, 0i32), (1, 255), (2, 70000), (3, -1)] {
        let want = ((x.wrapping_add(1) as u8) as u64)
            .wrapping_add(x.wrapping_mul(x) as u32 as u64)
            .wrapping_add(dword(0))
            .wrapping_add((x as u32 % 7 + 1) as u64);
        assert_eq!(m.call("stores", &[p, x as u32 as u64]).ok().unwrap(), want, "stores {p} {x}");
    }
    // A forwarded load traps at its own wasm offset, out of bounds.
    let Err(crate::error::Unwind::Trap(t)) = m.call("decode", &[65534]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds);
}

/// Tail duplication of switch dispatch (`interp::tail_dup`): a bytecode interpreter whose
/// cases end in a `br` to the fetch-and-decode code, reached straight from the loop head
/// or through a second `br`, with a bounds check on the way, runs its programs as the
/// plain `br_table` does, through copies that read the original table (every case, the
/// default for an out-of-range opcode, the trap of a fetch past the end of memory), with
/// the index in a slot (`run`) or forwarded from the instruction before (`run_r`).
#[test]
fn duplicated_dispatch() {
    const RUN: &str = r#"
          (func (export "NAME") (param $pc i32) (param $acc i32) (result i32)
            (local $op i32) (local $arg i32) (local $steps i32)
            (block $halt
              (loop $fetch
                (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
                (br_if $halt (i32.gt_u (local.get $steps) (i32.const 1000)))
                (local.set $op (OP))
                (local.set $arg (i32.load8_u offset=1 (local.get $pc)))
                (block $next
                  (block $other (block $jnz (block $shr (block $sub (block $mul (block $add
                    (br_table $halt $add $mul $sub $shr $jnz $other (INDEX)))
                    (local.set $acc (i32.add (local.get $acc) (local.get $arg)))
                    (br $next))
                    (local.set $acc (i32.mul (local.get $acc) (local.get $arg)))
                    (br $next))
                    (local.set $acc (i32.sub (local.get $acc) (local.get $arg)))
                    (br $next))
                    (local.set $acc (i32.shr_u (local.get $acc) (local.get $arg)))
                    (br $next))
                    (if (local.get $acc) (then (local.set $pc (local.get $arg)) (br $fetch)))
                    (br $next))
                  (local.set $acc (i32.xor (local.get $acc) (i32.const 0x5a5a))))
                (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
                (br $fetch)))
            (i32.add (i32.mul (local.get $steps) (i32.const 0x10000)) (local.get $acc)))"#;
    let load_op = "i32.load8_u (local.get $pc)";
    let masked = format!("i32.and ({load_op}) (i32.const 15)");
    let run = RUN.replace("NAME", "run").replace("OP", &masked).replace("INDEX", "local.get $op");
    let run_r = RUN
        .replace("NAME", "run_r")
        .replace("OP", load_op)
        .replace("INDEX", "i32.and (local.get $op) (i32.const 15)");
    // ops: 0 halt, 1 acc += arg, 2 acc *= arg, 3 acc -= arg, 4 acc >>= arg (unsigned),
    // 5 jump to arg when acc != 0, any other: acc ^= 0x5a5a (the default).
    let m = load(&format!(
        r#"(module (memory 1)
          (data (i32.const 0) "\01\07\02\03\04\01\03\02\09\00\00\00"
                              "\01\05\03\01\05\0e\00\00\05\14")
          {run} {run_r})"#
    ));
    m.expect_op("BrTableAt");
    m.expect_op("BrTableAtR");
    for f in ["run", "run_r"] {
        // At 0: ((acc + 7) * 3 >> 1) - 2, the default case, halt: 6 steps.
        for acc in [0, 1, 5, 1000] {
            let want = ((((acc + 7) * 3) as u32 >> 1) as i32 - 2) ^ 0x5a5a;
            assert_eq!(m.i32(f, &[0, acc]), 6 * 0x10000 + want, "{f} 0 {acc}");
        }
        // At 12: acc + 5, then acc - 1 and a jump back while acc != 0, halt.
        for acc in [0, 3, 10] {
            let steps = 1 + 2 * (acc + 5) + 1;
            assert_eq!(m.i32(f, &[12, acc]), steps * 0x10000, "{f} 12 {acc}");
        }
        // At 20 a jump to itself: the step limit ends it; a fetch past memory traps.
        assert_eq!(m.i32(f, &[20, 1]), 1001 * 0x10000 + 1, "{f} 20");
        let Err(crate::error::Unwind::Trap(t)) = m.call(f, &[65535, 0]) else {
            panic!("{f}: expected a trap")
        };
        assert_eq!(t.code(), crate::trap::TrapCode::MemoryOutOfBounds, "{f}");
    }
}

/// `call_indirect` (here `CallIndirectCopy`, the copy of its index merged in): its inline
/// path (a translated callee of this instance with few locals) and its general one (first
/// calls, more than 8 locals) give the same results, with the element index after `v128`
/// arguments (two slots each), and every trap: out of bounds, null element, type mismatch,
/// call stack exhausted.
#[test]
fn call_indirect_paths() {
    let m = load(
        r#"(module
          (type $f (func (param i64 v128 i32) (result i64)))
          (type $g (func (param i32) (result i32)))
          (table 5 funcref)
          (elem (i32.const 0) $few $many $other $deep)
          ;; x + lane 1 of v + y
          (func $few (type $f)
            (i64.add (i64.add (local.get 0) (i64x2.extract_lane 1 (local.get 1)))
                     (i64.extend_i32_u (local.get 2))))
          ;; the same through 10 locals
          (func $many (type $f) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
            (local.set 3 (local.get 0))
            (local.set 12 (i64x2.extract_lane 1 (local.get 1)))
            (i64.add (i64.add (local.get 3) (local.get 12)) (i64.extend_i32_u (local.get 2))))
          (func $other (type $g) (local.get 0))
          ;; recursion through the table without end
          (func $deep (type $f)
            (call_indirect (type $f) (local.get 0) (local.get 1) (local.get 2) (i32.const 3)))
          (func (export "call") (param $x i64) (param $y i32) (param $e i32) (result i64)
            (call_indirect (type $f)
              (local.get $x) (v128.const i64x2 5 1000) (local.get $y) (local.get $e))))"#,
    );
    // The last argument (the element index) is copied in by the call itself.
    m.expect_op("CallIndirectCopy");
    for e in [0u64, 1] {
        for _ in 0..3 {
            assert_eq!(m.call("call", &[40, 2, e]).ok(), Some(1042), "element {e}");
        }
    }
    let trap_of = |e: u64| match m.call("call", &[1, 2, e]) {
        Err(crate::error::Unwind::Trap(t)) => t.code(),
        other => panic!("element {e}: expected a trap, got {other:?}"),
    };
    use crate::trap::TrapCode;
    assert_eq!(trap_of(2), TrapCode::IndirectCallTypeMismatch);
    assert_eq!(trap_of(3), TrapCode::CallStackExhausted);
    assert_eq!(trap_of(4), TrapCode::UninitializedElement);
    assert_eq!(trap_of(5), TrapCode::UndefinedElement);
    assert_eq!(m.call("call", &[1, 2, 0]).ok(), Some(1003), "after the traps");
}

/// A `call` whose last argument is copied in by the call itself (`CallCopy`): its inline
/// path, its general one (the first call translates the callee; a callee with more than 8
/// locals), a trap out of recursion whose backtrace names the calls' wasm offsets, and an
/// exception thrown by the callee and caught around the call (regions are found by the
/// call's offset).
#[test]
fn calls_with_a_copied_argument() {
    let m = load(
        r#"(module
          (tag $e (param i32))
          (func $few (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
          (func $many (param i32 i32) (result i32) (local i32 i32 i32 i32 i32 i32 i32 i32 i32)
            (local.set 10 (local.get 1))
            (i32.sub (local.get 0) (local.get 10)))
          (func $deep (param i32 i32) (result i32)
            (call $deep (i32.const 1) (local.get 1)))
          (func $thrower (param i32 i32) (result i32) (throw $e (local.get 1)))
          (func (export "few") (param i32 i32) (result i32)
            (call $few (i32.mul (local.get 0) (i32.const 10)) (local.get 1)))
          (func (export "many") (param i32 i32) (result i32)
            (call $many (i32.mul (local.get 0) (i32.const 10)) (local.get 1)))
          (func (export "deep") (param i32) (result i32)
            (call $deep (i32.const 1) (local.get 0)))
          (func (export "caught") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h)
                (drop (call $thrower (i32.const 1) (local.get 0))))
              (i32.const -1))))"#,
    );
    m.expect_op("CallCopy");
    for (x, y) in [(4i32, 2i32), (0, 7), (-3, i32::MIN)] {
        for _ in 0..3 {
            let want = x.wrapping_mul(10).wrapping_sub(y);
            assert_eq!(m.i32("few", &[x, y]), want, "few {x} {y}");
            assert_eq!(m.i32("many", &[x, y]), want, "many {x} {y}");
        }
    }
    let Err(crate::error::Unwind::Trap(t)) = m.call("deep", &[5]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::CallStackExhausted);
    // Every frame of the backtrace below the innermost is at a `call` (opcode 0x10).
    let frames = t.backtrace();
    assert!(frames.len() > 2, "{frames:?}");
    for f in &frames[1..] {
        let off = f.wasm_offset.expect("an offset");
        assert_eq!(m.module.info.wasm[off as usize], 0x10, "offset {off:#x} is a call");
    }
    for v in [0, 9, -9] {
        assert_eq!(m.i32("caught", &[v]), v, "caught {v}");
    }
}

/// A bit field added to a base (`base + ((i >> 7) & 0xff) * 16`, as a bytecode interpreter
/// finds an operand's register) is one `I32ShrUAndAdd` (`I32ShrUAndAddR` when the field's
/// source was just computed), with the add on either side and shift counts modulo 32; a
/// field kept in a local and added to itself is computed the same way unfused.
#[test]
fn fused_field_plus_base() {
    let m = load(
        r#"(module
          (func (export "reg") (param $i i32) (param $base i32) (result i32) (local $f i32)
            (i32.add (local.get $base)
              (i32.and (i32.shr_u (local.get $i) (i32.const 35)) (i32.const 0xff0))))
          (func (export "reg_r") (param $p i32) (param $base i32) (result i32)
            (i32.add
              (i32.and (i32.shr_u (i32.mul (local.get $p) (i32.const 3)) (i32.const 3))
                       (i32.const 0xff0))
              (local.get $base)))
          (func (export "kept") (param $i i32) (result i32) (local $f i32)
            (local.set $f (i32.and (i32.shr_u (local.get $i) (i32.const 8)) (i32.const 0xff)))
            (i32.xor (i32.add (local.get $f) (local.get $f)) (i32.mul (local.get $f) (i32.const 1000)))))"#,
    );
    m.expect_op("I32ShrUAndAdd");
    m.expect_op("I32ShrUAndAddR");
    for i in [0i32, 1, 0x7f, 0x80, 0x1234_5678, -1, i32::MIN, 0x0fff_ff80] {
        for base in [0i32, 16, -16, i32::MAX] {
            let u = i as u32;
            let want = base.wrapping_add(((u >> 3) & 0xff0) as i32);
            assert_eq!(m.i32("reg", &[i, base]), want, "reg {i:#x} {base}");
            let want = base.wrapping_add((((u.wrapping_mul(3)) >> 3) & 0xff0) as i32);
            assert_eq!(m.i32("reg_r", &[i, base]), want, "reg_r {i:#x} {base}");
        }
        let f = ((i as u32 >> 8) & 0xff) as i32;
        assert_eq!(m.i32("kept", &[i]), (f + f) ^ (f * 1000), "kept {i:#x}");
    }
}

/// The forwarded forms of loads of narrow values, stores of a forwarded value or to a
/// forwarded address, `global.set`, a subtraction's right operand, unsigned division and
/// remainder (with their trap), extension, `i64.eqz` and int-to-float conversions: each
/// present in the translation and computing what the plain instruction computes.
#[test]
fn forwarded_operands_of_more_instructions() {
    let m = load(
        r#"(module
          (memory 1)
          (global $g (mut i32) (i32.const 0))
          (data (i32.const 0) "\07\f3\10\80\2a\00\00\80\ff\fe\ff\7f")
          (func (export "loads") (param $p i32) (result i32)
            (i32.add
              (i32.add
                (i32.load8_s (i32.and (local.get $p) (i32.const 7)))
                (i32.mul (i32.load16_s (i32.and (local.get $p) (i32.const 6))) (i32.const 1000)))
              (i32.mul (i32.load16_u (i32.xor (local.get $p) (i32.const 1))) (i32.const 7))))
          (func (export "stores") (param $p i32) (param $v i32)
            (i32.store16 offset=16 (local.get $p) (i32.add (local.get $v) (i32.const 1)))
            (i32.store offset=20 (i32.and (local.get $p) (i32.const 0xfff0)) (i32.const 0x12345678))
            (i32.store8 offset=24 (i32.and (local.get $p) (i32.const 0xfff0)) (i32.const -3))
            (i32.store16 offset=26 (i32.and (local.get $p) (i32.const 0xfff0)) (i32.const 0x4321)))
          (func (export "peek") (param $a i32) (result i64)
            (i64.load (local.get $a)))
          (func (export "global") (param $x i32) (result i32)
            (global.set $g (i32.add (local.get $x) (i32.const 3)))
            (global.get $g))
          (func (export "rsub") (param $a i32) (param $b i32) (result i32)
            (i32.sub (local.get $a) (i32.add (local.get $b) (i32.const 5))))
          (func (export "divrem") (param $a i32) (param $b i32) (result i32)
            (i32.add
              (i32.mul (i32.div_u (i32.add (local.get $a) (i32.const 1)) (local.get $b)) (i32.const 1000))
              (i32.rem_u (i32.add (local.get $a) (i32.const 2)) (local.get $b))))
          (func (export "ext") (param $x i32) (result i64)
            (i64.extend_i32_u (i32.add (local.get $x) (i32.const 1))))
          (func (export "eqz") (param $x i64) (result i32)
            (i64.eqz (i64.add (local.get $x) (i64.const 1))))
          (func (export "conv") (param $x i32) (result f64)
            (f64.add
              (f64.convert_i32_s (i32.add (local.get $x) (i32.const 1)))
              (f64.promote_f32 (f32.convert_i32_s (i32.add (local.get $x) (i32.const 2)))))))"#,
    );
    for op in [
        "I32Load8SR",
        "I32Load16SR",
        "I32Load16UR",
        "I32Store16R",
        "I32StoreImmR",
        "I32Store8ImmR",
        "I32Store16ImmR",
        "GlobalSetR",
        "I32RsubR",
        "I32DivUR",
        "I32RemUR",
        "I64ExtendI32UR",
        "I64EqzR",
        "F32ConvertI32SR",
        "F64ConvertI32SR",
    ] {
        m.expect_op(op);
    }
    let mem = [7u8, 0xf3, 0x10, 0x80, 0x2a, 0, 0, 0x80, 0xff, 0xfe, 0xff, 0x7f];
    let byte = |i: usize| mem.get(i).copied().unwrap_or(0);
    let half = |i: usize| u16::from_le_bytes([byte(i), byte(i + 1)]);
    for p in 0..12i32 {
        let want = (byte((p & 7) as usize) as i8 as i32)
            .wrapping_add((half((p & 6) as usize) as i16 as i32).wrapping_mul(1000))
            .wrapping_add((half((p ^ 1) as usize) as i32).wrapping_mul(7));
        assert_eq!(m.i32("loads", &[p]), want, "loads {p}");
    }
    m.call("stores", &[0x40, 0xfffe]).ok().unwrap();
    assert_eq!(m.call("peek", &[0x50]).ok().unwrap() & 0xffff, 0xffff);
    let stored = m.call("peek", &[0x54]).ok().unwrap();
    assert_eq!(stored, 0x4321_00fd_1234_5678, "{stored:#x}");
    for x in [0i32, 1, -3, i32::MAX] {
        assert_eq!(m.i32("global", &[x]), x.wrapping_add(3), "global {x}");
        assert_eq!(m.i32("rsub", &[x, 7]), x.wrapping_sub(12), "rsub {x}");
        assert_eq!(m.i32("rsub", &[7, x]), 7i32.wrapping_sub(x.wrapping_add(5)), "rsub' {x}");
        let ext = m.call("ext", &[x as u32 as u64]).ok().unwrap();
        assert_eq!(ext, x.wrapping_add(1) as u32 as u64, "ext {x}");
        let conv = f64::from_bits(m.call("conv", &[x as u32 as u64]).ok().unwrap());
        let want = x.wrapping_add(1) as f64 + x.wrapping_add(2) as f32 as f64;
        assert_eq!(conv, want, "conv {x}");
    }
    for (a, b) in [(0u32, 1u32), (99, 7), (u32::MAX, 10), (5, u32::MAX)] {
        let want = (a.wrapping_add(1) / b).wrapping_mul(1000).wrapping_add(a.wrapping_add(2) % b);
        assert_eq!(m.i32("divrem", &[a as i32, b as i32]) as u32, want, "divrem {a} {b}");
    }
    let Err(crate::error::Unwind::Trap(t)) = m.call("divrem", &[3, 0]) else {
        panic!("expected a trap")
    };
    assert_eq!(t.code(), crate::trap::TrapCode::IntegerDivideByZero);
    for (x, want) in [(u64::MAX, 1), (0, 0), (1 << 40, 0)] {
        assert_eq!(m.call("eqz", &[x]).ok().unwrap(), want, "eqz {x}");
    }
}

/// Subtractions from a constant (`I32RsubImm`, `I64RsubImm`, negation among them) and shift
/// pairs that extract a bit field or sign-extend (`I32ShlShrSImm`, `I32ShlShrUImm`, shift
/// amounts taken modulo 32).
#[test]
fn subtractions_from_constants_and_shift_pairs() {
    let m = load(
        r#"(module
          (func (export "neg") (param $x i32) (result i32)
            (i32.xor (i32.sub (i32.const 0) (local.get $x)) (i32.sub (i32.const 100) (local.get $x))))
          (func (export "neg64") (param $x i64) (result i64)
            (i64.add (i64.sub (i64.const -7) (local.get $x))
                     (i64.sub (i64.const 0x100000000) (local.get $x))))
          (func (export "sext16") (param $x i32) (result i32)
            (i32.shr_s (i32.shl (local.get $x) (i32.const 16)) (i32.const 16)))
          (func (export "field") (param $x i32) (result i32) (local $t i32)
            (i32.add
              (i32.shr_s (local.tee $t (i32.shl (local.get $x) (i32.const 35))) (i32.const 9))
              (i32.mul (local.get $t) (i32.const 3))))
          (func (export "ufield") (param $x i32) (result i32)
            (i32.shr_u (i32.shl (local.get $x) (i32.const 4)) (i32.const 28))))"#,
    );
    for op in ["I32RsubImm", "I64RsubImm", "I32ShlShrSImm", "I32ShlShrUImm"] {
        m.expect_op(op);
    }
    for x in [0i32, 1, -1, 99, 0x8000, -0x8000, i32::MIN, i32::MAX, 0x1234_5678] {
        assert_eq!(m.i32("neg", &[x]), x.wrapping_neg() ^ 100i32.wrapping_sub(x), "neg {x}");
        let x64 = x as i64 * 0x1_0001;
        let want = (-7i64).wrapping_sub(x64).wrapping_add(0x1_0000_0000i64.wrapping_sub(x64));
        assert_eq!(m.call("neg64", &[x64 as u64]).ok().unwrap(), want as u64, "neg64 {x64}");
        assert_eq!(m.i32("sext16", &[x]), x as i16 as i32, "sext16 {x}");
        let t = x.wrapping_shl(3);
        assert_eq!(m.i32("field", &[x]), (t >> 9).wrapping_add(t.wrapping_mul(3)), "field {x}");
        assert_eq!(m.i32("ufield", &[x]), ((x as u32) << 4 >> 28) as i32, "ufield {x}");
    }
}

/// `i32.div_u` and `i32.rem_u` by constants run as multiplies (`I32DivUConst`,
/// `I32RemUConst` and their forwarded forms), with the division's results for edge and
/// pseudo-random dividends and divisors from 1 to the largest; a divisor of 0 stays a
/// division that traps, and a constant dividend (both operands constant) is left alone.
#[test]
fn division_by_constants() {
    let divisors = [1u32, 2, 3, 6, 7, 10, 60, 641, 2001, 65_535, 86_400, 1 << 31, u32::MAX];
    let funcs: String = divisors
        .iter()
        .map(|d| {
            let d = *d as i32;
            format!(
                r#"(func (export "div{d}") (param $x i32) (result i32)
                     (i32.div_u (local.get $x) (i32.const {d})))
                   (func (export "rem{d}") (param $x i32) (result i32)
                     (i32.rem_u (local.get $x) (i32.const {d})))
                   (func (export "div_r{d}") (param $x i32) (result i32)
                     (i32.div_u (i32.xor (local.get $x) (i32.const 0x5a5a)) (i32.const {d})))
                   (func (export "rem_r{d}") (param $x i32) (result i32)
                     (local $t i32)
                     (local.set $t (i32.rem_u (i32.xor (local.get $x) (i32.const 0x5a5a))
                                              (i32.const {d})))
                     (local.get $t))"#
            )
        })
        .collect();
    let m = load(&format!(
        r#"(module {funcs}
          (func (export "by_zero") (param $x i32) (result i32)
            (i32.rem_u (local.get $x) (i32.const 0)))
          (func (export "constant") (result i32)
            (i32.div_u (i32.const 100) (i32.const 7))))"#
    ));
    for op in ["I32DivUConst", "I32RemUConst", "I32DivUConstR", "I32RemUConstR", "I32RemU"] {
        m.expect_op(op);
    }
    let mut seed = 0x2545_f491_u32;
    let mut xs = vec![0u32, 1, 5, 9, 10, 11, 0x7fff_ffff, 0x8000_0000, u32::MAX - 1, u32::MAX];
    for _ in 0..40 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        xs.push(seed);
    }
    for d in divisors {
        let name = |f: &str| format!("{f}{}", d as i32);
        for &x in &xs {
            let y = x ^ 0x5a5a;
            assert_eq!(m.i32(&name("div"), &[x as i32]) as u32, x / d, "{x} / {d}");
            assert_eq!(m.i32(&name("rem"), &[x as i32]) as u32, x % d, "{x} % {d}");
            assert_eq!(m.i32(&name("div_r"), &[x as i32]) as u32, y / d, "{y} / {d}");
            assert_eq!(m.i32(&name("rem_r"), &[x as i32]) as u32, y % d, "{y} % {d}");
        }
    }
    let trap = m.call("by_zero", &[5]).expect_err("traps");
    assert!(format!("{trap:?}").contains("IntegerDivideByZero"), "{trap:?}");
    assert_eq!(m.i32("constant", &[]), 14);
}

/// `thread` gives an instruction the handler specialized for its successor when
/// `specialize` lists the pair (for a `br`, the successor is its target), and the plain
/// handler otherwise; a `br_table` entry still carries its target's handler.
#[test]
fn thread_specializes_listed_pairs_only() {
    use super::super::ir::Op;
    use super::dispatch::{Indirect, thread};
    use super::handlers;
    use super::specialize::specialized;
    let code = vec![
        /* 0 */ Op::Const32 { dst: 0, value: 1 },
        /* 1 */ Op::I32AddImm { dst: 0, a: 0, imm: 1 },
        /* 2 */ Op::Br { target: 5 },
        /* 3 */ Op::F64Add { dst: 0, a: 0, b: 0 },
        /* 4 */ Op::Const32 { dst: 1, value: 2 },
        /* 5 */ Op::F64Add { dst: 0, a: 0, b: 0 },
        /* 6 */ Op::Return,
    ];
    let threaded = thread(code.clone());
    let plain = |i: usize| {
        let h: super::Handler = match code[i] {
            Op::Const32 { .. } => handlers::const32::<Indirect>,
            Op::I32AddImm { .. } => handlers::i32_add_imm::<Indirect>,
            Op::Br { .. } => handlers::br::<Indirect>,
            Op::F64Add { .. } => handlers::f64_add::<Indirect>,
            Op::Return => handlers::ret::<Indirect>,
            _ => unreachable!(),
        };
        h as usize
    };
    let special =
        |i: usize, next: usize| specialized(&code[i], &code[next]).expect("a listed pair") as usize;
    let got = |i: usize| threaded[i].handler as usize;
    // Listed pairs: a constant before an add, an add before a `br`, a `br` (to an f64 add,
    // which no list has) keeps its plain handler.
    assert_eq!(got(0), special(0, 1));
    assert_ne!(got(0), plain(0));
    assert_eq!(got(1), special(1, 2));
    assert!(specialized(&code[2], &code[5]).is_none(), "f64.add is no listed successor");
    assert_eq!(got(2), plain(2));
    // Not a prefix; a prefix before a successor no list has.
    assert_eq!(got(3), plain(3));
    assert_eq!(got(4), plain(4));
    assert_eq!(got(6), plain(6));
    // A `br` to a listed successor is specialized for its target, not the next instruction.
    let jump = vec![Op::Br { target: 2 }, Op::F64Add { dst: 0, a: 0, b: 0 }, Op::Return];
    let threaded = thread(jump.clone());
    assert_eq!(threaded[0].handler as usize, specialized(&jump[0], &jump[2]).unwrap() as usize);
}

/// Branches on i64 comparisons (`BrI64*`): `br_if` on each comparison of two slots and of a
/// slot and a constant, `if` on it (the negated branch), `br_if` on its `i32.eqz`, `br_if` on
/// `i64.eqz` and its `i32.eqz`, and a loop whose i64 exit test is rotated to its end, against
/// Rust's comparisons.
#[test]
fn fused_i64_compare_branches() {
    type Cmp = fn(i64, i64) -> bool;
    let cmps: [(&str, &str, Cmp); 10] = [
        ("eq", "Eq", |x, y| x == y),
        ("ne", "Ne", |x, y| x != y),
        ("lt_s", "LtS", |x, y| x < y),
        ("lt_u", "LtU", |x, y| (x as u64) < y as u64),
        ("gt_s", "GtS", |x, y| x > y),
        ("gt_u", "GtU", |x, y| x as u64 > y as u64),
        ("le_s", "LeS", |x, y| x <= y),
        ("le_u", "LeU", |x, y| x as u64 <= y as u64),
        ("ge_s", "GeS", |x, y| x >= y),
        ("ge_u", "GeU", |x, y| x as u64 >= y as u64),
    ];
    const IMM: i64 = -5;
    let mut wat = String::from(
        r#"(module
          (func (export "br_eqz") (param i64 i64) (result i32)
            (block $b (br_if $b (i64.eqz (local.get 0))) (return (i32.const 0))) (i32.const 1))
          (func (export "br_nez") (param i64 i64) (result i32)
            (block $b (br_if $b (i32.eqz (i64.eqz (local.get 0)))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "count_up") (param i64 i64) (result i32) (local $n i32)
            (block $exit
              (loop $l
                (br_if $exit (i64.ge_u (local.get 0) (local.get 1)))
                (local.set 0 (i64.add (local.get 0) (i64.const 1)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (br $l)))
            (local.get $n))"#,
    );
    for (name, _, _) in &cmps {
        wat += &format!(
            r#"
          (func (export "br_{name}") (param i64 i64) (result i32)
            (block $b (br_if $b (i64.{name} (local.get 0) (local.get 1))) (return (i32.const 0)))
            (i32.const 1))
          (func (export "if_{name}") (param i64 i64) (result i32)
            (if (result i32) (i64.{name} (local.get 0) (local.get 1))
              (then (i32.const 1)) (else (i32.const 0))))
          (func (export "eqz_{name}") (param i64 i64) (result i32)
            (block $b (br_if $b (i32.eqz (i64.{name} (local.get 0) (local.get 1))))
              (return (i32.const 1)))
            (i32.const 0))
          (func (export "imm_{name}") (param i64 i64) (result i32)
            (block $b (br_if $b (i64.{name} (local.get 0) (i64.const {IMM})))
              (return (i32.const 0)))
            (i32.const 1))
          (func (export "imm_if_{name}") (param i64 i64) (result i32)
            (if (result i32) (i64.{name} (local.get 0) (i64.const {IMM}))
              (then (i32.const 1)) (else (i32.const 0))))"#
        );
    }
    wat.push(')');
    let m = load(&wat);
    m.expect_op("BrI64Eqz");
    m.expect_op("BrI64Nez");
    for (_, op, _) in &cmps {
        m.expect_op(&format!("BrI64{op}"));
        m.expect_op(&format!("BrI64{op}Imm"));
    }
    let values = [0, 1, 5, -1, -4, -5, -6, i64::MIN, i64::MAX, 0xffff_ffff, 0x1_0000_0000];
    let call = |name: &str, x: i64, y: i64| {
        let r = m.call(name, &[x as u64, y as u64]);
        r.unwrap_or_else(|e| panic!("{name}({x}, {y}): {e:?}")) as u32
    };
    for x in values {
        assert_eq!(call("br_eqz", x, 0), (x == 0) as u32, "br_eqz {x}");
        assert_eq!(call("br_nez", x, 0), (x != 0) as u32, "br_nez {x}");
        for (name, _, f) in &cmps {
            for y in values {
                let want = f(x, y) as u32;
                assert_eq!(call(&format!("br_{name}"), x, y), want, "br_{name} {x} {y}");
                assert_eq!(call(&format!("if_{name}"), x, y), want, "if_{name} {x} {y}");
                assert_eq!(call(&format!("eqz_{name}"), x, y), want, "eqz_{name} {x} {y}");
            }
            let want = f(x, IMM) as u32;
            assert_eq!(call(&format!("imm_{name}"), x, 0), want, "imm_{name} {x}");
            assert_eq!(call(&format!("imm_if_{name}"), x, 0), want, "imm_if_{name} {x}");
        }
    }
    for (from, to) in [(0, 10), (10, 0), (u64::MAX - 3, u64::MAX), (5, 5)] {
        let want = to.saturating_sub(from) as u32;
        assert_eq!(call("count_up", from as i64, to as i64), want, "count_up {from} {to}");
    }
}
