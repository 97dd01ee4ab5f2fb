//! Bad input never crashes the host (DESIGN.md, principle 7).
//!
//! Takes real modules (the C kernels built with `python3 -m ziglang cc`, a hand-written
//! wat module that uses most Core 2.0 features, and a generated one with many functions)
//! and derives thousands of variants from them: every truncation length up to a prefix,
//! more truncations spread over the rest, and deterministic single- and multi-bit flips,
//! byte replacements, insertions and deletions. Each variant runs on every engine (the
//! interpreter, and the compiler where it exists) and must compile, instantiate and run,
//! or fail with a `kiln::Error`; none may panic, crash the process, or hang while
//! compiling or instantiating.
//!
//! Running a mutated module can loop forever (a flipped loop bound is valid wasm), and the
//! interpreter has no interruption yet, so the variants run in a child process (this same
//! test binary, selected by an environment variable) that reports each variant on stdout.
//! The parent kills a child that stays inside one variant's exported calls for too long
//! (counted as a timeout, not a failure) and restarts it after that variant; a child that
//! dies, hangs before the calls, or reports a panic fails the test with the variant named.

use kiln::{Engine, Error, ModuleConfig, Runtime, RuntimeConfig};
use std::io::{BufRead, BufReader};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Environment variable that turns this test into the child: "<first variant index>".
const CHILD_ENV: &str = "KILN_MALFORMED_CHILD";
/// Prefix of the child's protocol lines on stdout.
const TAG: &str = "@@kiln-malformed";
/// How long one variant may stay in its exported calls before the child is killed.
const CALL_TIMEOUT: Duration = Duration::from_secs(1);
/// How long the child may take to compile and instantiate one variant (generous: a slow
/// debug build on a loaded machine); longer is reported as a hang.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------
// Base modules
// ---------------------------------------------------------------------------------------

/// A module using most Core 2.0 features: imports (function, global, memory-less), memory
/// with active and passive data, a table with active, passive and declarative element
/// segments, funcref/externref, mutable and exported globals, multi-value blocks and
/// functions, br_table, call_indirect, bulk memory and table operations, sign extension,
/// saturating conversions, all four number types, a start function.
const FEATURES_WAT: &str = r#"
(module $features
  (type $binop (func (param i32 i32) (result i32)))
  (type $unop (func (param i32) (result i32)))
  (import "env" "add" (func $host_add (type $binop)))
  (import "env" "log" (func $host_log (param i32 i32)))
  (import "env" "base" (global $base i32))
  (memory (export "memory") 2 4)
  (table $t (export "table") 8 16 funcref)
  (table $ext 4 externref)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global $acc (mut i64) (i64.const 0x0123456789abcdef))
  (global $fconst f64 (f64.const 3.25))
  (global $gref (mut funcref) (ref.func $double))
  (data (i32.const 16) "Hello, malformed world!")
  (data $passive "passive bytes 0123456789")
  (data (i32.const 1024) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
  (elem (i32.const 0) $double $square $add $sub)
  (elem $pelem func $square $double)
  (elem declare func $neg)

  (func $double (type $unop) (i32.shl (local.get 0) (i32.const 1)))
  (func $square (type $unop) (i32.mul (local.get 0) (local.get 0)))
  (func $neg (type $unop) (i32.sub (i32.const 0) (local.get 0)))
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))

  (func $start
    (global.set $counter (i32.add (global.get $base) (i32.const 1))))
  (start $start)

  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "fib15") (result i32) (call $fib (i32.const 15)))

  (func $divmod (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))

  (func (export "multi") (result i32)
    (local $q i32) (local $r i32)
    (call $divmod (i32.const 1000) (i32.const 7))
    (local.set $r) (local.set $q)
    (local.get $q) (local.get $r)
    (block $b (param i32 i32) (result i32)
      (i32.add))
    (i32.mul (local.get $q)))

  (func (export "branches") (result i32)
    (local $i i32) (local $sum i32)
    (loop $l
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (i32.rem_u (local.get $i) (i32.const 4))))
        (local.set $sum (i32.add (local.get $sum) (i32.const 1))) (br $d))
        (local.set $sum (i32.add (local.get $sum) (i32.const 10))) (br $d))
        (local.set $sum (i32.add (local.get $sum) (i32.const 100))) (br $d))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 40))))
    (local.get $sum))

  (func (export "indirect") (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc
        (i32.add (local.get $acc)
          (call_indirect (type $binop)
            (local.get $i) (i32.const 3) (i32.add (i32.const 2) (i32.and (local.get $i) (i32.const 1))))))
      (local.set $acc
        (i32.add (local.get $acc)
          (call_indirect (type $unop) (local.get $i) (i32.and (local.get $i) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20))))
    (local.get $acc))

  (func (export "bulk") (result i32)
    (memory.init $passive (i32.const 256) (i32.const 0) (i32.const 20))
    (data.drop $passive)
    (memory.copy (i32.const 512) (i32.const 16) (i32.const 23))
    (memory.fill (i32.const 600) (i32.const 0xab) (i32.const 50))
    (table.init $t $pelem (i32.const 4) (i32.const 0) (i32.const 2))
    (elem.drop $pelem)
    (table.copy $t $t (i32.const 6) (i32.const 0) (i32.const 2))
    (drop (table.grow $t (ref.func $neg) (i32.const 2)))
    (table.fill $t (i32.const 8) (ref.null func) (i32.const 2))
    (table.set $ext (i32.const 1) (ref.null extern))
    (drop (memory.grow (i32.const 1)))
    (i32.add
      (i32.add (i32.load8_u (i32.const 600)) (i32.load (i32.const 512)))
      (i32.add (table.size $t) (memory.size))))

  (func (export "numbers") (result i64)
    (local $f f32) (local $d f64) (local $x i64)
    (local.set $f (f32.div (f32.const 10) (f32.const 3)))
    (local.set $d (f64.sqrt (f64.promote_f32 (local.get $f))))
    (local.set $x (i64.trunc_sat_f64_s (f64.mul (local.get $d) (f64.const 1e6))))
    (local.set $x (i64.add (local.get $x) (i64.extend8_s (i64.const 0xff))))
    (local.set $x (i64.xor (local.get $x) (i64.rotl (global.get $acc) (i64.const 13))))
    (local.set $x (i64.add (local.get $x) (i64.extend_i32_u (i32.trunc_sat_f32_u (f32.const -5)))))
    (local.set $x (i64.add (local.get $x) (i64.popcnt (local.get $x))))
    (local.set $x (i64.add (local.get $x) (i64.clz (local.get $x))))
    (local.set $x (i64.add (local.get $x) (i64.reinterpret_f64 (f64.floor (global.get $fconst)))))
    (global.set $acc (local.get $x))
    (i64.add (local.get $x) (i64.extend_i32_s (i32.wrap_i64 (local.get $x)))))

  (func (export "refs") (result i32)
    (local $r funcref)
    (local.set $r (global.get $gref))
    (if (ref.is_null (local.get $r)) (then (return (i32.const -1))))
    (table.set $t (i32.const 7) (local.get $r))
    (global.set $gref (ref.func $neg))
    (call_indirect (type $unop) (i32.const 21) (i32.const 7)))

  (func (export "memory_ops") (result i32)
    (local $i i32) (local $h i32)
    (loop $l
      (i64.store offset=2048 align=4 (i32.shl (local.get $i) (i32.const 3))
        (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 0x1000000001)))
      (i32.store16 offset=4096 (i32.shl (local.get $i) (i32.const 1)) (local.get $i))
      (f32.store offset=8192 (i32.shl (local.get $i) (i32.const 2)) (f32.convert_i32_s (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 64))))
    (local.set $i (i32.const 0))
    (loop $l
      (local.set $h (i32.xor (i32.rotl (local.get $h) (i32.const 5))
        (i32.add (i32.load8_s offset=2048 (local.get $i)) (i32.load16_u offset=4096 (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 512))))
    (i32.add (local.get $h) (i32.trunc_f32_s (f32.load offset=8192 (i32.const 40)))))

  (func (export "hello") (result i32)
    (call $host_log (i32.const 16) (i32.const 23))
    (call $host_add (global.get $counter) (i32.const 41)))

  (func (export "select_and_traps") (result i32)
    (select (i32.const 1) (i32.const 2) (i32.eqz (global.get $counter)))
    (i32.div_s (i32.const -2147483648) (i32.const 1))
    (i32.add))

  (func (export "unreachable_trap") unreachable)
  (func (export "oob_trap") (result i32) (i32.load (i32.const 0x7ffffff0)))
  ;; Unbounded recursion: ends in `call stack exhausted` on every engine.
  (func $down (export "deep") (result i32) (i32.add (call $down) (i32.const 1)))
)
"#;

/// A generated module: many small functions of several signatures, calling each other
/// directly and through a table, with locals, memory traffic and control flow, so that
/// mutations land in many function bodies, types and a long element segment.
fn generated_wat() -> String {
    let mut w = String::from("(module\n  (memory 1 2)\n  (global $g (mut i32) (i32.const 7))\n");
    w.push_str("  (type $t0 (func (param i32) (result i32)))\n");
    w.push_str("  (type $t1 (func (param i64 f64) (result f64)))\n");
    let n = 60;
    for i in 0..n {
        match i % 3 {
            0 => w.push_str(&format!(
                "  (func $f{i} (type $t0) (local $x i32)\n    \
                 (local.set $x (i32.add (local.get 0) (i32.const {i})))\n    \
                 (i32.store offset={off} (i32.const 0) (local.get $x))\n    \
                 (if (result i32) (i32.gt_u (local.get $x) (i32.const 1000))\n      \
                 (then (i32.sub (local.get $x) (i32.load offset={off} (i32.const 0))))\n      \
                 (else (i32.xor (local.get $x) (global.get $g)))))\n",
                off = (i * 4) % 60000
            )),
            1 => w.push_str(&format!(
                "  (func $f{i} (type $t1)\n    \
                 (f64.add (f64.convert_i64_s (i64.mul (local.get 0) (i64.const {k})))\n      \
                 (f64.mul (local.get 1) (f64.const {i}.5))))\n",
                k = i * 3 + 1
            )),
            _ => w.push_str(&format!(
                "  (func $f{i} (type $t0) (local $j i32) (local $s i32)\n    \
                 (block $done (loop $l\n      \
                 (br_if $done (i32.ge_u (local.get $j) (i32.const {lim})))\n      \
                 (local.set $s (i32.add (local.get $s) (call $f{prev} (local.get $j))))\n      \
                 (local.set $j (i32.add (local.get $j) (i32.const 1)))\n      \
                 (br $l)))\n    \
                 (global.set $g (i32.add (global.get $g) (local.get $s)))\n    \
                 (i32.add (local.get $s) (call_indirect (type $t0) (local.get 0) (i32.const {slot}))))\n",
                lim = 3 + i % 5,
                prev = i - 2,
                slot = (i / 3) % 20
            )),
        }
    }
    w.push_str("  (table 20 funcref)\n  (elem (i32.const 0)");
    for i in (0..n).step_by(3) {
        w.push_str(&format!(" $f{i}"));
    }
    w.push_str(")\n");
    for i in (2..n).step_by(3) {
        w.push_str(&format!(
            "  (func (export \"run{i}\") (result i32) (call $f{i} (i32.const {i})))\n"
        ));
    }
    w.push_str(
        "  (func (export \"mix\") (result f64) (call $f1 (i64.const 5) (call $f4 (i64.const 9) (f64.const 2.5))))\n",
    );
    w.push_str(")\n");
    w
}

/// The base modules, by name.
fn bases() -> Vec<(&'static str, Vec<u8>)> {
    let kernels = kiln_tests::kernels_wasm().unwrap_or_else(|e| panic!("{e}"));
    let features = wat::parse_str(FEATURES_WAT).expect("features module parses");
    let generated = wat::parse_str(generated_wat()).expect("generated module parses");
    vec![("kernels.c", kernels), ("features.wat", features), ("generated.wat", generated)]
}

// ---------------------------------------------------------------------------------------
// Variants
// ---------------------------------------------------------------------------------------

/// splitmix64: a small deterministic generator (no rand crate).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One way of damaging a base module.
#[derive(Clone, Debug)]
enum Mutation {
    /// Keep only the first `len` bytes.
    Truncate { len: usize },
    /// XOR each listed byte with its mask (one bit for single flips, several for multi).
    Flip { edits: Vec<(usize, u8)> },
    /// Overwrite the byte at `pos`.
    Replace { pos: usize, byte: u8 },
    /// Insert `byte` before `pos`.
    Insert { pos: usize, byte: u8 },
    /// Remove the byte at `pos`.
    Delete { pos: usize },
}

/// A base module, a mutation of it, and the engine that runs the result.
#[derive(Clone, Debug)]
struct Variant {
    base: usize,
    mutation: Mutation,
    engine: Engine,
}

/// Every engine the variants run on: the interpreter, and the compiler where it exists.
fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Interpreter];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(Engine::Compiler);
    }
    v
}

/// Every truncation length below this is tried; past it, a spread of lengths.
const TRUNCATE_PREFIX: usize = 1024;
const TRUNCATE_SPREAD: usize = 160;
const SINGLE_FLIPS: usize = 1000;
const MULTI_FLIPS: usize = 500;
const REPLACEMENTS: usize = 600;
const INSERTS: usize = 100;
const DELETES: usize = 100;

/// The variants of every base, in a fixed order (the same in parent and child).
fn variants(bases: &[(&str, Vec<u8>)]) -> Vec<Variant> {
    let mut out = Vec::new();
    for (b, (_, wasm)) in bases.iter().enumerate() {
        let len = wasm.len();
        let mut push = |mutation: Mutation| {
            for engine in engines() {
                out.push(Variant { base: b, mutation: mutation.clone(), engine });
            }
        };
        for l in 0..len.min(TRUNCATE_PREFIX) {
            push(Mutation::Truncate { len: l });
        }
        if len > TRUNCATE_PREFIX {
            for k in 0..TRUNCATE_SPREAD {
                let l = TRUNCATE_PREFIX + (len - TRUNCATE_PREFIX) * k / TRUNCATE_SPREAD;
                push(Mutation::Truncate { len: l });
            }
        }
        let mut rng = SplitMix64(0x6b69_6c6e_0000_0000 ^ b as u64);
        // Skip the 8-byte header for most edits: damaging it is covered by truncation and a
        // few explicit edits below, and past it every edit reaches the decoder's sections.
        let body = |rng: &mut SplitMix64| 8 + rng.below(len - 8);
        for _ in 0..SINGLE_FLIPS {
            let pos = body(&mut rng);
            push(Mutation::Flip { edits: vec![(pos, 1u8 << rng.below(8))] });
        }
        for _ in 0..MULTI_FLIPS {
            let n = 2 + rng.below(4);
            let clustered = rng.below(2) == 0;
            let first = body(&mut rng);
            let edits = (0..n)
                .map(|_| {
                    let pos = if clustered {
                        (first + rng.below(8)).min(len - 1)
                    } else {
                        body(&mut rng)
                    };
                    let mask = (rng.next() as u8) | 1;
                    (pos, mask)
                })
                .collect();
            push(Mutation::Flip { edits });
        }
        const SPECIAL: [u8; 8] = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x40, 0x0b, 0x41];
        for _ in 0..REPLACEMENTS {
            let pos = body(&mut rng);
            let byte = if rng.below(2) == 0 {
                SPECIAL[rng.below(SPECIAL.len())]
            } else {
                rng.next() as u8
            };
            push(Mutation::Replace { pos, byte });
        }
        for pos in 0..8 {
            push(Mutation::Replace { pos, byte: 0xff });
        }
        for _ in 0..INSERTS {
            let pos = body(&mut rng);
            let byte = SPECIAL[rng.below(SPECIAL.len())];
            push(Mutation::Insert { pos, byte });
        }
        for _ in 0..DELETES {
            push(Mutation::Delete { pos: body(&mut rng) });
        }
    }
    out
}

fn apply(base: &[u8], m: &Mutation) -> Vec<u8> {
    let mut v = base.to_vec();
    match m {
        Mutation::Truncate { len } => v.truncate(*len),
        Mutation::Flip { edits } => {
            for &(pos, mask) in edits {
                v[pos] ^= mask;
            }
        }
        Mutation::Replace { pos, byte } => v[*pos] = *byte,
        Mutation::Insert { pos, byte } => v.insert(*pos, *byte),
        Mutation::Delete { pos } => {
            v.remove(*pos);
        }
    }
    v
}

// ---------------------------------------------------------------------------------------
// Child: run variants, report each
// ---------------------------------------------------------------------------------------

/// How a variant ended (when it did not panic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    CompileErr,
    InstantiateErr,
    /// Instantiated; `ok` and `err` count the zero-argument exports that returned or failed.
    Ran {
        ok: u32,
        err: u32,
    },
}

fn runtime(engine: Engine) -> Runtime {
    let config = RuntimeConfig::new()
        .with_engine(engine)
        .with_memory_limit_pages(32)
        .with_max_call_depth(200)
        .with_interpreter_stack_slots(1 << 16);
    let rt = Runtime::with_config(config);
    rt.host_module("env")
        .func("add", |a: i32, b: i32| a.wrapping_add(b))
        .func("log", |caller: kiln::Caller<'_>, ptr: i32, len: i32| -> Result<(), Error> {
            let mem =
                caller.memory().ok_or(Error::NotFound { kind: "memory", name: "0".into() })?;
            let mut buf = vec![0u8; (len as u32).min(4096) as usize];
            mem.read(ptr as u32 as u64, &mut buf)?;
            let _ = String::from_utf8_lossy(&buf);
            Ok(())
        })
        .global("base", kiln::Val::I32(100), false)
        .instantiate()
        .expect("host module env");
    rt
}

/// Compiles, instantiates and calls one variant. `entered_calls` is called once the
/// variant is instantiated, before its exports run.
fn run_variant(wasm: &[u8], engine: Engine, entered_calls: &mut dyn FnMut()) -> Outcome {
    let rt = runtime(engine);
    let module = match rt.compile(wasm) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.to_string();
            return Outcome::CompileErr;
        }
    };
    let _ = (module.imports(), module.exports(), module.name());
    let instance = match rt.instantiate(&module, ModuleConfig::new().with_name("")) {
        Ok(i) => i,
        Err(e) => {
            let _ = e.to_string();
            return Outcome::InstantiateErr;
        }
    };
    entered_calls();
    let names: Vec<String> = instance.export_names().map(str::to_string).collect();
    let (mut ok, mut err) = (0, 0);
    for name in names {
        let Some(f) = instance.exported_function(&name) else {
            continue;
        };
        if !f.ty().params().is_empty() {
            continue;
        }
        match f.call(&[]) {
            Ok(_) => ok += 1,
            Err(e) => {
                let _ = e.to_string();
                err += 1;
            }
        }
    }
    Outcome::Ran { ok, err }
}

fn child(first: usize) {
    let bases = bases();
    let all = variants(&bases);
    // Panics are caught and reported per variant; keep their messages short.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let loc = info.location().map(|l| l.to_string()).unwrap_or_default();
        println!("{TAG} panic-info {} at {}", msg.replace('\n', " "), loc);
    }));
    for (i, v) in all.iter().enumerate().skip(first) {
        let wasm = apply(&bases[v.base].1, &v.mutation);
        println!("{TAG} begin {i}");
        let result = catch_unwind(AssertUnwindSafe(|| {
            run_variant(&wasm, v.engine, &mut || println!("{TAG} calls {i}"))
        }));
        match result {
            Ok(Outcome::CompileErr) => println!("{TAG} end {i} compile-err"),
            Ok(Outcome::InstantiateErr) => println!("{TAG} end {i} instantiate-err"),
            Ok(Outcome::Ran { ok, err }) => println!("{TAG} end {i} ran {ok} {err}"),
            Err(_) => println!("{TAG} end {i} panic"),
        }
    }
    println!("{TAG} done");
}

// ---------------------------------------------------------------------------------------
// Parent: drive children, tally, fail on crashes
// ---------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Tally {
    compile_err: usize,
    instantiate_err: usize,
    ran: usize,
    calls_ok: usize,
    calls_err: usize,
    timeouts: usize,
    restarts: usize,
}

#[test]
fn malformed_inputs_never_crash() {
    if let Ok(first) = std::env::var(CHILD_ENV) {
        child(first.parse().expect("child start index"));
        return;
    }
    let started = Instant::now();
    // Build (and cache) the C kernels before the children need them.
    let bases = bases();
    for (name, wasm) in &bases {
        for engine in engines() {
            runtime(engine)
                .compile(wasm)
                .unwrap_or_else(|e| panic!("base module {name} must compile on {engine:?}: {e}"));
        }
    }
    let all = variants(&bases);
    let total = all.len();
    let exe = std::env::current_exe().expect("test binary path");
    // This test's name in the test binary (`malformed::malformed_inputs_never_crash`): the
    // module path without the crate name.
    let this_test = format!(
        "{}::malformed_inputs_never_crash",
        module_path!().split_once("::").map_or("", |(_, m)| m)
    );

    let mut tally = Tally::default();
    let mut failures: Vec<String> = Vec::new();
    let mut timed_out: Vec<String> = Vec::new();
    let describe = |i: usize| {
        let v = &all[i];
        format!(
            "variant #{i}: base {} ({} bytes), {:?}, on {:?}",
            bases[v.base].0,
            bases[v.base].1.len(),
            v.mutation,
            v.engine
        )
    };
    let mut next = 0usize;
    while next < total {
        tally.restarts += 1;
        let mut child = Command::new(&exe)
            .args([this_test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, next.to_string())
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn child test process");
        let stdout = child.stdout.take().expect("child stdout");
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Where the child is: the variant it began and whether it reached the calls.
        let mut current: Option<usize> = None;
        let mut in_calls = false;
        let mut last_panic_info = String::new();
        let mut finished = false;
        loop {
            let timeout = if in_calls { CALL_TIMEOUT } else { COMPILE_TIMEOUT };
            match rx.recv_timeout(timeout) {
                Ok(line) => {
                    let Some(rest) = line.strip_prefix(TAG) else {
                        continue;
                    };
                    let words: Vec<&str> = rest.split_whitespace().collect();
                    match words.as_slice() {
                        ["begin", i] => {
                            current = Some(i.parse().unwrap());
                            in_calls = false;
                            last_panic_info.clear();
                        }
                        ["calls", _] => in_calls = true,
                        ["panic-info", ..] => last_panic_info = rest.trim_start().to_string(),
                        ["end", i, kind, tail @ ..] => {
                            let i: usize = i.parse().unwrap();
                            match *kind {
                                "compile-err" => tally.compile_err += 1,
                                "instantiate-err" => tally.instantiate_err += 1,
                                "ran" => {
                                    tally.ran += 1;
                                    tally.calls_ok += tail[0].parse::<usize>().unwrap();
                                    tally.calls_err += tail[1].parse::<usize>().unwrap();
                                }
                                _ => failures
                                    .push(format!("{}: panicked: {last_panic_info}", describe(i))),
                            }
                            current = None;
                            in_calls = false;
                            next = i + 1;
                        }
                        ["done"] => {
                            finished = true;
                        }
                        _ => {}
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    let i = current.unwrap_or(next);
                    if in_calls {
                        tally.timeouts += 1;
                        timed_out.push(describe(i));
                    } else {
                        failures.push(format!(
                            "{}: compiling or instantiating took over {COMPILE_TIMEOUT:?} (hang?)",
                            describe(i)
                        ));
                    }
                    next = i + 1;
                    break;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.wait().expect("wait for child");
                    if !finished {
                        let i = current.unwrap_or(next);
                        failures.push(format!(
                            "{}: the process died ({status}) {}; last panic: {last_panic_info}",
                            describe(i),
                            if in_calls {
                                "while calling exports"
                            } else {
                                "while compiling or instantiating"
                            }
                        ));
                        next = i + 1;
                    } else {
                        next = total;
                    }
                    break;
                }
            }
        }
        let _ = child.wait();
        let _ = reader.join();
    }

    let errs = tally.compile_err + tally.instantiate_err;
    println!(
        "malformed-input test: {total} runs ({} engines) from {} base modules in {:.1?}: {} ok (instantiated and ran \
         {} export calls: {} returned, {} failed with an Error, {} killed after {CALL_TIMEOUT:?}), {errs} Err \
         ({} at compile, {} at instantiation), {} crashed; {} child processes",
        engines().len(),
        bases.len(),
        started.elapsed(),
        tally.ran + tally.timeouts,
        tally.calls_ok + tally.calls_err,
        tally.calls_ok,
        tally.calls_err,
        tally.timeouts,
        tally.compile_err,
        tally.instantiate_err,
        failures.len(),
        tally.restarts,
    );
    for t in timed_out.iter().take(5) {
        println!("  killed in its calls (a mutated loop bound, presumably): {t}");
    }
    assert_eq!(
        tally.compile_err + tally.instantiate_err + tally.ran + tally.timeouts + failures.len(),
        total,
        "every variant is accounted for: {tally:?}"
    );
    assert!(
        failures.is_empty(),
        "{} variants crashed Kiln instead of returning an Error:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn base_modules_run_cleanly() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    for (name, wasm) in bases() {
        for engine in engines() {
            match run_variant(&wasm, engine, &mut || {}) {
                Outcome::Ran { ok, .. } => assert!(ok > 0, "{name} on {engine:?}: no export ran"),
                other => panic!("{name} on {engine:?}: {other:?}"),
            }
        }
    }
}
