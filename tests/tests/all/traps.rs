//! Traps through the public API, on every engine: spec messages, backtraces with names,
//! signatures and offsets, and stack exhaustion that never overflows the native stack.

use kiln::{Engine, Error, ModuleConfig, Runtime, RuntimeConfig, TrapCode};

/// The engines every test runs on: the interpreter everywhere, the compiler where it exists.
fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Interpreter];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(Engine::Compiler);
    }
    v
}

fn runtime_on(engine: Engine) -> Runtime {
    Runtime::with_config(RuntimeConfig::new().with_engine(engine))
}

fn trap_of(r: Result<Vec<kiln::Val>, Error>) -> kiln::Trap {
    match r {
        Err(Error::Trap(t)) => t,
        other => panic!("expected a trap, got {other:?}"),
    }
}

const TRAPS: &str = r#"
(module $traps
  (memory 1)
  (table 2 funcref)
  (type $i2i (func (param i32) (result i32)))
  (type $v2i (func (result i32)))
  (elem (i32.const 0) $ident)
  (func $ident (param i32) (result i32) local.get 0)
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $outer (export "outer") (param i32 i32) (result i32)
    (call $div (local.get 0) (local.get 1)))
  (func $oob (export "oob") (result i32) (i32.load (i32.const 65534)))
  (func $unreachable (export "unreachable") unreachable)
  (func $overflow (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func $bad_sig (export "bad_sig") (result i32) (call_indirect (type $v2i) (i32.const 0)))
  (func $undefined (export "undefined") (result i32) (call_indirect (type $i2i) (i32.const 7) (i32.const 9)))
  (func $uninit (export "uninit") (result i32) (call_indirect (type $i2i) (i32.const 7) (i32.const 1)))
  (func $conv (export "conv") (result i32) (i32.trunc_f32_s (f32.const nan)))
  (func $rec (export "rec") (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
)"#;

#[test]
fn trap_codes_and_spec_messages() {
    for engine in engines() {
        // A growable table, and one whose type fixes its size (the compiler checks indices
        // against a constant then, and a null element faults on its first load).
        for table in ["(table 2 funcref)", "(table 2 2 funcref)"] {
            println!("engine: {engine:?}, {table}");
            trap_codes_and_spec_messages_on(engine, table);
        }
    }
}

fn trap_codes_and_spec_messages_on(engine: Engine, table: &str) {
    let rt = runtime_on(engine);
    const GROWABLE: &str = "(table 2 funcref)";
    assert!(TRAPS.contains(GROWABLE), "TRAPS declares its table as {GROWABLE}");
    let wasm = wat::parse_str(TRAPS.replace(GROWABLE, table)).unwrap();
    let inst = rt.instantiate_wasm(&wasm).unwrap();
    // Export, arguments, trap, message, and the opcode of the trapping instruction the
    // innermost frame's wasm offset points at (`None`: stack exhaustion, which traps on
    // entry to a function).
    type Case = (&'static str, Vec<kiln::Val>, TrapCode, &'static str, Option<u8>);
    let cases: &[Case] = &[
        (
            "div",
            vec![1.into(), 0.into()],
            TrapCode::IntegerDivideByZero,
            "integer divide by zero",
            Some(0x6d),
        ),
        ("oob", vec![], TrapCode::MemoryOutOfBounds, "out of bounds memory access", Some(0x28)),
        ("unreachable", vec![], TrapCode::Unreachable, "unreachable", Some(0x00)),
        ("overflow", vec![], TrapCode::IntegerOverflow, "integer overflow", Some(0x6d)),
        (
            "bad_sig",
            vec![],
            TrapCode::IndirectCallTypeMismatch,
            "indirect call type mismatch",
            Some(0x11),
        ),
        ("undefined", vec![], TrapCode::UndefinedElement, "undefined element", Some(0x11)),
        ("uninit", vec![], TrapCode::UninitializedElement, "uninitialized element", Some(0x11)),
        (
            "conv",
            vec![],
            TrapCode::InvalidConversionToInteger,
            "invalid conversion to integer",
            Some(0xa8),
        ),
        ("rec", vec![0.into()], TrapCode::CallStackExhausted, "call stack exhausted", None),
    ];
    for (name, args, code, msg, opcode) in cases {
        let t = trap_of(inst.call(name, args));
        assert_eq!(t.code(), *code, "{name}");
        assert_eq!(t.message(), *msg, "{name}");
        // Every trap names the function it happened in, with the wasm offset.
        let frame = t.backtrace().first().unwrap_or_else(|| panic!("{name}: no backtrace: {t}"));
        assert_eq!(frame.func_name.as_deref(), Some(*name), "{t}");
        let offset = frame.wasm_offset.unwrap_or_else(|| panic!("{name}: no wasm offset: {t}"));
        let text = t.to_string();
        assert!(text.contains(&format!("{offset:#x} - traps!{name} (func[")), "{text}");
        match opcode {
            Some(op) => {
                assert_eq!(wasm[offset as usize], *op, "{name}: opcode at {offset:#x}: {t}")
            }
            None => {
                // Recursion: every frame is `rec`, each at an offset inside its body.
                assert!(t.backtrace().len() > 1, "{t}");
                assert!(t.backtrace().iter().all(|f| f.func_name.as_deref() == Some("rec")), "{t}");
            }
        }
    }
}

#[test]
fn backtrace_names_functions_signatures_and_offsets() {
    for engine in engines() {
        println!("engine: {engine:?}");
        backtrace_names_functions_signatures_and_offsets_on(engine);
    }
}

fn backtrace_names_functions_signatures_and_offsets_on(engine: Engine) {
    let rt = runtime_on(engine);
    let wasm = wat::parse_str(TRAPS).unwrap();
    let inst = rt.instantiate(&rt.compile(&wasm).unwrap(), ModuleConfig::new()).unwrap();
    let t = trap_of(inst.call("outer", &[7.into(), 0.into()]));
    let bt = t.backtrace();
    assert_eq!(bt.len(), 2, "{t}");
    assert_eq!(bt[0].func_name.as_deref(), Some("div"));
    assert_eq!(bt[1].func_name.as_deref(), Some("outer"));
    assert_eq!(bt[0].module.as_deref(), Some("traps"));
    assert_eq!(bt[0].signature, "(i32, i32) -> (i32)");
    // The offsets point at the faulting `i32.div_s` (0x6d) and at the `call` in $outer.
    let div_off = bt[0].wasm_offset.unwrap() as usize;
    let call_off = bt[1].wasm_offset.unwrap() as usize;
    assert_eq!(wasm[div_off], 0x6d, "i32.div_s opcode at {div_off:#x}");
    assert_eq!(wasm[call_off], 0x10, "call opcode at {call_off:#x}");
    let text = t.to_string();
    assert!(text.starts_with("wasm trap: integer divide by zero"), "{text}");
    assert!(text.contains("traps!div (func[1] (i32, i32) -> (i32))"), "{text}");
}

#[test]
fn deep_recursion_traps_on_a_small_native_stack() {
    for engine in engines() {
        println!("engine: {engine:?}");
        deep_recursion_traps_on_a_small_native_stack_on(engine);
    }
}

fn deep_recursion_traps_on_a_small_native_stack_on(engine: Engine) {
    // A host function that re-enters wasm makes every wasm call use native stack; the
    // runtime must stop before the 256 KiB thread stack overflows.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let rt = runtime_on(engine);
            let wasm = wat::parse_str(
                r#"(module
                  (import "env" "reenter" (func $reenter (param i32) (result i32)))
                  (func (export "down") (param i32) (result i32)
                    (call $reenter (i32.add (local.get 0) (i32.const 1)))))"#,
            )
            .unwrap();
            let module = rt.compile(&wasm).unwrap();
            let slot: std::sync::Arc<std::sync::Mutex<Option<kiln::Instance>>> = Default::default();
            let s2 = slot.clone();
            rt.host_module("env")
                .func("reenter", move |n: i32| -> Result<i32, Error> {
                    let inst = s2.lock().unwrap().clone().expect("instance set");
                    let f = inst.typed_func::<i32, i32>("down")?;
                    f.call(n)
                })
                .instantiate()
                .unwrap();
            let inst = rt.instantiate(&module, ModuleConfig::new()).unwrap();
            *slot.lock().unwrap() = Some(inst.clone());
            let r = inst.call("down", &[0.into()]);
            *slot.lock().unwrap() = None;
            match r {
                Err(Error::Trap(t)) => t.code(),
                other => panic!("expected stack exhaustion, got {other:?}"),
            }
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), TrapCode::CallStackExhausted);
}

#[test]
fn host_errors_propagate_as_traps_with_wasm_frames() {
    for engine in engines() {
        println!("engine: {engine:?}");
        host_errors_propagate_as_traps_with_wasm_frames_on(engine);
    }
}

fn host_errors_propagate_as_traps_with_wasm_frames_on(engine: Engine) {
    let rt = runtime_on(engine);
    rt.host_module("env")
        .func("fail", || -> Result<(), kiln::Trap> { Err(kiln::Trap::host("host said no")) })
        .instantiate()
        .unwrap();
    let wasm = wat::parse_str(
        r#"(module (import "env" "fail" (func $fail)) (func $caller (export "go") (call $fail)))"#,
    )
    .unwrap();
    let inst = rt.instantiate_wasm(&wasm).unwrap();
    let t = trap_of(inst.call("go", &[]));
    assert_eq!(t.code(), TrapCode::HostError);
    assert_eq!(t.message(), "host said no");
    assert_eq!(t.backtrace()[0].func_name.as_deref(), Some("caller"));
}

#[test]
fn fixed_size_tables_check_indices_and_null_elements() {
    for engine in engines() {
        println!("engine: {engine:?}");
        fixed_size_tables_check_indices_and_null_elements_on(engine);
    }
}

/// A table whose type fixes its size, defined in one module and imported (with that type)
/// by another, which calls through it, writes it and tries to grow it.
fn fixed_size_tables_check_indices_and_null_elements_on(engine: Engine) {
    let rt = runtime_on(engine);
    let owner = wat::parse_str(
        r#"(module
          (table (export "t") 3 3 funcref)
          (func $seven (result i32) i32.const 7)
          (func $eight (result i32) i32.const 8)
          (elem (i32.const 0) $seven)
          (elem declare func $eight)
          (func (export "set2") (table.set (i32.const 2) (ref.func $eight))))"#,
    )
    .unwrap();
    let user = wat::parse_str(
        r#"(module
          (import "owner" "t" (table 3 3 funcref))
          (type $v2i (func (result i32)))
          (func (export "call") (param i32) (result i32) (call_indirect (type $v2i) (local.get 0)))
          (func (export "size") (result i32) table.size 0)
          (func (export "grow") (param i32) (result i32)
            (table.grow 0 (ref.null func) (local.get 0)))
          (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0)))))"#,
    )
    .unwrap();
    let owner = rt
        .instantiate(&rt.compile(&owner).unwrap(), ModuleConfig::new().with_name("owner"))
        .unwrap();
    let user =
        rt.instantiate(&rt.compile(&user).unwrap(), ModuleConfig::new().with_name("user")).unwrap();
    let i32_of = |r: Result<Vec<kiln::Val>, Error>| match r.unwrap().as_slice() {
        [kiln::Val::I32(v)] => *v,
        other => panic!("expected one i32, got {other:?}"),
    };
    assert_eq!(i32_of(user.call("call", &[0.into()])), 7);
    for (index, code) in [
        (1, TrapCode::UninitializedElement),
        (2, TrapCode::UninitializedElement),
        (3, TrapCode::UndefinedElement),
        (-1, TrapCode::UndefinedElement),
    ] {
        assert_eq!(trap_of(user.call("call", &[index.into()])).code(), code, "index {index}");
    }
    assert_eq!(trap_of(user.call("is_null", &[3.into()])).code(), TrapCode::TableOutOfBounds);
    // The owner fills element 2; the user sees it through the same (unmoved) elements.
    owner.call("set2", &[]).unwrap();
    assert_eq!(i32_of(user.call("call", &[2.into()])), 8);
    assert_eq!(i32_of(user.call("is_null", &[1.into()])), 1);
    // Growing fails, except by nothing; the size stays 3.
    assert_eq!(i32_of(user.call("grow", &[1.into()])), -1);
    assert_eq!(i32_of(user.call("grow", &[0.into()])), 3);
    assert_eq!(i32_of(user.call("size", &[])), 3);
    assert_eq!(i32_of(user.call("call", &[0.into()])), 7);
}

/// Pairs the interpreter runs as one specialized handler (a constant before a load, a
/// `br` to a load, a load before a store) compute what the two instructions do, and a trap
/// in either names the instruction that trapped.
#[test]
fn traps_inside_specialized_pairs_name_their_instruction() {
    for engine in engines() {
        println!("engine: {engine:?}");
        traps_inside_specialized_pairs_name_their_instruction_on(engine);
    }
}

fn traps_inside_specialized_pairs_name_their_instruction_on(engine: Engine) {
    let wat = r#"
        (module
          (memory 1)
          (data (i32.const 0) "\2a\00\00\00")
          (func (export "const_then_load") (param i32) (result i32) (local i32)
            (local.set 1 (i32.const 7))
            (i32.add (local.get 1) (i32.load (local.get 0))))
          (func (export "br_then_load") (param i32 i32) (result i32) (local i32)
            (if (local.get 1)
              (then (local.set 2 (i32.const 1)))
              (else (local.set 2 (i32.const 2))))
            (i32.add (local.get 2) (i32.load (local.get 0))))
          (func (export "load_then_store") (param i32 i32) (result i32)
            (i32.store (local.get 1) (i32.load (local.get 0)))
            (i32.load (local.get 1)))
          ;; A loop that traps in a later iteration, in the first half of a specialized pair
          ;; (the load, then the xor), which the branch back jumps to.
          (func (export "xor_words") (param $p i32) (param $end i32) (result i32) (local $s i32)
            (loop $l
              (local.set $s (i32.xor (local.get $s) (i32.load (local.get $p))))
              (br_if $l (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 4)))
                                  (local.get $end))))
            (local.get $s)))
    "#;
    let wasm = wat::parse_str(wat).unwrap();
    let inst = runtime_on(engine).instantiate_wasm(&wasm).unwrap();
    let i32s = |v: Vec<kiln::Val>| v.iter().map(|x| x.i32().expect("an i32")).collect::<Vec<_>>();
    assert_eq!(i32s(inst.call("const_then_load", &[0.into()]).unwrap()), [49]);
    assert_eq!(i32s(inst.call("br_then_load", &[0.into(), 1.into()]).unwrap()), [43]);
    assert_eq!(i32s(inst.call("br_then_load", &[0.into(), 0.into()]).unwrap()), [44]);
    assert_eq!(i32s(inst.call("load_then_store", &[0.into(), 8.into()]).unwrap()), [42]);
    assert_eq!(i32s(inst.call("xor_words", &[0.into(), 8.into()]).unwrap()), [42]);
    const LOAD: u8 = 0x28;
    const STORE: u8 = 0x36;
    let cases: &[(&str, Vec<kiln::Val>, u8)] = &[
        ("const_then_load", vec![65536.into()], LOAD),
        ("br_then_load", vec![65536.into(), 1.into()], LOAD),
        ("br_then_load", vec![65536.into(), 0.into()], LOAD),
        ("load_then_store", vec![65536.into(), 0.into()], LOAD),
        ("load_then_store", vec![0.into(), 65534.into()], STORE),
        ("xor_words", vec![65520.into(), 65540.into()], LOAD),
    ];
    for (name, args, opcode) in cases {
        let t = trap_of(inst.call(name, args));
        assert_eq!(t.code(), TrapCode::MemoryOutOfBounds, "{name}: {t}");
        let frame = t.backtrace().first().unwrap_or_else(|| panic!("{name}: no backtrace: {t}"));
        let offset = frame.wasm_offset.unwrap_or_else(|| panic!("{name}: no wasm offset: {t}"));
        assert_eq!(wasm[offset as usize], *opcode, "{name} {args:?}: opcode at {offset:#x}: {t}");
    }
}
