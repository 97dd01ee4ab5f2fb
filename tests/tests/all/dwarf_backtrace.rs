//! Backtraces name the C source file and line when the module carries DWARF: a C program
//! built with `ziglang cc -g` traps (divide by zero, out-of-bounds load, `__builtin_trap`)
//! on both engines, and every frame shows its function and `dwarf_traps.c:<line>`.

use kiln::{Error, Runtime, RuntimeConfig, Trap, TrapCode};
use kiln_tests::{dwarf_traps_wasm, marked_line};

fn configs() -> Vec<(&'static str, RuntimeConfig)> {
    let mut v = vec![("interpreter", RuntimeConfig::interpreter())];
    if cfg!(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))) {
        v.push(("compiler", RuntimeConfig::compiler()));
    }
    v
}

fn trap_of(r: Result<Vec<kiln::Val>, Error>) -> Trap {
    match r {
        Err(Error::Trap(t)) => t,
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// Runs `export(args)`, expects trap `code`, and checks the two innermost frames: the
/// helper `inner` at line `LINE:<inner_marker>` and the export at `LINE:<outer_marker>`.
fn check(
    config: RuntimeConfig,
    engine: &str,
    export: &str,
    args: &[kiln::Val],
    code: TrapCode,
    inner: (&str, &str),
    outer_marker: &str,
) {
    let wasm = dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let rt = Runtime::with_config(config);
    let inst = rt.instantiate_wasm(&wasm).unwrap();
    let t = trap_of(inst.call(export, args));
    assert_eq!(t.code(), code, "{engine} {export}: {t}");
    let bt = t.backtrace();
    assert!(bt.len() >= 2, "{engine} {export}: {t}");
    for (frame, name, marker) in [(&bt[0], inner.0, inner.1), (&bt[1], export, outer_marker)] {
        assert_eq!(frame.func_name.as_deref(), Some(name), "{engine} {export}: {t}");
        let source = frame
            .source
            .as_ref()
            .unwrap_or_else(|| panic!("{engine} {export}: no source for {name}: {t}"));
        assert!(source.file.ends_with("tests/c/dwarf_traps.c"), "{engine}: {source}");
        assert_eq!(
            source.line,
            marked_line("dwarf_traps.c", marker),
            "{engine} {export} {name}: {t}"
        );
        assert!(source.column > 0, "{engine}: {source}");
        let text = frame.to_string();
        let expected = format!("dwarf_traps.c:{}:{}", source.line, source.column);
        assert!(text.contains(&format!("!{name} (func[")), "{engine}: {text}");
        assert!(text.ends_with(&expected), "{engine}: `{text}` should end with `{expected}`");
    }
    println!("{engine} {export}:\n{t}");
}

#[test]
fn divide_by_zero_shows_file_and_line_on_both_engines() {
    for (engine, config) in configs() {
        check(
            config,
            engine,
            "run_divide",
            &[7.into(), 0.into()],
            TrapCode::IntegerDivideByZero,
            ("divide", "divide"),
            "run_divide",
        );
    }
}

#[test]
fn out_of_bounds_load_shows_file_and_line_on_both_engines() {
    for (engine, config) in configs() {
        check(
            config,
            engine,
            "run_load",
            &[0x7fff_fff0.into()],
            TrapCode::MemoryOutOfBounds,
            ("load_at", "load"),
            "run_load",
        );
    }
}

#[test]
fn builtin_trap_shows_file_and_line_on_both_engines() {
    for (engine, config) in configs() {
        check(
            config,
            engine,
            "run_trap",
            &[1.into()],
            TrapCode::Unreachable,
            ("fail", "trap"),
            "run_trap",
        );
    }
}

#[test]
fn module_without_dwarf_has_no_source_locations() {
    let wasm = wat::parse_str(r#"(module (func $boom (export "boom") unreachable))"#).unwrap();
    for (engine, config) in configs() {
        let rt = Runtime::with_config(config);
        let t = trap_of(rt.instantiate_wasm(&wasm).unwrap().call("boom", &[]));
        assert_eq!(t.backtrace()[0].source, None, "{engine}");
        assert!(!t.to_string().contains(" at "), "{engine}: {t}");
    }
}

#[test]
fn malformed_dwarf_is_ignored() {
    // Custom sections may hold anything: broken DWARF gives no locations, never an error.
    let wasm = wat::parse_str(
        r#"(module
          (@custom ".debug_info" "\04\00\00\00\ff\ff")
          (@custom ".debug_abbrev" "\01\11")
          (@custom ".debug_line" "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")
          (func $boom (export "boom") unreachable))"#,
    )
    .unwrap();
    for (engine, config) in configs() {
        let rt = Runtime::with_config(config);
        let t = trap_of(rt.instantiate_wasm(&wasm).unwrap().call("boom", &[]));
        assert_eq!(t.code(), TrapCode::Unreachable, "{engine}");
        assert_eq!(t.backtrace()[0].func_name.as_deref(), Some("boom"), "{engine}");
        assert_eq!(t.backtrace()[0].source, None, "{engine}");
    }
}
