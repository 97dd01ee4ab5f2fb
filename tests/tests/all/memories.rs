//! Multi-memory and memory64 through the public API, on the interpreter, the compiler and
//! from an artifact: a module with an imported and two defined memories (data segments per
//! memory, loads, stores and bulk operations naming their memory, exports, the host's
//! `Memory` handles), and a 64-bit memory addressed beyond 4 GiB (from wasm and from the
//! host, whose accessors take `u64`).

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{
    CompiledModule, CoreFeatures, Error, IndexType, Limits, MemoryType, ModuleConfig, Runtime,
    RuntimeConfig, TrapCode, Val,
};

fn features() -> CoreFeatures {
    CoreFeatures::V2.union(CoreFeatures::MULTI_MEMORY).union(CoreFeatures::MEMORY64)
}

/// The three ways a module runs: interpreted, compiled in process, loaded from an artifact
/// written by the compiler.
#[derive(Clone, Copy, Debug)]
enum Way {
    Interpreted,
    Compiled,
    FromArtifact,
}

const WAYS: [Way; 3] = [Way::Interpreted, Way::Compiled, Way::FromArtifact];

fn runtime(way: Way, limit_pages: u64) -> Runtime {
    let config = match way {
        Way::Interpreted => RuntimeConfig::interpreter(),
        Way::Compiled | Way::FromArtifact => RuntimeConfig::compiler(),
    };
    Runtime::with_config(config.with_core_features(features()).with_memory_limit_pages(limit_pages))
}

fn module(rt: &Runtime, way: Way, wat: &str) -> CompiledModule {
    let wasm = wat::parse_str(wat).unwrap();
    match way {
        Way::Interpreted | Way::Compiled => rt.compile(&wasm).unwrap(),
        Way::FromArtifact => {
            let opts = AotOptions { features: features(), ..AotOptions::default() };
            let blob = compile_artifact(&wasm, &opts).unwrap();
            let m = kiln_tests::load_own_bytes(rt, &blob).unwrap();
            assert!(m.is_from_artifact() && m.is_native());
            m
        }
    }
}

/// The integer results of a call.
fn ints(r: Result<Vec<Val>, Error>) -> Vec<i64> {
    let vals = r.unwrap();
    vals.iter()
        .map(|v| match v {
            Val::I32(x) => i64::from(*x),
            Val::I64(x) => *x,
            other => panic!("not an integer: {other:?}"),
        })
        .collect()
}

fn trap_code(r: Result<Vec<Val>, Error>) -> TrapCode {
    match r {
        Err(Error::Trap(t)) => t.code(),
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// Memory 0 is imported from the host, memories 1 and 2 are defined; each has its own data.
const THREE_MEMORIES: &str = r#"(module
  (import "env" "shared" (memory $shared 1))
  (export "shared" (memory $shared))
  (memory $a (export "a") 1 2)
  (memory $b (export "b") 2)
  (data (memory $a) (i32.const 8) "in a")
  (data (memory $b) (i32.const 0x1fffc) "in b")
  (data $p "passive")
  ;; Copies `len` bytes at `src` of $b to `dst` of the imported memory.
  (func (export "b_to_shared") (param $dst i32) (param $src i32) (param $len i32)
    (memory.copy $shared $b (local.get $dst) (local.get $src) (local.get $len)))
  (func (export "sum_shared") (param $at i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $s (i32.add (local.get $s)
        (i32.load8_u $shared (i32.add (local.get $at) (local.get $n)))))
      (br $l)))
    (local.get $s))
  (func (export "load_a") (param i32) (result i32) (i32.load $a (local.get 0)))
  (func (export "load_b") (param i32) (result i32) (i32.load $b (local.get 0)))
  (func (export "store_b") (param i32 i32) (i32.store $b (local.get 0) (local.get 1)))
  (func (export "fill_a") (param i32 i32 i32) (memory.fill $a (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_b") (param i32) (memory.init $b $p (local.get 0) (i32.const 0) (i32.const 7)))
  (func (export "sizes") (result i32 i32 i32) (memory.size $shared) (memory.size $a) (memory.size $b))
  (func (export "grow_a") (param i32) (result i32) (memory.grow $a (local.get 0))))"#;

#[test]
fn a_module_with_three_memories_runs_every_way() {
    for way in WAYS {
        let rt = runtime(way, 65536);
        rt.host_module("env")
            .memory("shared", MemoryType::new(Limits { min: 1, max: None }))
            .instantiate()
            .unwrap();
        let m = module(&rt, way, THREE_MEMORIES);
        let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
        let call = |name: &str, args: &[Val]| inst.exported_function(name).unwrap().call(args);
        let (a, b) = (inst.exported_memory("a").unwrap(), inst.exported_memory("b").unwrap());
        assert_eq!((a.size(), b.size()), (1, 2), "{way:?}");
        assert_eq!(a.ty().index_type, IndexType::I32);
        // Each memory got its own data segment.
        assert_eq!(a.read_vec(8, 4).unwrap(), b"in a", "{way:?}");
        assert_eq!(b.read_vec(0x1fffc, 4).unwrap(), b"in b", "{way:?}");
        assert_eq!(ints(call("load_a", &[Val::I32(8)])), [i64::from(i32::from_le_bytes(*b"in a"))]);
        // The host writes one memory; wasm reads it there and nowhere else.
        b.write_u32_le(100, 0xdead_beef).unwrap();
        assert_eq!(ints(call("load_b", &[Val::I32(100)])), [i64::from(0xdead_beef_u32 as i32)]);
        assert_eq!(ints(call("load_a", &[Val::I32(100)])), [0]);
        call("store_b", &[Val::I32(200), Val::I32(-2)]).unwrap();
        assert_eq!(b.read_u32_le(200).unwrap(), 0xffff_fffe);
        assert_eq!(a.read_u32_le(200).unwrap(), 0);
        // memory.copy from a defined memory into the imported one, seen by the host there.
        call("b_to_shared", &[Val::I32(16), Val::I32(0x1fffc), Val::I32(4)]).unwrap();
        let shared = inst.exported_memory("shared").unwrap();
        assert_eq!(shared.read_vec(16, 4).unwrap(), b"in b", "{way:?}");
        let expected: i32 = b"in b".iter().map(|&c| i32::from(c)).sum();
        assert_eq!(ints(call("sum_shared", &[Val::I32(16), Val::I32(4)])), [i64::from(expected)]);
        // Bounds are each memory's own: 4 bytes at 0x1fffc fit $b (2 pages), not $a (1 page).
        assert_eq!(trap_code(call("load_a", &[Val::I32(0x1fffc)])), TrapCode::MemoryOutOfBounds);
        assert_eq!(
            trap_code(call("b_to_shared", &[Val::I32(0xfffe), Val::I32(0), Val::I32(4)])),
            TrapCode::MemoryOutOfBounds
        );
        call("fill_a", &[Val::I32(0xfff0), Val::I32(7), Val::I32(16)]).unwrap();
        assert_eq!(a.read_vec(0xfff0, 16).unwrap(), [7; 16]);
        assert_eq!(
            trap_code(call("fill_a", &[Val::I32(0xfff0), Val::I32(7), Val::I32(17)])),
            TrapCode::MemoryOutOfBounds
        );
        call("init_b", &[Val::I32(0x1fff9)]).unwrap();
        assert_eq!(b.read_vec(0x1fff9, 7).unwrap(), b"passive");
        // Growth of one memory leaves the others alone.
        assert_eq!(ints(call("grow_a", &[Val::I32(1)])), [1]);
        assert_eq!(ints(call("grow_a", &[Val::I32(1)])), [-1], "max 2");
        assert_eq!(shared.grow(3).unwrap(), 1);
        assert_eq!(ints(call("sizes", &[])), [4, 2, 2], "{way:?}");
        assert_eq!(ints(call("load_a", &[Val::I32(0x1fffc)])), [0]);
    }
}

/// A 64-bit memory of 4 GiB and one page: addresses past 4 GiB are in bounds.
const MEMORY64: &str = r#"(module
  (memory $m (export "m") i64 65537 65600)
  (data (memory $m) (i64.const 0x100000000) "past 4 GiB")
  (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "load_far") (param i64) (result i32) (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2))))"#;

#[test]
fn a_64_bit_memory_beyond_4_gib_runs_every_way() {
    const FOUR_GIB: u64 = 1 << 32;
    for way in WAYS {
        let rt = runtime(way, 65600);
        let m = module(&rt, way, MEMORY64);
        let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
        let call = |name: &str, args: &[Val]| inst.exported_function(name).unwrap().call(args);
        let mem = inst.exported_memory("m").unwrap();
        assert_eq!(mem.ty().index_type, IndexType::I64);
        assert_eq!((mem.size(), mem.data_size()), (65537, FOUR_GIB + 65536), "{way:?}");
        assert_eq!(mem.read_vec(FOUR_GIB, 10).unwrap(), b"past 4 GiB", "{way:?}");
        assert_eq!(ints(call("load_far", &[Val::I64(5)])), [i64::from(i32::from(b'4'))]);
        // The last 8 bytes, written by wasm and read by the host, and the other way round.
        let last = (FOUR_GIB + 65536 - 8) as i64;
        call("store", &[Val::I64(last), Val::I64(0x0102_0304_0506_0708)]).unwrap();
        assert_eq!(mem.read_u64_le(last as u64).unwrap(), 0x0102_0304_0506_0708, "{way:?}");
        mem.write_u64_le(FOUR_GIB + 16, 42).unwrap();
        assert_eq!(ints(call("load", &[Val::I64((FOUR_GIB + 16) as i64)])), [42]);
        // One byte further, or an address whose low 32 bits are in bounds, traps.
        for at in [last + 1, 8 + (1 << 40), -8] {
            assert_eq!(trap_code(call("load", &[Val::I64(at)])), TrapCode::MemoryOutOfBounds);
        }
        assert_eq!(
            trap_code(call("load_far", &[Val::I64(65536)])),
            TrapCode::MemoryOutOfBounds,
            "{way:?}"
        );
        assert!(matches!(mem.read_u64_le(last as u64 + 1), Err(Error::OutOfBounds { .. })));
        // Bulk operations with 64-bit addresses and lengths.
        call("fill", &[Val::I64((FOUR_GIB - 4) as i64), Val::I32(0x5a), Val::I64(4)]).unwrap();
        assert_eq!(mem.read_vec(FOUR_GIB - 4, 4).unwrap(), [0x5a; 4]);
        call("copy", &[Val::I64(16), Val::I64(FOUR_GIB as i64), Val::I64(10)]).unwrap();
        assert_eq!(mem.read_vec(16, 10).unwrap(), b"past 4 GiB");
        assert_eq!(
            trap_code(call("copy", &[Val::I64(0), Val::I64(FOUR_GIB as i64), Val::I64(65537)])),
            TrapCode::MemoryOutOfBounds
        );
        // Growth in pages, as i64 from wasm and u64 from the host.
        assert_eq!(ints(call("grow", &[Val::I64(1)])), [65537], "{way:?}");
        assert_eq!(mem.grow(2).unwrap(), 65538);
        assert_eq!(ints(call("size", &[])), [65540]);
        assert_eq!(ints(call("load", &[Val::I64(last)])), [0x0102_0304_0506_0708]);
        assert_eq!(ints(call("grow", &[Val::I64(61)])), [-1], "past the maximum");
        assert_eq!(ints(call("grow", &[Val::I64(-1)])), [-1]);
    }
}

/// A 64-bit memory imports only a 64-bit memory, and the other way round.
#[test]
fn memory_imports_match_by_index_type() {
    let rt = runtime(Way::Interpreted, 65536);
    rt.host_module("env")
        .memory("m32", MemoryType::new(Limits { min: 1, max: None }))
        .memory("m64", MemoryType::new64(Limits { min: 1, max: None }))
        .instantiate()
        .unwrap();
    let import = |field: &str, ty: &str| {
        let wat = format!(r#"(module (import "env" "{field}" (memory {ty} 1)))"#);
        rt.instantiate(&rt.compile(&wat::parse_str(wat).unwrap()).unwrap(), ModuleConfig::new())
    };
    assert!(import("m32", "").is_ok());
    assert!(import("m64", "i64").is_ok());
    for (field, ty) in [("m32", "i64"), ("m64", "")] {
        let e = import(field, ty).unwrap_err().to_string();
        assert!(e.contains("incompatible import type"), "{e}");
    }
}
