//! Code compiled with explicit bounds checks ([`BoundsChecks::Explicit`], for hosts where
//! address space is scarce) runs on runtime-support's own instantiation, builtins and trap
//! handling, in memories reserved without a guard region that move when they grow, and
//! does what guard-page code does in the usual 4 GiB reservation: the same values and the
//! same traps for loads and stores of every width at the edges of memory, bulk memory
//! operations, and accesses after `memory.grow` in the same function and in a loop.
//!
//! The public `kiln` API always compiles guard-page code on 64-bit hosts, so this test
//! drives the runtime one layer down.

use crate::module;
use kiln_compiler::{BoundsChecks, CompilerSettings, compile_module, compile_trampolines, link};
use kiln_runtime_support::TrapCode;
use kiln_runtime_support::call::invoke;
use kiln_runtime_support::engine::{Code, Module};
use kiln_runtime_support::error::Unwind;
use kiln_runtime_support::instance::{Extern, InstanceData, instantiate};
use kiln_runtime_support::module::EntityIndex;
use kiln_runtime_support::vm::{CompiledModuleCode, MemoryStyle, Store, StoreConfig, ValRaw};
use std::sync::Arc;

const WAT: &str = r#"
(module
  (memory 1 4)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  (data (i32.const 65528) "\f8\f9\fa\fb\fc\fd\fe\ff")
  (data $passive "a passive segment")

  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "f32.load") (param i32) (result f32) (f32.load (local.get 0)))
  (func (export "f64.load") (param i32) (result f64) (f64.load (local.get 0)))
  (func (export "i32.load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "i32.load16_u") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "i64.load8_s") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "i64.load16_u") (param i32) (result i64) (i64.load16_u (local.get 0)))
  (func (export "i64.load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "i64.load32_u") (param i32) (result i64) (i64.load32_u (local.get 0)))
  (func (export "i32.load_offset") (param i32) (result i32)
    (i32.load offset=65532 (local.get 0)))
  (func (export "i64.load_far") (param i32) (result i64)
    (i64.load offset=0xfffffff0 (local.get 0)))

  (func (export "i32.store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "i32.store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "i32.store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "i64.store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "i64.store32") (param i32 i64) (i64.store32 (local.get 0) (local.get 1)))
  (func (export "f64.store") (param i32 f64) (f64.store (local.get 0) (local.get 1)))

  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "fill") (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32)
    (memory.init $passive (local.get 0) (local.get 1) (local.get 2)))

  ;; A load, a growth, and a load of the new page: the second load must see the memory
  ;; where it is after the growth.
  (func (export "load_grow_load") (param $a i32) (result i32) (local $before i32)
    (local.set $before (i32.load8_u (local.get $a)))
    (drop (memory.grow (i32.const 1)))
    (i32.store8 (i32.add (local.get $a) (i32.const 65536)) (i32.const 0x40))
    (i32.add (local.get $before)
             (i32.load8_u (i32.add (local.get $a) (i32.const 65536)))))

  ;; Grows a page per iteration until `n` pages were added or growth fails, writing and
  ;; reading back each new page's first word; returns the sum read.
  (func (export "grow_loop") (param $n i32) (result i32) (local $i i32) (local $p i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (memory.grow (i32.const 1)))
        (br_if $done (i32.eq (local.get $p) (i32.const -1)))
        (i32.store (i32.shl (local.get $p) (i32.const 16)) (i32.add (local.get $i) (i32.const 7)))
        (local.set $sum
          (i32.add (local.get $sum) (i32.load (i32.shl (local.get $p) (i32.const 16)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))
)
"#;

/// Addresses at and around the edges of one and two pages, and far beyond.
const ADDRESSES: [u64; 16] = [
    0,
    1,
    7,
    8,
    65520,
    65528,
    65531,
    65532,
    65533,
    65535,
    65536,
    65537,
    131068,
    131071,
    0x8000_0000,
    0xffff_ffff,
];

const LOADS: [&str; 14] = [
    "i32.load",
    "i64.load",
    "f32.load",
    "f64.load",
    "i32.load8_s",
    "i32.load8_u",
    "i32.load16_s",
    "i32.load16_u",
    "i64.load8_s",
    "i64.load16_u",
    "i64.load32_s",
    "i64.load32_u",
    "i32.load_offset",
    "i64.load_far",
];

/// What one call did: its results as raw bits, or its trap.
type Outcome = Result<Vec<u64>, TrapCode>;

/// One instance of [`WAT`] compiled with `bounds`, in a store whose memories are reserved
/// as that code expects.
struct Instance {
    store: std::sync::Arc<Store>,
    instance: *mut InstanceData,
}

impl Instance {
    fn new(bounds: BoundsChecks) -> Self {
        kiln_runtime_support::traphandlers::init();
        let info = Arc::new(module(WAT));
        let (settings, memory) = match bounds {
            BoundsChecks::GuardPages => {
                let settings = CompilerSettings::default();
                let style = MemoryStyle {
                    min_reserve_bytes: 1 << 32,
                    guard_bytes: settings.guard_bytes,
                    ..MemoryStyle::default()
                };
                (settings, style)
            }
            BoundsChecks::Explicit => {
                let settings = CompilerSettings {
                    bounds_checks: BoundsChecks::Explicit,
                    guard_bytes: 0,
                    ..CompilerSettings::default()
                };
                (settings, MemoryStyle::default())
            }
        };
        let settings = CompilerSettings { verify_ir: true, ..settings };
        let code = compile_module(&info, &settings).unwrap();
        let trampolines = compile_trampolines(&info, &settings).unwrap();
        let image = link(&info, &code, &trampolines).unwrap();
        let code = CompiledModuleCode::load(image, info.clone()).unwrap();
        let module = Arc::new(Module { info, code: Code::Compiled(code) });
        let store = Store::new(StoreConfig { memory, ..StoreConfig::default() });
        let no_imports = |_: &str, _: &str| None;
        let instance = instantiate(&store, module, &no_imports, None).unwrap();
        Self { store, instance }
    }

    /// Calls export `name` with `args` (raw bits).
    fn call(&self, name: &str, args: &[u64]) -> Outcome {
        // SAFETY: `instantiate` returned a live instance owned by `self.store`.
        let instance = unsafe { &*self.instance };
        let Some(Extern::Func(func)) = instance.get_export(name) else {
            panic!("no function export `{name}`");
        };
        let info = &instance.module.info;
        let Some(EntityIndex::Func(f)) = info.export(name).map(|e| e.index) else {
            unreachable!("`{name}` is a function export");
        };
        let num_results = info.func_type(f).results().len();
        let mut slots = vec![ValRaw::default(); args.len().max(num_results)];
        for (slot, &a) in slots.iter_mut().zip(args) {
            *slot = ValRaw::from_bits(a);
        }
        // SAFETY: `func` is a funcref of the live instance; the slots hold one argument of
        // the right type per parameter (the tests pass the export's parameters).
        match unsafe { invoke(&self.store, func, &mut slots) } {
            Ok(()) => Ok(slots[..num_results].iter().map(|v| v.bits()).collect()),
            Err(Unwind::Trap(trap)) => Err(trap.code()),
            Err(other) => panic!("`{name}` unwound with {other:?}"),
        }
    }
}

/// The calls both instances make, in order (one instance each, so the growths add up).
fn calls() -> Vec<(&'static str, Vec<u64>)> {
    let mut calls = Vec::new();
    let loads = |calls: &mut Vec<(&'static str, Vec<u64>)>| {
        for load in LOADS {
            for a in ADDRESSES {
                calls.push((load, vec![a]));
            }
        }
    };
    loads(&mut calls);
    for a in ADDRESSES {
        calls.push(("i32.store8", vec![a, 0x1_23]));
        calls.push(("i32.store16", vec![a, 0x4567]));
        calls.push(("i32.store", vec![a, 0x89ab_cdef]));
        calls.push(("i64.store32", vec![a, 0x1122_3344_5566_7788]));
        calls.push(("i64.store", vec![a, 0x0102_0304_0506_0708]));
        calls.push(("f64.store", vec![a, 2.5f64.to_bits()]));
        calls.push(("i64.load", vec![a]));
    }
    for (dst, src, len) in
        [(16, 0, 8), (65530, 0, 6), (65530, 0, 7), (65536, 0, 0), (65537, 0, 0), (0, 65530, 7)]
    {
        calls.push(("fill", vec![dst, 0xaa, len]));
        calls.push(("copy", vec![dst, src, len]));
        calls.push(("init", vec![dst, 2, len]));
        calls.push(("init", vec![dst, 17, 1]));
        calls.push(("i64.load", vec![dst]));
    }
    calls.push(("size", vec![]));
    calls.push(("grow", vec![1]));
    calls.push(("size", vec![]));
    loads(&mut calls);
    calls.push(("load_grow_load", vec![65535]));
    calls.push(("load_grow_load", vec![131072]));
    calls.push(("grow_loop", vec![5]));
    calls.push(("size", vec![]));
    calls.push(("grow", vec![1]));
    loads(&mut calls);
    calls
}

#[test]
fn explicit_checks_match_guard_pages() {
    let explicit = Instance::new(BoundsChecks::Explicit);
    let guarded = Instance::new(BoundsChecks::GuardPages);
    let mut traps = 0;
    for (name, args) in calls() {
        let e = explicit.call(name, &args);
        let g = guarded.call(name, &args);
        assert_eq!(e, g, "{name}{args:x?}: explicit checks {e:x?}, guard pages {g:x?}");
        traps += usize::from(e == Err(TrapCode::MemoryOutOfBounds));
    }
    assert!(traps > 100, "only {traps} out-of-bounds accesses");

    // A few results known by heart: the data segments, the growths, the last page.
    let fresh = Instance::new(BoundsChecks::Explicit);
    assert_eq!(fresh.call("i32.load", &[0]), Ok(vec![0x0403_0201]));
    assert_eq!(fresh.call("i64.load", &[65528]), Ok(vec![0xfffe_fdfc_fbfa_f9f8]));
    assert_eq!(fresh.call("i32.load", &[65533]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(fresh.call("i32.load_offset", &[0]), Ok(vec![0xfffe_fdfc]));
    assert_eq!(fresh.call("i32.load_offset", &[1]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(fresh.call("load_grow_load", &[65535]), Ok(vec![0xff + 0x40]));
    assert_eq!(fresh.call("grow_loop", &[5]), Ok(vec![7 + 8]));
    assert_eq!(fresh.call("size", &[]), Ok(vec![4]));
    assert_eq!(fresh.call("i32.load", &[4 * 65536 - 4]), Ok(vec![0]));
    assert_eq!(fresh.call("i32.load", &[4 * 65536 - 3]), Err(TrapCode::MemoryOutOfBounds));
}
