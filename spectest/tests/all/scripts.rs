//! Scripts on disk: directories are searched for `.wast` files in sorted order, bad paths
//! are typed errors, an unreadable file is a failure, and `kiln-spectest --dir` runs a
//! folder on both engines.

use crate::temp_dir;
use kiln_spectest::{RunOptions, ScriptPathError, collect_scripts, run_script_file};
use std::path::PathBuf;
use std::process::Command;

const PASSING: &str = "(module (func (export \"one\") (result i32) (i32.const 1)))\n\
                       (assert_return (invoke \"one\") (i32.const 1))\n";

#[test]
fn directories_are_searched_in_sorted_order() {
    let dir = temp_dir("sorted");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for name in ["b.wast", "a.wast", "sub/c.wast", "notes.txt"] {
        std::fs::write(dir.join(name), PASSING).unwrap();
    }
    let single = dir.join("notes.txt");
    let found = collect_scripts(&[dir.clone(), single.clone()]).unwrap();
    let expected: Vec<PathBuf> =
        ["a.wast", "b.wast", "sub/c.wast", "notes.txt"].iter().map(|n| dir.join(n)).collect();
    assert_eq!(found, expected);
}

#[test]
fn bad_paths_are_typed_errors() {
    let missing = PathBuf::from("/nonexistent/kiln-spectest.wast");
    match collect_scripts(std::slice::from_ref(&missing)) {
        Err(e @ ScriptPathError::Unreadable { .. }) => {
            assert!(e.to_string().starts_with("cannot read /nonexistent/kiln-spectest.wast: "))
        }
        other => panic!("{other:?}"),
    }
    let empty = temp_dir("empty");
    match collect_scripts(std::slice::from_ref(&empty)) {
        Err(e @ ScriptPathError::NoScripts { .. }) => {
            assert_eq!(e.to_string(), format!("{} holds no .wast files", empty.display()))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_that_cannot_be_read_is_a_failure() {
    let dir = temp_dir("unreadable");
    let path = dir.join("latin1.wast");
    std::fs::write(&path, b"(module) ;; caf\xe9\n").unwrap();
    let r = run_script_file(RunOptions::new(kiln::Engine::Interpreter), &path, None);
    assert_eq!((r.passed, r.failed), (0, 1));
    assert_eq!((r.failures[0].line, r.failures[0].kind), (0, "read"));
    assert_eq!(
        r.failures[0].to_string(),
        format!(
            "{}: read: cannot read the file: stream did not contain valid UTF-8",
            path.display()
        )
    );
}

#[test]
fn kiln_spectest_runs_a_folder_with_dir() {
    let dir = temp_dir("folder");
    std::fs::write(dir.join("good.wast"), PASSING).unwrap();
    std::fs::write(dir.join("wrong.wast"), PASSING.replace("(i32.const 1))\n", "(i32.const 7))\n"))
        .unwrap();
    let out =
        Command::new(env!("CARGO_BIN_EXE_kiln-spectest")).arg("--dir").arg(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let wrong = dir.join("wrong.wast");
    for engine in ["interpreter", "compiler"] {
        let line = format!("FAIL [{engine}] {}:2: assert_return: expected [i32:7", wrong.display());
        assert!(stdout.contains(&line), "{stdout}");
        assert!(stdout.contains(&format!("{engine}: 3 passed, 1 failed, 0 skipped")), "{stdout}");
    }
    assert!(stdout.trim_end().ends_with("6 passed, 2 failed, 0 skipped"), "{stdout}");
}
