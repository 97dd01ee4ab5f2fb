//! Compiled code keeps using a memory's base address across growth: with guard pages the
//! compiler loads the base once per function (hoisted out of loops), which is right only
//! because growing a memory never moves it. These loops grow their memory (from wasm, and
//! from the host through an imported memory) and touch every new page on every iteration.

use kiln::{Error, Runtime, RuntimeConfig, TrapCode};

fn compiler_runtime() -> Runtime {
    Runtime::with_config(RuntimeConfig::compiler())
}

/// Grows its own memory by one page per iteration and writes and reads the new page.
const GUEST_GROWS: &str = r#"
(module
  (memory 1 200)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32) (local $addr i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      ;; the page just added starts at (old size) * 64 KiB
      (local.set $addr (i32.shl (memory.grow (i32.const 1)) (i32.const 16)))
      (i32.store (local.get $addr) (i32.add (local.get $i) (i32.const 1000)))
      (i32.store offset=65532 (local.get $addr) (local.get $i))
      (local.set $sum (i32.add (local.get $sum)
        (i32.add (i32.load (local.get $addr)) (i32.load offset=65532 (local.get $addr)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $sum))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
"#;

/// Imports its memory; the host grows it by one page per iteration.
const HOST_GROWS: &str = r#"
(module
  (import "host" "grow" (func $grow (result i32)))
  (import "env" "mem" (memory 1))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32) (local $addr i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $addr (i32.shl (call $grow) (i32.const 16)))
      (i32.store8 (i32.add (local.get $addr) (i32.const 65535)) (local.get $i))
      (local.set $sum (i32.add (local.get $sum)
        (i32.load8_u (i32.add (local.get $addr) (i32.const 65535)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $sum))
  (func (export "size") (result i32) (memory.size)))
"#;

#[test]
fn guest_growth_inside_a_loop() {
    let rt = compiler_runtime();
    let inst = rt.instantiate_wasm(&wat::parse_str(GUEST_GROWS).unwrap()).unwrap();
    let run = inst.typed_func::<i32, i32>("run").unwrap();
    // sum over i of (i + 1000) + i
    let n = 150;
    assert_eq!(run.call(n).unwrap(), (0..n).map(|i| 2 * i + 1000).sum::<i32>());
    let load = inst.typed_func::<i32, i32>("load").unwrap();
    assert_eq!(load.call(150 << 16).unwrap(), 1149, "the last page written");
    // One past the grown memory still traps.
    match load.call(151 << 16) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::MemoryOutOfBounds),
        other => panic!("expected an out-of-bounds trap, got {other:?}"),
    }
    // Up to the maximum of 200 pages (151 in use) ...
    assert_eq!(run.call(49).unwrap(), (0..49).map(|i| 2 * i + 1000).sum::<i32>());
    // ... and one more: memory.grow fails (-1), so the loop stores at 0xffff0000.
    match run.call(1) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), TrapCode::MemoryOutOfBounds),
        other => panic!("expected an out-of-bounds trap, got {other:?}"),
    }
}

#[test]
fn host_growth_of_an_imported_memory_inside_a_loop() {
    let rt = compiler_runtime();
    let exporter = rt
        .instantiate_wasm(&wat::parse_str(r#"(module (memory (export "mem") 1))"#).unwrap())
        .unwrap();
    rt.register("env", &exporter).unwrap();
    rt.host_module("host")
        .func("grow", |caller: kiln::Caller<'_>| -> Result<i32, Error> {
            let mem = caller.memory().expect("the caller imports a memory");
            Ok(mem.grow(1)? as i32)
        })
        .instantiate()
        .unwrap();
    let inst = rt.instantiate_wasm(&wat::parse_str(HOST_GROWS).unwrap()).unwrap();
    let run = inst.typed_func::<i32, i32>("run").unwrap();
    let n = 300;
    assert_eq!(run.call(n).unwrap(), (0..n).map(|i| i & 0xff).sum::<i32>());
    let size = inst.typed_func::<(), i32>("size").unwrap();
    assert_eq!(size.call(()).unwrap(), 1 + n);
    assert_eq!(exporter.exported_memory("mem").unwrap().size(), 1 + n as u64);
}
