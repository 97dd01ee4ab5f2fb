//! Artifacts end to end: compile to a `.kiln` blob, write it, load it (mapped from the file
//! or from bytes), and check it behaves exactly like the interpreted module.

use kiln::aot::{AotOptions, compile_artifact};
use kiln::{ModuleConfig, Runtime, RuntimeConfig, Val};

const PROGRAM: &str = r#"(module $prog
  (import "env" "scale" (func $scale (param i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 16) "hello, artifact")
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $fib $via_host)
  (type $t (func (param i32) (result i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $via_host (export "via_host") (param i32) (result i32)
    (i32.add (call $scale (local.get 0)) (global.get $g)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 1) (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "divide") (param i32) (result i32) (call $inner (local.get 0))))"#;

fn wasm() -> Vec<u8> {
    wat::parse_str(PROGRAM).unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kiln-artifacts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn runtime(config: RuntimeConfig) -> Runtime {
    let rt = Runtime::with_config(config);
    rt.host_module("env").func("scale", |x: i32| x * 3).instantiate().unwrap();
    rt
}

/// Calls every export of PROGRAM and returns what each gave, as text.
fn exercise(rt: &Runtime, module: &kiln::CompiledModule) -> Vec<String> {
    let inst = rt.instantiate(module, ModuleConfig::new().with_name("")).unwrap();
    let call = |name: &str, args: &[Val]| -> String {
        match inst.exported_function(name).unwrap().call(args) {
            Ok(v) => format!("{v:?}"),
            Err(e) => e.to_string(),
        }
    };
    let mem = inst.exported_memory("mem").unwrap();
    let mut data = vec![0u8; 15];
    mem.read(16, &mut data).unwrap();
    vec![
        call("fib", &[Val::I32(20)]),
        call("via_host", &[Val::I32(5)]),
        call("indirect", &[Val::I32(0), Val::I32(10)]),
        call("indirect", &[Val::I32(1), Val::I32(2)]),
        call("load8", &[Val::I32(17)]),
        call("divide", &[Val::I32(0)]),
        String::from_utf8(data).unwrap(),
    ]
}

#[test]
fn round_trip_through_a_file_behaves_like_the_interpreter() {
    let wasm = wasm();
    let interp = runtime(RuntimeConfig::interpreter());
    let expected = exercise(&interp, &interp.compile(&wasm).unwrap());
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    assert!(kiln::is_artifact(&blob));
    let path = tmp("prog.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = runtime(RuntimeConfig::new());
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    assert!(m.is_from_artifact() && m.is_native());
    let code = m.engine_module().compiled().unwrap();
    assert!(code.memory().is_file_backed(), "code is mapped from the file, not copied");
    let got = exercise(&rt, &m);
    assert_eq!(got, expected);
    assert_eq!(got[0], "[I32(6765)]");
    assert_eq!(got[1], "[I32(22)]");
    assert_eq!(got[6], "hello, artifact");
    assert!(got[5].starts_with("wasm trap: integer divide by zero"), "{}", got[5]);
    // The same backtrace as the interpreter's (compared above), naming the inner frame.
    assert!(
        got[5].contains("wasm backtrace:") && got[5].contains("(func[5] (i32) -> (i32))"),
        "{}",
        got[5]
    );
}

#[test]
fn bytes_and_serialize_round_trips_match() {
    let wasm = wasm();
    let interp = runtime(RuntimeConfig::interpreter());
    let expected = exercise(&interp, &interp.compile(&wasm).unwrap());

    // A module compiled in process serializes to an artifact that loads from bytes.
    let rt = runtime(RuntimeConfig::compiler());
    let compiled = rt.compile(&wasm).unwrap();
    assert!(!compiled.is_from_artifact());
    let blob = compiled.serialize().unwrap();
    let loaded = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
    assert!(!loaded.engine_module().compiled().unwrap().memory().is_file_backed());
    assert_eq!(exercise(&rt, &loaded), expected);
    // A loaded artifact serializes to exactly its bytes.
    assert_eq!(loaded.serialize().unwrap(), blob);
    // The header names this module binary.
    let header = loaded.artifact_header().unwrap();
    assert_eq!(header.wasm_sha256, kiln_runtime_support::artifact::sha256(&wasm));
    // Interpreted modules have no native code to serialize.
    assert!(matches!(
        interp.compile(&wasm).unwrap().serialize(),
        Err(kiln::Error::EngineUnavailable(_))
    ));
}

/// A runtime compiles for this host's CPU by default, as wasmtime does, and for the
/// baseline when told to; `serialize` records the level the code was compiled for, so an
/// artifact of host-specific code says so in its header (and is refused by CPUs that lack
/// a feature), while a baseline one loads anywhere.
#[test]
fn serialize_records_the_cpu_level_the_runtime_compiled_for() {
    use kiln::CpuTarget;
    let wasm = wasm();
    let interp = runtime(RuntimeConfig::interpreter());
    let expected = exercise(&interp, &interp.compile(&wasm).unwrap());
    assert_eq!(RuntimeConfig::new().cpu(), CpuTarget::Native);
    let baseline = if cfg!(target_arch = "x86_64") { "x86-64-v2" } else { "armv8.0-a" };
    for (cpu, level) in [(CpuTarget::Native, "native"), (CpuTarget::Baseline, baseline)] {
        let rt = runtime(RuntimeConfig::compiler().with_cpu(cpu));
        let compiled = rt.compile(&wasm).unwrap();
        assert_eq!(exercise(&rt, &compiled), expected, "{cpu:?}");
        let loaded = kiln_tests::load_own_bytes(&rt, &compiled.serialize().unwrap()).unwrap();
        assert_eq!(loaded.artifact_header().unwrap().cpu_level, level);
        assert_eq!(exercise(&rt, &loaded), expected, "{cpu:?} from its artifact");
    }
}

#[test]
fn loaded_modules_link_with_other_engines_and_instances() {
    // A loaded artifact exports a function and a memory that an interpreted module
    // imports, and the other way round.
    let provider = wat::parse_str(
        r#"(module (memory (export "mem") 1)
             (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#,
    )
    .unwrap();
    let user = wat::parse_str(
        r#"(module (import "p" "add" (func $add (param i32 i32) (result i32)))
             (import "p" "mem" (memory 1))
             (func (export "go") (result i32)
               (i32.store (i32.const 0) (call $add (i32.const 40) (i32.const 2)))
               (i32.load (i32.const 0))))"#,
    )
    .unwrap();
    let rt = Runtime::new();
    let p = kiln_tests::load_own_bytes(
        &rt,
        &compile_artifact(&provider, &AotOptions::default()).unwrap(),
    )
    .unwrap();
    rt.instantiate(&p, ModuleConfig::new().with_name("p")).unwrap();
    let interp = Runtime::with_config(RuntimeConfig::interpreter());
    let u =
        kiln_tests::load_own_bytes(&rt, &compile_artifact(&user, &AotOptions::default()).unwrap())
            .unwrap();
    let inst = rt.instantiate(&u, ModuleConfig::new().with_name("u")).unwrap();
    assert_eq!(inst.typed_func::<(), i32>("go").unwrap().call(()).unwrap(), 42);
    // The interpreted user of the loaded provider.
    let interp_user = interp.compile(&user).unwrap();
    let inst = rt.instantiate(&interp_user, ModuleConfig::new().with_name("u2")).unwrap();
    assert_eq!(inst.typed_func::<(), i32>("go").unwrap().call(()).unwrap(), 42);
}

// ---------------------------------------------------------------------------------------
// Robustness: every broken or incompatible artifact gets its own typed error, and nothing
// of it is mapped executable.

use kiln::{ArtifactError, ArtifactHeader, ArtifactPart, Error, Section};
use kiln_runtime_support::artifact::{HEADER_SIZE, digest_payload};
use kiln_runtime_support::vm::code_memory::executable_mappings_on_this_thread;

/// Loads `bytes` in a default runtime and returns the artifact error, asserting that no
/// executable mapping was created on the way.
fn refused(rt: &Runtime, bytes: &[u8]) -> ArtifactError {
    let before = executable_mappings_on_this_thread();
    let result = kiln_tests::load_own_bytes(rt, bytes);
    assert_eq!(
        executable_mappings_on_this_thread(),
        before,
        "a refused artifact mapped code executable"
    );
    match result {
        Err(Error::Artifact(e)) => e,
        Err(other) => panic!("expected an artifact error, got {other}"),
        Ok(_) => panic!("a broken artifact loaded"),
    }
}

/// Re-encodes the header of `blob` after `edit`, keeping the payload (and its checksum).
fn reseal(blob: &[u8], edit: impl FnOnce(&mut ArtifactHeader)) -> Vec<u8> {
    let mut h = ArtifactHeader::decode(blob).unwrap();
    edit(&mut h);
    let mut out = blob.to_vec();
    out[..HEADER_SIZE].copy_from_slice(&h.encode());
    out
}

/// Replaces section `s` of `blob` with `f(bytes)` (same length) and re-seals the payload
/// checksum and header: an artifact that is intact but whose content is inconsistent.
fn reseal_section(blob: &[u8], s: Section, f: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let h = ArtifactHeader::decode(blob).unwrap();
    let mut out = blob.to_vec();
    f(&mut out[h.sections.range(s)]);
    let sum = digest_payload(&out, &h.sections);
    reseal(&out, |h| h.payload_digest = sum)
}

fn blob() -> Vec<u8> {
    compile_artifact(&wasm(), &AotOptions::default()).unwrap()
}

#[test]
fn a_good_artifact_maps_code_exactly_once() {
    let rt = runtime(RuntimeConfig::new());
    let before = executable_mappings_on_this_thread();
    let m = kiln_tests::load_own_bytes(&rt, &blob()).unwrap();
    assert_eq!(executable_mappings_on_this_thread(), before + 1, "the counter sees mappings");
    drop(m);
}

#[test]
fn truncated_artifacts_are_refused_at_every_length() {
    let rt = runtime(RuntimeConfig::new());
    let blob = blob();
    let h = ArtifactHeader::decode(&blob).unwrap();
    let mut lengths: Vec<usize> = vec![
        0,
        1,
        7,
        8,
        11,
        12,
        100,
        HEADER_SIZE - 1,
        HEADER_SIZE,
        HEADER_SIZE + 1,
        blob.len() - 1,
    ];
    for s in Section::ALL {
        let r = h.sections.get(s);
        lengths.extend([r.offset as usize, r.offset as usize + 1, (r.offset + r.len) as usize - 1]);
    }
    lengths.extend((0..blob.len()).step_by(211));
    for len in lengths.into_iter().filter(|l| *l < blob.len()) {
        match refused(&rt, &blob[..len]) {
            ArtifactError::Truncated { found, expected } => {
                assert_eq!(found, len as u64);
                assert!(expected > found);
            }
            other => panic!("length {len}: {other:?}"),
        }
    }
    // Through the file path too.
    let path = tmp("truncated.kiln");
    std::fs::write(&path, &blob[..blob.len() / 2]).unwrap();
    let before = executable_mappings_on_this_thread();
    let e = kiln_tests::load_own(&rt, &path).unwrap_err();
    assert_eq!(executable_mappings_on_this_thread(), before);
    assert!(matches!(e, Error::Artifact(ArtifactError::Truncated { .. })), "{e}");
    // Trailing bytes are corruption too.
    let mut longer = blob.clone();
    longer.push(0);
    assert!(matches!(
        refused(&rt, &longer),
        ArtifactError::Corrupt { part: ArtifactPart::Payload, .. }
    ));
}

#[test]
fn bit_flips_anywhere_are_detected() {
    let rt = runtime(RuntimeConfig::new());
    let blob = blob();
    let h = ArtifactHeader::decode(&blob).unwrap();
    // Every header byte.
    for i in 0..HEADER_SIZE {
        let mut b = blob.clone();
        b[i] ^= 0x04;
        let e = refused(&rt, &b);
        let ok = match i {
            0..8 => e == ArtifactError::BadMagic,
            8..12 => matches!(e, ArtifactError::FormatVersion { .. }),
            _ => matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Header, .. }),
        };
        assert!(ok, "flip at header byte {i}: {e:?}");
    }
    // Bytes of every non-empty section but the cold ones (checked on first use, see
    // `corrupted_debug_info_loads_and_fails_on_first_use`).
    let mut positions = Vec::new();
    for s in Section::ALL.into_iter().filter(|s| !s.is_cold()) {
        let r = h.sections.range(s);
        if !r.is_empty() {
            positions.extend([r.start, r.start + r.len() / 2, r.end - 1]);
        }
    }
    positions.push(HEADER_SIZE + 1);
    for i in positions {
        let mut b = blob.clone();
        b[i] ^= 0x80;
        let e = refused(&rt, &b);
        assert_eq!(
            e,
            ArtifactError::Corrupt {
                part: ArtifactPart::Payload,
                detail: "payload checksum mismatch".into()
            },
            "flip at {i}"
        );
    }
    // The padding before the code section.
    let code = h.sections.range(Section::Code);
    let mut b = blob.clone();
    b[code.start - 1] ^= 1;
    assert_eq!(
        refused(&rt, &b),
        ArtifactError::Corrupt {
            part: ArtifactPart::Payload,
            detail: "nonzero padding between sections".into()
        }
    );
}

/// The `run_divide` trap of an instance of `m` in `rt` (unnamed, so `m` instantiates again).
fn divide_trap(rt: &Runtime, m: &kiln::CompiledModule) -> kiln::Trap {
    let inst = rt.instantiate(m, ModuleConfig::new().with_name("")).unwrap();
    match inst.call("run_divide", &[7.into(), 0.into()]) {
        Err(Error::Trap(t)) => t,
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn corrupted_debug_info_loads_and_fails_on_first_use() {
    let wasm = kiln_tests::dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let h = ArtifactHeader::decode(&blob).unwrap();
    let lines = h.sections.range(Section::SourceLines);
    let map = h.sections.range(Section::AddressMap);
    assert!(!lines.is_empty(), "clang -g line information travels in the source lines");
    assert!(!map.is_empty());
    let rt = Runtime::new();

    // Intact: the debug info verifies and gives wasm offsets and source lines.
    let m = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
    assert_eq!(m.artifact_debug_info(), Some(Ok(())));
    let t = divide_trap(&rt, &m);
    assert!(t.backtrace()[0].source.is_some() && t.backtrace()[0].wasm_offset.is_some(), "{t}");
    let cold_len = (lines.len() + map.len()) as u64;
    assert_eq!(kiln::inspect_artifact(&blob).unwrap().debug_info, Ok(cold_len));

    let corrupt = ArtifactError::Corrupt {
        part: ArtifactPart::DebugInfo,
        detail: "debug info checksum mismatch".into(),
    };
    for i in [map.start, map.end - 1, lines.start, lines.start + lines.len() / 2, lines.end - 1] {
        let mut b = blob.clone();
        b[i] ^= 0x20;
        // From bytes and from a file: the load succeeds.
        let path = tmp("debug-flip.kiln");
        std::fs::write(&path, &b).unwrap();
        for m in [
            kiln_tests::load_own_bytes(&rt, &b).unwrap(),
            kiln_tests::load_own(&rt, &path).unwrap(),
        ] {
            // A trap first: its backtrace names functions, without wasm offsets or lines.
            let t = divide_trap(&rt, &m);
            assert_eq!(t.code(), kiln::TrapCode::IntegerDivideByZero);
            assert!(!t.backtrace().is_empty());
            for f in t.backtrace() {
                assert!(f.source.is_none(), "flip at {i}: a source line from corrupted bytes: {t}");
                assert!(f.wasm_offset.is_none(), "flip at {i}: {t}");
                assert!(f.func_name.is_some(), "{t}");
            }
            assert!(!t.to_string().contains("dwarf_traps.c"), "{t}");
            // Then the typed error, every time.
            assert_eq!(m.artifact_debug_info(), Some(Err(corrupt.clone())));
            assert_eq!(m.artifact_debug_info(), Some(Err(corrupt.clone())));
        }
        // And a first use that is not a backtrace.
        let m = kiln_tests::load_own_bytes(&rt, &b).unwrap();
        assert_eq!(m.artifact_debug_info(), Some(Err(corrupt.clone())));
        assert!(divide_trap(&rt, &m).backtrace()[0].source.is_none());
        assert_eq!(kiln::inspect_artifact(&b).unwrap().debug_info, Err(corrupt.clone()));
    }

    // A flip in any other section of the same artifact still fails the load.
    for s in Section::ALL.into_iter().filter(|s| !s.is_cold()) {
        let r = h.sections.range(s);
        if r.is_empty() {
            continue;
        }
        let mut b = blob.clone();
        b[r.start + r.len() / 2] ^= 0x20;
        let e = refused(&rt, &b);
        assert_eq!(
            e,
            ArtifactError::Corrupt {
                part: ArtifactPart::Payload,
                detail: "payload checksum mismatch".into()
            },
            "{}",
            s.name()
        );
    }
    // A sealed header with another cold digest: the same typed error on first use.
    let m = kiln_tests::load_own_bytes(&rt, &reseal(&blob, |h| h.cold_digest[0] ^= 1)).unwrap();
    assert_eq!(m.artifact_debug_info(), Some(Err(corrupt)));
    // A module not loaded from an artifact has no artifact debug info.
    assert!(rt.compile(&wasm).unwrap().artifact_debug_info().is_none());
}

#[test]
fn incompatible_artifacts_name_what_differs() {
    let rt = runtime(RuntimeConfig::new());
    let blob = blob();

    let e = refused(&rt, &reseal(&blob, |h| h.format_version = 99));
    assert_eq!(
        e,
        ArtifactError::FormatVersion {
            found: 99,
            expected: kiln_runtime_support::artifact::FORMAT_VERSION
        }
    );
    let e = refused(&rt, &reseal(&blob, |h| h.abi_version = 7));
    assert_eq!(
        e,
        ArtifactError::AbiVersion {
            found: 7,
            expected: kiln_runtime_support::artifact::ABI_VERSION
        }
    );
    assert!(e.to_string().contains("runtime ABI 7"), "{e}");

    // A real foreign-target artifact.
    let other = if cfg!(target_arch = "x86_64") {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    let foreign = compile_artifact(
        &wasm(),
        &AotOptions { target: Some(other.into()), ..AotOptions::default() },
    )
    .unwrap();
    match refused(&rt, &foreign) {
        ArtifactError::Target { found, expected } => {
            assert_eq!(found, other);
            assert_eq!(expected, format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS));
        }
        e => panic!("{e:?}"),
    }

    // CPU features this host lacks: a known one if there is one, else a bit this Kiln does
    // not know (an artifact from a newer compiler).
    let host = kiln::CpuFeatures::host();
    let candidates = [
        "avxvnni",
        "avx512vnni",
        "avx512vbmi",
        "avx512bitalg",
        "lse",
        "fp16",
        "i8mm",
        "dotprod",
        "paca",
    ];
    let (lacking, name) = candidates
        .iter()
        .filter_map(|n| kiln::CpuFeatures::from_name(n).map(|f| (f, n.to_string())))
        .find(|(f, _)| f.difference(host) == *f)
        .unwrap_or((kiln::CpuFeatures(1 << 62), "unknown feature bit 62".to_string()));
    match refused(&rt, &reseal(&blob, |h| h.cpu_features = h.cpu_features.union(lacking))) {
        ArtifactError::CpuFeatures { missing, .. } => assert_eq!(missing, vec![name]),
        e => panic!("{e:?}"),
    }

    // Settings: a runtime that reserves no guard region (the interpreter's memories), and
    // an artifact compiled with epoch checks.
    let interp = runtime(RuntimeConfig::interpreter());
    match refused(&interp, &blob) {
        ArtifactError::Settings { found, expected } => {
            assert_eq!(found.bounds_checks, kiln::BoundsMode::GuardPages);
            assert_eq!(expected.bounds_checks, kiln::BoundsMode::Explicit);
        }
        e => panic!("{e:?}"),
    }
    let e = refused(&rt, &reseal(&blob, |h| h.settings.epoch_interruption = true));
    assert!(matches!(e, ArtifactError::Settings { .. }), "{e:?}");
    assert!(e.to_string().contains("epoch interruption: on in the artifact, off here"), "{e}");
}

#[test]
fn swapped_payloads_and_inconsistent_sections_are_corruption() {
    let rt = runtime(RuntimeConfig::new());
    let blob = blob();
    // Same shape, other constant: the same section sizes, another payload.
    let other = compile_artifact(
        &wat::parse_str(PROGRAM.replace("(i32.const 7)", "(i32.const 9)")).unwrap(),
        &AotOptions::default(),
    )
    .unwrap();
    assert_eq!(other.len(), blob.len());
    let mut swapped = blob[..HEADER_SIZE].to_vec();
    swapped.extend_from_slice(&other[HEADER_SIZE..]);
    assert_eq!(
        refused(&rt, &swapped),
        ArtifactError::Corrupt {
            part: ArtifactPart::Payload,
            detail: "payload checksum mismatch".into()
        }
    );
    // A sealed header whose section table is wrong.
    let e = refused(
        &rt,
        &reseal(&blob, |h| {
            let code = h.sections.get(Section::Code);
            h.sections.set(Section::Code, code.offset + 1, code.len);
        }),
    );
    assert!(matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Sections, .. }), "{e:?}");
    // Intact checksums over inconsistent content: metadata that does not decode, tables
    // that point outside the code.
    let e = refused(
        &rt,
        &reseal_section(&blob, Section::Metadata, |m| m.iter_mut().for_each(|b| *b = 0xff)),
    );
    assert!(matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Metadata, .. }), "{e:?}");
    let e = refused(
        &rt,
        &reseal_section(&blob, Section::Entries, |t| {
            t[..4].copy_from_slice(&u32::MAX.to_le_bytes())
        }),
    );
    assert!(matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Tables, .. }), "{e:?}");
    let e = refused(
        &rt,
        &reseal_section(&blob, Section::Functions, |t| {
            t[4..8].copy_from_slice(&u32::MAX.to_le_bytes())
        }),
    );
    assert!(matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Tables, .. }), "{e:?}");
    // Not an artifact at all.
    assert_eq!(refused(&rt, &wasm()), ArtifactError::BadMagic);
}

/// Function names are read in place (from the module binary's name section, or from the
/// copy of the names an artifact's data image carries): every engine gives the same names,
/// in backtraces and through `function_name`, and an artifact whose name records point
/// outside their bytes, whose bytes lie outside the data image, or whose records are out of
/// order is refused.
#[test]
fn function_names_travel_in_the_data_image_and_are_checked_at_load() {
    let wasm = wasm();
    let names = |m: &kiln::CompiledModule| -> Vec<Option<String>> {
        (0..8).map(|i| m.function_name(i).map(str::to_string)).collect()
    };
    let interp = runtime(RuntimeConfig::interpreter());
    let from_wasm = interp.compile(&wasm).unwrap();
    let expected = names(&from_wasm);
    assert_eq!(expected[1].as_deref(), Some("fib"));
    assert_eq!(expected[5].as_deref(), Some("inner"));
    assert_eq!(expected[4], None, "an unnamed function");
    let trap = |rt: &Runtime, m: &kiln::CompiledModule| -> String {
        let inst = rt.instantiate(m, ModuleConfig::new().with_name("")).unwrap();
        match inst.exported_function("divide").unwrap().call(&[Val::I32(0)]) {
            Err(Error::Trap(t)) => {
                format!("{:?}", t.backtrace().iter().map(|f| &f.func_name).collect::<Vec<_>>())
            }
            other => panic!("expected a trap, got {other:?}"),
        }
    };
    let expected_trap = trap(&interp, &from_wasm);
    assert!(expected_trap.contains("inner"), "{expected_trap}");

    let rt = runtime(RuntimeConfig::new());
    let blob = blob();
    let loaded = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
    assert_eq!(names(&loaded), expected);
    assert_eq!(names(&rt.compile(&wasm).unwrap()), expected);
    assert_eq!(trap(&rt, &loaded), expected_trap);

    let meta = kiln_runtime_support::artifact::verify_integrity(&blob).unwrap().metadata().unwrap();
    // The data image carries the function names alone, one after the other.
    let carried = &meta.module.names.functions;
    let total: usize = expected.iter().flatten().map(String::len).sum();
    assert_eq!(carried.len(), expected.iter().flatten().count());
    assert_eq!(carried.section.len(), total);
    type Edit = fn(&mut kiln_runtime_support::module::FunctionNames);
    let cases: [(&str, Edit); 3] = [
        ("a name past its section", |n| n.entries[0].len = 1 << 20),
        ("the section past the data image", |n| n.section.end += 1 << 20),
        ("records out of order", |n| n.entries.swap(0, 1)),
    ];
    for (what, edit) in cases {
        let mut bad = meta.clone();
        edit(&mut bad.module.names.functions);
        match kiln_tests::load_own_bytes(&rt, &kiln_tests::rewrite_artifact(&blob, &bad)) {
            Err(Error::Artifact(ArtifactError::Corrupt {
                part: ArtifactPart::Metadata,
                detail,
            })) => {
                assert!(detail.contains("function names"), "{what}: {detail}")
            }
            other => panic!("{what}: expected corrupt metadata, got {:?}", other.map(|_| ())),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Fallback policy and the compilation cache.

use kiln::{ArtifactFallback, CacheStats, CompilationCache};

fn fresh_dir(name: &str) -> std::path::PathBuf {
    let d = tmp(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn load_artifact_or_wasm_applies_the_fallback() {
    let wasm = wasm();
    let rt = runtime(RuntimeConfig::new());
    let dir = fresh_dir("fallback");
    let path = dir.join("prog.kiln");

    // Missing artifact.
    let e = kiln_tests::load_own_or_wasm(&rt, &path, &wasm, ArtifactFallback::Fail).unwrap_err();
    assert!(matches!(e, Error::Artifact(ArtifactError::Io(_))), "{e}");
    let m = kiln_tests::load_own_or_wasm(&rt, &path, &wasm, ArtifactFallback::Interpret).unwrap();
    assert!(!m.is_native());
    assert_eq!(exercise(&rt, &m)[0], "[I32(6765)]");
    assert!(!path.exists(), "Interpret writes nothing");
    let m = kiln_tests::load_own_or_wasm(&rt, &path, &wasm, ArtifactFallback::Recompile).unwrap();
    assert!(m.is_from_artifact() && path.exists());
    assert_eq!(exercise(&rt, &m)[1], "[I32(22)]");

    // Now it is there and matches: used as is, whatever the policy.
    let m = kiln_tests::load_own_or_wasm(&rt, &path, &wasm, ArtifactFallback::Fail).unwrap();
    assert!(m.is_from_artifact());

    // An artifact of another module binary.
    let other_wasm = wat::parse_str(PROGRAM.replace("(i32.const 7)", "(i32.const 8)")).unwrap();
    let e =
        kiln_tests::load_own_or_wasm(&rt, &path, &other_wasm, ArtifactFallback::Fail).unwrap_err();
    assert!(matches!(e, Error::Artifact(ArtifactError::WasmMismatch)), "{e}");
    let m =
        kiln_tests::load_own_or_wasm(&rt, &path, &other_wasm, ArtifactFallback::Recompile).unwrap();
    assert_eq!(exercise(&rt, &m)[1], "[I32(23)]", "rebuilt from the new binary");

    // A corrupted artifact.
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let e =
        kiln_tests::load_own_or_wasm(&rt, &path, &other_wasm, ArtifactFallback::Fail).unwrap_err();
    assert!(matches!(e, Error::Artifact(ArtifactError::Corrupt { .. })), "{e}");
    let m =
        kiln_tests::load_own_or_wasm(&rt, &path, &other_wasm, ArtifactFallback::Interpret).unwrap();
    assert!(!m.is_native());
    assert_eq!(exercise(&rt, &m)[1], "[I32(23)]");
}

fn cache_runtime(cache: &CompilationCache) -> Runtime {
    runtime(RuntimeConfig::compiler().with_compilation_cache(cache.clone()))
}

fn entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

#[test]
fn cache_hits_misses_and_rebuilds() {
    let wasm = wasm();
    let interp = runtime(RuntimeConfig::interpreter());
    let expected = exercise(&interp, &interp.compile(&wasm).unwrap());
    let dir = fresh_dir("cache");
    let cache = CompilationCache::with_directory(&dir).unwrap();
    let rt = cache_runtime(&cache);

    // Miss, then a memory hit.
    let m = rt.compile(&wasm).unwrap();
    assert_eq!(cache.stats(), CacheStats { misses: 1, ..CacheStats::default() });
    assert!(m.is_from_artifact());
    assert_eq!(exercise(&rt, &m), expected);
    let header = m.artifact_header().unwrap();
    assert_eq!(header.cpu_level, "native", "the local cache compiles for the host CPU");
    let files = entries(&dir);
    assert_eq!(files.len(), 1, "one entry, no temporary files left: {files:?}");
    rt.compile(&wasm).unwrap();
    assert_eq!(cache.stats().memory_hits, 1);

    // A disk hit, from a new runtime sharing the directory (another process would too).
    cache.clear_memory();
    let m = cache_runtime(&cache).compile(&wasm).unwrap();
    assert_eq!(cache.stats().disk_hits, 1);
    assert!(m.engine_module().compiled().unwrap().memory().is_file_backed());
    let other_cache = CompilationCache::with_directory(&dir).unwrap();
    cache_runtime(&other_cache).compile(&wasm).unwrap();
    assert_eq!(other_cache.stats(), CacheStats { disk_hits: 1, ..CacheStats::default() });

    // A corrupted entry is removed and rebuilt.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&files[0], &bytes).unwrap();
    let fresh = CompilationCache::with_directory(&dir).unwrap();
    let rt2 = cache_runtime(&fresh);
    let m = rt2.compile(&wasm).unwrap();
    assert_eq!(fresh.stats(), CacheStats { misses: 1, evictions: 1, ..CacheStats::default() });
    assert_eq!(exercise(&rt2, &m), expected);
    assert_eq!(entries(&dir), files);
    assert!(
        kiln_runtime_support::artifact::verify_integrity(&std::fs::read(&files[0]).unwrap())
            .is_ok()
    );

    // A stale entry (same key, compiled with other settings: baseline CPU) is rebuilt.
    std::fs::write(&files[0], compile_artifact(&wasm, &AotOptions::default()).unwrap()).unwrap();
    let fresh = CompilationCache::with_directory(&dir).unwrap();
    let rt3 = cache_runtime(&fresh);
    let m = rt3.compile(&wasm).unwrap();
    assert_eq!(fresh.stats(), CacheStats { misses: 1, evictions: 1, ..CacheStats::default() });
    assert_eq!(m.artifact_header().unwrap().cpu_level, "native");
    assert_eq!(exercise(&rt3, &m), expected);

    // Truncated to nothing: rebuilt as well.
    std::fs::write(&files[0], b"").unwrap();
    let fresh = CompilationCache::with_directory(&dir).unwrap();
    cache_runtime(&fresh).compile(&wasm).unwrap();
    assert_eq!(fresh.stats().evictions, 1);

    // Another module binary is another entry; an invalid one is an error, not an entry.
    rt3.compile(&wat::parse_str("(module (func (export \"f\")))").unwrap()).unwrap();
    assert_eq!(entries(&dir).len(), 2);
    assert!(matches!(rt3.compile(b"\0asm\x01\0\0\0\x01"), Err(Error::Compile(_))));
    assert_eq!(entries(&dir).len(), 2);
}

#[test]
fn memory_only_cache_and_interpreter_bypass() {
    let wasm = wasm();
    let cache = CompilationCache::new();
    let rt = cache_runtime(&cache);
    let a = rt.compile(&wasm).unwrap();
    let b = runtime(RuntimeConfig::compiler().with_compilation_cache(cache.clone()))
        .compile(&wasm)
        .unwrap();
    assert_eq!(cache.stats(), CacheStats { misses: 1, memory_hits: 1, ..CacheStats::default() });
    assert!(
        std::sync::Arc::ptr_eq(a.engine_module(), b.engine_module()),
        "the same module is shared"
    );
    // The interpreter does not use the cache.
    let interp = runtime(RuntimeConfig::interpreter().with_compilation_cache(cache.clone()));
    assert!(!interp.compile(&wasm).unwrap().is_native());
    assert_eq!(cache.stats().misses, 1);
}

#[test]
fn c_kernels_run_from_an_artifact_with_progress_reported() {
    let wasm = kiln_tests::kernels_wasm().unwrap_or_else(|e| panic!("{e}"));
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let last_total = std::sync::atomic::AtomicUsize::new(0);
    let blob =
        kiln::aot::compile_artifact_with_progress(&wasm, &AotOptions::default(), &|done, total| {
            assert!(done >= 1 && done <= total);
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            last_total.store(total, std::sync::atomic::Ordering::Relaxed);
        })
        .unwrap();
    let path = tmp("kernels.kiln");
    kiln::write_atomically(&path, &blob).unwrap();
    let rt = Runtime::new();
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    let defined = m.engine_module().info.num_defined_funcs() as usize;
    assert!(defined > 5);
    assert_eq!(calls.into_inner(), defined, "one progress call per defined function");
    assert_eq!(last_total.into_inner(), defined);
    let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
    let call0 = |name: &str| inst.typed_func::<(), u32>(name).unwrap().call(()).unwrap();
    let call1 = |name: &str, a: u32| inst.typed_func::<u32, u32>(name).unwrap().call(a).unwrap();
    // The known values of tests/c_kernels.rs.
    assert_eq!(call0("crc32_check"), 0xCBF4_3926);
    assert_eq!(call0("sha256_check"), 0xba78_16bf);
    assert_eq!(call1("quicksort_bench", 2000), 2_941_719_755);
    assert_eq!(call1("mandelbrot", 32), 71_998);
    assert_eq!(call1("nbody", 1000) as i32, -169_087_605);
}

#[test]
fn a_loaded_artifact_keeps_the_modules_dwarf_source_lines() {
    // What backtraces read from the module's own DWARF (clang -g) travels in the
    // artifact's source-line table, so backtraces from loaded code still name file:line:col.
    let wasm = kiln_tests::dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let rt = Runtime::new();
    let m = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
    let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
    let t = match inst.call("run_divide", &[7.into(), 0.into()]) {
        Err(Error::Trap(t)) => t,
        other => panic!("expected a trap, got {other:?}"),
    };
    assert_eq!(t.code(), kiln::TrapCode::IntegerDivideByZero);
    let frame = &t.backtrace()[0];
    let source = frame.source.as_ref().unwrap_or_else(|| panic!("no source: {t}"));
    assert!(source.file.ends_with("tests/c/dwarf_traps.c"), "{source}");
    assert_eq!(source.line, kiln_tests::marked_line("dwarf_traps.c", "divide"), "{t}");
    // The same frame as when compiled in process from the .wasm.
    let direct = Runtime::with_config(RuntimeConfig::compiler());
    let t2 = match direct.instantiate_wasm(&wasm).unwrap().call("run_divide", &[7.into(), 0.into()])
    {
        Err(Error::Trap(t)) => t,
        other => panic!("expected a trap, got {other:?}"),
    };
    assert_eq!(t.backtrace()[..2], t2.backtrace()[..2]);
}

#[test]
fn interruption_checks_are_a_code_setting() {
    let spin = wat::parse_str(r#"(module (func (export "spin") (loop (br 0))))"#).unwrap();
    let plain = compile_artifact(&spin, &AotOptions::default()).unwrap();
    let checked =
        compile_artifact(&spin, &AotOptions { interruption: true, ..AotOptions::default() })
            .unwrap();
    let rt = Runtime::with_config(RuntimeConfig::new().with_interruption(true));
    // Code without checks could not be interrupted: refused.
    match refused(&rt, &plain) {
        ArtifactError::Settings { found, expected } => {
            assert!(!found.epoch_interruption && expected.epoch_interruption);
        }
        e => panic!("{e:?}"),
    }
    assert!(matches!(
        refused(&runtime(RuntimeConfig::new()), &checked),
        ArtifactError::Settings { .. }
    ));
    // Code with checks stops when interrupted.
    let m = kiln_tests::load_own_bytes(&rt, &checked).unwrap();
    let inst = rt.instantiate(&m, ModuleConfig::new()).unwrap();
    let h = rt.interrupt_handle();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.interrupt();
    });
    match inst.call("spin", &[]) {
        Err(Error::Trap(t)) => assert_eq!(t.code(), kiln::TrapCode::Interrupted),
        other => panic!("expected an interrupted trap, got {other:?}"),
    }
    // And the cache compiles for the runtime's setting.
    let cache = CompilationCache::new();
    let rt = Runtime::with_config(
        RuntimeConfig::compiler().with_interruption(true).with_compilation_cache(cache),
    );
    let m = rt.compile(&spin).unwrap();
    assert!(m.artifact_header().unwrap().settings.epoch_interruption);
}

#[test]
fn garbled_compact_tables_are_refused_or_read_as_nothing() {
    let wasm = kiln_tests::dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"));
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let rt = Runtime::new();
    // The function table and the entries steer the loader: checked at every load.
    for s in [Section::Functions, Section::Entries] {
        let e = refused(&rt, &reseal_section(&blob, s, |t| t.iter_mut().for_each(|b| *b = 0xff)));
        assert!(matches!(e, ArtifactError::Corrupt { part: ArtifactPart::Tables, .. }), "{e:?}");
    }
    // Garbled cold sections under a matching digest (what only a deliberate forger can
    // make): the module loads and traps; its frames lack what the garbage cannot give.
    let reseal_cold = |s: Section| {
        let h = ArtifactHeader::decode(&blob).unwrap();
        let mut out = blob.clone();
        out[h.sections.range(s)].iter_mut().for_each(|b| *b = 0xff);
        let digest = kiln_runtime_support::artifact::cold::cold_digest([
            &out[h.sections.range(Section::AddressMap)],
            &out[h.sections.range(Section::SourceLines)],
        ]);
        reseal(&out, |h| h.cold_digest = digest)
    };
    let m = kiln_tests::load_own_bytes(&rt, &reseal_cold(Section::AddressMap)).unwrap();
    assert_eq!(m.artifact_debug_info(), Some(Ok(())));
    let t = divide_trap(&rt, &m);
    assert_eq!(t.code(), kiln::TrapCode::IntegerDivideByZero);
    assert!(t.backtrace().iter().all(|f| f.wasm_offset.is_none() && f.func_name.is_some()), "{t}");
    let m = kiln_tests::load_own_bytes(&rt, &reseal_cold(Section::SourceLines)).unwrap();
    let t = divide_trap(&rt, &m);
    assert!(t.backtrace()[0].wasm_offset.is_some(), "{t}");
    assert!(t.backtrace().iter().all(|f| f.source.is_none()), "{t}");
}

/// A SIMD module: `v128` in host-function and export signatures (with more results than
/// return registers), in globals (defined, imported, exported), in memory and through
/// `call_indirect`.
const SIMD_PROGRAM: &str = r#"(module
  (import "env" "rotate" (func $rotate (param v128 i32) (result v128)))
  (import "env" "seed" (global $seed v128))
  (memory (export "mem") 1)
  (data (i32.const 32) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
  (global $acc (export "acc") (mut v128) (global.get $seed))
  (table 2 funcref)
  (elem (i32.const 0) $scale $via_host)
  (type $t (func (param v128 i32) (result v128)))
  (func $scale (param v128 i32) (result v128)
    (i32x4.mul (local.get 0) (i32x4.splat (local.get 1))))
  (func $via_host (param v128 i32) (result v128)
    (i8x16.add (call $rotate (local.get 0) (local.get 1)) (global.get $acc)))
  (func (export "indirect") (param v128 i32 i32) (result v128)
    (call_indirect (type $t) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "accumulate") (param v128) (result v128)
    (global.set $acc (f32x4.add (global.get $acc) (local.get 0)))
    (global.get $acc))
  (func (export "spread") (param i32 v128 f64 v128) (result v128 f64 v128 i32 v128 v128 i64)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0)
    (i16x8.sub (local.get 1) (local.get 3))
    (v128.load offset=32 (i32.const 0))
    (i64x2.extract_lane 1 (local.get 1)))
  (func (export "shuffle_store") (param v128 v128)
    (v128.store offset=32 (i32.const 0)
      (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 0) (local.get 1)))))"#;

fn simd_runtime(config: RuntimeConfig) -> Runtime {
    use kiln::V128;
    let rt = Runtime::with_config(config);
    rt.host_module("env")
        .func("rotate", |v: V128, n: i32| V128::from_bits(v.bits().rotate_left(n as u32 * 8)))
        .global("seed", Val::V128(V128::from_f32x4([0.5, -1.0, 2.0, 1e30])), false)
        .instantiate()
        .unwrap();
    rt
}

/// Calls every export of SIMD_PROGRAM and returns what each gave, as text.
fn exercise_simd(rt: &Runtime, module: &kiln::CompiledModule) -> Vec<String> {
    use kiln::V128;
    let inst = rt.instantiate(module, ModuleConfig::new().with_name("")).unwrap();
    let call = |name: &str, args: &[Val]| -> String {
        match inst.exported_function(name).unwrap().call(args) {
            Ok(v) => format!("{v:x?}"),
            Err(e) => e.to_string(),
        }
    };
    let a = || Val::V128(V128::from_i32x4([1, -2, 3, i32::MIN]));
    let b = || Val::V128(V128::from_bits(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210));
    let mut out = vec![
        call("indirect", &[a(), Val::I32(3), Val::I32(0)]),
        call("indirect", &[b(), Val::I32(3), Val::I32(1)]),
        call("indirect", &[b(), Val::I32(3), Val::I32(2)]),
        call("accumulate", &[b()]),
        call("accumulate", &[a()]),
        call("spread", &[Val::I32(9), a(), Val::F64(-2.5), b()]),
        call("shuffle_store", &[a(), b()]),
        call("spread", &[Val::I32(9), b(), Val::F64(0.0), a()]),
    ];
    let mut bytes = [0u8; 16];
    inst.exported_memory("mem").unwrap().read(32, &mut bytes).unwrap();
    out.push(format!("{bytes:x?}"));
    out.push(format!("{:x?}", inst.exported_global("acc").unwrap().get()));
    out
}

/// A module with `v128` in its signatures, trampolines and globals compiles to an
/// artifact that loads from a file and from bytes and behaves exactly like the
/// interpreted module.
#[test]
fn a_simd_module_round_trips_through_an_artifact() {
    let wasm = wat::parse_str(SIMD_PROGRAM).unwrap();
    let interp = simd_runtime(RuntimeConfig::interpreter());
    let expected = exercise_simd(&interp, &interp.compile(&wasm).unwrap());
    assert!(expected[2].contains("out of bounds") || expected[2].contains("undefined"));
    let blob = compile_artifact(&wasm, &AotOptions::default()).unwrap();
    let path = tmp("simd.kiln");
    std::fs::write(&path, &blob).unwrap();
    let rt = simd_runtime(RuntimeConfig::new());
    let m = kiln_tests::load_own(&rt, &path).unwrap();
    assert!(m.is_from_artifact() && m.is_native());
    assert_eq!(exercise_simd(&rt, &m), expected);
    let m = kiln_tests::load_own_bytes(&rt, &blob).unwrap();
    assert_eq!(exercise_simd(&rt, &m), expected);
}

/// Compiling a module twice gives the same bytes, blob and object alike (reproducible
/// artifacts: a build that precompiles can be checked and cached by content). The module
/// names many functions in its name section, whose order an unordered map would shuffle.
#[test]
fn compiling_twice_gives_the_same_bytes() {
    let funcs: String = (0..64)
        .map(|i| format!("(func $f{i} (export \"f{i}\") (param i32) (result i32) (i32.add (local.get 0) (i32.const {i})))"))
        .collect();
    let wasm = wat::parse_str(format!("(module (memory 1) {funcs})")).unwrap();
    for emit in [kiln::aot::Emit::Blob, kiln::aot::Emit::Obj] {
        let options = AotOptions { emit, ..AotOptions::default() };
        let first = compile_artifact(&wasm, &options).unwrap();
        for _ in 0..3 {
            assert!(compile_artifact(&wasm, &options).unwrap() == first, "{emit:?} differs");
        }
    }
}
